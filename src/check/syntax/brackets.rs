//! `ron` errors about the file's structure: a closing bracket or comma expected, text after
//! the scenario ends, a string or comment never closed, brackets nested too deep, and a file
//! that stops in the middle.

use super::Found;
use crate::check::diag::Diagnostic;
use crate::format::scenario::MAX_NESTING;
use crate::format::spans::{BracketScan, line_col};

/// A closing bracket `close` expected before the token.
pub(super) fn expected_close(at: &Found, close: char) -> Diagnostic {
    let help = at
        .looks_like_field()
        .unwrap_or_else(|| "is there one value too many, or a missing comma?".into());
    at.at_token(
        "syntax",
        format!("expected `{close}` before `{}`", at.shown()),
    )
    .with_label(format!("expected `{close}` here"))
    .with_help(help)
}

pub(super) fn expected_comma(at: &Found) -> Diagnostic {
    at.at_token("syntax", format!("expected `,` before `{}`", at.shown()))
        .with_label("expected a comma here")
        .with_help(
            "separate fields and list items with commas; a bracket may also be missing or extra",
        )
}

/// Text after the scenario's closing bracket.
pub(super) fn trailing(at: &Found) -> Diagnostic {
    at.at_token(
        "syntax",
        format!("unexpected `{}` after the end of the scenario", at.shown()),
    )
    .with_label("the scenario already ended")
    .with_help("is there an extra closing bracket earlier on?")
}

pub(super) fn unclosed_string(at: &Found) -> Diagnostic {
    at.at_span("syntax", "text in quotes is never closed (missing `\"`)")
        .with_label("this string has no closing quote")
}

pub(super) fn unclosed_comment(at: &Found) -> Diagnostic {
    at.at_span("syntax", "comment is never closed (missing `*/`)")
        .with_label("comment starts here")
}

/// Brackets nested deeper than the limit, at the first one too deep.
pub(in crate::check) fn too_deep(text: &str, at: usize) -> Diagnostic {
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

/// The "file ends unexpectedly" error, placed just after the last text in the file.
pub(super) fn truncated(text: &str, scan: &BracketScan) -> Diagnostic {
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
        help.push_str(&never_closed(scan, pos));
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

/// "2 brackets are never closed: `(` at 1:1, `[` at 4:12", the innermost first (at most 3).
fn never_closed(scan: &BracketScan, pos: impl Fn(usize) -> String) -> String {
    let open: Vec<String> = scan
        .unclosed
        .iter()
        .rev()
        .take(3)
        .map(|(c, b)| format!("`{c}` at {}", pos(*b)))
        .collect();
    format!(
        "{} bracket{} never closed: {}{}",
        scan.unclosed.len(),
        if scan.unclosed.len() == 1 {
            " is"
        } else {
            "s are"
        },
        open.join(", "),
        if scan.unclosed.len() > 3 { ", ..." } else { "" }
    )
}
