//! The timeline table: every line said and everything that happened, in order, with who,
//! the tone, the note on why it mattered, and agitation before → after.

use super::escape;
use crate::assess::debrief::{Debrief, Speaker, TimelineEntry};
use crate::report::numbers::{at, fin, n0, signed};
use crate::report::who;
use std::fmt::Write;

pub(super) fn timeline(o: &mut String, d: &Debrief) {
    o.push_str("<section id=\"timeline\" class=\"page\">\n<h2>Timeline</h2>\n");
    if d.timeline.is_empty() {
        o.push_str("<p class=\"empty\">Nothing was recorded on the timeline.</p>\n</section>\n");
        return;
    }
    o.push_str(
        "<table><thead><tr><th>Time</th><th>Who</th><th>What was said or happened</th><th>Tone</th><th>Agitation</th></tr></thead><tbody>\n",
    );
    for e in &d.timeline {
        row(o, d, e);
    }
    o.push_str("</tbody></table>\n</section>\n");
}

fn row(o: &mut String, d: &Debrief, e: &TimelineEntry) {
    let quoted = e.speaker.speaks() && !(e.speaker == Speaker::Trainee && e.tone.is_none());
    let text = if quoted {
        format!("“{}”", escape(&e.text))
    } else {
        escape(&e.text)
    };
    let note = e
        .note
        .as_deref()
        .map(|n| format!("<span class=\"why\">{}</span>", escape(n)))
        .unwrap_or_default();
    let tone = e
        .tone
        .map(|t| {
            let t = t.label();
            format!("<span class=\"pill {t}\">{}</span>", escape(t))
        })
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "<tr class=\"{}\"><td class=\"t\">{}</td><td class=\"who\">{}</td><td class=\"say\">{text}{note}</td><td>{tone}</td><td class=\"ag\">{}</td></tr>",
        row_class(e.speaker),
        at(e.t),
        escape(&who(d, e.speaker)),
        change(e.agitation_before, e.agitation_after)
    );
}

/// The row's class, for its colour and style.
fn row_class(s: Speaker) -> &'static str {
    match s {
        Speaker::Trainee => "trainee",
        Speaker::Subject => "subject",
        Speaker::Partner => "partner",
        Speaker::Instructor => "instructor",
        Speaker::Scene => "scene",
        Speaker::Radio => "radio",
        Speaker::Bystander => "bystander",
    }
}

/// Agitation before → after with an arrow that shows which way it went.
fn change(before: Option<f32>, after: Option<f32>) -> String {
    let (Some(a), Some(b)) = (before, after) else {
        return String::new();
    };
    let delta = fin(b).round() - fin(a).round();
    let (c, arrow) = if delta > 0.5 {
        ("up", "▲")
    } else if delta < -0.5 {
        ("down", "▼")
    } else {
        ("flat", "→")
    };
    format!(
        "{} <span class=\"arrow {c}\" title=\"{}\">→ {} {arrow}</span>",
        n0(a),
        signed(delta),
        n0(b)
    )
}
