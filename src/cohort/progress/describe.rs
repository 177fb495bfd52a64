//! A run and a trainee's runs in words, the same in the terminal and on the page: dates,
//! attempt and temperament labels, the check column, the trend of the overall score, and
//! whether scores hold up on someone new.

use super::{Entry, Trainee};
use crate::cohort::fmt::plural;
use crate::format::vocab::Outcome;
use crate::report::n0;

/// "1st" for a first attempt, else "repeat 2", "repeat 3"….
pub fn attempt_label(a: u32) -> String {
    if a <= 1 {
        "1st".into()
    } else {
        format!("repeat {a}")
    }
}

/// The temperament column: the id, starred when met for the first time.
pub(super) fn met_label(r: &Entry) -> String {
    match &r.temperament {
        Some(t) if r.new_temperament => format!("{t}*"),
        Some(t) => t.clone(),
        None => "-".into(),
    }
}

/// Whether scores hold up on someone new: mean overall on temperaments met for the first
/// time (after the trainee's first run of that scenario) against those met before.
pub(super) fn holds_up(t: &Trainee) -> Option<String> {
    let pick = |new: bool| -> Vec<f32> {
        t.runs
            .iter()
            .filter(|r| r.counted())
            .filter(|r| r.attempt > 1 && r.temperament.is_some() && r.new_temperament == new)
            .map(|r| r.scores[4])
            .collect()
    };
    let (new, known) = (pick(true), pick(false));
    if new.is_empty() || known.is_empty() {
        return None;
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    let (a, b) = (mean(&new), mean(&known));
    let verdict = if a + 5.0 < b {
        "scores drop on someone new: the skill may not yet transfer beyond a remembered person"
    } else {
        "scores hold up on someone new"
    };
    Some(format!(
        "On repeats, a temperament met for the first time (*): overall {} over {} run{}; one met before: {} over {} run{} — {verdict}.",
        n0(a),
        new.len(),
        plural(new.len()),
        n0(b),
        known.len(),
        plural(known.len()),
    ))
}

/// `YYYY-MM-DD HH:MM` (UTC) for seconds since the epoch; "unknown" for 0.
pub fn date(unix: u64) -> String {
    if unix == 0 {
        return "unknown".into();
    }
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// The outcome column: its label, or "no ending".
pub(super) fn outcome_label(o: Option<Outcome>) -> &'static str {
    o.map_or("no ending", |o| o.label())
}

/// One line on how the overall score moved, over the runs whose scores hold up.
pub(super) fn trend(t: &Trainee) -> String {
    let counted: Vec<(usize, &Entry)> = t
        .runs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.counted())
        .collect();
    let (Some(&(_, first)), Some(&(_, last))) = (counted.first(), counted.last()) else {
        return if t.runs.is_empty() {
            String::new()
        } else {
            "No trend: none of these runs reproduces the result stored in it.".into()
        };
    };
    if counted.len() == 1 {
        return if t.runs.len() == 1 {
            format!("One run so far: overall {}.", n0(first.scores[4]))
        } else {
            format!(
                "One run counted (the others do not reproduce): overall {}.",
                n0(first.scores[4])
            )
        };
    }
    let (best_run, best) = counted
        .iter()
        .max_by(|a, b| a.1.scores[4].total_cmp(&b.1.scores[4]).then(b.0.cmp(&a.0)))
        .map_or((1, first.scores[4]), |(i, r)| (i + 1, r.scores[4]));
    let d = last.scores[4] - first.scores[4];
    format!(
        "Overall {} → {} ({}{}) from the first to the latest run; best {} (run {}).{}{}",
        n0(first.scores[4]),
        n0(last.scores[4]),
        if d >= 0.5 {
            "+"
        } else if d <= -0.5 {
            "\u{2212}"
        } else {
            "±"
        },
        n0(d.abs()),
        n0(best),
        best_run,
        rules_note(first, last),
        left_out_note(t.runs.len() - counted.len())
    )
}

/// The trend's warning when the first and latest runs were scored by different rules.
fn rules_note(first: &Entry, last: &Entry) -> String {
    if first.scoring_version != last.scoring_version {
        format!(
            " The first run was scored by scoring version {}, the latest by {}: compare with care (†).",
            first.scoring_version, last.scoring_version
        )
    } else {
        String::new()
    }
}

/// The trend's note on runs left out of it.
fn left_out_note(left_out: usize) -> String {
    if left_out > 0 {
        format!(" ({left_out} run{} left out: see ✗.)", plural(left_out))
    } else {
        String::new()
    }
}

/// The check column: the verification's label, with "✗" for a run left out of the trend
/// and the version re-scored from.
pub(super) fn check_label(r: &Entry) -> String {
    let mut l = r.verification.label().to_string();
    if let Some(v) = r.rescored_from {
        l.push_str(&format!(" (v{v})"));
    }
    if !r.counted() {
        l.push_str(" ✗");
    }
    l
}
