//! How a run starts: the subject drawn for the seed (or the pinned temperament), the time
//! limit in ticks, every trigger's destination resolved once, and the first scene entered.
//! Nothing here draws from the story or wording streams but the first scene itself.

use super::draw::{self, Met, STORY_SALT};
use super::events::{Causes, Tally};
use super::rng::StreamRng;
use super::staging::Staging;
use super::state::{Params, Sim, Target};
use super::thresholds::band_of;
use super::{MAX_TIME_LIMIT_MINUTES, SAMPLE_EVERY, SimError, TICK_HZ, clamp100};
use crate::format::scenario::{Next, Scenario};
use std::collections::HashMap;
use std::sync::Arc;

impl Sim {
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Result<Sim, SimError> {
        Sim::with_temperament(scenario, seed, None)
    }

    /// A run whose temperament is pinned (by an instructor, or to replay a record) instead of
    /// drawn; every other drawn number is what the seed gives.
    pub fn with_temperament(
        scenario: Arc<Scenario>,
        seed: u64,
        temperament: Option<&str>,
    ) -> Result<Sim, SimError> {
        let met =
            draw::draw(&scenario, seed, temperament).map_err(|e| SimError::UnknownTemperament {
                id: e.id,
                known: e.known,
            })?;
        if scenario.scenes.is_empty() {
            return Err(SimError::NoScenes);
        }
        let start = scenario
            .scene_index(&scenario.start_scene)
            .ok_or_else(|| SimError::UnknownScene(scenario.start_scene.clone()))?;
        let mut sim = Sim::fresh(scenario, seed, met, start);
        let (scene_targets, global_targets) = trigger_targets(&sim.scenario);
        sim.scene_targets = scene_targets;
        sim.global_targets = global_targets;
        sim.enter_scene(start);
        Ok(sim)
    }

    /// The state before anything has happened: at the start scene, at the drawn baselines.
    fn fresh(scenario: Arc<Scenario>, seed: u64, met: Met, start: usize) -> Sim {
        let limit_ticks = limit_ticks(&scenario);
        let subject = &met.subject;
        let a = clamp100(subject.baseline_agitation);
        let tr = clamp100(subject.baseline_trust);
        let staging = Staging::new(subject);
        let spawn = &scenario.place.trainee_spawn;
        Sim {
            seed,
            rng: StreamRng::seed_from_u64(seed),
            tick: 0,
            agitation: a,
            trust: tr,
            scene: start,
            scene_entered: 0,
            last_spoke: 0,
            flags: Vec::new(),
            fired: Vec::new(),
            injected: Vec::new(),
            ending: None,
            timed_out: false,
            partner_back: false,
            recognised: Vec::new(),
            said: Vec::new(),
            events: Vec::with_capacity(256),
            samples: Vec::with_capacity(limit_ticks as usize / SAMPLE_EVERY as usize + 2),
            causes: Causes::default(),
            tally: Tally::default(),
            in_ps: false,
            in_gap: false,
            closest: [f32::INFINITY; 2],
            fast: false,
            weapon: false,
            cover: false,
            agit_band: band_of(a, 0),
            trust_band: band_of(tr, 0),
            distance: f32::NAN,
            closing: 0.0,
            last_line: None,
            limit_ticks,
            params: Params::of(subject, &scenario),
            scene_targets: Vec::new(),
            global_targets: Vec::new(),
            story: StreamRng::seed_from_u64(seed ^ STORY_SALT),
            order: Vec::new(),
            wording: Vec::new(),
            happened: vec![false; scenario.events.len()],
            peak: (a, 0),
            staging,
            acts: Vec::new(),
            trainee_at: (spawn.x, spawn.z),
            met,
            scenario,
        }
    }
}

/// The run's length in ticks. NaN (which `check` refuses) would pass through `clamp`: the
/// shortest limit then.
fn limit_ticks(scenario: &Scenario) -> u32 {
    let limit = scenario.time_limit_minutes;
    let minutes = if limit.is_nan() {
        0.1
    } else {
        limit.clamp(0.1, MAX_TIME_LIMIT_MINUTES)
    };
    (minutes * 60.0 * TICK_HZ as f32) as u32
}

/// Every trigger's destination, resolved once: per scene, and scenario-wide (`None` = an
/// unknown id, reported when the trigger fires).
fn trigger_targets(scenario: &Scenario) -> (Vec<Vec<Option<Target>>>, Vec<Option<Target>>) {
    let scenes: HashMap<&str, usize> = (scenario.scenes.iter().enumerate())
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let endings: HashMap<&str, usize> = (scenario.endings.iter().enumerate())
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let resolve = |n: &Next| match n {
        Next::Stay => Some(Target::Stay),
        Next::Scene(s) => scenes.get(s.as_str()).map(|&i| Target::Scene(i)),
        Next::Ending(e) => endings.get(e.as_str()).map(|&i| Target::Ending(i)),
        Next::OneOf(_) => Some(Target::Choose),
    };
    let per_scene = (scenario.scenes.iter())
        .map(|sc| sc.triggers.iter().map(|t| resolve(&t.goto)).collect())
        .collect();
    let global = scenario.triggers.iter().map(|t| resolve(&t.goto)).collect();
    (per_scene, global)
}
