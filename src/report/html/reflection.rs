//! The second half of the debrief page: key moments, crisis indicators recognised or not,
//! what moved agitation (by cause), the Critical Decision-Making Model questions, and the
//! instructor's actions and the learning objectives.

use super::escape;
use crate::assess::debrief::{Debrief, describe_instructor};
use crate::report::numbers::{at, fin, n1, signed};
use crate::sim::InstructorAction;
use std::fmt::Write;

pub(super) fn key_moments(o: &mut String, d: &Debrief) {
    o.push_str("<section id=\"key-moments\" class=\"page\">\n<h2>Key moments</h2>\n");
    if d.key_moments.is_empty() {
        o.push_str("<p class=\"empty\">No single moment moved agitation by much.</p>\n");
    } else {
        o.push_str(
            "<p class=\"note\">The largest changes in agitation, and what was happening.</p><ul class=\"list\">",
        );
        for m in &d.key_moments {
            let when = if m.t_end > m.t + 0.5 {
                format!("{}–{}", at(m.t), at(m.t_end))
            } else {
                at(m.t)
            };
            let c = if m.delta > 0.0 { "up" } else { "down" };
            let _ = write!(
                o,
                "<li><span class=\"ts\">{when}</span><span class=\"delta {c}\">{}</span><span>{}</span></li>",
                signed(fin(m.delta).round()),
                escape(&m.cause)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

pub(super) fn indicators(o: &mut String, d: &Debrief) {
    o.push_str("<section id=\"indicators\">\n<h2>Crisis indicators</h2>\n");
    if d.indicators.is_empty() {
        o.push_str("<p class=\"empty\">This scenario lists no crisis indicators.</p>\n");
    } else {
        o.push_str("<ul class=\"ind\">");
        for n in &d.indicators {
            let label = escape(&capital(n.indicator.label()));
            let _ = match n.recognised_at {
                Some(t) => write!(
                    o,
                    "<li class=\"yes\"><span class=\"mark\">✓</span><b>{label}</b><span class=\"state\">recognised at {}</span></li>",
                    at(t)
                ),
                None => write!(
                    o,
                    "<li class=\"no\"><span class=\"mark\">○</span><b>{label}</b><span class=\"state\">never acknowledged</span></li>"
                ),
            };
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Agitation added or taken away by each cause, largest first (the causes that did
/// nothing are left out).
fn cause_rows(d: &Debrief) -> Vec<(&'static str, f32)> {
    let c = &d.causes;
    let mut rows: Vec<(&str, f32)> = vec![
        (
            "Standing close (personal space, reactionary gap)",
            c.proximity,
        ),
        ("Fast approaches", c.fast_approach),
        ("A drawn weapon", c.weapon),
        ("Silence", c.silence),
        ("Settling by itself over time", c.settling),
        ("What you said", c.words),
        ("How you said it (tone)", c.tone),
        ("Tactical pauses", c.pauses),
        ("Partner talking over you", c.partner),
        ("Scenario events", c.triggers),
        ("Instructor nudges", c.instructor),
    ];
    rows.retain(|(_, v)| fin(*v).abs() >= 0.05);
    rows.sort_by(|a, b| fin(b.1).total_cmp(&fin(a.1)));
    rows
}

/// "What moved agitation": one bar a cause, calmer to the left, more agitated to the right.
pub(super) fn causes(o: &mut String, d: &Debrief) {
    let rows = cause_rows(d);
    o.push_str("<section id=\"causes\">\n<h2>What moved agitation</h2>\n");
    if rows.is_empty() {
        o.push_str("<p class=\"empty\">Nothing measurably moved agitation.</p>\n</section>\n");
        return;
    }
    let max = rows
        .iter()
        .map(|(_, v)| fin(*v).abs())
        .fold(0.0f32, f32::max)
        .max(1.0);
    o.push_str(
        "<p class=\"note\">Agitation points added (red, right) or taken away (green, left) over the whole run, by cause.</p>\
         <div class=\"causes\">",
    );
    o.push_str(
        "<div class=\"axisnote\" aria-hidden=\"true\"><span></span><span><span>◀ calmer</span><span>more agitated ▶</span></span><span></span></div>",
    );
    for (label, v) in rows {
        let v = fin(v);
        let w = (v.abs() / max * 50.0).clamp(0.0, 50.0);
        let c = if v > 0.0 { "up" } else { "down" };
        let _ = write!(
            o,
            "<div class=\"cause\"><span>{}</span><div class=\"track\"><div class=\"bar {c}\" style=\"width:{}%\"></div></div><span class=\"v {c}\">{}</span></div>",
            escape(label),
            n1(w),
            signed(v.round())
        );
    }
    o.push_str("</div>\n</section>\n");
}

/// The Critical Decision-Making Model: what the run shows at each step, and a question.
pub(super) fn cdm(o: &mut String, d: &Debrief) {
    o.push_str(
        "<section id=\"cdm\" class=\"page\">\n<h2>Critical Decision-Making Model — for reflection</h2>\n\
         <p class=\"note\">What the run shows at each step of the model, and a question to talk through.</p>\n",
    );
    if d.cdm.is_empty() {
        o.push_str("<p class=\"empty\">No reflection steps were produced.</p>\n</section>\n");
        return;
    }
    o.push_str("<ol class=\"cdm\">");
    for step in &d.cdm {
        let _ = write!(o, "<li><h3>{}</h3>", escape(&step.step));
        if !step.observations.is_empty() {
            o.push_str("<ul>");
            for obs in &step.observations {
                let _ = write!(o, "<li>{}</li>", escape(obs));
            }
            o.push_str("</ul>");
        }
        let _ = write!(
            o,
            "<p class=\"q\"><em>{}</em></p></li>",
            escape(&step.question)
        );
    }
    o.push_str("</ol>\n</section>\n");
}

pub(super) fn instructor_and_objectives(o: &mut String, d: &Debrief) {
    if !d.instructor.is_empty() {
        o.push_str("<section id=\"instructor\">\n<h2>Instructor actions</h2>\n<ul class=\"list\">");
        for n in &d.instructor {
            let kind = match &n.action {
                InstructorAction::ForceScene(_) => "moved scene",
                InstructorAction::ForceEnding(_) => "ended",
                InstructorAction::Nudge(_) | InstructorAction::NudgeTrust(_) => "nudge",
                InstructorAction::Inject(_) => "inject",
                InstructorAction::Flag(_) | InstructorAction::FlagAt { .. } => "flag",
            };
            let _ = write!(
                o,
                "<li><span class=\"ts\">{}</span><span class=\"ts\">{kind}</span><span>{}</span></li>",
                at(n.t),
                escape(&describe_instructor(&n.action))
            );
        }
        o.push_str("</ul>\n</section>\n");
    }
    if !d.objectives.is_empty() {
        o.push_str(
            "<section id=\"objectives\">\n<h2>Learning objectives</h2>\n<ul class=\"objectives\">",
        );
        for obj in &d.objectives {
            let _ = write!(o, "<li>{}</li>", escape(obj));
        }
        o.push_str("</ul>\n</section>\n");
    }
}
