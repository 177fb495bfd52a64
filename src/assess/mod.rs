//! Judging a finished run: the score (distance, time, tone, verbal) with every point tied to the
//! moment that caused it, and the after-action debrief written from it in reflective language.

pub mod debrief;
pub mod expect;
pub mod score;
