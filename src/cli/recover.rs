//! `deescalate recover`: turn interrupted runs (journals whose writer is gone) into records;
//! runs still being played here or on another PC are left alone.

use crate::records::record;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long)]
    pub records: Option<PathBuf>,
    /// A folder to find the runs' scenarios in (repeatable); then $DEESCALATE_SCENARIOS
    /// and the bundled scenarios/.
    #[arg(long = "scenarios", value_name = "DIR")]
    pub scenarios: Vec<PathBuf>,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    recover_command(a.records.as_deref(), &a.scenarios)
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
