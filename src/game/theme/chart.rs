//! Debrief charts rasterised on the CPU: agitation (and trust) over time, and distance over
//! time with the subject's zones shaded, both with the run's events marked. Pure functions
//! into an RGBA8 [`Canvas`]; the debrief screen turns a canvas into a Bevy `Image` and
//! places the axis labels as UI text at the positions [`Plot`] computes.

use crate::assess::debrief::Debrief;
use crate::format::vocab::Tone;
use crate::sim::{EventKind, Sample};

pub type Rgba = [u8; 4];

pub const BG: Rgba = [20, 23, 30, 255];
pub const GRID: Rgba = [70, 78, 94, 255];
pub const AXIS: Rgba = [150, 158, 172, 255];
pub const AGITATION: Rgba = [255, 196, 70, 255];
pub const TRUST: Rgba = [110, 180, 255, 255];
pub const DISTANCE: Rgba = [240, 240, 235, 255];
pub const IDEAL_BAND: Rgba = [60, 200, 110, 70];
pub const PERSONAL_SPACE: Rgba = [255, 150, 60, 70];
pub const REACTIONARY_GAP: Rgba = [255, 70, 60, 90];
pub const TRIGGER: Rgba = [220, 120, 255, 255];
pub const DANGER: Rgba = [255, 80, 70, 255];
pub const NEUTRAL_MARK: Rgba = [230, 230, 230, 255];

/// Margins around the plot area, in pixels (labels go outside the image, so these are small).
pub const MARGIN_LEFT: f32 = 8.0;
pub const MARGIN_RIGHT: f32 = 8.0;
pub const MARGIN_TOP: f32 = 14.0;
pub const MARGIN_BOTTOM: f32 = 10.0;

/// An RGBA8 image being drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    /// Row-major RGBA8, top row first.
    pub data: Vec<u8>,
}

impl Canvas {
    pub fn new(width: u32, height: u32, bg: Rgba) -> Canvas {
        let (width, height) = (width.max(1), height.max(1));
        let mut data = Vec::with_capacity((width * height * 4) as usize);
        for _ in 0..width * height {
            data.extend_from_slice(&bg);
        }
        Canvas {
            width,
            height,
            data,
        }
    }

    pub fn pixel(&self, x: u32, y: u32) -> Rgba {
        let i = ((y * self.width + x) * 4) as usize;
        [
            self.data[i],
            self.data[i + 1],
            self.data[i + 2],
            self.data[i + 3],
        ]
    }

    /// Blend `c` over the pixel at (x, y) with extra coverage `cover` (0..1).
    pub fn blend(&mut self, x: i64, y: i64, c: Rgba, cover: f32) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let a = (c[3] as f32 / 255.0) * cover.clamp(0.0, 1.0);
        if a <= 0.0 {
            return;
        }
        let i = ((y as u32 * self.width + x as u32) * 4) as usize;
        for (d, src) in self.data[i..i + 3].iter_mut().zip(c) {
            let v = *d as f32;
            *d = (v + (src as f32 - v) * a).round().clamp(0.0, 255.0) as u8;
        }
        self.data[i + 3] = 255;
    }

    /// Fill the rectangle [x0, x1) × [y0, y1) (any order, clipped), blending by alpha.
    pub fn fill_rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, c: Rgba) {
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            return;
        }
        let (xa, xb) = (x0.min(x1).round() as i64, x0.max(x1).round() as i64);
        let (ya, yb) = (y0.min(y1).round() as i64, y0.max(y1).round() as i64);
        let xa = xa.max(0);
        let ya = ya.max(0);
        let xb = xb.min(self.width as i64);
        let yb = yb.min(self.height as i64);
        for y in ya..yb {
            for x in xa..xb {
                self.blend(x, y, c, 1.0);
            }
        }
    }

    /// An anti-aliased line segment `width` pixels wide.
    pub fn line(&mut self, (x0, y0): (f32, f32), (x1, y1): (f32, f32), width: f32, c: Rgba) {
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            return;
        }
        let r = (width * 0.5).max(0.5);
        let minx = (x0.min(x1) - r - 1.0).floor().max(0.0) as i64;
        let maxx = (x0.max(x1) + r + 1.0).ceil().min(self.width as f32) as i64;
        let miny = (y0.min(y1) - r - 1.0).floor().max(0.0) as i64;
        let maxy = (y0.max(y1) + r + 1.0).ceil().min(self.height as f32) as i64;
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len2 = dx * dx + dy * dy;
        for y in miny..maxy {
            for x in minx..maxx {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let t = if len2 > 0.0 {
                    (((px - x0) * dx + (py - y0) * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (qx, qy) = (x0 + dx * t - px, y0 + dy * t - py);
                let d = (qx * qx + qy * qy).sqrt();
                let cover = (r + 0.5 - d).clamp(0.0, 1.0);
                if cover > 0.0 {
                    self.blend(x, y, c, cover);
                }
            }
        }
    }

    /// A polyline; `None` points break it.
    pub fn polyline(&mut self, pts: &[Option<(f32, f32)>], width: f32, c: Rgba) {
        for w in pts.windows(2) {
            if let (Some(a), Some(b)) = (w[0], w[1]) {
                self.line(a, b, width, c);
            }
        }
        // Isolated points still show as dots.
        for (i, p) in pts.iter().enumerate() {
            let prev = i > 0 && pts[i - 1].is_some();
            let next = pts.get(i + 1).is_some_and(|p| p.is_some());
            if let Some(p) = p
                && !prev
                && !next
            {
                self.disc(*p, width, c);
            }
        }
    }

    /// A horizontal dashed line across [x0, x1] at y.
    pub fn dashed_hline(&mut self, x0: f32, x1: f32, y: f32, dash: f32, c: Rgba) {
        let mut x = x0;
        while x < x1 {
            let e = (x + dash).min(x1);
            self.line((x, y), (e, y), 1.0, c);
            x += dash * 2.0;
        }
    }

    /// A filled anti-aliased disc of diameter `d`.
    pub fn disc(&mut self, (cx, cy): (f32, f32), d: f32, c: Rgba) {
        if !(cx.is_finite() && cy.is_finite()) {
            return;
        }
        let r = d * 0.5;
        for y in (cy - r - 1.0).floor() as i64..=(cy + r + 1.0).ceil() as i64 {
            for x in (cx - r - 1.0).floor() as i64..=(cx + r + 1.0).ceil() as i64 {
                let (px, py) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
                let cover = (r + 0.5 - (px * px + py * py).sqrt()).clamp(0.0, 1.0);
                self.blend(x, y, c, cover);
            }
        }
    }

    /// A small downward-pointing triangle whose tip is at (x, y).
    pub fn marker(&mut self, x: f32, y: f32, size: f32, c: Rgba) {
        let h = size;
        for row in 0..(h.ceil() as i64) {
            let half = (h - row as f32) * 0.55;
            let yy = y - h + row as f32;
            self.line((x - half, yy), (x + half, yy), 1.0, c);
        }
    }
}

/// Maps time and value to pixels inside a canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    pub width: f32,
    pub height: f32,
    pub t_max: f32,
    pub v_min: f32,
    pub v_max: f32,
}

impl Plot {
    pub fn new(width: u32, height: u32, t_max: f32, v_min: f32, v_max: f32) -> Plot {
        let t_max = if t_max.is_finite() && t_max > 0.0 {
            t_max
        } else {
            1.0
        };
        let (v_min, v_max) = if v_max.is_finite() && v_min.is_finite() && v_max > v_min {
            (v_min, v_max)
        } else {
            (0.0, 1.0)
        };
        Plot {
            width: width as f32,
            height: height as f32,
            t_max,
            v_min,
            v_max,
        }
    }
    pub fn left(&self) -> f32 {
        MARGIN_LEFT
    }
    pub fn right(&self) -> f32 {
        self.width - MARGIN_RIGHT
    }
    pub fn top(&self) -> f32 {
        MARGIN_TOP
    }
    pub fn bottom(&self) -> f32 {
        self.height - MARGIN_BOTTOM
    }
    pub fn x(&self, t: f32) -> f32 {
        self.left() + (t / self.t_max).clamp(0.0, 1.0) * (self.right() - self.left())
    }
    pub fn y(&self, v: f32) -> f32 {
        let f = ((v - self.v_min) / (self.v_max - self.v_min)).clamp(0.0, 1.0);
        self.bottom() - f * (self.bottom() - self.top())
    }
    /// `x(t)` as a fraction of the canvas width (for placing UI labels).
    pub fn x_frac(&self, t: f32) -> f32 {
        self.x(t) / self.width
    }
    /// `y(v)` as a fraction of the canvas height.
    pub fn y_frac(&self, v: f32) -> f32 {
        self.y(v) / self.height
    }
}

/// Evenly spaced "nice" tick values from 0 to `max` (at most about `target` of them).
pub fn nice_ticks(max: f32, target: usize) -> Vec<f32> {
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0];
    }
    let raw = max / target.max(1) as f32;
    let mag = 10f32.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut out = Vec::new();
    let mut v = 0.0;
    while v <= max + step * 1e-3 && out.len() < 64 {
        out.push(v);
        v += step;
    }
    out
}

/// Time ticks in seconds: steps of 1, 2, 5, 10, 15 or 30 s, or 1, 2, 5 or 10 minutes.
pub fn time_ticks(t_max: f32) -> Vec<f32> {
    if !t_max.is_finite() || t_max <= 0.0 {
        return vec![0.0];
    }
    let step = [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0]
        .into_iter()
        .find(|s| t_max / s <= 8.0)
        .unwrap_or(600.0);
    let mut out = Vec::new();
    let mut t = 0.0;
    while t <= t_max + 1e-3 && out.len() < 64 {
        out.push(t);
        t += step;
    }
    out
}

/// Something worth marking on a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub t: f32,
    pub color: Rgba,
    /// Drawn as a full-height line (big events) or just a tick at the top (utterances).
    pub strong: bool,
}

pub fn tone_rgba(t: Tone) -> Rgba {
    match t {
        Tone::Calm => [77, 217, 166, 255],
        Tone::Neutral => [158, 196, 247, 255],
        Tone::Firm => [255, 219, 77, 255],
        Tone::Commanding => [255, 143, 51, 255],
        Tone::Shouting => [255, 77, 77, 255],
    }
}

/// The run's events as chart marks.
pub fn marks(d: &Debrief) -> Vec<Mark> {
    d.events
        .iter()
        .filter_map(|e| {
            let (color, strong) = match &e.kind {
                EventKind::Utterance { tone, .. } => (tone_rgba(*tone), false),
                EventKind::TacticalPause { .. } => (NEUTRAL_MARK, false),
                EventKind::TriggerFired { .. } => (TRIGGER, true),
                EventKind::Weapon { drawn: true } => (DANGER, true),
                EventKind::FastApproach { .. } => (DANGER, true),
                EventKind::Zone { entered: true, .. } => ([255, 150, 60, 255], true),
                EventKind::PartnerTalksOver { .. } => ([130, 220, 255, 255], false),
                EventKind::Injected { .. } => ([160, 255, 160, 255], true),
                EventKind::EndingReached { .. } => (NEUTRAL_MARK, true),
                _ => return None,
            };
            Some(Mark {
                t: e.t,
                color,
                strong,
            })
        })
        .collect()
}

/// The time span a chart covers: the whole run.
pub fn run_length(d: &Debrief) -> f32 {
    let last_sample = d.samples.last().map_or(0.0, |s| s.t);
    let last_event = d.events.last().map_or(0.0, |e| e.t);
    let t = d.duration.max(last_sample).max(last_event);
    if t.is_finite() && t > 1.0 { t } else { 1.0 }
}

fn draw_time_grid(c: &mut Canvas, p: &Plot) {
    for t in time_ticks(p.t_max) {
        let x = p.x(t);
        c.line(
            (x, p.top()),
            (x, p.bottom()),
            1.0,
            [GRID[0], GRID[1], GRID[2], 120],
        );
        c.line((x, p.bottom()), (x, p.bottom() + 5.0), 1.0, AXIS);
    }
}

fn draw_marks(c: &mut Canvas, p: &Plot, marks: &[Mark]) {
    for m in marks {
        let x = p.x(m.t);
        if m.strong {
            c.line(
                (x, p.top()),
                (x, p.bottom()),
                1.5,
                [m.color[0], m.color[1], m.color[2], 150],
            );
        }
        c.marker(x, p.top() - 1.0, 9.0, m.color);
    }
}

fn frame(c: &mut Canvas, p: &Plot) {
    c.line((p.left(), p.bottom()), (p.right(), p.bottom()), 1.5, AXIS);
    c.line((p.left(), p.top()), (p.left(), p.bottom()), 1.5, AXIS);
}

fn series(p: &Plot, samples: &[Sample], f: impl Fn(&Sample) -> f32) -> Vec<Option<(f32, f32)>> {
    samples
        .iter()
        .map(|s| {
            let v = f(s);
            (v.is_finite() && s.t.is_finite()).then(|| (p.x(s.t), p.y(v)))
        })
        .collect()
}

/// Agitation (thick, amber) and trust (thin, blue) from 0 to 100 with the 25/50/75 levels.
pub fn agitation_chart(d: &Debrief, width: u32, height: u32) -> (Canvas, Plot) {
    let mut c = Canvas::new(width, height, BG);
    let p = Plot::new(c.width, c.height, run_length(d), 0.0, 100.0);
    for level in [25.0, 50.0, 75.0] {
        c.dashed_hline(p.left(), p.right(), p.y(level), 6.0, GRID);
    }
    // The upper quarter (agitation ≥ 75) tinted as the danger zone.
    c.fill_rect(
        p.left(),
        p.y(100.0),
        p.right(),
        p.y(75.0),
        [255, 70, 60, 28],
    );
    draw_time_grid(&mut c, &p);
    draw_marks(&mut c, &p, &marks(d));
    c.polyline(&series(&p, &d.samples, |s| s.trust), 2.0, TRUST);
    c.polyline(&series(&p, &d.samples, |s| s.agitation), 3.5, AGITATION);
    // Utterances as dots on the agitation line, in the colour of their tone.
    for e in &d.events {
        if let EventKind::Utterance {
            tone,
            agitation_after,
            ..
        } = &e.kind
        {
            c.disc((p.x(e.t), p.y(*agitation_after)), 9.0, BG);
            c.disc((p.x(e.t), p.y(*agitation_after)), 7.0, tone_rgba(*tone));
        }
    }
    frame(&mut c, &p);
    (c, p)
}

/// The largest distance the distance chart shows.
pub fn distance_max(d: &Debrief) -> f32 {
    let seen = d
        .samples
        .iter()
        .map(|s| s.distance)
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max);
    let want = seen
        .max(d.ideal_distance.1 + 2.0)
        .max(d.personal_space + 1.0)
        .clamp(4.0, 60.0);
    // Round up to a multiple of 2 m.
    (want / 2.0).ceil() * 2.0
}

/// Distance to the subject, with the reactionary gap (red), personal space (orange) and
/// ideal talking band (green) shaded.
pub fn distance_chart(d: &Debrief, width: u32, height: u32) -> (Canvas, Plot) {
    let mut c = Canvas::new(width, height, BG);
    let p = Plot::new(c.width, c.height, run_length(d), 0.0, distance_max(d));
    let (l, r) = (p.left(), p.right());
    let gap = d.reactionary_gap.max(0.0);
    let ps = d.personal_space.max(0.0);
    let (lo, hi) = (d.ideal_distance.0.max(0.0), d.ideal_distance.1.max(0.0));
    // Both zones start at the subject; the larger one is drawn first so the smaller one
    // shows on top of it (in some scenarios the reactionary gap is the larger).
    let mut zones = [(gap, REACTIONARY_GAP), (ps, PERSONAL_SPACE)];
    zones.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (extent, colour) in zones {
        if extent > 0.0 {
            c.fill_rect(l, p.y(extent), r, p.y(0.0), colour);
            c.dashed_hline(
                l,
                r,
                p.y(extent),
                4.0,
                [colour[0], colour[1], colour[2], 220],
            );
        }
    }
    if hi > lo {
        c.fill_rect(l, p.y(hi), r, p.y(lo), IDEAL_BAND);
        c.dashed_hline(l, r, p.y(lo), 6.0, [60, 200, 110, 200]);
        c.dashed_hline(l, r, p.y(hi), 6.0, [60, 200, 110, 200]);
    }
    for v in nice_ticks(p.v_max, 5) {
        c.line((l - 4.0, p.y(v)), (l, p.y(v)), 1.0, AXIS);
    }
    draw_time_grid(&mut c, &p);
    draw_marks(&mut c, &p, &marks(d));
    c.polyline(&series(&p, &d.samples, |s| s.distance), 3.0, DISTANCE);
    frame(&mut c, &p);
    (c, p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Rgba, b: Rgba, tol: i32) -> bool {
        (0..3).all(|k| (a[k] as i32 - b[k] as i32).abs() <= tol)
    }

    #[test]
    fn lines_rects_and_clipping() {
        let mut c = Canvas::new(40, 20, BG);
        c.line((2.0, 10.5), (37.0, 10.5), 2.0, [255, 0, 0, 255]);
        assert!(close(c.pixel(20, 10), [255, 0, 0, 255], 2));
        assert_eq!(c.pixel(20, 2), BG);
        // Half-transparent fill blends.
        c.fill_rect(0.0, 0.0, 10.0, 5.0, [255, 255, 255, 128]);
        let p = c.pixel(3, 3);
        assert!(p[0] > BG[0] && p[0] < 255);
        // Off-canvas and non-finite drawing is ignored, never panics.
        c.line((-100.0, -5.0), (500.0, 300.0), 3.0, [0, 255, 0, 255]);
        c.line((f32::NAN, 0.0), (5.0, 5.0), 1.0, [0, 255, 0, 255]);
        c.fill_rect(f32::INFINITY, 0.0, 3.0, 3.0, [0, 0, 255, 255]);
        c.disc((1000.0, 1000.0), 5.0, [0, 0, 255, 255]);
        assert_eq!(c.data.len(), 40 * 20 * 4);
    }

    #[test]
    fn plot_maps_time_and_value() {
        let p = Plot::new(400, 200, 100.0, 0.0, 10.0);
        assert_eq!(p.x(0.0), MARGIN_LEFT);
        assert_eq!(p.x(100.0), 400.0 - MARGIN_RIGHT);
        assert_eq!(p.y(0.0), 200.0 - MARGIN_BOTTOM);
        assert_eq!(p.y(10.0), MARGIN_TOP);
        assert_eq!(p.x(1e9), p.x(100.0));
        // Degenerate ranges fall back to something drawable.
        let q = Plot::new(10, 10, 0.0, 5.0, 5.0);
        assert!(q.x(0.5).is_finite() && q.y(5.0).is_finite());
    }

    #[test]
    fn ticks_are_nice() {
        assert_eq!(time_ticks(50.0), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(time_ticks(200.0).get(1), Some(&30.0));
        assert_eq!(time_ticks(f32::NAN), vec![0.0]);
        assert_eq!(
            time_ticks(8.0),
            vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
        );
        assert_eq!(nice_ticks(10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_ticks(-1.0, 5), vec![0.0]);
    }

    /// A real debrief (from the smallest valid scenario) with the given samples.
    fn debrief_with(samples: Vec<Sample>) -> Debrief {
        let text = include_str!("../../../tests/fixtures/check/minimal_ok.ron");
        let scenario = crate::check::parse_scenario_str(text).expect("fixture is valid");
        let sim = crate::sim::Sim::new(std::sync::Arc::new(scenario.clone()), 1).unwrap();
        let mut d = crate::assess::debrief::build(&scenario, &sim.result(), None);
        d.duration = samples.last().map_or(0.0, |s| s.t);
        d.samples = samples;
        d.events.clear();
        d.ideal_distance = (3.0, 7.0);
        d.personal_space = 2.0;
        d.reactionary_gap = 1.5;
        d
    }

    #[test]
    fn distance_chart_shades_the_zones_and_draws_the_line() {
        let samples: Vec<Sample> = (0..=60)
            .map(|i| Sample {
                t: i as f32,
                agitation: 40.0,
                trust: 30.0,
                distance: if i < 2 {
                    f32::NAN
                } else {
                    10.0 - i as f32 * 0.1
                },
            })
            .collect();
        let d = debrief_with(samples);
        let (c, p) = distance_chart(&d, 600, 200);
        assert_eq!((c.width, c.height), (600, 200));
        let x = p.x(30.0).round() as u32;
        // Inside the reactionary gap (1 m): reddish; inside the ideal band (5 m, off the line): greenish.
        let red = c.pixel(x, p.y(0.7).round() as u32);
        assert!(red[0] > red[1] + 15, "{red:?}");
        let green = c.pixel(p.x(5.0).round() as u32, p.y(4.0).round() as u32);
        assert!(green[1] > green[0] + 15, "{green:?}");
        // The distance line at t = 30 s is at 7 m.
        let on_line = c.pixel(x, p.y(7.0).round() as u32);
        assert!(on_line[0] > 200 && on_line[1] > 200, "{on_line:?}");
    }

    #[test]
    fn agitation_chart_handles_empty_and_tiny_runs() {
        let (c, _) = agitation_chart(&debrief_with(Vec::new()), 300, 100);
        assert_eq!(c.data.len(), 300 * 100 * 4);
        let one = vec![Sample {
            t: 0.0,
            agitation: 80.0,
            trust: 10.0,
            distance: 4.0,
        }];
        let (c, p) = agitation_chart(&debrief_with(one), 300, 100);
        // A single sample still shows as a dot.
        let px = c.pixel(p.x(0.0).round() as u32 + 1, p.y(80.0).round() as u32);
        assert!(px[0] > 150 && px[2] < 150, "{px:?}");
    }
}
