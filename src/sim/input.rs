//! What the host tells the simulation each tick: where the trainee is and how they stand
//! (`TraineeState`), and at most one thing done (`Action`: a line said, a pause, or one of
//! the instructor's live controls).

use crate::format::vocab::Tone;
use serde::{Deserialize, Serialize};

/// Where the trainee's hands are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Hands {
    #[default]
    Visible,
    WeaponDrawn,
}

/// The trainee's physical state for one tick, as the host measured it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct TraineeState {
    pub x: f32,
    pub z: f32,
    /// Velocity on the ground plane, m/s.
    pub vx: f32,
    pub vz: f32,
    /// Yaw in degrees (0 = looking along -z).
    pub facing: f32,
    pub hands: Hands,
    /// True when a prop marked as cover blocks the line of sight to the subject.
    pub in_cover: bool,
}

/// Something the trainee (or the instructor) does on a tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// Say option `option` of the current scene in `tone`.
    Say {
        option: String,
        tone: Tone,
    },
    /// A deliberate, tactical pause.
    Pause,
    Instructor(InstructorAction),
}

/// Live instructor controls. Every one is recorded and shows in the debrief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InstructorAction {
    ForceScene(String),
    ForceEnding(String),
    /// Add (or with a negative number, remove) agitation points.
    Nudge(f32),
    /// Fire one of the scenario's `injects`.
    Inject(String),
    /// Mark this moment with a note.
    Flag(String),
    /// Add (or with a negative number, remove) trust points.
    NudgeTrust(f32),
    /// Mark an earlier moment with a note: the flag was raised at tick `at` (the key press)
    /// and its note saved now. Its event is an ordinary `Flag` stamped `at` (never later
    /// than now), so the debrief and replay show it where the instructor pressed the key.
    FlagAt {
        at: u32,
        note: String,
    },
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TickInput {
    pub trainee: TraineeState,
    pub action: Option<Action>,
}
