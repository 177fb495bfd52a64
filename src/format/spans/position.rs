//! Positions in text: byte offset ↔ 1-based line and character column, and the character
//! boundary at or before a byte.

/// 1-based line and column of byte offset `byte` in `text`. Columns count characters.
/// Offsets past the end are clamped to the end; offsets inside a character are moved back to
/// its start.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = floor_char_boundary(text, byte);
    let before = &text.as_bytes()[..byte];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = 1 + text[line_start..byte].chars().count();
    (line, col)
}

/// Byte offset of 1-based `line` and character column `col` in `text` (the inverse of
/// [`line_col`]). Lines or columns past the end are clamped to the end of the line / text.
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[start..line_end]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line_end, |(i, _)| start + i)
}

/// The largest character boundary of `text` not after `byte`.
pub fn floor_char_boundary(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    b
}
