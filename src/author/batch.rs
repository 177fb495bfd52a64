//! Many playthroughs at once: a seeded "monkey" trainee that walks, stops, talks in random
//! tones, pauses and sometimes draws a weapon, or one of the named [`Policy`] trainees. Used
//! by `deescalate analyse` to show an instructor how a scenario behaves across thousands of
//! runs (and per temperament), and by the benchmarks.

use crate::assess::score::Scores;
use crate::explore::policy::{self, Policy};
use crate::format::scenario::Scenario;
use crate::format::vocab::{Outcome, Tone};
use crate::sim::script::{Footprint, in_cover};
use crate::sim::{Action, DT, EventKind, Hands, Sim, SimResult, TickInput, TraineeState};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One random playthrough to its end. Returns the finished simulation.
pub fn random_run(scenario: &Arc<Scenario>, seed: u64) -> Sim {
    let mut sim = Sim::new(Arc::clone(scenario), seed).expect("validated scenario");
    let mut monkey = Monkey::new(scenario, &sim, seed);
    while !sim.is_finished() && !sim.out_of_time() {
        let tick = sim.tick();
        monkey.decide(tick);
        monkey.walk();
        let action = monkey.talk(&sim, tick);
        let input = TickInput {
            trainee: monkey.st,
            action,
        };
        if sim.step(&input).is_err() {
            break;
        }
    }
    sim
}

/// The random trainee: its own seeded stream, where it stands, and its current intention.
/// Each "intention" lasts a few seconds: a stand-off distance, a speed, whether to talk.
struct Monkey {
    rng: StdRng,
    st: TraineeState,
    cover: Vec<Footprint>,
    /// Where the subject stands.
    subject: (f32, f32),
    goal_dist: f32,
    speed: f32,
    next_decision: u32,
    next_talk: u32,
}

impl Monkey {
    fn new(scenario: &Scenario, sim: &Sim, seed: u64) -> Self {
        let spawn = scenario.place.trainee_spawn;
        Monkey {
            rng: StdRng::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15),
            st: TraineeState {
                x: spawn.x,
                z: spawn.z,
                facing: spawn.facing,
                ..TraineeState::default()
            },
            cover: Footprint::of_cover_props(scenario),
            subject: (sim.subject().spawn.x, sim.subject().spawn.z),
            goal_dist: 6.0,
            speed: 1.4,
            next_decision: 0,
            next_talk: 30,
        }
    }

    /// When the last intention has run out: a new stand-off distance, speed (sometimes a
    /// rush), hands (rarely a drawn weapon) and how long this lasts.
    fn decide(&mut self, tick: u32) {
        if tick < self.next_decision {
            return;
        }
        let rng = &mut self.rng;
        self.goal_dist = rng.random_range(1.0f32..14.0);
        self.speed = if rng.random_bool(0.15) {
            rng.random_range(2.0f32..4.5)
        } else {
            rng.random_range(0.6f32..1.6)
        };
        self.st.hands = if rng.random_bool(0.08) {
            Hands::WeaponDrawn
        } else {
            Hands::Visible
        };
        self.next_decision = tick + rng.random_range(30..150);
    }

    /// One tick's walk toward (or away from) the stand-off distance.
    fn walk(&mut self) {
        let st = &mut self.st;
        let subject = self.subject;
        let (dx, dz) = (subject.0 - st.x, subject.1 - st.z);
        let d = (dx * dx + dz * dz).sqrt().max(1e-3);
        let err = d - self.goal_dist;
        let (mut vx, mut vz) = (0.0, 0.0);
        if err.abs() > 0.2 {
            let s = self.speed.min(err.abs() / DT);
            let sign = err.signum();
            vx = dx / d * s * sign;
            vz = dz / d * s * sign;
        }
        st.x += vx * DT;
        st.z += vz * DT;
        st.vx = vx;
        st.vz = vz;
        st.in_cover = in_cover(&self.cover, (st.x, st.z), subject);
    }

    /// When it is time to talk: sometimes a pause, else an offered line in a random tone
    /// (mostly calm, rarely shouted).
    fn talk(&mut self, sim: &Sim, tick: u32) -> Option<Action> {
        if tick < self.next_talk {
            return None;
        }
        let rng = &mut self.rng;
        self.next_talk = tick + rng.random_range(20..120);
        if rng.random_bool(0.1) {
            return Some(Action::Pause);
        }
        let offered = sim.offered();
        if offered.is_empty() {
            return None;
        }
        let i = offered[rng.random_range(0..offered.len())];
        let tone = Tone::from_intensity(match rng.random_range(0..10) {
            0..=4 => 0,
            5..=6 => 1,
            7 => 2,
            8 => 3,
            _ => 4,
        });
        let scenario = sim.scenario();
        let scene = &scenario.scenes[scenario.scene_index(sim.scene_id()).unwrap_or(0)];
        let option = scene.options[i].id.clone();
        Some(Action::Say { option, tone })
    }
}

/// What `analyse` reports across many runs.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub runs: usize,
    pub endings: BTreeMap<String, usize>,
    pub outcomes: BTreeMap<Outcome, usize>,
    pub scene_visits: BTreeMap<String, usize>,
    pub options_chosen: BTreeMap<(String, String), usize>,
    pub mean_duration: f32,
    pub mean_scores: [f32; 5],
    pub unfinished: usize,
    /// Per temperament drawn: how many runs met it, and which endings they reached.
    pub by_temperament: BTreeMap<String, BTreeMap<String, usize>>,
    /// Distinct runs: (ending, overall, distance, time, tone, verbal scores rounded), counted.
    pub distinct: BTreeMap<(String, [i32; 5]), usize>,
    /// Distinct routes (the scenes entered, in order) that ended in a de-escalated outcome.
    pub good_routes: BTreeMap<Vec<String>, usize>,
}

/// Who plays the runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trainee {
    /// The seeded random trainee (see [`random_run`]).
    Random,
    Policy(Policy),
}

/// One run to its end by `who`.
pub fn play(scenario: &Arc<Scenario>, seed: u64, who: Trainee) -> Sim {
    match who {
        Trainee::Random => random_run(scenario, seed),
        Trainee::Policy(p) => match policy::play(scenario, seed, None, p) {
            Ok(sim) => sim,
            // A validated scenario never refuses a policy's action; fall back so a report
            // is still made.
            Err(_) => random_run(scenario, seed),
        },
    }
}

/// Run `runs` random playthroughs on `threads` threads (seeds `seed..seed+runs`).
pub fn analyse(scenario: &Arc<Scenario>, runs: usize, seed: u64, threads: usize) -> Analysis {
    analyse_with(scenario, runs, seed, threads, Trainee::Random)
}

/// Like [`analyse`], played by `who`.
pub fn analyse_with(
    scenario: &Arc<Scenario>,
    runs: usize,
    seed: u64,
    threads: usize,
    who: Trainee,
) -> Analysis {
    let threads = threads.clamp(1, 64).min(runs.max(1));
    let parts: Vec<Analysis> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let scenario = Arc::clone(scenario);
                s.spawn(move || {
                    let mut a = Analysis::default();
                    let mut i = k;
                    while i < runs {
                        let sim = play(&scenario, seed.wrapping_add(i as u64), who);
                        a.add(&scenario, &sim);
                        i += threads;
                    }
                    a
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("analysis thread"))
            .collect()
    });
    let mut total = Analysis::default();
    for p in parts {
        total.merge(p);
    }
    if total.runs > 0 {
        total.mean_duration /= total.runs as f32;
        for v in &mut total.mean_scores {
            *v /= total.runs as f32;
        }
    }
    total
}

impl Analysis {
    fn add(&mut self, scenario: &Scenario, sim: &Sim) {
        let r = sim.result();
        let scores = crate::assess::score::score(scenario, &r);
        self.runs += 1;
        self.count_ending(&r, &scores);
        self.count_path(&r);
        self.mean_duration += r.duration;
        let s = [
            scores.distance.score,
            scores.time.score,
            scores.tone.score,
            scores.verbal.score,
            scores.overall,
        ];
        for (acc, v) in self.mean_scores.iter_mut().zip(s) {
            *acc += v;
        }
    }

    /// How the run ended: per ending, per temperament, per (ending, rounded scores) and
    /// per outcome.
    fn count_ending(&mut self, r: &SimResult, scores: &Scores) {
        let ending = r.ending.clone().unwrap_or_else(|| "(no ending)".into());
        match &r.ending {
            Some(e) => *self.endings.entry(e.clone()).or_default() += 1,
            None => self.unfinished += 1,
        }
        let temperament = r.temperament.clone().unwrap_or_else(|| "(none)".into());
        *self
            .by_temperament
            .entry(temperament)
            .or_default()
            .entry(ending.clone())
            .or_default() += 1;
        let rounded = [
            scores.overall,
            scores.distance.score,
            scores.time.score,
            scores.tone.score,
            scores.verbal.score,
        ]
        .map(|v| v.round() as i32);
        *self.distinct.entry((ending, rounded)).or_default() += 1;
        if let Some(o) = r.outcome {
            *self.outcomes.entry(o).or_default() += 1;
        }
    }

    /// The way the run went: its scenes (kept as a route when it de-escalated) and the
    /// options chosen.
    fn count_path(&mut self, r: &SimResult) {
        if r.outcome.is_some_and(|o| o.is_deescalated()) {
            let route: Vec<String> = r
                .events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::SceneEntered { scene } => Some(scene.clone()),
                    _ => None,
                })
                .collect();
            *self.good_routes.entry(route).or_default() += 1;
        }
        for e in &r.events {
            match &e.kind {
                EventKind::SceneEntered { scene } => {
                    *self.scene_visits.entry(scene.clone()).or_default() += 1
                }
                EventKind::Utterance { scene, option, .. } => {
                    *self
                        .options_chosen
                        .entry((scene.clone(), option.clone()))
                        .or_default() += 1
                }
                _ => {}
            }
        }
    }

    fn merge(&mut self, o: Analysis) {
        self.runs += o.runs;
        self.unfinished += o.unfinished;
        for (k, v) in o.endings {
            *self.endings.entry(k).or_default() += v;
        }
        for (k, v) in o.outcomes {
            *self.outcomes.entry(k).or_default() += v;
        }
        for (k, v) in o.scene_visits {
            *self.scene_visits.entry(k).or_default() += v;
        }
        for (k, v) in o.options_chosen {
            *self.options_chosen.entry(k).or_default() += v;
        }
        for (t, endings) in o.by_temperament {
            let mine = self.by_temperament.entry(t).or_default();
            for (k, v) in endings {
                *mine.entry(k).or_default() += v;
            }
        }
        for (k, v) in o.distinct {
            *self.distinct.entry(k).or_default() += v;
        }
        for (k, v) in o.good_routes {
            *self.good_routes.entry(k).or_default() += v;
        }
        self.mean_duration += o.mean_duration;
        for (a, b) in self.mean_scores.iter_mut().zip(o.mean_scores) {
            *a += b;
        }
    }
}
