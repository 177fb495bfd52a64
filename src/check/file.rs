//! Checking a scenario file: reading its bytes (a file that cannot be read, one over the
//! size limit or not UTF-8 becomes one diagnostic), checking the text ([`check_source`]),
//! and for `deescalate check` the lints that need the route finder; loading one to use.

use super::diag::Diagnostic;
use super::lints;
use super::load::{check_source, too_large_message};
use super::report::CheckReport;
use crate::format::scenario::{MAX_FILE_BYTES, Scenario};
use std::io::Read;
use std::path::Path;

/// Reads, parses and validates a scenario file for the game or CLI: `Ok` with the scenario and
/// the report (which may hold warnings) if there are no errors, else `Err(report)`.
// The report is the error (the caller renders it); this runs once per file, so its size in
// the `Result` does not matter.
#[allow(clippy::result_large_err)]
pub fn load_scenario(path: &Path) -> Result<(Scenario, CheckReport), CheckReport> {
    let report = read_and_check(path);
    match &report.scenario {
        Some(s) if !report.has_errors() => Ok((s.clone(), report)),
        _ => Err(report),
    }
}

/// Everything `deescalate check` reports about a file: [`check_source`]'s checks and, for a
/// file without errors, the ones that need the route finder (a good ending reached far
/// sooner than `expected_minutes`). Unreadable, oversized and non-UTF-8 files become
/// diagnostics.
pub fn check_file(path: &Path) -> CheckReport {
    let mut report = read_and_check(path);
    lints::fast_endings(&mut report);
    report
}

/// Reads and checks a file without the route finder (what loading a scenario to use runs).
fn read_and_check(path: &Path) -> CheckReport {
    let label = path.display().to_string();
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|file| {
        if let Ok(meta) = file.metadata()
            && meta.len() > MAX_FILE_BYTES as u64
        {
            return Ok(Some(meta.len()));
        }
        // `take` guards against files that grow, or lie about their size.
        file.take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map(|_| None)
    });
    match read {
        Err(e) => file_error(&label, "io", format!("cannot read the file: {e}"), ""),
        Ok(Some(len)) => file_error(&label, "file-too-large", too_large_message(len), ""),
        Ok(None) => check_bytes(&label, &bytes),
    }
}

/// Checks the raw bytes of a scenario file (for callers that read files themselves, such as
/// the game's asset loader): oversized and non-UTF-8 input become diagnostics, the rest is
/// [`check_source`].
pub fn check_bytes(path_label: &str, bytes: &[u8]) -> CheckReport {
    if bytes.len() > MAX_FILE_BYTES {
        let msg = too_large_message(bytes.len() as u64);
        return file_error(path_label, "file-too-large", msg, "");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => check_source(path_label, text),
        Err(e) => {
            let bad = e.valid_up_to();
            // The lossy text keeps every byte before `bad`, so `bad` is still its offset.
            let source = String::from_utf8_lossy(bytes).into_owned();
            let msg = format!(
                "the file is not UTF-8 text (byte 0x{:02X} is not valid UTF-8)",
                bytes[bad]
            );
            let diag = Diagnostic::error("not-utf8", msg, bad..bad, &source)
                .with_label("invalid byte here")
                .with_help("save the file as UTF-8 (in most editors: \"Save with encoding\")");
            CheckReport {
                path: path_label.to_string(),
                source,
                scenario: None,
                diagnostics: vec![diag],
            }
        }
    }
}

/// A report with one error at the start of a file whose text could not be checked.
fn file_error(path_label: &str, code: &'static str, message: String, source: &str) -> CheckReport {
    CheckReport {
        path: path_label.to_string(),
        source: source.to_string(),
        scenario: None,
        diagnostics: vec![Diagnostic::error(code, message, 0..0, source)],
    }
}
