//! Text made safe to print on a terminal: [`terminal`], the one function every terminal
//! renderer passes its text through. Names, notes, scenario text and file names come from files
//! anyone can write; an escape sequence in them would drive the terminal (OSC 52 writes the
//! clipboard), a bidirectional override reorder the line: both are shown as placeholders.

use std::fmt::Write;

/// Characters that reorder how text around them is displayed: the embeddings and overrides
/// (U+202A–U+202E), the isolates (U+2066–U+2069) and the invisible direction marks (U+200E,
/// U+200F, U+061C).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` must not reach a terminal as it is: a control character other than newline
/// and tab, a bidirectional control, or a Unicode line or paragraph separator.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || is_bidi_control(c)
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `text` with every [`is_hidden`] character replaced by a visible placeholder: a C0 control
/// or DEL by its Unicode control picture (ESC shows as `␛`, a carriage return as `␍`), any
/// other by its code point in angle brackets (`<U+202E>`). Newlines and tabs are kept.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(is_hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            c if !is_hidden(c) => out.push(c),
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('\u{2421}'),
            c => {
                let _ = write!(out, "<U+{:04X}>", c as u32);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_is_replaced() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let shown = terminal(&c.to_string());
            assert!(
                !shown.chars().any(is_hidden),
                "U+{:04X} came through as {shown:?}",
                c as u32
            );
            if is_hidden(c) {
                assert_ne!(shown, c.to_string());
            }
        }
    }
}
