//! deescalate: an open-source de-escalation training simulator.
//!
//! Everything outside `game` is the engine-free core, grouped by stage: `format` (the files people
//! write) → `check` → `voice` (the tone measured from a recording) → `sim` → `assess` (score, debrief) → `records` → `report` / `cohort`, with the
//! instructors' `author` tools and the `cli` on top. It knows nothing of Bevy and runs a whole
//! scenario headless in well under a millisecond.

pub mod assess;
pub mod author;
pub mod check;
pub mod cli;
pub mod cohort;
pub mod explore;
pub mod format;
pub mod records;
pub mod report;
pub mod sim;
pub mod voice;

#[cfg(feature = "game")]
pub mod game;
