//! Visible weather: rain streaks or snowflakes recycled in a box around the camera, and
//! puddles on wet ground outdoors.

use super::ground::Ground;
use super::kit::{Kit, Shape, hash};
use super::lighting::{Atmosphere, mix};
use super::markers::PlayerCamera;
use super::pieces::near_any_prop;
use super::site::Site;
use crate::format::scenario::Weather;
use crate::game::graphics::Preset;
use bevy::prelude::*;
use std::f32::consts::TAU;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precipitation {
    Rain,
    Snow,
}

/// One raindrop streak or snowflake.
#[derive(Component, Debug, Clone, Copy)]
pub struct Drop {
    pub(super) speed: f32,
    pub(super) phase: f32,
}

pub(super) const RAIN_DROPS: usize = 500;

pub(super) const SNOW_FLAKES: usize = 700;

/// Drops live in a box this far around the camera (horizontal half-size, height).
pub(super) const DROP_RADIUS: f32 = 16.0;

pub(super) const DROP_HEIGHT: f32 = 12.0;

pub(super) fn puddles(kit: &mut Kit, site: &Site, ground: &Ground) {
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

pub(super) fn spawn_drops(kit: &mut Kit, p: Precipitation, around: Vec2) {
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
    let count = (count as f32 * kit.preset.weather_particles).round() as i32;
    for i in 0..count {
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
            DespawnOnExit(kit.screen),
        ));
    }
}

/// Drops fall and are recycled in a box around the camera.
pub fn fall(
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

/// Distance fog for the weather: colour and exponential density.
pub(super) fn fog(weather: Weather, night: bool, sky: Color) -> Option<(Color, f32)> {
    match weather {
        Weather::Fog if night => Some((Color::srgb(0.075, 0.074, 0.078), 0.07)),
        Weather::Fog => Some((mix(sky, Color::srgb(0.62, 0.64, 0.66), 0.5), 0.05)),
        Weather::Rain => Some((sky, 0.022)),
        Weather::Snow => Some((sky, 0.03)),
        Weather::Overcast => Some((sky, 0.008)),
        Weather::Clear => Some((sky, if night { 0.012 } else { 0.0035 })),
    }
}

/// The least fog density that hides the end of the preset's draw distance (92% fogged).
pub(super) fn fog_floor(preset: Preset) -> f32 {
    2.5 / preset.draw_distance.max(1.0)
}
