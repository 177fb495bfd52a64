//! Checking scenario text: stage 1, loading (the limits, then `ron`, and on a failure
//! `repair`, which reports every slip and `ron` error it can reach), then stage 2,
//! validation ([`Validator`]), and the scan for characters that do not belong in text.

use super::diag::Diagnostic;
use super::report::{CheckReport, ScenarioError};
use super::syntax::ron_options;
use super::validator::Validator;
use super::{repair, text};
use crate::format::scenario::{MAX_FILE_BYTES, Scenario};
use crate::format::spans::{Lexer, SpanTree};

/// Parses and validates scenario text; `Ok` only if there are no errors (warnings allowed).
/// Used by the game's asset loader.
pub fn parse_scenario_str(text: &str) -> Result<Scenario, ScenarioError> {
    let report = check_source("scenario", text);
    match &report.scenario {
        Some(s) if !report.has_errors() => Ok(s.clone()),
        _ => Err(report.into()),
    }
}

pub(super) fn too_large_message(len: u64) -> String {
    let mib = |n: u64| n as f64 / (1024.0 * 1024.0);
    format!(
        "the file is too large ({:.1} MiB); scenario files are limited to {:.0} MiB",
        mib(len),
        mib(MAX_FILE_BYTES as u64)
    )
}

/// Parses and validates scenario `text`, labelling diagnostics with `path_label`: every
/// check but the one that needs the route finder (see [`check_file`]).
pub fn check_source(path_label: &str, text: &str) -> CheckReport {
    let (read, mut diagnostics) = load(text);
    if let Some(scenario) = &read.scenario {
        // The span index is only needed to place diagnostics. Validate without it first
        // (most files are clean); if anything is found, validate again with positions.
        let found = Validator::new(text, None, scenario).run();
        if !found.is_empty() {
            let tree = SpanTree::parse(text).ok();
            diagnostics.extend(Validator::new(text, tree.as_ref(), scenario).run());
        }
    } else if let Some((scenario, mended)) = &read.mended {
        // Read only after mending slips: check the rest, leaving out what the mends touch.
        let tree = SpanTree::parse(&mended.text).ok();
        let found = Validator::new(&mended.text, tree.as_ref(), scenario).run();
        diagnostics.extend(
            found
                .into_iter()
                .map(|d| mended.remap(d))
                .filter(|d| !mended.touches(&d.span)),
        );
    }
    if text.len() <= MAX_FILE_BYTES {
        diagnostics.extend(text::scan(text));
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    CheckReport {
        path: path_label.to_string(),
        source: text.to_string(),
        scenario: read.scenario,
        diagnostics,
    }
}

/// Stage 1: limits, then `ron`; on a failure, [`repair::read`] reports every slip and `ron`
/// error it can reach, mending the text to read on.
fn load(text: &str) -> (repair::Read<'_>, Vec<Diagnostic>) {
    let one = |d: Diagnostic| {
        let read = repair::Read {
            scenario: None,
            mended: None,
            diags: Vec::new(),
        };
        (read, vec![d])
    };
    if text.len() > MAX_FILE_BYTES {
        return one(Diagnostic::error(
            "file-too-large",
            too_large_message(text.len() as u64),
            0..0,
            text,
        ));
    }
    if matches!(Lexer::new(text).next_token(), Ok(None)) {
        let msg = "the file is empty: there is no scenario in it";
        let help = "a scenario file starts with `(` and lists fields such as `id: \"...\",`; \
                    see docs/scenario-format.md";
        return one(Diagnostic::error("empty-file", msg, 0..0, text)
            .with_label("expected `(` starting the scenario")
            .with_help(help));
    }
    // A UTF-8 byte-order mark (Notepad adds one) is not RON whitespace: hide it from `ron`.
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    // `ron` refuses nesting deeper than MAX_NESTING itself, so it is safe to try first; the
    // scans that explain a failure only run after one.
    if let Ok(scenario) = ron_options().from_str::<Scenario>(&text[bom..]) {
        let read = repair::Read {
            scenario: Some(scenario),
            mended: None,
            diags: Vec::new(),
        };
        return (read, Vec::new());
    }
    let mut read = repair::read(text, bom);
    let diags = std::mem::take(&mut read.diags);
    (read, diags)
}
