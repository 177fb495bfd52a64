//! The after-action debrief built from a run: outcome, scores with their itemised
//! reasons, a timeline of what was said and how the subject reacted, the key moments,
//! a reflection on ICAT's Critical Decision-Making Model, and the learning objectives.
//! Written in the reflective language of an after-action review, not a verdict.

use crate::assess::score::{Scores, clock, score};
use crate::format::scenario::Scenario;
use crate::format::scenario::When;
use crate::format::variation::Voice;
use crate::format::vocab::{Indicator, Outcome, StairStep, Tag, Tone};
use crate::sim::script::InputLog;
use crate::sim::{
    Causes, Event, EventKind, InstructorAction, Measure, Sample, SimResult, Zone, describe_next,
    describe_when,
};
use crate::voice::Spoken;
use crate::voice::spoken::said;
use serde::{Deserialize, Serialize};

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
    let start = r
        .samples
        .first()
        .map_or(r.subject.baseline_agitation, |s| s.agitation);
    // The simulation keeps the true maximum (samples are once a second and miss the end).
    let agitation = Arc3 {
        start,
        peak: r.peak_agitation.max(start),
        peak_t: r.peak_t,
        end: r.final_agitation,
    };
    let timeline = timeline(scenario, r);
    let key_moments = key_moments(scenario, r);
    let indicators = scenario
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
        .collect::<Vec<_>>();
    let instructor = r
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Instructor { action } => Some(InstructorNote {
                t: e.t,
                action: action.clone(),
            }),
            _ => None,
        })
        .collect();
    let recognition = deescalated.then(|| recognition(scenario, r, &scores, &agitation));
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
        cdm: cdm(scenario, r, &indicators),
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

/// Seconds for a sentence: a stay of a few ticks is "under 1 s", never "0 s" (which would
/// say it did not happen).
fn seconds(s: f32) -> String {
    if s > 0.0 && s < 1.0 {
        "under 1 s".into()
    } else {
        format!("{s:.0} s")
    }
}

/// Metres for a sentence: one decimal, without a trailing `.0` (a drawn 4.4358473 m gap
/// reads 4.4 m, an authored 7 m reads 7 m).
fn metres(m: f32) -> String {
    let s = format!("{m:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// A number for a sentence: whole above 10, one decimal above 1, else two significant
/// figures (a settling rate of 0.012 must not read as 0.0).
fn round_for_words(v: f32) -> String {
    let a = v.abs();
    if a >= 10.0 {
        format!("{v:.0}")
    } else if a >= 1.0 || a == 0.0 {
        format!("{v:.1}")
    } else {
        let decimals = (1.0 - a.log10().floor()) as usize;
        format!("{v:.decimals$}")
    }
}

fn timeline(scenario: &Scenario, r: &SimResult) -> Vec<TimelineEntry> {
    let partner = scenario.partner.as_ref().map(|p| p.name.as_str());
    let mut out = Vec::new();
    for (i, e) in r.events.iter().enumerate() {
        let entry = |speaker, text: String| TimelineEntry {
            t: e.t,
            speaker,
            text,
            tone: None,
            agitation_before: None,
            agitation_after: None,
            note: None,
            event: i,
            voice: None,
        };
        match &e.kind {
            EventKind::SubjectLine { text, .. } => out.push(entry(Speaker::Subject, text.clone())),
            EventKind::Utterance {
                text,
                tone,
                agitation_before,
                agitation_after,
                why,
                tone_fits,
                ..
            } => {
                let mut en = entry(Speaker::Trainee, text.clone());
                en.tone = Some(*tone);
                en.agitation_before = Some(*agitation_before);
                en.agitation_after = Some(*agitation_after);
                let mut note = why.clone().unwrap_or_default();
                if !tone_fits {
                    if !note.is_empty() {
                        note.push(' ');
                    }
                    note.push_str(&format!("The {tone} voice did not fit these words."));
                }
                en.note = (!note.is_empty()).then_some(note);
                out.push(en);
            }
            EventKind::TacticalPause {
                agitation_before,
                agitation_after,
            } => {
                let mut en = entry(Speaker::Trainee, "(a deliberate pause)".into());
                en.agitation_before = Some(*agitation_before);
                en.agitation_after = Some(*agitation_after);
                out.push(en);
            }
            EventKind::PartnerTalksOver { line } => {
                let mut en = entry(Speaker::Partner, line.clone());
                en.note = Some(format!(
                    "{} talked over you: two voices at once.",
                    partner.unwrap_or("Your partner")
                ));
                out.push(en);
            }
            EventKind::PartnerSteppedBack => out.push(entry(
                Speaker::Scene,
                format!(
                    "{} stepped back: one voice.",
                    partner.unwrap_or("Your partner")
                ),
            )),
            EventKind::TriggerFired {
                scene,
                condition,
                why,
                target,
                line,
                by,
            } => {
                let fired = fired_trigger(scenario, scene.as_deref(), condition, target);
                let said = fired
                    .and_then(|w| position_fact(w, r, e.t))
                    .unwrap_or_else(|| capital(condition));
                let mut en = entry(Speaker::Scene, said);
                en.note = why.clone();
                out.push(en);
                // The subject's own line follows as a `SubjectLine`.
                if let Some(line) = line
                    && *by != Voice::Subject
                {
                    out.push(entry(Speaker::of(*by), line.clone()));
                }
            }
            EventKind::Injected { line, by, .. } => match by {
                None => out.push(entry(Speaker::Scene, line.clone())),
                Some(Voice::Subject) => {} // followed by a `SubjectLine`
                Some(v) => out.push(entry(Speaker::of(*v), line.clone())),
            },
            EventKind::AsideAnswered { line, by, .. } => {
                out.push(entry(Speaker::of(*by), line.clone()))
            }
            EventKind::Happened { line, by, why, .. } => {
                let mut en = entry(Speaker::of(*by), line.clone());
                en.note = why.clone();
                out.push(en);
            }
            EventKind::Branched { why: Some(why), .. } => {
                out.push(entry(Speaker::Scene, why.clone()))
            }
            EventKind::Instructor { action } => {
                out.push(entry(Speaker::Instructor, describe_instructor(action)))
            }
            EventKind::Zone {
                zone,
                entered: true,
                distance,
                ..
            } => out.push(entry(
                Speaker::Scene,
                if at_start(e.t) {
                    format!(
                        "You started inside the {} ({:.1} m).",
                        zone.label(),
                        distance
                    )
                } else {
                    format!("You entered the {} ({:.1} m).", zone.label(), distance)
                },
            )),
            EventKind::FastApproach { speed, .. } => out.push(entry(
                Speaker::Scene,
                format!("You closed in fast ({speed:.1} m/s)."),
            )),
            EventKind::Weapon { drawn } => out.push(entry(
                Speaker::Scene,
                if *drawn {
                    "You drew your weapon.".into()
                } else {
                    "You holstered your weapon.".into()
                },
            )),
            EventKind::Cover { taken: true } => out.push(entry(
                Speaker::Scene,
                if at_start(e.t) {
                    "You started behind cover.".into()
                } else {
                    "You moved behind cover.".into()
                },
            )),
            EventKind::EndingReached { title, .. } => {
                out.push(entry(Speaker::Scene, format!("Ending: {title}")))
            }
            _ => {}
        }
    }
    out
}

pub fn describe_instructor(a: &InstructorAction) -> String {
    match a {
        InstructorAction::ForceScene(s) => format!("Instructor moved the scenario to `{s}`."),
        InstructorAction::ForceEnding(e) => format!("Instructor ended the scenario: `{e}`."),
        InstructorAction::Nudge(v) => format!("Instructor nudged agitation by {v:+.0}."),
        InstructorAction::Inject(id) => format!("Instructor injected `{id}`."),
        InstructorAction::NudgeTrust(v) => format!("Instructor nudged trust by {v:+.0}."),
        InstructorAction::Flag(note) | InstructorAction::FlagAt { note, .. } => {
            format!("Instructor flag: {note}")
        }
    }
}

/// Whether an event happened on the run's first ticks, before the trainee could act.
fn at_start(t: f32) -> bool {
    t < 2.0 * crate::sim::DT
}

/// The trigger of the scene (or the scenario-wide one) that a `TriggerFired` event records.
fn fired_trigger<'a>(
    scenario: &'a Scenario,
    scene: Option<&str>,
    condition: &str,
    target: &str,
) -> Option<&'a When> {
    let triggers = match scene {
        Some(id) => &scenario.scene(id)?.triggers,
        None => &scenario.triggers,
    };
    triggers
        .iter()
        .find(|t| describe_when(&t.when) == condition && describe_next(&t.goto) == target)
        .map(|t| &t.when)
}

/// What a distance or cover trigger saw, said as what the trainee actually did: "moved
/// farther than 12 m away" is only said when they had been closer and stepped back.
fn position_fact(when: &When, r: &SimResult, t: f32) -> Option<String> {
    let now = distance_at(&r.samples, t);
    let before = r.samples.iter().take_while(|s| s.t <= t);
    let closest = before
        .clone()
        .map(|s| s.distance)
        .fold(f32::INFINITY, f32::min);
    let first = r.samples.first().map_or(now, |s| s.distance);
    Some(match *when {
        When::FartherThan(m) if closest < m => format!("You stepped back beyond {m} m"),
        When::FartherThan(m) => format!("You were {now:.1} m away and had not come within {m} m"),
        When::CloserThan(m) if first >= m => format!("You came within {m} m"),
        When::CloserThan(m) => format!("You had been within {m} m since the start"),
        When::InCover if !moved_into_cover(r, t) => "You were behind cover from the start".into(),
        When::InCover => "You moved behind cover".into(),
        _ => return None,
    })
}

/// Whether the trainee stepped behind cover after the start (not only spawned there).
fn moved_into_cover(r: &SimResult, t: f32) -> bool {
    r.events
        .iter()
        .take_while(|e| e.t <= t)
        .any(|e| matches!(e.kind, EventKind::Cover { taken: true }) && !at_start(e.t))
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The largest changes in agitation and what caused them.
fn key_moments(scenario: &Scenario, r: &SimResult) -> Vec<KeyMoment> {
    let mut cands: Vec<KeyMoment> = Vec::new();
    let name = &scenario.subject.name;
    let mut zone_open: [Option<(usize, f32)>; 2] = [None, None];
    let mut weapon_open: Option<(usize, f32)> = None;
    let end = r.duration;
    let at = |t: f32| agitation_at(&r.samples, t);
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::Utterance {
                text,
                tone,
                agitation_before,
                agitation_after,
                ..
            } => cands.push(KeyMoment {
                t: e.t,
                t_end: e.t,
                delta: agitation_after - agitation_before,
                cause: format!("You said “{text}” ({tone})"),
                event: Some(i),
            }),
            EventKind::PartnerTalksOver { line } => cands.push(KeyMoment {
                t: e.t,
                t_end: e.t,
                delta: scenario
                    .partner
                    .as_ref()
                    .map_or(0.0, |p| p.talk_over_agitation),
                cause: format!("Your partner talked over you: “{line}”"),
                event: Some(i),
            }),
            EventKind::Zone { zone, entered, .. } => {
                let k = (*zone == Zone::ReactionaryGap) as usize;
                if *entered {
                    zone_open[k] = Some((i, e.t));
                } else if let Some((idx, t0)) = zone_open[k].take() {
                    cands.push(KeyMoment {
                        t: t0,
                        t_end: e.t,
                        delta: at(e.t) - at(t0),
                        cause: format!("{:.0} s inside {name}'s {}", e.t - t0, zone.label()),
                        event: Some(idx),
                    });
                }
            }
            EventKind::FastApproach { speed, .. } => cands.push(KeyMoment {
                t: e.t,
                t_end: e.t + 2.0,
                delta: at(e.t + 2.0) - at(e.t),
                cause: format!("A fast approach at {speed:.1} m/s"),
                event: Some(i),
            }),
            EventKind::Weapon { drawn } => {
                if *drawn {
                    weapon_open = Some((i, e.t));
                } else if let Some((idx, t0)) = weapon_open.take() {
                    cands.push(KeyMoment {
                        t: t0,
                        t_end: e.t,
                        delta: at(e.t) - at(t0),
                        cause: format!("A drawn weapon for {:.0} s", e.t - t0),
                        event: Some(idx),
                    });
                }
            }
            EventKind::Injected { line, .. } | EventKind::Happened { line, .. } => {
                let who = match &e.kind {
                    EventKind::Injected { by, .. } => *by,
                    EventKind::Happened { by, .. } => Some(*by),
                    _ => None,
                };
                let who = who.and_then(|v| voice_words(v, name));
                cands.push(KeyMoment {
                    t: e.t,
                    t_end: e.t + 1.0,
                    delta: at(e.t + 1.0) - at((e.t - 0.1).max(0.0)),
                    cause: match who {
                        Some(who) => format!("Something outside your control ({who}): “{line}”"),
                        None => format!("Something outside your control: “{line}”"),
                    },
                    event: Some(i),
                })
            }
            _ => {}
        }
    }
    for (k, open) in zone_open.iter().enumerate() {
        if let Some((idx, t0)) = open {
            let zone = if k == 1 {
                Zone::ReactionaryGap
            } else {
                Zone::PersonalSpace
            };
            cands.push(KeyMoment {
                t: *t0,
                t_end: end,
                delta: at(end) - at(*t0),
                cause: format!("{:.0} s inside {name}'s {}", end - t0, zone.label()),
                event: Some(*idx),
            });
        }
    }
    if let Some((idx, t0)) = weapon_open {
        cands.push(KeyMoment {
            t: t0,
            t_end: end,
            delta: at(end) - at(t0),
            cause: format!("A drawn weapon for {:.0} s", end - t0),
            event: Some(idx),
        });
    }
    // Quiet stretches where agitation settled by itself: presence and patience working.
    let quiet: Vec<f32> = r
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Utterance { .. }
                    | EventKind::Zone { entered: true, .. }
                    | EventKind::FastApproach { .. }
                    | EventKind::TriggerFired { .. }
            )
        })
        .map(|e| e.t)
        .collect();
    let mut bounds = vec![0.0];
    bounds.extend(quiet.iter().copied());
    bounds.push(end);
    for w in bounds.windows(2) {
        let (t0, t1) = (w[0] + 0.5, w[1] - 0.5);
        if t1 - t0 >= 10.0 {
            let delta = at(t1) - at(t0);
            if delta <= -6.0 {
                cands.push(KeyMoment {
                    t: t0,
                    t_end: t1,
                    delta,
                    cause: quiet_cause(r, name, t0, t1),
                    event: None,
                });
            }
        }
    }
    cands.retain(|m| m.delta.abs() >= 3.0);
    cands.sort_by(|a, b| {
        b.delta
            .abs()
            .total_cmp(&a.delta.abs())
            .then(a.t.total_cmp(&b.t))
    });
    cands.truncate(6);
    cands.sort_by(|a, b| a.t.total_cmp(&b.t));
    cands
}

/// Why the subject settled over a quiet stretch, as true of this run: "steady presence
/// without pressure" only once the trainee had spoken, stood outside the person's space and
/// kept any weapon holstered; otherwise the person settled with time alone.
fn quiet_cause(r: &SimResult, name: &str, t0: f32, t1: f32) -> String {
    let secs = t1 - t0;
    let spoke = r
        .events
        .iter()
        .any(|e| e.t < t0 && matches!(e.kind, EventKind::Utterance { .. }));
    let close = r
        .samples
        .iter()
        .any(|s| s.t >= t0 && s.t <= t1 && s.distance < r.subject.personal_space);
    let drawn = weapon_drawn_between(r, t0, t1);
    if spoke && !close && !drawn {
        format!("{secs:.0} s of steady presence without pressure: {name} settled")
    } else if !spoke {
        format!("{secs:.0} s in which you had not yet said anything: {name} settled with time")
    } else {
        format!("{secs:.0} s without a word from you: {name} settled with time")
    }
}

/// Whether the trainee's weapon was out at any point between `t0` and `t1`.
fn weapon_drawn_between(r: &SimResult, t0: f32, t1: f32) -> bool {
    let mut out_at_start = false;
    for e in r.events.iter().take_while(|e| e.t <= t1) {
        match e.kind {
            EventKind::Weapon { drawn } if e.t < t0 => out_at_start = drawn,
            EventKind::Weapon { drawn: true } => return true,
            _ => {}
        }
    }
    out_at_start
}

fn count_tags(r: &SimResult, pred: impl Fn(&Tag) -> bool, before: f32) -> usize {
    r.events
        .iter()
        .filter(|e| e.t < before)
        .filter(|e| matches!(&e.kind, EventKind::Utterance { tags, .. } if tags.iter().any(&pred)))
        .count()
}

fn cdm(scenario: &Scenario, r: &SimResult, indicators: &[IndicatorNote]) -> Vec<CdmStep> {
    let name = &scenario.subject.name;
    let first_influence = r
        .events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Utterance { tags, .. } if tags.iter().any(|t| t.stair_steps().contains(&StairStep::Influence))))
        .map(|e| e.t)
        .unwrap_or(f32::INFINITY);
    let listening = count_tags(
        r,
        |t| t.stair_steps().contains(&StairStep::Listen),
        first_influence,
    );
    let utterances = count_tags(r, |_| true, f32::INFINITY);

    // 1. Collect information.
    let mut collect = Vec::new();
    if utterances == 0 {
        collect.push(format!(
            "Nothing was said to {name}, so nothing was learned from them."
        ));
    } else if first_influence.is_finite() {
        collect.push(format!(
            "Before first asking {name} to do something (at {}), you used {listening} listening move{} (open questions, active listening, paraphrase).",
            clock(first_influence),
            if listening == 1 { "" } else { "s" }
        ));
    } else {
        collect.push(format!(
            "You never asked {name} to do anything; {} listening move{} gathered what they were going through.",
            listening,
            if listening == 1 { "" } else { "s" }
        ));
    }
    // 2. Assess situation, threats and risks.
    let mut assess = Vec::new();
    for n in indicators {
        assess.push(match n.recognised_at {
            Some(t) => format!("You recognised {} at {}.", n.indicator.label(), clock(t)),
            None => format!(
                "{}: present, but never acknowledged.",
                capital(n.indicator.label())
            ),
        });
    }
    assess.extend(weapon_assessment(scenario, r));
    let fast = r
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::FastApproach { .. }))
        .count();
    if fast > 0 {
        assess.push(format!(
            "You closed in fast {fast} time{}.",
            if fast == 1 { "" } else { "s" }
        ));
    }
    // 3. Consider police powers and policy.
    let mut powers = Vec::new();
    let commands = count_tags(r, |t| matches!(t, Tag::Command), f32::INFINITY);
    let threats = count_tags(r, |t| matches!(t, Tag::Threat), f32::INFINITY);
    if commands + threats == 0 {
        powers.push("You did not rely on commands or threats.".to_string());
    } else {
        powers.push(format!(
            "You gave {commands} command{} and made {threats} threat{}.",
            if commands == 1 { "" } else { "s" },
            if threats == 1 { "" } else { "s" }
        ));
    }
    powers.extend(weapon_powers(r));
    if let Some(o) = r.outcome
        && o == Outcome::ForceUsed
    {
        powers.push("The contact ended with force being used.".into());
    }
    // 4. Identify options.
    let mut options = Vec::new();
    let offered = count_tags(r, |t| matches!(t, Tag::OfferOptions), f32::INFINITY);
    let support = count_tags(r, |t| matches!(t, Tag::CallSupport), f32::INFINITY);
    let pauses = r
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TacticalPause { .. }))
        .count();
    options.push(format!(
        "You offered {name} choices {offered} time{}, called for support {support} time{}, and took {pauses} tactical pause{}.",
        if offered == 1 { "" } else { "s" },
        if support == 1 { "" } else { "s" },
        if pauses == 1 { "" } else { "s" }
    ));
    if scenario.partner.is_some() {
        let talked_over = r
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::PartnerTalksOver { .. }))
            .count();
        let back = r
            .events
            .iter()
            .find(|e| matches!(e.kind, EventKind::PartnerSteppedBack));
        options.push(match back {
            Some(e) => format!(
                "You asked your partner to step back at {} (one voice); before that they talked over you {talked_over} time{}.",
                clock(e.t),
                if talked_over == 1 { "" } else { "s" }
            ),
            None => format!(
                "Your partner was never asked to step back and talked over you {talked_over} time{}.",
                if talked_over == 1 { "" } else { "s" }
            ),
        });
    }
    // 5. Act, review and re-assess: what happened after agitation crossed a level upwards?
    let mut review = Vec::new();
    let mut rises = 0;
    let mut adjusted = 0;
    let mut unanswered = 0;
    let mut prev_tone: Option<Tone> = None;
    for (i, e) in r.events.iter().enumerate() {
        if let EventKind::Utterance { tone, .. } = &e.kind {
            prev_tone = Some(*tone);
        }
        if let EventKind::Threshold {
            measure: Measure::Agitation,
            rising: true,
            level,
        } = e.kind
            && level >= 50.0
        {
            rises += 1;
            let next = r.events[i + 1..].iter().find_map(|x| match &x.kind {
                EventKind::Utterance { tone, .. } => Some(Some(*tone)),
                EventKind::TacticalPause { .. } => Some(None),
                _ => None,
            });
            let d_before = crate::assess::debrief::distance_at(&r.samples, e.t);
            let d_after = crate::assess::debrief::distance_at(&r.samples, e.t + 10.0);
            let calmer = match (next, prev_tone) {
                (Some(None), _) => true,
                (Some(Some(n)), Some(p)) => n.intensity() < p.intensity() || n == Tone::Calm,
                (Some(Some(n)), None) => n == Tone::Calm,
                _ => false,
            };
            if calmer || d_after > d_before + 1.0 {
                adjusted += 1;
            } else if next.is_none() && d_after >= d_before - 1.0 {
                unanswered += 1;
            }
        }
    }
    let peak = r.samples.iter().map(|s| s.agitation).fold(0.0f32, f32::max);
    let start = r.samples.first().map_or(0.0, |s| s.agitation);
    if rises == 0 && peak < 50.0 {
        review.push(format!("{name}'s agitation never climbed past 50."));
    } else if rises == 0 {
        review.push(format!(
            "{name}'s agitation was already {start:.0} when you arrived and peaked at {peak:.0}, without a fresh climb past 50 or 75 to answer."
        ));
    } else {
        review.push(if rises == 1 {
            if adjusted == 1 {
                "Agitation climbed past 50 or 75 once, and you answered with a calmer voice, a pause or more distance."
                    .to_string()
            } else if unanswered == 1 {
                "Agitation climbed past 50 or 75 once, and nothing answered it: you said nothing more and did not step back."
                    .to_string()
            } else {
                "Agitation climbed past 50 or 75 once, and the next thing you did was not a calmer voice, a pause or more distance."
                    .to_string()
            }
        } else if unanswered == rises {
            format!(
                "Agitation climbed past 50 or 75 {rises} times, and nothing answered any of them: you said nothing more and did not step back."
            )
        } else {
            let mut s = format!(
                "Agitation climbed past 50 or 75 {rises} times; {adjusted} of those times you answered with a calmer voice, a pause or more distance"
            );
            if unanswered > 0 {
                s.push_str(&format!(
                    ", and {unanswered} of them nothing answered (no word, no step back)"
                ));
            }
            s.push('.');
            s
        });
    }
    review.extend(drivers(r, name));
    vec![
        CdmStep {
            step: "Collect information".into(),
            observations: collect,
            question: format!("What did you know about {name} when you arrived, and what did you learn from them before acting?"),
        },
        CdmStep {
            step: "Assess situation, threats and risks".into(),
            observations: assess,
            question: "Which signs told you how much risk there was, and how did your position reflect that?".into(),
        },
        CdmStep {
            step: "Consider police powers and policy".into(),
            observations: powers,
            question: "Which powers did you need here, and which would have made things worse?".into(),
        },
        CdmStep {
            step: "Identify options and determine the best course of action".into(),
            observations: options,
            question: format!("What options did {name} have at each point, and did they know them?"),
        },
        CdmStep {
            step: "Act, review and re-assess".into(),
            observations: review,
            question: "When things got worse, what did you change — and what would you change next time?".into(),
        },
    ]
}

/// What raised agitation most over the run, from the simulation's own totals, so an
/// ending's general account ("speed, distance, a raised voice") is checked against this run.
fn drivers(r: &SimResult, name: &str) -> Option<String> {
    let c = &r.causes;
    let mut rows = [
        ("standing close", c.proximity),
        ("fast approaches", c.fast_approach),
        ("a drawn weapon", c.weapon),
        ("silence", c.silence),
        ("what you said", c.words),
        ("how you said it", c.tone),
        ("your partner talking over you", c.partner),
        ("what happened around you", c.triggers),
        ("the instructor", c.instructor),
    ];
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let up: Vec<String> = rows
        .iter()
        .filter(|(_, v)| *v >= 1.0)
        .take(3)
        .map(|(what, v)| format!("{what} (+{v:.0})"))
        .collect();
    (!up.is_empty()).then(|| {
        format!(
            "What raised {name}'s agitation most in this run: {}.",
            up.join(", ")
        )
    })
}

/// What the subject could hurt someone with and where the trainee stood: the reactionary
/// gap, cover, and against a firearm, the time in the open.
fn weapon_assessment(scenario: &Scenario, r: &SimResult) -> Vec<String> {
    let secs = |ticks: u32| ticks as f32 * crate::sim::DT;
    let subj = &r.subject;
    let (name, gap) = (&subj.name, subj.reactionary_gap);
    let gap_secs = secs(r.tally.in_reactionary_gap);
    let inside = seconds(gap_secs);
    let Some(w) = subj.armed() else {
        return if gap_secs > 0.0 {
            vec![format!(
                "You spent {inside} inside the {} m reactionary gap.",
                metres(gap)
            )]
        } else {
            Vec::new()
        };
    };
    let cover = secs(r.tally.in_cover);
    let mut out = vec![format!(
        "{name} {}; you spent {inside} inside the {} m reactionary gap and {} behind cover.",
        w.phrase(),
        metres(gap),
        seconds(cover)
    )];
    if w.is_firearm() {
        let has_cover = scenario.place.props.iter().any(|p| scenario.gives_cover(p));
        let open = secs(r.tally.ticks - r.tally.in_cover);
        out.push(if has_cover && open < 0.5 {
            "Against a firearm, distance alone does not protect you; cover does, and you kept it the whole time.".to_string()
        } else if has_cover {
            format!(
                "Against a firearm, distance alone does not protect you; cover does. You were in the open for {open:.0} s of {:.0} s.",
                secs(r.tally.ticks)
            )
        } else {
            "There was no cover here: against a firearm, only distance, time and words were left. Where would you have looked for it?".to_string()
        });
    }
    out
}

/// The trainee's weapon, judged against what the subject had.
fn weapon_powers(r: &SimResult) -> Vec<String> {
    let drawn = r.tally.weapon_drawn as f32 * crate::sim::DT;
    let name = &r.subject.name;
    match r.subject.armed() {
        Some(w) if w.is_firearm() && w.in_hand => vec![if drawn > 0.0 {
            format!(
                "Your weapon was drawn for {drawn:.0} s. With {name} holding {}, drawing was justified; what protected you was cover.",
                w.object.label()
            )
        } else {
            format!(
                "Your weapon stayed holstered while {name} held {}: what made that safe, or not?",
                w.object.label()
            )
        }],
        _ if drawn > 0.0 => vec![format!("Your weapon was drawn for {drawn:.0} s.")],
        _ => Vec::new(),
    }
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

fn recognition(scenario: &Scenario, r: &SimResult, scores: &Scores, a: &Arc3) -> String {
    let name = &scenario.subject.name;
    let mut strengths: Vec<(f32, String)> = scores
        .verbal
        .items
        .iter()
        .chain(scores.distance.items.iter())
        .chain(scores.time.items.iter())
        .filter(|i| i.points > 0.0)
        .map(|i| (i.points, i.reason.clone()))
        .collect();
    strengths.sort_by(|x, y| y.0.total_cmp(&x.0));
    let ended = r
        .outcome
        .map_or(String::new(), |o| format!(" as “{}”", o.label()));
    let spoke = r
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Utterance { .. }));
    let mut s = if !spoke {
        format!(
            "{name}'s agitation went from {:.0} to {:.0} and the contact ended{ended} without a struggle, with nothing said by you: what in your presence, position or timing made that possible?",
            a.start, a.end
        )
    } else if a.end < a.start - 1.0 {
        format!(
            "You brought {name} from agitation {:.0} (peak {:.0} at {}) down to {:.0} without a struggle, and the contact ended{ended}.",
            a.start,
            a.peak,
            clock(a.peak_t),
            a.end
        )
    } else if a.peak > a.start + 5.0 {
        format!(
            "Agitation rose from {:.0} to a peak of {:.0} at {} and ended at {:.0}, yet the contact ended{ended} without a struggle.",
            a.start,
            a.peak,
            clock(a.peak_t),
            a.end
        )
    } else {
        format!(
            "You kept {name} steady (agitation {:.0} at the start, {:.0} at the end) and the contact ended{ended} without a struggle.",
            a.start, a.end
        )
    };
    if !strengths.is_empty() {
        s.push_str(" What carried it: ");
        s.push_str(
            &strengths
                .iter()
                .take(3)
                .map(|(_, t)| t.clone())
                .collect::<Vec<_>>()
                .join("; "),
        );
        s.push('.');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::round_for_words;

    #[test]
    fn small_rates_keep_two_significant_figures() {
        assert_eq!(round_for_words(0.012), "0.012");
        assert_eq!(round_for_words(0.5), "0.50");
        assert_eq!(round_for_words(2.34), "2.3");
        assert_eq!(round_for_words(23.4), "23");
        assert_eq!(round_for_words(0.0), "0.0");
    }
}
