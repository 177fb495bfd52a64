//! Reading a file with mistakes in it, so `check` reports every one it can reach: a scan for
//! the slips authors make (a unit after a number, a decimal comma, a string never closed, a
//! list in `when`) before `ron` reads the text, then each `ron` error in turn, mending the text
//! where the intent is clear; every mend is recorded, so positions map back to the file.
use super::syntax::{ron_error, ron_options, token_at, too_deep};
use crate::check::diag::Diagnostic;
use crate::format::scenario::MAX_NESTING;
use crate::format::scenario::Scenario;
use crate::format::spans::{Lexer, Token, TokenKind, line_col, offset_of, scan_brackets};
use crate::format::words;
use std::ops::Range;

/// The most `ron` errors read from one file (each needs a mend to read on).
const MAX_ROUNDS: usize = 40;

/// The text with mends applied, and the way back to the file as written.
pub(super) struct Patched<'a> {
    pub original: &'a str,
    pub text: String,
    /// What was replaced in the original (sorted, not overlapping) and by what.
    edits: Vec<(Range<usize>, String)>,
}

impl<'a> Patched<'a> {
    fn new(original: &'a str) -> Self {
        Patched {
            original,
            text: original.to_string(),
            edits: Vec::new(),
        }
    }

    pub fn is_patched(&self) -> bool {
        !self.edits.is_empty()
    }

    /// The offset in the original of offset `cur` of the mended text.
    fn orig_at(&self, cur: usize) -> usize {
        let mut delta: isize = 0;
        for (r, new) in &self.edits {
            let cs = (r.start as isize + delta).max(0) as usize;
            if cur < cs {
                break;
            }
            if cur < cs + new.len() {
                return r.start + (cur - cs).min(r.len());
            }
            delta += new.len() as isize - r.len() as isize;
        }
        ((cur as isize - delta).max(0) as usize).min(self.original.len())
    }

    /// A range of the mended text as a range of the original.
    pub fn orig(&self, cur: Range<usize>) -> Range<usize> {
        let start = self.orig_at(cur.start);
        start..self.orig_at(cur.end).max(start)
    }

    /// Replaces `orig` (a range of the original) with `with`; refuses (false) a range that
    /// touches an earlier mend.
    fn replace(&mut self, orig: Range<usize>, with: &str) -> bool {
        // Edits may abut but not overlap; an insertion may not fall inside another edit,
        // nor two insertions on one spot (their order would be a guess).
        let inside = |p: usize, r: &Range<usize>| r.start < p && p < r.end;
        let conflict = |r: &Range<usize>| {
            (r.start < orig.end && orig.start < r.end)
                || (r.is_empty() && (inside(r.start, &orig) || *r == orig))
                || (orig.is_empty() && inside(orig.start, r))
        };
        if self.edits.iter().any(|(r, _)| conflict(r)) || orig.end > self.original.len() {
            return false;
        }
        let key = |r: &Range<usize>| (r.start, r.end);
        let at = self.edits.partition_point(|(r, _)| key(r) < key(&orig));
        self.edits.insert(at, (orig, with.to_string()));
        let mut text = String::with_capacity(self.original.len() + 16);
        let mut from = 0;
        for (r, new) in &self.edits {
            text.push_str(&self.original[from..r.start]);
            text.push_str(new);
            from = r.end;
        }
        text.push_str(&self.original[from..]);
        self.text = text;
        true
    }

    /// Whether `orig` (a range of the original) touches a mended place: overlaps or abuts
    /// text that was replaced, or has text inserted inside it (text inserted just before
    /// it, such as a missing comma, does not make it part of the mend).
    pub fn touches(&self, orig: &Range<usize>) -> bool {
        self.edits.iter().any(|(r, _)| {
            if r.is_empty() {
                orig.start < r.start && r.start < orig.end
            } else {
                r.start <= orig.end && orig.start <= r.end
            }
        })
    }

    /// A diagnostic placed in the mended text, placed in the original instead.
    pub fn remap(&self, d: Diagnostic) -> Diagnostic {
        let span = self.orig(d.span.clone());
        let mut out = Diagnostic::new(d.severity, d.code, d.message, span, self.original);
        out.label = d.label;
        out.help = d.help;
        out
    }
}

/// What reading found: the scenario as written, or only after mending, and the problems.
pub(super) struct Read<'a> {
    pub scenario: Option<Scenario>,
    pub mended: Option<(Scenario, Patched<'a>)>,
    pub diags: Vec<Diagnostic>,
}

/// Reads `text` (which starts with a byte-order mark of `bom` bytes, or not).
pub(super) fn read(text: &str, bom: usize) -> Read<'_> {
    let mut p = Patched::new(text);
    let mut diags = prescan(&mut p);
    let mut reported: Vec<(usize, &str)> = Vec::new();
    for round in 0..MAX_ROUNDS {
        let err = match ron_options().from_str::<Scenario>(&p.text[bom..]) {
            Ok(s) if p.is_patched() => {
                return Read {
                    scenario: None,
                    mended: Some((s, p)),
                    diags,
                };
            }
            Ok(s) => {
                return Read {
                    scenario: Some(s),
                    mended: None,
                    diags,
                };
            }
            Err(err) => err,
        };
        let scan = scan_brackets(&p.text, MAX_NESTING);
        if round == 0
            && let Some(at) = scan.too_deep_at
        {
            diags.push(too_deep(text, at));
            break;
        }
        let d = p.remap(ron_error(&p.text, bom, &err, &scan));
        // An error where the text was mended, or where one was already reported, comes
        // from the mend: stop reading rather than guess further.
        if p.touches(&d.span) || reported.contains(&(d.span.start, d.code)) {
            break;
        }
        reported.push((d.span.start, d.code));
        let truncated = d.code == "unexpected-eof";
        diags.push(d);
        if truncated || scan.looks_truncated() {
            break;
        }
        let Some((cur, with)) = mend(&p.text, bom, &err) else {
            break;
        };
        if !p.replace(p.orig(cur), &with) {
            break;
        }
    }
    Read {
        scenario: None,
        mended: None,
        diags,
    }
}

/// How to mend the text so that reading can go on past `err`, where the intent is clear:
/// a misspelt field or value gets the suggested name, an unknown field with no suggestion
/// and a second copy of a field are blanked out, a missing comma is put in, a bare word
/// where text belongs is quoted, a number in quotes unquoted, one string where a list
/// belongs put in brackets. `None`: nothing safe to do.
fn mend(text: &str, bom: usize, err: &ron::error::SpannedError) -> Option<(Range<usize>, String)> {
    use ron::error::Error as E;
    let start = bom + offset_of(&text[bom..], err.span.start.line, err.span.start.col);
    let (tok, shown) = token_at(text, start)?;
    let next_is_colon = token_at(text, tok.end).is_some_and(|(_, t)| t == ":");
    match &err.code {
        E::NoSuchStructField {
            expected, found, ..
        } => match words::suggest_field(found, expected) {
            Some(name) => Some((tok, name.to_string())),
            None => blank_field(text, tok.start),
        },
        E::DuplicateStructField { .. } => blank_field(text, tok.start),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => {
            let name = words::suggest_value(found, expected)?;
            let at = text[tok.clone()].find(found.as_str())?;
            Some((
                tok.start + at..tok.start + at + found.len(),
                name.to_string(),
            ))
        }
        E::ExpectedComma => Some((tok.start..tok.start, ", ".to_string())),
        E::ExpectedString | E::ExpectedStringEnd if is_word(&shown) && !next_is_colon => {
            Some((tok, format!("\"{shown}\"")))
        }
        E::ExpectedFloat | E::ExpectedInteger => {
            let inner = shown.strip_prefix('"')?.strip_suffix('"')?;
            inner.trim().parse::<f64>().ok()?;
            Some((tok, inner.trim().to_string()))
        }
        E::ExpectedArray if shown.starts_with('"') && !shown.ends_with("...") => {
            Some((tok, format!("[{shown}]")))
        }
        _ => None,
    }
}

fn is_word(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The field starting at `key` (`name: value` and a comma after it), as spaces.
fn blank_field(text: &str, key: usize) -> Option<(Range<usize>, String)> {
    let mut lexer = Lexer::new(&text[key..]);
    let name = lexer.next_token().ok()??;
    if !matches!(name.kind, TokenKind::Ident(_)) {
        return None;
    }
    let colon = lexer.next_token().ok()??;
    if colon.kind != TokenKind::Punct(':') {
        return None;
    }
    let mut depth = 0usize;
    let mut end = colon.span.end;
    loop {
        let Ok(Some(tok)) = lexer.next_token() else {
            return None;
        };
        match tok.kind {
            TokenKind::Punct('(' | '[' | '{') => depth += 1,
            TokenKind::Punct(')' | ']' | '}') if depth == 0 => break,
            TokenKind::Punct(')' | ']' | '}') => depth -= 1,
            TokenKind::Punct(',') if depth == 0 => {
                end = tok.span.end;
                break;
            }
            _ => {}
        }
        end = tok.span.end;
    }
    let range = key..key + end;
    Some((range.clone(), blank(&text[range])))
}

/// `s` as spaces, keeping its line breaks and its length in bytes.
fn blank(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let n = if c == '\n' || c == '\r' {
                0
            } else {
                c.len_utf8()
            };
            (c == '\n' || c == '\r')
                .then_some(c)
                .into_iter()
                .chain(std::iter::repeat_n(' ', n))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The scan before `ron`
// ---------------------------------------------------------------------------------------------

/// One slip found by the scan, and how to mend it (ranges of the text scanned).
struct Slip {
    diag: Diagnostic,
    mend: Option<(Range<usize>, String)>,
}

/// Finds and mends the slips `ron` explains badly. Unclosed strings first: until they are
/// mended, nothing after them is where it seems.
fn prescan(p: &mut Patched<'_>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let Some(slip) = unclosed_string(&p.text) else {
            break;
        };
        let diag = p.remap(slip.diag);
        let mended = slip
            .mend
            .is_some_and(|(cur, with)| p.replace(p.orig(cur), &with));
        diags.push(diag);
        if !mended {
            return diags;
        }
    }
    let tokens = tokens(&p.text);
    let mut slips = units(&p.text, &tokens);
    slips.extend(decimal_commas(&p.text, &tokens));
    slips.extend(when_lists(&p.text, &tokens));
    // Map everything to the original first: each mend shifts the mended text.
    let slips: Vec<(Diagnostic, Option<(Range<usize>, String)>)> = slips
        .into_iter()
        .map(|s| (p.remap(s.diag), s.mend.map(|(r, w)| (p.orig(r), w))))
        .collect();
    for (diag, mend) in slips {
        if let Some((orig, with)) = mend {
            p.replace(orig, &with);
        }
        diags.push(diag);
    }
    diags
}

/// The tokens of `text` up to the first thing the lexer cannot read.
fn tokens(text: &str) -> Vec<Token> {
    let mut lexer = Lexer::new(text);
    let mut out = Vec::new();
    while let Ok(Some(tok)) = lexer.next_token() {
        out.push(tok);
    }
    out
}

fn same_line(text: &str, a: usize, b: usize) -> bool {
    !text[a.min(b)..a.max(b)].contains('\n')
}

/// Type suffixes RON itself accepts after a number (`5u8`, `1.5f32`).
const NUMBER_SUFFIXES: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32",
    "f64",
];

/// The numeric part of a number token (`7.0` of `7.0m`), or all of it.
fn numeric_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        while *i < b.len() && (b[*i].is_ascii_digit() || b[*i] == b'_') {
            *i += 1;
        }
    };
    digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        digits(&mut i);
    }
    if i + 1 < b.len()
        && matches!(b[i], b'e' | b'E')
        && (b[i + 1].is_ascii_digit() || (matches!(b[i + 1], b'+' | b'-') && i + 2 < b.len()))
    {
        i += 2;
        digits(&mut i);
    }
    i
}

/// The unit written after number token `i` (`m` of `7.0 m` or of `7.0m`, `m/s`, `%`), if any:
/// where the number's digits end and the unit's span.
fn unit_after(text: &str, toks: &[Token], i: usize) -> Option<(usize, Range<usize>)> {
    let tok = &toks[i];
    let TokenKind::Number(n) = &tok.kind else {
        return None;
    };
    let lower = n.to_ascii_lowercase();
    let other_number = ["0x", "0b", "0o"].iter().any(|p| lower.contains(p));
    if other_number || lower.ends_with("inf") || lower.ends_with("nan") {
        return None;
    }
    let digits_end = tok.span.start + numeric_len(n);
    let suffix = &text[digits_end..tok.span.end];
    let mut next = i + 1;
    let mut unit = if !suffix.is_empty() {
        let plain = suffix.chars().all(char::is_alphabetic);
        if NUMBER_SUFFIXES.contains(&suffix) || !plain {
            return None;
        }
        digits_end..tok.span.end
    } else {
        let t = toks.get(next)?;
        let field_next = matches!(
            toks.get(next + 1).map(|t| &t.kind),
            Some(TokenKind::Punct(':' | '('))
        );
        let word = matches!(&t.kind, TokenKind::Ident(w) if w != "true" && w != "false")
            && same_line(text, tok.span.end, t.span.start)
            && !field_next; // a missing comma before the next field, not a unit
        let percent = t.kind == TokenKind::Other('%') && t.span.start == tok.span.end;
        if !word && !percent {
            return None;
        }
        next += 1;
        t.span.clone()
    };
    // `m/s`, `km/h`.
    if let (Some(slash), Some(per)) = (toks.get(next), toks.get(next + 1))
        && slash.kind == TokenKind::Other('/')
        && slash.span.start == unit.end
        && matches!(per.kind, TokenKind::Ident(_))
        && per.span.start == slash.span.end
    {
        unit.end = per.span.end;
    }
    Some((digits_end, unit))
}

/// `7.0 m`, `7.0m`, `2.5 m/s`, `30 seconds`, `70%`: numbers take no units.
fn units(text: &str, toks: &[Token]) -> Vec<Slip> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let Some((digits_end, unit)) = unit_after(text, toks, i) else {
            continue;
        };
        let number = &text[toks[i].span.start..digits_end];
        let written = &text[toks[i].span.start..unit.end];
        let diag = Diagnostic::error(
            "number-unit",
            format!("numbers take no units: write {number}, not {written}"),
            unit.clone(),
            text,
        )
        .with_label("a unit")
        .with_help(
            "each field's unit is fixed by the format (metres, seconds, m/s, points): \
             see docs/scenario-format.md",
        );
        let range = digits_end..unit.end;
        let mend = Some((range.clone(), blank(&text[range])));
        out.push(Slip { diag, mend });
    }
    out
}

/// `name: 4,5`: a decimal comma where RON wants a point.
fn decimal_commas(text: &str, toks: &[Token]) -> Vec<Slip> {
    let mut out = Vec::new();
    for w in toks.windows(5) {
        let [name, colon, a, comma, b] = w else {
            continue;
        };
        let plain = |t: &Token| match &t.kind {
            TokenKind::Number(n) => {
                let digits = n.strip_prefix('-').unwrap_or(n);
                !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
            }
            _ => false,
        };
        let is_field =
            matches!(name.kind, TokenKind::Ident(_)) && colon.kind == TokenKind::Punct(':');
        if !is_field
            || comma.kind != TokenKind::Punct(',')
            || !plain(a)
            || !plain(b)
            || b.span.start != comma.span.end
            || comma.span.start != a.span.end
            || text[b.span.clone()].starts_with('-')
        {
            continue;
        }
        let written = &text[a.span.start..b.span.end];
        let fixed = written.replace(',', ".");
        let diag = Diagnostic::error(
            "decimal-comma",
            format!("decimal numbers use a point: {fixed}"),
            a.span.start..b.span.end,
            text,
        )
        .with_label(format!("write {fixed}"))
        .with_help("a comma separates fields and list items; write decimals with a point");
        out.push(Slip {
            diag,
            mend: Some((comma.span.clone(), ".".into())),
        });
    }
    out
}

/// A trigger's `when: [A, B]`: `when` takes one condition.
fn when_lists(text: &str, toks: &[Token]) -> Vec<Slip> {
    // For each `(`: the fields named in it, and where each `when:` list starts.
    struct Frame {
        paren: bool,
        has_goto: bool,
        when_list: Option<usize>,
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut out = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        match tok.kind {
            TokenKind::Punct(c @ ('(' | '[' | '{')) => stack.push(Frame {
                paren: c == '(',
                has_goto: false,
                when_list: None,
            }),
            TokenKind::Punct(')' | ']' | '}') => {
                if let Some(f) = stack.pop()
                    && f.has_goto
                    && let Some(open) = f.when_list
                    && let Some(slip) = when_list(text, toks, open)
                {
                    out.push(slip);
                }
            }
            TokenKind::Ident(ref name)
                if toks.get(i + 1).map(|t| &t.kind) == Some(&TokenKind::Punct(':')) =>
            {
                let Some(top) = stack.last_mut().filter(|f| f.paren) else {
                    continue;
                };
                match name.as_str() {
                    "goto" => top.has_goto = true,
                    "when" if toks.get(i + 2).map(|t| &t.kind) == Some(&TokenKind::Punct('[')) => {
                        top.when_list = Some(i + 2);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    out
}

/// The slip for the list opened by token `open`, mended to its first condition.
fn when_list(text: &str, toks: &[Token], open: usize) -> Option<Slip> {
    let mut depth = 0usize;
    let mut first_comma = None;
    let mut close = None;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t.kind {
            TokenKind::Punct('(' | '[' | '{') => depth += 1,
            TokenKind::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    close = Some(k);
                    break;
                }
            }
            TokenKind::Punct(',') if depth == 1 && first_comma.is_none() => first_comma = Some(k),
            _ => {}
        }
    }
    let close = close?;
    let (open_t, close_t) = (&toks[open], &toks[close]);
    let span = open_t.span.start..close_t.span.end;
    let diag = Diagnostic::error(
        "when-list",
        "`when` takes one condition, not a list",
        span,
        text,
    )
    .with_label("a list of conditions")
    .with_help(
        "write the condition that fires the trigger in `when:` and the others in \
         `requires: [...]`, e.g. `when: AgitationAbove(70.0), requires: [Flag(\"named\")]`",
    );
    // Keep the first condition: blank the brackets and everything from the first comma.
    let mend = (close > open + 1).then(|| {
        let tail = first_comma.map_or(close_t.span.start, |c| toks[c].span.start);
        let range = open_t.span.start..close_t.span.end;
        let kept = &text[open_t.span.end..tail];
        let rest = &text[tail..close_t.span.end];
        (range, format!(" {kept}{}", blank(rest)))
    });
    Some(Slip { diag, mend })
}

/// The first string that runs over a line break into what reads like the rest of the file,
/// and the strings closed before it.
fn runaway_string(text: &str) -> Option<(Range<usize>, Vec<Range<usize>>)> {
    let mut lexer = Lexer::new(text);
    let mut strings: Vec<Range<usize>> = Vec::new();
    loop {
        match lexer.next_token() {
            Ok(Some(tok)) => {
                let raw = &text[tok.span.clone()];
                if matches!(tok.kind, TokenKind::Str(_)) && raw.starts_with('"') {
                    if runs_into_code(raw) {
                        return Some((tok.span, strings));
                    }
                    strings.push(tok.span);
                }
            }
            // A string still open at the end of the file.
            Err(e)
                if text[e.span.start..].starts_with('"')
                    && runs_into_code(&text[e.span.start..]) =>
            {
                return Some((e.span.start..text.len(), strings));
            }
            Ok(None) | Err(_) => return None,
        }
    }
}

/// The first string never closed where it should have been: one that runs over a line
/// break into what reads like the rest of the file (`lines: ["Go away.],`). It is reported
/// at the quote that opened it, and mended with a quote where the text seems to end.
fn unclosed_string(text: &str) -> Option<Slip> {
    let (runaway, strings) = runaway_string(text)?;
    let line_start = text[..runaway.start].rfind('\n').map_or(0, |i| i + 1);
    // An earlier string on the same line whose text reads like code is the one left open
    // (`text: "Can we talk?, next: Scene("calm")`): its closing quote was taken as opening.
    let culprit = strings
        .iter()
        .filter(|s| s.start >= line_start)
        .find_map(|s| field_inside(&text[s.start + 1..s.end - 1]).map(|at| (s.clone(), at)));
    let (string, at) = match culprit {
        Some(c) => c,
        None => {
            let first_line = text[runaway.start + 1..].split('\n').next().unwrap_or("");
            let at = field_inside(first_line).or_else(|| structural_tail(first_line))?;
            (runaway.clone(), at)
        }
    };
    let written = text[string.start..string.start + 1 + at].trim_end();
    let (until, _) = line_col(text, runaway.end.saturating_sub(1));
    let (line, _) = line_col(text, string.start);
    let label = match (string == runaway, until > line) {
        (true, true) => format!("the text that starts here runs on to line {until}"),
        (false, true) => format!(
            "never closed: the quotes after it pair up wrongly, and text runs on to line {until}"
        ),
        _ => "the text that starts here is never closed".to_string(),
    };
    let diag = Diagnostic::error(
        "unclosed-string",
        "this text is never closed: the `\"` that ends it is missing",
        string.start..string.start + 1,
        text,
    )
    .with_label(label)
    .with_help(format!(
        "close it where the text ends, probably `{written}\"`; \
         everything after the opening quote was read as text"
    ));
    let insert = string.start + written.len();
    Some(Slip {
        diag,
        mend: Some((insert..insert, "\"".into())),
    })
}

/// Whether a string's raw text (quotes included) runs over a line break into lines that
/// read like RON: a line starting with `name:` or a bracket.
fn runs_into_code(raw: &str) -> bool {
    let mut lines = raw.split('\n');
    lines.next();
    lines.any(|l| {
        let l = l.trim_start();
        l.starts_with(['(', ')', '[', ']'])
            || l.split_once(':').is_some_and(|(name, _)| {
                !name.is_empty()
                    && name
                        .trim_end()
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                    && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            })
    })
}

/// Where `, name:` starts in a string's text (the rest of a line of fields), if it does.
fn field_inside(s: &str) -> Option<usize> {
    for (i, _) in s.match_indices(',') {
        let rest = s[i + 1..].trim_start();
        let name_len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
            .unwrap_or(rest.len());
        if name_len > 0
            && rest.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && rest[name_len..].trim_start().starts_with(':')
        {
            return Some(i);
        }
    }
    None
}

/// Where the closing brackets and commas that end a line start (`],` of `Go away.],`).
fn structural_tail(line: &str) -> Option<usize> {
    let trimmed = line.trim_end();
    let kept = trimmed.trim_end_matches([',', ')', ']', '}', ' ']);
    (kept.len() < trimmed.len() && !kept.is_empty()).then_some(kept.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mended(text: &str) -> (Vec<(&'static str, String)>, String) {
        let mut p = Patched::new(text);
        let diags = prescan(&mut p);
        let found = diags
            .iter()
            .map(|d| (d.code, text[d.span.clone()].to_string()))
            .collect();
        (found, p.text)
    }

    #[test]
    fn units_commas_and_lists_are_found_and_mended() {
        let (found, text) = mended("(a: 7.0 m, b: 2.5m/s, c: 4,5, d: 70%, e: (1,5))");
        assert_eq!(
            found,
            [
                ("number-unit", "m".to_string()),
                ("number-unit", "m/s".to_string()),
                ("number-unit", "%".to_string()),
                ("decimal-comma", "4,5".to_string()),
            ]
        );
        assert_eq!(text, "(a: 7.0  , b: 2.5   , c: 4.5, d: 70 , e: (1,5))");
        let (found, text) = mended("(when: [A(1.0), B], goto: Stay)");
        assert_eq!(found, [("when-list", "[A(1.0), B]".to_string())]);
        assert_eq!(text, "(when:  A(1.0)    , goto: Stay)");
        // Not a trigger: `when` lists are right in branches.
        assert!(mended("(when: [A, B], to: Stay)").0.is_empty());
        // A missing comma is not a unit.
        assert!(mended("(a: 1.0\n b: 2.0)").0.is_empty());
    }

    #[test]
    fn an_unclosed_string_is_found_at_its_opening_quote() {
        let text = "(\n lines: [\"Go away.],\n options: [(id: \"x\")],\n)";
        let (found, fixed) = mended(text);
        assert_eq!(found, [("unclosed-string", "\"".to_string())]);
        assert!(fixed.contains("[\"Go away.\"],"), "{fixed}");
        let text = "(\n o: (id: \"t\", text: \"Hi?, next: Scene(\"c\")),\n p: 1,\n)";
        let mut p = Patched::new(text);
        let diags = prescan(&mut p);
        assert_eq!(diags[0].col, 21, "{:?}", diags[0]);
        assert!(p.text.contains("\"Hi?\", next"), "{}", p.text);
        // A string over two lines of prose is fine.
        assert!(mended("(a: \"one\ntwo\", b: 1)").0.is_empty());
    }

    #[test]
    fn positions_map_back_through_mends() {
        let mut p = Patched::new("abcdef");
        assert!(p.replace(1..2, "XYZ"));
        assert!(p.replace(4..4, "!"));
        assert_eq!(p.text, "aXYZcd!ef");
        assert_eq!(p.orig(0..1), 0..1);
        assert_eq!(p.orig(4..5), 2..3);
        assert_eq!(p.orig(7..8), 4..5);
        assert!(!p.replace(1..3, "q"));
        // An insertion before a replacement on the same spot, and the other way round.
        let mut p = Patched::new("abcdef");
        assert!(p.replace(2..2, ", "));
        assert!(p.replace(2..4, "XY"));
        assert!(!p.replace(2..2, "!"), "two insertions on one spot");
        assert!(!p.replace(3..3, "!"), "an insertion inside a replacement");
        assert_eq!(p.text, "ab, XYef");
        assert_eq!(p.orig(4..6), 2..4);
        assert!(p.touches(&(1..3)));
    }
}
