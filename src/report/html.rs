//! Self-contained HTML debrief: one file, no external CSS, JavaScript, fonts or images,
//! readable offline, printable on A4. Charts are inline SVG.
//!
//! Everything that comes from a scenario file or a trainee (titles, names, lines, notes)
//! is untrusted and goes through [`escape`] before it reaches the page, including SVG
//! `<title>` tooltips. Numbers go through [`num`], which never prints `NaN` or `inf`.

use crate::assess::debrief::{Debrief, Speaker, describe_instructor};
use crate::assess::score::{DimensionScore, clock};
use crate::format::variation::Voice;
use crate::format::vocab::{Outcome, Tone};
use crate::sim::{EventKind, InstructorAction, Sample, Zone};
use std::fmt::Write;

/// Escape text for HTML element content and attribute values (and SVG).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than whitespace have no business on the page.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A finite number with at most one decimal (`0` for NaN or infinity).
fn num(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{:.0}", r + 0.0)
    } else {
        format!("{r:.1}")
    }
}

/// A finite whole number (agitation and trust are read as whole points).
fn whole(v: f32) -> String {
    format!("{:.0}", fin(v).round() + 0.0)
}

/// Finite or zero.
fn fin(v: f32) -> f32 {
    if v.is_finite() { v } else { 0.0 }
}

/// Signed points with a real minus sign: `+2.5`, `−3`, `0`.
fn signed(v: f32) -> String {
    let v = fin(v);
    let r = (v * 10.0).round() / 10.0;
    let abs = num(r.abs());
    if r > 0.0 {
        format!("+{abs}")
    } else if r < 0.0 {
        format!("\u{2212}{abs}")
    } else {
        "0".into()
    }
}

/// Time stamp `m:ss`, safe for NaN.
fn at(t: f32) -> String {
    clock(fin(t))
}

fn tone_class(t: Tone) -> &'static str {
    t.label()
}

fn tone_colour(t: Tone) -> &'static str {
    match t {
        Tone::Calm => "#1b7f45",
        Tone::Neutral => "#6b7280",
        Tone::Firm => "#2456c9",
        Tone::Commanding => "#d35400",
        Tone::Shouting => "#c81e1e",
    }
}

/// Outcome families, for colour only; the words carry the meaning.
fn outcome_class(o: Option<Outcome>) -> &'static str {
    match o {
        Some(o) if o.is_deescalated() => "good",
        Some(Outcome::TacticalWithdrawal) | Some(Outcome::Unresolved) | None => "mid",
        Some(_) => "hard",
    }
}

const CSS: &str = r#"
:root{--ink:#111827;--muted:#4b5563;--line:#d1d5db;--soft:#f3f4f6;--accent:#1e3a8a;
--up:#b91c1c;--down:#15803d;--good-bg:#e8f6ec;--good:#14532d;--mid-bg:#fff4e0;--mid:#7a4100;
--hard-bg:#fde8e8;--hard:#7f1d1d}
*{box-sizing:border-box}
html{font-size:18px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#fff;color:var(--ink);font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;line-height:1.5}
main{max-width:1080px;margin:0 auto;padding:2rem 1.5rem 3rem}
h1{font-size:2rem;line-height:1.2;margin:.2rem 0 .8rem}
h2{font-size:1.4rem;margin:0 0 .8rem;padding-bottom:.3rem;border-bottom:3px solid var(--ink)}
h3{font-size:1.1rem;margin:0 0 .4rem}
section{margin:2.4rem 0 0}
p{margin:.4rem 0}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-weight:700;color:var(--accent);font-size:.85rem;margin:0}
.meta{display:flex;flex-wrap:wrap;gap:.4rem 2rem;margin:0;padding:.7rem 1rem;background:var(--soft);border-radius:6px}
.meta div{display:flex;gap:.4rem}
.meta dt{color:var(--muted)}
.meta dd{margin:0;font-weight:600}
.intro{color:var(--muted);font-size:.95rem}
.outcome{border-left:8px solid;padding:.8rem 1.2rem;border-radius:4px}
.outcome.good{background:var(--good-bg);border-color:#2f855a}
.outcome.mid{background:var(--mid-bg);border-color:#c27c0e}
.outcome.hard{background:var(--hard-bg);border-color:#b42318}
.outcome h3{font-size:1.3rem;margin:.1rem 0 .3rem}
.pill{display:inline-block;padding:.05rem .6rem;border-radius:999px;font-size:.8rem;font-weight:700;border:1px solid rgba(0,0,0,.15);white-space:nowrap;vertical-align:middle}
.pill.good{background:#fff;color:var(--good)}.pill.mid{background:#fff;color:var(--mid)}.pill.hard{background:#fff;color:var(--hard)}
.pill.calm{background:#d7f0de;color:#0f4d2a}.pill.neutral{background:#e5e7eb;color:#1f2937}
.pill.firm{background:#dbe6fd;color:#1a3a8f}.pill.commanding{background:#fde3cc;color:#7a2e05}
.pill.shouting{background:#fcd9d9;color:#7f1414}
.arc{font-size:1.05rem}
.callout{margin-top:1rem;background:var(--good-bg);border:2px solid #2f855a;border-radius:6px;padding:.8rem 1.2rem}
.callout h3{color:var(--good)}
.note{color:var(--muted);font-size:.9rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:1rem;align-items:start}
.card{border:2px solid var(--line);border-radius:8px;padding:.9rem 1rem;background:#fff}
.card header{display:flex;align-items:baseline;justify-content:space-between;gap:1rem}
.score{font-size:2.2rem;font-weight:800;line-height:1}
.score small{font-size:.9rem;font-weight:600;color:var(--muted)}
.meter{height:10px;background:var(--soft);border:1px solid var(--line);border-radius:5px;margin:.5rem 0 .6rem;overflow:hidden}
.meter span{display:block;height:100%;background:var(--accent)}
.overall{border-color:var(--accent);margin-bottom:1rem}
.overall .score{font-size:3rem}
.dimrow{display:grid;grid-template-columns:14rem 1fr 3rem;gap:.6rem;align-items:center;margin:.25rem 0}
.dimrow .meter{margin:0}
.dimrow b{text-align:right}
.items{list-style:none;margin:0;padding:0;font-size:.92rem}
.items li{display:grid;grid-template-columns:3.6rem 3.2rem 1fr;gap:.4rem;padding:.3rem 0;border-top:1px solid var(--soft)}
.items .pts{font-weight:800;text-align:right;font-variant-numeric:tabular-nums}
.items .base .pts{color:var(--ink)}
.items .plus .pts{color:var(--down)}
.items .minus .pts{color:var(--up)}
.items .base{color:var(--muted);font-style:italic}
.ts{font-variant-numeric:tabular-nums;color:var(--muted);font-size:.85rem;white-space:nowrap}
.items .ts{padding-top:.1rem}
.sum{font-size:.85rem;color:var(--muted);margin-top:.3rem}
figure{margin:0 0 1.6rem;border:2px solid var(--line);border-radius:8px;padding:.8rem 1rem}
figcaption{font-weight:700;margin-bottom:.4rem}
svg.chart{display:block;width:100%;height:auto}
svg text{font-family:inherit}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;font-size:.85rem;margin-top:.4rem;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:.35rem}
.legend svg{width:26px;height:16px;flex:none}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th{text-align:left;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border-bottom:2px solid var(--ink);padding:.3rem .5rem}
td{vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid var(--line)}
td.t{font-variant-numeric:tabular-nums;white-space:nowrap;color:var(--muted)}
td.who{font-weight:700;white-space:nowrap}
tr.subject td{background:#f7f7fb}
tr.scene td.say,tr.instructor td.say{color:#374151;font-style:italic}
tr.trainee td.who{color:var(--accent)}
tr.radio td.who{color:#047857}
.why{display:block;font-size:.82rem;color:var(--muted);margin-top:.15rem}
td.ag{white-space:nowrap;font-variant-numeric:tabular-nums}
.arrow{font-weight:800}
.arrow.up{color:var(--up)}.arrow.down{color:var(--down)}.arrow.flat{color:var(--muted)}
.list{list-style:none;padding:0;margin:0}
.list li{display:grid;grid-template-columns:6.5rem 4rem 1fr;gap:.6rem;padding:.45rem 0;border-bottom:1px solid var(--line);align-items:baseline}
.delta{font-weight:800;text-align:right;font-variant-numeric:tabular-nums}
.delta.up{color:var(--up)}.delta.down{color:var(--down)}
.ind{list-style:none;padding:0;margin:0}
.ind li{display:flex;gap:.7rem;align-items:baseline;padding:.35rem 0;border-bottom:1px solid var(--line)}
.ind .mark{font-weight:800;width:1.3rem;text-align:center}
.ind .yes .mark{color:var(--down)}.ind .no .mark{color:var(--up)}
.ind .no .state{color:var(--up)}
.causes{margin:.4rem 0 0}
.cause{display:grid;grid-template-columns:15rem 1fr 4.2rem;gap:.7rem;align-items:center;padding:.25rem 0}
.track{position:relative;height:18px;background:var(--soft);border-radius:3px}
.track::after{content:"";position:absolute;left:50%;top:-3px;bottom:-3px;border-left:2px solid var(--ink)}
.bar{position:absolute;top:2px;bottom:2px}
.bar.up{left:50%;background:var(--up);border-radius:0 3px 3px 0}
.bar.down{right:50%;background:var(--down);border-radius:3px 0 0 3px}
.cause .v{text-align:right;font-weight:800;font-variant-numeric:tabular-nums}
.cause .v.up{color:var(--up)}.cause .v.down{color:var(--down)}
.axisnote{display:grid;grid-template-columns:15rem 1fr 4.2rem;gap:.7rem;font-size:.8rem;color:var(--muted)}
.axisnote span:nth-child(2){display:flex;justify-content:space-between}
ol.cdm{padding-left:0;list-style:none;counter-reset:cdm;margin:0}
ol.cdm>li{counter-increment:cdm;border:2px solid var(--line);border-radius:8px;padding:.7rem 1rem .7rem 3.4rem;margin-bottom:.8rem;position:relative}
ol.cdm>li::before{content:counter(cdm);position:absolute;left:.9rem;top:.6rem;width:1.8rem;height:1.8rem;border-radius:50%;background:var(--accent);color:#fff;font-weight:800;display:flex;align-items:center;justify-content:center}
ol.cdm ul{margin:.2rem 0 .4rem;padding-left:1.2rem}
.q{font-style:italic;border-left:4px solid var(--accent);padding-left:.7rem;margin:.4rem 0 0}
.objectives li{margin:.3rem 0}
footer{margin-top:3rem;padding-top:.8rem;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
.empty{color:var(--muted);font-style:italic}
@page{size:A4;margin:14mm 12mm}
@media print{
html{font-size:10.5pt}
main{max-width:none;padding:0}
section{margin-top:1.2rem}
section.page{break-before:page}
h2{break-after:avoid}
figure,.overall,.callout,.outcome,ol.cdm>li,.list li,.ind li,.cause,tr,.meta,.items li{break-inside:avoid}
thead{display:table-header-group}
.cards{display:block}
.card{padding:.5rem .7rem;margin-bottom:.6rem}
.card header,.card .meter,.items li:first-child{break-after:avoid}
figure{padding:.5rem .6rem;margin-bottom:.8rem}
svg.chart{max-height:120mm}
.hover{display:none}
}
"#;

/// Render the debrief as one self-contained HTML file.
pub fn render(d: &Debrief) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let title = escape(&d.scenario_title);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"deescalate\">\n\
         <title>After-action debrief — {title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
    );
    header(&mut o, d);
    outcome(&mut o, d);
    scores(&mut o, d);
    charts(&mut o, d);
    timeline(&mut o, d);
    moments_indicators_causes(&mut o, d);
    cdm(&mut o, d);
    instructor_and_objectives(&mut o, d);
    let _ = write!(
        o,
        "<footer>Generated by deescalate from scenario <code>{}</code>, seed {}. \
         The same scenario, seed and inputs reproduce this run exactly. \
         This debrief describes what happened and asks questions; it is a starting point \
         for a conversation, not a verdict.</footer>\n</main>\n</body>\n</html>\n",
        escape(&d.scenario_id),
        d.seed
    );
    o
}

fn header(o: &mut String, d: &Debrief) {
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

fn outcome(o: &mut String, d: &Debrief) {
    let cls = outcome_class(d.outcome);
    o.push_str("<section id=\"outcome\">\n<h2>How it ended</h2>\n");
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
    let a = &d.agitation;
    let _ = write!(
        o,
        "<p class=\"arc\">{}'s agitation started at <b>{}</b>, peaked at <b>{}</b> at {} and ended at <b>{}</b> (0 = calm, 100 = crisis).</p>",
        escape(&d.subject_name),
        whole(a.start),
        whole(a.peak.max(a.start)),
        at(a.peak_t),
        whole(a.end)
    );
    if let Some(m) = &d.met {
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

fn meter(score: f32) -> String {
    format!(
        "<div class=\"meter\" aria-hidden=\"true\"><span style=\"width:{}%\"></span></div>",
        num(fin(score).clamp(0.0, 100.0))
    )
}

fn scores(o: &mut String, d: &Debrief) {
    let s = &d.scores;
    o.push_str("<section id=\"scores\">\n<h2>Scores</h2>\n");
    let _ = write!(
        o,
        "<div class=\"card overall\"><header><h3>Overall</h3><div class=\"score\">{}<small> / 100</small></div></header>{}",
        whole(s.overall),
        meter(s.overall)
    );
    for dim in s.dims() {
        let _ = write!(
            o,
            "<div class=\"dimrow\"><span>{} <span class=\"ts\">weight {}</span></span>{}<b>{}</b></div>",
            escape(dim.dimension.title()),
            num(dim.weight),
            meter(dim.score),
            num(dim.score)
        );
    }
    if let Some(adj) = &s.outcome {
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
            num(s.weighted),
            signed(adj.points)
        );
    } else {
        o.push_str(
            "<p class=\"note\">The overall score is the weighted mean of the four dimensions. \
             Each dimension starts from a base and every line below moves it, tied to the moment it happened.</p></div>\n",
        );
    }
    o.push_str("<div class=\"cards\">\n");
    for dim in s.dims() {
        card(o, dim);
    }
    o.push_str("</div>\n</section>\n");
}

fn card(o: &mut String, s: &DimensionScore) {
    let _ = write!(
        o,
        "<div class=\"card\" id=\"score-{}\"><header><h3>{}</h3><div class=\"score\">{}<small> / 100</small></div></header>{}<ul class=\"items\">",
        s.dimension.label(),
        escape(s.dimension.title()),
        num(s.score),
        meter(s.score)
    );
    let _ = write!(
        o,
        "<li class=\"base\"><span class=\"pts\">{}</span><span class=\"ts\"></span><span>{}</span></li>",
        num(s.base),
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
            num(raw)
        );
    }
    o.push_str("</div>\n");
}

// ---------------------------------------------------------------------------------------
// Charts

const W: f32 = 1000.0;
const LEFT: f32 = 62.0;
const RIGHT: f32 = 986.0;
/// Top of the plot area (the marker lanes sit above it).
const TOP: f32 = 62.0;
const LANE_SAID: f32 = 18.0;
const LANE_EVENTS: f32 = 42.0;
/// Most markers drawn per lane before nearby ones are merged.
const MAX_MARKERS: usize = 120;

struct Frame {
    tmax: f32,
    bottom: f32,
    ymax: f32,
}

impl Frame {
    fn x(&self, t: f32) -> f32 {
        LEFT + (RIGHT - LEFT) * (fin(t).clamp(0.0, self.tmax) / self.tmax)
    }
    fn y(&self, v: f32) -> f32 {
        self.bottom - (self.bottom - TOP) * (fin(v).clamp(0.0, self.ymax) / self.ymax)
    }
}

fn time_span(d: &Debrief) -> f32 {
    let mut t = fin(d.duration).max(1.0);
    if let Some(s) = d.samples.last() {
        t = t.max(fin(s.t));
    }
    if let Some(e) = d.events.last() {
        t = t.max(fin(e.t));
    }
    t
}

fn time_step(tmax: f32) -> f32 {
    const STEPS: [f32; 14] = [
        5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 180.0, 300.0, 600.0, 900.0, 1800.0, 3600.0,
        7200.0,
    ];
    STEPS
        .into_iter()
        .find(|s| tmax / s <= 10.0)
        .unwrap_or_else(|| (tmax / 10.0 / 3600.0).ceil() * 3600.0)
}

#[derive(Clone, Copy, PartialEq)]
enum Mk {
    Say(Tone),
    Pause,
    Trigger,
    Zone(Zone),
    Fast,
    Weapon,
    Partner,
    Outside,
}

struct Marker {
    x: f32,
    kind: Mk,
    title: String,
    more: usize,
}

fn mk_shape(kind: Mk, x: f32, y: f32) -> String {
    let (x, y) = (fin(x), fin(y));
    match kind {
        Mk::Say(t) => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"6.5\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
            num(x),
            num(y),
            tone_colour(t)
        ),
        Mk::Pause => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"5.5\" fill=\"#fff\" stroke=\"#111827\" stroke-width=\"2.5\"/>",
            num(x),
            num(y)
        ),
        Mk::Trigger => format!(
            "<polygon points=\"{},{} {},{} {},{} {},{}\" fill=\"#6d28d9\" stroke=\"#fff\" stroke-width=\"1\"/>",
            num(x),
            num(y - 8.0),
            num(x + 8.0),
            num(y),
            num(x),
            num(y + 8.0),
            num(x - 8.0),
            num(y)
        ),
        Mk::Zone(z) => format!(
            "<polygon points=\"{},{} {},{} {},{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\"/>",
            num(x - 7.5),
            num(y - 6.5),
            num(x + 7.5),
            num(y - 6.5),
            num(x),
            num(y + 7.5),
            if z == Zone::ReactionaryGap {
                "#c81e1e"
            } else {
                "#d08700"
            }
        ),
        Mk::Fast => format!(
            "<polygon points=\"{},{} {},{} {},{}\" fill=\"#9a3412\" stroke=\"#fff\" stroke-width=\"1\"/>",
            num(x - 6.5),
            num(y - 7.5),
            num(x + 8.0),
            num(y),
            num(x - 6.5),
            num(y + 7.5)
        ),
        Mk::Weapon => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"13\" height=\"13\" fill=\"#111827\"/>\
             <path d=\"M{} {}l7 7m0 -7l-7 7\" stroke=\"#fff\" stroke-width=\"2\"/>",
            num(x - 6.5),
            num(y - 6.5),
            num(x - 3.5),
            num(y - 3.5)
        ),
        Mk::Partner => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"15\" height=\"15\" rx=\"3\" fill=\"#a16207\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\">2</text>",
            num(x - 7.5),
            num(y - 7.5),
            num(x),
            num(y + 4.0)
        ),
        Mk::Outside => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"7.5\" fill=\"#0e7490\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\">i</text>",
            num(x),
            num(y),
            num(x),
            num(y + 4.2)
        ),
    }
}

fn flag_shape(x: f32, top: f32, bottom: f32) -> String {
    format!(
        "<line x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" stroke=\"#111827\" stroke-width=\"2.5\"/>\
         <polygon points=\"{x},{t} {x2},{t2} {x},{t3}\" fill=\"#111827\"/>",
        x = num(x),
        t = num(top),
        b = num(bottom),
        x2 = num(x - 14.0),
        t2 = num(top + 6.0),
        t3 = num(top + 12.0),
    )
}

fn who(d: &Debrief, s: Speaker) -> String {
    match s {
        Speaker::Trainee => "You".into(),
        Speaker::Subject => d.subject_name.clone(),
        Speaker::Partner => "Partner".into(),
        Speaker::Instructor => "Instructor".into(),
        Speaker::Scene => "Scene".into(),
        Speaker::Radio => "Radio".into(),
        Speaker::Bystander => "Bystander".into(),
    }
}

/// The event markers of a run, split into the "said" and "happened" lanes, thinned so
/// that a very long run does not draw thousands of overlapping shapes.
fn markers(d: &Debrief, f: &Frame) -> (Vec<Marker>, Vec<Marker>, Vec<(f32, String)>) {
    let mut said = Vec::new();
    let mut happened = Vec::new();
    let mut endings = Vec::new();
    for e in &d.events {
        let x = f.x(e.t);
        let when = at(e.t);
        match &e.kind {
            EventKind::Utterance {
                text,
                tone,
                agitation_before,
                agitation_after,
                ..
            } => said.push(Marker {
                x,
                kind: Mk::Say(*tone),
                title: format!(
                    "{when} You ({tone}): “{text}” — agitation {} → {}",
                    whole(*agitation_before),
                    whole(*agitation_after)
                ),
                more: 0,
            }),
            EventKind::TacticalPause {
                agitation_before,
                agitation_after,
            } => said.push(Marker {
                x,
                kind: Mk::Pause,
                title: format!(
                    "{when} A deliberate pause — agitation {} → {}",
                    whole(*agitation_before),
                    whole(*agitation_after)
                ),
                more: 0,
            }),
            EventKind::PartnerTalksOver { line } => happened.push(Marker {
                x,
                kind: Mk::Partner,
                title: format!("{when} Partner talked over you: “{line}”"),
                more: 0,
            }),
            EventKind::TriggerFired {
                condition,
                why,
                line,
                by,
                ..
            } => {
                let mut title = format!("{when} Trigger: {condition}");
                if let Some(w) = why {
                    title.push_str(&format!(" — {w}"));
                }
                if let Some(line) = line
                    && *by != Voice::Subject
                {
                    title.push_str(&format!(" — {}: “{line}”", who(d, Speaker::of(*by))));
                }
                happened.push(Marker {
                    x,
                    kind: Mk::Trigger,
                    title,
                    more: 0,
                })
            }
            EventKind::Zone {
                zone,
                entered: true,
                distance,
                ..
            } => happened.push(Marker {
                x,
                kind: Mk::Zone(*zone),
                title: format!(
                    "{when} Entered {}'s {} ({} m)",
                    d.subject_name,
                    zone.label(),
                    num(*distance)
                ),
                more: 0,
            }),
            EventKind::FastApproach { speed, distance } => happened.push(Marker {
                x,
                kind: Mk::Fast,
                title: format!(
                    "{when} Fast approach: {} m/s from {} m",
                    num(*speed),
                    num(*distance)
                ),
                more: 0,
            }),
            EventKind::Weapon { drawn: true } => happened.push(Marker {
                x,
                kind: Mk::Weapon,
                title: format!("{when} Weapon drawn"),
                more: 0,
            }),
            EventKind::Injected { line, by, .. } => happened.push(Marker {
                x,
                kind: Mk::Outside,
                title: match by {
                    Some(v) => format!(
                        "{when} Outside event — {}: “{line}”",
                        who(d, Speaker::of(*v))
                    ),
                    None => format!("{when} Outside event: {line}"),
                },
                more: 0,
            }),
            EventKind::Instructor { action } => happened.push(Marker {
                x,
                kind: Mk::Outside,
                title: format!("{when} {}", describe_instructor(action)),
                more: 0,
            }),
            EventKind::EndingReached { title, .. } => {
                endings.push((x, format!("{when} Ending: {title}")));
            }
            _ => {}
        }
    }
    (thin(said), thin(happened), endings)
}

/// Merge markers closer than the lane can show apart, once a lane holds too many.
fn thin(ms: Vec<Marker>) -> Vec<Marker> {
    if ms.len() <= MAX_MARKERS {
        return ms;
    }
    let gap = (RIGHT - LEFT) / MAX_MARKERS as f32;
    let mut out: Vec<Marker> = Vec::with_capacity(MAX_MARKERS + 1);
    for m in ms {
        match out.last_mut() {
            Some(last) if m.x - last.x < gap => last.more += 1 + m.more,
            _ => out.push(m),
        }
    }
    out
}

fn draw_markers(o: &mut String, d: &Debrief, f: &Frame) {
    let (said, happened, endings) = markers(d, f);
    let _ = write!(
        o,
        "<g class=\"lanes\"><line x1=\"{l}\" y1=\"{a}\" x2=\"{r}\" y2=\"{a}\" stroke=\"#e5e7eb\"/>\
         <line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#e5e7eb\"/>\
         <text x=\"{lx}\" y=\"{ay}\" font-size=\"13\" fill=\"#4b5563\" text-anchor=\"end\">said</text>\
         <text x=\"{lx}\" y=\"{by}\" font-size=\"13\" fill=\"#4b5563\" text-anchor=\"end\">events</text></g>",
        l = num(LEFT),
        r = num(RIGHT),
        a = num(LANE_SAID),
        b = num(LANE_EVENTS),
        lx = num(LEFT - 10.0),
        ay = num(LANE_SAID + 4.5),
        by = num(LANE_EVENTS + 4.5),
    );
    // Faint guides from the happenings down through the plot, to line them up with the curve.
    for m in &happened {
        if matches!(m.kind, Mk::Trigger | Mk::Weapon | Mk::Fast) {
            let _ = write!(
                o,
                "<line x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\" stroke=\"#9ca3af\" stroke-width=\"1\" stroke-dasharray=\"2 4\"/>",
                x = num(m.x),
                t = num(LANE_EVENTS + 8.0),
                b = num(f.bottom)
            );
        }
    }
    for (lane, ms) in [(LANE_SAID, &said), (LANE_EVENTS, &happened)] {
        for m in ms.iter() {
            let title = if m.more > 0 {
                format!("{} (and {} more nearby)", m.title, m.more)
            } else {
                m.title.clone()
            };
            let _ = write!(
                o,
                "<g class=\"mk\"><title>{}</title>{}</g>",
                escape(&title),
                mk_shape(m.kind, m.x, lane)
            );
        }
    }
    for (x, title) in endings {
        let _ = write!(
            o,
            "<g class=\"mk ending\"><title>{}</title>{}</g>",
            escape(&title),
            flag_shape(x, 6.0, f.bottom)
        );
    }
}

fn x_axis(o: &mut String, f: &Frame) {
    let step = time_step(f.tmax);
    let _ = write!(
        o,
        "<line x1=\"{}\" y1=\"{b}\" x2=\"{}\" y2=\"{b}\" stroke=\"#111827\" stroke-width=\"1.5\"/>",
        num(LEFT),
        num(RIGHT),
        b = num(f.bottom)
    );
    let n = (f.tmax / step).floor() as usize;
    for i in 0..=n.min(1000) {
        let t = i as f32 * step;
        let x = f.x(t);
        let anchor = if i == 0 { "start" } else { "middle" };
        let _ = write!(
            o,
            "<line x1=\"{x}\" y1=\"{b}\" x2=\"{x}\" y2=\"{b6}\" stroke=\"#111827\"/>\
             <text x=\"{x}\" y=\"{ty}\" font-size=\"14\" fill=\"#374151\" text-anchor=\"{anchor}\">{}</text>",
            at(t),
            x = num(x),
            b = num(f.bottom),
            b6 = num(f.bottom + 6.0),
            ty = num(f.bottom + 22.0),
        );
    }
}

fn polyline(f: &Frame, samples: &[Sample], v: impl Fn(&Sample) -> f32) -> String {
    let mut pts = String::with_capacity(samples.len() * 12);
    for (i, s) in samples.iter().enumerate() {
        if i > 0 {
            pts.push(' ');
        }
        let _ = write!(pts, "{},{}", num(f.x(s.t)), num(f.y(v(s))));
    }
    pts
}

fn no_data(o: &mut String, f: &Frame) {
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"18\" fill=\"#4b5563\" text-anchor=\"middle\" stroke=\"#fff\" stroke-width=\"6\" paint-order=\"stroke\">No samples were recorded for this run.</text>",
        num((LEFT + RIGHT) / 2.0),
        num((TOP + f.bottom) / 2.0)
    );
}

fn legend_item(shape: &str, label: &str) -> String {
    format!(
        "<li><svg viewBox=\"0 0 26 16\" aria-hidden=\"true\">{shape}</svg>{}</li>",
        escape(label)
    )
}

/// The legend for the event markers; `false` when there are none.
fn marker_legend(o: &mut String, d: &Debrief) -> bool {
    let mut tones: Vec<Tone> = Vec::new();
    let mut kinds: Vec<Mk> = Vec::new();
    let mut ending = false;
    for e in &d.events {
        let k = match &e.kind {
            EventKind::Utterance { tone, .. } => {
                if !tones.contains(tone) {
                    tones.push(*tone);
                }
                continue;
            }
            EventKind::TacticalPause { .. } => Mk::Pause,
            EventKind::TriggerFired { .. } => Mk::Trigger,
            EventKind::Zone {
                zone,
                entered: true,
                ..
            } => Mk::Zone(*zone),
            EventKind::FastApproach { .. } => Mk::Fast,
            EventKind::Weapon { drawn: true } => Mk::Weapon,
            EventKind::PartnerTalksOver { .. } => Mk::Partner,
            EventKind::Injected { .. } | EventKind::Instructor { .. } => Mk::Outside,
            EventKind::EndingReached { .. } => {
                ending = true;
                continue;
            }
            _ => continue,
        };
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if tones.is_empty() && kinds.is_empty() && !ending {
        return false;
    }
    tones.sort();
    o.push_str("<ul class=\"legend\">");
    for t in tones {
        o.push_str(&legend_item(
            &mk_shape(Mk::Say(t), 13.0, 8.0),
            &format!("you spoke: {t}"),
        ));
    }
    for k in [
        Mk::Pause,
        Mk::Trigger,
        Mk::Zone(Zone::PersonalSpace),
        Mk::Zone(Zone::ReactionaryGap),
        Mk::Fast,
        Mk::Weapon,
        Mk::Partner,
        Mk::Outside,
    ] {
        if kinds.contains(&k) {
            let label = match k {
                Mk::Pause => "tactical pause",
                Mk::Trigger => "scenario trigger",
                Mk::Zone(Zone::PersonalSpace) => "entered personal space",
                Mk::Zone(Zone::ReactionaryGap) => "entered reactionary gap",
                Mk::Fast => "fast approach",
                Mk::Weapon => "weapon drawn",
                Mk::Partner => "partner talked over you",
                _ => "instructor or outside event",
            };
            let shape = mk_shape(k, 13.0, 8.0);
            o.push_str(&legend_item(&shape, label));
        }
    }
    if ending {
        o.push_str(&legend_item(&flag_shape(17.0, 1.0, 15.0), "ending"));
    }
    o.push_str("</ul>");
    true
}

fn charts(o: &mut String, d: &Debrief) {
    o.push_str("<section id=\"charts\" class=\"page\">\n<h2>How it unfolded</h2>\n");
    agitation_chart(o, d);
    distance_chart(o, d);
    o.push_str("</section>\n");
}

fn agitation_chart(o: &mut String, d: &Debrief) {
    let h = 340.0;
    let f = Frame {
        tmax: time_span(d),
        bottom: h - 34.0,
        ymax: 100.0,
    };
    let _ = write!(
        o,
        "<figure id=\"chart-agitation\"><figcaption>Agitation and trust over time</figcaption>\
         <svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Agitation and trust over time, 0 to 100\">",
        num(W),
        num(h)
    );
    // Guides.
    for v in [0.0f32, 25.0, 50.0, 75.0, 100.0] {
        let y = f.y(v);
        let guide = matches!(v as i32, 25 | 50 | 75);
        let _ = write!(
            o,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"1\"{}/>\
             <text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#374151\" text-anchor=\"end\">{}</text>",
            num(LEFT),
            num(RIGHT),
            if guide { "#9ca3af" } else { "#e5e7eb" },
            if guide {
                " stroke-dasharray=\"5 5\""
            } else {
                ""
            },
            num(LEFT - 8.0),
            num(y + 5.0),
            num(v),
            y = num(y),
        );
    }
    let _ = write!(
        o,
        "<line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\" stroke=\"#111827\" stroke-width=\"1.5\"/>",
        l = num(LEFT),
        t = num(TOP),
        b = num(f.bottom)
    );
    draw_markers(o, d, &f);
    if d.samples.is_empty() {
        no_data(o, &f);
    } else {
        let _ = write!(
            o,
            "<polyline class=\"series-trust\" points=\"{}\" fill=\"none\" stroke=\"#7aa7e0\" stroke-width=\"2.5\" stroke-dasharray=\"7 4\" stroke-linejoin=\"round\"/>",
            polyline(&f, &d.samples, |s| s.trust)
        );
        let _ = write!(
            o,
            "<polyline class=\"series-agitation\" points=\"{}\" fill=\"none\" stroke=\"#b91c1c\" stroke-width=\"3.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
            polyline(&f, &d.samples, |s| s.agitation)
        );
        if d.samples.len() == 1 {
            let s = d.samples[0];
            let _ = write!(
                o,
                "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#b91c1c\"/>",
                num(f.x(s.t)),
                num(f.y(s.agitation))
            );
        }
        // Peak.
        let a = &d.agitation;
        if a.peak.is_finite() && a.peak > a.start + 0.5 {
            let (x, y) = (f.x(a.peak_t), f.y(a.peak));
            let anchor = if x > RIGHT - 160.0 { "end" } else { "start" };
            let dx = if anchor == "end" { -9.0 } else { 9.0 };
            let _ = write!(
                o,
                "<g class=\"peak\"><title>Peak agitation {} at {}</title><circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#fff\" stroke=\"#b91c1c\" stroke-width=\"3\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"700\" fill=\"#7f1d1d\" text-anchor=\"{anchor}\" stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\">peak {} at {}</text></g>",
                whole(a.peak),
                at(a.peak_t),
                num(x),
                num(y),
                num(x + dx),
                num((y - 10.0).max(TOP + 14.0)),
                whole(a.peak),
                at(a.peak_t)
            );
        }
    }
    x_axis(o, &f);
    o.push_str("</svg>");
    o.push_str("<ul class=\"legend\">");
    o.push_str(&legend_item(
        "<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" stroke=\"#b91c1c\" stroke-width=\"3.5\"/>",
        &format!("{}'s agitation (0–100)", d.subject_name),
    ));
    o.push_str(&legend_item(
        "<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" stroke=\"#7aa7e0\" stroke-width=\"2.5\" stroke-dasharray=\"7 4\"/>",
        "trust in you (0–100)",
    ));
    o.push_str(&legend_item(
        "<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" stroke=\"#9ca3af\" stroke-dasharray=\"5 5\"/>",
        "levels 25, 50, 75",
    ));
    o.push_str("</ul>");
    if marker_legend(o, d) {
        o.push_str(
            "<p class=\"note hover\">Hover a marker for what was said or what happened.</p>",
        );
    }
    o.push_str("</figure>\n");
}

fn nice_ceiling(v: f32) -> (f32, f32) {
    const STEPS: [f32; 9] = [0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0];
    let step = STEPS
        .into_iter()
        .find(|s| v / s <= 8.0)
        .unwrap_or_else(|| (v / 8.0 / 100.0).ceil() * 100.0);
    (((v / step).ceil() * step).max(step), step)
}

fn distance_chart(o: &mut String, d: &Debrief) {
    let h = 380.0;
    let (lo, hi) = (
        fin(d.ideal_distance.0).max(0.0),
        fin(d.ideal_distance.1).max(0.0),
    );
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let ps = fin(d.personal_space).max(0.0);
    let gap = fin(d.reactionary_gap).max(0.0);
    let dmax = d
        .samples
        .iter()
        .map(|s| fin(s.distance))
        .fold(0.0f32, f32::max)
        .max(hi)
        .max(ps)
        .max(gap)
        .max(1.0)
        * 1.08;
    let (ymax, step) = nice_ceiling(dmax.min(10_000.0));
    let f = Frame {
        tmax: time_span(d),
        bottom: h - 34.0,
        ymax,
    };
    let _ = write!(
        o,
        "<figure id=\"chart-distance\"><figcaption>Distance to {} over time</figcaption>\
         <svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Distance in metres over time\">",
        escape(&d.subject_name),
        num(W),
        num(h)
    );
    let band = |o: &mut String, from: f32, to: f32, fill: &str, opacity: f32, title: &str| {
        if to <= from {
            return;
        }
        let (y1, y2) = (f.y(to), f.y(from));
        let _ = write!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" fill-opacity=\"{}\"><title>{}</title></rect>",
            num(LEFT),
            num(y1),
            num(RIGHT - LEFT),
            num((y2 - y1).max(0.0)),
            opacity,
            escape(title)
        );
    };
    band(
        o,
        lo,
        hi,
        "#2f9e57",
        0.22,
        &format!("Ideal distance {}–{} m", num(lo), num(hi)),
    );
    band(
        o,
        0.0,
        ps,
        "#f0a500",
        0.30,
        &format!("Personal space: closer than {} m", num(ps)),
    );
    band(
        o,
        0.0,
        gap,
        "#e02424",
        0.20,
        &format!("Reactionary gap: closer than {} m", num(gap)),
    );
    // Gridlines and y labels.
    let mut v = 0.0;
    while v <= ymax + 1e-3 {
        let y = f.y(v);
        let _ = write!(
            o,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#e5e7eb\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#374151\" text-anchor=\"end\">{} m</text>",
            num(LEFT),
            num(RIGHT),
            num(LEFT - 8.0),
            num(y + 5.0),
            num(v),
            y = num(y),
        );
        v += step;
    }
    // Zone boundaries, labelled at the right edge.
    let mut labels: Vec<(f32, String, &str)> = vec![
        (
            hi,
            format!("ideal band {}–{} m", num(lo), num(hi)),
            "#14532d",
        ),
        (ps, format!("personal space {} m", num(ps)), "#8a4b00"),
        (gap, format!("reactionary gap {} m", num(gap)), "#991b1b"),
    ];
    labels.retain(|(v, _, _)| *v > 0.0);
    labels.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Labels go on whichever side the distance line keeps clear of (usually the left,
    // where a run starts far away).
    let clearance = |from: f32, to: f32| {
        let mut best = f32::INFINITY;
        for (v, _, _) in &labels {
            let ly = f.y(*v) + 10.0;
            for s in d
                .samples
                .iter()
                .filter(|s| fin(s.t) >= from && fin(s.t) <= to)
            {
                best = best.min((f.y(s.distance) - ly).abs());
            }
        }
        best
    };
    let left = clearance(0.0, f.tmax * 0.25) >= clearance(f.tmax * 0.75, f.tmax);
    let (lx, anchor) = if left {
        (LEFT + 8.0, "start")
    } else {
        (RIGHT - 12.0, "end")
    };
    let mut last_y = f32::NEG_INFINITY;
    for (v, text, colour) in labels {
        let y = f.y(v);
        let _ = write!(
            o,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
            num(LEFT),
            num(RIGHT),
            y = num(y)
        );
        // Label just below the line, pushed down if it would overlap the previous one.
        let ly = (y + 16.0).max(last_y + 16.0).min(f.bottom - 4.0);
        last_y = ly;
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"700\" fill=\"{colour}\" text-anchor=\"{anchor}\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
            num(lx),
            num(ly),
            escape(&text)
        );
    }
    let _ = write!(
        o,
        "<line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\" stroke=\"#111827\" stroke-width=\"1.5\"/>",
        l = num(LEFT),
        t = num(TOP),
        b = num(f.bottom)
    );
    draw_markers(o, d, &f);
    if d.samples.is_empty() {
        no_data(o, &f);
    } else {
        let _ = write!(
            o,
            "<polyline class=\"series-distance\" points=\"{}\" fill=\"none\" stroke=\"#111827\" stroke-width=\"3\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
            polyline(&f, &d.samples, |s| s.distance)
        );
        if d.samples.len() == 1 {
            let s = d.samples[0];
            let _ = write!(
                o,
                "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#111827\"/>",
                num(f.x(s.t)),
                num(f.y(s.distance))
            );
        }
    }
    x_axis(o, &f);
    o.push_str("</svg><ul class=\"legend\">");
    o.push_str(&legend_item(
        "<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" stroke=\"#111827\" stroke-width=\"3\"/>",
        "your distance (m)",
    ));
    o.push_str(&legend_item(
        "<rect x=\"1\" y=\"2\" width=\"24\" height=\"12\" fill=\"#2f9e57\" fill-opacity=\"0.3\" stroke=\"#14532d\"/>",
        "ideal band",
    ));
    o.push_str(&legend_item(
        "<rect x=\"1\" y=\"2\" width=\"24\" height=\"12\" fill=\"#f0a500\" fill-opacity=\"0.4\" stroke=\"#8a4b00\"/>",
        "personal space",
    ));
    o.push_str(&legend_item(
        "<rect x=\"1\" y=\"2\" width=\"24\" height=\"12\" fill=\"#e02424\" fill-opacity=\"0.3\" stroke=\"#991b1b\"/>",
        "reactionary gap",
    ));
    o.push_str("</ul>");
    marker_legend(o, d);
    o.push_str("</figure>\n");
}

// ---------------------------------------------------------------------------------------
// Tables and lists

fn timeline(o: &mut String, d: &Debrief) {
    o.push_str("<section id=\"timeline\" class=\"page\">\n<h2>Timeline</h2>\n");
    if d.timeline.is_empty() {
        o.push_str("<p class=\"empty\">Nothing was recorded on the timeline.</p>\n</section>\n");
        return;
    }
    o.push_str(
        "<table><thead><tr><th>Time</th><th>Who</th><th>What was said or happened</th><th>Tone</th><th>Agitation</th></tr></thead><tbody>\n",
    );
    for e in &d.timeline {
        let cls = match e.speaker {
            Speaker::Trainee => "trainee",
            Speaker::Subject => "subject",
            Speaker::Partner => "partner",
            Speaker::Instructor => "instructor",
            Speaker::Scene => "scene",
            Speaker::Radio => "radio",
            Speaker::Bystander => "bystander",
        };
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
                format!(
                    "<span class=\"pill {}\">{}</span>",
                    tone_class(t),
                    escape(t.label())
                )
            })
            .unwrap_or_default();
        let ag = match (e.agitation_before, e.agitation_after) {
            (Some(a), Some(b)) => {
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
                    whole(a),
                    signed(delta),
                    whole(b)
                )
            }
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "<tr class=\"{cls}\"><td class=\"t\">{}</td><td class=\"who\">{}</td><td class=\"say\">{text}{note}</td><td>{tone}</td><td class=\"ag\">{ag}</td></tr>",
            at(e.t),
            escape(&who(d, e.speaker))
        );
    }
    o.push_str("</tbody></table>\n</section>\n");
}

fn moments_indicators_causes(o: &mut String, d: &Debrief) {
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

    o.push_str("<section id=\"indicators\">\n<h2>Crisis indicators</h2>\n");
    if d.indicators.is_empty() {
        o.push_str("<p class=\"empty\">This scenario lists no crisis indicators.</p>\n");
    } else {
        o.push_str("<ul class=\"ind\">");
        for n in &d.indicators {
            let label = capital(n.indicator.label());
            match n.recognised_at {
                Some(t) => {
                    let _ = write!(
                        o,
                        "<li class=\"yes\"><span class=\"mark\">✓</span><b>{}</b><span class=\"state\">recognised at {}</span></li>",
                        escape(&label),
                        at(t)
                    );
                }
                None => {
                    let _ = write!(
                        o,
                        "<li class=\"no\"><span class=\"mark\">○</span><b>{}</b><span class=\"state\">never acknowledged</span></li>",
                        escape(&label)
                    );
                }
            }
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");

    causes(o, d);
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn causes(o: &mut String, d: &Debrief) {
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
    let _ = write!(
        o,
        "<div class=\"axisnote\" aria-hidden=\"true\"><span></span><span><span>◀ calmer</span><span>more agitated ▶</span></span><span></span></div>"
    );
    for (label, v) in rows {
        let v = fin(v);
        let w = (v.abs() / max * 50.0).clamp(0.0, 50.0);
        let c = if v > 0.0 { "up" } else { "down" };
        let _ = write!(
            o,
            "<div class=\"cause\"><span>{}</span><div class=\"track\"><div class=\"bar {c}\" style=\"width:{}%\"></div></div><span class=\"v {c}\">{}</span></div>",
            escape(label),
            num(w),
            signed(v.round())
        );
    }
    o.push_str("</div>\n</section>\n");
}

fn cdm(o: &mut String, d: &Debrief) {
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

fn instructor_and_objectives(o: &mut String, d: &Debrief) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn numbers_are_never_nan() {
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(num(f32::INFINITY), "0");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(2.25), "2.3");
        assert_eq!(signed(-3.0), "\u{2212}3");
        assert_eq!(signed(2.5), "+2.5");
    }
}
