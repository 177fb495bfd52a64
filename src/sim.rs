//! The deterministic, fixed-tick simulation of one scenario run.
//!
//! `same scenario + same seed + same inputs → same events`, bit for bit: the only
//! randomness is seeded `StreamRng`s (one for line wording, one for the story's alternatives,
//! branches and option order; the subject itself is drawn once by [`crate::sim::draw`]), and the
//! arithmetic is plain `f32` with no transcendental functions. The host (the 3D game, a script, a replay) calls
//! [`Sim::step`] once per tick with the trainee's state and, at most, one action.

use crate::format::act::Act;
use crate::format::scenario::{Condition, Next, Scenario, Subject, When};
use crate::format::variation::{Branch, LineVariant, Voice};
use crate::format::vocab::{Body, Indicator, Outcome, Tag, Tone};
use crate::sim::draw::{Met, STORY_SALT, pick_weighted};
use crate::sim::rng::StreamRng;
use rand::RngExt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

pub mod aside;
pub mod draw;
mod not_offered;
pub mod rng;
pub mod script;
pub mod staging;

use staging::{Staging, TimedAct};

/// Ticks per second of simulated time.
pub const TICK_HZ: u32 = 10;
/// Seconds per tick.
pub const DT: f32 = 1.0 / TICK_HZ as f32;
/// Chart samples are taken every this many ticks (1 s).
pub const SAMPLE_EVERY: u32 = TICK_HZ;
/// The longest a run lasts, whatever its scenario's `time_limit_minutes` says (`check`
/// refuses a longer limit): it bounds a run's ticks, and so its events and samples.
pub const MAX_TIME_LIMIT_MINUTES: f32 = 120.0;

/// Where the trainee's hands are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Hands {
    #[default]
    Visible,
    WeaponDrawn,
}

/// The trainee's physical state for one tick, as the host measured it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct TraineeState {
    pub x: f32,
    pub z: f32,
    /// Velocity on the ground plane, m/s.
    pub vx: f32,
    pub vz: f32,
    /// Yaw in degrees (0 = looking along -z).
    pub facing: f32,
    pub hands: Hands,
    /// True when a prop marked as cover blocks the line of sight to the subject.
    pub in_cover: bool,
}

/// Something the trainee (or the instructor) does on a tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// Say option `option` of the current scene in `tone`.
    Say {
        option: String,
        tone: Tone,
    },
    /// A deliberate, tactical pause.
    Pause,
    Instructor(InstructorAction),
}

/// Live instructor controls. Every one is recorded and shows in the debrief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InstructorAction {
    ForceScene(String),
    ForceEnding(String),
    /// Add (or with a negative number, remove) agitation points.
    Nudge(f32),
    /// Fire one of the scenario's `injects`.
    Inject(String),
    /// Mark this moment with a note.
    Flag(String),
    /// Add (or with a negative number, remove) trust points.
    NudgeTrust(f32),
    /// Mark an earlier moment with a note: the flag was raised at tick `at` (the key press)
    /// and its note saved now. Its event is an ordinary `Flag` stamped `at` (never later
    /// than now), so the debrief and replay show it where the instructor pressed the key.
    FlagAt {
        at: u32,
        note: String,
    },
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TickInput {
    pub trainee: TraineeState,
    pub action: Option<Action>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Zone {
    PersonalSpace,
    ReactionaryGap,
}

impl Zone {
    pub fn label(self) -> &'static str {
        match self {
            Zone::PersonalSpace => "personal space",
            Zone::ReactionaryGap => "reactionary gap",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    Agitation,
    Trust,
}

/// One time-stamped thing that happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub tick: u32,
    /// Seconds since the start.
    pub t: f32,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum EventKind {
    SceneEntered {
        scene: String,
    },
    SubjectLine {
        scene: String,
        text: String,
    },
    Utterance {
        scene: String,
        option: String,
        text: String,
        tone: Tone,
        tags: Vec<Tag>,
        /// Whether the tone was one of the tones that fit the line.
        tone_fits: bool,
        agitation_before: f32,
        agitation_after: f32,
        trust_before: f32,
        trust_after: f32,
        why: Option<String>,
    },
    TacticalPause {
        agitation_before: f32,
        agitation_after: f32,
    },
    PartnerTalksOver {
        line: String,
    },
    PartnerSteppedBack,
    /// Someone answered the trainee's aside (`sim::aside`): the partner, Control or another
    /// person on scene, shown as `from`.
    AsideAnswered {
        option: String,
        by: Voice,
        from: String,
        line: String,
    },
    Threshold {
        measure: Measure,
        level: f32,
        rising: bool,
    },
    Zone {
        zone: Zone,
        entered: bool,
        distance: f32,
        /// On leaving: the closest the trainee came during the stay.
        closest: f32,
    },
    FastApproach {
        speed: f32,
        distance: f32,
    },
    Weapon {
        drawn: bool,
    },
    Cover {
        taken: bool,
    },
    TriggerFired {
        /// `None` for a scenario-wide trigger.
        scene: Option<String>,
        condition: String,
        why: Option<String>,
        target: String,
        /// The trigger's line, if it has one. A line the subject says also follows as a
        /// `SubjectLine`; a line by anyone else (`by`) is only here.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<String>,
        /// Who said `line` (records from before speakers existed: the subject).
        #[serde(default = "subject_voice", skip_serializing_if = "is_subject")]
        by: Voice,
    },
    /// The subject's body did something (put the object down, sat, stepped back): the act
    /// and the point on the ground it went to (see [`staging::Acted`]).
    SubjectActed {
        act: Act,
        x: f32,
        z: f32,
    },
    /// A `OneOf` branch was taken (after the utterance or trigger that led to it).
    Branched {
        target: String,
        why: Option<String>,
    },
    IndicatorRecognised {
        indicator: Indicator,
    },
    Injected {
        id: String,
        line: String,
        /// Who said it, when the inject names a speaker (`None`: not said by anyone in
        /// particular, as before speakers existed). A line by the subject also follows as a
        /// `SubjectLine`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<Voice>,
    },
    /// A seeded event happened by itself (a phone rings, a bystander shouts).
    Happened {
        id: String,
        line: String,
        by: Voice,
        why: Option<String>,
    },
    Instructor {
        action: InstructorAction,
    },
    EndingReached {
        ending: String,
        outcome: Outcome,
        title: String,
        timed_out: bool,
    },
}

fn subject_voice() -> Voice {
    Voice::Subject
}

fn is_subject(v: &Voice) -> bool {
    *v == Voice::Subject
}

/// One option on offer: which it is and the words it is shown with this time.
#[derive(Debug, Clone, Copy)]
pub struct Offer<'a> {
    /// Index in the scene's `options`.
    pub index: usize,
    pub choice: &'a crate::format::scenario::Choice,
    pub text: &'a str,
}

/// Chart sample, once a second.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub t: f32,
    pub agitation: f32,
    pub trust: f32,
    pub distance: f32,
}

/// What pushed agitation up or down over the whole run, in points.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Causes {
    pub proximity: f32,
    pub fast_approach: f32,
    pub weapon: f32,
    pub silence: f32,
    pub settling: f32,
    pub words: f32,
    pub tone: f32,
    pub pauses: f32,
    pub partner: f32,
    pub triggers: f32,
    pub instructor: f32,
}

/// Per-tick tallies the scoring reads (counts of ticks).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub ticks: u32,
    /// Ticks since the trainee first came within the far edge of the ideal band (the
    /// approach before that is not judged as "too far").
    pub arrived: u32,
    pub in_band: u32,
    pub too_close: u32,
    /// Too far, counted only after arriving.
    pub too_far: u32,
    pub in_personal_space: u32,
    pub in_reactionary_gap: u32,
    pub in_cover: u32,
    pub weapon_drawn: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    UnknownScene(String),
    UnknownEnding(String),
    NoScenes,
    /// The option does not exist in the current scene or its conditions are not met.
    OptionNotOffered {
        option: String,
        scene: String,
        offered: Vec<String>,
        /// Why not, in the format's words: the option's conditions that fail now (with the
        /// values they test), or the scenes that have it, and a near-miss id for a typo.
        /// Empty if nothing more is known.
        why: Vec<String>,
    },
    UnknownInject(String),
    /// A pinned temperament the scenario does not declare.
    UnknownTemperament {
        id: String,
        known: Vec<String>,
    },
    Finished,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::UnknownScene(s) => write!(f, "no scene with id `{s}`"),
            SimError::UnknownEnding(s) => write!(f, "no ending with id `{s}`"),
            SimError::NoScenes => write!(f, "the scenario has no scenes"),
            SimError::OptionNotOffered {
                option,
                scene,
                offered,
                why,
            } => {
                write!(f, "option `{option}` is not offered in scene `{scene}` now")?;
                if !why.is_empty() {
                    write!(f, ": {}", why.join("; "))?;
                }
                if offered.is_empty() {
                    write!(f, " (nothing is offered)")
                } else {
                    write!(f, " (offered: {})", offered.join(", "))
                }
            }
            SimError::UnknownInject(s) => write!(f, "no inject with id `{s}`"),
            SimError::UnknownTemperament { id, known } => {
                if known.is_empty() {
                    write!(
                        f,
                        "no temperament `{id}`: this scenario's subject does not vary"
                    )
                } else {
                    write!(
                        f,
                        "no temperament `{id}` (this scenario has: {})",
                        known.join(", ")
                    )
                }
            }
            SimError::Finished => write!(f, "the scenario has already ended"),
        }
    }
}

impl std::error::Error for SimError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Stay,
    Scene(usize),
    Ending(usize),
    /// A `OneOf`: chosen when taken.
    Choose,
}

/// The subject's numbers, copied once so the per-tick path touches no shared data.
#[derive(Debug, Clone, Copy)]
struct Params {
    sx: f32,
    sz: f32,
    personal_space: f32,
    reactionary_gap: f32,
    baseline: f32,
    band: (f32, f32),
    sens: crate::format::scenario::Sensitivity,
}

/// How far a subject who flees walks off, unless the ending says otherwise (m).
const FLED_METRES: f32 = 8.0;

/// Agitation levels at which `Threshold` events are emitted.
const LEVELS: [f32; 3] = [25.0, 50.0, 75.0];
/// Hysteresis: a level counts as re-crossed downwards only this far below it.
const HYSTERESIS: f32 = 3.0;

/// The live simulation.
#[derive(Debug, Clone)]
pub struct Sim {
    scenario: Arc<Scenario>,
    seed: u64,
    rng: StreamRng,
    tick: u32,
    agitation: f32,
    trust: f32,
    scene: usize,
    scene_entered: u32,
    last_spoke: u32,
    flags: Vec<String>,
    /// Triggers already fired during the current scene visit: (global?, index).
    fired: Vec<(bool, usize)>,
    /// Injects not yet consumed by a trigger, with the tick they happened.
    injected: Vec<(String, u32)>,
    ending: Option<usize>,
    timed_out: bool,
    partner_back: bool,
    recognised: Vec<Indicator>,
    /// How often each (scene, option) has been said.
    said: Vec<((u32, u32), u32)>,
    events: Vec<Event>,
    samples: Vec<Sample>,
    causes: Causes,
    tally: Tally,
    // edge-detection state
    in_ps: bool,
    in_gap: bool,
    /// Closest distance during the current stay in [personal space, reactionary gap].
    closest: [f32; 2],
    fast: bool,
    weapon: bool,
    cover: bool,
    agit_band: usize,
    trust_band: usize,
    distance: f32,
    closing: f32,
    last_line: Option<String>,
    limit_ticks: u32,
    params: Params,
    /// Trigger targets resolved once: per scene, and scenario-wide (`None` = unknown id).
    scene_targets: Vec<Vec<Option<Target>>>,
    global_targets: Vec<Option<Target>>,
    /// The subject drawn for this run.
    met: Met,
    /// Picks alternatives, branches, wordings and the option order.
    story: StreamRng,
    /// The current scene's option indices in the order they are offered.
    order: Vec<usize>,
    /// Per option of the current scene: 0 = `text`, k = `wordings[k - 1]`.
    wording: Vec<usize>,
    /// Seeded events already happened (or whose window closed).
    happened: Vec<bool>,
    /// Highest agitation reached, and the tick it was reached.
    peak: (f32, u32),
    /// The subject's body after the acts so far, and those acts.
    staging: Staging,
    acts: Vec<TimedAct>,
    /// Where the trainee stood on the last tick (the spawn before the first).
    trainee_at: (f32, f32),
}

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

fn band_of(v: f32, prev: usize) -> usize {
    // Rising crossings at the level itself; falling ones HYSTERESIS below it.
    let mut b = prev;
    while b < LEVELS.len() && v >= LEVELS[b] {
        b += 1;
    }
    while b > 0 && v < LEVELS[b - 1] - HYSTERESIS {
        b -= 1;
    }
    b
}

fn clamp100(v: f32) -> f32 {
    v.clamp(0.0, 100.0)
}

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
        // NaN (which `check` refuses) would pass through `clamp`: the shortest limit then.
        let limit = scenario.time_limit_minutes;
        let minutes = if limit.is_nan() {
            0.1
        } else {
            limit.clamp(0.1, MAX_TIME_LIMIT_MINUTES)
        };
        let limit_ticks = (minutes * 60.0 * TICK_HZ as f32) as u32;
        let subject = &met.subject;
        let a = clamp100(subject.baseline_agitation);
        let tr = clamp100(subject.baseline_trust);
        let mut sim = Sim {
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
            params: Params {
                sx: subject.spawn.x,
                sz: subject.spawn.z,
                personal_space: subject.personal_space,
                reactionary_gap: subject.reactionary_gap,
                baseline: subject.baseline_agitation,
                band: scenario.scoring.ideal_distance,
                sens: subject.sensitivity,
            },
            scene_targets: Vec::new(),
            global_targets: Vec::new(),
            story: StreamRng::seed_from_u64(seed ^ STORY_SALT),
            order: Vec::new(),
            wording: Vec::new(),
            happened: vec![false; scenario.events.len()],
            peak: (a, 0),
            staging: Staging::new(subject),
            acts: Vec::new(),
            trainee_at: (
                scenario.place.trainee_spawn.x,
                scenario.place.trainee_spawn.z,
            ),
            met,
            scenario,
        };
        let scenes: std::collections::HashMap<&str, usize> = sim
            .scenario
            .scenes
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let endings: std::collections::HashMap<&str, usize> = sim
            .scenario
            .endings
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let resolve = |n: &Next| match n {
            Next::Stay => Some(Target::Stay),
            Next::Scene(s) => scenes.get(s.as_str()).map(|&i| Target::Scene(i)),
            Next::Ending(e) => endings.get(e.as_str()).map(|&i| Target::Ending(i)),
            Next::OneOf(_) => Some(Target::Choose),
        };
        let scene_targets = sim
            .scenario
            .scenes
            .iter()
            .map(|sc| sc.triggers.iter().map(|t| resolve(&t.goto)).collect())
            .collect();
        let global_targets = sim
            .scenario
            .triggers
            .iter()
            .map(|t| resolve(&t.goto))
            .collect();
        sim.scene_targets = scene_targets;
        sim.global_targets = global_targets;
        sim.enter_scene(start);
        Ok(sim)
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn tick(&self) -> u32 {
        self.tick
    }
    pub fn time(&self) -> f32 {
        self.tick as f32 * DT
    }
    pub fn agitation(&self) -> f32 {
        self.agitation
    }
    pub fn trust(&self) -> f32 {
        self.trust
    }
    pub fn distance(&self) -> f32 {
        self.distance
    }
    /// Closing speed in m/s measured on the last tick (positive = approaching).
    pub fn closing_speed(&self) -> f32 {
        self.closing
    }
    pub fn scene_id(&self) -> &str {
        &self.scenario.scenes[self.scene].id
    }
    pub fn is_finished(&self) -> bool {
        self.ending.is_some()
    }
    pub fn ending(&self) -> Option<&crate::format::scenario::Ending> {
        self.ending.map(|i| &self.scenario.endings[i])
    }
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }
    pub fn has_flag(&self, f: &str) -> bool {
        self.flags.iter().any(|x| x == f)
    }
    /// The subject's most recent line (for subtitles).
    pub fn last_line(&self) -> Option<&str> {
        self.last_line.as_deref()
    }
    /// Flags set so far, in the order they were set.
    pub fn flags(&self) -> &[String] {
        &self.flags
    }
    /// Index of the current scene in the scenario's `scenes`.
    pub fn scene_index(&self) -> usize {
        self.scene
    }
    /// Seconds since the current scene was entered.
    pub fn seconds_in_scene(&self) -> f32 {
        (self.tick - self.scene_entered) as f32 * DT
    }
    /// Whether a weapon is drawn (as of the last tick).
    pub fn weapon_drawn(&self) -> bool {
        self.weapon
    }
    /// Whether the trainee is in cover (as of the last tick).
    pub fn in_cover(&self) -> bool {
        self.cover
    }
    /// Whether trigger `i` (of the current scene, or scenario-wide with `global`) would fire
    /// now if nothing before it did: its `when` (with this run's jitter) and `requires` hold.
    pub fn trigger_ready(&self, global: bool, i: usize) -> bool {
        let scene = &self.scenario.scenes[self.scene];
        let (trig, shift) = if global {
            (self.scenario.triggers.get(i), self.met.global_shift.get(i))
        } else {
            (
                scene.triggers.get(i),
                self.met.scene_shift[self.scene].get(i),
            )
        };
        match (trig, shift) {
            (Some(t), Some(&shift)) => {
                self.when_holds(&t.when, self.weapon, shift) && self.conditions_hold(&t.requires)
            }
            _ => false,
        }
    }
    pub fn partner_stepped_back(&self) -> bool {
        self.partner_back
    }
    /// The subject's body after the acts so far: where they stand, what they hold.
    pub fn staging(&self) -> &Staging {
        &self.staging
    }
    /// The acts so far, with the second each happened.
    pub fn acts(&self) -> &[TimedAct] {
        &self.acts
    }

    /// Body language for the 3D layer: the scene's hint unless agitation overrides it.
    pub fn body(&self) -> Body {
        let a = self.agitation;
        if a >= 80.0 {
            return if self.staging.held.is_weapon() {
                Body::Threatening
            } else {
                Body::Agitated
            };
        }
        if let Some(b) = self.scenario.scenes[self.scene].body {
            return b;
        }
        match a {
            a if a < 20.0 => Body::Calm,
            a if a < 40.0 => Body::Guarded,
            a if a < 60.0 => Body::Pacing,
            _ => Body::Agitated,
        }
    }

    fn conditions_hold(&self, conds: &[Condition]) -> bool {
        conds.iter().all(|c| match c {
            Condition::Flag(f) => self.has_flag(f),
            Condition::NotFlag(f) => !self.has_flag(f),
            Condition::AgitationAbove(v) => self.agitation > *v,
            Condition::AgitationBelow(v) => self.agitation < *v,
            Condition::TrustAbove(v) => self.trust > *v,
            Condition::TrustBelow(v) => self.trust < *v,
            Condition::CloserThan(m) => self.distance < *m,
            Condition::FartherThan(m) => self.distance > *m,
            Condition::InCover => self.cover,
            Condition::NotInCover => !self.cover,
            Condition::InScene(id) => self.scenario.scenes[self.scene].id == *id,
            Condition::SecondsElapsed(s) => self.time() >= *s,
            Condition::SecondsInScene(s) => self.seconds_in_scene() >= *s,
            Condition::Temperament(t) => self.temperament() == Some(t.as_str()),
            Condition::Said(o) => self.has_said(o),
            Condition::NotSaid(o) => !self.has_said(o),
        })
    }

    /// Whether option `id` (in any scene) has been said this run.
    pub fn has_said(&self, id: &str) -> bool {
        let sc = &self.scenario.scenes;
        self.said
            .iter()
            .any(|&((s, o), _)| sc[s as usize].options[o as usize].id == id)
    }

    /// The temperament drawn (or pinned) for this run, by id.
    pub fn temperament(&self) -> Option<&str> {
        let v = self.scenario.variation.as_ref()?;
        self.met.temperament.map(|i| v.temperaments[i].id.as_str())
    }

    /// The subject as met this run (the scenario's subject with the drawn numbers).
    pub fn subject(&self) -> &Subject {
        &self.met.subject
    }

    /// Picks among alternatives: those whose conditions hold, then those with the most
    /// conditions, then by weight with the story's seeded stream. `None` if none holds.
    fn choose_among<'a>(
        &mut self,
        alts: impl Iterator<Item = (&'a [Condition], f32)>,
    ) -> Option<usize> {
        let held: Vec<(usize, usize, f32)> = alts
            .enumerate()
            .filter(|(_, (c, _))| self.conditions_hold(c))
            .map(|(i, (c, w))| (i, c.len(), w))
            .collect();
        let most = held.iter().map(|h| h.1).max()?;
        let best: Vec<&(usize, usize, f32)> = held.iter().filter(|h| h.1 == most).collect();
        if best.len() == 1 {
            return Some(best[0].0);
        }
        let weights: Vec<f32> = best.iter().map(|h| h.2).collect();
        pick_weighted(&mut self.story, &weights).map(|k| best[k].0)
    }

    /// The lines to say: the base `lines` (as an alternative with no conditions) or the most
    /// specific variant that holds. No story draw when there are no variants.
    fn pick_lines<'a>(&mut self, base: &'a [String], variants: &'a [LineVariant]) -> &'a [String] {
        if variants.is_empty() {
            return base;
        }
        let base_alt = (!base.is_empty()).then_some((&[][..], 1.0));
        let alts = base_alt
            .into_iter()
            .chain(variants.iter().map(|v| (v.when.as_slice(), v.weight)));
        let offset = usize::from(!base.is_empty());
        match self.choose_among(alts) {
            Some(0) if offset == 1 => base,
            Some(i) => &variants[i - offset].lines,
            None => base,
        }
    }

    /// Where a `OneOf` goes now (never back into `exclude`, the scene a trigger fires in).
    fn choose_branch<'a>(
        &mut self,
        branches: &'a [Branch],
        exclude: Option<usize>,
    ) -> Option<&'a Branch> {
        let scenario = Arc::clone(&self.scenario);
        let allowed: Vec<&'a Branch> = branches
            .iter()
            .filter(|b| !matches!((&b.to, exclude), (Next::Scene(id), Some(x)) if scenario.scenes[x].id == *id))
            .collect();
        let k = self.choose_among(allowed.iter().map(|b| (b.when.as_slice(), b.weight)))?;
        Some(allowed[k])
    }

    /// Indices of the current scene's options that are offered right now.
    pub fn offered(&self) -> Vec<usize> {
        if self.ending.is_some() {
            return Vec::new();
        }
        let scene = &self.scenario.scenes[self.scene];
        self.order
            .iter()
            .copied()
            .filter(|&i| self.conditions_hold(&scene.options[i].requires))
            .collect()
    }

    /// The words option `index` of the current scene is shown (and said) with this visit.
    pub fn option_text(&self, index: usize) -> &str {
        let opt = &self.scenario.scenes[self.scene].options[index];
        match self.wording.get(index).copied().unwrap_or(0) {
            0 => &opt.text,
            k => opt
                .wordings
                .get(k - 1)
                .map_or(opt.text.as_str(), |w| w.as_str()),
        }
    }

    /// The options offered right now, in the order a menu shows them, with their wording.
    pub fn offers(&self) -> Vec<Offer<'_>> {
        let scene = &self.scenario.scenes[self.scene];
        self.offered()
            .into_iter()
            .map(|i| Offer {
                index: i,
                choice: &scene.options[i],
                text: self.option_text(i),
            })
            .collect()
    }

    /// The options offered right now, for menus.
    pub fn offered_choices(&self) -> Vec<&crate::format::scenario::Choice> {
        let scene = &self.scenario.scenes[self.scene];
        self.offered()
            .into_iter()
            .map(|i| &scene.options[i])
            .collect()
    }

    fn push(&mut self, kind: EventKind) {
        self.events.push(Event {
            tick: self.tick,
            t: self.tick as f32 * DT,
            kind,
        });
    }

    /// A flag raised at tick `at` (at most now) and saved now: a `Flag` event stamped `at`.
    fn push_flag_at(&mut self, at: u32, note: &str) {
        let tick = at.min(self.tick);
        self.events.push(Event {
            tick,
            t: tick as f32 * DT,
            kind: EventKind::Instructor {
                action: InstructorAction::Flag(note.to_string()),
            },
        });
    }

    /// Checks that every scene and ending `next` names exists (in every branch).
    fn resolve_ids(&self, next: &Next) -> Result<(), SimError> {
        match next {
            Next::OneOf(bs) => bs.iter().try_for_each(|b| self.resolve_ids(&b.to)),
            other => self.resolve(other).map(|_| ()),
        }
    }

    fn resolve(&self, next: &Next) -> Result<Target, SimError> {
        Ok(match next {
            Next::Stay => Target::Stay,
            Next::Scene(s) => Target::Scene(
                self.scenario
                    .scene_index(s)
                    .ok_or_else(|| SimError::UnknownScene(s.clone()))?,
            ),
            Next::Ending(e) => Target::Ending(
                self.scenario
                    .ending_index(e)
                    .ok_or_else(|| SimError::UnknownEnding(e.clone()))?,
            ),
            Next::OneOf(_) => Target::Choose,
        })
    }

    /// Resolves `next`, choosing a `OneOf` branch now (and saying which in a `Branched`
    /// event). `exclude` keeps a trigger from "moving" into the scene it fires in.
    fn take(&mut self, next: &Next, exclude: Option<usize>) -> Result<Target, SimError> {
        let Next::OneOf(branches) = next else {
            return self.resolve(next);
        };
        let Some(b) = self.choose_branch(branches, exclude) else {
            return Ok(Target::Stay);
        };
        if matches!(b.to, Next::OneOf(_)) {
            return Ok(Target::Stay); // rejected by `check`
        }
        let target = self.resolve(&b.to)?;
        self.push(EventKind::Branched {
            target: describe_next(&b.to),
            why: b.why.clone(),
        });
        self.perform(b.act);
        Ok(target)
    }

    fn enter_scene(&mut self, idx: usize) {
        self.scene = idx;
        self.scene_entered = self.tick;
        self.fired.clear();
        let scenario = Arc::clone(&self.scenario);
        let scene = &scenario.scenes[idx];
        self.push(EventKind::SceneEntered {
            scene: scene.id.clone(),
        });
        self.lay_out_options(idx);
        let lines = self.pick_lines(&scene.lines, &scene.variants);
        if !lines.is_empty() {
            let i = self.rng.random_range(0..lines.len());
            let text = lines[i].clone();
            self.say_subject(text);
        }
        // The scene's own act, then what its body language implies (unless it says `Still`).
        self.perform(scene.act);
        if scene.act != Some(Act::Still) {
            let implied = self.staging.implied_by(scene.body);
            self.perform(implied);
        }
    }

    /// The subject's body does `act` (if it changes anything): resolved against where the
    /// trainee stands now, kept in the staging and told in a `SubjectActed` event.
    fn perform(&mut self, act: Option<Act>) {
        let Some(act) = act.filter(|a| self.staging.can(*a)) else {
            return;
        };
        let acted = self.staging.resolve(act, self.trainee_at, &self.scenario);
        self.staging.apply(&acted);
        self.acts.push(TimedAct {
            t: self.tick as f32 * DT,
            acted,
        });
        self.push(EventKind::SubjectActed {
            act,
            x: acted.x,
            z: acted.z,
        });
    }

    /// Fixes the order and wording of the scene's options for this visit (shuffled once,
    /// when they appear, if the scenario varies; the numbering then stays put).
    fn lay_out_options(&mut self, idx: usize) {
        let scenario = Arc::clone(&self.scenario);
        let options = &scenario.scenes[idx].options;
        self.order = (0..options.len()).collect();
        let shuffle = scenario
            .variation
            .as_ref()
            .is_some_and(|v| v.shuffle_options);
        if shuffle {
            for i in (1..self.order.len()).rev() {
                let j = self.story.random_range(0..=i);
                self.order.swap(i, j);
            }
        }
        self.wording = options
            .iter()
            .map(|o| {
                if o.wordings.is_empty() {
                    0
                } else {
                    self.story.random_range(0..=o.wordings.len())
                }
            })
            .collect();
    }

    fn say_subject(&mut self, text: String) {
        self.last_line = Some(text.clone());
        self.push(EventKind::SubjectLine {
            scene: self.scenario.scenes[self.scene].id.clone(),
            text,
        });
    }

    fn finish(&mut self, idx: usize, timed_out: bool) {
        if self.ending.is_some() {
            return;
        }
        self.ending = Some(idx);
        self.timed_out = timed_out;
        let e = &self.scenario.endings[idx];
        let (id, outcome, title, line) = (e.id.clone(), e.outcome, e.title.clone(), e.line.clone());
        let act = e
            .act
            .or((outcome == Outcome::SubjectFled).then_some(Act::WalkAway(FLED_METRES)));
        if let Some(line) = line {
            self.say_subject(line);
        }
        self.perform(act);
        self.push(EventKind::EndingReached {
            ending: id,
            outcome,
            title,
            timed_out,
        });
    }

    fn go(&mut self, target: Target) {
        match target {
            Target::Stay | Target::Choose => {}
            Target::Scene(i) => self.enter_scene(i),
            Target::Ending(i) => self.finish(i, false),
        }
    }

    /// Clears `clears`, then sets `sets` (so a flag in both ends up set).
    fn change_flags(&mut self, clears: &[String], sets: &[String]) {
        if !clears.is_empty() {
            self.flags.retain(|f| !clears.contains(f));
        }
        for f in sets {
            if !self.has_flag(f) {
                self.flags.push(f.clone());
            }
        }
    }

    /// Advance one tick. Returns the events this tick produced.
    pub fn step(&mut self, input: &TickInput) -> Result<&[Event], SimError> {
        if self.ending.is_some() {
            return Err(SimError::Finished);
        }
        // Refuse an impossible action before anything changes, so a rejected step leaves
        // the simulation exactly as it was.
        if let Some(action) = &input.action {
            self.validate(action)?;
        }
        let first_new = self.events.len();
        let p = self.params;
        let sens = &p.sens;
        let tr = &input.trainee;

        // --- where the trainee is -------------------------------------------------
        let dx = p.sx - tr.x;
        let dz = p.sz - tr.z;
        let d = (dx * dx + dz * dz).sqrt();
        let closing = if d > 1e-4 {
            (tr.vx * dx + tr.vz * dz) / d
        } else {
            0.0
        };
        self.distance = d;
        self.closing = closing;
        if tr.x.is_finite() && tr.z.is_finite() {
            self.trainee_at = (tr.x, tr.z);
        }

        let in_ps = d < p.personal_space;
        let in_gap = d < p.reactionary_gap;
        for (k, (inside, zone)) in [(in_ps, Zone::PersonalSpace), (in_gap, Zone::ReactionaryGap)]
            .into_iter()
            .enumerate()
        {
            let was = if k == 0 { self.in_ps } else { self.in_gap };
            if inside {
                self.closest[k] = if was { self.closest[k].min(d) } else { d };
            }
            if inside != was {
                if k == 0 {
                    self.in_ps = inside;
                } else {
                    self.in_gap = inside;
                }
                self.push(EventKind::Zone {
                    zone,
                    entered: inside,
                    distance: d,
                    closest: if inside { d } else { self.closest[k] },
                });
            }
        }
        let fast = closing > sens.fast_approach_speed;
        if fast && !self.fast {
            self.push(EventKind::FastApproach {
                speed: closing,
                distance: d,
            });
        }
        self.fast = fast;
        let weapon = tr.hands == Hands::WeaponDrawn;
        if weapon != self.weapon {
            self.weapon = weapon;
            self.push(EventKind::Weapon { drawn: weapon });
        }
        if tr.in_cover != self.cover {
            self.cover = tr.in_cover;
            self.push(EventKind::Cover { taken: tr.in_cover });
        }

        // --- what the trainee does -------------------------------------------------
        if let Some(action) = &input.action {
            self.act(action)?;
            self.note_peak();
            if self.ending.is_some() {
                self.check_thresholds();
                self.close_tick();
                return Ok(&self.events[first_new..]);
            }
        }

        // --- continuous dynamics -----------------------------------------------------
        let mut stressed = false;
        let mut da = 0.0f32;
        if in_ps && p.personal_space > 0.0 {
            let depth = (p.personal_space - d) / p.personal_space;
            let v = sens.proximity * depth * DT;
            da += v;
            self.causes.proximity += v;
            self.trust = clamp100(self.trust - 0.25 * v);
            stressed = true;
        }
        if fast {
            let v = sens.fast_approach * (closing - sens.fast_approach_speed) * DT;
            da += v;
            self.causes.fast_approach += v;
            stressed = true;
        }
        if weapon {
            let v = sens.weapon * DT;
            da += v;
            self.causes.weapon += v;
            stressed = true;
        }
        let quiet_since = self.last_spoke.max(self.scene_entered);
        let silent_for = (self.tick - quiet_since) as f32 * DT;
        if silent_for > sens.silence_after
            && sens.silence != 0.0
            && !self.scenario.scenes[self.scene].ignore_silence
        {
            let v = sens.silence * DT;
            da += v;
            self.causes.silence += v;
            if v > 0.0 {
                stressed = true;
            }
        }
        if !stressed {
            // Left alone, agitation settles toward a resting level: the baseline, lowered
            // by up to half as trust grows — a person who trusts the officer can calm
            // below where they started. Trust also speeds the settling (up to double).
            let rest = p.baseline * (1.0 - 0.5 * self.trust / 100.0);
            let rate = sens.settle * (1.0 + self.trust / 100.0);
            let v = (rest - self.agitation) * rate * DT;
            da += v;
            self.causes.settling += v;
        }
        self.agitation = clamp100(self.agitation + da);

        // --- tallies for scoring -------------------------------------------------------
        let (lo, hi) = p.band;
        let t = &mut self.tally;
        t.ticks += 1;
        if t.arrived > 0 || d <= hi {
            t.arrived += 1;
            if d < lo {
                t.too_close += 1;
            } else if d > hi {
                t.too_far += 1;
            } else {
                t.in_band += 1;
            }
        }
        t.in_personal_space += in_ps as u32;
        t.in_reactionary_gap += in_gap as u32;
        t.in_cover += tr.in_cover as u32;
        t.weapon_drawn += weapon as u32;

        self.run_seeded_events();
        self.check_thresholds();
        self.run_triggers(weapon)?;
        self.close_tick();
        Ok(&self.events[first_new..])
    }

    /// Seeded events that fall due now and whose conditions hold (at most one per tick).
    fn run_seeded_events(&mut self) {
        let scenario = Arc::clone(&self.scenario);
        for (k, ev) in scenario.events.iter().enumerate() {
            let Some(due) = self.met.due[k] else { continue };
            if self.happened[k] || self.tick < due {
                continue;
            }
            let closes = (ev.window.0.max(ev.window.1) * TICK_HZ as f32).round() as u32;
            if self.tick > closes.max(due) {
                self.happened[k] = true;
                continue;
            }
            if !self.conditions_hold(&ev.requires) {
                continue;
            }
            self.happened[k] = true;
            self.push(EventKind::Happened {
                id: ev.id.clone(),
                line: ev.line.clone(),
                by: ev.by,
                why: ev.why.clone(),
            });
            let before = self.agitation;
            self.agitation = clamp100(self.agitation + ev.agitation);
            self.causes.triggers += self.agitation - before;
            self.trust = clamp100(self.trust + ev.trust);
            self.change_flags(&ev.clears, &ev.sets);
            return;
        }
    }

    /// Keeps the highest agitation seen (after every action and at the end of every tick).
    fn note_peak(&mut self) {
        if self.agitation > self.peak.0 {
            self.peak = (self.agitation, self.tick);
        }
    }

    fn close_tick(&mut self) {
        let now = self.tick;
        self.note_peak();
        self.injected.retain(|(_, t)| now < t + TICK_HZ);
        if self.tick.is_multiple_of(SAMPLE_EVERY) {
            self.samples.push(Sample {
                t: self.tick as f32 * DT,
                agitation: self.agitation,
                trust: self.trust,
                distance: if self.distance.is_finite() {
                    self.distance
                } else {
                    0.0
                },
            });
        }
        self.tick += 1;
        if self.ending.is_none() && self.tick >= self.limit_ticks {
            if let Some(i) = self.scenario.ending_index(&self.scenario.timeout_ending) {
                self.finish(i, true);
            } else {
                // Unvalidated scenario: end anyway so a run can never go on forever.
                self.timed_out = true;
                self.ending = None;
                self.tick = self.limit_ticks;
            }
        }
    }

    /// True once the time limit has passed, even for a scenario whose timeout ending is missing.
    pub fn out_of_time(&self) -> bool {
        self.tick >= self.limit_ticks
    }

    fn check_thresholds(&mut self) {
        // One event per level crossed, even when a single change jumps several levels.
        for (measure, value) in [
            (Measure::Agitation, self.agitation),
            (Measure::Trust, self.trust),
        ] {
            let band = match measure {
                Measure::Agitation => self.agit_band,
                Measure::Trust => self.trust_band,
            };
            let nb = band_of(value, band);
            if nb > band {
                for &level in &LEVELS[band..nb] {
                    self.push(EventKind::Threshold {
                        measure,
                        level,
                        rising: true,
                    });
                }
            } else {
                for &level in LEVELS[nb..band].iter().rev() {
                    self.push(EventKind::Threshold {
                        measure,
                        level,
                        rising: false,
                    });
                }
            }
            match measure {
                Measure::Agitation => self.agit_band = nb,
                Measure::Trust => self.trust_band = nb,
            }
        }
    }

    /// Whether a `OneOf` trigger has somewhere to go other than the scene it fires in.
    fn can_branch(&self, next: &Next) -> bool {
        let Next::OneOf(bs) = next else { return true };
        let here = &self.scenario.scenes[self.scene].id;
        bs.iter().any(|b| {
            !matches!(&b.to, Next::Scene(id) if id == here) && self.conditions_hold(&b.when)
        })
    }

    /// `shift` is this run's jitter of the trigger's threshold or time.
    fn when_holds(&self, w: &When, weapon: bool, shift: f32) -> bool {
        let scene_secs = (self.tick - self.scene_entered) as f32 * DT;
        match w {
            When::AgitationAbove(v) => self.agitation > *v + shift,
            When::AgitationBelow(v) => self.agitation < *v + shift,
            When::TrustAbove(v) => self.trust > *v + shift,
            When::TrustBelow(v) => self.trust < *v + shift,
            When::CloserThan(m) => self.distance < *m + shift,
            When::FartherThan(m) => self.distance > *m + shift,
            When::ApproachFasterThan(v) => self.closing > *v + shift,
            When::WeaponDrawn => weapon,
            When::InCover => self.cover,
            When::SecondsInScene(s) => scene_secs >= *s + shift,
            When::SilenceFor(s) => {
                let since = self.last_spoke.max(self.scene_entered);
                (self.tick - since) as f32 * DT >= *s + shift
            }
            When::SecondsElapsed(s) => self.tick as f32 * DT >= *s + shift,
            When::Injected(id) => self.injected.iter().any(|(x, _)| x == id),
            When::Flag(f) => self.has_flag(f),
        }
    }

    fn run_triggers(&mut self, weapon: bool) -> Result<(), SimError> {
        // Find the first trigger that fires, with shared borrows only (the hot path).
        let found = {
            let sc = &*self.scenario;
            let scene = &sc.scenes[self.scene];
            let mut found = None;
            'lists: for (global, list) in [(false, &scene.triggers), (true, &sc.triggers)] {
                for (i, trig) in list.iter().enumerate() {
                    let shift = if global {
                        self.met.global_shift[i]
                    } else {
                        self.met.scene_shift[self.scene][i]
                    };
                    if self.fired.contains(&(global, i))
                        || !self.when_holds(&trig.when, weapon, shift)
                        || !self.conditions_hold(&trig.requires)
                    {
                        continue;
                    }
                    let target = if global {
                        self.global_targets[i]
                    } else {
                        self.scene_targets[self.scene][i]
                    };
                    let Some(target) = target else {
                        return Err(self.resolve(&trig.goto).err().unwrap_or(SimError::NoScenes));
                    };
                    // A trigger never "moves" to the scene it is already in: a scenario-wide
                    // `CloserThan(4) → edge` does not re-enter `edge` every tick.
                    if target == Target::Scene(self.scene) {
                        continue;
                    }
                    if target == Target::Choose && !self.can_branch(&trig.goto) {
                        continue;
                    }
                    found = Some((global, i, target));
                    break 'lists;
                }
            }
            found
        };
        let Some((global, i, target)) = found else {
            return Ok(());
        };
        let scenario = Arc::clone(&self.scenario);
        let scene = &scenario.scenes[self.scene];
        let trig = if global {
            &scenario.triggers[i]
        } else {
            &scene.triggers[i]
        };
        self.fired.push((global, i));
        if let When::Injected(id) = &trig.when {
            self.injected.retain(|(x, _)| x != id);
        }
        self.push(EventKind::TriggerFired {
            scene: (!global).then(|| scene.id.clone()),
            condition: describe_when(&trig.when),
            why: trig.why.clone(),
            target: describe_next(&trig.goto),
            line: trig.line.clone(),
            by: trig.by,
        });
        if trig.agitation != 0.0 || trig.trust != 0.0 {
            self.agitation = clamp100(self.agitation + trig.agitation);
            self.causes.triggers += trig.agitation;
            self.trust = clamp100(self.trust + trig.trust);
        }
        self.change_flags(&trig.clears, &trig.sets);
        if let Some(line) = &trig.line
            && trig.by == Voice::Subject
        {
            self.say_subject(line.clone());
        }
        self.perform(trig.act);
        let target = match target {
            Target::Choose => self.take(&trig.goto, Some(self.scene))?,
            t => t,
        };
        self.go(target);
        // One trigger per tick keeps the story readable and the order well defined.
        Ok(())
    }

    /// Whether `action` can be taken now (same checks as taking it, without effects).
    pub fn validate(&self, action: &Action) -> Result<(), SimError> {
        match action {
            Action::Say { option, .. } => {
                let scene = &self.scenario.scenes[self.scene];
                let offered = self.offered();
                if offered.iter().any(|&i| scene.options[i].id == *option) {
                    Ok(())
                } else {
                    Err(self.not_offered(option))
                }
            }
            Action::Pause => Ok(()),
            Action::Instructor(InstructorAction::ForceScene(s)) => {
                self.resolve(&Next::Scene(s.clone())).map(|_| ())
            }
            Action::Instructor(InstructorAction::ForceEnding(e)) => {
                self.resolve(&Next::Ending(e.clone())).map(|_| ())
            }
            Action::Instructor(InstructorAction::Inject(id)) => {
                if self.scenario.injects.iter().any(|i| &i.id == id) {
                    Ok(())
                } else {
                    Err(SimError::UnknownInject(id.clone()))
                }
            }
            Action::Instructor(
                InstructorAction::Nudge(_)
                | InstructorAction::NudgeTrust(_)
                | InstructorAction::Flag(_)
                | InstructorAction::FlagAt { .. },
            ) => Ok(()),
        }
    }

    fn act(&mut self, action: &Action) -> Result<(), SimError> {
        match action {
            Action::Say { option, tone } => self.say(option, *tone),
            Action::Pause => {
                let before = self.agitation;
                let calm = self.met.subject.tones.calm.agitation;
                // A deliberate pause works like half a calm word without the words,
                // and only when the trainee is not crowding the subject.
                let v = if self.in_ps { 0.0 } else { 0.5 * calm.min(0.0) };
                self.agitation = clamp100(self.agitation + v);
                self.causes.pauses += self.agitation - before;
                self.last_spoke = self.tick;
                self.push(EventKind::TacticalPause {
                    agitation_before: before,
                    agitation_after: self.agitation,
                });
                Ok(())
            }
            Action::Instructor(ia) => self.instruct(ia),
        }
    }

    fn instruct(&mut self, ia: &InstructorAction) -> Result<(), SimError> {
        // Validate before recording so a bad action changes nothing.
        let target = match ia {
            InstructorAction::ForceScene(s) => Some(self.resolve(&Next::Scene(s.clone()))?),
            InstructorAction::ForceEnding(e) => Some(self.resolve(&Next::Ending(e.clone()))?),
            InstructorAction::Inject(id) => {
                if !self.scenario.injects.iter().any(|i| &i.id == id) {
                    return Err(SimError::UnknownInject(id.clone()));
                }
                None
            }
            InstructorAction::FlagAt { at, note } => {
                self.push_flag_at(*at, note);
                return Ok(());
            }
            _ => None,
        };
        self.push(EventKind::Instructor { action: ia.clone() });
        match ia {
            InstructorAction::Nudge(v) => {
                let before = self.agitation;
                self.agitation = clamp100(self.agitation + v);
                self.causes.instructor += self.agitation - before;
            }
            InstructorAction::Inject(id) => {
                let scenario = Arc::clone(&self.scenario);
                let inj = scenario
                    .injects
                    .iter()
                    .find(|i| &i.id == id)
                    .expect("checked");
                self.push(EventKind::Injected {
                    id: inj.id.clone(),
                    line: inj.line.clone(),
                    by: inj.by,
                });
                if inj.by == Some(Voice::Subject) {
                    self.say_subject(inj.line.clone());
                }
                let before = self.agitation;
                self.agitation = clamp100(self.agitation + inj.agitation);
                self.causes.instructor += self.agitation - before;
                self.trust = clamp100(self.trust + inj.trust);
                self.injected.retain(|(x, _)| x != id);
                self.injected.push((id.clone(), self.tick));
            }
            InstructorAction::NudgeTrust(v) => self.trust = clamp100(self.trust + v),
            InstructorAction::Flag(_) | InstructorAction::FlagAt { .. } => {}
            InstructorAction::ForceScene(_) | InstructorAction::ForceEnding(_) => {
                if let Some(t) = target {
                    self.go(t);
                }
            }
        }
        Ok(())
    }

    /// How many times option `opt` of scene `scene` was said before, counting this time.
    fn repeats(&mut self, scene: usize, opt: usize) -> u32 {
        let key = (scene as u32, opt as u32);
        match self.said.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                self.said.push((key, 1));
                0
            }
        }
    }

    fn say(&mut self, option_id: &str, tone: Tone) -> Result<(), SimError> {
        let scenario = Arc::clone(&self.scenario);
        let scene = &scenario.scenes[self.scene];
        let offered = self.offered();
        let Some(idx) = offered
            .iter()
            .copied()
            .find(|&i| scene.options[i].id == option_id)
        else {
            return Err(self.not_offered(option_id));
        };
        let opt = &scene.options[idx];
        let tones = self.met.subject.tones.clone();
        let (a0, t0) = (self.agitation, self.trust);

        let branch = opt.tone_branches.iter().find(|b| b.tones.contains(&tone));
        let fitting = opt.fitting_tones();
        let fits = opt.aside || fitting.contains(&tone);
        let (mut tone_da, mut tone_dt) = (0.0, 0.0);
        if !opt.aside {
            // Tone: the subject's own reaction to it, stronger when already agitated…
            let r = tones.get(tone);
            tone_da = if r.agitation > 0.0 {
                r.agitation * (0.5 + a0 / 100.0)
            } else {
                r.agitation
            };
            tone_dt = r.trust;
            // …plus a penalty for a tone that does not fit the line.
            if !fits {
                let gap = fitting
                    .iter()
                    .map(|t| (t.intensity() as i32 - tone.intensity() as i32).unsigned_abs())
                    .min()
                    .unwrap_or(0) as f32;
                tone_da += 2.0 * gap;
                tone_dt -= gap;
            }
        }
        if let Some(b) = branch {
            tone_da += b.agitation;
            tone_dt += b.trust;
        }
        // Saying the same thing again helps less each time (half, a quarter, …);
        // escalating words keep their full force.
        let said_before = self.repeats(self.scene, idx);
        let fade = 0.5f32.powi(said_before as i32);
        // Words: calming words land better with trust.
        let mut words_da = if opt.agitation < 0.0 {
            opt.agitation * (0.75 + t0 / 200.0) * fade
        } else {
            opt.agitation
        };
        let words_dt = if opt.trust > 0.0 {
            opt.trust * fade
        } else {
            opt.trust
        };
        if tone_da < 0.0 {
            tone_da *= fade;
        }
        if !words_da.is_finite() {
            words_da = 0.0;
        }
        self.agitation = clamp100(a0 + tone_da + words_da);
        self.causes.tone += tone_da;
        self.causes.words += words_da;
        self.trust = clamp100(t0 + tone_dt + words_dt);
        self.last_spoke = self.tick;
        self.change_flags(&opt.clears, &opt.sets);
        self.change_flags(&[], branch.map_or(&[][..], |b| &b.sets));

        // Which way the story goes: a tone branch wins over the plain next.
        let next = branch.map(|b| &b.next).unwrap_or(&opt.next);
        let why = branch
            .and_then(|b| b.why.clone())
            .or_else(|| opt.why.clone());
        self.resolve_ids(next)?;
        let text = self.option_text(idx).to_string();

        let a_after_words = self.agitation;
        self.push(EventKind::Utterance {
            scene: scene.id.clone(),
            option: opt.id.clone(),
            text,
            tone,
            tags: opt.tags.clone(),
            tone_fits: fits,
            agitation_before: a0,
            agitation_after: a_after_words,
            trust_before: t0,
            trust_after: self.trust,
            why,
        });
        for ind in &opt.recognises {
            if !self.recognised.contains(ind) {
                self.recognised.push(*ind);
                self.push(EventKind::IndicatorRecognised { indicator: *ind });
            }
        }
        if opt.tags.contains(&Tag::AskPartnerStepBack) && !self.partner_back {
            self.partner_back = true;
            self.push(EventKind::PartnerSteppedBack);
        }
        self.answer_aside(opt);
        // ICAT "one voice": a partner who talks over the trainee escalates.
        if let Some(p) = &scenario.partner
            && p.talks_over
            && !self.partner_back
            && a_after_words > p.talks_over_above
        {
            let line = if p.lines.is_empty() {
                "Do what the officer says!".to_string()
            } else {
                p.lines[self.rng.random_range(0..p.lines.len())].clone()
            };
            self.push(EventKind::PartnerTalksOver { line });
            let before = self.agitation;
            self.agitation = clamp100(self.agitation + p.talk_over_agitation);
            self.causes.partner += self.agitation - before;
        }
        let reply = self.pick_lines(&opt.reply, &opt.reply_variants);
        if !reply.is_empty() && self.ending.is_none() {
            let i = self.rng.random_range(0..reply.len());
            self.say_subject(reply[i].clone());
        }
        if self.ending.is_none() {
            self.perform(branch.map_or(opt.act, |b| b.act.or(opt.act)));
        }
        let target = self.take(next, None)?;
        self.go(target);
        Ok(())
    }

    /// Run to the end (ending or time limit) with the trainee standing still.
    pub fn run_idle(&mut self, trainee: TraineeState) {
        let input = TickInput {
            trainee: TraineeState {
                vx: 0.0,
                vz: 0.0,
                ..trainee
            },
            action: None,
        };
        while !self.is_finished() && !self.out_of_time() {
            if self.step(&input).is_err() {
                break;
            }
        }
    }

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

pub fn describe_when(w: &When) -> String {
    match w {
        When::AgitationAbove(v) => format!("agitation rose above {v}"),
        When::AgitationBelow(v) => format!("agitation fell below {v}"),
        When::TrustAbove(v) => format!("trust rose above {v}"),
        When::TrustBelow(v) => format!("trust fell below {v}"),
        When::CloserThan(m) => format!("officer came closer than {m} m"),
        When::FartherThan(m) => format!("officer moved farther than {m} m away"),
        When::ApproachFasterThan(v) => format!("officer approached faster than {v} m/s"),
        When::WeaponDrawn => "a weapon was drawn".to_string(),
        When::InCover => "officer moved behind cover".to_string(),
        When::SecondsElapsed(s) => format!("{s} s passed since the start"),
        When::SecondsInScene(s) => format!("{s} s passed in this part of the scene"),
        When::SilenceFor(s) => format!("{s} s passed without the officer speaking"),
        When::Injected(id) => format!("the instructor injected `{id}`"),
        When::Flag(f) => format!("`{f}` became true"),
    }
}

pub fn describe_next(n: &Next) -> String {
    match n {
        Next::Stay => "stay".to_string(),
        Next::Scene(s) => format!("scene {s}"),
        Next::Ending(e) => format!("ending {e}"),
        Next::OneOf(bs) => {
            let ways: Vec<String> = bs.iter().map(|b| describe_next(&b.to)).collect();
            format!("one of: {}", ways.join(" / "))
        }
    }
}

/// `m:ss` for a time in seconds.
pub fn clock(t: f32) -> String {
    let s = t.max(0.0).round() as u32;
    format!("{}:{:02}", s / 60, s % 60)
}
