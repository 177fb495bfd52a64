//! What both charts share: the plot area and its scales ([`Frame`]), the figure around a
//! chart, the axes, the marker lanes above the plot, a series drawn as a polyline, and
//! the legend under it. Coordinates are in a 1000-unit-wide SVG view box.

use super::markers;
use crate::assess::debrief::Debrief;
use crate::report::markup::{circle, escape, line, points, text};
use crate::report::numbers::{at, fin, n1};
use crate::sim::Sample;
use std::fmt::Write;

pub(super) const W: f32 = 1000.0;
pub(super) const LEFT: f32 = 62.0;
pub(super) const RIGHT: f32 = 986.0;
/// Top of the plot area (the marker lanes sit above it).
pub(super) const TOP: f32 = 62.0;

/// The plot area of one chart: time on x (0 to `tmax` seconds), a value on y (0 to `ymax`)
/// from `bottom` up to [`TOP`]. Values outside are held at the edges; NaN is 0.
pub(super) struct Frame {
    pub tmax: f32,
    pub bottom: f32,
    pub ymax: f32,
}

impl Frame {
    /// The frame of a chart `height` units high, over the whole run.
    pub fn new(d: &Debrief, height: f32, ymax: f32) -> Frame {
        Frame {
            tmax: time_span(d),
            bottom: height - 34.0,
            ymax,
        }
    }
    pub fn x(&self, t: f32) -> f32 {
        LEFT + (RIGHT - LEFT) * (fin(t).clamp(0.0, self.tmax) / self.tmax)
    }
    pub fn y(&self, v: f32) -> f32 {
        self.bottom - (self.bottom - TOP) * (fin(v).clamp(0.0, self.ymax) / self.ymax)
    }
}

/// How long the run lasted for the time axis (at least 1 s, and long enough for every
/// sample and event).
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

/// Seconds between time-axis ticks: a round step giving at most ten ticks.
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

/// Opens a chart's `<figure>` and its `<svg>`, `height` units high.
pub(super) fn open(o: &mut String, id: &str, caption: &str, label: &str, height: f32) {
    let _ = write!(
        o,
        "<figure id=\"chart-{id}\"><figcaption>{}</figcaption>\
         <svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
        escape(caption),
        n1(W),
        n1(height),
        escape(label)
    );
}

/// The rest of a chart after its background: the value axis, the marker lanes, the
/// series (or a note that there are no samples), the time axis; closes the `<svg>`.
pub(super) fn body(o: &mut String, d: &Debrief, f: &Frame, series: impl FnOnce(&mut String)) {
    line(
        o,
        (LEFT, TOP),
        (LEFT, f.bottom),
        "stroke=\"#111827\" stroke-width=\"1.5\"",
    );
    markers::draw(o, d, f);
    if d.samples.is_empty() {
        no_data(o, f);
    } else {
        series(o);
    }
    time_axis(o, f);
    o.push_str("</svg>");
}

fn no_data(o: &mut String, f: &Frame) {
    text(
        o,
        ((LEFT + RIGHT) / 2.0, (TOP + f.bottom) / 2.0),
        "font-size=\"18\" fill=\"#4b5563\" text-anchor=\"middle\" stroke=\"#fff\" stroke-width=\"6\" paint-order=\"stroke\"",
        "No samples were recorded for this run.",
    );
}

/// The time axis along the bottom, a labelled tick every [`time_step`].
fn time_axis(o: &mut String, f: &Frame) {
    let step = time_step(f.tmax);
    let b = f.bottom;
    line(
        o,
        (LEFT, b),
        (RIGHT, b),
        "stroke=\"#111827\" stroke-width=\"1.5\"",
    );
    let n = (f.tmax / step).floor() as usize;
    for i in 0..=n.min(1000) {
        let t = i as f32 * step;
        let x = f.x(t);
        let anchor = if i == 0 { "start" } else { "middle" };
        line(o, (x, b), (x, b + 6.0), "stroke=\"#111827\"");
        let attrs = format!("font-size=\"14\" fill=\"#374151\" text-anchor=\"{anchor}\"");
        text(o, (x, b + 22.0), &attrs, &at(t));
    }
}

/// One value of every sample as a polyline, `class="series-{class}"`.
pub(super) fn series(
    o: &mut String,
    f: &Frame,
    samples: &[Sample],
    (class, attrs): (&str, &str),
    value: impl Fn(&Sample) -> f32,
) {
    let pts = points(samples.iter().map(|s| (f.x(s.t), f.y(value(s)))));
    let _ = write!(
        o,
        "<polyline class=\"series-{class}\" points=\"{pts}\" {attrs}/>"
    );
}

/// A dot for a run with a single sample, which a polyline would not show.
pub(super) fn lone_sample(
    o: &mut String,
    f: &Frame,
    samples: &[Sample],
    value: impl Fn(&Sample) -> f32,
    colour: &str,
) {
    if let [s] = samples {
        circle(
            o,
            (f.x(s.t), f.y(value(s))),
            5.0,
            &format!("fill=\"{colour}\""),
        );
    }
}

/// The legend under a chart: each swatch (SVG shapes in a 26×16 box) with its label.
pub(super) fn legend(o: &mut String, items: &[(&str, &str)]) {
    o.push_str("<ul class=\"legend\">");
    for (shape, label) in items {
        o.push_str(&legend_item(shape, label));
    }
    o.push_str("</ul>");
}

pub(super) fn legend_item(shape: &str, label: &str) -> String {
    format!(
        "<li><svg viewBox=\"0 0 26 16\" aria-hidden=\"true\">{shape}</svg>{}</li>",
        escape(label)
    )
}
