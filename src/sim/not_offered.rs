//! Why an option a script (or a record) says is not on offer: which of its conditions fail
//! now, with the values they test, or which scenes have it, and near-miss ids for a typo.

use super::{Sim, SimError};
use crate::scenario::Condition;

impl Sim {
    /// The error for saying `option` when it is not offered now, saying why.
    pub(super) fn not_offered(&self, option: &str) -> SimError {
        let scene = &self.scenario.scenes[self.scene];
        let offered: Vec<String> = self
            .offered()
            .iter()
            .map(|&i| scene.options[i].id.clone())
            .collect();
        let mut why = Vec::new();
        if self.ending.is_some() {
            why.push("the run has already ended".to_string());
        } else if let Some(o) = scene.options.iter().find(|o| o.id == option) {
            let failing: Vec<String> = o
                .requires
                .iter()
                .filter(|c| !self.conditions_hold(std::slice::from_ref(*c)))
                .map(|c| self.unmet(c))
                .collect();
            if !failing.is_empty() {
                why.push(format!("it needs {}", failing.join(" and ")));
            }
        } else {
            let elsewhere: Vec<String> = self
                .scenario
                .scenes
                .iter()
                .filter(|s| s.options.iter().any(|o| o.id == option))
                .map(|s| format!("`{}`", s.id))
                .collect();
            if elsewhere.is_empty() {
                why.push(format!("no scene has an option `{option}`"));
            } else {
                let (one, many) = ("scene", "scenes");
                why.push(format!(
                    "it is offered in {} {}, not in `{}`",
                    if elsewhere.len() == 1 { one } else { many },
                    elsewhere.join(", "),
                    scene.id
                ));
            }
            let here = scene.options.iter().map(|o| o.id.as_str());
            let everywhere = self
                .scenario
                .scenes
                .iter()
                .flat_map(|s| s.options.iter().map(|o| o.id.as_str()));
            let best = crate::check::words::closest(option, offered.iter().map(String::as_str))
                .or_else(|| crate::check::words::closest(option, here))
                .or_else(|| {
                    elsewhere
                        .is_empty()
                        .then(|| crate::check::words::closest(option, everywhere))
                        .flatten()
                });
            why.extend(best.map(|b| format!("did you mean `{b}`?")));
        }
        SimError::OptionNotOffered {
            option: option.to_string(),
            scene: scene.id.clone(),
            offered,
            why,
        }
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
