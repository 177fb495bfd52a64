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

/// Draws every varying number of the subject, in a fixed order.
fn draw_subject(rng: &mut StreamRng, own: &SubjectVary, wide: &SubjectVary, s: &mut Subject) {
    let pairs: [(Option<&Vary>, Option<&Vary>, &mut f32); 11] = [
        (
            own.baseline_agitation.as_ref(),
            wide.baseline_agitation.as_ref(),
            &mut s.baseline_agitation,
        ),
        (
            own.baseline_trust.as_ref(),
            wide.baseline_trust.as_ref(),
            &mut s.baseline_trust,
        ),
        (
            own.personal_space.as_ref(),
            wide.personal_space.as_ref(),
            &mut s.personal_space,
        ),
        (
            own.reactionary_gap.as_ref(),
            wide.reactionary_gap.as_ref(),
            &mut s.reactionary_gap,
        ),
        (
            own.proximity.as_ref(),
            wide.proximity.as_ref(),
            &mut s.sensitivity.proximity,
        ),
        (
            own.fast_approach.as_ref(),
            wide.fast_approach.as_ref(),
            &mut s.sensitivity.fast_approach,
        ),
        (
            own.fast_approach_speed.as_ref(),
            wide.fast_approach_speed.as_ref(),
            &mut s.sensitivity.fast_approach_speed,
        ),
        (
            own.silence.as_ref(),
            wide.silence.as_ref(),
            &mut s.sensitivity.silence,
        ),
        (
            own.silence_after.as_ref(),
            wide.silence_after.as_ref(),
            &mut s.sensitivity.silence_after,
        ),
        (
            own.weapon.as_ref(),
            wide.weapon.as_ref(),
            &mut s.sensitivity.weapon,
        ),
        (
            own.settle.as_ref(),
            wide.settle.as_ref(),
            &mut s.sensitivity.settle,
        ),
    ];
    for (o, w, target) in pairs {
        apply(rng, o, w, target);
    }
    let t = &mut s.tones;
    apply_tone(rng, own.calm.as_ref(), wide.calm.as_ref(), &mut t.calm);
    apply_tone(
        rng,
        own.neutral.as_ref(),
        wide.neutral.as_ref(),
        &mut t.neutral,
    );
    apply_tone(rng, own.firm.as_ref(), wide.firm.as_ref(), &mut t.firm);
    apply_tone(
        rng,
        own.commanding.as_ref(),
        wide.commanding.as_ref(),
        &mut t.commanding,
    );
    apply_tone(
        rng,
        own.shouting.as_ref(),
        wide.shouting.as_ref(),
        &mut t.shouting,
    );
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

/// The numbers that differ noticeably (by more than 15 %, or 3 points on a 0–100 scale) from
/// the authored subject, most different first.
pub fn differences(usual: &Subject, met: &Subject) -> Vec<Difference> {
    let (u, m) = (&usual.sensitivity, &met.sensitivity);
    let rows = [
        (
            "starting agitation",
            usual.baseline_agitation,
            met.baseline_agitation,
            true,
            true,
        ),
        (
            "starting trust",
            usual.baseline_trust,
            met.baseline_trust,
            false,
            true,
        ),
        (
            "personal space (m)",
            usual.personal_space,
            met.personal_space,
            true,
            false,
        ),
        (
            "reactionary gap (m)",
            usual.reactionary_gap,
            met.reactionary_gap,
            true,
            false,
        ),
        (
            "the cost of crowding",
            u.proximity,
            m.proximity,
            true,
            false,
        ),
        (
            "the cost of a fast approach",
            u.fast_approach,
            m.fast_approach,
            true,
            false,
        ),
        (
            "the speed that counts as fast (m/s)",
            u.fast_approach_speed,
            m.fast_approach_speed,
            false,
            false,
        ),
        ("the effect of silence", u.silence, m.silence, true, false),
        (
            "how soon silence mattered (s)",
            u.silence_after,
            m.silence_after,
            false,
            false,
        ),
        (
            "the cost of a drawn weapon",
            u.weapon,
            m.weapon,
            true,
            false,
        ),
        (
            "how quickly agitation settled",
            u.settle,
            m.settle,
            false,
            false,
        ),
        (
            "the effect of a calm voice",
            usual.tones.calm.agitation,
            met.tones.calm.agitation,
            true,
            true,
        ),
        (
            "the effect of a firm voice",
            usual.tones.firm.agitation,
            met.tones.firm.agitation,
            true,
            true,
        ),
        (
            "the effect of commands",
            usual.tones.commanding.agitation,
            met.tones.commanding.agitation,
            true,
            true,
        ),
        (
            "the effect of shouting",
            usual.tones.shouting.agitation,
            met.tones.shouting.agitation,
            true,
            true,
        ),
    ];
    let mut out: Vec<(f32, Difference)> = rows
        .into_iter()
        .filter_map(|(what, usual, tonight, higher_is_harder, points)| {
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
