//! The top of the debrief page: who and what ([`header`]), how it ended with the agitation
//! arc and who the trainee met ([`outcome`]), and the scores, overall and one card per
//! dimension with every line that moved it ([`scores`]).

use super::escape;
use crate::assess::debrief::Debrief;
use crate::assess::score::DimensionScore;
use crate::format::vocab::Outcome;
use crate::report::numbers::{at, fin, n0, n1, signed};
use std::fmt::Write;

/// Outcome families, for colour only; the words carry the meaning.
fn outcome_class(o: Option<Outcome>) -> &'static str {
    match o {
        Some(o) if o.is_deescalated() => "good",
        Some(Outcome::TacticalWithdrawal) | Some(Outcome::Unresolved) | None => "mid",
        Some(_) => "hard",
    }
}

pub(super) fn header(o: &mut String, d: &Debrief) {
    let trainee = d
        .trainee
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map_or_else(|| "not recorded".to_string(), escape);
    let _ = write!(
        o,
        "<header>\n<p class=\"kicker\">After-action debrief</p>\n<h1>{}</h1>\n\
         <dl class=\"meta\">\
         <div><dt>Trainee</dt><dd>{trainee}</dd></div>\
         <div><dt>Subject</dt><dd>{}</dd></div>\
         <div><dt>Duration</dt><dd>{}</dd></div>\
         <div><dt>Seed</dt><dd>{}</dd></div>\
         <div><dt>Scenario</dt><dd>{}</dd></div>\
         </dl>\n</header>\n",
        escape(&d.scenario_title),
        escape(&d.subject_name),
        at(d.duration),
        d.seed,
        escape(&d.scenario_id),
    );
}

/// "How it ended": the ending, the agitation arc, who they met, what went well.
pub(super) fn outcome(o: &mut String, d: &Debrief) {
    o.push_str("<section id=\"outcome\">\n<h2>How it ended</h2>\n");
    ending(o, d);
    arc(o, d);
    met(o, d);
    if d.deescalated
        && let Some(r) = &d.recognition
    {
        let _ = write!(
            o,
            "<div class=\"callout\"><h3>What went well</h3><p>{}</p></div>",
            escape(r)
        );
    }
    o.push_str(
        "<p class=\"intro\">Read this as a record to reflect on: what you did, how the person reacted, \
         and the questions worth talking through. Scores are itemised so every point can be traced to a moment.</p>\n</section>\n",
    );
}

/// The coloured box: the ending's title and family, the time limit, the summary.
fn ending(o: &mut String, d: &Debrief) {
    let cls = outcome_class(d.outcome);
    let _ = write!(o, "<div class=\"outcome {cls}\">");
    match (&d.ending_title, d.outcome) {
        (Some(t), Some(out)) => {
            let _ = write!(
                o,
                "<h3>{} <span class=\"pill {cls}\">{}</span></h3>",
                escape(t),
                escape(out.label())
            );
        }
        (Some(t), None) => {
            let _ = write!(o, "<h3>{}</h3>", escape(t));
        }
        (None, _) => {
            o.push_str("<h3>The run stopped before an ending was reached</h3>");
        }
    }
    if d.timed_out {
        o.push_str("<p>The scenario's time limit ran out.</p>");
    }
    if let Some(s) = &d.ending_summary {
        let _ = write!(o, "<p>{}</p>", escape(s));
    }
    o.push_str("</div>\n");
}

fn arc(o: &mut String, d: &Debrief) {
    let a = &d.agitation;
    let _ = write!(
        o,
        "<p class=\"arc\">{}'s agitation started at <b>{}</b>, peaked at <b>{}</b> at {} and ended at <b>{}</b> (0 = calm, 100 = crisis).</p>",
        escape(&d.subject_name),
        n0(a.start),
        n0(a.peak.max(a.start)),
        at(a.peak_t),
        n0(a.end)
    );
}

/// The temperament the trainee met and how it changed the person.
fn met(o: &mut String, d: &Debrief) {
    let Some(m) = &d.met else { return };
    let changes: String = m
        .changes
        .iter()
        .map(|c| format!("<li>{}</li>", escape(c)))
        .collect();
    let _ = write!(
        o,
        "<div class=\"callout met\"><h3>Who you met: {}</h3><p>{}</p><ul>{changes}</ul></div>",
        escape(&m.temperament),
        escape(&m.description)
    );
}

fn meter(score: f32) -> String {
    format!(
        "<div class=\"meter\" aria-hidden=\"true\"><span style=\"width:{}%\"></span></div>",
        n1(fin(score).clamp(0.0, 100.0))
    )
}

/// "Scores": the overall card, then one card per dimension.
pub(super) fn scores(o: &mut String, d: &Debrief) {
    o.push_str("<section id=\"scores\">\n<h2>Scores</h2>\n");
    overall(o, d);
    o.push_str("<div class=\"cards\">\n");
    for dim in d.scores.dims() {
        card(o, dim);
    }
    o.push_str("</div>\n</section>\n");
}

/// The overall score, a row per dimension, the outcome adjustment and how they add up.
fn overall(o: &mut String, d: &Debrief) {
    let s = &d.scores;
    let _ = write!(
        o,
        "<div class=\"card overall\"><header><h3>Overall</h3><div class=\"score\">{}<small> / 100</small></div></header>{}",
        n0(s.overall),
        meter(s.overall)
    );
    for dim in s.dims() {
        let _ = write!(
            o,
            "<div class=\"dimrow\"><span>{} <span class=\"ts\">weight {}</span></span>{}<b>{}</b></div>",
            escape(dim.dimension.title()),
            n1(dim.weight),
            meter(dim.score),
            n1(dim.score)
        );
    }
    let Some(adj) = &s.outcome else {
        o.push_str(
            "<p class=\"note\">The overall score is the weighted mean of the four dimensions. \
             Each dimension starts from a base and every line below moves it, tied to the moment it happened.</p></div>\n",
        );
        return;
    };
    let _ = write!(
        o,
        "<div class=\"dimrow\"><span>Outcome</span><span class=\"ts\">{}</span><b class=\"neg\">{}</b></div>",
        escape(&adj.reason),
        signed(adj.points)
    );
    let _ = writeln!(
        o,
        "<p class=\"note\">The four dimensions give {} (their weighted mean); how the contact ended moves the overall by {}. \
         Each dimension starts from a base and every line below moves it, tied to the moment it happened.</p></div>",
        n1(s.weighted),
        signed(adj.points)
    );
}

/// One dimension: its score, its base and every line that moved it.
fn card(o: &mut String, s: &DimensionScore) {
    let _ = write!(
        o,
        "<div class=\"card\" id=\"score-{}\"><header><h3>{}</h3><div class=\"score\">{}<small> / 100</small></div></header>{}<ul class=\"items\">",
        s.dimension.label(),
        escape(s.dimension.title()),
        n1(s.score),
        meter(s.score)
    );
    let _ = write!(
        o,
        "<li class=\"base\"><span class=\"pts\">{}</span><span class=\"ts\"></span><span>{}</span></li>",
        n1(s.base),
        escape(&s.base_reason)
    );
    for i in &s.items {
        let cls = if i.points >= 0.0 { "plus" } else { "minus" };
        let when = i.t.map(at).unwrap_or_default();
        let _ = write!(
            o,
            "<li class=\"{cls}\"><span class=\"pts\">{}</span><span class=\"ts\">{when}</span><span>{}</span></li>",
            signed(i.points),
            escape(&i.reason)
        );
    }
    o.push_str("</ul>");
    if s.gains() > s.counted_gains() + 0.05 {
        let _ = write!(
            o,
            "<p class=\"sum\">Points earned: {}, of which {} fit under 100. Every point lost still counts.</p>",
            signed(s.gains()),
            signed(s.counted_gains())
        );
    }
    let raw = s.raw();
    if raw.is_finite() && (raw - s.score).abs() > 0.05 {
        let _ = write!(
            o,
            "<p class=\"sum\">The lines add up to {}; the score is held within 0–100.</p>",
            n1(raw)
        );
    }
    o.push_str("</div>\n");
}
