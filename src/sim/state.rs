//! The live simulation's state: the `Sim` itself (every field the steps read and change),
//! the subject's numbers copied once (`Params`) and where a line or trigger leads (`Target`).
//! Its fields are open to the rest of `sim`, whose files each own one kind of change.

use super::draw::Met;
use super::events::{Causes, Event, Sample, Tally};
use super::rng::StreamRng;
use super::staging::{Staging, TimedAct};
use crate::format::scenario::{Scenario, Subject};
use crate::format::vocab::Indicator;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Stay,
    Scene(usize),
    Ending(usize),
    /// A `OneOf`: chosen when taken.
    Choose,
}

/// The subject's numbers, copied once so the per-tick path touches no shared data.
#[derive(Debug, Clone, Copy)]
pub(super) struct Params {
    pub(super) sx: f32,
    pub(super) sz: f32,
    pub(super) personal_space: f32,
    pub(super) reactionary_gap: f32,
    pub(super) baseline: f32,
    pub(super) band: (f32, f32),
    pub(super) sens: crate::format::scenario::Sensitivity,
}

impl Params {
    /// The numbers of `subject` as met this run, and the scenario's ideal distance band.
    pub(super) fn of(subject: &Subject, scenario: &Scenario) -> Params {
        Params {
            sx: subject.spawn.x,
            sz: subject.spawn.z,
            personal_space: subject.personal_space,
            reactionary_gap: subject.reactionary_gap,
            baseline: subject.baseline_agitation,
            band: scenario.scoring.ideal_distance,
            sens: subject.sensitivity,
        }
    }
}

/// The live simulation.
#[derive(Debug, Clone)]
pub struct Sim {
    pub(super) scenario: Arc<Scenario>,
    pub(super) seed: u64,
    pub(super) rng: StreamRng,
    pub(super) tick: u32,
    pub(super) agitation: f32,
    pub(super) trust: f32,
    pub(super) scene: usize,
    pub(super) scene_entered: u32,
    pub(super) last_spoke: u32,
    pub(super) flags: Vec<String>,
    /// Triggers already fired during the current scene visit: (global?, index).
    pub(super) fired: Vec<(bool, usize)>,
    /// Injects not yet consumed by a trigger, with the tick they happened.
    pub(super) injected: Vec<(String, u32)>,
    pub(super) ending: Option<usize>,
    pub(super) timed_out: bool,
    pub(super) partner_back: bool,
    pub(super) recognised: Vec<Indicator>,
    /// How often each (scene, option) has been said.
    pub(super) said: Vec<((u32, u32), u32)>,
    pub(super) events: Vec<Event>,
    pub(super) samples: Vec<Sample>,
    pub(super) causes: Causes,
    pub(super) tally: Tally,
    // edge-detection state
    pub(super) in_ps: bool,
    pub(super) in_gap: bool,
    /// Closest distance during the current stay in [personal space, reactionary gap].
    pub(super) closest: [f32; 2],
    pub(super) fast: bool,
    pub(super) weapon: bool,
    pub(super) cover: bool,
    pub(super) agit_band: usize,
    pub(super) trust_band: usize,
    pub(super) distance: f32,
    pub(super) closing: f32,
    pub(super) last_line: Option<String>,
    pub(super) limit_ticks: u32,
    pub(super) params: Params,
    /// Trigger targets resolved once: per scene, and scenario-wide (`None` = unknown id).
    pub(super) scene_targets: Vec<Vec<Option<Target>>>,
    pub(super) global_targets: Vec<Option<Target>>,
    /// The subject drawn for this run.
    pub(super) met: Met,
    /// Picks alternatives, branches, wordings and the option order.
    pub(super) story: StreamRng,
    /// The current scene's option indices in the order they are offered.
    pub(super) order: Vec<usize>,
    /// Per option of the current scene: 0 = `text`, k = `wordings[k - 1]`.
    pub(super) wording: Vec<usize>,
    /// Seeded events already happened (or whose window closed).
    pub(super) happened: Vec<bool>,
    /// Highest agitation reached, and the tick it was reached.
    pub(super) peak: (f32, u32),
    /// The subject's body after the acts so far, and those acts.
    pub(super) staging: Staging,
    pub(super) acts: Vec<TimedAct>,
    /// Where the trainee stood on the last tick (the spawn before the first).
    pub(super) trainee_at: (f32, f32),
}
