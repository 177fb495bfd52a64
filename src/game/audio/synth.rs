//! Procedural synthesis: deterministic, allocation-light DSP building blocks and the
//! generators for every sound the game plays (the game ships no audio files).

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
            let v =
                ((TAU * f * t).sin() + 0.5 * (TAU * f * 2.76 * t).sin()) * (-t / 0.05).exp() * 0.25;
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
            Frame::from_mono(beat(t, 65.0, 42.0, 0.07) + 0.7 * beat(t - 0.27, 75.0, 50.0, 0.055))
        })
        .collect();
    normalize(&mut out, 0.8);
    out
}
