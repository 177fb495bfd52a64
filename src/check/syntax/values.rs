//! `ron` errors about values: a value of the wrong kind (text where a number belongs, a
//! list of the wrong length, a word not in quotes, a structure without its brackets) and a
//! bad escape inside text.

use super::{Found, lowercase_first, token_at};
use crate::check::diag::Diagnostic;
use crate::format::spans::Lexer;
use crate::format::words::{self, plural};
use std::ops::Range;

/// A value `ron` read but the field cannot take.
pub(super) fn invalid_value(at: &Found, expected: &str, found: &str) -> Diagnostic {
    at.at_token("wrong-type", format!("expected {expected}, found {found}"))
        .with_label(format!("expected {expected}"))
}

/// A tuple or list with too many or too few elements.
pub(super) fn wrong_length(at: &Found, expected: &str, found: usize) -> Diagnostic {
    let message = format!(
        "expected {expected}, found {found} element{}",
        plural(found)
    );
    at.at_token("wrong-type", message)
        .with_label("wrong number of elements")
}

/// Text not in double quotes.
pub(super) fn unquoted_text(at: &Found) -> Diagnostic {
    let shown = at.shown();
    let help = at.looks_like_field().unwrap_or_else(|| {
        if at.is_word() {
            format!("write it in double quotes: \"{shown}\"")
        } else {
            "text is written in double quotes, e.g. \"Go away.\"".into()
        }
    });
    at.at_token(
        "wrong-type",
        format!("expected text in double quotes, found `{shown}`"),
    )
    .with_label("expected a string")
    .with_help(help)
}

/// An escape `ron` does not know, with the caret on it.
pub(super) fn bad_escape(at: &Found, what: &str) -> Diagnostic {
    let span = escape_at(at.text, at.span.start).unwrap_or(at.span.clone());
    Diagnostic::error("syntax", lowercase_first(what), span, at.text)
        .with_label("bad escape")
        .with_help(
            "a backslash starts an escape such as `\\n` or `\\\"`; write `\\\\` for a backslash",
        )
}

pub(super) fn not_a_number(at: &Found) -> Diagnostic {
    at.at_token(
        "wrong-type",
        format!("expected a number, found `{}`", at.shown()),
    )
    .with_label("expected a number")
    .with_help("write numbers without quotes, e.g. `2.5`")
}

pub(super) fn not_a_boolean(at: &Found) -> Diagnostic {
    at.at_token(
        "wrong-type",
        format!("expected `true` or `false`, found `{}`", at.shown()),
    )
    .with_label("expected true or false")
}

pub(super) fn not_a_list(at: &Found) -> Diagnostic {
    at.at_token(
        "wrong-type",
        format!("expected a list `[...]`, found `{}`", at.shown()),
    )
    .with_label("expected `[`")
    .with_help("lists are written in square brackets, e.g. `[\"a\", \"b\"]`")
}

/// A structure (named `name`, or unnamed if empty) without its `(`; at the very first token
/// the file is not a scenario at all.
pub(super) fn not_a_structure(at: &Found, name: &str) -> Diagnostic {
    let what = if name.is_empty() {
        "a structure".to_string()
    } else {
        words::thing(name)
    };
    let found = at.shown();
    let first_token = token_at(at.text, 0).map(|(span, _)| span.start);
    let (code, msg) = if first_token == Some(at.token.start) {
        let msg = "this is not a scenario file: expected `(` to start the scenario";
        ("syntax", format!("{msg}, found `{found}`"))
    } else {
        let msg = format!("expected {what} in parentheses `(...)`");
        ("wrong-type", format!("{msg}, found `{found}`"))
    };
    at.at_token(code, msg).with_label("expected `(`")
}

/// The first invalid escape (`\q`) in the string literal that contains `byte`.
fn escape_at(text: &str, byte: usize) -> Option<Range<usize>> {
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
