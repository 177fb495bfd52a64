//! The trainee's tone of voice measured from a recording, engine-free (no Bevy, no audio
//! device): [`wav`] reads files, [`block`] measures 20 ms blocks, [`utterance`] summarises a
//! line, [`classify`] turns it into the engine's tone with reasons against a [`calibration`],
//! [`spoken`] is what records keep, and [`words`] is the seam for a later word matcher.

pub mod block;
pub mod calibration;
pub mod classify;
pub mod spoken;
pub mod utterance;
pub mod wav;
pub mod words;

pub use calibration::Calibration;
pub use classify::{Classified, classify};
pub use spoken::{Spoken, ToneSource};
pub use utterance::{Features, analyse};
