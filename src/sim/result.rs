//! What a finished (or stopped) run hands on to scoring, the debrief and records: the
//! `SimResult`, taken from the state at any moment.

use super::DT;
use super::events::{Causes, Event, Sample, Tally};
use super::state::Sim;
use crate::format::scenario::Subject;
use crate::format::vocab::{Indicator, Outcome};
use serde::{Deserialize, Serialize};

/// Everything a finished (or stopped) run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimResult {
    pub scenario_id: String,
    pub seed: u64,
    pub ticks: u32,
    pub duration: f32,
    pub ending: Option<String>,
    pub outcome: Option<Outcome>,
    pub timed_out: bool,
    pub final_agitation: f32,
    pub final_trust: f32,
    pub events: Vec<Event>,
    pub samples: Vec<Sample>,
    pub causes: Causes,
    pub tally: Tally,
    pub recognised: Vec<Indicator>,
    /// Closest distance of a stay in [personal space, reactionary gap] still open at the end.
    pub open_closest: [Option<f32>; 2],
    /// The temperament drawn (or pinned) for this run, by id.
    pub temperament: Option<String>,
    /// The subject as met this run: the scenario's `subject` with the drawn numbers.
    pub subject: Subject,
    /// The highest agitation reached at any tick, and when (seconds).
    pub peak_agitation: f32,
    pub peak_t: f32,
}

impl Sim {
    pub fn result(&self) -> SimResult {
        let ending = self.ending.map(|i| &self.scenario.endings[i]);
        SimResult {
            scenario_id: self.scenario.id.clone(),
            seed: self.seed,
            ticks: self.tick,
            duration: self.tick as f32 * DT,
            ending: ending.map(|e| e.id.clone()),
            outcome: ending.map(|e| e.outcome),
            timed_out: self.timed_out,
            final_agitation: self.agitation,
            final_trust: self.trust,
            events: self.events.clone(),
            samples: self.samples.clone(),
            causes: self.causes,
            tally: self.tally,
            recognised: self.recognised.clone(),
            open_closest: [
                self.in_ps.then_some(self.closest[0]),
                self.in_gap.then_some(self.closest[1]),
            ],
            temperament: self.temperament().map(str::to_string),
            subject: self.met.subject.clone(),
            peak_agitation: self.peak.0,
            peak_t: self.peak.1 as f32 * DT,
        }
    }
}
