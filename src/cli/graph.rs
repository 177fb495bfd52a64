//! `deescalate graph`: the scenario as a graph of scenes, options, triggers and endings (HTML
//! page and/or Graphviz text), with the route finder's routes and a session's path.

use super::shared::{load_or_report, write_file};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub scenario: PathBuf,
    /// Write the interactive page here (pan/zoom, search, routes, side panel).
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Write Graphviz text here (`dot -Tsvg FILE`).
    #[arg(long)]
    pub dot: Option<PathBuf>,
    /// Draw the path this session record took (replayed on SCENARIO).
    #[arg(long)]
    pub record: Option<PathBuf>,
    /// Do not run the route finder (no routes, nothing marked as never reached).
    #[arg(long)]
    pub no_routes: bool,
    /// Seed the route finder searches with.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Search with this temperament pinned (default: the one the seed draws).
    #[arg(long)]
    pub temperament: Option<String>,
    /// Most story states the route finder explores.
    #[arg(long, default_value_t = 20_000)]
    pub budget: usize,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    let Args {
        scenario,
        html,
        dot,
        record,
        no_routes,
        seed,
        temperament,
        budget,
    } = a;
    let outputs = GraphOutputs {
        html: html.as_deref(),
        dot: dot.as_deref(),
        record: record.as_deref(),
    };
    let routes = (!no_routes).then(|| crate::explore::routes::Options {
        seed,
        temperament,
        budget,
        ..Default::default()
    });
    graph_command(&scenario, outputs, routes)
}

/// Where `deescalate graph` writes, and the record it draws.
struct GraphOutputs<'a> {
    html: Option<&'a Path>,
    dot: Option<&'a Path>,
    record: Option<&'a Path>,
}

fn graph_command(
    scenario: &Path,
    out: GraphOutputs,
    routes: Option<crate::explore::routes::Options>,
) -> Result<ExitCode, String> {
    use crate::author::graph;
    let (sc, _) = load_or_report(scenario)?;
    let g = graph::build(&sc);
    let mut ov = graph::Overlays::default();
    if let Some(opts) = routes {
        let report = crate::explore::routes::find(&sc, &opts).map_err(|e| e.to_string())?;
        ov.routes = graph::route_walks(&g, &sc, &report);
        ov.report = Some(report);
    }
    if let Some(r) = out.record {
        let path = graph::record_path(&g, &sc, r)?;
        for note in &path.walk.notes {
            eprintln!("note: {note}");
        }
        ov.record = Some(path);
    }
    let dot = graph::dot(&sc, &g, &ov);
    if let Some(p) = out.dot {
        write_file(p, &dot)?;
        eprintln!("Graphviz text written to {}", p.display());
    }
    if let Some(p) = out.html {
        let lay = graph::layout(&g);
        write_file(p, &graph::html(&sc, &g, &lay, &ov))?;
        eprintln!("scene graph written to {}", p.display());
    }
    if out.html.is_none() && out.dot.is_none() {
        print!("{dot}");
    }
    let unreachable = g
        .nodes
        .iter()
        .filter(|n| {
            !n.reachable && matches!(n.kind, graph::Kind::Scene(_) | graph::Kind::Ending(_))
        })
        .count();
    if unreachable > 0 {
        eprintln!("{unreachable} scenes or endings cannot be reached from the start scene");
    }
    Ok(ExitCode::SUCCESS)
}
