//! The authoring commands: `check` (and `check --watch`, which re-checks on every save),
//! `test` (runs the `# expect-` lines of the scripts kept beside a scenario) and `new`
//! (writes a commented starter scenario).

use crate::assess::expect::{Expect, transcript};
use crate::check;
use crate::format::scenario::Scenario;
use crate::sim::script::{Script, run_script};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How often `check --watch` looks at the files.
pub const WATCH_EVERY: Duration = Duration::from_millis(300);

/// The starter scenario `new` writes (`"ID"` becomes the scenario's id).
pub const STARTER: &str = include_str!("starter.ron");

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `deescalate check FILE... [--json] [--watch]`: exit 1 if any file has errors. With
/// `watch`, checks again whenever a file changes, until interrupted.
pub fn check_command(files: &[PathBuf], json: bool, watch: bool) -> Result<ExitCode, String> {
    let errors = check_once(files, json);
    if !watch {
        return Ok(if errors {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    let mut seen: Vec<Option<(SystemTime, u64)>> = files.iter().map(|f| stamp(f)).collect();
    println!(
        "watching {} for changes (Ctrl-C stops)",
        plural(files.len(), "file")
    );
    loop {
        std::thread::sleep(WATCH_EVERY);
        let now: Vec<Option<(SystemTime, u64)>> = files.iter().map(|f| stamp(f)).collect();
        if now == seen {
            continue;
        }
        let changed: Vec<String> = files
            .iter()
            .zip(now.iter().zip(&seen))
            .filter(|(_, (a, b))| a != b)
            .map(|(f, _)| f.display().to_string())
            .collect();
        seen = now;
        if std::io::stdout().is_terminal() {
            print!("\x1b[2J\x1b[H"); // a fresh screen for a fresh report
        }
        println!("── {} changed: checking again", changed.join(", "));
        check_once(files, json);
        println!(
            "watching {} for changes (Ctrl-C stops)",
            plural(files.len(), "file")
        );
    }
}

/// When a file was last written and how long it is (`None` while it cannot be read).
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Checks each file and prints the report: diagnostics to stderr, one summary line per file
/// to stdout (or everything as JSON). Whether any file has errors.
fn check_once(files: &[PathBuf], json: bool) -> bool {
    let mut errors = false;
    let mut all = Vec::new();
    for f in files {
        let report = check::check_file(f);
        errors |= report.has_errors();
        if json {
            all.push(serde_json::json!({
                "file": report.path,
                "ok": !report.has_errors(),
                "diagnostics": report.diagnostics,
            }));
        } else {
            if !report.diagnostics.is_empty() {
                eprint!("{}", report.render(color()));
            }
            println!("{}", report.summary());
        }
    }
    if json {
        match serde_json::to_string_pretty(&all) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: cannot write the report as JSON: {e}"),
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// deescalate test
// ---------------------------------------------------------------------------------------------

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
    println!("{}: {}", sc.display(), plural(scripts.len(), "script"));
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

/// A scenario id from a file name: lower case, anything but letters and digits as `_`.
fn id_from(stem: &str) -> String {
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if id.trim_matches('_').is_empty() {
        "new_scenario".into()
    } else {
        id
    }
}

/// The starter scenario with this id, its comments naming the file `name`.ron.
pub fn starter(id: &str, name: &str) -> String {
    STARTER
        .replacen("id: \"ID\"", &format!("id: \"{id}\""), 1)
        .replace("NAME", name)
}

/// `deescalate new NAME`: writes `NAME.ron`, a commented starter scenario; never overwrites.
pub fn new_command(name: &Path) -> Result<ExitCode, String> {
    let path = if name.extension().is_some_and(|x| x == "ron") {
        name.to_path_buf()
    } else {
        let mut p = name.as_os_str().to_owned();
        p.push(".ron");
        PathBuf::from(p)
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .ok_or_else(|| format!("{}: not a file name", name.display()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(format!("{}: no such folder", dir.display()));
    }
    let text = starter(&id_from(&stem), &stem);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(format!(
                "{} already exists: choose another name (nothing was written)",
                path.display()
            ));
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    }
    let shown = path.display();
    println!("Wrote {shown}: a starter scenario to change one step at a time.");
    println!("  deescalate check {shown} --watch     re-check on every save");
    println!("  deescalate routes {shown} --out {stem}   a script for every ending, in {stem}/");
    println!("  deescalate test {shown}              run those scripts' # expect- lines");
    Ok(ExitCode::SUCCESS)
}
