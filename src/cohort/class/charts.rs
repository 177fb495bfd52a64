//! The class deck's charts, as inline SVG: outcome bars, score box plots, score histograms and
//! an option's stacked tone bar, with the colours they share with the slides.

use super::decisions::OptionSplit;
use super::moments::MomentGroup;
use super::stats::{Distribution, pct};
use super::summary::{DIMENSIONS, OutcomeCount, Summary, outcome_family};
use crate::cohort::fmt::{esc, n2, plural, signed};
use crate::format::vocab::Tone;
use crate::report::{n0, n1};
use std::fmt::Write;

/// The colour of a tone, the same on every chart and legend.
pub(super) fn tone_fill(t: Tone) -> &'static str {
    match t {
        Tone::Calm => "#4ade80",
        Tone::Neutral => "#cbd5e1",
        Tone::Firm => "#60a5fa",
        Tone::Commanding => "#fb923c",
        Tone::Shouting => "#f87171",
    }
}

/// The colour of an outcome family ([`outcome_family`]).
pub(super) fn family_fill(f: &str) -> &'static str {
    match f {
        "good" => "#4ade80",
        "mid" => "#fbbf24",
        _ => "#f87171",
    }
}

/// The colour of each score, in [`DIMENSIONS`] order.
const DIM_FILL: [&str; 5] = ["#60a5fa", "#34d399", "#fbbf24", "#c084fc", "#f8fafc"];

/// Horizontal outcome bars.
pub(super) fn outcome_svg(s: &Summary) -> String {
    let rows: Vec<&OutcomeCount> = s.outcomes.iter().collect();
    let row_h = 76.0;
    let label_w = 620.0;
    let bar_w = 860.0;
    let w = 1720.0;
    let h = row_h * rows.len() as f32 + 10.0;
    let max = rows.iter().map(|c| c.count).max().unwrap_or(1).max(1) as f32;
    let mut o = format!(
        "<svg viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"Outcomes\">",
        n2(h)
    );
    for (i, c) in rows.iter().enumerate() {
        let y = i as f32 * row_h + 8.0;
        let fam = outcome_family(c.outcome);
        let bw = bar_w * c.count as f32 / max;
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"38\" text-anchor=\"end\" opacity=\"{}\">{}</text>",
            n2(label_w - 24.0),
            n2(y + 44.0),
            if c.count == 0 { "0.55" } else { "1" },
            esc(c.label())
        );
        let _ = write!(
            o,
            "<rect x=\"{label_w}\" y=\"{}\" width=\"{bar_w}\" height=\"56\" fill=\"#1a2338\" rx=\"6\"/>",
            n2(y)
        );
        if c.count > 0 {
            let _ = write!(
                o,
                "<rect x=\"{label_w}\" y=\"{}\" width=\"{}\" height=\"56\" fill=\"{}\" rx=\"6\"><title>{}: {} of {} runs</title></rect>",
                n2(y),
                n2(bw),
                family_fill(fam),
                esc(c.label()),
                c.count,
                s.runs
            );
        }
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"40\" font-weight=\"800\" opacity=\"{}\">{} <tspan font-weight=\"400\" fill=\"#cbd5e1\">({}%)</tspan></text>",
            n2(label_w + bar_w + 24.0),
            n2(y + 44.0),
            if c.count == 0 { "0.55" } else { "1" },
            c.count,
            n0(c.pct)
        );
    }
    o.push_str("</svg>");
    o
}

/// The scores the summary has, in [`DIMENSIONS`] order: index, title and distribution.
fn score_rows(s: &Summary) -> Vec<(usize, &'static str, &Distribution)> {
    DIMENSIONS
        .iter()
        .enumerate()
        .filter_map(|(i, (name, title))| s.score(name).map(|d| (i, *title, d)))
        .collect()
}

/// The box plots' geometry: a label column, a 0–100 plot, one row per score.
const BOX_LABEL_W: f32 = 400.0;
const BOX_PLOT_W: f32 = 900.0;
const BOX_ROW_H: f32 = 104.0;
const BOX_TOP: f32 = 20.0;

/// Where a score falls on the box plots' 0–100 axis.
fn box_x(v: f32) -> f32 {
    BOX_LABEL_W + BOX_PLOT_W * v.clamp(0.0, 100.0) / 100.0
}

/// Box plots of the five scores on one 0–100 axis.
pub(super) fn boxplot_svg(s: &Summary) -> String {
    let w = 1720.0;
    let rows = score_rows(s);
    let h = BOX_TOP + BOX_ROW_H * rows.len() as f32 + 70.0;
    let mut o = format!(
        "<svg viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"Score distributions\">",
        n2(h)
    );
    box_axis(&mut o, BOX_TOP + BOX_ROW_H * rows.len() as f32);
    for (k, (i, title, d)) in rows.iter().enumerate() {
        let mid = BOX_TOP + k as f32 * BOX_ROW_H + BOX_ROW_H / 2.0 - 8.0;
        box_row(&mut o, mid, *i, title, d);
    }
    o.push_str("</svg>");
    o
}

/// The grid lines every 10 points (heavier at 0, 50, 100) and their numbers below.
fn box_axis(o: &mut String, axis_y: f32) {
    for t in (0..=100).step_by(10) {
        let xx = box_x(t as f32);
        let _ = write!(
            o,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#334155\" stroke-width=\"{3}\"/>",
            n2(xx),
            n2(BOX_TOP - 10.0),
            n2(axis_y),
            if t % 50 == 0 { 3 } else { 1 }
        );
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"32\" text-anchor=\"middle\" fill=\"#cbd5e1\">{t}</text>",
            n2(xx),
            n2(axis_y + 44.0)
        );
    }
}

/// One score's row, centred on `mid`: its title, the box plot, and the median and range.
fn box_row(o: &mut String, mid: f32, i: usize, title: &str, d: &Distribution) {
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"40\" text-anchor=\"end\" font-weight=\"{}\">{}</text>",
        n2(BOX_LABEL_W - 30.0),
        n2(mid + 14.0),
        if i == 4 { 800 } else { 500 },
        esc(title)
    );
    box_marks(o, mid, DIM_FILL[i], title, d);
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"38\" font-weight=\"800\">{}<tspan font-size=\"28\" font-weight=\"400\" fill=\"#cbd5e1\" dx=\"14\">median · {}–{}</tspan></text>",
        n2(BOX_LABEL_W + BOX_PLOT_W + 36.0),
        n2(mid + 13.0),
        n0(d.median),
        n0(d.min),
        n0(d.max)
    );
}

/// Whiskers, box, median bar and mean diamond of one distribution.
fn box_marks(o: &mut String, mid: f32, fill: &str, title: &str, d: &Distribution) {
    let x = box_x;
    let _ = write!(
        o,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{m}\" y2=\"{m}\" stroke=\"{fill}\" stroke-width=\"4\"/>",
        n2(x(d.min)),
        n2(x(d.max)),
        m = n2(mid)
    );
    for v in [d.min, d.max] {
        let _ = write!(
            o,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{fill}\" stroke-width=\"4\"/>",
            n2(x(v)),
            n2(mid - 18.0),
            n2(mid + 18.0)
        );
    }
    let _ = write!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"60\" fill=\"{fill}\" fill-opacity=\"0.35\" stroke=\"{fill}\" stroke-width=\"4\" rx=\"4\"><title>{}: min {}, quartiles {}–{}, median {}, max {}, mean {}</title></rect>",
        n2(x(d.q1)),
        n2(mid - 30.0),
        n2((x(d.q3) - x(d.q1)).max(3.0)),
        esc(title),
        n1(d.min),
        n1(d.q1),
        n1(d.q3),
        n1(d.median),
        n1(d.max),
        n1(d.mean)
    );
    let _ = write!(
        o,
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#ffffff\" stroke-width=\"8\"/>",
        n2(x(d.median)),
        n2(mid - 34.0),
        n2(mid + 34.0)
    );
    let _ = write!(
        o,
        "<path d=\"M{} {}l11 11l-11 11l-11-11z\" fill=\"#fde047\" stroke=\"#05070d\" stroke-width=\"3\"><title>mean {}</title></path>",
        n2(x(d.mean)),
        n2(mid - 11.0),
        n1(d.mean)
    );
}

/// The histograms' geometry: panel width, the gap between panels, plot height and top.
const HIST_PW: f32 = 300.0;
const HIST_GAP: f32 = 70.0;
const HIST_PH: f32 = 420.0;
const HIST_TOP: f32 = 60.0;

/// Small-multiple histograms in 10-point bins, all on the same count scale.
pub(super) fn histograms_svg(s: &Summary) -> String {
    let panels = score_rows(s);
    let w = HIST_PW * panels.len() as f32 + HIST_GAP * (panels.len().max(1) - 1) as f32;
    let base = HIST_TOP + HIST_PH;
    let max = panels
        .iter()
        .flat_map(|(_, _, d)| d.bins.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    let mut o = format!(
        "<svg viewBox=\"-40 0 {} {}\" role=\"img\" aria-label=\"Score histograms\">",
        n2(w + 80.0),
        n2(base + 60.0)
    );
    for (k, (i, title, d)) in panels.iter().enumerate() {
        histogram_panel(&mut o, k as f32 * (HIST_PW + HIST_GAP), *i, title, d, max);
    }
    o.push_str("</svg>");
    o
}

/// One score's panel from `x0`: title, baseline, ten bins and the 0/50/100 ticks.
fn histogram_panel(o: &mut String, x0: f32, i: usize, title: &str, d: &Distribution, max: f32) {
    let base = HIST_TOP + HIST_PH;
    let bw = HIST_PW / 10.0;
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"38\" font-size=\"34\" font-weight=\"{}\" text-anchor=\"middle\">{}</text>",
        n2(x0 + HIST_PW / 2.0),
        if i == 4 { 800 } else { 600 },
        esc(title)
    );
    let _ = write!(
        o,
        "<line x1=\"{}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"#64748b\" stroke-width=\"3\"/>",
        n2(x0),
        n2(x0 + HIST_PW),
        b = n2(base)
    );
    for (b, &c) in d.bins.iter().enumerate() {
        histogram_bin(o, x0 + b as f32 * bw, b, c, (i, title), max);
    }
    for t in [0, 50, 100] {
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"26\" text-anchor=\"{}\" fill=\"#cbd5e1\">{t}</text>",
            n2(x0 + HIST_PW * t as f32 / 100.0),
            n2(base + 36.0),
            match t {
                0 => "start",
                100 => "end",
                _ => "middle",
            }
        );
    }
}

/// Bin `b` (`c` runs) of score `dim` (index, title) at `bx`: its track, and when any run
/// scored there, its bar and count.
fn histogram_bin(o: &mut String, bx: f32, b: usize, c: usize, dim: (usize, &str), max: f32) {
    let (i, title) = dim;
    let (base, bw) = (HIST_TOP + HIST_PH, HIST_PW / 10.0);
    let bh = (HIST_PH - 40.0) * c as f32 / max;
    let _ = write!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#151d30\"/>",
        n2(bx + 2.0),
        n2(HIST_TOP + 40.0),
        n2(bw - 4.0),
        n2(HIST_PH - 40.0)
    );
    if c == 0 {
        return;
    }
    let _ = write!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} run{} scored {}–{}</title></rect>",
        n2(bx + 2.0),
        n2(base - bh),
        n2(bw - 4.0),
        n2(bh),
        DIM_FILL[i],
        esc(title),
        c,
        plural(c),
        b * 10,
        if b == 9 { 100 } else { b * 10 + 9 }
    );
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"26\" text-anchor=\"middle\" font-weight=\"700\">{c}</text>",
        n2(bx + bw / 2.0),
        n2(base - bh - 8.0)
    );
}

/// One option's stacked tone bar, scaled so the scene's most chosen option fills it.
pub(super) fn tone_bar_svg(opt: &OptionSplit, max: usize, total: usize) -> String {
    let w = 800.0;
    let bar = 640.0;
    let h = 56.0;
    let mut o = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{} chosen {} times\">",
        esc(&opt.option),
        opt.count
    );
    let _ = write!(
        o,
        "<rect x=\"0\" y=\"4\" width=\"{bar}\" height=\"48\" fill=\"#1a2338\" rx=\"5\"/>"
    );
    let mut x = 0.0;
    for c in &opt.cells {
        let cw = bar * c.count as f32 / max.max(1) as f32;
        let _ = write!(
            o,
            "<rect x=\"{}\" y=\"4\" width=\"{}\" height=\"48\" fill=\"{}\" stroke=\"#0d1322\" stroke-width=\"3\"><title>{} ×{} (Δ agitation {})</title></rect>",
            n2(x),
            n2(cw),
            tone_fill(c.tone),
            esc(c.tone.label()),
            c.count,
            esc(&signed(c.mean_delta))
        );
        if cw >= 44.0 {
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"41\" font-size=\"32\" font-weight=\"800\" text-anchor=\"middle\" style=\"fill:#05070d\">{}</text>",
                n2(x + cw / 2.0),
                c.count
            );
        }
        x += cw;
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"42\" font-size=\"34\" font-weight=\"800\">{}<tspan font-weight=\"400\" fill=\"#cbd5e1\" font-size=\"28\"> ({}%)</tspan></text>",
        n2(x + 14.0),
        opt.count,
        n0(pct(opt.count, total))
    );
    o.push_str("</svg>");
    o
}

/// A key moment's bar: the share of runs it happened in, red if agitation rose, else green.
pub(super) fn moment_bar_svg(m: &MomentGroup, runs: usize) -> String {
    let w = 100.0 * m.runs as f32 / runs.max(1) as f32;
    let colour = if m.mean_delta > 0.0 {
        "#f87171"
    } else {
        "#4ade80"
    };
    format!(
        "<svg viewBox=\"0 0 400 50\" role=\"img\" aria-label=\"{} of {} runs\"><rect x=\"0\" y=\"5\" width=\"260\" height=\"40\" fill=\"#1a2338\" rx=\"5\"/><rect x=\"0\" y=\"5\" width=\"{}\" height=\"40\" fill=\"{colour}\" rx=\"5\"/><text x=\"274\" y=\"38\" font-size=\"30\" font-weight=\"800\">{}<tspan font-weight=\"400\" fill=\"#cbd5e1\" font-size=\"24\"> of {}</tspan></text></svg>",
        m.runs,
        runs,
        n2(2.6 * w),
        m.runs,
        runs
    )
}
