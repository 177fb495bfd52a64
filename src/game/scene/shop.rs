//! The shop: a bright room (chequered tiles, strip lights, windows to the outside) with a
//! band in the shop's colours round the top of the walls.

use super::kit::{Kit, Shape};
use super::room::{Fitting, RoomStyle, shell};
use super::site::Site;
use bevy::prelude::*;

const STYLE: RoomStyle = RoomStyle {
    margin: 1.8,
    min_size: Vec2::new(12.0, 10.0),
    height: 3.6,
    floor: Color::srgb(0.82, 0.82, 0.8),
    wall: Color::srgb(0.92, 0.92, 0.9),
    lower: Color::srgb(0.3, 0.45, 0.6),
    ceiling: Color::srgb(0.88, 0.88, 0.88),
    tiles: true,
    plank_roughness: 0.6,
    dado: 1.1,
    windows: true,
    lumens: 16_000.0,
    light: Color::srgb(0.95, 0.97, 1.0),
    spacing: 3.6,
    glow: 1.5,
    fitting: Fitting::Strip,
};

pub(super) fn build(kit: &mut Kit, site: &Site) {
    let room = shell(kit, site, &STYLE);
    // A coloured band with the shop's colours round the top of the walls.
    let band = kit.mat(Color::srgb(0.85, 0.25, 0.15), 0.7);
    for (s, c, len) in &room.faces {
        let p = *c + s.normal * 0.03;
        let (sx, sz) = if s.normal.y != 0.0 {
            (*len, 0.04)
        } else {
            (0.04, *len)
        };
        kit.block(
            Shape::Cube,
            Vec3::new(p.x, room.height - 0.45, p.y),
            Vec3::new(sx, 0.5, sz),
            band.clone(),
        );
    }
}
