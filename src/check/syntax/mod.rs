//! The `ron` reader: the options scenarios are read with, and what a `ron` error means to an
//! author: each kind of error becomes one diagnostic with a plain message and a caret on the
//! exact token. The dispatch is here; the kinds are grouped by what went wrong: `fields`
//! (names of fields and choices), `values` (a value of the wrong kind), `brackets`
//! (structure: brackets, commas, the end of the file).

mod brackets;
mod fields;
mod values;

pub(super) use brackets::too_deep;

use crate::check::diag::Diagnostic;
use crate::format::scenario::MAX_NESTING;
use crate::format::spans::{BracketScan, Lexer, offset_of};
use crate::format::words;
use std::ops::Range;

/// The `ron` options scenarios are read with (`Option` fields may omit `Some(..)`).
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING)
}

/// A `ron` error placed in the text: where `ron` points, and the token found there.
struct Found<'t> {
    text: &'t str,
    /// The span `ron` reports, in bytes of `text`.
    span: Range<usize>,
    /// The whole token at the error (`span` if there is none).
    token: Range<usize>,
    /// The token as shown in messages (at most 40 characters), if there is one.
    found: Option<String>,
}

impl<'t> Found<'t> {
    fn new(text: &'t str, bom: usize, err: &ron::error::SpannedError) -> Self {
        let to_byte = |p: &ron::error::Position| bom + offset_of(&text[bom..], p.line, p.col);
        let start = to_byte(&err.span.start);
        let end = to_byte(&err.span.end).max(start);
        let token = token_at(text, start);
        Found {
            text,
            span: start..end,
            token: token.as_ref().map_or(start..end, |(span, _)| span.clone()),
            found: token.map(|(_, t)| t),
        }
    }

    /// The token, or "the end of the file".
    fn shown(&self) -> String {
        self.found
            .clone()
            .unwrap_or_else(|| "the end of the file".into())
    }

    /// `name:` where a value was expected: most likely a bracket is missing before it.
    fn looks_like_field(&self) -> Option<String> {
        token_at(self.text, self.token.end)
            .is_some_and(|(_, t)| t == ":")
            .then(|| {
                format!(
                    "`{}:` looks like the next field: \
                     is a closing `]` or `)` missing before it?",
                    self.shown()
                )
            })
    }

    /// Whether the token is a bare word (an identifier or number).
    fn is_word(&self) -> bool {
        self.found
            .as_deref()
            .and_then(|f| f.chars().next())
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
    }

    /// Whether a token was found and it is not text in quotes.
    fn is_unquoted(&self) -> bool {
        self.found.as_deref().is_some_and(|f| !f.starts_with('"'))
    }

    /// An error on the span `ron` reports.
    fn at_span(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, message, self.span.clone(), self.text)
    }

    /// An error on the whole token.
    fn at_token(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, message, self.token.clone(), self.text)
    }
}

/// Converts a `ron` error into one diagnostic with a clear message and a precise span.
pub(super) fn ron_error(
    text: &str,
    bom: usize,
    err: &ron::error::SpannedError,
    scan: &BracketScan,
) -> Diagnostic {
    use ron::error::Error as E;
    let at = Found::new(text, bom, err);
    let truncated = scan.looks_truncated()
        && (matches!(err.code, E::Eof) || at.span.start >= scan.last_structural.unwrap_or(0));
    if truncated || matches!(err.code, E::Eof) {
        return brackets::truncated(text, scan);
    }
    match &err.code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => fields::unknown_field(&at, found, expected, outer, scan),
        E::MissingStructField { field, outer } => fields::missing_field(&at, field, outer),
        E::DuplicateStructField { field, outer } => fields::duplicate_field(&at, field, outer),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => fields::unknown_variant(&at, found, expected, outer),
        E::SuggestRawIdentifier(_) | E::InvalidIdentifier(_) => fields::not_a_field_name(&at),
        E::ExpectedIdentifier => fields::quoted_name(&at),
        E::InvalidValueForType { expected, found } => values::invalid_value(&at, expected, found),
        E::ExpectedDifferentLength { expected, found } => {
            values::wrong_length(&at, expected, *found)
        }
        E::ExpectedString | E::ExpectedStringEnd if at.is_unquoted() => values::unquoted_text(&at),
        E::InvalidEscape(what) => values::bad_escape(&at, what),
        E::ExpectedFloat | E::ExpectedInteger => values::not_a_number(&at),
        E::ExpectedBoolean => values::not_a_boolean(&at),
        E::ExpectedArray => values::not_a_list(&at),
        E::ExpectedStructLike => values::not_a_structure(&at, ""),
        E::ExpectedNamedStructLike(name)
        | E::ExpectedDifferentStructName { expected: name, .. } => {
            values::not_a_structure(&at, name)
        }
        E::ExpectedStructLikeEnd | E::ExpectedOptionEnd => brackets::expected_close(&at, ')'),
        E::ExpectedArrayEnd => brackets::expected_close(&at, ']'),
        E::ExpectedMapEnd => brackets::expected_close(&at, '}'),
        E::ExpectedComma => brackets::expected_comma(&at),
        E::TrailingCharacters => brackets::trailing(&at),
        E::ExpectedStringEnd => brackets::unclosed_string(&at),
        E::UnclosedBlockComment => brackets::unclosed_comment(&at),
        E::ExceededRecursionLimit => at.at_span("too-deep", "brackets are nested too deep"),
        other => other_syntax(&at, other),
    }
}

/// Any other `ron` error, in `ron`'s own words.
fn other_syntax(at: &Found, err: &ron::error::Error) -> Diagnostic {
    let msg = lowercase_first(&err.to_string());
    at.at_token("syntax", msg)
        .with_label(format!("at `{}`", at.shown()))
}

/// ` in an option` for a structure `ron` names (the format reference's words, not the
/// program's: `Choice` is "an option"); empty if there is none.
fn outer_in(outer: &Option<String>) -> String {
    outer
        .as_ref()
        .map_or(String::new(), |o| format!(" in {}", words::thing(o)))
}

/// The allowed names, each in backquotes.
fn expected_list(alts: &[&str]) -> String {
    alts.iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The token starting at (or just after whitespace from) `byte`: its span and text.
pub(super) fn token_at(text: &str, byte: usize) -> Option<(Range<usize>, String)> {
    let rest = text.get(byte..)?;
    let tok = Lexer::new(rest).next_token().ok()??;
    let span = byte + tok.span.start..byte + tok.span.end;
    let mut shown: String = text[span.clone()].chars().take(40).collect();
    if shown.len() < span.len() {
        shown.push_str("...");
    }
    Some((span, shown))
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
