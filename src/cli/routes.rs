//! `deescalate routes`: a runnable input script to every ending, how each fares across seeds
//! and temperaments, and why anything is never reached.

use super::shared::{load_or_report, safe_file_stem};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub scenario: PathBuf,
    /// Write one script per ending here, as DIR/<ending id>.txt.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Search with this temperament pinned (default: the one the seed draws).
    #[arg(long)]
    pub temperament: Option<String>,
    /// Most story states to explore.
    #[arg(long, default_value_t = 20_000)]
    pub budget: usize,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    routes_command(
        &a.scenario,
        a.out.as_deref(),
        a.seed,
        a.temperament,
        a.budget,
    )
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
