//! Progress as one self-contained HTML page: per trainee, a line chart of the five scores over
//! their runs and the table of runs; its style is in `page.css`. Everything from records is
//! escaped.

use super::describe::{
    attempt_label, check_label, date, holds_up, met_label, outcome_label, trend,
};
use super::{Entry, Progress, Trainee};
use crate::assess::score::SCORING_VERSION;
use crate::cohort::fmt::{clip, esc, n2, plural};
use crate::report::{n0, n1};
use std::fmt::Write;

/// Colour and dash pattern per dimension (the dash keeps lines apart without colour).
const LINE: [(&str, &str, &str); 5] = [
    ("Distance & cover", "#1d4ed8", ""),
    ("Time & pacing", "#047857", "14 8"),
    ("Tone of voice", "#b45309", "4 6"),
    ("Verbal choices", "#7e22ce", "16 6 4 6"),
    ("Overall", "#111827", ""),
];

/// The page's style: light, printable, one section per trainee.
const PAGE_CSS: &str = include_str!("page.css");

/// The chart's plot area inside its 1000 × 430 view box.
const LEFT: f32 = 60.0;
const RIGHT: f32 = 980.0;
const TOP: f32 = 20.0;
const BOTTOM: f32 = 340.0;

/// Where run `i` of a trainee's `n` runs falls across the chart (one run: the middle).
fn run_x(i: usize, n: usize) -> f32 {
    if n <= 1 {
        (LEFT + RIGHT) / 2.0
    } else {
        LEFT + 60.0 + (RIGHT - LEFT - 120.0) * i as f32 / (n - 1) as f32
    }
}

/// Where a 0–100 score falls up the chart.
fn score_y(v: f32) -> f32 {
    BOTTOM - (BOTTOM - TOP) * v.clamp(0.0, 100.0) / 100.0
}

/// One trainee's line chart: a line per dimension over their runs, oldest first.
fn chart_svg(t: &Trainee) -> String {
    let (w, h) = (1000.0_f32, 430.0_f32);
    let mut o = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{} — scores per run\">",
        esc(&t.name)
    );
    for v in [0, 25, 50, 75, 100] {
        let yy = score_y(v as f32);
        let _ = write!(
            o,
            "<line x1=\"{LEFT}\" x2=\"{RIGHT}\" y1=\"{0}\" y2=\"{0}\" stroke=\"#d1d5db\" stroke-width=\"{1}\"/><text x=\"{2}\" y=\"{3}\" font-size=\"16\" text-anchor=\"end\" fill=\"#4b5563\">{v}</text>",
            n2(yy),
            if v == 0 { 2 } else { 1 },
            n2(LEFT - 10.0),
            n2(yy + 5.0)
        );
    }
    run_labels(&mut o, t);
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"15\" text-anchor=\"middle\" fill=\"#4b5563\">run (oldest first)</text>",
        n2((LEFT + RIGHT) / 2.0),
        n2(h - 10.0)
    );
    for d in 0..LINE.len() {
        dimension_line(&mut o, t, d);
    }
    o.push_str("</svg>");
    o
}

/// Under the chart, each run's number and (for up to 12 runs) its scenario.
fn run_labels(o: &mut String, t: &Trainee) {
    let n = t.runs.len();
    for (i, r) in t.runs.iter().enumerate() {
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"16\" text-anchor=\"middle\" fill=\"#111827\">{}</text>",
            n2(run_x(i, n)),
            n2(BOTTOM + 26.0),
            i + 1
        );
        if n <= 12 {
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#4b5563\">{}</text>",
                n2(run_x(i, n)),
                n2(BOTTOM + 46.0),
                esc(&clip(&r.scenario_id, 16))
            );
        }
    }
}

/// Dimension `d`'s line and points over the runs that count (a run whose stored result
/// does not hold up is not plotted); each point's tooltip says the run and score.
fn dimension_line(o: &mut String, t: &Trainee, d: usize) {
    let (title, colour, dash) = LINE[d];
    let n = t.runs.len();
    let width = if d == 4 { 5 } else { 3 };
    let shown = || t.runs.iter().enumerate().filter(|(_, r)| r.counted());
    let pts: Vec<String> = shown()
        .map(|(i, r)| format!("{},{}", n2(run_x(i, n)), n2(score_y(r.scores[d]))))
        .collect();
    if pts.len() > 1 {
        let _ = write!(
            o,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\" stroke-linejoin=\"round\"{}/>",
            pts.join(" "),
            dash_attr(dash)
        );
    }
    for (i, r) in shown() {
        let _ = write!(
            o,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"2\"><title>Run {}: {} — {} {} ({})</title></circle>",
            n2(run_x(i, n)),
            n2(score_y(r.scores[d])),
            if d == 4 { 7 } else { 5 },
            i + 1,
            esc(&r.scenario_id),
            esc(title),
            n1(r.scores[d]),
            esc(&date(r.started_unix))
        );
    }
}

/// A line's dash pattern as an SVG attribute (nothing for a solid line).
fn dash_attr(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    }
}

/// The key to the chart's lines.
fn legend() -> String {
    let mut o = String::from("<div class=\"legend\">");
    for (d, (title, colour, dash)) in LINE.iter().enumerate() {
        let _ = write!(
            o,
            "<span><svg width=\"44\" height=\"12\" aria-hidden=\"true\"><line x1=\"2\" x2=\"42\" y1=\"6\" y2=\"6\" stroke=\"{colour}\" stroke-width=\"{}\"{}/></svg>{}</span>",
            if d == 4 { 5 } else { 3 },
            dash_attr(dash),
            esc(title)
        );
    }
    o.push_str("</div>");
    o
}

/// A self-contained HTML page: per trainee, a line chart of the dimensions over their runs
/// and the table of runs. Everything from records is escaped.
pub fn html(p: &Progress) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Trainee progress</title><style>\n{PAGE_CSS}</style></head><body><main>"
    );
    let runs: usize = p.trainees.iter().map(|t| t.runs.len()).sum();
    let _ = write!(
        o,
        "<p class=\"kicker\">Trainee progress</p><h1>{}</h1><p class=\"muted\">{} run{} from {}; scores 0–100 per run, oldest first, across scenarios. Dates are UTC.</p>",
        if p.trainees.len() == 1 {
            esc(&p.trainees[0].name)
        } else {
            format!("{} trainees", p.trainees.len())
        },
        runs,
        plural(runs),
        esc(&p.folder.display().to_string())
    );
    skipped_html(&mut o, p);
    for t in &p.trainees {
        trainee_html(&mut o, t);
    }
    o.push_str("</main></body></html>\n");
    o
}

/// The files that could not be read, with why.
fn skipped_html(o: &mut String, p: &Progress) {
    if p.skipped.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<div class=\"skip\"><b>{} file{} could not be read:</b><ul>",
        p.skipped.len(),
        plural(p.skipped.len())
    );
    for k in &p.skipped {
        let _ = write!(o, "<li>{}: {}</li>", esc(&k.file), esc(&k.reason));
    }
    o.push_str("</ul></div>");
}

/// One trainee's section: the trend, the chart, the table of runs and the notes under it.
fn trainee_html(o: &mut String, t: &Trainee) {
    let sc = t.scenarios();
    let _ = write!(
        o,
        "<section><h2>{}</h2><p class=\"muted\">{} run{} of {} · {}</p>{}{}",
        esc(&t.name),
        t.runs.len(),
        plural(t.runs.len()),
        esc(&sc.join(", ")),
        esc(&trend(t)),
        legend(),
        chart_svg(t)
    );
    o.push_str("<table><tr><th class=\"num\">#</th><th>Started (UTC)</th><th>Scenario</th><th>Attempt</th><th>Met</th><th>Outcome</th><th class=\"num\">Distance</th><th class=\"num\">Time</th><th class=\"num\">Tone</th><th class=\"num\">Verbal</th><th class=\"num\">Overall</th><th>Check</th></tr>");
    for (i, r) in t.runs.iter().enumerate() {
        entry_html(o, i, r);
    }
    o.push_str("</table>");
    if t.runs.iter().any(|r| r.older_rules()) {
        let _ = write!(
            o,
            "<p class=\"muted\">† scored by an older version of the scoring rules (this program uses version {SCORING_VERSION}) and not re-simulated: the scores stored in the record, not comparable with the others.</p>"
        );
    }
    if let Some(h) = holds_up(t) {
        let _ = write!(o, "<p>{}</p>", esc(&h));
    }
    for (i, r) in t.runs.iter().enumerate().filter(|(_, r)| !r.counted()) {
        let _ = write!(
            o,
            "<p>✗ Run {} ({}): {}; not plotted, and left out of the trend.</p>",
            i + 1,
            esc(&r.file),
            esc(&r.verification.describe())
        );
    }
    o.push_str("</section>");
}

/// One run's row of the table; the overall score marked † with its version when scored by
/// older rules, the check's full description as its tooltip.
fn entry_html(o: &mut String, i: usize, r: &Entry) {
    let _ = write!(
        o,
        "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td title=\"{}\">{}</td></tr>",
        i + 1,
        esc(&date(r.started_unix)),
        esc(&r.scenario_id),
        esc(&attempt_label(r.attempt)),
        esc(&met_label(r)),
        esc(outcome_label(r.outcome)),
        n0(r.scores[0]),
        n0(r.scores[1]),
        n0(r.scores[2]),
        n0(r.scores[3]),
        if r.older_rules() {
            format!(
                "{} <span class=\"muted\" title=\"scored by scoring version {}\">† v{}</span>",
                n0(r.scores[4]),
                r.scoring_version,
                r.scoring_version
            )
        } else {
            n0(r.scores[4])
        },
        esc(&r.verification.describe()),
        esc(&check_label(r))
    );
}
