//! `ron` errors about names: a field the format does not have, a required field left out, a
//! field given twice, a choice that is not one of the allowed ones, and a name written where
//! a field name or a bare choice was expected.

use super::{Found, expected_list, outer_in};
use crate::check::diag::Diagnostic;
use crate::format::spans::{BracketScan, SpanTree};
use crate::format::words;

/// `unknown-field`: with the closest field name, or a hint at a missing `)`.
pub(super) fn unknown_field(
    at: &Found,
    name: &str,
    expected: &[&str],
    outer: &Option<String>,
    scan: &BracketScan,
) -> Diagnostic {
    let mut help = format!("expected one of: {}", expected_list(expected));
    if let Some(best) = words::suggest_field(name, expected) {
        help = format!("did you mean `{best}`? {help}");
    } else if !scan.unclosed.is_empty() {
        // Brackets do not balance: the field probably belongs to an outer structure.
        help = format!("is a closing `)` missing before it? Here {help}");
    }
    at.at_span(
        "unknown-field",
        format!("unknown field `{name}`{}", outer_in(outer)),
    )
    .with_label("not a field here")
    .with_help(help)
}

/// `missing-field`: `ron` points at the closing bracket; point at the structure's name or
/// opening instead.
pub(super) fn missing_field(at: &Found, field: &str, outer: &Option<String>) -> Diagnostic {
    let span = SpanTree::parse(at.text)
        .ok()
        .and_then(|tree| {
            let path = tree.path_at(at.span.start)?;
            tree.key_span_of(&path)
        })
        .unwrap_or(at.span.clone());
    let what = outer
        .as_ref()
        .map_or("this value".to_string(), |o| words::thing(o));
    Diagnostic::error(
        "missing-field",
        format!("missing field `{field}`{}", outer_in(outer)),
        span,
        at.text,
    )
    .with_label(format!("{what} needs a `{field}` field"))
    .with_help(format!("add `{field}: ...,` (see docs/scenario-format.md)"))
}

/// `duplicate-field`, on the second one.
pub(super) fn duplicate_field(at: &Found, field: &str, outer: &Option<String>) -> Diagnostic {
    at.at_token(
        "duplicate-field",
        format!("field `{field}` is given twice{}", outer_in(outer)),
    )
    .with_label("second time")
    .with_help("remove one of the two")
}

/// `unknown-variant`: a choice that is not one of the allowed ones, with the closest.
pub(super) fn unknown_variant(
    at: &Found,
    name: &str,
    expected: &[&str],
    outer: &Option<String>,
) -> Diagnostic {
    let mut help = format!("expected one of: {}", expected_list(expected));
    if let Some(best) = words::suggest_value(name, expected) {
        help = format!("did you mean `{best}`? {help}");
    }
    let message = match outer {
        Some(o) => format!("`{name}` is not {}", words::thing(o)),
        None => format!("unknown value `{name}`"),
    };
    at.at_span("unknown-variant", message)
        .with_label("not one of the allowed values")
        .with_help(help)
}

/// Something that is not a name where a field name was expected.
pub(super) fn not_a_field_name(at: &Found) -> Diagnostic {
    at.at_token(
        "syntax",
        format!("expected a field name, found `{}`", at.shown()),
    )
    .with_label("expected `name: value`")
    .with_help("this structure lists named fields, e.g. `(x: 0.0, z: 8.0)`")
}

/// A choice written in quotes (or anything else where a bare name was expected).
pub(super) fn quoted_name(at: &Found) -> Diagnostic {
    at.at_token(
        "wrong-type",
        format!("expected a name without quotes, found `{}`", at.shown()),
    )
    .with_label("expected a name")
    .with_help("choices are written without quotes, e.g. `Street`, `Stay` or `Scene(\"scene_id\")`")
}
