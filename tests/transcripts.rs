//! Transcript tests: every `tests/transcripts/<scenario>/*.txt` is an input script for
//! `scenarios/<scenario>.ron` with `# expect-…` lines saying what must happen:
//!
//! ```text
//! # expect-ending: walked_away_with_care
//! # expect-outcome: HandedToCare
//! # expect-temperament: volatile
//! # expect-sequence: scene:opening say:introduce zone:personal_space+ scene:talking ending:care
//! # expect-absent: fast weapon+
//! # expect-score: verbal >= 70
//! # expect-item: distance "reactionary gap"
//! ```
//! `expect-sequence` tokens must appear in this order (other events may come between).
//! The language lives in `deescalate::assess::expect` (docs/scripts.md §6).
//! Tokens: `scene:ID`, `say:OPTION`, `say:OPTION/TONE`, `line`, `pause`, `trigger`,
//! `trigger:TARGET` (`scene x`/`ending y` with `_` for the space, e.g. `trigger:ending_fled`),
//! `zone:personal_space+`/`-`, `zone:reactionary_gap+`/`-`, `fast`, `weapon+`, `weapon-`,
//! `cover+`, `cover-`, `agitation>50`, `agitation<50`, `trust>25`, `trust<25`,
//! `indicator:HearingVoices`, `partner-talks-over`, `partner-back`, `answer:OPTION` (an aside
//! was answered), `inject:ID`,
//! `event:ID` (a seeded event happened), `branch:scene_x` (a `OneOf` went there),
//! `instructor`, `ending:ID`.
//! `expect-score` checks a dimension (`distance`, `time`, `tone`, `verbal`, `overall`);
//! `expect-item` requires an itemised score line on that dimension containing the text.

use deescalate::assess::expect::{Expect, transcript};
use deescalate::check;
use deescalate::sim::script::{Script, run_script};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn transcripts() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![];
    let Ok(dirs) = std::fs::read_dir(root.join("tests/transcripts")) else {
        return out;
    };
    for d in dirs.flatten() {
        if !d.path().is_dir() {
            continue;
        }
        let scenario = root
            .join("scenarios")
            .join(format!("{}.ron", d.file_name().to_string_lossy()));
        for f in std::fs::read_dir(d.path()).unwrap().flatten() {
            if f.path().extension().is_some_and(|x| x == "txt") {
                out.push((scenario.clone(), f.path()));
            }
        }
    }
    out.sort();
    out
}

fn run_one(scenario_path: &Path, script_path: &Path) -> Result<(), String> {
    let scenario = check::load_scenario(scenario_path)
        .map_err(|r| format!("scenario does not load:\n{}", r.render(false)))?
        .0;
    let text = std::fs::read_to_string(script_path).map_err(|e| e.to_string())?;
    let script = Script::parse(&text).map_err(|e| format!("script {e}"))?;
    let expect = Expect::parse(&text).map_err(|e| format!("expectations {e}"))?;
    let mut sim = script
        .start(Arc::new(scenario))
        .map_err(|e| e.to_string())?;
    run_script(&mut sim, &script).map_err(|e| format!("run failed: {e}"))?;
    let result = sim.result();
    let scores = deescalate::assess::score::score(sim.scenario(), &result);
    let problems = expect.check(&result, &scores);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\nevents:\n{}",
            problems.join("\n"),
            transcript(&result)
        ))
    }
}

#[test]
fn every_transcript_reaches_what_it_expects() {
    let all = transcripts();
    assert!(
        all.len() >= 12,
        "expected transcripts for every ending of every bundled scenario, found {}",
        all.len()
    );
    let mut failures = vec![];
    for (scenario, script) in &all {
        if let Err(e) = run_one(scenario, script) {
            failures.push(format!("── {}\n{e}", script.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} transcript(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_ending_of_every_bundled_scenario_has_a_transcript() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = vec![];
    for f in std::fs::read_dir(root.join("scenarios")).unwrap().flatten() {
        let p = f.path();
        if p.extension().is_none_or(|x| x != "ron") {
            continue;
        }
        let scenario = check::load_scenario(&p)
            .map_err(|r| r.render(false))
            .unwrap()
            .0;
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let reached: Vec<String> = transcripts()
            .iter()
            .filter(|(s, _)| s == &p)
            .filter_map(|(_, t)| {
                Expect::parse(&std::fs::read_to_string(t).unwrap())
                    .ok()
                    .and_then(|e| e.ending)
            })
            .collect();
        for e in &scenario.endings {
            if !reached.contains(&e.id) {
                missing.push(format!("{stem}: {}", e.id));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "endings without a transcript: {missing:?}"
    );
}
