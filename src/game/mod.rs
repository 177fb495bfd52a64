//! The playable 3D trainer: a thin set of Bevy plugins around the engine-free core.
//!
//! Every fixed tick (the core's `TICK_HZ`) the `session` plugin measures the trainee
//! (position, velocity, facing, hands, cover by a rapier raycast), hands the core one
//! `TickInput`, and re-broadcasts the core's events as [`SimEvent`] messages that the
//! subject, UI and audio plugins draw and play. Nothing here decides how the subject
//! reacts: the core does.
//!
//! Module map (one plugin function per feature module):
//! - `assets`   scenario `AssetLoader` (+ hot reload), the scenario library
//! - `session`  the fixed-tick bridge to `sim::Sim`, input log, records, debrief
//! - `world`    ground, props with colliders, lighting, weather, from the scenario
//! - `player`   first-person kinematic character controller and mouse look
//! - `subject`  the humanoid subject (and partner) with procedural body language
//! - `ui`       screens: select, briefing, talk panel, HUD, subtitles, pause, debrief, settings
//! - `audio`    kira: ambience, spatial speech cue, footsteps, stress cue
//! - `autoplay` drive a run from an input script and take screenshots (render tests)
//! - `instructor` live instructor controls while playing (F1 overlay, F2–F9 hotkeys)
//! - `replay`   the after-action review viewer (`Screen::Replay`) of a session record
//! - `recovery` journal the live run; offer interrupted runs on the select screen

pub mod assets;
pub mod audio;
pub mod autoplay;
pub mod instructor;
pub mod player;
pub mod recovery;
pub mod replay;
pub mod session;
pub mod subject;
pub mod ui;
pub mod world;

use crate::scenario::Scenario;
use crate::sim::{Action, Event};
use bevy::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// How the program was started (command line).
#[derive(Resource, Debug, Clone, Default)]
pub struct Launch {
    /// Go straight into this scenario (skip the select screen).
    pub scenario: Option<PathBuf>,
    pub seed: Option<u64>,
    /// Meet the subject in this temperament instead of the one the seed draws.
    pub temperament: Option<String>,
    pub trainee: Option<String>,
    pub cohort: Option<String>,
    /// Force assessment mode (no HUD).
    pub assessment: bool,
    pub records: Option<PathBuf>,
    /// Drive the run from this input script (render tests, demos).
    pub autoplay: Option<PathBuf>,
    /// Save screenshots of briefing, gameplay and debrief here, then quit.
    pub screenshots: Option<PathBuf>,
    /// Open this session record in the after-action review viewer.
    pub replay: Option<PathBuf>,
    /// With `replay`: save screenshots of the viewer (each camera) here, then quit.
    pub replay_screenshots: Option<PathBuf>,
}

/// The screens, as a Bevy state.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Select,
    Briefing,
    Playing,
    Debrief,
    /// The after-action review viewer (see `replay`).
    Replay,
}

/// Running or paused, only while playing.
#[derive(SubStates, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[source(Screen = Screen::Playing)]
pub enum PlayState {
    #[default]
    Running,
    Paused,
}

/// The scenario being played (the last version without errors; hot reload swaps it).
#[derive(Resource, Clone)]
pub struct ActiveScenario {
    pub scenario: Arc<Scenario>,
    pub path: PathBuf,
    /// SHA-256 of the file's bytes (goes into the record).
    pub hash: String,
}

/// The run in progress (exists from entering the briefing until leaving the debrief).
/// `session` owns its systems; the UI, subject and audio read it.
#[derive(Resource)]
pub struct Session {
    pub sim: crate::sim::Sim,
    pub seed: u64,
    /// A temperament pinned by the instructor (`--temperament`); none: the seed draws it.
    pub pinned: Option<String>,
    pub trainee: String,
    pub cohort: Option<String>,
    /// The tone the next utterance will be said in (chosen separately, always visible).
    pub tone: crate::vocab::Tone,
    pub hands: crate::sim::Hands,
    /// Training mode shows the HUD (distance, agitation); assessment hides it.
    pub show_hud: bool,
    /// What the run was fed, for the record and replay.
    pub log: crate::script::InputLog,
    pub last_logged: Option<crate::sim::TraineeState>,
    /// Action waiting for the next fixed tick.
    pub pending: Option<Action>,
    /// Filled in when the run ends.
    pub debrief: Option<crate::debrief::Debrief>,
    pub record_path: Option<PathBuf>,
    /// Set if writing the record failed (shown on the debrief screen; the run is kept in memory).
    pub record_error: Option<String>,
}

/// The trainee's choice for this tick, from the UI (or autoplay) to the session.
#[derive(Message, Debug, Clone)]
pub struct TraineeAct(pub Action);

/// Every event the core produced, re-broadcast to the UI, subject and audio.
#[derive(Message, Debug, Clone)]
pub struct SimEvent(pub Event);

/// Ask for the current scenario to start again from the briefing.
#[derive(Message, Debug, Clone, Copy)]
pub struct Restart;

/// Everything that is not drawing: states, messages, scenario assets, the session.
/// Headless tests add this with `MinimalPlugins` + `AssetPlugin` + `StatesPlugin`.
pub fn logic_plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_sub_state::<PlayState>()
        .add_message::<TraineeAct>()
        .add_message::<SimEvent>()
        .add_message::<Restart>()
        .add_plugins((
            assets::plugin,
            session::plugin,
            recovery::plugin,
            instructor::plugin,
            replay::plugin,
        ));
}

/// The visible game: world, player, subject, UI, audio, autoplay.
pub fn presentation_plugin(app: &mut App) {
    app.add_plugins((
        world::plugin,
        player::plugin,
        subject::plugin,
        ui::plugin,
        audio::plugin,
        autoplay::plugin,
        instructor::ui_plugin,
        replay::view_plugin,
        recovery::ui_plugin,
    ));
}

/// Open the trainer window and run until it is closed.
pub fn run(launch: Launch) -> ExitCode {
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
