//! Triggers: whether a trigger's `when` holds now (with this run's jitter), the first of
//! the scene's then the scenario-wide triggers that fires this tick, and what firing it
//! does (its event, numbers, flags, line, act and destination). At most one per tick.

use super::events::{EventKind, describe_next, describe_when};
use super::state::{Sim, Target};
use super::{DT, SimError, clamp100};
use crate::format::scenario::{Next, When};
use crate::format::variation::Voice;
use std::sync::Arc;

impl Sim {
    /// Whether a `OneOf` trigger has somewhere to go other than the scene it fires in.
    pub(super) fn can_branch(&self, next: &Next) -> bool {
        let Next::OneOf(bs) = next else { return true };
        let here = &self.scenario.scenes[self.scene].id;
        bs.iter().any(|b| {
            !matches!(&b.to, Next::Scene(id) if id == here) && self.conditions_hold(&b.when)
        })
    }

    /// `shift` is this run's jitter of the trigger's threshold or time.
    pub(super) fn when_holds(&self, w: &When, weapon: bool, shift: f32) -> bool {
        let scene_secs = (self.tick - self.scene_entered) as f32 * DT;
        match w {
            When::AgitationAbove(v) => self.agitation > *v + shift,
            When::AgitationBelow(v) => self.agitation < *v + shift,
            When::TrustAbove(v) => self.trust > *v + shift,
            When::TrustBelow(v) => self.trust < *v + shift,
            When::CloserThan(m) => self.distance < *m + shift,
            When::FartherThan(m) => self.distance > *m + shift,
            When::ApproachFasterThan(v) => self.closing > *v + shift,
            When::WeaponDrawn => weapon,
            When::InCover => self.cover,
            When::SecondsInScene(s) => scene_secs >= *s + shift,
            When::SilenceFor(s) => {
                let since = self.last_spoke.max(self.scene_entered);
                (self.tick - since) as f32 * DT >= *s + shift
            }
            When::SecondsElapsed(s) => self.tick as f32 * DT >= *s + shift,
            When::Injected(id) => self.injected.iter().any(|(x, _)| x == id),
            When::Flag(f) => self.has_flag(f),
        }
    }

    /// Fires the first trigger that holds now, if any. One trigger per tick keeps the story
    /// readable and the order well defined.
    pub(super) fn run_triggers(&mut self, weapon: bool) -> Result<(), SimError> {
        match self.first_trigger(weapon)? {
            Some((global, i, target)) => self.fire(global, i, target),
            None => Ok(()),
        }
    }

    /// The first trigger that would fire: (global?, index, destination). Shared borrows
    /// only (the hot path). An unknown destination is an error.
    fn first_trigger(&self, weapon: bool) -> Result<Option<(bool, usize, Target)>, SimError> {
        let sc = &*self.scenario;
        let scene = &sc.scenes[self.scene];
        for (global, list) in [(false, &scene.triggers), (true, &sc.triggers)] {
            for (i, trig) in list.iter().enumerate() {
                let shift = if global {
                    self.met.global_shift[i]
                } else {
                    self.met.scene_shift[self.scene][i]
                };
                if self.fired.contains(&(global, i))
                    || !self.when_holds(&trig.when, weapon, shift)
                    || !self.conditions_hold(&trig.requires)
                {
                    continue;
                }
                let target = if global {
                    self.global_targets[i]
                } else {
                    self.scene_targets[self.scene][i]
                };
                let Some(target) = target else {
                    return Err(self.resolve(&trig.goto).err().unwrap_or(SimError::NoScenes));
                };
                // A trigger never "moves" to the scene it is already in: a scenario-wide
                // `CloserThan(4) → edge` does not re-enter `edge` every tick.
                if target == Target::Scene(self.scene) {
                    continue;
                }
                if target == Target::Choose && !self.can_branch(&trig.goto) {
                    continue;
                }
                return Ok(Some((global, i, target)));
            }
        }
        Ok(None)
    }

    /// Fires trigger `i` (scenario-wide with `global`): its event, numbers, flags, line
    /// and act, then where it leads.
    fn fire(&mut self, global: bool, i: usize, target: Target) -> Result<(), SimError> {
        let scenario = Arc::clone(&self.scenario);
        let scene = &scenario.scenes[self.scene];
        let trig = if global {
            &scenario.triggers[i]
        } else {
            &scene.triggers[i]
        };
        self.fired.push((global, i));
        if let When::Injected(id) = &trig.when {
            self.injected.retain(|(x, _)| x != id);
        }
        self.push(EventKind::TriggerFired {
            scene: (!global).then(|| scene.id.clone()),
            condition: describe_when(&trig.when),
            why: trig.why.clone(),
            target: describe_next(&trig.goto),
            line: trig.line.clone(),
            by: trig.by,
        });
        if trig.agitation != 0.0 || trig.trust != 0.0 {
            self.agitation = clamp100(self.agitation + trig.agitation);
            self.causes.triggers += trig.agitation;
            self.trust = clamp100(self.trust + trig.trust);
        }
        self.change_flags(&trig.clears, &trig.sets);
        if let Some(line) = &trig.line
            && trig.by == Voice::Subject
        {
            self.say_subject(line.clone());
        }
        self.perform(trig.act);
        let target = match target {
            Target::Choose => self.take(&trig.goto, Some(self.scene))?,
            t => t,
        };
        self.go(target);
        Ok(())
    }
}
