//! Scoring: four dimensions (distance, time, tone, verbal), each 0–100, built from
//! itemised lines that are each tied to the event (or period) that caused them.
//!
//! A dimension's score is `clamp(base + Σ items, 0, 100)`. The overall score is the
//! weighted mean of the four, with the scenario's weights.

use crate::scenario::Scenario;
use crate::sim::{DT, EventKind, SimResult, Zone};
use crate::vocab::{Indicator, StairStep, Tag, Tone};
use serde::{Deserialize, Serialize};

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
        let raw = self.base + self.items.iter().map(|i| i.points).sum::<f32>();
        self.score = round1(raw.clamp(0.0, 100.0));
    }
    /// The unclamped sum of base and items (equals `score` unless capped at 0 or 100).
    pub fn raw(&self) -> f32 {
        self.base + self.items.iter().map(|i| i.points).sum::<f32>()
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
            let mut out = format!("overall {:.0} (dimensions {:.1}", self.overall, self.weighted);
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

/// `m:ss` for a time in seconds.
pub fn clock(t: f32) -> String {
    let s = t.max(0.0).round() as u32;
    format!("{}:{:02}", s / 60, s % 60)
}

fn quote(text: &str) -> String {
    let t: String = text.chars().take(60).collect();
    if t.len() < text.len() {
        format!("“{}…”", t.trim_end())
    } else {
        format!("“{t}”")
    }
}

fn tags_list(tags: &[Tag]) -> String {
    tags.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")
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
    use crate::vocab::Outcome::*;
    let outcome = r.outcome?;
    let name = &scenario.subject.name;
    let (points, reason) = match outcome {
        ResolvedVoluntarily | HandedToCare | ContainedAwaitingSpecialists => return None,
        TacticalWithdrawal => (
            -5.0,
            "The contact ended in a tactical withdrawal: safe, but nothing was resolved yet".to_string(),
        ),
        Unresolved => (-10.0, "The time ran out with nothing settled".to_string()),
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

fn distance_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let subj = &scenario.subject;
    let (lo, hi) = scenario.scoring.ideal_distance;
    let mut d = DimensionScore::new(
        Dimension::Distance,
        100.0,
        "Starting point: every second counts from here",
        weight,
    );
    let tally = &r.tally;
    if tally.ticks == 0 {
        return d;
    }
    let secs = |ticks: u32| ticks as f32 * DT;
    let total = tally.ticks as f32;
    let armed = subj.holding.is_weapon();
    // Time-weighted share outside the ideal band. Too far is part of arriving, so the
    // first approach is forgiven up to the first time the trainee reached the band.
    let close_share = tally.too_close as f32 / total;
    if tally.too_close > 0 {
        d.add(
            -30.0 * close_share,
            format!(
                "{:.0}% of the time ({:.0} s) closer than the ideal band ({lo}–{hi} m)",
                close_share * 100.0,
                secs(tally.too_close)
            ),
            None,
            None,
        );
    }
    let far_share = tally.too_far as f32 / total;
    if far_share > 0.4 {
        d.add(
            -15.0 * (far_share - 0.4) / 0.6,
            format!(
                "{:.0}% of the time ({:.0} s) farther than {hi} m — hard to build contact from there",
                far_share * 100.0,
                secs(tally.too_far)
            ),
            None,
            None,
        );
    }
    // Reactionary gap episodes.
    for (idx, t0, t1, closest) in zone_periods(r, Zone::ReactionaryGap) {
        let dur = t1 - t0;
        let mut pts = 4.0 + dur.min(11.0);
        if armed {
            pts *= 1.5;
        }
        let why = if armed {
            format!(", while they held {}", subj.holding.label())
        } else {
            String::new()
        };
        d.add(
            -pts,
            format!(
                "Inside the reactionary gap ({} m) for {:.0} s, closest {:.1} m{why}",
                subj.reactionary_gap, dur, closest
            ),
            Some(t0),
            Some(idx),
        );
    }
    // Personal space episodes (only the part that is not already a reactionary-gap episode
    // when personal space is the larger circle).
    for (idx, t0, t1, closest) in zone_periods(r, Zone::PersonalSpace) {
        let dur = t1 - t0;
        d.add(
            -(3.0 + (0.5 * dur).min(7.0)),
            format!(
                "Inside their personal space ({} m) for {:.0} s, closest {:.1} m",
                subj.personal_space, dur, closest
            ),
            Some(t0),
            Some(idx),
        );
    }
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::FastApproach { speed, distance } => d.add(
                -5.0,
                format!("Fast approach: closing at {speed:.1} m/s from {distance:.1} m"),
                Some(e.t),
                Some(i),
            ),
            EventKind::Weapon { drawn: true } if !armed => d.add(
                -8.0,
                format!(
                    "Weapon drawn although {} held no weapon",
                    subj.name
                ),
                Some(e.t),
                Some(i),
            ),
            _ => {}
        }
    }
    // Cover.
    let has_cover = scenario.place.props.iter().any(|p| p.cover);
    if has_cover && armed {
        let share = tally.in_cover as f32 / total;
        if share >= 0.1 {
            let first = r
                .events
                .iter()
                .position(|e| matches!(e.kind, EventKind::Cover { taken: true }));
            d.add(
                (5.0 + 5.0 * share).min(10.0),
                format!(
                    "Used cover for {:.0} s ({:.0}% of the time) — distance + cover = time",
                    secs(tally.in_cover),
                    share * 100.0
                ),
                first.map(|i| r.events[i].t),
                first,
            );
        }
    }
    d
}

fn time_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Time,
        100.0,
        "Starting point: pacing is judged from here",
        weight,
    );
    let mut introduced = false;
    let mut commanded_early = false;
    let mut recent: Vec<f32> = Vec::new();
    let mut in_burst = false;
    let mut pause_credit = 0.0f32;
    let mut first_word: Option<f32> = None;
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::Utterance { tags, text, .. } => {
                first_word.get_or_insert(e.t);
                if tags.contains(&Tag::Introduce) || tags.contains(&Tag::ExplainReason) {
                    introduced = true;
                }
                if !introduced
                    && !commanded_early
                    && (tags.contains(&Tag::Command) || tags.contains(&Tag::Threat))
                {
                    commanded_early = true;
                    d.add(
                        -10.0,
                        format!(
                            "Gave a command ({}) before introducing yourself or explaining why you were there",
                            quote(text)
                        ),
                        Some(e.t),
                        Some(i),
                    );
                }
                recent.retain(|t| e.t - *t < 10.0);
                recent.push(e.t);
                if recent.len() >= 4 && !in_burst {
                    in_burst = true;
                    d.add(
                        -5.0,
                        format!(
                            "Rushing: {} things said in {:.0} s, with no time to answer",
                            recent.len(),
                            e.t - recent[0]
                        ),
                        Some(e.t),
                        Some(i),
                    );
                } else if recent.len() < 3 {
                    in_burst = false;
                }
            }
            EventKind::TacticalPause {
                agitation_before, ..
            } => {
                recent.clear();
                in_burst = false;
                if *agitation_before >= 40.0 && pause_credit < 9.0 {
                    pause_credit += 3.0;
                    d.add(
                        3.0,
                        format!(
                            "Tactical pause while agitation was {:.0}: gave them time to come down",
                            agitation_before
                        ),
                        Some(e.t),
                        Some(i),
                    );
                }
            }
            _ => {}
        }
    }
    match first_word {
        Some(t) if t > 45.0 => d.add(
            -5.0,
            format!(
                "First words only at {} — the person was left without contact",
                clock(t)
            ),
            Some(t),
            None,
        ),
        None => d.add(
            -20.0,
            "Nothing was said during the whole contact".to_string(),
            None,
            None,
        ),
        _ => {}
    }
    let expected = scenario.expected_minutes * 60.0;
    if scenario.scoring.urgent && r.duration > expected {
        let over = (r.duration - expected) / 60.0;
        d.add(
            -(5.0 * over).min(20.0),
            format!(
                "An urgent situation ran {:.1} min past the expected {} min",
                over, scenario.expected_minutes
            ),
            Some(expected),
            None,
        );
    }
    if r.timed_out {
        let idx = r.events.len().checked_sub(1);
        d.add(
            -15.0,
            format!(
                "The time limit ({} min) ran out with nothing settled",
                scenario.time_limit_minutes
            ),
            Some(r.duration),
            idx,
        );
    }
    d
}

fn tone_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Tone,
        100.0,
        "Starting point: each utterance's tone is weighed against the moment",
        weight,
    );
    let mut calm_credit = 0.0f32;
    let mut any = false;
    for (i, e) in r.events.iter().enumerate() {
        let EventKind::Utterance {
            scene,
            option,
            text,
            tone,
            agitation_before: a,
            ..
        } = &e.kind
        else {
            continue;
        };
        any = true;
        let fitting = scenario
            .scene(scene)
            .and_then(|s| s.options.iter().find(|o| &o.id == option))
            .map(|o| o.fitting_tones())
            .unwrap_or_else(|| vec![Tone::Calm, Tone::Neutral]);
        if !fitting.contains(tone) {
            let gap = fitting
                .iter()
                .map(|t| (t.intensity() as i32 - tone.intensity() as i32).unsigned_abs())
                .min()
                .unwrap_or(1) as f32;
            let best = fitting
                .iter()
                .map(|t| t.label())
                .collect::<Vec<_>>()
                .join(" or ");
            d.add(
                -3.0 * gap,
                format!("Said {} in a {tone} voice; it fits {best}", quote(text)),
                Some(e.t),
                Some(i),
            );
        }
        match tone {
            Tone::Shouting => d.add(
                if *a >= 60.0 { -14.0 } else { -10.0 },
                format!("Shouted at agitation {a:.0}: a raised voice is read as a threat"),
                Some(e.t),
                Some(i),
            ),
            Tone::Commanding if *a >= 60.0 => d.add(
                -8.0,
                format!("Commanding tone while agitation was high ({a:.0})"),
                Some(e.t),
                Some(i),
            ),
            Tone::Firm if *a >= 70.0 => d.add(
                -4.0,
                format!("Firm voice while agitation was very high ({a:.0}): firmness reads as pressure here"),
                Some(e.t),
                Some(i),
            ),
            Tone::Calm if *a >= 50.0 && calm_credit < 10.0 => {
                calm_credit += 2.5;
                d.add(
                    2.5,
                    format!("Kept a calm voice while agitation was {a:.0}"),
                    Some(e.t),
                    Some(i),
                );
            }
            _ => {}
        }
    }
    if !any {
        d.base = 50.0;
        d.base_reason = "No utterances: tone could not be shown, so this sits at the midpoint".into();
    }
    d
}

fn verbal_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Verbal,
        50.0,
        "Starting point: words earn the other half",
        weight,
    );
    let mut first_at: [Option<f32>; 4] = [None; 4];
    let mut early_influence = false;
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::Utterance {
                scene,
                option,
                text,
                tags,
                ..
            } => {
                let authored = scenario
                    .scene(scene)
                    .and_then(|s| s.options.iter().find(|o| &o.id == option))
                    .map(|o| o.weight)
                    .unwrap_or(0.0);
                let tag_pts: f32 = tags.iter().map(|t| t.verbal_value()).sum();
                let pts = (tag_pts + authored).clamp(-12.0, 12.0);
                if pts.abs() >= 0.05 {
                    let what = if tags.is_empty() {
                        "authored weight".to_string()
                    } else {
                        tags_list(tags)
                    };
                    d.add(pts, format!("{} — {what}", quote(text)), Some(e.t), Some(i));
                }
                for step in tags.iter().filter_map(|t| t.stair_step()) {
                    let k = step as usize - 1;
                    if first_at[k].is_none() {
                        first_at[k] = Some(e.t);
                    }
                    if step == StairStep::Influence
                        && first_at[0].is_none()
                        && first_at[1].is_none()
                        && !early_influence
                    {
                        early_influence = true;
                        d.add(
                            -6.0,
                            format!(
                                "Moved to influence ({}) before any listening or empathy — the Behavioural Change Stairway builds from listening",
                                tags_list(tags)
                            ),
                            Some(e.t),
                            Some(i),
                        );
                    }
                }
            }
            EventKind::PartnerTalksOver { line } => d.add(
                -4.0,
                format!(
                    "Two voices at once: your partner talked over you ({}) — ICAT's one-voice rule",
                    quote(line)
                ),
                Some(e.t),
                Some(i),
            ),
            EventKind::IndicatorRecognised { indicator } => d.add(
                4.0,
                format!("Recognised {} and said so", indicator.label()),
                Some(e.t),
                Some(i),
            ),
            _ => {}
        }
    }
    // Stairway order: listening, then empathy, then influence.
    if let (Some(l), Some(em), Some(inf)) = (first_at[0], first_at[1], first_at[3]) {
        if l <= em && em <= inf {
            d.add(
                5.0,
                format!(
                    "Followed the stairway: listened ({}), empathised ({}), then influenced ({})",
                    clock(l),
                    clock(em),
                    clock(inf)
                ),
                Some(inf),
                None,
            );
        }
    }
    let missed: Vec<Indicator> = scenario
        .subject
        .indicators
        .iter()
        .copied()
        .filter(|ind| !r.recognised.contains(ind))
        .collect();
    for ind in missed {
        d.add(
            -3.0,
            format!("Never acknowledged the signs of {}", ind.label()),
            None,
            None,
        );
    }
    d
}
