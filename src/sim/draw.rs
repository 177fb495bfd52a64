//! Drawing one run's subject from the seed: the temperament, every varying number, trigger
//! jitter and which seeded events will happen when. Same scenario + seed → same draw, and a
//! scenario without `variation`/`jitter`/`events` draws nothing at all.

use crate::format::scenario::{Scenario, Subject, ToneReaction, Trigger};
use crate::format::variation::{SubjectVary, ToneVary, Vary};
use crate::sim::TICK_HZ;
use crate::sim::rng::StreamRng;
use rand::RngExt;

/// Salt for the stream that draws the subject (kept apart from line wording).
const DRAW_SALT: u64 = 0x7e3a_9c1d_55b2_0f61;
/// Salt for the stream that picks alternatives, branches, wordings and option order.
pub const STORY_SALT: u64 = 0x2b5f_d1e7_0a93_c44d;

/// What this run's subject is like.
#[derive(Debug, Clone, PartialEq)]
pub struct Met {
    /// Index into `variation.temperaments`, if the scenario has any.
    pub temperament: Option<usize>,
    /// The subject with every drawn number applied.
    pub subject: Subject,
    /// Per scene, per trigger: how far its threshold or time moved this run.
    pub scene_shift: Vec<Vec<f32>>,
    /// The same for scenario-wide triggers.
    pub global_shift: Vec<f32>,
    /// Per seeded event: the tick it falls due, or `None` when it does not happen this run.
    pub due: Vec<Option<u32>>,
}

/// A pinned temperament that the scenario does not declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTemperament {
    pub id: String,
    pub known: Vec<String>,
}

/// Index drawn by weight (non-positive weights never win); `None` if nothing can.
pub fn pick_weighted(rng: &mut StreamRng, weights: &[f32]) -> Option<usize> {
    let total: f32 = weights.iter().filter(|w| **w > 0.0).sum();
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    let mut r = rng.random::<f32>() * total;
    let mut last = None;
    for (i, w) in weights.iter().enumerate() {
        if *w <= 0.0 {
            continue;
        }
        last = Some(i);
        if r < *w {
            return Some(i);
        }
        r -= w;
    }
    last
}

fn draw_value(rng: &mut StreamRng, v: &Vary) -> f32 {
    match v {
        Vary::Fixed(x) => *x,
        Vary::Range(a, b) => {
            let (lo, hi) = (a.min(*b), a.max(*b));
            if hi > lo {
                rng.random_range(lo..=hi)
            } else {
                lo
            }
        }
        Vary::Pick(vs) => {
            let weights: Vec<f32> = vs.iter().map(|(_, w)| *w).collect();
            pick_weighted(rng, &weights).map_or(0.0, |i| vs[i].0)
        }
    }
}

/// Applies the temperament's value if it has one, else the scenario-wide one.
fn apply(rng: &mut StreamRng, own: Option<&Vary>, wide: Option<&Vary>, target: &mut f32) {
    if let Some(v) = own.or(wide) {
        *target = draw_value(rng, v);
    }
}

fn apply_tone(
    rng: &mut StreamRng,
    own: Option<&ToneVary>,
    wide: Option<&ToneVary>,
    t: &mut ToneReaction,
) {
    apply(
        rng,
        own.and_then(|x| x.agitation.as_ref()),
        wide.and_then(|x| x.agitation.as_ref()),
        &mut t.agitation,
    );
    apply(
        rng,
        own.and_then(|x| x.trust.as_ref()),
        wide.and_then(|x| x.trust.as_ref()),
        &mut t.trust,
    );
}

/// Where a varying number is read from (a temperament's or the scenario-wide variation)
/// and where it goes in the subject.
type VaryOf = fn(&SubjectVary) -> Option<&Vary>;
type NumberOf = fn(&mut Subject) -> &mut f32;
type ToneVaryOf = fn(&SubjectVary) -> Option<&ToneVary>;
type ToneOf = fn(&mut Subject) -> &mut ToneReaction;

/// The subject's varying numbers, in the fixed order they are drawn.
const NUMBERS: [(VaryOf, NumberOf); 11] = [
    (
        |v| v.baseline_agitation.as_ref(),
        |s| &mut s.baseline_agitation,
    ),
    (|v| v.baseline_trust.as_ref(), |s| &mut s.baseline_trust),
    (|v| v.personal_space.as_ref(), |s| &mut s.personal_space),
    (|v| v.reactionary_gap.as_ref(), |s| &mut s.reactionary_gap),
    (|v| v.proximity.as_ref(), |s| &mut s.sensitivity.proximity),
    (
        |v| v.fast_approach.as_ref(),
        |s| &mut s.sensitivity.fast_approach,
    ),
    (
        |v| v.fast_approach_speed.as_ref(),
        |s| &mut s.sensitivity.fast_approach_speed,
    ),
    (|v| v.silence.as_ref(), |s| &mut s.sensitivity.silence),
    (
        |v| v.silence_after.as_ref(),
        |s| &mut s.sensitivity.silence_after,
    ),
    (|v| v.weapon.as_ref(), |s| &mut s.sensitivity.weapon),
    (|v| v.settle.as_ref(), |s| &mut s.sensitivity.settle),
];

/// The subject's reactions to each tone, drawn after the numbers, in this order.
const TONES: [(ToneVaryOf, ToneOf); 5] = [
    (|v| v.calm.as_ref(), |s| &mut s.tones.calm),
    (|v| v.neutral.as_ref(), |s| &mut s.tones.neutral),
    (|v| v.firm.as_ref(), |s| &mut s.tones.firm),
    (|v| v.commanding.as_ref(), |s| &mut s.tones.commanding),
    (|v| v.shouting.as_ref(), |s| &mut s.tones.shouting),
];

/// Draws every varying number of the subject, in a fixed order.
fn draw_subject(rng: &mut StreamRng, own: &SubjectVary, wide: &SubjectVary, s: &mut Subject) {
    for (vary, number) in NUMBERS {
        apply(rng, vary(own), vary(wide), number(s));
    }
    for (vary, tone) in TONES {
        apply_tone(rng, vary(own), vary(wide), tone(s));
    }
}

fn shifts(rng: &mut StreamRng, triggers: &[Trigger]) -> Vec<f32> {
    triggers
        .iter()
        .map(|t| {
            let j = t.jitter.abs();
            if j > 0.0 && j.is_finite() {
                rng.random_range(-j..=j)
            } else {
                0.0
            }
        })
        .collect()
}

/// Draws the run. `pin` forces a temperament by id (an instructor's choice, or a replay of a
/// record); the draw of everything else is the same as if the seed had picked it.
pub fn draw(scenario: &Scenario, seed: u64, pin: Option<&str>) -> Result<Met, UnknownTemperament> {
    let mut rng = StreamRng::seed_from_u64(seed ^ DRAW_SALT);
    let mut subject = scenario.subject.clone();
    let mut temperament = None;
    if let Some(v) = &scenario.variation {
        let weights: Vec<f32> = v.temperaments.iter().map(|t| t.weight).collect();
        let drawn = pick_weighted(&mut rng, &weights);
        temperament =
            match pin {
                Some(id) => Some(v.temperaments.iter().position(|t| t.id == id).ok_or_else(
                    || UnknownTemperament {
                        id: id.to_string(),
                        known: v.temperaments.iter().map(|t| t.id.clone()).collect(),
                    },
                )?),
                None => drawn,
            };
        let none = SubjectVary::default();
        let own = temperament.map_or(&none, |i| &v.temperaments[i].subject);
        draw_subject(&mut rng, own, &v.subject, &mut subject);
    } else if let Some(id) = pin {
        return Err(UnknownTemperament {
            id: id.to_string(),
            known: Vec::new(),
        });
    }
    let scene_shift = scenario
        .scenes
        .iter()
        .map(|s| shifts(&mut rng, &s.triggers))
        .collect();
    let global_shift = shifts(&mut rng, &scenario.triggers);
    let due = scenario
        .events
        .iter()
        .map(|e| {
            let roll = rng.random::<f32>();
            let (a, b) = (e.window.0.min(e.window.1), e.window.0.max(e.window.1));
            let at = if b > a { rng.random_range(a..=b) } else { a };
            (roll < e.chance).then(|| (at.max(0.0) * TICK_HZ as f32).round() as u32)
        })
        .collect();
    Ok(Met {
        temperament,
        subject,
        scene_shift,
        global_shift,
        due,
    })
}

/// One number that came out different from what the scenario's `subject:` says.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Plain words for the debrief: "fast approaches".
    pub what: &'static str,
    pub usual: f32,
    pub tonight: f32,
    /// True when a higher value makes this subject harder to approach or talk to.
    pub higher_is_harder: bool,
}

/// Where a number is read from in a subject.
type Read = fn(&Subject) -> f32;

/// Every number a temperament can change, for the debrief: its words, where to read it,
/// whether higher is harder, and whether it is on a 0–100 scale (compared in points).
const COMPARED: [(&str, Read, bool, bool); 15] = [
    ("starting agitation", |s| s.baseline_agitation, true, true),
    ("starting trust", |s| s.baseline_trust, false, true),
    ("personal space (m)", |s| s.personal_space, true, false),
    ("reactionary gap (m)", |s| s.reactionary_gap, true, false),
    (
        "the cost of crowding",
        |s| s.sensitivity.proximity,
        true,
        false,
    ),
    (
        "the cost of a fast approach",
        |s| s.sensitivity.fast_approach,
        true,
        false,
    ),
    (
        "the speed that counts as fast (m/s)",
        |s| s.sensitivity.fast_approach_speed,
        false,
        false,
    ),
    (
        "the effect of silence",
        |s| s.sensitivity.silence,
        true,
        false,
    ),
    (
        "how soon silence mattered (s)",
        |s| s.sensitivity.silence_after,
        false,
        false,
    ),
    (
        "the cost of a drawn weapon",
        |s| s.sensitivity.weapon,
        true,
        false,
    ),
    (
        "how quickly agitation settled",
        |s| s.sensitivity.settle,
        false,
        false,
    ),
    (
        "the effect of a calm voice",
        |s| s.tones.calm.agitation,
        true,
        true,
    ),
    (
        "the effect of a firm voice",
        |s| s.tones.firm.agitation,
        true,
        true,
    ),
    (
        "the effect of commands",
        |s| s.tones.commanding.agitation,
        true,
        true,
    ),
    (
        "the effect of shouting",
        |s| s.tones.shouting.agitation,
        true,
        true,
    ),
];

/// The numbers that differ noticeably (by more than 15 %, or 3 points on a 0–100 scale) from
/// the authored subject, most different first.
pub fn differences(usual: &Subject, met: &Subject) -> Vec<Difference> {
    let mut out: Vec<(f32, Difference)> = COMPARED
        .into_iter()
        .filter_map(|(what, read, higher_is_harder, points)| {
            let (usual, tonight) = (read(usual), read(met));
            let gap = (tonight - usual).abs();
            let rel = gap / usual.abs().max(1e-3);
            let notable = if points { gap >= 3.0 } else { rel > 0.15 };
            notable.then_some((
                if points { gap / 10.0 } else { rel },
                Difference {
                    what,
                    usual,
                    tonight,
                    higher_is_harder,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out.into_iter().map(|(_, d)| d).collect()
}
