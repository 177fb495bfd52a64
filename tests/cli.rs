//! The `deescalate` command line as a user runs it: determinism, record → replay,
//! exit codes and error messages for bad input.

mod common;
use common::{bin, root, run_cmd};

use std::path::PathBuf;
use std::process::Output;

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("cli", name)
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "command failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Every bundled scenario with the first transcript found for it.
fn bundled_runs() -> Vec<(PathBuf, PathBuf)> {
    let mut out = vec![];
    for f in std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .flatten()
    {
        let p = f.path();
        if p.extension().is_none_or(|x| x != "ron") {
            continue;
        }
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let dir = root().join("tests/transcripts").join(&stem);
        let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                    .collect()
            })
            .unwrap_or_default();
        scripts.sort();
        if let Some(s) = scripts.into_iter().next() {
            out.push((p, s));
        }
    }
    out.sort();
    out
}

#[test]
fn bundled_scenarios_pass_check() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 3,
        "expected at least three bundled scenarios"
    );
    let out = bin()
        .arg("check")
        .arg("--json")
        .args(&files)
        .output()
        .unwrap();
    let stdout = ok(&out);
    let reports: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for (f, report) in files.iter().zip(reports.as_array().unwrap()) {
        // No errors and no warnings: a bundled scenario is the example authors copy.
        let others = report["diagnostics"].as_array().unwrap();
        assert!(
            report["ok"] == true && others.is_empty(),
            "{}: {others:#?}",
            f.display()
        );
    }
}

#[test]
fn same_seed_same_inputs_give_byte_identical_debriefs() {
    let runs = bundled_runs();
    assert!(!runs.is_empty());
    let dir = tmpdir("determinism");
    for (scenario, script) in runs {
        let mut outputs = vec![];
        for k in 0..2 {
            let json = dir.join(format!("run{k}.json"));
            ok(&run_cmd(&scenario, &script)
                .args([
                    "--seed",
                    "42",
                    "--no-record",
                    "-q",
                    "--json",
                    json.to_str().unwrap(),
                ])
                .output()
                .unwrap());
            outputs.push(std::fs::read(&json).unwrap());
        }
        assert!(outputs[0].len() > 1000, "debrief JSON suspiciously small");
        assert_eq!(
            outputs[0],
            outputs[1],
            "{} is not deterministic",
            scenario.display()
        );
    }
}

#[test]
fn a_different_seed_can_pick_different_lines() {
    // Line variants are chosen by the seeded RNG so trainees cannot learn the script.
    let (scenario, script) = bundled_runs().into_iter().next().unwrap();
    let dir = tmpdir("seeds");
    let mut texts = std::collections::BTreeSet::new();
    for seed in 1..=8 {
        let json = dir.join(format!("s{seed}.json"));
        ok(&run_cmd(&scenario, &script)
            .args([
                "--seed",
                &seed.to_string(),
                "--no-record",
                "-q",
                "--json",
                json.to_str().unwrap(),
            ])
            .output()
            .unwrap());
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let first_line = v["timeline"][0]["text"].as_str().unwrap().to_string();
        texts.insert(first_line);
    }
    assert!(
        texts.len() > 1,
        "eight seeds all opened with the same line: {texts:?}"
    );
}

#[test]
fn record_then_debrief_reproduces_the_same_debrief() {
    let dir = tmpdir("replay");
    for (i, (scenario, script)) in bundled_runs().into_iter().enumerate() {
        let rec = dir.join(format!("rec{i}.json"));
        let a = dir.join(format!("a{i}.json"));
        let b = dir.join(format!("b{i}.json"));
        let text_a = ok(&run_cmd(&scenario, &script)
            .args([
                "--trainee",
                "Recruit Ortiz",
                "--record",
                rec.to_str().unwrap(),
                "--json",
                a.to_str().unwrap(),
            ])
            .output()
            .unwrap());
        let text_b = ok(&bin()
            .args([
                "debrief",
                rec.to_str().unwrap(),
                "--json",
                b.to_str().unwrap(),
            ])
            .output()
            .unwrap());
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert_eq!(text_a, text_b);
        assert!(text_a.contains("Recruit Ortiz"));
    }
}

#[test]
fn a_tampered_record_is_reported_not_replayed_silently() {
    let (scenario, script) = bundled_runs().into_iter().next().unwrap();
    let dir = tmpdir("tamper");
    let rec = dir.join("rec.json");
    ok(&run_cmd(&scenario, &script)
        .arg("-q")
        .args(["--record", rec.to_str().unwrap()])
        .output()
        .unwrap());
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    v["result"]["overall"] = serde_json::json!(12.5);
    std::fs::write(&rec, serde_json::to_vec(&v).unwrap()).unwrap();
    let out = bin()
        .args(["debrief", rec.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("different result"), "{err}");

    // Truncated record: a clear message with a position, no panic.
    let full = std::fs::read_to_string(dir.join("rec.json")).unwrap();
    std::fs::write(&rec, &full[..full.len() / 2]).unwrap();
    let out = bin()
        .args(["debrief", rec.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("rec.json:") && err.contains("not a readable record"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn check_reports_file_line_col_and_exits_1() {
    let dir = tmpdir("check");
    let bad = dir.join("bad.ron");
    let good = std::fs::read_to_string(root().join("tests/fixtures/cli/tiny.ron")).unwrap();
    std::fs::write(
        &bad,
        good.replace("next: Ending(\"resolved\")", "next: Ending(\"resolvd\")"),
    )
    .unwrap();
    let out = bin()
        .args(["check", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = good
        .lines()
        .position(|l| l.contains("next: Ending(\"resolved\")"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("bad.ron:{line}:")), "{err}");
    assert!(err.contains("resolvd") && err.contains("resolved"), "{err}");
}

#[test]
fn a_script_naming_an_option_not_on_offer_points_at_the_script_line() {
    let dir = tmpdir("script");
    let script = dir.join("s.txt");
    std::fs::write(&script, "0 walk 0 6\n+6 say no_such_option calm\n").unwrap();
    let out = run_cmd(&root().join("tests/fixtures/cli/tiny.ron"), &script)
        .arg("--no-record")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("s.txt:2:"), "{err}");
    assert!(
        err.contains("no_such_option") && err.contains("offered: intro"),
        "{err}"
    );

    std::fs::write(&script, "0 walk 0 6\n+6 say intro loudly\n").unwrap();
    let out = run_cmd(&root().join("tests/fixtures/cli/tiny.ron"), &script)
        .arg("--no-record")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("s.txt:2:14: unknown tone `loudly`"), "{err}");
}

#[test]
fn run_writes_a_record_into_the_records_folder_by_default() {
    let (scenario, script) = bundled_runs().into_iter().next().unwrap();
    let dir = tmpdir("recdir");
    let out = run_cmd(&scenario, &script)
        .env("DEESCALATE_RECORDS", &dir)
        .arg("-q")
        .output()
        .unwrap();
    ok(&out);
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].extension().is_some_and(|x| x == "json"));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    assert_eq!(v["format"], "deescalate-record");
    assert!(v["inputs"]["entries"].as_array().unwrap().len() > 3);
    assert_eq!(v["scenario_hash"].as_str().unwrap().len(), 64);
}

#[test]
fn analyse_reports_every_ending() {
    let (scenario, _) = bundled_runs().into_iter().next().unwrap();
    let out = ok(&bin()
        .args(["analyse", scenario.to_str().unwrap(), "--runs", "300"])
        .output()
        .unwrap());
    assert!(
        out.contains("300 playthroughs by the random trainee"),
        "{out}"
    );
    assert!(out.contains("0 % here proves nothing"), "{out}");
    let sc = deescalate::check::load_scenario(&scenario).unwrap().0;
    for e in &sc.endings {
        assert!(out.contains(&e.id), "ending {} missing:\n{out}", e.id);
    }
}

#[test]
fn analyse_plays_a_named_policy_and_refuses_an_unknown_one() {
    let (scenario, _) = bundled_runs().into_iter().next().unwrap();
    let out = ok(&bin()
        .args([
            "analyse",
            scenario.to_str().unwrap(),
            "--runs",
            "20",
            "--policy",
            "patient",
        ])
        .output()
        .unwrap());
    assert!(
        out.contains("20 playthroughs by the patient trainee, seeds 1–20"),
        "{out}"
    );
    assert!(out.contains("walks slowly (1 m/s)"), "{out}");
    let bad = bin()
        .args(["analyse", scenario.to_str().unwrap(), "--policy", "lazy"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no trainee policy `lazy`") && err.contains("patient"),
        "{err}"
    );
}

#[test]
fn the_annotated_example_in_the_format_reference_is_the_bundled_scenario() {
    // docs/scenario-format.md ends with a complete annotated scenario; it must stay valid,
    // so it is bundled as scenarios/dementia_car_park.ron and compared here.
    let doc = std::fs::read_to_string(root().join("docs/scenario-format.md")).unwrap();
    let start = doc.rfind("```ron\n").expect("an example block") + "```ron\n".len();
    let end = start + doc[start..].find("\n```").unwrap() + 1;
    let bundled = std::fs::read_to_string(root().join("scenarios/dementia_car_park.ron")).unwrap();
    assert_eq!(
        &doc[start..end],
        bundled,
        "the doc example and the bundled file differ"
    );
}

#[test]
fn a_refused_action_leaves_the_simulation_exactly_as_it_was() {
    use deescalate::sim::{Action, Sim, TickInput, TraineeState};
    let scenario = deescalate::check::load_scenario(&root().join("tests/fixtures/cli/tiny.ron"))
        .unwrap()
        .0;
    let mut sim = Sim::new(std::sync::Arc::new(scenario), 1).unwrap();
    let far = TickInput {
        trainee: TraineeState {
            z: 10.0,
            ..TraineeState::default()
        },
        action: None,
    };
    sim.step(&far).unwrap();
    let (events, tick, agitation) = (sim.events().len(), sim.tick(), sim.agitation());
    // Inside personal space *and* an option that is not on offer: nothing may happen.
    let bad = TickInput {
        trainee: TraineeState {
            z: 1.0,
            ..TraineeState::default()
        },
        action: Some(Action::Say {
            option: "listen".into(),
            tone: deescalate::format::vocab::Tone::Calm,
        }),
    };
    assert!(sim.step(&bad).is_err());
    assert_eq!(
        sim.events().len(),
        events,
        "no zone event from a refused step"
    );
    assert_eq!(sim.tick(), tick);
    assert_eq!(sim.agitation(), agitation);
}

#[test]
fn records_without_a_command_opens_the_trainer_on_that_folder() {
    use clap::Parser;
    use deescalate::cli::Cli;
    // `deescalate --records DIR` is the trainer (no command) keeping records in DIR.
    let cli = Cli::try_parse_from(["deescalate", "--records", "/srv/academy/records"])
        .expect("--records without a command is accepted");
    assert!(cli.command.is_none());
    assert_eq!(cli.records, Some(PathBuf::from("/srv/academy/records")));
    // A command keeps its own `--records`; the trainer's one before a command is refused
    // rather than silently ignored.
    let cli = Cli::try_parse_from(["deescalate", "recover", "--records", "R"]).unwrap();
    assert!(cli.records.is_none() && cli.command.is_some());
    assert!(Cli::try_parse_from(["deescalate", "--records", "R", "recover"]).is_err());
    // The binary does not reject it as an unknown argument.
    let out = bin()
        .args(["--records", "/nonexistent-dir", "--help"])
        .output()
        .unwrap();
    let stdout = ok(&out);
    assert!(stdout.contains("--records <DIR>"), "{stdout}");
}
