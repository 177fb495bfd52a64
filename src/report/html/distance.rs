//! The distance chart: how far the trainee stood from the subject over the run, over the
//! scenario's distance bands (ideal, personal space, reactionary gap) with their boundaries
//! labelled where the line leaves room, and the event markers above.

use super::markers;
use super::plot::{self, Frame, LEFT, RIGHT};
use crate::assess::debrief::Debrief;
use crate::report::markup::{escape, line, text};
use crate::report::numbers::{fin, n1};
use std::fmt::Write;

const HEIGHT: f32 = 380.0;
const DISTANCE: &str = "fill=\"none\" stroke=\"#111827\" stroke-width=\"3\" stroke-linejoin=\"round\" stroke-linecap=\"round\"";

/// The scenario's distances in metres, made finite and non-negative.
struct Bands {
    /// The ideal band, `lo` ≤ `hi`.
    lo: f32,
    hi: f32,
    personal_space: f32,
    reactionary_gap: f32,
}

impl Bands {
    fn of(d: &Debrief) -> Bands {
        let (lo, hi) = (
            fin(d.ideal_distance.0).max(0.0),
            fin(d.ideal_distance.1).max(0.0),
        );
        Bands {
            lo: lo.min(hi),
            hi: lo.max(hi),
            personal_space: fin(d.personal_space).max(0.0),
            reactionary_gap: fin(d.reactionary_gap).max(0.0),
        }
    }
}

pub(super) fn chart(o: &mut String, d: &Debrief) {
    let bands = Bands::of(d);
    let (ymax, step) = y_scale(d, &bands);
    let f = Frame::new(d, HEIGHT, ymax);
    let caption = format!("Distance to {} over time", d.subject_name);
    plot::open(
        o,
        "distance",
        &caption,
        "Distance in metres over time",
        HEIGHT,
    );
    shade(o, &f, &bands);
    gridlines(o, &f, step);
    boundaries(o, d, &f, &bands);
    plot::body(o, d, &f, |o| {
        plot::series(o, &f, &d.samples, ("distance", DISTANCE), |s| s.distance);
        plot::lone_sample(o, &f, &d.samples, |s| s.distance, "#111827");
    });
    legend(o);
    markers::legend(o, d);
    o.push_str("</figure>\n");
}

/// The top of the distance axis and its step: room for the farthest sample and every
/// band, rounded up to a step giving at most eight gridlines.
fn y_scale(d: &Debrief, b: &Bands) -> (f32, f32) {
    let dmax = d
        .samples
        .iter()
        .map(|s| fin(s.distance))
        .fold(0.0f32, f32::max)
        .max(b.hi)
        .max(b.personal_space)
        .max(b.reactionary_gap)
        .max(1.0)
        * 1.08;
    nice_ceiling(dmax.min(10_000.0))
}

fn nice_ceiling(v: f32) -> (f32, f32) {
    const STEPS: [f32; 9] = [0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0];
    let step = STEPS
        .into_iter()
        .find(|s| v / s <= 8.0)
        .unwrap_or_else(|| (v / 8.0 / 100.0).ceil() * 100.0);
    (((v / step).ceil() * step).max(step), step)
}

/// The bands shaded: ideal (green), personal space (amber), reactionary gap (red).
fn shade(o: &mut String, f: &Frame, b: &Bands) {
    let (lo, hi) = (b.lo, b.hi);
    let (ps, gap) = (b.personal_space, b.reactionary_gap);
    let ideal = format!("Ideal distance {}–{} m", n1(lo), n1(hi));
    band(o, f, (lo, hi), ("#2f9e57", 0.22), &ideal);
    let personal = format!("Personal space: closer than {} m", n1(ps));
    band(o, f, (0.0, ps), ("#f0a500", 0.30), &personal);
    let reactionary = format!("Reactionary gap: closer than {} m", n1(gap));
    band(o, f, (0.0, gap), ("#e02424", 0.20), &reactionary);
}

fn band(
    o: &mut String,
    f: &Frame,
    (from, to): (f32, f32),
    (fill, opacity): (&str, f32),
    title: &str,
) {
    if to <= from {
        return;
    }
    let (y1, y2) = (f.y(to), f.y(from));
    let _ = write!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" fill-opacity=\"{}\"><title>{}</title></rect>",
        n1(LEFT),
        n1(y1),
        n1(RIGHT - LEFT),
        n1((y2 - y1).max(0.0)),
        opacity,
        escape(title)
    );
}

/// A gridline every `step` metres, labelled on the left.
fn gridlines(o: &mut String, f: &Frame, step: f32) {
    let mut v = 0.0;
    while v <= f.ymax + 1e-3 {
        let y = f.y(v);
        line(o, (LEFT, y), (RIGHT, y), "stroke=\"#e5e7eb\"");
        let label = "font-size=\"14\" fill=\"#374151\" text-anchor=\"end\"";
        text(o, (LEFT - 8.0, y + 5.0), label, &format!("{} m", n1(v)));
        v += step;
    }
}

/// The band boundaries as dashed lines, labelled just below, on the side of the chart the
/// distance line keeps clear of (usually the left, where a run starts far away).
fn boundaries(o: &mut String, d: &Debrief, f: &Frame, b: &Bands) {
    let mut labels: Vec<(f32, String, &str)> = vec![
        (
            b.hi,
            format!("ideal band {}–{} m", n1(b.lo), n1(b.hi)),
            "#14532d",
        ),
        (
            b.personal_space,
            format!("personal space {} m", n1(b.personal_space)),
            "#8a4b00",
        ),
        (
            b.reactionary_gap,
            format!("reactionary gap {} m", n1(b.reactionary_gap)),
            "#991b1b",
        ),
    ];
    labels.retain(|(v, _, _)| *v > 0.0);
    labels.sort_by(|a, b| b.0.total_cmp(&a.0));
    let heights: Vec<f32> = labels.iter().map(|(v, _, _)| *v).collect();
    let left = clearance(d, f, &heights, (0.0, f.tmax * 0.25))
        >= clearance(d, f, &heights, (f.tmax * 0.75, f.tmax));
    let (lx, anchor) = if left {
        (LEFT + 8.0, "start")
    } else {
        (RIGHT - 12.0, "end")
    };
    let mut last_y = f32::NEG_INFINITY;
    for (v, label, colour) in labels {
        let y = f.y(v);
        let dashed = format!("stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"");
        line(o, (LEFT, y), (RIGHT, y), &dashed);
        // Label just below the line, pushed down if it would overlap the previous one.
        let ly = (y + 16.0).max(last_y + 16.0).min(f.bottom - 4.0);
        last_y = ly;
        let attrs = format!(
            "font-size=\"13\" font-weight=\"700\" fill=\"{colour}\" text-anchor=\"{anchor}\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\""
        );
        text(o, (lx, ly), &attrs, &label);
    }
}

/// How close the distance line comes to any boundary label (at `heights` metres) between
/// the times `from` and `to`.
fn clearance(d: &Debrief, f: &Frame, heights: &[f32], (from, to): (f32, f32)) -> f32 {
    let mut best = f32::INFINITY;
    for v in heights {
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
}

fn legend(o: &mut String) {
    plot::legend(
        o,
        &[
            (
                "<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" stroke=\"#111827\" stroke-width=\"3\"/>",
                "your distance (m)",
            ),
            (
                "<rect x=\"1\" y=\"2\" width=\"24\" height=\"12\" fill=\"#2f9e57\" fill-opacity=\"0.3\" stroke=\"#14532d\"/>",
                "ideal band",
            ),
            (
                "<rect x=\"1\" y=\"2\" width=\"24\" height=\"12\" fill=\"#f0a500\" fill-opacity=\"0.4\" stroke=\"#8a4b00\"/>",
                "personal space",
            ),
            (
                "<rect x=\"1\" y=\"2\" width=\"24\" height=\"12\" fill=\"#e02424\" fill-opacity=\"0.3\" stroke=\"#991b1b\"/>",
                "reactionary gap",
            ),
        ],
    );
}
