//! `deescalate check FILE... [--json] [--watch]`: every problem in the scenario files as
//! file:line:col with the source line and a caret, plus the design lints; `--watch` checks
//! again on every save.

use super::shared::color;
use crate::check;
use crate::format::words::count;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

/// How often `check --watch` looks at the files.
pub const WATCH_EVERY: Duration = Duration::from_millis(300);

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print diagnostics as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Check again every time a file is saved, until Ctrl-C.
    #[arg(long)]
    pub watch: bool,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    check_command(&a.files, a.json, a.watch)
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
        count(files.len(), "file")
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
            count(files.len(), "file")
        );
    }
}

/// When a file was last written and how long it is (`None` while it cannot be read).
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
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
