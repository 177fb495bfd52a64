//! Features of one 20 ms block of audio: level (RMS, dBFS), clipping, brightness (how much of
//! the energy is in the high frequencies), zero crossings, and whether it is voiced and at what
//! pitch (YIN over the block and the one before it). [`BlockAnalyser`] keeps the one block of
//! history that needs, so it works the same on a file and on a live microphone.

/// Blocks are this long.
pub const BLOCK_SECONDS: f32 = 0.02;
/// Blocks per second.
pub const BLOCKS_PER_SECOND: f32 = 1.0 / BLOCK_SECONDS;
/// The quietest level reported; digital silence reads as this.
pub const FLOOR_DBFS: f32 = -100.0;
/// A sample at or beyond this magnitude is counted as clipped.
pub const CLIP_AT: f32 = 0.99;
/// The pitch range searched: a low male voice to a raised female or child's voice.
pub const PITCH_MIN_HZ: f32 = 60.0;
pub const PITCH_MAX_HZ: f32 = 500.0;
/// YIN's aperiodicity threshold: below it the block is periodic enough to be voiced.
pub const YIN_THRESHOLD: f32 = 0.2;
/// The rate pitch is searched at, at most (higher rates are decimated to near it).
pub const PITCH_RATE: u32 = 16_000;
/// Blocks quieter than this are never voiced (breath, room tone).
pub const VOICED_MIN_DBFS: f32 = -55.0;

/// What one block measured.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BlockFeatures {
    /// RMS level in dB relative to full scale (0 dBFS = a full-scale square wave).
    pub level_dbfs: f32,
    /// Fraction of samples at or beyond [`CLIP_AT`].
    pub clipped: f32,
    /// Energy of the signal's first difference over its energy, in dB: higher means more of
    /// the energy sits in the high frequencies (a raised, pressed voice; hiss).
    pub brightness_db: f32,
    /// Zero crossings per sample (0..1).
    pub zero_crossings: f32,
    /// The fundamental frequency, when the block is voiced.
    pub pitch_hz: Option<f32>,
}

/// Analyses consecutive blocks at one sample rate.
#[derive(Debug, Clone)]
pub struct BlockAnalyser {
    rate: u32,
    block: usize,
    /// Pitch is searched at `rate / decimate` (about 16 kHz): the search costs the square of
    /// the rate, and a voice's fundamental is far below 8 kHz.
    decimate: usize,
    /// The previous block and the current one, decimated, for the pitch search.
    window: Vec<f32>,
    /// YIN's difference function, reused between blocks.
    diff: Vec<f32>,
}

impl BlockAnalyser {
    pub fn new(rate: u32) -> BlockAnalyser {
        let block = block_len(rate);
        let decimate = (rate as usize / PITCH_RATE as usize).max(1);
        BlockAnalyser {
            rate,
            block,
            decimate,
            window: vec![0.0; 2 * block.div_ceil(decimate)],
            diff: Vec::new(),
        }
    }

    /// Samples per block at this rate.
    pub fn block_len(&self) -> usize {
        self.block
    }

    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// Analyse the next block (`block` holds [`Self::block_len`] samples; a shorter last
    /// block is analysed as it is).
    pub fn push(&mut self, block: &[f32]) -> BlockFeatures {
        let half = self.window.len() / 2;
        self.window.copy_within(half.., 0);
        let k = self.decimate;
        let block = &block[..block.len().min(self.block)];
        for (i, w) in self.window[half..].iter_mut().enumerate() {
            // Averaging k samples: a crude low-pass that is enough for the fundamental.
            let group = block
                .get(i * k..((i + 1) * k).min(block.len()))
                .unwrap_or_default();
            *w = group.iter().sum::<f32>() / k as f32;
        }
        let level_dbfs = level(block);
        let pitch_hz = if level_dbfs >= VOICED_MIN_DBFS {
            yin(&self.window, self.rate / k as u32, &mut self.diff)
        } else {
            None
        };
        BlockFeatures {
            level_dbfs,
            clipped: clipped(block),
            brightness_db: brightness(block),
            zero_crossings: zero_crossings(block),
            pitch_hz,
        }
    }
}

/// Samples in one 20 ms block at `rate` (at least one).
pub fn block_len(rate: u32) -> usize {
    ((rate as f32 * BLOCK_SECONDS).round() as usize).max(1)
}

/// Power (mean square) as dBFS, floored at [`FLOOR_DBFS`].
pub fn power_db(mean_square: f32) -> f32 {
    // A full-scale sine has RMS 1/√2 (-3 dBFS); full-scale square, 0 dBFS.
    if mean_square <= 1e-10 {
        FLOOR_DBFS
    } else {
        (10.0 * mean_square.log10()).max(FLOOR_DBFS)
    }
}

pub fn mean_square(x: &[f32]) -> f32 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32
}

fn level(x: &[f32]) -> f32 {
    power_db(mean_square(x))
}

fn clipped(x: &[f32]) -> f32 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().filter(|v| v.abs() >= CLIP_AT).count() as f32 / x.len() as f32
}

fn brightness(x: &[f32]) -> f32 {
    let e = mean_square(x);
    if x.len() < 2 || e <= 1e-10 {
        return 0.0;
    }
    let d = x.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum::<f32>() / (x.len() - 1) as f32;
    10.0 * (d.max(1e-12) / e).log10()
}

fn zero_crossings(x: &[f32]) -> f32 {
    if x.len() < 2 {
        return 0.0;
    }
    let n = x
        .windows(2)
        .filter(|w| (w[0] >= 0.0) != (w[1] >= 0.0))
        .count();
    n as f32 / (x.len() - 1) as f32
}

/// YIN (de Cheveigné & Kawahara 2002): the first lag whose cumulative-mean-normalised
/// difference dips below [`YIN_THRESHOLD`], refined by parabolic interpolation.
fn yin(w: &[f32], rate: u32, diff: &mut Vec<f32>) -> Option<f32> {
    let min_lag = (rate as f32 / PITCH_MAX_HZ).floor().max(2.0) as usize;
    let max_lag = (rate as f32 / PITCH_MIN_HZ).ceil() as usize;
    let span = w.len().checked_sub(max_lag + 1)?;
    if span < min_lag {
        return None;
    }
    diff.clear();
    diff.resize(max_lag + 2, 0.0);
    for (lag, d) in diff.iter_mut().enumerate().skip(1) {
        *d = w[..span]
            .iter()
            .zip(&w[lag..lag + span])
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
    }
    // Cumulative mean normalisation, in place.
    let mut running = 0.0;
    diff[0] = 1.0;
    for (lag, d) in diff.iter_mut().enumerate().skip(1) {
        running += *d;
        *d = if running > 0.0 {
            *d * lag as f32 / running
        } else {
            1.0
        };
    }
    let mut lag = min_lag;
    while lag <= max_lag {
        if diff[lag] < YIN_THRESHOLD {
            while lag < max_lag && diff[lag + 1] < diff[lag] {
                lag += 1;
            }
            return Some(rate as f32 / refine(diff, lag));
        }
        lag += 1;
    }
    None
}

/// The lag of the parabola's minimum through `d[lag-1..=lag+1]`.
fn refine(d: &[f32], lag: usize) -> f32 {
    if lag == 0 || lag + 1 >= d.len() {
        return lag as f32;
    }
    let (a, b, c) = (d[lag - 1], d[lag], d[lag + 1]);
    let den = a - 2.0 * b + c;
    if den.abs() < 1e-12 {
        return lag as f32;
    }
    lag as f32 + (0.5 * (a - c) / den).clamp(-0.5, 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, hz: f32, amp: f32, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| amp * (std::f32::consts::TAU * hz * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn a_tone_is_voiced_at_its_pitch_and_level() {
        for rate in [8_000, 16_000, 44_100, 48_000] {
            let mut a = BlockAnalyser::new(rate);
            let x = sine(rate, 150.0, 0.5, 3 * a.block_len());
            let mut f = BlockFeatures::default();
            for b in x.chunks(a.block_len()) {
                f = a.push(b);
            }
            let p = f.pitch_hz.expect("voiced");
            assert!((p - 150.0).abs() < 2.0, "{rate} Hz: {p}");
            // 0.5 amplitude sine: RMS 0.354 → -9.0 dBFS.
            assert!((f.level_dbfs + 9.03).abs() < 0.2, "{}", f.level_dbfs);
            assert_eq!(f.clipped, 0.0);
        }
    }

    #[test]
    fn silence_is_floor_and_unvoiced() {
        let mut a = BlockAnalyser::new(16_000);
        let f = a.push(&vec![0.0; 320]);
        assert_eq!(f.level_dbfs, FLOOR_DBFS);
        assert_eq!(f.pitch_hz, None);
    }
}
