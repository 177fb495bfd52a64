//! A park: grass, paths, trees and benches.

use super::kit::{Kit, Shape, hash};
use super::pieces::*;
use super::site::Site;
use crate::format::solid;
use bevy::prelude::*;
use std::f32::consts::{FRAC_PI_2, TAU};

/// The way through the park: the trainee's path (its middle, direction and the side
/// across it) and the crossing path beyond the subject.
struct Paths {
    dir: Vec2,
    side: Vec2,
    path_c: Vec2,
    cross_c: Vec2,
}

pub(super) fn build(kit: &mut Kit, site: &Site) {
    let paths = grass_and_paths(kit, site);
    trees(kit, site, &paths);
    bushes(kit, site, &paths);
    path_lamps(kit, site, &paths);
    pond_and_town(kit, site, &paths);
}

/// Grass all round, the path the trainee comes along and a crossing one.
fn grass_and_paths(kit: &mut Kit, site: &Site) -> Paths {
    let centre = site.centre();
    let grass = kit.ground(Color::srgb(0.2, 0.34, 0.14), 0.95);
    kit.block(
        Shape::Cube,
        Vec3::new(centre.x, -0.15, centre.y),
        Vec3::new(400.0, 0.3, 400.0),
        grass,
    );
    let gravel = kit.ground(Color::srgb(0.55, 0.5, 0.41), 0.95);
    let dir = (site.subject - site.trainee).normalize_or(Vec2::NEG_Y);
    let yaw = (-dir.x).atan2(-dir.y);
    let side = Vec2::new(-dir.y, dir.x);
    let path_c = site.trainee + side * 1.6;
    let cross_c = site.subject + dir * 12.0;
    for (c, y) in [(path_c, yaw), (cross_c, yaw + FRAC_PI_2)] {
        let root = kit.root(Vec3::new(c.x, 0.003, c.y), y);
        kit.part(
            root,
            Shape::Cube,
            Vec3::ZERO,
            Vec3::new(2.6, 0.006, 180.0),
            gravel.clone(),
        );
    }
    Paths {
        dir,
        side,
        path_c,
        cross_c,
    }
}

/// Up to 45 trees scattered around, clear of the paths and people.
fn trees(kit: &mut Kit, site: &Site, paths: &Paths) {
    let Paths {
        dir,
        side,
        path_c,
        cross_c,
    } = *paths;
    let centre = site.centre();
    let foliage = [
        Color::srgb(0.18, 0.36, 0.14),
        Color::srgb(0.25, 0.4, 0.16),
        Color::srgb(0.42, 0.38, 0.14),
    ];
    let mut placed = 0;
    for i in 0..160 {
        if placed >= 45 {
            break;
        }
        let a = hash(i, 71) * TAU;
        let r = 9.0 + hash(i, 72) * 55.0;
        let p = centre + Vec2::from_angle(a) * r;
        let on_path = dist_to_segment(p, path_c - dir * 90.0, path_c + dir * 90.0) < 3.5
            || dist_to_segment(p, cross_c - side * 90.0, cross_c + side * 90.0) < 3.5;
        if on_path || near_people(site, p, 4.0) || near_any_prop(site, p, 2.0) {
            continue;
        }
        placed += 1;
        let root = kit.root(Vec3::new(p.x, 0.0, p.y), 0.0);
        let h = 6.0 + hash(i, 73) * 6.0;
        let pieces = solid::tree(h * 0.55, h, hash(i, 21) * TAU);
        tree(kit, root, &pieces, foliage[i as usize % 3]);
    }
}

/// Bushes along both sides of the trainee's path.
fn bushes(kit: &mut Kit, site: &Site, paths: &Paths) {
    let Paths {
        dir, side, path_c, ..
    } = *paths;
    let bush = kit.mat(Color::srgb(0.14, 0.28, 0.11), 0.95);
    for i in 0..30 {
        let t = (hash(i, 81) - 0.5) * 120.0;
        let s = if hash(i, 82) > 0.5 { 2.6 } else { -2.6 };
        let p = path_c + dir * t + side * s;
        if near_people(site, p, 3.0) || near_any_prop(site, p, 1.5) {
            continue;
        }
        let d = 0.9 + hash(i, 83) * 0.8;
        kit.block(
            Shape::Sphere,
            Vec3::new(p.x, d * 0.35, p.y),
            Vec3::new(d * 1.3, d, d * 1.3),
            bush.clone(),
        );
    }
}

/// Lamps along the trainee's path, alternating sides, nearest the action first.
fn path_lamps(kit: &mut Kit, site: &Site, paths: &Paths) {
    let Paths {
        dir, side, path_c, ..
    } = *paths;
    let mut lamps: Vec<(f32, Vec2, Vec2)> = Vec::new();
    for k in -6..=6 {
        let s = if k % 2 == 0 { 1.8 } else { -1.8 };
        let p = path_c + dir * (k as f32 * 16.0) + side * s;
        if !near_people(site, p, 1.5) && !near_any_prop(site, p, 1.0) {
            lamps.push((p.distance(site.centre()), p, -side * s.signum()));
        }
    }
    lamps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, p, d) in lamps {
        lamp_post(kit, Vec3::new(p.x, 0.0, p.y), 4.5, d, 0.12);
    }
}

/// A pond off to one side, and the town round the park.
fn pond_and_town(kit: &mut Kit, site: &Site, paths: &Paths) {
    let centre = site.centre();
    let pond = kit.materials.add(StandardMaterial {
        base_color: Color::srgb(0.05, 0.1, 0.12),
        perceptual_roughness: 0.05,
        reflectance: 0.6,
        ..default()
    });
    let pc = centre - paths.side * 26.0 + paths.dir * 8.0;
    if !near_people(site, pc, 8.0) && !near_any_prop(site, pc, 7.0) {
        kit.block(
            Shape::Cylinder,
            Vec3::new(pc.x, 0.01, pc.y),
            Vec3::new(14.0, 0.02, 10.0),
            pond,
        );
    }
    for i in 0..22 {
        let a = i as f32 / 22.0 * TAU;
        let p = centre + Vec2::from_angle(a) * (95.0 + hash(i, 91) * 15.0);
        let to_centre = (centre - p).normalize_or(Vec2::Y);
        let y = (-to_centre.x).atan2(-to_centre.y);
        building(
            kit,
            p,
            y,
            14.0,
            9.0 + (hash(i, 92) * 5.0).floor() * 3.0,
            14.0,
            700 + i,
            false,
        );
    }
}
