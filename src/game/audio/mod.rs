//! Sound with kira: ambience for the place and weather, a short spatial speech cue at the
//! subject (and partner) when they speak, a radio squelch for radio injects, footsteps,
//! and an optional heartbeat-like stress cue that follows agitation in training mode.
//!
//! Every sound is synthesised at startup (on a background thread) into `StaticSoundData`:
//! the game ships no audio files. A machine without an audio device runs silently after
//! one warning. [`AudioEngine`] is generic over kira's backend so the tests drive it with
//! `MockBackend`.

use crate::format::variation::Voice as SpeakerVoice;
use bevy::prelude::*;
use kira::backend::Backend;
use kira::listener::ListenerHandle;
use kira::sound::static_sound::{StaticSoundData, StaticSoundHandle, StaticSoundSettings};
use kira::track::{SpatialTrackBuilder, SpatialTrackHandle, TrackBuilder, TrackHandle};
use kira::{AudioManager, AudioManagerSettings, Decibels, DefaultBackend, Frame, Tween};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::format::scenario::{Environment, Weather};
use crate::game::live::partner::PartnerOfficer;
use crate::game::live::player::Footstep;
use crate::game::scene::markers::SubjectChest;
use crate::game::settings::Settings;
use crate::game::state::{ActiveScenario, PlayState, Screen, Session, SimEvent};
use crate::sim::EventKind;

/// Sample rate of the synthesised ambience (noise beds need no more).
const AMBIENT_RATE: u32 = 22_050;
/// Sample rate of the synthesised cues.
const CUE_RATE: u32 = 44_100;

pub mod synth;

/// Which voice a speech cue uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Subject,
    Partner,
    /// A bystander injected by the instructor (off to one side, not spatial).
    Bystander,
}

/// Every generated sound.
pub struct SoundBank {
    pub traffic: StaticSoundData,
    pub rain: StaticSoundData,
    pub murmur: StaticSoundData,
    pub wind: StaticSoundData,
    pub room: StaticSoundData,
    pub subject_voice: Vec<StaticSoundData>,
    pub partner_voice: Vec<StaticSoundData>,
    pub bystander_voice: Vec<StaticSoundData>,
    pub radio: StaticSoundData,
    pub steps: Vec<StaticSoundData>,
    pub heartbeat: StaticSoundData,
}

fn data(sample_rate: u32, frames: Vec<Frame>) -> StaticSoundData {
    StaticSoundData {
        sample_rate,
        frames: frames.into(),
        settings: StaticSoundSettings::default(),
        slice: None,
    }
}

/// The period of the generated heartbeat loop; playback rate 1.0 = 75 beats a minute.
const HEARTBEAT_PERIOD: f32 = 0.8;

impl SoundBank {
    pub fn generate() -> SoundBank {
        let voices = |f0: f32, seed: u64| -> Vec<StaticSoundData> {
            (0..6)
                .map(|i| data(CUE_RATE, synth::speech(f0, 3 + (i % 4), seed + i as u64)))
                .collect()
        };
        let ambient = |frames| data(AMBIENT_RATE, frames);
        SoundBank {
            traffic: ambient(synth::traffic(16.0, 1)).loop_region(..),
            rain: ambient(synth::rain(8.0, 2)).loop_region(..),
            murmur: ambient(synth::murmur(16.0, 3)).loop_region(..),
            wind: ambient(synth::wind(14.0, 4)).loop_region(..),
            room: ambient(synth::room(6.0, 5)).loop_region(..),
            subject_voice: voices(118.0, 100),
            partner_voice: voices(138.0, 200),
            bystander_voice: voices(175.0, 300),
            radio: data(CUE_RATE, synth::radio(7)),
            steps: (0..4)
                .map(|i| data(CUE_RATE, synth::footstep(40 + i)))
                .collect(),
            heartbeat: ambient(synth::heartbeat(HEARTBEAT_PERIOD)).loop_region(..),
        }
    }

    /// All sounds (for tests and diagnostics).
    pub fn all(&self) -> Vec<&StaticSoundData> {
        let mut v = vec![
            &self.traffic,
            &self.rain,
            &self.murmur,
            &self.wind,
            &self.room,
            &self.radio,
            &self.heartbeat,
        ];
        v.extend(self.subject_voice.iter());
        v.extend(self.partner_voice.iter());
        v.extend(self.bystander_voice.iter());
        v.extend(self.steps.iter());
        v
    }

    /// The ambience layers for a place, with their levels in dB.
    pub fn ambience(&self, env: Environment, weather: Weather) -> Vec<(&StaticSoundData, f32)> {
        let mut layers = match env {
            Environment::Street => vec![(&self.traffic, -6.0)],
            Environment::ParkingLot => vec![(&self.traffic, -12.0), (&self.wind, -24.0)],
            Environment::Park => vec![(&self.wind, -16.0), (&self.traffic, -22.0)],
            Environment::Bridge => vec![(&self.wind, -7.0), (&self.traffic, -18.0)],
            Environment::Bar => vec![(&self.murmur, -6.0)],
            Environment::Shop => vec![(&self.room, -10.0), (&self.murmur, -20.0)],
            Environment::Apartment => vec![(&self.room, -8.0)],
        };
        if weather == Weather::Rain {
            let indoors = env.is_indoor();
            layers.push((&self.rain, if indoors { -24.0 } else { -8.0 }));
        }
        layers
    }
}

fn hash(s: &str) -> u64 {
    // FNV-1a: stable across runs, so the same line gets the same cue.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

fn volume_db(v: f32) -> Decibels {
    if v <= 0.001 {
        Decibels::SILENCE
    } else {
        Decibels((20.0 * v.log10()).max(Decibels::SILENCE.0))
    }
}

fn tween(ms: u64) -> Tween {
    Tween {
        duration: Duration::from_millis(ms),
        ..Default::default()
    }
}

/// The running mixer: main volume, a spatial listener on the camera, spatial tracks at
/// the subject and partner, ambience and the stress cue.
pub struct AudioEngine<B: Backend> {
    manager: AudioManager<B>,
    listener: ListenerHandle,
    subject: SpatialTrackHandle,
    partner: SpatialTrackHandle,
    ambience_track: TrackHandle,
    ambience: Vec<StaticSoundHandle>,
    heartbeat: Option<StaticSoundHandle>,
}

impl<B: Backend> AudioEngine<B>
where
    B::Error: std::fmt::Debug,
{
    pub fn new(settings: AudioManagerSettings<B>) -> Result<AudioEngine<B>, String> {
        let manager = AudioManager::<B>::new(settings).map_err(|e| format!("{e:?}"))?;
        AudioEngine::with_manager(manager)
    }
}

impl<B: Backend> AudioEngine<B> {
    /// Set up the listener and tracks on a running manager.
    pub fn with_manager(mut manager: AudioManager<B>) -> Result<AudioEngine<B>, String> {
        let listener = manager
            .add_listener([0.0f32, 1.7, 0.0], [0.0f32, 0.0, 0.0, 1.0])
            .map_err(|e| e.to_string())?;
        let spatial = || SpatialTrackBuilder::new().distances((1.5, 45.0));
        let subject = manager
            .add_spatial_sub_track(&listener, [0.0f32, 1.6, -5.0], spatial())
            .map_err(|e| e.to_string())?;
        let partner = manager
            .add_spatial_sub_track(&listener, [1.5f32, 1.6, 0.0], spatial())
            .map_err(|e| e.to_string())?;
        let ambience_track = manager
            .add_sub_track(TrackBuilder::new())
            .map_err(|e| e.to_string())?;
        Ok(AudioEngine {
            manager,
            listener,
            subject,
            partner,
            ambience_track,
            ambience: Vec::new(),
            heartbeat: None,
        })
    }
}

impl<B: Backend> AudioEngine<B> {
    pub fn set_master_volume(&mut self, v: f32) {
        self.manager
            .main_track()
            .set_volume(volume_db(v), tween(80));
    }

    /// Put the listener at the camera.
    pub fn set_listener(&mut self, position: Vec3, rotation: Quat) {
        self.listener
            .set_position(position.to_array(), Tween::default());
        self.listener
            .set_orientation(rotation.to_array(), Tween::default());
    }

    pub fn set_voice_position(&mut self, voice: Voice, position: Vec3) {
        match voice {
            Voice::Subject => self
                .subject
                .set_position(position.to_array(), Tween::default()),
            Voice::Partner => self
                .partner
                .set_position(position.to_array(), Tween::default()),
            Voice::Bystander => {}
        }
    }

    pub fn start_ambience(&mut self, bank: &SoundBank, env: Environment, weather: Weather) {
        self.stop_ambience();
        self.ambience_track
            .set_volume(Decibels::IDENTITY, tween(10));
        for (sound, db) in bank.ambience(env, weather) {
            let s = sound.volume(db).fade_in_tween(tween(1500));
            match self.ambience_track.play(s) {
                Ok(h) => self.ambience.push(h),
                Err(e) => debug!("ambience not played: {e}"),
            }
        }
    }

    pub fn stop_ambience(&mut self) {
        for mut h in self.ambience.drain(..) {
            h.stop(tween(600));
        }
    }

    /// Duck the ambience (pause menu) or bring it back.
    pub fn duck_ambience(&mut self, ducked: bool) {
        let db = if ducked { -12.0 } else { 0.0 };
        self.ambience_track.set_volume(db, tween(300));
    }

    /// A short speech cue for a line. `agitation` (0..100) makes it louder and higher.
    pub fn speak(&mut self, bank: &SoundBank, voice: Voice, line: &str, agitation: f32) {
        let a = if agitation.is_finite() {
            agitation.clamp(0.0, 100.0) / 100.0
        } else {
            0.3
        };
        let set = match voice {
            Voice::Subject => &bank.subject_voice,
            Voice::Partner => &bank.partner_voice,
            Voice::Bystander => &bank.bystander_voice,
        };
        if set.is_empty() {
            return;
        }
        let sound = set[(hash(line) % set.len() as u64) as usize]
            .playback_rate(0.95 + 0.2 * a as f64)
            .volume(-4.0 + 5.0 * a);
        let result = match voice {
            Voice::Subject => self.subject.play(sound).map(drop),
            Voice::Partner => self.partner.play(sound).map(drop),
            Voice::Bystander => self
                .manager
                .play(sound.volume(-10.0).panning(-0.6))
                .map(drop),
        };
        if let Err(e) = result {
            debug!("speech cue not played: {e}");
        }
    }

    pub fn radio(&mut self, bank: &SoundBank) {
        if let Err(e) = self.manager.play(bank.radio.volume(-6.0).panning(0.35)) {
            debug!("radio cue not played: {e}");
        }
    }

    pub fn footstep(&mut self, bank: &SoundBank, n: u64, volume: f32) {
        if bank.steps.is_empty() {
            return;
        }
        let s = &bank.steps[(n % bank.steps.len() as u64) as usize];
        let rate = 0.92 + 0.16 * ((n.wrapping_mul(2_654_435_761) % 100) as f64 / 100.0);
        if let Err(e) = self.manager.play(
            s.volume(volume_db(volume.clamp(0.0, 1.0)).0 - 10.0)
                .playback_rate(rate),
        ) {
            debug!("footstep not played: {e}");
        }
    }

    /// The stress cue: `None` silences it; `Some(agitation)` sets its rate and level.
    pub fn set_stress(&mut self, bank: &SoundBank, agitation: Option<f32>) {
        let Some(a) = agitation.filter(|a| a.is_finite()) else {
            if let Some(mut h) = self.heartbeat.take() {
                h.stop(tween(800));
            }
            return;
        };
        let a = a.clamp(0.0, 100.0);
        // Audible from agitation 35; 64 bpm at 35 → 136 bpm at 100.
        let level = ((a - 35.0) / 65.0).clamp(0.0, 1.0);
        let db = if level <= 0.0 {
            Decibels::SILENCE.0
        } else {
            -30.0 + 20.0 * level
        };
        let bpm = 64.0 + 72.0 * level;
        let rate = (bpm / (60.0 / HEARTBEAT_PERIOD)) as f64;
        if self.heartbeat.is_none() {
            match self
                .manager
                .play(bank.heartbeat.volume(Decibels::SILENCE).playback_rate(rate))
            {
                Ok(h) => self.heartbeat = Some(h),
                Err(e) => {
                    debug!("stress cue not played: {e}");
                    return;
                }
            }
        }
        if let Some(h) = &mut self.heartbeat {
            h.set_volume(db, tween(400));
            h.set_playback_rate(rate, tween(400));
        }
    }

    pub fn manager_mut(&mut self) -> &mut AudioManager<B> {
        &mut self.manager
    }
}

/// The game's audio output (main thread only: the cpal stream is not shareable).
/// `engine` is `None` on machines without a sound device; everything is then silent.
struct AudioOut {
    engine: Option<AudioEngine<DefaultBackend>>,
    bank: Option<Arc<SoundBank>>,
    last_stress: Option<f32>,
    steps: u64,
    volume_applied: Option<f32>,
}

/// The sound bank being generated on a background thread.
#[derive(Resource)]
struct PendingBank(Mutex<Option<Receiver<SoundBank>>>);

fn setup(world: &mut World) {
    let engine = match AudioManager::<DefaultBackend>::new(AudioManagerSettings::default())
        .map_err(|e| e.to_string())
        .and_then(AudioEngine::with_manager)
    {
        Ok(e) => Some(e),
        Err(e) => {
            warn!("no audio output device ({e}); the trainer runs without sound");
            None
        }
    };
    let pending = if engine.is_some() {
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("deescalate-synth".into())
            .spawn(move || {
                let _ = tx.send(SoundBank::generate());
            });
        spawned.ok().map(|_| rx)
    } else {
        None
    };
    world.insert_resource(PendingBank(Mutex::new(pending)));
    world.insert_non_send(AudioOut {
        engine,
        bank: None,
        last_stress: None,
        steps: 0,
        volume_applied: None,
    });
}

fn receive_bank(pending: Res<PendingBank>, mut out: NonSendMut<AudioOut>) {
    if out.bank.is_some() {
        return;
    }
    let Ok(mut guard) = pending.0.lock() else {
        return;
    };
    let Some(rx) = guard.as_ref() else { return };
    match rx.try_recv() {
        Ok(bank) => {
            out.bank = Some(Arc::new(bank));
            *guard = None;
        }
        Err(std::sync::mpsc::TryRecvError::Empty) => {}
        Err(std::sync::mpsc::TryRecvError::Disconnected) => {
            warn!("sound synthesis failed; the trainer runs without sound");
            *guard = None;
        }
    }
}

fn master_volume(settings: Res<Settings>, mut out: NonSendMut<AudioOut>) {
    let v = settings.master_volume;
    if out.volume_applied == Some(v) {
        return;
    }
    out.volume_applied = Some(v);
    if let Some(e) = &mut out.engine {
        e.set_master_volume(v);
    }
}

fn follow_camera(
    cams: Query<(&Camera, &GlobalTransform), With<Camera3d>>,
    mut out: NonSendMut<AudioOut>,
) {
    let Some(engine) = &mut out.engine else {
        return;
    };
    if let Some((_, t)) = cams.iter().find(|(c, _)| c.is_active) {
        let (_, rot, pos) = t.to_scale_rotation_translation();
        engine.set_listener(pos, rot);
    }
}

/// Where the voices come from: the subject's chest (raised to the mouth) and the partner
/// officer's head; the scenario's spawn points until those exist.
fn place_voices(
    scenario: Option<Res<ActiveScenario>>,
    chest: Query<&GlobalTransform, With<SubjectChest>>,
    partner: Query<&GlobalTransform, With<PartnerOfficer>>,
    mut out: NonSendMut<AudioOut>,
) {
    let Some(engine) = &mut out.engine else {
        return;
    };
    let spawn = scenario.as_ref().map(|sc| {
        let s = &sc.scenario.subject;
        let head = (s.appearance.height - 0.12).clamp(1.0, 2.2);
        (
            Vec3::new(s.spawn.x, head, s.spawn.z),
            sc.scenario
                .partner
                .as_ref()
                .map(|p| Vec3::new(p.spawn.x, 1.65, p.spawn.z)),
        )
    });
    let subject = chest
        .iter()
        .next()
        .map(|t| t.translation() + Vec3::Y * 0.3)
        .or(spawn.map(|s| s.0));
    let partner = partner
        .iter()
        .next()
        .map(|t| t.translation() + Vec3::Y * 1.65)
        .or(spawn.and_then(|s| s.1));
    if let Some(p) = subject.filter(|p| p.is_finite()) {
        engine.set_voice_position(Voice::Subject, p);
    }
    if let Some(p) = partner.filter(|p| p.is_finite()) {
        engine.set_voice_position(Voice::Partner, p);
    }
}

fn footsteps(mut steps: MessageReader<Footstep>, mut out: NonSendMut<AudioOut>) {
    let AudioOut {
        engine,
        bank,
        steps: count,
        ..
    } = &mut *out;
    let (Some(engine), Some(bank)) = (engine, bank) else {
        steps.clear();
        return;
    };
    for s in steps.read() {
        *count += 1;
        engine.footstep(bank, *count, if s.running { 0.9 } else { 0.6 });
    }
}

fn start_ambience(scenario: Option<Res<ActiveScenario>>, mut out: NonSendMut<AudioOut>) {
    let Some(sc) = scenario else { return };
    let AudioOut { engine, bank, .. } = &mut *out;
    let (Some(engine), Some(bank)) = (engine, bank) else {
        return;
    };
    engine.start_ambience(
        bank,
        sc.scenario.place.environment,
        sc.scenario.place.weather,
    );
}

/// The bank may arrive a moment after the run starts: start the ambience then.
fn late_ambience(
    scenario: Option<Res<ActiveScenario>>,
    mut out: NonSendMut<AudioOut>,
    mut started: Local<bool>,
    screen: Res<State<Screen>>,
) {
    if *screen.get() != Screen::Playing {
        *started = false;
        return;
    }
    if *started {
        return;
    }
    let Some(sc) = scenario else { return };
    let AudioOut { engine, bank, .. } = &mut *out;
    let (Some(engine), Some(bank)) = (engine, bank) else {
        return;
    };
    if engine.ambience.is_empty() {
        engine.start_ambience(
            bank,
            sc.scenario.place.environment,
            sc.scenario.place.weather,
        );
    }
    *started = true;
}

fn stop_ambience(mut out: NonSendMut<AudioOut>) {
    let AudioOut {
        engine,
        bank,
        last_stress,
        ..
    } = &mut *out;
    if let Some(engine) = engine {
        engine.stop_ambience();
        engine.duck_ambience(false);
        if let Some(bank) = bank {
            engine.set_stress(bank, None);
        }
    }
    *last_stress = None;
}

fn duck(mut out: NonSendMut<AudioOut>) {
    let AudioOut {
        engine,
        bank,
        last_stress,
        ..
    } = &mut *out;
    if let Some(engine) = engine {
        engine.duck_ambience(true);
        if let Some(bank) = bank {
            engine.set_stress(bank, None);
        }
    }
    *last_stress = None;
}

fn unduck(mut out: NonSendMut<AudioOut>) {
    if let Some(engine) = &mut out.engine {
        engine.duck_ambience(false);
    }
}

fn speech_cues(
    mut events: MessageReader<SimEvent>,
    session: Option<Res<Session>>,
    scenario: Option<Res<ActiveScenario>>,
    mut out: NonSendMut<AudioOut>,
) {
    let AudioOut { engine, bank, .. } = &mut *out;
    let (Some(engine), Some(bank)) = (engine, bank) else {
        events.clear();
        return;
    };
    let agitation = session.as_ref().map_or(30.0, |s| s.sim.agitation());
    for SimEvent(e) in events.read() {
        match &e.kind {
            EventKind::SubjectLine { text, .. } => {
                engine.speak(bank, Voice::Subject, text, agitation)
            }
            EventKind::PartnerTalksOver { line } => {
                engine.speak(bank, Voice::Partner, line, agitation)
            }
            EventKind::Happened { line, by, .. } => speak_as(engine, bank, *by, line, agitation),
            EventKind::AsideAnswered { line, by, .. } => {
                speak_as(engine, bank, *by, line, agitation)
            }
            // A trigger's line by someone else than the subject (hers follows as a SubjectLine).
            EventKind::TriggerFired {
                line: Some(line),
                by,
                ..
            } if *by != SpeakerVoice::Subject => speak_as(engine, bank, *by, line, agitation),
            // The subject's own inject line follows as a SubjectLine.
            EventKind::Injected {
                by: Some(SpeakerVoice::Subject),
                ..
            } => {}
            EventKind::Injected {
                line, by: Some(by), ..
            } => speak_as(engine, bank, *by, line, agitation),
            EventKind::Injected { id, line, .. } => {
                let label = scenario
                    .as_ref()
                    .and_then(|s| s.scenario.injects.iter().find(|i| &i.id == id))
                    .map(|i| i.label.as_str())
                    .unwrap_or("");
                if crate::game::state::is_radio_inject(id, label, line) {
                    engine.radio(bank);
                } else {
                    engine.speak(bank, Voice::Bystander, line, agitation);
                }
            }
            _ => {}
        }
    }
}

/// Plays a line said by `by`: the radio sound for Control, a voice for people, nothing for a
/// narrated sound ("(his phone rings)"), which is only shown.
fn speak_as(
    engine: &mut AudioEngine<DefaultBackend>,
    bank: &SoundBank,
    by: SpeakerVoice,
    line: &str,
    agitation: f32,
) {
    match by {
        SpeakerVoice::Radio => engine.radio(bank),
        SpeakerVoice::Bystander => engine.speak(bank, Voice::Bystander, line, agitation),
        SpeakerVoice::Partner => engine.speak(bank, Voice::Partner, line, agitation),
        SpeakerVoice::Subject => engine.speak(bank, Voice::Subject, line, agitation),
        SpeakerVoice::Scene => {}
    }
}

fn stress_cue(
    session: Option<Res<Session>>,
    settings: Res<Settings>,
    mut out: NonSendMut<AudioOut>,
) {
    let want = session
        .as_ref()
        .filter(|s| s.show_hud && settings.stress_cue && !s.sim.is_finished())
        .map(|s| s.sim.agitation());
    let AudioOut {
        engine,
        bank,
        last_stress,
        ..
    } = &mut *out;
    let (Some(engine), Some(bank)) = (engine, bank) else {
        return;
    };
    let changed = match (want, *last_stress) {
        (Some(a), Some(b)) => (a - b).abs() >= 1.0,
        (None, None) => false,
        _ => true,
    };
    if changed {
        engine.set_stress(bank, want);
        *last_stress = want;
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, setup)
        .add_systems(OnEnter(Screen::Playing), start_ambience)
        .add_systems(OnExit(Screen::Playing), stop_ambience)
        .add_systems(OnEnter(PlayState::Paused), duck)
        .add_systems(OnExit(PlayState::Paused), unduck)
        .add_systems(
            Update,
            (
                receive_bank,
                master_volume,
                follow_camera,
                place_voices.run_if(in_state(Screen::Playing)),
                late_ambience,
                speech_cues,
                footsteps,
                stress_cue.run_if(in_state(PlayState::Running)),
            )
                .chain(),
        );
}

#[cfg(test)]
mod tests {
    use super::*;
    use kira::backend::mock::{MockBackend, MockBackendSettings};

    fn check_frames(name: &str, frames: &[Frame]) {
        assert!(!frames.is_empty(), "{name} is empty");
        let mut peak = 0.0f32;
        for f in frames {
            assert!(f.left.is_finite() && f.right.is_finite(), "{name} has NaN");
            peak = peak.max(f.left.abs()).max(f.right.abs());
        }
        assert!(peak > 0.05, "{name} is silent (peak {peak})");
        assert!(peak <= 1.0, "{name} clips (peak {peak})");
    }

    #[test]
    fn generated_sounds_are_finite_audible_and_loop_cleanly() {
        let bank = SoundBank::generate();
        for (i, s) in bank.all().iter().enumerate() {
            check_frames(&format!("sound {i}"), &s.frames);
        }
        // Loops: the jump from the last frame back to the first is no bigger than the
        // biggest step inside the loop.
        for s in [
            &bank.traffic,
            &bank.rain,
            &bank.murmur,
            &bank.wind,
            &bank.room,
        ] {
            let f = &s.frames;
            let max_step = f
                .windows(2)
                .map(|w| (w[1].left - w[0].left).abs())
                .fold(0.0f32, f32::max);
            let wrap = (f[0].left - f[f.len() - 1].left).abs();
            assert!(wrap <= max_step * 1.01, "wrap {wrap} > {max_step}");
            assert!(s.settings.loop_region.is_some());
        }
        // Deterministic.
        assert_eq!(
            synth::speech(120.0, 4, 9).len(),
            synth::speech(120.0, 4, 9).len()
        );
        assert_eq!(synth::footstep(3)[100].left, synth::footstep(3)[100].left);
    }

    #[test]
    fn plays_everything_on_the_mock_backend() {
        let mut engine = AudioEngine::<MockBackend>::new(AudioManagerSettings {
            backend_settings: MockBackendSettings {
                sample_rate: 48_000,
            },
            ..Default::default()
        })
        .expect("mock backend starts");
        let bank = SoundBank::generate();
        engine.set_master_volume(0.8);
        engine.set_listener(Vec3::new(0.0, 1.7, 4.0), Quat::from_rotation_y(0.3));
        engine.set_voice_position(Voice::Subject, Vec3::new(0.0, 1.6, -3.0));
        engine.set_voice_position(Voice::Partner, Vec3::new(2.0, 1.6, 2.0));
        for env in [
            Environment::Street,
            Environment::Apartment,
            Environment::Bridge,
            Environment::ParkingLot,
            Environment::Shop,
            Environment::Bar,
            Environment::Park,
        ] {
            engine.start_ambience(&bank, env, Weather::Rain);
            assert!(!engine.ambience.is_empty());
        }
        engine.duck_ambience(true);
        engine.speak(&bank, Voice::Subject, "Stay back!", 80.0);
        engine.speak(&bank, Voice::Partner, "Drop it!", f32::NAN);
        engine.speak(&bank, Voice::Bystander, "He's got a knife!", 20.0);
        engine.radio(&bank);
        for n in 0..6 {
            engine.footstep(&bank, n, 0.7);
        }
        engine.set_stress(&bank, Some(90.0));
        engine.set_stress(&bank, Some(20.0));
        for _ in 0..50 {
            let backend = engine.manager_mut().backend_mut();
            backend.on_start_processing();
            backend.process();
        }
        engine.set_stress(&bank, None);
        engine.stop_ambience();
        engine.set_master_volume(0.0);
        for _ in 0..10 {
            let backend = engine.manager_mut().backend_mut();
            backend.on_start_processing();
            backend.process();
        }
    }
}
