//! How a scenario varies from run to run, as an author writes it: the subject's ranges and
//! named temperaments (`variation:`), seeded events (`events:`), line alternatives
//! (`variants:`), option wordings and weighted branches (`OneOf`). Drawing a run's values
//! from the seed is [`crate::sim::draw`]; using them is [`crate::sim`].

use crate::format::scenario::{Condition, Next};
use serde::{Deserialize, Serialize};

/// A number drawn once per run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Vary {
    /// Any value between the two bounds, each equally likely: `Range(2.5, 3.5)`.
    Range(f32, f32),
    /// One of a few values, by weight: `Pick([(30.0, 2.0), (55.0, 1.0)])` is 30 twice as
    /// often as 55.
    Pick(Vec<(f32, f32)>),
    /// Always this value (a temperament that pins something).
    Fixed(f32),
}

impl Vary {
    /// The smallest and largest value this can draw.
    pub fn bounds(&self) -> (f32, f32) {
        match self {
            Vary::Range(a, b) => (a.min(*b), a.max(*b)),
            Vary::Fixed(v) => (*v, *v),
            Vary::Pick(vs) => vs
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), (v, _)| {
                    (lo.min(*v), hi.max(*v))
                }),
        }
    }
}

/// The varying reaction to one tone (agitation and trust points per utterance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ToneVary {
    pub agitation: Option<Vary>,
    pub trust: Option<Vary>,
}

/// Which of the subject's numbers vary, and how. Every field is optional: what is not named
/// keeps the value written under `subject:`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SubjectVary {
    pub baseline_agitation: Option<Vary>,
    pub baseline_trust: Option<Vary>,
    pub personal_space: Option<Vary>,
    pub reactionary_gap: Option<Vary>,
    pub proximity: Option<Vary>,
    pub fast_approach: Option<Vary>,
    pub fast_approach_speed: Option<Vary>,
    pub silence: Option<Vary>,
    pub silence_after: Option<Vary>,
    pub weapon: Option<Vary>,
    pub settle: Option<Vary>,
    pub calm: Option<ToneVary>,
    pub neutral: Option<ToneVary>,
    pub firm: Option<ToneVary>,
    pub commanding: Option<ToneVary>,
    pub shouting: Option<ToneVary>,
}

/// A named kind of day the subject is having, drawn by weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Temperament {
    pub id: String,
    #[serde(default = "one")]
    pub weight: f32,
    /// One line for the debrief: what the trainee met, and what it changed.
    pub description: String,
    /// What this temperament changes (on top of the scenario-wide `variation.subject`).
    #[serde(default)]
    pub subject: SubjectVary,
}

/// The scenario's `variation:` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Variation {
    /// Ranges that apply whatever the temperament.
    pub subject: SubjectVary,
    pub temperaments: Vec<Temperament>,
    /// Shuffle the order of a scene's options once each time it is entered (default: yes),
    /// so that "the third option always works" cannot be learned.
    #[serde(default = "yes")]
    pub shuffle_options: bool,
}

fn one() -> f32 {
    1.0
}
fn yes() -> bool {
    true
}

/// Who speaks a seeded event's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Voice {
    /// A sound or something seen, narrated: "(His phone rings.)"
    #[default]
    Scene,
    Bystander,
    /// Control over the radio.
    Radio,
    Partner,
    Subject,
}

impl Voice {
    pub fn label(self) -> &'static str {
        match self {
            Voice::Scene => "scene",
            Voice::Bystander => "bystander",
            Voice::Radio => "radio",
            Voice::Partner => "partner",
            Voice::Subject => "subject",
        }
    }
}

/// Something that may happen by itself during a run (not an instructor inject): it happens
/// with probability `chance`, at a moment drawn inside `window` (seconds since the start).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeededEvent {
    pub id: String,
    /// What the trainee hears or sees.
    pub line: String,
    #[serde(default)]
    pub by: Voice,
    /// 0..1.
    pub chance: f32,
    /// Earliest and latest second it can happen.
    pub window: (f32, f32),
    /// Conditions that must hold when it is due; if they do not, it waits until they do or
    /// the window closes.
    #[serde(default)]
    pub requires: Vec<Condition>,
    #[serde(default)]
    pub agitation: f32,
    #[serde(default)]
    pub trust: f32,
    /// Flags it sets (triggers can react with `when: Flag(..)`).
    #[serde(default)]
    pub sets: Vec<String>,
    /// Flags it clears (before `sets` is applied).
    #[serde(default)]
    pub clears: Vec<String>,
    /// For the debrief: why it mattered.
    #[serde(default)]
    pub why: Option<String>,
}

/// One alternative for a scene's lines or an option's reply: used when its conditions hold
/// and no alternative with more conditions also holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineVariant {
    #[serde(default)]
    pub when: Vec<Condition>,
    #[serde(default = "one")]
    pub weight: f32,
    pub lines: Vec<String>,
}

/// One way a `OneOf` branch can go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub to: Next,
    #[serde(default = "one")]
    pub weight: f32,
    #[serde(default)]
    pub when: Vec<Condition>,
    /// Shown in the debrief when this branch is taken.
    #[serde(default)]
    pub why: Option<String>,
    /// What the subject's body does when this branch is taken (after any act of the option
    /// or trigger that led here).
    #[serde(default)]
    pub act: Option<crate::format::act::Act>,
}
