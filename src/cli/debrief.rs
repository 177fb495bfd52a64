//! `deescalate debrief`: re-simulate one session record on its scenario (found by id and
//! hash, never by a path stored in the record), print its debrief and what its signature shows.

use super::shared::{emit, find_scenario, signature_note};
use crate::records::record::Record;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub record: PathBuf,
    /// The scenario file (default: found by the record's scenario id and hash in the
    /// scenario folders).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// A folder to find the scenario in (repeatable); then $DEESCALATE_SCENARIOS and the
    /// bundled scenarios/.
    #[arg(long = "scenarios", value_name = "DIR")]
    pub scenarios: Vec<PathBuf>,
    /// The academy's record key, to check the record's signature (default: the file
    /// $DEESCALATE_RECORD_KEY names).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    #[arg(long)]
    pub json: Option<PathBuf>,
    #[arg(long)]
    pub html: Option<PathBuf>,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    debrief_command(
        &a.record,
        a.scenario.as_deref(),
        &a.scenarios,
        a.key.as_deref(),
        (a.json.as_deref(), a.html.as_deref()),
        a.quiet,
    )
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
