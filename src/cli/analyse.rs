//! `deescalate analyse`: many playthroughs by a random trainee or a named policy, and what
//! they show about the scenario (endings, per temperament, scenes, scores).

use super::shared::load_or_report;
use crate::author::batch;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub scenario: PathBuf,
    #[arg(long, default_value_t = 2000)]
    pub runs: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Who plays: random (default), patient, rushed, silent, too-close, shouted, dismissive.
    #[arg(long, default_value = "random")]
    pub policy: String,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    let Args {
        scenario,
        runs,
        seed,
        policy,
        threads,
    } = a;
    let who = match policy.as_str() {
        "random" => batch::Trainee::Random,
        name => batch::Trainee::Policy(crate::explore::policy::Policy::parse(name).ok_or_else(
            || {
                let names: Vec<&str> = crate::explore::policy::Policy::ALL
                    .iter()
                    .map(|p| p.name())
                    .collect();
                format!("no trainee policy `{name}` (random, {})", names.join(", "))
            },
        )?),
    };
    let (sc, _) = load_or_report(&scenario)?;
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let started = std::time::Instant::now();
    let a = batch::analyse_with(&sc, runs, seed, threads, who);
    print!(
        "{}",
        crate::author::analysis::text(&sc, &a, who, seed, started.elapsed())
    );
    Ok(ExitCode::SUCCESS)
}
