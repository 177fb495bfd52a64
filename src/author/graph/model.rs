//! A scenario as a graph: one node per scene and ending, a diamond per `OneOf`, one node for
//! "any scene" (scenario-wide triggers and the time limit); one edge per way the story can
//! move. Which nodes no edge from the start can reach is worked out here too.

use super::{Graph, Kind, Node, Source};
use crate::format::scenario::{Condition, Next, Scenario, When};
use crate::format::variation::Branch;
use std::collections::VecDeque;

/// Builds the graph of `sc` (a validated scenario; names that do not resolve are skipped).
pub fn build(sc: &Scenario) -> Graph {
    let mut g = Graph {
        scenes: sc.scenes.len(),
        ..Graph::default()
    };
    for i in 0..sc.scenes.len() {
        g.nodes.push(Node::new(Kind::Scene(i)));
    }
    for i in 0..sc.endings.len() {
        g.nodes.push(Node::new(Kind::Ending(i)));
    }
    g.anywhere = g.nodes.len();
    g.nodes.push(Node::new(Kind::Anywhere));
    g.start = sc.scene_index(&sc.start_scene);
    for (si, scene) in sc.scenes.iter().enumerate() {
        for (oi, o) in scene.options.iter().enumerate() {
            let plain = if o.tone_branches.is_empty() {
                o.id.clone()
            } else {
                format!("{} [other tones]", o.id)
            };
            let src = Source::Option {
                scene: si,
                option: oi,
                tone_branch: None,
            };
            add_next(&mut g, sc, si, src, &o.next, plain);
            for (bi, b) in o.tone_branches.iter().enumerate() {
                let tones: Vec<&str> = b.tones.iter().map(|t| t.label()).collect();
                let label = format!("{} [{}]", o.id, tones.join(", "));
                let src = Source::Option {
                    scene: si,
                    option: oi,
                    tone_branch: Some(bi),
                };
                add_next(&mut g, sc, si, src, &b.next, label);
            }
        }
        for (ti, t) in scene.triggers.iter().enumerate() {
            let src = Source::Trigger {
                scene: Some(si),
                index: ti,
            };
            add_next(
                &mut g,
                sc,
                si,
                src,
                &t.goto,
                trigger_label(&t.when, &t.requires),
            );
        }
    }
    let any = g.anywhere;
    for (ti, t) in sc.triggers.iter().enumerate() {
        let src = Source::Trigger {
            scene: None,
            index: ti,
        };
        add_next(
            &mut g,
            sc,
            any,
            src,
            &t.goto,
            trigger_label(&t.when, &t.requires),
        );
    }
    if let Some(e) = sc.ending_index(&sc.timeout_ending) {
        let label = format!("◷ time limit {} min", sc.time_limit_minutes);
        g.push_edge(any, g.ending_node(e), Source::Timeout, None, label);
    }
    mark_reachable(&mut g);
    g
}

/// The node a plain `next` leads to (`None` for `Stay`, `OneOf` and unknown names).
fn target(g: &Graph, sc: &Scenario, next: &Next) -> Option<usize> {
    match next {
        Next::Scene(s) => sc.scene_index(s).map(|i| g.scene_node(i)),
        Next::Ending(e) => sc.ending_index(e).map(|i| g.ending_node(i)),
        Next::Stay | Next::OneOf(_) => None,
    }
}

/// Adds the edges for one `next` from node `from` (a scene, or "any scene"): a direct edge,
/// or an edge to a new branch diamond and one edge from it per branch.
fn add_next(g: &mut Graph, sc: &Scenario, from: usize, src: Source, next: &Next, label: String) {
    match next {
        Next::OneOf(branches) => {
            let diamond = g.nodes.len();
            g.nodes.push(Node::new(Kind::Branch));
            g.push_edge(from, diamond, src, None, label);
            let any_conditions = branches.iter().any(|b| !b.when.is_empty());
            for (k, b) in branches.iter().enumerate() {
                let stay = matches!(b.to, Next::Stay) && from != g.anywhere;
                let to = if stay {
                    Some(from)
                } else {
                    target(g, sc, &b.to)
                };
                if let Some(to) = to {
                    let label = branch_label(b, any_conditions, stay);
                    g.push_edge(diamond, to, src, Some(k), label);
                }
            }
        }
        other => {
            if let Some(to) = target(g, sc, other) {
                g.push_edge(from, to, src, None, label);
            }
        }
    }
}

/// "temperament volatile · weight 2", "otherwise", "stay · flag asked".
fn branch_label(b: &Branch, any_conditions: bool, stay: bool) -> String {
    let mut parts: Vec<String> = b.when.iter().map(condition_label).collect();
    if parts.is_empty() {
        parts.push(if any_conditions { "otherwise" } else { "any" }.to_string());
    }
    if (b.weight - 1.0).abs() > f32::EPSILON {
        parts.push(format!("weight {}", b.weight));
    }
    let text = parts.join(" · ");
    if stay {
        format!("stay · {text}")
    } else {
        text
    }
}

fn trigger_label(w: &When, requires: &[Condition]) -> String {
    let mut s = format!("⚡ {}", when_label(w));
    for c in requires {
        s.push_str(" · ");
        s.push_str(&condition_label(c));
    }
    s
}

/// A short form of a trigger's `when`, in the file's own terms.
pub fn when_label(w: &When) -> String {
    match w {
        When::AgitationAbove(v) => format!("agitation > {v}"),
        When::AgitationBelow(v) => format!("agitation < {v}"),
        When::TrustAbove(v) => format!("trust > {v}"),
        When::TrustBelow(v) => format!("trust < {v}"),
        When::CloserThan(m) => format!("closer than {m} m"),
        When::FartherThan(m) => format!("farther than {m} m"),
        When::ApproachFasterThan(v) => format!("approach > {v} m/s"),
        When::WeaponDrawn => "weapon drawn".into(),
        When::InCover => "in cover".into(),
        When::SecondsInScene(s) => format!("{s} s in scene"),
        When::SilenceFor(s) => format!("{s} s silence"),
        When::SecondsElapsed(s) => format!("{s} s since start"),
        When::Injected(id) => format!("inject {id}"),
        When::Flag(f) => format!("flag {f}"),
        #[allow(unreachable_patterns)] // the vocabulary grows; say new ones as written
        other => format!("{other:?}"),
    }
}

/// A short form of a condition, in the file's own terms.
pub fn condition_label(c: &Condition) -> String {
    match c {
        Condition::Flag(f) => format!("flag {f}"),
        Condition::NotFlag(f) => format!("not flag {f}"),
        Condition::AgitationAbove(v) => format!("agitation > {v}"),
        Condition::AgitationBelow(v) => format!("agitation < {v}"),
        Condition::TrustAbove(v) => format!("trust > {v}"),
        Condition::TrustBelow(v) => format!("trust < {v}"),
        Condition::CloserThan(m) => format!("closer than {m} m"),
        Condition::FartherThan(m) => format!("farther than {m} m"),
        Condition::InCover => "in cover".into(),
        Condition::Temperament(t) => format!("temperament {t}"),
        Condition::Said(o) => format!("said {o}"),
        Condition::NotSaid(o) => format!("not said {o}"),
        #[allow(unreachable_patterns)] // the vocabulary grows; say new ones as written
        other => format!("{other:?}"),
    }
}

/// Marks what a walk along the edges from the start scene can reach. "Any scene" is
/// reachable once a scene is (its triggers fire wherever the story is).
fn mark_reachable(g: &mut Graph) {
    let Some(start) = g.start else { return };
    let out = g.out_edges();
    let mut queue = VecDeque::from([start]);
    g.nodes[start].reachable = true;
    while let Some(n) = queue.pop_front() {
        let mut next: Vec<usize> = out[n].iter().map(|&e| g.edges[e].to).collect();
        if matches!(g.nodes[n].kind, Kind::Scene(_)) {
            next.push(g.anywhere);
        }
        for m in next {
            if !g.nodes[m].reachable {
                g.nodes[m].reachable = true;
                queue.push_back(m);
            }
        }
    }
}
