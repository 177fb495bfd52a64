//! The `deescalate` command line.

use crate::assess::debrief;
use crate::author::batch;
use crate::check::{self, CheckReport};
use crate::format::scenario::Scenario;
use crate::records::record::{self, Record};
use crate::report;
use crate::sim::Sim;
use crate::sim::script::{Script, run_script_with};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

pub mod authoring;

#[derive(Parser, Debug)]
#[command(
    name = "deescalate",
    version,
    about = "De-escalation training simulator: walk up, talk, choose your tone — and read the debrief.",
    long_about = "De-escalation training simulator.\n\nWith no command it opens the 3D trainer (when built with the `game` feature).\nScenario files are RON; see docs/scenario-format.md.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no command: the records folder the trainer keeps its session records in
    /// (default: $DEESCALATE_RECORDS or ~/.local/share/deescalate/records). A command takes
    /// its own `--records` after its name.
    #[arg(long, value_name = "DIR")]
    pub records: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and validate scenario files; problems are reported as file:line:col.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print diagnostics as JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Check again every time a file is saved, until Ctrl-C.
        #[arg(long)]
        watch: bool,
    },
    /// Run the input scripts kept beside scenarios (in a folder named after the scenario, or
    /// in tests/transcripts/<name>/) and check their `# expect-` lines.
    Test {
        /// A scenario file, or a folder of them (default: scenarios/).
        path: Option<PathBuf>,
    },
    /// Write a commented starter scenario, NAME.ron, that passes `check`.
    New {
        /// The file to write (`.ron` is added if missing); an existing file is never replaced.
        name: PathBuf,
    },
    /// Play a scenario headless from a scripted input file and print the debrief.
    Run {
        scenario: PathBuf,
        /// The input script (see docs/scripts.md).
        #[arg(long)]
        script: PathBuf,
        /// RNG seed (overrides the script's `seed` line; default 1).
        #[arg(long)]
        seed: Option<u64>,
        /// Meet the subject in this temperament instead of the one the seed draws
        /// (overrides the script's `temperament` line).
        #[arg(long)]
        temperament: Option<String>,
        /// Trainee name for the record and debrief.
        #[arg(long)]
        trainee: Option<String>,
        /// Cohort / class label stored in the record.
        #[arg(long)]
        cohort: Option<String>,
        /// Also write the debrief as JSON to this file.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Also write the debrief as a self-contained HTML file.
        #[arg(long)]
        html: Option<PathBuf>,
        /// Write the session record to this file (default: a new file in the records folder).
        #[arg(long)]
        record: Option<PathBuf>,
        /// Records folder (default: $DEESCALATE_RECORDS or ~/.local/share/deescalate/records).
        #[arg(long)]
        records: Option<PathBuf>,
        /// Do not write a session record.
        #[arg(long)]
        no_record: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Simulate in (scaled) real time: sleep this many milliseconds per tick,
        /// journalling as the game does (used to test crash safety).
        #[arg(long, hide = true)]
        pace: Option<u64>,
    },
    /// List interrupted runs in the records folder and turn them into records. A run still
    /// being played (here, or on another PC sharing the folder) is left alone.
    Recover {
        #[arg(long)]
        records: Option<PathBuf>,
        /// A folder to find the runs' scenarios in (repeatable); then $DEESCALATE_SCENARIOS
        /// and the bundled scenarios/.
        #[arg(long = "scenarios", value_name = "DIR")]
        scenarios: Vec<PathBuf>,
    },
    /// Re-simulate a session record and print its debrief (it must reproduce exactly).
    Debrief {
        record: PathBuf,
        /// The scenario file (default: found by the record's scenario id and hash in the
        /// scenario folders).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// A folder to find the scenario in (repeatable); then $DEESCALATE_SCENARIOS and the
        /// bundled scenarios/.
        #[arg(long = "scenarios", value_name = "DIR")]
        scenarios: Vec<PathBuf>,
        /// The academy's record key, to check the record's signature (default: the file
        /// $DEESCALATE_RECORD_KEY names).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        #[arg(long)]
        json: Option<PathBuf>,
        #[arg(long)]
        html: Option<PathBuf>,
        #[arg(long, short)]
        quiet: bool,
    },
    /// Run many playthroughs of a scenario (a random trainee, or a named policy) and report
    /// how it behaves: endings, per temperament, scenes, scores. Random play proves nothing
    /// about whether an ending can be reached.
    Analyse {
        scenario: PathBuf,
        #[arg(long, default_value_t = 2000)]
        runs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Who plays: random (default), patient, rushed, silent, too-close, shouted, dismissive.
        #[arg(long, default_value = "random")]
        policy: String,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Find a route to every ending: a runnable input script per ending (in --out DIR), how
    /// it fares across seeds and temperaments, and why any ending, scene, option or trigger
    /// is never reached.
    Routes {
        scenario: PathBuf,
        /// Write one script per ending here, as DIR/<ending id>.txt.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Search with this temperament pinned (default: the one the seed draws).
        #[arg(long)]
        temperament: Option<String>,
        /// Most story states to explore.
        #[arg(long, default_value_t = 20_000)]
        budget: usize,
    },
    /// Draw a scenario as a graph of scenes, options, triggers and endings: one
    /// self-contained HTML page (--html) and/or Graphviz text (--dot; neither: DOT to stdout),
    /// with the route finder's route to each ending and, with --record, a session's path.
    Graph {
        scenario: PathBuf,
        /// Write the interactive page here (pan/zoom, search, routes, side panel).
        #[arg(long)]
        html: Option<PathBuf>,
        /// Write Graphviz text here (`dot -Tsvg FILE`).
        #[arg(long)]
        dot: Option<PathBuf>,
        /// Draw the path this session record took (replayed on SCENARIO).
        #[arg(long)]
        record: Option<PathBuf>,
        /// Do not run the route finder (no routes, nothing marked as never reached).
        #[arg(long)]
        no_routes: bool,
        /// Seed the route finder searches with.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Search with this temperament pinned (default: the one the seed draws).
        #[arg(long)]
        temperament: Option<String>,
        /// Most story states the route finder explores.
        #[arg(long, default_value_t = 20_000)]
        budget: usize,
    },
    /// Debrief a class: aggregate every session record in a folder (one scenario).
    Class {
        /// Folder of session records (*.json).
        folder: PathBuf,
        /// The scenario file (default: the scenario most records are for, found by id and hash
        /// in the scenario folders).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// A folder to find the scenario in (repeatable); then $DEESCALATE_SCENARIOS and the
        /// bundled scenarios/.
        #[arg(long = "scenarios", value_name = "DIR")]
        scenarios: Vec<PathBuf>,
        /// The academy's record key, to check signatures (default: $DEESCALATE_RECORD_KEY).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// Write a self-contained HTML slide deck for a projector.
        #[arg(long)]
        html: Option<PathBuf>,
        /// Write one CSV row per run.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Show trainees' real names (default: "Trainee A", "Trainee B", …).
        #[arg(long)]
        names: bool,
    },
    /// Each trainee's scores over their runs, oldest first, across scenarios.
    Progress {
        /// Folder of session records (*.json).
        folder: PathBuf,
        /// Only this trainee.
        #[arg(long)]
        trainee: Option<String>,
        /// A folder to find the runs' scenarios in, to re-simulate them (repeatable); then
        /// $DEESCALATE_SCENARIOS and the bundled scenarios/.
        #[arg(long = "scenarios", value_name = "DIR")]
        scenarios: Vec<PathBuf>,
        /// The academy's record key, to check signatures (default: $DEESCALATE_RECORD_KEY).
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// Write one CSV row per run.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write an HTML page with a chart per trainee.
        #[arg(long)]
        html: Option<PathBuf>,
    },
    /// Open the 3D trainer straight into a scenario.
    #[cfg(feature = "game")]
    Play {
        scenario: PathBuf,
        #[arg(long)]
        seed: Option<u64>,
        /// Meet the subject in this temperament instead of the one the seed draws.
        #[arg(long)]
        temperament: Option<String>,
        #[arg(long)]
        trainee: Option<String>,
        #[arg(long)]
        cohort: Option<String>,
        /// Hide the HUD (distance, agitation) whatever the scenario says.
        #[arg(long)]
        assessment: bool,
        #[arg(long)]
        records: Option<PathBuf>,
        /// Drive the run from an input script instead of the keyboard (demos, render tests).
        #[arg(long)]
        autoplay: Option<PathBuf>,
        /// Save screenshots of the briefing, gameplay and debrief into this folder, then quit.
        #[arg(long)]
        screenshots: Option<PathBuf>,
        /// Graphics preset for this run: low, medium or high (default: the saved setting,
        /// picked from the graphics adapter on first start).
        #[arg(long)]
        graphics: Option<String>,
        /// With --autoplay: measure N frames from the first gameplay frame, print one
        /// `benchmark:` line (fps, p50/p95 frame time, peak memory) and quit.
        #[arg(long, value_name = "N")]
        benchmark: Option<u32>,
    },
    /// Open a session record in the 3D after-action review viewer (play, scrub, cameras).
    #[cfg(feature = "game")]
    Replay {
        record: PathBuf,
        /// Records folder (for screenshots taken with F12 and interrupted runs).
        #[arg(long)]
        records: Option<PathBuf>,
        /// Save screenshots of the viewer (each camera) into this folder, then quit.
        #[arg(long)]
        screenshots: Option<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => launch_default(cli.records),
        Some(cmd) => match run_command(cmd) {
            Ok(code) => code,
            Err(msg) => {
                eprintln!("error: {}", crate::report::sanitize::terminal(&msg));
                ExitCode::from(2)
            }
        },
    }
}

/// The trainer from its scenario list, keeping records in `records` if given.
#[cfg(feature = "game")]
fn launch_default(records: Option<PathBuf>) -> ExitCode {
    crate::game::run(crate::game::Launch {
        records,
        ..Default::default()
    })
}

#[cfg(not(feature = "game"))]
fn launch_default(_records: Option<PathBuf>) -> ExitCode {
    use clap::CommandFactory;
    let _ = Cli::command().print_help();
    eprintln!("\n(This build has no 3D trainer: it was built without the `game` feature.)");
    ExitCode::from(2)
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Load a scenario, printing diagnostics (warnings too) to stderr.
pub fn load_or_report(path: &Path) -> Result<(Arc<Scenario>, CheckReport), String> {
    match check::load_scenario(path) {
        Ok((s, report)) => {
            if !report.diagnostics.is_empty() {
                eprint!("{}", report.render(color()));
            }
            Ok((Arc::new(s), report))
        }
        Err(report) => {
            eprint!("{}", report.render(color()));
            Err(format!(
                "{} has errors; fix them and try again",
                path.display()
            ))
        }
    }
}

fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    record::write_atomic(path, contents.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

fn emit(
    d: &debrief::Debrief,
    json: Option<&Path>,
    html: Option<&Path>,
    quiet: bool,
) -> Result<(), String> {
    if !quiet {
        print!("{}", report::text(d));
    }
    if let Some(p) = json {
        write_file(p, &report::json(d))?;
        if !quiet {
            eprintln!("debrief JSON written to {}", p.display());
        }
    }
    if let Some(p) = html {
        write_file(p, &report::html::render(d))?;
        if !quiet {
            eprintln!("debrief HTML written to {}", p.display());
        }
    }
    Ok(())
}

fn run_command(cmd: Command) -> Result<ExitCode, String> {
    match cmd {
        Command::Check { files, json, watch } => authoring::check_command(&files, json, watch),
        Command::Test { path } => authoring::test_command(path.as_deref()),
        Command::New { name } => authoring::new_command(&name),
        Command::Run {
            scenario,
            script,
            seed,
            temperament,
            trainee,
            cohort,
            json,
            html,
            record,
            records,
            no_record,
            quiet,
            pace,
        } => {
            let (sc, _) = load_or_report(&scenario)?;
            if !no_record {
                // An academy key that cannot be read is said now, not after the run.
                crate::records::verify::RecordKey::resolve(None)?;
            }
            let text = std::fs::read_to_string(&script)
                .map_err(|e| format!("{}: {e}", script.display()))?;
            let parsed = Script::parse(&text)
                .map_err(|e| format!("{}:{}:{}: {}", script.display(), e.line, e.col, e.message))?;
            let seed = seed.or(parsed.seed).unwrap_or(1);
            let temperament = temperament.or(parsed.temperament.clone());
            let trainee = trainee
                .or(parsed.trainee.clone())
                .unwrap_or_else(|| "trainee".into());
            let bytes =
                std::fs::read(&scenario).map_err(|e| format!("{}: {e}", scenario.display()))?;
            let hash = record::content_hash(&bytes);
            // Where the record goes; while running, a journal beside it keeps the inputs safe.
            let record_path = if no_record {
                None
            } else {
                Some(match record {
                    Some(p) => p,
                    None => record::records_dir(records.as_deref())
                        .join(record::unique_name(&sc.id, &trainee)),
                })
            };
            let mut journal = match &record_path {
                Some(p) => {
                    let dir = p
                        .parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .unwrap_or(Path::new("."));
                    let name = p
                        .file_name()
                        .map_or("record".into(), |n| n.to_string_lossy().to_string());
                    let header = crate::records::journal::JournalHeader::new(
                        &sc,
                        &hash,
                        Some(&scenario),
                        seed,
                        &trainee,
                        cohort.as_deref(),
                    )
                    .pinned(temperament.as_deref());
                    Some(
                        crate::records::journal::Journal::create(dir, &name, header).map_err(
                            |e| format!("{}: cannot start the journal: {e}", dir.display()),
                        )?,
                    )
                }
                None => None,
            };
            let mut sim = Sim::with_temperament(Arc::clone(&sc), seed, temperament.as_deref())
                .map_err(|e| e.to_string())?;
            let mut journal_error = None;
            let result = run_script_with(&mut sim, &parsed, |tick, input| {
                if let Some(j) = journal.as_mut() {
                    match j.push(tick, input) {
                        Ok(true) if pace.is_some() => println!("flushed {}", tick + 1),
                        Ok(_) => {}
                        Err(e) => journal_error = Some(e.to_string()),
                    }
                }
                if let Some(ms) = pace {
                    std::thread::sleep(std::time::Duration::from_millis(ms));
                }
            });
            if let Some(e) = journal_error {
                eprintln!(
                    "warning: the journal could not be written ({e}); the record is still written at the end"
                );
            }
            let log = result.map_err(|e| {
                format!("{}:{}: {}", script.display(), e.script_line.unwrap_or(0), e)
            })?;
            let d = debrief::build(&sc, &sim.result(), Some(&trainee));
            emit(&d, json.as_deref(), html.as_deref(), quiet)?;
            if let Some(path) = record_path {
                let rec = Record::new(
                    &sc,
                    hash,
                    Some(&scenario),
                    seed,
                    &trainee,
                    cohort.as_deref(),
                    log,
                    &d,
                );
                match journal {
                    Some(j) => {
                        let written = j.finish(&rec).map_err(|e| e.to_string())?;
                        if written != path {
                            rec.save(&path).map_err(|e| e.to_string())?;
                            let _ = std::fs::remove_file(&written);
                        }
                    }
                    None => rec.save(&path).map_err(|e| e.to_string())?,
                }
                if !quiet {
                    eprintln!("session record written to {}", path.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Debrief {
            record,
            scenario,
            scenarios,
            key,
            json,
            html,
            quiet,
        } => debrief_command(
            &record,
            scenario.as_deref(),
            &scenarios,
            key.as_deref(),
            (json.as_deref(), html.as_deref()),
            quiet,
        ),
        Command::Recover { records, scenarios } => recover_command(records.as_deref(), &scenarios),
        Command::Analyse {
            scenario,
            runs,
            seed,
            policy,
            threads,
        } => {
            let who = match policy.as_str() {
                "random" => batch::Trainee::Random,
                name => batch::Trainee::Policy(
                    crate::explore::policy::Policy::parse(name).ok_or_else(|| {
                        let names: Vec<&str> = crate::explore::policy::Policy::ALL
                            .iter()
                            .map(|p| p.name())
                            .collect();
                        format!("no trainee policy `{name}` (random, {})", names.join(", "))
                    })?,
                ),
            };
            let (sc, _) = load_or_report(&scenario)?;
            let threads = threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let started = std::time::Instant::now();
            let a = batch::analyse_with(&sc, runs, seed, threads, who);
            print!(
                "{}",
                crate::author::analysis::text(&sc, &a, who, seed, started.elapsed())
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Routes {
            scenario,
            out,
            seed,
            temperament,
            budget,
        } => routes_command(&scenario, out.as_deref(), seed, temperament, budget),
        Command::Graph {
            scenario,
            html,
            dot,
            record,
            no_routes,
            seed,
            temperament,
            budget,
        } => {
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
        Command::Class {
            folder,
            scenario,
            scenarios,
            key,
            html,
            csv,
            names,
        } => {
            let key = crate::records::verify::RecordKey::resolve(key.as_deref())?;
            let mut library = crate::records::library::Library::new(&scenarios);
            let class = crate::cohort::class::load_with(
                &folder,
                scenario.as_deref(),
                &mut library,
                key.as_ref(),
            )?;
            class_command(&class, html.as_deref(), csv.as_deref(), names)
        }
        Command::Progress {
            folder,
            trainee,
            scenarios,
            key,
            csv,
            html,
        } => {
            let key = crate::records::verify::RecordKey::resolve(key.as_deref())?;
            let mut library = crate::records::library::Library::new(&scenarios);
            let all = crate::cohort::progress::load_with(&folder, &mut library, key.as_ref())?;
            progress_command(all, trainee.as_deref(), csv.as_deref(), html.as_deref())
        }
        #[cfg(feature = "game")]
        Command::Play {
            scenario,
            seed,
            temperament,
            trainee,
            cohort,
            assessment,
            records,
            autoplay,
            screenshots,
            graphics,
            benchmark,
        } => {
            let graphics = match graphics.as_deref() {
                None => None,
                Some(g) => Some(
                    crate::game::graphics::Quality::parse(g)
                        .ok_or_else(|| format!("--graphics {g}: expected low, medium or high"))?,
                ),
            };
            if benchmark.is_some() && autoplay.is_none() {
                return Err("--benchmark needs --autoplay SCRIPT (the route to measure)".into());
            }
            Ok(crate::game::run(crate::game::Launch {
                scenario: Some(scenario),
                seed,
                temperament,
                trainee,
                cohort,
                assessment,
                records,
                autoplay,
                screenshots,
                graphics,
                benchmark,
                ..Default::default()
            }))
        }
        #[cfg(feature = "game")]
        Command::Replay {
            record,
            records,
            screenshots,
        } => {
            if !record.is_file() {
                return Err(format!("{}: no such session record", record.display()));
            }
            Ok(crate::game::run(crate::game::Launch {
                records,
                replay: Some(record),
                replay_screenshots: screenshots,
                ..Default::default()
            }))
        }
    }
}

/// `deescalate debrief`: re-simulate one record on its scenario (the file named, else the
/// one found by id and hash in the scenario folders), print its debrief and say what its
/// signature shows. Exit 1 when only the stored scores can be shown, or the signature does
/// not match.
fn debrief_command(
    path: &Path,
    scenario: Option<&Path>,
    scenarios: &[PathBuf],
    key: Option<&Path>,
    (json, html): (Option<&Path>, Option<&Path>),
    quiet: bool,
) -> Result<ExitCode, String> {
    let key = crate::records::verify::RecordKey::resolve(key)?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rec = Record::from_json(path, &text).map_err(|e| e.to_string())?;
    let signature = crate::records::verify::check(&text, key.as_ref());
    // A record scored by older rules that cannot be re-simulated still has scores: the
    // stored ones. Show them and say why they are not re-scored (exit 1).
    let old = !rec.scored_by_current_rules();
    let stored_only = |why: String| -> Result<ExitCode, String> {
        let report = rec.stored_scores_report(path, &why);
        print!("{}", crate::report::sanitize::terminal(&report));
        Ok(ExitCode::from(1))
    };
    let (sc, file, hash) = match find_scenario(&rec, scenario, scenarios) {
        Ok(found) => found,
        Err(e) if old => return stored_only(e),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    if hash != rec.scenario_hash {
        let file = crate::report::sanitize::terminal(&file.display().to_string());
        eprintln!("warning: {file} has changed since this record was made; replaying it anyway");
    }
    let replayed = match rec.replay_rescoring(sc) {
        Ok(r) => r,
        Err(e) if old => return stored_only(format!("it does not replay: {e}")),
        Err(e) => return Err(e.to_string()),
    };
    if let Some(x) = &replayed.rescored
        && !quiet
    {
        eprintln!("note: {}", x.summary());
    }
    emit(&replayed.debrief, json, html, quiet)?;
    Ok(signature_note(&signature, quiet))
}

/// The scenario of `rec`, the file it is in and that file's hash: the file named with
/// `--scenario`, else the one the scenario folders hold for its id and hash. No path stored
/// in the record is opened.
fn find_scenario(
    rec: &Record,
    named: Option<&Path>,
    scenarios: &[PathBuf],
) -> Result<(Arc<Scenario>, PathBuf, String), String> {
    if let Some(p) = named {
        if !p.is_file() {
            return Err(format!(
                "its scenario file was not found ({}; pass --scenario FILE)",
                p.display()
            ));
        }
        let (sc, _) = load_or_report(p)?;
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        return Ok((sc, p.to_path_buf(), record::content_hash(&bytes)));
    }
    let found = crate::records::library::Library::new(scenarios)
        .find(&rec.scenario_id, &rec.scenario_hash)
        .map_err(|e| format!("its scenario was not found: {e}"))?;
    Ok((found.scenario, found.path, found.hash))
}

/// Say on stderr what the record's signature shows; exit 1 if it does not match.
fn signature_note(check: &crate::records::verify::SignatureCheck, quiet: bool) -> ExitCode {
    use crate::records::verify::SignatureCheck as S;
    let note = match check {
        S::Mismatch => {
            eprintln!(
                "warning: the record's signature does not match: it was changed after it was \
                 written (the debrief above is re-simulated from its inputs; its trainee, \
                 cohort or notes may have been edited)"
            );
            return ExitCode::from(1);
        }
        S::NoKey => return ExitCode::SUCCESS,
        S::Valid => "signed with this academy's key, and unchanged since it was written".into(),
        S::Unsigned => "the record is not signed".into(),
        S::OtherKey(id) => {
            format!("signed with another key ({id}), so its signature is not checked")
        }
    };
    if !quiet {
        eprintln!("note: {note}");
    }
    ExitCode::SUCCESS
}

/// `deescalate recover`: every journal in the records folder. Interrupted runs become
/// records; runs still being played (here or on another PC) or being recovered by another
/// process are left alone.
fn recover_command(records: Option<&Path>, scenarios: &[PathBuf]) -> Result<ExitCode, String> {
    use crate::records::journal::State;
    use crate::report::sanitize::terminal;
    let dir = record::records_dir(records);
    let journals = crate::records::journal::journals(&dir);
    if journals.is_empty() {
        println!(
            "No interrupted runs in {}.",
            terminal(&dir.display().to_string())
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut library = crate::records::library::Library::new(scenarios);
    let mut failed = false;
    for path in journals {
        let name = crate::cohort::class::file_name(&path);
        let line = match crate::records::journal::state(&path) {
            State::Live(why) | State::Claimed(why) => Ok(format!("{name}: left alone: {why}.")),
            State::Interrupted(_) | State::Own => recover_one(&path, &mut library),
        };
        match line {
            Ok(msg) => println!("{}", terminal(&msg)),
            Err(e) => {
                failed = true;
                eprintln!("{}", terminal(&format!("{}: {e}", path.display())));
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Recover one interrupted run, its scenario found by id and hash.
fn recover_one(
    path: &Path,
    library: &mut crate::records::library::Library,
) -> Result<String, String> {
    let run = crate::records::journal::recover(path).map_err(|e| e.to_string())?;
    let h = &run.header;
    let found = library.find(&h.scenario_id, &h.scenario_hash)?;
    let changed = if found.is_exact(&h.scenario_hash) {
        String::new()
    } else {
        format!(" (on {}, changed since)", found.path.display())
    };
    match crate::records::journal::finalise_interrupted(&run, found.scenario) {
        Ok((rec, d)) => Ok(format!(
            "Recovered {}'s interrupted run of {}{changed} ({} of simulated time{}) → {}",
            h.trainee,
            h.scenario_id,
            crate::assess::score::clock(d.duration),
            if run.torn_lines > 0 {
                ", a torn last line was dropped"
            } else {
                ""
            },
            rec.display()
        )),
        Err(record::RecordError::InUse(_, why)) => {
            Ok(format!("{}: {why}.", crate::cohort::class::file_name(path)))
        }
        Err(e) => Err(e.to_string()),
    }
}

fn routes_command(
    scenario: &Path,
    out: Option<&Path>,
    seed: u64,
    temperament: Option<String>,
    budget: usize,
) -> Result<ExitCode, String> {
    let (sc, _) = load_or_report(scenario)?;
    let opts = crate::explore::routes::Options {
        seed,
        temperament,
        budget,
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let report = crate::explore::routes::find(&sc, &opts).map_err(|e| e.to_string())?;
    print!(
        "{}",
        crate::explore::routes::text(&sc, &report, started.elapsed())
    );
    if let Some(dir) = out {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for r in &report.routes {
            let path = dir.join(format!("{}.txt", safe_file_stem(&r.ending)));
            std::fs::write(&path, &r.script).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        println!(
            "\nWrote {} scripts to {}.",
            report.routes.len(),
            dir.display()
        );
    }
    Ok(if report.unreached.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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

/// A scenario id as a file name: letters, digits, `-` and `_` kept, anything else `_`.
fn safe_file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".into() } else { s }
}

fn class_command(
    class: &crate::cohort::class::Class,
    html: Option<&Path>,
    csv: Option<&Path>,
    names: bool,
) -> Result<ExitCode, String> {
    let summary = crate::cohort::class::Summary::of(class);
    print!("{}", crate::cohort::class::text(class, &summary, names));
    if class.runs.is_empty() {
        return Err(format!(
            "{}: none of the records could be used (see above); nothing written",
            class.folder.display()
        ));
    }
    if let Some(p) = csv {
        write_file(p, &crate::cohort::class::csv(class, names))?;
        eprintln!("class CSV written to {}", p.display());
    }
    if let Some(p) = html {
        write_file(p, &crate::cohort::class::html(class, &summary, names))?;
        eprintln!("class slides written to {}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_command(
    all: crate::cohort::progress::Progress,
    trainee: Option<&str>,
    csv: Option<&Path>,
    html: Option<&Path>,
) -> Result<ExitCode, String> {
    let p = match trainee {
        Some(name) => all.only(name)?,
        None => all,
    };
    print!("{}", crate::cohort::progress::text(&p));
    if let Some(f) = csv {
        write_file(f, &crate::cohort::progress::csv(&p))?;
        eprintln!("progress CSV written to {}", f.display());
    }
    if let Some(f) = html {
        write_file(f, &crate::cohort::progress::html(&p))?;
        eprintln!("progress HTML written to {}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}
