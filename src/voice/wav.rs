//! A WAV file reader of our own: PCM 8/16/24/32-bit integers or 32/64-bit floats, mono or
//! stereo (mixed down to mono), any rate from 8 to 192 kHz. Samples come out as `f32` in
//! -1..=1. A bad file is a typed [`WavError`] naming the file, never a panic.

use std::fmt;
use std::path::Path;

/// A WAV larger than this is refused unread (ten minutes of 48 kHz stereo float is 220 MiB;
/// a spoken line is a few hundred KiB).
pub const MAX_WAV_BYTES: u64 = 64 * 1024 * 1024;
pub const MIN_RATE: u32 = 8_000;
pub const MAX_RATE: u32 = 192_000;

/// Mono audio: samples in -1..=1 and their rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    pub rate: u32,
    pub samples: Vec<f32>,
}

impl Audio {
    pub fn seconds(&self) -> f32 {
        self.samples.len() as f32 / self.rate.max(1) as f32
    }
}

/// Why a WAV file could not be read, with the file it was.
#[derive(Debug, Clone, PartialEq)]
pub struct WavError {
    pub file: String,
    pub kind: WavErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WavErrorKind {
    Io(String),
    TooLarge,
    NotWav,
    /// A chunk that ends past the end of the file, or a file cut short.
    Truncated(&'static str),
    NoFormat,
    NoData,
    /// The format code and bits per sample of an encoding this reader does not decode.
    Unsupported {
        format: u16,
        bits: u16,
    },
    Channels(u16),
    Rate(u32),
}

impl fmt::Display for WavError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        match &self.kind {
            WavErrorKind::Io(e) => write!(f, "{e}"),
            WavErrorKind::TooLarge => write!(
                f,
                "larger than {} MiB, too large to be a spoken line",
                MAX_WAV_BYTES / (1024 * 1024)
            ),
            WavErrorKind::NotWav => write!(f, "not a WAV file (no RIFF/WAVE header)"),
            WavErrorKind::Truncated(what) => write!(f, "cut short in the {what}"),
            WavErrorKind::NoFormat => write!(f, "no `fmt ` chunk before the audio data"),
            WavErrorKind::NoData => write!(f, "no `data` chunk: the file holds no audio"),
            WavErrorKind::Unsupported { format, bits } => write!(
                f,
                "unsupported encoding (format {format}, {bits} bits); save it as 16-bit PCM or 32-bit float"
            ),
            WavErrorKind::Channels(n) => {
                write!(f, "{n} channels; only mono and stereo are read")
            }
            WavErrorKind::Rate(r) => {
                write!(f, "sample rate {r} Hz is outside {MIN_RATE}-{MAX_RATE} Hz")
            }
        }
    }
}

impl std::error::Error for WavError {}

/// Read a WAV file from disk.
pub fn read(path: &Path) -> Result<Audio, WavError> {
    let file = path.display().to_string();
    let err = |kind| WavError {
        file: file.clone(),
        kind,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| err(WavErrorKind::Io(e.to_string())))?
        .len();
    if size > MAX_WAV_BYTES {
        return Err(err(WavErrorKind::TooLarge));
    }
    let bytes = std::fs::read(path).map_err(|e| err(WavErrorKind::Io(e.to_string())))?;
    decode(&file, &bytes)
}

#[derive(Debug, Clone, Copy)]
struct Format {
    code: u16,
    channels: u16,
    rate: u32,
    bits: u16,
}

/// Decode WAV bytes; `file` names them in errors.
pub fn decode(file: &str, bytes: &[u8]) -> Result<Audio, WavError> {
    let err = |kind| WavError {
        file: file.to_string(),
        kind,
    };
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(err(WavErrorKind::NotWav));
    }
    let mut format = None;
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let len = u32_le(bytes, at + 4) as usize;
        let body = at + 8;
        let end = body.saturating_add(len);
        if id == b"fmt " {
            let chunk = bytes
                .get(body..end)
                .ok_or(err(WavErrorKind::Truncated("format chunk")))?;
            format = Some(parse_format(chunk).ok_or(err(WavErrorKind::Truncated("format chunk")))?);
        } else if id == b"data" {
            let f = format.ok_or(err(WavErrorKind::NoFormat))?;
            // A data chunk cut short (a recording stopped mid-write) is read as far as it goes.
            let data = &bytes[body..end.min(bytes.len())];
            return samples(f, data).map_err(err);
        }
        at = end.saturating_add(len & 1);
    }
    Err(err(if format.is_none() {
        WavErrorKind::NoFormat
    } else {
        WavErrorKind::NoData
    }))
}

fn u16_le(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn parse_format(c: &[u8]) -> Option<Format> {
    if c.len() < 16 {
        return None;
    }
    let mut code = u16_le(c, 0);
    // WAVE_FORMAT_EXTENSIBLE: the real code is the first two bytes of the sub-format GUID.
    if code == 0xFFFE {
        code = u16_le(c.get(..26)?, 24);
    }
    Some(Format {
        code,
        channels: u16_le(c, 2),
        rate: u32_le(c, 4),
        bits: u16_le(c, 14),
    })
}

fn samples(f: Format, data: &[u8]) -> Result<Audio, WavErrorKind> {
    if !(1..=2).contains(&f.channels) {
        return Err(WavErrorKind::Channels(f.channels));
    }
    if !(MIN_RATE..=MAX_RATE).contains(&f.rate) {
        return Err(WavErrorKind::Rate(f.rate));
    }
    let decode: fn(&[u8]) -> f32 = match (f.code, f.bits) {
        (1, 8) => |b| (b[0] as f32 - 128.0) / 128.0,
        (1, 16) => |b| i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0,
        (1, 24) => |b| i32::from_le_bytes([0, b[0], b[1], b[2]]) as f32 / 2_147_483_648.0,
        (1, 32) => |b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0,
        (3, 32) => |b| clean(f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        (3, 64) => |b| {
            let v = f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
            clean(v as f32)
        },
        (format, bits) => return Err(WavErrorKind::Unsupported { format, bits }),
    };
    let width = f.bits as usize / 8;
    let frame = width * f.channels as usize;
    let samples = data
        .chunks_exact(frame)
        .map(|fr| {
            let sum: f32 = fr.chunks_exact(width).map(decode).sum();
            sum / f.channels as f32
        })
        .collect();
    Ok(Audio {
        rate: f.rate,
        samples,
    })
}

/// A float sample as the reader trusts it: finite and within -1..=1 (louder is clipped).
fn clean(v: f32) -> f32 {
    if v.is_finite() {
        v.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// 16-bit mono PCM WAV bytes of `audio` (for tests and for saving a calibration take).
pub fn encode_pcm16(audio: &Audio) -> Vec<u8> {
    let data_len = (audio.samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&audio.rate.to_le_bytes());
    out.extend_from_slice(&(audio.rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in &audio.samples {
        let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_bit_round_trip_and_stereo_mix() {
        let a = Audio {
            rate: 16_000,
            samples: vec![0.0, 0.5, -0.5, 0.25],
        };
        let back = decode("x.wav", &encode_pcm16(&a)).unwrap();
        assert_eq!(back.rate, 16_000);
        for (x, y) in a.samples.iter().zip(&back.samples) {
            assert!((x - y).abs() < 1e-3);
        }
        // Rewrite as stereo: one frame of (0.5, -0.5) mixes to silence.
        let mut st = encode_pcm16(&Audio {
            rate: 8_000,
            samples: vec![0.5, -0.5],
        });
        st[22] = 2;
        let m = decode("st.wav", &st).unwrap();
        assert_eq!(m.samples.len(), 1);
        assert!(m.samples[0].abs() < 1e-3);
    }

    #[test]
    fn broken_files_are_errors_naming_the_file() {
        let e = decode("talk.wav", b"hello").unwrap_err();
        assert_eq!(e.kind, WavErrorKind::NotWav);
        assert!(e.to_string().starts_with("talk.wav: "));
        let good = encode_pcm16(&Audio {
            rate: 16_000,
            samples: vec![0.1; 10],
        });
        for cut in 12..40 {
            assert!(decode("cut.wav", &good[..cut]).is_err(), "cut at {cut}");
        }
        let mut rate = good.clone();
        rate[24..28].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(
            decode("r.wav", &rate).unwrap_err().kind,
            WavErrorKind::Rate(1)
        );
        let mut bits = good;
        bits[34] = 12;
        assert!(matches!(
            decode("b.wav", &bits).unwrap_err().kind,
            WavErrorKind::Unsupported { bits: 12, .. }
        ));
    }
}
