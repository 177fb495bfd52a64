//! After-action replay: re-simulate a record into one frame per tick, so a 3D viewer
//! can play, pause and scrub to any moment, and mark utterances, key moments and
//! instructor flags along the timeline. Engine-free; the game draws it.

use crate::assess::debrief::Debrief;
use crate::format::scenario::Scenario;
use crate::format::variation::Voice;
use crate::format::vocab::{Body, Tone};
use crate::records::record::{Record, RecordError};
use crate::sim::staging::TimedAct;
use crate::sim::{DT, EventKind, InstructorAction, Sim, TickInput, TraineeState};
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
        let partner = scenario
            .partner
            .as_ref()
            .map_or("Partner".to_string(), |p| p.name.clone());
        let mut frames = Vec::with_capacity(record.inputs.ticks as usize);
        let mut lines: Vec<Line> = Vec::new();
        let mut state = TraineeState::default();
        let mut next = 0;
        let entries = &record.inputs.entries;
        for tick in 0..record.inputs.ticks {
            if sim.is_finished() {
                break;
            }
            let mut action = None;
            if let Some(e) = entries.get(next)
                && e.tick == tick
            {
                if let Some(t) = e.trainee {
                    state = t;
                }
                action = e.action.clone();
                next += 1;
            }
            let events = sim
                .step(&TickInput {
                    trainee: state,
                    action,
                })
                .map_err(|e| RecordError::Replay(tick, e))?;
            for e in events {
                let line = match &e.kind {
                    EventKind::SubjectLine { text, .. } => {
                        Some((scenario.subject.name.clone(), text))
                    }
                    EventKind::Utterance { text, .. } => Some(("You".to_string(), text)),
                    EventKind::PartnerTalksOver { line } => Some((partner.clone(), line)),
                    EventKind::AsideAnswered { from, line, .. } => Some((from.clone(), line)),
                    EventKind::Injected { line, by, .. } => match by {
                        Some(Voice::Subject) => None, // followed by a `SubjectLine`
                        Some(v) => Some((speaker_name(*v, &partner, &scenario.subject.name), line)),
                        None => Some(("Radio / bystander".to_string(), line)),
                    },
                    EventKind::TriggerFired {
                        line: Some(line),
                        by,
                        ..
                    } if *by != Voice::Subject => {
                        Some((speaker_name(*by, &partner, &scenario.subject.name), line))
                    }
                    EventKind::Happened { line, by, .. } => {
                        Some((speaker_name(*by, &partner, &scenario.subject.name), line))
                    }
                    _ => None,
                };
                if let Some((speaker, text)) = line {
                    lines.push(Line {
                        t: e.t,
                        speaker,
                        text: text.clone(),
                    });
                }
            }
            let t = tick as f32 * DT;
            let subtitle = lines
                .iter()
                .rposition(|l| t - l.t < SUBTITLE_SECS)
                .map(|i| i as u32);
            frames.push(Frame {
                t,
                trainee: state,
                agitation: sim.agitation(),
                trust: sim.trust(),
                distance: sim.distance(),
                body: sim.body(),
                scene: scenario.scene_index(sim.scene_id()).unwrap_or(0) as u16,
                subtitle,
            });
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
