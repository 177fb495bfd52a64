//! The span index: [`SpanTree`] parses RON text into [`Node`]s and answers "where is the
//! value at this path?" (`scenes[3].options[1].next`), for a value, its field name or its
//! payload, or the nearest ancestor when the path goes further than the text.

use super::SpanError;
use super::node::{Node, NodeKind};
use super::parser::parse;
use super::path::{Step, format_path, parse_path};
use std::ops::Range;

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
        let root = parse(text)?;
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
