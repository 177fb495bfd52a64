//! Rules about conditions and triggers: each condition's threshold in range, a trigger's
//! `when` (thresholds, a known inject), a scene trigger that targets its own scene, and what
//! a trigger does (where it goes, its line, its effects).

use super::validator::{Validator, trigger_path};
use crate::format::scenario::{Condition, Next, Trigger, When};
use crate::format::words::closest;

impl Validator<'_> {
    pub(super) fn check_condition(&mut self, path: &str, cond: &Condition) {
        match cond {
            Condition::AgitationAbove(v) | Condition::AgitationBelow(v) => {
                self.in_range(path, "agitation threshold", *v, 0.0, 100.0)
            }
            Condition::TrustAbove(v) | Condition::TrustBelow(v) => {
                self.in_range(path, "trust threshold", *v, 0.0, 100.0)
            }
            Condition::CloserThan(v) | Condition::FartherThan(v) => {
                self.non_negative(path, "distance", *v)
            }
            Condition::SecondsElapsed(v) | Condition::SecondsInScene(v) => {
                self.non_negative(path, "time in seconds", *v)
            }
            Condition::InScene(id) => self.check_in_scene(path, id),
            // Flags are checked in `check_flags`, cover in `check_calls`.
            Condition::Flag(_)
            | Condition::NotFlag(_)
            | Condition::InCover
            | Condition::NotInCover => {}
            Condition::Temperament(_) | Condition::Said(_) | Condition::NotSaid(_) => {
                self.check_named_condition(path, cond)
            }
        }
    }

    /// A trigger of scene `scene` (`None`: a scenario-wide one), number `k` in its list.
    pub(super) fn check_trigger(&mut self, scene: Option<usize>, k: usize, t: &Trigger) {
        let tp = trigger_path(scene, k);
        self.self_target(scene, &tp, t);
        self.check_when(&format!("{tp}.when"), &t.when);
        for (r, cond) in t.requires.iter().enumerate() {
            self.check_condition(&format!("{tp}.requires[{r}]"), cond);
        }
        self.check_next(&format!("{tp}.goto"), &t.goto);
        if let Some(line) = &t.line {
            self.non_empty(&format!("{tp}.line"), "trigger line", line);
        }
        self.delta(&format!("{tp}.agitation"), "trigger agitation", t.agitation);
        self.delta(&format!("{tp}.trust"), "trigger trust", t.trust);
    }

    /// `self-target`: a scene trigger that goes to its own scene never fires.
    fn self_target(&mut self, scene: Option<usize>, tp: &str, t: &Trigger) {
        let (Some(i), Next::Scene(target)) = (scene, &t.goto) else {
            return;
        };
        if *target != self.s.scenes[i].id {
            return;
        }
        let span = self.payload(&format!("{tp}.goto"));
        let d = self.warning(
            "self-target",
            format!("this trigger goes to `{target}`, the scene it is in, so it never fires"),
            span,
        );
        d.label = Some("its own scene".into());
        d.help = Some("a trigger never moves to the scene it is already in; use `Stay` for effects without a move".into());
    }

    /// A trigger's `when` (at `wp`): thresholds in range, an inject that exists.
    fn check_when(&mut self, wp: &str, when: &When) {
        match when {
            When::AgitationAbove(v) | When::AgitationBelow(v) => {
                self.in_range(wp, "agitation threshold", *v, 0.0, 100.0)
            }
            When::TrustAbove(v) | When::TrustBelow(v) => {
                self.in_range(wp, "trust threshold", *v, 0.0, 100.0)
            }
            When::CloserThan(v) | When::FartherThan(v) => self.non_negative(wp, "distance", *v),
            When::ApproachFasterThan(v) => self.non_negative(wp, "approach speed", *v),
            When::SecondsInScene(v) | When::SilenceFor(v) | When::SecondsElapsed(v) => {
                self.non_negative(wp, "time in seconds", *v)
            }
            When::Injected(id) => self.known_inject(wp, id),
            When::WeaponDrawn | When::InCover | When::Flag(_) => {}
        }
    }

    /// `unknown-inject`: `Injected(..)` names no inject.
    fn known_inject(&mut self, wp: &str, id: &str) {
        if self.inject_ids.contains(id) {
            return;
        }
        let span = self.payload(wp);
        let suggestion = closest(id, self.inject_ids.iter().copied());
        let d = self.error(
            "unknown-inject",
            format!("no inject has the id `{id}`"),
            span,
        );
        d.label = Some("unknown inject".into());
        d.help = Some(match suggestion {
            Some(best) => format!("did you mean `{best}`?"),
            None => "define it under `injects: [...]`".into(),
        });
    }
}
