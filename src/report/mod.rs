//! Debrief renderers: terminal text, JSON and a self-contained HTML file.

pub mod html;
pub mod sanitize;

use crate::assess::debrief::{Debrief, Speaker};
use crate::assess::score::clock;
use std::fmt::Write;

/// The debrief as JSON (stable field names; the whole debrief including events).
pub fn json(d: &Debrief) -> String {
    serde_json::to_string_pretty(d).expect("debriefs always serialise")
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

/// Plain-text debrief for the terminal.
pub fn text(d: &Debrief) -> String {
    let mut o = String::new();
    let rule = "─".repeat(72);
    let _ = writeln!(o, "{rule}");
    let _ = writeln!(o, "AFTER-ACTION DEBRIEF — {}", d.scenario_title);
    if let Some(t) = &d.trainee {
        let _ = writeln!(o, "Trainee: {t}");
    }
    let _ = writeln!(o, "Duration {}   seed {}", clock(d.duration), d.seed);
    let _ = writeln!(o, "{rule}");
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
    if let Some(m) = &d.met {
        let _ = writeln!(o, "\nWHO YOU MET ({})", m.temperament);
        o.push_str(&wrap(&m.description, 70, "  "));
        for c in &m.changes {
            o.push_str(&wrap(&format!("- {c}"), 70, "  "));
        }
    }
    let _ = writeln!(
        o,
        "\nAgitation: started {:.0}, peaked {:.0} at {}, ended {:.0}.",
        d.agitation.start,
        d.agitation.peak,
        clock(d.agitation.peak_t),
        d.agitation.end
    );
    if let Some(r) = &d.recognition {
        let _ = writeln!(o, "\nWHAT WENT WELL");
        o.push_str(&wrap(r, 70, "  "));
    }

    let _ = writeln!(o, "\nSCORES");
    for s in d.scores.dims() {
        let _ = writeln!(
            o,
            "  {:<18} {:>5.0}  {}",
            s.dimension.title(),
            s.score,
            bar(s.score)
        );
    }
    if let Some(adj) = &d.scores.outcome {
        let _ = writeln!(
            o,
            "  {:<18} {:>5.0}  (the four dimensions give {:.0}; {:+.0}: {})",
            "Overall", d.scores.overall, d.scores.weighted, adj.points, adj.reason
        );
    } else {
        let _ = writeln!(o, "  {:<18} {:>5.0}", "Overall", d.scores.overall);
    }

    for s in d.scores.dims() {
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

    let _ = writeln!(o, "\nTIMELINE");
    for e in &d.timeline {
        let who = match e.speaker {
            Speaker::Trainee => "You".to_string(),
            Speaker::Subject => d.subject_name.clone(),
            Speaker::Partner => "Partner".to_string(),
            Speaker::Instructor => "Instructor".to_string(),
            Speaker::Scene => "·".to_string(),
            Speaker::Radio => "Radio".to_string(),
            Speaker::Bystander => "Bystander".to_string(),
        };
        let tone = e.tone.map(|t| format!(" ({t})")).unwrap_or_default();
        let agit = match (e.agitation_before, e.agitation_after) {
            (Some(a), Some(b)) => format!("   [agitation {a:.0} → {b:.0}]"),
            _ => String::new(),
        };
        let text = if e.speaker.speaks() {
            format!("“{}”", e.text)
        } else {
            e.text.clone()
        };
        if e.speaker == Speaker::Scene {
            let _ = writeln!(o, "  {:>5}  · {text}", clock(e.t));
        } else {
            let _ = writeln!(o, "  {:>5}  {who}{tone}: {text}{agit}", clock(e.t));
        }
        if let Some(n) = &e.note {
            o.push_str(&wrap(n, 60, "           ↳ "));
        }
    }

    if !d.key_moments.is_empty() {
        let _ = writeln!(o, "\nKEY MOMENTS (largest changes in agitation)");
        for m in &d.key_moments {
            let _ = writeln!(o, "  {:>5}  {:>+5.0}  {}", clock(m.t), m.delta, m.cause);
        }
    }

    let _ = writeln!(o, "\nCRITICAL DECISION-MAKING MODEL — for reflection");
    for (i, step) in d.cdm.iter().enumerate() {
        let _ = writeln!(o, "  {}. {}", i + 1, step.step);
        for obs in &step.observations {
            o.push_str(&wrap(obs, 66, "     - "));
        }
        o.push_str(&wrap(&format!("? {}", step.question), 66, "     "));
    }

    if !d.instructor.is_empty() {
        let _ = writeln!(o, "\nINSTRUCTOR ACTIONS");
        for n in &d.instructor {
            let _ = writeln!(
                o,
                "  {:>5}  {}",
                clock(n.t),
                crate::assess::debrief::describe_instructor(&n.action)
            );
        }
    }

    if !d.objectives.is_empty() {
        let _ = writeln!(o, "\nLEARNING OBJECTIVES");
        for obj in &d.objectives {
            o.push_str(&wrap(obj, 68, "  • "));
        }
    }
    let _ = writeln!(o, "{rule}");
    crate::report::sanitize::terminal(&o)
}

/// A whole number for display (`0` for NaN).
pub fn n0(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    format!("{:.0}", v.round() + 0.0)
}

/// One decimal, dropping `.0`.
pub fn n1(v: f32) -> String {
    let v = if v.is_finite() {
        (v * 10.0).round() / 10.0
    } else {
        0.0
    };
    if v == v.trunc() {
        format!("{:.0}", v + 0.0)
    } else {
        format!("{v:.1}")
    }
}
