//! The scene's building kit: shared unit meshes, a material cache keyed by colour and
//! finish (wet and snowy ground, glass, glow), and helpers that spawn roots, parts,
//! colliders and a budget of point lights, all scoped to the screen the scene is for.

use super::ground::Frame;
use super::lighting::{Light, mix};
use super::markers::{CoverCollider, PlacePart};
use super::site::Site;
use super::{MaterialCache, Staging};
use crate::format::solid::{Form, Solid};
use crate::game::graphics::Preset;
use crate::game::state::Screen;
use bevy::prelude::*;
use bevy_rapier3d::prelude::Collider;

#[derive(Clone, Copy)]
pub(super) enum Shape {
    Cube,
    Cylinder,
    Sphere,
    Cone,
}

/// A deterministic pseudo-random number in 0..1 for (index, salt).
pub(super) fn hash(i: i32, salt: u32) -> f32 {
    let mut x = (i as u32).wrapping_mul(0x9E37_79B9) ^ salt.wrapping_mul(0x85EB_CA6B);
    x ^= x >> 16;
    x = x.wrapping_mul(0x7FEB_352D);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846C_A68B);
    x ^= x >> 16;
    (x >> 8) as f32 / (1u32 << 24) as f32
}

pub(super) struct Kit<'a, 'w, 's> {
    pub(super) commands: &'a mut Commands<'w, 's>,
    pub(super) materials: &'a mut Assets<StandardMaterial>,
    pub(super) cube: Handle<Mesh>,
    pub(super) cylinder: Handle<Mesh>,
    pub(super) sphere: Handle<Mesh>,
    pub(super) cone: Handle<Mesh>,
    pub(super) cache: MaterialCache,
    pub(super) wet: bool,
    pub(super) snow: bool,
    pub(super) night: bool,
    pub(super) lamps_on: bool,
    pub(super) lamp_lumens: f32,
    /// The run's exposure (lights meant to look the same in any light scale with it).
    pub(super) ev100: f32,
    /// Point lights spawned so far (the renderer is software on some PCs: keep it modest).
    pub(super) lights: usize,
    pub(super) site_centre: Vec2,
    /// Every part despawns on leaving this screen.
    pub(super) screen: Screen,
    pub(super) preset: Preset,
}

impl<'a, 'w, 's> Kit<'a, 'w, 's> {
    pub(super) fn new(
        commands: &'a mut Commands<'w, 's>,
        meshes: &mut Assets<Mesh>,
        materials: &'a mut Assets<StandardMaterial>,
        light: &Light,
        site: &Site,
        staging: Staging,
    ) -> Self {
        Kit {
            commands,
            materials,
            cube: meshes.add(Cuboid::new(1.0, 1.0, 1.0)),
            cylinder: meshes.add(Cylinder::new(0.5, 1.0)),
            sphere: meshes.add(Sphere::new(0.5).mesh().uv(20, 14)),
            cone: meshes.add(Cone::new(0.5, 1.0)),
            cache: MaterialCache::new(),
            wet: false,
            snow: false,
            night: false,
            lamps_on: light.lamps_on,
            lamp_lumens: light.lamp_lumens,
            ev100: light.ev100,
            lights: 0,
            site_centre: site.centre(),
            screen: staging.screen,
            preset: staging.preset,
        }
    }

    pub(super) fn key(c: Color, rough: f32, glow: f32, extra: u32) -> [u32; 6] {
        let c = c.to_srgba();
        let q = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u32;
        [
            q(c.red),
            q(c.green),
            q(c.blue),
            (rough * 100.0) as u32,
            glow.to_bits(),
            extra,
        ]
    }

    /// The cached material under `key`, made by `make` the first time.
    fn cached(
        &mut self,
        key: [u32; 6],
        make: impl FnOnce() -> StandardMaterial,
    ) -> Handle<StandardMaterial> {
        let materials = &mut *self.materials;
        self.cache
            .entry(key)
            .or_insert_with(|| materials.add(make()))
            .clone()
    }

    pub(super) fn mat(&mut self, c: Color, rough: f32) -> Handle<StandardMaterial> {
        let k = Self::key(c, rough, 0.0, 0);
        self.cached(k, || StandardMaterial {
            base_color: c,
            perceptual_roughness: rough,
            ..default()
        })
    }

    pub(super) fn metal(&mut self, c: Color, rough: f32) -> Handle<StandardMaterial> {
        let k = Self::key(c, rough, 0.0, 1);
        self.cached(k, || StandardMaterial {
            base_color: c,
            metallic: 0.8,
            perceptual_roughness: rough,
            ..default()
        })
    }

    /// A ground surface: darker and glossy when wet, whitened under snow.
    pub(super) fn ground(&mut self, c: Color, rough: f32) -> Handle<StandardMaterial> {
        let (c, rough) = if self.snow {
            (mix(c, Color::srgb(0.9, 0.92, 0.95), 0.7), 0.8)
        } else if self.wet {
            (mix(c, Color::BLACK, 0.35), (rough * 0.25).max(0.08))
        } else {
            (c, rough)
        };
        let k = Self::key(c, rough, 0.0, 2);
        self.cached(k, || StandardMaterial {
            base_color: c,
            perceptual_roughness: rough,
            reflectance: 0.5,
            ..default()
        })
    }

    /// A glowing surface; `level` 1.0 reads as brightly lit whatever the light.
    pub(super) fn glow(&mut self, c: Color, level: f32) -> Handle<StandardMaterial> {
        let k = Self::key(c, 0.5, level, 3);
        // Unlit colours skip exposure: `level` 1.0 is the colour at full brightness.
        let l = c.to_linear() * level;
        self.cached(k, || StandardMaterial {
            // Self-lit: the colour is the light it gives (cheap to draw, too).
            base_color: Color::LinearRgba(LinearRgba::new(l.red, l.green, l.blue, 1.0)),
            unlit: true,
            ..default()
        })
    }

    /// Clear glass, barely there: the cab of the vehicle the subject sits in, so the trainee
    /// sees them at the wheel.
    pub(super) fn clear_glass(&mut self) -> Handle<StandardMaterial> {
        let c = Color::srgba(0.7, 0.8, 0.9, 0.12);
        let k = Self::key(c, 0.05, 0.0, 5);
        self.cached(k, || StandardMaterial {
            base_color: c,
            alpha_mode: AlphaMode::Blend,
            perceptual_roughness: 0.05,
            ..default()
        })
    }

    /// Window glass: dark and glossy, or lit from inside at night.
    pub(super) fn window(&mut self, lit: bool, warm: bool) -> Handle<StandardMaterial> {
        if lit {
            let c = if warm {
                Color::srgb(1.0, 0.82, 0.55)
            } else {
                Color::srgb(0.85, 0.9, 1.0)
            };
            self.glow(c, if self.night { 0.9 } else { 0.35 })
        } else {
            let c = Color::srgb(0.12, 0.15, 0.19);
            let k = Self::key(c, 0.05, 0.0, 4);
            self.cached(k, || StandardMaterial {
                base_color: c,
                perceptual_roughness: 0.05,
                reflectance: 0.9,
                ..default()
            })
        }
    }

    pub(super) fn mesh(&self, shape: Shape) -> Handle<Mesh> {
        match shape {
            Shape::Cube => self.cube.clone(),
            Shape::Cylinder => self.cylinder.clone(),
            Shape::Sphere => self.sphere.clone(),
            Shape::Cone => self.cone.clone(),
        }
    }

    /// A root entity for a group of parts.
    pub(super) fn root(&mut self, pos: Vec3, yaw: f32) -> Entity {
        self.commands
            .spawn((
                PlacePart,
                Transform::from_translation(pos).with_rotation(Quat::from_rotation_y(yaw)),
                Visibility::default(),
                DespawnOnExit(self.screen),
            ))
            .id()
    }

    /// A sub-group inside a group, turned by `yaw`.
    pub(super) fn sub(&mut self, parent: Entity, yaw: f32) -> Entity {
        let e = self
            .commands
            .spawn((
                Transform::from_rotation(Quat::from_rotation_y(yaw)),
                Visibility::default(),
            ))
            .id();
        self.commands.entity(parent).add_child(e);
        e
    }

    /// A free-standing piece (its own root): `centre` and `size` in world space.
    pub(super) fn block(
        &mut self,
        shape: Shape,
        centre: Vec3,
        size: Vec3,
        m: Handle<StandardMaterial>,
    ) -> Entity {
        let mesh = self.mesh(shape);
        self.commands
            .spawn((
                PlacePart,
                Mesh3d(mesh),
                MeshMaterial3d(m),
                Transform::from_translation(centre).with_scale(size),
                DespawnOnExit(self.screen),
            ))
            .id()
    }

    /// A box laid in a street frame: centred at (`u`, `w`), `su` long and `sw` across, its
    /// centre `y` high and `h` tall.
    pub(super) fn band(
        &mut self,
        f: &Frame,
        (u, w): (f32, f32),
        (su, sw): (f32, f32),
        (y, h): (f32, f32),
        m: Handle<StandardMaterial>,
    ) -> Entity {
        let (sx, sz) = f.size(su, sw);
        let c = f.world(u, w);
        self.block(Shape::Cube, Vec3::new(c.x, y, c.y), Vec3::new(sx, h, sz), m)
    }

    /// A piece inside a group, in the group's local space.
    pub(super) fn part(
        &mut self,
        parent: Entity,
        shape: Shape,
        centre: Vec3,
        size: Vec3,
        m: Handle<StandardMaterial>,
    ) {
        self.part_rot(parent, shape, centre, size, Quat::IDENTITY, m);
    }

    /// One of the core's pieces of a prop ([`Solid`]) inside a group.
    pub(super) fn solid(&mut self, parent: Entity, s: &Solid, m: Handle<StandardMaterial>) {
        let shape = match s.form {
            Form::Box => Shape::Cube,
            Form::Cylinder => Shape::Cylinder,
            Form::Ball => Shape::Sphere,
        };
        self.part(parent, shape, Vec3::from(s.centre), Vec3::from(s.size), m);
    }

    pub(super) fn part_rot(
        &mut self,
        parent: Entity,
        shape: Shape,
        centre: Vec3,
        size: Vec3,
        rot: Quat,
        m: Handle<StandardMaterial>,
    ) {
        let mesh = self.mesh(shape);
        let e = self
            .commands
            .spawn((
                Mesh3d(mesh),
                MeshMaterial3d(m),
                Transform::from_translation(centre)
                    .with_rotation(rot)
                    .with_scale(size),
            ))
            .id();
        self.commands.entity(parent).add_child(e);
    }

    /// A box collider inside a group (local centre, full size).
    pub(super) fn collider(&mut self, parent: Entity, centre: Vec3, size: Vec3, cover: bool) {
        let h = (size / 2.0).max(Vec3::splat(0.01));
        let mut e = self.commands.spawn((
            Collider::cuboid(h.x, h.y, h.z),
            Transform::from_translation(centre),
        ));
        if cover {
            e.insert(CoverCollider);
        }
        let e = e.id();
        self.commands.entity(parent).add_child(e);
    }

    /// A free-standing box collider in world space (room walls, deck edges).
    pub(super) fn wall_collider(&mut self, centre: Vec3, size: Vec3) {
        let h = (size / 2.0).max(Vec3::splat(0.01));
        self.commands.spawn((
            PlacePart,
            Collider::cuboid(h.x, h.y, h.z),
            Transform::from_translation(centre),
            DespawnOnExit(self.screen),
        ));
    }

    /// A small light inside a group (a cab's dash and dome lights), outside the budget of
    /// place lights: it is there to keep the subject readable. `lumens` is at a night's
    /// exposure and scales with the run's.
    pub(super) fn inner_light(
        &mut self,
        parent: Entity,
        pos: Vec3,
        color: Color,
        lumens: f32,
        range: f32,
    ) {
        let e = self
            .commands
            .spawn((
                PointLight {
                    color,
                    intensity: lumens * 2f32.powf((self.ev100 - 6.3).clamp(-2.0, 8.0)),
                    range,
                    radius: 0.05,
                    shadow_maps_enabled: false,
                    ..default()
                },
                Transform::from_translation(pos),
            ))
            .id();
        self.commands.entity(parent).add_child(e);
    }

    /// A point light, if the budget allows; nearer the action wins (callers go near to far).
    pub(super) fn lamp(&mut self, pos: Vec3, color: Color, lumens: f32, range: f32) -> bool {
        if self.lights >= self.preset.point_lights || lumens <= 0.0 {
            return false;
        }
        if Vec2::new(pos.x, pos.z).distance(self.site_centre) > 45.0 {
            return false;
        }
        self.lights += 1;
        self.commands.spawn((
            PlacePart,
            PointLight {
                color,
                intensity: lumens,
                range,
                radius: 0.15,
                shadow_maps_enabled: false,
                ..default()
            },
            Transform::from_translation(pos),
            DespawnOnExit(self.screen),
        ));
        true
    }
}

pub(super) const FACADES: [(f32, f32, f32); 8] = [
    (0.55, 0.3, 0.24),
    (0.72, 0.66, 0.55),
    (0.5, 0.5, 0.52),
    (0.62, 0.42, 0.3),
    (0.78, 0.76, 0.7),
    (0.42, 0.36, 0.33),
    (0.66, 0.58, 0.46),
    (0.36, 0.4, 0.44),
];

pub(super) const CAR_COLOURS: [(f32, f32, f32); 8] = [
    (0.75, 0.76, 0.78),
    (0.08, 0.09, 0.1),
    (0.55, 0.08, 0.08),
    (0.12, 0.22, 0.45),
    (0.9, 0.9, 0.92),
    (0.3, 0.32, 0.34),
    (0.18, 0.35, 0.25),
    (0.5, 0.45, 0.38),
];

/// An sRGB colour from a scenario triple, with a grey for values that are not numbers.
pub fn rgb(c: (f32, f32, f32)) -> Color {
    let f = |v: f32| {
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    Color::srgb(f(c.0), f(c.1), f(c.2))
}
