//! `deescalate tone FILE.wav... [--calibration FILE]`: the voice measure, headless. One file:
//! its features, the tone and the reasons. Several: one row each, and how many agree with a
//! tone named at the start of the file name (`firm-….wav`), the table docs/scoring.md quotes.
//! `--write-calibration FILE` makes a calibration from a normal sentence and a firm command.
//! Exit 0: every file held speech; 1: one or more held none; 2: a file could not be read.

use crate::format::vocab::Tone;
use crate::report::sanitize::terminal;
use crate::voice::calibration::{Calibration, DEFAULTS_NOTICE};
use crate::voice::classify::{Classified, classify};
use crate::voice::utterance::{Features, analyse};
use crate::voice::wav;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// WAV recordings of spoken lines (PCM 16/24/32-bit or float, mono or stereo).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The trainee's voice calibration (RON); without it, typical values are the reference.
    #[arg(long, value_name = "FILE")]
    pub calibration: Option<PathBuf>,
    /// Make a calibration from two recordings (a normal sentence, then a firm command) and
    /// write it to FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "calibration")]
    pub write_calibration: Option<PathBuf>,
}

/// One file measured.
pub struct Measured {
    pub name: String,
    pub features: Features,
    pub class: Option<Classified>,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    if let Some(out) = &args.write_calibration {
        return write_calibration(&args.files, out);
    }
    let calibration = match &args.calibration {
        Some(p) => Calibration::load(p).map_err(|e| e.to_string())?,
        None => Calibration::default(),
    };
    let measured = args
        .files
        .iter()
        .map(|p| measure(p, &calibration))
        .collect::<Result<Vec<_>, String>>()?;
    let text = if measured.len() == 1 {
        one(&measured[0])
    } else {
        let mut t = table(&measured);
        if !calibration.calibrated {
            let _ = writeln!(t, "({DEFAULTS_NOTICE})");
        }
        t
    };
    print!("{}", terminal(&text));
    Ok(if measured.iter().all(|m| m.class.is_some()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--write-calibration`: the two takes' calibration, written to `out`.
fn write_calibration(files: &[PathBuf], out: &Path) -> Result<ExitCode, String> {
    let [normal, firm] = files else {
        return Err(format!(
            "--write-calibration takes two recordings (a normal sentence, then a firm command), not {}",
            files.len()
        ));
    };
    let take = |p: &PathBuf| {
        wav::read(p)
            .map(|a| analyse(&a.samples, a.rate))
            .map_err(|e| e.to_string())
    };
    let c = Calibration::from_takes(&take(normal)?, &take(firm)?).map_err(|e| e.to_string())?;
    c.save(out)
        .map_err(|e| format!("{}: cannot write the calibration: {e}", out.display()))?;
    print!(
        "{}",
        terminal(&format!("{}\nwritten to {}\n", c.to_ron(), out.display()))
    );
    Ok(ExitCode::SUCCESS)
}

pub fn measure(path: &Path, c: &Calibration) -> Result<Measured, String> {
    let audio = wav::read(path).map_err(|e| e.to_string())?;
    let features = analyse(&audio.samples, audio.rate);
    let class = classify(&features, c);
    Ok(Measured {
        name: path.display().to_string(),
        features,
        class,
    })
}

/// The full account of one recording.
pub fn one(m: &Measured) -> String {
    let f = &m.features;
    let mut o = String::new();
    let _ = writeln!(o, "{}: {:.2} s", m.name, f.seconds);
    let speech = match &f.not_speech {
        None => format!("yes ({:.0}% of the active time voiced)", f.voiced * 100.0),
        Some(why) => format!("no: {why}"),
    };
    let rows = [
        ("speech", speech),
        (
            "level",
            format!(
                "{:.1} dBFS (loudest block {:.1} dBFS)",
                f.level_dbfs, f.peak_dbfs
            ),
        ),
        (
            "clipping",
            format!("{:.2}% of the speech at full scale", f.clipped * 100.0),
        ),
        (
            "pitch",
            format!(
                "{:.0} Hz median, moving {:.1} semitones",
                f.pitch_hz, f.pitch_spread_st
            ),
        ),
        ("rate", format!("{:.1} syllables/s", f.rate_syl_s)),
        ("brightness", format!("{:+.1} dB", f.brightness_db)),
    ];
    for (k, v) in rows {
        let _ = writeln!(o, "  {k:<11} {v}");
    }
    match &m.class {
        Some(c) => {
            let _ = writeln!(o, "tone: {}", c.tone);
            for r in &c.reasons {
                let _ = writeln!(o, "  - {r}");
            }
        }
        None => {
            let _ = writeln!(
                o,
                "tone: none (no speech heard; the menu's tone would be used)"
            );
        }
    }
    o
}

/// The tone a file's name starts with (`firm-command.wav` → firm).
pub fn named_tone(name: &str) -> Option<Tone> {
    let stem = Path::new(name).file_stem()?.to_str()?;
    Tone::parse(stem.split(['-', '_', '.']).next()?)
}

/// One row per recording and the agreement with the tones the file names give.
pub fn table(all: &[Measured]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "| recording | level dBFS | pitch Hz | movement st | syllables/s | clipping | effort dB | measured | named |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|");
    let (mut named, mut agree) = (0, 0);
    for m in all {
        let f = &m.features;
        let file = Path::new(&m.name)
            .file_name()
            .map_or(m.name.clone(), |n| n.to_string_lossy().to_string());
        let want = named_tone(&m.name);
        let got = m.class.as_ref().map(|c| c.tone);
        if want.is_some() {
            named += 1;
            agree += usize::from(want == got);
        }
        let _ = writeln!(
            o,
            "| {file} | {:.1} | {:.0} | {:.1} | {:.1} | {:.2}% | {} | {} | {} |",
            f.level_dbfs,
            f.pitch_hz,
            f.pitch_spread_st,
            f.rate_syl_s,
            f.clipped * 100.0,
            m.class
                .as_ref()
                .map_or("-".into(), |c| format!("{:+.1}", c.effort_db)),
            got.map_or("no speech", |t| t.label()),
            want.map_or("-", |t| t.label()),
        );
    }
    if named > 0 {
        let _ = writeln!(
            o,
            "\nAgree with the tone in the file name: {agree} of {named}."
        );
    }
    o
}
