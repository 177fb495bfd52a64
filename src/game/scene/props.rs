//! Every authored prop as primitive meshes with a rapier collider (props marked `cover`
//! carry `CoverCollider` for the cover raycast).

use super::ground::Ground;
use super::kit::{CAR_COLOURS, Kit, Shape, hash, rgb};
use super::lighting::mix;
use super::pieces::*;
use super::site::Site;
use crate::format::scenario::{Environment, Prop, PropKind};
use bevy::prelude::*;
use std::f32::consts::FRAC_PI_2;

/// Which way (+1 or -1 along the prop's short local axis: z when `long_x`, else x) points
/// away from the middle of the scene: shelves open and benches face towards the action.
pub(super) fn away_from_centre(site: &Site, p: &Prop, long_x: bool) -> f32 {
    let r = p.rotation.to_radians();
    let local = if long_x {
        Vec2::new(0.0, 1.0)
    } else {
        Vec2::new(1.0, 0.0)
    };
    let world = Vec2::new(
        local.x * r.cos() + local.y * r.sin(),
        -local.x * r.sin() + local.y * r.cos(),
    );
    if world.dot(site.centre() - Vec2::new(p.x, p.z)) > 0.0 {
        -1.0
    } else {
        1.0
    }
}

pub(super) fn default_colour(kind: PropKind, env: Environment, i: usize) -> Color {
    match kind {
        PropKind::Wall => match env {
            Environment::Street | Environment::ParkingLot => Color::srgb(0.55, 0.32, 0.26),
            Environment::Bridge => Color::srgb(0.55, 0.55, 0.52),
            Environment::Park => Color::srgb(0.5, 0.48, 0.42),
            _ => Color::srgb(0.78, 0.75, 0.68),
        },
        PropKind::Bench => Color::srgb(0.45, 0.3, 0.17),
        PropKind::Table => Color::srgb(0.42, 0.27, 0.15),
        PropKind::Counter => Color::srgb(0.28, 0.16, 0.08),
        PropKind::StreetLight => Color::srgb(0.2, 0.22, 0.23),
        PropKind::Tree => Color::srgb(0.2, 0.38, 0.15),
        PropKind::Railing => Color::srgb(0.35, 0.37, 0.4),
        PropKind::Bin => Color::srgb(0.15, 0.3, 0.2),
        PropKind::Door => Color::srgb(0.35, 0.22, 0.12),
        PropKind::Shelf => Color::srgb(0.62, 0.62, 0.64),
        PropKind::Box => Color::srgb(0.62, 0.47, 0.3),
        PropKind::Car | PropKind::PickupTruck | PropKind::Van => {
            rgb(CAR_COLOURS[i % CAR_COLOURS.len()])
        }
    }
}

/// One prop being built: its root, the prop, its index, size, colour and environment.
#[derive(Clone, Copy)]
struct Piece<'p> {
    root: Entity,
    p: &'p Prop,
    i: usize,
    w: f32,
    h: f32,
    d: f32,
    base: Color,
    full: Vec3,
    centre: Vec3,
    env: Environment,
}

pub(super) fn prop(
    kit: &mut Kit,
    site: &Site,
    ground: &Ground,
    p: &Prop,
    i: usize,
    env: Environment,
) {
    let ok = |v: f32| v.is_finite();
    if !(ok(p.x) && ok(p.z) && ok(p.rotation) && ok(p.size.0) && ok(p.size.1) && ok(p.size.2)) {
        return;
    }
    let clamp = |v: f32| v.abs().clamp(0.02, 500.0);
    let (w, h, d) = (clamp(p.size.0), clamp(p.size.1), clamp(p.size.2));
    let y0 = ground.height(p.x, p.z);
    if p.kind == PropKind::StreetLight {
        // Built at its own root so the arm can reach over the place (towards its middle).
        let here = Vec2::new(p.x, p.z);
        let dir = (site.centre() - here).normalize_or(Vec2::X);
        lamp_post(kit, Vec3::new(p.x, y0, p.z), h, dir, w.max(d).min(0.35));
        return;
    }
    let root = kit.root(Vec3::new(p.x, y0, p.z), p.rotation.to_radians());
    let base = p
        .color
        .map(rgb)
        .unwrap_or_else(|| default_colour(p.kind, env, i));
    let full = Vec3::new(w, h, d);
    let centre = Vec3::new(0.0, h / 2.0, 0.0);
    let pc = Piece {
        root,
        p,
        i,
        w,
        h,
        d,
        base,
        full,
        centre,
        env,
    };
    match p.kind {
        PropKind::Wall => wall_prop(kit, site, &pc),
        PropKind::Bench => bench_prop(kit, site, &pc),
        PropKind::Table => table_prop(kit, site, &pc),
        PropKind::Counter => counter_prop(kit, site, &pc),
        // Built above, at its own root.
        PropKind::StreetLight => {}
        PropKind::Tree => tree_prop(kit, site, &pc),
        PropKind::Railing => railing_prop(kit, site, &pc),
        PropKind::Bin => bin_prop(kit, site, &pc),
        PropKind::Door => door_prop(kit, site, &pc),
        PropKind::Shelf => shelf_prop(kit, site, &pc),
        PropKind::Box => box_prop(kit, site, &pc),
        PropKind::Car | PropKind::PickupTruck | PropKind::Van => car_prop(kit, site, &pc),
    }
    // A tree's trunk is its collider (only when it gives cover).
    if p.kind != PropKind::Tree {
        kit.collider(root, centre, full, p.cover);
    }
}

/// A wall with a coping; a tall one outdoors is a building front with windows.
fn wall_prop(kit: &mut Kit, site: &Site, pc: &Piece) {
    let Piece {
        root,
        p,
        i,
        w,
        h,
        d,
        base,
        full,
        centre,
        env,
    } = *pc;
    let m = kit.mat(base, 0.88);
    kit.part(root, Shape::Cube, centre, full, m);
    let outdoor = !env.is_indoor();
    if outdoor && h >= 5.0 && w.max(d) >= 6.0 {
        // A building front: windows on the side facing the scene.
        let long_z = d >= w;
        let r = p.rotation.to_radians();
        let local_n = if long_z {
            Vec2::new(1.0, 0.0)
        } else {
            Vec2::new(0.0, 1.0)
        };
        let world_n = Vec2::new(
            local_n.x * r.cos() + local_n.y * r.sin(),
            -local_n.x * r.sin() + local_n.y * r.cos(),
        );
        let to_centre = site.centre() - Vec2::new(p.x, p.z);
        let sign = if world_n.dot(to_centre) >= 0.0 {
            1.0
        } else {
            -1.0
        };
        wall_windows(kit, root, site, p, long_z, sign, (w, h, d), i as i32);
    }
    if h > 0.5 {
        // A coping along the top so it reads as built, not a block.
        let cap = kit.mat(mix(base, Color::WHITE, 0.25), 0.8);
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(0.0, h + 0.025, 0.0),
            Vec3::new(w + 0.04, 0.05, d + 0.04),
            cap,
        );
    }
}

/// A car, pickup or van, turned so its length runs along its longer side.
fn car_prop(kit: &mut Kit, site: &Site, pc: &Piece) {
    let Piece {
        root,
        w,
        h,
        d,
        base,
        ..
    } = *pc;
    // Cars are authored long along their local z; a prop sized the other way round
    // is turned so its length still reads as the car's length.
    let draw = match pc.p.kind {
        PropKind::PickupTruck => pickup,
        PropKind::Van => van,
        _ => car,
    };
    // The subject sitting in it is seen through clear glass.
    let occupied = pc.p.contains(site.subject.x, site.subject.y);
    if w > d {
        let inner = kit.sub(root, FRAC_PI_2);
        draw(kit, inner, d, h, w, base, occupied);
    } else {
        draw(kit, root, w, h, d, base, occupied);
    }
}

/// Slatted seat on iron legs, with a backrest on the side away from the action.
fn bench_prop(kit: &mut Kit, site: &Site, pc: &Piece) {
    let Piece {
        root,
        p,
        w,
        h,
        d,
        base,
        ..
    } = *pc;
    let wood = kit.mat(base, 0.8);
    let iron = kit.metal(Color::srgb(0.12, 0.12, 0.13), 0.5);
    let long_z = d >= w;
    let (len, depth) = if long_z { (d, w) } else { (w, d) };
    let seat_h = (h * 0.95).min(0.5);
    let dims = |l: f32, y: f32, t: f32| {
        if long_z {
            Vec3::new(t, y, l)
        } else {
            Vec3::new(l, y, t)
        }
    };
    let at = |a: f32, y: f32, c: f32| {
        if long_z {
            Vec3::new(c, y, a)
        } else {
            Vec3::new(a, y, c)
        }
    };
    kit.part(
        root,
        Shape::Cube,
        at(0.0, seat_h - 0.03, 0.0),
        dims(len, 0.06, depth),
        wood.clone(),
    );
    if h > 0.6 || depth >= 0.35 {
        // Backrest along one long side.
        let back_h = (h - seat_h).max(0.4);
        kit.part(
            root,
            Shape::Cube,
            at(
                0.0,
                seat_h + back_h / 2.0,
                away_from_centre(site, p, !long_z) * (depth / 2.0 - 0.03),
            ),
            dims(len, back_h, 0.05),
            wood,
        );
    }
    for a in [-len / 2.0 + 0.15, len / 2.0 - 0.15] {
        kit.part(
            root,
            Shape::Cube,
            at(a, seat_h / 2.0, 0.0),
            dims(0.06, seat_h, depth * 0.9),
            iron.clone(),
        );
    }
}

/// A top on four legs.
fn table_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root,
        w,
        h,
        d,
        base,
        ..
    } = *pc;
    let wood = kit.mat(base, 0.6);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, h - 0.025, 0.0),
        Vec3::new(w, 0.05, d),
        wood.clone(),
    );
    for (sx, sz) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
        let c = Vec3::new(
            sx * (w / 2.0 - 0.08),
            (h - 0.05) / 2.0,
            sz * (d / 2.0 - 0.08),
        );
        kit.part(
            root,
            Shape::Cube,
            c,
            Vec3::new(0.06, h - 0.05, 0.06),
            wood.clone(),
        );
    }
}

/// A counter: body, darker top, kick board.
fn counter_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root,
        w,
        h,
        d,
        base,
        ..
    } = *pc;
    let body = kit.mat(base, 0.55);
    let top = kit.mat(mix(base, Color::srgb(0.1, 0.07, 0.05), 0.5), 0.25);
    let kick = kit.mat(mix(base, Color::BLACK, 0.5), 0.6);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, (h - 0.05) / 2.0, 0.0),
        Vec3::new(w, h - 0.05, d),
        body,
    );
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, h - 0.025, 0.0),
        Vec3::new(w + 0.08, 0.05, d + 0.08),
        top,
    );
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, 0.06, 0.0),
        Vec3::new(w + 0.01, 0.12, d + 0.01),
        kick,
    );
}

/// A tree; its trunk gives cover when authored so.
fn tree_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root,
        p,
        i,
        w,
        h,
        d,
        base,
        centre,
        ..
    } = *pc;
    tree(kit, root, w.max(d), h, base, i as i32);
    if p.cover {
        kit.collider(root, centre, Vec3::new(w.min(0.6), h, d.min(0.6)), true);
    }
}

/// A railing along its longer side.
fn railing_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root,
        w,
        h,
        d,
        base,
        ..
    } = *pc;
    if d >= w {
        railing(kit, root, w, h, d, base);
    } else {
        let inner = kit.sub(root, FRAC_PI_2);
        railing(kit, inner, d, h, w, base);
    }
}

/// A bin with a lid (round when square).
fn bin_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root,
        w,
        h,
        d,
        base,
        ..
    } = *pc;
    let m = kit.mat(base, 0.7);
    let lid = kit.mat(mix(base, Color::BLACK, 0.4), 0.6);
    let shape = if (w - d).abs() < 0.05 {
        Shape::Cylinder
    } else {
        Shape::Cube
    };
    kit.part(
        root,
        shape,
        Vec3::new(0.0, (h - 0.06) / 2.0, 0.0),
        Vec3::new(w, h - 0.06, d),
        m,
    );
    kit.part(
        root,
        shape,
        Vec3::new(0.0, h - 0.03, 0.0),
        Vec3::new(w + 0.04, 0.06, d + 0.04),
        lid,
    );
}

/// A door in its frame with a handle.
fn door_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root,
        w,
        h,
        d,
        base,
        full,
        centre,
        ..
    } = *pc;
    let panel = kit.mat(base, 0.6);
    let frame = kit.mat(mix(base, Color::BLACK, 0.45), 0.6);
    let handle = kit.metal(Color::srgb(0.75, 0.72, 0.6), 0.3);
    let thin_z = d <= w;
    kit.part(
        root,
        Shape::Cube,
        centre,
        full + Vec3::new(0.08, 0.04, 0.0)
            * if thin_z {
                Vec3::ONE
            } else {
                Vec3::new(0.0, 1.0, 1.0)
            },
        frame,
    );
    let inset = if thin_z {
        Vec3::new(w * 0.88, h * 0.95, d * 1.1)
    } else {
        Vec3::new(w * 1.1, h * 0.95, d * 0.88)
    };
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, h * 0.48, 0.0),
        inset,
        panel,
    );
    let hp = if thin_z {
        Vec3::new(w * 0.35, h * 0.47, -d * 0.6)
    } else {
        Vec3::new(-w * 0.6, h * 0.47, d * 0.35)
    };
    kit.part(root, Shape::Sphere, hp, Vec3::splat(0.07), handle);
}

/// Shelving with goods on every level.
fn shelf_prop(kit: &mut Kit, site: &Site, pc: &Piece) {
    let Piece {
        root,
        p,
        i,
        w,
        h,
        d,
        base,
        ..
    } = *pc;
    let frame = kit.metal(base, 0.5);
    let long_x = w >= d;
    let (len, depth) = if long_x { (w, d) } else { (d, w) };
    let dims = |l: f32, y: f32, t: f32| {
        if long_x {
            Vec3::new(l, y, t)
        } else {
            Vec3::new(t, y, l)
        }
    };
    let at = |a: f32, y: f32, c: f32| {
        if long_x {
            Vec3::new(a, y, c)
        } else {
            Vec3::new(c, y, a)
        }
    };
    kit.part(
        root,
        Shape::Cube,
        at(
            0.0,
            h / 2.0,
            away_from_centre(site, p, long_x) * (depth / 2.0 - 0.01),
        ),
        dims(len, h, 0.02),
        frame.clone(),
    );
    for a in [-len / 2.0 + 0.02, len / 2.0 - 0.02] {
        kit.part(
            root,
            Shape::Cube,
            at(a, h / 2.0, 0.0),
            dims(0.04, h, depth),
            frame.clone(),
        );
    }
    let levels = ((h / 0.42).floor() as i32).clamp(1, 8);
    for l in 0..levels {
        let y = 0.1 + l as f32 * (h - 0.1) / levels as f32;
        kit.part(
            root,
            Shape::Cube,
            at(0.0, y, 0.0),
            dims(len, 0.03, depth),
            frame.clone(),
        );
        let n = (len / 0.22).floor() as i32;
        for b in 0..n {
            if hash(b + l * 50 + i as i32 * 997, 121) < 0.2 {
                continue;
            }
            let col = rgb(CAR_COLOURS[(hash(b + l * 7, 122) * 8.0) as usize % 8]);
            let goods = kit.mat(
                mix(col, Color::srgb(0.9, 0.6, 0.2), hash(b, 123) * 0.5),
                0.6,
            );
            let bh = 0.15 + hash(b + l, 124) * 0.15;
            let a = -len / 2.0 + 0.13 + b as f32 * 0.22;
            kit.part(
                root,
                Shape::Cube,
                at(a, y + 0.015 + bh / 2.0, 0.0),
                dims(0.17, bh, depth * 0.7),
                goods,
            );
        }
    }
}

/// A box (taped when it is a cardboard one).
fn box_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root,
        p,
        h,
        d,
        base,
        full,
        centre,
        ..
    } = *pc;
    let m = kit.mat(base, 0.85);
    kit.part(root, Shape::Cube, centre, full, m);
    if p.color.is_none() && h < 1.5 {
        let tape = kit.mat(Color::srgb(0.75, 0.65, 0.45), 0.5);
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(0.0, h + 0.002, 0.0),
            Vec3::new(0.06, 0.004, d),
            tape,
        );
    }
}
