//! The bar: a dim room in pub colours (dark planks, panelled walls, pendant lights, no
//! windows), dressed with a back bar, bottles and stools.

use super::kit::{Kit, Shape, hash};
use super::pieces::*;
use super::room::{Fitting, RoomStyle, Side, shell};
use super::site::Site;
use crate::format::scenario::{Prop, PropKind};
use bevy::prelude::*;
use std::f32::consts::FRAC_PI_2;

const STYLE: RoomStyle = RoomStyle {
    margin: 1.6,
    min_size: Vec2::new(10.0, 8.0),
    height: 3.2,
    floor: Color::srgb(0.22, 0.13, 0.08),
    wall: Color::srgb(0.42, 0.14, 0.12),
    lower: Color::srgb(0.2, 0.11, 0.06),
    ceiling: Color::srgb(0.1, 0.08, 0.07),
    tiles: false,
    plank_roughness: 0.45,
    dado: 1.1,
    windows: false,
    lumens: 9_000.0,
    light: Color::srgb(1.0, 0.75, 0.5),
    spacing: 3.4,
    glow: 2.0,
    fitting: Fitting::Pendant,
};

pub(super) fn build(kit: &mut Kit, site: &Site) {
    let room = shell(kit, site, &STYLE);
    dressing(kit, site, &room.faces, room.height);
}

const BOTTLES: [Color; 5] = [
    Color::srgba(0.2, 0.5, 0.2, 0.9),
    Color::srgba(0.55, 0.3, 0.1, 0.9),
    Color::srgba(0.85, 0.85, 0.8, 0.9),
    Color::srgba(0.4, 0.1, 0.1, 0.9),
    Color::srgba(0.7, 0.55, 0.2, 0.9),
];

/// A counter's line: its position, the unit axis along it, the unit normal pointing
/// behind it (away from the room's middle), its length and depth.
struct Bar {
    pos: Vec2,
    axis: Vec2,
    normal: Vec2,
    length: f32,
    depth: f32,
}

impl Bar {
    fn of(c: &Prop, mid: Vec2) -> Bar {
        let r = c.rotation.to_radians();
        let long_x = c.size.0 >= c.size.2;
        let length = c.size.0.max(c.size.2);
        let axis = if long_x {
            Vec2::new(r.cos(), -r.sin())
        } else {
            Vec2::new(r.sin(), r.cos())
        };
        let mut normal = Vec2::new(-axis.y, axis.x);
        let pos = Vec2::new(c.x, c.z);
        // Behind = away from the room's middle.
        if (pos + normal - mid).length() < (pos - normal - mid).length() {
            normal = -normal;
        }
        let depth = c.size.0.min(c.size.2);
        Bar {
            pos,
            axis,
            normal,
            length,
            depth,
        }
    }
}

/// Bottles behind each counter (unless the author put shelves there), stools in front, a
/// neon sign and a television on the longest wall.
fn dressing(kit: &mut Kit, site: &Site, faces: &[(Side, Vec2, f32)], height: f32) {
    let props = &site.scenario.place.props;
    let mid = faces.iter().map(|f| f.1).fold(Vec2::ZERO, |a, b| a + b) / faces.len().max(1) as f32;
    let counters: Vec<&Prop> = props
        .iter()
        .filter(|p| p.kind == PropKind::Counter)
        .collect();
    for (ci, c) in counters.iter().enumerate() {
        let bar = Bar::of(c, mid);
        let (pos, normal, depth) = (bar.pos, bar.normal, bar.depth);
        let back = pos + normal * (depth / 2.0 + 1.0);
        let shelved = props.iter().any(|q| {
            matches!(q.kind, PropKind::Shelf | PropKind::Wall | PropKind::Counter)
                && !std::ptr::eq(q, *c)
                && Vec2::new(q.x, q.z).distance(back) < 1.2
        }) || props.iter().any(|q| {
            q.kind == PropKind::Shelf
                && (Vec2::new(q.x, q.z) - pos).dot(normal) > 0.0
                && Vec2::new(q.x, q.z).distance(pos) < 3.5
        });
        if !shelved {
            back_bar(kit, &bar, back, ci);
        }
        stools(kit, site, &bar);
    }
    shelf_bottles(kit, props, &counters);
    sign_and_tv(kit, site, faces, height);
}

/// A back bar with a mirror and two shelves of bottles behind the counter.
fn back_bar(kit: &mut Kit, bar: &Bar, back: Vec2, ci: usize) {
    let (normal, length) = (bar.normal, bar.length);
    let yaw = normal.x.atan2(normal.y);
    let shelf = kit.root(Vec3::new(back.x, 0.0, back.y), yaw);
    let wood = kit.mat(Color::srgb(0.18, 0.1, 0.05), 0.5);
    kit.part(
        shelf,
        Shape::Cube,
        Vec3::new(0.0, 0.5, 0.0),
        Vec3::new(length, 1.0, 0.45),
        wood.clone(),
    );
    let mirror = kit.window(false, false);
    kit.part(
        shelf,
        Shape::Cube,
        Vec3::new(0.0, 1.75, 0.18),
        Vec3::new(length, 1.5, 0.03),
        mirror,
    );
    for (k, y) in [1.3f32, 1.8].iter().enumerate() {
        kit.part(
            shelf,
            Shape::Cube,
            Vec3::new(0.0, *y, 0.05),
            Vec3::new(length, 0.03, 0.3),
            wood.clone(),
        );
        let n = (length / 0.16) as i32;
        for b in 0..n {
            if hash(b + k as i32 * 100 + ci as i32 * 1000, 111) < 0.25 {
                continue;
            }
            let x = -length / 2.0 + 0.1 + b as f32 * 0.16;
            let col = BOTTLES[(hash(b, 112 + k as u32) * 5.0) as usize % 5];
            let m = kit.glow(col, 0.06);
            let h = 0.24 + hash(b, 113) * 0.1;
            kit.part(
                shelf,
                Shape::Cylinder,
                Vec3::new(x, y + 0.015 + h / 2.0, 0.05),
                Vec3::new(0.07, h, 0.07),
                m,
            );
        }
    }
    kit.collider(
        shelf,
        Vec3::new(0.0, 0.5, 0.0),
        Vec3::new(length, 1.0, 0.45),
        false,
    );
}

/// Stools on the customers' side, where nothing else stands.
fn stools(kit: &mut Kit, site: &Site, bar: &Bar) {
    let Bar {
        pos,
        axis,
        normal,
        length,
        depth,
    } = *bar;
    let seat = kit.mat(Color::srgb(0.5, 0.1, 0.08), 0.6);
    let steel = kit.metal(Color::srgb(0.6, 0.6, 0.62), 0.3);
    let n = (length / 0.9).floor() as i32;
    for s in 0..n {
        let along = -length / 2.0 + 0.45 + s as f32 * 0.9;
        let p = pos - normal * (depth / 2.0 + 0.45) + axis * along;
        if near_people(site, p, 0.9) || near_any_prop(site, p, 0.35) {
            continue;
        }
        kit.block(
            Shape::Cylinder,
            Vec3::new(p.x, 0.38, p.y),
            Vec3::new(0.05, 0.76, 0.05),
            steel.clone(),
        );
        kit.block(
            Shape::Cylinder,
            Vec3::new(p.x, 0.78, p.y),
            Vec3::new(0.38, 0.07, 0.38),
            seat.clone(),
        );
        kit.block(
            Shape::Cylinder,
            Vec3::new(p.x, 0.02, p.y),
            Vec3::new(0.36, 0.04, 0.36),
            steel.clone(),
        );
    }
}

/// Bottles on any authored shelves that stand behind a counter.
fn shelf_bottles(kit: &mut Kit, props: &[Prop], counters: &[&Prop]) {
    for (si, q) in props
        .iter()
        .enumerate()
        .filter(|(_, q)| q.kind == PropKind::Shelf)
    {
        let near_counter = counters
            .iter()
            .any(|c| Vec2::new(c.x, c.z).distance(Vec2::new(q.x, q.z)) < 4.0);
        if !near_counter {
            continue;
        }
        let long_x = q.size.0 >= q.size.2;
        let length = q.size.0.max(q.size.2);
        let root = kit.root(
            Vec3::new(q.x, 0.0, q.z),
            q.rotation.to_radians() + if long_x { 0.0 } else { FRAC_PI_2 },
        );
        for level in 0..3 {
            let y = 0.95 + level as f32 * 0.45;
            if y > q.size.1 - 0.1 {
                break;
            }
            let n = (length / 0.16) as i32;
            for b in 0..n {
                if hash(b + level * 100 + si as i32 * 1000, 114) < 0.3 {
                    continue;
                }
                let x = -length / 2.0 + 0.1 + b as f32 * 0.16;
                let col = BOTTLES[(hash(b + level, 115) * 5.0) as usize % 5];
                let m = kit.glow(col, 0.06);
                let h = 0.22 + hash(b, 116) * 0.1;
                kit.part(
                    root,
                    Shape::Cylinder,
                    Vec3::new(x, y + h / 2.0, 0.0),
                    Vec3::new(0.07, h, 0.07),
                    m,
                );
            }
        }
    }
}

/// A neon sign and a television on the longest wall that the trainee faces most.
fn sign_and_tv(kit: &mut Kit, site: &Site, faces: &[(Side, Vec2, f32)], height: f32) {
    let Some((s, c, len)) = faces
        .iter()
        .filter(|f| (site.trainee - f.1).dot(f.0.normal) > 0.0)
        .max_by(|a, b| {
            let score = |f: &(Side, Vec2, f32)| f.2 - site.subject.distance(f.1) * 0.5;
            score(a).total_cmp(&score(b))
        })
    else {
        return;
    };
    let n = s.normal;
    let tangent = Vec2::new(n.y, -n.x);
    let neon = kit.glow(Color::srgb(1.0, 0.2, 0.6), 1.6);
    let along_x = n.y != 0.0;
    let dims = |l: f32, h: f32| {
        if along_x {
            Vec3::new(l, h, 0.04)
        } else {
            Vec3::new(0.04, h, l)
        }
    };
    let p = *c + n * 0.06 - tangent * (len * 0.22);
    kit.block(
        Shape::Cube,
        Vec3::new(p.x, height - 0.8, p.y),
        dims(1.8, 0.12),
        neon.clone(),
    );
    kit.block(
        Shape::Cube,
        Vec3::new(p.x, height - 1.05, p.y),
        dims(1.2, 0.1),
        neon,
    );
    let tv = kit.glow(Color::srgb(0.35, 0.55, 0.85), 0.5);
    let q = *c + n * 0.06 + tangent * (len * 0.22);
    kit.block(
        Shape::Cube,
        Vec3::new(q.x, height - 0.95, q.y),
        dims(1.3, 0.75),
        tv,
    );
}
