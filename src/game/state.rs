//! The trainer's shared state, declared once: how it was launched, the screens (a Bevy
//! state) and the play sub-state, the scenario and run in progress, the messages between
//! the UI, the session and the presentation, and every system set with its order.
//! Every other module imports these from here; this module imports no other game module.

use crate::format::scenario::Scenario;
use crate::sim::{Action, Event};
use bevy::prelude::*;
use std::path::PathBuf;
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
    /// This run's graphics preset, instead of the saved one.
    pub graphics: Option<crate::game::graphics::Quality>,
    /// With `autoplay`: measure this many frames from the first gameplay frame, print the
    /// `benchmark:` line and quit.
    pub benchmark: Option<u32>,
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
    pub tone: crate::format::vocab::Tone,
    pub hands: crate::sim::Hands,
    /// Training mode shows the HUD (distance, agitation); assessment hides it.
    pub show_hud: bool,
    /// What the run was fed, for the record and replay.
    pub log: crate::sim::script::InputLog,
    pub last_logged: Option<crate::sim::TraineeState>,
    /// Action waiting for the next fixed tick.
    pub pending: Option<Action>,
    /// Filled in when the run ends.
    pub debrief: Option<crate::assess::debrief::Debrief>,
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

/// Whether an injected line comes over the radio (rather than from a bystander): the
/// inject's id or label says "radio", "dispatch" or "control".
pub fn is_radio_inject(id: &str, label: &str, line: &str) -> bool {
    let has = |s: &str| {
        let s = s.to_lowercase();
        ["radio", "dispatch", "control room", "comms"]
            .iter()
            .any(|w| s.contains(w))
    };
    has(id) || has(label) || line.trim_start().to_lowercase().starts_with("control")
}

/// Ask for the current scenario to start again from the briefing.
#[derive(Message, Debug, Clone, Copy)]
pub struct Restart;

/// Order of the fixed-tick work (configured in [`plugin`]).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TickSet {
    /// Write the trainee's measured body (and `Session.hands`, and autoplay's [`TraineeAct`]s).
    Measure,
    /// Step the core.
    Step,
    /// Follow the core (body language and the like).
    React,
}

/// Order of the per-frame animation: bodies choose their aim, then poses are written
/// into the joints.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnimateSet {
    /// Body language and movement (live subject and partner, review figures).
    Aim,
    /// `humanoid` writes every [`crate::game::humanoid::Animated`] into its joints.
    Pose,
}

/// The settings panel's keyboard handling; screens that also read keys run before it, so a
/// key that closes the panel is not seen again by the screen underneath.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct SettingsInput;

/// Applying and saving changed settings (the settings panel's changes come before it).
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct SettingsChanged;

/// States, messages and the order of the system sets.
pub fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_sub_state::<PlayState>()
        .init_resource::<Launch>()
        .add_message::<TraineeAct>()
        .add_message::<SimEvent>()
        .add_message::<Restart>()
        .configure_sets(
            FixedUpdate,
            (TickSet::Measure, TickSet::Step, TickSet::React).chain(),
        )
        .configure_sets(Update, (AnimateSet::Aim, AnimateSet::Pose).chain())
        .configure_sets(Update, SettingsInput.before(SettingsChanged));
}
