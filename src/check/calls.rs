//! Checks of the vocabulary for real calls: `InScene` names a scene (and can hold where it
//! is written), cover conditions have cover to use, a prop the subject sits in is not
//! counted as cover, and every flag in `clears` is set somewhere.

use super::validator::{Validator, trigger_path};
use crate::format::scenario::{Condition, Next, Trigger, When};
use crate::format::words::closest;
use std::collections::HashSet;

/// A condition, where it is written, and the scene it is only ever checked in (`None`: it
/// is checked in whatever scene the story is in: scenario-wide triggers, seeded events).
struct Written<'a> {
    path: String,
    cond: &'a Condition,
    scene: Option<usize>,
}

impl<'a> Validator<'a> {
    /// Runs the checks of this module (after `check_scenes`, which checks each condition).
    pub(super) fn check_calls(&mut self) {
        let written = self.written_conditions();
        for w in &written {
            self.in_scene_holds_here(w);
        }
        self.cover_to_use(&written);
        self.cover_around_subject();
        self.cleared_flags();
    }

    /// `InScene("id")` must name a scene (an ending is never a place the story is in).
    pub(super) fn check_in_scene(&mut self, path: &str, id: &str) {
        if self.scene_ids.contains_key(id) {
            return;
        }
        let span = self.payload(path);
        let help = match closest(id, self.scene_ids.keys().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if self.ending_ids.contains_key(id) => format!(
                "`{id}` is an ending: the run is over once it is reached, so the story is never in it"
            ),
            None => {
                let mut known: Vec<&str> = self.scene_ids.keys().copied().collect();
                known.sort_unstable();
                let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                format!("known scenes: {}", known.join(", "))
            }
        };
        let d = self.error(
            "unknown-scene",
            format!("`InScene` names no scene: `{id}`"),
            span,
        );
        d.label = Some("no scene has this id".into());
        d.help = Some(help);
    }

    /// Every condition in the file, with the scene it is bound to.
    fn written_conditions(&self) -> Vec<Written<'a>> {
        let s = self.s;
        let mut out = Vec::new();
        for (i, sc) in s.scenes.iter().enumerate() {
            let sp = format!("scenes[{i}]");
            for (k, v) in sc.variants.iter().enumerate() {
                push(
                    &mut out,
                    format!("{sp}.variants[{k}].when"),
                    &v.when,
                    Some(i),
                );
            }
            for (j, o) in sc.options.iter().enumerate() {
                let op = format!("{sp}.options[{j}]");
                push(&mut out, format!("{op}.requires"), &o.requires, Some(i));
                for (k, v) in o.reply_variants.iter().enumerate() {
                    let path = format!("{op}.reply_variants[{k}].when");
                    push(&mut out, path, &v.when, Some(i));
                }
                let nexts = std::iter::once((format!("{op}.next"), &o.next));
                let tones = o.tone_branches.iter().enumerate();
                let nexts = nexts
                    .chain(tones.map(|(t, b)| (format!("{op}.tone_branches[{t}].next"), &b.next)));
                for (path, next) in nexts {
                    for (path, when) in branches(path, next) {
                        push(&mut out, path, when, Some(i));
                    }
                }
            }
            triggers(&mut out, Some(i), &sc.triggers);
        }
        triggers(&mut out, None, &s.triggers);
        for (i, e) in s.events.iter().enumerate() {
            push(&mut out, format!("events[{i}].requires"), &e.requires, None);
        }
        out
    }

    /// `InScene` of another scene, written where only one scene is ever in play.
    fn in_scene_holds_here(&mut self, w: &Written<'a>) {
        let (Condition::InScene(id), Some(here)) = (w.cond, w.scene) else {
            return;
        };
        let here = &self.s.scenes[here].id;
        if id == here || !self.scene_ids.contains_key(id.as_str()) {
            return;
        }
        let span = self.payload(&w.path);
        let d = self.warning(
            "never-in-scene",
            format!(
                "`InScene(\"{id}\")` can never hold here: this is only checked in scene `{here}`"
            ),
            span,
        );
        d.label = Some(format!("the story is always in `{here}` here"));
        d.help = Some(
            "options, scene triggers, line variants and their branches belong to one scene; \
             test another scene from the scenario-wide `triggers` or a seeded event"
                .into(),
        );
    }

    /// `InCover`, `NotInCover` and `when: InCover` need a prop that gives cover.
    fn cover_to_use(&mut self, written: &[Written<'a>]) {
        if self.s.place.props.iter().any(|p| self.s.gives_cover(p)) {
            return;
        }
        let mut uses: Vec<(String, &str)> = written
            .iter()
            .filter_map(|w| match w.cond {
                Condition::InCover => Some((w.path.clone(), "`InCover` can never hold")),
                Condition::NotInCover => Some((w.path.clone(), "`NotInCover` always holds")),
                _ => None,
            })
            .collect();
        let whens = self.s.scenes.iter().enumerate().flat_map(|(i, sc)| {
            sc.triggers
                .iter()
                .enumerate()
                .map(move |(k, t)| (Some(i), k, t))
        });
        let whens = whens.chain(
            self.s
                .triggers
                .iter()
                .enumerate()
                .map(|(k, t)| (None, k, t)),
        );
        uses.extend(
            whens
                .filter(|(_, _, t)| t.when == When::InCover)
                .map(|(scene, k, _)| {
                    let path = format!("{}.when", trigger_path(scene, k));
                    (path, "`when: InCover` can never fire")
                }),
        );
        let name = &self.s.subject.name;
        for (path, what) in uses {
            let span = self.at(&path);
            let d = self.warning(
                "no-cover",
                format!("{what}: no prop gives cover from {name}"),
                span,
            );
            d.label = Some("the trainee is never in cover".into());
            d.help = Some(
                "mark a prop that would stop a bullet or a blow with `cover: true` (a car, a \
                 wall); the vehicle the subject sits in does not count"
                    .into(),
            );
        }
    }

    /// A `cover: true` prop the subject sits inside is not cover from them.
    fn cover_around_subject(&mut self) {
        let sub = &self.s.subject;
        for (i, p) in self.s.place.props.iter().enumerate() {
            if !p.cover || !p.contains(sub.spawn.x, sub.spawn.z) {
                continue;
            }
            let span = self.at(&format!("place.props[{i}].cover"));
            let d = self.warning(
                "cover-holds-subject",
                format!(
                    "{} sits inside this prop, so it is not cover from them: it is ignored as cover",
                    sub.name
                ),
                span,
            );
            d.label = Some("the subject's spawn is inside its footprint".into());
            d.help = Some(
                "leave `cover` out here, and give the trainee a prop of their own to use \
                 (their patrol car, a wall)"
                    .into(),
            );
        }
    }

    /// Every flag in a `clears` must be set somewhere, or clearing it does nothing.
    fn cleared_flags(&mut self) {
        let s = self.s;
        let mut set: HashSet<&str> = HashSet::new();
        let mut cleared: Vec<(String, &str)> = Vec::new();
        let mut note = |path: String, sets: &'a [String], clears: &'a [String]| {
            set.extend(sets.iter().map(String::as_str));
            for (k, f) in clears.iter().enumerate() {
                cleared.push((format!("{path}.clears[{k}]"), f.as_str()));
            }
        };
        for (i, sc) in s.scenes.iter().enumerate() {
            for (j, o) in sc.options.iter().enumerate() {
                note(format!("scenes[{i}].options[{j}]"), &o.sets, &o.clears);
            }
            for (k, t) in sc.triggers.iter().enumerate() {
                note(trigger_path(Some(i), k), &t.sets, &t.clears);
            }
        }
        for (k, t) in s.triggers.iter().enumerate() {
            note(trigger_path(None, k), &t.sets, &t.clears);
        }
        for (i, e) in s.events.iter().enumerate() {
            note(format!("events[{i}]"), &e.sets, &e.clears);
        }
        for (path, flag) in cleared {
            if set.contains(flag) {
                continue;
            }
            let span = self.payload(&path);
            let suggestion = closest(flag, set.iter().copied());
            let d = self.warning(
                "unset-cleared-flag",
                format!("flag `{flag}` is cleared here but no option, trigger or event sets it"),
                span,
            );
            d.label = Some("never set, so clearing it does nothing".into());
            d.help = Some(match suggestion {
                Some(best) => format!("did you mean `{best}`?"),
                None => {
                    format!("add `sets: [\"{flag}\"]` where it becomes true, or remove it here")
                }
            });
        }
    }
}

/// Adds each condition of the list at `path`.
fn push<'a>(
    out: &mut Vec<Written<'a>>,
    path: String,
    conds: &'a [Condition],
    scene: Option<usize>,
) {
    for (r, cond) in conds.iter().enumerate() {
        let path = format!("{path}[{r}]");
        out.push(Written { path, cond, scene });
    }
}

/// Adds the conditions of a list of triggers (of scene `scene`, or scenario-wide).
fn triggers<'a>(out: &mut Vec<Written<'a>>, scene: Option<usize>, ts: &'a [Trigger]) {
    for (k, t) in ts.iter().enumerate() {
        let tp = trigger_path(scene, k);
        push(out, format!("{tp}.requires"), &t.requires, scene);
        for (path, when) in branches(format!("{tp}.goto"), &t.goto) {
            push(out, path, when, scene);
        }
    }
}

/// The `when` lists of a `OneOf`'s branches, with their paths.
fn branches(path: String, next: &Next) -> Vec<(String, &[Condition])> {
    let Next::OneOf(bs) = next else {
        return Vec::new();
    };
    bs.iter()
        .enumerate()
        .map(|(k, b)| (format!("{path}[{k}].when"), b.when.as_slice()))
        .collect()
}
