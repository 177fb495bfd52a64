//! Subtitles: one line at the bottom of the view, above the tone selector — the newest of
//! the subject's lines with their name, the partner's in another colour, injected lines as
//! "Radio" or "Bystander", an aside's answer under its speaker's name ("Control"), and the
//! trainee's own words (dimmer). A line stays up for a time
//! that grows with its length (game time: the clock stops while paused). While the talk
//! panel is open the subject's line is shown there instead, so it is not there twice.

use bevy::prelude::*;
use std::collections::VecDeque;

use super::SubtitleSlot;
use super::talk::TalkPanel;
use crate::format::variation::Voice as SeedVoice;
use crate::game::Session;
use crate::game::state::{ActiveScenario, PlayState, Screen, SimEvent, is_radio_inject};
use crate::game::theme::{UiFonts, color, size, text_row, tone_color};
use crate::sim::EventKind;

/// Lines on screen at once: one, so the subtitles cover as little of the subject as can be.
const MAX_LINES: usize = 1;
/// The least time a line stays up before a line said after it takes its place, so lines said
/// together (the trainee's words, the partner's answer, the subject's reply) are each read.
const MIN_SHOW: f32 = 1.4;
/// Lines waiting their turn; beyond this the oldest waiting is dropped.
const MAX_WAITING: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub speaker: String,
    pub text: String,
    pub color: Color,
    /// Colour of the words (the speaker's name uses `color`).
    pub text_color: Color,
    /// When it went up, and when it comes down (subtitle clock).
    pub shown: f32,
    pub until: f32,
}

/// How long a line of `chars` characters stays up, in seconds.
pub fn hold_time(chars: usize) -> f32 {
    (3.5 + chars as f32 * 0.065).clamp(3.5, 12.0)
}

#[derive(Resource, Default)]
pub struct Subtitles {
    pub lines: VecDeque<Line>,
    /// Lines said while the one showing has not had `MIN_SHOW` yet, in order.
    waiting: VecDeque<Line>,
    /// Seconds of unpaused play.
    pub clock: f32,
    dirty: bool,
}

impl Subtitles {
    pub fn push(&mut self, speaker: String, text: String, color: Color, text_color: Color) {
        self.waiting.push_back(Line {
            speaker,
            text,
            color,
            text_color,
            shown: 0.0,
            until: 0.0,
        });
        while self.waiting.len() > MAX_WAITING {
            self.waiting.pop_front();
        }
        self.advance();
    }

    /// Puts the next waiting line up once the one showing has been up for `MIN_SHOW`.
    fn advance(&mut self) {
        let now = self.clock;
        if self.lines.back().is_some_and(|l| now - l.shown < MIN_SHOW) {
            return;
        }
        let Some(mut line) = self.waiting.pop_front() else {
            return;
        };
        line.shown = now;
        line.until = now + hold_time(line.text.chars().count());
        self.lines.push_back(line);
        while self.lines.len() > MAX_LINES {
            self.lines.pop_front();
        }
        self.dirty = true;
    }
}

fn reset(mut subs: ResMut<Subtitles>) {
    *subs = Subtitles::default();
    subs.dirty = true;
}

fn collect(
    mut events: MessageReader<SimEvent>,
    mut subs: ResMut<Subtitles>,
    scenario: Option<Res<ActiveScenario>>,
) {
    let scenario = scenario.as_deref();
    let names = Names::of(scenario);
    for SimEvent(e) in events.read() {
        show(&mut subs, &e.kind, &names, scenario);
    }
}

/// Whose names the subtitles show: the subject's and the partner's.
struct Names {
    subject: String,
    partner: String,
}

impl Names {
    fn of(scenario: Option<&ActiveScenario>) -> Names {
        let s = scenario.map(|a| &a.scenario);
        Names {
            subject: s.map_or_else(|| "Subject".into(), |s| s.subject.name.clone()),
            partner: s
                .and_then(|s| s.partner.as_ref())
                .map_or_else(|| "Your partner".into(), |p| p.name.clone()),
        }
    }
}

/// Puts up the line event `kind` brings, if it is something said aloud.
fn show(subs: &mut Subtitles, kind: &EventKind, names: &Names, scenario: Option<&ActiveScenario>) {
    let (subject, partner) = (names.subject.as_str(), names.partner.as_str());
    match kind {
        EventKind::SubjectLine { text, .. } => {
            subs.push(subject.into(), text.clone(), color::SUBJECT, color::TEXT)
        }
        EventKind::Utterance { text, tone, .. } => subs.push(
            format!("You ({tone})"),
            text.clone(),
            tone_color(*tone),
            color::TRAINEE,
        ),
        EventKind::TacticalPause { .. } => subs.push(
            "You".into(),
            "(pause deliberately, saying nothing)".into(),
            color::TRAINEE,
            color::MUTED,
        ),
        EventKind::PartnerTalksOver { line } => {
            subs.push(partner.into(), line.clone(), color::PARTNER, color::PARTNER)
        }
        EventKind::PartnerSteppedBack => subs.push(
            partner.into(),
            "(steps back and lets you talk)".into(),
            color::PARTNER,
            color::MUTED,
        ),
        EventKind::AsideAnswered { by, from, line, .. } => named(subs, *by, from, line),
        EventKind::Happened { line, by, .. } => voiced(subs, *by, line, subject, partner),
        // A trigger's line by someone other than the subject (the subject's own follows
        // as a `SubjectLine`).
        EventKind::TriggerFired {
            line: Some(line),
            by,
            ..
        } if *by != SeedVoice::Subject => voiced(subs, *by, line, subject, partner),
        // The subject's own inject line follows as a SubjectLine.
        EventKind::Injected {
            by: Some(SeedVoice::Subject),
            ..
        } => {}
        EventKind::Injected {
            line, by: Some(by), ..
        } => voiced(subs, *by, line, subject, partner),
        EventKind::Injected { id, line, .. } => injected(subs, id, line, scenario),
        _ => {}
    }
}

/// An instructor's inject with no speaker set: the radio if it reads like one, else a
/// bystander.
fn injected(subs: &mut Subtitles, id: &str, line: &str, scenario: Option<&ActiveScenario>) {
    let label = scenario
        .and_then(|s| s.scenario.injects.iter().find(|i| i.id == id))
        .map(|i| i.label.clone())
        .unwrap_or_default();
    if is_radio_inject(id, &label, line) {
        subs.push("Radio".into(), line.into(), color::RADIO, color::RADIO)
    } else {
        subs.push(
            "Bystander".into(),
            line.into(),
            color::BYSTANDER,
            color::TEXT,
        )
    }
}

fn tick(time: Res<Time>, mut subs: ResMut<Subtitles>, state: Option<Res<State<PlayState>>>) {
    if state.is_some_and(|s| *s.get() == PlayState::Paused) {
        return;
    }
    subs.clock += time.delta_secs();
    subs.advance();
    let now = subs.clock;
    let before = subs.lines.len();
    subs.lines.retain(|l| l.until > now);
    if subs.lines.len() != before {
        subs.dirty = true;
    }
}

fn render(
    mut commands: Commands,
    fonts: Res<UiFonts>,
    mut subs: ResMut<Subtitles>,
    slot: Query<Entity, With<SubtitleSlot>>,
    talk: Res<TalkPanel>,
    session: Option<Res<Session>>,
) {
    let Ok(slot) = slot.single() else { return };
    if !subs.dirty && !talk.is_changed() {
        return;
    }
    subs.dirty = false;
    commands.entity(slot).despawn_children();
    let in_panel = |l: &Line| {
        talk.open
            && l.color == color::SUBJECT
            && session
                .as_ref()
                .is_some_and(|s| s.sim.last_line() == Some(l.text.as_str()))
    };
    let Some(l) = subs.lines.back().filter(|l| !in_panel(l)) else {
        return;
    };
    let speaker = if l.speaker.is_empty() {
        String::new()
    } else {
        format!("{}:  ", l.speaker)
    };
    commands.entity(slot).with_children(|s| {
        s.spawn((
            Node {
                padding: UiRect::axes(Val::Px(16.0), Val::Px(6.0)),
                border_radius: BorderRadius::all(Val::Px(6.0)),
                // A long line wraps inside the slot's width instead of running off both edges.
                max_width: Val::Vw(70.0),
                ..text_row()
            },
            BackgroundColor(Color::srgba(0.0, 0.0, 0.0, 0.72)),
        ))
        .with_children(|b| {
            b.spawn((
                Text::new(speaker),
                fonts.font(true, size::LARGE),
                TextColor(l.color),
                TextLayout::justify(Justify::Center),
            ))
            .with_children(|t| {
                t.spawn(fonts.span(l.text.clone(), size::LARGE, l.text_color, false));
            });
        });
    });
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Subtitles>()
        .add_systems(OnEnter(Screen::Playing), reset)
        .add_systems(
            Update,
            (collect, tick, render)
                .chain()
                .run_if(in_state(Screen::Playing)),
        );
}

/// A line said by `by`, with that speaker's usual name and colours.
fn voiced(subs: &mut Subtitles, by: SeedVoice, line: &str, subject: &str, partner: &str) {
    let name = match by {
        SeedVoice::Radio => "Radio",
        SeedVoice::Bystander => "Bystander",
        SeedVoice::Partner => partner,
        SeedVoice::Subject => subject,
        SeedVoice::Scene => "",
    };
    named(subs, by, name, line);
}

/// A line said by `by`, shown under the name `name` (an aside's answer names its speaker:
/// "Officer Dana Price", "Control", "Nicola").
fn named(subs: &mut Subtitles, by: SeedVoice, name: &str, line: &str) {
    let (name_color, text_color) = match by {
        SeedVoice::Radio => (color::RADIO, color::RADIO),
        SeedVoice::Bystander => (color::BYSTANDER, color::TEXT),
        SeedVoice::Partner => (color::PARTNER, color::PARTNER),
        SeedVoice::Subject => (color::SUBJECT, color::TEXT),
        SeedVoice::Scene => (color::MUTED, color::MUTED),
    };
    subs.push(name.to_string(), line.to_string(), name_color, text_color);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radio_or_bystander() {
        assert!(is_radio_inject("radio_backup", "", "Units en route"));
        assert!(is_radio_inject("x", "Dispatch update", "ETA two minutes"));
        assert!(!is_radio_inject(
            "bystander_shout",
            "A passer-by shouts",
            "Get him!"
        ));
    }

    #[test]
    fn lines_said_together_are_each_shown_in_turn() {
        let mut s = Subtitles::default();
        for i in 0..5 {
            s.push("A".into(), format!("line {i}"), color::TEXT, color::TEXT);
        }
        let mut seen = vec![];
        // Six seconds in tenths: each waiting line goes up `MIN_SHOW` after the one before.
        for _ in 0..60 {
            assert_eq!(s.lines.len(), 1, "one line on screen at a time");
            if seen.last() != Some(&s.lines[0].text) {
                seen.push(s.lines[0].text.clone());
            }
            s.clock += 0.1;
            s.advance();
        }
        // The first line, then the newest three in order (the oldest waiting one is dropped).
        assert_eq!(seen, ["line 0", "line 2", "line 3", "line 4"]);
        assert!(hold_time(0) >= 3.5 && hold_time(10_000) <= 12.0);
    }

    #[test]
    fn a_line_after_a_pause_shows_at_once() {
        let mut s = Subtitles::default();
        s.push(
            "You".into(),
            "Control, Fourteen.".into(),
            color::TRAINEE,
            color::TRAINEE,
        );
        s.clock += MIN_SHOW;
        s.push(
            "Control".into(),
            "Fourteen, copy.".into(),
            color::RADIO,
            color::RADIO,
        );
        assert_eq!(s.lines[0].speaker, "Control");
        assert!(s.waiting.is_empty());
    }
}
