//! The bracket scan: a cheap, non-recursive pass over the text that looks only at brackets
//! outside strings and comments, to tell a file nested too deep, or one that stops in the
//! middle, from other mistakes.

use super::SpanError;
use super::lexer::{Lexer, TokenKind};

/// The result of [`scan_brackets`]: a cheap, non-recursive pass over the text that looks only at
/// brackets outside strings and comments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BracketScan {
    /// Byte offset of the opening bracket at which nesting first went deeper than the limit.
    pub too_deep_at: Option<usize>,
    /// Deepest nesting seen (up to the point the scan stopped).
    pub max_depth: usize,
    /// Brackets still open at the end of the text, outermost first: `(char, byte offset)`.
    pub unclosed: Vec<(char, usize)>,
    /// An unterminated string, character or comment that runs to the end of the text.
    pub unterminated: Option<SpanError>,
    /// Byte offset of the last bracket, comma or colon outside strings and comments.
    pub last_structural: Option<usize>,
}

impl BracketScan {
    /// Whether the text looks cut off: brackets left open, or a string/comment never closed.
    pub fn looks_truncated(&self) -> bool {
        !self.unclosed.is_empty() || self.unterminated.is_some()
    }
}

/// Scans `text` for bracket nesting outside strings and comments, stopping at the first
/// bracket that goes deeper than `max_depth`. Never recurses, never panics.
pub fn scan_brackets(text: &str, max_depth: usize) -> BracketScan {
    let mut scan = BracketScan::default();
    let mut lexer = Lexer::new(text);
    loop {
        let tok = match lexer.next_token() {
            Ok(Some(tok)) => tok,
            Ok(None) => break,
            Err(e) => {
                if lexer.pos >= text.len() {
                    scan.unterminated = Some(e);
                    break;
                }
                // A bad escape or similar: not our business here, keep scanning.
                continue;
            }
        };
        if let TokenKind::Punct(c) = tok.kind {
            match c {
                '(' | '[' | '{' => {
                    scan.unclosed.push((c, tok.span.start));
                    scan.max_depth = scan.max_depth.max(scan.unclosed.len());
                    if scan.unclosed.len() > max_depth {
                        scan.too_deep_at = Some(tok.span.start);
                        return scan;
                    }
                    scan.last_structural = Some(tok.span.start);
                }
                ')' | ']' | '}' => {
                    scan.unclosed.pop();
                    scan.last_structural = Some(tok.span.start);
                }
                ',' | ':' => scan.last_structural = Some(tok.span.start),
                _ => {}
            }
        }
    }
    scan
}
