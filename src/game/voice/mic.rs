//! The microphone: the default input device through cpal, opened on a thread of its own that
//! keeps the stream alive and appends mono samples to a shared [`Capture`] while push-to-talk
//! is held. No device, refused permission or a failing stream become a [`MicStatus`] message,
//! never a crash. Tests feed recordings into the same [`Capture`].

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

/// The longest take kept (a spoken line is a few seconds; the rest is dropped).
pub const MAX_TAKE_SECONDS: usize = 15;

/// Samples captured while push-to-talk is held, and the live level for the meter.
#[derive(Debug, Default)]
pub struct Capture {
    pub recording: bool,
    pub rate: u32,
    pub samples: Vec<f32>,
    /// Peak magnitude of the most recent samples (0..1), for the level meter.
    pub recent_peak: f32,
}

impl Capture {
    /// Append interleaved frames of `channels` channels, mixed to mono (only while recording).
    pub fn push_interleaved(&mut self, data: &[f32], channels: usize) {
        let channels = channels.max(1);
        let mut peak = 0.0f32;
        for frame in data.chunks_exact(channels) {
            let v = frame.iter().sum::<f32>() / channels as f32;
            peak = peak.max(v.abs());
            if self.recording && self.samples.len() < MAX_TAKE_SECONDS * self.rate as usize {
                self.samples.push(v);
            }
        }
        self.recent_peak = peak;
    }

    pub fn start(&mut self) {
        self.samples.clear();
        self.recording = true;
    }

    /// Stop and hand over the take.
    pub fn stop(&mut self) -> Vec<f32> {
        self.recording = false;
        self.recent_peak = 0.0;
        std::mem::take(&mut self.samples)
    }
}

/// What opening the microphone came to.
#[derive(Debug, Clone, PartialEq)]
pub enum MicStatus {
    Ready { rate: u32, device: String },
    Unavailable(String),
}

pub type Shared = Arc<Mutex<Capture>>;

/// Open the default input device on a thread of its own; its status arrives on the receiver.
pub fn open(capture: Shared) -> Receiver<MicStatus> {
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new()
        .name("microphone".into())
        .spawn(move || run(capture, tx));
    if let Err(e) = spawned {
        let (tx, rx2) = channel();
        let _ = tx.send(MicStatus::Unavailable(format!("could not start: {e}")));
        return rx2;
    }
    rx
}

fn run(capture: Shared, tx: Sender<MicStatus>) {
    let stream = match start(Arc::clone(&capture)) {
        Ok((stream, status)) => {
            let _ = tx.send(status);
            stream
        }
        Err(why) => {
            let why = why.trim_end_matches('.').to_string();
            let _ = tx.send(MicStatus::Unavailable(why));
            return;
        }
    };
    // Keep the stream alive for the life of the program.
    loop {
        std::thread::park();
        let _ = &stream;
    }
}

fn start(capture: Shared) -> Result<(cpal::Stream, MicStatus), String> {
    let host = cpal::default_host();
    let device = host
        .default_input_device()
        .ok_or("no microphone (input device) was found")?;
    let name = device
        .description()
        .map(|d| d.name().to_string())
        .unwrap_or_else(|_| "the default microphone".into());
    let supported = device
        .default_input_config()
        .map_err(|e| format!("the microphone cannot be used: {e}"))?;
    let format = supported.sample_format();
    let config: cpal::StreamConfig = supported.config();
    let rate = config.sample_rate;
    let channels = config.channels as usize;
    if let Ok(mut c) = capture.lock() {
        c.rate = rate;
    }
    let on_error = |e: cpal::Error| bevy::log::warn!("microphone: {e}");
    let stream = match format {
        cpal::SampleFormat::F32 => device.build_input_stream(
            config,
            move |data: &[f32], _: &_| feed(&capture, data.iter().copied(), channels),
            on_error,
            None,
        ),
        cpal::SampleFormat::I16 => device.build_input_stream(
            config,
            move |data: &[i16], _: &_| {
                feed(&capture, data.iter().map(|v| *v as f32 / 32768.0), channels)
            },
            on_error,
            None,
        ),
        cpal::SampleFormat::U16 => device.build_input_stream(
            config,
            move |data: &[u16], _: &_| {
                feed(
                    &capture,
                    data.iter().map(|v| (*v as f32 - 32768.0) / 32768.0),
                    channels,
                )
            },
            on_error,
            None,
        ),
        other => {
            return Err(format!(
                "the microphone's sample format {other} is not supported"
            ));
        }
    }
    .map_err(|e| format!("the microphone could not be opened: {e}"))?;
    stream
        .play()
        .map_err(|e| format!("the microphone could not be started: {e}"))?;
    Ok((stream, MicStatus::Ready { rate, device: name }))
}

fn feed(capture: &Shared, data: impl Iterator<Item = f32>, channels: usize) {
    let buf: Vec<f32> = data.collect();
    if let Ok(mut c) = capture.lock() {
        c.push_interleaved(&buf, channels);
    }
}
