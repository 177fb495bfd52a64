//! Indicators only an instructor inject can reveal: every option that recognises one needs
//! a flag that only an inject sets. A trainee whose instructor never injects cannot say
//! those lines, yet the verbal score charges for never acknowledging an indicator in a
//! scene that offered a line for it (`score::verbal_score`).

use crate::check::Validator;
use crate::format::scenario::{Condition, Scenario, When};
use crate::format::vocab::Indicator;
use std::collections::HashSet;

impl<'a> Validator<'a> {
    pub(super) fn inject_only_indicators(&mut self) {
        let s = self.s;
        let inject_only = inject_only_flags(s);
        if inject_only.is_empty() {
            return;
        }
        for (n, ind) in s.subject.indicators.iter().enumerate() {
            let Some(gates) = gates(s, *ind, &inject_only) else {
                continue;
            };
            let flags: Vec<String> = gates.iter().map(|f| format!("`{f}`")).collect();
            let span = self.at(&format!("subject.indicators[{n}]"));
            let d = self.warning(
                "inject-only-indicator",
                format!(
                    "only an instructor inject can reveal {}: every option that recognises it \
                     needs {} {}, which only an inject sets",
                    ind.label(),
                    if flags.len() == 1 { "flag" } else { "flags" },
                    flags.join(" or ")
                ),
                span,
            );
            d.label = Some("charged for if never acknowledged".into());
            d.help = Some(
                "the verbal score deducts up to 6 points for never acknowledging an indicator \
                 in a scene that offered a line for it, even when the inject was never fired: \
                 give the trainee a way to see it without the inject, or leave it out of \
                 `indicators`"
                    .into(),
            );
        }
    }
}

/// The inject-only flags that gate every option recognising `ind`, or `None` if no option
/// recognises it or one does without such a flag.
fn gates<'s>(s: &'s Scenario, ind: Indicator, inject_only: &HashSet<&str>) -> Option<Vec<&'s str>> {
    let mut gates: Vec<&str> = Vec::new();
    let recognising = s
        .scenes
        .iter()
        .flat_map(|sc| &sc.options)
        .filter(|o| o.recognises.contains(&ind));
    for o in recognising {
        let gate = o.requires.iter().find_map(|c| match c {
            Condition::Flag(f) if inject_only.contains(f.as_str()) => Some(f.as_str()),
            _ => None,
        })?;
        if !gates.contains(&gate) {
            gates.push(gate);
        }
    }
    (!gates.is_empty()).then_some(gates)
}

/// What sets a flag: the flags it sets, whether an inject fires it, the flags it needs.
type Setter<'s> = (&'s [String], bool, Vec<&'s str>);

fn flags_needed(cs: &[Condition]) -> Vec<&str> {
    cs.iter()
        .filter_map(|c| match c {
            Condition::Flag(f) => Some(f.as_str()),
            _ => None,
        })
        .collect()
}

/// Every option, trigger and seeded event that sets flags.
fn setters(s: &Scenario) -> Vec<Setter<'_>> {
    let mut out: Vec<Setter<'_>> = Vec::new();
    for o in s.scenes.iter().flat_map(|sc| &sc.options) {
        out.push((&o.sets, false, flags_needed(&o.requires)));
    }
    let triggers = s
        .scenes
        .iter()
        .flat_map(|sc| &sc.triggers)
        .chain(&s.triggers);
    for t in triggers {
        let mut need = flags_needed(&t.requires);
        if let When::Flag(f) = &t.when {
            need.push(f);
        }
        out.push((&t.sets, matches!(t.when, When::Injected(_)), need));
    }
    // Seeded events happen by chance: something other than an inject.
    out.extend(
        s.events
            .iter()
            .map(|e| (e.sets.as_slice(), false, Vec::new())),
    );
    out
}

/// Flags that only an instructor inject can set: every setter is a trigger an inject fires,
/// or needs such a flag itself (the largest such set, so a loop of flags that only set each
/// other counts too: nothing else ever starts it).
pub(super) fn inject_only_flags(s: &Scenario) -> HashSet<&str> {
    let setters = setters(s);
    let mut only: HashSet<&str> = setters
        .iter()
        .flat_map(|(sets, _, _)| sets.iter().map(String::as_str))
        .collect();
    loop {
        let before = only.len();
        for (sets, injected, need) in &setters {
            if !*injected && !need.iter().any(|f| only.contains(f)) {
                for f in sets.iter() {
                    only.remove(f.as_str());
                }
            }
        }
        if only.len() == before {
            return only;
        }
    }
}
