//! Checks of what makes a scenario vary: the `variation:` block (ranges, temperaments),
//! seeded `events:`, trigger `jitter`, line `variants`, option `wordings` and `OneOf`
//! branches, and the conditions that name temperaments or what was said.

use super::validator::Validator;
use crate::format::scenario::{Condition, Next};
use crate::format::variation::{LineVariant, SubjectVary, ToneVary, Vary};
use crate::format::words::closest;

impl<'a> Validator<'a> {
    pub(super) fn check_variation(&mut self) {
        let s = self.s;
        if let Some(v) = &s.variation {
            self.subject_vary("variation.subject", &v.subject);
            let mut seen: Vec<&str> = Vec::new();
            for (i, t) in v.temperaments.iter().enumerate() {
                let p = format!("variation.temperaments[{i}]");
                self.non_empty(&format!("{p}.id"), "temperament id", &t.id);
                self.non_empty(
                    &format!("{p}.description"),
                    "temperament description",
                    &t.description,
                );
                self.positive(&format!("{p}.weight"), "temperament weight", t.weight);
                if seen.contains(&t.id.as_str()) {
                    let span = self.payload(&format!("{p}.id"));
                    self.error(
                        "duplicate-temperament",
                        format!("two temperaments are called `{}`", t.id),
                        span,
                    )
                    .label = Some("already used".into());
                }
                seen.push(&t.id);
                self.subject_vary(&format!("{p}.subject"), &t.subject);
            }
        }
        for (i, e) in s.events.iter().enumerate() {
            self.seeded_event(i);
            let _ = e;
        }
        let limit = s.time_limit_minutes * 60.0;
        for (i, scene) in s.scenes.iter().enumerate() {
            for (k, t) in scene.triggers.iter().enumerate() {
                self.jitter(
                    &format!("scenes[{i}].triggers[{k}].jitter"),
                    t.jitter,
                    limit,
                );
            }
            self.variants(&format!("scenes[{i}].variants"), &scene.variants);
            for (j, o) in scene.options.iter().enumerate() {
                let op = format!("scenes[{i}].options[{j}]");
                for (k, w) in o.wordings.iter().enumerate() {
                    self.non_empty(&format!("{op}.wordings[{k}]"), "option wording", w);
                }
                self.variants(&format!("{op}.reply_variants"), &o.reply_variants);
            }
        }
        for (k, t) in s.triggers.iter().enumerate() {
            self.jitter(&format!("triggers[{k}].jitter"), t.jitter, limit);
        }
    }

    fn subject_vary(&mut self, p: &str, v: &SubjectVary) {
        let scale = |lo: f32, hi: f32| (lo, hi);
        let rows: [(&str, &Option<Vary>, (f32, f32)); 11] = [
            (
                "baseline_agitation",
                &v.baseline_agitation,
                scale(0.0, 100.0),
            ),
            ("baseline_trust", &v.baseline_trust, scale(0.0, 100.0)),
            ("personal_space", &v.personal_space, scale(0.0, 50.0)),
            ("reactionary_gap", &v.reactionary_gap, scale(0.0, 50.0)),
            ("proximity", &v.proximity, scale(0.0, 100.0)),
            ("fast_approach", &v.fast_approach, scale(0.0, 100.0)),
            (
                "fast_approach_speed",
                &v.fast_approach_speed,
                scale(0.0, 20.0),
            ),
            ("silence", &v.silence, scale(-100.0, 100.0)),
            ("silence_after", &v.silence_after, scale(0.0, 3600.0)),
            ("weapon", &v.weapon, scale(0.0, 100.0)),
            ("settle", &v.settle, scale(0.0, 1.0)),
        ];
        for (name, vary, (min, max)) in rows {
            if let Some(vary) = vary {
                self.vary(&format!("{p}.{name}"), name, vary, min, max);
            }
        }
        let tones: [(&str, &Option<ToneVary>); 5] = [
            ("calm", &v.calm),
            ("neutral", &v.neutral),
            ("firm", &v.firm),
            ("commanding", &v.commanding),
            ("shouting", &v.shouting),
        ];
        for (name, tv) in tones {
            let Some(tv) = tv else { continue };
            for (part, vary) in [("agitation", &tv.agitation), ("trust", &tv.trust)] {
                if let Some(vary) = vary {
                    let what = format!("{name} {part}");
                    self.vary(&format!("{p}.{name}.{part}"), &what, vary, -100.0, 100.0);
                }
            }
        }
    }

    /// Every value a `Vary` can draw must be allowed for its field.
    fn vary(&mut self, p: &str, what: &str, v: &Vary, min: f32, max: f32) {
        match v {
            Vary::Fixed(x) => self.in_range(p, what, *x, min, max),
            Vary::Range(a, b) => {
                self.in_range(&format!("{p}[0]"), what, *a, min, max);
                self.in_range(&format!("{p}[1]"), what, *b, min, max);
                if a > b {
                    let span = self.at(p);
                    let d = self.error(
                        "inverted-range",
                        format!("{what}: the range starts at {a}, above its end {b}"),
                        span,
                    );
                    d.label = Some("lowest first".into());
                    d.help = Some(format!("write `Range({b}, {a})`"));
                }
            }
            Vary::Pick(vs) => {
                if vs.is_empty() {
                    let span = self.at(p);
                    self.error(
                        "empty-text",
                        format!("{what}: `Pick` needs at least one value"),
                        span,
                    )
                    .label = Some("nothing to pick".into());
                }
                for (k, (x, w)) in vs.iter().enumerate() {
                    self.in_range(&format!("{p}[{k}][0]"), what, *x, min, max);
                    self.positive(&format!("{p}[{k}][1]"), &format!("{what} weight"), *w);
                }
            }
        }
    }

    fn seeded_event(&mut self, i: usize) {
        let s = self.s;
        let e = &s.events[i];
        let p = format!("events[{i}]");
        self.non_empty(&format!("{p}.id"), "event id", &e.id);
        self.non_empty(&format!("{p}.line"), "event line", &e.line);
        self.in_range(&format!("{p}.chance"), "event chance", e.chance, 0.0, 1.0);
        self.delta(&format!("{p}.agitation"), "event agitation", e.agitation);
        self.delta(&format!("{p}.trust"), "event trust", e.trust);
        if s.events[..i].iter().any(|o| o.id == e.id) {
            let span = self.payload(&format!("{p}.id"));
            self.error(
                "duplicate-event",
                format!("two events are called `{}`", e.id),
                span,
            )
            .label = Some("already used".into());
        }
        let (a, b) = e.window;
        let limit = s.time_limit_minutes * 60.0;
        self.non_negative(&format!("{p}.window[0]"), "event window start", a);
        self.non_negative(&format!("{p}.window[1]"), "event window end", b);
        if a > b {
            let span = self.at(&format!("{p}.window"));
            self.error(
                "inverted-range",
                format!("the event window starts at {a} s, after its end {b} s"),
                span,
            )
            .label = Some("earliest first".into());
        } else if limit.is_finite() && a >= limit {
            let span = self.at(&format!("{p}.window"));
            let d = self.warning(
                "event-too-late",
                format!(
                    "event `{}` can only happen after the time limit ({limit} s)",
                    e.id
                ),
                span,
            );
            d.label = Some("never happens".into());
        }
        for (r, c) in e.requires.iter().enumerate() {
            self.check_condition(&format!("{p}.requires[{r}]"), c);
        }
    }

    fn jitter(&mut self, p: &str, j: f32, limit: f32) {
        if j != 0.0 {
            self.in_range(p, "trigger jitter", j, 0.0, limit.max(100.0));
        }
    }

    fn variants(&mut self, p: &str, vs: &[LineVariant]) {
        for (k, v) in vs.iter().enumerate() {
            let vp = format!("{p}[{k}]");
            self.positive(&format!("{vp}.weight"), "variant weight", v.weight);
            if v.lines.is_empty() {
                let span = self.at(&format!("{vp}.lines"));
                self.error("empty-text", "this variant has no lines", span)
                    .label = Some("no lines".into());
            }
            for (l, line) in v.lines.iter().enumerate() {
                self.non_empty(&format!("{vp}.lines[{l}]"), "line", line);
            }
            for (r, c) in v.when.iter().enumerate() {
                self.check_condition(&format!("{vp}.when[{r}]"), c);
            }
        }
    }

    /// `OneOf`: at least one branch, no nesting, every target known, and a branch for when
    /// none of the conditional ones holds.
    pub(super) fn check_branches(&mut self, path: &str, next: &Next) {
        let Next::OneOf(bs) = next else { return };
        if bs.is_empty() {
            let span = self.at(path);
            self.error("empty-branches", "`OneOf` needs at least one branch", span)
                .label = Some("no branches".into());
            return;
        }
        for (k, b) in bs.iter().enumerate() {
            let bp = format!("{path}[{k}]");
            if matches!(b.to, Next::OneOf(_)) {
                let span = self.at(&format!("{bp}.to"));
                let d = self.error(
                    "nested-branches",
                    "a `OneOf` branch cannot itself be a `OneOf`",
                    span,
                );
                d.help = Some("list all the ways in one `OneOf`".into());
                continue;
            }
            self.check_next(&format!("{bp}.to"), &b.to);
            self.positive(&format!("{bp}.weight"), "branch weight", b.weight);
            for (r, c) in b.when.iter().enumerate() {
                self.check_condition(&format!("{bp}.when[{r}]"), c);
            }
        }
        if bs.iter().all(|b| !b.when.is_empty()) {
            let span = self.at(path);
            let d = self.warning(
                "no-default-branch",
                "every branch has conditions: when none holds, the story stays where it is",
                span,
            );
            d.help = Some("add a branch without `when` for everyone else".into());
        }
    }

    /// Conditions that name a temperament or an option.
    pub(super) fn check_named_condition(&mut self, path: &str, cond: &Condition) {
        let s = self.s;
        match cond {
            Condition::Temperament(id) => {
                let known: Vec<&str> = s
                    .variation
                    .iter()
                    .flat_map(|v| v.temperaments.iter().map(|t| t.id.as_str()))
                    .collect();
                if !known.contains(&id.as_str()) {
                    let span = self.payload(path);
                    let suggestion = closest(id, known.iter().copied());
                    let d = self.error(
                        "unknown-temperament",
                        format!("no temperament is called `{id}`"),
                        span,
                    );
                    d.label = Some("unknown temperament".into());
                    d.help = Some(match suggestion {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "declare it under `variation: (temperaments: [...])`".into(),
                    });
                }
            }
            Condition::Said(id) | Condition::NotSaid(id) => {
                let ids = s
                    .scenes
                    .iter()
                    .flat_map(|sc| sc.options.iter().map(|o| o.id.as_str()));
                if !ids.clone().any(|o| o == id) {
                    let span = self.payload(path);
                    let suggestion = closest(id, ids);
                    let d = self.error(
                        "unknown-option",
                        format!("no option is called `{id}`"),
                        span,
                    );
                    d.label = Some("unknown option".into());
                    d.help = suggestion.map(|b| format!("did you mean `{b}`?"));
                }
            }
            _ => {}
        }
    }
}
