//! The class debrief for the terminal: header, skipped files and notes, verification,
//! outcomes, endings, repeats and temperaments, scores, decision points, key moments and the
//! table of runs, each a function; control characters are made safe at the end.

use super::decisions::{OptionSplit, led_label};
use super::load::{Class, Run};
use super::redact::redact_class_file;
use super::stats::pct;
use super::summary::{DIMENSIONS, Summary};
use crate::assess::score::{SCORING_VERSION, clock};
use crate::cohort::attempts::{GroupStats, Groups};
use crate::cohort::fmt::{clip, plural, signed};
use crate::format::scenario::Scenario;
use crate::records::record::{Record, RecordResult};
use crate::records::verify::SignatureCheck;
use crate::report::{n0, n1};
use std::fmt::Write;

/// A bar of `p` percent of `width` blocks.
fn text_bar(p: f32, width: usize) -> String {
    let n = ((p / 100.0) * width as f32)
        .round()
        .clamp(0.0, width as f32) as usize;
    "█".repeat(n)
}

/// First attempts against repeats, and per temperament where it made a difference.
fn groups_text(o: &mut String, g: &Groups) {
    let row = |o: &mut String, x: &GroupStats| {
        let _ = writeln!(
            o,
            "  {:<22} {:>3} run{:<1}  {:>3}% de-escalated  mean overall {}",
            x.label,
            x.runs,
            plural(x.runs),
            n0(x.deescalated_pct()),
            n0(x.mean_overall)
        );
    };
    if g.repeats.runs > 0 {
        let _ = writeln!(
            o,
            "\nFIRST ATTEMPTS AND REPEATS (a repeat may be a remembered script)"
        );
        row(o, &g.first);
        row(o, &g.repeats);
    }
    if g.temperaments.len() > 1 && g.temperament_matters {
        let _ = writeln!(
            o,
            "\nBY TEMPERAMENT MET (the person was not the same for everyone)"
        );
        for t in &g.temperaments {
            row(o, t);
        }
    } else if g.temperaments.len() > 1 {
        let _ = writeln!(
            o,
            "\nTemperament met ({}) made little difference to outcomes or scores in this class.",
            g.temperaments
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The terminal summary, with every control character shown safely
/// ([`crate::report::sanitize::terminal`]): names, notes and file names come from the records.
pub fn text(class: &Class, s: &Summary, names: bool) -> String {
    crate::report::sanitize::terminal(&render_text(class, s, names))
}

fn render_text(class: &Class, s: &Summary, names: bool) -> String {
    let mut o = String::new();
    let rule = "─".repeat(78);
    header_text(&mut o, class, s, names, &rule);
    skipped_text(&mut o, class);
    rescored_text(&mut o, class, names);
    verification_text(&mut o, class, names);
    if s.runs == 0 {
        let _ = writeln!(o, "No usable runs.");
        return o;
    }
    outcomes_text(&mut o, s);
    groups_text(&mut o, &s.groups);
    scores_text(&mut o, s);
    decisions_text(&mut o, class, s);
    moments_text(&mut o, s);
    runs_text(&mut o, class, names);
    let _ = writeln!(o, "{rule}");
    o
}

/// The title, who and where the runs are from, the scenario file and whether names show.
fn header_text(o: &mut String, class: &Class, s: &Summary, names: bool, rule: &str) {
    let _ = writeln!(o, "{rule}");
    let _ = writeln!(
        o,
        "CLASS DEBRIEF — {} ({})",
        s.scenario_title, s.scenario_id
    );
    let _ = writeln!(
        o,
        "{} run{} by {} trainee{} from {}{}",
        s.runs,
        plural(s.runs),
        s.trainees,
        plural(s.trainees),
        class.folder.display(),
        if s.cohorts.is_empty() {
            String::new()
        } else {
            format!("; cohort {}", s.cohorts.join(", "))
        }
    );
    let _ = writeln!(
        o,
        "Scenario file {}; names {}",
        class.scenario_path.display(),
        if names {
            "shown"
        } else {
            "anonymised (--names to show them)"
        }
    );
    let _ = writeln!(o, "{rule}");
}

/// The files left out, each with its reason, then the notes.
fn skipped_text(o: &mut String, class: &Class) {
    if !class.skipped.is_empty() {
        let _ = writeln!(
            o,
            "Skipped {} file{}{}:",
            class.skipped.len(),
            plural(class.skipped.len()),
            if class.runs.is_empty() {
                ""
            } else {
                " (every other run is counted)"
            }
        );
        for k in &class.skipped {
            let _ = writeln!(o, "  {}: {}", k.file, k.reason);
        }
        o.push('\n');
    }
    for n in &class.notes {
        let _ = writeln!(o, "Note: {n}");
    }
    if !class.notes.is_empty() {
        o.push('\n');
    }
}

/// The runs re-scored with today's rules, and those scored by older rules that could not be.
fn rescored_text(o: &mut String, class: &Class, names: bool) {
    let rescored: Vec<&Run> = class.runs.iter().filter(|r| r.rescored.is_some()).collect();
    if !rescored.is_empty() {
        let _ = writeln!(o, "Re-scored:");
        for r in rescored {
            if let Some(x) = &r.rescored {
                let _ = writeln!(o, "  {}: {}", r.who(names), x.summary());
            }
        }
        o.push('\n');
    }
    if !class.not_rescored.is_empty() {
        let _ = writeln!(
            o,
            "Not re-scored ({} run{}: shown with the scores stored in {}):",
            class.not_rescored.len(),
            plural(class.not_rescored.len()),
            if class.not_rescored.len() == 1 {
                "it"
            } else {
                "them"
            }
        );
        for r in &class.not_rescored {
            let _ = writeln!(o, "  {}: {}", r.who(names), r.explain());
        }
        o.push('\n');
    }
}

/// How the contacts ended: outcome bars, the share de-escalated, and the endings reached.
fn outcomes_text(o: &mut String, s: &Summary) {
    let _ = writeln!(o, "OUTCOMES");
    for c in &s.outcomes {
        let _ = writeln!(
            o,
            "  {:<34} {:>3}  {:>3}%  {}",
            c.label(),
            c.count,
            n0(c.pct),
            text_bar(c.pct, 30)
        );
    }
    let _ = writeln!(
        o,
        "  De-escalated: {} of {} ({}%). Mean length {}.",
        s.deescalated,
        s.runs,
        n0(pct(s.deescalated, s.runs)),
        clock(s.mean_duration)
    );
    let _ = writeln!(o, "\nENDINGS REACHED");
    for e in &s.endings {
        let _ = writeln!(
            o,
            "  {:>3}  {:>3}%  {} [{}]",
            e.count,
            n0(e.pct),
            e.title,
            e.outcome.map_or("none", |o| o.label())
        );
    }
}

/// One line per score: five-number summary, mean and the 10-point histogram.
fn scores_text(o: &mut String, s: &Summary) {
    let _ = writeln!(
        o,
        "\nSCORES                  min    q1  median    q3   max   mean   histogram 0–100 (10-point bins)"
    );
    for (name, title) in DIMENSIONS {
        if let Some(d) = s.score(name) {
            let hist: Vec<String> = d.bins.iter().map(|b| format!("{b:>2}")).collect();
            let _ = writeln!(
                o,
                "  {:<18} {:>5} {:>5} {:>7} {:>5} {:>5} {:>6}   {}",
                title,
                n1(d.min),
                n1(d.q1),
                n1(d.median),
                n1(d.q3),
                n1(d.max),
                n1(d.mean),
                hist.join(" ")
            );
        }
    }
}

/// Each decision point: the subject's line, then each option with its tones and where they led.
fn decisions_text(o: &mut String, class: &Class, s: &Summary) {
    let _ = writeln!(
        o,
        "\nDECISION POINTS (how the class chose; Δ = mean change in agitation)"
    );
    for d in &s.decisions {
        let _ = writeln!(
            o,
            "\n  {} — reached in {} of {} runs; {} choice{}",
            d.scene,
            d.reached,
            s.runs,
            d.choices,
            plural(d.choices)
        );
        if let Some(l) = &d.line {
            let _ = writeln!(o, "    {}: “{}”", class.scenario.subject.name, clip(l, 90));
        }
        for opt in &d.options {
            option_text(o, opt, &class.scenario);
        }
    }
}

/// One option of a decision point: how often, in which tones, and per tone where it led.
fn option_text(o: &mut String, opt: &OptionSplit, sc: &Scenario) {
    let tones: Vec<String> = opt
        .cells
        .iter()
        .map(|c| format!("{} {}", c.tone.label(), c.count))
        .collect();
    let _ = writeln!(
        o,
        "    {:>3}× {:<22} Δ {:>5}  [{}]",
        opt.count,
        opt.option,
        signed(opt.mean_delta),
        tones.join(", ")
    );
    let _ = writeln!(o, "          “{}”", clip(&opt.text, 88));
    for c in &opt.cells {
        let next: Vec<String> = c
            .led_to
            .iter()
            .map(|l| format!("{} ×{}", led_label(&l.to, sc, false), l.count))
            .collect();
        let _ = writeln!(
            o,
            "          {:<10} ×{:<3} Δ {:>5}  {}",
            c.tone.label(),
            c.count,
            signed(c.mean_delta),
            next.join("; ")
        );
    }
}

/// The twelve most common key moments.
fn moments_text(o: &mut String, s: &Summary) {
    if s.moments.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\nMOST COMMON KEY MOMENTS (runs with it · times · mean Δ agitation)"
    );
    for m in s.moments.iter().take(12) {
        let _ = writeln!(
            o,
            "  {:>3} run{} {:>3}×  {:>6}  {}",
            m.runs,
            if m.runs == 1 { " " } else { "s" },
            m.count,
            signed(m.mean_delta),
            clip(&m.category, 90)
        );
    }
}

/// The table of runs: the counted ones, then those shown with their stored scores.
fn runs_text(o: &mut String, class: &Class, names: bool) {
    let _ = writeln!(o, "\nRUNS");
    let _ = writeln!(
        o,
        "  {:<24} {:<10} {:>6} {:<32} {:>5} {:>5} {:>5} {:>5} {:>7}  {:<14} scores",
        "trainee", "cohort", "seed", "outcome", "dist", "time", "tone", "verb", "overall", "check"
    );
    for r in &class.runs {
        let check = r.verification.label();
        run_row(
            o,
            r.who(names),
            &r.record,
            r.result(),
            check,
            scoring_label(r),
        );
    }
    for r in &class.not_rescored {
        let scoring = format!(
            "v{} stored, not re-scored (not in the figures)",
            r.record.scoring_version
        );
        let check = r.verification.label();
        run_row(o, r.who(names), &r.record, &r.record.result, check, scoring);
    }
}

/// One row of the table of runs.
fn run_row(
    o: &mut String,
    who: &str,
    rec: &Record,
    res: &RecordResult,
    check: &str,
    scoring: String,
) {
    let _ = writeln!(
        o,
        "  {:<24} {:<10} {:>6} {:<32} {:>5} {:>5} {:>5} {:>5} {:>7}  {check:<14} {scoring}",
        clip(who, 24),
        clip(rec.cohort.as_deref().unwrap_or("-"), 10),
        rec.seed,
        clip(res.outcome.map_or("no ending", |o| o.label()), 32),
        n0(res.distance),
        n0(res.time),
        n0(res.tone),
        n0(res.verbal),
        n0(res.overall)
    );
}

/// Which runs were verified: every counted run was re-simulated to its stored result (or, by
/// older rules, the same run); with a key, which are signed, and which were changed since.
fn verification_text(o: &mut String, class: &Class, names: bool) {
    let n = class.runs.len();
    if n > 0 {
        let _ = writeln!(
            o,
            "Verified: {n} of {n} counted run{} re-simulated on {} to the result stored in {} (or, scored by older rules, to the same run); records that do not reproduce are listed as skipped.",
            plural(n),
            class.scenario_path.display(),
            if n == 1 { "it" } else { "them" }
        );
    }
    let checks: Vec<(&str, &str, &SignatureCheck)> = class
        .runs
        .iter()
        .map(|r| (r.who(names), r.file.as_str(), &r.verification.signature))
        .chain(
            class
                .not_rescored
                .iter()
                .map(|r| (r.who(names), r.file.as_str(), &r.verification.signature)),
        )
        .collect();
    if checks.iter().all(|c| *c.2 == SignatureCheck::NoKey) {
        if n > 0 {
            o.push('\n');
        }
        return;
    }
    let count = |f: fn(&SignatureCheck) -> bool| checks.iter().filter(|c| f(c.2)).count();
    let _ = writeln!(
        o,
        "Signatures: {} signed with this academy's key, {} signed with another key, {} not signed.",
        count(|c| *c == SignatureCheck::Valid),
        count(|c| matches!(c, SignatureCheck::OtherKey(_))),
        count(|c| matches!(c, SignatureCheck::Unsigned | SignatureCheck::NoKey)),
    );
    for (who, file, _) in checks.iter().filter(|c| *c.2 == SignatureCheck::Mismatch) {
        let file = if names {
            file.to_string()
        } else {
            redact_class_file(file, class)
        };
        let _ = writeln!(
            o,
            "  EDITED: {who} ({file}): its signature does not match, so it was changed after it was written (its scores re-simulate; its name, cohort or notes may not be its own)."
        );
    }
    o.push('\n');
}

/// Which scoring rules a run's scores are by: "v2", or "v2, re-scored from v1".
fn scoring_label(r: &Run) -> String {
    match &r.rescored {
        Some(x) => format!("v{SCORING_VERSION}, re-scored from v{}", x.from),
        None => format!("v{SCORING_VERSION}"),
    }
}
