//! The deterministic, fixed-tick simulation of one scenario run.
//!
//! `same scenario + same seed + same inputs → same events`, bit for bit: the only
//! randomness is seeded `StreamRng`s (one for line wording, one for the story's
//! alternatives, branches and option order; the subject itself is drawn once by
//! [`crate::sim::draw`]), and the arithmetic is plain `f32` with no transcendental
//! functions. The host (the 3D game, a script, a replay) calls [`Sim::step`] once per tick
//! with the trainee's state and, at most, one action.
//!
//! Each file owns one kind of thing: `state` the `Sim` and its fields, `start` how a run
//! begins, `step` one tick, `saying` a line said, `aside` the answer to an aside, `actions`
//! pauses and instructor controls, `triggers`, `thresholds`, `flow` (scenes, endings, acts),
//! `choose` (the story's seeded choices), `view` what the host reads,
//! `events`/`input`/`error`/`result` the types.

mod actions;
pub mod aside;
mod choose;
pub mod draw;
mod error;
mod events;
mod flow;
mod input;
mod not_offered;
mod result;
pub mod rng;
mod saying;
pub mod script;
pub mod staging;
mod start;
mod state;
mod step;
mod thresholds;
mod triggers;
mod view;

pub use error::SimError;
pub use events::{
    Causes, Event, EventKind, Measure, Sample, Tally, Zone, clock, describe_next, describe_when,
};
pub use input::{Action, Hands, InstructorAction, TickInput, TraineeState};
pub use result::SimResult;
pub use state::Sim;
pub use view::Offer;

/// Ticks per second of simulated time.
pub const TICK_HZ: u32 = 10;
/// Seconds per tick.
pub const DT: f32 = 1.0 / TICK_HZ as f32;
/// Chart samples are taken every this many ticks (1 s).
pub const SAMPLE_EVERY: u32 = TICK_HZ;
/// The longest a run lasts, whatever its scenario's `time_limit_minutes` says (`check`
/// refuses a longer limit): it bounds a run's ticks, and so its events and samples.
pub const MAX_TIME_LIMIT_MINUTES: f32 = 120.0;

/// A measure (agitation, trust) kept within 0–100.
fn clamp100(v: f32) -> f32 {
    v.clamp(0.0, 100.0)
}
