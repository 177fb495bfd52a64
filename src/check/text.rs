//! Characters that do not belong in a scenario file: control characters in text (invisible,
//! or a box, in the trainer) and bidirectional embedding, override and isolate characters
//! anywhere (they make a line display in a different order from the one the program reads).
//! Scanned on the raw text, so they are found whether or not the rest of the file loads.

use crate::check::diag::Diagnostic;
use crate::format::spans::{Lexer, TokenKind};
use std::ops::Range;

/// U+202A–U+202E and U+2066–U+2069: the characters that reorder displayed text (the set
/// rustc refuses in source for the same reason, "Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A control character other than the line breaks and tab that text may hold.
pub fn is_bad_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

fn bidi_name(c: char) -> &'static str {
    match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        _ => "POP DIRECTIONAL ISOLATE",
    }
}

/// Every bidirectional control character in `text` (an error each) and every control
/// character inside its strings, written or escaped (a warning each).
pub fn scan(text: &str) -> Vec<Diagnostic> {
    let suspicious = text
        .chars()
        .any(|c| is_bidi_control(c) || is_bad_control(c))
        || text.contains("\\u")
        || text.contains("\\x")
        || text.contains("\\0");
    if !suspicious {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if is_bidi_control(c) {
            out.push(bidi(text, c, i..i + c.len_utf8()));
        }
    }
    let mut lexer = Lexer::new(text);
    while let Ok(Some(tok)) = lexer.next_token() {
        if matches!(tok.kind, TokenKind::Str(_)) {
            string_controls(text, tok.span, &mut out);
        }
    }
    out
}

fn bidi(text: &str, c: char, span: Range<usize>) -> Diagnostic {
    Diagnostic::error(
        "bidi-control",
        format!(
            "bidirectional control character U+{:04X} ({})",
            c as u32,
            bidi_name(c)
        ),
        span,
        text,
    )
    .with_label("reorders how the text around it is shown")
    .with_help(
        "delete it: it makes the line display in a different order from the one the program \
         reads, so a line or an id can look like something it is not (write right-to-left \
         text as it is read)",
    )
}

fn control(text: &str, c: char, span: Range<usize>) -> Diagnostic {
    Diagnostic::warning(
        "control-character",
        format!("control character U+{:04X} in text", c as u32),
        span,
        text,
    )
    .with_label("invisible, or a box, in the trainer")
    .with_help(
        "delete it (it usually comes from copying text out of another program); \
         write a line break as `\\n`",
    )
}

/// Control and bidi characters written as escapes (`\u{202E}`, `\x07`, `\0`) or directly
/// inside the string literal at `span`. Directly written bidi characters are already reported.
fn string_controls(text: &str, span: Range<usize>, out: &mut Vec<Diagnostic>) {
    let body = &text[span.clone()];
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = span.start + i;
        if c != '\\' {
            if is_bad_control(c) {
                out.push(control(text, c, at..at + c.len_utf8()));
            }
            continue;
        }
        let Some(&(_, e)) = chars.peek() else { break };
        chars.next();
        let decoded = match e {
            '0' => Some(('\0', 2)),
            'x' => body
                .get(i + 2..i + 4)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .map(|v| (char::from(v), 4)),
            'u' => unicode_escape(&body[i + 2..]).map(|(c, len)| (c, len + 2)),
            _ => None,
        };
        let Some((c, len)) = decoded else { continue };
        let esc = at..at + len;
        if is_bidi_control(c) {
            out.push(bidi(text, c, esc));
        } else if is_bad_control(c) {
            out.push(control(text, c, esc));
        }
    }
}

/// `{XXXX}` at the start of `s`: the character and the escape's length.
fn unicode_escape(s: &str) -> Option<(char, usize)> {
    let r = s.strip_prefix('{')?;
    let end = r.find('}')?;
    let c = u32::from_str_radix(r.get(..end)?, 16)
        .ok()
        .and_then(char::from_u32)?;
    Some((c, end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_written_and_escaped_characters() {
        let text = "(a: \"x\u{7}y\", b: \"\\u{202E}z\", // \u{2066}\n c: \"ok\\n\\t\")";
        let found: Vec<(&str, &str)> = scan(text)
            .iter()
            .map(|d| (d.code, &text[d.span.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                ("bidi-control", "\u{2066}"),
                ("control-character", "\u{7}"),
                ("bidi-control", "\\u{202E}"),
            ]
        );
        assert!(scan("(a: \"plain\\n\")").is_empty());
    }
}
