//! The place, built from `scenario.place`: the ground and surroundings of the environment
//! (one file per environment), every authored prop, lighting by time of day and visible
//! weather. The live run builds it on entering `Screen::Playing`; the review builds the
//! same scene with review lighting ([`Staging`]) for `Screen::Replay`.
//!
//! The surroundings are laid out around what the author placed: a street runs along the
//! line between trainee and subject, with the road on the side of any parked cars; a
//! bridge deck spans the authored railings; a room encloses every prop and spawn point.

mod apartment;
mod bar;
mod bridge;
pub mod ground;
mod kit;
pub mod lighting;
pub mod markers;
mod park;
mod parking_lot;
mod pieces;
mod props;
mod room;
mod shop;
mod site;
mod street;
mod view;
pub mod weather;

use crate::format::scenario::{Environment, Prop, Scenario, TimeOfDay, Weather};
use crate::game::graphics::{Graphics, Preset};
use crate::game::state::{Screen, Session};
use bevy::prelude::*;
use kit::Kit;
use lighting::{Atmosphere, Light, lighting};
use site::Site;
use std::collections::HashMap;
use weather::Precipitation;

pub use ground::{Frame, Ground, ROAD_DROP};
pub use kit::rgb;
pub use markers::{CoverCollider, PlacePart, PlayerCamera, SubjectChest};

/// How a scene is built: for which screen, in which light, at what cost.
#[derive(Debug, Clone, Copy)]
pub struct Staging {
    /// Every part despawns on leaving this screen.
    pub screen: Screen,
    /// Review lighting: even daylight, no weather.
    pub review: bool,
    pub preset: Preset,
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Ground>()
        .add_systems(OnEnter(Screen::Playing), build_world)
        .add_systems(
            Update,
            (lighting::dress_camera, view::dress_view, weather::fall)
                .run_if(in_state(Screen::Playing)),
        );
}

/// The live run's place (the scenario of the session).
fn build_world(
    mut commands: Commands,
    session: Option<Res<Session>>,
    graphics: Res<Graphics>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut ambient: ResMut<GlobalAmbientLight>,
) {
    let Some(session) = session else { return };
    let scenario = std::sync::Arc::clone(session.sim.scenario());
    let staging = Staging {
        screen: Screen::Playing,
        review: false,
        preset: graphics.preset(),
    };
    let (atmosphere, ground) = build_scene(
        &mut commands,
        &mut meshes,
        &mut materials,
        &mut ambient,
        &scenario,
        staging,
    );
    commands.insert_resource(atmosphere);
    commands.insert_resource(ground);
}

/// Build the place of `scenario`: surroundings, props, lights and weather. Returns the
/// atmosphere (for the camera) and the ground (for anyone standing on it).
pub fn build_scene(
    commands: &mut Commands,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
    ambient: &mut GlobalAmbientLight,
    scenario: &Scenario,
    staging: Staging,
) -> (Atmosphere, Ground) {
    let place = &scenario.place;
    let indoor = place.environment.is_indoor();
    // The review shows the place in daylight, whatever the time and weather of the run.
    let (time, weather) = if staging.review {
        (TimeOfDay::Day, Weather::Clear)
    } else {
        (place.time_of_day, place.weather)
    };
    let light = lighting(time, weather, indoor);
    let site = Site::new(scenario);
    let mut kit = Kit::new(commands, meshes, materials, &light, &site, staging);
    kit.wet = weather == Weather::Rain;
    kit.snow = weather == Weather::Snow;
    kit.night = time == TimeOfDay::Night;
    lighting::spawn_sun(&mut kit, &light);
    ambient.color = light.ambient;
    ambient.brightness = light.ambient_brightness;

    let mut ground = Ground::default();
    surroundings(&mut kit, &site, &mut ground, place.environment);
    for (i, p) in place.props.iter().enumerate() {
        // Cover as the core judges it: a vehicle the subject sits in is never cover from him.
        let p = Prop {
            cover: scenario.gives_cover(p),
            ..p.clone()
        };
        props::prop(&mut kit, &site, &ground, &p, i, place.environment);
    }
    if kit.wet && !indoor {
        weather::puddles(&mut kit, &site, &ground);
    }
    let atmosphere = atmosphere(&light, weather, indoor, &staging);
    if let Some(p) = atmosphere.precipitation {
        weather::spawn_drops(&mut kit, p, site.trainee);
    }
    (atmosphere, ground)
}

/// The environment's own surroundings, one module each.
fn surroundings(kit: &mut Kit, site: &Site, ground: &mut Ground, env: Environment) {
    match env {
        Environment::Street => street::build(kit, site, ground),
        Environment::Bridge => bridge::build(kit, site),
        Environment::ParkingLot => parking_lot::build(kit, site),
        Environment::Park => park::build(kit, site),
        Environment::Bar => bar::build(kit, site),
        Environment::Apartment => apartment::build(kit, site),
        Environment::Shop => shop::build(kit, site),
    }
}

/// Sky, exposure, fog and precipitation for the camera.
fn atmosphere(light: &Light, weather: Weather, indoor: bool, staging: &Staging) -> Atmosphere {
    let night = light.night;
    let fog = if indoor || !staging.preset.fog {
        None
    } else {
        weather::fog(weather, night, light.sky)
    };
    // Scenery past the draw distance is not drawn: fog closes in before it.
    let fog = fog.map(|(c, density)| (c, density.max(weather::fog_floor(staging.preset))));
    let precipitation = match weather {
        Weather::Rain if !indoor => Some(Precipitation::Rain),
        Weather::Snow if !indoor => Some(Precipitation::Snow),
        _ => None,
    };
    // The sky is the fog's colour where there is fog, so distant things fade into it.
    let sky = match (indoor, fog) {
        (true, _) => Color::srgb(0.02, 0.02, 0.02),
        (false, Some((c, _))) if weather == Weather::Fog => c,
        _ => light.sky,
    };
    Atmosphere {
        sky,
        ev100: light.ev100,
        fog,
        precipitation,
        far: staging.preset.draw_distance,
    }
}

/// Shared by the kit: a cache of materials.
type MaterialCache = HashMap<[u32; 6], Handle<StandardMaterial>>;
