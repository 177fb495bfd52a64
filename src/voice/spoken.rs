//! How the tone of one line the trainee said was decided, as records keep it: chosen from the
//! menu or measured from the voice, with the measured features (never the audio). An input log
//! entry without one is a menu tone: records from before voice existed read unchanged.

use crate::format::vocab::Tone;
use crate::voice::calibration::Calibration;
use crate::voice::classify::classify;
use crate::voice::utterance::Features;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ToneSource {
    /// Picked on the talk panel (Q/E).
    Menu,
    /// Measured from the trainee's voice (push to talk).
    Voice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spoken {
    /// Which tone the line was scored in: the measured one, or the menu's when no speech was
    /// heard.
    pub source: ToneSource,
    /// The tone the voice measured, when it held speech.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<Tone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort_db: Option<f32>,
    /// Whether the trainee's own calibration was the reference (else typical values).
    pub calibrated: bool,
    pub features: Features,
}

impl Spoken {
    /// A recording measured against `c`: the voice's tone when it held speech, else the
    /// menu's (and the features say why).
    pub fn measure(features: Features, c: &Calibration) -> Spoken {
        let class = classify(&features, c);
        Spoken {
            source: if class.is_some() {
                ToneSource::Voice
            } else {
                ToneSource::Menu
            },
            measured: class.as_ref().map(|k| k.tone),
            effort_db: class.map(|k| k.effort_db),
            calibrated: c.calibrated,
            features,
        }
    }

    /// The tone to score: the measured one, or `menu` when none was measured.
    pub fn tone(&self, menu: Tone) -> Tone {
        match (self.source, self.measured) {
            (ToneSource::Voice, Some(t)) => t,
            _ => menu,
        }
    }
}

/// The debrief's words for a line said in `tone` with `spoken` (none: the menu).
pub fn said(tone: Tone, spoken: Option<&Spoken>) -> String {
    match spoken {
        Some(s) if s.source == ToneSource::Voice => {
            let f = &s.features;
            let mut out = format!(
                "said: {tone}, measured from your voice ({:.0} dBFS, {:.0} Hz, {:.1} syllables/s",
                f.level_dbfs, f.pitch_hz, f.rate_syl_s
            );
            if let Some(e) = s.effort_db {
                out.push_str(&format!(", effort {e:+.1} dB"));
            }
            if f.clipping() {
                out.push_str(", clipping");
            }
            if !s.calibrated {
                out.push_str(", not calibrated");
            }
            out.push(')');
            out
        }
        Some(s) => format!(
            "said: {tone}, chosen from the menu (your voice was not measured: {})",
            s.features
                .not_speech
                .as_deref()
                .unwrap_or("no speech heard")
        ),
        None => format!("said: {tone}, chosen from the menu"),
    }
}
