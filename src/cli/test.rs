//! `deescalate test [SCENARIO.ron | DIR]`: run the input scripts kept beside a scenario (or in
//! tests/transcripts/<name>/) and check their `# expect-` lines.

use super::shared::color;
use crate::assess::expect::{Expect, transcript};
use crate::check;
use crate::format::scenario::Scenario;
use crate::format::words::count;
use crate::sim::script::{Script, run_script};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A scenario file, or a folder of them (default: scenarios/).
    pub path: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    test_command(a.path.as_deref())
}

/// Where the scripts for scenario `x.ron` are kept: a folder `x/` beside it, and
/// `tests/transcripts/x/` (from the working folder, and from the scenario's parent folder).
pub fn script_dirs(scenario: &Path) -> Vec<PathBuf> {
    let Some(stem) = scenario.file_stem() else {
        return Vec::new();
    };
    let dir = scenario.parent().unwrap_or(Path::new(""));
    let mut out = vec![dir.join(stem), Path::new("tests/transcripts").join(stem)];
    if let Some(up) = dir.parent() {
        let beside = up.join("tests/transcripts").join(stem);
        if !out.contains(&beside) {
            out.push(beside);
        }
    }
    out
}

/// The scripts (`*.txt`) for `scenario`, each once, in name order, and where they were looked for.
fn scripts_for(scenario: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let dirs = script_dirs(scenario);
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut out = Vec::new();
    for d in &dirs {
        let Ok(entries) = std::fs::read_dir(d) else {
            continue;
        };
        let mut here: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
            .collect();
        here.sort();
        for p in here {
            let key = p.canonicalize().unwrap_or_else(|_| p.clone());
            if !seen.contains(&key) {
                seen.push(key);
                out.push(p);
            }
        }
    }
    (out, dirs)
}

/// The scenarios a `test` argument names: the file itself, or every `*.ron` in a folder.
fn scenarios_in(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron"))
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(format!(
            "{}: no scenario files (*.ron) in it",
            path.display()
        ));
    }
    Ok(out)
}

/// `deescalate test [SCENARIO.ron | DIR]`: runs every script kept beside each scenario and
/// checks its `# expect-` lines. One line per script (✓ or ✗, with what differed and the
/// run's events for a failure); exit 1 if any fails or none is found.
pub fn test_command(path: Option<&Path>) -> Result<ExitCode, String> {
    let path = path.unwrap_or(Path::new("scenarios"));
    let (mut passed, mut failed) = (0usize, 0usize);
    for sc in &scenarios_in(path)? {
        let (p, f) = test_scenario(sc);
        passed += p;
        failed += f;
    }
    if passed + failed == 0 {
        println!("\nno scripts found: nothing was tested");
        return Ok(ExitCode::from(1));
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    println!("\ntest result: {verdict}. {passed} passed; {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs and reports the scripts of one scenario: how many passed and failed.
fn test_scenario(sc: &Path) -> (usize, usize) {
    let (scripts, dirs) = scripts_for(sc);
    if scripts.is_empty() {
        let looked: Vec<String> = dirs.iter().map(|d| format!("{}/", d.display())).collect();
        println!(
            "{}: no scripts (looked in {})",
            sc.display(),
            looked.join(", ")
        );
        return (0, 0);
    }
    println!("{}: {}", sc.display(), count(scripts.len(), "script"));
    let loaded = check::load_scenario(sc).map(|(s, _)| Arc::new(s));
    if let Err(report) = &loaded {
        eprint!("{}", report.render(color()));
    }
    let (mut passed, mut failed) = (0, 0);
    for script in &scripts {
        let name = script
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into());
        let outcome = match &loaded {
            Ok(s) => run_one(s, script),
            Err(_) => Err("the scenario does not load (see above)".to_string()),
        };
        match outcome {
            Ok(note) => {
                passed += 1;
                println!("  ✓ {name}{note}");
            }
            Err(why) => {
                failed += 1;
                println!("  ✗ {name}  ({})", script.display());
                for line in why.lines() {
                    println!("      {line}");
                }
            }
        }
    }
    (passed, failed)
}

/// Runs one script on `scenario` and checks its expectations: `Ok` with a note, or what
/// went differently and the run's events.
fn run_one(scenario: &Arc<Scenario>, path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    let script = Script::parse(&text).map_err(|e| format!("script line {e}"))?;
    let expect = Expect::parse(&text).map_err(|e| format!("expectations: {e}"))?;
    let mut sim = script
        .start(Arc::clone(scenario))
        .map_err(|e| e.to_string())?;
    let run = run_script(&mut sim, &script);
    let result = sim.result();
    let events = || format!("events:\n{}", transcript(&result));
    if let Err(e) = run {
        let line = e
            .script_line
            .map_or(String::new(), |l| format!("line {l}: "));
        return Err(format!("the run stopped: {line}{e}\n{}", events()));
    }
    let scores = crate::assess::score::score(sim.scenario(), &result);
    let problems = expect.check(&result, &scores);
    if !problems.is_empty() {
        return Err(format!("{}\n{}", problems.join("\n"), events()));
    }
    Ok(if expect == Expect::default() {
        "  (no `# expect-` lines: it only has to run)".to_string()
    } else {
        String::new()
    })
}

// ---------------------------------------------------------------------------------------------
// deescalate new
// ---------------------------------------------------------------------------------------------
