//! What each prop is made of: the boxes, upright cylinders and balls of every prop kind, in
//! the prop's own frame. The 3D scene draws a prop from these pieces (adding only trim) and the
//! sight-line lint of `check` tests lines against them, so what hides the subject in the
//! trainer and what `check` says hides them are one geometry.

use super::scenario::{Prop, PropKind, Scenario};
use std::f32::consts::TAU;

/// The form of a piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Box,
    /// Standing upright; `size.0` and `size.2` are its diameters.
    Cylinder,
    /// A ball (an ellipsoid when its three sizes differ).
    Ball,
}

/// What a piece is, so the scene can give it its material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The prop itself (a wall, a box, a counter's body, a vehicle's body or a van's box).
    Body,
    /// A counter's top, a table's top, a bin's lid.
    Top,
    Leg,
    Seat,
    Back,
    /// A door's frame.
    Frame,
    /// A shelf's back and end panels.
    Panel,
    /// A shelf's level (goods stand on it).
    Board,
    Rail,
    Post,
    Trunk,
    Foliage,
    Pole,
    /// A vehicle's glazed cabin, its roof and its corner pillars.
    Glass,
    Roof,
    Pillar,
    /// A pickup's bed sides and tailgate.
    Bed,
}

/// One piece: its form, centre and full size (x, y, z) in metres, in the frame of the prop
/// before its rotation (x across its width, y up from the ground, z along its depth).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Solid {
    pub part: Part,
    pub form: Form,
    pub centre: [f32; 3],
    pub size: [f32; 3],
}

impl Solid {
    fn new(part: Part, form: Form, centre: [f32; 3], size: [f32; 3]) -> Solid {
        Solid {
            part,
            form,
            centre,
            size,
        }
    }

    fn cube(part: Part, centre: [f32; 3], size: [f32; 3]) -> Solid {
        Solid::new(part, Form::Box, centre, size)
    }

    /// The same piece in a frame turned a quarter round (the frame of a prop whose length runs
    /// along x, when the piece was laid out along z): (x, z) becomes (z, -x).
    fn turned(self) -> Solid {
        let [x, y, z] = self.centre;
        let [sx, sy, sz] = self.size;
        Solid {
            centre: [z, y, -x],
            size: [sz, sy, sx],
            ..self
        }
    }

    /// Whether the segment from `a` to `b` (in the prop's frame) passes through this piece
    /// with its top raised by `raise`.
    fn crossed_by(&self, a: [f32; 3], b: [f32; 3], raise: f32) -> bool {
        let mut half = self.size.map(|v| v.abs() / 2.0);
        let mut c = self.centre;
        half[1] += raise / 2.0;
        c[1] += raise / 2.0;
        match self.form {
            Form::Box => slab(a, b, c, half, [true; 3]).is_some(),
            Form::Cylinder => match slab(a, b, c, half, [false, true, false]) {
                // Inside the height range between t0 and t1: does that part come within the
                // (elliptic) circle?
                Some((t0, t1)) => {
                    let at = |t: f32, k: usize| (a[k] + (b[k] - a[k]) * t - c[k]) / half[k];
                    let p = [at(t0, 0), at(t0, 2)];
                    let q = [at(t1, 0), at(t1, 2)];
                    segment_near_origin(&p, &q)
                }
                None => false,
            },
            Form::Ball => {
                let at = |p: [f32; 3]| [0, 1, 2].map(|k| (p[k] - c[k]) / half[k].max(1e-6));
                segment_near_origin(&at(a), &at(b))
            }
        }
    }
}

/// The part of the segment from `a` to `b` (as 0..1) inside the box centred at `c` with
/// half sizes `half`, on the axes marked in `axes`; `None` when it misses.
fn slab(
    a: [f32; 3],
    b: [f32; 3],
    c: [f32; 3],
    half: [f32; 3],
    axes: [bool; 3],
) -> Option<(f32, f32)> {
    let (mut enter, mut leave) = (0.0f32, 1.0f32);
    for k in (0..3).filter(|k| axes[*k]) {
        let (lo, hi) = (c[k] - half[k], c[k] + half[k]);
        let d = b[k] - a[k];
        if d.abs() < 1e-6 {
            if a[k] < lo || a[k] > hi {
                return None;
            }
            continue;
        }
        let (t0, t1) = ((lo - a[k]) / d, (hi - a[k]) / d);
        enter = enter.max(t0.min(t1));
        leave = leave.min(t0.max(t1));
        if enter > leave {
            return None;
        }
    }
    Some((enter, leave))
}

/// Whether the segment from `p` to `q` comes within distance 1 of the origin.
fn segment_near_origin(p: &[f32], q: &[f32]) -> bool {
    let d: Vec<f32> = p.iter().zip(q).map(|(p, q)| q - p).collect();
    let dd: f32 = d.iter().map(|v| v * v).sum();
    let t = if dd > 1e-12 {
        (-p.iter().zip(&d).map(|(p, d)| p * d).sum::<f32>() / dd).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.iter()
        .zip(&d)
        .map(|(p, d)| (p + d * t).powi(2))
        .sum::<f32>()
        <= 1.0
}

impl Scenario {
    /// The middle of the action: halfway between the subject's and the trainee's spawns.
    /// Benches turn their backs and shelves their backs away from it.
    pub fn middle(&self) -> (f32, f32) {
        let (s, t) = (self.subject.spawn, self.place.trainee_spawn);
        ((s.x + t.x) / 2.0, (s.z + t.z) / 2.0)
    }
}

impl Prop {
    /// Width, height and depth as drawn: their size, each between 2 cm and 500 m.
    pub fn extent(&self) -> (f32, f32, f32) {
        let c = |v: f32| v.abs().clamp(0.02, 500.0);
        (c(self.size.0), c(self.size.1), c(self.size.2))
    }

    /// Which way (+1 or -1 along the prop's short local axis: z when `long_x`, else x) points
    /// away from `middle`: shelves open and benches face towards the action.
    pub fn away_from(&self, middle: (f32, f32), long_x: bool) -> f32 {
        let r = self.rotation.to_radians();
        let (lx, lz) = if long_x { (0.0, 1.0) } else { (1.0, 0.0) };
        let world = (lx * r.cos() + lz * r.sin(), -lx * r.sin() + lz * r.cos());
        let to_middle = (middle.0 - self.x, middle.1 - self.z);
        if world.0 * to_middle.0 + world.1 * to_middle.1 > 0.0 {
            -1.0
        } else {
            1.0
        }
    }

    /// The pieces this prop is made of, in its own frame; `middle` is where the action is
    /// ([`Scenario::middle`]), which a bench's backrest and a shelf's back turn away from.
    pub fn solids(&self, middle: (f32, f32)) -> Vec<Solid> {
        let (w, h, d) = self.extent();
        let full = Solid::cube(Part::Body, [0.0, h / 2.0, 0.0], [w, h, d]);
        match self.kind {
            PropKind::Wall | PropKind::Box => vec![full],
            PropKind::Counter => vec![
                Solid::cube(Part::Body, [0.0, (h - 0.05) / 2.0, 0.0], [w, h - 0.05, d]),
                Solid::cube(Part::Top, [0.0, h - 0.025, 0.0], [w + 0.08, 0.05, d + 0.08]),
            ],
            PropKind::Table => table(w, h, d),
            PropKind::Bench => bench(w, h, d, |long_x| self.away_from(middle, long_x)),
            PropKind::Shelf => shelf(w, h, d, |long_x| self.away_from(middle, long_x)),
            PropKind::Door => {
                let grow = if d <= w {
                    [0.08, 0.04, 0.0]
                } else {
                    [0.0, 0.04, 0.0]
                };
                vec![Solid::cube(
                    Part::Frame,
                    [0.0, h / 2.0, 0.0],
                    [w + grow[0], h + grow[1], d + grow[2]],
                )]
            }
            PropKind::Bin => {
                let form = if (w - d).abs() < 0.05 {
                    Form::Cylinder
                } else {
                    Form::Box
                };
                vec![
                    Solid::new(
                        Part::Body,
                        form,
                        [0.0, (h - 0.06) / 2.0, 0.0],
                        [w, h - 0.06, d],
                    ),
                    Solid::new(
                        Part::Top,
                        form,
                        [0.0, h - 0.03, 0.0],
                        [w + 0.04, 0.06, d + 0.04],
                    ),
                ]
            }
            PropKind::StreetLight => {
                let pole = w.max(d).min(0.35);
                vec![Solid::new(
                    Part::Pole,
                    Form::Cylinder,
                    [0.0, h / 2.0, 0.0],
                    [pole, h, pole],
                )]
            }
            PropKind::Tree => {
                // A phase of its own from where it stands, so no two trees look alike.
                let phase = ((self.x * 12.9898 + self.z * 78.233).sin() * 43_758.547).fract();
                tree(w.max(d), h, phase * TAU)
            }
            PropKind::Railing if d >= w => railing(w, h, d),
            PropKind::Railing => railing(d, h, w).into_iter().map(Solid::turned).collect(),
            PropKind::Car | PropKind::PickupTruck | PropKind::Van if w > d => {
                vehicle(self.kind, d, h, w)
                    .into_iter()
                    .map(Solid::turned)
                    .collect()
            }
            PropKind::Car | PropKind::PickupTruck | PropKind::Van => vehicle(self.kind, w, h, d),
        }
    }

    /// Whether the straight line from `from` to `to` (each `(x, height, z)` in metres)
    /// passes through one of this prop's pieces ([`Prop::solids`]), turned by its `rotation`,
    /// each piece's top raised by `raise` (a line that only grazes it does not see past).
    /// The sight-line lint of `check` is built on this.
    pub fn blocks_line(
        &self,
        middle: (f32, f32),
        from: (f32, f32, f32),
        to: (f32, f32, f32),
        raise: f32,
    ) -> bool {
        let r = self.rotation.to_radians();
        let (c, s) = (r.cos(), r.sin());
        let local = |p: (f32, f32, f32)| {
            let (dx, dz) = (p.0 - self.x, p.2 - self.z);
            [dx * c - dz * s, p.1, dx * s + dz * c]
        };
        let (a, b) = (local(from), local(to));
        self.solids(middle)
            .iter()
            .any(|solid| solid.crossed_by(a, b, raise))
    }
}

/// A top on four legs.
fn table(w: f32, h: f32, d: f32) -> Vec<Solid> {
    let mut v = vec![Solid::cube(Part::Top, [0.0, h - 0.025, 0.0], [w, 0.05, d])];
    for (sx, sz) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
        let c = [
            sx * (w / 2.0 - 0.08),
            (h - 0.05) / 2.0,
            sz * (d / 2.0 - 0.08),
        ];
        v.push(Solid::cube(Part::Leg, c, [0.06, h - 0.05, 0.06]));
    }
    v
}

/// Lays pieces out along a prop's longer side: `(along, up, across)` to the prop's frame.
struct Along {
    long_x: bool,
}

impl Along {
    fn at(&self, a: f32, y: f32, c: f32) -> [f32; 3] {
        if self.long_x { [a, y, c] } else { [c, y, a] }
    }
}

/// A slatted seat on two legs, with a backrest (when tall or deep enough) on the side
/// `away` gives for its short axis.
fn bench(w: f32, h: f32, d: f32, away: impl Fn(bool) -> f32) -> Vec<Solid> {
    let o = Along { long_x: w > d };
    let (len, depth) = if o.long_x { (w, d) } else { (d, w) };
    let seat_h = (h * 0.95).min(0.5);
    let mut v = vec![Solid::cube(
        Part::Seat,
        o.at(0.0, seat_h - 0.03, 0.0),
        o.at(len, 0.06, depth),
    )];
    if h > 0.6 || depth >= 0.35 {
        let back_h = (h - seat_h).max(0.4);
        let c = o.at(
            0.0,
            seat_h + back_h / 2.0,
            away(o.long_x) * (depth / 2.0 - 0.03),
        );
        v.push(Solid::cube(Part::Back, c, o.at(len, back_h, 0.05)));
    }
    for a in [-len / 2.0 + 0.15, len / 2.0 - 0.15] {
        let c = o.at(a, seat_h / 2.0, 0.0);
        v.push(Solid::cube(Part::Leg, c, o.at(0.06, seat_h, depth * 0.9)));
    }
    v
}

/// Shelving: a back panel on the side `away` gives, end panels and up to eight levels.
fn shelf(w: f32, h: f32, d: f32, away: impl Fn(bool) -> f32) -> Vec<Solid> {
    let o = Along { long_x: w >= d };
    let (len, depth) = if o.long_x { (w, d) } else { (d, w) };
    let back = o.at(0.0, h / 2.0, away(o.long_x) * (depth / 2.0 - 0.01));
    let mut v = vec![Solid::cube(Part::Panel, back, o.at(len, h, 0.02))];
    for a in [-len / 2.0 + 0.02, len / 2.0 - 0.02] {
        v.push(Solid::cube(
            Part::Panel,
            o.at(a, h / 2.0, 0.0),
            o.at(0.04, h, depth),
        ));
    }
    let levels = ((h / 0.42).floor() as i32).clamp(1, 8);
    for l in 0..levels {
        let y = 0.1 + l as f32 * (h - 0.1) / levels as f32;
        v.push(Solid::cube(
            Part::Board,
            o.at(0.0, y, 0.0),
            o.at(len, 0.03, depth),
        ));
    }
    v
}

/// A railing `length` long along z: a handrail, a middle and a bottom rail, a post every
/// 1.6 m or so.
pub fn railing(thick: f32, h: f32, length: f32) -> Vec<Solid> {
    let t = thick.clamp(0.04, 0.3);
    let mut v = vec![
        Solid::cube(
            Part::Rail,
            [0.0, h - 0.04, 0.0],
            [t.max(0.08), 0.08, length],
        ),
        Solid::cube(Part::Rail, [0.0, h * 0.55, 0.0], [0.04, 0.04, length]),
        Solid::cube(Part::Rail, [0.0, 0.15, 0.0], [0.04, 0.04, length]),
    ];
    let n = ((length / 1.6).floor() as i32).clamp(1, 400);
    for i in 0..=n {
        let z = -length / 2.0 + length * i as f32 / n as f32;
        v.push(Solid::cube(Part::Post, [0.0, h / 2.0, z], [0.07, h, 0.07]));
    }
    v
}

/// A tree `w` across and `h` tall: a trunk and four balls of foliage, the three outer ones
/// set round the first from the angle `phase`.
pub fn tree(w: f32, h: f32, phase: f32) -> Vec<Solid> {
    let trunk = (w * 0.1).clamp(0.18, 0.6);
    let mut v = vec![Solid::new(
        Part::Trunk,
        Form::Cylinder,
        [0.0, h * 0.3, 0.0],
        [trunk, h * 0.6, trunk],
    )];
    let r = w.max(1.0);
    for k in 0..4 {
        let a = phase + k as f32 * 2.1;
        let off = if k == 0 { 0.0 } else { r * 0.22 };
        let s = r * (0.75 - 0.1 * k as f32);
        let y = h * (0.62 + 0.1 * k as f32).min(1.0) - s * 0.2;
        let c = [a.cos() * off, y, a.sin() * off];
        v.push(Solid::new(Part::Foliage, Form::Ball, c, [s, s * 0.85, s]));
    }
    v
}

/// A vehicle's height ranges: the gap under its body, and where the body ends (the cabin,
/// a van's box or a pickup's bed sit above).
pub struct Chassis {
    pub clearance: f32,
    pub body_top: f32,
}

impl Chassis {
    pub fn of(h: f32) -> Chassis {
        let clearance = (0.12 * h).clamp(0.1, 0.25);
        Chassis {
            clearance,
            body_top: clearance + h * 0.48,
        }
    }
}

/// A car, pickup or van `w` wide, `h` high and `len` long along z (front at -z): the body,
/// the glazed cabin with its roof and pillars, a pickup's open bed, a van's box.
pub fn vehicle(kind: PropKind, w: f32, h: f32, len: f32) -> Vec<Solid> {
    let ch = Chassis::of(h);
    let body_h = ch.body_top - ch.clearance;
    let mut v = vec![Solid::cube(
        Part::Body,
        [0.0, ch.clearance + body_h / 2.0, 0.0],
        [w, body_h, len],
    )];
    let (z0, z1) = match kind {
        PropKind::PickupTruck => (-len * 0.3, len * 0.02),
        PropKind::Van => (-len * 0.42, -len * 0.22),
        _ => (-len * 0.19, len * 0.31),
    };
    let (from, to) = (ch.body_top, h);
    let cab_h = to - from - 0.05;
    let cab_y = from + cab_h / 2.0;
    let (mid, cab_len) = ((z0 + z1) / 2.0, z1 - z0);
    v.push(Solid::cube(
        Part::Glass,
        [0.0, cab_y, mid],
        [w * 0.84, cab_h, cab_len],
    ));
    v.push(Solid::cube(
        Part::Roof,
        [0.0, to - 0.04, mid],
        [w * 0.86, 0.08, cab_len * 0.92],
    ));
    // Corner pillars: the windscreen and back window between them are glass.
    for at in [z0, z1] {
        for sx in [-1.0, 1.0] {
            let c = [sx * w * 0.4, cab_y, at];
            v.push(Solid::cube(Part::Pillar, c, [w * 0.06, cab_h, 0.08]));
        }
    }
    match kind {
        PropKind::PickupTruck => {
            let y = from + 0.35 / 2.0;
            for sx in [-1.0, 1.0] {
                let c = [sx * (w / 2.0 - 0.04), y, len * 0.26];
                v.push(Solid::cube(Part::Bed, c, [0.08, 0.35, len * 0.46]));
            }
            let gate = [0.0, y, len / 2.0 - 0.04];
            v.push(Solid::cube(Part::Bed, gate, [w, 0.35, 0.08]));
        }
        PropKind::Van => {
            let box_h = to - from;
            let c = [0.0, from + box_h / 2.0, len * 0.14];
            v.push(Solid::cube(Part::Body, c, [w * 0.96, box_h, len * 0.7]));
        }
        _ => {}
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(kind: PropKind, size: (f32, f32, f32), rotation: f32) -> Prop {
        Prop {
            kind,
            x: 0.0,
            z: 0.0,
            rotation,
            size,
            cover: false,
            color: None,
        }
    }

    /// A level line across the prop (along x) at `height`, `z` along its depth.
    fn across(p: &Prop, height: f32, z: f32) -> bool {
        p.blocks_line((0.0, 0.0), (-10.0, height, z), (10.0, height, z), 0.0)
    }

    #[test]
    fn a_van_hides_behind_its_cab_where_a_car_of_its_size_shows_its_boot() {
        let (car, van) = (
            prop(PropKind::Car, (1.9, 2.0, 5.0), 0.0),
            prop(PropKind::Van, (1.9, 2.0, 5.0), 0.0),
        );
        // At head height over the back (front is -z): the van's box, the car's boot.
        assert!(across(&van, 1.7, 2.0));
        assert!(!across(&car, 1.7, 2.0));
        // Through the car's cabin, and over its bonnet.
        assert!(across(&car, 1.7, 0.2));
        assert!(!across(&car, 1.7, -2.0));
        // A pickup's cab is at the front, its bed open behind.
        let pickup = prop(PropKind::PickupTruck, (1.9, 2.0, 5.0), 0.0);
        assert!(across(&pickup, 1.7, -0.8));
        assert!(!across(&pickup, 1.7, 1.0));
    }

    #[test]
    fn a_vehicle_sized_long_across_is_the_same_as_one_turned_a_quarter_round() {
        for kind in [PropKind::Car, PropKind::PickupTruck, PropKind::Van] {
            let long_x = prop(kind, (4.8, 1.8, 1.9), 0.0);
            let turned = prop(kind, (1.9, 1.8, 4.8), 90.0);
            for i in 0..200 {
                let f = i as f32;
                let from = ((f * 0.37).sin() * 6.0, 1.0 + (f * 0.11).cos(), 8.0);
                let to = ((f * 0.23).cos() * 6.0, 1.6 + (f * 0.7).sin(), -8.0);
                assert_eq!(
                    long_x.blocks_line((0.0, 0.0), from, to, 0.0),
                    turned.blocks_line((0.0, 0.0), from, to, 0.0),
                    "{kind:?}: line {from:?} → {to:?}"
                );
            }
        }
    }

    #[test]
    fn one_sees_under_a_table_through_a_railing_and_past_a_trunk() {
        let table = prop(PropKind::Table, (1.2, 0.75, 0.8), 0.0);
        assert!(!across(&table, 0.4, 0.0));
        assert!(across(&table, 0.73, 0.0));
        let railing = prop(PropKind::Railing, (0.12, 1.1, 10.0), 0.0);
        // Between the bottom and middle rails, between two posts.
        assert!(!across(&railing, 0.4, 0.8));
        assert!(across(&railing, 1.08, 0.8));
        let tree = prop(PropKind::Tree, (4.0, 6.0, 4.0), 0.0);
        assert!(across(&tree, 1.0, 0.0), "the trunk");
        assert!(
            !across(&tree, 1.0, 0.8),
            "beside the trunk, under the crown"
        );
        assert!(across(&tree, 4.0, 0.0), "the crown");
    }

    #[test]
    fn a_line_that_grazes_a_top_is_blocked_only_when_the_top_is_raised() {
        let wall = prop(PropKind::Wall, (0.2, 1.2, 4.0), 0.0);
        assert!(!across(&wall, 1.3, 0.0));
        assert!(wall.blocks_line((0.0, 0.0), (-10.0, 1.3, 0.0), (10.0, 1.3, 0.0), 0.15));
    }
}
