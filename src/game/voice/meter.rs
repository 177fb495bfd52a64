//! What push-to-talk shows: on the playing screen a live level meter while V is held and one
//! line about the last take (or why voice cannot be used); on the settings panel a line that
//! says whether voice is on and calibrated, M to turn it on or off, C to calibrate (read one
//! sentence normally, then say one firm command, each while holding V), saved per trainee.

use bevy::prelude::*;

use super::{TraineeCalibration, VoiceInput, VoiceTake};
use crate::game::Screen;
use crate::game::screens::settings::SettingsPanel;
use crate::game::settings::Settings;
use crate::game::state::SettingsChanged;
use crate::game::theme::{UiFonts, color, size, widget};
use crate::voice::analyse;
use crate::voice::block::power_db;
use crate::voice::calibration::Calibration;
use crate::voice::utterance::Features;

/// The sentence and the command a calibration asks for.
pub const NORMAL_SENTENCE: &str = "Hi, I'm Sam, I'm with the police. Can we talk for a minute?";
pub const FIRM_COMMAND: &str = "Put the knife down. Now.";

#[derive(Component)]
struct MeterRoot;

#[derive(Component)]
struct MeterFill;

#[derive(Component)]
struct MeterTrack;

#[derive(Component)]
struct MeterText;

#[derive(Component)]
struct SettingsLine;

#[derive(Component)]
struct CalibrationTrack;

#[derive(Component)]
struct CalibrationFill;

#[derive(Component)]
struct SettingsText;

/// The calibration in progress: none, or waiting for the normal sentence / the firm command.
#[derive(Resource, Default, Debug)]
pub struct Calibrating {
    pub active: bool,
    pub normal: Option<Features>,
    pub talking: bool,
    pub message: Option<String>,
}

/// Level (dBFS) to a meter fill: -60 dBFS empty, 0 dBFS full.
fn meter_percent(peak: f32) -> f32 {
    let db = power_db(peak * peak);
    ((db + 60.0) / 60.0 * 100.0).clamp(0.0, 100.0)
}

/// The microphone's latest peak (0 without one).
fn live_peak(input: Option<&VoiceInput>) -> f32 {
    input.and_then(|i| i.with(|c| c.recent_peak)).unwrap_or(0.0)
}

fn shown(on: bool) -> Display {
    if on { Display::Flex } else { Display::None }
}

fn spawn_meter(mut commands: Commands, fonts: Res<UiFonts>) {
    commands
        .spawn((
            Node {
                // Top centre, between the HUD and the talk column (the subject's line and
                // the marked one stay in view while speaking).
                position_type: PositionType::Absolute,
                top: Val::Px(80.0),
                left: Val::Percent(33.0),
                right: Val::Percent(40.0),
                flex_direction: FlexDirection::Column,
                row_gap: Val::Px(6.0),
                padding: UiRect::axes(Val::Px(12.0), Val::Px(8.0)),
                border_radius: BorderRadius::all(Val::Px(8.0)),
                ..default()
            },
            BackgroundColor(color::PANEL),
            Visibility::Hidden,
            MeterRoot,
            DespawnOnExit(Screen::Playing),
        ))
        .with_children(|c| {
            c.spawn((widget::level_track(220.0), MeterTrack))
                .with_children(|t| {
                    t.spawn((widget::level_fill(0.0, color::GOOD), MeterFill));
                });
            c.spawn((fonts.text("", size::SMALL, color::TEXT), MeterText));
        });
}

/// How long a message about a take (or a missing microphone) stays on screen.
const MESSAGE_SECONDS: f32 = 8.0;

fn update_meter(
    time: Res<Time>,
    mut seen: Local<(Option<String>, f32)>,
    take: Res<VoiceTake>,
    input: Option<Res<VoiceInput>>,
    mut root: Query<&mut Visibility, With<MeterRoot>>,
    mut fill: Query<(&mut Node, &mut BackgroundColor), (With<MeterFill>, Without<MeterTrack>)>,
    mut track: Query<&mut Node, (With<MeterTrack>, Without<MeterFill>)>,
    mut text: Query<&mut Text, With<MeterText>>,
) {
    for mut n in &mut track {
        n.display = shown(take.talking);
    }
    let peak = live_peak(input.as_deref());
    if seen.0 != take.message {
        *seen = (take.message.clone(), time.elapsed_secs());
    }
    let fresh = take.message.is_some() && time.elapsed_secs() - seen.1 < MESSAGE_SECONDS;
    for mut v in &mut root {
        *v = if take.talking || fresh {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
    }
    for (mut node, mut bg) in &mut fill {
        let pct = if take.talking {
            meter_percent(peak)
        } else {
            0.0
        };
        node.width = Val::Percent(pct);
        bg.0 = if pct > 95.0 { color::BAD } else { color::GOOD };
    }
    for mut t in &mut text {
        let s = if take.talking {
            "Listening… release V when you have said the line.".to_string()
        } else {
            take.message.clone().unwrap_or_default()
        };
        if t.0 != s {
            t.0 = s;
        }
    }
}

/// The settings panel's voice line, shown while the panel is open.
fn spawn_settings_line(mut commands: Commands, fonts: Res<UiFonts>) {
    commands
        .spawn((
            Node {
                position_type: PositionType::Absolute,
                bottom: Val::Px(4.0),
                left: Val::Px(12.0),
                right: Val::Px(12.0),
                flex_direction: FlexDirection::Column,
                row_gap: Val::Px(4.0),
                padding: UiRect::axes(Val::Px(12.0), Val::Px(6.0)),
                border: UiRect::all(Val::Px(1.0)),
                border_radius: BorderRadius::all(Val::Px(6.0)),
                ..default()
            },
            BackgroundColor(color::PANEL_SOLID),
            BorderColor::all(color::BORDER),
            GlobalZIndex(60),
            Visibility::Hidden,
            SettingsLine,
        ))
        .with_children(|c| {
            c.spawn((widget::level_track(220.0), CalibrationTrack))
                .with_children(|t| {
                    t.spawn((widget::level_fill(0.0, color::GOOD), CalibrationFill));
                });
            c.spawn((fonts.text("", size::SMALL, color::TEXT), SettingsText));
        });
}

fn settings_text(
    s: &Settings,
    cal: &TraineeCalibration,
    c: &Calibrating,
    input: Option<&VoiceInput>,
) -> String {
    if c.active {
        let step = if c.normal.is_none() {
            format!("1/2 Hold V and read in your normal voice: \"{NORMAL_SENTENCE}\"")
        } else {
            format!("2/2 Hold V and say it as a firm command: \"{FIRM_COMMAND}\"")
        };
        let head = c
            .message
            .clone()
            .map(|m| format!("{m}\n"))
            .unwrap_or_default();
        return format!("{head}Voice calibration. {step}   (Esc or C: stop)");
    }
    let state = if !s.voice {
        "off: the tone is always the menu's".to_string()
    } else {
        match input.and_then(|i| i.status.clone()) {
            Some(super::MicStatus::Unavailable(why)) => format!("on, but {why}"),
            None => "on (the microphone is starting)".into(),
            Some(_) if cal.calibration.calibrated => "on, calibrated to your voice".into(),
            Some(_) => "on, not calibrated (typical values)".into(),
        }
    };
    let done = c
        .message
        .clone()
        .map(|m| format!("{m}\n"))
        .unwrap_or_default();
    format!(
        "{done}Voice (push-to-talk V): {state}.   M: turn voice on/off   C: calibrate your voice"
    )
}

fn settings_keys(
    keys: Res<ButtonInput<KeyCode>>,
    panel: Res<SettingsPanel>,
    mut settings: ResMut<Settings>,
    mut cal: ResMut<Calibrating>,
    input: Option<Res<VoiceInput>>,
) {
    if !panel.open {
        cal.active = false;
        return;
    }
    if keys.just_pressed(KeyCode::KeyM) {
        settings.voice = !settings.voice;
    }
    let stop = keys.just_pressed(KeyCode::Escape) && cal.active;
    if keys.just_pressed(KeyCode::KeyC) || stop {
        let ready = input.as_deref().is_some_and(VoiceInput::ready) && settings.voice;
        *cal = Calibrating {
            active: !cal.active && ready,
            message: (!cal.active && !ready)
                .then(|| "Calibration needs voice on and a working microphone.".into()),
            ..Calibrating::default()
        };
    }
}

/// Hold V during calibration: record; release: keep the take, and after the second, save.
fn calibrate(
    keys: Res<ButtonInput<KeyCode>>,
    input: Option<Res<VoiceInput>>,
    mut cal: ResMut<Calibrating>,
    mut trainee: ResMut<TraineeCalibration>,
) {
    let Some(input) = input.filter(|_| cal.active) else {
        return;
    };
    if keys.just_pressed(KeyCode::KeyV) && !cal.talking {
        input.with(super::Capture::start);
        cal.talking = true;
        return;
    }
    if !cal.talking || keys.pressed(KeyCode::KeyV) {
        return;
    }
    cal.talking = false;
    let Some((samples, rate)) = input.with(|c| (c.stop(), c.rate)) else {
        return;
    };
    let take = analyse(&samples, rate);
    let Some(normal) = cal.normal.clone() else {
        cal.message = take
            .not_speech
            .as_ref()
            .map(|why| format!("No speech heard ({why}); say it again."));
        cal.normal = take.speech.then_some(take);
        return;
    };
    match Calibration::from_takes(&normal, &take) {
        Ok(c) => {
            let saved = match trainee.path.as_deref().map(|p| c.save(p)) {
                Some(Ok(())) => "Calibrated and saved.".to_string(),
                Some(Err(e)) => format!("Calibrated for this session (not saved: {e})."),
                None => "Calibrated for this session.".to_string(),
            };
            trainee.calibration = c;
            *cal = Calibrating {
                message: Some(saved),
                ..Calibrating::default()
            };
        }
        Err(e) => cal.message = Some(format!("{e}.")),
    }
}

fn update_settings_line(
    panel: Res<SettingsPanel>,
    settings: Res<Settings>,
    trainee: Res<TraineeCalibration>,
    cal: Res<Calibrating>,
    input: Option<Res<VoiceInput>>,
    mut root: Query<&mut Visibility, With<SettingsLine>>,
    mut track: Query<&mut Node, (With<CalibrationTrack>, Without<CalibrationFill>)>,
    mut fill: Query<&mut Node, (With<CalibrationFill>, Without<CalibrationTrack>)>,
    mut text: Query<&mut Text, With<SettingsText>>,
) {
    for mut v in &mut root {
        *v = if panel.open {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
    }
    for mut n in &mut track {
        n.display = shown(cal.active);
    }
    let peak = live_peak(input.as_deref());
    for mut n in &mut fill {
        n.width = Val::Percent(if cal.talking {
            meter_percent(peak)
        } else {
            0.0
        });
    }
    let s = settings_text(&settings, &trainee, &cal, input.as_deref());
    for mut t in &mut text {
        if t.0 != s {
            t.0 = s.clone();
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Calibrating>();
    let ui = resource_exists::<UiFonts>;
    app.add_systems(OnEnter(Screen::Playing), spawn_meter.run_if(ui))
        .add_systems(Startup, spawn_settings_line.run_if(ui))
        .add_systems(
            Update,
            (
                update_meter.run_if(in_state(Screen::Playing).and_then(ui)),
                (
                    (settings_keys, calibrate)
                        .chain()
                        .run_if(resource_exists::<TraineeCalibration>),
                    update_settings_line.run_if(ui),
                )
                    .chain()
                    .run_if(resource_exists::<SettingsPanel>)
                    .before(SettingsChanged),
            ),
        );
}
