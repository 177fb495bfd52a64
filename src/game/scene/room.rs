//! The indoor shell shared by the bar, the apartment and the shop: a room enclosing every
//! prop and spawn point, with its floor, ceiling, walls, door, windows and lights. Each
//! indoor environment's file gives a [`RoomStyle`] and dresses the [`Room`] it gets back.

use super::kit::{Kit, Shape, hash};
use super::lighting::mix;
use super::markers::Ceiling;
use super::pieces::near_any_prop;
use super::site::Site;
use crate::format::scenario::{Prop, PropKind};
use bevy::prelude::*;

/// What makes one indoor environment's room its own.
pub(super) struct RoomStyle {
    /// Space left around the props and people, the least floor size, the ceiling height.
    pub(super) margin: f32,
    pub(super) min_size: Vec2,
    pub(super) height: f32,
    /// Floor, upper wall, panelling below the dado rail, ceiling.
    pub(super) floor: Color,
    pub(super) wall: Color,
    pub(super) lower: Color,
    pub(super) ceiling: Color,
    /// Chequered tiles, else planks of this roughness.
    pub(super) tiles: bool,
    pub(super) plank_roughness: f32,
    /// Height of the panelling (0: none).
    pub(super) dado: f32,
    /// Windows to the outside opposite the door.
    pub(super) windows: bool,
    /// Ceiling lights: lumens, colour, grid spacing, how bright the fitting glows, its shape.
    pub(super) lumens: f32,
    pub(super) light: Color,
    pub(super) spacing: f32,
    pub(super) glow: f32,
    pub(super) fitting: Fitting,
}

/// The shape of a ceiling light.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fitting {
    /// A long strip on the ceiling (shops).
    Strip,
    /// A cone shade on a cord, low over the tables (bars).
    Pendant,
    /// A globe close to the ceiling (homes).
    Globe,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Side {
    /// Inner face coordinate (x for the left/right sides, z for front/back).
    pub(super) at: f32,
    pub(super) authored: bool,
    /// Normal pointing into the room.
    pub(super) normal: Vec2,
}

/// A room enclosing every prop and spawn point, dressed for a bar, a flat or a shop.
/// Walls the author placed along the edges are used as the room's walls; the missing ones
/// are built (through any door standing at the edge).
/// The room as built: its bounds and inner wall faces (side, centre, length), and which
/// face the trainee came in by.
pub(super) struct Room {
    pub(super) lo: Vec2,
    pub(super) hi: Vec2,
    pub(super) height: f32,
    pub(super) faces: Vec<(Side, Vec2, f32)>,
    pub(super) nearest: usize,
}

impl Room {
    pub(super) fn size(&self) -> Vec2 {
        self.hi - self.lo
    }

    pub(super) fn mid(&self) -> Vec2 {
        (self.lo + self.hi) / 2.0
    }

    /// The face opposite the door.
    pub(super) fn opposite(&self) -> usize {
        [1, 0, 3, 2][self.nearest]
    }
}

/// Build the room in `style` around everything the author placed.
pub(super) fn shell(kit: &mut Kit, site: &Site, style: &RoomStyle) -> Room {
    let sides = sides(site, style);
    let lo = Vec2::new(sides[0].at, sides[2].at);
    let hi = Vec2::new(sides[1].at, sides[3].at);
    let mid = (lo + hi) / 2.0;
    let size = hi - lo;
    // (side, centre of the inner face, length)
    let faces: Vec<(Side, Vec2, f32)> = sides
        .iter()
        .map(|s| {
            let c = if s.normal.x != 0.0 {
                Vec2::new(s.at, mid.y)
            } else {
                Vec2::new(mid.x, s.at)
            };
            let len = if s.normal.x != 0.0 { size.y } else { size.x };
            (*s, c, len)
        })
        .collect();
    let t = site.trainee;
    let d = [t.x - lo.x, hi.x - t.x, t.y - lo.y, hi.y - t.y];
    let nearest = (0..4).min_by(|a, b| d[*a].total_cmp(&d[*b])).unwrap_or(3);
    let room = Room {
        lo,
        hi,
        height: style.height,
        faces,
        nearest,
    };
    floor(kit, &room, style);
    ceiling(kit, &room, style);
    walls(kit, &room, style);
    door(kit, site, &room);
    if style.windows {
        windows(kit, site, &room);
    }
    lights(kit, &room, style);
    room
}

/// For each side (-x, +x, -z, +z): an authored wall along it, else a door at the edge,
/// else the bounds plus a margin; built sides pushed out to the least size.
fn sides(site: &Site, style: &RoomStyle) -> [Side; 4] {
    let props = &site.scenario.place.props;
    let (blo, bhi) = (site.min, site.max);
    let span = bhi - blo;
    let side = |axis_x: bool, low: bool| -> Side {
        let bound = match (axis_x, low) {
            (true, true) => blo.x,
            (true, false) => bhi.x,
            (false, true) => blo.y,
            (false, false) => bhi.y,
        };
        let e = Edge { axis_x, low, bound };
        let normal = e.normal();
        let length_needed = 0.4 * if axis_x { span.y } else { span.x };
        if let Some(at) = e.wall(props, length_needed) {
            return Side {
                at,
                authored: true,
                normal,
            };
        }
        let at = e
            .door(props)
            .unwrap_or(bound + if low { -style.margin } else { style.margin });
        Side {
            at,
            authored: false,
            normal,
        }
    };
    let mut sides = [
        side(true, true),
        side(true, false),
        side(false, true),
        side(false, false),
    ];
    push_out(&mut sides, style.min_size);
    sides
}

/// Minimum size: push out the built sides (authored ones stay).
fn push_out(sides: &mut [Side; 4], min_size: Vec2) {
    for (lo_i, hi_i, need) in [(0, 1, min_size.x), (2, 3, min_size.y)] {
        let short = need - (sides[hi_i].at - sides[lo_i].at);
        if short > 0.0 {
            match (sides[lo_i].authored, sides[hi_i].authored) {
                (false, false) => {
                    sides[lo_i].at -= short / 2.0;
                    sides[hi_i].at += short / 2.0;
                }
                (false, true) => sides[lo_i].at -= short,
                (true, false) => sides[hi_i].at += short,
                (true, true) => {}
            }
        }
    }
}

/// One side of the room being found: across x (`axis_x`) or z, the low or the high one,
/// and where the bounds of everything in the room are on that side.
struct Edge {
    axis_x: bool,
    low: bool,
    bound: f32,
}

impl Edge {
    /// Pointing into the room.
    fn normal(&self) -> Vec2 {
        match (self.axis_x, self.low) {
            (true, true) => Vec2::X,
            (true, false) => Vec2::NEG_X,
            (false, true) => Vec2::Y,
            (false, false) => Vec2::NEG_Y,
        }
    }

    fn coord(&self, p: &Prop) -> f32 {
        if self.axis_x { p.x } else { p.z }
    }

    /// Half the prop's extent across this side, then along it.
    fn thick_long(&self, p: &Prop) -> (f32, f32) {
        let r = p.rotation.to_radians();
        let (hx, hz) = (p.size.0 / 2.0, p.size.2 / 2.0);
        let ex = hx * r.cos().abs() + hz * r.sin().abs();
        let ez = hx * r.sin().abs() + hz * r.cos().abs();
        if self.axis_x { (ex, ez) } else { (ez, ex) }
    }

    /// The inner face of a tall authored wall along this side, at least `length_needed`
    /// long, with its outer face on the bounds.
    fn wall(&self, props: &[Prop], length_needed: f32) -> Option<f32> {
        let low = self.low;
        props
            .iter()
            .filter(|p| p.kind == PropKind::Wall && p.size.1 >= 2.0)
            .filter(|p| {
                let (thick, long) = self.thick_long(p);
                let outer = self.coord(p) + if low { -thick } else { thick };
                long * 2.0 >= length_needed && thick < long && (outer - self.bound).abs() < 0.6
            })
            .map(|p| {
                let thick = self.thick_long(p).0;
                self.coord(p) + if low { thick } else { -thick }
            })
            .reduce(|a, b| if low { a.max(b) } else { a.min(b) })
    }

    /// Just inside the outer face of a door standing on the bounds on this side.
    fn door(&self, props: &[Prop]) -> Option<f32> {
        let low = self.low;
        props
            .iter()
            .filter(|p| p.kind == PropKind::Door)
            .filter_map(|p| {
                let thick = self.thick_long(p).0;
                let outer = self.coord(p) + if low { -thick } else { thick };
                ((outer - self.bound).abs() < 0.6)
                    .then(|| self.coord(p) + if low { -thick + 0.05 } else { thick - 0.05 })
            })
            .reduce(|a, b| if low { a.min(b) } else { a.max(b) })
    }
}

fn floor(kit: &mut Kit, room: &Room, style: &RoomStyle) {
    let (lo, size, mid) = (room.lo, room.size(), room.mid());
    let floor_c = style.floor;
    if style.tiles {
        let a = kit.mat(floor_c, 0.35);
        let b = kit.mat(mix(floor_c, Color::srgb(0.45, 0.47, 0.5), 0.5), 0.35);
        let n = (size / 2.0).ceil();
        for ix in 0..n.x as i32 {
            for iz in 0..n.y as i32 {
                let c = lo + Vec2::new(ix as f32 * 2.0 + 1.0, iz as f32 * 2.0 + 1.0);
                let m = if (ix + iz) % 2 == 0 {
                    a.clone()
                } else {
                    b.clone()
                };
                kit.block(
                    Shape::Cube,
                    Vec3::new(c.x, -0.05, c.y),
                    Vec3::new(2.0, 0.1, 2.0),
                    m,
                );
            }
        }
    } else {
        let sub = kit.mat(mix(floor_c, Color::BLACK, 0.6), 0.9);
        kit.block(
            Shape::Cube,
            Vec3::new(mid.x, -0.12, mid.y),
            Vec3::new(size.x + 0.8, 0.1, size.y + 0.8),
            sub,
        );
        let n = (size.x / 0.6).ceil() as i32;
        for i in 0..n {
            let shade = 0.85 + hash(i, 101) * 0.25;
            let c = Color::LinearRgba(floor_c.to_linear() * shade);
            let m = kit.mat(c, style.plank_roughness);
            let x = lo.x + (i as f32 + 0.5) * 0.6;
            kit.block(
                Shape::Cube,
                Vec3::new(x, -0.05, mid.y),
                Vec3::new(0.59, 0.1, size.y + 0.6),
                m,
            );
        }
    }
}

/// The ceiling (marked, so the review can hide it from above).
fn ceiling(kit: &mut Kit, room: &Room, style: &RoomStyle) {
    let (size, mid) = (room.size(), room.mid());
    let ceiling = kit.mat(style.ceiling, 0.9);
    let e = kit.block(
        Shape::Cube,
        Vec3::new(mid.x, style.height + 0.05, mid.y),
        Vec3::new(size.x + 0.8, 0.1, size.y + 0.8),
        ceiling,
    );
    kit.commands.entity(e).insert(Ceiling);
}

/// Walls the author did not build: paint above, panelling below, a skirting board.
fn walls(kit: &mut Kit, room: &Room, style: &RoomStyle) {
    let height = style.height;
    let upper = kit.mat(style.wall, 0.85);
    let lower = kit.mat(style.lower, 0.6);
    let skirting = kit.mat(mix(style.lower, Color::BLACK, 0.3), 0.6);
    let dado = style.dado;
    for (s, c, len) in &room.faces {
        let (c, len, n) = (*c, *len, s.normal);
        let along_x = n.y != 0.0;
        let dims = |l: f32, t: f32| if along_x { (l, t) } else { (t, l) };
        if s.authored {
            // Authored walls may be lower than the ceiling: fill in above them.
            let (sx, sz) = dims(len + 0.4, 0.2);
            let back = c - n * 0.3;
            kit.block(
                Shape::Cube,
                Vec3::new(back.x, height / 2.0, back.y),
                Vec3::new(sx, height, sz),
                upper.clone(),
            );
            continue;
        }
        let (sx, sz) = dims(len + 0.4, 0.2);
        let back = c - n * 0.1;
        kit.block(
            Shape::Cube,
            Vec3::new(back.x, height / 2.0, back.y),
            Vec3::new(sx, height, sz),
            upper.clone(),
        );
        if dado > 0.0 {
            let p = c + n * 0.01;
            let (sx, sz) = dims(len, 0.04);
            kit.block(
                Shape::Cube,
                Vec3::new(p.x, dado / 2.0, p.y),
                Vec3::new(sx, dado, sz),
                lower.clone(),
            );
        }
        let p = c + n * 0.02;
        let (sx, sz) = dims(len, 0.03);
        kit.block(
            Shape::Cube,
            Vec3::new(p.x, 0.06, p.y),
            Vec3::new(sx, 0.12, sz),
            skirting.clone(),
        );
        let (sx, sz) = dims(len + 0.4, 0.3);
        kit.wall_collider(
            Vec3::new(back.x, height / 2.0, back.y),
            Vec3::new(sx, height, sz),
        );
    }
}

/// The door the trainee came in by, on the wall nearest the trainee (unless the author
/// placed doors).
fn door(kit: &mut Kit, site: &Site, room: &Room) {
    let props = &site.scenario.place.props;
    let (lo, hi, t) = (room.lo, room.hi, site.trainee);
    let faces = &room.faces;
    let nearest = room.nearest;
    if !props.iter().any(|p| p.kind == PropKind::Door) {
        let (s, c, _) = faces[nearest];
        let n = s.normal;
        let door_at = if n.y != 0.0 {
            Vec2::new(t.x.clamp(lo.x + 1.0, hi.x - 1.0), c.y)
        } else {
            Vec2::new(c.x, t.y.clamp(lo.y + 1.0, hi.y - 1.0))
        };
        let door = kit.root(Vec3::new(door_at.x, 0.0, door_at.y), (-n.x).atan2(-n.y));
        let wood = kit.mat(Color::srgb(0.3, 0.19, 0.11), 0.6);
        let frame = kit.mat(Color::srgb(0.16, 0.1, 0.06), 0.6);
        kit.part(
            door,
            Shape::Cube,
            Vec3::new(0.0, 1.08, 0.0),
            Vec3::new(1.2, 2.16, 0.05),
            frame,
        );
        kit.part(
            door,
            Shape::Cube,
            Vec3::new(0.0, 1.03, -0.03),
            Vec3::new(0.95, 2.05, 0.05),
            wood,
        );
        let handle = kit.metal(Color::srgb(0.75, 0.72, 0.6), 0.3);
        kit.part(
            door,
            Shape::Sphere,
            Vec3::new(0.36, 1.0, -0.07),
            Vec3::splat(0.07),
            handle,
        );
    }
}

/// Windows showing the time of day outside, on the wall opposite the door.
fn windows(kit: &mut Kit, site: &Site, room: &Room) {
    let (s, oc, olen) = room.faces[room.opposite()];
    let on = s.normal;
    let outside = if kit.night {
        kit.glow(Color::srgb(0.05, 0.07, 0.14), 0.25)
    } else {
        kit.glow(Color::srgb(0.75, 0.85, 0.95), 0.8)
    };
    let sill = kit.mat(Color::srgb(0.85, 0.85, 0.82), 0.6);
    let count = ((olen / 3.2).floor() as i32).clamp(1, 6);
    for i in 0..count {
        let along = (i as f32 + 0.5) / count as f32 - 0.5;
        let tangent = Vec2::new(on.y, -on.x);
        let p = oc + tangent * along * olen + on * 0.03;
        if near_any_prop(site, p, 0.3) {
            continue;
        }
        let w = kit.root(Vec3::new(p.x, 0.0, p.y), on.x.atan2(on.y));
        kit.part(
            w,
            Shape::Cube,
            Vec3::new(0.0, 1.7, 0.0),
            Vec3::new(1.4, 1.4, 0.02),
            outside.clone(),
        );
        kit.part(
            w,
            Shape::Cube,
            Vec3::new(0.0, 0.98, 0.0),
            Vec3::new(1.6, 0.06, 0.16),
            sill.clone(),
        );
        kit.part(
            w,
            Shape::Cube,
            Vec3::new(0.0, 1.7, 0.01),
            Vec3::new(0.05, 1.4, 0.03),
            sill.clone(),
        );
        kit.part(
            w,
            Shape::Cube,
            Vec3::new(0.0, 1.7, 0.01),
            Vec3::new(1.4, 0.05, 0.03),
            sill.clone(),
        );
    }
}

/// Ceiling lights on a grid, the ones nearest the action lit.
fn lights(kit: &mut Kit, room: &Room, style: &RoomStyle) {
    let (lo, size, _height) = (room.lo, room.size(), style.height);
    let (lumens, colour, spacing) = (style.lumens, style.light, style.spacing);
    let nx = (size.x / spacing).round().max(1.0) as i32;
    let nz = (size.y / spacing).round().max(1.0) as i32;
    let fixture = kit.glow(colour, style.glow);
    let mut fixtures: Vec<(f32, Vec2)> = Vec::new();
    for ix in 0..nx {
        for iz in 0..nz {
            let p = lo
                + Vec2::new(
                    (ix as f32 + 0.5) * size.x / nx as f32,
                    (iz as f32 + 0.5) * size.y / nz as f32,
                );
            fixtures.push((p.distance(kit.site_centre), p));
        }
    }
    fixtures.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut lit = 0;
    for (_, p) in fixtures {
        let y = fitting(kit, style, p, &fixture);
        if lit < kit.preset.room_lights && kit.lamp(Vec3::new(p.x, y, p.y), colour, lumens, 14.0) {
            lit += 1;
        }
    }
}

/// One light fitting at `p`; returns the height of its light.
fn fitting(kit: &mut Kit, style: &RoomStyle, p: Vec2, fixture: &Handle<StandardMaterial>) -> f32 {
    let height = style.height;
    match style.fitting {
        Fitting::Strip => {
            kit.block(
                Shape::Cube,
                Vec3::new(p.x, height - 0.04, p.y),
                Vec3::new(0.3, 0.05, 1.6),
                fixture.clone(),
            );
            height - 0.3
        }
        Fitting::Pendant => {
            let cord = kit.mat(Color::srgb(0.05, 0.05, 0.05), 0.5);
            kit.block(
                Shape::Cube,
                Vec3::new(p.x, height - 0.35, p.y),
                Vec3::new(0.02, 0.7, 0.02),
                cord,
            );
            kit.block(
                Shape::Cone,
                Vec3::new(p.x, height - 0.78, p.y),
                Vec3::new(0.45, 0.22, 0.45),
                fixture.clone(),
            );
            height - 0.95
        }
        Fitting::Globe => {
            kit.block(
                Shape::Sphere,
                Vec3::new(p.x, height - 0.15, p.y),
                Vec3::new(0.4, 0.25, 0.4),
                fixture.clone(),
            );
            height - 0.3
        }
    }
}
