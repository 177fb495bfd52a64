//! `deescalate class`: the class debrief of a folder of records (one scenario), as text, CSV
//! and projector slides; one bad record never stops it.

use super::shared::write_file;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder of session records (*.json).
    pub folder: PathBuf,
    /// The scenario file (default: the scenario most records are for, found by id and hash
    /// in the scenario folders).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// A folder to find the scenario in (repeatable); then $DEESCALATE_SCENARIOS and the
    /// bundled scenarios/.
    #[arg(long = "scenarios", value_name = "DIR")]
    pub scenarios: Vec<PathBuf>,
    /// The academy's record key, to check signatures (default: $DEESCALATE_RECORD_KEY).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Write a self-contained HTML slide deck for a projector.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Write one CSV row per run.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Show trainees' real names (default: "Trainee A", "Trainee B", …).
    #[arg(long)]
    pub names: bool,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    let Args {
        folder,
        scenario,
        scenarios,
        key,
        html,
        csv,
        names,
    } = a;
    let key = crate::records::verify::RecordKey::resolve(key.as_deref())?;
    let mut library = crate::records::library::Library::new(&scenarios);
    let class =
        crate::cohort::class::load_with(&folder, scenario.as_deref(), &mut library, key.as_ref())?;
    class_command(&class, html.as_deref(), csv.as_deref(), names)
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
