//! `deescalate play` and `deescalate replay`: the 3D trainer straight into a scenario, and a
//! session record in the after-action review viewer (only in builds with the `game` feature).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub scenario: PathBuf,
    #[arg(long)]
    pub seed: Option<u64>,
    /// Meet the subject in this temperament instead of the one the seed draws.
    #[arg(long)]
    pub temperament: Option<String>,
    #[arg(long)]
    pub trainee: Option<String>,
    #[arg(long)]
    pub cohort: Option<String>,
    /// Hide the HUD (distance, agitation) whatever the scenario says.
    #[arg(long)]
    pub assessment: bool,
    #[arg(long)]
    pub records: Option<PathBuf>,
    /// Drive the run from an input script instead of the keyboard (demos, render tests).
    #[arg(long)]
    pub autoplay: Option<PathBuf>,
    /// Save screenshots of the briefing, gameplay and debrief into this folder, then quit.
    #[arg(long)]
    pub screenshots: Option<PathBuf>,
    /// Graphics preset for this run: low, medium or high (default: the saved setting,
    /// picked from the graphics adapter on first start).
    #[arg(long)]
    pub graphics: Option<String>,
    /// With --autoplay: measure N frames from the first gameplay frame, print one
    /// `benchmark:` line (fps, p50/p95 frame time, peak memory) and quit.
    #[arg(long, value_name = "N")]
    pub benchmark: Option<u32>,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    let Args {
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
    } = a;
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

/// `deescalate replay`'s arguments.
#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    pub record: PathBuf,
    /// Records folder (for screenshots taken with F12 and interrupted runs).
    #[arg(long)]
    pub records: Option<PathBuf>,
    /// Save screenshots of the viewer (each camera) into this folder, then quit.
    #[arg(long)]
    pub screenshots: Option<PathBuf>,
}

pub fn replay(a: ReplayArgs) -> Result<ExitCode, String> {
    let ReplayArgs {
        record,
        records,
        screenshots,
    } = a;
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
