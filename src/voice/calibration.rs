//! A trainee's own voice as the measure's reference: the level, pitch and rate of a normal
//! sentence and the level of a firm command. Read from and written to a small RON file; until a
//! trainee has one, [`Calibration::default`] holds typical values and says so.

use crate::voice::utterance::Features;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// A calibration file larger than this is not one.
const MAX_CALIBRATION_BYTES: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Active speech level of a normal sentence, dBFS.
    pub normal_level_dbfs: f32,
    /// Median pitch of the normal sentence, Hz.
    pub normal_pitch_hz: f32,
    /// Syllable nuclei per second of the normal sentence.
    pub normal_rate_syl_s: f32,
    /// Active speech level of a firm command, dBFS.
    pub firm_level_dbfs: f32,
    /// Median pitch and rate of the firm command (files without them: the normal sentence's).
    #[serde(default)]
    pub firm_pitch_hz: Option<f32>,
    #[serde(default)]
    pub firm_rate_syl_s: Option<f32>,
    /// False for the built-in defaults: the measure then says it is not yet calibrated.
    #[serde(default = "yes")]
    pub calibrated: bool,
}

fn yes() -> bool {
    true
}

impl Default for Calibration {
    /// Typical values for a headset microphone: normal speech at -26 dBFS, a firm command
    /// 6 dB louder, 150 Hz (between typical men's and women's voices), 4 syllables a second.
    fn default() -> Calibration {
        Calibration {
            normal_level_dbfs: -26.0,
            normal_pitch_hz: 150.0,
            normal_rate_syl_s: 4.0,
            firm_level_dbfs: -20.0,
            firm_pitch_hz: None,
            firm_rate_syl_s: None,
            calibrated: false,
        }
    }
}

/// The notice shown while the defaults are used.
pub const DEFAULTS_NOTICE: &str = "not calibrated: measured against typical values; calibrate (read one sentence normally, then say one firm command) so your own voice is the reference";

/// dB of effort per semitone of pitch above the normal sentence's.
pub const PITCH_DB_PER_SEMITONE: f32 = 0.5;
/// The pitch term is kept within these semitones (a wrong octave must not decide alone).
pub const PITCH_RANGE_ST: (f32, f32) = (-6.0, 12.0);
/// dB of effort per doubling of the speech rate.
pub const RATE_DB_PER_DOUBLING: f32 = 4.0;
/// The rate term is kept within ± this many dB (syllable counts are rough).
pub const RATE_LIMIT_DB: f32 = 3.0;

/// Vocal effort over normal speech, term by term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effort {
    pub loud_db: f32,
    pub pitch_st: f32,
    pub pitch_db: f32,
    pub rate_ratio: f32,
    pub rate_db: f32,
    pub total: f32,
}

/// The smallest gap between the firm command and the normal sentence a calibration accepts.
pub const MIN_FIRM_GAP_DB: f32 = 2.0;

#[derive(Debug, Clone, PartialEq)]
pub enum CalibrationError {
    Io(String, String),
    Parse {
        file: String,
        line: usize,
        col: usize,
        message: String,
    },
    /// A value that is not a number a voice could have (what, value).
    Value(String, &'static str, f32),
    /// One of the takes held no speech (which take, why).
    NoSpeech(&'static str, String),
    /// The firm command was not louder than the normal sentence (gap in dB).
    NotFirmer(f32),
}

impl fmt::Display for CalibrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalibrationError::Io(file, e) => write!(f, "{file}: {e}"),
            CalibrationError::Parse {
                file,
                line,
                col,
                message,
            } => write!(f, "{file}:{line}:{col}: not a voice calibration: {message}"),
            CalibrationError::Value(file, what, v) => {
                write!(f, "{file}: {what} = {v} is not a value a voice has")
            }
            CalibrationError::NoSpeech(take, why) => {
                write!(f, "no speech heard in the {take} ({why}); say it again")
            }
            CalibrationError::NotFirmer(gap) => write!(
                f,
                "the firm command was {gap:+.1} dB from your normal sentence; say it again, louder and firmer (at least {MIN_FIRM_GAP_DB} dB louder)"
            ),
        }
    }
}

impl std::error::Error for CalibrationError {}

impl Calibration {
    /// A calibration from the two takes: a normal sentence and a firm command.
    pub fn from_takes(normal: &Features, firm: &Features) -> Result<Calibration, CalibrationError> {
        for (take, f) in [("normal sentence", normal), ("firm command", firm)] {
            if !f.speech {
                let why = f.not_speech.clone().unwrap_or_default();
                return Err(CalibrationError::NoSpeech(take, why));
            }
        }
        let gap = firm.level_dbfs - normal.level_dbfs;
        if gap < MIN_FIRM_GAP_DB {
            return Err(CalibrationError::NotFirmer(gap));
        }
        Ok(Calibration {
            normal_level_dbfs: normal.level_dbfs,
            normal_pitch_hz: normal.pitch_hz,
            normal_rate_syl_s: normal.rate_syl_s.max(0.5),
            firm_level_dbfs: firm.level_dbfs,
            firm_pitch_hz: Some(firm.pitch_hz),
            firm_rate_syl_s: Some(firm.rate_syl_s),
            calibrated: true,
        })
    }

    /// The firm command's vocal effort over normal speech, dB (at least [`MIN_FIRM_GAP_DB`]):
    /// the middle of the firm band.
    pub fn firm_gap_db(&self) -> f32 {
        let e = self.effort(
            self.firm_level_dbfs,
            self.firm_pitch_hz.unwrap_or(self.normal_pitch_hz),
            self.firm_rate_syl_s.unwrap_or(self.normal_rate_syl_s),
        );
        e.total.max(MIN_FIRM_GAP_DB)
    }

    /// The vocal effort of speech at this level, pitch and rate over this calibration's
    /// normal speech: loudness, plus [`PITCH_DB_PER_SEMITONE`] per semitone of pitch, plus
    /// [`RATE_DB_PER_DOUBLING`] per doubling of the rate (each term bounded).
    pub fn effort(&self, level_dbfs: f32, pitch_hz: f32, rate_syl_s: f32) -> Effort {
        let loud_db = level_dbfs - self.normal_level_dbfs;
        let pitch_st = if pitch_hz > 0.0 && self.normal_pitch_hz > 0.0 {
            (12.0 * (pitch_hz / self.normal_pitch_hz).log2())
                .clamp(PITCH_RANGE_ST.0, PITCH_RANGE_ST.1)
        } else {
            0.0
        };
        let rate_ratio = rate_syl_s.max(0.1) / self.normal_rate_syl_s.max(0.1);
        let rate_db =
            (RATE_DB_PER_DOUBLING * rate_ratio.log2()).clamp(-RATE_LIMIT_DB, RATE_LIMIT_DB);
        let pitch_db = PITCH_DB_PER_SEMITONE * pitch_st;
        Effort {
            loud_db,
            pitch_st,
            pitch_db,
            rate_ratio,
            rate_db,
            total: loud_db + pitch_db + rate_db,
        }
    }

    pub fn to_ron(&self) -> String {
        let cfg = ron::ser::PrettyConfig::new().struct_names(true);
        ron::ser::to_string_pretty(self, cfg).unwrap_or_default()
    }

    /// Parse calibration RON; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Calibration, CalibrationError> {
        let c: Calibration = ron::from_str(text).map_err(|e| CalibrationError::Parse {
            file: file.to_string(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        })?;
        let checks = [
            ("normal_level_dbfs", c.normal_level_dbfs, -100.0..=0.0),
            ("firm_level_dbfs", c.firm_level_dbfs, -100.0..=0.0),
            ("normal_pitch_hz", c.normal_pitch_hz, 40.0..=600.0),
            ("normal_rate_syl_s", c.normal_rate_syl_s, 0.5..=15.0),
        ];
        for (what, v, range) in checks {
            if !range.contains(&v) {
                return Err(CalibrationError::Value(file.to_string(), what, v));
            }
        }
        Ok(c)
    }

    pub fn load(path: &Path) -> Result<Calibration, CalibrationError> {
        let file = path.display().to_string();
        let io = |e: std::io::Error| CalibrationError::Io(file.clone(), e.to_string());
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > MAX_CALIBRATION_BYTES {
            return Err(CalibrationError::Io(
                file,
                "too large to be a voice calibration".into(),
            ));
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        Calibration::parse(&file, &text)
    }

    /// Write atomically (a temporary file renamed into place).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("ron.tmp");
        std::fs::write(&tmp, self.to_ron())?;
        std::fs::rename(tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_nonsense_with_a_position() {
        let c = Calibration {
            calibrated: true,
            ..Calibration::default()
        };
        assert_eq!(Calibration::parse("c.ron", &c.to_ron()).unwrap(), c);
        let e =
            Calibration::parse("c.ron", "Calibration(\n  normal_level_dbfs: loud,\n)").unwrap_err();
        assert!(matches!(e, CalibrationError::Parse { line: 2, .. }), "{e}");
        let bad = c.to_ron().replace("150.0", "9000.0");
        let e = Calibration::parse("c.ron", &bad).unwrap_err();
        assert!(e.to_string().contains("normal_pitch_hz"), "{e}");
    }
}
