//! Loading and validating scenario files: what `deescalate check FILE...` runs, and what the
//! game and CLI use to load a scenario.
//!
//! A check has two stages:
//!
//! 1. **Loading** ([`check_source`]): size limit, empty file, then `ron` deserialisation. If
//!    that fails, `repair` scans for the slips authors make (a unit after a number, a string
//!    never closed...) and reads each `ron` error in turn, mending the text where the intent
//!    is clear, so every problem it can reach is reported, each with a clear message; a file
//!    that stops in the middle gets a "file ends unexpectedly" error at its end.
//! 2. **Validation**: semantic checks on the deserialised [`Scenario`] (unknown ids,
//!    unreachable scenes, dead ends, out-of-range numbers, empty text, asset paths, ...) and
//!    design lints (`lints`). Every diagnostic points at the exact offending value, found
//!    through a [`SpanTree`] of the text.
//!
//! Characters that do not belong in text are found on the raw text (`text`), whatever else
//! is wrong, and `check_file` adds the lints that need the route finder.
//!
//! Each kind of problem has a stable code (see [`CODES`]).

use crate::check::diag::{Diagnostic, Severity};
use crate::format::scenario::{
    Condition, MAX_FILE_BYTES, MAX_NESTING, Next, Scenario, Scene, Trigger, When,
};
use crate::format::spans::{BracketScan, Lexer, SpanTree, line_col, offset_of};
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

mod aside;
mod calls;
pub mod diag;
mod lints;
mod repair;
mod stage;
pub(crate) mod text;
mod vary;

use crate::format::words::{self, closest};

/// Every diagnostic code this module emits, with its severity and what it means.
#[rustfmt::skip]
pub const CODES: &[(&str, Severity, &str)] = &[
    // Loading.
    ("io",                  Severity::Error,   "the file could not be read"),
    ("not-utf8",            Severity::Error,   "the file is not UTF-8 text"),
    ("file-too-large",      Severity::Error,   "the file is larger than MAX_FILE_BYTES"),
    ("empty-file",          Severity::Error,   "the file has no scenario in it"),
    ("too-deep",            Severity::Error,   "brackets nested deeper than MAX_NESTING"),
    ("unexpected-eof",      Severity::Error,   "the file stops in the middle (truncated?)"),
    ("syntax",              Severity::Error,   "the text is not valid RON"),
    ("unknown-field",       Severity::Error,   "a field name the format does not have"),
    ("missing-field",       Severity::Error,   "a required field is missing"),
    ("duplicate-field",     Severity::Error,   "the same field is given twice"),
    ("unknown-variant",     Severity::Error,   "a name that is not one of the allowed choices"),
    ("wrong-type",          Severity::Error,   "a value of the wrong kind (text for a number...)"),
    ("number-unit",         Severity::Error,   "a unit after a number (`7.0 m`)"),
    ("decimal-comma",       Severity::Error,   "a decimal comma (`4,5`) where RON wants a point"),
    ("unclosed-string",     Severity::Error,   "text in quotes that runs on into the rest of the file"),
    ("when-list",           Severity::Error,   "a trigger's `when` given a list of conditions"),
    ("bidi-control",        Severity::Error,   "a bidirectional override or isolate character"),
    ("control-character",   Severity::Warning, "a control character in text"),
    // Ids and references.
    ("duplicate-scene",     Severity::Error,   "two scenes share an id"),
    ("duplicate-ending",    Severity::Error,   "two endings share an id"),
    ("duplicate-option",    Severity::Error,   "two options of one scene share an id"),
    ("duplicate-inject",    Severity::Error,   "two injects share an id"),
    ("unknown-scene",       Severity::Error,   "a scene id that names no scene"),
    ("unknown-ending",      Severity::Error,   "an ending id that names no ending"),
    ("unknown-inject",      Severity::Error,   "`Injected(..)` names no inject"),
    ("unset-flag",          Severity::Warning, "a flag is tested but nothing sets it"),
    ("unset-cleared-flag",  Severity::Warning, "a flag in `clears` that nothing sets"),
    ("never-in-scene",      Severity::Warning, "`InScene(..)` of another scene where only one scene is in play"),
    // Story graph.
    ("unreachable-scene",   Severity::Warning, "no path from `start_scene` leads to the scene"),
    ("unreachable-ending",  Severity::Warning, "nothing leads to the ending"),
    ("dead-end",            Severity::Error,   "no ending can be reached from the scene"),
    ("no-exits",            Severity::Error,   "a scene with no options and no triggers"),
    // Values.
    ("out-of-range",        Severity::Error,   "a number outside its allowed range"),
    ("non-finite",          Severity::Error,   "a number that is infinite or NaN"),
    ("inverted-range",      Severity::Error,   "a (min, max) pair with min > max"),
    ("no-weights",          Severity::Error,   "all scoring weights are zero"),
    ("band-inside-space",   Severity::Warning, "ideal distance band starts inside personal space"),
    ("time-limit",          Severity::Warning, "time_limit_minutes shorter than expected_minutes"),
    ("empty-text",          Severity::Error,   "an empty id, title, line or other text"),
    ("asset-path",          Severity::Error,   "an asset path empty, absolute or outside assets/"),
    ("asset-extension",     Severity::Warning, "an audio asset that is not a .wav file"),
    ("self-target",         Severity::Warning, "a scene trigger that targets its own scene (it can never fire)"),
    ("unlisted-indicator",  Severity::Warning, "an option recognises an indicator the subject does not have"),
    ("no-cover",            Severity::Warning, "a cover condition or trigger, but no prop gives cover"),
    ("cover-holds-subject", Severity::Warning, "a `cover: true` prop the subject sits inside (ignored as cover)"),
    ("sight-blocked",       Severity::Warning, "a prop hides the subject from the trainee's spawn"),
    // Acts.
    ("act-nothing-held",    Severity::Warning, "an act puts down or drops something, but the subject holds nothing"),
    ("act-far",             Severity::Warning, "`PutDown(at: ..)` more than 6 m from the subject"),
    ("act-no-railing",      Severity::Warning, "`ClimbBack` with no railing within reach of the subject"),
    // Asides.
    ("answer-not-aside",    Severity::Error,   "an `answer` on an option that is not an aside"),
    ("answer-no-partner",   Severity::Error,   "`answer_by: Partner` in a scenario with no partner"),
    ("answer-by-unanswered", Severity::Warning, "`answer_by` on an option with no `answer`"),
    // Variation.
    ("duplicate-temperament", Severity::Error, "two temperaments share an id"),
    ("unknown-temperament", Severity::Error,   "`Temperament(..)` names no temperament"),
    ("unknown-option",      Severity::Error,   "`Said(..)`/`NotSaid(..)` names no option"),
    ("duplicate-event",     Severity::Error,   "two seeded events share an id"),
    ("event-too-late",      Severity::Warning, "a seeded event's window opens after the time limit"),
    ("empty-branches",      Severity::Error,   "a `OneOf` with no branches"),
    ("nested-branches",     Severity::Error,   "a `OneOf` branch that is itself a `OneOf`"),
    ("no-default-branch",   Severity::Warning, "every `OneOf` branch has conditions"),
    // Design.
    ("time-limit-too-long", Severity::Error,   "time_limit_minutes over 120"),
    ("impossible-threshold", Severity::Warning, "a threshold agitation, trust or distance never crosses"),
    ("after-time-limit",    Severity::Warning, "a time condition that only holds after the time limit"),
    ("shadowed-trigger",    Severity::Warning, "a trigger another trigger always fires before"),
    ("beaten-trigger",      Severity::Warning, "a trigger another fires before unless a measure jumps"),
    ("inject-only-indicator", Severity::Warning, "an indicator only an inject reveals, charged for if missed"),
    ("fast-ending",         Severity::Warning, "a good ending reached in under a third of expected_minutes"),
    // Completeness.
    ("few-endings",         Severity::Warning, "fewer than two endings"),
    ("no-objectives",       Severity::Warning, "no learning objectives"),
];

/// The outcome of checking one scenario file.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The path as shown in diagnostics.
    pub path: String,
    /// The text that was checked (lossily decoded if it was not UTF-8; empty if it could not
    /// be read or was too large to read).
    #[serde(skip)]
    pub source: String,
    /// The deserialised scenario, if the file loaded (it may still have semantic errors).
    #[serde(skip)]
    pub scenario: Option<Scenario>,
    /// Problems found, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// Whether any diagnostic is an error (the scenario must not be used).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// All diagnostics rendered with source snippets (see [`crate::check::diag::render`]).
    pub fn render(&self, color: bool) -> String {
        crate::check::diag::render(&self.path, &self.source, &self.diagnostics, color)
    }

    /// One line such as `scenarios/x.ron: 2 errors, 1 warning` or `scenarios/x.ron: ok`.
    pub fn summary(&self) -> String {
        let (e, w) = (self.error_count(), self.warning_count());
        if e == 0 && w == 0 {
            return format!("{}: ok", self.path);
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}: {}, {}",
            self.path,
            plural(e, "error"),
            plural(w, "warning")
        )
    }
}

/// A scenario that failed to load, for callers that want a `std::error::Error` (the game's
/// asset loader). Its `Display` is the full plain-text report.
#[derive(Debug, Clone)]
pub struct ScenarioError {
    /// Boxed: a report holds the whole text and scenario, too big to pass around in a `Result`.
    pub report: Box<CheckReport>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.report.render(false).trim_end())
    }
}

impl std::error::Error for ScenarioError {}

impl From<CheckReport> for ScenarioError {
    fn from(report: CheckReport) -> Self {
        ScenarioError {
            report: Box::new(report),
        }
    }
}

/// The `ron` options scenarios are read with (`Option` fields may omit `Some(..)`).
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING)
}

/// Parses and validates scenario text; `Ok` only if there are no errors (warnings allowed).
/// Used by the game's asset loader.
pub fn parse_scenario_str(text: &str) -> Result<Scenario, ScenarioError> {
    let report = check_source("scenario", text);
    match &report.scenario {
        Some(s) if !report.has_errors() => Ok(s.clone()),
        _ => Err(report.into()),
    }
}

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

fn too_large_message(len: u64) -> String {
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

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

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

/// Brackets nested deeper than the limit, at the first one too deep.
fn too_deep(text: &str, at: usize) -> Diagnostic {
    Diagnostic::error(
        "too-deep",
        format!("brackets are nested more than {MAX_NESTING} deep"),
        at..at + 1,
        text,
    )
    .with_label(format!("bracket number {} is opened here", MAX_NESTING + 1))
    .with_help(
        "real scenarios nest about 8 deep; look for brackets that are opened but never closed",
    )
}

/// Converts a `ron` error into one diagnostic with a clear message and a precise span.
fn ron_error(
    text: &str,
    bom: usize,
    err: &ron::error::SpannedError,
    scan: &BracketScan,
) -> Diagnostic {
    use ron::error::Error as E;
    let to_byte = |p: &ron::error::Position| bom + offset_of(&text[bom..], p.line, p.col);
    let start = to_byte(&err.span.start);
    let end = to_byte(&err.span.end).max(start);
    let token = token_at(text, start);
    let token_span = token.as_ref().map_or(start..end, |(span, _)| span.clone());
    let found = token.as_ref().map(|(_, t)| t.clone());

    let truncated = scan.looks_truncated()
        && (matches!(err.code, E::Eof) || start >= scan.last_structural.unwrap_or(0));
    if truncated || matches!(err.code, E::Eof) {
        return truncated_error(text, scan);
    }

    // `Choice` is "an option": the format reference's words, not the program's.
    let outer_in = |outer: &Option<String>| {
        outer
            .as_ref()
            .map_or(String::new(), |o| format!(" in {}", words::thing(o)))
    };
    let expected_list = |alts: &[&str]| {
        alts.iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let found_str = found
        .clone()
        .unwrap_or_else(|| "the end of the file".into());
    // `name:` where a value was expected: most likely a bracket is missing before it.
    let looks_like_field = token_at(text, token_span.end)
        .is_some_and(|(_, t)| t == ":")
        .then(|| {
            format!(
                "`{found_str}:` looks like the next field: \
                 is a closing `]` or `)` missing before it?"
            )
        });
    let is_word = found
        .as_deref()
        .and_then(|f| f.chars().next())
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');

    match &err.code {
        E::NoSuchStructField {
            expected,
            found: name,
            outer,
        } => {
            let mut help = format!("expected one of: {}", expected_list(expected));
            if let Some(best) = words::suggest_field(name, expected) {
                help = format!("did you mean `{best}`? {help}");
            } else if !scan.unclosed.is_empty() {
                // Brackets do not balance: the field probably belongs to an outer structure.
                help = format!("is a closing `)` missing before it? Here {help}");
            }
            Diagnostic::error(
                "unknown-field",
                format!("unknown field `{name}`{}", outer_in(outer)),
                start..end,
                text,
            )
            .with_label("not a field here")
            .with_help(help)
        }
        E::MissingStructField { field, outer } => {
            // ron points at the closing bracket; point at the struct's name or opening instead.
            let span = SpanTree::parse(text)
                .ok()
                .and_then(|tree| {
                    let path = tree.path_at(start)?;
                    tree.key_span_of(&path)
                })
                .unwrap_or(start..end);
            let what = outer
                .as_ref()
                .map_or("this value".to_string(), |o| words::thing(o));
            Diagnostic::error(
                "missing-field",
                format!("missing field `{field}`{}", outer_in(outer)),
                span,
                text,
            )
            .with_label(format!("{what} needs a `{field}` field"))
            .with_help(format!("add `{field}: ...,` (see docs/scenario-format.md)"))
        }
        E::DuplicateStructField { field, outer } => Diagnostic::error(
            "duplicate-field",
            format!("field `{field}` is given twice{}", outer_in(outer)),
            token_span,
            text,
        )
        .with_label("second time")
        .with_help("remove one of the two"),
        E::NoSuchEnumVariant {
            expected,
            found: name,
            outer,
        } => {
            let mut help = format!("expected one of: {}", expected_list(expected));
            if let Some(best) = words::suggest_value(name, expected) {
                help = format!("did you mean `{best}`? {help}");
            }
            let message = match outer {
                Some(o) => format!("`{name}` is not {}", words::thing(o)),
                None => format!("unknown value `{name}`"),
            };
            Diagnostic::error("unknown-variant", message, start..end, text)
                .with_label("not one of the allowed values")
                .with_help(help)
        }
        E::InvalidValueForType { expected, found } => Diagnostic::error(
            "wrong-type",
            format!("expected {expected}, found {found}"),
            token_span,
            text,
        )
        .with_label(format!("expected {expected}")),
        E::ExpectedDifferentLength { expected, found } => Diagnostic::error(
            "wrong-type",
            format!(
                "expected {expected}, found {found} element{}",
                if *found == 1 { "" } else { "s" }
            ),
            token_span,
            text,
        )
        .with_label("wrong number of elements"),
        E::ExpectedString | E::ExpectedStringEnd
            if found.as_deref().is_some_and(|f| !f.starts_with('"')) =>
        {
            Diagnostic::error(
                "wrong-type",
                format!("expected text in double quotes, found `{found_str}`"),
                token_span,
                text,
            )
            .with_label("expected a string")
            .with_help(looks_like_field.unwrap_or_else(|| {
                if is_word {
                    format!("write it in double quotes: \"{found_str}\"")
                } else {
                    "text is written in double quotes, e.g. \"Go away.\"".into()
                }
            }))
        }
        E::ExpectedIdentifier => Diagnostic::error(
            "wrong-type",
            format!("expected a name without quotes, found `{found_str}`"),
            token_span,
            text,
        )
        .with_label("expected a name")
        .with_help(
            "choices are written without quotes, e.g. `Street`, `Stay` or `Scene(\"scene_id\")`",
        ),
        E::SuggestRawIdentifier(_) | E::InvalidIdentifier(_) => Diagnostic::error(
            "syntax",
            format!("expected a field name, found `{found_str}`"),
            token_span,
            text,
        )
        .with_label("expected `name: value`")
        .with_help("this structure lists named fields, e.g. `(x: 0.0, z: 8.0)`"),
        E::ExpectedStructLikeEnd
        | E::ExpectedOptionEnd
        | E::ExpectedArrayEnd
        | E::ExpectedMapEnd => {
            let close = match &err.code {
                E::ExpectedArrayEnd => ']',
                E::ExpectedMapEnd => '}',
                _ => ')',
            };
            Diagnostic::error(
                "syntax",
                format!("expected `{close}` before `{found_str}`"),
                token_span,
                text,
            )
            .with_label(format!("expected `{close}` here"))
            .with_help(
                looks_like_field
                    .unwrap_or_else(|| "is there one value too many, or a missing comma?".into()),
            )
        }
        E::InvalidEscape(what) => Diagnostic::error(
            "syntax",
            lowercase_first(what),
            bad_escape(text, start).unwrap_or(start..end),
            text,
        )
        .with_label("bad escape")
        .with_help(
            "a backslash starts an escape such as `\\n` or `\\\"`; write `\\\\` for a backslash",
        ),
        E::ExpectedFloat | E::ExpectedInteger => Diagnostic::error(
            "wrong-type",
            format!("expected a number, found `{found_str}`"),
            token_span,
            text,
        )
        .with_label("expected a number")
        .with_help("write numbers without quotes, e.g. `2.5`"),
        E::ExpectedBoolean => Diagnostic::error(
            "wrong-type",
            format!("expected `true` or `false`, found `{found_str}`"),
            token_span,
            text,
        )
        .with_label("expected true or false"),
        E::ExpectedArray => Diagnostic::error(
            "wrong-type",
            format!("expected a list `[...]`, found `{found_str}`"),
            token_span,
            text,
        )
        .with_label("expected `[`")
        .with_help("lists are written in square brackets, e.g. `[\"a\", \"b\"]`"),
        E::ExpectedStructLike
        | E::ExpectedNamedStructLike(_)
        | E::ExpectedDifferentStructName { .. } => {
            let what = match &err.code {
                E::ExpectedNamedStructLike(n)
                | E::ExpectedDifferentStructName { expected: n, .. }
                    if !n.is_empty() =>
                {
                    words::thing(n)
                }
                _ => "a structure".to_string(),
            };
            let first_token = token_at(text, 0).map(|(span, _)| span.start);
            let (code, msg) = if first_token == Some(token_span.start) {
                let msg = "this is not a scenario file: expected `(` to start the scenario";
                ("syntax", format!("{msg}, found `{found_str}`"))
            } else {
                let msg = format!("expected {what} in parentheses `(...)`");
                ("wrong-type", format!("{msg}, found `{found_str}`"))
            };
            Diagnostic::error(code, msg, token_span, text).with_label("expected `(`")
        }
        E::ExpectedComma => Diagnostic::error(
            "syntax",
            format!("expected `,` before `{found_str}`"),
            token_span,
            text,
        )
        .with_label("expected a comma here")
        .with_help(
            "separate fields and list items with commas; a bracket may also be missing or extra",
        ),
        E::TrailingCharacters => Diagnostic::error(
            "syntax",
            format!("unexpected `{found_str}` after the end of the scenario"),
            token_span,
            text,
        )
        .with_label("the scenario already ended")
        .with_help("is there an extra closing bracket earlier on?"),
        E::ExpectedStringEnd => Diagnostic::error(
            "syntax",
            "text in quotes is never closed (missing `\"`)",
            start..end,
            text,
        )
        .with_label("this string has no closing quote"),
        E::UnclosedBlockComment => Diagnostic::error(
            "syntax",
            "comment is never closed (missing `*/`)",
            start..end,
            text,
        )
        .with_label("comment starts here"),
        E::ExceededRecursionLimit => {
            Diagnostic::error("too-deep", "brackets are nested too deep", start..end, text)
        }
        other => {
            let msg = other.to_string();
            let msg = lowercase_first(&msg);
            Diagnostic::error("syntax", msg, token_span, text)
                .with_label(format!("at `{found_str}`"))
        }
    }
}

/// The "file ends unexpectedly" error, placed just after the last text in the file.
fn truncated_error(text: &str, scan: &BracketScan) -> Diagnostic {
    let end = text.trim_end().len();
    let pos = |b: usize| {
        let (l, c) = line_col(text, b);
        format!("{l}:{c}")
    };
    let mut help = String::from("is the file complete? ");
    if let Some(s) = &scan.unterminated {
        help.push_str(&format!(
            "{} (it starts at {})",
            s.message,
            pos(s.span.start)
        ));
    } else if scan.unclosed.is_empty() {
        help.push_str("the scenario stops before it is complete");
    } else {
        let open: Vec<String> = scan
            .unclosed
            .iter()
            .rev()
            .take(3)
            .map(|(c, b)| format!("`{c}` at {}", pos(*b)))
            .collect();
        help.push_str(&format!(
            "{} bracket{} never closed: {}{}",
            scan.unclosed.len(),
            if scan.unclosed.len() == 1 {
                " is"
            } else {
                "s are"
            },
            open.join(", "),
            if scan.unclosed.len() > 3 { ", ..." } else { "" }
        ));
    }
    Diagnostic::error(
        "unexpected-eof",
        "the file ends unexpectedly",
        end..end,
        text,
    )
    .with_label("the file stops here")
    .with_help(help)
}

/// The token starting at (or just after whitespace from) `byte`: its span and text.
fn token_at(text: &str, byte: usize) -> Option<(Range<usize>, String)> {
    let rest = text.get(byte..)?;
    let tok = Lexer::new(rest).next_token().ok()??;
    let span = byte + tok.span.start..byte + tok.span.end;
    let mut shown: String = text[span.clone()].chars().take(40).collect();
    if shown.len() < span.len() {
        shown.push_str("...");
    }
    Some((span, shown))
}

/// The first invalid escape (`\q`) in the string literal that contains `byte`.
fn bad_escape(text: &str, byte: usize) -> Option<Range<usize>> {
    let mut lexer = Lexer::new(text);
    let string = loop {
        let tok = lexer.next_token().ok()??;
        if tok.span.contains(&byte) {
            break tok;
        }
        if tok.span.start > byte {
            return None;
        }
    };
    let body = &text[string.span.clone()];
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        match chars.next() {
            Some((_, 'n' | 't' | 'r' | '0' | '\\' | '"' | '\'' | 'x' | 'u' | '\n')) => {}
            Some((j, e)) => {
                let at = string.span.start + i;
                return Some(at..string.span.start + j + e.len_utf8());
            }
            None => return None,
        }
    }
    None
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/// Stage 2: semantic checks on a deserialised scenario.
struct Validator<'a> {
    text: &'a str,
    tree: Option<&'a SpanTree>,
    s: &'a Scenario,
    diags: Vec<Diagnostic>,
    scene_ids: HashMap<&'a str, usize>,
    ending_ids: HashMap<&'a str, usize>,
    inject_ids: HashSet<&'a str>,
}

/// Where a trigger list lives: a scene's own triggers or the global ones.
fn trigger_path(scene: Option<usize>, k: usize) -> String {
    match scene {
        Some(i) => format!("scenes[{i}].triggers[{k}]"),
        None => format!("triggers[{k}]"),
    }
}

impl<'a> Validator<'a> {
    fn new(text: &'a str, tree: Option<&'a SpanTree>, s: &'a Scenario) -> Self {
        let mut scene_ids = HashMap::new();
        for (i, sc) in s.scenes.iter().enumerate() {
            scene_ids.entry(sc.id.as_str()).or_insert(i);
        }
        let mut ending_ids = HashMap::new();
        for (i, e) in s.endings.iter().enumerate() {
            ending_ids.entry(e.id.as_str()).or_insert(i);
        }
        Validator {
            text,
            tree,
            s,
            diags: Vec::new(),
            scene_ids,
            ending_ids,
            inject_ids: s.injects.iter().map(|i| i.id.as_str()).collect(),
        }
    }

    fn run(mut self) -> Vec<Diagnostic> {
        self.check_top();
        self.check_place();
        self.check_subject();
        self.check_partner();
        self.check_scoring();
        self.check_ids();
        self.check_scenes();
        for (k, t) in self.s.triggers.iter().enumerate() {
            self.check_trigger(None, k, t);
        }
        self.check_endings_and_injects();
        self.check_variation();
        self.check_asides();
        self.check_flags();
        self.check_calls();
        self.check_graph();
        self.check_design();
        self.check_stage();
        self.diags
    }

    // --- spans -------------------------------------------------------------------------------

    /// Span of the value at `path` (or its nearest ancestor).
    fn at(&self, path: &str) -> Range<usize> {
        self.tree.and_then(|t| t.span_of(path)).unwrap_or(0..0)
    }

    /// Span of the innermost payload at `path` (`"x"` in `Scene("x")`).
    fn payload(&self, path: &str) -> Range<usize> {
        self.tree
            .and_then(|t| t.payload_span_of(path))
            .unwrap_or(0..0)
    }

    /// Span of the field name at the end of `path`.
    fn key(&self, path: &str) -> Range<usize> {
        self.tree.and_then(|t| t.key_span_of(path)).unwrap_or(0..0)
    }

    fn error(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        span: Range<usize>,
    ) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::error(code, msg, span, self.text));
        self.diags.last_mut().expect("just pushed")
    }

    fn warning(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        span: Range<usize>,
    ) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::warning(code, msg, span, self.text));
        self.diags.last_mut().expect("just pushed")
    }

    fn pos(&self, span: &Range<usize>) -> String {
        let (l, c) = line_col(self.text, span.start);
        format!("{l}:{c}")
    }

    // --- value checks ------------------------------------------------------------------------

    /// Errors if `v` is not finite; returns whether it is.
    fn finite(&mut self, path: &str, what: &str, v: f32) -> bool {
        if v.is_finite() {
            return true;
        }
        let span = self.payload(path);
        self.error(
            "non-finite",
            format!("{what} must be a finite number, found {v}"),
            span,
        )
        .label = Some("not a finite number".into());
        false
    }

    /// Errors unless `min <= v <= max`.
    fn in_range(&mut self, path: &str, what: &str, v: f32, min: f32, max: f32) {
        if self.finite(path, what, v) && !(min..=max).contains(&v) {
            let span = self.payload(path);
            let d = self.error(
                "out-of-range",
                format!("{what} must be between {min} and {max}, found {v}"),
                span,
            );
            d.label = Some(format!("outside {min}..={max}"));
        }
    }

    /// Errors if `v` is negative.
    fn non_negative(&mut self, path: &str, what: &str, v: f32) {
        if self.finite(path, what, v) && v < 0.0 {
            let span = self.payload(path);
            self.error(
                "out-of-range",
                format!("{what} cannot be negative, found {v}"),
                span,
            )
            .label = Some("negative".into());
        }
    }

    /// Errors unless `v > 0`.
    fn positive(&mut self, path: &str, what: &str, v: f32) {
        if self.finite(path, what, v) && v <= 0.0 {
            let span = self.payload(path);
            self.error(
                "out-of-range",
                format!("{what} must be greater than 0, found {v}"),
                span,
            )
            .label = Some("must be > 0".into());
        }
    }

    /// Errors if the text is empty or only whitespace.
    fn non_empty(&mut self, path: &str, what: &str, text: &str) {
        if text.trim().is_empty() {
            let span = self.payload(path);
            self.error("empty-text", format!("{what} is empty"), span)
                .label = Some("empty".into());
        }
    }

    fn colour(&mut self, path: &str, what: &str, c: (f32, f32, f32)) {
        for (k, v) in [c.0, c.1, c.2].into_iter().enumerate() {
            let channel = ["red", "green", "blue"][k];
            self.in_range(
                &format!("{path}[{k}]"),
                &format!("{what} {channel}"),
                v,
                0.0,
                1.0,
            );
        }
    }

    fn spawn(&mut self, path: &str, what: &str, s: &crate::format::scenario::Spawn) {
        self.finite(&format!("{path}.x"), &format!("{what} x"), s.x);
        self.finite(&format!("{path}.z"), &format!("{what} z"), s.z);
        self.finite(
            &format!("{path}.facing"),
            &format!("{what} facing"),
            s.facing,
        );
    }

    /// A change of agitation or trust: -100..=100.
    fn delta(&mut self, path: &str, what: &str, v: f32) {
        self.in_range(path, what, v, -100.0, 100.0);
    }

    // --- sections ----------------------------------------------------------------------------

    fn check_top(&mut self) {
        let s = self.s;
        self.non_empty("id", "scenario id", &s.id);
        self.non_empty("title", "title", &s.title);
        self.non_empty("briefing", "briefing", &s.briefing);
        if s.objectives.is_empty() {
            let span = self.key("objectives");
            let d = self.warning("no-objectives", "the scenario has no objectives", span);
            d.label = Some("no learning objectives".into());
            d.help = Some(
                "list what the trainee should practise, \
                 e.g. `objectives: [\"Introduce yourself\"],`"
                    .into(),
            );
        }
        for (i, o) in s.objectives.iter().enumerate() {
            self.non_empty(&format!("objectives[{i}]"), "objective", o);
        }
        self.positive("expected_minutes", "expected_minutes", s.expected_minutes);
        self.positive(
            "time_limit_minutes",
            "time_limit_minutes",
            s.time_limit_minutes,
        );
        if s.expected_minutes.is_finite()
            && s.time_limit_minutes.is_finite()
            && s.expected_minutes > 0.0
            && s.time_limit_minutes > 0.0
            && s.time_limit_minutes < s.expected_minutes
        {
            let span = self.at("time_limit_minutes");
            let d = self.warning(
                "time-limit",
                format!(
                    "time_limit_minutes ({}) is shorter than expected_minutes ({})",
                    s.time_limit_minutes, s.expected_minutes
                ),
                span,
            );
            d.label = Some("the run is cut off before a good run usually ends".into());
            d.help = Some(format!(
                "raise time_limit_minutes to at least {} (it defaults to 20)",
                s.expected_minutes
            ));
        }
        if s.endings.len() < 2 {
            let span = self.key("endings");
            let n = s.endings.len();
            let plural = if n == 1 { "" } else { "s" };
            let d = self.warning(
                "few-endings",
                format!("the scenario has only {n} ending{plural}"),
                span,
            );
            d.label = Some("fewer than two endings".into());
            d.help = Some("give trainees at least a good and a bad outcome".into());
        }
    }

    fn check_place(&mut self) {
        let p = &self.s.place;
        self.spawn("place.trainee_spawn", "trainee spawn", &p.trainee_spawn);
        for (i, prop) in p.props.iter().enumerate() {
            let path = format!("place.props[{i}]");
            self.finite(&format!("{path}.x"), "prop x", prop.x);
            self.finite(&format!("{path}.z"), "prop z", prop.z);
            self.finite(&format!("{path}.rotation"), "prop rotation", prop.rotation);
            for (k, v) in [prop.size.0, prop.size.1, prop.size.2]
                .into_iter()
                .enumerate()
            {
                let dim = ["width", "height", "depth"][k];
                self.positive(&format!("{path}.size[{k}]"), &format!("prop {dim}"), v);
            }
            if let Some(c) = prop.color {
                self.colour(&format!("{path}.color"), "prop colour", c);
            }
        }
        if let Some(a) = &p.ambience {
            self.asset_path("place.ambience", a);
        }
    }

    /// Asset paths are relative to `assets/` and must stay inside it.
    fn asset_path(&mut self, path: &str, asset: &str) {
        let span = self.payload(path);
        let trimmed = asset.trim();
        if trimmed.is_empty() {
            self.error("asset-path", "asset path is empty", span).help = Some(
                "write a path inside assets/, e.g. \"audio/street.wav\", or remove the field"
                    .into(),
            );
            return;
        }
        let b = trimmed.as_bytes();
        let absolute = trimmed.starts_with('/')
            || trimmed.starts_with('\\')
            || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':');
        if absolute {
            let d = self.error(
                "asset-path",
                format!("asset path `{asset}` is absolute"),
                span,
            );
            d.label = Some("absolute path".into());
            d.help = Some(
                "asset paths are relative to the assets/ folder, e.g. \"audio/street.wav\"".into(),
            );
            return;
        }
        let mut depth = 0i32;
        for part in trimmed.split(['/', '\\']) {
            match part {
                "" | "." => {}
                ".." => {
                    depth -= 1;
                    if depth < 0 {
                        let d = self.error(
                            "asset-path",
                            format!("asset path `{asset}` leads outside the assets/ folder"),
                            span,
                        );
                        d.label = Some("`..` leaves assets/".into());
                        d.help = Some(
                            "put the file inside assets/ and give its path relative to it".into(),
                        );
                        return;
                    }
                }
                _ => depth += 1,
            }
        }
        let ext = Path::new(trimmed)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("wav")) {
            let d = self.warning(
                "asset-extension",
                format!("audio asset `{asset}` is not a .wav file"),
                span,
            );
            d.label = Some("unsupported audio format".into());
            d.help = Some("the trainer plays WAV files; convert it to .wav".into());
        }
    }

    fn check_subject(&mut self) {
        let sub = &self.s.subject;
        self.non_empty("subject.name", "subject name", &sub.name);
        self.spawn("subject.spawn", "subject spawn", &sub.spawn);
        self.in_range(
            "subject.baseline_agitation",
            "baseline_agitation",
            sub.baseline_agitation,
            0.0,
            100.0,
        );
        self.in_range(
            "subject.baseline_trust",
            "baseline_trust",
            sub.baseline_trust,
            0.0,
            100.0,
        );
        self.non_negative(
            "subject.personal_space",
            "personal_space",
            sub.personal_space,
        );
        self.non_negative(
            "subject.reactionary_gap",
            "reactionary_gap",
            sub.reactionary_gap,
        );
        // Note: a reactionary gap larger than personal space is normal (an edged weapon's
        // 21-foot rule); what makes no sense is scoring a trainee for standing where the
        // subject feels crowded.
        let (band_lo, _) = self.s.scoring.ideal_distance;
        if sub.personal_space.is_finite()
            && band_lo.is_finite()
            && band_lo >= 0.0
            && band_lo < sub.personal_space
        {
            let span = self.at("scoring.ideal_distance");
            let d = self.warning(
                "band-inside-space",
                format!(
                    "the ideal distance band starts at {band_lo} m, \
                     inside {}'s personal space ({} m)",
                    sub.name, sub.personal_space
                ),
                span,
            );
            d.label = Some("starts inside personal space".into());
            d.help = Some(
                "trainees would be scored as ideal while the subject feels crowded; \
                 start the band at or beyond personal_space"
                    .into(),
            );
        }

        let a = &sub.appearance;
        let ap = "subject.appearance";
        self.positive(&format!("{ap}.height"), "appearance height", a.height);
        self.in_range(
            &format!("{ap}.build"),
            "appearance build",
            a.build,
            0.0,
            1.0,
        );
        self.colour(&format!("{ap}.skin"), "skin colour", a.skin);
        self.colour(&format!("{ap}.top"), "top colour", a.top);
        self.colour(&format!("{ap}.trousers"), "trousers colour", a.trousers);
        self.colour(&format!("{ap}.hair"), "hair colour", a.hair);

        let se = &sub.sensitivity;
        let sp = "subject.sensitivity";
        self.non_negative(
            &format!("{sp}.proximity"),
            "sensitivity proximity",
            se.proximity,
        );
        self.non_negative(
            &format!("{sp}.fast_approach"),
            "sensitivity fast_approach",
            se.fast_approach,
        );
        self.non_negative(
            &format!("{sp}.fast_approach_speed"),
            "sensitivity fast_approach_speed",
            se.fast_approach_speed,
        );
        self.finite(&format!("{sp}.silence"), "sensitivity silence", se.silence);
        self.non_negative(
            &format!("{sp}.silence_after"),
            "sensitivity silence_after",
            se.silence_after,
        );
        self.non_negative(&format!("{sp}.weapon"), "sensitivity weapon", se.weapon);
        self.in_range(
            &format!("{sp}.settle"),
            "sensitivity settle",
            se.settle,
            0.0,
            1.0,
        );

        let t = &sub.tones;
        for (name, r) in [
            ("calm", t.calm),
            ("neutral", t.neutral),
            ("firm", t.firm),
            ("commanding", t.commanding),
            ("shouting", t.shouting),
        ] {
            let p = format!("subject.tones.{name}");
            self.delta(
                &format!("{p}.agitation"),
                &format!("{name} tone agitation"),
                r.agitation,
            );
            self.delta(
                &format!("{p}.trust"),
                &format!("{name} tone trust"),
                r.trust,
            );
        }
    }

    fn check_partner(&mut self) {
        let Some(p) = &self.s.partner else { return };
        self.non_empty("partner.name", "partner name", &p.name);
        self.spawn("partner.spawn", "partner spawn", &p.spawn);
        self.in_range(
            "partner.talks_over_above",
            "talks_over_above",
            p.talks_over_above,
            0.0,
            100.0,
        );
        self.delta(
            "partner.talk_over_agitation",
            "talk_over_agitation",
            p.talk_over_agitation,
        );
        for (i, l) in p.lines.iter().enumerate() {
            self.non_empty(&format!("partner.lines[{i}]"), "partner line", l);
        }
    }

    fn check_scoring(&mut self) {
        let sc = &self.s.scoring;
        let (lo, hi) = sc.ideal_distance;
        self.non_negative("scoring.ideal_distance[0]", "ideal_distance minimum", lo);
        self.non_negative("scoring.ideal_distance[1]", "ideal_distance maximum", hi);
        if lo.is_finite() && hi.is_finite() && lo > hi {
            let span = self.at("scoring.ideal_distance");
            let d = self.error(
                "inverted-range",
                format!("ideal_distance minimum ({lo}) is larger than its maximum ({hi})"),
                span,
            );
            d.label = Some("(min, max) in the wrong order".into());
            d.help = Some(format!("write ({hi}, {lo})"));
        }
        let w = &sc.weights;
        let all = [
            ("distance", w.distance),
            ("time", w.time),
            ("tone", w.tone),
            ("verbal", w.verbal),
        ];
        for (name, v) in all {
            self.non_negative(
                &format!("scoring.weights.{name}"),
                &format!("weight `{name}`"),
                v,
            );
        }
        if all.iter().all(|(_, v)| *v == 0.0) {
            let span = self.key("scoring.weights");
            let d = self.error(
                "no-weights",
                "all scoring weights are zero: nothing would be scored",
                span,
            );
            d.label = Some("all zero".into());
            d.help =
                Some("give at least one of distance, time, tone, verbal a positive weight".into());
        }
    }

    /// Duplicate scene, ending, option and inject ids.
    fn check_ids(&mut self) {
        let s = self.s;
        self.duplicates(
            "duplicate-scene",
            "scene",
            s.scenes.iter().map(|x| x.id.as_str()).collect(),
            |i| format!("scenes[{i}].id"),
        );
        self.duplicates(
            "duplicate-ending",
            "ending",
            s.endings.iter().map(|x| x.id.as_str()).collect(),
            |i| format!("endings[{i}].id"),
        );
        self.duplicates(
            "duplicate-inject",
            "inject",
            s.injects.iter().map(|x| x.id.as_str()).collect(),
            |i| format!("injects[{i}].id"),
        );
        for (si, scene) in s.scenes.iter().enumerate() {
            self.duplicates(
                "duplicate-option",
                "option",
                scene.options.iter().map(|o| o.id.as_str()).collect(),
                |i| format!("scenes[{si}].options[{i}].id"),
            );
        }
    }

    fn duplicates(
        &mut self,
        code: &'static str,
        what: &str,
        ids: Vec<&str>,
        path: impl Fn(usize) -> String,
    ) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.into_iter().enumerate() {
            if id.trim().is_empty() {
                continue; // reported as empty-text
            }
            match first.get(id) {
                Some(&j) => {
                    let earlier = self.payload(&path(j));
                    let earlier = self.pos(&earlier);
                    let span = self.payload(&path(i));
                    let d = self.error(code, format!("duplicate {what} id `{id}`"), span);
                    d.label = Some(format!("`{id}` is already used at {earlier}"));
                    d.help = Some(format!("give each {what} its own id"));
                }
                None => {
                    first.insert(id, i);
                }
            }
        }
    }

    fn check_scenes(&mut self) {
        for (i, scene) in self.s.scenes.iter().enumerate() {
            self.check_scene(i, scene);
        }
        let start = &self.s.start_scene;
        if !self.scene_ids.contains_key(start.as_str()) {
            let span = self.payload("start_scene");
            self.unknown_target("unknown-scene", "start_scene", start, span, true);
        }
        let timeout = &self.s.timeout_ending;
        if !self.ending_ids.contains_key(timeout.as_str()) {
            let span = self.payload("timeout_ending");
            self.unknown_target("unknown-ending", "timeout_ending", timeout, span, false);
        }
    }

    fn check_scene(&mut self, i: usize, scene: &'a Scene) {
        let sp = format!("scenes[{i}]");
        self.non_empty(&format!("{sp}.id"), "scene id", &scene.id);
        if scene.lines.is_empty() {
            let span = self.at(&format!("{sp}.lines"));
            let d = self.error(
                "empty-text",
                format!("scene `{}` has no lines", scene.id),
                span,
            );
            d.label = Some("no lines".into());
            d.help = Some("give the subject at least one line to say on entering the scene".into());
        }
        for (k, line) in scene.lines.iter().enumerate() {
            self.non_empty(&format!("{sp}.lines[{k}]"), "line", line);
        }
        if scene.options.is_empty() && scene.triggers.is_empty() {
            let span = self.payload(&format!("{sp}.id"));
            let d = self.error(
                "no-exits",
                format!("scene `{}` has no options and no triggers", scene.id),
                span,
            );
            d.label = Some("the trainee can do nothing here".into());
            d.help = Some(
                "add `options: [...]` the trainee can say, or `triggers: [...]` that move the \
                 story on"
                    .into(),
            );
        }
        for (j, opt) in scene.options.iter().enumerate() {
            let op = format!("{sp}.options[{j}]");
            for (r, ind) in opt.recognises.iter().enumerate() {
                if !self.s.subject.indicators.contains(ind) {
                    let span = self.at(&format!("{op}.recognises[{r}]"));
                    let d = self.warning(
                        "unlisted-indicator",
                        format!(
                            "this option recognises {ind:?}, but the subject's `indicators` do not include it"
                        ),
                        span,
                    );
                    d.label = Some("not one of the subject's indicators".into());
                    d.help = Some(format!(
                        "add {ind:?} to `subject.indicators`, or remove it here"
                    ));
                }
            }
            self.non_empty(&format!("{op}.id"), "option id", &opt.id);
            self.non_empty(&format!("{op}.text"), "option text", &opt.text);
            self.delta(
                &format!("{op}.agitation"),
                "option agitation",
                opt.agitation,
            );
            self.delta(&format!("{op}.trust"), "option trust", opt.trust);
            self.finite(&format!("{op}.weight"), "option weight", opt.weight);
            for (r, cond) in opt.requires.iter().enumerate() {
                self.check_condition(&format!("{op}.requires[{r}]"), cond);
            }
            self.check_next(&format!("{op}.next"), &opt.next);
            for (k, reply) in opt.reply.iter().enumerate() {
                self.non_empty(&format!("{op}.reply[{k}]"), "reply", reply);
            }
            for (b, br) in opt.tone_branches.iter().enumerate() {
                let bp = format!("{op}.tone_branches[{b}]");
                self.check_next(&format!("{bp}.next"), &br.next);
                self.delta(
                    &format!("{bp}.agitation"),
                    "tone branch agitation",
                    br.agitation,
                );
                self.delta(&format!("{bp}.trust"), "tone branch trust", br.trust);
            }
        }
        for (k, t) in scene.triggers.iter().enumerate() {
            self.check_trigger(Some(i), k, t);
        }
    }

    fn check_condition(&mut self, path: &str, cond: &Condition) {
        match cond {
            Condition::AgitationAbove(v) | Condition::AgitationBelow(v) => {
                self.in_range(path, "agitation threshold", *v, 0.0, 100.0)
            }
            Condition::TrustAbove(v) | Condition::TrustBelow(v) => {
                self.in_range(path, "trust threshold", *v, 0.0, 100.0)
            }
            Condition::CloserThan(v) | Condition::FartherThan(v) => {
                self.non_negative(path, "distance", *v)
            }
            Condition::SecondsElapsed(v) | Condition::SecondsInScene(v) => {
                self.non_negative(path, "time in seconds", *v)
            }
            Condition::InScene(id) => self.check_in_scene(path, id),
            // Flags are checked in `check_flags`, cover in `check_calls`.
            Condition::Flag(_)
            | Condition::NotFlag(_)
            | Condition::InCover
            | Condition::NotInCover => {}
            Condition::Temperament(_) | Condition::Said(_) | Condition::NotSaid(_) => {
                self.check_named_condition(path, cond)
            }
        }
    }

    fn check_trigger(&mut self, scene: Option<usize>, k: usize, t: &Trigger) {
        let tp = trigger_path(scene, k);
        let wp = format!("{tp}.when");
        if let (Some(i), Next::Scene(target)) = (scene, &t.goto)
            && *target == self.s.scenes[i].id
        {
            let span = self.payload(&format!("{tp}.goto"));
            let d = self.warning(
                "self-target",
                format!("this trigger goes to `{target}`, the scene it is in, so it never fires"),
                span,
            );
            d.label = Some("its own scene".into());
            d.help = Some("a trigger never moves to the scene it is already in; use `Stay` for effects without a move".into());
        }
        match &t.when {
            When::AgitationAbove(v) | When::AgitationBelow(v) => {
                self.in_range(&wp, "agitation threshold", *v, 0.0, 100.0)
            }
            When::TrustAbove(v) | When::TrustBelow(v) => {
                self.in_range(&wp, "trust threshold", *v, 0.0, 100.0)
            }
            When::CloserThan(v) | When::FartherThan(v) => self.non_negative(&wp, "distance", *v),
            When::ApproachFasterThan(v) => self.non_negative(&wp, "approach speed", *v),
            When::SecondsInScene(v) | When::SilenceFor(v) | When::SecondsElapsed(v) => {
                self.non_negative(&wp, "time in seconds", *v)
            }
            When::Injected(id) => {
                if !self.inject_ids.contains(id.as_str()) {
                    let span = self.payload(&wp);
                    let suggestion = closest(id, self.inject_ids.iter().copied());
                    let d = self.error(
                        "unknown-inject",
                        format!("no inject has the id `{id}`"),
                        span,
                    );
                    d.label = Some("unknown inject".into());
                    d.help = Some(match suggestion {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "define it under `injects: [...]`".into(),
                    });
                }
            }
            When::WeaponDrawn | When::InCover | When::Flag(_) => {}
        }
        for (r, cond) in t.requires.iter().enumerate() {
            self.check_condition(&format!("{tp}.requires[{r}]"), cond);
        }
        self.check_next(&format!("{tp}.goto"), &t.goto);
        if let Some(line) = &t.line {
            self.non_empty(&format!("{tp}.line"), "trigger line", line);
        }
        self.delta(&format!("{tp}.agitation"), "trigger agitation", t.agitation);
        self.delta(&format!("{tp}.trust"), "trigger trust", t.trust);
    }

    fn check_endings_and_injects(&mut self) {
        for (i, e) in self.s.endings.iter().enumerate() {
            let p = format!("endings[{i}]");
            self.non_empty(&format!("{p}.id"), "ending id", &e.id);
            self.non_empty(&format!("{p}.title"), "ending title", &e.title);
            self.non_empty(&format!("{p}.summary"), "ending summary", &e.summary);
            if let Some(line) = &e.line {
                self.non_empty(&format!("{p}.line"), "ending line", line);
            }
        }
        for (i, inj) in self.s.injects.iter().enumerate() {
            let p = format!("injects[{i}]");
            self.non_empty(&format!("{p}.id"), "inject id", &inj.id);
            self.non_empty(&format!("{p}.label"), "inject label", &inj.label);
            self.non_empty(&format!("{p}.line"), "inject line", &inj.line);
            self.delta(&format!("{p}.agitation"), "inject agitation", inj.agitation);
            self.delta(&format!("{p}.trust"), "inject trust", inj.trust);
        }
    }

    /// A `Next::Scene` / `Next::Ending` must name something that exists.
    fn check_next(&mut self, path: &str, next: &Next) {
        let (code, id, scene) = match next {
            Next::Stay => return,
            Next::OneOf(_) => return self.check_branches(path, next),
            Next::Scene(id) if !self.scene_ids.contains_key(id.as_str()) => {
                ("unknown-scene", id, true)
            }
            Next::Ending(id) if !self.ending_ids.contains_key(id.as_str()) => {
                ("unknown-ending", id, false)
            }
            _ => return,
        };
        let span = self.payload(path);
        let field = path.rsplit('.').next().unwrap_or(path).to_string();
        self.unknown_target(code, &field, id, span, scene);
    }

    /// Reports an id that names no scene (`scene`) or no ending, with a suggestion.
    fn unknown_target(
        &mut self,
        code: &'static str,
        field: &str,
        id: &str,
        span: Range<usize>,
        scene: bool,
    ) {
        let (kind, other_kind) = if scene {
            ("scene", "ending")
        } else {
            ("ending", "scene")
        };
        let (same, other) = if scene {
            (&self.scene_ids, &self.ending_ids)
        } else {
            (&self.ending_ids, &self.scene_ids)
        };
        let help = if let Some(best) = closest(id, same.keys().copied()) {
            format!("did you mean `{best}`?")
        } else if other.contains_key(id) {
            let variant = if scene { "Ending" } else { "Scene" };
            let (is, not) = (words::with_article(other_kind), words::with_article(kind));
            if field == "start_scene" || field == "timeout_ending" {
                format!("`{id}` is {is}, not {not}")
            } else {
                format!("`{id}` is {is}: write `{variant}(\"{id}\")`")
            }
        } else {
            let mut known: Vec<&str> = same.keys().copied().collect();
            known.sort_unstable();
            if known.is_empty() {
                format!("there are no {kind}s defined")
            } else {
                format!(
                    "known {kind}s: {}",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        };
        let d = self.error(code, format!("`{field}` names no {kind}: `{id}`"), span);
        d.label = Some(format!("no {kind} has this id"));
        d.help = Some(help);
    }

    /// Flags tested (`Flag`, `NotFlag`, `When::Flag`) but never set by any option or trigger.
    fn check_flags(&mut self) {
        let s = self.s;
        let mut set: HashSet<&str> = HashSet::new();
        for scene in &s.scenes {
            for o in &scene.options {
                set.extend(o.sets.iter().map(String::as_str));
                set.extend(
                    o.tone_branches
                        .iter()
                        .flat_map(|b| b.sets.iter().map(String::as_str)),
                );
            }
            for t in &scene.triggers {
                set.extend(t.sets.iter().map(String::as_str));
            }
        }
        for t in &s.triggers {
            set.extend(t.sets.iter().map(String::as_str));
        }
        for e in &s.events {
            set.extend(e.sets.iter().map(String::as_str));
        }
        let mut used: Vec<(String, &str)> = Vec::new();
        let conds = |path: String, reqs: &'a [Condition], used: &mut Vec<(String, &'a str)>| {
            for (r, c) in reqs.iter().enumerate() {
                if let Condition::Flag(f) | Condition::NotFlag(f) = c {
                    used.push((format!("{path}.requires[{r}]"), f));
                }
            }
        };
        let triggers =
            |scene: Option<usize>, ts: &'a [Trigger], used: &mut Vec<(String, &'a str)>| {
                for (k, t) in ts.iter().enumerate() {
                    let tp = trigger_path(scene, k);
                    if let When::Flag(f) = &t.when {
                        used.push((format!("{tp}.when"), f));
                    }
                    conds(tp, &t.requires, used);
                }
            };
        for (i, scene) in s.scenes.iter().enumerate() {
            for (j, o) in scene.options.iter().enumerate() {
                conds(format!("scenes[{i}].options[{j}]"), &o.requires, &mut used);
            }
            triggers(Some(i), &scene.triggers, &mut used);
        }
        triggers(None, &s.triggers, &mut used);
        for (path, flag) in used {
            if set.contains(flag) {
                continue;
            }
            let span = self.payload(&path);
            let suggestion = closest(flag, set.iter().copied());
            let d = self.warning(
                "unset-flag",
                format!("flag `{flag}` is tested but no option or trigger ever sets it"),
                span,
            );
            d.label = Some("never set".into());
            d.help = Some(match suggestion {
                Some(best) => format!("did you mean `{best}`?"),
                None => {
                    format!("add `sets: [\"{flag}\"]` to the option or trigger that should set it")
                }
            });
        }
    }

    /// Reachability: unreachable scenes and endings, and scenes from which no ending can be
    /// reached. Conditions are ignored (any option or trigger might be taken); global triggers
    /// lead out of every scene. Links to unknown ids are already errors, so scenes with such
    /// links are not called dead ends, and reachability warnings are skipped while any exist.
    fn check_graph(&mut self) {
        let s = self.s;
        let n = s.scenes.len();
        let mut scene_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut ending_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut broken = vec![false; n];
        for (i, scene) in s.scenes.iter().enumerate() {
            let nexts = scene
                .options
                .iter()
                .flat_map(|o| {
                    std::iter::once(&o.next).chain(o.tone_branches.iter().map(|b| &b.next))
                })
                .chain(scene.triggers.iter().chain(&s.triggers).map(|t| &t.goto));
            let nexts = nexts.flat_map(|n| match n {
                Next::OneOf(bs) => bs.iter().map(|b| &b.to).collect::<Vec<_>>(),
                other => vec![other],
            });
            for next in nexts {
                match next {
                    Next::Scene(id) => match self.scene_ids.get(id.as_str()) {
                        Some(&to) => scene_edges[i].push(to),
                        None => broken[i] = true,
                    },
                    Next::Ending(id) => match self.ending_ids.get(id.as_str()) {
                        Some(&to) => ending_edges[i].push(to),
                        None => broken[i] = true,
                    },
                    Next::Stay | Next::OneOf(_) => {}
                }
            }
        }

        // Scenes from which an ending can be reached: backwards from those that end directly.
        let mut can_end: Vec<bool> = (0..n)
            .map(|i| !ending_edges[i].is_empty() || broken[i])
            .collect();
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (from, tos) in scene_edges.iter().enumerate() {
            for &to in tos {
                preds[to].push(from);
            }
        }
        let mut queue: VecDeque<usize> = (0..n).filter(|&i| can_end[i]).collect();
        while let Some(i) = queue.pop_front() {
            for &p in &preds[i] {
                if !can_end[p] {
                    can_end[p] = true;
                    queue.push_back(p);
                }
            }
        }
        for (i, scene) in s.scenes.iter().enumerate() {
            let no_exits = scene.options.is_empty() && scene.triggers.is_empty();
            if can_end[i] || no_exits || self.scene_ids.get(scene.id.as_str()) != Some(&i) {
                continue;
            }
            let span = self.payload(&format!("scenes[{i}].id"));
            let d = self.error(
                "dead-end",
                format!("no ending can be reached from scene `{}`", scene.id),
                span,
            );
            d.label = Some("only the time limit can end the run from here".into());
            d.help = Some(
                "make an option, tone branch or trigger lead (perhaps via other scenes) to \
                 `Ending(\"...\")`"
                    .into(),
            );
        }

        // Forwards from the start scene.
        let Some(&start) = self.scene_ids.get(s.start_scene.as_str()) else {
            return; // already an error; reachability would only add noise
        };
        if broken.iter().any(|&b| b) || !self.ending_ids.contains_key(s.timeout_ending.as_str()) {
            return;
        }
        let mut seen = vec![false; n];
        let mut ending_seen = vec![false; s.endings.len()];
        seen[start] = true;
        let mut queue = VecDeque::from([start]);
        while let Some(i) = queue.pop_front() {
            for &e in &ending_edges[i] {
                ending_seen[e] = true;
            }
            for &to in &scene_edges[i] {
                if !seen[to] {
                    seen[to] = true;
                    queue.push_back(to);
                }
            }
        }
        if let Some(&t) = self.ending_ids.get(s.timeout_ending.as_str()) {
            ending_seen[t] = true; // reached when time runs out
        }
        for (i, scene) in s.scenes.iter().enumerate() {
            if seen[i] || self.scene_ids.get(scene.id.as_str()) != Some(&i) {
                continue;
            }
            let span = self.payload(&format!("scenes[{i}].id"));
            let d = self.warning(
                "unreachable-scene",
                format!(
                    "scene `{}` can never be reached from the start scene `{}`",
                    scene.id, s.start_scene
                ),
                span,
            );
            d.label = Some("nothing leads here".into());
            d.help = Some(format!(
                "point an option or trigger at `Scene(\"{}\")`, or remove the scene",
                scene.id
            ));
        }
        for (i, ending) in s.endings.iter().enumerate() {
            if ending_seen[i] || self.ending_ids.get(ending.id.as_str()) != Some(&i) {
                continue;
            }
            let span = self.payload(&format!("endings[{i}].id"));
            let d = self.warning(
                "unreachable-ending",
                format!("ending `{}` can never be reached", ending.id),
                span,
            );
            d.label = Some("nothing leads here".into());
            d.help = Some(format!(
                "point an option or trigger at `Ending(\"{}\")`, or remove the ending",
                ending.id
            ));
        }
    }
}
