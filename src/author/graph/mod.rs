//! `deescalate graph`: a scenario drawn as a graph of scenes, options, triggers, `OneOf`
//! branches and endings, as one self-contained HTML page (inline SVG, pan/zoom, search, the
//! route finder's routes, a session record's path) or as Graphviz text. `model` builds the
//! graph, `layout` places it, `html` and `dot` draw it, `walk` follows a run through it.

mod dot;
mod html;
mod layers;
mod layout;
mod model;
mod panels;
mod walk;

pub use dot::render as dot;
pub use html::render as html;
pub use layout::{Layout, Line, Proxy, Rect, Shape, layout};
pub use model::{build, condition_label, when_label};
pub use walk::walk;

use crate::explore::routes::Report;
use crate::format::scenario::Scenario;
use crate::format::vocab::Outcome;
use crate::records::record::Record;
use crate::sim::script::{Script, run_script};
use std::path::Path;
use std::sync::Arc;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Index into `scenes`.
    Scene(usize),
    /// Index into `endings`.
    Ending(usize),
    /// A `OneOf`: the story goes one of several ways from here.
    Branch,
    /// Any scene: where scenario-wide triggers and the time limit start.
    Anywhere,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    /// Some walk along the edges from the start scene gets here.
    pub reachable: bool,
}

impl Node {
    fn new(kind: Kind) -> Node {
        Node {
            kind,
            reachable: false,
        }
    }
}

/// What in the scenario makes an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An option's `next` (`tone_branch: None`) or one of its tone branches.
    Option {
        scene: usize,
        option: usize,
        tone_branch: Option<usize>,
    },
    /// A scene's trigger, or a scenario-wide one (`scene: None`).
    Trigger { scene: Option<usize>, index: usize },
    /// The time limit, which ends the run in `timeout_ending` wherever it is.
    Timeout,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub source: Source,
    /// The `OneOf` branch (index) this edge leaves a branch diamond by.
    pub branch: Option<usize>,
    /// Short plain text: the option id and tones, the trigger's condition, the branch's.
    pub label: String,
}

/// Scenes first (node `i` is scene `i`), then endings, then "any scene", then diamonds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub start: Option<usize>,
    pub anywhere: usize,
    /// How many scenes there are (endings start at this node index).
    pub scenes: usize,
}

impl Graph {
    pub fn scene_node(&self, i: usize) -> usize {
        i
    }

    pub fn ending_node(&self, i: usize) -> usize {
        self.scenes + i
    }

    fn push_edge(
        &mut self,
        from: usize,
        to: usize,
        source: Source,
        branch: Option<usize>,
        label: String,
    ) {
        self.edges.push(Edge {
            from,
            to,
            source,
            branch,
            label,
        });
    }

    /// Edge indices leaving each node.
    pub fn out_edges(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.nodes.len()];
        for (i, e) in self.edges.iter().enumerate() {
            out[e.from].push(i);
        }
        out
    }

    /// The id a person would use for node `n`: the scene or ending id.
    pub fn name<'a>(&self, sc: &'a Scenario, n: usize) -> &'a str {
        match self.nodes[n].kind {
            Kind::Scene(i) => &sc.scenes[i].id,
            Kind::Ending(i) => &sc.endings[i].id,
            Kind::Branch => "one of",
            Kind::Anywhere => "any scene",
        }
    }
}

/// The way a run went: nodes in order (a node visited twice is listed twice), the edges it
/// took, and moves no edge explains (an instructor forcing a scene).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Walk {
    pub nodes: Vec<usize>,
    pub edges: Vec<usize>,
    pub notes: Vec<String>,
}

/// The three outcome families endings are coloured (and marked) by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Deescalated,
    WithdrawnUnresolved,
    ForceFlightInjury,
}

impl Family {
    pub fn of(o: Outcome) -> Family {
        match o {
            o if o.is_deescalated() => Family::Deescalated,
            Outcome::TacticalWithdrawal | Outcome::Unresolved => Family::WithdrawnUnresolved,
            _ => Family::ForceFlightInjury,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Family::Deescalated => "de-escalated",
            Family::WithdrawnUnresolved => "withdrawn / unresolved",
            Family::ForceFlightInjury => "force / flight / injury",
        }
    }

    /// A mark that says the family without colour.
    pub fn mark(self) -> &'static str {
        match self {
            Family::Deescalated => "✓",
            Family::WithdrawnUnresolved => "◐",
            Family::ForceFlightInjury => "✕",
        }
    }

    /// The CSS class (and DOT fill colour key).
    pub fn class(self) -> &'static str {
        match self {
            Family::Deescalated => "good",
            Family::WithdrawnUnresolved => "mid",
            Family::ForceFlightInjury => "hard",
        }
    }
}

/// A session record's path, with a line saying whose run it was.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordPath {
    pub walk: Walk,
    pub caption: String,
}

/// Everything drawn over the bare graph.
#[derive(Debug, Clone, Default)]
pub struct Overlays {
    /// The route finder's report, if it ran.
    pub report: Option<Report>,
    /// For each route in `report`, the ending id and the walk its script makes.
    pub routes: Vec<(String, Walk)>,
    pub record: Option<RecordPath>,
}

/// Re-runs each route's script and follows it through `g`.
pub fn route_walks(g: &Graph, sc: &Arc<Scenario>, report: &Report) -> Vec<(String, Walk)> {
    report
        .routes
        .iter()
        .filter_map(|r| {
            let script = Script::parse(&r.script).ok()?;
            let mut sim = script.start(Arc::clone(sc)).ok()?;
            run_script(&mut sim, &script).ok()?;
            Some((r.ending.clone(), walk(g, sc, &sim.result().events)))
        })
        .collect()
}

/// Loads and replays the record at `path` on `sc` (the scenario named on the command line;
/// the path stored in the record is never followed) and follows it through `g`.
pub fn record_path(g: &Graph, sc: &Arc<Scenario>, path: &Path) -> Result<RecordPath, String> {
    let rec = Record::load(path).map_err(|e| e.to_string())?;
    let replayed = rec
        .replay_rescoring(Arc::clone(sc))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let d = &replayed.debrief;
    let ending = d.ending_title.as_deref().unwrap_or("no ending");
    let mut caption = format!(
        "{}'s run (seed {}{}) → {ending}",
        rec.trainee,
        rec.seed,
        rec.temperament
            .as_deref()
            .map(|t| format!(", {t}"))
            .unwrap_or_default()
    );
    if !rec.scored_by_current_rules() {
        caption.push_str(" (re-scored)");
    }
    Ok(RecordPath {
        walk: walk(g, sc, &d.events),
        caption,
    })
}
