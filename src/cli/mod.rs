//! The command line: one subcommand per file (its arguments and what it does), `shared` for
//! what several use. With no subcommand the 3D trainer opens (in builds with the `game`
//! feature). Errors are one sanitised line on stderr and exit 2.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod analyse;
mod check;
mod class;
mod debrief;
mod graph;
pub mod new;
#[cfg(feature = "game")]
mod play;
mod progress;
mod recover;
mod routes;
mod run;
mod shared;
pub mod test;
mod tone;

pub use shared::load_or_report;

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
    pub records: Option<std::path::PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and validate scenario files; problems are reported as file:line:col.
    Check(check::Args),
    /// Run the input scripts kept beside scenarios (in a folder named after the scenario, or
    /// in tests/transcripts/<name>/) and check their `# expect-` lines.
    Test(test::Args),
    /// Write a commented starter scenario, NAME.ron, that passes `check`.
    New(new::Args),
    /// Play a scenario headless from a scripted input file and print the debrief.
    Run(run::Args),
    /// List interrupted runs in the records folder and turn them into records. A run still
    /// being played (here, or on another PC sharing the folder) is left alone.
    Recover(recover::Args),
    /// Re-simulate a session record and print its debrief (it must reproduce exactly).
    Debrief(debrief::Args),
    /// Run many playthroughs of a scenario (a random trainee, or a named policy) and report
    /// how it behaves: endings, per temperament, scenes, scores. Random play proves nothing
    /// about whether an ending can be reached.
    Analyse(analyse::Args),
    /// Find a route to every ending: a runnable input script per ending (in --out DIR), how
    /// it fares across seeds and temperaments, and why any ending, scene, option or trigger
    /// is never reached.
    Routes(routes::Args),
    /// Draw a scenario as a graph of scenes, options, triggers and endings: one
    /// self-contained HTML page (--html) and/or Graphviz text (--dot; neither: DOT to stdout),
    /// with the route finder's route to each ending and, with --record, a session's path.
    Graph(graph::Args),
    /// Debrief a class: aggregate every session record in a folder (one scenario).
    Class(class::Args),
    /// Each trainee's scores over their runs, oldest first, across scenarios.
    Progress(progress::Args),
    /// Measure the tone of voice in WAV recordings: features, tone and reasons (exit 1: no speech).
    Tone(tone::Args),
    /// Open the 3D trainer straight into a scenario.
    #[cfg(feature = "game")]
    Play(play::Args),
    /// Open a session record in the 3D after-action review viewer (play, scrub, cameras).
    #[cfg(feature = "game")]
    Replay(play::ReplayArgs),
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
fn launch_default(records: Option<std::path::PathBuf>) -> ExitCode {
    crate::game::run(crate::game::Launch {
        records,
        ..Default::default()
    })
}

#[cfg(not(feature = "game"))]
fn launch_default(_records: Option<std::path::PathBuf>) -> ExitCode {
    use clap::CommandFactory;
    let _ = Cli::command().print_help();
    eprintln!("\n(This build has no 3D trainer: it was built without the `game` feature.)");
    ExitCode::from(2)
}

fn run_command(cmd: Command) -> Result<ExitCode, String> {
    match cmd {
        Command::Check(a) => check::run(a),
        Command::Test(a) => test::run(a),
        Command::New(a) => new::run(a),
        Command::Run(a) => run::run(a),
        Command::Recover(a) => recover::run(a),
        Command::Debrief(a) => debrief::run(a),
        Command::Analyse(a) => analyse::run(a),
        Command::Routes(a) => routes::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Class(a) => class::run(a),
        Command::Progress(a) => progress::run(a),
        Command::Tone(a) => tone::run(a),
        #[cfg(feature = "game")]
        Command::Play(a) => play::run(a),
        #[cfg(feature = "game")]
        Command::Replay(a) => play::replay(a),
    }
}
