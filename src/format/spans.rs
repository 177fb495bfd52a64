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

/// One RON value with its byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The whole value, from its first to its last byte (for `Scene("x")` that is all of it).
    pub span: Range<usize>,
    pub kind: NodeKind,
}

/// What kind of value a [`Node`] is.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A string (plain, escaped, raw or byte string), decoded.
    Str(String),
    /// A character literal such as `'a'`.
    Char,
    /// A number as written (`3`, `-1.5e3`, `0x1F`, `inf`).
    Number(String),
    Bool(bool),
    /// A bare identifier: a unit enum variant (`Street`, `WeaponDrawn`), `None`, ...
    Ident(String),
    /// `Name(field: value, ..)` or `(field: value, ..)`.
    Struct {
        name: Option<String>,
        /// From the start of the value to just after its opening `(`.
        head: Range<usize>,
        fields: Vec<Field>,
    },
    /// `(a, b)`, `()` or an enum variant / `Some` with a payload: `Scene("x")`.
    Tuple {
        name: Option<String>,
        /// From the start of the value to just after its opening `(`.
        head: Range<usize>,
        items: Vec<Node>,
    },
    /// `[a, b, ..]`.
    List {
        items: Vec<Node>,
    },
    /// `{ key: value, .. }`.
    Map {
        entries: Vec<(Node, Node)>,
    },
}

/// A `name: value` field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// Byte range of the field name.
    pub key_span: Range<usize>,
    pub value: Node,
}

impl Node {
    /// The part of the value that identifies it on one line: the name and opening bracket of a
    /// struct or tuple (`Scene(`), the `[` / `{` of a list or map, or the whole of a scalar.
    pub fn head(&self) -> Range<usize> {
        match &self.kind {
            NodeKind::Struct { head, .. } | NodeKind::Tuple { head, .. } => head.clone(),
            NodeKind::List { .. } | NodeKind::Map { .. } => {
                self.span.start..(self.span.start + 1).min(self.span.end)
            }
            _ => self.span.clone(),
        }
    }

    /// The decoded text if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The payload of `Some(x)` or of any single-payload variant such as `Scene(x)`.
    fn single_payload(&self) -> Option<&Node> {
        match &self.kind {
            NodeKind::Tuple {
                name: Some(_),
                items,
                ..
            } if items.len() == 1 => items.first(),
            _ => None,
        }
    }

    /// The payload of an explicit `Some(x)`.
    fn some_payload(&self) -> Option<&Node> {
        match &self.kind {
            NodeKind::Tuple {
                name: Some(n),
                items,
                ..
            } if n == "Some" && items.len() == 1 => items.first(),
            _ => None,
        }
    }

    /// Direct children with the path step leading to each.
    fn children(&self) -> Vec<(Step, &Node)> {
        match &self.kind {
            NodeKind::Struct { fields, .. } => fields
                .iter()
                .map(|f| (Step::Field(f.name.clone()), &f.value))
                .collect(),
            NodeKind::Tuple { items, .. } | NodeKind::List { items } => items
                .iter()
                .enumerate()
                .map(|(i, n)| (Step::Index(i), n))
                .collect(),
            NodeKind::Map { entries } => entries
                .iter()
                .enumerate()
                .map(|(i, (_, v))| (Step::Index(i), v))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Field(String),
    Index(usize),
}

/// Splits `a.b[3].c` into steps. `None` if the path is malformed.
fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut rest = path.trim();
    let mut first = true;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']')?;
            steps.push(Step::Index(r[..close].trim().parse().ok()?));
            rest = &r[close + 1..];
        } else {
            let r = if first {
                rest.strip_prefix('.').unwrap_or(rest)
            } else {
                rest.strip_prefix('.')?
            };
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let name = r[..end].trim();
            if name.is_empty() {
                return None;
            }
            steps.push(Step::Field(name.to_string()));
            rest = &r[end..];
        }
        first = false;
    }
    Some(steps)
}

/// Renders steps back into path syntax.
fn format_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// How far a path resolved.
struct Resolved<'a> {
    /// The deepest node reached.
    node: &'a Node,
    /// Key span of the field through which `node` was reached, if it was.
    key: Option<Range<usize>>,
    /// Whether every step resolved.
    complete: bool,
}

/// An index from value paths to byte spans, built from RON text.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanTree {
    root: Node,
}

impl SpanTree {
    /// Parses RON text. Returns an error (never panics) on anything it cannot read; callers
    /// should then rely on `ron`'s own error for the position.
    pub fn parse(text: &str) -> Result<SpanTree, SpanError> {
        let mut parser = Parser::new(text)?;
        parser.skip_attributes()?;
        let root = parser.value(0)?;
        if let Some(tok) = parser.peek() {
            return Err(SpanError {
                message: "unexpected text after the end of the value".into(),
                span: tok.span.clone(),
            });
        }
        Ok(SpanTree { root })
    }

    /// The top-level value.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The node at `path` if every step resolves.
    pub fn node_at(&self, path: &str) -> Option<&Node> {
        let r = self.resolve(path);
        r.complete.then_some(r.node)
    }

    /// Span of the value at `path` (for `next: Scene("x")` that is all of `Scene("x")`).
    ///
    /// If the path does not resolve completely, falls back to the nearest resolvable ancestor:
    /// the name of the field it was reached through, or else its head (`(`, `Scene(`, `[`), so
    /// that a diagnostic always has a short, meaningful position. Returns `None` only for a
    /// malformed path.
    pub fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let r = self.resolve_checked(path)?;
        Some(if r.complete {
            r.node.span.clone()
        } else {
            Self::anchor(&r)
        })
    }

    /// Span of the innermost payload at `path`: for `Scene("x")`, `Some("x")` or
    /// `Injected("x")` that is the string `"x"` (with its quotes); for anything else the value
    /// itself. Falls back like [`SpanTree::span_of`].
    pub fn payload_span_of(&self, path: &str) -> Option<Range<usize>> {
        let r = self.resolve_checked(path)?;
        if !r.complete {
            return Some(Self::anchor(&r));
        }
        let mut node = r.node;
        while let Some(inner) = node.single_payload() {
            node = inner;
        }
        Some(node.span.clone())
    }

    /// Span of the field *name* at the end of `path` (`personal_space` in
    /// `subject.personal_space`). If the last step is a list index, or the path does not resolve,
    /// falls back like [`SpanTree::span_of`].
    pub fn key_span_of(&self, path: &str) -> Option<Range<usize>> {
        let r = self.resolve_checked(path)?;
        Some(Self::anchor(&r))
    }

    /// The path of the innermost value whose span contains `byte` (`""` for the root), or
    /// `None` if `byte` lies outside the top-level value.
    pub fn path_at(&self, byte: usize) -> Option<String> {
        if !self.root.span.contains(&byte) {
            return None;
        }
        let mut steps = Vec::new();
        let mut node = &self.root;
        'descend: loop {
            for (step, child) in node.children() {
                if child.span.contains(&byte) {
                    steps.push(step);
                    node = child;
                    continue 'descend;
                }
            }
            break;
        }
        Some(format_path(&steps))
    }

    fn anchor(r: &Resolved<'_>) -> Range<usize> {
        r.key.clone().unwrap_or_else(|| r.node.head())
    }

    fn resolve_checked(&self, path: &str) -> Option<Resolved<'_>> {
        parse_path(path)?;
        Some(self.resolve(path))
    }

    fn resolve(&self, path: &str) -> Resolved<'_> {
        let mut r = Resolved {
            node: &self.root,
            key: None,
            complete: true,
        };
        let Some(steps) = parse_path(path) else {
            r.complete = false;
            return r;
        };
        for step in &steps {
            match Self::step(r.node, step) {
                Some((node, key)) => {
                    r.node = node;
                    r.key = key;
                }
                None => {
                    r.complete = false;
                    break;
                }
            }
        }
        r
    }

    /// One path step down from `node`, looking through `Some(..)` and single-payload variants.
    fn step<'a>(node: &'a Node, step: &Step) -> Option<(&'a Node, Option<Range<usize>>)> {
        let mut node = node;
        while let Some(inner) = node.some_payload() {
            node = inner;
        }
        match (step, &node.kind) {
            (Step::Field(name), NodeKind::Struct { fields, .. }) => fields
                .iter()
                .find(|f| &f.name == name)
                .map(|f| (&f.value, Some(f.key_span.clone()))),
            (Step::Field(name), NodeKind::Map { entries }) => entries
                .iter()
                .find(|(k, _)| match &k.kind {
                    NodeKind::Str(s) | NodeKind::Ident(s) => s == name,
                    _ => false,
                })
                .map(|(k, v)| (v, Some(k.span.clone()))),
            (Step::Field(_), _) => {
                let inner = node.single_payload()?;
                Self::step(inner, step)
            }
            // `OneOf([...])`, `Pick([...])`: an index goes into the one list they wrap.
            (
                Step::Index(_),
                NodeKind::Tuple {
                    name: Some(_),
                    items,
                    ..
                },
            ) if items.len() == 1 && matches!(items[0].kind, NodeKind::List { .. }) => {
                Self::step(&items[0], step)
            }
            (Step::Index(i), NodeKind::List { items } | NodeKind::Tuple { items, .. }) => {
                items.get(*i).map(|n| (n, None))
            }
            (Step::Index(i), NodeKind::Map { entries }) => entries.get(*i).map(|(_, v)| (v, None)),
            (Step::Index(_), _) => None,
        }
    }
}

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

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

/// A RON token.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Range<usize>,
}

/// Kinds of RON tokens.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// One of `( ) [ ] { } , : # !`.
    Punct(char),
    /// A string literal, decoded.
    Str(String),
    Char,
    /// A number as written, including a sign and `inf` / `NaN`.
    Number(String),
    /// An identifier (`r#` prefix removed).
    Ident(String),
    /// Any other character; the parser rejects it, the bracket scanner ignores it.
    Other(char),
}

/// A streaming RON tokenizer that skips whitespace and comments. It never panics; unterminated
/// strings, characters and block comments are reported as [`SpanError`]s.
pub struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Lexer { text, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_char_at(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Skips whitespace (including a byte-order mark) and comments.
    fn skip_trivia(&mut self) -> Result<(), SpanError> {
        loop {
            let rest = self.rest();
            if let Some(c) = self.peek_char()
                && (c.is_whitespace() || c == '\u{feff}')
            {
                self.bump();
            } else if rest.starts_with("//") {
                self.pos = rest.find('\n').map_or(self.text.len(), |i| self.pos + i);
            } else if rest.starts_with("/*") {
                let start = self.pos;
                self.pos += 2;
                let mut depth = 1usize;
                while depth > 0 {
                    let rest = self.rest();
                    if rest.is_empty() {
                        return Err(SpanError {
                            message: "block comment is never closed (missing `*/`)".into(),
                            span: start..start + 2,
                        });
                    } else if rest.starts_with("/*") {
                        depth += 1;
                        self.pos += 2;
                    } else if rest.starts_with("*/") {
                        depth -= 1;
                        self.pos += 2;
                    } else {
                        self.bump();
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    /// The next token, `Ok(None)` at the end of the text.
    pub fn next_token(&mut self) -> Result<Option<Token>, SpanError> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok(None);
        };
        let kind = match c {
            '(' | ')' | '[' | ']' | '{' | '}' | ',' | ':' | '#' | '!' => {
                self.bump();
                TokenKind::Punct(c)
            }
            '"' => TokenKind::Str(self.string(start)?),
            '\'' => self.char_lit(),
            'r' if matches!(self.peek_char_at(1), Some('"'))
                || (self.peek_char_at(1) == Some('#')
                    && matches!(self.peek_char_at(2), Some('"' | '#'))) =>
            {
                self.bump();
                self.raw_string(start)?
            }
            'b' if self.peek_char_at(1) == Some('"') => {
                self.bump();
                TokenKind::Str(self.string(start)?)
            }
            'b' if self.peek_char_at(1) == Some('\'') => {
                self.bump();
                self.char_lit()
            }
            'b' if self.peek_char_at(1) == Some('r')
                && matches!(self.peek_char_at(2), Some('"' | '#')) =>
            {
                self.bump();
                self.bump();
                self.raw_string(start)?
            }
            'r' if self.peek_char_at(1) == Some('#')
                && self.peek_char_at(2).is_some_and(is_ident_char) =>
            {
                self.bump();
                self.bump();
                let name_start = self.pos;
                self.eat_while(is_ident_char);
                TokenKind::Ident(self.text[name_start..self.pos].to_string())
            }
            c if c.is_ascii_digit() => TokenKind::Number(self.number(start)),
            '.' if self.peek_char_at(1).is_some_and(|d| d.is_ascii_digit()) => {
                TokenKind::Number(self.number(start))
            }
            '+' | '-'
                if self
                    .peek_char_at(1)
                    .is_some_and(|d| d.is_ascii_digit() || d == '.' || is_ident_start(d)) =>
            {
                self.bump();
                TokenKind::Number(self.number(start))
            }
            c if is_ident_start(c) => {
                self.eat_while(is_ident_char);
                TokenKind::Ident(self.text[start..self.pos].to_string())
            }
            other => {
                self.bump();
                TokenKind::Other(other)
            }
        };
        Ok(Some(Token {
            kind,
            span: start..self.pos,
        }))
    }

    fn eat_while(&mut self, f: impl Fn(char) -> bool) {
        while self.peek_char().is_some_and(&f) {
            self.bump();
        }
    }

    /// Digits, letters, `_`, `.` and an exponent sign: enough to cover every RON number form.
    fn number(&mut self, start: usize) -> String {
        let hex = {
            let r = self.rest();
            r.starts_with("0x") || r.starts_with("0X")
        };
        while let Some(c) = self.peek_char() {
            let exponent_sign = (c == '+' || c == '-')
                && !hex
                && matches!(self.text[..self.pos].chars().last(), Some('e' | 'E'));
            if is_ident_char(c) || c == '.' || exponent_sign {
                self.bump();
            } else {
                break;
            }
        }
        self.text[start..self.pos].to_string()
    }

    /// A `"..."` string starting at the opening quote (any `b` prefix already consumed).
    fn string(&mut self, start: usize) -> Result<String, SpanError> {
        self.bump(); // opening quote
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(SpanError {
                        message: "string is never closed (missing `\"`)".into(),
                        span: start..(start + 1).min(self.text.len()),
                    });
                }
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('0') => out.push('\0'),
                    Some('\n') => {
                        // Line continuation: skip leading whitespace on the next line.
                        self.eat_while(char::is_whitespace);
                    }
                    Some('x') => match self.rest().get(..2).map(|h| u8::from_str_radix(h, 16)) {
                        Some(Ok(v)) => {
                            self.pos += 2;
                            out.push(char::from(v));
                        }
                        _ => out.push('x'),
                    },
                    Some('u') => match self.unicode_escape() {
                        Some((c, len)) => {
                            self.pos += len;
                            out.push(c);
                        }
                        None => out.push('u'),
                    },
                    // `\\`, `\"`, `\'` and (leniently: `ron` reports them) unknown escapes.
                    Some(c) => out.push(c),
                    None => {
                        return Err(SpanError {
                            message: "string is never closed (missing `\"`)".into(),
                            span: start..(start + 1).min(self.text.len()),
                        });
                    }
                },
                Some(c) => out.push(c),
            }
        }
    }

    /// `{XXXX}` after `\u`: the character and the length of the braces.
    fn unicode_escape(&self) -> Option<(char, usize)> {
        let r = self.rest().strip_prefix('{')?;
        let end = r.find('}')?;
        let c = u32::from_str_radix(r.get(..end)?, 16)
            .ok()
            .and_then(char::from_u32)?;
        Some((c, end + 2))
    }

    /// A raw string `r#"..."#` with the `r` (and any `b`) already consumed.
    /// Malformed openings (`r##x`) become a lone `Other` token for the parser to reject.
    fn raw_string(&mut self, start: usize) -> Result<TokenKind, SpanError> {
        let mut hashes = 0usize;
        while self.peek_char() == Some('#') {
            self.bump();
            hashes += 1;
        }
        if self.bump() != Some('"') {
            self.pos = start + 1;
            return Ok(TokenKind::Other(
                self.text[start..].chars().next().unwrap_or('r'),
            ));
        }
        let content_start = self.pos;
        let closing: String = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        match self.rest().find(&closing) {
            Some(i) => {
                let content = self.text[content_start..content_start + i].to_string();
                self.pos = content_start + i + closing.len();
                Ok(TokenKind::Str(content))
            }
            None => {
                self.pos = self.text.len();
                Err(SpanError {
                    message: format!("raw string is never closed (missing `{closing}`)"),
                    span: start..(start + 1).min(self.text.len()),
                })
            }
        }
    }

    /// A character literal starting at `'` (any `b` prefix already consumed). Anything that is
    /// not a well-formed literal on one line becomes a lone `Other('\'')` token for the parser
    /// to reject, so a stray quote cannot swallow the rest of the file.
    fn char_lit(&mut self) -> TokenKind {
        let quote = self.pos;
        self.bump(); // opening quote
        let ok = match self.bump() {
            Some('\\') => {
                // An escape: the escaped character, then (for `\u{..}`) up to the closing quote.
                self.bump();
                while self.peek_char().is_some_and(|c| c != '\'' && c != '\n') {
                    self.bump();
                }
                true
            }
            Some('\n') | None => false,
            Some(_) => true,
        };
        if ok && self.bump() == Some('\'') {
            TokenKind::Char
        } else {
            self.pos = quote + 1;
            TokenKind::Other('\'')
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bracket scan
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

/// A recursive-descent RON parser over a pre-tokenized stream.
struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    text_len: usize,
}

impl Parser {
    fn new(text: &str) -> Result<Self, SpanError> {
        let mut lexer = Lexer::new(text);
        let mut tokens = Vec::new();
        while let Some(tok) = lexer.next_token()? {
            tokens.push(tok);
        }
        Ok(Parser {
            tokens,
            pos: 0,
            text_len: text.len(),
        })
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_kind(&self, n: usize) -> Option<&TokenKind> {
        self.tokens.get(self.pos + n).map(|t| &t.kind)
    }

    /// Takes the next token (each token is consumed exactly once; nothing backtracks).
    fn next(&mut self) -> Option<Token> {
        let slot = self.tokens.get_mut(self.pos)?;
        self.pos += 1;
        let placeholder = Token {
            kind: TokenKind::Other(' '),
            span: slot.span.clone(),
        };
        Some(std::mem::replace(slot, placeholder))
    }

    fn eof_error(&self, what: &str) -> SpanError {
        SpanError {
            message: format!("file ends unexpectedly, expected {what}"),
            span: self.text_len..self.text_len,
        }
    }

    fn is_punct(&self, c: char) -> bool {
        matches!(self.peek_kind(0), Some(TokenKind::Punct(p)) if *p == c)
    }

    fn expect_punct(&mut self, c: char) -> Result<Token, SpanError> {
        match self.next() {
            Some(tok) if tok.kind == TokenKind::Punct(c) => Ok(tok),
            Some(tok) => Err(SpanError {
                message: format!("expected `{c}`"),
                span: tok.span,
            }),
            None => Err(self.eof_error(&format!("`{c}`"))),
        }
    }

    /// Skips `#![enable(...)]` style attributes before the top-level value.
    fn skip_attributes(&mut self) -> Result<(), SpanError> {
        while self.is_punct('#') {
            self.next();
            if self.is_punct('!') {
                self.next();
            }
            self.expect_punct('[')?;
            let mut depth = 1usize;
            while depth > 0 {
                match self.next() {
                    Some(Token {
                        kind: TokenKind::Punct('[' | '(' | '{'),
                        ..
                    }) => depth += 1,
                    Some(Token {
                        kind: TokenKind::Punct(']' | ')' | '}'),
                        ..
                    }) => depth -= 1,
                    Some(_) => {}
                    None => return Err(self.eof_error("`]` closing the attribute")),
                }
            }
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Node, SpanError> {
        if depth > SPAN_MAX_DEPTH {
            let span = self
                .peek()
                .map_or(self.text_len..self.text_len, |t| t.span.clone());
            return Err(SpanError {
                message: "nesting is too deep".into(),
                span,
            });
        }
        let Some(tok) = self.next() else {
            return Err(self.eof_error("a value"));
        };
        let start = tok.span.start;
        match tok.kind {
            TokenKind::Str(s) => Ok(Node {
                span: tok.span,
                kind: NodeKind::Str(s),
            }),
            TokenKind::Char => Ok(Node {
                span: tok.span,
                kind: NodeKind::Char,
            }),
            TokenKind::Number(n) => Ok(Node {
                span: tok.span,
                kind: NodeKind::Number(n),
            }),
            TokenKind::Ident(name) => {
                if self.is_punct('(') {
                    let open_end = self.next().map_or(self.text_len, |t| t.span.end);
                    self.paren(start, Some(name), open_end, depth)
                } else {
                    let kind = match name.as_str() {
                        "true" => NodeKind::Bool(true),
                        "false" => NodeKind::Bool(false),
                        "inf" | "NaN" => NodeKind::Number(name),
                        _ => NodeKind::Ident(name),
                    };
                    Ok(Node {
                        span: tok.span,
                        kind,
                    })
                }
            }
            TokenKind::Punct('(') => self.paren(start, None, tok.span.end, depth),
            TokenKind::Punct('[') => {
                let mut items = Vec::new();
                let end = self.sequence(']', depth, |p, d| {
                    items.push(p.value(d)?);
                    Ok(())
                })?;
                Ok(Node {
                    span: start..end,
                    kind: NodeKind::List { items },
                })
            }
            TokenKind::Punct('{') => {
                let mut entries = Vec::new();
                let end = self.sequence('}', depth, |p, d| {
                    let key = p.value(d)?;
                    p.expect_punct(':')?;
                    let value = p.value(d)?;
                    entries.push((key, value));
                    Ok(())
                })?;
                Ok(Node {
                    span: start..end,
                    kind: NodeKind::Map { entries },
                })
            }
            TokenKind::Punct(c) | TokenKind::Other(c) => Err(SpanError {
                message: format!("expected a value, found `{c}`"),
                span: tok.span,
            }),
        }
    }

    /// Parses the rest of `( ... )` as a struct or a tuple; the value starts at `start` and its
    /// `(` (already consumed) ends at `open_end`.
    fn paren(
        &mut self,
        start: usize,
        name: Option<String>,
        open_end: usize,
        depth: usize,
    ) -> Result<Node, SpanError> {
        let head = start..open_end;
        let is_struct = matches!(self.peek_kind(0), Some(TokenKind::Ident(_)))
            && matches!(self.peek_kind(1), Some(TokenKind::Punct(':')));
        if is_struct {
            let mut fields = Vec::new();
            let end = self.sequence(')', depth, |p, d| {
                let (name, key_span) = match p.next() {
                    Some(Token {
                        kind: TokenKind::Ident(n),
                        span,
                    }) => (n, span),
                    Some(tok) => {
                        return Err(SpanError {
                            message: "expected a field name".into(),
                            span: tok.span,
                        });
                    }
                    None => return Err(p.eof_error("a field name")),
                };
                p.expect_punct(':')?;
                let value = p.value(d)?;
                fields.push(Field {
                    name,
                    key_span,
                    value,
                });
                Ok(())
            })?;
            Ok(Node {
                span: start..end,
                kind: NodeKind::Struct { name, head, fields },
            })
        } else {
            let mut items = Vec::new();
            let end = self.sequence(')', depth, |p, d| {
                items.push(p.value(d)?);
                Ok(())
            })?;
            Ok(Node {
                span: start..end,
                kind: NodeKind::Tuple { name, head, items },
            })
        }
    }

    /// Parses comma-separated elements up to and including `close`, returning the byte just
    /// after `close`. The opening bracket has already been consumed.
    fn sequence(
        &mut self,
        close: char,
        depth: usize,
        mut element: impl FnMut(&mut Parser, usize) -> Result<(), SpanError>,
    ) -> Result<usize, SpanError> {
        loop {
            if self.is_punct(close) {
                return Ok(self.next().map_or(self.text_len, |t| t.span.end));
            }
            element(self, depth + 1)?;
            match self.next() {
                Some(Token {
                    kind: TokenKind::Punct(','),
                    ..
                }) => {}
                Some(Token {
                    kind: TokenKind::Punct(c),
                    span,
                }) if c == close => return Ok(span.end),
                Some(tok) => {
                    return Err(SpanError {
                        message: format!("expected `,` or `{close}`"),
                        span: tok.span,
                    });
                }
                None => return Err(self.eof_error(&format!("`,` or `{close}`"))),
            }
        }
    }
}

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
