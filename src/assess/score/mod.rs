//! Scoring: four dimensions (distance, time, tone, verbal), each 0–100, built from
//! itemised lines that are each tied to the event (or period) that caused them.
//!
//! A dimension starts at its base (90 for distance, time and tone; 50 for verbal).
//! Points earned fill the headroom up to 100 and no further; points lost always count:
//! `score = clamp(base + min(Σ gains, 100 − base) + Σ losses, 0, 100)`. So a strong run
//! still shows every mistake, and repeating a good line cannot paper over a bad one.
//! The overall score is the weighted mean of the four, plus an itemised outcome line.
//!
//! This file holds the score's types, the overall score and the outcome line; each
//! dimension is built in its own file (`distance`, `time`, `tone`, `verbal`).

use crate::format::scenario::Scenario;
use crate::format::vocab::Tag;
use crate::sim::{EventKind, SimResult, Zone};
use serde::{Deserialize, Serialize};

mod distance;
mod time;
mod tone;
mod verbal;

pub use distance::EXPOSED_TO_FIREARM;
use distance::distance_score;
use time::time_score;
use tone::tone_score;
use verbal::verbal_score;
pub use verbal::{CHANCES_FOR_FULL, FULL_LINE_WORTH, MIN_LINES};

/// The version of the scoring rules. Every session record stores the version that scored
/// it (records from before the field existed are version 1), so a run scored by older rules
/// is re-scored, not compared with today's numbers as if they meant the same.
///
/// - 1: verbal added up each line's points, so a longer contact scored higher; partner
///   talking over cost verbal points; early influence was excused at agitation 75+.
/// - 2: verbal measures the average quality of the lines (see `verbal_score`), whole-run
///   verbal penalties are weighed by the chances the trainee had, early influence is
///   excused in scenes marked threatening, and partner talking over is scored under tone.
pub const SCORING_VERSION: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dimension {
    Distance,
    Time,
    Tone,
    Verbal,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Distance,
        Dimension::Time,
        Dimension::Tone,
        Dimension::Verbal,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Distance => "distance",
            Dimension::Time => "time",
            Dimension::Tone => "tone",
            Dimension::Verbal => "verbal",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Dimension::Distance => "Distance & cover",
            Dimension::Time => "Time & pacing",
            Dimension::Tone => "Tone of voice",
            Dimension::Verbal => "Verbal choices",
        }
    }
    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.label() == s)
    }
}

/// One point gained or lost, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreItem {
    pub points: f32,
    pub reason: String,
    /// When it happened (seconds), if it is tied to a moment.
    pub t: Option<f32>,
    /// Index into the run's events of the event that caused it.
    pub event: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    pub dimension: Dimension,
    pub base: f32,
    pub base_reason: String,
    pub items: Vec<ScoreItem>,
    pub score: f32,
    pub weight: f32,
}

impl DimensionScore {
    fn new(dimension: Dimension, base: f32, base_reason: &str, weight: f32) -> Self {
        DimensionScore {
            dimension,
            base,
            base_reason: base_reason.to_string(),
            items: Vec::new(),
            score: base,
            weight,
        }
    }
    fn add(&mut self, points: f32, reason: String, t: Option<f32>, event: Option<usize>) {
        if points.abs() < 0.05 {
            return;
        }
        self.items.push(ScoreItem {
            points: round1(points),
            reason,
            t,
            event,
        });
    }
    fn finish(&mut self) {
        self.score = round1(self.raw().clamp(0.0, 100.0));
    }
    /// Total points earned (before the headroom cap).
    pub fn gains(&self) -> f32 {
        self.items.iter().map(|i| i.points.max(0.0)).sum()
    }
    /// Total points lost (negative).
    pub fn losses(&self) -> f32 {
        self.items.iter().map(|i| i.points.min(0.0)).sum()
    }
    /// Gains that count: the headroom between the base and 100 at most.
    pub fn counted_gains(&self) -> f32 {
        self.gains().min((100.0 - self.base).max(0.0))
    }
    /// `base + counted gains + losses`, before holding it within 0–100.
    pub fn raw(&self) -> f32 {
        self.base + self.counted_gains() + self.losses()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub distance: DimensionScore,
    pub time: DimensionScore,
    pub tone: DimensionScore,
    pub verbal: DimensionScore,
    /// Weighted mean of the four dimensions, before the outcome.
    pub weighted: f32,
    /// How the way the contact ended moves the overall score (itemised, tied to the ending).
    pub outcome: Option<ScoreItem>,
    /// `clamp(weighted + outcome, 0, 100)`.
    pub overall: f32,
}

impl Scores {
    pub fn dims(&self) -> [&DimensionScore; 4] {
        [&self.distance, &self.time, &self.tone, &self.verbal]
    }
    pub fn get(&self, d: Dimension) -> &DimensionScore {
        match d {
            Dimension::Distance => &self.distance,
            Dimension::Time => &self.time,
            Dimension::Tone => &self.tone,
            Dimension::Verbal => &self.verbal,
        }
    }
    /// A dimension's score by name (`distance`, `time`, `tone`, `verbal`, `overall`).
    pub fn value(&self, name: &str) -> Option<f32> {
        if name == "overall" {
            return Some(self.overall);
        }
        Dimension::parse(name).map(|d| self.get(d).score)
    }
    /// Whether a dimension has an item whose reason contains `text` (case-insensitive).
    pub fn has_item(&self, name: &str, text: &str) -> bool {
        let text = text.to_lowercase();
        Dimension::parse(name).is_some_and(|d| {
            self.get(d)
                .items
                .iter()
                .any(|i| i.reason.to_lowercase().contains(&text))
        })
    }
    /// Plain-text breakdown of one dimension (for test failures and the terminal).
    pub fn explain(&self, name: &str) -> String {
        let Some(d) = Dimension::parse(name) else {
            let mut out = format!(
                "overall {:.0} (dimensions {:.1}",
                self.overall, self.weighted
            );
            if let Some(o) = &self.outcome {
                out.push_str(&format!(", outcome {:+.0}: {}", o.points, o.reason));
            }
            out.push(')');
            return out;
        };
        let s = self.get(d);
        let mut out = format!(
            "{} {:.0}/100\n  {:>6.1}  {}\n",
            d.title(),
            s.score,
            s.base,
            s.base_reason
        );
        for i in &s.items {
            let at = i.t.map(|t| format!(" [{}]", clock(t))).unwrap_or_default();
            out.push_str(&format!("  {:>+6.1}  {}{}\n", i.points, i.reason, at));
        }
        out
    }
}

pub fn round1(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// `m:ss` for a time in seconds (kept beside the scores that print it).
pub use crate::sim::clock;

fn quote(text: &str) -> String {
    let t: String = text.chars().take(60).collect();
    if t.len() < text.len() {
        format!("“{}…”", t.trim_end())
    } else {
        format!("“{t}”")
    }
}

fn tags_list(tags: &[Tag]) -> String {
    tags.iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Score a finished (or stopped) run.
pub fn score(scenario: &Scenario, r: &SimResult) -> Scores {
    let w = &scenario.scoring.weights;
    let mut distance = distance_score(scenario, r, w.distance);
    let mut time = time_score(scenario, r, w.time);
    let mut tone = tone_score(scenario, r, w.tone);
    let mut verbal = verbal_score(scenario, r, w.verbal);
    for d in [&mut distance, &mut time, &mut tone, &mut verbal] {
        d.finish();
    }
    let wsum = distance.weight + time.weight + tone.weight + verbal.weight;
    let overall = if wsum > 0.0 {
        (distance.score * distance.weight
            + time.score * time.weight
            + tone.score * tone.weight
            + verbal.score * verbal.weight)
            / wsum
    } else {
        (distance.score + time.score + tone.score + verbal.score) / 4.0
    };
    let outcome = outcome_item(scenario, r);
    let adj = outcome.as_ref().map_or(0.0, |i| i.points);
    Scores {
        distance,
        time,
        tone,
        verbal,
        weighted: round1(overall),
        outcome,
        overall: round1((overall + adj).clamp(0.0, 100.0)),
    }
}

/// The overall score reflects how the contact ended: the four dimensions measure how
/// the trainee worked, the outcome what that work led to.
fn outcome_item(scenario: &Scenario, r: &SimResult) -> Option<ScoreItem> {
    use crate::format::vocab::Outcome::*;
    let outcome = r.outcome?;
    let name = &scenario.subject.name;
    let (points, reason) = match outcome {
        ResolvedVoluntarily | HandedToCare | ContainedAwaitingSpecialists => return None,
        TacticalWithdrawal => (
            -5.0,
            "The contact ended in a tactical withdrawal: safe, but nothing was resolved yet"
                .to_string(),
        ),
        Unresolved if r.timed_out => (-10.0, "The time ran out with nothing settled".to_string()),
        Unresolved => (-10.0, "The contact ended with nothing settled".to_string()),
        SubjectFled if let Some(w) = scenario.subject.armed() => (
            -15.0,
            if w.in_hand {
                format!(
                    "{name} left with the crisis still going on, still holding {}",
                    w.object.label()
                )
            } else {
                format!(
                    "{name} left with the crisis still going on, with {} within reach",
                    w.object.label()
                )
            },
        ),
        SubjectFled => (-10.0, format!("{name} left with the crisis still going on")),
        ForceUsed => (-15.0, "The contact ended with force being used".to_string()),
        SomeoneInjured => (-20.0, "The contact ended with someone hurt".to_string()),
    };
    let event = r
        .events
        .iter()
        .rposition(|e| matches!(e.kind, EventKind::EndingReached { .. }));
    Some(ScoreItem {
        points,
        reason,
        t: Some(r.duration),
        event,
    })
}

/// (event index, start, end, closest distance) of each stay inside `zone`; a stay
/// still open at the end runs to the end of the run.
pub fn zone_periods(r: &SimResult, zone: Zone) -> Vec<(usize, f32, f32, f32)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, f32)> = None;
    for (i, e) in r.events.iter().enumerate() {
        if let EventKind::Zone {
            zone: z,
            entered,
            closest,
            ..
        } = &e.kind
            && *z == zone
        {
            if *entered {
                open = Some((i, e.t));
            } else if let Some((idx, t0)) = open.take() {
                out.push((idx, t0, e.t, *closest));
            }
        }
    }
    if let Some((idx, t0)) = open {
        let k = (zone == Zone::ReactionaryGap) as usize;
        let closest = r.open_closest[k].unwrap_or(f32::NAN);
        out.push((idx, t0, r.duration, closest));
    }
    out
}

/// Indicators that make a person especially vulnerable to pressure and raised voices.
fn in_crisis(scenario: &Scenario) -> bool {
    use crate::format::vocab::Indicator::*;
    scenario.subject.indicators.iter().any(|i| {
        matches!(
            i,
            HearingVoices
                | Paranoia
                | SuicidalStatements
                | SelfHarm
                | Autism
                | Dementia
                | Panic
                | MedicationStopped
                | Trauma
                | IntellectualDisability
        )
    })
}
