//! A bridge: a deck spanning the authored railings over water, with footpaths, railings
//! and lamps continuing both ways, piers, and banks with buildings at both ends.

use super::ground::Frame;
use super::kit::{Kit, Shape, hash, rgb};
use super::pieces::*;
use super::site::Site;
use crate::format::scenario::{Prop, PropKind};
use crate::format::solid;
use bevy::prelude::*;
use std::f32::consts::FRAC_PI_2;

/// Height of the water surface below the deck.
const WATER: f32 = -17.0;

/// Where the deck runs: its frame, the authored railing lines (w, u from, u to), the edges
/// across (`w_lo`, `w_hi`) and the length along (`u0`, `u1`).
struct Deck {
    f: Frame,
    lines: Vec<(f32, f32, f32)>,
    w_lo: f32,
    w_hi: f32,
    u0: f32,
    u1: f32,
}

impl Deck {
    fn len(&self) -> f32 {
        self.u1 - self.u0
    }
    fn uc(&self) -> f32 {
        (self.u0 + self.u1) / 2.0
    }
    fn wc(&self) -> f32 {
        (self.w_lo + self.w_hi) / 2.0
    }
    fn width(&self) -> f32 {
        self.w_hi - self.w_lo + 0.7
    }
}

/// A bridge: a deck between the authored railings (or along the trainee→subject line),
/// footpaths, railings and lamps continuing both ways, piers down to dark water far below,
/// and banks with buildings at both ends.
pub(super) fn build(kit: &mut Kit, site: &Site) {
    let railings: Vec<&Prop> = site
        .scenario
        .place
        .props
        .iter()
        .filter(|p| p.kind == PropKind::Railing)
        .collect();
    let deck = layout(site, &railings);
    surface(kit, &deck);
    markings(kit, &deck);
    rails(kit, &deck, &railings);
    lamps(kit, site, &deck);
    piers(kit, &deck);
    water_and_banks(kit, site, &deck);
}

/// The deck's frame runs along the longest authored railing (else the street line); its
/// edges are the railings (else a deck beside the subject), its length well past them.
fn layout(site: &Site, railings: &[&Prop]) -> Deck {
    let f = deck_frame(site, railings);
    let lines: Vec<(f32, f32, f32)> = railings
        .iter()
        .map(|r| {
            let (u, w) = f.uw(Vec2::new(r.x, r.z));
            let (eu, _) = f.extent(r);
            (w, u - eu, u + eu)
        })
        .filter(|(_, a, b)| b - a > 3.0)
        .collect();
    let (w_lo, w_hi) = edges(&f, site, &lines);
    let (su0, su1) = u_range(&f, site);
    let (ru0, ru1) = lines
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), l| {
            (a.min(l.1), b.max(l.2))
        });
    let (ru0, ru1) = if ru0.is_finite() {
        (ru0, ru1)
    } else {
        (su0, su1)
    };
    let (u0, u1) = (ru0.min(su0) - 90.0, ru1.max(su1) + 90.0);
    Deck {
        f,
        lines,
        w_lo,
        w_hi,
        u0,
        u1,
    }
}

/// Along the longest authored railing, else along the street line.
fn deck_frame(site: &Site, railings: &[&Prop]) -> Frame {
    let longest = railings
        .iter()
        .max_by(|a, b| a.size.0.max(a.size.2).total_cmp(&b.size.0.max(b.size.2)));
    let Some(r) = longest else {
        return Frame {
            along_z: site.street_frame().along_z,
            side: 1.0,
        };
    };
    let a = r.rotation.to_radians();
    let long_local_z = r.size.2 >= r.size.0;
    // Direction of the long side in the world.
    let d = if long_local_z {
        Vec2::new(a.sin(), a.cos())
    } else {
        Vec2::new(a.cos(), -a.sin())
    };
    Frame {
        along_z: d.y.abs() >= d.x.abs(),
        side: 1.0,
    }
}

/// The deck's edges across (`w_lo`, `w_hi`): the outermost railing lines, else a deck
/// from just behind the subject towards the trainee; at least 12 m wide when narrower
/// than 5 m.
fn edges(f: &Frame, site: &Site, lines: &[(f32, f32, f32)]) -> (f32, f32) {
    let (_, s0) = f.uw(site.subject);
    let (_, t0) = f.uw(site.trainee);
    let (mut w_lo, mut w_hi) = match lines.len() {
        0 => {
            let toward = if t0 >= s0 { 1.0 } else { -1.0 };
            let (a, b) = (s0 - toward * 0.6, s0 + toward * 12.0);
            (a.min(b), a.max(b))
        }
        _ => {
            let lo = lines.iter().map(|l| l.0).fold(f32::INFINITY, f32::min);
            let hi = lines.iter().map(|l| l.0).fold(f32::NEG_INFINITY, f32::max);
            (lo, hi)
        }
    };
    if w_hi - w_lo < 5.0 {
        if t0 >= w_lo {
            w_hi = w_lo + 12.0;
        } else {
            w_lo = w_hi - 12.0;
        }
    }
    (w_lo, w_hi)
}

/// Deck, footpaths, edge beams.
fn surface(kit: &mut Kit, deck: &Deck) {
    let Deck { f, w_lo, w_hi, .. } = *deck;
    let (len, uc, wc, width) = (deck.len(), deck.uc(), deck.wc(), deck.width());
    let asphalt = kit.ground(Color::srgb(0.13, 0.13, 0.14), 0.9);
    let footpath = kit.ground(Color::srgb(0.42, 0.42, 0.4), 0.85);
    let concrete = concrete(kit);
    kit.band(&f, (uc, wc), (len, width), (-0.7, 1.4), asphalt);
    for (a, b) in [(w_lo - 0.35, w_lo + 2.5), (w_hi - 2.5, w_hi + 0.35)] {
        kit.band(
            &f,
            (uc, (a + b) / 2.0),
            (len, b - a),
            (0.005, 0.01),
            footpath.clone(),
        );
    }
    for w in [w_lo - 0.45, w_hi + 0.45] {
        kit.band(&f, (uc, w), (len, 0.3), (-1.0, 2.0), concrete.clone());
    }
}

fn concrete(kit: &mut Kit) -> Handle<StandardMaterial> {
    kit.mat(Color::srgb(0.5, 0.5, 0.48), 0.9)
}

/// Road markings down the middle.
fn markings(kit: &mut Kit, deck: &Deck) {
    let Deck {
        f,
        w_lo,
        w_hi,
        u0,
        u1,
        ..
    } = *deck;
    let paint = kit.ground(Color::srgb(0.8, 0.8, 0.78), 0.6);
    let mut u = u0;
    while u < u1 {
        kit.band(
            &f,
            (u, (w_lo + 2.5 + w_hi - 2.5) / 2.0),
            (3.0, 0.12),
            (0.004, 0.008),
            paint.clone(),
        );
        u += 9.0;
    }
}

/// Railings continue past the authored ones (or run the whole length if none), and
/// colliders keep the trainee on the deck.
fn rails(kit: &mut Kit, deck: &Deck, railings: &[&Prop]) {
    let Deck {
        f,
        w_lo,
        w_hi,
        u0,
        u1,
        ..
    } = *deck;
    let lines = &deck.lines;
    let (len, uc) = (deck.len(), deck.uc());
    let rail_colour = railings
        .first()
        .and_then(|r| r.color)
        .map(rgb)
        .unwrap_or(Color::srgb(0.35, 0.37, 0.4));
    let rail_yaw = if f.along_z { 0.0 } else { FRAC_PI_2 };
    let mut segments: Vec<(f32, f32, f32)> = Vec::new();
    if lines.is_empty() {
        segments.push((w_lo, u0, u1));
        segments.push((w_hi, u0, u1));
    } else {
        for w in [w_lo, w_hi] {
            let mine: Vec<&(f32, f32, f32)> =
                lines.iter().filter(|l| (l.0 - w).abs() < 0.5).collect();
            if mine.is_empty() {
                segments.push((w, u0, u1));
                continue;
            }
            let a = mine.iter().map(|l| l.1).fold(f32::INFINITY, f32::min);
            let b = mine.iter().map(|l| l.2).fold(f32::NEG_INFINITY, f32::max);
            segments.push((w, u0, a));
            segments.push((w, b, u1));
        }
    }
    for (w, a, b) in segments {
        if b - a < 0.5 {
            continue;
        }
        let c = f.world((a + b) / 2.0, w);
        let root = kit.root(Vec3::new(c.x, 0.0, c.y), rail_yaw);
        railing(kit, root, &solid::railing(0.12, 1.1, b - a), rail_colour);
        kit.collider(
            root,
            Vec3::new(0.0, 0.55, 0.0),
            Vec3::new(0.12, 1.1, b - a),
            false,
        );
    }
    // Keep the trainee on the deck (the authored railings block the middle part).
    for w in [w_lo - 0.3, w_hi + 0.3] {
        let (sx, sz) = f.size(len, 0.2);
        let c = f.world(uc, w);
        kit.wall_collider(Vec3::new(c.x, 1.0, c.y), Vec3::new(sx, 2.0, sz));
    }
}

/// Lamp posts along both edges where the author put none, nearest the action first.
fn lamps(kit: &mut Kit, site: &Site, deck: &Deck) {
    let Deck {
        f,
        w_lo,
        w_hi,
        u0,
        u1,
        ..
    } = *deck;
    let mut spots = Vec::new();
    let mut u = u0 + 5.0;
    let mut k = 0;
    while u < u1 {
        let (w, dw) = if k % 2 == 0 {
            (w_lo + 0.4, 1.0)
        } else {
            (w_hi - 0.4, -1.0)
        };
        spots.push((f.world(u, w), f.world(0.0, dw)));
        u += 14.0;
        k += 1;
    }
    lamp_posts(kit, site, spots, 12.0, 0.16);
}

/// Piers down to the water.
fn piers(kit: &mut Kit, deck: &Deck) {
    let Deck {
        f,
        w_lo,
        w_hi,
        u0,
        u1,
        ..
    } = *deck;
    let width = deck.width();
    let concrete = concrete(kit);
    let mut u = u0 + 20.0;
    while u < u1 - 20.0 {
        for w in [w_lo + width * 0.2, w_hi - width * 0.2] {
            let c = f.world(u, w);
            let (sx, sz) = f.size(2.0, 2.6);
            kit.block(
                Shape::Cube,
                Vec3::new(c.x, (WATER - 1.4) / 2.0, c.y),
                Vec3::new(sx, -WATER - 1.4 + 0.2, sz),
                concrete.clone(),
            );
        }
        u += 38.0;
    }
}

/// Water far below, and the banks at both ends with the town beyond.
fn water_and_banks(kit: &mut Kit, site: &Site, deck: &Deck) {
    let Deck { f, u0, u1, .. } = *deck;
    let wc = deck.wc();
    let water = kit.materials.add(StandardMaterial {
        base_color: Color::srgb(0.03, 0.06, 0.08),
        perceptual_roughness: 0.06,
        reflectance: 0.6,
        ..default()
    });
    let centre = site.centre();
    kit.block(
        Shape::Cube,
        Vec3::new(centre.x, WATER, centre.y),
        Vec3::new(2400.0, 0.2, 2400.0),
        water,
    );
    banks(kit, f, u0, u1, wc);
}

/// The banks at both ends, each with a row of buildings facing the river.
fn banks(kit: &mut Kit, f: Frame, u0: f32, u1: f32, wc: f32) {
    let bank = kit.ground(Color::srgb(0.22, 0.24, 0.18), 0.95);
    for (edge, dir) in [(u0, -1.0), (u1, 1.0)] {
        kit.band(
            &f,
            (edge + dir * 200.0, wc),
            (400.0, 800.0),
            (WATER / 2.0, -WATER + 0.0),
            bank.clone(),
        );
        // A row of buildings along each bank, facing the river.
        let yaw_to_river = {
            let d = f.world(-dir, 0.0);
            (-d.x).atan2(-d.y)
        };
        let mut w = wc - 160.0;
        let mut i = 0;
        while w < wc + 160.0 {
            if (w - wc).abs() > 18.0 {
                let width = 9.0 + hash(i, 41 + dir as u32) * 8.0;
                let height = 9.0 + (hash(i, 43) * 6.0).floor() * 3.0;
                let p = f.world(edge + dir * (16.0 + hash(i, 47) * 10.0), w);
                building(
                    kit,
                    p,
                    yaw_to_river,
                    width,
                    height,
                    14.0,
                    500 + i * 3 + dir as i32,
                    false,
                );
            }
            w += 17.0;
            i += 1;
        }
    }
}
