//! Pieces shared by the environments and props: buildings, lamp posts, cars, railings,
//! trees, windows on a wall, and the spacing tests that keep them clear of the action.

use super::ground::Frame;
use super::kit::{CAR_COLOURS, FACADES, Kit, Shape, hash, rgb};
use super::lighting::mix;
use super::site::Site;
use crate::format::scenario::{Prop, PropKind};
use crate::format::solid::{self, Chassis, Part, Solid};
use bevy::prelude::*;
use std::f32::consts::{FRAC_PI_2, PI};

/// A building whose front face is at `pos`, looking along `yaw` (local -Z), extending back.
pub(super) fn building(
    kit: &mut Kit,
    pos: Vec2,
    yaw: f32,
    width: f32,
    height: f32,
    depth: f32,
    salt: i32,
    shopfront: bool,
) {
    let root = kit.root(Vec3::new(pos.x, 0.0, pos.y), yaw);
    let facade = rgb(FACADES[(hash(salt, 1) * FACADES.len() as f32) as usize % FACADES.len()]);
    let body = kit.mat(facade, 0.9);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, height / 2.0, depth / 2.0),
        Vec3::new(width - 0.12, height, depth),
        body,
    );
    let trim = kit.mat(mix(facade, Color::BLACK, 0.35), 0.8);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, height - 0.2, 0.05),
        Vec3::new(width, 0.4, 0.5),
        trim.clone(),
    );
    // Ground floor: a lit shopfront with an awning, or a door and two windows.
    if shopfront {
        shop_front(kit, root, width, salt, &trim);
    } else {
        front_door(kit, root, width, salt);
    }
    upper_floors(kit, root, (width, height), salt, &trim);
}

/// A building's ground floor as a shop: glass (lit at night), a plinth, a sign and maybe
/// an awning.
fn shop_front(kit: &mut Kit, root: Entity, width: f32, salt: i32, trim: &Handle<StandardMaterial>) {
    let night_lit = kit.lamps_on;
    let glass = kit.window(night_lit || hash(salt, 2) > 0.5, hash(salt, 3) > 0.4);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, 1.45, -0.03),
        Vec3::new(width * 0.72, 2.3, 0.06),
        glass,
    );
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, 0.15, -0.06),
        Vec3::new(width * 0.76, 0.3, 0.12),
        trim.clone(),
    );
    let sign_colour = rgb(CAR_COLOURS[(hash(salt, 4) * 8.0) as usize % 8]);
    let sign = if night_lit {
        kit.glow(sign_colour, 0.5)
    } else {
        kit.mat(sign_colour, 0.6)
    };
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, 3.05, -0.08),
        Vec3::new(width * 0.8, 0.55, 0.16),
        sign,
    );
    if hash(salt, 5) > 0.45 {
        let awning = kit.mat(rgb(FACADES[(hash(salt, 6) * 8.0) as usize % 8]), 0.9);
        kit.part_rot(
            root,
            Shape::Cube,
            Vec3::new(0.0, 2.75, -0.65),
            Vec3::new(width * 0.74, 0.06, 1.3),
            Quat::from_rotation_x(0.28),
            awning,
        );
    }
}

/// A building's ground floor as a house: a door and two windows (some lit at night).
fn front_door(kit: &mut Kit, root: Entity, width: f32, salt: i32) {
    let door = kit.mat(Color::srgb(0.22, 0.14, 0.09), 0.7);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(-width * 0.25, 1.1, -0.04),
        Vec3::new(1.1, 2.2, 0.08),
        door,
    );
    for x in [0.05, 0.3] {
        let lit = kit.lamps_on && hash(salt + (x * 10.0) as i32, 7) > 0.55;
        let g = kit.window(lit, true);
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(width * x, 1.6, -0.03),
            Vec3::new(1.2, 1.4, 0.06),
            g,
        );
    }
}

/// A window with a sill on every upper floor, in columns about 2.7 m apart.
fn upper_floors(
    kit: &mut Kit,
    root: Entity,
    (width, height): (f32, f32),
    salt: i32,
    trim: &Handle<StandardMaterial>,
) {
    let floors = ((height - 3.6) / 3.0).floor().max(0.0) as i32;
    let cols = (width / 2.7).floor().max(1.0) as i32;
    for fl in 0..floors {
        let y = 3.6 + fl as f32 * 3.0 + 1.3;
        for c in 0..cols {
            let x = (c as f32 + 0.5) * width / cols as f32 - width / 2.0;
            let lit = kit.lamps_on && hash(salt * 31 + fl * 7 + c, 8) > 0.6;
            let g = kit.window(lit, hash(salt + c, 9) > 0.3);
            kit.part(
                root,
                Shape::Cube,
                Vec3::new(x, y, -0.03),
                Vec3::new(1.1, 1.45, 0.06),
                g,
            );
            kit.part(
                root,
                Shape::Cube,
                Vec3::new(x, y - 0.8, -0.07),
                Vec3::new(1.3, 0.08, 0.14),
                trim.clone(),
            );
        }
    }
}

/// A row of buildings along a street frame, fronts at `w_face`, extending away from the
/// road, leaving the `skip` ranges of `u` open (alleys).
pub(super) fn building_row(
    kit: &mut Kit,
    f: &Frame,
    u0: f32,
    u1: f32,
    w_face: f32,
    towards_road: f32,
    salt: i32,
    skip: &[(f32, f32)],
) {
    let yaw = if towards_road > 0.0 {
        f.yaw_to_w()
    } else {
        f.yaw_to_w() + PI
    };
    let mut u = u0;
    let mut i = 0;
    while u < u1 {
        if let Some((_, end)) = skip.iter().find(|(a, b)| u >= *a - 0.01 && u < *b) {
            u = *end;
            continue;
        }
        let mut width = 7.0 + hash(salt * 97 + i, 11) * 7.0;
        if let Some((start, _)) = skip
            .iter()
            .filter(|(a, _)| *a > u)
            .min_by(|x, y| x.0.total_cmp(&y.0))
            && u + width > *start
        {
            width = *start - u;
        }
        if width < 1.0 {
            u += width.max(0.05);
            continue;
        }
        let height = 6.8 + (hash(salt * 97 + i, 12) * 4.0).floor() * 3.0;
        let shop = hash(salt * 97 + i, 13) > 0.35 && width > 4.0;
        let p = f.world(u + width / 2.0, w_face);
        building(kit, p, yaw, width, height, 16.0, salt * 97 + i, shop);
        u += width;
        i += 1;
    }
}

/// A lamp post at `base`, its arm reaching `arm` metres towards `dir` (ground plane).
/// Lamp posts at `spots` (foot, direction of the arm), except within `clear` metres of one
/// the author placed or where someone stands; nearest the action first, as nearer lamps
/// take the light budget first.
pub(super) fn lamp_posts(
    kit: &mut Kit,
    site: &Site,
    spots: Vec<(Vec2, Vec2)>,
    clear: f32,
    pole: f32,
) {
    let authored: Vec<Vec2> = site
        .scenario
        .place
        .props
        .iter()
        .filter(|p| p.kind == PropKind::StreetLight)
        .map(|p| Vec2::new(p.x, p.z))
        .collect();
    let mut lamps: Vec<(f32, Vec2, Vec2)> = spots
        .into_iter()
        .filter(|(p, _)| !authored.iter().any(|a| a.distance(*p) < clear))
        .filter(|(p, _)| !near_people(site, *p, 1.5))
        .map(|(p, d)| (p.distance(site.centre()), p, d))
        .collect();
    lamps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, p, d) in lamps {
        lamp_post(kit, Vec3::new(p.x, 0.0, p.y), 6.0, d, pole);
    }
}

pub(super) fn lamp_post(kit: &mut Kit, base: Vec3, height: f32, dir: Vec2, pole_d: f32) {
    let dir = dir.normalize_or(Vec2::X);
    let yaw = (-dir.x).atan2(-dir.y);
    let root = kit.root(base, yaw);
    let metal = kit.metal(Color::srgb(0.2, 0.22, 0.23), 0.5);
    kit.part(
        root,
        Shape::Cylinder,
        Vec3::new(0.0, height / 2.0, 0.0),
        Vec3::new(pole_d, height, pole_d),
        metal.clone(),
    );
    let arm = 1.1;
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, height - 0.05, -arm / 2.0),
        Vec3::new(0.07, 0.07, arm),
        metal.clone(),
    );
    let head = if kit.lamps_on {
        kit.glow(Color::srgb(1.0, 0.85, 0.6), 2.5)
    } else {
        kit.mat(Color::srgb(0.75, 0.75, 0.72), 0.3)
    };
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, height - 0.12, -arm),
        Vec3::new(0.28, 0.1, 0.55),
        metal,
    );
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, height - 0.18, -arm),
        Vec3::new(0.22, 0.04, 0.45),
        head,
    );
    kit.collider(
        root,
        Vec3::new(0.0, height / 2.0, 0.0),
        Vec3::new(pole_d.max(0.15), height, pole_d.max(0.15)),
        false,
    );
    if kit.lamps_on {
        let world = Vec2::new(base.x, base.z) + dir * arm;
        kit.lamp(
            Vec3::new(world.x, base.y + height - 0.35, world.y),
            Color::srgb(1.0, 0.82, 0.6),
            kit.lamp_lumens,
            18.0,
        );
    }
}

/// A vehicle in a group, `w` wide, `h` high and `d` long (along local z, front at -z), from
/// the core's pieces ([`solid::vehicle`]): body, cabin (clear glass when the subject sits
/// in it: `occupied`), a pickup's bed or a van's box; then wheels, bumpers and lights.
pub(super) fn vehicle(
    kit: &mut Kit,
    root: Entity,
    kind: PropKind,
    (w, h, d): (f32, f32, f32),
    colour: Color,
    occupied: bool,
) {
    let paint = kit.metal(colour, 0.35);
    let glass = if occupied {
        kit.clear_glass()
    } else {
        kit.window(false, false)
    };
    let pillar = kit.metal(mix(colour, Color::BLACK, 0.4), 0.4);
    let pieces = solid::vehicle(kind, w, h, d);
    for s in &pieces {
        let m = match s.part {
            Part::Glass => glass.clone(),
            Part::Pillar => pillar.clone(),
            _ => paint.clone(),
        };
        kit.solid(root, s, m);
    }
    let cabin = pieces.iter().find(|s| s.part == Part::Glass);
    if let Some(cabin) = cabin.filter(|_| occupied && kit.lamps_on) {
        cab_lights(kit, root, cabin);
    }
    wheels(kit, root, w, h, d);
    lights(kit, root, w, h, d);
}

/// The subject's cab after dark: the instrument panel's cool glow on face and hands from
/// the dash, and a dim warm dome light overhead, so head, hands and posture read through
/// the glass.
fn cab_lights(kit: &mut Kit, root: Entity, cabin: &Solid) {
    let [_, y, z] = cabin.centre;
    let [_, ch, len] = cabin.size;
    let dash = Vec3::new(0.0, y - ch * 0.3, z - len * 0.42);
    kit.inner_light(root, dash, Color::srgb(0.7, 0.85, 1.0), 1100.0, 2.2);
    let dome = Vec3::new(0.0, y + ch * 0.4, z);
    kit.inner_light(root, dome, Color::srgb(1.0, 0.85, 0.62), 1400.0, 2.6);
}

/// A parked car, `w` wide, `h` high, `d` long (along local z, front at -z).
pub(super) fn car(
    kit: &mut Kit,
    root: Entity,
    w: f32,
    h: f32,
    d: f32,
    colour: Color,
    occupied: bool,
) {
    vehicle(kit, root, PropKind::Car, (w, h, d), colour, occupied);
}

/// Four wheels with hubs.
fn wheels(kit: &mut Kit, root: Entity, w: f32, h: f32, d: f32) {
    let tyre = kit.mat(Color::srgb(0.04, 0.04, 0.04), 0.9);
    let hub = kit.metal(Color::srgb(0.6, 0.6, 0.62), 0.3);
    let r = (0.22 * h).clamp(0.25, 0.4);
    for (sx, sz) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
        let c = Vec3::new(sx * (w / 2.0 - 0.1), r, sz * d * 0.33);
        kit.part_rot(
            root,
            Shape::Cylinder,
            c,
            Vec3::new(2.0 * r, 0.22, 2.0 * r),
            Quat::from_rotation_z(FRAC_PI_2),
            tyre.clone(),
        );
        kit.part_rot(
            root,
            Shape::Cylinder,
            c + Vec3::new(sx * 0.115, 0.0, 0.0),
            Vec3::new(1.1 * r, 0.02, 1.1 * r),
            Quat::from_rotation_z(FRAC_PI_2),
            hub.clone(),
        );
    }
}

/// Bumpers, headlights and tail lights (lit when the lamps are on).
fn lights(kit: &mut Kit, root: Entity, w: f32, h: f32, d: f32) {
    let ch = Chassis::of(h);
    let bumper = kit.mat(Color::srgb(0.08, 0.08, 0.09), 0.6);
    for sz in [-1.0, 1.0] {
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(0.0, ch.clearance + 0.12, sz * (d / 2.0 + 0.03)),
            Vec3::new(w * 0.98, 0.2, 0.08),
            bumper.clone(),
        );
    }
    let head = if kit.lamps_on {
        kit.glow(Color::srgb(1.0, 0.97, 0.9), 0.8)
    } else {
        kit.mat(Color::srgb(0.9, 0.9, 0.88), 0.2)
    };
    let tail = kit.glow(
        Color::srgb(0.8, 0.05, 0.03),
        if kit.lamps_on { 0.5 } else { 0.12 },
    );
    let y = ch.clearance + (ch.body_top - ch.clearance) * 0.7;
    for sx in [-1.0, 1.0] {
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(sx * w * 0.33, y, -d / 2.0 - 0.01),
            Vec3::new(w * 0.2, 0.1, 0.04),
            head.clone(),
        );
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(sx * w * 0.36, y, d / 2.0 + 0.01),
            Vec3::new(w * 0.16, 0.1, 0.04),
            tail.clone(),
        );
    }
}

/// A railing in a group from its pieces ([`solid::railing`]).
pub(super) fn railing(kit: &mut Kit, root: Entity, pieces: &[Solid], colour: Color) {
    let m = kit.metal(colour, 0.45);
    for s in pieces {
        kit.solid(root, s, m.clone());
    }
}

/// A tree in a group from its pieces ([`solid::tree`]): bark, two greens of foliage, and a
/// collider round the trunk.
pub(super) fn tree(kit: &mut Kit, root: Entity, pieces: &[Solid], foliage: Color) {
    let bark = kit.mat(Color::srgb(0.3, 0.22, 0.15), 0.95);
    let leaves = [
        kit.mat(foliage, 0.95),
        kit.mat(mix(foliage, Color::srgb(0.35, 0.45, 0.15), 0.3), 0.95),
    ];
    let mut balls = 0;
    for s in pieces {
        if s.part == Part::Trunk {
            kit.solid(root, s, bark.clone());
            kit.collider(root, Vec3::from(s.centre), Vec3::from(s.size), false);
        } else {
            kit.solid(root, s, leaves[balls % 2].clone());
            balls += 1;
        }
    }
}

/// Windows (and a lit ground floor at night) on a tall authored wall: a building front.
pub(super) fn wall_windows(
    kit: &mut Kit,
    root: Entity,
    site: &Site,
    p: &Prop,
    long_z: bool,
    sign: f32,
    (w, h, d): (f32, f32, f32),
    salt: i32,
) {
    let (len, thick) = if long_z { (d, w) } else { (w, d) };
    let face = sign * (thick / 2.0 + 0.03);
    let at = |a: f32, y: f32| {
        if long_z {
            Vec3::new(face, y, a)
        } else {
            Vec3::new(a, y, face)
        }
    };
    let dims = |l: f32, y: f32| {
        if long_z {
            Vec3::new(0.06, y, l)
        } else {
            Vec3::new(l, y, 0.06)
        }
    };
    let trim = kit.mat(Color::srgb(0.82, 0.8, 0.76), 0.7);
    // Keep clear of doors (and other props) standing against the wall.
    let r = p.rotation.to_radians();
    let blocked = |a: f32| {
        let local = if long_z {
            Vec2::new(0.0, a)
        } else {
            Vec2::new(a, 0.0)
        };
        let world = Vec2::new(
            p.x + local.x * r.cos() + local.y * r.sin(),
            p.z - local.x * r.sin() + local.y * r.cos(),
        );
        site.scenario
            .place
            .props
            .iter()
            .any(|q| q.kind == PropKind::Door && Vec2::new(q.x, q.z).distance(world) < 1.4)
    };
    let cols = ((len / 2.8).floor() as i32).max(1);
    let floors = (((h - 3.2) / 3.0).floor() as i32).clamp(0, 12);
    for c in 0..cols {
        let a = -len / 2.0 + (c as f32 + 0.5) * len / cols as f32;
        // Ground floor: windows, except by a door.
        if !blocked(a) {
            let lit = kit.night && hash(salt * 17 + c, 151) > 0.5;
            let g = kit.window(lit, true);
            kit.part(root, Shape::Cube, at(a, 1.5), dims(1.4, 1.5), g);
        }
        for fl in 0..floors {
            let y = 3.2 + fl as f32 * 3.0 + 1.4;
            let lit = kit.lamps_on && hash(salt * 31 + fl * 7 + c, 152) > 0.55;
            let g = kit.window(lit, hash(c + fl, 153) > 0.3);
            kit.part(root, Shape::Cube, at(a, y), dims(1.1, 1.45), g);
            kit.part(
                root,
                Shape::Cube,
                at(a, y - 0.8) + Vec3::new(0.0, 0.0, 0.0),
                dims(1.3, 0.08),
                trim.clone(),
            );
        }
    }
}

pub(super) fn u_range(f: &Frame, site: &Site) -> (f32, f32) {
    let corners = [
        site.min,
        site.max,
        Vec2::new(site.min.x, site.max.y),
        Vec2::new(site.max.x, site.min.y),
    ];
    let us = corners.map(|c| f.uw(c).0);
    (
        us.iter().copied().fold(f32::INFINITY, f32::min),
        us.iter().copied().fold(f32::NEG_INFINITY, f32::max),
    )
}

pub(super) fn near_any_prop(site: &Site, p: Vec2, r: f32) -> bool {
    site.scenario
        .place
        .props
        .iter()
        .any(|q| Vec2::new(q.x, q.z).distance(p) < r + q.size.0.max(q.size.2).min(8.0) / 2.0)
}

pub(super) fn near_people(site: &Site, p: Vec2, r: f32) -> bool {
    let mut v = vec![site.subject, site.trainee];
    if let Some(pt) = &site.scenario.partner {
        v.push(Vec2::new(pt.spawn.x, pt.spawn.z));
    }
    v.iter().any(|q| q.distance(p) < r) || dist_to_segment(p, site.subject, site.trainee) < r * 0.6
}

pub(super) fn dist_to_segment(p: Vec2, a: Vec2, b: Vec2) -> f32 {
    let ab = b - a;
    let t = if ab.length_squared() > 1e-6 {
        ((p - a).dot(ab) / ab.length_squared()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * t)
}
