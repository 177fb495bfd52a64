//! The graph as Graphviz text (`dot -Tsvg`): one node per scene and ending (`scene:ID`,
//! `ending:ID`), `anywhere` for scenario-wide triggers, `branch:N` diamonds for `OneOf`.
//! Every string is quoted and escaped; a record's path is drawn thick.

use super::html::clip;
use super::{Family, Graph, Kind, Overlays, Source};
use crate::format::scenario::Scenario;
use std::fmt::Write;

/// A DOT double-quoted string: quotes and backslashes escaped, line breaks as `\n`,
/// control and bidirectional-override characters replaced.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => out.push('\u{FFFD}'),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The DOT id of node `n`.
pub fn node_id(sc: &Scenario, g: &Graph, n: usize) -> String {
    match g.nodes[n].kind {
        Kind::Scene(i) => quote(&format!("scene:{}", sc.scenes[i].id)),
        Kind::Ending(i) => quote(&format!("ending:{}", sc.endings[i].id)),
        Kind::Anywhere => quote("anywhere"),
        Kind::Branch => quote(&format!("branch:{n}")),
    }
}

fn fill(f: Family) -> &'static str {
    match f {
        Family::Deescalated => "#dcfce7",
        Family::WithdrawnUnresolved => "#fef3c7",
        Family::ForceFlightInjury => "#fee2e2",
    }
}

/// The whole graph as DOT text.
pub fn render(sc: &Scenario, g: &Graph, ov: &Overlays) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "digraph {} {{", quote(&sc.id));
    let _ = writeln!(
        o,
        "  graph [rankdir=LR, fontname=\"Helvetica\", label={}];",
        quote(&sc.title)
    );
    let _ = writeln!(
        o,
        "  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];"
    );
    let _ = writeln!(o, "  edge [fontname=\"Helvetica\", fontsize=10];");
    for n in 0..g.nodes.len() {
        let _ = writeln!(o, "  {} [{}];", node_id(sc, g, n), node_attrs(sc, g, n));
    }
    let on_record: Vec<usize> = ov
        .record
        .iter()
        .flat_map(|r| r.walk.edges.clone())
        .collect();
    for (i, e) in g.edges.iter().enumerate() {
        let mut attrs = vec![format!("label={}", quote(&clip(&e.label, 60)))];
        if matches!(e.source, Source::Trigger { .. } | Source::Timeout) {
            attrs.push("style=dashed".into());
        }
        if e.branch.is_some() {
            attrs.push("style=dotted".into());
        }
        if on_record.contains(&i) {
            attrs.push("penwidth=3, color=\"#a21caf\"".into());
        }
        let _ = writeln!(
            o,
            "  {} -> {} [{}];",
            node_id(sc, g, e.from),
            node_id(sc, g, e.to),
            attrs.join(", ")
        );
    }
    o.push_str("}\n");
    o
}

fn node_attrs(sc: &Scenario, g: &Graph, n: usize) -> String {
    let node = &g.nodes[n];
    let unreachable = !node.reachable && !matches!(node.kind, Kind::Branch);
    let mut label = match node.kind {
        Kind::Scene(i) => {
            let s = &sc.scenes[i];
            match s.lines.first() {
                Some(l) => format!("{}\n“{}”", s.id, clip(l, 40)),
                None => s.id.clone(),
            }
        }
        Kind::Ending(i) => {
            let e = &sc.endings[i];
            let f = Family::of(e.outcome);
            format!("{}\n{} {} ({})", e.title, f.mark(), f.label(), e.id)
        }
        Kind::Anywhere => "Any scene\n(scenario-wide triggers, time limit)".into(),
        Kind::Branch => String::new(),
    };
    if unreachable {
        label.push_str("\n⊘ unreachable");
    }
    let mut attrs = vec![format!("label={}", quote(&label))];
    match node.kind {
        Kind::Ending(i) => {
            let f = Family::of(sc.endings[i].outcome);
            attrs.push(format!(
                "style=\"rounded,filled,bold\", fillcolor=\"{}\"",
                fill(f)
            ));
        }
        Kind::Branch => attrs.push("shape=diamond, width=0.3, height=0.3".into()),
        Kind::Anywhere => attrs.push("style=\"rounded,dashed\"".into()),
        Kind::Scene(_) if g.start == Some(n) => attrs.push("penwidth=2".into()),
        Kind::Scene(_) => {}
    }
    if unreachable {
        attrs.push("color=gray, fontcolor=gray".into());
        if !matches!(node.kind, Kind::Ending(_)) {
            attrs.push("style=\"rounded,dashed\"".into());
        }
    }
    attrs.join(", ")
}
