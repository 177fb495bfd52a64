//! The debrief's timeline: one entry per thing said or done, in order — the subject's and
//! the trainee's lines (with tone and the change in agitation), the partner, what the
//! scene did and why, what the trainee did with their body, the instructor's actions.

use super::words::capital;
use super::{Speaker, TimelineEntry, distance_at};
use crate::format::scenario::{Scenario, When};
use crate::format::variation::Voice;
use crate::format::vocab::Tone;
use crate::sim::{Event, EventKind, InstructorAction, SimResult, describe_next, describe_when};

pub(super) fn timeline(scenario: &Scenario, r: &SimResult) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    for (i, e) in r.events.iter().enumerate() {
        match scene_fact(&e.kind, e.t) {
            Some(text) => out.push(entry(e, i, Speaker::Scene, text)),
            None => add_said(&mut out, scenario, r, i, e),
        }
    }
    out
}

/// An entry for event number `i`: who and what, nothing else yet.
fn entry(e: &Event, i: usize, speaker: Speaker, text: String) -> TimelineEntry {
    TimelineEntry {
        t: e.t,
        speaker,
        text,
        tone: None,
        agitation_before: None,
        agitation_after: None,
        note: None,
        event: i,
        voice: None,
    }
}

/// What event `i` adds when someone speaks or the story moves (a trigger fires, something
/// happens): nothing, one entry, or (a trigger with another voice's line) two.
fn add_said(out: &mut Vec<TimelineEntry>, scenario: &Scenario, r: &SimResult, i: usize, e: &Event) {
    let partner = scenario.partner.as_ref().map(|p| p.name.as_str());
    let entry = |speaker, text: String| entry(e, i, speaker, text);
    match &e.kind {
        EventKind::SubjectLine { text, .. } => out.push(entry(Speaker::Subject, text.clone())),
        EventKind::Utterance { .. } | EventKind::TacticalPause { .. } => out.extend(trainee(e, i)),
        EventKind::PartnerTalksOver { line } => {
            let mut en = entry(Speaker::Partner, line.clone());
            let who = partner.unwrap_or("Your partner");
            en.note = Some(format!("{who} talked over you: two voices at once."));
            out.push(en);
        }
        EventKind::PartnerSteppedBack => out.push(entry(
            Speaker::Scene,
            format!(
                "{} stepped back: one voice.",
                partner.unwrap_or("Your partner")
            ),
        )),
        EventKind::TriggerFired { .. } => add_trigger(out, scenario, r, i, e),
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
        EventKind::Instructor { action } => {
            out.push(entry(Speaker::Instructor, describe_instructor(action)))
        }
        _ => {}
    }
}

/// The trainee's line (with its tone and the change in agitation) or deliberate pause.
fn trainee(e: &Event, i: usize) -> Option<TimelineEntry> {
    match &e.kind {
        EventKind::Utterance {
            text,
            tone,
            agitation_before,
            agitation_after,
            why,
            tone_fits,
            ..
        } => {
            let mut en = entry(e, i, Speaker::Trainee, text.clone());
            en.tone = Some(*tone);
            en.agitation_before = Some(*agitation_before);
            en.agitation_after = Some(*agitation_after);
            en.note = utterance_note(why, *tone, *tone_fits);
            Some(en)
        }
        EventKind::TacticalPause {
            agitation_before,
            agitation_after,
        } => {
            let mut en = entry(e, i, Speaker::Trainee, "(a deliberate pause)".into());
            en.agitation_before = Some(*agitation_before);
            en.agitation_after = Some(*agitation_after);
            Some(en)
        }
        _ => None,
    }
}

/// A trigger that fired: what it saw (said as what the trainee did, where it can be) and
/// why, then the line it gives a voice other than the subject's.
fn add_trigger(
    out: &mut Vec<TimelineEntry>,
    scenario: &Scenario,
    r: &SimResult,
    i: usize,
    e: &Event,
) {
    let EventKind::TriggerFired {
        scene,
        condition,
        why,
        target,
        line,
        by,
    } = &e.kind
    else {
        return;
    };
    let fired = fired_trigger(scenario, scene.as_deref(), condition, target);
    let said = fired
        .and_then(|w| position_fact(w, r, e.t))
        .unwrap_or_else(|| capital(condition));
    let mut en = entry(e, i, Speaker::Scene, said);
    en.note = why.clone();
    out.push(en);
    // The subject's own line follows as a `SubjectLine`.
    if let Some(line) = line
        && *by != Voice::Subject
    {
        out.push(entry(e, i, Speaker::of(*by), line.clone()));
    }
}

/// Why a line moved the subject, and whether the voice fitted the words.
fn utterance_note(why: &Option<String>, tone: Tone, tone_fits: bool) -> Option<String> {
    let mut note = why.clone().unwrap_or_default();
    if !tone_fits {
        if !note.is_empty() {
            note.push(' ');
        }
        note.push_str(&format!("The {tone} voice did not fit these words."));
    }
    (!note.is_empty()).then_some(note)
}

/// What the scene records that no one said: a branch taken, the trainee entering a zone,
/// closing in fast, drawing or holstering, taking cover, and the ending.
fn scene_fact(kind: &EventKind, t: f32) -> Option<String> {
    Some(match kind {
        EventKind::Branched { why: Some(why), .. } => why.clone(),
        EventKind::Zone {
            zone,
            entered: true,
            distance,
            ..
        } => {
            let (zone, d) = (zone.label(), distance);
            if at_start(t) {
                format!("You started inside the {zone} ({d:.1} m).")
            } else {
                format!("You entered the {zone} ({d:.1} m).")
            }
        }
        EventKind::FastApproach { speed, .. } => format!("You closed in fast ({speed:.1} m/s)."),
        EventKind::Weapon { drawn: true } => "You drew your weapon.".into(),
        EventKind::Weapon { drawn: false } => "You holstered your weapon.".into(),
        EventKind::Cover { taken: true } if at_start(t) => "You started behind cover.".into(),
        EventKind::Cover { taken: true } => "You moved behind cover.".into(),
        EventKind::EndingReached { title, .. } => format!("Ending: {title}"),
        _ => return None,
    })
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
pub(super) fn at_start(t: f32) -> bool {
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
