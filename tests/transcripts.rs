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
//! Tokens: `scene:ID`, `say:OPTION`, `say:OPTION/TONE`, `line`, `pause`, `trigger`,
//! `trigger:TARGET` (`scene x`/`ending y` with `_` for the space, e.g. `trigger:ending_fled`),
//! `zone:personal_space+`/`-`, `zone:reactionary_gap+`/`-`, `fast`, `weapon+`, `weapon-`,
//! `cover+`, `cover-`, `agitation>50`, `agitation<50`, `trust>25`, `trust<25`,
//! `indicator:HearingVoices`, `partner-talks-over`, `partner-back`, `inject:ID`,
//! `event:ID` (a seeded event happened), `branch:scene_x` (a `OneOf` went there),
//! `instructor`, `ending:ID`.
//! `expect-score` checks a dimension (`distance`, `time`, `tone`, `verbal`, `overall`);
//! `expect-item` requires an itemised score line on that dimension containing the text.

use deescalate::check;
use deescalate::script::{Script, run_script};
use deescalate::sim::{Event, EventKind, Measure, Sim, Zone};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn token(e: &Event) -> String {
    match &e.kind {
        EventKind::SceneEntered { scene } => format!("scene:{scene}"),
        EventKind::SubjectLine { .. } => "line".into(),
        EventKind::Utterance { option, tone, .. } => format!("say:{option}/{tone}"),
        EventKind::TacticalPause { .. } => "pause".into(),
        EventKind::PartnerTalksOver { .. } => "partner-talks-over".into(),
        EventKind::PartnerSteppedBack => "partner-back".into(),
        EventKind::Threshold {
            measure,
            level,
            rising,
        } => format!(
            "{}{}{}",
            match measure {
                Measure::Agitation => "agitation",
                Measure::Trust => "trust",
            },
            if *rising { ">" } else { "<" },
            level
        ),
        EventKind::Zone { zone, entered, .. } => format!(
            "zone:{}{}",
            match zone {
                Zone::PersonalSpace => "personal_space",
                Zone::ReactionaryGap => "reactionary_gap",
            },
            if *entered { "+" } else { "-" }
        ),
        EventKind::FastApproach { .. } => "fast".into(),
        EventKind::Weapon { drawn } => format!("weapon{}", if *drawn { "+" } else { "-" }),
        EventKind::Cover { taken } => format!("cover{}", if *taken { "+" } else { "-" }),
        EventKind::TriggerFired { target, .. } => format!("trigger:{}", target.replace(' ', "_")),
        EventKind::IndicatorRecognised { indicator } => format!("indicator:{indicator:?}"),
        EventKind::Injected { id, .. } => format!("inject:{id}"),
        EventKind::Happened { id, .. } => format!("event:{id}"),
        EventKind::Branched { target, .. } => format!("branch:{}", target.replace(' ', "_")),
        EventKind::Instructor { .. } => "instructor".into(),
        EventKind::EndingReached { ending, .. } => format!("ending:{ending}"),
    }
}

/// Does an event token satisfy an expected token? `say:x` matches `say:x/any`, and
/// `trigger` matches any trigger.
fn matches(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    if (expected.starts_with("say:") || expected == "trigger") && !expected.contains('/') {
        return actual
            .strip_prefix(expected)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with(':'));
    }
    false
}

struct Expect {
    ending: Option<String>,
    outcome: Option<String>,
    temperament: Option<String>,
    sequence: Vec<String>,
    absent: Vec<String>,
    scores: Vec<(String, String, f32)>,
    items: Vec<(String, String)>,
}

fn parse_expect(text: &str) -> Expect {
    let mut e = Expect {
        ending: None,
        outcome: None,
        temperament: None,
        sequence: vec![],
        absent: vec![],
        scores: vec![],
        items: vec![],
    };
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("# expect-") else {
            continue;
        };
        let (key, val) = rest.split_once(':').expect("`# expect-key: value`");
        let val = val.trim();
        match key {
            "ending" => e.ending = Some(val.to_string()),
            "outcome" => e.outcome = Some(val.to_string()),
            "temperament" => e.temperament = Some(val.to_string()),
            "sequence" => e.sequence.extend(val.split_whitespace().map(String::from)),
            "absent" => e.absent.extend(val.split_whitespace().map(String::from)),
            "score" => {
                let parts: Vec<&str> = val.split_whitespace().collect();
                assert_eq!(
                    parts.len(),
                    3,
                    "expect-score: DIMENSION OP NUMBER, got `{val}`"
                );
                e.scores.push((
                    parts[0].to_string(),
                    parts[1].to_string(),
                    parts[2].parse().expect("score number"),
                ));
            }
            "item" => {
                let (dim, text) = val
                    .split_once(' ')
                    .expect("expect-item: DIMENSION \"text\"");
                e.items
                    .push((dim.to_string(), text.trim().trim_matches('"').to_string()));
            }
            other => panic!("unknown expectation `expect-{other}`"),
        }
    }
    e
}

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
    let expect = parse_expect(&text);
    let mut sim = script
        .start(Arc::new(scenario))
        .map_err(|e| e.to_string())?;
    run_script(&mut sim, &script).map_err(|e| format!("run failed: {e}"))?;
    let result = sim.result();
    let tokens: Vec<String> = result.events.iter().map(token).collect();
    let transcript = || {
        result
            .events
            .iter()
            .map(|e| format!("  {:>6.1}s {}", e.t, token(e)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut problems = vec![];
    if let Some(want) = &expect.ending
        && result.ending.as_deref() != Some(want.as_str())
    {
        problems.push(format!("ending: expected {want}, got {:?}", result.ending));
    }
    if let Some(want) = &expect.outcome
        && result.outcome.map(|o| format!("{o:?}")).as_deref() != Some(want.as_str())
    {
        problems.push(format!(
            "outcome: expected {want}, got {:?}",
            result.outcome
        ));
    }
    if let Some(want) = &expect.temperament
        && result.temperament.as_deref() != Some(want.as_str())
    {
        problems.push(format!(
            "temperament: expected {want}, met {:?}",
            result.temperament
        ));
    }
    let mut at = 0;
    for want in &expect.sequence {
        match tokens[at..].iter().position(|t| matches(want, t)) {
            Some(p) => at += p + 1,
            None => {
                problems.push(format!(
                    "sequence: `{want}` did not happen (after event #{at})"
                ));
                break;
            }
        }
    }
    for bad in &expect.absent {
        if let Some(t) = tokens.iter().find(|t| matches(bad, t)) {
            problems.push(format!("absent: `{bad}` happened ({t})"));
        }
    }
    if !expect.scores.is_empty() || !expect.items.is_empty() {
        check_scores(&sim, &result, &expect, &mut problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\nevents:\n{}",
            problems.join("\n"),
            transcript()
        ))
    }
}

fn check_scores(
    sim: &Sim,
    result: &deescalate::sim::SimResult,
    expect: &Expect,
    problems: &mut Vec<String>,
) {
    let scores = deescalate::score::score(sim.scenario(), result);
    for (dim, op, v) in &expect.scores {
        let Some(got) = scores.value(dim) else {
            problems.push(format!("score: unknown dimension `{dim}`"));
            continue;
        };
        let ok = match op.as_str() {
            ">=" => got >= *v,
            "<=" => got <= *v,
            ">" => got > *v,
            "<" => got < *v,
            "==" => (got - v).abs() < 0.05,
            _ => false,
        };
        if !ok {
            problems.push(format!(
                "score: {dim} is {got:.1}, expected {op} {v}\n{}",
                scores.explain(dim)
            ));
        }
    }
    for (dim, text) in &expect.items {
        if !scores.has_item(dim, text) {
            problems.push(format!(
                "item: no `{dim}` score line mentions \"{text}\"\n{}",
                scores.explain(dim)
            ));
        }
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
            .filter_map(|(_, t)| parse_expect(&std::fs::read_to_string(t).unwrap()).ending)
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
