//! A run's way through the graph: the nodes and edges a run's events went along, read from
//! `SceneEntered`, `Utterance`, `TriggerFired`, `Branched` and `EndingReached` events.
//! Used for the route finder's routes (re-run from their scripts) and for session records.

use super::{Graph, Source, Walk};
use crate::format::scenario::Scenario;
use crate::format::vocab::Tone;
use crate::sim::{Event, EventKind, InstructorAction, describe_next, describe_when};

/// What moved the story at a given tick.
enum Via {
    Option {
        scene: String,
        option: String,
        tone: Tone,
    },
    Trigger {
        scene: Option<String>,
        condition: String,
        target: String,
    },
    Instructor,
}

/// The walk `events` describe on `g`.
pub fn walk(g: &Graph, sc: &Scenario, events: &[Event]) -> Walk {
    let mut w = Walk::default();
    let mut cur: Option<usize> = None;
    let mut via: Option<(u32, Via)> = None;
    for ev in events {
        let to = match &ev.kind {
            EventKind::SceneEntered { scene } => sc.scene_index(scene).map(|i| g.scene_node(i)),
            EventKind::EndingReached { ending, .. } => {
                sc.ending_index(ending).map(|i| g.ending_node(i))
            }
            kind => {
                if let Some(v) = via_of(kind) {
                    via = Some((ev.tick, v));
                }
                continue;
            }
        };
        let Some(to) = to else { continue };
        let timed_out = matches!(
            ev.kind,
            EventKind::EndingReached {
                timed_out: true,
                ..
            }
        );
        match cur {
            None => w.nodes.push(to),
            Some(from) => {
                let how = via.take().filter(|(t, _)| *t == ev.tick).map(|(_, v)| v);
                step(g, sc, &mut w, from, to, how, timed_out);
            }
        }
        cur = Some(to);
    }
    w
}

fn via_of(kind: &EventKind) -> Option<Via> {
    match kind {
        EventKind::Utterance {
            scene,
            option,
            tone,
            ..
        } => Some(Via::Option {
            scene: scene.clone(),
            option: option.clone(),
            tone: *tone,
        }),
        EventKind::TriggerFired {
            scene,
            condition,
            target,
            ..
        } => Some(Via::Trigger {
            scene: scene.clone(),
            condition: condition.clone(),
            target: target.clone(),
        }),
        EventKind::Instructor {
            action: InstructorAction::ForceScene(_) | InstructorAction::ForceEnding(_),
        } => Some(Via::Instructor),
        _ => None,
    }
}

/// Records the move from `from` to `to`: the edges that explain it, or a note saying what
/// moved the story when no edge does (an instructor forcing a scene).
fn step(
    g: &Graph,
    sc: &Scenario,
    w: &mut Walk,
    from: usize,
    to: usize,
    how: Option<Via>,
    timed_out: bool,
) {
    let sources = match (&how, timed_out) {
        (_, true) => vec![Source::Timeout],
        (Some(v), false) => sources_of(sc, v),
        (None, false) => Vec::new(),
    };
    for src in sources {
        if let Some(path) = edges_for(g, src, from, to) {
            if g.edges[path[0]].from != from {
                w.nodes.push(g.edges[path[0]].from); // "any scene"
            }
            for &e in &path {
                if g.edges[e].to != to {
                    w.nodes.push(g.edges[e].to);
                }
            }
            w.edges.extend(path);
            w.nodes.push(to);
            return;
        }
    }
    let why = match how {
        Some(Via::Instructor) => "the instructor moved the story",
        _ => "nothing in the scenario explains the move",
    };
    w.notes
        .push(format!("{} → {}: {why}", g.name(sc, from), g.name(sc, to)));
    w.nodes.push(to);
}

/// The sources in the scenario that `via` may stand for (a trigger is known by its
/// condition and target, so several triggers can fit).
fn sources_of(sc: &Scenario, via: &Via) -> Vec<Source> {
    match via {
        Via::Option {
            scene,
            option,
            tone,
        } => {
            let Some(si) = sc.scene_index(scene) else {
                return Vec::new();
            };
            let s = &sc.scenes[si];
            let Some(oi) = s.options.iter().position(|o| &o.id == option) else {
                return Vec::new();
            };
            let o = &s.options[oi];
            let tone_branch = o.tone_branches.iter().position(|b| b.tones.contains(tone));
            vec![Source::Option {
                scene: si,
                option: oi,
                tone_branch,
            }]
        }
        Via::Trigger {
            scene,
            condition,
            target,
        } => {
            let scene = scene.as_ref().and_then(|s| sc.scene_index(s));
            let list = match scene {
                Some(si) => &sc.scenes[si].triggers,
                None => &sc.triggers,
            };
            list.iter()
                .enumerate()
                .filter(|(_, t)| {
                    &describe_when(&t.when) == condition && &describe_next(&t.goto) == target
                })
                .map(|(index, _)| Source::Trigger { scene, index })
                .collect()
        }
        Via::Instructor => Vec::new(),
    }
}

/// The one or two edges (through a branch diamond) from `from` to `to` made by `src`.
/// Scenario-wide triggers and the time limit start at "any scene", not at `from`.
fn edges_for(g: &Graph, src: Source, from: usize, to: usize) -> Option<Vec<usize>> {
    let starts_anywhere = matches!(src, Source::Timeout | Source::Trigger { scene: None, .. });
    let origin = if starts_anywhere { g.anywhere } else { from };
    let first = g
        .edges
        .iter()
        .position(|e| e.source == src && e.from == origin && e.branch.is_none())?;
    let mid = g.edges[first].to;
    if mid == to {
        return Some(vec![first]);
    }
    let second = g
        .edges
        .iter()
        .position(|e| e.source == src && e.from == mid && e.to == to && e.branch.is_some())?;
    Some(vec![first, second])
}
