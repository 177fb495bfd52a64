//! Design lints: what loads and runs but cannot work as the author meant. A threshold that
//! can never be crossed, a time after the time limit, a trigger another one always beats,
//! an indicator only an instructor inject can reveal that the verbal score still charges
//! for, an absurd time limit; and, with the route finder ([`fast_endings`]), a good ending
//! reached in a fraction of the time the scenario expects.

use super::{CheckReport, Validator, trigger_path};
use crate::diag::Diagnostic;
use crate::scenario::{Condition, Next, Scenario, Trigger, When};
use crate::sim::MAX_TIME_LIMIT_MINUTES;
use crate::spans::SpanTree;
use std::collections::HashSet;
use std::sync::Arc;

/// A good ending reached in under this share of `expected_minutes` is warned about.
pub const FAST_SHARE: f32 = 1.0 / 3.0;

/// How many story states the route finder may explore for [`fast_endings`]: enough for the
/// bundled scenarios, small enough that `check` stays quick.
pub const FAST_BUDGET: usize = 4_000;

/// What a condition measures, for conditions that compare a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Agitation,
    Trust,
    Distance,
    Closing,
    InScene,
    Silence,
    Elapsed,
}

impl Measure {
    fn is_time(self) -> bool {
        matches!(self, Measure::InScene | Measure::Silence | Measure::Elapsed)
    }

    fn words(self) -> &'static str {
        match self {
            Measure::Agitation => "agitation",
            Measure::Trust => "trust",
            Measure::Distance => "the distance",
            Measure::Closing => "the approach speed",
            Measure::InScene => "the time in the scene",
            Measure::Silence => "the silence",
            Measure::Elapsed => "the time since the start",
        }
    }

    /// Whether `self` above a value means `other` is above it too: the silence is never
    /// longer than the time in the scene, nor that than the time since the start.
    fn bounds(self, other: Measure) -> bool {
        self == other
            || matches!(
                (self, other),
                (Measure::Silence, Measure::InScene | Measure::Elapsed)
                    | (Measure::InScene, Measure::Elapsed)
            )
    }
}

/// One condition, as `when` and `requires` both reduce to.
#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Above(Measure, f32),
    Below(Measure, f32),
    /// Anything else, compared as written (`Flag("x")`, `WeaponDrawn`, `Injected("radio")`).
    Exact(String),
}

impl Atom {
    fn of_when(w: &When) -> Atom {
        use Measure as M;
        match w {
            When::AgitationAbove(v) => Atom::Above(M::Agitation, *v),
            When::AgitationBelow(v) => Atom::Below(M::Agitation, *v),
            When::TrustAbove(v) => Atom::Above(M::Trust, *v),
            When::TrustBelow(v) => Atom::Below(M::Trust, *v),
            When::CloserThan(v) => Atom::Below(M::Distance, *v),
            When::FartherThan(v) => Atom::Above(M::Distance, *v),
            When::ApproachFasterThan(v) => Atom::Above(M::Closing, *v),
            When::SecondsInScene(v) => Atom::Above(M::InScene, *v),
            When::SilenceFor(v) => Atom::Above(M::Silence, *v),
            When::SecondsElapsed(v) => Atom::Above(M::Elapsed, *v),
            other => Atom::Exact(format!("{other:?}")),
        }
    }

    fn of_condition(c: &Condition) -> Atom {
        use Measure as M;
        match c {
            Condition::AgitationAbove(v) => Atom::Above(M::Agitation, *v),
            Condition::AgitationBelow(v) => Atom::Below(M::Agitation, *v),
            Condition::TrustAbove(v) => Atom::Above(M::Trust, *v),
            Condition::TrustBelow(v) => Atom::Below(M::Trust, *v),
            Condition::CloserThan(v) => Atom::Below(M::Distance, *v),
            Condition::FartherThan(v) => Atom::Above(M::Distance, *v),
            Condition::SecondsInScene(v) => Atom::Above(M::InScene, *v),
            Condition::SecondsElapsed(v) => Atom::Above(M::Elapsed, *v),
            other => Atom::Exact(format!("{other:?}")),
        }
    }

    /// Whether this holding means `other` holds.
    fn implies(&self, other: &Atom) -> bool {
        match (self, other) {
            (Atom::Above(m, x), Atom::Above(n, y)) => m.bounds(*n) && x >= y,
            (Atom::Below(m, x), Atom::Below(n, y)) => m == n && x <= y,
            (Atom::Exact(a), Atom::Exact(b)) => a == b,
            _ => false,
        }
    }

    /// The threshold moved by `by` (a trigger's jitter: negative loosens, positive tightens).
    fn shifted(&self, by: f32) -> Atom {
        match self {
            Atom::Above(m, v) => Atom::Above(*m, v + by),
            Atom::Below(m, v) => Atom::Below(*m, v - by),
            other => other.clone(),
        }
    }
}

/// A trigger's conditions: its `when` (with the jitter applied as `shift` says) first.
fn atoms(t: &Trigger, shift: f32) -> Vec<Atom> {
    let mut out = vec![Atom::of_when(&t.when).shifted(shift * t.jitter.abs())];
    out.extend(t.requires.iter().map(Atom::of_condition));
    out
}

/// How one trigger fares against another in one scene.
enum Fate {
    Free,
    /// Never fires: the other always fires first.
    Shadowed(Option<usize>, usize),
    /// Fires only if a measure jumps past both thresholds at once: (other, measure).
    Beaten(Option<usize>, usize, Measure),
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

    /// Every condition written, with its path, and every trigger's `when` with its jitter.
    fn written(&self) -> (Vec<(String, &'a Condition)>, Vec<(String, &'a When, f32)>) {
        let s = self.s;
        let mut conds = Vec::new();
        let mut list = |path: String, cs: &'a [Condition]| {
            for (r, c) in cs.iter().enumerate() {
                conds.push((format!("{path}[{r}]"), c));
            }
        };
        let branches = |path: &str, next: &'a Next| -> Vec<(String, &'a [Condition])> {
            match next {
                Next::OneOf(bs) => bs
                    .iter()
                    .enumerate()
                    .map(|(k, b)| (format!("{path}[{k}].when"), b.when.as_slice()))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let mut whens = Vec::new();
        for (i, sc) in s.scenes.iter().enumerate() {
            for (k, v) in sc.variants.iter().enumerate() {
                list(format!("scenes[{i}].variants[{k}].when"), &v.when);
            }
            for (j, o) in sc.options.iter().enumerate() {
                let op = format!("scenes[{i}].options[{j}]");
                list(format!("{op}.requires"), &o.requires);
                for (k, v) in o.reply_variants.iter().enumerate() {
                    list(format!("{op}.reply_variants[{k}].when"), &v.when);
                }
                let mut nexts = vec![(format!("{op}.next"), &o.next)];
                for (b, tb) in o.tone_branches.iter().enumerate() {
                    nexts.push((format!("{op}.tone_branches[{b}].next"), &tb.next));
                }
                for (path, next) in nexts {
                    for (p, cs) in branches(&path, next) {
                        list(p, cs);
                    }
                }
            }
        }
        let all = s.scenes.iter().enumerate();
        let scene_triggers = all.flat_map(|(i, sc)| {
            sc.triggers
                .iter()
                .enumerate()
                .map(move |(k, t)| (Some(i), k, t))
        });
        let global = s.triggers.iter().enumerate().map(|(k, t)| (None, k, t));
        for (scene, k, t) in scene_triggers.chain(global) {
            let tp = trigger_path(scene, k);
            list(format!("{tp}.requires"), &t.requires);
            for (p, cs) in branches(&format!("{tp}.goto"), &t.goto) {
                list(p, cs);
            }
            whens.push((format!("{tp}.when"), &t.when, t.jitter.abs()));
        }
        for (i, e) in s.events.iter().enumerate() {
            list(format!("events[{i}].requires"), &e.requires);
        }
        (conds, whens)
    }

    /// Thresholds nothing can cross (agitation and trust stay within 0–100, distance is
    /// never negative) and times that only come after the time limit.
    fn impossible_conditions(&mut self) {
        let (conds, whens) = self.written();
        for (path, c) in conds {
            let written = self.text_at(&path);
            self.impossible(
                &path,
                &Atom::of_condition(c),
                0.0,
                &written,
                "this condition",
            );
        }
        for (path, w, jitter) in whens {
            let written = self.text_at(&path);
            self.impossible(&path, &Atom::of_when(w), jitter, &written, "this trigger");
        }
    }

    /// The source text at `path` (empty in the first, position-less pass).
    fn text_at(&self, path: &str) -> String {
        let span = self.at(path);
        self.text.get(span).unwrap_or("").to_string()
    }

    fn impossible(&mut self, path: &str, atom: &Atom, jitter: f32, written: &str, what: &str) {
        let limit = self.s.time_limit_minutes * 60.0;
        let (code, why, help) = match *atom {
            Atom::Above(m @ (Measure::Agitation | Measure::Trust), v) if v - jitter >= 100.0 && v <= 100.0 => (
                "impossible-threshold",
                format!("{} never goes above 100", m.words()),
                "agitation and trust run from 0 to 100: use a threshold inside that range, e.g. 90".to_string(),
            ),
            Atom::Below(m @ (Measure::Agitation | Measure::Trust), v) if v + jitter <= 0.0 && v >= 0.0 => (
                "impossible-threshold",
                format!("{} never goes below 0", m.words()),
                "agitation and trust run from 0 to 100: use a threshold inside that range, e.g. 10".to_string(),
            ),
            Atom::Below(Measure::Distance, v) if v + jitter <= 0.0 && v >= 0.0 => (
                "impossible-threshold",
                "the distance is never below 0 m".to_string(),
                "use a distance the trainee can come within, e.g. `CloserThan(2.0)`".to_string(),
            ),
            Atom::Above(m, v) if m.is_time() && limit.is_finite() && limit > 0.0 && v - jitter >= limit && v.is_finite() => (
                "after-time-limit",
                format!(
                    "{} never reaches {v} s, because the run ends at the time limit ({limit} s)",
                    m.words()
                ),
                format!(
                    "lower it below {limit} s, or raise time_limit_minutes (now {})",
                    self.s.time_limit_minutes
                ),
            ),
            _ => return,
        };
        let never = if what == "this trigger" {
            "this trigger can never fire"
        } else {
            "this condition can never hold"
        };
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

    /// Triggers another trigger always fires before (`shadowed-trigger`), or fires before
    /// whenever a measure changes gradually (`beaten-trigger`). Only one trigger fires per
    /// tick: the scene's own in order, then the scenario-wide ones in order.
    fn trigger_fates(&mut self) {
        let s = self.s;
        for (i, sc) in s.scenes.iter().enumerate() {
            for k in 0..sc.triggers.len() {
                let fate = self.fate(i, Some(i), k);
                self.report_fate(Some(i), k, fate, None);
            }
        }
        'global: for k in 0..s.triggers.len() {
            let mut first: Option<(usize, Fate)> = None;
            let mut beaten = false;
            for i in 0..s.scenes.len() {
                if matches!(&s.triggers[k].goto, Next::Scene(x) if *x == s.scenes[i].id) {
                    continue; // it never fires in the scene it leads to
                }
                let fate = self.fate(i, None, k);
                match fate {
                    Fate::Free => continue 'global,
                    Fate::Beaten(..) => beaten = true,
                    Fate::Shadowed(..) => {}
                }
                if first.is_none() {
                    first = Some((i, fate));
                }
            }
            let Some((scene, fate)) = first else { continue };
            let fate = match fate {
                Fate::Shadowed(l, o) if beaten => {
                    Fate::Beaten(l, o, Atom::measure_of(&s.triggers[k].when))
                }
                f => f,
            };
            self.report_fate(None, k, fate, Some(scene));
        }
    }

    /// The fate of trigger `k` of `list` (a scene's, or the scenario-wide with `None`) in
    /// scene `here`.
    fn fate(&self, here: usize, list: Option<usize>, k: usize) -> Fate {
        let s = self.s;
        let own = |l: Option<usize>| match l {
            Some(i) => &s.scenes[i].triggers,
            None => &s.triggers,
        };
        let b = &own(list)[k];
        // The order triggers are checked in this scene.
        let order = (0..s.scenes[here].triggers.len())
            .map(|j| (Some(here), j))
            .chain((0..s.triggers.len()).map(|j| (None, j)));
        let loose = atoms(b, -1.0);
        let mut before = true;
        let mut beaten = None;
        for (l, j) in order {
            if (l, j) == (list, k) {
                before = false;
                continue;
            }
            let a = &own(l)[j];
            if !self.leaves(&a.goto, here) {
                continue;
            }
            let tight = atoms(a, 1.0);
            let rest_implied = tight[1..]
                .iter()
                .all(|x| loose.iter().any(|y| y.implies(x)));
            if !rest_implied {
                continue;
            }
            if before && loose.iter().any(|y| y.implies(&tight[0])) {
                return Fate::Shadowed(l, j);
            }
            match race(&tight[0], &loose[0]) {
                Some(m) if m.is_time() => return Fate::Shadowed(l, j),
                Some(m) if beaten.is_none() => beaten = Some(Fate::Beaten(l, j, m)),
                _ => {}
            }
        }
        beaten.unwrap_or(Fate::Free)
    }

    /// Whether taking `next` from scene `here` always leaves it.
    fn leaves(&self, next: &Next, here: usize) -> bool {
        let here = self.s.scenes[here].id.as_str();
        let away = |n: &Next| match n {
            Next::Scene(x) => x != here && self.scene_ids.contains_key(x.as_str()),
            Next::Ending(e) => self.ending_ids.contains_key(e.as_str()),
            _ => false,
        };
        match next {
            Next::OneOf(bs) => {
                bs.iter().any(|b| b.when.is_empty()) && bs.iter().all(|b| away(&b.to))
            }
            other => away(other),
        }
    }

    fn report_fate(&mut self, list: Option<usize>, k: usize, fate: Fate, scene: Option<usize>) {
        let (other, j, measure) = match fate {
            Fate::Free => return,
            Fate::Shadowed(l, j) => (l, j, None),
            Fate::Beaten(l, j, m) => (l, j, Some(m)),
        };
        let other_span = self.at(&format!("{}.when", trigger_path(other, j)));
        let at = self.pos(&other_span);
        let written = self.text.get(other_span).unwrap_or("").to_string();
        let whose = match (list, other, scene) {
            (None, Some(_), Some(i)) => format!(
                "in every scene one of the scene's own triggers (in `{}`, `{written}` at {at})",
                self.s.scenes[i].id
            ),
            (Some(_), None, _) => format!("the scenario-wide trigger `{written}` at {at}"),
            _ => format!("the trigger `{written}` at {at}"),
        };
        let span = self.at(&format!("{}.when", trigger_path(list, k)));
        let d = match measure {
            None => {
                let msg = format!("this trigger never fires: {whose} always fires first");
                let d = self.warning("shadowed-trigger", msg, span);
                d.label = Some(format!("always beaten by the trigger at {at}"));
                d
            }
            Some(m) => {
                let msg = format!(
                    "this trigger almost never fires: {whose} fires first as {} changes on the way here",
                    m.words()
                );
                let d = self.warning("beaten-trigger", msg, span);
                d.label = Some(format!(
                    "fires only if {} jumps past both at once",
                    m.words()
                ));
                d
            }
        };
        d.help = Some(
            "only one trigger fires at a time, checked in order: the scene's own, then the \
             scenario-wide ones. Swap the thresholds, list this one first, or give the other \
             a condition that keeps it out of this case"
                .into(),
        );
    }

    /// Indicators whose every recognising option needs a flag only an instructor inject
    /// sets: a trainee whose instructor never injects cannot say them, yet the verbal score
    /// charges for never acknowledging an indicator in a scene that offers a line for it.
    fn inject_only_indicators(&mut self) {
        let s = self.s;
        let inject_only = inject_only_flags(s);
        if inject_only.is_empty() {
            return;
        }
        for (n, ind) in s.subject.indicators.iter().enumerate() {
            let mut gates: Vec<&str> = Vec::new();
            let mut any = false;
            let mut all_gated = true;
            for o in s.scenes.iter().flat_map(|sc| &sc.options) {
                if !o.recognises.contains(ind) {
                    continue;
                }
                any = true;
                let gate = o.requires.iter().find_map(|c| match c {
                    Condition::Flag(f) if inject_only.contains(f.as_str()) => Some(f.as_str()),
                    _ => None,
                });
                match gate {
                    Some(f) if !gates.contains(&f) => gates.push(f),
                    Some(_) => {}
                    None => all_gated = false,
                }
            }
            if !any || !all_gated {
                continue;
            }
            let flags: Vec<String> = gates.iter().map(|f| format!("`{f}`")).collect();
            let span = self.at(&format!("subject.indicators[{n}]"));
            let d = self.warning(
                "inject-only-indicator",
                format!(
                    "only an instructor inject can reveal {}: every option that recognises it needs {} {}, which only an inject sets",
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

impl Atom {
    /// The measure of a trigger condition (agitation if it has none).
    fn measure_of(w: &When) -> Measure {
        match Atom::of_when(w) {
            Atom::Above(m, _) | Atom::Below(m, _) => m,
            Atom::Exact(_) => Measure::Agitation,
        }
    }
}

/// Whether `first` (checked later) is reached before `second` as its measure changes
/// gradually: the measure, if so.
fn race(first: &Atom, second: &Atom) -> Option<Measure> {
    match (first, second) {
        (Atom::Above(m, a), Atom::Above(n, b)) if n.bounds(*m) && a < b => Some(*m),
        (Atom::Below(m, a), Atom::Below(n, b)) if m == n && !m.is_time() && a > b => Some(*m),
        _ => None,
    }
}

/// Flags that only an instructor inject can set: every setter is a trigger fired by an
/// inject, or needs such a flag itself. (Seeded events happen by chance, so they count as
/// something else setting it.)
fn inject_only_flags(s: &Scenario) -> HashSet<&str> {
    // Each setter: the flags it sets, whether an inject fires it, and the flags it needs.
    let mut setters: Vec<(&[String], bool, Vec<&str>)> = Vec::new();
    fn needs(cs: &[Condition]) -> Vec<&str> {
        cs.iter()
            .filter_map(|c| match c {
                Condition::Flag(f) => Some(f.as_str()),
                _ => None,
            })
            .collect()
    }
    for sc in &s.scenes {
        for o in &sc.options {
            setters.push((&o.sets, false, needs(&o.requires)));
        }
    }
    let triggers = s
        .scenes
        .iter()
        .flat_map(|sc| &sc.triggers)
        .chain(&s.triggers);
    for t in triggers {
        let mut need = needs(&t.requires);
        if let When::Flag(f) = &t.when {
            need.push(f);
        }
        setters.push((&t.sets, matches!(t.when, When::Injected(_)), need));
    }
    for e in &s.events {
        setters.push((&e.sets, false, Vec::new()));
    }
    let mut only: HashSet<&str> = setters
        .iter()
        .flat_map(|(sets, _, _)| sets.iter().map(String::as_str))
        .collect();
    loop {
        let before = only.len();
        for (sets, injected, need) in &setters {
            let gated = *injected || need.iter().any(|f| only.contains(f));
            if !gated {
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

/// Warns, in a report with no errors, about each good ending the route finder reaches in
/// under [`FAST_SHARE`] of `expected_minutes`: de-escalation takes time, and a route that
/// short usually means a threshold or a `requires` is missing.
pub fn fast_endings(report: &mut CheckReport) {
    if report.has_errors() {
        return;
    }
    let Some(s) = &report.scenario else { return };
    // Only routes shorter than the share matter: searching a story cut off there finds
    // the same ones, sooner.
    let mut capped = s.clone();
    let cap = s.expected_minutes * FAST_SHARE;
    capped.time_limit_minutes = capped.time_limit_minutes.min(cap);
    let sc = Arc::new(capped);
    let opts = crate::routes::Options {
        budget: FAST_BUDGET,
        check_seeds: 1,
        ..Default::default()
    };
    let Ok(found) = crate::routes::find(&sc, &opts) else {
        return;
    };
    let expected = s.expected_minutes * 60.0;
    let mut tree = None;
    for r in &found.routes {
        let Some(i) = s.ending_index(&r.ending) else {
            continue;
        };
        if !s.endings[i].outcome.is_deescalated() || r.uses_injects {
            continue;
        }
        let Some((took, steps)) = route_time(&sc, &r.script) else {
            continue;
        };
        if took >= expected * FAST_SHARE {
            continue;
        }
        let tree = tree.get_or_insert_with(|| SpanTree::parse(&report.source).ok());
        let span = tree
            .as_ref()
            .and_then(|t| t.payload_span_of(&format!("endings[{i}].id")))
            .unwrap_or(0..0);
        let clock = crate::score::clock;
        let d = Diagnostic::warning(
            "fast-ending",
            format!(
                "ending `{}` can be reached in {}, under a third of expected_minutes ({} min)",
                r.ending,
                clock(took),
                s.expected_minutes
            ),
            span,
            &report.source,
        )
        .with_label("a good ending this soon")
        .with_help(format!(
            "a route found: {steps}. De-escalation takes time: make this ending need trust \
             built over several exchanges (`requires: [TrustAbove(..)]`, `SecondsInScene(..)`), \
             or lower expected_minutes"
        ));
        report.diagnostics.push(d);
    }
    report
        .diagnostics
        .sort_by_key(|d| (d.span.start, d.severity));
}

/// How long a route script takes to reach its ending, and its steps in short.
fn route_time(sc: &Arc<Scenario>, script: &str) -> Option<(f32, String)> {
    let parsed = crate::script::Script::parse(script).ok()?;
    let mut sim = parsed.start(Arc::clone(sc)).ok()?;
    crate::script::run_script(&mut sim, &parsed).ok()?;
    let r = sim.result();
    r.ending.as_ref()?;
    let steps: Vec<String> = script
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("seed") && !l.starts_with("temperament"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let shown = if steps.len() > 6 {
        format!("{}, … ({} steps)", steps[..5].join(", "), steps.len())
    } else {
        steps.join(", ")
    };
    Some((r.duration, shown))
}
