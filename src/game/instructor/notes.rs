//! The flag note. F9 (or the Flag button) raises a flag at that moment — the core's tick
//! is kept, and the flag is stamped with it however long the note takes — and opens the
//! note field; if the instructor chose so the run pauses while they type. While the field
//! is open the keyboard belongs to it: the trainee's keys do nothing until Enter or Esc.

use super::controls::set_paused;
use super::{Control, DEFAULT_NOTE, Instructor, MAX_NOTE, NoteDraft};
use crate::game::state::{PlayState, Screen, Session, TraineeAct};
use crate::sim::{Action, InstructorAction};
use bevy::input::InputSystems;
use bevy::input::keyboard::KeyboardInput;
use bevy::prelude::*;

pub(super) fn plugin(app: &mut App) {
    app.add_message::<KeyboardInput>()
        .add_systems(
            PreUpdate,
            typing.after(InputSystems).run_if(in_state(Screen::Playing)),
        )
        .add_systems(
            Update,
            note_controls
                .after(super::controls::Applied)
                .run_if(in_state(Screen::Playing)),
        );
}

/// Keys typed into the open note; Enter and Esc become [`Control::SaveNote`] and
/// [`Control::CancelNote`]. The typed keys are always drained, so a note never starts
/// with keys pressed before it opened.
fn typing(
    keys: Option<ResMut<ButtonInput<KeyCode>>>,
    mut typed: MessageReader<KeyboardInput>,
    mut ins: ResMut<Instructor>,
    mut controls: MessageWriter<Control>,
) {
    let typed: Vec<KeyboardInput> = typed.read().cloned().collect();
    let Some(note) = ins.note.as_mut() else {
        return;
    };
    for ev in typed.iter().filter(|e| e.state.is_pressed()) {
        match ev.key_code {
            KeyCode::Enter | KeyCode::NumpadEnter => {
                controls.write(Control::SaveNote);
                break;
            }
            KeyCode::Escape => {
                controls.write(Control::CancelNote);
                break;
            }
            KeyCode::Backspace => {
                note.text.pop();
            }
            _ => push_text(&mut note.text, ev.text.as_deref().unwrap_or_default()),
        }
    }
    if let Some(mut k) = keys {
        swallow(&mut k);
    }
}

fn push_text(note: &mut String, text: &str) {
    for c in text.chars().filter(|c| !c.is_control()) {
        if note.chars().count() < MAX_NOTE {
            note.push(c);
        }
    }
}

/// The keyboard belonged to the note field this frame; F12 (screenshot) still works.
fn swallow(k: &mut ButtonInput<KeyCode>) {
    let shot = k.just_pressed(KeyCode::F12);
    k.reset_all();
    if shot {
        k.press(KeyCode::F12);
    }
}

/// Flag, save and cancel, from the keys or the panel's buttons.
fn note_controls(
    mut controls: MessageReader<Control>,
    mut ins: ResMut<Instructor>,
    session: Option<Res<Session>>,
    play: Option<Res<State<PlayState>>>,
    mut clock: ResMut<Time<Virtual>>,
    mut acts: MessageWriter<TraineeAct>,
    time: Res<Time<Real>>,
) {
    let Some(session) = session else { return };
    let t = time.elapsed_secs_f64();
    let menu_open = play.is_some_and(|p| *p.get() == PlayState::Paused);
    for c in controls.read() {
        match c {
            Control::Flag if session.sim.is_finished() => ins.say("The run has ended", true, t),
            Control::Flag if ins.note.is_none() => open(&mut ins, &mut clock, session.sim.tick()),
            Control::SaveNote if menu_open => {
                ins.say(
                    "The trainee's pause menu is open: save when it closes",
                    true,
                    t,
                );
            }
            Control::SaveNote => {
                if let Some(action) = close(&mut ins, &mut clock) {
                    acts.write(TraineeAct(Action::Instructor(action)));
                }
            }
            Control::CancelNote => {
                close(&mut ins, &mut clock);
            }
            _ => {}
        }
    }
}

fn open(ins: &mut Instructor, clock: &mut Time<Virtual>, tick: u32) {
    let pause = ins.pause_to_type && !ins.paused;
    ins.picker = None;
    ins.note = Some(NoteDraft {
        text: String::new(),
        tick,
        paused_it: pause,
    });
    if pause {
        set_paused(ins, clock, true);
    }
}

/// Close the note (resuming the run if it paused it); the flag to record, if any.
fn close(ins: &mut Instructor, clock: &mut Time<Virtual>) -> Option<InstructorAction> {
    let note = ins.note.take()?;
    if note.paused_it {
        set_paused(ins, clock, false);
    }
    let text = note.text.trim();
    let text = if text.is_empty() { DEFAULT_NOTE } else { text };
    Some(InstructorAction::FlagAt {
        at: note.tick,
        note: text.to_string(),
    })
}
