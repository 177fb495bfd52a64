//! Every authored prop, drawn from the core's pieces of it (`Prop::solids`, which the
//! sight-line lint tests too) plus trim, with a rapier collider (props marked `cover` carry
//! `CoverCollider` for the cover raycast).

use super::ground::Ground;
use super::kit::{CAR_COLOURS, Kit, Shape, hash, rgb};
use super::lighting::mix;
use super::pieces::*;
use super::site::Site;
use crate::format::scenario::{Environment, Prop, PropKind};
use crate::format::solid::{Part, Solid};
use bevy::prelude::*;
use std::f32::consts::FRAC_PI_2;

/// Which way (+1 or -1 along the prop's short local axis: z when `long_x`, else x) points
/// away from the middle of the scene: shelves open and benches face towards the action.
pub(super) fn away_from_centre(site: &Site, p: &Prop, long_x: bool) -> f32 {
    p.away_from(site.scenario.middle(), long_x)
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

/// One prop being built: its root, the prop, its pieces (from the core), its index, size,
/// colour and environment.
#[derive(Clone, Copy)]
struct Piece<'p> {
    root: Entity,
    p: &'p Prop,
    solids: &'p [Solid],
    i: usize,
    w: f32,
    h: f32,
    d: f32,
    base: Color,
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
    let (w, h, d) = p.extent();
    let solids = p.solids(site.scenario.middle());
    let y0 = ground.height(p.x, p.z);
    if p.kind == PropKind::StreetLight {
        // Built at its own root so the arm can reach over the place (towards its middle).
        let here = Vec2::new(p.x, p.z);
        let dir = (site.centre() - here).normalize_or(Vec2::X);
        let pole = solids[0].size;
        lamp_post(kit, Vec3::new(p.x, y0, p.z), pole[1], dir, pole[0]);
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
        solids: &solids,
        i,
        w,
        h,
        d,
        base,
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

/// Draws every piece of the prop, each with the material `pick` gives its part.
fn draw(kit: &mut Kit, pc: &Piece, mut pick: impl FnMut(Part) -> Handle<StandardMaterial>) {
    for s in pc.solids {
        let m = pick(s.part);
        kit.solid(pc.root, s, m);
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
        env,
        ..
    } = *pc;
    let m = kit.mat(base, 0.88);
    draw(kit, pc, |_| m.clone());
    let outdoor = !env.is_indoor();
    if outdoor && h >= 5.0 && w.max(d) >= 6.0 {
        // A building front: windows on the side facing the scene.
        let long_z = d >= w;
        let sign = -away_from_centre(site, p, !long_z);
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
    let kind = pc.p.kind;
    // The subject sitting in it is seen through clear glass.
    let occupied = pc.p.contains(site.subject.x, site.subject.y);
    if w > d {
        let inner = kit.sub(root, FRAC_PI_2);
        vehicle(kit, inner, kind, (d, h, w), base, occupied);
    } else {
        vehicle(kit, root, kind, (w, h, d), base, occupied);
    }
}

/// Slatted seat on iron legs, with a backrest on the side away from the action.
fn bench_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let wood = kit.mat(pc.base, 0.8);
    let iron = kit.metal(Color::srgb(0.12, 0.12, 0.13), 0.5);
    draw(kit, pc, |part| {
        if part == Part::Leg {
            iron.clone()
        } else {
            wood.clone()
        }
    });
}

/// A top on four legs.
fn table_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let wood = kit.mat(pc.base, 0.6);
    draw(kit, pc, |_| wood.clone());
}

/// A counter: body, darker top, kick board.
fn counter_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root, w, d, base, ..
    } = *pc;
    let body = kit.mat(base, 0.55);
    let top = kit.mat(mix(base, Color::srgb(0.1, 0.07, 0.05), 0.5), 0.25);
    let kick = kit.mat(mix(base, Color::BLACK, 0.5), 0.6);
    draw(kit, pc, |part| {
        if part == Part::Top {
            top.clone()
        } else {
            body.clone()
        }
    });
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
        w,
        h,
        d,
        base,
        centre,
        solids,
        ..
    } = *pc;
    tree(kit, root, solids, base);
    if p.cover {
        kit.collider(root, centre, Vec3::new(w.min(0.6), h, d.min(0.6)), true);
    }
}

/// A railing along its longer side.
fn railing_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    railing(kit, pc.root, pc.solids, pc.base);
}

/// A bin with a lid (round when square).
fn bin_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let m = kit.mat(pc.base, 0.7);
    let lid = kit.mat(mix(pc.base, Color::BLACK, 0.4), 0.6);
    draw(kit, pc, |part| {
        if part == Part::Top {
            lid.clone()
        } else {
            m.clone()
        }
    });
}

/// A door in its frame with a handle.
fn door_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let Piece {
        root,
        w,
        h,
        d,
        base,
        ..
    } = *pc;
    let panel = kit.mat(base, 0.6);
    let frame = kit.mat(mix(base, Color::BLACK, 0.45), 0.6);
    let handle = kit.metal(Color::srgb(0.75, 0.72, 0.6), 0.3);
    draw(kit, pc, |_| frame.clone());
    let thin_z = d <= w;
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

/// Shelving (back, ends and levels from the core) with goods on every level.
fn shelf_prop(kit: &mut Kit, _site: &Site, pc: &Piece) {
    let frame = kit.metal(pc.base, 0.5);
    draw(kit, pc, |_| frame.clone());
    let boards = pc.solids.iter().filter(|s| s.part == Part::Board);
    for (l, board) in boards.enumerate() {
        shelf_goods(kit, pc, board, l as i32);
    }
}

/// A row of goods (some gaps) standing on one level of a shelf.
fn shelf_goods(kit: &mut Kit, pc: &Piece, board: &Solid, l: i32) {
    let long_x = pc.w >= pc.d;
    let [sx, _, sz] = board.size;
    let (len, depth) = if long_x { (sx, sz) } else { (sz, sx) };
    let y = board.centre[1];
    let n = (len / 0.22).floor() as i32;
    for b in 0..n {
        if hash(b + l * 50 + pc.i as i32 * 997, 121) < 0.2 {
            continue;
        }
        let col = rgb(CAR_COLOURS[(hash(b + l * 7, 122) * 8.0) as usize % 8]);
        let goods = kit.mat(
            mix(col, Color::srgb(0.9, 0.6, 0.2), hash(b, 123) * 0.5),
            0.6,
        );
        let bh = 0.15 + hash(b + l, 124) * 0.15;
        let a = -len / 2.0 + 0.13 + b as f32 * 0.22;
        let (at, size) = if long_x {
            (
                Vec3::new(a, y + 0.015 + bh / 2.0, 0.0),
                Vec3::new(0.17, bh, depth * 0.7),
            )
        } else {
            (
                Vec3::new(0.0, y + 0.015 + bh / 2.0, a),
                Vec3::new(depth * 0.7, bh, 0.17),
            )
        };
        kit.part(pc.root, Shape::Cube, at, size, goods);
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
        ..
    } = *pc;
    let m = kit.mat(base, 0.85);
    draw(kit, pc, |_| m.clone());
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

#[cfg(test)]
mod tests {
    //! The scene draws every prop kind from the core's pieces: each piece the sight-line lint
    //! tests is drawn where the lint has it, and nothing drawn reaches past them but trim.
    use super::*;
    use crate::format::scenario::Scenario;
    use crate::format::solid::Form;
    use crate::game::graphics::Quality;
    use crate::game::scene::{Staging, lighting};
    use crate::game::state::Screen;
    use bevy::ecs::system::RunSystemOnce;

    /// Trim (copings, bumpers, a door's handle) may reach this far (m) past the pieces.
    const TRIM: f32 = 0.1;

    fn scenario_with(p: Prop) -> Scenario {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/knife_sidewalk.ron");
        let (mut s, _) = crate::check::load_scenario(std::path::Path::new(path)).expect("loads");
        s.place.props = vec![p];
        s.subject.spawn.x = -4.0;
        s.subject.spawn.z = 1.0;
        s.place.trainee_spawn.x = 6.0;
        s.place.trainee_spawn.z = 12.0;
        s
    }

    /// The eight corners of a box centred at `c` sized `s`, placed by `t`.
    fn corners(t: &Transform, c: Vec3, s: Vec3) -> Vec<Vec3> {
        let mut v = Vec::new();
        for k in 0..8 {
            let sign = Vec3::new(
                if k & 1 == 0 { -0.5 } else { 0.5 },
                if k & 2 == 0 { -0.5 } else { 0.5 },
                if k & 4 == 0 { -0.5 } else { 0.5 },
            );
            v.push(t.transform_point(c + sign * s));
        }
        v
    }

    /// Where a part is in the world: its transform composed with its parents'.
    fn placed(world: &World, e: Entity) -> Transform {
        let mut t = *world.get::<Transform>(e).expect("a transform");
        let mut at = e;
        while let Some(parent) = world.get::<ChildOf>(at).map(ChildOf::parent) {
            t = world
                .get::<Transform>(parent)
                .expect("parent")
                .mul_transform(t);
            at = parent;
        }
        t
    }

    /// Every drawn part of the prop: (shape mesh, corners in the world).
    fn drawn(p: &Prop) -> (Vec<(Form, Vec<Vec3>)>, Scenario) {
        let s = scenario_with(p.clone());
        let mut world = World::new();
        world.init_resource::<Assets<Mesh>>();
        world.init_resource::<Assets<StandardMaterial>>();
        let sc = s.clone();
        let handles = world
            .run_system_once(
                move |mut commands: Commands,
                      mut meshes: ResMut<Assets<Mesh>>,
                      mut materials: ResMut<Assets<StandardMaterial>>| {
                    let light = lighting::lighting(
                        sc.place.time_of_day,
                        sc.place.weather,
                        sc.place.environment.is_indoor(),
                    );
                    let site = Site::new(&sc);
                    let staging = Staging {
                        screen: Screen::Playing,
                        review: false,
                        preset: Quality::Medium.preset(),
                    };
                    let mut kit = Kit::new(
                        &mut commands,
                        &mut meshes,
                        &mut materials,
                        &light,
                        &site,
                        staging,
                    );
                    let ground = Ground::default();
                    prop(
                        &mut kit,
                        &site,
                        &ground,
                        &sc.place.props[0],
                        0,
                        sc.place.environment,
                    );
                    [
                        (kit.cube.id(), Form::Box),
                        (kit.cylinder.id(), Form::Cylinder),
                        (kit.sphere.id(), Form::Ball),
                    ]
                },
            )
            .expect("builds");
        let mut parts = Vec::new();
        let mut q = world.query::<(Entity, &Mesh3d)>();
        let meshes: Vec<(Entity, AssetId<Mesh>)> =
            q.iter(&world).map(|(e, m)| (e, m.0.id())).collect();
        for (e, id) in meshes {
            let Some((_, form)) = handles.iter().find(|(h, _)| *h == id) else {
                continue;
            };
            parts.push((*form, corners(&placed(&world, e), Vec3::ZERO, Vec3::ONE)));
        }
        (parts, s)
    }

    fn same_corners(a: &[Vec3], b: &[Vec3]) -> bool {
        a.iter().all(|p| b.iter().any(|q| p.distance(*q) < 1e-3))
            && b.iter().all(|p| a.iter().any(|q| p.distance(*q) < 1e-3))
    }

    /// For a round upright cylinder, which way it is turned does not matter: the same
    /// middle, heights and reach round it.
    fn same_round(a: &[Vec3], b: &[Vec3]) -> bool {
        let shape = |c: &[Vec3]| {
            let (lo, hi) = bounds(c.iter().copied());
            let mid = (lo + hi) / 2.0;
            let reach = c
                .iter()
                .map(|p| (*p - mid).with_y(0.0).length())
                .fold(0.0, f32::max);
            (mid, lo.y, hi.y, reach)
        };
        let (x, y) = (shape(a), shape(b));
        x.0.distance(y.0) < 1e-3
            && (x.1 - y.1).abs() < 1e-3
            && (x.2 - y.2).abs() < 1e-3
            && (x.3 - y.3).abs() < 1e-3
    }

    fn bounds(points: impl Iterator<Item = Vec3>) -> (Vec3, Vec3) {
        points.fold((Vec3::INFINITY, Vec3::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p), hi.max(p))
        })
    }

    /// Every kind, long either way, turned.
    fn cases() -> Vec<Prop> {
        use PropKind::*;
        let sizes = [
            (Wall, (0.2, 2.3, 6.0)),
            (Wall, (12.0, 9.0, 0.4)),
            (Car, (1.9, 1.5, 4.7)),
            (Car, (4.5, 1.45, 1.85)),
            (PickupTruck, (2.0, 1.9, 5.6)),
            (PickupTruck, (5.6, 1.9, 2.0)),
            (Van, (2.0, 2.4, 5.2)),
            (Van, (5.2, 2.4, 2.0)),
            (Bench, (1.8, 0.85, 0.5)),
            (Bench, (0.4, 0.45, 1.8)),
            (Table, (1.2, 0.75, 0.8)),
            (Counter, (4.0, 1.1, 0.7)),
            (StreetLight, (0.25, 6.0, 0.25)),
            (Tree, (3.0, 6.0, 3.0)),
            (Railing, (0.12, 1.1, 12.0)),
            (Railing, (8.0, 1.0, 0.1)),
            (Bin, (0.5, 0.9, 0.5)),
            (Bin, (0.9, 1.2, 0.6)),
            (Door, (1.0, 2.1, 0.1)),
            (Door, (0.1, 2.1, 1.0)),
            (Shelf, (3.0, 1.8, 0.5)),
            (Shelf, (0.5, 1.8, 3.0)),
            (Box, (0.6, 0.5, 0.4)),
        ];
        sizes
            .into_iter()
            .map(|(kind, size)| Prop {
                kind,
                x: 3.0,
                z: -2.0,
                rotation: 30.0,
                size,
                cover: true,
                color: None,
            })
            .collect()
    }

    #[test]
    fn every_prop_kind_is_drawn_from_the_pieces_the_sight_line_lint_tests() {
        for p in cases() {
            let (parts, s) = drawn(&p);
            let root = Transform::from_xyz(p.x, 0.0, p.z)
                .with_rotation(Quat::from_rotation_y(p.rotation.to_radians()));
            let solids = p.solids(s.middle());
            let mut all = Vec::new();
            for solid in &solids {
                let want = corners(&root, Vec3::from(solid.centre), Vec3::from(solid.size));
                assert!(
                    parts.iter().any(|(f, c)| *f == solid.form
                        && (same_corners(c, &want)
                            || (solid.form == Form::Cylinder
                                && solid.size[0] == solid.size[2]
                                && same_round(c, &want)))),
                    "{:?} {:?}: the core's {:?} {:?} at {:?} sized {:?} is not drawn there",
                    p.kind,
                    p.size,
                    solid.part,
                    solid.form,
                    solid.centre,
                    solid.size
                );
                all.extend(want);
            }
            // A street light's arm reaches over the place, towards its middle, over heads.
            if p.kind == PropKind::StreetLight {
                continue;
            }
            let (lo, hi) = bounds(all.into_iter());
            let (dlo, dhi) = bounds(parts.iter().flat_map(|(_, c)| c.iter().copied()));
            // Below a vehicle's body only its wheels reach down to the ground.
            let below = Vec3::new(1.0, 0.0, 1.0);
            let past = ((lo - dlo) * below).max(dhi - hi).max_element();
            assert!(
                past <= TRIM,
                "{:?} {:?}: something is drawn {past:.2} m past the core's pieces",
                p.kind,
                p.size
            );
        }
    }
}
