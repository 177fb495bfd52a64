//! A street: pavement along the trainee-subject line, a road on the side of any parked
//! cars, building rows (with alleys between authored fronts), lamps and parked cars.

use super::ground::{Frame, Ground, ROAD_DROP};
use super::kit::{CAR_COLOURS, Kit, hash, rgb};
use super::pieces::*;
use super::site::Site;
use crate::format::scenario::{Prop, PropKind};
use bevy::prelude::*;
use std::f32::consts::{FRAC_PI_2, PI};

/// Where the street's bands lie across it (`w`) and how far it runs along (`u`).
struct Lanes {
    f: Frame,
    u0: f32,
    u1: f32,
    /// The span of the action along the street.
    su0: f32,
    su1: f32,
    /// Near building fronts, kerb, far kerb, far building fronts.
    facade: f32,
    kerb: f32,
    road_far: f32,
    far_face: f32,
    /// Gaps between authored fronts (u from, u to).
    alleys: Vec<(f32, f32)>,
    /// Where the zebra crossing is.
    zebra_u: f32,
}

impl Lanes {
    fn len(&self) -> f32 {
        self.u1 - self.u0
    }
    fn uc(&self) -> f32 {
        (self.u0 + self.u1) / 2.0
    }
    fn centre(&self) -> f32 {
        (self.kerb + self.road_far) / 2.0
    }
}

/// A street: pavement with kerb, a two-lane road, the far pavement, building fronts on both
/// sides, lamp posts, parked cars and a zebra crossing.
pub(super) fn build(kit: &mut Kit, site: &Site, ground: &mut Ground) {
    let l = layout(site);
    ground.roads.push((l.f, l.kerb, l.road_far));
    surfaces(kit, &l);
    joints(kit, &l);
    markings(kit, &l);
    building_row(kit, &l.f, l.u0, l.u1, l.facade, 1.0, 3, &l.alleys);
    building_row(kit, &l.f, l.u0, l.u1, l.far_face, -1.0, 5, &[]);
    alleys(kit, &l);
    lamps(kit, site, &l);
    parked_cars(kit, site, &l);
    // Walls to keep the trainee on the street.
    let Lanes {
        f,
        facade,
        far_face,
        ..
    } = l;
    let (len, uc) = (l.len(), l.uc());
    for w in [facade - 0.3, far_face + 0.3] {
        let (sx, sz) = f.size(len, 0.4);
        let c = f.world(uc, w);
        kit.wall_collider(Vec3::new(c.x, 1.5, c.y), Vec3::new(sx, 3.0, sz));
    }
}

/// The kerb just inside any parked cars (else clear of everyone on the pavement), the
/// building fronts behind the nearest prop, the road as wide as the cars need.
fn layout(site: &Site) -> Lanes {
    let f = site.street_frame();
    let props = &site.scenario.place.props;
    let (_, s0) = f.uw(site.subject);
    let (su0, su1) = u_range(&f, site);
    let mut people = vec![f.uw(site.subject).1, f.uw(site.trainee).1];
    if let Some(p) = &site.scenario.partner {
        people.push(f.uw(Vec2::new(p.spawn.x, p.spawn.z)).1);
    }
    let kerb = kerb_line(&f, props, s0, &people);
    let fronts = fronts(&f, props, kerb);
    let nearest = props
        .iter()
        .filter(|p| p.kind != PropKind::Car)
        .map(|p| {
            let (_, ew) = f.extent(p);
            f.uw(Vec2::new(p.x, p.z)).1 - ew - 0.6
        })
        .filter(|w| *w < kerb)
        .chain(fronts.iter().map(|fr| fr.0 - 0.02))
        .chain(people.iter().map(|w| w - 1.2))
        .fold(kerb - 4.5, f32::min);
    let road_far = props
        .iter()
        .filter(|p| p.kind == PropKind::Car)
        .map(|p| f.uw(Vec2::new(p.x, p.z)).1 + f.extent(p).1 + 0.6)
        .fold(kerb + 7.6, f32::max);
    Lanes {
        f,
        u0: su0 - 80.0,
        u1: su1 + 80.0,
        su0,
        su1,
        facade: nearest.max(kerb - 14.0),
        kerb,
        road_far,
        far_face: road_far + 3.6,
        alleys: alleys_between(&fronts),
        zebra_u: su1 + 16.0,
    }
}

/// Where the kerb runs (`w`): just inside the parked cars on the subject's far side, with
/// lamp posts and bins kept on the pavement; without cars, clear of the people and props
/// near the subject.
fn kerb_line(f: &Frame, props: &[Prop], s0: f32, people: &[f32]) -> f32 {
    let cars_inner = props
        .iter()
        .filter(|p| p.kind == PropKind::Car)
        .map(|p| f.uw(Vec2::new(p.x, p.z)).1 - f.extent(p).1)
        .filter(|w| *w > s0)
        .fold(f32::INFINITY, f32::min);
    if cars_inner.is_finite() {
        // Parked cars sit just off the kerb; lamp posts and bins stay on the pavement.
        let kerbside = props
            .iter()
            .filter(|p| p.kind != PropKind::Car)
            .map(|p| f.uw(Vec2::new(p.x, p.z)).1 + f.extent(p).1 + 0.05)
            .filter(|w| *w <= cars_inner + 0.01)
            .fold(cars_inner - 0.12, f32::max);
        kerbside.min(cars_inner).max(s0 + 1.0)
    } else {
        let furthest = props
            .iter()
            .filter(|p| p.kind != PropKind::Car)
            .map(|p| f.uw(Vec2::new(p.x, p.z)).1 + f.extent(p).1)
            .filter(|w| *w < s0 + 6.0)
            .chain(people.iter().copied())
            .fold(s0, f32::max);
        furthest + 1.6
    }
}

/// Tall walls running along the street on the pavement's side are building fronts: (their
/// face `w`, u from, u to).
fn fronts(f: &Frame, props: &[Prop], kerb: f32) -> Vec<(f32, f32, f32)> {
    props
        .iter()
        .filter(|p| p.kind == PropKind::Wall && p.size.1 >= 4.0)
        .filter_map(|p| {
            let (eu, ew) = f.extent(p);
            let (u, w) = f.uw(Vec2::new(p.x, p.z));
            (eu > 2.0 * ew && eu >= 3.0 && w < kerb).then_some((w - ew, u - eu, u + eu))
        })
        .collect()
}

/// The gaps between building fronts narrow enough to be alleys (u from, u to).
fn alleys_between(fronts: &[(f32, f32, f32)]) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32)> = fronts.iter().map(|fr| (fr.1, fr.2)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    spans
        .windows(2)
        .map(|pair| (pair[0].1, pair[1].0))
        .filter(|(a, b)| b - a > 1.2 && b - a < 16.0)
        .collect()
}

/// Pavements, kerb stones and the road, as slabs along the street.
fn surfaces(kit: &mut Kit, l: &Lanes) {
    let Lanes {
        f,
        facade,
        kerb,
        road_far,
        far_face,
        ..
    } = *l;
    let (len, uc) = (l.len(), l.uc());
    let slab = |kit: &mut Kit, w_a: f32, w_b: f32, top: f32, m: Handle<StandardMaterial>| {
        kit.band(
            &f,
            (uc, (w_a + w_b) / 2.0),
            (len, (w_b - w_a).abs()),
            (top - 0.15, 0.3),
            m,
        );
    };
    let paving = kit.ground(Color::srgb(0.5, 0.5, 0.48), 0.85);
    let kerb_stone = kit.ground(Color::srgb(0.62, 0.62, 0.6), 0.7);
    let asphalt = kit.ground(Color::srgb(0.085, 0.085, 0.095), 0.9);
    slab(kit, facade - 1.0, kerb - 0.2, 0.0, paving.clone());
    slab(kit, kerb - 0.2, kerb, 0.01, kerb_stone.clone());
    slab(kit, kerb, road_far, -ROAD_DROP, asphalt);
    slab(kit, road_far, road_far + 0.2, 0.01, kerb_stone);
    slab(kit, road_far + 0.2, far_face + 1.0, 0.0, paving);
}

/// Paving joints near the action.
fn joints(kit: &mut Kit, l: &Lanes) {
    let Lanes {
        f,
        su0,
        su1,
        facade,
        kerb,
        ..
    } = *l;
    let joint = kit.ground(Color::srgb(0.36, 0.36, 0.35), 0.9);
    let mut u = (su0 - 25.0).floor();
    while u < su1 + 25.0 {
        kit.band(
            &f,
            (u, (facade + kerb - 0.2) / 2.0),
            (0.03, kerb - 0.2 - facade),
            (0.002, 0.004),
            joint.clone(),
        );
        u += 1.8;
    }
}

/// Road markings: dashed centre line and a zebra crossing.
fn markings(kit: &mut Kit, l: &Lanes) {
    let Lanes {
        f,
        u0,
        u1,
        kerb,
        road_far,
        zebra_u,
        ..
    } = *l;
    let centre = l.centre();
    let paint = kit.ground(Color::srgb(0.85, 0.85, 0.82), 0.6);
    let mut u = u0;
    while u < u1 {
        kit.band(
            &f,
            (u + 1.5, centre),
            (3.0, 0.12),
            (-ROAD_DROP + 0.004, 0.008),
            paint.clone(),
        );
        u += 9.0;
    }
    let mut w = kerb + 0.5;
    while w < road_far - 0.4 {
        kit.band(
            &f,
            (zebra_u, w + 0.25),
            (3.2, 0.5),
            (-ROAD_DROP + 0.004, 0.008),
            paint.clone(),
        );
        w += 1.0;
    }
}

/// Alleys: a dark passage between the fronts, closed by a building at the back.
fn alleys(kit: &mut Kit, l: &Lanes) {
    let Lanes { f, facade, .. } = *l;
    let alley_floor = kit.ground(Color::srgb(0.16, 0.16, 0.17), 0.9);
    for (a, b) in &l.alleys {
        kit.band(
            &f,
            ((a + b) / 2.0, facade - 10.0),
            (b - a, 18.0),
            (-0.15, 0.3),
            alley_floor.clone(),
        );
        let back = f.world((a + b) / 2.0, facade - 18.0);
        building(
            kit,
            back,
            f.yaw_to_w(),
            b - a + 2.0,
            9.8,
            8.0,
            900 + *a as i32,
            false,
        );
    }
}

/// Lamp posts along both kerbs, where the author has not put any.
fn lamps(kit: &mut Kit, site: &Site, l: &Lanes) {
    let Lanes {
        f,
        u0,
        u1,
        kerb,
        road_far,
        ..
    } = *l;
    let mut spots = Vec::new();
    let mut u = u0 + 6.0;
    while u < u1 {
        for (w, dirw, off) in [(kerb - 0.5, 1.0, 0.0), (road_far + 0.5, -1.0, 12.0)] {
            spots.push((f.world(u + off, w), f.world(0.0, dirw)));
        }
        u += 24.0;
    }
    lamp_posts(kit, site, spots, 10.0, 0.14);
}

/// Parked cars along both kerbs away from the scene.
fn parked_cars(kit: &mut Kit, site: &Site, l: &Lanes) {
    let Lanes {
        f,
        u0,
        u1,
        kerb,
        road_far,
        zebra_u,
        ..
    } = *l;
    let centre = l.centre();
    let mut u = u0 + 4.0;
    let mut i = 0;
    while u < u1 - 4.0 {
        for (w, salt) in [(kerb + 1.15, 31u32), (road_far - 1.15, 37)] {
            i += 1;
            if hash(i, salt) < 0.35 {
                continue;
            }
            let p = f.world(u, w);
            if near_any_prop(site, p, 3.5) || near_people(site, p, 5.0) || (u - zebra_u).abs() < 6.0
            {
                continue;
            }
            let yaw = if f.along_z { 0.0 } else { FRAC_PI_2 } + if w > centre { PI } else { 0.0 };
            let root = kit.root(Vec3::new(p.x, -ROAD_DROP, p.y), yaw);
            let colour = rgb(CAR_COLOURS[(hash(i, salt + 1) * 8.0) as usize % 8]);
            car(kit, root, 1.8, 1.45, 4.3, colour, false);
            kit.collider(
                root,
                Vec3::new(0.0, 0.72, 0.0),
                Vec3::new(1.8, 1.45, 4.3),
                false,
            );
        }
        u += 6.4;
    }
}
