//! Saying why: for an ending no route reaches, which scene, option, condition, threshold or
//! trigger stands in the way; and which scenes, options and triggers the search never saw used.

use super::search::Seen;
use crate::format::scenario::{Condition, Next, Scenario, When};
use crate::sim::describe_when;

/// Every place that leads to `target` (an ending or scene id): where it is, and what leads.
enum Lead {
    Option { scene: usize, option: usize },
    Trigger { scene: Option<usize>, index: usize },
    Start,
}

fn leads_to(next: &Next, kind: &str, id: &str) -> bool {
    match next {
        Next::Scene(s) => kind == "scene" && s == id,
        Next::Ending(e) => kind == "ending" && e == id,
        Next::OneOf(bs) => bs.iter().any(|b| leads_to(&b.to, kind, id)),
        Next::Stay => false,
    }
}

fn leads(sc: &Scenario, kind: &str, id: &str) -> Vec<Lead> {
    let mut out = Vec::new();
    if kind == "scene" && sc.start_scene == id {
        out.push(Lead::Start);
    }
    for (i, s) in sc.scenes.iter().enumerate() {
        for (j, o) in s.options.iter().enumerate() {
            let via_tone = o.tone_branches.iter().any(|b| leads_to(&b.next, kind, id));
            if leads_to(&o.next, kind, id) || via_tone {
                out.push(Lead::Option {
                    scene: i,
                    option: j,
                });
            }
        }
        for (k, t) in s.triggers.iter().enumerate() {
            if leads_to(&t.goto, kind, id) {
                out.push(Lead::Trigger {
                    scene: Some(i),
                    index: k,
                });
            }
        }
    }
    for (k, t) in sc.triggers.iter().enumerate() {
        if leads_to(&t.goto, kind, id) {
            out.push(Lead::Trigger {
                scene: None,
                index: k,
            });
        }
    }
    out
}

fn range_words(seen: &Seen, scene: usize, what: usize) -> String {
    match seen.ranges.get(&scene) {
        Some(r) if r[what].0 <= r[what].1 => {
            let name = ["agitation", "trust", "distance"][what];
            format!("{name} there ranged {:.0}–{:.0}", r[what].0, r[what].1)
        }
        _ => String::new(),
    }
}

/// Why a condition never held in `scene`, in the format's words.
/// What sets flag `f`, in words.
fn setters(sc: &Scenario, f: &str) -> String {
    let mut by: Vec<String> = Vec::new();
    for s in &sc.scenes {
        for o in s.options.iter().filter(|o| o.sets.iter().any(|x| x == f)) {
            by.push(format!("option `{}` in `{}`", o.id, s.id));
        }
        if s.triggers.iter().any(|t| t.sets.iter().any(|x| x == f)) {
            by.push(format!("a trigger in `{}`", s.id));
        }
    }
    if sc.triggers.iter().any(|t| t.sets.iter().any(|x| x == f)) {
        by.push("a scenario-wide trigger".into());
    }
    for e in sc.events.iter().filter(|e| e.sets.iter().any(|x| x == f)) {
        by.push(format!(
            "seeded event `{}`, which happens by chance ({:.0} %) — not with this seed",
            e.id,
            100.0 * e.chance
        ));
    }
    if by.is_empty() {
        "nothing sets it".into()
    } else {
        format!("set by {}", by.join(", or "))
    }
}

fn condition_words(sc: &Scenario, seen: &Seen, scene: usize, c: &Condition) -> String {
    let r = |k| range_words(seen, scene, k);
    match c {
        Condition::AgitationAbove(v) | Condition::AgitationBelow(v) => {
            format!("agitation {v} ({})", r(0))
        }
        Condition::TrustAbove(v) | Condition::TrustBelow(v) => format!("trust {v} ({})", r(1)),
        Condition::CloserThan(v) | Condition::FartherThan(v) => {
            format!("distance {v} m ({})", r(2))
        }
        Condition::Flag(f) if !seen.flags.contains(f) => {
            format!("flag `{f}`, which was never set ({})", setters(sc, f))
        }
        Condition::Temperament(t) => format!("the temperament `{t}`"),
        other => format!("{other:?}"),
    }
    .replace(" ()", "")
}

/// Why `(scene, option)` is never offered: each of its conditions, with what was seen.
pub(super) fn why_not_offered(sc: &Scenario, seen: &Seen, scene: usize, option: usize) -> String {
    let o = &sc.scenes[scene].options[option];
    let conds: Vec<String> = o
        .requires
        .iter()
        .map(|c| condition_words(sc, seen, scene, c))
        .collect();
    if conds.is_empty() {
        let branch: Vec<String> = match &o.next {
            Next::OneOf(bs) => bs
                .iter()
                .filter(|b| !b.when.is_empty())
                .map(|b| {
                    let w: Vec<String> = b
                        .when
                        .iter()
                        .map(|c| condition_words(sc, seen, scene, c))
                        .collect();
                    format!(
                        "{} only with {}",
                        crate::sim::describe_next(&b.to),
                        w.join(" and ")
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        if branch.is_empty() {
            format!(
                "option `{}` was offered but never led here in the states explored",
                o.id
            )
        } else {
            format!("option `{}` leads to {}", o.id, branch.join("; "))
        }
    } else {
        format!("option `{}` needs {}", o.id, conds.join(" and "))
    }
}

/// Why a trigger never fires (or always loses to another).
pub(super) fn why_not_fired(
    sc: &Scenario,
    seen: &Seen,
    scene: Option<usize>,
    index: usize,
) -> String {
    let t = match scene {
        Some(i) => &sc.scenes[i].triggers[index],
        None => &sc.triggers[index],
    };
    let cond = describe_when(&t.when);
    if seen.ready.contains(&(scene, index)) {
        return format!(
            "the trigger “{cond}” held but another trigger listed before it always fired first"
        );
    }
    let reqs: Vec<String> = t
        .requires
        .iter()
        .map(|c| condition_words(sc, seen, scene.unwrap_or(usize::MAX), c))
        .collect();
    let reqs = if reqs.is_empty() {
        String::new()
    } else {
        format!(", with {}", reqs.join(" and "))
    };
    if let When::Injected(id) = &t.when {
        return format!("“{cond}”: only an instructor inject of `{id}` fires it");
    }
    let Some(s) = scene else {
        return format!(
            "the scenario-wide trigger “{cond}”{reqs} never held in any state explored"
        );
    };
    let range = match &t.when {
        When::AgitationAbove(_) | When::AgitationBelow(_) => range_words(seen, s, 0),
        When::TrustAbove(_) | When::TrustBelow(_) => range_words(seen, s, 1),
        When::CloserThan(_) | When::FartherThan(_) => range_words(seen, s, 2),
        _ => String::new(),
    };
    let tail = if range.is_empty() {
        String::new()
    } else {
        format!(" ({range})")
    };
    format!(
        "the trigger “{cond}”{reqs} in `{}` never held{tail}",
        sc.scenes[s].id
    )
}

/// Why nothing reaches `id` (an ending or a scene).
pub(super) fn why_unreached(sc: &Scenario, seen: &Seen, kind: &str, id: &str) -> Vec<String> {
    let ls = leads(sc, kind, id);
    if kind == "ending" && sc.timeout_ending == id {
        let mut why = vec![format!(
            "`{id}` is the timeout ending: it is reached only when the time limit ({} min) runs out, and every run explored ended sooner",
            sc.time_limit_minutes
        )];
        why.extend(ls.iter().filter_map(|l| lead_words(sc, seen, l)));
        return why;
    }
    if ls.is_empty() {
        return vec![format!(
            "no option, tone branch or trigger leads to {kind} `{id}`"
        )];
    }
    ls.iter().filter_map(|l| lead_words(sc, seen, l)).collect()
}

/// Why one lead never got there.
fn lead_words(sc: &Scenario, seen: &Seen, l: &Lead) -> Option<String> {
    match *l {
        Lead::Start => None,
        Lead::Option { scene, option } => Some(if !seen.ranges.contains_key(&scene) {
            format!(
                "scene `{}` (where option `{}` leads here) is never reached",
                sc.scenes[scene].id, sc.scenes[scene].options[option].id
            )
        } else {
            format!(
                "in `{}`: {}",
                sc.scenes[scene].id,
                why_not_offered(sc, seen, scene, option)
            )
        }),
        Lead::Trigger { scene: Some(s), .. } if !seen.ranges.contains_key(&s) => Some(format!(
            "scene `{}` (whose trigger leads here) is never reached",
            sc.scenes[s].id
        )),
        Lead::Trigger { scene, index } => Some(why_not_fired(sc, seen, scene, index)),
    }
}
