//! Crash-safe journalling of a run in progress.
//!
//! While a scenario runs, its inputs are appended to `<records>/<name>.journal` as JSON
//! lines and flushed to disk once a second of simulated (= real, in the game) time, so
//! killing the program or losing power loses at most about a second. When the run ends
//! the finished record is written atomically next to it (`<name>.json`) and the journal
//! is removed. On the next start, leftover journals are interrupted runs: [`recover`]
//! rebuilds their input log (ignoring a torn last line) so they can be replayed and
//! debriefed, and [`finalise_interrupted`] turns one into an ordinary record.
//!
//! A journal's writer keeps a lease on it ([`crate::records::lease`]): a journal is recovered only
//! once its writer is gone, and only by the one process that claims it.
//!
//! ```text
//! {"journal":"deescalate-journal","version":1,"trainee":"…","scenario_id":"…",…}
//! {"tick":0,"trainee":{…}}
//! {"tick":12,"action":{"Say":{"option":"introduce","tone":"Calm"}}}
//! {"flushed":20}
//! ```

use crate::format::scenario::Scenario;
use crate::records::lease::{self, Claim, Heartbeat, Writer};
use crate::records::record::{Record, RecordError};
use crate::sim::script::{InputLog, LogEntry};
use crate::sim::{Sim, TICK_HZ, TickInput, TraineeState};
use crate::voice::Spoken;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const JOURNAL_FORMAT: &str = "deescalate-journal";
pub const JOURNAL_EXT: &str = "journal";
/// Flush to disk every this many ticks (one second).
pub const FLUSH_EVERY: u32 = TICK_HZ;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalHeader {
    pub journal: String,
    pub version: u32,
    pub trainee: String,
    #[serde(default)]
    pub cohort: Option<String>,
    pub scenario_id: String,
    pub scenario_hash: String,
    #[serde(default)]
    pub scenario_path: Option<String>,
    pub seed: u64,
    pub started_unix: u64,
    /// A temperament pinned for this run (none: the seed draws it).
    #[serde(default)]
    pub temperament: Option<String>,
    /// The run's unique id, given to its record (journals from before the field existed
    /// have none; [`recover`] derives one from the header).
    #[serde(default)]
    pub run_id: String,
}

impl JournalHeader {
    pub fn new(
        scenario: &Scenario,
        scenario_hash: &str,
        scenario_path: Option<&Path>,
        seed: u64,
        trainee: &str,
        cohort: Option<&str>,
    ) -> JournalHeader {
        JournalHeader {
            journal: JOURNAL_FORMAT.into(),
            version: 1,
            trainee: trainee.into(),
            cohort: cohort.map(String::from),
            scenario_id: scenario.id.clone(),
            scenario_hash: scenario_hash.into(),
            scenario_path: scenario_path.map(|p| p.display().to_string()),
            seed,
            started_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            temperament: None,
            run_id: crate::records::record::new_run_id(),
        }
    }

    /// The same header for a run whose temperament was pinned.
    pub fn pinned(mut self, temperament: Option<&str>) -> JournalHeader {
        self.temperament = temperament.map(String::from);
        self
    }
}

#[derive(Serialize, Deserialize)]
struct Flushed {
    flushed: u32,
}

/// An open journal for the run in progress, and its lease (renewed while this lives).
pub struct Journal {
    path: PathBuf,
    lease: Heartbeat,
    out: BufWriter<File>,
    header: JournalHeader,
    log: InputLog,
    last: Option<TraineeState>,
    last_flush: u32,
}

impl Journal {
    /// Create `<dir>/<name>.journal` (the record will be `<dir>/<name>.json`), its lease
    /// first so that the journal is never seen without one.
    pub fn create(dir: &Path, name: &str, header: JournalHeader) -> std::io::Result<Journal> {
        std::fs::create_dir_all(dir)?;
        let stem = name.strip_suffix(".json").unwrap_or(name);
        let path = dir.join(format!("{stem}.{JOURNAL_EXT}"));
        let lease = Heartbeat::start(&path)?;
        let file = std::fs::OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)?;
        let mut out = BufWriter::new(file);
        serde_json::to_writer(&mut out, &header)?;
        out.write_all(b"\n")?;
        out.flush()?;
        out.get_ref().sync_data()?;
        Ok(Journal {
            path,
            lease,
            out,
            header,
            log: InputLog::default(),
            last: None,
            last_flush: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn log(&self) -> &InputLog {
        &self.log
    }

    /// Record one tick's input. Flushes to disk once a second; returns `Ok(true)` when it did.
    pub fn push(&mut self, tick: u32, input: &TickInput) -> std::io::Result<bool> {
        self.push_spoken(tick, input, None)
    }

    /// [`Self::push`] with how the tick's line was measured from the voice.
    pub fn push_spoken(
        &mut self,
        tick: u32,
        input: &TickInput,
        voice: Option<Spoken>,
    ) -> std::io::Result<bool> {
        let before = self.log.entries.len();
        let mut last = self.last;
        self.log.push_spoken(tick, input, &mut last, voice);
        self.last = last;
        for e in &self.log.entries[before..] {
            serde_json::to_writer(&mut self.out, e)?;
            self.out.write_all(b"\n")?;
        }
        if tick + 1 >= self.last_flush + FLUSH_EVERY {
            self.flush(tick + 1)?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Write everything so far to disk, marking `ticks` as complete.
    pub fn flush(&mut self, ticks: u32) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, &Flushed { flushed: ticks })?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        self.out.get_ref().sync_data()?;
        self.last_flush = ticks;
        self.lease.flushed(ticks);
        Ok(())
    }

    /// The run ended: write the finished record atomically (with this run's id), then drop
    /// the journal and its lease.
    pub fn finish(mut self, record: &Record) -> Result<PathBuf, RecordError> {
        let _ = self.flush(self.log.ticks);
        let json = self.path.with_extension("json");
        let mut record = record.clone();
        if !self.header.run_id.is_empty() {
            record.run_id = self.header.run_id.clone();
        }
        record.save(&json)?;
        let _ = std::fs::remove_file(&self.path);
        Ok(json)
    }

    pub fn header(&self) -> &JournalHeader {
        &self.header
    }
}

/// A run that was interrupted, rebuilt from its journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Interrupted {
    pub path: PathBuf,
    pub header: JournalHeader,
    pub log: InputLog,
    /// Lines at the end that could not be read (a torn write), if any.
    pub torn_lines: usize,
}

#[derive(Debug)]
pub enum JournalError {
    Io(PathBuf, std::io::Error),
    BadHeader(PathBuf, String),
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            JournalError::BadHeader(p, e) => write!(
                f,
                "{}:1:1: not a deescalate journal (or its first line is damaged): {e}",
                p.display()
            ),
        }
    }
}

impl std::error::Error for JournalError {}

/// Read a journal, keeping every complete line before the first damaged one.
pub fn recover(path: &Path) -> Result<Interrupted, JournalError> {
    let bytes =
        crate::records::record::read_limited(path, crate::records::record::MAX_RECORD_BYTES)
            .map_err(|e| JournalError::Io(path.to_path_buf(), e))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let mut header: JournalHeader = serde_json::from_str(first.trim_end())
        .map_err(|e| JournalError::BadHeader(path.to_path_buf(), e.to_string()))?;
    if header.run_id.is_empty() {
        // The same journal always gives the same id, so recovering it twice gives one run.
        header.run_id = format!(
            "j{}",
            &crate::records::record::content_hash(first.as_bytes())[..31]
        );
    }
    if header.journal != JOURNAL_FORMAT {
        return Err(JournalError::BadHeader(
            path.to_path_buf(),
            "wrong format marker".into(),
        ));
    }
    let mut log = InputLog::default();
    let mut torn = 0;
    let mut flushed = 0;
    for line in lines.by_ref() {
        // A line without its newline was cut off mid-write.
        if !line.ends_with('\n') {
            torn += 1;
            break;
        }
        let l = line.trim_end();
        if let Ok(f) = serde_json::from_str::<Flushed>(l) {
            flushed = flushed.max(f.flushed);
        } else if let Ok(e) = serde_json::from_str::<LogEntry>(l) {
            if log.entries.last().is_some_and(|p| p.tick > e.tick) {
                torn += 1;
                break;
            }
            log.ticks = log.ticks.max(e.tick + 1);
            log.entries.push(e);
        } else {
            torn += 1;
            break;
        }
    }
    torn += lines.count();
    log.ticks = log.ticks.max(flushed);
    Ok(Interrupted {
        path: path.to_path_buf(),
        header,
        log,
        torn_lines: torn,
    })
}

/// Where a journal stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Its writer is gone (why): an interrupted run, to be recovered.
    Interrupted(String),
    /// Written by this very process: the caller knows whether its run is still open.
    Own,
    /// Its run is still being played (where); leave it alone.
    Live(String),
    /// Another process is recovering it (who).
    Claimed(String),
}

/// Where the journal at `path` stands: see [`State`].
pub fn state(path: &Path) -> State {
    match lease::writer(path) {
        Writer::Live(why) => State::Live(why),
        writer => match lease::claimed_by(path) {
            Some(who) => State::Claimed(who),
            None => match writer {
                Writer::Gone(why) => State::Interrupted(why),
                _ => State::Own,
            },
        },
    }
}

/// Leftover journals of interrupted runs in a records folder, in name order: not the ones
/// still being played, or being recovered, by another process (this process's own are
/// listed: see [`State::Own`]).
pub fn interrupted_runs(dir: &Path) -> Vec<PathBuf> {
    journals(dir)
        .into_iter()
        .filter(|p| matches!(state(p), State::Interrupted(_) | State::Own))
        .collect()
}

/// Every journal in a records folder, in name order, whatever its state.
pub fn journals(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == JOURNAL_EXT))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Turn an interrupted run into a normal record (re-simulated up to where it stopped)
/// next to its journal, then remove the journal. Returns the record path. Only when its
/// writer is gone, and under an exclusive claim ([`Claim`]): a run still being played, or
/// being recovered by another process, is refused ([`RecordError::InUse`]).
pub fn finalise_interrupted(
    run: &Interrupted,
    scenario: Arc<Scenario>,
) -> Result<(PathBuf, crate::assess::debrief::Debrief), RecordError> {
    let claim = Claim::take(&run.path)
        .map_err(|why| RecordError::InUse(run.path.clone(), why.to_string()))?;
    // Read it again under the claim: what is there now is what gets recovered.
    let run =
        &recover(&run.path).map_err(|e| RecordError::InUse(run.path.clone(), e.to_string()))?;
    let path = run.path.with_extension("json");
    if path.exists() {
        // The run has its record (it finished, or was recovered) but its journal was left.
        discard(&run.path);
        drop(claim);
        return Err(RecordError::InUse(
            run.path.clone(),
            format!("its record already exists: {}", path.display()),
        ));
    }
    let h = &run.header;
    let mut sim = Sim::with_temperament(Arc::clone(&scenario), h.seed, h.temperament.as_deref())
        .map_err(|e| RecordError::Replay(0, e))?;
    run.log
        .replay(&mut sim)
        .map_err(|(t, e)| RecordError::Replay(t, e))?;
    let debrief =
        crate::assess::debrief::build(&scenario, &sim.result(), Some(&run.header.trainee));
    let mut record = Record::new(
        &scenario,
        h.scenario_hash.clone(),
        h.scenario_path.as_deref().map(Path::new),
        h.seed,
        &h.trainee,
        h.cohort.as_deref(),
        run.log.clone(),
        &debrief,
    );
    record.started_unix = h.started_unix;
    record.run_id = h.run_id.clone();
    record
        .notes
        .push("Interrupted run, recovered from its journal.".into());
    record.save(&path)?;
    discard(&run.path);
    drop(claim);
    Ok((path, debrief))
}

/// Remove a journal and the lease its writer left.
fn discard(journal: &Path) {
    let _ = std::fs::remove_file(journal);
    let _ = std::fs::remove_file(lease::lease_path(journal));
}
