//! `deescalate run`: play a scenario headless from an input script, print the debrief and
//! write the session record (journalled while it runs, as the trainer does).

use super::shared::{emit, load_or_report};
use crate::assess::debrief;
use crate::format::scenario::Scenario;
use crate::records::journal::{Journal, JournalHeader};
use crate::records::record::{self, Record};
use crate::sim::script::InputLog;
use crate::sim::script::{Script, run_script_with};
use crate::sim::{Sim, SimResult};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub struct Args {
    pub scenario: PathBuf,
    /// The input script (see docs/scripts.md).
    #[arg(long)]
    pub script: PathBuf,
    /// RNG seed (overrides the script's `seed` line; default 1).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Meet the subject in this temperament instead of the one the seed draws
    /// (overrides the script's `temperament` line).
    #[arg(long)]
    pub temperament: Option<String>,
    /// Trainee name for the record and debrief.
    #[arg(long)]
    pub trainee: Option<String>,
    /// Cohort / class label stored in the record.
    #[arg(long)]
    pub cohort: Option<String>,
    /// Also write the debrief as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Also write the debrief as a self-contained HTML file.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Write the session record to this file (default: a new file in the records folder).
    #[arg(long)]
    pub record: Option<PathBuf>,
    /// Records folder (default: $DEESCALATE_RECORDS or ~/.local/share/deescalate/records).
    #[arg(long)]
    pub records: Option<PathBuf>,
    /// Do not write a session record.
    #[arg(long)]
    pub no_record: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Simulate in (scaled) real time: sleep this many milliseconds per tick,
    /// journalling as the game does (used to test crash safety).
    #[arg(long, hide = true)]
    pub pace: Option<u64>,
}

/// What a run is: the scenario and its content hash, the parsed script, and who meets whom.
struct Setup {
    sc: Arc<Scenario>,
    hash: String,
    script: Script,
    seed: u64,
    temperament: Option<String>,
    trainee: String,
}

pub fn run(a: Args) -> Result<ExitCode, String> {
    let setup = prepare(&a)?;
    let record_path = (!a.no_record).then(|| match &a.record {
        Some(p) => p.clone(),
        None => record::records_dir(a.records.as_deref())
            .join(record::unique_name(&setup.sc.id, &setup.trainee)),
    });
    let mut journal = match &record_path {
        Some(p) => Some(start_journal(p, &a, &setup)?),
        None => None,
    };
    let (result, log) = play(&a, &setup, journal.as_mut())?;
    let d = debrief::build(&setup.sc, &result, Some(&setup.trainee));
    emit(&d, a.json.as_deref(), a.html.as_deref(), a.quiet)?;
    if let Some(path) = record_path {
        let rec = Record::new(
            &setup.sc,
            setup.hash.clone(),
            Some(&a.scenario),
            setup.seed,
            &setup.trainee,
            a.cohort.as_deref(),
            log,
            &d,
        );
        save(&rec, &path, journal)?;
        if !a.quiet {
            eprintln!("session record written to {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Load the scenario and the script; the command line wins over the script's own lines.
fn prepare(a: &Args) -> Result<Setup, String> {
    let (sc, _) = load_or_report(&a.scenario)?;
    if !a.no_record {
        // An academy key that cannot be read is said now, not after the run.
        crate::records::verify::RecordKey::resolve(None)?;
    }
    let text =
        std::fs::read_to_string(&a.script).map_err(|e| format!("{}: {e}", a.script.display()))?;
    let script = Script::parse(&text)
        .map_err(|e| format!("{}:{}:{}: {}", a.script.display(), e.line, e.col, e.message))?;
    let bytes = std::fs::read(&a.scenario).map_err(|e| format!("{}: {e}", a.scenario.display()))?;
    Ok(Setup {
        sc,
        hash: record::content_hash(&bytes),
        seed: a.seed.or(script.seed).unwrap_or(1),
        temperament: a.temperament.clone().or(script.temperament.clone()),
        trainee: (a.trainee.clone().or(script.trainee.clone())).unwrap_or_else(|| "trainee".into()),
        script,
    })
}

/// While the run plays, a journal beside the record keeps its inputs safe.
fn start_journal(record: &Path, a: &Args, setup: &Setup) -> Result<Journal, String> {
    let dir = record
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = record
        .file_name()
        .map_or("record".into(), |n| n.to_string_lossy().to_string());
    let header = JournalHeader::new(
        &setup.sc,
        &setup.hash,
        Some(&a.scenario),
        setup.seed,
        &setup.trainee,
        a.cohort.as_deref(),
    )
    .pinned(setup.temperament.as_deref());
    Journal::create(dir, &name, header)
        .map_err(|e| format!("{}: cannot start the journal: {e}", dir.display()))
}

/// Play the script through the engine, journalling every tick (at `--pace`, in real time).
fn play(
    a: &Args,
    setup: &Setup,
    mut journal: Option<&mut Journal>,
) -> Result<(SimResult, InputLog), String> {
    let mut sim = Sim::with_temperament(
        Arc::clone(&setup.sc),
        setup.seed,
        setup.temperament.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let mut journal_error = None;
    let result = run_script_with(&mut sim, &setup.script, |tick, input| {
        if let Some(j) = journal.as_deref_mut() {
            match j.push(tick, input) {
                Ok(true) if a.pace.is_some() => println!("flushed {}", tick + 1),
                Ok(_) => {}
                Err(e) => journal_error = Some(e.to_string()),
            }
        }
        if let Some(ms) = a.pace {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    });
    if let Some(e) = journal_error {
        eprintln!(
            "warning: the journal could not be written ({e}); the record is still written at the end"
        );
    }
    let log = result.map_err(|e| {
        format!(
            "{}:{}: {}",
            a.script.display(),
            e.script_line.unwrap_or(0),
            e
        )
    })?;
    Ok((sim.result(), log))
}

/// The journal becomes the record; saved under the asked-for name if it was written elsewhere.
fn save(rec: &Record, path: &Path, journal: Option<Journal>) -> Result<(), String> {
    let Some(j) = journal else {
        return rec.save(path).map_err(|e| e.to_string());
    };
    let written = j.finish(rec).map_err(|e| e.to_string())?;
    if written != path {
        rec.save(path).map_err(|e| e.to_string())?;
        let _ = std::fs::remove_file(&written);
    }
    Ok(())
}
