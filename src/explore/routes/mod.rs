//! The route finder behind `deescalate routes`: for every ending, a runnable input script
//! that reaches it (checked by running it), how robust it is across seeds and temperaments,
//! and for what cannot be reached, why — plus scenes, options and triggers never used.

mod explain;
mod search;

use crate::assess::expect::token;
use crate::format::scenario::Scenario;
use crate::sim::script::{Footprint, Script, in_cover, run_script};
use crate::sim::{DT, EventKind, Sim, SimError, TraineeState};
use search::{Node, Seen};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

/// How to search.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// Search with this temperament pinned (default: the one the seed draws).
    pub temperament: Option<String>,
    /// Most states to explore per pass.
    pub budget: usize,
    /// Check each route on seeds 1..=this.
    pub check_seeds: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 1,
            temperament: None,
            budget: 20_000,
            check_seeds: 20,
        }
    }
}

/// A way to reach one ending.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub ending: String,
    /// A complete input script with `# expect-` lines.
    pub script: String,
    /// True when only an instructor inject gets there.
    pub uses_injects: bool,
    /// On how many of seeds 1..=N (each drawing its own temperament) the script still ends here.
    pub seeds_ok: usize,
    pub seeds: usize,
    /// Per temperament (pinned, same seed): whether the script ends here.
    pub temperaments: Vec<(String, bool)>,
}

/// Everything `deescalate routes` reports.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub routes: Vec<Route>,
    /// Endings with no route, and why.
    pub unreached: Vec<(String, Vec<String>)>,
    pub scenes_never: Vec<(String, Vec<String>)>,
    /// (scene, option, why)
    pub options_never: Vec<(String, String, String)>,
    /// (where, why)
    pub triggers_never: Vec<(String, String)>,
    pub states: usize,
}

fn start_node(sc: &Arc<Scenario>, opts: &Options) -> Result<Node, SimError> {
    let sim = Sim::with_temperament(Arc::clone(sc), opts.seed, opts.temperament.as_deref())?;
    let sp = sc.place.trainee_spawn;
    let cover = Footprint::of_cover_props(sc);
    let subject = (sim.subject().spawn.x, sim.subject().spawn.z);
    let st = TraineeState {
        x: sp.x,
        z: sp.z,
        facing: sp.facing,
        in_cover: in_cover(&cover, (sp.x, sp.z), subject),
        ..TraineeState::default()
    };
    Ok(Node {
        sim,
        st,
        target: None,
        lines: Vec::new(),
    })
}

/// Finds a route to every ending of `sc` (a validated scenario).
pub fn find(sc: &Arc<Scenario>, opts: &Options) -> Result<Report, SimError> {
    let start = start_node(sc, opts)?;
    let want: Vec<String> = sc.endings.iter().map(|e| e.id.clone()).collect();
    let mut seen = Seen::default();
    // A broad look first (it finds the near endings and shows what the story does), then a
    // search aimed at each ending still missing, then the same with instructor injects.
    let broad = opts.budget / 10;
    let (mut found, tried) = search::explore(sc, start.clone(), false, broad, &want, &mut seen);
    roll_out(
        sc,
        &start,
        &tried,
        &want,
        opts.budget / 4,
        &mut found,
        &mut seen,
    );
    let per = opts.budget / want.len().max(1);
    for e in &want {
        if !found.contains_key(e)
            && let Some(n) = search::seek(sc, start.clone(), false, per, e, &mut seen)
        {
            found.insert(e.clone(), n);
        }
    }
    let plain: Vec<String> = found.keys().cloned().collect();
    for e in &want {
        if !found.contains_key(e)
            && !sc.injects.is_empty()
            && let Some(n) = search::seek(sc, start.clone(), true, per, e, &mut Seen::default())
        {
            found.insert(e.clone(), n);
        }
    }
    let mut report = Report {
        states: seen.nodes,
        ..Report::default()
    };
    for e in &sc.endings {
        match found.get(&e.id) {
            Some(node) => match route(sc, opts, &e.id, node, !plain.contains(&e.id)) {
                Ok(r) => report.routes.push(r),
                Err(why) => report.unreached.push((e.id.clone(), vec![why])),
            },
            None => report.unreached.push((
                e.id.clone(),
                explain::why_unreached(sc, &seen, "ending", &e.id),
            )),
        }
    }
    never_used(sc, &seen, &mut report);
    Ok(report)
}

/// Lets each named trainee policy play on from the start and from states the broad search
/// reached, keeping the first run that ends in an ending still missing. `budget` counts runs.
fn roll_out(
    sc: &Arc<Scenario>,
    start: &Node,
    tried: &[Node],
    want: &[String],
    budget: usize,
    found: &mut BTreeMap<String, Node>,
    seen: &mut Seen,
) {
    let cover = Footprint::of_cover_props(sc);
    let from = std::iter::once(start).chain(tried.iter());
    let mut runs = 0;
    for node in from {
        if want.iter().all(|w| found.contains_key(w)) || runs >= budget {
            return;
        }
        for policy in crate::explore::policy::Policy::ALL {
            runs += 1;
            seen.nodes += 1;
            let end = search::rollout(sc, node, policy, &cover);
            search::observe_run(&end.sim, seen);
            if let Some(e) = end.sim.ending()
                && !found.contains_key(&e.id)
            {
                found.insert(e.id.clone(), end);
            }
        }
    }
}

/// Scenes never reached, options never offered, triggers never fired.
fn never_used(sc: &Scenario, seen: &Seen, report: &mut Report) {
    for (i, s) in sc.scenes.iter().enumerate() {
        if !seen.ranges.contains_key(&i) {
            report.scenes_never.push((
                s.id.clone(),
                explain::why_unreached(sc, seen, "scene", &s.id),
            ));
            continue;
        }
        for (j, o) in s.options.iter().enumerate() {
            if !seen.offered.contains(&(i, j)) {
                let why = explain::why_not_offered(sc, seen, i, j);
                report.options_never.push((s.id.clone(), o.id.clone(), why));
            }
        }
        for k in 0..s.triggers.len() {
            if !seen.fired.contains(&(Some(i), k)) {
                let why = explain::why_not_fired(sc, seen, Some(i), k);
                report
                    .triggers_never
                    .push((format!("{} trigger {}", s.id, k + 1), why));
            }
        }
    }
    for k in 0..sc.triggers.len() {
        if !seen.fired.contains(&(None, k)) {
            let why = explain::why_not_fired(sc, seen, None, k);
            report
                .triggers_never
                .push((format!("scenario-wide trigger {}", k + 1), why));
        }
    }
}

/// The script text for a node's path (without expectations).
fn script_text(opts: &Options, node: &Node) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "seed {}", opts.seed);
    if let Some(t) = &opts.temperament {
        let _ = writeln!(o, "temperament {t}");
    }
    for (tick, cmd) in &node.lines {
        let _ = writeln!(o, "{:<7} {cmd}", format!("{:.1}", *tick as f32 * DT));
    }
    o
}

/// Runs `text` on `sc` with `seed`/`temperament` overriding its header; the ending reached.
fn ending_of(
    sc: &Arc<Scenario>,
    text: &str,
    seed: u64,
    temperament: Option<&str>,
) -> Option<String> {
    let mut script = Script::parse(text).ok()?;
    script.seed = Some(seed);
    if temperament.is_some() {
        script.temperament = temperament.map(String::from);
    }
    let mut sim = script.start(Arc::clone(sc)).ok()?;
    run_script(&mut sim, &script).ok()?;
    sim.ending().map(|e| e.id.clone())
}

/// Builds, checks and measures the route found for `ending`.
fn route(
    sc: &Arc<Scenario>,
    opts: &Options,
    ending: &str,
    node: &Node,
    injects: bool,
) -> Result<Route, String> {
    let body = script_text(opts, node);
    let script =
        Script::parse(&body).map_err(|e| format!("internal: the route does not parse ({e})"))?;
    let mut sim = script.start(Arc::clone(sc)).map_err(|e| e.to_string())?;
    run_script(&mut sim, &script).map_err(|e| format!("internal: the route does not run ({e})"))?;
    let r = sim.result();
    if r.ending.as_deref() != Some(ending) {
        return Err(format!(
            "internal: the route ended in {:?} when replayed",
            r.ending
        ));
    }
    let seeds = opts.check_seeds.max(1);
    let pinned = opts.temperament.as_deref();
    let seeds_ok = (1..=seeds)
        .filter(|&s| ending_of(sc, &body, s, pinned).as_deref() == Some(ending))
        .count();
    let temperaments = sc
        .variation
        .iter()
        .flat_map(|v| v.temperaments.iter())
        .map(|t| {
            let ok = ending_of(sc, &body, opts.seed, Some(&t.id)).as_deref() == Some(ending);
            (t.id.clone(), ok)
        })
        .collect();
    let header = header(sc, ending, &r, injects, seeds_ok, seeds);
    Ok(Route {
        ending: ending.to_string(),
        script: format!("{header}{body}"),
        uses_injects: injects,
        seeds_ok,
        seeds: seeds as usize,
        temperaments,
    })
}

fn header(
    sc: &Scenario,
    ending: &str,
    r: &crate::sim::SimResult,
    injects: bool,
    ok: usize,
    of: u64,
) -> String {
    let mut o = String::new();
    let title = sc.ending(ending).map_or(ending, |e| e.title.as_str());
    let _ = writeln!(o, "# A route to “{title}”, found by `deescalate routes`.");
    if injects {
        let _ = writeln!(
            o,
            "# Only an instructor inject gets here: nothing a trainee does alone reaches it."
        );
    }
    if r.temperament.is_some() {
        let _ = writeln!(
            o,
            "# It ends here on {ok} of seeds 1–{of} (each seed draws its own subject)."
        );
    }
    let _ = writeln!(o, "# expect-ending: {ending}");
    if let Some(out) = r.outcome {
        let _ = writeln!(o, "# expect-outcome: {out:?}");
    }
    if let Some(t) = &r.temperament {
        let _ = writeln!(o, "# expect-temperament: {t}");
    }
    let seq: Vec<String> = r
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::SceneEntered { .. }
                    | EventKind::Utterance { .. }
                    | EventKind::EndingReached { .. }
            )
        })
        .map(token)
        .collect();
    let _ = writeln!(o, "# expect-sequence: {}", seq.join(" "));
    o
}

/// The report as text for the terminal.
pub fn text(sc: &Scenario, rep: &Report, took: std::time::Duration) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — {} of {} endings reached ({} states explored in {:.2} s)\n",
        sc.title,
        rep.routes.len(),
        sc.endings.len(),
        rep.states,
        took.as_secs_f32()
    );
    for r in &rep.routes {
        let steps = r
            .script
            .lines()
            .filter(|l| !l.starts_with('#'))
            .count()
            .saturating_sub(1);
        let inj = if r.uses_injects {
            " (needs an instructor inject)"
        } else {
            ""
        };
        let _ = write!(o, "  ✓ {:<28} {steps} steps{inj}", r.ending);
        if !r.temperaments.is_empty() {
            let ts: Vec<String> = r
                .temperaments
                .iter()
                .map(|(t, ok)| format!("{t} {}", if *ok { "✓" } else { "✗" }))
                .collect();
            let _ = write!(o, "; seeds {}/{}; {}", r.seeds_ok, r.seeds, ts.join(", "));
        }
        o.push('\n');
    }
    for (e, why) in &rep.unreached {
        let _ = writeln!(o, "  ✗ {e}: no route found");
        for w in why {
            let _ = writeln!(o, "      - {w}");
        }
    }
    section(
        &mut o,
        "Scenes never reached",
        rep.scenes_never
            .iter()
            .map(|(s, w)| (s.clone(), w.join("; "))),
    );
    section(
        &mut o,
        "Options never offered",
        rep.options_never
            .iter()
            .map(|(s, op, w)| (format!("{s}/{op}"), w.clone())),
    );
    section(
        &mut o,
        "Triggers that never fired",
        rep.triggers_never
            .iter()
            .map(|(w, why)| (w.clone(), why.clone())),
    );
    crate::report::sanitize::terminal(&o)
}

fn section(o: &mut String, title: &str, rows: impl Iterator<Item = (String, String)>) {
    let rows: Vec<(String, String)> = rows.collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n{title}:");
    for (what, why) in rows {
        let _ = writeln!(o, "  {what}: {why}");
    }
}

/// Routes by ending id, for callers that write files.
pub fn by_ending(rep: &Report) -> BTreeMap<&str, &Route> {
    rep.routes.iter().map(|r| (r.ending.as_str(), r)).collect()
}
