//! How the story moves: events pushed, flags changed, a destination resolved (a `OneOf`
//! branch chosen), a scene entered with its line and acts, the subject's body acting, and
//! an ending reached.

use super::events::{Event, EventKind, describe_next};
use super::input::InstructorAction;
use super::staging::TimedAct;
use super::state::{Sim, Target};
use super::{DT, SimError};
use crate::format::act::Act;
use crate::format::scenario::Next;
use crate::format::vocab::Outcome;
use rand::RngExt;
use std::sync::Arc;

/// How far a subject who flees walks off, unless the ending says otherwise (m).
const FLED_METRES: f32 = 8.0;

impl Sim {
    pub(super) fn push(&mut self, kind: EventKind) {
        self.events.push(Event {
            tick: self.tick,
            t: self.tick as f32 * DT,
            kind,
        });
    }

    /// A flag raised at tick `at` (at most now) and saved now: a `Flag` event stamped `at`.
    pub(super) fn push_flag_at(&mut self, at: u32, note: &str) {
        let tick = at.min(self.tick);
        self.events.push(Event {
            tick,
            t: tick as f32 * DT,
            kind: EventKind::Instructor {
                action: InstructorAction::Flag(note.to_string()),
            },
        });
    }

    /// Checks that every scene and ending `next` names exists (in every branch).
    pub(super) fn resolve_ids(&self, next: &Next) -> Result<(), SimError> {
        match next {
            Next::OneOf(bs) => bs.iter().try_for_each(|b| self.resolve_ids(&b.to)),
            other => self.resolve(other).map(|_| ()),
        }
    }

    pub(super) fn resolve(&self, next: &Next) -> Result<Target, SimError> {
        Ok(match next {
            Next::Stay => Target::Stay,
            Next::Scene(s) => Target::Scene(
                self.scenario
                    .scene_index(s)
                    .ok_or_else(|| SimError::UnknownScene(s.clone()))?,
            ),
            Next::Ending(e) => Target::Ending(
                self.scenario
                    .ending_index(e)
                    .ok_or_else(|| SimError::UnknownEnding(e.clone()))?,
            ),
            Next::OneOf(_) => Target::Choose,
        })
    }

    /// Resolves `next`, choosing a `OneOf` branch now (and saying which in a `Branched`
    /// event). `exclude` keeps a trigger from "moving" into the scene it fires in.
    pub(super) fn take(&mut self, next: &Next, exclude: Option<usize>) -> Result<Target, SimError> {
        let Next::OneOf(branches) = next else {
            return self.resolve(next);
        };
        let Some(b) = self.choose_branch(branches, exclude) else {
            return Ok(Target::Stay);
        };
        if matches!(b.to, Next::OneOf(_)) {
            return Ok(Target::Stay); // rejected by `check`
        }
        let target = self.resolve(&b.to)?;
        self.push(EventKind::Branched {
            target: describe_next(&b.to),
            why: b.why.clone(),
        });
        self.perform(b.act);
        Ok(target)
    }

    pub(super) fn enter_scene(&mut self, idx: usize) {
        self.scene = idx;
        self.scene_entered = self.tick;
        self.fired.clear();
        let scenario = Arc::clone(&self.scenario);
        let scene = &scenario.scenes[idx];
        self.push(EventKind::SceneEntered {
            scene: scene.id.clone(),
        });
        self.lay_out_options(idx);
        let lines = self.pick_lines(&scene.lines, &scene.variants);
        if !lines.is_empty() {
            let i = self.rng.random_range(0..lines.len());
            let text = lines[i].clone();
            self.say_subject(text);
        }
        // The scene's own act, then what its body language implies (unless it says `Still`).
        self.perform(scene.act);
        if scene.act != Some(Act::Still) {
            let implied = self.staging.implied_by(scene.body);
            self.perform(implied);
        }
    }

    /// The subject's body does `act` (if it changes anything): resolved against where the
    /// trainee stands now, kept in the staging and told in a `SubjectActed` event.
    pub(super) fn perform(&mut self, act: Option<Act>) {
        let Some(act) = act.filter(|a| self.staging.can(*a)) else {
            return;
        };
        let acted = self.staging.resolve(act, self.trainee_at, &self.scenario);
        self.staging.apply(&acted);
        self.acts.push(TimedAct {
            t: self.tick as f32 * DT,
            acted,
        });
        self.push(EventKind::SubjectActed {
            act,
            x: acted.x,
            z: acted.z,
        });
    }

    pub(super) fn say_subject(&mut self, text: String) {
        self.last_line = Some(text.clone());
        self.push(EventKind::SubjectLine {
            scene: self.scenario.scenes[self.scene].id.clone(),
            text,
        });
    }

    pub(super) fn finish(&mut self, idx: usize, timed_out: bool) {
        if self.ending.is_some() {
            return;
        }
        self.ending = Some(idx);
        self.timed_out = timed_out;
        let e = &self.scenario.endings[idx];
        let (id, outcome, title, line) = (e.id.clone(), e.outcome, e.title.clone(), e.line.clone());
        let act = e
            .act
            .or((outcome == Outcome::SubjectFled).then_some(Act::WalkAway(FLED_METRES)));
        if let Some(line) = line {
            self.say_subject(line);
        }
        self.perform(act);
        self.push(EventKind::EndingReached {
            ending: id,
            outcome,
            title,
            timed_out,
        });
    }

    pub(super) fn go(&mut self, target: Target) {
        match target {
            Target::Stay | Target::Choose => {}
            Target::Scene(i) => self.enter_scene(i),
            Target::Ending(i) => self.finish(i, false),
        }
    }

    /// Clears `clears`, then sets `sets` (so a flag in both ends up set).
    pub(super) fn change_flags(&mut self, clears: &[String], sets: &[String]) {
        if !clears.is_empty() {
            self.flags.retain(|f| !clears.contains(f));
        }
        for f in sets {
            if !self.has_flag(f) {
                self.flags.push(f.clone());
            }
        }
    }
}
