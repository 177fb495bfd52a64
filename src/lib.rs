//! deescalate: an open-source de-escalation training simulator.
//!
//! Everything outside `game` is the engine-free core: scenario format, validation,
//! deterministic simulation, scoring, debrief, records. It knows nothing of Bevy and runs
//! a whole scenario headless in well under a millisecond.

pub mod analysis;
pub mod attempts;
pub mod batch;
pub mod check;
pub mod class;
pub mod cli;
pub mod debrief;
pub mod diag;
pub mod draw;
pub mod expect;
pub mod graph;
pub mod hmac;
pub mod journal;
pub mod lease;
pub mod library;
pub mod policy;
pub mod progress;
pub mod record;
pub mod replay;
pub mod report;
pub mod rng;
pub mod routes;
pub mod sanitize;
pub mod scenario;
pub mod score;
pub mod script;
pub mod sim;
pub mod spans;
pub mod variation;
pub mod verify;
pub mod vocab;

#[cfg(feature = "game")]
pub mod game;
