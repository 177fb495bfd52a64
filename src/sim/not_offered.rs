//! Why an option a script (or a record) says is not on offer: which of its conditions fail
//! now, with the values they test, or which scenes have it, and near-miss ids for a typo.

use super::{Sim, SimError};
use crate::format::scenario::Condition;
use crate::format::words::closest;

impl Sim {
    /// The error for saying `option` when it is not offered now, saying why.
    pub(super) fn not_offered(&self, option: &str) -> SimError {
        let scene = &self.scenario.scenes[self.scene];
        let offered: Vec<String> = self
            .offered()
            .iter()
            .map(|&i| scene.options[i].id.clone())
            .collect();
        let why = if self.ending.is_some() {
            vec!["the run has already ended".to_string()]
        } else if let Some(o) = scene.options.iter().find(|o| o.id == option) {
            let failing: Vec<String> = o
                .requires
                .iter()
                .filter(|c| !self.conditions_hold(std::slice::from_ref(*c)))
                .map(|c| self.unmet(c))
                .collect();
            if failing.is_empty() {
                Vec::new()
            } else {
                vec![format!("it needs {}", failing.join(" and "))]
            }
        } else {
            self.not_here(option, &offered)
        };
        SimError::OptionNotOffered {
            option: option.to_string(),
            scene: scene.id.clone(),
            offered,
            why,
        }
    }

    /// For an option the current scene does not have: the scenes that do, or that none
    /// does; and a near-miss id (among those offered, then this scene's, then any scene's).
    fn not_here(&self, option: &str, offered: &[String]) -> Vec<String> {
        let scenes = &self.scenario.scenes;
        let here = &scenes[self.scene];
        let elsewhere: Vec<String> = scenes
            .iter()
            .filter(|s| s.options.iter().any(|o| o.id == option))
            .map(|s| format!("`{}`", s.id))
            .collect();
        let mut why = vec![match elsewhere.len() {
            0 => format!("no scene has an option `{option}`"),
            1 => format!(
                "it is offered in scene {}, not in `{}`",
                elsewhere[0], here.id
            ),
            _ => format!(
                "it is offered in scenes {}, not in `{}`",
                elsewhere.join(", "),
                here.id
            ),
        }];
        let everywhere = scenes
            .iter()
            .flat_map(|s| s.options.iter().map(|o| o.id.as_str()));
        let best = closest(option, offered.iter().map(String::as_str))
            .or_else(|| closest(option, here.options.iter().map(|o| o.id.as_str())))
            .or_else(|| {
                elsewhere
                    .is_empty()
                    .then(|| closest(option, everywhere))
                    .flatten()
            });
        why.extend(best.map(|b| format!("did you mean `{b}`?")));
        why
    }

    /// A condition that does not hold now, in words, with what it tests as it is now:
    /// "trust above 55 (now 32)", "flag `heard_out` (not set)".
    fn unmet(&self, c: &Condition) -> String {
        let here = &self.scenario.scenes[self.scene].id;
        match c {
            Condition::Flag(f) => format!("flag `{f}` (not set)"),
            Condition::NotFlag(f) => format!("flag `{f}` not set (it is set)"),
            Condition::AgitationAbove(v) => {
                format!("agitation above {v} (now {:.0})", self.agitation)
            }
            Condition::AgitationBelow(v) => {
                format!("agitation below {v} (now {:.0})", self.agitation)
            }
            Condition::TrustAbove(v) => format!("trust above {v} (now {:.0})", self.trust),
            Condition::TrustBelow(v) => format!("trust below {v} (now {:.0})", self.trust),
            Condition::CloserThan(m) => {
                format!("the trainee closer than {m} m (now {:.1} m)", self.distance)
            }
            Condition::FartherThan(m) => format!(
                "the trainee farther than {m} m (now {:.1} m)",
                self.distance
            ),
            Condition::InCover => "the trainee in cover (not in cover)".to_string(),
            Condition::NotInCover => "the trainee out of cover (in cover)".to_string(),
            Condition::InScene(id) => format!("scene `{id}` (the story is in `{here}`)"),
            Condition::SecondsElapsed(s) => {
                format!("{s} s since the start (now {:.1} s)", self.time())
            }
            Condition::SecondsInScene(s) => {
                format!("{s} s in this scene (now {:.1} s)", self.seconds_in_scene())
            }
            Condition::Temperament(t) => match self.temperament() {
                Some(now) => format!("the temperament `{t}` (this run's is `{now}`)"),
                None => format!("the temperament `{t}` (this subject does not vary)"),
            },
            Condition::Said(o) => format!("option `{o}` said first (not yet)"),
            Condition::NotSaid(o) => format!("option `{o}` not said yet (it was)"),
        }
    }
}
