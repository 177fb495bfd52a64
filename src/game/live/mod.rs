//! A run in progress: the fixed-tick session bridge to the core, the first-person player,
//! and the subject and partner (spawned from the scenario, animated by `humanoid`). Draws
//! nothing of the place itself (that is `scene`); the instructor's station is `instructor`.

pub mod partner;
pub mod player;
pub mod session;
pub mod subject;

use bevy::prelude::*;

/// The run's logic (headless tests add this): the session.
pub fn logic_plugin(app: &mut App) {
    app.add_plugins(session::plugin);
}

/// The run's presentation: player, subject, partner.
pub fn presentation_plugin(app: &mut App) {
    app.add_plugins((player::plugin, subject::plugin, partner::plugin));
}
