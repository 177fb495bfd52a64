//! A car park: marked bays, parked cars, lamp posts and a supermarket front. Cars near the
//! action are built in full; farther ones are a body, a glazed cabin and four tyres (a third
//! of the parts), since a car park holds a few hundred of them.

use super::kit::{CAR_COLOURS, Kit, Shape, hash, rgb};
use super::pieces::*;
use super::site::Site;
use bevy::prelude::*;
use std::f32::consts::{FRAC_PI_2, PI};

/// Parked cars within this distance of the site's centre (m) get every part.
const FULL_DETAIL_WITHIN: f32 = 24.0;
/// A parked car: width, height, length (m).
const CAR: Vec3 = Vec3::new(1.8, 1.5, 4.4);
/// A bay's width and depth (m); a double row of bays and its aisle take `BLOCK` metres.
const BAY_W: f32 = 2.6;
const BAY_D: f32 = 5.0;
const BLOCK: f32 = 2.0 * BAY_D + 7.0;

/// The tarmac: the site and 40 m around it.
struct Lot {
    lo: Vec2,
    hi: Vec2,
}

impl Lot {
    fn around(site: &Site) -> Lot {
        Lot {
            lo: site.min - Vec2::splat(40.0),
            hi: site.max + Vec2::splat(40.0),
        }
    }

    fn size(&self) -> Vec2 {
        self.hi - self.lo
    }

    fn mid(&self) -> Vec2 {
        (self.lo + self.hi) / 2.0
    }
}

pub(super) fn build(kit: &mut Kit, site: &Site) {
    let lot = Lot::around(site);
    surface(kit, &lot);
    bays(kit, site, &lot);
    lamps(kit, site, &lot);
    store(kit, &lot);
    hedges(kit, &lot);
}

/// Asphalt over the lot, grass beyond it.
fn surface(kit: &mut Kit, lot: &Lot) {
    let (mid, size) = (lot.mid(), lot.size());
    let asphalt = kit.ground(Color::srgb(0.19, 0.19, 0.2), 0.88);
    kit.block(
        Shape::Cube,
        Vec3::new(mid.x, -0.15, mid.y),
        Vec3::new(size.x, 0.3, size.y),
        asphalt,
    );
    let grass = kit.ground(Color::srgb(0.22, 0.33, 0.15), 0.95);
    kit.block(
        Shape::Cube,
        Vec3::new(mid.x, -0.16, mid.y),
        Vec3::new(size.x + 200.0, 0.3, size.y + 200.0),
        grass,
    );
}

/// Bays in double rows along x with aisles between, about half of them taken; none where
/// people stand or an authored prop is.
fn bays(kit: &mut Kit, site: &Site, lot: &Lot) {
    let paint = kit.ground(Color::srgb(0.85, 0.85, 0.8), 0.6);
    let mut z = lot.lo.y + 8.0;
    let mut i = 0;
    while z < lot.hi.y - 8.0 {
        for (row, face) in [(z, 0.0), (z + BAY_D, PI)] {
            let mut x = lot.lo.x + 8.0;
            while x < lot.hi.x - 8.0 {
                i += 1;
                let c = Vec2::new(x, row + BAY_D / 2.0);
                if !near_people(site, c, 4.0) && !near_any_prop(site, c, 2.5) {
                    kit.block(
                        Shape::Cube,
                        Vec3::new(x - BAY_W / 2.0, 0.004, c.y),
                        Vec3::new(0.1, 0.008, BAY_D),
                        paint.clone(),
                    );
                    if hash(i, 61) > 0.5 {
                        let yaw = face + if hash(i, 62) > 0.5 { PI } else { 0.0 };
                        parked_car(kit, site, i, c, yaw);
                    }
                }
                x += BAY_W;
            }
        }
        z += BLOCK;
    }
}

/// The parked car of bay `i`, centred at `c`: in full near the action, plainer farther off.
fn parked_car(kit: &mut Kit, site: &Site, i: i32, c: Vec2, yaw: f32) {
    let root = kit.root(Vec3::new(c.x, 0.0, c.y), yaw);
    let colour = rgb(CAR_COLOURS[(hash(i, 63) * 8.0) as usize % 8]);
    if c.distance(site.centre()) <= FULL_DETAIL_WITHIN {
        car(kit, root, CAR.x, CAR.y, CAR.z, colour, false);
    } else {
        distant_car(kit, root, colour);
    }
    kit.collider(root, Vec3::new(0.0, CAR.y / 2.0, 0.0), CAR, false);
}

/// A parked car seen from afar: the full car's body, cabin and tyres in the same places and
/// materials, without hubs, bumpers, lights, pillars or roof panel.
fn distant_car(kit: &mut Kit, root: Entity, colour: Color) {
    let (w, h, d) = (CAR.x, CAR.y, CAR.z);
    let clearance = (0.12 * h).clamp(0.1, 0.25);
    let body_h = h * 0.48;
    let paint = kit.metal(colour, 0.35);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, clearance + body_h / 2.0, 0.0),
        Vec3::new(w, body_h, d),
        paint,
    );
    let cab_h = h - clearance - body_h - 0.05;
    let glass = kit.window(false, false);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, clearance + body_h + cab_h / 2.0, d * 0.06),
        Vec3::new(w * 0.84, cab_h, d * 0.5),
        glass,
    );
    let tyre = kit.mat(Color::srgb(0.04, 0.04, 0.04), 0.9);
    let r = (0.22 * h).clamp(0.25, 0.4);
    for (sx, sz) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
        kit.part_rot(
            root,
            Shape::Cylinder,
            Vec3::new(sx * (w / 2.0 - 0.1), r, sz * d * 0.33),
            Vec3::new(2.0 * r, 0.22, 2.0 * r),
            Quat::from_rotation_z(FRAC_PI_2),
            tyre.clone(),
        );
    }
}

/// Lamp columns on a 26 m grid, nearest the action first (it gets the lights' budget).
fn lamps(kit: &mut Kit, site: &Site, lot: &Lot) {
    let mut lamps: Vec<(f32, Vec2)> = Vec::new();
    let mut x = lot.lo.x + 12.0;
    while x < lot.hi.x {
        let mut z = lot.lo.y + 12.0;
        while z < lot.hi.y {
            let p = Vec2::new(x, z);
            if !near_people(site, p, 2.0) && !near_any_prop(site, p, 1.0) {
                lamps.push((p.distance(site.centre()), p));
            }
            z += 26.0;
        }
        x += 26.0;
    }
    lamps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, p) in lamps {
        lamp_post(kit, Vec3::new(p.x, 0.0, p.y), 8.0, Vec2::X, 0.2);
    }
}

/// A supermarket along the far side: its front faces the car park.
fn store(kit: &mut Kit, lot: &Lot) {
    let (mid, size) = (lot.mid(), lot.size());
    let store_z = lot.lo.y - 2.0;
    let store = kit.root(Vec3::new(mid.x, 0.0, store_z), PI);
    let wall = kit.mat(Color::srgb(0.78, 0.77, 0.74), 0.9);
    kit.part(
        store,
        Shape::Cube,
        // The front faces the car park (local -Z); the building runs back from it.
        Vec3::new(0.0, 4.5, 15.0),
        Vec3::new(size.x.min(80.0), 9.0, 30.0),
        wall,
    );
    let glass = kit.window(true, false);
    kit.part(
        store,
        Shape::Cube,
        Vec3::new(0.0, 1.6, -0.04),
        Vec3::new(14.0, 3.2, 0.1),
        glass,
    );
    let sign = kit.glow(Color::srgb(0.1, 0.45, 0.85), 0.7);
    kit.part(
        store,
        Shape::Cube,
        Vec3::new(0.0, 7.2, -0.1),
        Vec3::new(18.0, 1.6, 0.2),
        sign,
    );
    kit.wall_collider(
        Vec3::new(mid.x, 1.5, store_z - 15.0),
        Vec3::new(size.x.min(80.0), 3.0, 30.0),
    );
}

/// Hedges round the other three sides.
fn hedges(kit: &mut Kit, lot: &Lot) {
    let (mid, size) = (lot.mid(), lot.size());
    let hedge = kit.mat(Color::srgb(0.12, 0.26, 0.1), 0.95);
    for (c, s) in [
        (Vec2::new(mid.x, lot.hi.y), Vec2::new(size.x, 1.2)),
        (Vec2::new(lot.lo.x, mid.y), Vec2::new(1.2, size.y)),
        (Vec2::new(lot.hi.x, mid.y), Vec2::new(1.2, size.y)),
    ] {
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, 0.6, c.y),
            Vec3::new(s.x, 1.2, s.y),
            hedge.clone(),
        );
        kit.wall_collider(Vec3::new(c.x, 0.6, c.y), Vec3::new(s.x, 1.2, s.y));
    }
}
