//! The RON tokenizer: [`Lexer`] turns text into [`Token`]s (brackets and punctuation,
//! strings decoded, characters, numbers as written, names), skipping whitespace and
//! comments. It never panics; what it cannot read is a [`SpanError`].

use super::SpanError;
use std::ops::Range;

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
    pub(super) pos: usize,
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
            'r' | 'b' if let Some(kind) = self.prefixed(c, start)? => kind,
            c if self.starts_number(c) => {
                if matches!(c, '+' | '-') {
                    self.bump();
                }
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

    /// A literal with a prefix letter `c`: `r"..."` or `r#"..."#`, `b"..."`, `b'.'`,
    /// `br"..."`, or a raw name `r#name`; `None` if `c` only starts a name.
    fn prefixed(&mut self, c: char, start: usize) -> Result<Option<TokenKind>, SpanError> {
        let (c1, c2) = (self.peek_char_at(1), self.peek_char_at(2));
        let raw =
            c == 'r' && (c1 == Some('"') || (c1 == Some('#') && matches!(c2, Some('"' | '#'))));
        let kind = if raw {
            self.bump();
            self.raw_string(start)?
        } else if c == 'b' && c1 == Some('"') {
            self.bump();
            TokenKind::Str(self.string(start)?)
        } else if c == 'b' && c1 == Some('\'') {
            self.bump();
            self.char_lit()
        } else if c == 'b' && c1 == Some('r') && matches!(c2, Some('"' | '#')) {
            self.bump();
            self.bump();
            self.raw_string(start)?
        } else if c == 'r' && c1 == Some('#') && c2.is_some_and(is_ident_char) {
            self.bump();
            self.bump();
            let name_start = self.pos;
            self.eat_while(is_ident_char);
            TokenKind::Ident(self.text[name_start..self.pos].to_string())
        } else {
            return Ok(None);
        };
        Ok(Some(kind))
    }

    /// Whether a number starts at `c`: a digit, `.` before a digit, or a sign before a
    /// digit, `.` or a name (`-inf`).
    fn starts_number(&self, c: char) -> bool {
        let next = self.peek_char_at(1);
        match c {
            c if c.is_ascii_digit() => true,
            '.' => next.is_some_and(|d| d.is_ascii_digit()),
            '+' | '-' => next.is_some_and(|d| d.is_ascii_digit() || d == '.' || is_ident_start(d)),
            _ => false,
        }
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
