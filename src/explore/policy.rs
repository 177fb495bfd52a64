//! Named trainee policies: a consistent way of working (where to stand, how fast to move, which
//! lines to pick by their tags, in which tone), played headless against a scenario. `analyse
//! --policy` and the variation tests use them to see how one behaviour fares across seeds.

use crate::format::scenario::Scenario;
use crate::format::vocab::{Tag, Tone};
use crate::sim::script::{Footprint, in_cover};
use crate::sim::{Action, DT, Offer, Sim, SimError, TICK_HZ, TickInput, TraineeState};
use std::sync::Arc;

/// A trainee behaviour, held for the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Policy {
    /// The textbook: slow approach to the ideal band (outside the reactionary gap when he is
    /// armed), the best lines by their tags, in a calm voice, a tactical pause when he spikes.
    Patient,
    /// Runs in to two metres and gives commands, raising the voice.
    Rushed,
    /// Freezes where they start and says nothing.
    Silent,
    /// Walks in to arm's length, then picks good lines in a calm voice.
    TooClose,
    /// The patient trainee's words, shouted.
    GoodWordsShouted,
    /// A calm voice, but dismissive, arguing, minimising lines.
    Dismissive,
}

impl Policy {
    pub const ALL: [Policy; 6] = [
        Policy::Patient,
        Policy::Rushed,
        Policy::Silent,
        Policy::TooClose,
        Policy::GoodWordsShouted,
        Policy::Dismissive,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Policy::Patient => "patient",
            Policy::Rushed => "rushed",
            Policy::Silent => "silent",
            Policy::TooClose => "too-close",
            Policy::GoodWordsShouted => "shouted",
            Policy::Dismissive => "dismissive",
        }
    }

    pub fn parse(s: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.name() == s)
    }

    /// One line on how this trainee moves and acts (printed by `analyse`).
    pub fn describe(self) -> &'static str {
        match self {
            Policy::Patient => {
                "walks slowly (1 m/s) to the middle of the ideal band, staying outside the reactionary gap; every 7 s says the offered line whose tags are worth most (listening before influence, nothing said twice), calmly; pauses when agitation passes 70"
            }
            Policy::Rushed => {
                "runs (4 m/s) to 2 m; every 3 s says the offered line most like a command or request, in a commanding voice, shouting once agitation passes 50"
            }
            Policy::Silent => "stands where they start and says nothing",
            Policy::TooClose => {
                "walks (1.4 m/s) to 1.2 m, inside personal space, and stays there; picks the patient trainee's lines, calmly"
            }
            Policy::GoodWordsShouted => {
                "moves like the patient trainee and picks the same lines, but shouts every one"
            }
            Policy::Dismissive => {
                "moves like the patient trainee; every 6 s says the offered line worth least (dismissing, arguing, minimising), in a calm voice"
            }
        }
    }

    /// How far from the subject this trainee stops.
    pub(crate) fn stand_off(self, scenario: &Scenario, sim: &Sim) -> f32 {
        let (lo, hi) = scenario.scoring.ideal_distance;
        let subject = sim.subject();
        let mid = 0.5 * (lo + hi);
        match self {
            Policy::Silent => f32::INFINITY,
            Policy::Rushed => 2.0,
            Policy::TooClose => 1.2,
            _ if subject.holding.is_weapon() => mid.max(subject.reactionary_gap + 1.0),
            _ => mid,
        }
    }

    pub(crate) fn speed(self) -> f32 {
        match self {
            Policy::Rushed => 4.0,
            Policy::TooClose => 1.4,
            _ => 1.0,
        }
    }

    pub(crate) fn gap_ticks(self) -> u32 {
        TICK_HZ
            * match self {
                Policy::Rushed => 3,
                Policy::Dismissive => 6,
                _ => 7,
            }
    }

    fn tone(self, sim: &Sim, offer: &Offer) -> Tone {
        match self {
            Policy::GoodWordsShouted => Tone::Shouting,
            Policy::Rushed if sim.agitation() > 50.0 => Tone::Shouting,
            Policy::Rushed => Tone::Commanding,
            _ => {
                let fits = offer.choice.fitting_tones();
                if fits.contains(&Tone::Calm) || fits.is_empty() {
                    Tone::Calm
                } else {
                    fits[0]
                }
            }
        }
    }

    /// How much this trainee wants to say `offer` now (higher first).
    fn want(self, sim: &Sim, offer: &Offer) -> f32 {
        let tags = &offer.choice.tags;
        let worth: f32 = tags.iter().map(|t| t.verbal_value()).sum::<f32>() + offer.choice.weight;
        let harmful = tags.iter().any(|t| t.is_harmful());
        let said = if sim.has_said(&offer.choice.id) {
            20.0
        } else {
            0.0
        };
        let has = |t: Tag| tags.contains(&t);
        match self {
            Policy::Rushed => {
                let force = [Tag::Command, Tag::Threat, Tag::Request]
                    .iter()
                    .filter(|t| has(**t))
                    .count() as f32;
                10.0 * force - said
            }
            Policy::Dismissive => -worth - said,
            _ => {
                let listen = [
                    Tag::OpenQuestion,
                    Tag::ActiveListening,
                    Tag::LabelEmotion,
                    Tag::Empathy,
                ]
                .iter()
                .any(|t| has(*t));
                let early = sim.time() < 90.0 && listen;
                worth + if early { 3.0 } else { 0.0 } - if harmful { 50.0 } else { 0.0 } - said
            }
        }
    }
}

/// Plays `policy` against `scenario` with `seed` (and, if given, a pinned temperament) to the
/// end; returns the finished simulation.
pub fn play(
    scenario: &Arc<Scenario>,
    seed: u64,
    temperament: Option<&str>,
    policy: Policy,
) -> Result<Sim, SimError> {
    let mut sim = Sim::with_temperament(Arc::clone(scenario), seed, temperament)?;
    let cover = Footprint::of_cover_props(scenario);
    let s = sim.subject().spawn;
    let subject = (s.x, s.z);
    let spawn = scenario.place.trainee_spawn;
    let mut st = TraineeState {
        x: spawn.x,
        z: spawn.z,
        facing: spawn.facing,
        ..TraineeState::default()
    };
    let stand_off = policy.stand_off(scenario, &sim);
    let mut next_talk = 2 * TICK_HZ;
    while !sim.is_finished() && !sim.out_of_time() {
        move_towards(&mut st, subject, stand_off, policy.speed());
        st.in_cover = in_cover(&cover, (st.x, st.z), subject);
        let mut action = None;
        if policy != Policy::Silent && sim.tick() >= next_talk {
            action = next_action(policy, &sim);
            next_talk = sim.tick() + policy.gap_ticks();
        }
        sim.step(&TickInput {
            trainee: st,
            action,
        })?;
    }
    Ok(sim)
}

pub(crate) fn next_action(policy: Policy, sim: &Sim) -> Option<Action> {
    if policy == Policy::Patient && sim.agitation() > 70.0 {
        return Some(Action::Pause);
    }
    let offers = sim.offers();
    let best = offers
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| {
            // Highest want; on a tie, the one shown first.
            policy
                .want(sim, a)
                .total_cmp(&policy.want(sim, b))
                .then(j.cmp(i))
        })
        .map(|(_, o)| o)?;
    Some(Action::Say {
        option: best.choice.id.clone(),
        tone: policy.tone(sim, best),
    })
}

fn move_towards(st: &mut TraineeState, subject: (f32, f32), stand_off: f32, speed: f32) {
    let (dx, dz) = (subject.0 - st.x, subject.1 - st.z);
    let d = (dx * dx + dz * dz).sqrt().max(1e-3);
    let err = d - stand_off;
    let (mut vx, mut vz) = (0.0, 0.0);
    if stand_off.is_finite() && err > 0.05 {
        let v = speed.min(err / DT);
        vx = dx / d * v;
        vz = dz / d * v;
    }
    st.x += vx * DT;
    st.z += vz * DT;
    st.vx = vx;
    st.vz = vz;
}
