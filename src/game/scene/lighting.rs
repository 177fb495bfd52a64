//! Light and atmosphere: sun or moon, ambient light, sky colour and exposure by time of
//! day and weather (indoors: room light), dressing the camera with sky, exposure and fog
//! (clear near, thick far) when it appears, and the subtle key light that keeps the subject
//! readable from where the trainee stands.

use super::kit::Kit;
use super::markers::{PlacePart, PlayerCamera, SubjectChest};
use super::weather::Precipitation;
use crate::format::scenario::{TimeOfDay, Weather};
use bevy::camera::Exposure;
use bevy::light::CascadeShadowConfigBuilder;
use bevy::pbr::{DistanceFog, FogFalloff};
use bevy::prelude::*;

/// Light, sky and fog for the run (applied to the camera when it appears).
#[derive(Resource, Debug, Clone)]
pub struct Atmosphere {
    pub sky: Color,
    pub ev100: f32,
    pub fog: Option<(Color, f32)>,
    pub precipitation: Option<Precipitation>,
    /// The camera's far plane (the preset's draw distance), metres.
    pub far: f32,
}

pub struct Light {
    pub(super) sun_elevation: f32,
    pub(super) sun_azimuth: f32,
    pub(super) sun: Color,
    pub(super) sun_lux: f32,
    pub(super) shadows: bool,
    pub(super) ambient: Color,
    pub(super) ambient_brightness: f32,
    pub(super) sky: Color,
    pub(super) ev100: f32,
    pub(super) lamps_on: bool,
    /// Street lamp luminous power (lumens).
    pub(super) lamp_lumens: f32,
    pub(super) night: bool,
}

pub fn lighting(time: TimeOfDay, weather: Weather, indoor: bool) -> Light {
    let mut l = match time {
        TimeOfDay::Day => day(),
        TimeOfDay::Dawn => dawn(),
        TimeOfDay::Dusk => dusk(),
        TimeOfDay::Night => night(),
    };
    let overcast = matches!(
        weather,
        Weather::Overcast | Weather::Rain | Weather::Snow | Weather::Fog
    );
    if overcast && time != TimeOfDay::Night {
        under_cloud(&mut l, time, weather);
    }
    l.night = time == TimeOfDay::Night;
    if indoor {
        l.ev100 = 7.6;
        l.sun_lux = 0.0;
        l.shadows = false;
        l.ambient = Color::srgb(1.0, 0.92, 0.82);
        l.ambient_brightness = 120.0;
    }
    l
}

/// Clear daylight: a high sun with shadows, lamps off.
fn day() -> Light {
    Light {
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
        night: false,
    }
}

/// Low warm sun in the east, lamps still on.
fn dawn() -> Light {
    Light {
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
        night: false,
    }
}

/// Low orange sun in the west, lamps on.
fn dusk() -> Light {
    Light {
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
        night: false,
    }
}

/// Moonlight and street lamps.
fn night() -> Light {
    Light {
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
        night: false,
    }
}

/// Daylight under cloud is still daylight; dusk and dawn under cloud are gloomy: the sun
/// dimmed and without shadows, more ambient light, a grey sky for the weather.
fn under_cloud(l: &mut Light, time: TimeOfDay, weather: Weather) {
    l.sun_lux *= 0.2;
    l.shadows = false;
    l.ambient_brightness *= 1.3;
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

pub(super) fn mix(a: Color, b: Color, t: f32) -> Color {
    let (a, b) = (a.to_linear(), b.to_linear());
    Color::LinearRgba(LinearRgba::new(
        a.red + (b.red - a.red) * t,
        a.green + (b.green - a.green) * t,
        a.blue + (b.blue - a.blue) * t,
        1.0,
    ))
}

/// Give the trainee camera its sky colour, exposure and fog when it appears.
pub fn dress_camera(
    mut commands: Commands,
    atmosphere: Option<Res<Atmosphere>>,
    mut cams: Query<(Entity, &mut Camera, &mut Projection), Added<PlayerCamera>>,
) {
    let Some(a) = atmosphere else { return };
    for (e, mut cam, mut projection) in &mut cams {
        dress(&mut commands.entity(e), &mut cam, &a);
        if let Projection::Perspective(p) = &mut *projection {
            p.far = a.far;
        }
    }
}

/// Where the fog is as thick as the weather's density says (m): nearer it is thinner, so the
/// subject at the 8-12 m a scenario asks for is not lost in it; farther, thicker.
const FOG_AS_WRITTEN_AT: f32 = 40.0;

/// Sky colour, exposure and fog of a camera that sees the scene.
pub fn dress(camera: &mut EntityCommands, cam: &mut Camera, a: &Atmosphere) {
    cam.clear_color = ClearColorConfig::Custom(a.sky);
    camera.insert(Exposure { ev100: a.ev100 });
    if let Some((color, density)) = a.fog {
        // exp(-(k r)^2) equals the weather's exp(-density r) at FOG_AS_WRITTEN_AT.
        let k = (density.max(0.0) * FOG_AS_WRITTEN_AT).sqrt() / FOG_AS_WRITTEN_AT;
        camera.insert(DistanceFog {
            color,
            falloff: FogFalloff::ExponentialSquared { density: k },
            ..default()
        });
    }
}

/// The subject's key light: a soft light from the trainee's side, just above head height.
#[derive(Component, Debug)]
pub struct SubjectKeyLight;

/// Luminous power of the key light at exposure 6.3 (a street at night), in lumens: about a
/// quarter of what a street lamp gives them; it scales with the exposure, so it looks the
/// same by day, at dusk and indoors.
const KEY_LUMENS_AT_NIGHT: f32 = 3_000.0;

/// The key light, off until [`aim_key_light`] knows the run's exposure.
pub fn key_light() -> PointLight {
    PointLight {
        color: Color::srgb(1.0, 0.96, 0.9),
        intensity: 0.0,
        range: 6.0,
        radius: 0.3,
        shadow_maps_enabled: false,
        ..default()
    }
}

/// Keeps the key light 1.6 m from the subject's chest towards the trainee, 0.8 m above it,
/// as bright as the run's exposure needs.
pub fn aim_key_light(
    atmosphere: Option<Res<Atmosphere>>,
    chest: Query<&GlobalTransform, With<SubjectChest>>,
    camera: Query<&GlobalTransform, With<PlayerCamera>>,
    mut lights: Query<(&mut Transform, &mut PointLight), With<SubjectKeyLight>>,
) {
    let (Some(c), Some(eye), Some(a)) = (chest.iter().next(), camera.iter().next(), atmosphere)
    else {
        return;
    };
    let c = c.translation();
    let towards = (eye.translation() - c).with_y(0.0).normalize_or(Vec3::Z);
    let lumens = KEY_LUMENS_AT_NIGHT * 2f32.powf((a.ev100 - 6.3).clamp(-2.0, 8.0));
    for (mut t, mut light) in &mut lights {
        t.translation = c + towards * 1.6 + Vec3::Y * 0.8;
        if light.intensity != lumens {
            light.intensity = lumens;
        }
    }
}

/// The sun (or moon), with two shadow cascades when the light and the preset allow.
pub(super) fn spawn_sun(kit: &mut Kit, light: &Light) {
    if light.sun_lux <= 0.0 {
        return;
    }
    let dir = Vec3::new(
        light.sun_elevation.cos() * light.sun_azimuth.sin(),
        light.sun_elevation.sin(),
        light.sun_elevation.cos() * light.sun_azimuth.cos(),
    );
    let shadows = light.shadows && kit.preset.sun_shadows;
    let screen = kit.screen;
    let mut sun = kit.commands.spawn((
        PlacePart,
        DirectionalLight {
            color: light.sun,
            illuminance: light.sun_lux,
            shadow_maps_enabled: shadows,
            ..default()
        },
        Transform::from_translation(dir).looking_at(Vec3::ZERO, Vec3::Y),
        DespawnOnExit(screen),
    ));
    if shadows {
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
