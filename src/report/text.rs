//! The terminal debrief: plain text, 72 columns, one function per part in the order
//! [`text`] prints them. A new part is a function `fn part(o: &mut String, d: &Debrief)`
//! added to [`PARTS`] where it belongs.

use super::who;
use crate::assess::debrief::{Debrief, Speaker, describe_instructor};
use crate::assess::score::{DimensionScore, clock};
use std::fmt::Write;

/// The parts of the terminal debrief, top to bottom.
const PARTS: [fn(&mut String, &Debrief); 11] = [
    heading,
    outcome,
    met,
    agitation,
    recognition,
    score_table,
    score_breakdown,
    timeline,
    key_moments,
    reflection,
    instructor_and_objectives,
];

/// Plain-text debrief for the terminal.
pub fn text(d: &Debrief) -> String {
    let mut o = String::new();
    for part in PARTS {
        part(&mut o, d);
    }
    let _ = writeln!(o, "{}", rule());
    crate::report::sanitize::terminal(&o)
}

fn rule() -> String {
    "─".repeat(72)
}

/// Word-wrap `text`; the first line starts with `indent`, the others line up under it.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let rest = " ".repeat(indent.chars().count());
    let mut prefix = indent;
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            let _ = writeln!(out, "{prefix}{line}");
            prefix = &rest;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{prefix}{line}");
    }
    out
}

fn bar(score: f32) -> String {
    let n = (score / 5.0).round().clamp(0.0, 20.0) as usize;
    format!("{}{}", "█".repeat(n), "·".repeat(20 - n))
}

fn heading(o: &mut String, d: &Debrief) {
    let rule = rule();
    let _ = writeln!(o, "{rule}");
    let _ = writeln!(o, "AFTER-ACTION DEBRIEF — {}", d.scenario_title);
    if let Some(t) = &d.trainee {
        let _ = writeln!(o, "Trainee: {t}");
    }
    let _ = writeln!(o, "Duration {}   seed {}", clock(d.duration), d.seed);
    let _ = writeln!(o, "{rule}");
}

fn outcome(o: &mut String, d: &Debrief) {
    match (&d.outcome, &d.ending_title) {
        (Some(outcome), Some(title)) => {
            let _ = writeln!(o, "Outcome: {title} ({outcome})");
        }
        _ => {
            let _ = writeln!(o, "Outcome: the run stopped before an ending was reached");
        }
    }
    if let Some(s) = &d.ending_summary {
        o.push_str(&wrap(s, 70, "  "));
    }
}

/// The temperament the trainee met, and how it changed the person.
fn met(o: &mut String, d: &Debrief) {
    let Some(m) = &d.met else { return };
    let _ = writeln!(o, "\nWHO YOU MET ({})", m.temperament);
    o.push_str(&wrap(&m.description, 70, "  "));
    for c in &m.changes {
        o.push_str(&wrap(&format!("- {c}"), 70, "  "));
    }
}

fn agitation(o: &mut String, d: &Debrief) {
    let a = &d.agitation;
    let _ = writeln!(
        o,
        "\nAgitation: started {:.0}, peaked {:.0} at {}, ended {:.0}.",
        a.start,
        a.peak,
        clock(a.peak_t),
        a.end
    );
}

fn recognition(o: &mut String, d: &Debrief) {
    if let Some(r) = &d.recognition {
        let _ = writeln!(o, "\nWHAT WENT WELL");
        o.push_str(&wrap(r, 70, "  "));
    }
}

/// One line a dimension with its bar, then the overall score.
fn score_table(o: &mut String, d: &Debrief) {
    let _ = writeln!(o, "\nSCORES");
    for s in d.scores.dims() {
        let title = s.dimension.title();
        let _ = writeln!(o, "  {title:<18} {:>5.0}  {}", s.score, bar(s.score));
    }
    let s = &d.scores;
    if let Some(adj) = &s.outcome {
        let _ = writeln!(
            o,
            "  {:<18} {:>5.0}  (the four dimensions give {:.0}; {:+.0}: {})",
            "Overall", s.overall, s.weighted, adj.points, adj.reason
        );
    } else {
        let _ = writeln!(o, "  {:<18} {:>5.0}", "Overall", s.overall);
    }
}

/// Every line that moved each dimension's score, with its time.
fn score_breakdown(o: &mut String, d: &Debrief) {
    for s in d.scores.dims() {
        dimension_items(o, s);
    }
}

fn dimension_items(o: &mut String, s: &DimensionScore) {
    let _ = writeln!(o, "\n  {} — {:.0}/100", s.dimension.title(), s.score);
    let _ = writeln!(o, "    {:>6.1}  {}", s.base, s.base_reason);
    for i in &s.items {
        let at = i.t.map(|t| format!("[{}] ", clock(t))).unwrap_or_default();
        let _ = writeln!(o, "    {:>+6.1}  {at}{}", i.points, i.reason);
    }
    if s.gains() > s.counted_gains() + 0.05 {
        let _ = writeln!(
            o,
            "            (earned {:+.1}, of which {:+.1} fits under 100; every loss still counts)",
            s.gains(),
            s.counted_gains()
        );
    }
    let raw = s.raw();
    if (raw - s.score).abs() > 0.05 {
        let _ = writeln!(o, "            (sum {raw:.1}, held within 0–100)");
    }
}

fn timeline(o: &mut String, d: &Debrief) {
    let _ = writeln!(o, "\nTIMELINE");
    for e in &d.timeline {
        let text = if e.speaker.speaks() {
            format!("“{}”", e.text)
        } else {
            e.text.clone()
        };
        if e.speaker == Speaker::Scene {
            let _ = writeln!(o, "  {:>5}  · {text}", clock(e.t));
        } else {
            let who = who(d, e.speaker);
            let tone = e.tone.map(|t| format!(" ({t})")).unwrap_or_default();
            let agit = match (e.agitation_before, e.agitation_after) {
                (Some(a), Some(b)) => format!("   [agitation {a:.0} → {b:.0}]"),
                _ => String::new(),
            };
            let _ = writeln!(o, "  {:>5}  {who}{tone}: {text}{agit}", clock(e.t));
        }
        if let Some(n) = &e.note {
            o.push_str(&wrap(n, 60, "           ↳ "));
        }
    }
}

fn key_moments(o: &mut String, d: &Debrief) {
    if d.key_moments.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nKEY MOMENTS (largest changes in agitation)");
    for m in &d.key_moments {
        let _ = writeln!(o, "  {:>5}  {:>+5.0}  {}", clock(m.t), m.delta, m.cause);
    }
}

/// The Critical Decision-Making Model steps: what the run shows, and a question.
fn reflection(o: &mut String, d: &Debrief) {
    let _ = writeln!(o, "\nCRITICAL DECISION-MAKING MODEL — for reflection");
    for (i, step) in d.cdm.iter().enumerate() {
        let _ = writeln!(o, "  {}. {}", i + 1, step.step);
        for obs in &step.observations {
            o.push_str(&wrap(obs, 66, "     - "));
        }
        o.push_str(&wrap(&format!("? {}", step.question), 66, "     "));
    }
}

fn instructor_and_objectives(o: &mut String, d: &Debrief) {
    if !d.instructor.is_empty() {
        let _ = writeln!(o, "\nINSTRUCTOR ACTIONS");
        for n in &d.instructor {
            let _ = writeln!(o, "  {:>5}  {}", clock(n.t), describe_instructor(&n.action));
        }
    }
    if !d.objectives.is_empty() {
        let _ = writeln!(o, "\nLEARNING OBJECTIVES");
        for obj in &d.objectives {
            o.push_str(&wrap(obj, 68, "  • "));
        }
    }
}
