//! The instructor's station: a second window (movable to another monitor or a projector)
//! with the run's live state and the controls, the hotkeys that do the same from the
//! trainee's keyboard, and the "instructor view" that shows the panel on the trainee's
//! window only while the instructor toggles it (single-monitor set-ups).
//!
//! Every control, clicked or pressed, becomes one [`Control`] message; `controls` turns it
//! into an ordinary [`crate::game::TraineeAct`] of `Action::Instructor`, so it is logged,
//! recorded, replayed and listed in the debrief like anything the trainee does.
//!
//! | key | does |
//! |---|---|
//! | F1 | instructor view on the trainee's window, on / off |
//! | F2 / F3 | agitation +10 / −10 (with Shift: trust +10 / −10) |
//! | F4 | pause / resume the run (the trainee's pause menu stays closed) |
//! | F5 / F6 | select the next scene / ending in the list; Enter forces it, Esc cancels |
//! | F7 / F8 | fire the selected inject / select the next one |
//! | F9 | flag this moment, then type its note (Enter saves, Esc cancels) |
//! | F10 | open / close the instructor window (remembered in the settings) |
//! | Alt | (instructor window open) free the mouse for it; a click in the trainee's window takes it back |
//!
//! Files: `controls` (keys and clicks → actions, pause, confirmations), `notes` (the flag
//! note), `window` (the second window and its camera), `panel` (what both views draw),
//! `mouse` (one mouse shared by the two windows).

pub mod controls;
pub mod mouse;
pub mod notes;
pub mod panel;
pub mod window;

use crate::format::scenario::Scenario;
use crate::sim::{InstructorAction, Measure};
use bevy::prelude::*;

/// Points added or removed by one nudge (agitation or trust).
pub const NUDGE: f32 = 10.0;
/// Seconds a confirmation stays in the instructor's view.
pub const TOAST_SECS: f64 = 4.0;
/// Longest flag note, in characters.
pub const MAX_NOTE: usize = 90;
/// The note saved when the instructor saves without typing anything.
pub const DEFAULT_NOTE: &str = "flag";

/// Which list a selection is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PickKind {
    Scene,
    Ending,
}

/// A selected scene or ending, waiting for "force" (Enter or the button).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Picker {
    pub kind: PickKind,
    pub index: usize,
}

/// A confirmation (or refusal), shown only in the instructor's views.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub warn: bool,
    /// `Time<Real>` seconds when it appeared.
    pub since: f64,
}

/// A flag raised at a moment whose note is being typed.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteDraft {
    pub text: String,
    /// The core's tick when the flag was raised: the flag is stamped with it.
    pub tick: u32,
    /// The run was paused for the typing (and resumes when the note is saved or cancelled).
    pub paused_it: bool,
}

/// Everything the instructor has chosen or is doing.
#[derive(Resource, Debug)]
pub struct Instructor {
    /// The panel is shown on the trainee's window (F1).
    pub view: bool,
    pub picker: Option<Picker>,
    /// Index of the selected inject.
    pub inject: usize,
    pub note: Option<NoteDraft>,
    /// Pause the run while a flag note is typed.
    pub pause_to_type: bool,
    /// The instructor paused the run (the scenario clock and the trainee are frozen).
    pub paused: bool,
    pub toast: Option<Toast>,
}

impl Default for Instructor {
    fn default() -> Self {
        Instructor {
            view: false,
            picker: None,
            inject: 0,
            note: None,
            pause_to_type: true,
            paused: false,
            toast: None,
        }
    }
}

impl Instructor {
    fn say(&mut self, text: impl Into<String>, warn: bool, now: f64) {
        self.toast = Some(Toast {
            text: text.into(),
            warn,
            since: now,
        });
    }

    /// The toast to show at `now`, if it has not expired.
    pub fn current_toast(&self, now: f64) -> Option<&Toast> {
        self.toast
            .as_ref()
            .filter(|t| now - t.since >= 0.0 && now - t.since < TOAST_SECS)
    }
}

/// One thing the instructor asked for, from a hotkey or a click in either view.
#[derive(Message, Debug, Clone, PartialEq)]
pub enum Control {
    Nudge(Measure, f32),
    /// Select row `usize` of a list (a click).
    Pick(PickKind, usize),
    /// Select the next row of a list (F5 / F6).
    PickNext(PickKind),
    /// Force the selected scene or ending.
    ForcePicked,
    CancelPick,
    SelectInject(usize),
    NextInject,
    FireInject,
    TogglePause,
    /// Raise a flag now and open its note.
    Flag,
    SaveNote,
    CancelNote,
    TogglePauseToType,
    /// The panel on the trainee's window.
    ToggleView,
    /// The instructor's own window.
    ToggleWindow,
}

/// Marks every node of the instructor's panel (in either window).
#[derive(Component, Debug, Clone, Copy)]
pub struct InstructorUi;

/// The instructor's station: controls, notes, the window and the panel. The drawing
/// systems need the interface fonts and do nothing without them.
pub fn plugin(app: &mut App) {
    app.init_resource::<Instructor>()
        .add_message::<Control>()
        .add_plugins((
            controls::plugin,
            mouse::plugin,
            notes::plugin,
            window::plugin,
            panel::plugin,
        ));
}

/// The sentence confirming an instructor action the core carried out.
pub fn confirmation(scenario: &Scenario, a: &InstructorAction) -> String {
    let ending = |e: &str| {
        let found = scenario.endings.iter().find(|x| x.id == e);
        found.map_or(e.to_string(), |x| x.title.clone())
    };
    let inject = |id: &str| {
        let found = scenario.injects.iter().find(|x| x.id == id);
        found.map_or(id.to_string(), |x| x.label.clone())
    };
    match a {
        InstructorAction::Nudge(v) => format!("Nudged agitation {v:+.0}"),
        InstructorAction::NudgeTrust(v) => format!("Nudged trust {v:+.0}"),
        InstructorAction::ForceScene(s) => format!("Moved the scenario to “{s}”"),
        InstructorAction::ForceEnding(e) => format!("Ended the run — “{}”", ending(e)),
        InstructorAction::Inject(id) => format!("Injected “{}”", inject(id)),
        InstructorAction::Flag(note) | InstructorAction::FlagAt { note, .. } => {
            format!("Flag saved — “{note}”")
        }
    }
}
