//! What the trainee and the instructor do besides saying a line: checking an action can be
//! taken before anything changes, a tactical pause, and the instructor's live controls
//! (force a scene or ending, nudge, inject, flag).

use super::events::EventKind;
use super::input::{Action, InstructorAction};
use super::state::Sim;
use super::{SimError, clamp100};
use crate::format::scenario::Next;
use crate::format::variation::Voice;
use std::sync::Arc;

impl Sim {
    /// Whether `action` can be taken now (same checks as taking it, without effects).
    pub fn validate(&self, action: &Action) -> Result<(), SimError> {
        match action {
            Action::Say { option, .. } => {
                let scene = &self.scenario.scenes[self.scene];
                let offered = self.offered();
                if offered.iter().any(|&i| scene.options[i].id == *option) {
                    Ok(())
                } else {
                    Err(self.not_offered(option))
                }
            }
            Action::Pause => Ok(()),
            Action::Instructor(InstructorAction::ForceScene(s)) => {
                self.resolve(&Next::Scene(s.clone())).map(|_| ())
            }
            Action::Instructor(InstructorAction::ForceEnding(e)) => {
                self.resolve(&Next::Ending(e.clone())).map(|_| ())
            }
            Action::Instructor(InstructorAction::Inject(id)) => {
                if self.scenario.injects.iter().any(|i| &i.id == id) {
                    Ok(())
                } else {
                    Err(SimError::UnknownInject(id.clone()))
                }
            }
            Action::Instructor(
                InstructorAction::Nudge(_)
                | InstructorAction::NudgeTrust(_)
                | InstructorAction::Flag(_)
                | InstructorAction::FlagAt { .. },
            ) => Ok(()),
        }
    }

    pub(super) fn act(&mut self, action: &Action) -> Result<(), SimError> {
        match action {
            Action::Say { option, tone } => self.say(option, *tone),
            Action::Pause => {
                self.pause();
                Ok(())
            }
            Action::Instructor(ia) => self.instruct(ia),
        }
    }

    /// A deliberate pause works like half a calm word without the words, and only when the
    /// trainee is not crowding the subject.
    fn pause(&mut self) {
        let before = self.agitation;
        let calm = self.met.subject.tones.calm.agitation;
        let v = if self.in_ps { 0.0 } else { 0.5 * calm.min(0.0) };
        self.agitation = clamp100(self.agitation + v);
        self.causes.pauses += self.agitation - before;
        self.last_spoke = self.tick;
        self.push(EventKind::TacticalPause {
            agitation_before: before,
            agitation_after: self.agitation,
        });
    }

    pub(super) fn instruct(&mut self, ia: &InstructorAction) -> Result<(), SimError> {
        // Validate before recording so a bad action changes nothing.
        let target = match ia {
            InstructorAction::ForceScene(s) => Some(self.resolve(&Next::Scene(s.clone()))?),
            InstructorAction::ForceEnding(e) => Some(self.resolve(&Next::Ending(e.clone()))?),
            InstructorAction::Inject(id) => {
                if !self.scenario.injects.iter().any(|i| &i.id == id) {
                    return Err(SimError::UnknownInject(id.clone()));
                }
                None
            }
            InstructorAction::FlagAt { at, note } => {
                self.push_flag_at(*at, note);
                return Ok(());
            }
            _ => None,
        };
        self.push(EventKind::Instructor { action: ia.clone() });
        match ia {
            InstructorAction::Nudge(v) => {
                let before = self.agitation;
                self.agitation = clamp100(self.agitation + v);
                self.causes.instructor += self.agitation - before;
            }
            InstructorAction::Inject(id) => self.inject(id),
            InstructorAction::NudgeTrust(v) => self.trust = clamp100(self.trust + v),
            InstructorAction::Flag(_) | InstructorAction::FlagAt { .. } => {}
            InstructorAction::ForceScene(_) | InstructorAction::ForceEnding(_) => {
                if let Some(t) = target {
                    self.go(t);
                }
            }
        }
        Ok(())
    }

    /// The instructor's inject `id` (known to exist): its line, numbers, and a mark that
    /// `Injected` triggers can see for the next second.
    fn inject(&mut self, id: &str) {
        let scenario = Arc::clone(&self.scenario);
        let Some(inj) = scenario.injects.iter().find(|i| i.id == id) else {
            return;
        };
        self.push(EventKind::Injected {
            id: inj.id.clone(),
            line: inj.line.clone(),
            by: inj.by,
        });
        if inj.by == Some(Voice::Subject) {
            self.say_subject(inj.line.clone());
        }
        let before = self.agitation;
        self.agitation = clamp100(self.agitation + inj.agitation);
        self.causes.instructor += self.agitation - before;
        self.trust = clamp100(self.trust + inj.trust);
        self.injected.retain(|(x, _)| x != id);
        self.injected.push((id.to_string(), self.tick));
    }
}
