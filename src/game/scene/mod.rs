//! The place, built from `scenario.place`: the ground and surroundings of the environment
//! (street, bridge, bar, apartment, parking lot, shop, park), every prop as primitive
//! meshes with a rapier collider (props marked `cover` carry [`CoverCollider`] for the
//! cover raycast), lighting by time of day and visible weather (rain streaks or snow
//! recycled around the camera, fog, wet ground). Everything is scoped to `Screen::Playing`.
//!
//! The surroundings are laid out around what the author placed: a street runs along the
//! line between trainee and subject, with the road on the side of any parked cars; a
//! bridge deck spans the authored railings; a room encloses every prop and spawn point.

use super::player::PlayerCamera;
use super::{Screen, Session};
use crate::scenario::{Environment, Prop, PropKind, Scenario, TimeOfDay, Weather};
use bevy::camera::Exposure;
use bevy::light::CascadeShadowConfigBuilder;
use bevy::pbr::{DistanceFog, FogFalloff};
use bevy::prelude::*;
use bevy_rapier3d::prelude::Collider;
use std::collections::HashMap;
use std::f32::consts::{FRAC_PI_2, PI, TAU};

/// Marks the collider of a prop authored with `cover: true`.
#[derive(Component, Debug, Clone, Copy)]
pub struct CoverCollider;

/// Every root entity of the built place.
#[derive(Component, Debug, Clone, Copy)]
pub struct PlacePart;

/// The ground height under a point (roads sit a kerb lower than pavements).
#[derive(Resource, Debug, Clone, Default)]
pub struct Ground {
    /// Road bands as (frame, w from, w to); their surface is [`ROAD_DROP`] lower.
    roads: Vec<(Frame, f32, f32)>,
}

/// How much lower a road surface is than the pavement.
pub const ROAD_DROP: f32 = 0.13;

impl Ground {
    /// The nearest place to sit on a kerb within `max` metres of `p` (on the pavement side):
    /// the spot on the kerb edge and the yaw that faces the road.
    pub fn kerb_near(&self, p: Vec2, max: f32) -> Option<(Vec2, f32)> {
        self.roads
            .iter()
            .filter_map(|(f, kerb, _)| {
                let (u, w) = f.uw(p);
                let d = kerb - w;
                (d >= 0.0 && d <= max).then(|| (f.world(u, kerb - 0.22), f.yaw_to_w(), d))
            })
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(spot, yaw, _)| (spot, yaw))
    }

    pub fn height(&self, x: f32, z: f32) -> f32 {
        for (f, a, b) in &self.roads {
            let (_, w) = f.uw(Vec2::new(x, z));
            if w > *a && w < *b {
                return -ROAD_DROP;
            }
        }
        0.0
    }
}

/// Light, sky and fog for the run (applied to the camera when it appears).
#[derive(Resource, Debug, Clone)]
pub struct Atmosphere {
    pub sky: Color,
    pub ev100: f32,
    pub fog: Option<(Color, f32)>,
    pub precipitation: Option<Precipitation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precipitation {
    Rain,
    Snow,
}

/// One raindrop streak or snowflake.
#[derive(Component, Debug, Clone, Copy)]
struct Drop {
    speed: f32,
    phase: f32,
}

const RAIN_DROPS: usize = 500;
const SNOW_FLAKES: usize = 700;
/// Drops live in a box this far around the camera (horizontal half-size, height).
const DROP_RADIUS: f32 = 16.0;
const DROP_HEIGHT: f32 = 12.0;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Ground>()
        // Modest shadow maps: software renderers draw every shadow texel on the CPU.
        .insert_resource(bevy::light::DirectionalLightShadowMap { size: 1024 })
        .add_systems(OnEnter(Screen::Playing), build_world)
        .add_systems(
            Update,
            (dress_camera, fall).run_if(in_state(Screen::Playing)),
        );
}

// ---------------------------------------------------------------------------------------
// Light and atmosphere
// ---------------------------------------------------------------------------------------

struct Light {
    sun_elevation: f32,
    sun_azimuth: f32,
    sun: Color,
    sun_lux: f32,
    shadows: bool,
    ambient: Color,
    ambient_brightness: f32,
    sky: Color,
    ev100: f32,
    lamps_on: bool,
    /// Street lamp luminous power (lumens).
    lamp_lumens: f32,
}

fn lighting(time: TimeOfDay, weather: Weather, indoor: bool) -> Light {
    let overcast = matches!(
        weather,
        Weather::Overcast | Weather::Rain | Weather::Snow | Weather::Fog
    );
    let mut l = match time {
        TimeOfDay::Day => Light {
            sun_elevation: 52f32.to_radians(),
            sun_azimuth: 35f32.to_radians(),
            sun: Color::srgb(1.0, 0.97, 0.9),
            sun_lux: 24_000.0,
            shadows: true,
            ambient: Color::srgb(0.75, 0.85, 1.0),
            ambient_brightness: 2600.0,
            sky: Color::srgb(0.52, 0.7, 0.93),
            ev100: 13.0,
            lamps_on: false,
            lamp_lumens: 0.0,
        },
        TimeOfDay::Dawn => Light {
            sun_elevation: 9f32.to_radians(),
            sun_azimuth: 100f32.to_radians(),
            sun: Color::srgb(1.0, 0.72, 0.55),
            sun_lux: 6_000.0,
            shadows: true,
            ambient: Color::srgb(0.75, 0.7, 0.85),
            ambient_brightness: 900.0,
            sky: Color::srgb(0.86, 0.66, 0.62),
            ev100: 11.0,
            lamps_on: true,
            lamp_lumens: 30_000.0,
        },
        TimeOfDay::Dusk => Light {
            sun_elevation: 6f32.to_radians(),
            sun_azimuth: -100f32.to_radians(),
            sun: Color::srgb(1.0, 0.58, 0.32),
            sun_lux: 3_500.0,
            shadows: true,
            ambient: Color::srgb(0.55, 0.5, 0.75),
            ambient_brightness: 450.0,
            sky: Color::srgb(0.36, 0.3, 0.46),
            ev100: 10.0,
            lamps_on: true,
            lamp_lumens: 40_000.0,
        },
        TimeOfDay::Night => Light {
            sun_elevation: 40f32.to_radians(),
            sun_azimuth: 150f32.to_radians(),
            sun: Color::srgb(0.6, 0.7, 1.0),
            sun_lux: 18.0,
            shadows: false,
            ambient: Color::srgb(0.45, 0.5, 0.7),
            ambient_brightness: 30.0,
            sky: Color::srgb(0.018, 0.022, 0.04),
            ev100: 6.3,
            lamps_on: true,
            lamp_lumens: 90_000.0,
        },
    };
    if overcast && time != TimeOfDay::Night {
        l.sun_lux *= 0.2;
        l.shadows = false;
        l.ambient_brightness *= 1.3;
        // Daylight under cloud is still daylight; dusk and dawn under cloud are gloomy.
        l.ev100 -= if time == TimeOfDay::Day { 1.3 } else { 0.3 };
        let grey = match weather {
            Weather::Rain => Color::srgb(0.42, 0.45, 0.5),
            Weather::Snow => Color::srgb(0.78, 0.8, 0.84),
            Weather::Fog => Color::srgb(0.68, 0.7, 0.72),
            _ => Color::srgb(0.6, 0.63, 0.67),
        };
        l.sky = mix(l.sky, grey, 0.8);
        l.ambient = Color::srgb(0.85, 0.87, 0.9);
    }
    if indoor {
        l.ev100 = 7.6;
        l.sun_lux = 0.0;
        l.shadows = false;
        l.ambient = Color::srgb(1.0, 0.92, 0.82);
        l.ambient_brightness = 120.0;
    }
    l
}

fn mix(a: Color, b: Color, t: f32) -> Color {
    let (a, b) = (a.to_linear(), b.to_linear());
    Color::LinearRgba(LinearRgba::new(
        a.red + (b.red - a.red) * t,
        a.green + (b.green - a.green) * t,
        a.blue + (b.blue - a.blue) * t,
        1.0,
    ))
}

/// Give the trainee camera its sky colour, exposure and fog when it appears.
fn dress_camera(
    mut commands: Commands,
    atmosphere: Option<Res<Atmosphere>>,
    mut cams: Query<(Entity, &mut Camera), Added<PlayerCamera>>,
) {
    let Some(a) = atmosphere else { return };
    for (e, mut cam) in &mut cams {
        cam.clear_color = ClearColorConfig::Custom(a.sky);
        let mut ec = commands.entity(e);
        ec.insert(Exposure { ev100: a.ev100 });
        if let Some((color, density)) = a.fog {
            ec.insert(DistanceFog {
                color,
                falloff: FogFalloff::Exponential { density },
                ..default()
            });
        }
    }
}

// ---------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------

/// A street/bridge frame: `u` runs along the street, `w` across it (towards the road).
#[derive(Debug, Clone, Copy, Default)]
pub struct Frame {
    along_z: bool,
    side: f32,
}

impl Frame {
    fn world(&self, u: f32, w: f32) -> Vec2 {
        let lat = w * self.side;
        if self.along_z {
            Vec2::new(lat, u)
        } else {
            Vec2::new(u, lat)
        }
    }
    fn uw(&self, p: Vec2) -> (f32, f32) {
        if self.along_z {
            (p.y, p.x * self.side)
        } else {
            (p.x, p.y * self.side)
        }
    }
    /// World size (x, z) of a box `su` long along the street and `sw` across.
    fn size(&self, su: f32, sw: f32) -> (f32, f32) {
        if self.along_z { (sw, su) } else { (su, sw) }
    }
    /// Yaw that turns local -Z to face +w (towards the road).
    fn yaw_to_w(&self) -> f32 {
        let d = self.world(0.0, 1.0);
        (-d.x).atan2(-d.y)
    }
    /// Half extents of a prop's footprint along u and w.
    fn extent(&self, p: &Prop) -> (f32, f32) {
        let r = p.rotation.to_radians();
        let (hx, hz) = (p.size.0 / 2.0, p.size.2 / 2.0);
        let (c, s) = (r.cos().abs(), r.sin().abs());
        let ex = hx * c + hz * s;
        let ez = hx * s + hz * c;
        if self.along_z { (ez, ex) } else { (ex, ez) }
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Cube,
    Cylinder,
    Sphere,
    Cone,
}

/// A deterministic pseudo-random number in 0..1 for (index, salt).
fn hash(i: i32, salt: u32) -> f32 {
    let mut x = (i as u32).wrapping_mul(0x9E37_79B9) ^ salt.wrapping_mul(0x85EB_CA6B);
    x ^= x >> 16;
    x = x.wrapping_mul(0x7FEB_352D);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846C_A68B);
    x ^= x >> 16;
    (x >> 8) as f32 / (1u32 << 24) as f32
}

struct Kit<'a, 'w, 's> {
    commands: &'a mut Commands<'w, 's>,
    materials: &'a mut Assets<StandardMaterial>,
    cube: Handle<Mesh>,
    cylinder: Handle<Mesh>,
    sphere: Handle<Mesh>,
    cone: Handle<Mesh>,
    cache: HashMap<[u32; 6], Handle<StandardMaterial>>,
    wet: bool,
    snow: bool,
    night: bool,
    lamps_on: bool,
    lamp_lumens: f32,
    /// Point lights spawned so far (the renderer is software on some PCs: keep it modest).
    lights: usize,
    site_centre: Vec2,
}

const MAX_POINT_LIGHTS: usize = 8;

impl Kit<'_, '_, '_> {
    fn key(c: Color, rough: f32, glow: f32, extra: u32) -> [u32; 6] {
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

    fn mat(&mut self, c: Color, rough: f32) -> Handle<StandardMaterial> {
        let k = Self::key(c, rough, 0.0, 0);
        let materials = &mut *self.materials;
        self.cache
            .entry(k)
            .or_insert_with(|| {
                materials.add(StandardMaterial {
                    base_color: c,
                    perceptual_roughness: rough,
                    ..default()
                })
            })
            .clone()
    }

    fn metal(&mut self, c: Color, rough: f32) -> Handle<StandardMaterial> {
        let k = Self::key(c, rough, 0.0, 1);
        let materials = &mut *self.materials;
        self.cache
            .entry(k)
            .or_insert_with(|| {
                materials.add(StandardMaterial {
                    base_color: c,
                    metallic: 0.8,
                    perceptual_roughness: rough,
                    ..default()
                })
            })
            .clone()
    }

    /// A ground surface: darker and glossy when wet, whitened under snow.
    fn ground(&mut self, c: Color, rough: f32) -> Handle<StandardMaterial> {
        let (c, rough) = if self.snow {
            (mix(c, Color::srgb(0.9, 0.92, 0.95), 0.7), 0.8)
        } else if self.wet {
            (mix(c, Color::BLACK, 0.35), (rough * 0.25).max(0.08))
        } else {
            (c, rough)
        };
        let k = Self::key(c, rough, 0.0, 2);
        let materials = &mut *self.materials;
        self.cache
            .entry(k)
            .or_insert_with(|| {
                materials.add(StandardMaterial {
                    base_color: c,
                    perceptual_roughness: rough,
                    reflectance: 0.5,
                    ..default()
                })
            })
            .clone()
    }

    /// A glowing surface; `level` 1.0 reads as brightly lit whatever the light.
    fn glow(&mut self, c: Color, level: f32) -> Handle<StandardMaterial> {
        let k = Self::key(c, 0.5, level, 3);
        // Unlit colours skip exposure: `level` 1.0 is the colour at full brightness.
        let l = c.to_linear() * level;
        let materials = &mut *self.materials;
        self.cache
            .entry(k)
            .or_insert_with(|| {
                materials.add(StandardMaterial {
                    // Self-lit: the colour is the light it gives (cheap to draw, too).
                    base_color: Color::LinearRgba(LinearRgba::new(l.red, l.green, l.blue, 1.0)),
                    unlit: true,
                    ..default()
                })
            })
            .clone()
    }

    /// Window glass: dark and glossy, or lit from inside at night.
    fn window(&mut self, lit: bool, warm: bool) -> Handle<StandardMaterial> {
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
            let materials = &mut *self.materials;
            self.cache
                .entry(k)
                .or_insert_with(|| {
                    materials.add(StandardMaterial {
                        base_color: c,
                        perceptual_roughness: 0.05,
                        reflectance: 0.9,
                        ..default()
                    })
                })
                .clone()
        }
    }

    fn mesh(&self, shape: Shape) -> Handle<Mesh> {
        match shape {
            Shape::Cube => self.cube.clone(),
            Shape::Cylinder => self.cylinder.clone(),
            Shape::Sphere => self.sphere.clone(),
            Shape::Cone => self.cone.clone(),
        }
    }

    /// A root entity for a group of parts.
    fn root(&mut self, pos: Vec3, yaw: f32) -> Entity {
        self.commands
            .spawn((
                PlacePart,
                Transform::from_translation(pos).with_rotation(Quat::from_rotation_y(yaw)),
                Visibility::default(),
                DespawnOnExit(Screen::Playing),
            ))
            .id()
    }

    /// A sub-group inside a group, turned by `yaw`.
    fn sub(&mut self, parent: Entity, yaw: f32) -> Entity {
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
    fn block(
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
                DespawnOnExit(Screen::Playing),
            ))
            .id()
    }

    /// A piece inside a group, in the group's local space.
    fn part(
        &mut self,
        parent: Entity,
        shape: Shape,
        centre: Vec3,
        size: Vec3,
        m: Handle<StandardMaterial>,
    ) {
        self.part_rot(parent, shape, centre, size, Quat::IDENTITY, m);
    }

    fn part_rot(
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
    fn collider(&mut self, parent: Entity, centre: Vec3, size: Vec3, cover: bool) {
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
    fn wall_collider(&mut self, centre: Vec3, size: Vec3) {
        let h = (size / 2.0).max(Vec3::splat(0.01));
        self.commands.spawn((
            PlacePart,
            Collider::cuboid(h.x, h.y, h.z),
            Transform::from_translation(centre),
            DespawnOnExit(Screen::Playing),
        ));
    }

    /// A point light, if the budget allows; nearer the action wins (callers go near to far).
    fn lamp(&mut self, pos: Vec3, color: Color, lumens: f32, range: f32) -> bool {
        if self.lights >= MAX_POINT_LIGHTS || lumens <= 0.0 {
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
            DespawnOnExit(Screen::Playing),
        ));
        true
    }
}

// ---------------------------------------------------------------------------------------
// The site
// ---------------------------------------------------------------------------------------

struct Site<'a> {
    scenario: &'a Scenario,
    subject: Vec2,
    trainee: Vec2,
    min: Vec2,
    max: Vec2,
}

impl<'a> Site<'a> {
    fn new(scenario: &'a Scenario) -> Site<'a> {
        let place = &scenario.place;
        let subject = Vec2::new(scenario.subject.spawn.x, scenario.subject.spawn.z);
        let trainee = Vec2::new(place.trainee_spawn.x, place.trainee_spawn.z);
        let mut min = subject.min(trainee);
        let mut max = subject.max(trainee);
        if let Some(p) = &scenario.partner {
            let v = Vec2::new(p.spawn.x, p.spawn.z);
            min = min.min(v);
            max = max.max(v);
        }
        for p in &place.props {
            if !(p.x.is_finite() && p.z.is_finite()) {
                continue;
            }
            let r = p.rotation.to_radians();
            let (hx, hz) = (p.size.0.abs() / 2.0, p.size.2.abs() / 2.0);
            let ex = hx * r.cos().abs() + hz * r.sin().abs();
            let ez = hx * r.sin().abs() + hz * r.cos().abs();
            let (ex, ez) = (ex.min(200.0), ez.min(200.0));
            min = min.min(Vec2::new(p.x - ex, p.z - ez));
            max = max.max(Vec2::new(p.x + ex, p.z + ez));
        }
        Site {
            scenario,
            subject,
            trainee,
            min,
            max,
        }
    }

    fn centre(&self) -> Vec2 {
        (self.subject + self.trainee) / 2.0
    }

    /// A street frame: along the trainee→subject line, road on the side of parked cars.
    fn street_frame(&self) -> Frame {
        let d = self.trainee - self.subject;
        let along_z = d.y.abs() >= d.x.abs();
        let mut f = Frame { along_z, side: 1.0 };
        let cars: Vec<f32> = self
            .scenario
            .place
            .props
            .iter()
            .filter(|p| p.kind == PropKind::Car)
            .map(|p| f.uw(Vec2::new(p.x, p.z)).1)
            .collect();
        let (_, s0) = f.uw(self.subject);
        if !cars.is_empty() {
            let mean = cars.iter().sum::<f32>() / cars.len() as f32;
            if mean < s0 {
                f.side = -1.0;
            }
        }
        f
    }
}

// ---------------------------------------------------------------------------------------
// Building the world
// ---------------------------------------------------------------------------------------

fn build_world(
    mut commands: Commands,
    session: Option<Res<Session>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut ambient: ResMut<GlobalAmbientLight>,
) {
    let Some(session) = session else { return };
    let scenario = std::sync::Arc::clone(session.sim.scenario());
    let place = &scenario.place;
    let indoor = matches!(
        place.environment,
        Environment::Bar | Environment::Apartment | Environment::Shop
    );
    let light = lighting(place.time_of_day, place.weather, indoor);
    let site = Site::new(&scenario);

    let cube = meshes.add(Cuboid::new(1.0, 1.0, 1.0));
    let cylinder = meshes.add(Cylinder::new(0.5, 1.0));
    let sphere = meshes.add(Sphere::new(0.5).mesh().uv(20, 14));
    let cone = meshes.add(Cone::new(0.5, 1.0));
    let mut kit = Kit {
        commands: &mut commands,
        materials: &mut materials,
        cube,
        cylinder,
        sphere,
        cone,
        cache: HashMap::new(),
        wet: place.weather == Weather::Rain,
        snow: place.weather == Weather::Snow,
        night: place.time_of_day == TimeOfDay::Night,
        lamps_on: light.lamps_on,
        lamp_lumens: light.lamp_lumens,
        lights: 0,
        site_centre: site.centre(),
    };

    // Sun (or moon).
    if light.sun_lux > 0.0 {
        let dir = Vec3::new(
            light.sun_elevation.cos() * light.sun_azimuth.sin(),
            light.sun_elevation.sin(),
            light.sun_elevation.cos() * light.sun_azimuth.cos(),
        );
        let mut sun = kit.commands.spawn((
            PlacePart,
            DirectionalLight {
                color: light.sun,
                illuminance: light.sun_lux,
                shadow_maps_enabled: light.shadows,
                ..default()
            },
            Transform::from_translation(dir).looking_at(Vec3::ZERO, Vec3::Y),
            DespawnOnExit(Screen::Playing),
        ));
        if light.shadows {
            sun.insert(
                CascadeShadowConfigBuilder {
                    num_cascades: 2,
                    first_cascade_far_bound: 14.0,
                    maximum_distance: 70.0,
                    ..default()
                }
                .build(),
            );
        }
    }
    ambient.color = light.ambient;
    ambient.brightness = light.ambient_brightness;

    let mut ground = Ground::default();
    match place.environment {
        Environment::Street => street(&mut kit, &site, &mut ground),
        Environment::Bridge => bridge(&mut kit, &site),
        Environment::ParkingLot => parking_lot(&mut kit, &site),
        Environment::Park => park(&mut kit, &site),
        Environment::Bar => room(&mut kit, &site, RoomStyle::Bar),
        Environment::Apartment => room(&mut kit, &site, RoomStyle::Apartment),
        Environment::Shop => room(&mut kit, &site, RoomStyle::Shop),
    }
    for (i, p) in place.props.iter().enumerate() {
        prop(&mut kit, &site, &ground, p, i, place.environment);
    }
    if kit.wet && !indoor {
        puddles(&mut kit, &site, &ground);
    }

    let fog = match place.weather {
        Weather::Fog if kit.night => Some((Color::srgb(0.075, 0.074, 0.078), 0.07)),
        Weather::Fog => Some((mix(light.sky, Color::srgb(0.62, 0.64, 0.66), 0.5), 0.05)),
        Weather::Rain => Some((light.sky, 0.022)),
        Weather::Snow => Some((light.sky, 0.03)),
        Weather::Overcast => Some((light.sky, 0.008)),
        Weather::Clear if !indoor => Some((light.sky, if kit.night { 0.012 } else { 0.0035 })),
        Weather::Clear => None,
    };
    let fog = if indoor { None } else { fog };
    let precipitation = match place.weather {
        Weather::Rain if !indoor => Some(Precipitation::Rain),
        Weather::Snow if !indoor => Some(Precipitation::Snow),
        _ => None,
    };
    if let Some(p) = precipitation {
        spawn_drops(&mut kit, p, site.trainee);
    }
    // The sky is the fog's colour where there is fog, so distant things fade into it.
    let sky = match (indoor, fog) {
        (true, _) => Color::srgb(0.02, 0.02, 0.02),
        (false, Some((c, _))) if place.weather == Weather::Fog => c,
        _ => light.sky,
    };
    commands.insert_resource(Atmosphere {
        sky,
        ev100: light.ev100,
        fog,
        precipitation,
    });
    commands.insert_resource(ground);
}

// ---------------------------------------------------------------------------------------
// Shared pieces: buildings, lamps, cars, railings, trees
// ---------------------------------------------------------------------------------------

const FACADES: [(f32, f32, f32); 8] = [
    (0.55, 0.3, 0.24),
    (0.72, 0.66, 0.55),
    (0.5, 0.5, 0.52),
    (0.62, 0.42, 0.3),
    (0.78, 0.76, 0.7),
    (0.42, 0.36, 0.33),
    (0.66, 0.58, 0.46),
    (0.36, 0.4, 0.44),
];

const CAR_COLOURS: [(f32, f32, f32); 8] = [
    (0.75, 0.76, 0.78),
    (0.08, 0.09, 0.1),
    (0.55, 0.08, 0.08),
    (0.12, 0.22, 0.45),
    (0.9, 0.9, 0.92),
    (0.3, 0.32, 0.34),
    (0.18, 0.35, 0.25),
    (0.5, 0.45, 0.38),
];

fn rgb(c: (f32, f32, f32)) -> Color {
    let f = |v: f32| {
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    Color::srgb(f(c.0), f(c.1), f(c.2))
}

/// A building whose front face is at `pos`, looking along `yaw` (local -Z), extending back.
#[allow(clippy::too_many_arguments)]
fn building(
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
    let night_lit = kit.lamps_on;
    if shopfront {
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
    } else {
        let door = kit.mat(Color::srgb(0.22, 0.14, 0.09), 0.7);
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(-width * 0.25, 1.1, -0.04),
            Vec3::new(1.1, 2.2, 0.08),
            door,
        );
        for x in [0.05, 0.3] {
            let lit = night_lit && hash(salt + (x * 10.0) as i32, 7) > 0.55;
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
    // Upper floors.
    let floors = ((height - 3.6) / 3.0).floor().max(0.0) as i32;
    let cols = (width / 2.7).floor().max(1.0) as i32;
    for fl in 0..floors {
        let y = 3.6 + fl as f32 * 3.0 + 1.3;
        for c in 0..cols {
            let x = (c as f32 + 0.5) * width / cols as f32 - width / 2.0;
            let lit = night_lit && hash(salt * 31 + fl * 7 + c, 8) > 0.6;
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
#[allow(clippy::too_many_arguments)]
fn building_row(
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
fn lamp_post(kit: &mut Kit, base: Vec3, height: f32, dir: Vec2, pole_d: f32) {
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

/// A car in a group: `w` wide, `h` high, `d` long (along local z, front at -z).
fn car(kit: &mut Kit, root: Entity, w: f32, h: f32, d: f32, colour: Color) {
    let paint = kit.metal(colour, 0.35);
    let clearance = (0.12 * h).clamp(0.1, 0.25);
    let body_h = h * 0.48;
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, clearance + body_h / 2.0, 0.0),
        Vec3::new(w, body_h, d),
        paint.clone(),
    );
    // Cabin: glass all round, roof in the body colour.
    let glass = kit.window(false, false);
    let cab_h = h - clearance - body_h - 0.05;
    let cab_y = clearance + body_h + cab_h / 2.0;
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, cab_y, d * 0.06),
        Vec3::new(w * 0.84, cab_h, d * 0.5),
        glass,
    );
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, h - 0.04, d * 0.06),
        Vec3::new(w * 0.86, 0.08, d * 0.46),
        paint,
    );
    // Pillars between the windows.
    let pillar = kit.metal(mix(colour, Color::BLACK, 0.4), 0.4);
    for z in [-0.19, 0.31] {
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(0.0, cab_y, d * z),
            Vec3::new(w * 0.86, cab_h, 0.08),
            pillar.clone(),
        );
    }
    // Wheels.
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
    // Bumpers and lights.
    let bumper = kit.mat(Color::srgb(0.08, 0.08, 0.09), 0.6);
    for sz in [-1.0, 1.0] {
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(0.0, clearance + 0.12, sz * (d / 2.0 + 0.03)),
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
    for sx in [-1.0, 1.0] {
        let y = clearance + body_h * 0.7;
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

/// A railing in a group, `length` long along local z.
fn railing(kit: &mut Kit, root: Entity, thick: f32, h: f32, length: f32, colour: Color) {
    let m = kit.metal(colour, 0.45);
    let t = thick.clamp(0.04, 0.3);
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, h - 0.04, 0.0),
        Vec3::new(t.max(0.08), 0.08, length),
        m.clone(),
    );
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, h * 0.55, 0.0),
        Vec3::new(0.04, 0.04, length),
        m.clone(),
    );
    kit.part(
        root,
        Shape::Cube,
        Vec3::new(0.0, 0.15, 0.0),
        Vec3::new(0.04, 0.04, length),
        m.clone(),
    );
    let n = ((length / 1.6).floor() as i32).clamp(1, 400);
    for i in 0..=n {
        let z = -length / 2.0 + length * i as f32 / n as f32;
        kit.part(
            root,
            Shape::Cube,
            Vec3::new(0.0, h / 2.0, z),
            Vec3::new(0.07, h, 0.07),
            m.clone(),
        );
    }
}

fn tree(kit: &mut Kit, root: Entity, w: f32, h: f32, foliage: Color, salt: i32) {
    let bark = kit.mat(Color::srgb(0.3, 0.22, 0.15), 0.95);
    let trunk_d = (w * 0.1).clamp(0.18, 0.6);
    kit.part(
        root,
        Shape::Cylinder,
        Vec3::new(0.0, h * 0.3, 0.0),
        Vec3::new(trunk_d, h * 0.6, trunk_d),
        bark,
    );
    let leaves = kit.mat(foliage, 0.95);
    let leaves2 = kit.mat(mix(foliage, Color::srgb(0.35, 0.45, 0.15), 0.3), 0.95);
    let r = w.max(1.0);
    for k in 0..4 {
        let a = hash(salt * 5 + k, 21) * TAU;
        let off = if k == 0 {
            Vec2::ZERO
        } else {
            Vec2::from_angle(a) * r * 0.22
        };
        let s = r * (0.75 - 0.1 * k as f32);
        let y = h * (0.62 + 0.1 * k as f32).min(1.0) - s * 0.2;
        let m = if k % 2 == 0 {
            leaves.clone()
        } else {
            leaves2.clone()
        };
        kit.part(
            root,
            Shape::Sphere,
            Vec3::new(off.x, y, off.y),
            Vec3::new(s, s * 0.85, s),
            m,
        );
    }
    kit.collider(
        root,
        Vec3::new(0.0, h * 0.3, 0.0),
        Vec3::new(trunk_d, h * 0.6, trunk_d),
        false,
    );
}

// ---------------------------------------------------------------------------------------
// Environments
// ---------------------------------------------------------------------------------------

fn u_range(f: &Frame, site: &Site) -> (f32, f32) {
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

fn near_any_prop(site: &Site, p: Vec2, r: f32) -> bool {
    site.scenario
        .place
        .props
        .iter()
        .any(|q| Vec2::new(q.x, q.z).distance(p) < r + q.size.0.max(q.size.2).min(8.0) / 2.0)
}

fn near_people(site: &Site, p: Vec2, r: f32) -> bool {
    let mut v = vec![site.subject, site.trainee];
    if let Some(pt) = &site.scenario.partner {
        v.push(Vec2::new(pt.spawn.x, pt.spawn.z));
    }
    v.iter().any(|q| q.distance(p) < r) || dist_to_segment(p, site.subject, site.trainee) < r * 0.6
}

fn dist_to_segment(p: Vec2, a: Vec2, b: Vec2) -> f32 {
    let ab = b - a;
    let t = if ab.length_squared() > 1e-6 {
        ((p - a).dot(ab) / ab.length_squared()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * t)
}

/// A street: pavement with kerb, a two-lane road, the far pavement, building fronts on both
/// sides, lamp posts, parked cars and a zebra crossing.
fn street(kit: &mut Kit, site: &Site, ground: &mut Ground) {
    let f = site.street_frame();
    let props = &site.scenario.place.props;
    let (_, s0) = f.uw(site.subject);
    let (su0, su1) = u_range(&f, site);
    let (u0, u1) = (su0 - 80.0, su1 + 80.0);
    let mut people = vec![f.uw(site.subject).1, f.uw(site.trainee).1];
    if let Some(p) = &site.scenario.partner {
        people.push(f.uw(Vec2::new(p.spawn.x, p.spawn.z)).1);
    }
    let cars_inner = props
        .iter()
        .filter(|p| p.kind == PropKind::Car)
        .map(|p| f.uw(Vec2::new(p.x, p.z)).1 - f.extent(p).1)
        .filter(|w| *w > s0)
        .fold(f32::INFINITY, f32::min);
    let kerb = if cars_inner.is_finite() {
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
    };
    // Tall walls running along the street are building fronts; gaps between them are alleys.
    let fronts: Vec<(f32, f32, f32)> = props
        .iter()
        .filter(|p| p.kind == PropKind::Wall && p.size.1 >= 4.0)
        .filter_map(|p| {
            let (eu, ew) = f.extent(p);
            let (u, w) = f.uw(Vec2::new(p.x, p.z));
            (eu > 2.0 * ew && eu >= 3.0 && w < kerb).then_some((w - ew, u - eu, u + eu))
        })
        .collect();
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
    let facade = nearest.max(kerb - 14.0);
    let mut alleys: Vec<(f32, f32)> = Vec::new();
    let mut spans: Vec<(f32, f32)> = fronts.iter().map(|fr| (fr.1, fr.2)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    for pair in spans.windows(2) {
        let (a, b) = (pair[0].1, pair[1].0);
        if b - a > 1.2 && b - a < 16.0 {
            alleys.push((a, b));
        }
    }
    let road_far = props
        .iter()
        .filter(|p| p.kind == PropKind::Car)
        .map(|p| f.uw(Vec2::new(p.x, p.z)).1 + f.extent(p).1 + 0.6)
        .fold(kerb + 7.6, f32::max);
    let far_face = road_far + 3.6;
    ground.roads.push((f, kerb, road_far));

    let len = u1 - u0;
    let uc = (u0 + u1) / 2.0;
    let slab = |kit: &mut Kit, w_a: f32, w_b: f32, top: f32, m: Handle<StandardMaterial>| {
        let (sx, sz) = f.size(len, (w_b - w_a).abs());
        let c = f.world(uc, (w_a + w_b) / 2.0);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, top - 0.15, c.y),
            Vec3::new(sx, 0.3, sz),
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
    // Paving joints near the action.
    let joint = kit.ground(Color::srgb(0.36, 0.36, 0.35), 0.9);
    let mut u = (su0 - 25.0).floor();
    while u < su1 + 25.0 {
        let (sx, sz) = f.size(0.03, kerb - 0.2 - facade);
        let c = f.world(u, (facade + kerb - 0.2) / 2.0);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, 0.002, c.y),
            Vec3::new(sx, 0.004, sz),
            joint.clone(),
        );
        u += 1.8;
    }
    // Road markings: dashed centre line, edge lines, a zebra crossing.
    let paint = kit.ground(Color::srgb(0.85, 0.85, 0.82), 0.6);
    let centre = (kerb + road_far) / 2.0;
    let mut u = u0;
    while u < u1 {
        let (sx, sz) = f.size(3.0, 0.12);
        let c = f.world(u + 1.5, centre);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, -ROAD_DROP + 0.004, c.y),
            Vec3::new(sx, 0.008, sz),
            paint.clone(),
        );
        u += 9.0;
    }
    let zebra_u = su1 + 16.0;
    let mut w = kerb + 0.5;
    while w < road_far - 0.4 {
        let (sx, sz) = f.size(3.2, 0.5);
        let c = f.world(zebra_u, w + 0.25);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, -ROAD_DROP + 0.004, c.y),
            Vec3::new(sx, 0.008, sz),
            paint.clone(),
        );
        w += 1.0;
    }
    // Building fronts.
    building_row(kit, &f, u0, u1, facade, 1.0, 3, &alleys);
    building_row(kit, &f, u0, u1, far_face, -1.0, 5, &[]);
    // Alleys: a dark passage between the fronts, closed by a building at the back.
    let alley_floor = kit.ground(Color::srgb(0.16, 0.16, 0.17), 0.9);
    for (a, b) in &alleys {
        let (sx, sz) = f.size(b - a, 18.0);
        let c = f.world((a + b) / 2.0, facade - 10.0);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, -0.15, c.y),
            Vec3::new(sx, 0.3, sz),
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
    // Lamp posts along both kerbs, where the author has not put any.
    let authored: Vec<Vec2> = props
        .iter()
        .filter(|p| p.kind == PropKind::StreetLight)
        .map(|p| Vec2::new(p.x, p.z))
        .collect();
    let mut lamps: Vec<(f32, Vec2, Vec2)> = Vec::new();
    let mut u = u0 + 6.0;
    while u < u1 {
        for (w, dirw, off) in [(kerb - 0.5, 1.0, 0.0), (road_far + 0.5, -1.0, 12.0)] {
            let p = f.world(u + off, w);
            if authored.iter().any(|a| a.distance(p) < 10.0) || near_people(site, p, 1.5) {
                continue;
            }
            let dir = f.world(0.0, dirw);
            lamps.push((p.distance(site.centre()), p, dir));
        }
        u += 24.0;
    }
    lamps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, p, dir) in lamps {
        lamp_post(kit, Vec3::new(p.x, 0.0, p.y), 6.0, dir, 0.14);
    }
    // Parked cars along both kerbs away from the scene.
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
            car(kit, root, 1.8, 1.45, 4.3, colour);
            kit.collider(
                root,
                Vec3::new(0.0, 0.72, 0.0),
                Vec3::new(1.8, 1.45, 4.3),
                false,
            );
        }
        u += 6.4;
    }
    // Walls to keep the trainee on the street.
    for w in [facade - 0.3, far_face + 0.3] {
        let (sx, sz) = f.size(len, 0.4);
        let c = f.world(uc, w);
        kit.wall_collider(Vec3::new(c.x, 1.5, c.y), Vec3::new(sx, 3.0, sz));
    }
}

/// A bridge: a deck between the authored railings (or along the trainee→subject line),
/// footpaths, railings and lamps continuing both ways, piers down to dark water far below,
/// and banks with buildings at both ends.
fn bridge(kit: &mut Kit, site: &Site) {
    const WATER: f32 = -17.0;
    let props = &site.scenario.place.props;
    let railings: Vec<&Prop> = props
        .iter()
        .filter(|p| p.kind == PropKind::Railing)
        .collect();
    let longest = railings
        .iter()
        .max_by(|a, b| a.size.0.max(a.size.2).total_cmp(&b.size.0.max(b.size.2)));
    let f = match longest {
        Some(r) => {
            let a = r.rotation.to_radians();
            let long_local_z = r.size.2 >= r.size.0;
            // Direction of the long side in the world.
            let d = if long_local_z {
                Vec2::new(a.sin(), a.cos())
            } else {
                Vec2::new(a.cos(), -a.sin())
            };
            Frame {
                along_z: d.y.abs() >= d.x.abs(),
                side: 1.0,
            }
        }
        None => Frame {
            along_z: site.street_frame().along_z,
            side: 1.0,
        },
    };
    let lines: Vec<(f32, f32, f32)> = railings
        .iter()
        .map(|r| {
            let (u, w) = f.uw(Vec2::new(r.x, r.z));
            let (eu, _) = f.extent(r);
            (w, u - eu, u + eu)
        })
        .filter(|(_, a, b)| b - a > 3.0)
        .collect();
    let (_, s0) = f.uw(site.subject);
    let (_, t0) = f.uw(site.trainee);
    let (mut w_lo, mut w_hi) = match lines.len() {
        0 => {
            let toward = if t0 >= s0 { 1.0 } else { -1.0 };
            let (a, b) = (s0 - toward * 0.6, s0 + toward * 12.0);
            (a.min(b), a.max(b))
        }
        _ => {
            let lo = lines.iter().map(|l| l.0).fold(f32::INFINITY, f32::min);
            let hi = lines.iter().map(|l| l.0).fold(f32::NEG_INFINITY, f32::max);
            (lo, hi)
        }
    };
    if w_hi - w_lo < 5.0 {
        if t0 >= w_lo {
            w_hi = w_lo + 12.0;
        } else {
            w_lo = w_hi - 12.0;
        }
    }
    let (su0, su1) = u_range(&f, site);
    let (ru0, ru1) = lines
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), l| {
            (a.min(l.1), b.max(l.2))
        });
    let (ru0, ru1) = if ru0.is_finite() {
        (ru0, ru1)
    } else {
        (su0, su1)
    };
    let (u0, u1) = (ru0.min(su0) - 90.0, ru1.max(su1) + 90.0);
    let (len, uc) = (u1 - u0, (u0 + u1) / 2.0);
    let width = w_hi - w_lo + 0.7;
    let wc = (w_lo + w_hi) / 2.0;

    // Deck, footpaths, edge beams.
    let asphalt = kit.ground(Color::srgb(0.13, 0.13, 0.14), 0.9);
    let footpath = kit.ground(Color::srgb(0.42, 0.42, 0.4), 0.85);
    let concrete = kit.mat(Color::srgb(0.5, 0.5, 0.48), 0.9);
    let (sx, sz) = f.size(len, width);
    let c = f.world(uc, wc);
    kit.block(
        Shape::Cube,
        Vec3::new(c.x, -0.7, c.y),
        Vec3::new(sx, 1.4, sz),
        asphalt,
    );
    for (a, b) in [(w_lo - 0.35, w_lo + 2.5), (w_hi - 2.5, w_hi + 0.35)] {
        let (sx, sz) = f.size(len, b - a);
        let c = f.world(uc, (a + b) / 2.0);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, 0.005, c.y),
            Vec3::new(sx, 0.01, sz),
            footpath.clone(),
        );
    }
    for w in [w_lo - 0.45, w_hi + 0.45] {
        let (sx, sz) = f.size(len, 0.3);
        let c = f.world(uc, w);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, -1.0, c.y),
            Vec3::new(sx, 2.0, sz),
            concrete.clone(),
        );
    }
    // Road markings.
    let paint = kit.ground(Color::srgb(0.8, 0.8, 0.78), 0.6);
    let mut u = u0;
    while u < u1 {
        let (sx, sz) = f.size(3.0, 0.12);
        let c = f.world(u, (w_lo + 2.5 + w_hi - 2.5) / 2.0);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, 0.004, c.y),
            Vec3::new(sx, 0.008, sz),
            paint.clone(),
        );
        u += 9.0;
    }
    // Railings continue past the authored ones (or run the whole length if none).
    let rail_colour = railings
        .first()
        .and_then(|r| r.color)
        .map(rgb)
        .unwrap_or(Color::srgb(0.35, 0.37, 0.4));
    let rail_yaw = if f.along_z { 0.0 } else { FRAC_PI_2 };
    let mut segments: Vec<(f32, f32, f32)> = Vec::new();
    if lines.is_empty() {
        segments.push((w_lo, u0, u1));
        segments.push((w_hi, u0, u1));
    } else {
        for w in [w_lo, w_hi] {
            let mine: Vec<&(f32, f32, f32)> =
                lines.iter().filter(|l| (l.0 - w).abs() < 0.5).collect();
            if mine.is_empty() {
                segments.push((w, u0, u1));
                continue;
            }
            let a = mine.iter().map(|l| l.1).fold(f32::INFINITY, f32::min);
            let b = mine.iter().map(|l| l.2).fold(f32::NEG_INFINITY, f32::max);
            segments.push((w, u0, a));
            segments.push((w, b, u1));
        }
    }
    for (w, a, b) in segments {
        if b - a < 0.5 {
            continue;
        }
        let c = f.world((a + b) / 2.0, w);
        let root = kit.root(Vec3::new(c.x, 0.0, c.y), rail_yaw);
        railing(kit, root, 0.12, 1.1, b - a, rail_colour);
        kit.collider(
            root,
            Vec3::new(0.0, 0.55, 0.0),
            Vec3::new(0.12, 1.1, b - a),
            false,
        );
    }
    // Keep the trainee on the deck (the authored railings block the middle part).
    for w in [w_lo - 0.3, w_hi + 0.3] {
        let (sx, sz) = f.size(len, 0.2);
        let c = f.world(uc, w);
        kit.wall_collider(Vec3::new(c.x, 1.0, c.y), Vec3::new(sx, 2.0, sz));
    }
    // Lamp posts along both edges where the author put none.
    let authored: Vec<Vec2> = props
        .iter()
        .filter(|p| p.kind == PropKind::StreetLight)
        .map(|p| Vec2::new(p.x, p.z))
        .collect();
    let mut lamps: Vec<(f32, Vec2, Vec2)> = Vec::new();
    let mut u = u0 + 5.0;
    let mut k = 0;
    while u < u1 {
        let (w, dw) = if k % 2 == 0 {
            (w_lo + 0.4, 1.0)
        } else {
            (w_hi - 0.4, -1.0)
        };
        let p = f.world(u, w);
        if !authored.iter().any(|a| a.distance(p) < 12.0) && !near_people(site, p, 1.5) {
            lamps.push((p.distance(site.centre()), p, f.world(0.0, dw)));
        }
        u += 14.0;
        k += 1;
    }
    lamps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, p, d) in lamps {
        lamp_post(kit, Vec3::new(p.x, 0.0, p.y), 6.0, d, 0.16);
    }
    // Piers.
    let mut u = u0 + 20.0;
    while u < u1 - 20.0 {
        for w in [w_lo + width * 0.2, w_hi - width * 0.2] {
            let c = f.world(u, w);
            let (sx, sz) = f.size(2.0, 2.6);
            kit.block(
                Shape::Cube,
                Vec3::new(c.x, (WATER - 1.4) / 2.0, c.y),
                Vec3::new(sx, -WATER - 1.4 + 0.2, sz),
                concrete.clone(),
            );
        }
        u += 38.0;
    }
    // Water far below, and the banks at both ends with the town beyond.
    let water = kit.materials.add(StandardMaterial {
        base_color: Color::srgb(0.03, 0.06, 0.08),
        perceptual_roughness: 0.06,
        reflectance: 0.6,
        ..default()
    });
    let centre = site.centre();
    kit.block(
        Shape::Cube,
        Vec3::new(centre.x, WATER, centre.y),
        Vec3::new(2400.0, 0.2, 2400.0),
        water,
    );
    let bank = kit.ground(Color::srgb(0.22, 0.24, 0.18), 0.95);
    for (edge, dir) in [(u0, -1.0), (u1, 1.0)] {
        let (sx, sz) = f.size(400.0, 800.0);
        let c = f.world(edge + dir * 200.0, wc);
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, WATER / 2.0, c.y),
            Vec3::new(sx, -WATER + 0.0, sz),
            bank.clone(),
        );
        // A row of buildings along each bank, facing the river.
        let yaw_to_river = {
            let d = f.world(-dir, 0.0);
            (-d.x).atan2(-d.y)
        };
        let mut w = wc - 160.0;
        let mut i = 0;
        while w < wc + 160.0 {
            if (w - wc).abs() > 18.0 {
                let width = 9.0 + hash(i, 41 + dir as u32) * 8.0;
                let height = 9.0 + (hash(i, 43) * 6.0).floor() * 3.0;
                let p = f.world(edge + dir * (16.0 + hash(i, 47) * 10.0), w);
                building(
                    kit,
                    p,
                    yaw_to_river,
                    width,
                    height,
                    14.0,
                    500 + i * 3 + dir as i32,
                    false,
                );
            }
            w += 17.0;
            i += 1;
        }
    }
}

fn parking_lot(kit: &mut Kit, site: &Site) {
    let centre = site.centre();
    let lo = site.min - Vec2::splat(40.0);
    let hi = site.max + Vec2::splat(40.0);
    let size = hi - lo;
    let mid = (lo + hi) / 2.0;
    let asphalt = kit.ground(Color::srgb(0.19, 0.19, 0.2), 0.88);
    kit.block(
        Shape::Cube,
        Vec3::new(mid.x, -0.15, mid.y),
        Vec3::new(size.x, 0.3, size.y),
        asphalt,
    );
    let grass = kit.ground(Color::srgb(0.22, 0.33, 0.15), 0.95);
    kit.block(
        Shape::Cube,
        Vec3::new(mid.x, -0.16, mid.y),
        Vec3::new(size.x + 200.0, 0.3, size.y + 200.0),
        grass,
    );
    // Bays: double rows along x, with aisles between.
    let paint = kit.ground(Color::srgb(0.85, 0.85, 0.8), 0.6);
    let bay_w = 2.6;
    let bay_d = 5.0;
    let block = 2.0 * bay_d + 7.0;
    let mut z = lo.y + 8.0;
    let mut i = 0;
    while z < hi.y - 8.0 {
        for (row, face) in [(z, 0.0), (z + bay_d, PI)] {
            let mut x = lo.x + 8.0;
            while x < hi.x - 8.0 {
                i += 1;
                let c = Vec2::new(x, row + bay_d / 2.0);
                let clear = !near_people(site, c, 4.0) && !near_any_prop(site, c, 2.5);
                if clear {
                    kit.block(
                        Shape::Cube,
                        Vec3::new(x - bay_w / 2.0, 0.004, row + bay_d / 2.0),
                        Vec3::new(0.1, 0.008, bay_d),
                        paint.clone(),
                    );
                    if hash(i, 61) > 0.5 {
                        let root = kit.root(
                            Vec3::new(x, 0.0, row + bay_d / 2.0),
                            face + if hash(i, 62) > 0.5 { PI } else { 0.0 },
                        );
                        let colour = rgb(CAR_COLOURS[(hash(i, 63) * 8.0) as usize % 8]);
                        car(kit, root, 1.8, 1.5, 4.4, colour);
                        kit.collider(
                            root,
                            Vec3::new(0.0, 0.75, 0.0),
                            Vec3::new(1.8, 1.5, 4.4),
                            false,
                        );
                    }
                }
                x += bay_w;
            }
        }
        z += block;
    }
    // Lamp columns on a grid, nearest first.
    let mut lamps: Vec<(f32, Vec2)> = Vec::new();
    let mut x = lo.x + 12.0;
    while x < hi.x {
        let mut z = lo.y + 12.0;
        while z < hi.y {
            let p = Vec2::new(x, z);
            if !near_people(site, p, 2.0) && !near_any_prop(site, p, 1.0) {
                lamps.push((p.distance(centre), p));
            }
            z += 26.0;
        }
        x += 26.0;
    }
    lamps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, p) in lamps {
        lamp_post(kit, Vec3::new(p.x, 0.0, p.y), 8.0, Vec2::X, 0.2);
    }
    // A supermarket along the far side, hedges round the edge.
    let store_z = lo.y - 2.0;
    let store = kit.root(Vec3::new(mid.x, 0.0, store_z), PI);
    let wall = kit.mat(Color::srgb(0.78, 0.77, 0.74), 0.9);
    kit.part(
        store,
        Shape::Cube,
        // The front faces the car park (local -Z); the building runs back from it.
        Vec3::new(0.0, 4.5, 15.0),
        Vec3::new(size.x.min(80.0), 9.0, 30.0),
        wall,
    );
    let glass = kit.window(true, false);
    kit.part(
        store,
        Shape::Cube,
        Vec3::new(0.0, 1.6, -0.04),
        Vec3::new(14.0, 3.2, 0.1),
        glass,
    );
    let sign = kit.glow(Color::srgb(0.1, 0.45, 0.85), 0.7);
    kit.part(
        store,
        Shape::Cube,
        Vec3::new(0.0, 7.2, -0.1),
        Vec3::new(18.0, 1.6, 0.2),
        sign,
    );
    kit.wall_collider(
        Vec3::new(mid.x, 1.5, store_z - 15.0),
        Vec3::new(size.x.min(80.0), 3.0, 30.0),
    );
    let hedge = kit.mat(Color::srgb(0.12, 0.26, 0.1), 0.95);
    for (c, s) in [
        (Vec2::new(mid.x, hi.y), Vec2::new(size.x, 1.2)),
        (Vec2::new(lo.x, mid.y), Vec2::new(1.2, size.y)),
        (Vec2::new(hi.x, mid.y), Vec2::new(1.2, size.y)),
    ] {
        kit.block(
            Shape::Cube,
            Vec3::new(c.x, 0.6, c.y),
            Vec3::new(s.x, 1.2, s.y),
            hedge.clone(),
        );
        kit.wall_collider(Vec3::new(c.x, 0.6, c.y), Vec3::new(s.x, 1.2, s.y));
    }
}

fn park(kit: &mut Kit, site: &Site) {
    let centre = site.centre();
    let grass = kit.ground(Color::srgb(0.2, 0.34, 0.14), 0.95);
    kit.block(
        Shape::Cube,
        Vec3::new(centre.x, -0.15, centre.y),
        Vec3::new(400.0, 0.3, 400.0),
        grass,
    );
    // The path the trainee comes along, and a crossing one.
    let gravel = kit.ground(Color::srgb(0.55, 0.5, 0.41), 0.95);
    let dir = (site.subject - site.trainee).normalize_or(Vec2::NEG_Y);
    let yaw = (-dir.x).atan2(-dir.y);
    let side = Vec2::new(-dir.y, dir.x);
    let path_c = site.trainee + side * 1.6;
    for (c, y) in [(path_c, yaw), (site.subject + dir * 12.0, yaw + FRAC_PI_2)] {
        let root = kit.root(Vec3::new(c.x, 0.003, c.y), y);
        kit.part(
            root,
            Shape::Cube,
            Vec3::ZERO,
            Vec3::new(2.6, 0.006, 180.0),
            gravel.clone(),
        );
    }
    // Trees and bushes scattered around, clear of the paths and people.
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
            || dist_to_segment(
                p,
                site.subject + dir * 12.0 - side * 90.0,
                site.subject + dir * 12.0 + side * 90.0,
            ) < 3.5;
        if on_path || near_people(site, p, 4.0) || near_any_prop(site, p, 2.0) {
            continue;
        }
        placed += 1;
        let root = kit.root(Vec3::new(p.x, 0.0, p.y), 0.0);
        let h = 6.0 + hash(i, 73) * 6.0;
        tree(kit, root, h * 0.55, h, foliage[i as usize % 3], i);
    }
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
    // Lamps along the path.
    let mut lamps: Vec<(f32, Vec2, Vec2)> = Vec::new();
    for k in -6..=6 {
        let s = if k % 2 == 0 { 1.8 } else { -1.8 };
        let p = path_c + dir * (k as f32 * 16.0) + side * s;
        if !near_people(site, p, 1.5) && !near_any_prop(site, p, 1.0) {
            lamps.push((p.distance(centre), p, -side * s.signum()));
        }
    }
    lamps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, p, d) in lamps {
        lamp_post(kit, Vec3::new(p.x, 0.0, p.y), 4.5, d, 0.12);
    }
    // A pond off to one side, the town around the park.
    let pond = kit.materials.add(StandardMaterial {
        base_color: Color::srgb(0.05, 0.1, 0.12),
        perceptual_roughness: 0.05,
        reflectance: 0.6,
        ..default()
    });
    let pc = centre - side * 26.0 + dir * 8.0;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RoomStyle {
    Bar,
    Apartment,
    Shop,
}

/// One side of a room: where its inner face is and whether the author built it.
#[derive(Debug, Clone, Copy)]
struct Side {
    /// Inner face coordinate (x for the left/right sides, z for front/back).
    at: f32,
    authored: bool,
    /// Normal pointing into the room.
    normal: Vec2,
}

/// A room enclosing every prop and spawn point, dressed for a bar, a flat or a shop.
/// Walls the author placed along the edges are used as the room's walls; the missing ones
/// are built (through any door standing at the edge).
fn room(kit: &mut Kit, site: &Site, style: RoomStyle) {
    let (margin, min_size, height) = match style {
        RoomStyle::Bar => (1.6, Vec2::new(10.0, 8.0), 3.2),
        RoomStyle::Apartment => (1.0, Vec2::new(6.5, 5.0), 2.6),
        RoomStyle::Shop => (1.8, Vec2::new(12.0, 10.0), 3.6),
    };
    let props = &site.scenario.place.props;
    let (blo, bhi) = (site.min, site.max);
    let span = bhi - blo;
    // For each side (-x, +x, -z, +z): an authored wall along it, else a door at the edge,
    // else the bounds plus a margin.
    let side = |axis_x: bool, low: bool| -> Side {
        let normal = match (axis_x, low) {
            (true, true) => Vec2::X,
            (true, false) => Vec2::NEG_X,
            (false, true) => Vec2::Y,
            (false, false) => Vec2::NEG_Y,
        };
        let bound = match (axis_x, low) {
            (true, true) => blo.x,
            (true, false) => bhi.x,
            (false, true) => blo.y,
            (false, false) => bhi.y,
        };
        let length_needed = 0.4 * if axis_x { span.y } else { span.x };
        let ext = |p: &Prop| {
            let r = p.rotation.to_radians();
            let (hx, hz) = (p.size.0 / 2.0, p.size.2 / 2.0);
            (
                hx * r.cos().abs() + hz * r.sin().abs(),
                hx * r.sin().abs() + hz * r.cos().abs(),
            )
        };
        let coord = |p: &Prop| if axis_x { p.x } else { p.z };
        let wall = props
            .iter()
            .filter(|p| p.kind == PropKind::Wall && p.size.1 >= 2.0)
            .filter(|p| {
                let (ex, ez) = ext(p);
                let (thick, long) = if axis_x { (ex, ez) } else { (ez, ex) };
                let outer = coord(p) + if low { -thick } else { thick };
                long * 2.0 >= length_needed && thick < long && (outer - bound).abs() < 0.6
            })
            .map(|p| {
                let (ex, ez) = ext(p);
                let thick = if axis_x { ex } else { ez };
                coord(p) + if low { thick } else { -thick }
            })
            .reduce(|a, b| if low { a.max(b) } else { a.min(b) });
        if let Some(at) = wall {
            return Side {
                at,
                authored: true,
                normal,
            };
        }
        let door = props
            .iter()
            .filter(|p| p.kind == PropKind::Door)
            .filter_map(|p| {
                let (ex, ez) = ext(p);
                let thick = if axis_x { ex } else { ez };
                let outer = coord(p) + if low { -thick } else { thick };
                ((outer - bound).abs() < 0.6)
                    .then(|| coord(p) + if low { -thick + 0.05 } else { thick - 0.05 })
            })
            .reduce(|a, b| if low { a.min(b) } else { a.max(b) });
        if let Some(at) = door {
            return Side {
                at,
                authored: false,
                normal,
            };
        }
        Side {
            at: bound + if low { -margin } else { margin },
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
    // Minimum size: push out the built sides (authored ones stay).
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
    let lo = Vec2::new(sides[0].at, sides[2].at);
    let hi = Vec2::new(sides[1].at, sides[3].at);
    let size = hi - lo;
    let mid = (lo + hi) / 2.0;
    let (floor_c, wall_c, lower_c, ceiling_c) = match style {
        RoomStyle::Bar => (
            Color::srgb(0.22, 0.13, 0.08),
            Color::srgb(0.42, 0.14, 0.12),
            Color::srgb(0.2, 0.11, 0.06),
            Color::srgb(0.1, 0.08, 0.07),
        ),
        RoomStyle::Apartment => (
            Color::srgb(0.55, 0.4, 0.26),
            Color::srgb(0.82, 0.8, 0.72),
            Color::srgb(0.95, 0.94, 0.9),
            Color::srgb(0.93, 0.93, 0.9),
        ),
        RoomStyle::Shop => (
            Color::srgb(0.82, 0.82, 0.8),
            Color::srgb(0.92, 0.92, 0.9),
            Color::srgb(0.3, 0.45, 0.6),
            Color::srgb(0.88, 0.88, 0.88),
        ),
    };
    // Floor: planks, or tiles.
    match style {
        RoomStyle::Shop => {
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
        }
        _ => {
            // A dark subfloor so the joints between planks never show the void below.
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
                let m = kit.mat(c, if style == RoomStyle::Bar { 0.45 } else { 0.6 });
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
    let ceiling = kit.mat(ceiling_c, 0.9);
    kit.block(
        Shape::Cube,
        Vec3::new(mid.x, height + 0.05, mid.y),
        Vec3::new(size.x + 0.8, 0.1, size.y + 0.8),
        ceiling,
    );
    // Walls the author did not build: paint above, panelling below, a skirting board.
    let upper = kit.mat(wall_c, 0.85);
    let lower = kit.mat(lower_c, 0.6);
    let skirting = kit.mat(mix(lower_c, Color::BLACK, 0.3), 0.6);
    let dado = if style == RoomStyle::Apartment {
        0.0
    } else {
        1.1
    };
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
    for (s, c, len) in &faces {
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
    // The door the trainee came in by, on the wall nearest the trainee (unless the author
    // placed doors).
    let t = site.trainee;
    let d = [t.x - lo.x, hi.x - t.x, t.y - lo.y, hi.y - t.y];
    let nearest = (0..4).min_by(|a, b| d[*a].total_cmp(&d[*b])).unwrap_or(3);
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
    // Windows showing the time of day outside (not in a bar): on the wall opposite the door.
    if style != RoomStyle::Bar {
        let (s, oc, olen) = faces[[1, 0, 3, 2][nearest]];
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
    // Ceiling lights on a grid, the ones nearest the action lit.
    let (lumens, colour, spacing) = match style {
        RoomStyle::Bar => (9_000.0, Color::srgb(1.0, 0.75, 0.5), 3.4),
        RoomStyle::Apartment => (14_000.0, Color::srgb(1.0, 0.88, 0.72), 4.0),
        RoomStyle::Shop => (16_000.0, Color::srgb(0.95, 0.97, 1.0), 3.6),
    };
    let nx = (size.x / spacing).round().max(1.0) as i32;
    let nz = (size.y / spacing).round().max(1.0) as i32;
    let fixture = kit.glow(colour, if style == RoomStyle::Bar { 2.0 } else { 1.5 });
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
    for (_, p) in fixtures {
        match style {
            RoomStyle::Shop => {
                kit.block(
                    Shape::Cube,
                    Vec3::new(p.x, height - 0.04, p.y),
                    Vec3::new(0.3, 0.05, 1.6),
                    fixture.clone(),
                );
            }
            RoomStyle::Bar => {
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
            }
            RoomStyle::Apartment => {
                kit.block(
                    Shape::Sphere,
                    Vec3::new(p.x, height - 0.15, p.y),
                    Vec3::new(0.4, 0.25, 0.4),
                    fixture.clone(),
                );
            }
        }
        let y = if style == RoomStyle::Bar {
            height - 0.95
        } else {
            height - 0.3
        };
        kit.lamp(Vec3::new(p.x, y, p.y), colour, lumens, 14.0);
    }
    match style {
        RoomStyle::Bar => bar_dressing(kit, site, &faces, height),
        RoomStyle::Apartment => {
            let rug = kit.mat(Color::srgb(0.45, 0.2, 0.18), 0.95);
            let c = site.subject.lerp(mid, 0.5);
            if !near_any_prop(site, c, 0.5) {
                kit.block(
                    Shape::Cube,
                    Vec3::new(c.x, 0.005, c.y),
                    Vec3::new(2.4, 0.01, 1.7),
                    rug,
                );
            }
            // Pictures on the side walls.
            for (i, (s, c, len)) in faces.iter().enumerate() {
                if i == nearest || i == [1, 0, 3, 2][nearest] {
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
        RoomStyle::Shop => {
            // A coloured band with the shop's colours round the top of the walls.
            let band = kit.mat(Color::srgb(0.85, 0.25, 0.15), 0.7);
            for (s, c, len) in &faces {
                let p = *c + s.normal * 0.03;
                let (sx, sz) = if s.normal.y != 0.0 {
                    (*len, 0.04)
                } else {
                    (0.04, *len)
                };
                kit.block(
                    Shape::Cube,
                    Vec3::new(p.x, height - 0.45, p.y),
                    Vec3::new(sx, 0.5, sz),
                    band.clone(),
                );
            }
        }
    }
}

/// Bottles behind each counter (unless the author put shelves there), stools in front, a
/// neon sign and a television on the longest wall.
fn bar_dressing(kit: &mut Kit, site: &Site, faces: &[(Side, Vec2, f32)], height: f32) {
    let props = &site.scenario.place.props;
    let mid = faces.iter().map(|f| f.1).fold(Vec2::ZERO, |a, b| a + b) / faces.len().max(1) as f32;
    let bottle_colours = [
        Color::srgba(0.2, 0.5, 0.2, 0.9),
        Color::srgba(0.55, 0.3, 0.1, 0.9),
        Color::srgba(0.85, 0.85, 0.8, 0.9),
        Color::srgba(0.4, 0.1, 0.1, 0.9),
        Color::srgba(0.7, 0.55, 0.2, 0.9),
    ];
    let counters: Vec<&Prop> = props
        .iter()
        .filter(|p| p.kind == PropKind::Counter)
        .collect();
    for (ci, c) in counters.iter().enumerate() {
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
                    let col = bottle_colours[(hash(b, 112 + k as u32) * 5.0) as usize % 5];
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
        // Stools on the customers' side, where nothing else stands.
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
    // Bottles on any authored shelves that stand behind a counter.
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
                let col = bottle_colours[(hash(b + level, 115) * 5.0) as usize % 5];
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
    // A neon sign and a television on the longest wall that the trainee faces most.
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

// ---------------------------------------------------------------------------------------
// Props
// ---------------------------------------------------------------------------------------

/// Which way (+1 or -1 along the prop's short local axis: z when `long_x`, else x) points
/// away from the middle of the scene: shelves open and benches face towards the action.
fn away_from_centre(site: &Site, p: &Prop, long_x: bool) -> f32 {
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

fn default_colour(kind: PropKind, env: Environment, i: usize) -> Color {
    match kind {
        PropKind::Wall => match env {
            Environment::Street | Environment::ParkingLot => Color::srgb(0.55, 0.32, 0.26),
            Environment::Bridge => Color::srgb(0.55, 0.55, 0.52),
            Environment::Park => Color::srgb(0.5, 0.48, 0.42),
            _ => Color::srgb(0.78, 0.75, 0.68),
        },
        PropKind::Car => rgb(CAR_COLOURS[i % CAR_COLOURS.len()]),
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
    }
}

fn prop(kit: &mut Kit, site: &Site, ground: &Ground, p: &Prop, i: usize, env: Environment) {
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
    match p.kind {
        PropKind::Wall => {
            let m = kit.mat(base, 0.88);
            kit.part(root, Shape::Cube, centre, full, m);
            let outdoor = !matches!(
                env,
                Environment::Bar | Environment::Apartment | Environment::Shop
            );
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
        PropKind::Car => {
            // Cars are authored long along their local z; a prop sized the other way round
            // is turned so its length still reads as the car's length.
            if w > d {
                let inner = kit.sub(root, FRAC_PI_2);
                car(kit, inner, d, h, w, base);
            } else {
                car(kit, root, w, h, d, base);
            }
        }
        PropKind::Bench => {
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
        PropKind::Table => {
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
        PropKind::Counter => {
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
        // Built above, at its own root.
        PropKind::StreetLight => {}
        PropKind::Tree => {
            tree(kit, root, w.max(d), h, base, i as i32);
            if p.cover {
                kit.collider(root, centre, Vec3::new(w.min(0.6), h, d.min(0.6)), true);
            }
            return;
        }
        PropKind::Railing => {
            if d >= w {
                railing(kit, root, w, h, d, base);
            } else {
                let inner = kit.sub(root, FRAC_PI_2);
                railing(kit, inner, d, h, w, base);
            }
        }
        PropKind::Bin => {
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
        PropKind::Door => {
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
        PropKind::Shelf => {
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
        PropKind::Box => {
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
    }
    kit.collider(root, centre, full, p.cover);
}

/// Windows (and a lit ground floor at night) on a tall authored wall: a building front.
#[allow(clippy::too_many_arguments)]
fn wall_windows(
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

fn puddles(kit: &mut Kit, site: &Site, ground: &Ground) {
    let m = kit.materials.add(StandardMaterial {
        base_color: Color::srgb(0.02, 0.025, 0.03),
        perceptual_roughness: 0.02,
        reflectance: 0.8,
        ..default()
    });
    let dir = (site.subject - site.trainee).normalize_or(Vec2::NEG_Y);
    let side = Vec2::new(-dir.y, dir.x);
    let len = site.subject.distance(site.trainee) + 10.0;
    for i in 0..14 {
        let t = hash(i, 131) * len - 5.0;
        let s = (hash(i, 132) - 0.5) * 7.0;
        let p = site.trainee + dir * t + side * s;
        if near_any_prop(site, p, 0.6) {
            continue;
        }
        let r = 0.5 + hash(i, 133) * 1.2;
        let y = ground.height(p.x, p.y) + 0.004;
        kit.block(
            Shape::Cylinder,
            Vec3::new(p.x, y, p.y),
            Vec3::new(r * 1.6, 0.004, r),
            m.clone(),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Rain and snow
// ---------------------------------------------------------------------------------------

fn spawn_drops(kit: &mut Kit, p: Precipitation, around: Vec2) {
    let (count, mesh, size, material, speed) = match p {
        Precipitation::Rain => (
            RAIN_DROPS,
            kit.cube.clone(),
            Vec3::new(0.012, 0.55, 0.012),
            kit.materials.add(StandardMaterial {
                base_color: Color::srgba(0.72, 0.78, 0.86, 0.4),
                alpha_mode: AlphaMode::Blend,
                unlit: true,
                ..default()
            }),
            9.0,
        ),
        Precipitation::Snow => (
            SNOW_FLAKES,
            kit.sphere.clone(),
            Vec3::splat(0.045),
            kit.materials.add(StandardMaterial {
                base_color: Color::srgba(0.95, 0.96, 1.0, 0.9),
                alpha_mode: AlphaMode::Blend,
                unlit: true,
                ..default()
            }),
            1.0,
        ),
    };
    let tilt = if p == Precipitation::Rain {
        Quat::from_rotation_z(0.1)
    } else {
        Quat::IDENTITY
    };
    for i in 0..count as i32 {
        let x = around.x + (hash(i, 141) - 0.5) * 2.0 * DROP_RADIUS;
        let z = around.y + (hash(i, 142) - 0.5) * 2.0 * DROP_RADIUS;
        let y = hash(i, 143) * DROP_HEIGHT;
        kit.commands.spawn((
            Drop {
                speed: speed * (0.85 + hash(i, 144) * 0.3),
                phase: hash(i, 145) * TAU,
            },
            Mesh3d(mesh.clone()),
            MeshMaterial3d(material.clone()),
            Transform::from_xyz(x, y, z)
                .with_rotation(tilt)
                .with_scale(size),
            bevy::light::NotShadowCaster,
            DespawnOnExit(Screen::Playing),
        ));
    }
}

/// Drops fall and are recycled in a box around the camera.
fn fall(
    time: Res<Time>,
    atmosphere: Option<Res<Atmosphere>>,
    camera: Query<&GlobalTransform, With<PlayerCamera>>,
    mut drops: Query<(&mut Transform, &Drop)>,
    mut seed: Local<u32>,
) {
    let Some(kind) = atmosphere.and_then(|a| a.precipitation) else {
        return;
    };
    let Some(cam) = camera.iter().next() else {
        return;
    };
    let c = cam.translation();
    let dt = time.delta_secs().min(0.1);
    let t = time.elapsed_secs();
    if *seed == 0 {
        *seed = 0x1234_5678;
    }
    let mut rand = || {
        let mut x = *seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *seed = x;
        (x >> 8) as f32 / (1u32 << 24) as f32
    };
    for (mut tf, d) in &mut drops {
        let p = &mut tf.translation;
        p.y -= d.speed * dt;
        match kind {
            Precipitation::Rain => p.x += 0.9 * dt,
            Precipitation::Snow => {
                p.x += (t * 0.7 + d.phase).sin() * 0.35 * dt;
                p.z += (t * 0.5 + d.phase * 1.3).cos() * 0.25 * dt;
            }
        }
        if p.y < -0.2 {
            p.y += DROP_HEIGHT;
            p.x = c.x + (rand() - 0.5) * 2.0 * DROP_RADIUS;
            p.z = c.z + (rand() - 0.5) * 2.0 * DROP_RADIUS;
        }
        // Keep the box centred on the camera as it moves.
        let wrap = |v: &mut f32, centre: f32| {
            if *v - centre > DROP_RADIUS {
                *v -= 2.0 * DROP_RADIUS;
            } else if centre - *v > DROP_RADIUS {
                *v += 2.0 * DROP_RADIUS;
            }
        };
        wrap(&mut p.x, c.x);
        wrap(&mut p.z, c.z);
    }
}
