//! The values a [`SpanTree`](super::SpanTree) is made of: a [`Node`] (a RON value with its
//! byte span), its [`NodeKind`] and a struct's [`Field`]s, with the spans a diagnostic
//! points at (a value's head, a wrapper's payload).

use super::path::Step;
use std::ops::Range;

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
    pub(super) fn single_payload(&self) -> Option<&Node> {
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
    pub(super) fn some_payload(&self) -> Option<&Node> {
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
    pub(super) fn children(&self) -> Vec<(Step, &Node)> {
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
