//! The playable 3D trainer: a thin set of Bevy plugins around the engine-free core.
//!
//! Every fixed tick (the core's `TICK_HZ`) the live session measures the trainee
//! (position, velocity, facing, hands, cover by a rapier raycast), hands the core one
//! `TickInput`, and re-broadcasts the core's events as [`SimEvent`] messages that the
//! subject, UI and audio draw and play. Nothing here decides how the subject reacts: the
//! core does.
//!
//! Where things live (one plugin function per feature module; each module imports only
//! modules above it in this list, so there are no import cycles):
//! - `graphics`  Low / Medium / High presets and the pick for an adapter (data only)
//! - `memory`    the allocator's options, render buffers sized to what the scene uses
//! - `state`     screens, play sub-state, launch options, session, messages, system sets
//! - `settings`  the trainee's preferences and their file; the graphics preset chosen
//! - `assets`    scenario `AssetLoader` (+ hot reload), the scenario library
//! - `theme`     fonts, colours, widget functions returning bundles, charts
//! - `scene/`    the place: markers, ground, lighting, weather, props, one file per environment
//! - `humanoid/` rig, pose and body language: the one humanoid of the live game and review
//! - `live/`     a run: session bridge to the core, player, subject, partner
//! - `instructor/` the instructor's station: its own window, the panel, hotkeys, flag notes
//! - `review/`   the after-action replay: the same scene and humanoids, review lighting
//! - `recovery`  journal the live run; offer interrupted runs on the select screen
//! - `audio/`    kira: ambience, spatial speech cue, footsteps, stress cue
//! - `screens/`  select, briefing, playing (HUD, talk, subtitles), pause, debrief, settings
//! - `voice/`    push-to-talk: the microphone, the measured tone, calibration, the level meter
//! - `autoplay`  drive a run from an input script: screenshots, render tests
//! - `benchmark` `play --benchmark N`: frame times of the scripted run, one line, exit

pub mod assets;
pub mod audio;
pub mod autoplay;
pub mod benchmark;
pub mod graphics;
pub mod humanoid;
pub mod instructor;
pub mod live;
pub mod memory;
pub mod recovery;
pub mod review;
pub mod scene;
pub mod screens;
pub mod settings;
pub mod state;
pub mod theme;
pub mod voice;

pub use state::{
    ActiveScenario, Launch, PlayState, Restart, Screen, Session, SimEvent, TraineeAct,
};

use bevy::prelude::*;
use std::process::ExitCode;

/// Everything that is not drawing: states, messages, scenario assets, the session, the
/// instructor's station (whose panel is drawn only when the interface fonts exist).
/// Headless tests add this with `MinimalPlugins` + `AssetPlugin` + `StatesPlugin`.
pub fn logic_plugin(app: &mut App) {
    app.add_plugins((
        state::plugin,
        assets::plugin,
        live::logic_plugin,
        instructor::plugin,
        recovery::plugin,
        review::plugin,
    ));
}

/// The visible game: scene, humanoids, player, subject, UI, audio, autoplay.
pub fn presentation_plugin(app: &mut App) {
    app.add_plugins((
        settings::plugin,
        memory::plugin,
        theme::plugin,
        scene::plugin,
        humanoid::plugin,
        live::presentation_plugin,
        screens::plugin,
        audio::plugin,
        autoplay::plugin,
        benchmark::plugin,
        review::view_plugin,
        recovery::ui_plugin,
        voice::plugin,
    ));
}

/// Open the trainer window and run until it is closed.
pub fn run(launch: Launch) -> ExitCode {
    memory::tune_allocator();
    let mut app = App::new();
    let watch = cfg!(debug_assertions);
    // Asset sources (the scenarios folder, the folder of `play PATH`) must exist before
    // `AssetPlugin` is built.
    assets::register_sources(&mut app, &launch);
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "deescalate — de-escalation trainer".into(),
                    resolution: (1280, 720).into(),
                    ..default()
                }),
                // The instructor's window never keeps the trainer running on its own.
                exit_condition: bevy::window::ExitCondition::OnPrimaryClosed,
                ..default()
            })
            .set(AssetPlugin {
                watch_for_changes_override: Some(watch),
                ..default()
            }),
    )
    .add_plugins(bevy_rapier3d::prelude::RapierPhysicsPlugin::<
        bevy_rapier3d::prelude::NoUserData,
    >::default())
    .insert_resource(launch)
    .add_plugins((logic_plugin, presentation_plugin));
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
