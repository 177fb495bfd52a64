//! The rule about flags: a flag tested (`Flag`, `NotFlag`, `When::Flag`) that no option,
//! trigger or seeded event ever sets (`unset-flag`, with the closest flag that is set).
//! Flags in `clears` are checked in `calls`.

use super::validator::{Validator, trigger_path};
use crate::format::scenario::{Condition, Scenario, Trigger, When};
use crate::format::words::closest;
use std::collections::HashSet;

/// Where a flag is tested (a path in the scenario) and the flag.
type Tested<'a> = Vec<(String, &'a str)>;

impl Validator<'_> {
    /// Flags tested (`Flag`, `NotFlag`, `When::Flag`) but never set by any option or trigger.
    pub(super) fn check_flags(&mut self) {
        let set = set_flags(self.s);
        for (path, flag) in tested_flags(self.s) {
            if !set.contains(flag) {
                self.unset_flag(&path, flag, &set);
            }
        }
    }

    fn unset_flag(&mut self, path: &str, flag: &str, set: &HashSet<&str>) {
        let span = self.payload(path);
        let suggestion = closest(flag, set.iter().copied());
        let d = self.warning(
            "unset-flag",
            format!("flag `{flag}` is tested but no option or trigger ever sets it"),
            span,
        );
        d.label = Some("never set".into());
        d.help = Some(match suggestion {
            Some(best) => format!("did you mean `{best}`?"),
            None => {
                format!("add `sets: [\"{flag}\"]` to the option or trigger that should set it")
            }
        });
    }
}

/// Every flag an option, a trigger (a scene's or scenario-wide) or a seeded event sets.
fn set_flags(s: &Scenario) -> HashSet<&str> {
    let mut set: HashSet<&str> = HashSet::new();
    for scene in &s.scenes {
        for o in &scene.options {
            set.extend(o.sets.iter().map(String::as_str));
            set.extend(
                o.tone_branches
                    .iter()
                    .flat_map(|b| b.sets.iter().map(String::as_str)),
            );
        }
        for t in &scene.triggers {
            set.extend(t.sets.iter().map(String::as_str));
        }
    }
    for t in &s.triggers {
        set.extend(t.sets.iter().map(String::as_str));
    }
    for e in &s.events {
        set.extend(e.sets.iter().map(String::as_str));
    }
    set
}

/// Every flag tested, in source order: options' conditions and triggers' `when` and
/// conditions, scene by scene, then the scenario-wide triggers.
fn tested_flags(s: &Scenario) -> Tested<'_> {
    let mut used = Tested::new();
    for (i, scene) in s.scenes.iter().enumerate() {
        for (j, o) in scene.options.iter().enumerate() {
            conditions(format!("scenes[{i}].options[{j}]"), &o.requires, &mut used);
        }
        triggers(Some(i), &scene.triggers, &mut used);
    }
    triggers(None, &s.triggers, &mut used);
    used
}

fn conditions<'a>(path: String, reqs: &'a [Condition], used: &mut Tested<'a>) {
    for (r, c) in reqs.iter().enumerate() {
        if let Condition::Flag(f) | Condition::NotFlag(f) = c {
            used.push((format!("{path}.requires[{r}]"), f));
        }
    }
}

fn triggers<'a>(scene: Option<usize>, ts: &'a [Trigger], used: &mut Tested<'a>) {
    for (k, t) in ts.iter().enumerate() {
        let tp = trigger_path(scene, k);
        if let When::Flag(f) = &t.when {
            used.push((format!("{tp}.when"), f));
        }
        conditions(tp, &t.requires, used);
    }
}
