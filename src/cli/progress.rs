//! `deescalate progress`: each trainee's scores over their runs, oldest first, re-simulated.

use super::shared::write_file;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder of session records (*.json).
    pub folder: PathBuf,
    /// Only this trainee.
    #[arg(long)]
    pub trainee: Option<String>,
    /// A folder to find the runs' scenarios in, to re-simulate them (repeatable); then
    /// $DEESCALATE_SCENARIOS and the bundled scenarios/.
    #[arg(long = "scenarios", value_name = "DIR")]
    pub scenarios: Vec<PathBuf>,
    /// The academy's record key, to check signatures (default: $DEESCALATE_RECORD_KEY).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Write one CSV row per run.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write an HTML page with a chart per trainee.
    #[arg(long)]
    pub html: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    let Args {
        folder,
        trainee,
        scenarios,
        key,
        csv,
        html,
    } = a;
    let key = crate::records::verify::RecordKey::resolve(key.as_deref())?;
    let mut library = crate::records::library::Library::new(&scenarios);
    let all = crate::cohort::progress::load_with(&folder, &mut library, key.as_ref())?;
    progress_command(all, trainee.as_deref(), csv.as_deref(), html.as_deref())
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
