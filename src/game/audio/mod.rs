//! Sound with kira: ambience for the place and weather, a short spatial speech cue at the
//! subject (and partner) when they speak, a radio squelch for radio injects, footsteps,
//! and an optional heartbeat-like stress cue that follows agitation in training mode.
//!
//! Every sound is synthesised at startup (on a background thread) into `StaticSoundData`:
//! the game ships no audio files. A machine without an audio device runs silently after
//! one warning. [`AudioEngine`] is generic over kira's backend so the tests drive it with
//! `MockBackend`.

use bevy::prelude::*;
use kira::backend::Backend;
use kira::listener::ListenerHandle;
use kira::sound::static_sound::{StaticSoundData, StaticSoundHandle, StaticSoundSettings};
use kira::track::{SpatialTrackBuilder, SpatialTrackHandle, TrackBuilder, TrackHandle};
use kira::{AudioManager, AudioManagerSettings, Decibels, DefaultBackend, Frame, Tween};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::player::Footstep;
use super::subject::{PartnerOfficer, SubjectChest};
use super::{ActiveScenario, PlayState, Screen, Session, SimEvent};
use crate::scenario::{Environment, Weather};
use crate::sim::EventKind;

/// Sample rate of the synthesised ambience (noise beds need no more).
const AMBIENT_RATE: u32 = 22_050;
/// Sample rate of the synthesised cues.
const CUE_RATE: u32 = 44_100;

/// Procedural synthesis: deterministic, allocation-light DSP building blocks and the
/// generators for every sound the game plays.
pub mod synth {
    use super::{AMBIENT_RATE, CUE_RATE};
    use kira::Frame;
    use std::f32::consts::{PI, TAU};

    /// xorshift64* noise: fast and deterministic.
    #[derive(Clone)]
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
        pub fn next_u32(&mut self) -> u32 {
            let mut x = self.0;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0 = x;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
        }
        /// Uniform in [0, 1).
        pub fn unit(&mut self) -> f32 {
            (self.next_u32() >> 8) as f32 / (1u32 << 24) as f32
        }
        /// Uniform in [-1, 1).
        pub fn noise(&mut self) -> f32 {
            self.unit() * 2.0 - 1.0
        }
        pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
            lo + (hi - lo) * self.unit()
        }
    }

    /// RBJ-cookbook biquad.
    #[derive(Clone, Copy, Default)]
    pub struct Biquad {
        b0: f32,
        b1: f32,
        b2: f32,
        a1: f32,
        a2: f32,
        z1: f32,
        z2: f32,
    }

    impl Biquad {
        fn from(b0: f32, b1: f32, b2: f32, a0: f32, a1: f32, a2: f32) -> Biquad {
            Biquad {
                b0: b0 / a0,
                b1: b1 / a0,
                b2: b2 / a0,
                a1: a1 / a0,
                a2: a2 / a0,
                z1: 0.0,
                z2: 0.0,
            }
        }
        fn w(f: f32, sr: u32) -> (f32, f32) {
            let w = TAU * (f / sr as f32).clamp(1e-5, 0.49);
            (w.cos(), w.sin())
        }
        pub fn lowpass(f: f32, q: f32, sr: u32) -> Biquad {
            let (c, s) = Biquad::w(f, sr);
            let a = s / (2.0 * q);
            Biquad::from(
                (1.0 - c) / 2.0,
                1.0 - c,
                (1.0 - c) / 2.0,
                1.0 + a,
                -2.0 * c,
                1.0 - a,
            )
        }
        pub fn highpass(f: f32, q: f32, sr: u32) -> Biquad {
            let (c, s) = Biquad::w(f, sr);
            let a = s / (2.0 * q);
            Biquad::from(
                (1.0 + c) / 2.0,
                -(1.0 + c),
                (1.0 + c) / 2.0,
                1.0 + a,
                -2.0 * c,
                1.0 - a,
            )
        }
        /// Band-pass with 0 dB peak gain.
        pub fn bandpass(f: f32, q: f32, sr: u32) -> Biquad {
            let (c, s) = Biquad::w(f, sr);
            let a = s / (2.0 * q);
            Biquad::from(a, 0.0, -a, 1.0 + a, -2.0 * c, 1.0 - a)
        }
        /// Change the coefficients, keep the state (for swept filters).
        pub fn retune(&mut self, other: Biquad) {
            let (z1, z2) = (self.z1, self.z2);
            *self = other;
            self.z1 = z1;
            self.z2 = z2;
        }
        #[inline]
        pub fn run(&mut self, x: f32) -> f32 {
            let y = self.b0 * x + self.z1;
            self.z1 = self.b1 * x - self.a1 * y + self.z2;
            self.z2 = self.b2 * x - self.a2 * y;
            y
        }
    }

    /// A smooth random control signal (sum of slow sines with random phases).
    pub struct Lfo {
        parts: [(f32, f32, f32); 3],
    }

    impl Lfo {
        pub fn new(rng: &mut Rng, base_hz: f32) -> Lfo {
            let mut part = |m: f32| {
                (
                    base_hz * m * rng.range(0.8, 1.25),
                    rng.range(0.0, TAU),
                    1.0 / m,
                )
            };
            Lfo {
                parts: [part(1.0), part(2.3), part(5.1)],
            }
        }
        /// In roughly [-1, 1] at time `t` seconds.
        pub fn at(&self, t: f32) -> f32 {
            let mut v = 0.0;
            let mut norm = 0.0;
            for (f, ph, a) in self.parts {
                v += a * (TAU * f * t + ph).sin();
                norm += a;
            }
            v / norm
        }
    }

    /// Make a buffer loop seamlessly: the `xf` frames after `len` are cross-faded into
    /// the start (equal-power, for uncorrelated noise), then the tail is dropped.
    pub fn make_loop(mut buf: Vec<Frame>, len: usize) -> Vec<Frame> {
        let xf = buf.len().saturating_sub(len).min(len);
        for i in 0..xf {
            let f = i as f32 / xf as f32;
            let (fade_in, fade_out) = ((f * PI / 2.0).sin(), (f * PI / 2.0).cos());
            let tail = buf[len + i];
            let head = buf[i];
            buf[i] = Frame {
                left: head.left * fade_in + tail.left * fade_out,
                right: head.right * fade_in + tail.right * fade_out,
            };
        }
        buf.truncate(len);
        buf
    }

    /// Scale so the loudest sample is at `peak`.
    pub fn normalize(buf: &mut [Frame], peak: f32) {
        let m = buf
            .iter()
            .map(|f| f.left.abs().max(f.right.abs()))
            .fold(0.0f32, f32::max);
        if m > 1e-9 {
            let k = peak / m;
            for f in buf.iter_mut() {
                f.left *= k;
                f.right *= k;
            }
        }
    }

    fn pan(x: f32, p: f32) -> Frame {
        // Equal-power pan, p in [-1, 1].
        let a = (p.clamp(-1.0, 1.0) + 1.0) * PI / 4.0;
        Frame {
            left: x * a.cos(),
            right: x * a.sin(),
        }
    }

    fn add(a: &mut Frame, b: Frame) {
        a.left += b.left;
        a.right += b.right;
    }

    /// City traffic: a low rumble that swells, and cars passing left to right and back.
    pub fn traffic(seconds: f32, seed: u64) -> Vec<Frame> {
        let sr = AMBIENT_RATE;
        let len = (seconds * sr as f32) as usize;
        let total = len + sr as usize;
        let mut rng = Rng::new(seed);
        let mut out = vec![Frame::ZERO; total];
        // Rumble: brown noise, low-passed, swelling slowly, decorrelated per channel.
        for ch in 0..2 {
            let mut brown = 0.0f32;
            let mut lp = Biquad::lowpass(220.0, 0.7, sr);
            let swell = Lfo::new(&mut rng, 0.07);
            for (i, f) in out.iter_mut().enumerate() {
                brown = (brown * 0.996 + rng.noise() * 0.06).clamp(-4.0, 4.0);
                let v = lp.run(brown) * (0.65 + 0.35 * swell.at(i as f32 / sr as f32));
                if ch == 0 { f.left += v } else { f.right += v }
            }
        }
        // Cars passing.
        let mut t0 = rng.range(0.0, 2.0);
        while t0 < total as f32 / sr as f32 {
            let dur = rng.range(3.5, 6.5);
            let dir = if rng.unit() < 0.5 { -1.0 } else { 1.0 };
            let gain = rng.range(0.5, 1.0);
            let mut engine = Biquad::bandpass(rng.range(110.0, 260.0), 1.2, sr);
            let mut tyres = Biquad::bandpass(rng.range(900.0, 1600.0), 0.8, sr);
            let start = (t0 * sr as f32) as usize;
            let n = (dur * sr as f32) as usize;
            for k in 0..n {
                let i = start + k;
                if i >= total {
                    break;
                }
                let x = k as f32 / n as f32;
                // Bell-shaped approach and departure.
                let env = (-((x - 0.5) * 5.0).powi(2)).exp() * gain;
                let src = rng.noise();
                let v = (engine.run(src) * 1.6 + tyres.run(src) * 0.5) * env;
                add(&mut out[i], pan(v, dir * (x * 2.0 - 1.0)));
            }
            t0 += rng.range(2.0, 5.0);
        }
        let mut buf = make_loop(out, len);
        normalize(&mut buf, 0.5);
        buf
    }

    /// Rain: bright decorrelated noise and scattered droplets.
    pub fn rain(seconds: f32, seed: u64) -> Vec<Frame> {
        let sr = AMBIENT_RATE;
        let len = (seconds * sr as f32) as usize;
        let total = len + sr as usize / 2;
        let mut rng = Rng::new(seed);
        let mut out = vec![Frame::ZERO; total];
        for ch in 0..2 {
            let mut hp = Biquad::highpass(900.0, 0.7, sr);
            let mut lp = Biquad::lowpass(7000.0, 0.7, sr);
            let gust = Lfo::new(&mut rng, 0.1);
            for (i, f) in out.iter_mut().enumerate() {
                let v = lp.run(hp.run(rng.noise())) * (0.8 + 0.2 * gust.at(i as f32 / sr as f32));
                if ch == 0 {
                    f.left += v * 0.45
                } else {
                    f.right += v * 0.45
                }
            }
        }
        // Droplets: ~60 a second, short band-passed ticks.
        let drops = (total as f32 / sr as f32 * 60.0) as usize;
        for _ in 0..drops {
            let start = (rng.unit() * total as f32) as usize;
            let mut bp = Biquad::bandpass(rng.range(2000.0, 6000.0), 2.0, sr);
            let p = rng.noise();
            let g = rng.range(0.2, 0.9);
            let n = (0.006 * sr as f32) as usize;
            for k in 0..n {
                let i = start + k;
                if i >= total {
                    break;
                }
                let env = (-(k as f32) / (0.0015 * sr as f32)).exp();
                add(&mut out[i], pan(bp.run(rng.noise()) * env * g, p));
            }
        }
        let mut buf = make_loop(out, len);
        normalize(&mut buf, 0.45);
        buf
    }

    /// A bar's murmur: several voices of band-passed noise with syllable and phrase
    /// rhythms, a low room rumble and the odd glass clink.
    pub fn murmur(seconds: f32, seed: u64) -> Vec<Frame> {
        let sr = AMBIENT_RATE;
        let len = (seconds * sr as f32) as usize;
        let total = len + sr as usize;
        let mut rng = Rng::new(seed);
        let mut out = vec![Frame::ZERO; total];
        for _voice in 0..7 {
            let p = rng.range(-0.7, 0.7);
            let g = rng.range(0.35, 1.0);
            let base = rng.range(350.0, 800.0);
            let mut f1 = Biquad::bandpass(base, 2.0, sr);
            let mut f2 = Biquad::bandpass(base * 2.6, 3.0, sr);
            let mut i = (rng.unit() * sr as f32) as usize;
            while i < total {
                // A phrase of syllables, then a pause.
                let syllables = 3 + (rng.unit() * 10.0) as usize;
                for _ in 0..syllables {
                    let n = (rng.range(0.1, 0.24) * sr as f32) as usize;
                    f1.retune(Biquad::bandpass(base * rng.range(0.8, 1.3), 2.0, sr));
                    f2.retune(Biquad::bandpass(base * rng.range(2.0, 3.4), 3.0, sr));
                    for k in 0..n {
                        if i + k >= total {
                            break;
                        }
                        let x = k as f32 / n as f32;
                        let env = (x * PI).sin().powf(0.7);
                        let src = rng.noise();
                        let v = (f1.run(src) + 0.5 * f2.run(src)) * env * g;
                        add(&mut out[i + k], pan(v, p));
                    }
                    i += n + (rng.range(0.01, 0.06) * sr as f32) as usize;
                }
                i += (rng.range(0.3, 1.6) * sr as f32) as usize;
            }
        }
        // Room rumble.
        let mut lp = Biquad::lowpass(120.0, 0.7, sr);
        let mut brown = 0.0f32;
        for f in out.iter_mut() {
            brown = (brown * 0.995 + rng.noise() * 0.05).clamp(-4.0, 4.0);
            let v = lp.run(brown) * 0.5;
            f.left += v;
            f.right += v;
        }
        // Glass clinks.
        let clinks = (seconds / 3.0).max(1.0) as usize;
        for _ in 0..clinks {
            let start = (rng.unit() * len as f32) as usize;
            let f = rng.range(2500.0, 4200.0);
            let p = rng.range(-0.8, 0.8);
            let n = (0.25 * sr as f32) as usize;
            for k in 0..n {
                let i = start + k;
                if i >= total {
                    break;
                }
                let t = k as f32 / sr as f32;
                let v = ((TAU * f * t).sin() + 0.5 * (TAU * f * 2.76 * t).sin())
                    * (-t / 0.05).exp()
                    * 0.25;
                add(&mut out[i], pan(v, p));
            }
        }
        let mut buf = make_loop(out, len);
        normalize(&mut buf, 0.45);
        buf
    }

    /// Wind on a bridge: gusty low-passed noise and a thin whistle that follows the gusts.
    pub fn wind(seconds: f32, seed: u64) -> Vec<Frame> {
        let sr = AMBIENT_RATE;
        let len = (seconds * sr as f32) as usize;
        let total = len + sr as usize;
        let mut rng = Rng::new(seed);
        let mut out = vec![Frame::ZERO; total];
        for ch in 0..2 {
            let gust = Lfo::new(&mut rng, 0.08);
            let mut lp = Biquad::lowpass(400.0, 0.8, sr);
            let mut whistle = Biquad::bandpass(800.0, 14.0, sr);
            for (i, f) in out.iter_mut().enumerate() {
                let g = 0.5 + 0.5 * gust.at(i as f32 / sr as f32);
                if i % 64 == 0 {
                    lp.retune(Biquad::lowpass(250.0 + 700.0 * g, 0.8, sr));
                    whistle.retune(Biquad::bandpass(600.0 + 600.0 * g, 14.0, sr));
                }
                let src = rng.noise();
                let v = lp.run(src) * (0.25 + 0.75 * g) + whistle.run(src) * 0.6 * g * g;
                if ch == 0 { f.left += v } else { f.right += v }
            }
        }
        let mut buf = make_loop(out, len);
        normalize(&mut buf, 0.5);
        buf
    }

    /// Indoor room tone: a quiet low rumble and a faint appliance hum.
    pub fn room(seconds: f32, seed: u64) -> Vec<Frame> {
        let sr = AMBIENT_RATE;
        let len = (seconds * sr as f32) as usize;
        let total = len + sr as usize / 2;
        let mut rng = Rng::new(seed);
        let mut out = vec![Frame::ZERO; total];
        let mut lp = Biquad::lowpass(160.0, 0.7, sr);
        let mut brown = 0.0f32;
        for (i, f) in out.iter_mut().enumerate() {
            brown = (brown * 0.995 + rng.noise() * 0.05).clamp(-4.0, 4.0);
            let t = i as f32 / sr as f32;
            let v = lp.run(brown) + 0.04 * (TAU * 100.0 * t).sin();
            *f = Frame { left: v, right: v };
        }
        let mut buf = make_loop(out, len);
        normalize(&mut buf, 0.2);
        buf
    }

    /// Vowel formants (F1, F2) in Hz.
    const VOWELS: [(f32, f32); 6] = [
        (730.0, 1090.0),
        (530.0, 1840.0),
        (300.0, 2200.0),
        (570.0, 840.0),
        (320.0, 900.0),
        (660.0, 1720.0),
    ];

    /// A few syllable-like formant blips: a pulse train at `f0` through two vowel
    /// resonators, with consonant-like noise onsets and a falling pitch contour.
    pub fn speech(f0: f32, syllables: usize, seed: u64) -> Vec<Frame> {
        let sr = CUE_RATE;
        let mut rng = Rng::new(seed);
        let mut out: Vec<Frame> = Vec::new();
        let mut phase = 0.0f32;
        let n_syl = syllables.clamp(1, 12);
        let mut soft = Biquad::lowpass(3200.0, 0.7, sr);
        for s in 0..n_syl {
            let (v1, v2) = VOWELS[(rng.unit() * VOWELS.len() as f32) as usize % VOWELS.len()];
            let mut r1 = Biquad::bandpass(v1, 6.0, sr);
            let mut r2 = Biquad::bandpass(v2, 9.0, sr);
            let mut r3 = Biquad::bandpass(2600.0, 8.0, sr);
            let mut fric = Biquad::highpass(rng.range(2500.0, 4500.0), 0.8, sr);
            let dur = rng.range(0.09, 0.17);
            let n = (dur * sr as f32) as usize;
            let onset = if rng.unit() < 0.55 {
                (rng.range(0.02, 0.04) * sr as f32) as usize
            } else {
                0
            };
            let progress = s as f32 / n_syl as f32;
            let pitch = f0 * (1.08 - 0.18 * progress) * rng.range(0.94, 1.06);
            for k in 0..onset {
                let env = (k as f32 / onset as f32 * PI).sin();
                out.push(Frame::from_mono(fric.run(rng.noise()) * env * 0.25));
            }
            for k in 0..n {
                let x = k as f32 / n as f32;
                let env = (x / 0.12).min(1.0) * ((1.0 - x) / 0.35).min(1.0);
                phase += pitch * (1.0 + 0.02 * (x * 12.0).sin()) / sr as f32;
                if phase >= 1.0 {
                    phase -= 1.0;
                }
                let src = soft.run(1.0 - 2.0 * phase) + rng.noise() * 0.05;
                let v = r1.run(src) + 0.55 * r2.run(src) + 0.18 * r3.run(src);
                out.push(Frame::from_mono(v * env));
            }
            let gap = (rng.range(0.03, 0.08) * sr as f32) as usize;
            out.extend(std::iter::repeat_n(Frame::ZERO, gap));
        }
        normalize(&mut out, 0.7);
        out
    }

    /// A radio call: squelch, band-limited crackly speech, squelch.
    pub fn radio(seed: u64) -> Vec<Frame> {
        let sr = CUE_RATE;
        let mut rng = Rng::new(seed);
        let squelch = |rng: &mut Rng, n: usize| -> Vec<f32> {
            let mut bp = Biquad::bandpass(1800.0, 1.0, sr);
            (0..n)
                .map(|k| bp.run(rng.noise()) * (1.0 - k as f32 / n as f32) * 0.9)
                .collect()
        };
        let mut mono: Vec<f32> = squelch(&mut rng, (0.09 * sr as f32) as usize);
        let voice = speech(150.0, 7, seed ^ 0xA5A5);
        let mut hp = Biquad::highpass(350.0, 0.7, sr);
        let mut lp = Biquad::lowpass(2800.0, 0.7, sr);
        for f in voice {
            let v = lp.run(hp.run(f.left)) * 2.2 + rng.noise() * 0.03;
            mono.push(v.tanh() * 0.8);
        }
        mono.extend(squelch(&mut rng, (0.06 * sr as f32) as usize));
        let mut out: Vec<Frame> = mono.into_iter().map(Frame::from_mono).collect();
        normalize(&mut out, 0.6);
        out
    }

    /// One footstep: a low thud, a scuff of grit and a click.
    pub fn footstep(seed: u64) -> Vec<Frame> {
        let sr = CUE_RATE;
        let mut rng = Rng::new(seed);
        let n = (0.16 * sr as f32) as usize;
        let f = rng.range(65.0, 95.0);
        let mut lp = Biquad::lowpass(rng.range(900.0, 1800.0), 0.9, sr);
        let mut out = Vec::with_capacity(n);
        for k in 0..n {
            let t = k as f32 / sr as f32;
            let thud = (TAU * f * t * (1.0 - t * 2.0)).sin() * (-t / 0.035).exp();
            let scuff = lp.run(rng.noise()) * (-t / 0.02).exp() * 0.8;
            let click = if k < 60 {
                rng.noise() * (1.0 - k as f32 / 60.0) * 0.3
            } else {
                0.0
            };
            out.push(Frame::from_mono(thud + scuff + click));
        }
        normalize(&mut out, 0.6);
        out
    }

    /// One heartbeat cycle ("lub-dub") lasting `period` seconds, for looping.
    pub fn heartbeat(period: f32) -> Vec<Frame> {
        let sr = AMBIENT_RATE;
        let n = (period.max(0.4) * sr as f32) as usize;
        let beat = |t: f32, f_hi: f32, f_lo: f32, decay: f32| -> f32 {
            if t < 0.0 {
                return 0.0;
            }
            let f = f_lo + (f_hi - f_lo) * (-t / 0.05).exp();
            (TAU * f * t).sin() * (-t / decay).exp() * (t / 0.006).min(1.0)
        };
        let mut out: Vec<Frame> = (0..n)
            .map(|k| {
                let t = k as f32 / sr as f32;
                Frame::from_mono(
                    beat(t, 65.0, 42.0, 0.07) + 0.7 * beat(t - 0.27, 75.0, 50.0, 0.055),
                )
            })
            .collect();
        normalize(&mut out, 0.8);
        out
    }
}

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
            let indoors = matches!(
                env,
                Environment::Bar | Environment::Shop | Environment::Apartment
            );
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

fn master_volume(settings: Res<crate::game::ui::Settings>, mut out: NonSendMut<AudioOut>) {
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
            EventKind::Happened { line, by, .. } => match by {
                crate::variation::Voice::Radio => engine.radio(bank),
                crate::variation::Voice::Bystander => {
                    engine.speak(bank, Voice::Bystander, line, agitation)
                }
                crate::variation::Voice::Partner => {
                    engine.speak(bank, Voice::Partner, line, agitation)
                }
                crate::variation::Voice::Subject => {
                    engine.speak(bank, Voice::Subject, line, agitation)
                }
                // Narrated sounds ("(his phone rings)") are shown, not spoken.
                crate::variation::Voice::Scene => {}
            },
            EventKind::Injected { id, line } => {
                let label = scenario
                    .as_ref()
                    .and_then(|s| s.scenario.injects.iter().find(|i| &i.id == id))
                    .map(|i| i.label.as_str())
                    .unwrap_or("");
                if crate::game::ui::is_radio_inject(id, label, line) {
                    engine.radio(bank);
                } else {
                    engine.speak(bank, Voice::Bystander, line, agitation);
                }
            }
            _ => {}
        }
    }
}

fn stress_cue(
    session: Option<Res<Session>>,
    settings: Res<crate::game::ui::Settings>,
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
