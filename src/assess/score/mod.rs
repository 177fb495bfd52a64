//! Scoring: four dimensions (distance, time, tone, verbal), each 0–100, built from
//! itemised lines that are each tied to the event (or period) that caused them.
//!
//! A dimension starts at its base (90 for distance, time and tone; 50 for verbal).
//! Points earned fill the headroom up to 100 and no further; points lost always count:
//! `score = clamp(base + min(Σ gains, 100 − base) + Σ losses, 0, 100)`. So a strong run
//! still shows every mistake, and repeating a good line cannot paper over a bad one.
//! The overall score is the weighted mean of the four, plus an itemised outcome line.

use crate::format::scenario::Scenario;
use crate::format::vocab::{Armed, Body, StairStep, Tag, Tone};
use crate::sim::{DT, EventKind, SimResult, Zone};
use serde::{Deserialize, Serialize};

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

/// Closer than this (metres) is within arm's reach.
const ARMS_REACH: f32 = 1.5;

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

fn distance_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let subj = &r.subject; // as met this run (the drawn numbers)
    let name = &subj.name;
    let (lo, hi) = scenario.scoring.ideal_distance;
    let mut d = DimensionScore::new(
        Dimension::Distance,
        90.0,
        "Starting point: the last 10 points are earned by talking from the ideal band",
        weight,
    );
    let tally = &r.tally;
    let secs = |ticks: u32| ticks as f32 * DT;
    let weapon = subj.armed();
    let armed = weapon.is_some();
    let vulnerable = in_crisis(scenario);
    if tally.arrived == 0 && tally.ticks > 0 {
        let secs_total = secs(tally.ticks);
        d.add(
            -(15.0 * (secs_total / 60.0).min(1.0)),
            format!(
                "Never came within {hi} m of {name} in {secs_total:.0} s — too far to build contact"
            ),
            None,
            None,
        );
    }
    if tally.arrived > 0 {
        // The approach is not judged: shares count from the first arrival at the band.
        let total = tally.arrived as f32;
        let band_share = tally.in_band as f32 / total;
        d.add(
            10.0 * band_share,
            format!(
                "Talked from the ideal band ({lo}–{hi} m) {:.0}% of the time after arriving",
                band_share * 100.0
            ),
            None,
            None,
        );
        let close_share = tally.too_close as f32 / total;
        if tally.too_close > 0 {
            d.add(
                -30.0 * close_share,
                format!(
                    "{:.0}% of the time ({:.0} s) closer than the ideal band",
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
                    "{:.0}% of the time ({:.0} s) farther than {hi} m after arriving — hard to build contact from there",
                    far_share * 100.0,
                    secs(tally.too_far)
                ),
                None,
                None,
            );
        }
    }
    // Entering the reactionary gap is a risk in itself, however brief; staying costs more.
    for (idx, t0, t1, closest) in zone_periods(r, Zone::ReactionaryGap) {
        let dur = t1 - t0;
        let mut pts = 4.0 + dur.min(11.0);
        let mut why = String::new();
        if let Some(w) = weapon {
            pts = 10.0 + 1.5 * dur.min(10.0);
            why = format!(", while {name} {}", w.phrase());
        }
        let closest = if closest.is_finite() {
            format!(", closest {closest:.1} m")
        } else {
            String::new()
        };
        d.add(
            -pts,
            format!(
                "Inside the reactionary gap ({:.1} m) for {:.0} s{closest}{why}",
                subj.reactionary_gap, dur
            ),
            Some(t0),
            Some(idx),
        );
    }
    for (idx, t0, t1, closest) in zone_periods(r, Zone::PersonalSpace) {
        let dur = t1 - t0;
        // Within arm's reach of someone armed, in crisis or agitated: contact range.
        let agitated = crate::assess::debrief::agitation_at(&r.samples, t0) >= 50.0;
        if closest.is_finite() && closest < ARMS_REACH && (armed || vulnerable || agitated) {
            d.add(
                -(if armed || vulnerable { 12.0 } else { 8.0 }),
                format!(
                    "Came within arm's reach ({closest:.1} m) of {name} — nothing left to react with"
                ),
                Some(t0),
                Some(idx),
            );
        }
        let closest = if closest.is_finite() {
            format!(", closest {closest:.1} m")
        } else {
            String::new()
        };
        d.add(
            -(3.0 + (0.5 * dur).min(7.0)),
            format!(
                "Inside {name}'s personal space ({:.1} m) for {:.0} s{closest}",
                subj.personal_space, dur
            ),
            Some(t0),
            Some(idx),
        );
    }
    let fast_limit = subj.sensitivity.fast_approach_speed;
    let mut drawn_at: Option<(usize, f32)> = None;
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::FastApproach { speed, distance } => {
                let mut pts = 6.0 + 4.0 * (speed - fast_limit).max(0.0);
                if armed || vulnerable {
                    pts *= 1.5;
                }
                d.add(
                    -pts.min(25.0),
                    format!("Fast approach: closing at {speed:.1} m/s from {distance:.1} m"),
                    Some(e.t),
                    Some(i),
                );
            }
            EventKind::Weapon { drawn: true } => drawn_at = Some((i, e.t)),
            EventKind::Weapon { drawn: false } => {
                if let Some((idx, t0)) = drawn_at.take() {
                    weapon_item(&mut d, scenario, r, idx, t0, e.t);
                }
            }
            _ => {}
        }
    }
    if let Some((idx, t0)) = drawn_at {
        weapon_item(&mut d, scenario, r, idx, t0, r.duration);
    }
    if let Some(w) = weapon {
        cover_items(&mut d, scenario, r, w);
    }
    d
}

/// Most of the time in the open against a firearm costs this many distance points.
pub const EXPOSED_TO_FIREARM: f32 = 12.0;

/// Cover against an armed subject, when the place has cover to use: credit for holding it
/// for a while; against a firearm, a cost for the share of the run spent in the open.
fn cover_items(d: &mut DimensionScore, scenario: &Scenario, r: &SimResult, w: Armed) {
    let tally = &r.tally;
    let has_cover = scenario.place.props.iter().any(|p| scenario.gives_cover(p));
    if !has_cover || tally.ticks == 0 {
        return;
    }
    let share = tally.in_cover as f32 / tally.ticks as f32;
    let held = tally.in_cover as f32 * DT;
    let first = r
        .events
        .iter()
        .position(|e| matches!(e.kind, EventKind::Cover { taken: true }));
    // Cover only counts when it was actually held for a while.
    if share >= 0.1 && held >= 10.0 {
        d.add(
            (3.0 + 5.0 * share).min(8.0),
            format!(
                "Used cover for {held:.0} s ({:.0}% of the time) — distance + cover = time",
                share * 100.0
            ),
            first.map(|i| r.events[i].t),
            first,
        );
    }
    if w.is_firearm() {
        let open = 1.0 - share;
        d.add(
            -EXPOSED_TO_FIREARM * open,
            format!(
                "In the open, not behind cover, for {:.0} s ({:.0}% of the time) while {} {} — distance alone does not stop a bullet; cover does",
                (tally.ticks - tally.in_cover) as f32 * DT,
                open * 100.0,
                scenario.subject.name,
                w.phrase()
            ),
            None,
            None,
        );
    }
}

/// A weapon drawn from `t0` to `t1`: judged by whether the subject's behaviour called for it.
/// A firearm in their hand always does; a weapon only within reach, or a weapon other than a
/// firearm, does once they are threatening (agitation 75 or more).
fn weapon_item(
    d: &mut DimensionScore,
    scenario: &Scenario,
    r: &SimResult,
    idx: usize,
    t0: f32,
    t1: f32,
) {
    let subj = &r.subject;
    let name = &subj.name;
    let a = crate::assess::debrief::agitation_at(&r.samples, t0);
    let dur = t1 - t0;
    let (pts, why) = match subj.armed() {
        None => (
            if in_crisis(scenario) { 20.0 } else { 10.0 },
            format!("{name} held no weapon"),
        ),
        Some(w) if w.is_firearm() && w.in_hand => return,
        Some(_) if a >= 75.0 => return,
        Some(w) if w.is_firearm() => (
            4.0,
            format!(
                "{name} {} but was not reaching for it (agitation {a:.0}) — cover protects you from it; a gun pointed at them raises the stakes",
                w.phrase()
            ),
        ),
        Some(w) => (
            8.0,
            format!(
                "{name} {} but was not threatening anyone (agitation {a:.0})",
                w.phrase()
            ),
        ),
    };
    d.add(
        -(pts + (0.2 * dur).min(6.0)),
        format!("Weapon drawn for {dur:.0} s although {why}"),
        Some(t0),
        Some(idx),
    );
}

fn time_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Time,
        90.0,
        "Starting point: the last 10 points are earned by giving the person time",
        weight,
    );
    let mut introduced = false;
    let mut commanded_early = false;
    let mut recent: Vec<f32> = Vec::new();
    let mut in_burst = false;
    let mut bursts = 0;
    let mut pause_credit = 0.0f32;
    let mut first_word: Option<f32> = None;
    let mut utterances = 0;
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::Utterance {
                tags,
                text,
                agitation_before,
                ..
            } => {
                utterances += 1;
                first_word.get_or_insert(e.t);
                if tags.contains(&Tag::Introduce) || tags.contains(&Tag::ExplainReason) {
                    introduced = true;
                }
                // A safety command to someone about to act is not a sequencing error.
                let imminent = *agitation_before >= 75.0;
                if !introduced
                    && !commanded_early
                    && !imminent
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
                    bursts += 1;
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
                if *agitation_before >= 40.0 && pause_credit < 6.0 {
                    pause_credit += 3.0;
                    d.add(
                        3.0,
                        format!(
                            "Tactical pause while agitation was {agitation_before:.0}: gave them time to come down"
                        ),
                        Some(e.t),
                        Some(i),
                    );
                }
            }
            _ => {}
        }
    }
    if utterances >= 3 && bursts == 0 {
        d.add(
            6.0,
            "Paced the conversation: never more than three things said in ten seconds".into(),
            None,
            None,
        );
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
        90.0,
        "Starting point: the last 10 points are earned by a voice that fits each moment",
        weight,
    );
    let vulnerable = in_crisis(scenario);
    let mut calm_credit = 0.0f32;
    let mut judged = 0;
    let mut fitting_count = 0;
    for (i, e) in r.events.iter().enumerate() {
        // ICAT's one voice. The partner talks over when the trainee's line leaves agitation
        // above the partner's threshold, so it follows the heat of the moment (which the
        // voice drives most) rather than the words; the words that prevent it (asking the
        // partner to step back) earn their verbal points.
        if let EventKind::PartnerTalksOver { line } = &e.kind {
            d.add(
                -4.0,
                format!(
                    "Two voices at once: your partner talked over you ({}) — ICAT's one-voice rule; asking them to step back stops it",
                    quote(line)
                ),
                Some(e.t),
                Some(i),
            );
            continue;
        }
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
        let opt = scenario
            .scene(scene)
            .and_then(|s| s.options.iter().find(|o| &o.id == option));
        if opt.is_some_and(|o| o.aside) {
            continue; // said to the partner or the radio
        }
        judged += 1;
        let fitting = opt
            .map(|o| o.fitting_tones())
            .unwrap_or_else(|| vec![Tone::Calm, Tone::Neutral]);
        // The author chose these tones for this exact moment (e.g. a firm "Stop!").
        let authored = opt.is_some_and(|o| o.tones.contains(tone));
        let fits = fitting.contains(tone);
        if fits {
            fitting_count += 1;
        } else {
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
                if *a >= 60.0 || vulnerable { -14.0 } else { -10.0 },
                format!("Shouted at agitation {a:.0}: a raised voice is read as a threat"),
                Some(e.t),
                Some(i),
            ),
            Tone::Commanding if !authored && (*a >= 60.0 || vulnerable) => d.add(
                -8.0,
                if *a >= 60.0 {
                    format!("Commanding tone while agitation was high ({a:.0})")
                } else {
                    format!("Commanding tone with a person in crisis (agitation {a:.0})")
                },
                Some(e.t),
                Some(i),
            ),
            Tone::Firm if !authored && *a >= 70.0 => d.add(
                -4.0,
                format!(
                    "Firm voice while agitation was very high ({a:.0}): firmness reads as pressure here"
                ),
                Some(e.t),
                Some(i),
            ),
            Tone::Calm if fits && *a >= 50.0 && calm_credit < 6.0 => {
                calm_credit += 2.0;
                d.add(
                    2.0,
                    format!("Kept a calm voice while agitation was {a:.0}"),
                    Some(e.t),
                    Some(i),
                );
            }
            _ => {}
        }
    }
    if judged == 0 {
        d.base = 50.0;
        d.base_reason =
            "Nothing was said to the subject: tone could not be shown, so this sits at the midpoint"
                .into();
    } else {
        let share = fitting_count as f32 / judged as f32;
        d.add(
            8.0 * share,
            format!("{fitting_count} of {judged} lines said in a tone that fits them"),
            None,
            None,
        );
    }
    d
}

/// A run whose lines are worth this much on average earns the whole verbal headroom (50).
pub const FULL_LINE_WORTH: f32 = 6.0;
/// Fewer lines than this count as this many: a run needs this many lines (one per step of
/// the Behavioural Change Stairway) before it can earn full credit.
pub const MIN_LINES: usize = 4;
/// Chances (lines said in a scene that offered the missing line) at which a whole-run
/// penalty for a line never said counts in full; below it counts in proportion.
pub const CHANCES_FOR_FULL: u32 = 2;

/// What one line said is worth on the verbal dimension before scaling: its tags' values
/// plus the author's weight, within ±12; a harmful line earns nothing for its good tags.
fn line_worth(tags: &[Tag], authored: f32) -> f32 {
    let harmful = tags.iter().any(|t| t.is_harmful());
    let tag_pts: f32 = tags
        .iter()
        .map(|t| t.verbal_value())
        .filter(|v| !harmful || *v < 0.0)
        .sum();
    let authored = if harmful { authored.min(0.0) } else { authored };
    (tag_pts + authored).clamp(-12.0, 12.0)
}

/// `6`, `1.5`, `-10`: a number with at most one decimal, without a trailing `.0`.
fn num(v: f32) -> String {
    let r = round1(v);
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// How much of a whole-run penalty for a line never said counts, given the chances the
/// trainee had to say it, and the words that say why.
fn chance_weight(chances: u32) -> (f32, String) {
    let share = chances.min(CHANCES_FOR_FULL) as f32 / CHANCES_FOR_FULL as f32;
    let why = match chances {
        0 => String::new(),
        1 => format!(
            " — counted {:.0}%: you had 1 chance (one line said in a scene that offered it; full weight from {CHANCES_FOR_FULL})",
            share * 100.0
        ),
        c if c < CHANCES_FOR_FULL => format!(
            " — counted {:.0}%: you had {c} chances (lines said in scenes that offered it; full weight from {CHANCES_FOR_FULL})",
            share * 100.0
        ),
        c => format!(" (you had {c} chances: lines said in scenes that offered it)"),
    };
    (share, why)
}

/// Verbal choices: the quality of what was said, whatever the voice and whatever ended
/// the contact. It reads only which options were said in which scenes (and the scenario),
/// never tone, agitation or time, so the same lines always earn the same score:
///
/// - each line earns its worth ([`line_worth`], halved on each repeat) × `k`, where
///   `k = (50 / FULL_LINE_WORTH) / max(lines, MIN_LINES)`: what the lines earn adds up to
///   `50 × mean worth / FULL_LINE_WORTH`, their average quality, not their number (a line
///   worth nothing or less counts as 0 in that average);
/// - a line worth less than nothing (a lie, a threat, a command) also costs its worth in
///   full, however many other lines there were: talking more does not dilute harm;
/// - the stairway, early influence and recognised indicators as before (early influence
///   is excused in a scene the author marks `body: Threatening`, not by agitation);
/// - indicators never acknowledged and suicide never asked about are weighed by the
///   chances the trainee had: lines said in scenes whose options included a line that
///   would have done it ([`CHANCES_FOR_FULL`] for full weight).
///
/// The partner talking over is scored under tone: it happens when agitation is high.
fn verbal_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Verbal,
        50.0,
        "Starting point: words earn the other half",
        weight,
    );
    let lines = r
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Utterance { .. }))
        .count();
    let counted = lines.max(MIN_LINES);
    let k = 50.0 / FULL_LINE_WORTH / counted as f32;
    d.base_reason = if lines == 0 {
        "Starting point: words earn the other half; nothing was said, so no words could be scored"
            .into()
    } else {
        format!(
            "Starting point: words earn the other half. Each line earns its worth × {k:.2} (50 ÷ {} ÷ {}{}), so lines worth {} on average fill it however many there are; a line worth less than 0 costs its worth in full",
            num(FULL_LINE_WORTH),
            counted,
            if lines < MIN_LINES {
                format!(" — {lines} said, fewer than {MIN_LINES} count as {MIN_LINES}")
            } else {
                " lines".to_string()
            },
            num(FULL_LINE_WORTH),
        )
    };
    let ind = &scenario.subject.indicators;
    let mut chances = vec![0u32; ind.len()];
    let mut suicide_chances = 0u32;
    let mut first_at: [Option<f32>; 4] = [None; 4];
    let mut early_influence = false;
    let mut said: Vec<(&str, &str, u32)> = Vec::new();
    let mut asked_suicide = false;
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::Utterance {
                scene,
                option,
                text,
                tags,
                ..
            } => {
                let sc = scenario.scene(scene);
                let opt = sc.and_then(|s| s.options.iter().find(|o| &o.id == option));
                // A chance to say what was never said: the scene offered a line for it.
                if let Some(sc) = sc {
                    for (n, indicator) in ind.iter().enumerate() {
                        if sc.options.iter().any(|o| o.recognises.contains(indicator)) {
                            chances[n] += 1;
                        }
                    }
                    if sc
                        .options
                        .iter()
                        .any(|o| o.tags.contains(&Tag::AskAboutSuicide))
                    {
                        suicide_chances += 1;
                    }
                }
                asked_suicide |= tags.contains(&Tag::AskAboutSuicide);
                let mut worth = line_worth(tags, opt.map_or(0.0, |o| o.weight));
                // Saying the same line again is worth half as much each time.
                let n = match said
                    .iter_mut()
                    .find(|(s, o, _)| *s == scene.as_str() && *o == option.as_str())
                {
                    Some((_, _, n)) => {
                        *n += 1;
                        *n - 1
                    }
                    None => {
                        said.push((scene.as_str(), option.as_str(), 1));
                        0
                    }
                };
                let mut note = String::new();
                if worth > 0.0 && n > 0 {
                    worth *= 0.5f32.powi(n as i32);
                    note = format!(" (said {} times: worth less each time)", n + 1);
                }
                let what = if tags.is_empty() {
                    "authored weight".to_string()
                } else {
                    tags_list(tags)
                };
                // What a line earns is scaled into the average; what it costs is not.
                let (points, how) = if worth > 0.0 {
                    (worth * k, format!("worth {} × {k:.2}", num(worth)))
                } else {
                    (worth, format!("worth {}, counted in full", num(worth)))
                };
                d.add(
                    points,
                    format!("{} — {what}{note}: {how}", quote(text)),
                    Some(e.t),
                    Some(i),
                );
                // A safety command to someone about to act is not a sequencing error: the
                // author marks such scenes as threatening. (Not agitation: that depends on
                // the voice, and verbal must not.)
                let threatening = sc.is_some_and(|s| s.body == Some(Body::Threatening));
                // Record every step this line shows before judging its influence, so the
                // order of tags inside one line does not matter.
                let steps: Vec<StairStep> =
                    tags.iter().flat_map(|t| t.stair_steps()).copied().collect();
                let listened_before = first_at[0].is_some() || first_at[1].is_some();
                let listens_now = steps
                    .iter()
                    .any(|s| matches!(s, StairStep::Listen | StairStep::Empathise));
                for &step in &steps {
                    let k = step as usize - 1;
                    if first_at[k].is_none() {
                        first_at[k] = Some(e.t);
                    }
                }
                if steps.contains(&StairStep::Influence)
                    && !listened_before
                    && !listens_now
                    && !early_influence
                    && !threatening
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
            EventKind::IndicatorRecognised { indicator } if ind.contains(indicator) => d.add(
                4.0,
                format!("Recognised {} and said so", indicator.label()),
                Some(e.t),
                Some(i),
            ),
            _ => {}
        }
    }
    // Stairway order: listening, then empathy, then influence.
    if let (Some(l), Some(em), Some(inf)) = (first_at[0], first_at[1], first_at[3])
        && l <= em
        && em <= inf
    {
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
    for (n, indicator) in ind.iter().enumerate() {
        if r.recognised.contains(indicator) {
            continue;
        }
        let (share, why) = chance_weight(chances[n]);
        d.add(
            -6.0 * share,
            format!("Never acknowledged the signs of {}{why}", indicator.label()),
            None,
            None,
        );
    }
    if ind.contains(&crate::format::vocab::Indicator::SuicidalStatements) && !asked_suicide {
        let (share, why) = chance_weight(suicide_chances);
        d.add(
            -8.0 * share,
            format!(
                "Never asked directly about suicide — asking does not put the idea there, and it opens the conversation that matters{why}"
            ),
            None,
            None,
        );
    }
    d
}
