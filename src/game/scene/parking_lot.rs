//! A car park: marked bays, parked cars, lamp posts and a supermarket front.

use super::kit::{CAR_COLOURS, Kit, Shape, hash, rgb};
use super::pieces::*;
use super::site::Site;
use bevy::prelude::*;
use std::f32::consts::PI;

pub(super) fn build(kit: &mut Kit, site: &Site) {
    let centre = site.centre();
    let lo = site.min - Vec2::splat(40.0);
    let hi = site.max + Vec2::splat(40.0);
    let size = hi - lo;
    let mid = (lo + hi) / 2.0;
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
    // Bays: double rows along x, with aisles between.
    let paint = kit.ground(Color::srgb(0.85, 0.85, 0.8), 0.6);
    let bay_w = 2.6;
    let bay_d = 5.0;
    let block = 2.0 * bay_d + 7.0;
    let mut z = lo.y + 8.0;
    let mut i = 0;
    while z < hi.y - 8.0 {
        for (row, face) in [(z, 0.0), (z + bay_d, PI)] {
            let mut x = lo.x + 8.0;
            while x < hi.x - 8.0 {
                i += 1;
                let c = Vec2::new(x, row + bay_d / 2.0);
                let clear = !near_people(site, c, 4.0) && !near_any_prop(site, c, 2.5);
                if clear {
                    kit.block(
                        Shape::Cube,
                        Vec3::new(x - bay_w / 2.0, 0.004, row + bay_d / 2.0),
                        Vec3::new(0.1, 0.008, bay_d),
                        paint.clone(),
                    );
                    if hash(i, 61) > 0.5 {
                        let root = kit.root(
                            Vec3::new(x, 0.0, row + bay_d / 2.0),
                            face + if hash(i, 62) > 0.5 { PI } else { 0.0 },
                        );
                        let colour = rgb(CAR_COLOURS[(hash(i, 63) * 8.0) as usize % 8]);
                        car(kit, root, 1.8, 1.5, 4.4, colour, false);
                        kit.collider(
                            root,
                            Vec3::new(0.0, 0.75, 0.0),
                            Vec3::new(1.8, 1.5, 4.4),
                            false,
                        );
                    }
                }
                x += bay_w;
            }
        }
        z += block;
    }
    // Lamp columns on a grid, nearest first.
    let mut lamps: Vec<(f32, Vec2)> = Vec::new();
    let mut x = lo.x + 12.0;
    while x < hi.x {
        let mut z = lo.y + 12.0;
        while z < hi.y {
            let p = Vec2::new(x, z);
            if !near_people(site, p, 2.0) && !near_any_prop(site, p, 1.0) {
                lamps.push((p.distance(centre), p));
            }
            z += 26.0;
        }
        x += 26.0;
    }
    lamps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, p) in lamps {
        lamp_post(kit, Vec3::new(p.x, 0.0, p.y), 8.0, Vec2::X, 0.2);
    }
    // A supermarket along the far side, hedges round the edge.
    let store_z = lo.y - 2.0;
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
    let hedge = kit.mat(Color::srgb(0.12, 0.26, 0.1), 0.95);
    for (c, s) in [
        (Vec2::new(mid.x, hi.y), Vec2::new(size.x, 1.2)),
        (Vec2::new(lo.x, mid.y), Vec2::new(1.2, size.y)),
        (Vec2::new(hi.x, mid.y), Vec2::new(1.2, size.y)),
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
