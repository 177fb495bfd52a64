//! Design lints: what loads and runs but cannot work as meant. Here an absurd time limit and
//! thresholds or times nothing reaches; in `triggers` triggers another always beats; in
//! `indicators` an indicator only an inject reveals yet still charged for; in `fast` (run by
//! `check_file` only, with the route finder) a good ending reached far sooner than expected.
mod atoms;
mod fast;
mod indicators;
mod triggers;

pub use fast::fast_endings;

use super::{Validator, trigger_path};
use crate::format::scenario::{Condition, Next, When};
use crate::sim::MAX_TIME_LIMIT_MINUTES;
use atoms::{Atom, Measure};

/// Paths to conditions: `(path, condition)`.
type Conds<'a> = Vec<(String, &'a Condition)>;

/// The `when` lists of a `OneOf`'s branches, with their paths.
fn branches<'a>(path: &str, next: &'a Next) -> Vec<(String, &'a [Condition])> {
    match next {
        Next::OneOf(bs) => bs
            .iter()
            .enumerate()
            .map(|(k, b)| (format!("{path}[{k}].when"), b.when.as_slice()))
            .collect(),
        _ => Vec::new(),
    }
}

fn push_all<'a>(out: &mut Conds<'a>, path: &str, cs: &'a [Condition]) {
    out.extend(
        cs.iter()
            .enumerate()
            .map(|(r, c)| (format!("{path}[{r}]"), c)),
    );
}

impl<'a> Validator<'a> {
    /// The design lints (after the value checks, which they do not repeat).
    pub(super) fn check_design(&mut self) {
        self.time_limit_too_long();
        self.impossible_conditions();
        self.trigger_fates();
        self.inject_only_indicators();
    }

    fn time_limit_too_long(&mut self) {
        let v = self.s.time_limit_minutes;
        if !v.is_finite() || v <= MAX_TIME_LIMIT_MINUTES {
            return;
        }
        let span = self.payload("time_limit_minutes");
        let d = self.error(
            "time-limit-too-long",
            format!(
                "time_limit_minutes is {v}: a run can last at most {MAX_TIME_LIMIT_MINUTES} minutes"
            ),
            span,
        );
        d.label = Some("hours".into());
        d.help = Some(
            "a contact that takes longer is more than one scenario; most run 5–20 minutes \
             (the default limit is 20)"
                .into(),
        );
    }

    /// The conditions of the scenes' line variants and options (requires, reply variants,
    /// `OneOf` branches of `next` and of tone branches).
    fn scene_conditions(&self) -> Conds<'a> {
        let mut out = Vec::new();
        for (i, sc) in self.s.scenes.iter().enumerate() {
            for (k, v) in sc.variants.iter().enumerate() {
                push_all(
                    &mut out,
                    &format!("scenes[{i}].variants[{k}].when"),
                    &v.when,
                );
            }
            for (j, o) in sc.options.iter().enumerate() {
                let op = format!("scenes[{i}].options[{j}]");
                push_all(&mut out, &format!("{op}.requires"), &o.requires);
                for (k, v) in o.reply_variants.iter().enumerate() {
                    push_all(&mut out, &format!("{op}.reply_variants[{k}].when"), &v.when);
                }
                let tone_nexts = o
                    .tone_branches
                    .iter()
                    .enumerate()
                    .map(|(b, tb)| (format!("{op}.tone_branches[{b}].next"), &tb.next));
                for (path, next) in
                    std::iter::once((format!("{op}.next"), &o.next)).chain(tone_nexts)
                {
                    for (p, cs) in branches(&path, next) {
                        push_all(&mut out, &p, cs);
                    }
                }
            }
        }
        out
    }

    /// Every trigger's `when` (path, condition, jitter), and the conditions of triggers
    /// (requires, `OneOf` branches) and seeded events.
    fn trigger_conditions(&self) -> (Vec<(String, &'a When, f32)>, Conds<'a>) {
        let s = self.s;
        let scene_triggers = s.scenes.iter().enumerate().flat_map(|(i, sc)| {
            sc.triggers
                .iter()
                .enumerate()
                .map(move |(k, t)| (Some(i), k, t))
        });
        let global = s.triggers.iter().enumerate().map(|(k, t)| (None, k, t));
        let (mut whens, mut conds) = (Vec::new(), Vec::new());
        for (scene, k, t) in scene_triggers.chain(global) {
            let tp = trigger_path(scene, k);
            whens.push((format!("{tp}.when"), &t.when, t.jitter.abs()));
            push_all(&mut conds, &format!("{tp}.requires"), &t.requires);
            for (p, cs) in branches(&format!("{tp}.goto"), &t.goto) {
                push_all(&mut conds, &p, cs);
            }
        }
        for (i, e) in s.events.iter().enumerate() {
            push_all(&mut conds, &format!("events[{i}].requires"), &e.requires);
        }
        (whens, conds)
    }

    /// Thresholds nothing can cross (agitation and trust stay within 0–100, the distance is
    /// never negative) and times that only come after the time limit.
    fn impossible_conditions(&mut self) {
        let (whens, mut conds) = self.trigger_conditions();
        conds.extend(self.scene_conditions());
        for (path, c) in conds {
            self.impossible(&path, &Atom::of_condition(c), 0.0, false);
        }
        for (path, w, jitter) in whens {
            self.impossible(&path, &Atom::of_when(w), jitter, true);
        }
    }

    /// Why `atom` can never hold, even with `jitter` (code, why, how to fix), if it cannot.
    fn never(&self, atom: &Atom, jitter: f32) -> Option<(&'static str, String, String)> {
        let limit = self.s.time_limit_minutes * 60.0;
        let range = |e: &str| {
            format!(
                "agitation and trust run from 0 to 100: use a threshold inside that range, e.g. {e}"
            )
        };
        let threshold = "impossible-threshold";
        Some(match *atom {
            Atom::Above(m @ (Measure::Agitation | Measure::Trust), v)
                if v - jitter >= 100.0 && v <= 100.0 =>
            {
                (
                    threshold,
                    format!("{} never goes above 100", m.words()),
                    range("90"),
                )
            }
            Atom::Below(m @ (Measure::Agitation | Measure::Trust), v)
                if v + jitter <= 0.0 && v >= 0.0 =>
            {
                (
                    threshold,
                    format!("{} never goes below 0", m.words()),
                    range("10"),
                )
            }
            Atom::Below(Measure::Distance, v) if v + jitter <= 0.0 && v >= 0.0 => (
                threshold,
                "the distance is never below 0 m".to_string(),
                "use a distance the trainee can come within, e.g. `CloserThan(2.0)`".to_string(),
            ),
            Atom::Above(m, v)
                if m.is_time() && limit > 0.0 && v.is_finite() && v - jitter >= limit =>
            {
                (
                    "after-time-limit",
                    format!(
                        "{} never reaches {v} s, because the run ends at the time limit ({limit} s)",
                        m.words()
                    ),
                    format!(
                        "lower it below {limit} s, or raise time_limit_minutes (now {})",
                        self.s.time_limit_minutes
                    ),
                )
            }
            _ => return None,
        })
    }

    fn impossible(&mut self, path: &str, atom: &Atom, jitter: f32, trigger: bool) {
        let Some((code, why, help)) = self.never(atom, jitter) else {
            return;
        };
        let never = if trigger {
            "this trigger can never fire"
        } else {
            "this condition can never hold"
        };
        // The condition as written (empty in the first, position-less pass).
        let written = self.text.get(self.at(path)).unwrap_or("");
        let written = if written.is_empty() {
            String::new()
        } else {
            format!(" (`{written}`)")
        };
        let span = self.payload(path);
        let d = self.warning(code, format!("{never}{written}: {why}"), span);
        d.label = Some("never true".into());
        d.help = Some(help);
    }
}
