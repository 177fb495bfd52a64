//! A span index of RON source text.
//!
//! `ron` deserialises values but forgets where they came from. To point a diagnostic at the
//! exact offending value (`scenes[3].options[1].next`), this module re-reads the same text
//! with a small, forgiving RON tokenizer and parser that keeps byte spans for every value and
//! every field name.
//!
//! Nothing here panics on any input: malformed text gives a [`SpanError`], nesting is bounded by
//! [`SPAN_MAX_DEPTH`], and all offsets returned are on UTF-8 character boundaries of the input.
//!
//! Paths address values from the root with `.field` and `[index]` steps, for example
//! `subject.personal_space`, `endings[0].id`, `place.props[2].size[1]` or
//! `scenes[3].options[1].next`. `Some(..)` wrappers are transparent (so `partner.name` works
//! whether the author wrote `partner: (..)` or `partner: Some((..))`), and a `.field` step on an
//! enum variant with a single payload looks inside that payload.

mod brackets;
mod lexer;
mod node;
mod parser;
mod path;
mod position;
mod tree;

pub use brackets::{BracketScan, scan_brackets};
pub use lexer::{Lexer, Token, TokenKind};
pub use node::{Field, Node, NodeKind};
pub use position::{floor_char_boundary, line_col, offset_of};
pub use tree::SpanTree;

use std::fmt;
use std::ops::Range;

/// Deepest nesting [`SpanTree::parse`] follows before giving up. Far deeper than any scenario
/// (the checker rejects anything deeper than [`crate::format::scenario::MAX_NESTING`] anyway); it only
/// keeps the recursive parser off the end of the stack on hostile input.
pub const SPAN_MAX_DEPTH: usize = 256;

/// Why [`SpanTree::parse`] (or the tokenizer) could not read the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanError {
    pub message: String,
    /// Byte range of the offending text.
    pub span: Range<usize>,
}

impl fmt::Display for SpanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (bytes {}..{})",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for SpanError {}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r##"#![enable(implicit_some)]
// comment (with brackets [
/* nested /* block */ comment */
Scenario(
    id: "a\"b",
    raw: r#"x"y"#,
    list: [1, -2.5, inf, +3e-2, 0x1F],
    next: Scene("calm_down"),
    opt: Some((name: "Jo")),
    unit: Street,
    tup: (1.0, 2.0, 3.0),
    map: { "k": 1, other: true },
    c: '\'',
    empty: (),
)"##;

    #[test]
    fn parses_and_resolves_paths() {
        let tree = SpanTree::parse(SRC).expect("parses");
        let at = |p: &str| {
            let r = tree.span_of(p).unwrap();
            &SRC[r]
        };
        assert_eq!(at("id"), r#""a\"b""#);
        assert_eq!(at("raw"), "r#\"x\"y\"#");
        assert_eq!(at("list[3]"), "+3e-2");
        assert_eq!(at("next"), r#"Scene("calm_down")"#);
        assert_eq!(
            &SRC[tree.payload_span_of("next").unwrap()],
            r#""calm_down""#
        );
        assert_eq!(at("next[0]"), r#""calm_down""#);
        assert_eq!(at("opt.name"), r#""Jo""#);
        assert_eq!(at("unit"), "Street");
        assert_eq!(at("tup[2]"), "3.0");
        assert_eq!(at("map.other"), "true");
        assert_eq!(at("c"), r"'\''");
        assert_eq!(at("empty"), "()");
        assert_eq!(&SRC[tree.key_span_of("unit").unwrap()], "unit");
        assert_eq!(tree.node_at("id").and_then(Node::as_str), Some("a\"b"));
    }

    #[test]
    fn falls_back_to_nearest_ancestor() {
        let tree = SpanTree::parse(SRC).unwrap();
        assert_eq!(&SRC[tree.span_of("tup[7]").unwrap()], "tup");
        assert_eq!(&SRC[tree.span_of("opt.missing").unwrap()], "opt");
        assert_eq!(&SRC[tree.span_of("nothing.here").unwrap()], "Scenario(");
        assert!(tree.node_at("tup[7]").is_none());
        assert_eq!(tree.span_of("a..b"), None);
    }

    #[test]
    fn path_at_finds_innermost() {
        let tree = SpanTree::parse(SRC).unwrap();
        let byte = SRC.find("calm_down").unwrap();
        assert_eq!(tree.path_at(byte).as_deref(), Some("next[0]"));
        assert_eq!(tree.path_at(0), None);
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nçé x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 4));
        assert_eq!(offset_of(text, 2, 4), x);
        assert_eq!(line_col(text, 4), (2, 1)); // inside `ç`: moved back
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            "",
            "(",
            "(a: ",
            "\"abc",
            "[1, 2",
            "(a: 1 b: 2)",
            "@",
            "r#\"x",
            "/* x",
            "'a",
            "(,)",
            "#![",
            "x y",
        ] {
            assert!(SpanTree::parse(bad).is_err(), "{bad:?} should not parse");
        }
        let deep = "[".repeat(10_000);
        assert!(SpanTree::parse(&deep).is_err());
    }

    #[test]
    fn scan_finds_depth_and_truncation() {
        let s = scan_brackets("( [ \"(\" /* ( */ ] ", 64);
        assert_eq!(s.unclosed, vec![('(', 0)]);
        assert!(s.looks_truncated());
        let deep = format!("{}{}", "(".repeat(70), ")".repeat(70));
        assert_eq!(scan_brackets(&deep, 64).too_deep_at, Some(64));
        assert!(!scan_brackets("(a: [1])", 64).looks_truncated());
    }
}
