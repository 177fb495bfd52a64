//! Diagnostics: what `deescalate check` reports about a scenario file, and how it is shown.
//!
//! Each diagnostic renders as one plain, grep- and editor-friendly header line
//!
//! ```text
//! scenarios/bridge.ron:42:23: error[unknown-scene]: `next` names no scene: `calm_dwn`
//! ```
//!
//! followed by an [`ariadne`] snippet of the source line with a caret under the offending value.
//! Diagnostics are `Serialize` so `check --json` can emit them as they are.

use crate::format::spans::{floor_char_boundary, line_col};
use ariadne::{CharSet, Config, IndexType, Label, LabelAttach, Report, ReportKind, Source};
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// How bad a diagnostic is. Errors stop a scenario from loading; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case identifier of the kind of problem (`unknown-scene`, `syntax`, ...).
    pub code: &'static str,
    /// One-line description of the problem.
    pub message: String,
    /// Byte range of the offending text in the source (may be empty, e.g. at the end of file).
    pub span: Range<usize>,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, counted in characters.
    pub col: usize,
    /// Short text shown next to the caret.
    pub label: Option<String>,
    /// A hint on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `span` of `source`; `line`/`col` are computed from the span (which is
    /// clamped to the source and to character boundaries).
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        span: Range<usize>,
        source: &str,
    ) -> Self {
        let span = clamp_span(source, span);
        let (line, col) = line_col(source, span.start);
        Diagnostic {
            severity,
            code,
            message: message.into(),
            span,
            line,
            col,
            label: None,
            help: None,
        }
    }

    /// An error at `span` of `source`.
    pub fn error(
        code: &'static str,
        message: impl Into<String>,
        span: Range<usize>,
        source: &str,
    ) -> Self {
        Self::new(Severity::Error, code, message, span, source)
    }

    /// A warning at `span` of `source`.
    pub fn warning(
        code: &'static str,
        message: impl Into<String>,
        span: Range<usize>,
        source: &str,
    ) -> Self {
        Self::new(Severity::Warning, code, message, span, source)
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The plain header line: `path:line:col: error[code]: message`.
    pub fn header(&self, path: &str) -> String {
        format!(
            "{path}:{}:{}: {}[{}]: {}",
            self.line, self.col, self.severity, self.code, self.message
        )
    }
}

/// `span` clamped into `source` with both ends on character boundaries and `start <= end`.
pub fn clamp_span(source: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(source, span.start);
    let end = floor_char_boundary(source, span.end).max(start);
    start..end
}

/// The span ariadne underlines. An empty span is widened to the character it sits on, so the
/// caret has something to stand under; at the end of a line or of the text it stays empty
/// (ariadne then draws the marker just after the last character).
fn visible_span(source: &str, span: &Range<usize>) -> Range<usize> {
    if !span.is_empty() {
        return span.clone();
    }
    let next = source[span.start..].chars().next();
    match next {
        Some(c) if c != '\n' && c != '\r' => span.start..span.start + c.len_utf8(),
        // At the end of a line or of the file: ariadne shows a zero-width label there.
        _ => span.clone(),
    }
}

/// `text` with each control character (other than line breaks and tab) and each
/// bidirectional control replaced by a visible stand-in of the same length in bytes, so
/// spans and columns stay right: `?` for one byte, `¿` for two, `�` for three.
pub fn displayable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| crate::check::text::is_bad_control(c) || crate::check::text::is_bidi_control(c);
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let shown = text
        .chars()
        .map(|c| match (hidden(c), c.len_utf8()) {
            (false, _) => c,
            (true, 1) => '?',
            (true, 2) => '\u{bf}',
            (true, _) => '\u{fffd}',
        })
        .collect();
    std::borrow::Cow::Owned(shown)
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";

/// Renders `diags` for the file shown as `path` whose text is `source`: for each, the header
/// line then an ariadne snippet with a caret under the offending text. ANSI colours only if
/// `color`. Never panics, whatever the spans.
pub fn render(path: &str, source: &str, diags: &[Diagnostic], color: bool) -> String {
    let mut out = String::new();
    let config = Config::default()
        .with_color(color)
        .with_char_set(CharSet::Ascii)
        .with_index_type(IndexType::Byte)
        .with_label_attach(LabelAttach::Start)
        .with_compact(false);
    // Shown with control and bidirectional characters replaced, so the terminal shows the
    // line as it is stored; the stand-ins keep every byte offset and column.
    let shown_source = displayable(source);
    let mut cache = (path, Source::from(shown_source.as_ref()));
    for d in diags {
        out.push_str(&header_line(path, d, color));
        out.push_str(&snippet(d, source, config, color, &mut cache));
    }
    out
}

/// The `file:line:col: severity[code]: message` line, in colour if `color`.
fn header_line(path: &str, d: &Diagnostic, color: bool) -> String {
    if !color {
        return format!("{}\n", displayable(&d.header(path)));
    }
    let message = displayable(&d.message);
    let sev_color = match d.severity {
        Severity::Error => RED,
        Severity::Warning => YELLOW,
    };
    let loc = format!("{path}:{}:{}:", d.line, d.col);
    format!(
        "{BOLD}{loc}{RESET} {sev_color}{}[{}]{RESET}: {BOLD}{message}{RESET}\n",
        d.severity, d.code
    )
}

/// The ariadne snippet of the source with a caret under the span, its label and help
/// (without ariadne's first line, which repeats the header's message).
fn snippet(
    d: &Diagnostic,
    source: &str,
    config: Config,
    color: bool,
    cache: &mut (&str, Source<&str>),
) -> String {
    let path = cache.0;
    let message = displayable(&d.message);
    let span = clamp_span(source, d.span.clone());
    let shown = visible_span(source, &span);
    let (kind, colour) = match d.severity {
        Severity::Error => (ReportKind::Error, ariadne::Color::Red),
        Severity::Warning => (ReportKind::Warning, ariadne::Color::Yellow),
    };
    let mut label =
        Label::new((path, shown.clone())).with_message(d.label.as_deref().unwrap_or("here"));
    if color {
        label = label.with_color(colour);
    }
    let mut report = Report::build(kind, (path, shown))
        .with_config(config)
        .with_code(d.code)
        .with_message(message.as_ref())
        .with_label(label);
    if let Some(help) = &d.help {
        report = report.with_help(help);
    }
    let mut buf = Vec::new();
    match report.finish().write(cache, &mut buf) {
        Ok(()) => {
            let text = String::from_utf8_lossy(&buf);
            text.split_once('\n')
                .map_or("", |(_, rest)| rest)
                .to_string()
        }
        Err(_) => format!("  (could not render the source: {message})\n"),
    }
}
