//! Every screen of the trainer, one module each: scenario select, briefing, playing (HUD,
//! talk panel, subtitles, pause menu), debrief, the settings panel and error overlay that
//! can open over any of them, and the render test's screenshot tour of them all (`tour`).
//! Large, high-contrast type laid out for 1280x720 and scaled with the window and the
//! text-size setting (see `theme`).

pub mod briefing;
pub mod debrief;
pub mod overlay;
pub mod playing;
pub mod select;
pub mod settings;
pub mod tour;

use bevy::prelude::*;

pub fn plugin(app: &mut App) {
    app.add_plugins((
        settings::plugin,
        overlay::plugin,
        select::plugin,
        briefing::plugin,
        playing::plugin,
        debrief::plugin,
        tour::plugin,
    ));
}
