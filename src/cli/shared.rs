//! What several subcommands share: loading a scenario with its diagnostics on stderr,
//! writing output files atomically, printing a debrief, finding a record's scenario by id and
//! hash, and saying what a record's signature shows.

use crate::assess::debrief;
use crate::check::{self, CheckReport};
use crate::format::scenario::Scenario;
use crate::records::record::{self, Record};
use crate::report;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

pub(super) fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Load a scenario, printing diagnostics (warnings too) to stderr.
pub fn load_or_report(path: &Path) -> Result<(Arc<Scenario>, CheckReport), String> {
    match check::load_scenario(path) {
        Ok((s, report)) => {
            if !report.diagnostics.is_empty() {
                eprint!("{}", report.render(color()));
            }
            Ok((Arc::new(s), report))
        }
        Err(report) => {
            eprint!("{}", report.render(color()));
            Err(format!(
                "{} has errors; fix them and try again",
                path.display()
            ))
        }
    }
}

pub(super) fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    record::write_atomic(path, contents.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

pub(super) fn emit(
    d: &debrief::Debrief,
    json: Option<&Path>,
    html: Option<&Path>,
    quiet: bool,
) -> Result<(), String> {
    if !quiet {
        print!("{}", report::text(d));
    }
    if let Some(p) = json {
        write_file(p, &report::json(d))?;
        if !quiet {
            eprintln!("debrief JSON written to {}", p.display());
        }
    }
    if let Some(p) = html {
        write_file(p, &report::html::render(d))?;
        if !quiet {
            eprintln!("debrief HTML written to {}", p.display());
        }
    }
    Ok(())
}

/// The scenario of `rec`, the file it is in and that file's hash: the file named with
/// `--scenario`, else the one the scenario folders hold for its id and hash. No path stored
/// in the record is opened.
pub(super) fn find_scenario(
    rec: &Record,
    named: Option<&Path>,
    scenarios: &[PathBuf],
) -> Result<(Arc<Scenario>, PathBuf, String), String> {
    if let Some(p) = named {
        if !p.is_file() {
            return Err(format!(
                "its scenario file was not found ({}; pass --scenario FILE)",
                p.display()
            ));
        }
        let (sc, _) = load_or_report(p)?;
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        return Ok((sc, p.to_path_buf(), record::content_hash(&bytes)));
    }
    let found = crate::records::library::Library::new(scenarios)
        .find(&rec.scenario_id, &rec.scenario_hash)
        .map_err(|e| format!("its scenario was not found: {e}"))?;
    Ok((found.scenario, found.path, found.hash))
}

/// Say on stderr what the record's signature shows; exit 1 if it does not match.
pub(super) fn signature_note(
    check: &crate::records::verify::SignatureCheck,
    quiet: bool,
) -> ExitCode {
    use crate::records::verify::SignatureCheck as S;
    let note = match check {
        S::Mismatch => {
            eprintln!(
                "warning: the record's signature does not match: it was changed after it was \
                 written (the debrief above is re-simulated from its inputs; its trainee, \
                 cohort or notes may have been edited)"
            );
            return ExitCode::from(1);
        }
        S::NoKey => return ExitCode::SUCCESS,
        S::Valid => "signed with this academy's key, and unchanged since it was written".into(),
        S::Unsigned => "the record is not signed".into(),
        S::OtherKey(id) => {
            format!("signed with another key ({id}), so its signature is not checked")
        }
    };
    if !quiet {
        eprintln!("note: {note}");
    }
    ExitCode::SUCCESS
}

/// A scenario id as a file name: letters, digits, `-` and `_` kept, anything else `_`.
pub(super) fn safe_file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".into() } else { s }
}
