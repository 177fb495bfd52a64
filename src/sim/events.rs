//! What a run tells: the time-stamped `Event`s, the once-a-second chart `Sample`s, what
//! pushed agitation (`Causes`) and the per-tick `Tally` scoring reads; and the plain words
//! a trigger's condition, a destination or a time is told in.

use super::input::InstructorAction;
use crate::format::act::Act;
use crate::format::scenario::{Next, When};
use crate::format::variation::Voice;
use crate::format::vocab::{Indicator, Outcome, Tag, Tone};
use serde::{Deserialize, Serialize};

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
    /// and the point on the ground it went to (see [`crate::sim::staging::Acted`]).
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
