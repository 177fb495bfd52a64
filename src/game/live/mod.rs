//! A run in progress: the fixed-tick session bridge to the core, the first-person player,
//! the subject and partner (spawned from the scenario, animated by `humanoid`), and the
//! instructor's live controls. Draws nothing of the place itself (that is `scene`).

pub mod instructor;
pub mod partner;
pub mod player;
pub mod session;
pub mod subject;

use bevy::prelude::*;

/// The run's logic (headless tests add this): the session and instructor controls.
pub fn logic_plugin(app: &mut App) {
    app.add_plugins((session::plugin, instructor::plugin));
}

/// The run's presentation: player, subject, partner, the instructor overlay.
pub fn presentation_plugin(app: &mut App) {
    app.add_plugins((
        player::plugin,
        subject::plugin,
        partner::plugin,
        instructor::ui_plugin,
    ));
}
