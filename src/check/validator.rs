//! Stage 2, validation: the [`Validator`] that walks a deserialised scenario, the order its
//! rules run in ([`Validator::run`]), and how a rule places a diagnostic (a path in the
//! scenario → a span in the text, through the [`SpanTree`]). The rules live in the files
//! named in `run`, one part of the scenario each.

use super::diag::Diagnostic;
use crate::format::scenario::Scenario;
use crate::format::spans::{SpanTree, line_col};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Semantic checks on a deserialised scenario, collecting diagnostics.
pub(super) struct Validator<'a> {
    pub(super) text: &'a str,
    pub(super) tree: Option<&'a SpanTree>,
    pub(super) s: &'a Scenario,
    pub(super) diags: Vec<Diagnostic>,
    /// The first scene with each id (its index).
    pub(super) scene_ids: HashMap<&'a str, usize>,
    /// The first ending with each id (its index).
    pub(super) ending_ids: HashMap<&'a str, usize>,
    pub(super) inject_ids: HashSet<&'a str>,
}

/// Where a trigger list lives: a scene's own triggers or the global ones.
pub(super) fn trigger_path(scene: Option<usize>, k: usize) -> String {
    match scene {
        Some(i) => format!("scenes[{i}].triggers[{k}]"),
        None => format!("triggers[{k}]"),
    }
}

impl<'a> Validator<'a> {
    pub(super) fn new(text: &'a str, tree: Option<&'a SpanTree>, s: &'a Scenario) -> Self {
        let mut scene_ids = HashMap::new();
        for (i, sc) in s.scenes.iter().enumerate() {
            scene_ids.entry(sc.id.as_str()).or_insert(i);
        }
        let mut ending_ids = HashMap::new();
        for (i, e) in s.endings.iter().enumerate() {
            ending_ids.entry(e.id.as_str()).or_insert(i);
        }
        Validator {
            text,
            tree,
            s,
            diags: Vec::new(),
            scene_ids,
            ending_ids,
            inject_ids: s.injects.iter().map(|i| i.id.as_str()).collect(),
        }
    }

    /// Every rule, in order (diagnostics at the same place keep this order). A rule about
    /// each option of a scene goes in `Validator::check_option` (scenes.rs).
    pub(super) fn run(mut self) -> Vec<Diagnostic> {
        self.check_top(); // top.rs
        self.check_place(); // place.rs
        self.check_subject(); // subject.rs
        self.check_partner(); // subject.rs
        self.check_scoring(); // scoring.rs
        self.check_ids(); // ids.rs
        self.check_scenes(); // scenes.rs
        for (k, t) in self.s.triggers.iter().enumerate() {
            self.check_trigger(None, k, t); // conditions.rs
        }
        self.check_endings_and_injects(); // scenes.rs
        self.check_variation(); // vary.rs
        self.check_asides(); // aside.rs
        self.check_flags(); // flags.rs
        self.check_calls(); // calls.rs
        self.check_graph(); // graph.rs
        self.check_design(); // lints.rs
        self.check_stage(); // stage.rs
        self.diags
    }

    /// Span of the value at `path` (or its nearest ancestor).
    pub(super) fn at(&self, path: &str) -> Range<usize> {
        self.tree.and_then(|t| t.span_of(path)).unwrap_or(0..0)
    }

    /// Span of the innermost payload at `path` (`"x"` in `Scene("x")`).
    pub(super) fn payload(&self, path: &str) -> Range<usize> {
        self.tree
            .and_then(|t| t.payload_span_of(path))
            .unwrap_or(0..0)
    }

    /// Span of the field name at the end of `path`.
    pub(super) fn key(&self, path: &str) -> Range<usize> {
        self.tree.and_then(|t| t.key_span_of(path)).unwrap_or(0..0)
    }

    pub(super) fn error(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        span: Range<usize>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, msg, span, self.text);
        self.push(d)
    }

    pub(super) fn warning(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        span: Range<usize>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::warning(code, msg, span, self.text);
        self.push(d)
    }

    /// Adds a diagnostic; the rule fills in its label and help.
    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    /// `line:col` of a span's start, for messages that point at a second place.
    pub(super) fn pos(&self, span: &Range<usize>) -> String {
        let (l, c) = line_col(self.text, span.start);
        format!("{l}:{c}")
    }
}
