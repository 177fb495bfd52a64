//! The apartment: a home's room (plank floor, painted walls, windows to the outside,
//! globe lights), with a rug and pictures on the side walls.

use super::kit::{FACADES, Kit, Shape, rgb};
use super::pieces::near_any_prop;
use super::room::{Fitting, RoomStyle, shell};
use super::site::Site;
use bevy::prelude::*;

const STYLE: RoomStyle = RoomStyle {
    margin: 1.0,
    min_size: Vec2::new(6.5, 5.0),
    height: 2.6,
    floor: Color::srgb(0.55, 0.4, 0.26),
    wall: Color::srgb(0.82, 0.8, 0.72),
    lower: Color::srgb(0.95, 0.94, 0.9),
    ceiling: Color::srgb(0.93, 0.93, 0.9),
    tiles: false,
    plank_roughness: 0.6,
    dado: 0.0,
    windows: true,
    lumens: 14_000.0,
    light: Color::srgb(1.0, 0.88, 0.72),
    spacing: 4.0,
    glow: 1.5,
    fitting: Fitting::Globe,
};

pub(super) fn build(kit: &mut Kit, site: &Site) {
    let room = shell(kit, site, &STYLE);
    let rug = kit.mat(Color::srgb(0.45, 0.2, 0.18), 0.95);
    let c = site.subject.lerp(room.mid(), 0.5);
    if !near_any_prop(site, c, 0.5) {
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, 0.005, c.y),
            Vec3::new(2.4, 0.01, 1.7),
            rug,
        );
    }
    // Pictures on the side walls.
    for (i, (s, c, len)) in room.faces.iter().enumerate() {
        if i == room.nearest || i == room.opposite() {
            continue;
        }
        let n = s.normal;
        let tangent = Vec2::new(n.y, -n.x);
        let p = *c + n * 0.03 + tangent * (len * 0.2);
        if near_any_prop(site, p, 0.4) {
            continue;
        }
        let frame = kit.root(Vec3::new(p.x, 1.6, p.y), n.x.atan2(n.y));
        let wood = kit.mat(Color::srgb(0.15, 0.1, 0.06), 0.6);
        let art = kit.mat(rgb(FACADES[i % 8]), 0.8);
        kit.part(
            frame,
            Shape::Cube,
            Vec3::ZERO,
            Vec3::new(0.8, 0.6, 0.03),
            wood,
        );
        kit.part(
            frame,
            Shape::Cube,
            Vec3::new(0.0, 0.0, 0.01),
            Vec3::new(0.7, 0.5, 0.03),
            art,
        );
    }
}
