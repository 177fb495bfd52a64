//! What the host (and the rest of `sim`) can read of a run without changing it: the clock,
//! the measures, the scene and its options on offer in their order and wording, the flags,
//! what was said, the subject's body, and whether conditions hold now.

use super::DT;
use super::events::{Event, Sample};
use super::staging::{Staging, TimedAct};
use super::state::Sim;
use crate::format::scenario::{Choice, Condition, Ending, Scenario, Subject};
use crate::format::vocab::Body;
use std::sync::Arc;

/// One option on offer: which it is and the words it is shown with this time.
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    /// Index in the scene's `options`.
    pub index: usize,
    pub choice: &'a Choice,
    pub text: &'a str,
}

impl Sim {
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn tick(&self) -> u32 {
        self.tick
    }
    pub fn time(&self) -> f32 {
        self.tick as f32 * DT
    }
    pub fn agitation(&self) -> f32 {
        self.agitation
    }
    pub fn trust(&self) -> f32 {
        self.trust
    }
    pub fn distance(&self) -> f32 {
        self.distance
    }
    /// Closing speed in m/s measured on the last tick (positive = approaching).
    pub fn closing_speed(&self) -> f32 {
        self.closing
    }
    pub fn scene_id(&self) -> &str {
        &self.scenario.scenes[self.scene].id
    }
    pub fn is_finished(&self) -> bool {
        self.ending.is_some()
    }
    pub fn ending(&self) -> Option<&Ending> {
        self.ending.map(|i| &self.scenario.endings[i])
    }
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }
    pub fn has_flag(&self, f: &str) -> bool {
        self.flags.iter().any(|x| x == f)
    }
    /// The subject's most recent line (for subtitles).
    pub fn last_line(&self) -> Option<&str> {
        self.last_line.as_deref()
    }
    /// Flags set so far, in the order they were set.
    pub fn flags(&self) -> &[String] {
        &self.flags
    }
    /// Index of the current scene in the scenario's `scenes`.
    pub fn scene_index(&self) -> usize {
        self.scene
    }
    /// Seconds since the current scene was entered.
    pub fn seconds_in_scene(&self) -> f32 {
        (self.tick - self.scene_entered) as f32 * DT
    }
    /// Whether a weapon is drawn (as of the last tick).
    pub fn weapon_drawn(&self) -> bool {
        self.weapon
    }
    /// Whether the trainee is in cover (as of the last tick).
    pub fn in_cover(&self) -> bool {
        self.cover
    }
    /// Whether trigger `i` (of the current scene, or scenario-wide with `global`) would fire
    /// now if nothing before it did: its `when` (with this run's jitter) and `requires` hold.
    pub fn trigger_ready(&self, global: bool, i: usize) -> bool {
        let scene = &self.scenario.scenes[self.scene];
        let (trig, shift) = if global {
            (self.scenario.triggers.get(i), self.met.global_shift.get(i))
        } else {
            (
                scene.triggers.get(i),
                self.met.scene_shift[self.scene].get(i),
            )
        };
        match (trig, shift) {
            (Some(t), Some(&shift)) => {
                self.when_holds(&t.when, self.weapon, shift) && self.conditions_hold(&t.requires)
            }
            _ => false,
        }
    }
    pub fn partner_stepped_back(&self) -> bool {
        self.partner_back
    }
    /// The subject's body after the acts so far: where they stand, what they hold.
    pub fn staging(&self) -> &Staging {
        &self.staging
    }
    /// The acts so far, with the second each happened.
    pub fn acts(&self) -> &[TimedAct] {
        &self.acts
    }

    /// Body language for the 3D layer: the scene's hint unless agitation overrides it.
    pub fn body(&self) -> Body {
        let a = self.agitation;
        if a >= 80.0 {
            return if self.staging.held.is_weapon() {
                Body::Threatening
            } else {
                Body::Agitated
            };
        }
        if let Some(b) = self.scenario.scenes[self.scene].body {
            return b;
        }
        match a {
            a if a < 20.0 => Body::Calm,
            a if a < 40.0 => Body::Guarded,
            a if a < 60.0 => Body::Pacing,
            _ => Body::Agitated,
        }
    }

    pub(super) fn conditions_hold(&self, conds: &[Condition]) -> bool {
        conds.iter().all(|c| match c {
            Condition::Flag(f) => self.has_flag(f),
            Condition::NotFlag(f) => !self.has_flag(f),
            Condition::AgitationAbove(v) => self.agitation > *v,
            Condition::AgitationBelow(v) => self.agitation < *v,
            Condition::TrustAbove(v) => self.trust > *v,
            Condition::TrustBelow(v) => self.trust < *v,
            Condition::CloserThan(m) => self.distance < *m,
            Condition::FartherThan(m) => self.distance > *m,
            Condition::InCover => self.cover,
            Condition::NotInCover => !self.cover,
            Condition::InScene(id) => self.scenario.scenes[self.scene].id == *id,
            Condition::SecondsElapsed(s) => self.time() >= *s,
            Condition::SecondsInScene(s) => self.seconds_in_scene() >= *s,
            Condition::Temperament(t) => self.temperament() == Some(t.as_str()),
            Condition::Said(o) => self.has_said(o),
            Condition::NotSaid(o) => !self.has_said(o),
        })
    }

    /// Whether option `id` (in any scene) has been said this run.
    pub fn has_said(&self, id: &str) -> bool {
        let sc = &self.scenario.scenes;
        self.said
            .iter()
            .any(|&((s, o), _)| sc[s as usize].options[o as usize].id == id)
    }

    /// The temperament drawn (or pinned) for this run, by id.
    pub fn temperament(&self) -> Option<&str> {
        let v = self.scenario.variation.as_ref()?;
        self.met.temperament.map(|i| v.temperaments[i].id.as_str())
    }

    /// The subject as met this run (the scenario's subject with the drawn numbers).
    pub fn subject(&self) -> &Subject {
        &self.met.subject
    }

    /// Indices of the current scene's options that are offered right now.
    pub fn offered(&self) -> Vec<usize> {
        if self.ending.is_some() {
            return Vec::new();
        }
        let scene = &self.scenario.scenes[self.scene];
        self.order
            .iter()
            .copied()
            .filter(|&i| self.conditions_hold(&scene.options[i].requires))
            .collect()
    }

    /// The words option `index` of the current scene is shown (and said) with this visit.
    pub fn option_text(&self, index: usize) -> &str {
        let opt = &self.scenario.scenes[self.scene].options[index];
        match self.wording.get(index).copied().unwrap_or(0) {
            0 => &opt.text,
            k => opt
                .wordings
                .get(k - 1)
                .map_or(opt.text.as_str(), |w| w.as_str()),
        }
    }

    /// The options offered right now, in the order a menu shows them, with their wording.
    pub fn offers(&self) -> Vec<Offer<'_>> {
        let scene = &self.scenario.scenes[self.scene];
        self.offered()
            .into_iter()
            .map(|i| Offer {
                index: i,
                choice: &scene.options[i],
                text: self.option_text(i),
            })
            .collect()
    }

    /// The options offered right now, for menus.
    pub fn offered_choices(&self) -> Vec<&Choice> {
        let scene = &self.scenario.scenes[self.scene];
        self.offered()
            .into_iter()
            .map(|i| &scene.options[i])
            .collect()
    }
}
