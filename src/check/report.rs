//! What a check produces: the [`CheckReport`] of one file (its diagnostics, the text and the
//! scenario if it loaded) with its counts, rendering and one-line summary, and
//! [`ScenarioError`], a report as a `std::error::Error` for the game's asset loader.

use crate::check::diag::Diagnostic;
use crate::format::scenario::Scenario;
use crate::format::words::count;
use serde::Serialize;
use std::fmt;

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
        format!(
            "{}: {}, {}",
            self.path,
            count(e, "error"),
            count(w, "warning")
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
