//! The voice measure on recordings a trainee would make: synthesised speech fixtures
//! (tests/fixtures/voice, made by `make voice-fixtures`) and signals made here. Louder, higher
//! or faster never reads as a gentler tone; silence, noise and hum are not speech; clipping is
//! shouting; a calibration moves the bands; `deescalate tone` says what it measured.

mod common;

use deescalate::format::vocab::Tone;
use deescalate::voice::calibration::Calibration;
use deescalate::voice::wav::{self, Audio};
use deescalate::voice::{Features, analyse, classify};
use std::path::PathBuf;

const RATE: u32 = 16_000;

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/voice").join(name)
}

fn audio(name: &str) -> Audio {
    wav::read(&fixture(name)).unwrap()
}

fn features(a: &Audio) -> Features {
    analyse(&a.samples, a.rate)
}

fn calibration() -> Calibration {
    Calibration::load(&fixture("calibration.ron")).unwrap()
}

fn tone(a: &Audio, c: &Calibration) -> Tone {
    let f = features(a);
    classify(&f, c)
        .unwrap_or_else(|| panic!("no speech: {:?}", f.not_speech))
        .tone
}

fn scaled(a: &Audio, gain_db: f32) -> Audio {
    let g = 10f32.powf(gain_db / 20.0);
    Audio {
        rate: a.rate,
        samples: a.samples.iter().map(|s| (s * g).clamp(-1.0, 1.0)).collect(),
    }
}

/// A deterministic white noise (xorshift) at about `amp` RMS.
fn noise(seconds: f32, amp: f32) -> Vec<f32> {
    let mut x: u32 = 0x9E37_79B9;
    (0..(seconds * RATE as f32) as usize)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x as f32 / u32::MAX as f32 * 2.0 - 1.0) * amp * 1.73
        })
        .collect()
}

#[test]
fn every_fixture_is_small_16k_mono_speech() {
    let mut total = 0;
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let p = entry.unwrap().path();
        total += std::fs::metadata(&p).unwrap().len();
        if p.extension().is_some_and(|e| e == "wav") {
            let a = wav::read(&p).unwrap();
            assert_eq!(a.rate, RATE, "{}", p.display());
            assert!((0.5..4.0).contains(&a.seconds()), "{}", p.display());
            assert!(
                features(&a).speech,
                "{}: {:?}",
                p.display(),
                features(&a).not_speech
            );
        }
    }
    assert!(total < 800 * 1024, "the fixtures take {total} bytes");
}

#[test]
fn louder_higher_or_faster_is_never_a_gentler_tone() {
    let c = calibration();
    let base = audio("neutral-sentence.wav");
    let t0 = tone(&base, &c);
    assert_eq!(t0, Tone::Neutral);
    for (what, a) in [
        ("6 dB louder", scaled(&base, 6.0)),
        ("12 dB louder", scaled(&base, 12.0)),
        ("higher", audio("higher-sentence.wav")),
        ("faster", audio("faster-sentence.wav")),
    ] {
        let t = tone(&a, &c);
        assert!(t >= t0, "{what}: {t} after {t0}");
    }
    assert_eq!(tone(&scaled(&base, 8.0), &c), Tone::Firm);
    // The effort (the number the tone is cut from) rises with each.
    let effort = |a: &Audio| classify(&features(a), &c).unwrap().effort_db;
    let e0 = effort(&base);
    assert!(effort(&audio("higher-sentence.wav")) > e0 + 1.0);
    assert!(effort(&audio("faster-sentence.wav")) > e0 + 1.0);
    // A ladder of gains never steps down.
    let mut last = Tone::Calm;
    for g in (-18..=20).step_by(2) {
        let t = tone(&scaled(&base, g as f32), &c);
        assert!(t >= last, "{g} dB: {t} after {last}");
        last = t;
    }
    assert_eq!(last, Tone::Shouting);
}

#[test]
fn silence_noise_and_hum_are_not_speech() {
    let hum: Vec<f32> = (0..2 * RATE as usize)
        .map(|i| 0.3 * (std::f32::consts::TAU * 120.0 * i as f32 / RATE as f32).sin())
        .collect();
    let silence = vec![0.0; 2 * RATE as usize];
    // On for 0.2 s, off for 0.2 s: rustling, footsteps, a door.
    let gated = |x: Vec<f32>| -> Vec<f32> {
        let period = (0.4 * RATE as f32) as usize;
        x.into_iter()
            .enumerate()
            .map(|(i, v)| if i % period < period / 2 { v } else { 0.0 })
            .collect()
    };
    // A 440 Hz alarm whose loudness swells four times a second, like syllables do.
    let tau = std::f32::consts::TAU;
    let alarm: Vec<f32> = (0..2 * RATE as usize)
        .map(|i| {
            let t = i as f32 / RATE as f32;
            let swell = 0.5 + 0.5 * (tau * 4.0 * t).sin();
            0.3 * swell * swell * (tau * 440.0 * t).sin()
        })
        .collect();
    let cases = [
        ("silence", silence, "silence"),
        ("loud white noise", noise(2.0, 0.3), "steady noise"),
        ("quiet white noise", noise(2.0, 0.01), "steady noise"),
        ("a steady 120 Hz hum", hum, "steady noise"),
        ("noise bursts", gated(noise(2.0, 0.1)), "no voice"),
        ("a swelling alarm", alarm, "steady tone"),
    ];
    for (what, x, why) in cases {
        let f = analyse(&x, RATE);
        assert!(!f.speech, "{what} read as speech: {f:?}");
        let said = f.not_speech.clone().unwrap_or_default();
        assert!(said.contains(why), "{what}: {said}");
        assert!(classify(&f, &Calibration::default()).is_none(), "{what}");
    }
    // Speech over steady background noise is still speech, at about the same level.
    let a = audio("neutral-sentence.wav");
    let bg = noise(a.seconds(), 0.003);
    let mixed: Vec<f32> = a.samples.iter().zip(&bg).map(|(s, n)| s + n).collect();
    let f = analyse(&mixed, RATE);
    assert!(f.speech, "{:?}", f.not_speech);
    assert!((f.level_dbfs - features(&a).level_dbfs).abs() < 1.5);
}

#[test]
fn clipping_is_detected_and_is_shouting() {
    let c = calibration();
    let f = features(&audio("shouting-command.wav"));
    assert!(f.clipping(), "{f:?}");
    let k = classify(&f, &c).unwrap();
    assert_eq!(k.tone, Tone::Shouting);
    assert!(
        k.reasons.iter().any(|r| r.starts_with("clipping")),
        "{:?}",
        k.reasons
    );
    // The calm sentence driven into the rails: its level alone would not be shouting.
    let clipped = scaled(&audio("calm-sentence.wav"), 24.0);
    let f = features(&clipped);
    assert!(f.clipping());
    assert_eq!(classify(&f, &c).unwrap().tone, Tone::Shouting);
    for name in [
        "firm-command.wav",
        "commanding-command.wav",
        "neutral-sentence.wav",
    ] {
        assert!(!features(&audio(name)).clipping(), "{name}");
    }
}

#[test]
fn a_calibration_changes_the_class_as_expected() {
    let firm = audio("firm-sentence.wav");
    let mine = calibration();
    assert_eq!(tone(&firm, &mine), Tone::Firm);
    // A trainee whose normal voice is as loud as this take: it is their normal voice.
    let loud_talker = Calibration {
        normal_level_dbfs: mine.normal_level_dbfs + 6.0,
        firm_level_dbfs: mine.firm_level_dbfs + 6.0,
        ..mine.clone()
    };
    assert_eq!(tone(&firm, &loud_talker), Tone::Neutral);
    // A quiet trainee: the same take is commanding for them.
    let quiet = Calibration {
        normal_level_dbfs: mine.normal_level_dbfs - 10.0,
        firm_level_dbfs: mine.firm_level_dbfs - 10.0,
        ..mine.clone()
    };
    assert_eq!(tone(&firm, &quiet), Tone::Commanding);
    // Calibrating from the takes gives the stored calibration; a "firm" take that is not
    // louder is refused with a reason.
    let made = Calibration::from_takes(
        &features(&audio("calibration-normal.wav")),
        &features(&audio("calibration-firm.wav")),
    )
    .unwrap();
    assert!((made.normal_level_dbfs - mine.normal_level_dbfs).abs() < 0.01);
    assert!((made.firm_gap_db() - mine.firm_gap_db()).abs() < 0.01);
    let e = Calibration::from_takes(
        &features(&audio("calibration-normal.wav")),
        &features(&audio("calm-command.wav")),
    )
    .unwrap_err();
    assert!(e.to_string().contains("louder and firmer"), "{e}");
    let e = Calibration::from_takes(
        &analyse(&vec![0.0; RATE as usize], RATE),
        &features(&audio("calibration-firm.wav")),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("no speech heard in the normal sentence"),
        "{e}"
    );
}

#[test]
fn uncalibrated_says_so() {
    let f = features(&audio("neutral-sentence.wav"));
    let k = classify(&f, &Calibration::default()).unwrap();
    assert!(k.reasons.iter().any(|r| r.starts_with("not calibrated")));
    let k = classify(&f, &calibration()).unwrap();
    assert!(!k.reasons.iter().any(|r| r.starts_with("not calibrated")));
}

#[test]
fn other_rates_and_stereo_measure_alike() {
    let a = audio("firm-command.wav");
    let f16 = features(&a);
    // Every other sample: the same speech at 8 kHz.
    let half = Audio {
        rate: 8_000,
        samples: a.samples.iter().step_by(2).copied().collect(),
    };
    let f8 = features(&half);
    assert!(
        (f8.level_dbfs - f16.level_dbfs).abs() < 1.0,
        "{f8:?} / {f16:?}"
    );
    assert!(
        (f8.pitch_hz / f16.pitch_hz - 1.0).abs() < 0.05,
        "{f8:?} / {f16:?}"
    );
    assert_eq!(tone(&half, &calibration()), tone(&a, &calibration()));
}

/// `deescalate tone FILES --calibration` the fixtures' calibration.
fn tone_calibrated(files: &[PathBuf]) -> std::process::Output {
    common::bin()
        .arg("tone")
        .args(files)
        .arg("--calibration")
        .arg(fixture("calibration.ron"))
        .output()
        .unwrap()
}

#[test]
fn the_command_prints_features_tone_and_reasons() {
    let out = tone_calibrated(&[fixture("firm-sentence.wav")]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "level",
        "pitch",
        "rate",
        "clipping",
        "tone: firm",
        "effort +",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // Without a calibration it says so.
    let out = common::bin()
        .args(["tone", fixture("firm-sentence.wav").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("not calibrated"));
}

#[test]
fn the_command_exits_1_on_no_speech_and_2_on_a_bad_file() {
    let dir = common::tmpdir("voice", "exit");
    let quiet = dir.join("quiet.wav");
    std::fs::write(
        &quiet,
        wav::encode_pcm16(&Audio {
            rate: RATE,
            samples: noise(1.0, 0.05),
        }),
    )
    .unwrap();
    let out = common::bin()
        .args(["tone", quiet.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no speech heard"));
    // A file whose name carries an escape sequence, and that is not a WAV.
    let bad = dir.join("bad\u{1b}]52;c;x\u{7}.wav");
    std::fs::write(&bad, b"RIFF....WAVEjunk").unwrap();
    let out = common::bin()
        .args(["tone", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no `fmt ` chunk"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "raw escape reached the terminal: {err:?}"
    );
    let cal = dir.join("cal.ron");
    std::fs::write(&cal, "Calibration(\n  normal_level_dbfs: \"loud\",\n)").unwrap();
    let out = common::bin()
        .args(["tone", fixture("firm-sentence.wav").to_str().unwrap()])
        .args(["--calibration", cal.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cal.ron:2:"));
}

/// The accuracy table in docs/scoring.md is what `deescalate tone` prints for the fixtures.
#[test]
fn the_docs_quote_the_accuracy_table() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
        .collect();
    files.sort();
    let out = tone_calibrated(&files);
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("Agree with the tone in the file name: 8 of 8."),
        "{table}"
    );
    let docs = std::fs::read_to_string(common::root().join("docs/scoring.md")).unwrap();
    assert!(
        docs.contains(&table),
        "docs/scoring.md must quote this table exactly:\n{table}"
    );
}

// ---- records: which tone source each line used, kept with its features ----

use deescalate::assess::debrief;
use deescalate::records::record::{Record, content_hash};
use deescalate::sim::script::{InputLog, Script, run_script};
use deescalate::sim::{Action, Sim, TickInput, TraineeState};
use deescalate::voice::{Spoken, ToneSource};
use std::sync::Arc;

fn knife_sidewalk() -> (Arc<deescalate::format::scenario::Scenario>, String) {
    let path = common::root().join("scenarios/knife_sidewalk.ron");
    let sc = deescalate::check::load_scenario(&path).unwrap().0;
    (Arc::new(sc), content_hash(&std::fs::read(&path).unwrap()))
}

/// A run of knife_sidewalk: the first line said in the tone measured from `take` (through the
/// microphone path's `push_spoken`), the second picked on the menu as calm.
fn run_with_voice(take: &str) -> (Record, Spoken) {
    let (sc, hash) = knife_sidewalk();
    let mut sim = Sim::new(Arc::clone(&sc), 1).unwrap();
    let mut log = InputLog::default();
    let mut last = None;
    let spoken = Spoken::measure(features(&audio(take)), &calibration());
    let trainee = TraineeState {
        x: sc.place.trainee_spawn.x,
        z: sc.place.trainee_spawn.z,
        ..TraineeState::default()
    };
    let mut said = 0;
    while !sim.is_finished() && sim.tick() < 400 {
        let tick = sim.tick();
        let mut voice = None;
        let action = if tick % 60 == 10 && said < 2 {
            let option = sim.offered_choices().first().map(|c| c.id.clone());
            option.map(|option| {
                said += 1;
                if said == 1 {
                    voice = Some(spoken.clone());
                    Action::Say {
                        option,
                        tone: spoken.tone(Tone::Calm),
                    }
                } else {
                    Action::Say {
                        option,
                        tone: Tone::Calm,
                    }
                }
            })
        } else {
            None
        };
        let input = TickInput { trainee, action };
        log.push_spoken(tick, &input, &mut last, voice);
        sim.step(&input).unwrap();
    }
    assert_eq!(said, 2);
    let d = debrief::build(&sc, &sim.result(), Some("Robin"));
    let rec = Record::new(&sc, hash, None, 1, "Robin", None, log, &d);
    (rec, spoken)
}

#[test]
fn the_record_and_debrief_say_which_tone_source_each_line_used() {
    let (rec, spoken) = run_with_voice("firm-sentence.wav");
    assert_eq!(spoken.source, ToneSource::Voice);
    assert_eq!(spoken.measured, Some(Tone::Firm));
    let dir = common::tmpdir("voice", "record");
    let path = dir.join("run.json");
    rec.save(&path).unwrap();
    let json = std::fs::read_to_string(&path).unwrap();
    // The features are kept, the audio is not: one small object per measured line.
    assert_eq!(json.matches("\"voice\"").count(), 1, "{json}");
    assert!(json.contains("\"pitch_hz\"") && json.contains("\"Voice\""));
    let back = Record::load(&path).unwrap();
    assert_eq!(back.inputs, rec.inputs);
    let (sc, _) = knife_sidewalk();
    let d = back.replay(sc).unwrap();
    let text = deescalate::report::text(&d);
    assert!(
        text.contains("said: firm, measured from your voice"),
        "{text}"
    );
    assert!(text.contains("said: calm, chosen from the menu"), "{text}");
    let measured: Vec<_> = d.timeline.iter().filter_map(|e| e.voice.as_ref()).collect();
    assert_eq!(measured.len(), 1);
    assert_eq!(measured[0].features, spoken.features);
    assert!(deescalate::report::json(&d).contains("\"rate_syl_s\""));
    // The CLI's debrief of the record says it too.
    let out = common::bin()
        .args(["debrief", path.to_str().unwrap(), "--scenario"])
        .arg(common::root().join("scenarios/knife_sidewalk.ron"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("measured from your voice"),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn no_speech_falls_back_to_the_menu_tone_and_says_why() {
    let silence = analyse(&vec![0.0; RATE as usize], RATE);
    let s = Spoken::measure(silence, &calibration());
    assert_eq!(s.source, ToneSource::Menu);
    assert_eq!(s.tone(Tone::Calm), Tone::Calm);
    let line = deescalate::voice::spoken::said(Tone::Calm, Some(&s));
    assert!(
        line.contains("chosen from the menu") && line.contains("silence"),
        "{line}"
    );
}

#[test]
fn old_records_and_scripts_load_unchanged() {
    let path = common::root()
        .join("tests/fixtures/class/records/knife-sidewalk_jordan-ellis_1760000000_pc-01-100-0000000a.json");
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let rec = Record::load(&path).unwrap();
    assert!(rec.inputs.entries.iter().all(|e| e.voice.is_none()));
    // Written back, every entry of the input log has the same fields it was read with.
    let again = serde_json::to_value(&rec.inputs).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<Vec<String>> {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_object().unwrap().keys().cloned().collect())
            .collect()
    };
    assert_eq!(keys(&again), keys(&raw["inputs"]));
    assert_eq!(
        again["entries"][0]["action"],
        raw["inputs"]["entries"][0]["action"]
    );
    // A script's run logs no voice, serialises as before, and its debrief is unchanged.
    let (sc, hash) = knife_sidewalk();
    let script = std::fs::read_to_string(
        common::root().join("tests/transcripts/knife_sidewalk/knife_down_care.txt"),
    )
    .unwrap();
    let s = Script::parse(&script).unwrap();
    let mut sim = s.start(Arc::clone(&sc)).unwrap();
    let log = run_script(&mut sim, &s).unwrap();
    let d = debrief::build(&sc, &sim.result(), Some("Robin"));
    let rec = Record::new(&sc, hash, None, d.seed, "Robin", None, log.clone(), &d);
    let replayed = rec.replay(Arc::clone(&sc)).unwrap();
    assert_eq!(replayed.timeline, d.timeline);
    assert!(!deescalate::report::text(&replayed).contains("said: "));
    assert!(!serde_json::to_string(&log).unwrap().contains("voice"));
}
