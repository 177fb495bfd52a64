//! The after-action debrief built from a run: outcome, scores with their itemised
//! reasons, a timeline of what was said and how the subject reacted, the key moments,
//! a reflection on ICAT's Critical Decision-Making Model, and the learning objectives.
//! Written in the reflective language of an after-action review, not a verdict.

//!
//! The types and `build` are here; each part of the debrief is built in its own file:
//! `timeline`, `moments` (key moments), `cdm` (the decision-making model), `recognition`,
//! and `words` (numbers and words for sentences).

mod cdm;
mod moments;
mod recognition;
mod timeline;
mod words;

pub use timeline::describe_instructor;

use crate::assess::score::{Scores, score};
use crate::format::scenario::Scenario;
use crate::format::variation::Voice;
use crate::format::vocab::{Indicator, Outcome, Tone};
use crate::sim::script::InputLog;
use crate::sim::{Causes, Event, EventKind, InstructorAction, Sample, SimResult};
use crate::voice::Spoken;
use crate::voice::spoken::said;
use serde::{Deserialize, Serialize};
use words::{capital, round_for_words};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Debrief {
    pub scenario_id: String,
    pub scenario_title: String,
    pub trainee: Option<String>,
    pub seed: u64,
    pub duration: f32,
    pub outcome: Option<Outcome>,
    pub ending_id: Option<String>,
    pub ending_title: Option<String>,
    pub ending_summary: Option<String>,
    pub timed_out: bool,
    pub deescalated: bool,
    /// Recognition of what went well, when the trainee de-escalated.
    pub recognition: Option<String>,
    pub agitation: Arc3,
    pub scores: Scores,
    pub timeline: Vec<TimelineEntry>,
    pub key_moments: Vec<KeyMoment>,
    pub cdm: Vec<CdmStep>,
    pub indicators: Vec<IndicatorNote>,
    pub objectives: Vec<String>,
    pub causes: Causes,
    pub instructor: Vec<InstructorNote>,
    pub samples: Vec<Sample>,
    pub events: Vec<Event>,
    /// Ideal distance band and subject's zones, for charts.
    pub ideal_distance: (f32, f32),
    pub personal_space: f32,
    pub reactionary_gap: f32,
    pub subject_name: String,
    /// Who the trainee met, when the scenario's subject varies.
    #[serde(default)]
    pub met: Option<MetNote>,
}

/// When the run's log shows the trainee spoke into the microphone, say for each of their
/// lines how its tone was decided ("said: firm, measured from your voice") and keep the
/// measured features. A run that never used the microphone is left as it was.
pub fn note_voice(d: &mut Debrief, log: &InputLog) {
    if log.entries.iter().all(|e| e.voice.is_none()) {
        return;
    }
    for en in &mut d.timeline {
        let (Some(tone), Some(ev)) = (en.tone, d.events.get(en.event)) else {
            continue;
        };
        if !matches!(ev.kind, EventKind::Utterance { .. }) {
            continue;
        }
        let spoken = log
            .entries
            .iter()
            .find(|e| e.tick == ev.tick && e.action.is_some())
            .and_then(|e| e.voice.clone());
        let line = said(tone, spoken.as_ref());
        en.note = Some(match en.note.take() {
            Some(n) => format!("{line}. {n}"),
            None => format!("{line}."),
        });
        en.voice = spoken;
    }
}

/// The temperament drawn for the run and what it changed, in plain words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetNote {
    pub temperament: String,
    /// The author's one line ("Daniel was more volatile than usual tonight…").
    pub description: String,
    /// The numbers that came out noticeably different tonight, as sentences.
    pub changes: Vec<String>,
}

/// Start, peak and end of agitation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Arc3 {
    pub start: f32,
    pub peak: f32,
    pub peak_t: f32,
    pub end: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Speaker {
    Trainee,
    Subject,
    Partner,
    Instructor,
    Scene,
    /// Control over the radio.
    Radio,
    Bystander,
}

impl Speaker {
    /// Who a line written with `by: ...` is attributed to.
    pub fn of(by: Voice) -> Speaker {
        match by {
            Voice::Scene => Speaker::Scene,
            Voice::Bystander => Speaker::Bystander,
            Voice::Radio => Speaker::Radio,
            Voice::Partner => Speaker::Partner,
            Voice::Subject => Speaker::Subject,
        }
    }

    /// Whether the entry's text is words someone said (shown in quotes), not a narration.
    pub fn speaks(self) -> bool {
        !matches!(self, Speaker::Instructor | Speaker::Scene)
    }
}

/// Who said a line outside the trainee's control, for sentences ("Control on the radio").
pub fn voice_words(by: Voice, subject: &str) -> Option<String> {
    match by {
        Voice::Scene => None,
        Voice::Bystander => Some("a bystander".into()),
        Voice::Radio => Some("Control on the radio".into()),
        Voice::Partner => Some("your partner".into()),
        Voice::Subject => Some(subject.to_string()),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub t: f32,
    pub speaker: Speaker,
    pub text: String,
    pub tone: Option<Tone>,
    pub agitation_before: Option<f32>,
    pub agitation_after: Option<f32>,
    /// The subject's reaction or why it happened.
    pub note: Option<String>,
    pub event: usize,
    /// For the trainee's lines of a run that used the microphone: how the tone was decided
    /// (menu or measured) and the measured features ([`note_voice`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<Spoken>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyMoment {
    pub t: f32,
    pub t_end: f32,
    /// Change in agitation over the moment.
    pub delta: f32,
    pub cause: String,
    pub event: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CdmStep {
    pub step: String,
    pub observations: Vec<String>,
    pub question: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorNote {
    pub indicator: Indicator,
    pub recognised_at: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstructorNote {
    pub t: f32,
    pub action: InstructorAction,
}

/// Agitation at time `t`, interpolated from the once-a-second samples.
pub fn agitation_at(samples: &[Sample], t: f32) -> f32 {
    match samples.iter().position(|s| s.t >= t) {
        Some(0) => samples[0].agitation,
        Some(i) => {
            let (a, b) = (samples[i - 1], samples[i]);
            let f = if b.t > a.t {
                (t - a.t) / (b.t - a.t)
            } else {
                1.0
            };
            a.agitation + (b.agitation - a.agitation) * f
        }
        None => samples.last().map_or(0.0, |s| s.agitation),
    }
}

pub fn build(scenario: &Scenario, r: &SimResult, trainee: Option<&str>) -> Debrief {
    let scores = score(scenario, r);
    let ending = r.ending.as_deref().and_then(|id| scenario.ending(id));
    let outcome = ending.map(|e| e.outcome);
    let deescalated = outcome.is_some_and(|o| o.is_deescalated());
    let agitation = arc(r);
    let timeline = timeline::timeline(scenario, r);
    let key_moments = moments::key_moments(scenario, r);
    let indicators = indicator_notes(scenario, r);
    let instructor = instructor_notes(r);
    let recognition =
        deescalated.then(|| recognition::recognition(scenario, r, &scores, &agitation));
    Debrief {
        scenario_id: scenario.id.clone(),
        scenario_title: scenario.title.clone(),
        trainee: trainee.map(String::from),
        seed: r.seed,
        duration: r.duration,
        outcome,
        ending_id: ending.map(|e| e.id.clone()),
        ending_title: ending.map(|e| e.title.clone()),
        ending_summary: ending.map(|e| e.summary.clone()),
        timed_out: r.timed_out,
        deescalated,
        recognition,
        agitation,
        cdm: cdm::cdm(scenario, r, &indicators),
        scores,
        timeline,
        key_moments,
        indicators,
        objectives: scenario.objectives.clone(),
        causes: r.causes,
        instructor,
        samples: r.samples.clone(),
        events: r.events.clone(),
        ideal_distance: scenario.scoring.ideal_distance,
        personal_space: r.subject.personal_space,
        reactionary_gap: r.subject.reactionary_gap,
        subject_name: scenario.subject.name.clone(),
        met: met_note(scenario, r),
    }
}

/// Agitation at the start, its peak and the end.
fn arc(r: &SimResult) -> Arc3 {
    let start = r
        .samples
        .first()
        .map_or(r.subject.baseline_agitation, |s| s.agitation);
    // The simulation keeps the true maximum (samples are once a second and miss the end).
    Arc3 {
        start,
        peak: r.peak_agitation.max(start),
        peak_t: r.peak_t,
        end: r.final_agitation,
    }
}

/// Each of the subject's indicators, and when the trainee first recognised it.
fn indicator_notes(scenario: &Scenario, r: &SimResult) -> Vec<IndicatorNote> {
    scenario
        .subject
        .indicators
        .iter()
        .map(|ind| IndicatorNote {
            indicator: *ind,
            recognised_at: r.events.iter().find_map(|e| match e.kind {
                EventKind::IndicatorRecognised { indicator } if indicator == *ind => Some(e.t),
                _ => None,
            }),
        })
        .collect()
}

/// What the instructor did during the run, and when.
fn instructor_notes(r: &SimResult) -> Vec<InstructorNote> {
    r.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Instructor { action } => Some(InstructorNote {
                t: e.t,
                action: action.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// What the drawn temperament was and which numbers it moved, for the debrief.
fn met_note(scenario: &Scenario, r: &SimResult) -> Option<MetNote> {
    let id = r.temperament.as_ref()?;
    let t = scenario
        .variation
        .as_ref()?
        .temperaments
        .iter()
        .find(|t| &t.id == id)?;
    let changes = crate::sim::draw::differences(&scenario.subject, &r.subject)
        .into_iter()
        .take(4)
        .map(|d| {
            let more = d.tonight > d.usual;
            let harder = more == d.higher_is_harder;
            format!(
                "{}: {} tonight, {} as written ({})",
                capital(d.what),
                round_for_words(d.tonight),
                round_for_words(d.usual),
                if harder {
                    "harder for you"
                } else {
                    "easier for you"
                }
            )
        })
        .collect();
    Some(MetNote {
        temperament: t.id.clone(),
        description: t.description.clone(),
        changes,
    })
}

/// Distance at time `t`, from the samples.
pub fn distance_at(samples: &[Sample], t: f32) -> f32 {
    samples
        .iter()
        .rev()
        .find(|s| s.t <= t)
        .or(samples.first())
        .map_or(0.0, |s| s.distance)
}
