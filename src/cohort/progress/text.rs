//! Progress for the terminal: one block per trainee (their runs, trend, and whether scores
//! hold up on someone new), then what the marks mean; control characters made safe.

use super::describe::{
    attempt_label, check_label, date, holds_up, met_label, outcome_label, trend,
};
use super::{Entry, Progress, Trainee};
use crate::assess::score::SCORING_VERSION;
use crate::cohort::fmt::{clip, plural};
use crate::report::n0;
use std::fmt::Write;

/// The terminal table, one block per trainee, with every control character shown safely
/// ([`crate::report::sanitize::terminal`]).
pub fn text(p: &Progress) -> String {
    crate::report::sanitize::terminal(&render_text(p))
}

fn render_text(p: &Progress) -> String {
    let mut o = String::new();
    let rule = "─".repeat(110);
    let runs: usize = p.trainees.iter().map(|t| t.runs.len()).sum();
    let _ = writeln!(o, "{rule}");
    let _ = writeln!(
        o,
        "PROGRESS — {} trainee{}, {} run{} from {}",
        p.trainees.len(),
        plural(p.trainees.len()),
        runs,
        plural(runs),
        p.folder.display()
    );
    let _ = writeln!(o, "{rule}");
    if !p.skipped.is_empty() {
        let _ = writeln!(
            o,
            "Skipped {} file{}:",
            p.skipped.len(),
            plural(p.skipped.len())
        );
        for k in &p.skipped {
            let _ = writeln!(o, "  {}: {}", k.file, k.reason);
        }
    }
    for t in &p.trainees {
        trainee_text(&mut o, t);
    }
    legend_text(&mut o, p);
    let _ = writeln!(o, "{rule}");
    o
}

/// One trainee's block: the runs, the trend, whether scores hold up on someone new.
fn trainee_text(o: &mut String, t: &Trainee) {
    let sc = t.scenarios();
    let _ = writeln!(
        o,
        "\n{} — {} run{} of {} scenario{} ({})",
        t.name,
        t.runs.len(),
        plural(t.runs.len()),
        sc.len(),
        plural(sc.len()),
        sc.join(", ")
    );
    let _ = writeln!(
        o,
        "  {:>3}  {:<16}  {:<18} {:<9} {:<12} {:<28} {:>5} {:>5} {:>5} {:>5} {:>7}  check",
        "#",
        "started (UTC)",
        "scenario",
        "attempt",
        "met",
        "outcome",
        "dist",
        "time",
        "tone",
        "verb",
        "overall"
    );
    for (i, r) in t.runs.iter().enumerate() {
        entry_text(o, i, r);
    }
    let _ = writeln!(o, "  {}", trend(t));
    if let Some(h) = holds_up(t) {
        let _ = writeln!(o, "  {h}");
    }
    for (i, r) in t.runs.iter().enumerate().filter(|(_, r)| !r.counted()) {
        let _ = writeln!(
            o,
            "  ✗ run {} ({}): {}.",
            i + 1,
            r.file,
            r.verification.describe()
        );
    }
}

/// One run's row: number, date, scenario, attempt, temperament met, outcome, the five scores,
/// the check, and † with the version when scored by older rules.
fn entry_text(o: &mut String, i: usize, r: &Entry) {
    let _ = writeln!(
        o,
        "  {:>3}  {:<16}  {:<18} {:<9} {:<12} {:<28} {:>5} {:>5} {:>5} {:>5} {:>7}  {:<14}{}",
        i + 1,
        date(r.started_unix),
        clip(&r.scenario_id, 18),
        attempt_label(r.attempt),
        clip(&met_label(r), 12),
        clip(outcome_label(r.outcome), 28),
        n0(r.scores[0]),
        n0(r.scores[1]),
        n0(r.scores[2]),
        n0(r.scores[3]),
        n0(r.scores[4]),
        check_label(r),
        if r.older_rules() {
            format!(" † v{}", r.scoring_version)
        } else {
            String::new()
        }
    );
}

/// What the marks mean, for those that appear.
fn legend_text(o: &mut String, p: &Progress) {
    let all: Vec<&Entry> = p.trainees.iter().flat_map(|t| &t.runs).collect();
    if all.iter().any(|r| r.new_temperament) {
        let _ = writeln!(
            o,
            "\n* the first time this trainee met this temperament in this scenario."
        );
    }
    let verified = all.iter().filter(|r| r.verification.verified()).count();
    let _ = writeln!(
        o,
        "\nCheck: {verified} of {} run{} verified. verified = re-simulated on its scenario to the result stored in it (or, scored by older rules, to the same run, then re-scored: \"(v1)\"); signed = not re-simulated (its scenario is not in the scenario folders, or has changed) but signed with this academy's key and unchanged; unverified = neither could be checked, so its scores are as stored; NOT REPRODUCED / EDITED ✗ = its inputs do not give the result stored in it, or it was changed after it was signed: shown as stored, left out of the trend.",
        all.len(),
        plural(all.len())
    );
    if all.iter().any(|r| r.older_rules()) {
        let _ = writeln!(
            o,
            "\n† scored by an older version of the scoring rules (this program uses version {SCORING_VERSION}) and not re-simulated, so not re-scored: \
             the scores stored in the record, not comparable with the \
             others (version 1 added up every line's verbal points, so longer contacts scored higher). \
             Pass the folder its scenario is in with --scenarios DIR to re-score it."
        );
    }
}
