//! Trainee progress: each trainee's runs over time (by when they started), per scoring
//! dimension, across scenarios — as a terminal table, CSV, and an HTML page with an inline
//! SVG line chart per trainee.
//!
//! Every run is re-simulated on its scenario, found by id and hash in the scenario folders,
//! as `class` does: a run that does not reproduce its stored result is marked and left out of
//! the trend. A run whose scenario is not at hand (or has changed since) is shown with the
//! scores stored in it, verified only if the academy's key signed it ([`crate::records::verify`]).
//!
//! By file: this one reads the folder into trainees and their runs; `describe` puts a run
//! and a trend in words; `text`, `csv` and `html` (with `page.css`) render them.

mod csv;
mod describe;
mod html;
mod text;

pub use self::csv::{CSV_HEADER, csv};
pub use describe::{attempt_label, date};
pub use html::html;
pub use text::text;

use crate::assess::score::SCORING_VERSION;
use crate::cohort::attempts::{RunFacts, attempt_numbers, new_temperament};
use crate::cohort::folder::{Read, Skipped, read_folder, replay_reason};
use crate::format::vocab::Outcome;
use crate::records::library::Library;
use crate::records::record::{Record, RecordKey, RecordResult};
use crate::records::verify::{ReplayCheck, Verification};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One run of one trainee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub file: String,
    /// Seconds since the Unix epoch (0 if unknown).
    pub started_unix: u64,
    pub scenario_id: String,
    pub cohort: Option<String>,
    pub seed: u64,
    pub ending: Option<String>,
    pub outcome: Option<Outcome>,
    pub duration: f32,
    /// distance, time, tone, verbal, overall (as in [`DIMS`]).
    pub scores: [f32; 5],
    /// The temperament met, when the scenario's subject varies.
    pub temperament: Option<String>,
    /// This trainee's attempt number at this scenario (1 = first; more = a repeat).
    pub attempt: u32,
    /// The first time this trainee met this temperament in this scenario.
    pub new_temperament: bool,
    /// The version of the scoring rules the scores shown are by: today's for a run that
    /// was re-simulated, else the record's (see [`Entry::older_rules`]).
    pub scoring_version: u32,
    /// Scored by this older version of the rules and re-scored with today's.
    pub rescored_from: Option<u32>,
    /// The record's run id (empty in records from before run ids).
    pub run_id: String,
    /// What re-simulating it and checking its signature found.
    pub verification: Verification,
}

impl Entry {
    /// Shown with scores by another version of the scoring rules than this program's (it
    /// could not be re-simulated, so not re-scored): not comparable with runs scored today.
    pub fn older_rules(&self) -> bool {
        self.scoring_version != SCORING_VERSION
    }

    /// Counted in the trend: nothing found against its scores.
    pub fn counted(&self) -> bool {
        !self.verification.contradicted()
    }
}

/// The dimensions in column order.
pub const DIMS: [&str; 5] = ["distance", "time", "tone", "verbal", "overall"];

/// One trainee (by the name in their records) and their runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trainee {
    pub name: String,
    /// Oldest first.
    pub runs: Vec<Entry>,
}

impl Trainee {
    pub fn scenarios(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.runs.iter().map(|r| r.scenario_id.as_str()).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// A folder of records read as trainees' progress, and the files that could not be used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub folder: PathBuf,
    /// By name.
    pub trainees: Vec<Trainee>,
    pub skipped: Vec<Skipped>,
}

/// Read every record in `folder` and group the runs by trainee, oldest first (ties by file
/// name), finding scenarios in the default folders ([`Library::new`]). Unreadable files are
/// listed in [`Progress::skipped`] with a reason.
pub fn load(folder: &Path) -> Result<Progress, String> {
    load_with(folder, &mut Library::new(&[]), None)
}

/// [`load`] with the scenario folders to re-simulate on and the academy key to check
/// signatures with.
pub fn load_with(
    folder: &Path,
    library: &mut Library,
    key: Option<&RecordKey>,
) -> Result<Progress, String> {
    let f = read_folder(folder, key)?;
    let mut skipped = f.skipped;
    let mut entries: Vec<(String, Entry)> = f
        .records
        .into_iter()
        .map(|read| (read.record.trainee.trim().to_string(), entry(read, library)))
        .collect();
    drop_copies(&mut entries, &mut skipped);
    if entries.is_empty() && skipped.is_empty() {
        return Err(format!(
            "{}: no session records (*.json) in this folder",
            folder.display()
        ));
    }
    let mut by: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for (name, e) in entries {
        by.entry(name).or_default().push(e);
    }
    let trainees = by
        .into_iter()
        .map(|(name, mut runs)| {
            runs.sort_by(|a, b| {
                a.started_unix
                    .cmp(&b.started_unix)
                    .then(a.file.cmp(&b.file))
            });
            mark_attempts(&name, &mut runs);
            Trainee { name, runs }
        })
        .collect();
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Progress {
        folder: folder.to_path_buf(),
        trainees,
        skipped,
    })
}

/// One record as a progress entry: re-simulated on its scenario if the scenario folders
/// have it, with the scores that gives (re-scored, for a record scored by older rules).
fn entry(read: Read, library: &mut Library) -> Entry {
    let r = read.record;
    let (replay, res, rescored_from) = resimulate(&r, library);
    Entry {
        file: read.file,
        started_unix: r.started_unix,
        scenario_id: r.scenario_id.clone(),
        cohort: r.cohort.clone(),
        seed: r.seed,
        ending: res.ending.clone(),
        outcome: res.outcome,
        duration: res.duration,
        scores: [res.distance, res.time, res.tone, res.verbal, res.overall],
        temperament: r.temperament.clone(),
        attempt: 0,
        new_temperament: false,
        scoring_version: if rescored_from.is_some() {
            SCORING_VERSION
        } else {
            r.scoring_version
        },
        rescored_from,
        run_id: r.run_id,
        verification: Verification {
            replay,
            signature: read.signature,
        },
    }
}

/// What re-simulating `r` found, the result to show, and the scoring version it was
/// re-scored from.
fn resimulate(r: &Record, library: &mut Library) -> (ReplayCheck, RecordResult, Option<u32>) {
    let found = match library.find(&r.scenario_id, &r.scenario_hash) {
        Ok(f) => f,
        Err(_) => {
            let why = format!(
                "scenario `{}` is not in the scenario folders",
                r.scenario_id
            );
            return (ReplayCheck::NotChecked(why), r.result.clone(), None);
        }
    };
    let replayed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        r.replay_rescoring(Arc::clone(&found.scenario))
    }));
    match replayed {
        Ok(Ok(x)) => match x.rescored {
            Some(s) => (ReplayCheck::Rescored(s.from), s.now, Some(s.from)),
            None => (ReplayCheck::Reproduced, r.result.clone(), None),
        },
        Ok(Err(e)) if found.is_exact(&r.scenario_hash) => (
            ReplayCheck::Differs(replay_reason(&e)),
            r.result.clone(),
            None,
        ),
        Ok(Err(_)) => {
            let why = format!(
                "its scenario file has changed since the run ({} is another version)",
                found.path.display()
            );
            (ReplayCheck::NotChecked(why), r.result.clone(), None)
        }
        Err(_) => {
            let why = "the simulation stopped with an internal error".to_string();
            (ReplayCheck::NotChecked(why), r.result.clone(), None)
        }
    }
}

/// Records with the same run id are copies of one run: keep one (the first whose content
/// holds up, else the first) and list the others.
fn drop_copies(entries: &mut Vec<(String, Entry)>, skipped: &mut Vec<Skipped>) {
    let mut keep: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (_, e)) in entries.iter().enumerate() {
        if e.run_id.is_empty() {
            continue;
        }
        let better = match keep.get(&e.run_id) {
            None => true,
            Some(&k) => entries[k].1.verification.contradicted() && !e.verification.contradicted(),
        };
        if better {
            keep.insert(e.run_id.clone(), i);
        }
    }
    let kept_file: BTreeMap<String, String> = keep
        .iter()
        .map(|(id, &i)| (id.clone(), entries[i].1.file.clone()))
        .collect();
    for (i, (name, e)) in std::mem::take(entries).into_iter().enumerate() {
        if e.run_id.is_empty() || keep.get(&e.run_id) == Some(&i) {
            entries.push((name, e));
            continue;
        }
        let first = kept_file.get(&e.run_id).cloned().unwrap_or_default();
        skipped.push(Skipped {
            reason: format!(
                "the same run as {first} (run id {}); counted once",
                e.run_id
            ),
            file: e.file,
        });
    }
}

/// Numbers each run's attempt at its scenario and marks temperaments met for the first time.
fn mark_attempts(name: &str, runs: &mut [Entry]) {
    let facts: Vec<RunFacts> = runs
        .iter()
        .map(|r| RunFacts {
            trainee: name.to_string(),
            scenario_id: r.scenario_id.clone(),
            started_unix: r.started_unix,
            order_key: r.file.clone(),
            temperament: r.temperament.clone(),
            outcome: r.outcome,
            overall: r.scores[4],
        })
        .collect();
    let attempts = attempt_numbers(&facts);
    let new = new_temperament(&facts);
    for ((r, a), n) in runs.iter_mut().zip(attempts).zip(new) {
        r.attempt = a;
        r.new_temperament = n;
    }
}

impl Progress {
    pub fn names(&self) -> Vec<&str> {
        self.trainees.iter().map(|t| t.name.as_str()).collect()
    }

    /// Only the trainee called `name` (exactly, or else ignoring case). An unknown name is
    /// an error that lists the known ones.
    pub fn only(&self, name: &str) -> Result<Progress, String> {
        let want = name.trim();
        let found = self.trainees.iter().find(|t| t.name == want).or_else(|| {
            let lower = want.to_lowercase();
            let ci: Vec<&Trainee> = self
                .trainees
                .iter()
                .filter(|t| t.name.to_lowercase() == lower)
                .collect();
            (ci.len() == 1).then(|| ci[0])
        });
        match found {
            Some(t) => Ok(Progress {
                folder: self.folder.clone(),
                trainees: vec![t.clone()],
                skipped: self.skipped.clone(),
            }),
            None if self.trainees.is_empty() => Err(format!(
                "no runs by trainee “{want}” in {}: the folder has no readable records",
                self.folder.display()
            )),
            None => Err(format!(
                "no runs by trainee “{want}” in {}; known trainees: {}",
                self.folder.display(),
                self.trainees
                    .iter()
                    .map(|t| format!("“{}”", t.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}
