//! The span parser: a recursive-descent RON parser over the tokens that keeps the byte span
//! of every value and field name. Nesting is bounded by [`SPAN_MAX_DEPTH`].

use super::lexer::{Lexer, Token, TokenKind};
use super::node::{Field, Node, NodeKind};
use super::{SPAN_MAX_DEPTH, SpanError};

/// The top-level value of RON text (after any `#![...]` attributes), with nothing after it.
pub(super) fn parse(text: &str) -> Result<Node, SpanError> {
    let mut parser = Parser::new(text)?;
    parser.skip_attributes()?;
    let root = parser.value(0)?;
    if let Some(tok) = parser.peek() {
        return Err(SpanError {
            message: "unexpected text after the end of the value".into(),
            span: tok.span.clone(),
        });
    }
    Ok(root)
}

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
            return Err(self.too_deep());
        }
        let Some(tok) = self.next() else {
            return Err(self.eof_error("a value"));
        };
        let start = tok.span.start;
        let scalar = |kind| {
            Ok(Node {
                span: tok.span.clone(),
                kind,
            })
        };
        match tok.kind {
            TokenKind::Str(s) => scalar(NodeKind::Str(s)),
            TokenKind::Char => scalar(NodeKind::Char),
            TokenKind::Number(n) => scalar(NodeKind::Number(n)),
            TokenKind::Ident(name) if self.is_punct('(') => {
                let open_end = self.next().map_or(self.text_len, |t| t.span.end);
                self.paren(start, Some(name), open_end, depth)
            }
            TokenKind::Ident(name) => scalar(ident(name)),
            TokenKind::Punct('(') => self.paren(start, None, tok.span.end, depth),
            TokenKind::Punct('[') => self.list(start, depth),
            TokenKind::Punct('{') => self.map(start, depth),
            TokenKind::Punct(c) | TokenKind::Other(c) => Err(SpanError {
                message: format!("expected a value, found `{c}`"),
                span: tok.span,
            }),
        }
    }

    /// Nesting deeper than [`SPAN_MAX_DEPTH`], at the next token.
    fn too_deep(&self) -> SpanError {
        let span = self
            .peek()
            .map_or(self.text_len..self.text_len, |t| t.span.clone());
        SpanError {
            message: "nesting is too deep".into(),
            span,
        }
    }

    /// The rest of `[ ... ]`, which starts at `start`.
    fn list(&mut self, start: usize, depth: usize) -> Result<Node, SpanError> {
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

    /// The rest of `{ key: value, ... }`, which starts at `start`.
    fn map(&mut self, start: usize, depth: usize) -> Result<Node, SpanError> {
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

/// A bare name: `true`, `false`, `inf` and `NaN` are values; anything else is a name.
fn ident(name: String) -> NodeKind {
    match name.as_str() {
        "true" => NodeKind::Bool(true),
        "false" => NodeKind::Bool(false),
        "inf" | "NaN" => NodeKind::Number(name),
        _ => NodeKind::Ident(name),
    }
}
