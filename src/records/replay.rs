//! After-action replay: re-simulate a record into one frame per tick, so a 3D viewer
//! can play, pause and scrub to any moment, and mark utterances, key moments and
//! instructor flags along the timeline. Engine-free; the game draws it.

use crate::assess::debrief::Debrief;
use crate::format::scenario::Scenario;
use crate::format::variation::Voice;
use crate::format::vocab::{Body, Tone};
use crate::records::record::{Record, RecordError};
use crate::sim::script::LogEntry;
use crate::sim::staging::TimedAct;
use crate::sim::{DT, Event, EventKind, InstructorAction, Sim, TickInput, TraineeState};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The state of the run at one tick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub t: f32,
    pub trainee: TraineeState,
    pub agitation: f32,
    pub trust: f32,
    pub distance: f32,
    pub body: Body,
    /// Index into `Replay::scenes` of the scene in play.
    pub scene: u16,
    /// Index into `Replay::lines` of the subtitle to show (the most recent line within 6 s).
    pub subtitle: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkKind {
    Utterance,
    Pause,
    KeyMoment,
    InstructorFlag,
    Instructor,
    Trigger,
    Ending,
}

/// Something to mark on the timeline (and jump to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub t: f32,
    pub kind: MarkKind,
    pub label: String,
    pub tone: Option<Tone>,
}

/// A subtitle line: who said it and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub t: f32,
    pub speaker: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    pub frames: Vec<Frame>,
    pub marks: Vec<Mark>,
    pub lines: Vec<Line>,
    pub scenes: Vec<String>,
    pub debrief: Debrief,
    /// What the subject's body did, in order (see [`crate::sim::staging::Staging::at`]).
    pub acts: Vec<TimedAct>,
}

/// How long a subtitle stays up.
const SUBTITLE_SECS: f32 = 6.0;

impl Replay {
    /// Re-simulate `record` on `scenario`. Fails like [`Record::replay`] if it no longer
    /// reproduces.
    pub fn build(record: &Record, scenario: Arc<Scenario>) -> Result<Replay, RecordError> {
        let debrief = record.replay(Arc::clone(&scenario))?;
        let mut sim =
            Sim::new(Arc::clone(&scenario), record.seed).map_err(|e| RecordError::Replay(0, e))?;
        let scenes: Vec<String> = scenario.scenes.iter().map(|s| s.id.clone()).collect();
        let speakers = Speakers::of(&scenario);
        let mut frames = Vec::with_capacity(record.inputs.ticks as usize);
        let mut lines: Vec<Line> = Vec::new();
        let mut inputs = Inputs::new(&record.inputs.entries);
        for tick in 0..record.inputs.ticks {
            if sim.is_finished() {
                break;
            }
            let input = inputs.at(tick);
            let events = sim.step(&input).map_err(|e| RecordError::Replay(tick, e))?;
            lines.extend(events.iter().filter_map(|e| speakers.line(e)));
            frames.push(frame(&sim, &scenario, tick, input.trainee, &lines));
        }
        let marks = marks(&debrief);
        Ok(Replay {
            frames,
            marks,
            lines,
            scenes,
            debrief,
            acts: sim.acts().to_vec(),
        })
    }

    pub fn duration(&self) -> f32 {
        self.frames.last().map_or(0.0, |f| f.t)
    }

    /// The frame at time `t` (clamped to the run).
    pub fn frame_at(&self, t: f32) -> Option<&Frame> {
        if self.frames.is_empty() {
            return None;
        }
        let i = ((t / DT).round().max(0.0) as usize).min(self.frames.len() - 1);
        self.frames.get(i)
    }

    /// The next mark strictly after `t` (optionally of one kind), for "jump to next flag".
    pub fn next_mark(&self, t: f32, kind: Option<MarkKind>) -> Option<&Mark> {
        self.marks
            .iter()
            .filter(|m| kind.is_none_or(|k| m.kind == k))
            .find(|m| m.t > t + 1e-3)
    }

    /// The previous mark strictly before `t`.
    pub fn prev_mark(&self, t: f32, kind: Option<MarkKind>) -> Option<&Mark> {
        self.marks
            .iter()
            .rev()
            .filter(|m| kind.is_none_or(|k| m.kind == k))
            .find(|m| m.t < t - 1e-3)
    }
}

/// The name a subtitle shows for a line said by `by`.
/// The record's inputs, tick by tick: the trainee stays where the last entry put them.
struct Inputs<'a> {
    entries: &'a [LogEntry],
    next: usize,
    state: TraineeState,
}

impl<'a> Inputs<'a> {
    fn new(entries: &'a [LogEntry]) -> Self {
        Inputs {
            entries,
            next: 0,
            state: TraineeState::default(),
        }
    }

    /// The input for `tick` (ticks asked for in order).
    fn at(&mut self, tick: u32) -> TickInput {
        let mut action = None;
        if let Some(e) = self.entries.get(self.next)
            && e.tick == tick
        {
            if let Some(t) = e.trainee {
                self.state = t;
            }
            action = e.action.clone();
            self.next += 1;
        }
        TickInput {
            trainee: self.state,
            action,
        }
    }
}

/// Who says what in a replay's subtitles: the subject and the partner by name.
struct Speakers {
    subject: String,
    partner: String,
}

impl Speakers {
    fn of(scenario: &Scenario) -> Self {
        Speakers {
            subject: scenario.subject.name.clone(),
            partner: scenario
                .partner
                .as_ref()
                .map_or("Partner".to_string(), |p| p.name.clone()),
        }
    }

    /// The subtitle event `e` brings, if it is something said aloud.
    fn line(&self, e: &Event) -> Option<Line> {
        let name = |by: Voice| speaker_name(by, &self.partner, &self.subject);
        let (speaker, text) = match &e.kind {
            EventKind::SubjectLine { text, .. } => (self.subject.clone(), text),
            EventKind::Utterance { text, .. } => ("You".to_string(), text),
            EventKind::PartnerTalksOver { line } => (self.partner.clone(), line),
            EventKind::AsideAnswered { from, line, .. } => (from.clone(), line),
            EventKind::Injected { line, by, .. } => match by {
                Some(Voice::Subject) => return None, // followed by a `SubjectLine`
                Some(v) => (name(*v), line),
                None => ("Radio / bystander".to_string(), line),
            },
            EventKind::TriggerFired {
                line: Some(line),
                by,
                ..
            } if *by != Voice::Subject => (name(*by), line),
            EventKind::Happened { line, by, .. } => (name(*by), line),
            _ => return None,
        };
        Some(Line {
            t: e.t,
            speaker,
            text: text.clone(),
        })
    }
}

/// The frame for `tick`: the measures after it, and the subtitle still up then.
fn frame(
    sim: &Sim,
    scenario: &Scenario,
    tick: u32,
    trainee: TraineeState,
    lines: &[Line],
) -> Frame {
    let t = tick as f32 * DT;
    let subtitle = lines
        .iter()
        .rposition(|l| t - l.t < SUBTITLE_SECS)
        .map(|i| i as u32);
    Frame {
        t,
        trainee,
        agitation: sim.agitation(),
        trust: sim.trust(),
        distance: sim.distance(),
        body: sim.body(),
        scene: scenario.scene_index(sim.scene_id()).unwrap_or(0) as u16,
        subtitle,
    }
}

fn speaker_name(by: Voice, partner: &str, subject: &str) -> String {
    match by {
        Voice::Scene => "Scene".into(),
        Voice::Bystander => "Bystander".into(),
        Voice::Radio => "Radio".into(),
        Voice::Partner => partner.into(),
        Voice::Subject => subject.into(),
    }
}

fn marks(d: &Debrief) -> Vec<Mark> {
    let mut out = Vec::new();
    for e in &d.events {
        let m = match &e.kind {
            EventKind::Utterance { text, tone, .. } => {
                Some((MarkKind::Utterance, text.clone(), Some(*tone)))
            }
            EventKind::TacticalPause { .. } => {
                Some((MarkKind::Pause, "tactical pause".into(), None))
            }
            EventKind::Instructor {
                action: InstructorAction::Flag(note),
            } => Some((MarkKind::InstructorFlag, note.clone(), None)),
            EventKind::Instructor { action } => Some((
                MarkKind::Instructor,
                crate::assess::debrief::describe_instructor(action),
                None,
            )),
            EventKind::TriggerFired { condition, .. } => {
                Some((MarkKind::Trigger, condition.clone(), None))
            }
            EventKind::EndingReached { title, .. } => Some((MarkKind::Ending, title.clone(), None)),
            _ => None,
        };
        if let Some((kind, label, tone)) = m {
            out.push(Mark {
                t: e.t,
                kind,
                label,
                tone,
            });
        }
    }
    for k in &d.key_moments {
        out.push(Mark {
            t: k.t,
            kind: MarkKind::KeyMoment,
            label: format!("{:+.0} agitation: {}", k.delta, k.cause),
            tone: None,
        });
    }
    out.sort_by(|a, b| a.t.total_cmp(&b.t));
    out
}
