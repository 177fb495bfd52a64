//! The transparent rule from measured features to the engine's [`Tone`]: one number, the
//! vocal effort in dB over the trainee's calibrated normal speech ([`Calibration::effort`]),
//! cut into five bands around the calibrated firm command's effort; clipping is shouting. Every step is a reason the trainee can read.

use crate::format::vocab::Tone;
use crate::voice::calibration::Calibration;
use crate::voice::utterance::Features;
use serde::{Deserialize, Serialize};

/// Commanding starts this far above the firm command; shouting this far.
pub const COMMANDING_OVER_FIRM_DB: f32 = 4.0;
pub const SHOUTING_OVER_FIRM_DB: f32 = 10.0;

/// A tone and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classified {
    pub tone: Tone,
    /// Vocal effort over normal speech, dB.
    pub effort_db: f32,
    pub reasons: Vec<String>,
}

/// Where each tone starts, in dB of effort, for a calibration: (tone, lowest effort).
pub fn bands(c: &Calibration) -> [(Tone, f32); 5] {
    let firm = c.firm_gap_db();
    [
        (Tone::Calm, f32::NEG_INFINITY),
        (Tone::Neutral, -firm / 2.0),
        (Tone::Firm, firm / 2.0),
        (Tone::Commanding, firm + COMMANDING_OVER_FIRM_DB),
        (Tone::Shouting, firm + SHOUTING_OVER_FIRM_DB),
    ]
}

/// The tone `f` was said in, or none when it holds no speech.
pub fn classify(f: &Features, c: &Calibration) -> Option<Classified> {
    if !f.speech {
        return None;
    }
    let e = c.effort(f.level_dbfs, f.pitch_hz, f.rate_syl_s);
    let effort = e.total;
    let mut reasons = vec![
        format!(
            "level {:.1} dBFS, {:+.1} dB from your normal speech",
            f.level_dbfs, e.loud_db
        ),
        format!(
            "pitch {:.0} Hz, {:+.1} semitones from your normal: {:+.1} dB of effort",
            f.pitch_hz, e.pitch_st, e.pitch_db
        ),
        format!(
            "rate {:.1} syllables/s, {:.2}x your normal: {:+.1} dB of effort",
            f.rate_syl_s, e.rate_ratio, e.rate_db
        ),
    ];
    let by_effort = bands(c)
        .into_iter()
        .rev()
        .find(|(_, from)| effort >= *from)
        .map_or(Tone::Calm, |(t, _)| t);
    let tone = if f.clipping() {
        reasons.push(format!(
            "clipping: {:.2}% of the speech at full scale, which only shouting does",
            f.clipped * 100.0
        ));
        Tone::Shouting
    } else {
        by_effort
    };
    reasons.push(effort_reason(effort, by_effort, c));
    if !c.calibrated {
        reasons.push(crate::voice::calibration::DEFAULTS_NOTICE.to_string());
    }
    Some(Classified {
        tone,
        effort_db: effort,
        reasons,
    })
}

/// "effort +7.1 dB: firm (+3.0 to +10.0 dB)".
fn effort_reason(effort: f32, tone: Tone, c: &Calibration) -> String {
    let b = bands(c);
    let i = tone.intensity() as usize;
    let range = match (i, b.get(i + 1)) {
        (0, Some((_, to))) => format!("below {to:+.1} dB"),
        (_, Some((_, to))) => format!("{:+.1} to {to:+.1} dB", b[i].1),
        (_, None) => format!("{:+.1} dB and over", b[i].1),
    };
    format!(
        "effort {effort:+.1} dB: {tone} ({range}; your firm command: {:+.1} dB)",
        c.firm_gap_db()
    )
}
