//! The fast-ending lint: a good ending the route finder reaches in a fraction of the time
//! the scenario expects, played at the pace a person plays. It needs the route finder, so
//! only `check_file` (what `deescalate check` runs) runs it, on a file without errors, with a
//! small search.

use crate::check::CheckReport;
use crate::check::diag::Diagnostic;
use crate::format::scenario::Scenario;
use crate::format::spans::SpanTree;
use std::sync::Arc;

/// A good ending reached in under this share of `expected_minutes` is warned about.
pub const FAST_SHARE: f32 = 1.0 / 3.0;

/// The fewest seconds between two things a person says in the trainer: the subject's answer
/// heard, the options read, one chosen. The route finder speaks every 3 s, which no trainee
/// does (the time score calls four lines in ten seconds rushing), while `expected_minutes` is
/// how long a good run takes a person; a route is timed at this pace before it is compared.
pub const HUMAN_PACE: f32 = 12.0;

/// How many story states the route finder may explore: enough for the bundled scenarios,
/// small enough that `check` stays quick.
pub const FAST_BUDGET: usize = 2_000;

/// Warns, in a report with no errors, about each good ending the route finder reaches in
/// under [`FAST_SHARE`] of `expected_minutes` when its lines are said at [`HUMAN_PACE`]:
/// de-escalation takes time, and a route that short usually means a threshold or a
/// `requires` is missing.
pub fn fast_endings(report: &mut CheckReport) {
    if report.has_errors() {
        return;
    }
    let Some(s) = &report.scenario else { return };
    let mut tree = None;
    for (i, took, steps) in fast_routes(s) {
        let tree = tree.get_or_insert_with(|| SpanTree::parse(&report.source).ok());
        let span = tree
            .as_ref()
            .and_then(|t| t.payload_span_of(&format!("endings[{i}].id")))
            .unwrap_or(0..0);
        let d = Diagnostic::warning(
            "fast-ending",
            format!(
                "ending `{}` can be reached in {}, under a third of expected_minutes ({} min)",
                s.endings[i].id,
                crate::assess::score::clock(took),
                s.expected_minutes
            ),
            span,
            &report.source,
        )
        .with_label("a good ending this soon")
        .with_help(format!(
            "a route found, timed with a line at most every {HUMAN_PACE} s as a person \
             plays: {steps}. De-escalation takes time: make this ending need trust \
             built over several exchanges (`requires: [TrustAbove(..)]`, `SecondsInScene(..)`), \
             or lower expected_minutes"
        ));
        report.diagnostics.push(d);
    }
    report
        .diagnostics
        .sort_by_key(|d| (d.span.start, d.severity));
}

/// The de-escalated endings the route finder reaches too soon without an inject: (ending
/// index, seconds taken, the route's steps in short).
fn fast_routes(s: &Scenario) -> Vec<(usize, f32, String)> {
    // Only routes shorter than the share matter: searching a story cut off there finds the
    // same ones, sooner.
    let limit = s.expected_minutes * 60.0 * FAST_SHARE;
    let mut capped = s.clone();
    capped.time_limit_minutes = capped.time_limit_minutes.min(limit / 60.0);
    let sc = Arc::new(capped);
    let whole = Arc::new(s.clone());
    let opts = crate::explore::routes::Options {
        budget: FAST_BUDGET,
        check_seeds: 1,
        ..Default::default()
    };
    let Ok(found) = crate::explore::routes::find(&sc, &opts) else {
        return Vec::new();
    };
    found
        .routes
        .iter()
        .filter(|r| !r.uses_injects)
        .filter_map(|r| {
            let i = s.ending_index(&r.ending)?;
            if !s.endings[i].outcome.is_deescalated() {
                return None;
            }
            let paced = at_human_pace(&r.script);
            let (took, steps) = route_time(&whole, &paced, &r.ending)?;
            (took < limit).then_some((i, took, steps))
        })
        .collect()
}

/// The route script with its lines spread to at least [`HUMAN_PACE`] apart; everything after
/// a delayed line (walks included) moves with it, so the route keeps its shape.
fn at_human_pace(script: &str) -> String {
    let mut shift = 0.0f32;
    let mut last_said: Option<f32> = None;
    let mut out = String::new();
    for line in script.lines() {
        let mut words = line.split_whitespace();
        let timed = words.next().and_then(|t| t.parse::<f32>().ok());
        let Some(t) = timed else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let rest: Vec<&str> = words.collect();
        let mut at = t + shift;
        if matches!(rest.first(), Some(&"say") | Some(&"pause")) {
            if let Some(prev) = last_said
                && at < prev + HUMAN_PACE
            {
                shift += prev + HUMAN_PACE - at;
                at = prev + HUMAN_PACE;
            }
            last_said = Some(at);
        }
        out.push_str(&format!("{at:.1} {}\n", rest.join(" ")));
    }
    out
}

/// How long a route script takes to reach `ending`, and its steps in short (`None` if,
/// played this way, it ends elsewhere or not at all).
fn route_time(sc: &Arc<Scenario>, script: &str, ending: &str) -> Option<(f32, String)> {
    let parsed = crate::sim::script::Script::parse(script).ok()?;
    let mut sim = parsed.start(Arc::clone(sc)).ok()?;
    crate::sim::script::run_script(&mut sim, &parsed).ok()?;
    let r = sim.result();
    (r.ending.as_deref() == Some(ending)).then_some(())?;
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
