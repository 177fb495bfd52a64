//! One mouse for two windows: while the instructor's window is open, Alt pressed in the
//! trainee's window lends the cursor to the instructor (it is freed and the trainee's view
//! stops following it, so it can move onto the instructor's window); a click in the
//! trainee's window takes it back. The trainee's window losing the focus lends it too.

use super::window::Station;
use crate::game::live::player::CursorLent;
use crate::game::state::Screen;
use bevy::input::ButtonState;
use bevy::input::mouse::MouseButtonInput;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;

/// The keys that lend the mouse to the instructor's window.
pub const LEND_KEYS: [KeyCode; 2] = [KeyCode::AltLeft, KeyCode::AltRight];

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<CursorLent>()
        .add_message::<MouseButtonInput>()
        .add_systems(Update, lend.run_if(in_state(Screen::Playing)))
        .add_systems(OnExit(Screen::Playing), give_back);
}

/// Alt or a lost focus lends the cursor, a click in the trainee's window takes it back;
/// with the instructor's window closed the trainee's window always has it.
fn lend(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    mut clicks: MessageReader<MouseButtonInput>,
    station: Res<Station>,
    trainee: Query<(Entity, &Window), With<PrimaryWindow>>,
    mut lent: ResMut<CursorLent>,
    mut was_focused: Local<bool>,
) {
    let Ok((window, w)) = trainee.single() else {
        return;
    };
    let clicked = clicks
        .read()
        .any(|c| c.window == window && c.state == ButtonState::Pressed);
    let lost_focus = *was_focused && !w.focused;
    *was_focused = w.focused;
    let alt = keys.is_some_and(|k| k.any_just_pressed(LEND_KEYS));
    let want = station.is_open() && !clicked && (alt || lost_focus || lent.0);
    lent.set_if_neq(CursorLent(want));
}

fn give_back(mut lent: ResMut<CursorLent>) {
    lent.set_if_neq(CursorLent(false));
}
