//! One spoken line summarised from its 20 ms blocks: whether it holds speech at all (silence,
//! steady noise or hum, noise bursts and beeps do not), the active speech level, peak and clipping, pitch median
//! and movement (semitone spread), speech rate (syllable nuclei per second, found as peaks of
//! the smoothed energy envelope), brightness and voicing.

use crate::voice::block::{BLOCKS_PER_SECOND, BlockAnalyser, BlockFeatures, FLOOR_DBFS, power_db};
use serde::{Deserialize, Serialize};

/// A block counts as active (part of the speech, not the pauses) when it is this far above
/// the recording's noise floor …
pub const ACTIVE_ABOVE_FLOOR_DB: f32 = 12.0;
/// … and at least this loud.
pub const ACTIVE_MIN_DBFS: f32 = -60.0;
/// Speech needs at least this much voiced time …
pub const MIN_VOICED_SECONDS: f32 = 0.15;
/// … and its level must move (syllables): the spread (90th - 10th percentile) of the active
/// blocks' levels must reach this. A hum or a fan is steady.
pub const MIN_LEVEL_MOVEMENT_DB: f32 = 6.0;
/// … and its pitch must move: a beep or an alarm holds one note.
pub const MIN_PITCH_MOVEMENT_ST: f32 = 1.0;
/// A syllable nucleus stands out from the dips on either side by at least this much.
pub const NUCLEUS_PROMINENCE_DB: f32 = 3.0;
/// Two nuclei are at least this many blocks (100 ms) apart.
pub const NUCLEUS_MIN_GAP_BLOCKS: usize = 5;
/// Clipping counts when more than this fraction of the speech's samples are at full scale.
pub const CLIPPING_RATIO: f32 = 0.001;

/// What was measured over one utterance. Kept in records (never the audio).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Features {
    pub seconds: f32,
    /// Whether it holds speech; when not, `not_speech` says why.
    pub speech: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_speech: Option<String>,
    /// Active speech level: the mean power of the active blocks, dBFS.
    pub level_dbfs: f32,
    /// The loudest block, dBFS.
    pub peak_dbfs: f32,
    /// Fraction of the active samples at full scale.
    pub clipped: f32,
    /// Median pitch of the voiced blocks, Hz (0 when none were voiced).
    pub pitch_hz: f32,
    /// Pitch movement: 90th minus 10th percentile of the voiced pitches, in semitones.
    pub pitch_spread_st: f32,
    /// Syllable nuclei per second of speaking time.
    pub rate_syl_s: f32,
    /// Mean brightness of the active blocks, dB ([`BlockFeatures::brightness_db`]).
    pub brightness_db: f32,
    /// Fraction of the active blocks that are voiced.
    pub voiced: f32,
}

impl Features {
    pub fn clipping(&self) -> bool {
        self.clipped > CLIPPING_RATIO
    }
}

/// Analyse a whole recording.
pub fn analyse(samples: &[f32], rate: u32) -> Features {
    let mut a = BlockAnalyser::new(rate);
    let n = a.block_len();
    let blocks: Vec<BlockFeatures> = samples.chunks(n).map(|b| a.push(b)).collect();
    summarise(&blocks, samples.len() as f32 / rate.max(1) as f32)
}

/// Summarise blocks already analysed (the live microphone path feeds its blocks here).
pub fn summarise(blocks: &[BlockFeatures], seconds: f32) -> Features {
    let levels: Vec<f32> = blocks.iter().map(|b| b.level_dbfs).collect();
    let floor = percentile(&levels, 0.1).unwrap_or(FLOOR_DBFS);
    let gate = (floor + ACTIVE_ABOVE_FLOOR_DB).max(ACTIVE_MIN_DBFS);
    let active: Vec<&BlockFeatures> = blocks.iter().filter(|b| b.level_dbfs >= gate).collect();
    let active_levels: Vec<f32> = active.iter().map(|b| b.level_dbfs).collect();
    let pitches: Vec<f32> = active.iter().filter_map(|b| b.pitch_hz).collect();
    let mean = |f: fn(&BlockFeatures) -> f32| {
        if active.is_empty() {
            0.0
        } else {
            active.iter().map(|b| f(b)).sum::<f32>() / active.len() as f32
        }
    };
    let power = mean(|b| 10f32.powf(b.level_dbfs / 10.0));
    let pitch_hz = percentile(&pitches, 0.5).unwrap_or(0.0);
    let spread = match (percentile(&pitches, 0.1), percentile(&pitches, 0.9)) {
        (Some(lo), Some(hi)) if lo > 0.0 => 12.0 * (hi / lo).log2(),
        _ => 0.0,
    };
    let voiced_seconds = pitches.len() as f32 / BLOCKS_PER_SECOND;
    let movement = match (
        percentile(&active_levels, 0.1),
        percentile(&active_levels, 0.9),
    ) {
        (Some(lo), Some(hi)) => hi - lo,
        _ => 0.0,
    };
    let not_speech = if active.is_empty() && floor < ACTIVE_MIN_DBFS {
        Some("silence: nothing rose above the background".to_string())
    } else if active.is_empty() {
        Some(format!(
            "steady noise at {floor:.0} dBFS: nothing rose above it"
        ))
    } else if voiced_seconds < MIN_VOICED_SECONDS {
        Some(format!(
            "no voice: {voiced_seconds:.2} s voiced (speech needs {MIN_VOICED_SECONDS} s); noise or a whisper"
        ))
    } else if movement < MIN_LEVEL_MOVEMENT_DB {
        Some(format!(
            "steady sound: its level moves {movement:.1} dB (speech moves {MIN_LEVEL_MOVEMENT_DB} dB or more)"
        ))
    } else if spread < MIN_PITCH_MOVEMENT_ST {
        Some(format!(
            "a steady tone: its pitch moves {spread:.1} semitones (a voice moves {MIN_PITCH_MOVEMENT_ST} or more)"
        ))
    } else {
        None
    };
    Features {
        seconds,
        speech: not_speech.is_none(),
        not_speech,
        level_dbfs: power_db(power),
        peak_dbfs: levels.iter().copied().fold(FLOOR_DBFS, f32::max),
        clipped: mean(|b| b.clipped),
        pitch_hz,
        pitch_spread_st: spread,
        rate_syl_s: speech_rate(blocks, gate),
        brightness_db: mean(|b| b.brightness_db),
        voiced: if active.is_empty() {
            0.0
        } else {
            pitches.len() as f32 / active.len() as f32
        },
    }
}

/// The `p` quantile (0..=1) of `values` (nearest rank), none when empty.
pub fn percentile(values: &[f32], p: f32) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f32::total_cmp);
    let i = ((v.len() - 1) as f32 * p.clamp(0.0, 1.0)).round() as usize;
    Some(v[i])
}

/// Syllable nuclei per second: peaks of the energy envelope (levels smoothed over 3 blocks)
/// that are voiced, above the activity gate and stand out [`NUCLEUS_PROMINENCE_DB`] above the
/// lowest point between them and the previous nucleus, over the time from the first active
/// block to the last.
fn speech_rate(blocks: &[BlockFeatures], gate: f32) -> f32 {
    let env: Vec<f32> = (0..blocks.len())
        .map(|i| {
            let lo = i.saturating_sub(1);
            let hi = (i + 2).min(blocks.len());
            blocks[lo..hi].iter().map(|b| b.level_dbfs).sum::<f32>() / (hi - lo) as f32
        })
        .collect();
    let first = blocks.iter().position(|b| b.level_dbfs >= gate);
    let last = blocks.iter().rposition(|b| b.level_dbfs >= gate);
    let (Some(first), Some(last)) = (first, last) else {
        return 0.0;
    };
    let mut nuclei = 0usize;
    let mut dip = env[first].min(gate);
    let mut candidate: Option<(usize, f32)> = None;
    let mut last_nucleus: Option<usize> = None;
    for i in first..=last {
        let e = env[i];
        let peak = i > 0 && i + 1 < env.len() && e >= env[i - 1] && e > env[i + 1];
        if let Some((_, h)) = candidate
            && h - e >= NUCLEUS_PROMINENCE_DB
        {
            nuclei += 1;
            last_nucleus = candidate.map(|c| c.0);
            candidate = None;
            dip = e;
        }
        dip = dip.min(e);
        let spaced = last_nucleus.is_none_or(|n| i >= n + NUCLEUS_MIN_GAP_BLOCKS);
        if peak
            && spaced
            && e >= gate
            && e - dip >= NUCLEUS_PROMINENCE_DB
            && blocks[i].pitch_hz.is_some()
            && candidate.is_none_or(|(_, h)| e > h)
        {
            candidate = Some((i, e));
        }
    }
    if candidate.is_some() {
        nuclei += 1;
    }
    let seconds = (last + 1 - first) as f32 / BLOCKS_PER_SECOND;
    nuclei as f32 / seconds.max(0.2)
}
