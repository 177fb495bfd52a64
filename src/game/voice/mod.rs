//! Push-to-talk: with the talk panel open, hold V (or the middle mouse button), say the line,
//! release; the take is measured by the core's `voice` module against the trainee's calibration.
//! With a line already picked (marked by its number key, or under the mouse pointer) that line
//! is said in the measured tone; otherwise the measured tone becomes the tone of the line picked
//! next. The input log keeps how the tone was decided. Owns the microphone ([`mic`]), the take,
//! the calibration and their display.

use bevy::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use crate::game::screens::playing::talk::TalkPanel;
use crate::game::settings::{Settings, settings_path};
use crate::game::state::TickSet;
use crate::game::{Launch, Screen, Session, TraineeAct};
use crate::sim::Action;
use crate::voice::calibration::Calibration;
use crate::voice::{Spoken, ToneSource, analyse};

mod meter;
pub mod mic;

use mic::{Capture, MicStatus};

/// The microphone: its shared capture buffer and what opening it came to.
#[derive(Resource)]
pub struct VoiceInput {
    pub capture: mic::Shared,
    /// None while the device is still being opened.
    pub status: Option<MicStatus>,
    opening: Option<Mutex<Receiver<MicStatus>>>,
}

impl VoiceInput {
    fn open() -> VoiceInput {
        let capture = mic::Shared::default();
        let rx = mic::open(Arc::clone(&capture));
        VoiceInput {
            capture,
            status: None,
            opening: Some(Mutex::new(rx)),
        }
    }

    /// A stand-in microphone at `rate` whose samples a test (or a recording) writes into
    /// [`Self::capture`] while push-to-talk is held: the same path the device's callback takes.
    pub fn fed(rate: u32) -> VoiceInput {
        let capture = Arc::new(Mutex::new(Capture {
            rate,
            ..Capture::default()
        }));
        VoiceInput {
            capture,
            status: Some(MicStatus::Ready {
                rate,
                device: "a recording".into(),
            }),
            opening: None,
        }
    }

    /// No microphone to use, and why (what a machine without one gets from [`mic::open`]).
    pub fn unavailable(why: &str) -> VoiceInput {
        VoiceInput {
            capture: mic::Shared::default(),
            status: Some(MicStatus::Unavailable(why.to_string())),
            opening: None,
        }
    }

    pub fn ready(&self) -> bool {
        matches!(self.status, Some(MicStatus::Ready { .. }))
    }

    fn with<R>(&self, f: impl FnOnce(&mut Capture) -> R) -> Option<R> {
        self.capture.lock().ok().map(|mut c| f(&mut c))
    }
}

/// The take in progress or just measured, and what to tell the trainee about it.
#[derive(Resource, Default, Debug)]
pub struct VoiceTake {
    /// Push-to-talk is held and samples are being kept.
    pub talking: bool,
    /// The last take's measure, waiting for the line it was said for.
    pub spoken: Option<Spoken>,
    /// One line for the trainee ("Measured: firm — pick the line", "No microphone …").
    pub message: Option<String>,
    /// Input-log entries already looked at.
    attached: usize,
}

/// The trainee's voice calibration (or the defaults) and where it is saved.
#[derive(Resource, Debug, Clone, Default)]
pub struct TraineeCalibration {
    pub calibration: Calibration,
    pub path: Option<PathBuf>,
}

/// `<config>/deescalate/voice/<trainee>.ron`, beside the settings file.
pub fn calibration_path(trainee: &str) -> Option<PathBuf> {
    let dir = settings_path()?.parent()?.join("voice");
    Some(dir.join(format!("{}.ron", crate::records::record::slug(trainee))))
}

/// The message when push-to-talk cannot be used.
pub const NO_MIC: &str = "the tone is the menu's (Q/E)";
const NO_MIC_CAP: &str = "The tone is the menu's (Q/E)";

/// Load the calibration of the trainee named at launch or typed on the select screen (the
/// defaults when they have none yet).
fn follow_trainee(launch: Res<Launch>, mut current: ResMut<TraineeCalibration>) {
    let trainee = launch.trainee.as_deref().unwrap_or("trainee");
    let path = calibration_path(trainee);
    if path == current.path && current.path.is_some() {
        return;
    }
    let calibration = match path
        .as_deref()
        .filter(|p| p.exists())
        .map(Calibration::load)
    {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            warn!("voice calibration: {e}; using typical values");
            Calibration::default()
        }
        None => Calibration::default(),
    };
    *current = TraineeCalibration { calibration, path };
}

/// Open the microphone once voice is on (at start, or when the instructor turns it on).
fn open_microphone(
    mut commands: Commands,
    settings: Res<Settings>,
    input: Option<Res<VoiceInput>>,
) {
    if settings.voice && input.is_none() {
        commands.insert_resource(VoiceInput::open());
    }
}

/// Learn what opening the microphone came to; say once if it cannot be used.
fn poll_microphone(mut input: ResMut<VoiceInput>, mut take: ResMut<VoiceTake>) {
    let Some(rx) = &input.opening else { return };
    let got = rx.lock().ok().and_then(|r| r.try_recv().ok());
    let Some(status) = got else { return };
    match &status {
        MicStatus::Ready { rate, device } => info!("microphone: {device} at {rate} Hz"),
        MicStatus::Unavailable(why) => {
            warn!("microphone: {why}; {NO_MIC}");
            take.message = Some(format!(
                "No microphone: {}. {NO_MIC_CAP}.",
                why.trim_end_matches('.')
            ));
        }
    }
    input.status = Some(status);
    input.opening = None;
}

/// Hold V or the middle mouse button with the talk panel open: record; release: measure.
#[allow(clippy::too_many_arguments)]
fn push_to_talk(
    keys: Res<ButtonInput<KeyCode>>,
    mouse: Res<ButtonInput<MouseButton>>,
    mut panel: ResMut<TalkPanel>,
    settings: Res<Settings>,
    input: Option<Res<VoiceInput>>,
    calibration: Res<TraineeCalibration>,
    mut take: ResMut<VoiceTake>,
    mut session: ResMut<Session>,
    mut acts: MessageWriter<TraineeAct>,
) {
    let held = keys.pressed(KeyCode::KeyV) || mouse.pressed(MouseButton::Middle);
    let pressed = keys.just_pressed(KeyCode::KeyV) || mouse.just_pressed(MouseButton::Middle);
    if pressed && panel.open && !take.talking {
        start_take(input.as_deref(), &settings, &mut take);
    }
    if !take.talking || held {
        return;
    }
    take.talking = false;
    let Some(samples) = input
        .as_deref()
        .and_then(|i| i.with(|c| (c.stop(), c.rate)))
    else {
        return;
    };
    let spoken = Spoken::measure(analyse(&samples.0, samples.1), &calibration.calibration);
    take.message = Some(match (spoken.source, spoken.measured) {
        (ToneSource::Voice, Some(t)) => {
            session.tone = t;
            // Picked first (marked by its number, or under the pointer): said now.
            let offered = session.sim.offered_choices();
            let marked = panel
                .marked_line()
                .filter(|id| offered.iter().any(|c| c.id == *id))
                .map(str::to_string);
            match marked {
                Some(option) => {
                    acts.write(TraineeAct(Action::Say { option, tone: t }));
                    panel.close();
                    format!("Measured from your voice: {t}. Line said.")
                }
                None => format!("Measured from your voice: {t}. Now pick the line (1-9)."),
            }
        }
        _ => format!(
            "No speech heard ({}); the menu tone stays.",
            spoken.features.not_speech.as_deref().unwrap_or("too quiet")
        ),
    });
    take.spoken = Some(spoken);
}

/// V pressed: start keeping samples, or say why the voice cannot be used.
fn start_take(input: Option<&VoiceInput>, settings: &Settings, take: &mut VoiceTake) {
    match input.filter(|_| settings.voice) {
        Some(i) if i.ready() => {
            i.with(Capture::start);
            take.talking = true;
            take.message = None;
        }
        Some(i) if i.status.is_none() => {
            take.message = Some("The microphone is still starting…".into())
        }
        Some(VoiceInput {
            status: Some(MicStatus::Unavailable(why)),
            ..
        }) => {
            let why = why.trim_end_matches('.');
            take.message = Some(format!("No microphone: {why}. {NO_MIC_CAP}."));
        }
        _ if !settings.voice => {
            take.message = Some(format!("Voice is turned off in the settings; {NO_MIC}."))
        }
        _ => {}
    }
}

/// After the core's step (before the journal mirrors the log, so a run recovered after a
/// crash keeps it too): the line said since the take gets its measure in the input log
/// (when its tone is still the measured one: Q/E after the take means the menu decided).
fn attach_to_log(mut session: ResMut<Session>, mut take: ResMut<VoiceTake>) {
    let entries = &mut session.log.entries;
    if entries.len() < take.attached {
        take.attached = 0;
    }
    for e in entries.iter_mut().skip(take.attached) {
        let Some(Action::Say { tone, .. }) = &e.action else {
            continue;
        };
        if let Some(s) = take.spoken.take()
            && (s.source == ToneSource::Menu || s.tone(*tone) == *tone)
        {
            e.voice = Some(s);
        }
    }
    take.attached = entries.len();
}

fn new_run(mut take: ResMut<VoiceTake>, input: Option<Res<VoiceInput>>) {
    if let Some(i) = input {
        i.with(|c| c.stop());
    }
    let message = take
        .message
        .take()
        .filter(|m| m.starts_with("No microphone"));
    *take = VoiceTake {
        message,
        ..VoiceTake::default()
    };
}

pub fn plugin(app: &mut App) {
    app.init_resource::<VoiceTake>()
        .init_resource::<TraineeCalibration>()
        .add_systems(
            Update,
            (
                follow_trainee.run_if(resource_changed::<Launch>),
                open_microphone,
                poll_microphone.run_if(resource_exists::<VoiceInput>),
                push_to_talk.run_if(in_state(Screen::Playing).and_then(resource_exists::<Session>)),
            )
                .chain(),
        )
        .add_systems(OnEnter(Screen::Playing), new_run)
        .add_systems(
            FixedUpdate,
            attach_to_log
                .in_set(TickSet::React)
                .run_if(in_state(Screen::Playing).and_then(resource_exists::<Session>)),
        );
    meter::plugin(app);
}
