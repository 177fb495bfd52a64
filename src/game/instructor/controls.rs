//! Hotkeys → [`Control`]s, and every [`Control`] (from a key or a click) → what it does:
//! an instructor action for the core, a selection in a list, the instructor's pause (which
//! freezes the run's clock without opening the trainee's pause menu), and the confirmation
//! shown in the instructor's views when the core reports the action.

use super::{Control, Instructor, NUDGE, PickKind, Picker};
use crate::format::scenario::Scenario;
use crate::game::live::session::ActRejected;
use crate::game::state::{PlayState, Screen, Session, SimEvent, TraineeAct};
use crate::sim::{Action, EventKind, InstructorAction, Measure};
use bevy::input::InputSystems;
use bevy::input::keyboard::KeyboardInput;
use bevy::prelude::*;

/// The hotkeys and the controls have been applied this frame (the note runs after).
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Applied;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        PreUpdate,
        (station_keys, picker_keys)
            .chain()
            .after(InputSystems)
            .run_if(in_state(Screen::Playing)),
    )
    .add_systems(
        Update,
        (hotkeys, apply, confirm)
            .chain()
            .in_set(Applied)
            .run_if(in_state(Screen::Playing)),
    )
    .add_systems(Update, window_hotkey)
    .add_systems(OnExit(Screen::Playing), reset);
}

fn now(time: &Time<Real>) -> f64 {
    time.elapsed_secs_f64()
}

/// Freeze or release the run: the core ticks on virtual time, so pausing it stops the
/// scenario clock, the trainee and the subject, and leaves the trainee's menus alone.
pub(super) fn set_paused(ins: &mut Instructor, clock: &mut Time<Virtual>, paused: bool) {
    ins.paused = paused;
    if paused {
        clock.pause();
    } else {
        clock.unpause();
    }
}

fn reset(mut ins: ResMut<Instructor>, mut clock: ResMut<Time<Virtual>>) {
    set_paused(&mut ins, &mut clock, false);
    ins.picker = None;
    ins.note = None;
    ins.toast = None;
}

fn is_function_key(k: KeyCode) -> bool {
    use KeyCode::*;
    matches!(
        k,
        F1 | F2 | F3 | F4 | F5 | F6 | F7 | F8 | F9 | F10 | F11 | F12
    )
}

/// Keys typed into the instructor's window are the instructor's: only the function keys,
/// Shift (and Enter / Esc for a selection) get through, never the trainee's keys.
fn station_keys(
    keys: Option<ResMut<ButtonInput<KeyCode>>>,
    mut typed: MessageReader<KeyboardInput>,
    station: Res<super::window::Station>,
    ins: Res<Instructor>,
) {
    let Some(mut k) = keys else { return };
    let picking = ins.picker.is_some();
    let keep = |key: KeyCode| {
        is_function_key(key)
            || matches!(key, KeyCode::ShiftLeft | KeyCode::ShiftRight)
            || (picking && matches!(key, KeyCode::Enter | KeyCode::NumpadEnter | KeyCode::Escape))
    };
    for ev in typed.read() {
        if Some(ev.window) == station.window && !keep(ev.key_code) {
            k.reset(ev.key_code);
        }
    }
}

/// While a scene or ending is selected, Enter forces it and Esc cancels, before the
/// trainee's controls (or the pause menu) see those keys.
fn picker_keys(
    keys: Option<ResMut<ButtonInput<KeyCode>>>,
    ins: Res<Instructor>,
    mut controls: MessageWriter<Control>,
) {
    let Some(mut k) = keys else { return };
    if ins.picker.is_none() || ins.note.is_some() {
        return;
    }
    let enter = k.just_pressed(KeyCode::Enter) || k.just_pressed(KeyCode::NumpadEnter);
    let escape = k.just_pressed(KeyCode::Escape);
    for key in [KeyCode::Enter, KeyCode::NumpadEnter, KeyCode::Escape] {
        k.clear_just_pressed(key);
    }
    if escape {
        controls.write(Control::CancelPick);
    } else if enter {
        controls.write(Control::ForcePicked);
    }
}

/// The function keys while a run plays (the note field owns the keyboard while open).
fn hotkeys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    ins: Res<Instructor>,
    mut controls: MessageWriter<Control>,
) {
    let Some(keys) = keys else { return };
    if ins.note.is_some() {
        return;
    }
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let measure = if shift {
        Measure::Trust
    } else {
        Measure::Agitation
    };
    let map = [
        (KeyCode::F1, Control::ToggleView),
        (KeyCode::F2, Control::Nudge(measure, NUDGE)),
        (KeyCode::F3, Control::Nudge(measure, -NUDGE)),
        (KeyCode::F4, Control::TogglePause),
        (KeyCode::F5, Control::PickNext(PickKind::Scene)),
        (KeyCode::F6, Control::PickNext(PickKind::Ending)),
        (KeyCode::F7, Control::FireInject),
        (KeyCode::F8, Control::NextInject),
        (KeyCode::F9, Control::Flag),
    ];
    for (key, control) in map {
        if keys.just_pressed(key) {
            controls.write(control);
        }
    }
}

/// F10 opens or closes the instructor's window on any screen.
fn window_hotkey(keys: Option<Res<ButtonInput<KeyCode>>>, mut controls: MessageWriter<Control>) {
    if keys.is_some_and(|k| k.just_pressed(KeyCode::F10)) {
        controls.write(Control::ToggleWindow);
    }
}

/// Why an action on the run cannot be taken now, if it cannot.
fn refusal(
    session: &Session,
    ins: &Instructor,
    play: Option<&State<PlayState>>,
) -> Option<&'static str> {
    if session.debrief.is_some() || session.sim.is_finished() {
        Some("The run has ended")
    } else if ins.paused {
        Some("The run is paused: resume it first (F4)")
    } else if play.is_some_and(|p| *p.get() == PlayState::Paused) {
        Some("The trainee's pause menu is open")
    } else {
        None
    }
}

fn apply(
    mut controls: MessageReader<Control>,
    mut ins: ResMut<Instructor>,
    session: Option<Res<Session>>,
    play: Option<Res<State<PlayState>>>,
    mut acts: MessageWriter<TraineeAct>,
    mut clock: ResMut<Time<Virtual>>,
    time: Res<Time<Real>>,
) {
    let t = now(&time);
    let Some(session) = session else { return };
    let scenario = std::sync::Arc::clone(session.sim.scenario());
    for c in controls.read() {
        if let Some(action) = act_or_select(&mut ins, &session, &scenario, c) {
            match refusal(&session, &ins, play.as_deref()) {
                Some(why) => ins.say(why, true, t),
                None => {
                    acts.write(TraineeAct(Action::Instructor(action)));
                }
            }
        }
        match c {
            Control::TogglePause if session.sim.is_finished() => {
                ins.say("The run has ended", true, t);
            }
            Control::TogglePause => {
                let paused = !ins.paused;
                set_paused(&mut ins, &mut clock, paused);
                let what = if paused {
                    "Paused the run"
                } else {
                    "Resumed the run"
                };
                ins.say(what, false, t);
            }
            Control::FireInject if scenario.injects.is_empty() => {
                ins.say("This scenario has no injects", true, t);
            }
            Control::TogglePauseToType => ins.pause_to_type = !ins.pause_to_type,
            Control::ToggleView => ins.view = !ins.view,
            _ => {}
        }
    }
}

/// Selections change `ins`; a control that acts on the run returns its action.
fn act_or_select(
    ins: &mut Instructor,
    session: &Session,
    scenario: &Scenario,
    c: &Control,
) -> Option<InstructorAction> {
    match c {
        Control::Nudge(Measure::Agitation, v) => Some(InstructorAction::Nudge(*v)),
        Control::Nudge(Measure::Trust, v) => Some(InstructorAction::NudgeTrust(*v)),
        Control::Pick(kind, index) => {
            ins.picker = (*index < list_len(scenario, *kind)).then_some(Picker {
                kind: *kind,
                index: *index,
            });
            None
        }
        Control::PickNext(kind) => {
            ins.picker = next_pick(ins.picker, *kind, session, scenario);
            None
        }
        Control::CancelPick => {
            ins.picker = None;
            None
        }
        Control::ForcePicked => ins.picker.take().and_then(|p| forced(scenario, p)),
        Control::SelectInject(i) => {
            ins.inject = (*i).min(scenario.injects.len().saturating_sub(1));
            None
        }
        Control::NextInject => {
            ins.inject = (ins.inject + 1) % scenario.injects.len().max(1);
            None
        }
        Control::FireInject => selected_inject(ins, scenario),
        _ => None,
    }
}

fn list_len(scenario: &Scenario, kind: PickKind) -> usize {
    match kind {
        PickKind::Scene => scenario.scenes.len(),
        PickKind::Ending => scenario.endings.len(),
    }
}

/// F5 / F6: the next row of that list (scenes start after the current one, endings at
/// the first).
fn next_pick(
    current: Option<Picker>,
    kind: PickKind,
    session: &Session,
    scenario: &Scenario,
) -> Option<Picker> {
    let n = list_len(scenario, kind);
    if n == 0 {
        return None;
    }
    let index = match current {
        Some(p) if p.kind == kind => (p.index + 1) % n,
        _ => match kind {
            PickKind::Scene => (session.sim.scene_index() + 1) % n,
            PickKind::Ending => 0,
        },
    };
    Some(Picker { kind, index })
}

fn forced(scenario: &Scenario, p: Picker) -> Option<InstructorAction> {
    match p.kind {
        PickKind::Scene => scenario
            .scenes
            .get(p.index)
            .map(|s| InstructorAction::ForceScene(s.id.clone())),
        PickKind::Ending => scenario
            .endings
            .get(p.index)
            .map(|e| InstructorAction::ForceEnding(e.id.clone())),
    }
}

fn selected_inject(ins: &Instructor, scenario: &Scenario) -> Option<InstructorAction> {
    let inject = scenario.injects.get(ins.inject);
    inject.map(|i| InstructorAction::Inject(i.id.clone()))
}

/// A confirmation when the core reports an instructor action, a warning when it refuses one.
fn confirm(
    mut events: MessageReader<SimEvent>,
    mut rejected: MessageReader<ActRejected>,
    mut ins: ResMut<Instructor>,
    session: Option<Res<Session>>,
    time: Res<Time<Real>>,
) {
    let t = now(&time);
    for SimEvent(e) in events.read() {
        if let (EventKind::Instructor { action }, Some(s)) = (&e.kind, &session) {
            let text = super::confirmation(s.sim.scenario(), action);
            ins.say(text, false, t);
        }
    }
    for r in rejected.read() {
        if matches!(r.action, Action::Instructor(_)) {
            ins.say(format!("Refused: {}", r.reason), true, t);
        }
    }
}
