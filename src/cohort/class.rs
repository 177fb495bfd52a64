//! Class debrief: many trainees' session records of one scenario, re-simulated and
//! aggregated for a group debrief on a projector.
//!
//! [`load`] reads every `*.json` record in a folder (journals, temporary and hidden files
//! are ignored), skips the ones that cannot be used — corrupt, truncated, another format
//! version, another scenario, no longer replaying, a copy of a run already counted — each
//! with a one-line reason, and re-simulates the rest with [`Record::replay`] on the scenario
//! found by id and hash in the scenario folders ([`Library`]). [`Summary::of`] aggregates the debriefs:
//! outcomes, score distributions, how the class split at each decision point across
//! options and tones (and what followed), and the most common key moments. The renderers
//! are [`text`] (terminal), [`csv`] (one row per run) and [`html`] (one self-contained,
//! projector-friendly 16:9 slide deck with inline SVG charts).
//!
//! Trainees are anonymised by default: "Trainee A", "Trainee B", … in the order of their
//! first record's file name. Real names appear only when the caller asks for them.
//!
//! Every figure uses today's scoring rules ([`SCORING_VERSION`]). A record scored by
//! another version is re-scored from its re-simulation ([`Run::rescored`] says what
//! changed); one that cannot be re-simulated is not mixed into the figures but listed in
//! [`Class::not_rescored`] with the scores stored in it and the reason.

use crate::assess::debrief::Debrief;
use crate::assess::score::{SCORING_VERSION, clock};
use crate::format::scenario::Scenario;
use crate::format::vocab::{Outcome, Tone};
use crate::records::library::Library;
use crate::records::record::{
    RECORD_FORMAT, RECORD_VERSION, Record, RecordError, RecordKey, RecordResult, Rescored,
};
use crate::records::verify::{ReplayCheck, SignatureCheck, Verification};
use crate::report::{n0, n1};
use crate::sim::EventKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

// ---------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------

/// A record file that was left out, and why (one line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file name (no folder).
    pub file: String,
    pub reason: String,
}

/// One usable run: its record, the debrief from re-simulating it, and its anonymous label.
#[derive(Debug, Clone)]
pub struct Run {
    /// The file name (no folder).
    pub file: String,
    pub record: Record,
    pub debrief: Debrief,
    /// "Trainee A", "Trainee B", …: one letter per trainee, stable by file name.
    pub anon: String,
    /// `Some` when the record was scored by another version of the scoring rules and has
    /// been re-scored: the stored and the new scores.
    pub rescored: Option<Rescored>,
    /// It was re-simulated (that is how it got here), and what its signature says.
    pub verification: Verification,
}

impl Run {
    /// The trainee as shown: the real name with `names`, else the anonymous label.
    pub fn who(&self, names: bool) -> &str {
        who(&self.record, &self.anon, names)
    }

    /// The result the class debrief uses: the record's own, or the re-scored one.
    pub fn result(&self) -> &RecordResult {
        self.rescored
            .as_ref()
            .map_or(&self.record.result, |r| &r.now)
    }
}

fn who<'a>(record: &'a Record, anon: &'a str, names: bool) -> &'a str {
    match record.trainee.trim() {
        "" if names => "(no name)",
        name if names => name,
        _ => anon,
    }
}

/// A record scored by another version of the scoring rules that could not be re-simulated,
/// so it could not be re-scored either. It is shown with the scores stored in it and the
/// reason, and left out of the class figures (which all use today's rules).
#[derive(Debug, Clone)]
pub struct NotRescored {
    /// The file name (no folder).
    pub file: String,
    pub record: Record,
    /// Why it could not be re-simulated (one line).
    pub reason: String,
    pub anon: String,
    pub verification: Verification,
}

impl NotRescored {
    pub fn who(&self, names: bool) -> &str {
        who(&self.record, &self.anon, names)
    }

    /// Why this run's scores are the stored, older ones, and what they are (one line).
    pub fn explain(&self) -> String {
        let stored: Vec<String> = self
            .record
            .result
            .scores()
            .iter()
            .map(|(name, v)| format!("{name} {}", n0(*v)))
            .collect();
        format!(
            "scored with scoring version {} and not re-scored with version {SCORING_VERSION}, because it {}; its scores are the ones stored in it, by the version-{} rules ({}), so it is left out of the class figures",
            self.record.scoring_version,
            self.reason,
            self.record.scoring_version,
            stored.join(", ")
        )
    }
}

/// A folder of records for one scenario, ready to aggregate.
#[derive(Debug, Clone)]
pub struct Class {
    pub folder: PathBuf,
    pub scenario: Arc<Scenario>,
    pub scenario_path: PathBuf,
    /// In file-name order.
    pub runs: Vec<Run>,
    /// In file-name order.
    pub skipped: Vec<Skipped>,
    /// Records scored by another version of the scoring rules that could not be
    /// re-simulated (so not re-scored), in file-name order: listed, not in the figures.
    pub not_rescored: Vec<NotRescored>,
    /// Things worth knowing that did not cost a record (e.g. the scenario file changed).
    pub notes: Vec<String>,
}

/// The record files of a folder in name order: `*.json`, not hidden (temporary files of an
/// atomic write start with a dot), not journals.
pub fn record_files(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(folder)
        .map_err(|e| format!("{}: cannot read the records folder: {e}", folder.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            !name.starts_with('.')
                && p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                && p.is_file()
        })
        .collect();
    files.sort_by_key(|p| file_name(p));
    Ok(files)
}

pub(crate) fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    )
}

/// Read one record, or say in one line why it cannot be used.
pub fn read_record(path: &Path) -> Result<Record, String> {
    read_record_text(path).map(|(r, _)| r)
}

/// [`read_record`], with the file's text (for checking its signature).
pub fn read_record_text(path: &Path) -> Result<(Record, String), String> {
    let bytes =
        crate::records::record::read_limited(path, crate::records::record::MAX_RECORD_BYTES)
            .map_err(|e| format!("cannot be read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| "corrupt: not UTF-8 text".to_string())?;
    if text.trim().is_empty() {
        return Err("empty file (truncated to nothing)".into());
    }
    let record = parse_record(path, &text)?;
    Ok((record, text))
}

fn parse_record(path: &Path, text: &str) -> Result<Record, String> {
    match Record::from_json(path, text) {
        Ok(r) if r.format != RECORD_FORMAT => Err("not a deescalate session record".into()),
        Ok(r) if r.version != RECORD_VERSION => Err(format!(
            "record format version {}; this program reads version {RECORD_VERSION}",
            r.version
        )),
        Ok(r) => Ok(r),
        Err(RecordError::Parse {
            line, col, message, ..
        }) => {
            // Classify with serde_json itself: an early end is a truncated file, bad syntax
            // is corruption, and well-formed JSON of the wrong shape is a broken record.
            use serde_json::error::Category;
            match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                Err(e) if e.classify() == Category::Eof => Err(format!(
                    "truncated: the file ends in the middle of the record (line {line}, column {col})"
                )),
                Err(e) => Err(format!(
                    "corrupt: not valid JSON at line {}, column {} ({})",
                    e.line(),
                    e.column(),
                    one_line(&strip_position(&e.to_string()))
                )),
                Ok(_) => Err(format!(
                    "corrupt: not a valid record ({})",
                    one_line(&strip_position(&message))
                )),
            }
        }
        Err(RecordError::NotARecord(_)) => Err("not a deescalate session record".into()),
        Err(RecordError::NewerVersion(_, v)) => Err(format!(
            "record format version {v}; this program reads version {RECORD_VERSION}"
        )),
        Err(e) => Err(one_line(&e.to_string())),
    }
}

/// serde_json messages end in "at line L column C"; drop that (it is said separately).
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 160 {
        let mut t: String = s.chars().take(157).collect();
        t.push('…');
        t
    } else {
        s
    }
}

/// Why a replay failed, as one line.
pub(crate) fn replay_reason(e: &RecordError) -> String {
    match e {
        RecordError::Diverged { stored, replayed } => format!(
            "does not replay: re-simulating gave {} overall {:.1}, the record says {} overall {:.1} (the record, its scenario or the program changed since it was made)",
            replayed.ending.as_deref().unwrap_or("no ending"),
            replayed.overall,
            stored.ending.as_deref().unwrap_or("no ending"),
            stored.overall
        ),
        other => format!("does not replay: {}", one_line(&other.to_string())),
    }
}

/// "A", "B", … "Z", "AA", "AB", …
pub fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Load a scenario file named on the command line; an error carries the rendered diagnostics.
fn load_scenario_file(path: &Path) -> Result<(Scenario, String), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    match crate::check::load_scenario(path) {
        Ok((s, _)) => Ok((s, crate::records::record::content_hash(&bytes))),
        Err(report) => Err(format!(
            "{} has errors:\n{}",
            path.display(),
            report.render(false)
        )),
    }
}

/// One readable record file of a folder.
#[derive(Debug, Clone)]
pub struct Read {
    /// The file name (no folder).
    pub file: String,
    pub record: Record,
    /// What checking its signature with the academy's key found.
    pub signature: SignatureCheck,
}

/// The readable records of a folder and the files that are not.
pub struct Folder {
    /// Every `*.json` file considered.
    pub files: Vec<PathBuf>,
    /// In file-name order.
    pub records: Vec<Read>,
    pub skipped: Vec<Skipped>,
}

/// Read every record file of a folder ([`record_files`]), checking signatures with `key`. A
/// file identical to an earlier one is a copy of the same run (the same run id, or a record
/// from before run ids) and is skipped, so a run is never counted twice.
pub fn read_folder(folder: &Path, key: Option<&RecordKey>) -> Result<Folder, String> {
    let files = record_files(folder)?;
    let mut skipped = Vec::new();
    let mut records = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for path in &files {
        let file = file_name(path);
        match read_record_text(path) {
            Ok((record, text)) => {
                let digest = crate::records::record::content_hash(text.as_bytes());
                if let Some(first) = seen.get(&digest) {
                    let reason = format!("an identical copy of {first}; counted once");
                    skipped.push(Skipped { file, reason });
                    continue;
                }
                seen.insert(digest, file.clone());
                let signature = crate::records::verify::check(&text, key);
                records.push(Read {
                    file,
                    record,
                    signature,
                });
            }
            Err(reason) => skipped.push(Skipped { file, reason }),
        }
    }
    Ok(Folder {
        files,
        records,
        skipped,
    })
}

/// The scenario a class is debriefed on, its file and the file's hash.
struct Chosen {
    scenario: Arc<Scenario>,
    path: PathBuf,
    hash: String,
}

/// Load a folder of records for one scenario (`scenario` if given, else the one most records
/// are for), finding scenarios in the default folders ([`Library::new`]).
pub fn load(folder: &Path, scenario: Option<&Path>) -> Result<Class, String> {
    load_with(folder, scenario, &mut Library::new(&[]), None)
}

/// [`load`] with the scenario folders to search and the academy key to check signatures
/// with. Returns an error only when nothing can be debriefed (no folder, no records, no
/// scenario); every unusable record is listed in [`Class::skipped`].
pub fn load_with(
    folder: &Path,
    scenario: Option<&Path>,
    library: &mut Library,
    key: Option<&RecordKey>,
) -> Result<Class, String> {
    let Folder {
        files,
        records,
        mut skipped,
    } = read_folder(folder, key)?;
    let mut notes = Vec::new();
    let chosen = match scenario {
        Some(p) => {
            let (s, hash) = load_scenario_file(p)?;
            Chosen {
                scenario: Arc::new(s),
                path: p.to_path_buf(),
                hash,
            }
        }
        None => choose_scenario(folder, &files, &records, &skipped, library, &mut notes)?,
    };
    let (mut runs, mut not_rescored) = replay_all(records, &chosen, &mut skipped, &mut notes);
    rescored_note(&runs, &mut notes);
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    label_trainees(&mut runs, &mut not_rescored);
    Ok(Class {
        folder: folder.to_path_buf(),
        scenario: chosen.scenario,
        scenario_path: chosen.path,
        runs,
        skipped,
        not_rescored,
        notes,
    })
}

/// The scenario most records are for that is in the scenario folders (by id, and the hash
/// most of them were made with). A scenario nobody has never stops the class debrief.
fn choose_scenario(
    folder: &Path,
    files: &[PathBuf],
    records: &[Read],
    skipped: &[Skipped],
    library: &mut Library,
    notes: &mut Vec<String>,
) -> Result<Chosen, String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records {
        *counts.entry(r.record.scenario_id.as_str()).or_default() += 1;
    }
    if counts.is_empty() {
        return Err(nothing_readable(folder, files, skipped));
    }
    let mut ids: Vec<(&str, usize)> = counts.into_iter().collect();
    ids.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut missing = Vec::new();
    for &(id, n) in &ids {
        let hash = most_common_hash(records, id);
        match library.find(id, &hash) {
            Ok(found) => {
                if ids.len() > 1 {
                    notes.push(format!(
                        "The folder holds records for {} scenarios; debriefing `{id}` ({n} record{}). Use --scenario to choose another.",
                        ids.len(),
                        plural(n)
                    ));
                }
                for m in missing {
                    notes.push(format!("Not debriefed: {m}."));
                }
                return Ok(Chosen {
                    scenario: found.scenario,
                    path: found.path,
                    hash: found.hash,
                });
            }
            Err(e) => missing.push(one_line(&e)),
        }
    }
    Err(format!(
        "cannot debrief these records: {}; pass --scenario FILE",
        missing.join("; ")
    ))
}

/// The error when no record of a folder could be read.
fn nothing_readable(folder: &Path, files: &[PathBuf], skipped: &[Skipped]) -> String {
    if files.is_empty() {
        return format!(
            "{}: no session records (*.json) in this folder",
            folder.display()
        );
    }
    let mut m = format!(
        "{}: none of the {} record file{} could be read:",
        folder.display(),
        files.len(),
        plural(files.len())
    );
    for s in skipped {
        let _ = write!(m, "\n  {}: {}", s.file, s.reason);
    }
    m
}

fn most_common_hash(records: &[Read], id: &str) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records.iter().filter(|r| r.record.scenario_id == id) {
        *counts.entry(r.record.scenario_hash.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(h, _)| h.to_string())
        .unwrap_or_default()
}

/// Where one record goes in a class.
enum Placed {
    Run(Box<Run>),
    NotRescored(Box<NotRescored>),
    Skipped(Skipped),
}

/// Re-simulate `read` on the chosen scenario: a run if it reproduces (or, scored by older
/// rules, gives the same run); not re-scored if it is older and does not; else skipped.
fn place(read: Read, sc: &Arc<Scenario>) -> Placed {
    let Read {
        file,
        record,
        signature,
    } = read;
    if record.scenario_id != sc.id {
        let reason = format!(
            "a record of scenario `{}`, not `{}`",
            record.scenario_id, sc.id
        );
        return Placed::Skipped(Skipped { file, reason });
    }
    match replay_one(&record, sc) {
        Ok(r) => {
            let replay = r
                .rescored
                .as_ref()
                .map_or(ReplayCheck::Reproduced, |x| ReplayCheck::Rescored(x.from));
            Placed::Run(Box::new(Run {
                file,
                record,
                debrief: r.debrief,
                anon: String::new(),
                rescored: r.rescored,
                verification: Verification { replay, signature },
            }))
        }
        Err(reason) if record.scored_by_current_rules() => {
            Placed::Skipped(Skipped { file, reason })
        }
        // Scored by other rules and cannot be re-scored: say so, with its stored scores.
        Err(reason) => Placed::NotRescored(Box::new(NotRescored {
            file,
            record,
            verification: Verification {
                replay: ReplayCheck::NotChecked(reason.clone()),
                signature,
            },
            reason,
            anon: String::new(),
        })),
    }
}

/// Re-simulate every record of the chosen scenario ([`place`]), counting each run id once.
fn replay_all(
    records: Vec<Read>,
    chosen: &Chosen,
    skipped: &mut Vec<Skipped>,
    notes: &mut Vec<String>,
) -> (Vec<Run>, Vec<NotRescored>) {
    let (mut runs, mut not_rescored) = (Vec::new(), Vec::new());
    let mut by_run_id: BTreeMap<String, String> = BTreeMap::new();
    let mut changed = 0;
    for read in records {
        match place(read, &chosen.scenario) {
            Placed::Run(run) => {
                let id = &run.record.run_id;
                if let Some(first) = by_run_id.get(id) {
                    let reason = format!("the same run as {first} (run id {id}); counted once");
                    skipped.push(Skipped {
                        file: run.file,
                        reason,
                    });
                    continue;
                }
                if !id.is_empty() {
                    by_run_id.insert(id.clone(), run.file.clone());
                }
                changed += usize::from(run.record.scenario_hash != chosen.hash);
                runs.push(*run);
            }
            Placed::NotRescored(n) => not_rescored.push(*n),
            Placed::Skipped(s) => skipped.push(s),
        }
    }
    if changed > 0 {
        notes.push(format!(
            "{changed} record{} made with a different version of {}; {} replayed to the same result.",
            if changed == 1 { " was" } else { "s were" },
            chosen.path.display(),
            if changed == 1 { "it" } else { "they" }
        ));
    }
    (runs, not_rescored)
}

/// Re-simulate one record (a panic in the simulation is a reason, not a crash).
fn replay_one(
    rec: &Record,
    sc: &Arc<Scenario>,
) -> Result<crate::records::record::Replayed, String> {
    let scenario = Arc::clone(sc);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rec.replay_rescoring(scenario)
    })) {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(e)) => Err(replay_reason(&e)),
        Err(_) => Err("does not replay: the simulation stopped with an internal error".into()),
    }
}

/// The note that says which runs were re-scored with today's rules.
fn rescored_note(runs: &[Run], notes: &mut Vec<String>) {
    let rescored: Vec<u32> = runs
        .iter()
        .filter_map(|r| r.rescored.as_ref().map(|x| x.from))
        .collect();
    if rescored.is_empty() {
        return;
    }
    let mut from = rescored.clone();
    from.sort_unstable();
    from.dedup();
    let from: Vec<String> = from.iter().map(|v| v.to_string()).collect();
    notes.push(format!(
        "{} record{} scored with scoring version {}; {} re-scored with version {SCORING_VERSION} (the rules this debrief uses), and every score shown here is the re-scored one.",
        rescored.len(),
        if rescored.len() == 1 { " was" } else { "s were" },
        from.join(" or "),
        if rescored.len() == 1 { "it was" } else { "they were" },
    ));
}

/// [`assign_labels`] over the runs and the runs that could not be re-scored together (both
/// in file order), so a trainee keeps one letter across both.
fn label_trainees(runs: &mut [Run], not_rescored: &mut [NotRescored]) {
    let mut order: Vec<(&str, &str)> = runs
        .iter()
        .map(|r| (r.file.as_str(), r.record.trainee.trim()))
        .chain(
            not_rescored
                .iter()
                .map(|r| (r.file.as_str(), r.record.trainee.trim())),
        )
        .collect();
    order.sort();
    let mut letter: BTreeMap<String, String> = BTreeMap::new();
    for (_, trainee) in order {
        let n = letter.len();
        letter
            .entry(trainee.to_string())
            .or_insert_with(|| format!("Trainee {}", letters(n)));
    }
    for r in runs.iter_mut() {
        r.anon = letter
            .get(r.record.trainee.trim())
            .cloned()
            .unwrap_or_default();
    }
    for r in not_rescored.iter_mut() {
        r.anon = letter
            .get(r.record.trainee.trim())
            .cloned()
            .unwrap_or_default();
    }
}

/// Give each trainee a letter in the order their first run appears (runs are in file order).
pub fn assign_labels(runs: &mut [Run]) {
    let mut letter: BTreeMap<String, String> = BTreeMap::new();
    for r in runs.iter_mut() {
        let key = r.record.trainee.trim().to_string();
        let n = letter.len();
        let l = letter
            .entry(key)
            .or_insert_with(|| format!("Trainee {}", letters(n)));
        r.anon = l.clone();
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

// ---------------------------------------------------------------------------------------
// Aggregation
// ---------------------------------------------------------------------------------------

/// Five-number summary, mean and a 10-point histogram of one score.
///
/// Quartiles use linear interpolation between order statistics (the common "type 7"
/// definition, as in spreadsheets' `QUARTILE.INC` and NumPy's default): for sorted
/// values `x[0..n]`, the p-quantile is at position `(n - 1) · p`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    pub n: usize,
    pub min: f32,
    pub q1: f32,
    pub median: f32,
    pub q3: f32,
    pub max: f32,
    pub mean: f32,
    /// Counts in [0,10), [10,20), … [80,90), [90,100].
    pub bins: [usize; 10],
}

impl Distribution {
    pub fn of(values: &[f32]) -> Option<Distribution> {
        let mut v: Vec<f32> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f32::total_cmp);
        let q = |p: f32| {
            let h = (v.len() - 1) as f32 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(v.len() - 1);
            v[lo] + (h - lo as f32) * (v[hi] - v[lo])
        };
        let mut bins = [0; 10];
        for x in &v {
            bins[((x.clamp(0.0, 100.0) / 10.0).floor() as usize).min(9)] += 1;
        }
        Some(Distribution {
            n: v.len(),
            min: v[0],
            q1: q(0.25),
            median: q(0.5),
            q3: q(0.75),
            max: v[v.len() - 1],
            mean: v.iter().map(|&x| x as f64).sum::<f64>() as f32 / v.len() as f32,
            bins,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeCount {
    /// `None`: the run stopped before an ending was reached.
    pub outcome: Option<Outcome>,
    pub count: usize,
    /// Percentage of runs, 0–100.
    pub pct: f32,
}

impl OutcomeCount {
    pub fn label(&self) -> &'static str {
        self.outcome.map_or("no ending reached", |o| o.label())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndingCount {
    pub id: Option<String>,
    pub title: String,
    pub outcome: Option<Outcome>,
    pub count: usize,
    pub pct: f32,
}

/// What came next after a choice: the next scene entered or ending reached before the
/// trainee's next choice, or nothing (the conversation stayed in the scene).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Led {
    Scene(String),
    Ending(String),
    Stayed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedTo {
    pub to: Led,
    pub count: usize,
    /// The tones the choice was made in on the way there.
    pub tones: Vec<Tone>,
}

/// One option × tone cell of a decision point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub tone: Tone,
    pub count: usize,
    /// Mean change in agitation from the line itself (after − before).
    pub mean_delta: f32,
    pub led_to: Vec<LedTo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionSplit {
    pub option: String,
    pub text: String,
    /// Times chosen here (a run may choose it more than once).
    pub count: usize,
    /// Runs that chose it at least once.
    pub runs: usize,
    /// Counts per tone, in [`Tone::ALL`] order.
    pub by_tone: [usize; 5],
    pub mean_delta: f32,
    pub led_to: Vec<LedTo>,
    /// Non-empty cells only, in [`Tone::ALL`] order.
    pub cells: Vec<Cell>,
}

impl OptionSplit {
    pub fn tone_count(&self, t: Tone) -> usize {
        self.by_tone[t as usize]
    }
}

/// One scene where the trainees chose what to say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub scene: String,
    /// The subject's (first) line on entering the scene, for context.
    pub line: Option<String>,
    /// Runs that entered the scene.
    pub reached: usize,
    /// Choices made here, all runs together.
    pub choices: usize,
    /// Counts per tone over all options, in [`Tone::ALL`] order.
    pub by_tone: [usize; 5],
    /// In the scenario's option order; options nobody chose are left out.
    pub options: Vec<OptionSplit>,
}

impl Decision {
    pub fn option(&self, id: &str) -> Option<&OptionSplit> {
        self.options.iter().find(|o| o.option == id)
    }
}

/// Broad kinds of key moment, for grouping and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MomentKind {
    Said,
    ReactionaryGap,
    PersonalSpace,
    FastApproach,
    PartnerTalkedOver,
    Weapon,
    Outside,
    SteadyPresence,
    Other,
}

/// Key moments of one cause category across the class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MomentGroup {
    pub kind: MomentKind,
    pub category: String,
    /// Key moments in this category, all runs together.
    pub count: usize,
    /// Runs with at least one.
    pub runs: usize,
    /// Mean change in agitation over the moment.
    pub mean_delta: f32,
}

/// Everything the class debrief shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub scenario_id: String,
    pub scenario_title: String,
    pub runs: usize,
    pub trainees: usize,
    pub cohorts: Vec<String>,
    /// Runs whose outcome counts as de-escalated.
    pub deescalated: usize,
    /// Every outcome in [`Outcome::ALL`] order, then "no ending" if any run had none.
    pub outcomes: Vec<OutcomeCount>,
    /// Endings reached, most frequent first.
    pub endings: Vec<EndingCount>,
    /// `distance`, `time`, `tone`, `verbal`, `overall`.
    pub scores: Vec<(String, Distribution)>,
    pub mean_duration: f32,
    pub decisions: Vec<Decision>,
    /// Most common first.
    pub moments: Vec<MomentGroup>,
    /// First attempts apart from repeats, and per temperament met.
    pub groups: crate::cohort::attempts::Groups,
}

/// What the attempt and temperament grouping needs of each run.
pub fn run_facts(runs: &[Run]) -> Vec<crate::cohort::attempts::RunFacts> {
    runs.iter()
        .map(|r| crate::cohort::attempts::RunFacts {
            trainee: r.record.trainee.clone(),
            scenario_id: r.record.scenario_id.clone(),
            started_unix: r.record.started_unix,
            order_key: r.file.clone(),
            temperament: r.debrief.met.as_ref().map(|m| m.temperament.clone()),
            outcome: r.debrief.outcome,
            overall: r.debrief.scores.overall,
        })
        .collect()
}

/// The dimensions in display order: name and title.
pub const DIMENSIONS: [(&str, &str); 5] = [
    ("distance", "Distance & cover"),
    ("time", "Time & pacing"),
    ("tone", "Tone of voice"),
    ("verbal", "Verbal choices"),
    ("overall", "Overall"),
];

fn pct(n: usize, of: usize) -> f32 {
    if of == 0 {
        0.0
    } else {
        100.0 * n as f32 / of as f32
    }
}

fn mean(v: &[f32]) -> f32 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().map(|&x| x as f64).sum::<f64>() as f32 / v.len() as f32
    }
}

#[derive(Default)]
struct CellAcc {
    deltas: Vec<f32>,
    led: BTreeMap<Led, usize>,
    runs: BTreeSet<usize>,
}

fn led_list(map: &BTreeMap<(Led, Tone), usize>) -> Vec<LedTo> {
    let mut by: BTreeMap<Led, (usize, Vec<Tone>)> = BTreeMap::new();
    for ((l, t), n) in map {
        let e = by.entry(l.clone()).or_default();
        e.0 += n;
        if !e.1.contains(t) {
            e.1.push(*t);
        }
    }
    let mut v: Vec<LedTo> = by
        .into_iter()
        .map(|(to, (count, mut tones))| {
            tones.sort();
            LedTo { to, count, tones }
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.to.cmp(&b.to)));
    v
}

impl Summary {
    pub fn of(class: &Class) -> Summary {
        Summary::from_runs(&class.scenario, &class.runs)
    }

    pub fn from_runs(sc: &Scenario, runs: &[Run]) -> Summary {
        let n = runs.len();
        let by_attempt = crate::cohort::attempts::groups(&run_facts(runs));
        // Outcomes and endings.
        let mut outcomes: Vec<OutcomeCount> = Outcome::ALL
            .iter()
            .map(|&o| {
                let c = runs.iter().filter(|r| r.debrief.outcome == Some(o)).count();
                OutcomeCount {
                    outcome: Some(o),
                    count: c,
                    pct: pct(c, n),
                }
            })
            .collect();
        let none = runs.iter().filter(|r| r.debrief.outcome.is_none()).count();
        if none > 0 {
            outcomes.push(OutcomeCount {
                outcome: None,
                count: none,
                pct: pct(none, n),
            });
        }
        let mut ending_counts: BTreeMap<Option<String>, usize> = BTreeMap::new();
        for r in runs {
            *ending_counts
                .entry(r.debrief.ending_id.clone())
                .or_default() += 1;
        }
        let mut endings: Vec<EndingCount> = ending_counts
            .into_iter()
            .map(|(id, count)| {
                let e = id.as_deref().and_then(|i| sc.ending(i));
                EndingCount {
                    title: e.map_or_else(
                        || id.clone().unwrap_or_else(|| "(no ending reached)".into()),
                        |e| e.title.clone(),
                    ),
                    outcome: e.map(|e| e.outcome),
                    id,
                    count,
                    pct: pct(count, n),
                }
            })
            .collect();
        endings.sort_by(|a, b| b.count.cmp(&a.count).then(a.title.cmp(&b.title)));

        // Scores.
        let scores = DIMENSIONS
            .iter()
            .filter_map(|(name, _)| {
                let v: Vec<f32> = runs
                    .iter()
                    .filter_map(|r| r.debrief.scores.value(name))
                    .collect();
                Distribution::of(&v).map(|d| (name.to_string(), d))
            })
            .collect();

        // Decisions: scene → option → tone.
        let mut reached: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let mut acc: BTreeMap<(String, String, Tone), CellAcc> = BTreeMap::new();
        for (ri, r) in runs.iter().enumerate() {
            let ev = &r.debrief.events;
            for (i, e) in ev.iter().enumerate() {
                match &e.kind {
                    EventKind::SceneEntered { scene } => {
                        reached.entry(scene.clone()).or_default().insert(ri);
                    }
                    EventKind::Utterance {
                        scene,
                        option,
                        tone,
                        agitation_before,
                        agitation_after,
                        ..
                    } => {
                        let led = ev[i + 1..]
                            .iter()
                            .take_while(|x| {
                                !matches!(
                                    x.kind,
                                    EventKind::Utterance { .. } | EventKind::TacticalPause { .. }
                                )
                            })
                            .find_map(|x| match &x.kind {
                                EventKind::SceneEntered { scene } => {
                                    Some(Led::Scene(scene.clone()))
                                }
                                EventKind::EndingReached { ending, .. } => {
                                    Some(Led::Ending(ending.clone()))
                                }
                                _ => None,
                            })
                            .unwrap_or(Led::Stayed);
                        let a = acc
                            .entry((scene.clone(), option.clone(), *tone))
                            .or_default();
                        a.deltas.push(agitation_after - agitation_before);
                        *a.led.entry(led).or_default() += 1;
                        a.runs.insert(ri);
                    }
                    _ => {}
                }
            }
        }
        let mut scene_order: Vec<String> = sc.scenes.iter().map(|s| s.id.clone()).collect();
        for (s, _, _) in acc.keys() {
            if !scene_order.contains(s) {
                scene_order.push(s.clone());
            }
        }
        let mut decisions = Vec::new();
        for scene_id in &scene_order {
            let scene = sc.scenes.iter().find(|s| &s.id == scene_id);
            let mut option_order: Vec<String> = scene
                .map(|s| s.options.iter().map(|o| o.id.clone()).collect())
                .unwrap_or_default();
            for (s, o, _) in acc.keys() {
                if s == scene_id && !option_order.contains(o) {
                    option_order.push(o.clone());
                }
            }
            let mut options = Vec::new();
            let mut by_tone_all = [0; 5];
            for opt in &option_order {
                let mut by_tone = [0; 5];
                let mut deltas = Vec::new();
                let mut led: BTreeMap<(Led, Tone), usize> = BTreeMap::new();
                let mut run_set = BTreeSet::new();
                let mut cells = Vec::new();
                for t in Tone::ALL {
                    let Some(a) = acc.get(&(scene_id.clone(), opt.clone(), t)) else {
                        continue;
                    };
                    by_tone[t as usize] = a.deltas.len();
                    by_tone_all[t as usize] += a.deltas.len();
                    deltas.extend(a.deltas.iter().copied());
                    run_set.extend(a.runs.iter().copied());
                    let mut cell_led = BTreeMap::new();
                    for (l, c) in &a.led {
                        *led.entry((l.clone(), t)).or_default() += c;
                        cell_led.insert((l.clone(), t), *c);
                    }
                    cells.push(Cell {
                        tone: t,
                        count: a.deltas.len(),
                        mean_delta: mean(&a.deltas),
                        led_to: led_list(&cell_led),
                    });
                }
                if deltas.is_empty() {
                    continue;
                }
                let text = scene
                    .and_then(|s| s.options.iter().find(|o| &o.id == opt))
                    .map_or_else(|| opt.clone(), |o| o.text.clone());
                options.push(OptionSplit {
                    option: opt.clone(),
                    text,
                    count: deltas.len(),
                    runs: run_set.len(),
                    by_tone,
                    mean_delta: mean(&deltas),
                    led_to: led_list(&led),
                    cells,
                });
            }
            if options.is_empty() {
                continue;
            }
            decisions.push(Decision {
                scene: scene_id.clone(),
                line: scene.and_then(|s| s.lines.first().cloned()),
                reached: reached.get(scene_id).map_or(0, |s| s.len()),
                choices: options.iter().map(|o| o.count).sum(),
                by_tone: by_tone_all,
                options,
            });
        }

        // Key moments, grouped by cause.
        let mut groups: BTreeMap<(MomentKind, String), (Vec<f32>, BTreeSet<usize>)> =
            BTreeMap::new();
        for (ri, r) in runs.iter().enumerate() {
            for m in &r.debrief.key_moments {
                let kind = m
                    .event
                    .and_then(|i| r.debrief.events.get(i))
                    .map(|e| &e.kind);
                let (k, label) = moment_category(kind, &m.cause, &sc.subject.name);
                let g = groups.entry((k, label)).or_default();
                g.0.push(m.delta);
                g.1.insert(ri);
            }
        }
        let mut moments: Vec<MomentGroup> = groups
            .into_iter()
            .map(|((kind, category), (d, rs))| MomentGroup {
                kind,
                category,
                count: d.len(),
                runs: rs.len(),
                mean_delta: mean(&d),
            })
            .collect();
        moments.sort_by(|a, b| {
            b.runs
                .cmp(&a.runs)
                .then(b.count.cmp(&a.count))
                .then(b.mean_delta.abs().total_cmp(&a.mean_delta.abs()))
                .then(a.category.cmp(&b.category))
        });

        let trainees: BTreeSet<&str> = runs.iter().map(|r| r.record.trainee.trim()).collect();
        let cohorts: BTreeSet<String> = runs
            .iter()
            .filter_map(|r| r.record.cohort.clone())
            .filter(|c| !c.trim().is_empty())
            .collect();
        Summary {
            scenario_id: sc.id.clone(),
            scenario_title: sc.title.clone(),
            runs: n,
            trainees: trainees.len(),
            cohorts: cohorts.into_iter().collect(),
            deescalated: runs.iter().filter(|r| r.debrief.deescalated).count(),
            outcomes,
            endings,
            scores,
            mean_duration: mean(&runs.iter().map(|r| r.debrief.duration).collect::<Vec<_>>()),
            decisions,
            moments,
            groups: by_attempt,
        }
    }

    pub fn score(&self, name: &str) -> Option<&Distribution> {
        self.scores.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    pub fn outcome_count(&self, o: Option<Outcome>) -> usize {
        self.outcomes
            .iter()
            .find(|c| c.outcome == o)
            .map_or(0, |c| c.count)
    }

    pub fn decision(&self, scene: &str) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.scene == scene)
    }
}

fn moment_category(kind: Option<&EventKind>, cause: &str, subject: &str) -> (MomentKind, String) {
    use crate::sim::Zone;
    match kind {
        Some(EventKind::Utterance { text, .. }) => (MomentKind::Said, format!("Said “{text}”")),
        Some(EventKind::Zone {
            zone: Zone::ReactionaryGap,
            ..
        }) => (
            MomentKind::ReactionaryGap,
            "Time inside the reactionary gap".into(),
        ),
        Some(EventKind::Zone { .. }) => (
            MomentKind::PersonalSpace,
            "Time inside personal space".into(),
        ),
        Some(EventKind::FastApproach { .. }) => {
            (MomentKind::FastApproach, "A fast approach".into())
        }
        Some(EventKind::PartnerTalksOver { .. }) => (
            MomentKind::PartnerTalkedOver,
            "The partner talked over the trainee".into(),
        ),
        Some(EventKind::Weapon { .. }) => (MomentKind::Weapon, "A drawn weapon".into()),
        Some(EventKind::Injected { line, by, .. }) => (
            MomentKind::Outside,
            match by.and_then(|v| crate::assess::debrief::voice_words(v, subject)) {
                Some(who) => format!("Outside event — {who}: “{line}”"),
                None => format!("Outside event: “{line}”"),
            },
        ),
        None if cause.contains("steady presence") => (
            MomentKind::SteadyPresence,
            format!("Steady presence without pressure: {subject} settled"),
        ),
        _ => (MomentKind::Other, cause.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// Small formatting helpers (shared with `progress`)
// ---------------------------------------------------------------------------------------

/// Escape text for HTML element content, attribute values and SVG.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A number for SVG coordinates: finite, at most two decimals.
pub(crate) fn n2(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Signed, one decimal, with a real minus sign.
pub(crate) fn signed(v: f32) -> String {
    let r = if v.is_finite() {
        (v * 10.0).round() / 10.0
    } else {
        0.0
    };
    if r > 0.0 {
        format!("+{}", n1(r))
    } else if r < 0.0 {
        format!("\u{2212}{}", n1(-r))
    } else {
        "0".into()
    }
}

/// One CSV field, RFC 4180: quoted when it holds a comma, quote, or line break (quotes
/// doubled). Text that a spreadsheet would run as a formula gets a leading `'`.
pub fn csv_field(s: &str) -> String {
    let s = if looks_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Whether a spreadsheet might read `s` as a formula: after any leading whitespace
/// (spreadsheets skip it, full-width and no-break spaces too), it starts with `=`, `+`, `-`
/// or `@`, or their full-width (`＝`) or small (`﹦`) forms, which some spreadsheets fold to
/// the ASCII ones.
fn looks_like_formula(s: &str) -> bool {
    let first = s.chars().find(|c| !c.is_whitespace() && *c != '\u{feff}');
    let leading_control = s.starts_with(['\t', '\r']);
    leading_control
        || first.is_some_and(|c| {
            matches!(
                c,
                '=' | '+'
                    | '-'
                    | '@'
                    | '\u{ff1d}'
                    | '\u{ff0b}'
                    | '\u{ff0d}'
                    | '\u{ff20}'
                    | '\u{fe66}'
                    | '\u{fe62}'
                    | '\u{fe63}'
                    | '\u{fe6b}'
            )
        })
}

/// The file-name-safe form of a name, as record file names use it.
pub(crate) fn slug(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    out.trim_matches('-').chars().take(40).collect()
}

/// A record file name with the trainees' names replaced by their anonymous labels, so a
/// file column does not undo the anonymisation. A name matches as its words in order,
/// separated by anything that is not a letter or digit, ignoring case: "Sam \"Doc\" Patel"
/// matches `sam-doc-patel`, `sam--doc--patel` and `Sam_Doc_Patel`.
pub fn redact_file(file: &str, runs: &[Run]) -> String {
    redact_names(
        file,
        runs.iter()
            .map(|r| (r.record.trainee.as_str(), r.anon.as_str())),
    )
}

/// [`redact_file`] with the trainees of every run of the class, re-scored or not.
fn redact_class_file(file: &str, class: &Class) -> String {
    redact_names(
        file,
        class
            .runs
            .iter()
            .map(|r| (r.record.trainee.as_str(), r.anon.as_str()))
            .chain(
                class
                    .not_rescored
                    .iter()
                    .map(|r| (r.record.trainee.as_str(), r.anon.as_str())),
            ),
    )
}

/// Replace each (trainee, label) pair's name in `file` by the label's slug.
fn redact_names<'a>(file: &str, names: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut pairs: Vec<(Vec<String>, String)> = names
        .map(|(trainee, anon)| (words(trainee), slug(anon)))
        .filter(|(w, _)| !w.is_empty())
        .collect();
    // Longer names first, so "Sam Lee Jones" wins over "Sam Lee".
    pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    pairs.dedup();
    let mut out = file.to_string();
    for (w, label) in pairs {
        out = replace_words(&out, &w, &label);
    }
    out
}

/// The lower-case ASCII letter-and-digit words of a name.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect()
}

/// Replace each run of `words` in `s` (whole words, any separators between) by `to`.
fn replace_words(s: &str, words: &[String], to: &str) -> String {
    let b = s.as_bytes();
    let alnum = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let mut out = String::new();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if alnum(i) && (i == 0 || !alnum(i - 1)) {
            // Try to match the words from here.
            let mut j = i;
            let mut ok = true;
            for (k, w) in words.iter().enumerate() {
                if k > 0 {
                    let sep = j;
                    while j < b.len() && !alnum(j) {
                        j += 1;
                    }
                    if j == sep {
                        ok = false;
                        break;
                    }
                }
                let end = j + w.len();
                if end > b.len() || !b[j..end].eq_ignore_ascii_case(w.as_bytes()) || alnum(end) {
                    ok = false;
                    break;
                }
                j = end;
            }
            if ok {
                out.push_str(&s[copied..i]);
                out.push_str(to);
                copied = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&s[copied..]);
    out
}

fn outcome_family(o: Option<Outcome>) -> &'static str {
    match o {
        Some(o) if o.is_deescalated() => "good",
        Some(Outcome::TacticalWithdrawal) | Some(Outcome::Unresolved) | None => "mid",
        Some(_) => "hard",
    }
}

fn led_label(l: &Led, sc: &Scenario, pretty: bool) -> String {
    match l {
        Led::Scene(s) if pretty => format!("→ {}", scene_title(s)),
        Led::Scene(s) => format!("→ {s}"),
        Led::Ending(e) => match sc.ending(e) {
            Some(en) => format!("→ ending: {}", en.title),
            None => format!("→ ending: {e}"),
        },
        Led::Stayed => "stayed in the scene".into(),
    }
}

// ---------------------------------------------------------------------------------------
// Terminal
// ---------------------------------------------------------------------------------------

fn text_bar(p: f32, width: usize) -> String {
    let n = ((p / 100.0) * width as f32)
        .round()
        .clamp(0.0, width as f32) as usize;
    "█".repeat(n)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// First attempts against repeats, and per temperament where it made a difference.
fn groups_text(o: &mut String, g: &crate::cohort::attempts::Groups) {
    let row = |o: &mut String, x: &crate::cohort::attempts::GroupStats| {
        let _ = writeln!(
            o,
            "  {:<22} {:>3} run{:<1}  {:>3}% de-escalated  mean overall {}",
            x.label,
            x.runs,
            plural(x.runs),
            n0(x.deescalated_pct()),
            n0(x.mean_overall)
        );
    };
    if g.repeats.runs > 0 {
        let _ = writeln!(
            o,
            "\nFIRST ATTEMPTS AND REPEATS (a repeat may be a remembered script)"
        );
        row(o, &g.first);
        row(o, &g.repeats);
    }
    if g.temperaments.len() > 1 && g.temperament_matters {
        let _ = writeln!(
            o,
            "\nBY TEMPERAMENT MET (the person was not the same for everyone)"
        );
        for t in &g.temperaments {
            row(o, t);
        }
    } else if g.temperaments.len() > 1 {
        let _ = writeln!(
            o,
            "\nTemperament met ({}) made little difference to outcomes or scores in this class.",
            g.temperaments
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The terminal summary, with every control character shown safely
/// ([`crate::report::sanitize::terminal`]): names, notes and file names come from the records.
pub fn text(class: &Class, s: &Summary, names: bool) -> String {
    crate::report::sanitize::terminal(&render_text(class, s, names))
}

fn render_text(class: &Class, s: &Summary, names: bool) -> String {
    let mut o = String::new();
    let rule = "─".repeat(78);
    let _ = writeln!(o, "{rule}");
    let _ = writeln!(
        o,
        "CLASS DEBRIEF — {} ({})",
        s.scenario_title, s.scenario_id
    );
    let _ = writeln!(
        o,
        "{} run{} by {} trainee{} from {}{}",
        s.runs,
        plural(s.runs),
        s.trainees,
        plural(s.trainees),
        class.folder.display(),
        if s.cohorts.is_empty() {
            String::new()
        } else {
            format!("; cohort {}", s.cohorts.join(", "))
        }
    );
    let _ = writeln!(
        o,
        "Scenario file {}; names {}",
        class.scenario_path.display(),
        if names {
            "shown"
        } else {
            "anonymised (--names to show them)"
        }
    );
    let _ = writeln!(o, "{rule}");
    if !class.skipped.is_empty() {
        let _ = writeln!(
            o,
            "Skipped {} file{}{}:",
            class.skipped.len(),
            plural(class.skipped.len()),
            if class.runs.is_empty() {
                ""
            } else {
                " (every other run is counted)"
            }
        );
        for k in &class.skipped {
            let _ = writeln!(o, "  {}: {}", k.file, k.reason);
        }
        o.push('\n');
    }
    for n in &class.notes {
        let _ = writeln!(o, "Note: {n}");
    }
    if !class.notes.is_empty() {
        o.push('\n');
    }
    let rescored: Vec<&Run> = class.runs.iter().filter(|r| r.rescored.is_some()).collect();
    if !rescored.is_empty() {
        let _ = writeln!(o, "Re-scored:");
        for r in rescored {
            if let Some(x) = &r.rescored {
                let _ = writeln!(o, "  {}: {}", r.who(names), x.summary());
            }
        }
        o.push('\n');
    }
    if !class.not_rescored.is_empty() {
        let _ = writeln!(
            o,
            "Not re-scored ({} run{}: shown with the scores stored in {}):",
            class.not_rescored.len(),
            plural(class.not_rescored.len()),
            if class.not_rescored.len() == 1 {
                "it"
            } else {
                "them"
            }
        );
        for r in &class.not_rescored {
            let _ = writeln!(o, "  {}: {}", r.who(names), r.explain());
        }
        o.push('\n');
    }
    verification_text(&mut o, class, names);
    if s.runs == 0 {
        let _ = writeln!(o, "No usable runs.");
        return o;
    }

    let _ = writeln!(o, "OUTCOMES");
    for c in &s.outcomes {
        let _ = writeln!(
            o,
            "  {:<34} {:>3}  {:>3}%  {}",
            c.label(),
            c.count,
            n0(c.pct),
            text_bar(c.pct, 30)
        );
    }
    let _ = writeln!(
        o,
        "  De-escalated: {} of {} ({}%). Mean length {}.",
        s.deescalated,
        s.runs,
        n0(pct(s.deescalated, s.runs)),
        clock(s.mean_duration)
    );
    let _ = writeln!(o, "\nENDINGS REACHED");
    for e in &s.endings {
        let _ = writeln!(
            o,
            "  {:>3}  {:>3}%  {} [{}]",
            e.count,
            n0(e.pct),
            e.title,
            e.outcome.map_or("none", |o| o.label())
        );
    }

    groups_text(&mut o, &s.groups);
    let _ = writeln!(
        o,
        "\nSCORES                  min    q1  median    q3   max   mean   histogram 0–100 (10-point bins)"
    );
    for (name, title) in DIMENSIONS {
        if let Some(d) = s.score(name) {
            let hist: Vec<String> = d.bins.iter().map(|b| format!("{b:>2}")).collect();
            let _ = writeln!(
                o,
                "  {:<18} {:>5} {:>5} {:>7} {:>5} {:>5} {:>6}   {}",
                title,
                n1(d.min),
                n1(d.q1),
                n1(d.median),
                n1(d.q3),
                n1(d.max),
                n1(d.mean),
                hist.join(" ")
            );
        }
    }

    let _ = writeln!(
        o,
        "\nDECISION POINTS (how the class chose; Δ = mean change in agitation)"
    );
    for d in &s.decisions {
        let _ = writeln!(
            o,
            "\n  {} — reached in {} of {} runs; {} choice{}",
            d.scene,
            d.reached,
            s.runs,
            d.choices,
            plural(d.choices)
        );
        if let Some(l) = &d.line {
            let _ = writeln!(o, "    {}: “{}”", class.scenario.subject.name, clip(l, 90));
        }
        for opt in &d.options {
            let tones: Vec<String> = opt
                .cells
                .iter()
                .map(|c| format!("{} {}", c.tone.label(), c.count))
                .collect();
            let _ = writeln!(
                o,
                "    {:>3}× {:<22} Δ {:>5}  [{}]",
                opt.count,
                opt.option,
                signed(opt.mean_delta),
                tones.join(", ")
            );
            let _ = writeln!(o, "          “{}”", clip(&opt.text, 88));
            for c in &opt.cells {
                let next: Vec<String> = c
                    .led_to
                    .iter()
                    .map(|l| format!("{} ×{}", led_label(&l.to, &class.scenario, false), l.count))
                    .collect();
                let _ = writeln!(
                    o,
                    "          {:<10} ×{:<3} Δ {:>5}  {}",
                    c.tone.label(),
                    c.count,
                    signed(c.mean_delta),
                    next.join("; ")
                );
            }
        }
    }

    if !s.moments.is_empty() {
        let _ = writeln!(
            o,
            "\nMOST COMMON KEY MOMENTS (runs with it · times · mean Δ agitation)"
        );
        for m in s.moments.iter().take(12) {
            let _ = writeln!(
                o,
                "  {:>3} run{} {:>3}×  {:>6}  {}",
                m.runs,
                if m.runs == 1 { " " } else { "s" },
                m.count,
                signed(m.mean_delta),
                clip(&m.category, 90)
            );
        }
    }

    let _ = writeln!(o, "\nRUNS");
    let _ = writeln!(
        o,
        "  {:<24} {:<10} {:>6} {:<32} {:>5} {:>5} {:>5} {:>5} {:>7}  {:<14} scores",
        "trainee", "cohort", "seed", "outcome", "dist", "time", "tone", "verb", "overall", "check"
    );
    let row = |o: &mut String,
               who: &str,
               rec: &Record,
               res: &RecordResult,
               check: &str,
               scoring: String| {
        let _ = writeln!(
            o,
            "  {:<24} {:<10} {:>6} {:<32} {:>5} {:>5} {:>5} {:>5} {:>7}  {check:<14} {scoring}",
            clip(who, 24),
            clip(rec.cohort.as_deref().unwrap_or("-"), 10),
            rec.seed,
            clip(res.outcome.map_or("no ending", |o| o.label()), 32),
            n0(res.distance),
            n0(res.time),
            n0(res.tone),
            n0(res.verbal),
            n0(res.overall)
        );
    };
    for r in &class.runs {
        let check = r.verification.label();
        row(
            &mut o,
            r.who(names),
            &r.record,
            r.result(),
            check,
            scoring_label(r),
        );
    }
    for r in &class.not_rescored {
        let scoring = format!(
            "v{} stored, not re-scored (not in the figures)",
            r.record.scoring_version
        );
        let check = r.verification.label();
        row(
            &mut o,
            r.who(names),
            &r.record,
            &r.record.result,
            check,
            scoring,
        );
    }
    let _ = writeln!(o, "{rule}");
    o
}

/// Which runs were verified: every counted run was re-simulated to its stored result (or, by
/// older rules, the same run); with a key, which are signed, and which were changed since.
fn verification_text(o: &mut String, class: &Class, names: bool) {
    let n = class.runs.len();
    if n > 0 {
        let _ = writeln!(
            o,
            "Verified: {n} of {n} counted run{} re-simulated on {} to the result stored in {} (or, scored by older rules, to the same run); records that do not reproduce are listed as skipped.",
            plural(n),
            class.scenario_path.display(),
            if n == 1 { "it" } else { "them" }
        );
    }
    let checks: Vec<(&str, &str, &SignatureCheck)> = class
        .runs
        .iter()
        .map(|r| (r.who(names), r.file.as_str(), &r.verification.signature))
        .chain(
            class
                .not_rescored
                .iter()
                .map(|r| (r.who(names), r.file.as_str(), &r.verification.signature)),
        )
        .collect();
    if checks.iter().all(|c| *c.2 == SignatureCheck::NoKey) {
        if n > 0 {
            o.push('\n');
        }
        return;
    }
    let count = |f: fn(&SignatureCheck) -> bool| checks.iter().filter(|c| f(c.2)).count();
    let _ = writeln!(
        o,
        "Signatures: {} signed with this academy's key, {} signed with another key, {} not signed.",
        count(|c| *c == SignatureCheck::Valid),
        count(|c| matches!(c, SignatureCheck::OtherKey(_))),
        count(|c| matches!(c, SignatureCheck::Unsigned | SignatureCheck::NoKey)),
    );
    for (who, file, _) in checks.iter().filter(|c| *c.2 == SignatureCheck::Mismatch) {
        let file = if names {
            file.to_string()
        } else {
            redact_class_file(file, class)
        };
        let _ = writeln!(
            o,
            "  EDITED: {who} ({file}): its signature does not match, so it was changed after it was written (its scores re-simulate; its name, cohort or notes may not be its own)."
        );
    }
    o.push('\n');
}

/// Which scoring rules a run's scores are by: "v2", or "v2, re-scored from v1".
fn scoring_label(r: &Run) -> String {
    match &r.rescored {
        Some(x) => format!("v{SCORING_VERSION}, re-scored from v{}", x.from),
        None => format!("v{SCORING_VERSION}"),
    }
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

pub const CSV_HEADER: &str = "trainee,cohort,seed,ending,outcome,duration,distance,time,tone,verbal,overall,record_file,scoring_version,scoring_note,verified,verification";

/// One row per run. Without `names`, the trainee column holds the anonymous label and the
/// file column has the trainees' names replaced by their labels too. `verified` says whether
/// the row's scores were checked (re-simulated, or signed), `verification` how.
pub fn csv(class: &Class, names: bool) -> String {
    let mut o = String::new();
    o.push_str(CSV_HEADER);
    o.push_str("\r\n");
    let rows = class
        .runs
        .iter()
        .map(|r| {
            let note = r.rescored.as_ref().map_or(String::new(), |x| x.summary());
            (
                r.who(names),
                &r.record,
                &r.file,
                r.result(),
                SCORING_VERSION,
                note,
                &r.verification,
            )
        })
        .chain(class.not_rescored.iter().map(|r| {
            (
                r.who(names),
                &r.record,
                &r.file,
                &r.record.result,
                r.record.scoring_version,
                r.explain(),
                &r.verification,
            )
        }));
    for (who, rec, file, res, version, note, verification) in rows {
        let file = if names {
            file.clone()
        } else {
            redact_class_file(file, class)
        };
        let fields = [
            csv_field(who),
            csv_field(rec.cohort.as_deref().unwrap_or("")),
            rec.seed.to_string(),
            csv_field(res.ending.as_deref().unwrap_or("")),
            csv_field(res.outcome.map_or("", |o| o.label())),
            n1(res.duration),
            n1(res.distance),
            n1(res.time),
            n1(res.tone),
            n1(res.verbal),
            n1(res.overall),
            csv_field(&file),
            version.to_string(),
            csv_field(&note),
            if verification.verified() { "yes" } else { "no" }.to_string(),
            csv_field(&verification.describe()),
        ];
        o.push_str(&fields.join(","));
        o.push_str("\r\n");
    }
    o
}

// ---------------------------------------------------------------------------------------
// HTML: a projector slide deck
// ---------------------------------------------------------------------------------------

fn tone_fill(t: Tone) -> &'static str {
    match t {
        Tone::Calm => "#4ade80",
        Tone::Neutral => "#cbd5e1",
        Tone::Firm => "#60a5fa",
        Tone::Commanding => "#fb923c",
        Tone::Shouting => "#f87171",
    }
}

fn family_fill(f: &str) -> &'static str {
    match f {
        "good" => "#4ade80",
        "mid" => "#fbbf24",
        _ => "#f87171",
    }
}

const DIM_FILL: [&str; 5] = ["#60a5fa", "#34d399", "#fbbf24", "#c084fc", "#f8fafc"];

const DECK_CSS: &str = r#"
:root{--u:min(1vw,1.7778vh);--bg:#05070d;--panel:#0d1322;--ink:#f8fafc;--muted:#cbd5e1;--dim:#94a3b8;--line:#334155;--accent:#fde047;--good:#4ade80;--mid:#fbbf24;--hard:#f87171}
*{box-sizing:border-box}
html,body{margin:0;padding:0;background:var(--bg);color:var(--ink)}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;line-height:1.25}
.slide{width:100vw;height:100vh;display:flex;align-items:center;justify-content:center;overflow:hidden}
html.js .slide{display:none}
html.js .slide.on{display:flex}
.frame{position:relative;width:calc(var(--u)*100);height:calc(var(--u)*56.25);background:var(--panel);padding:calc(var(--u)*2.6) calc(var(--u)*3.6) calc(var(--u)*4.2);display:flex;flex-direction:column;overflow:hidden}
.kicker{margin:0;color:var(--accent);text-transform:uppercase;letter-spacing:.1em;font-weight:800;font-size:calc(var(--u)*1.5)}
h1{margin:calc(var(--u)*1) 0 calc(var(--u)*1.6);font-size:calc(var(--u)*5);line-height:1.1}
h2{margin:calc(var(--u)*.4) 0 calc(var(--u)*1.4);font-size:calc(var(--u)*3.2);line-height:1.15}
p{margin:0 0 calc(var(--u)*1)}
.big{font-size:calc(var(--u)*2.6)}
.body{font-size:calc(var(--u)*2)}
.muted{color:var(--muted)}
.grow{flex:1;min-height:0;display:flex;flex-direction:column;justify-content:center}
.grow.top{justify-content:flex-start;margin-top:calc(var(--u)*1.4)}
.stats{display:flex;gap:calc(var(--u)*2.4);margin-top:calc(var(--u)*2)}
.stat{background:#111a2e;border:2px solid var(--line);border-radius:calc(var(--u)*.8);padding:calc(var(--u)*1.4) calc(var(--u)*2);min-width:calc(var(--u)*18)}
.stat b{display:block;font-size:calc(var(--u)*5.4);line-height:1;color:var(--ink)}
.stat span{font-size:calc(var(--u)*1.7);color:var(--muted)}
.foot{position:absolute;left:calc(var(--u)*3.6);right:calc(var(--u)*3.6);bottom:calc(var(--u)*1.4);display:flex;justify-content:space-between;font-size:calc(var(--u)*1.3);color:var(--dim)}
svg{display:block;width:100%;height:auto;max-height:100%}
svg text{fill:var(--ink);font-family:inherit}
.chart{flex:1;min-height:0;display:flex;align-items:center}
.quote{font-size:calc(var(--u)*1.9);color:var(--muted);font-style:italic;margin:0 0 calc(var(--u)*1.2);display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.opts{display:flex;flex-direction:column;gap:calc(var(--u)*1.1)}
.opt .say{font-size:calc(var(--u)*1.9);font-weight:650;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.opt .row,.cols{display:grid;grid-template-columns:calc(var(--u)*40) calc(var(--u)*10) 1fr;gap:calc(var(--u)*1.6);align-items:center}
.opt .row{margin-top:calc(var(--u)*.3)}
.cols{font-size:calc(var(--u)*1.2);color:var(--accent);text-transform:uppercase;letter-spacing:.06em;font-weight:700}
.cols span:nth-child(2){text-align:right}
.opt .next{font-size:calc(var(--u)*1.7);color:var(--muted);overflow:hidden}
.opt .next .tl{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;line-height:1.3}
.opt .next .tl i{display:inline-block;width:calc(var(--u)*1.1);height:calc(var(--u)*1.1);border-radius:calc(var(--u)*.2);margin-right:calc(var(--u)*.5)}
.opt .delta{font-size:calc(var(--u)*2);font-weight:800;text-align:right}
.dense .opt .say{font-size:calc(var(--u)*1.6);-webkit-line-clamp:1}
.dense .opt .next,.dense .opt .delta{font-size:calc(var(--u)*1.4)}
.dense .opts{gap:calc(var(--u)*.5)}
.up{color:var(--hard)}.down{color:var(--good)}.flat{color:var(--muted)}
.legend{display:flex;gap:calc(var(--u)*1.6);font-size:calc(var(--u)*1.5);margin:0 0 calc(var(--u)*1.2);flex-wrap:wrap}
.legend i{display:inline-block;width:calc(var(--u)*1.5);height:calc(var(--u)*1.5);border-radius:calc(var(--u)*.25);vertical-align:-.15em;margin-right:calc(var(--u)*.5)}
.head{display:flex;justify-content:space-between;align-items:baseline;gap:calc(var(--u)*2)}
.head p{margin:0;white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:calc(var(--u)*1.75)}
th{text-align:left;color:var(--accent);font-size:calc(var(--u)*1.35);text-transform:uppercase;letter-spacing:.06em;padding:0 calc(var(--u)*.8) calc(var(--u)*.5);border-bottom:2px solid var(--line)}
td{padding:calc(var(--u)*.45) calc(var(--u)*.8);border-bottom:1px solid #1f2a40;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.wrap{white-space:normal}
table.runs{table-layout:fixed;font-size:calc(var(--u)*1.65)}
table.runs td{overflow:hidden;text-overflow:ellipsis}
table.runs td,table.runs th{padding-left:calc(var(--u)*.5);padding-right:calc(var(--u)*.5)}
table.runs th{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
table.runs th{letter-spacing:.02em}
.oc.good{color:var(--good)}.oc.mid{color:var(--mid)}.oc.hard{color:var(--hard)}
.pill{display:inline-block;padding:0 calc(var(--u)*.7);border-radius:999px;font-weight:700;border:2px solid}
.pill.good{color:var(--good)}.pill.mid{color:var(--mid)}.pill.hard{color:var(--hard)}
.moments{display:flex;flex-direction:column;gap:calc(var(--u)*1)}
.moment{display:grid;grid-template-columns:calc(var(--u)*22) 1fr calc(var(--u)*9);gap:calc(var(--u)*1.4);align-items:center;font-size:calc(var(--u)*1.8)}
.moment .what{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.moment .d{text-align:right;font-weight:800}
.skip li{margin:0 0 calc(var(--u)*.8)}
.skip{font-size:calc(var(--u)*1.8);margin:0;padding-left:calc(var(--u)*2.4)}
.skip b{color:var(--accent)}
body.anon .nm .r{display:none}
body:not(.anon) .nm .a{display:none}
@media print{html.js .slide{display:flex}.slide{width:100%;height:auto;page-break-after:always}}
"#;

const DECK_JS: &str = r#"
(function(){
var d=document.documentElement;d.classList.add('js');
var s=Array.prototype.slice.call(document.querySelectorAll('.slide'));var i=0;
function show(n){i=Math.max(0,Math.min(s.length-1,n));for(var k=0;k<s.length;k++){s[k].classList.toggle('on',k===i);}
try{history.replaceState(null,'','#'+s[i].id);}catch(e){}}
var h=location.hash.slice(1),start=0;for(var k=0;k<s.length;k++){if(s[k].id===h){start=k;}}show(start);
document.addEventListener('keydown',function(e){if(e.altKey||e.ctrlKey||e.metaKey){return;}
var key=e.key;
if(key==='ArrowRight'||key==='PageDown'||key==='ArrowDown'||(key===' '&&!e.shiftKey)||key==='Enter'){show(i+1);e.preventDefault();}
else if(key==='ArrowLeft'||key==='PageUp'||key==='ArrowUp'||(key===' '&&e.shiftKey)||key==='Backspace'){show(i-1);e.preventDefault();}
else if(key==='Home'){show(0);e.preventDefault();}
else if(key==='End'){show(s.length-1);e.preventDefault();}
__NAMES__
});
})();
"#;

struct Deck {
    slides: Vec<(String, String)>,
}

impl Deck {
    fn add(&mut self, id: &str, inner: String) {
        self.slides.push((id.to_string(), inner));
    }
}

/// A trainee's name for the deck: with `names`, both the label and the name are in the
/// page and `N` switches between them; without, only the label.
/// A slide comparing first attempts with repeats and, where it mattered, temperaments.
fn groups_slide(deck: &mut Deck, g: &crate::cohort::attempts::Groups) {
    let show_t = g.temperaments.len() > 1 && g.temperament_matters;
    if g.repeats.runs == 0 && !show_t {
        return;
    }
    let mut b = String::from(
        "<p class=\"kicker\">Not everyone met the same situation</p><h2>Repeats and temperaments</h2><div class=\"grow\"><table><tr><th>Group</th><th class=\"num\">Runs</th><th class=\"num\">De-escalated</th><th class=\"num\">Mean overall</th></tr>",
    );
    let mut rows: Vec<&crate::cohort::attempts::GroupStats> = Vec::new();
    if g.repeats.runs > 0 {
        rows.extend([&g.first, &g.repeats]);
    }
    if show_t {
        rows.extend(g.temperaments.iter());
    }
    for x in rows {
        let _ = write!(
            b,
            "<tr><td class=\"wrap\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}%</td><td class=\"num\"><b>{}</b></td></tr>",
            esc(&x.label),
            x.runs,
            n0(x.deescalated_pct()),
            n0(x.mean_overall)
        );
    }
    b.push_str("</table></div><p class=\"body muted\">A repeat may reward a remembered script; a different temperament asks for the same skills on a different person.</p>");
    deck.add("groups", b);
}

fn who_html(r: &Run, names: bool) -> String {
    if names {
        format!(
            "<span class=\"nm\"><span class=\"a\">{}</span><span class=\"r\">{}</span></span>",
            esc(&r.anon),
            esc(r.record.trainee.trim())
        )
    } else {
        esc(&r.anon)
    }
}

fn delta_class(d: f32) -> &'static str {
    if d >= 0.5 {
        "up"
    } else if d <= -0.5 {
        "down"
    } else {
        "flat"
    }
}

/// Horizontal outcome bars.
fn outcome_svg(s: &Summary) -> String {
    let rows: Vec<&OutcomeCount> = s.outcomes.iter().collect();
    let row_h = 76.0;
    let label_w = 620.0;
    let bar_w = 860.0;
    let w = 1720.0;
    let h = row_h * rows.len() as f32 + 10.0;
    let max = rows.iter().map(|c| c.count).max().unwrap_or(1).max(1) as f32;
    let mut o = format!(
        "<svg viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"Outcomes\">",
        n2(h)
    );
    for (i, c) in rows.iter().enumerate() {
        let y = i as f32 * row_h + 8.0;
        let fam = outcome_family(c.outcome);
        let bw = bar_w * c.count as f32 / max;
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"38\" text-anchor=\"end\" opacity=\"{}\">{}</text>",
            n2(label_w - 24.0),
            n2(y + 44.0),
            if c.count == 0 { "0.55" } else { "1" },
            esc(c.label())
        );
        let _ = write!(
            o,
            "<rect x=\"{label_w}\" y=\"{}\" width=\"{bar_w}\" height=\"56\" fill=\"#1a2338\" rx=\"6\"/>",
            n2(y)
        );
        if c.count > 0 {
            let _ = write!(
                o,
                "<rect x=\"{label_w}\" y=\"{}\" width=\"{}\" height=\"56\" fill=\"{}\" rx=\"6\"><title>{}: {} of {} runs</title></rect>",
                n2(y),
                n2(bw),
                family_fill(fam),
                esc(c.label()),
                c.count,
                s.runs
            );
        }
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"40\" font-weight=\"800\" opacity=\"{}\">{} <tspan font-weight=\"400\" fill=\"#cbd5e1\">({}%)</tspan></text>",
            n2(label_w + bar_w + 24.0),
            n2(y + 44.0),
            if c.count == 0 { "0.55" } else { "1" },
            c.count,
            n0(c.pct)
        );
    }
    o.push_str("</svg>");
    o
}

/// Box plots of the five scores on one 0–100 axis.
fn boxplot_svg(s: &Summary) -> String {
    let label_w = 400.0;
    let plot_w = 900.0;
    let w = 1720.0;
    let row_h = 104.0;
    let top = 20.0;
    let rows: Vec<(usize, &str, &Distribution)> = DIMENSIONS
        .iter()
        .enumerate()
        .filter_map(|(i, (name, title))| s.score(name).map(|d| (i, *title, d)))
        .collect();
    let h = top + row_h * rows.len() as f32 + 70.0;
    let x = |v: f32| label_w + plot_w * v.clamp(0.0, 100.0) / 100.0;
    let mut o = format!(
        "<svg viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"Score distributions\">",
        n2(h)
    );
    let axis_y = top + row_h * rows.len() as f32;
    for t in (0..=100).step_by(10) {
        let xx = x(t as f32);
        let _ = write!(
            o,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#334155\" stroke-width=\"{3}\"/>",
            n2(xx),
            n2(top - 10.0),
            n2(axis_y),
            if t % 50 == 0 { 3 } else { 1 }
        );
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"32\" text-anchor=\"middle\" fill=\"#cbd5e1\">{t}</text>",
            n2(xx),
            n2(axis_y + 44.0)
        );
    }
    for (k, (i, title, d)) in rows.iter().enumerate() {
        let y = top + k as f32 * row_h;
        let mid = y + row_h / 2.0 - 8.0;
        let fill = DIM_FILL[*i];
        let strong = *i == 4;
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"40\" text-anchor=\"end\" font-weight=\"{}\">{}</text>",
            n2(label_w - 30.0),
            n2(mid + 14.0),
            if strong { 800 } else { 500 },
            esc(title)
        );
        // Whiskers, box, median, mean.
        let _ = write!(
            o,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{m}\" y2=\"{m}\" stroke=\"{fill}\" stroke-width=\"4\"/>",
            n2(x(d.min)),
            n2(x(d.max)),
            m = n2(mid)
        );
        for v in [d.min, d.max] {
            let _ = write!(
                o,
                "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{fill}\" stroke-width=\"4\"/>",
                n2(x(v)),
                n2(mid - 18.0),
                n2(mid + 18.0)
            );
        }
        let _ = write!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"60\" fill=\"{fill}\" fill-opacity=\"0.35\" stroke=\"{fill}\" stroke-width=\"4\" rx=\"4\"><title>{}: min {}, quartiles {}–{}, median {}, max {}, mean {}</title></rect>",
            n2(x(d.q1)),
            n2(mid - 30.0),
            n2((x(d.q3) - x(d.q1)).max(3.0)),
            esc(title),
            n1(d.min),
            n1(d.q1),
            n1(d.q3),
            n1(d.median),
            n1(d.max),
            n1(d.mean)
        );
        let _ = write!(
            o,
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#ffffff\" stroke-width=\"8\"/>",
            n2(x(d.median)),
            n2(mid - 34.0),
            n2(mid + 34.0)
        );
        let _ = write!(
            o,
            "<path d=\"M{} {}l11 11l-11 11l-11-11z\" fill=\"#fde047\" stroke=\"#05070d\" stroke-width=\"3\"><title>mean {}</title></path>",
            n2(x(d.mean)),
            n2(mid - 11.0),
            n1(d.mean)
        );
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"38\" font-weight=\"800\">{}<tspan font-size=\"28\" font-weight=\"400\" fill=\"#cbd5e1\" dx=\"14\">median · {}–{}</tspan></text>",
            n2(label_w + plot_w + 36.0),
            n2(mid + 13.0),
            n0(d.median),
            n0(d.min),
            n0(d.max)
        );
    }
    o.push_str("</svg>");
    o
}

/// Small-multiple histograms in 10-point bins.
fn histograms_svg(s: &Summary) -> String {
    let panels: Vec<(usize, &str, &Distribution)> = DIMENSIONS
        .iter()
        .enumerate()
        .filter_map(|(i, (name, title))| s.score(name).map(|d| (i, *title, d)))
        .collect();
    let pw = 300.0;
    let gap = 70.0;
    let w = pw * panels.len() as f32 + gap * (panels.len().max(1) - 1) as f32;
    let ph = 420.0;
    let top = 60.0;
    let base = top + ph;
    let max = panels
        .iter()
        .flat_map(|(_, _, d)| d.bins.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    let mut o = format!(
        "<svg viewBox=\"-40 0 {} {}\" role=\"img\" aria-label=\"Score histograms\">",
        n2(w + 80.0),
        n2(base + 60.0)
    );
    for (k, (i, title, d)) in panels.iter().enumerate() {
        let x0 = k as f32 * (pw + gap);
        let bw = pw / 10.0;
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"38\" font-size=\"34\" font-weight=\"{}\" text-anchor=\"middle\">{}</text>",
            n2(x0 + pw / 2.0),
            if *i == 4 { 800 } else { 600 },
            esc(title)
        );
        let _ = write!(
            o,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{b}\" y2=\"{b}\" stroke=\"#64748b\" stroke-width=\"3\"/>",
            n2(x0),
            n2(x0 + pw),
            b = n2(base)
        );
        for (b, &c) in d.bins.iter().enumerate() {
            let bh = (ph - 40.0) * c as f32 / max;
            let bx = x0 + b as f32 * bw;
            let _ = write!(
                o,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#151d30\"/>",
                n2(bx + 2.0),
                n2(top + 40.0),
                n2(bw - 4.0),
                n2(ph - 40.0)
            );
            if c > 0 {
                let _ = write!(
                    o,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} run{} scored {}–{}</title></rect>",
                    n2(bx + 2.0),
                    n2(base - bh),
                    n2(bw - 4.0),
                    n2(bh),
                    DIM_FILL[*i],
                    esc(title),
                    c,
                    plural(c),
                    b * 10,
                    if b == 9 { 100 } else { b * 10 + 9 }
                );
                let _ = write!(
                    o,
                    "<text x=\"{}\" y=\"{}\" font-size=\"26\" text-anchor=\"middle\" font-weight=\"700\">{c}</text>",
                    n2(bx + bw / 2.0),
                    n2(base - bh - 8.0)
                );
            }
        }
        for t in [0, 50, 100] {
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"{}\" font-size=\"26\" text-anchor=\"{}\" fill=\"#cbd5e1\">{t}</text>",
                n2(x0 + pw * t as f32 / 100.0),
                n2(base + 36.0),
                match t {
                    0 => "start",
                    100 => "end",
                    _ => "middle",
                }
            );
        }
    }
    o.push_str("</svg>");
    o
}

/// One option's stacked tone bar, scaled so the scene's most chosen option fills it.
fn tone_bar_svg(opt: &OptionSplit, max: usize, total: usize) -> String {
    let w = 800.0;
    let bar = 640.0;
    let h = 56.0;
    let mut o = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{} chosen {} times\">",
        esc(&opt.option),
        opt.count
    );
    let _ = write!(
        o,
        "<rect x=\"0\" y=\"4\" width=\"{bar}\" height=\"48\" fill=\"#1a2338\" rx=\"5\"/>"
    );
    let mut x = 0.0;
    for c in &opt.cells {
        let cw = bar * c.count as f32 / max.max(1) as f32;
        let _ = write!(
            o,
            "<rect x=\"{}\" y=\"4\" width=\"{}\" height=\"48\" fill=\"{}\" stroke=\"#0d1322\" stroke-width=\"3\"><title>{} ×{} (Δ agitation {})</title></rect>",
            n2(x),
            n2(cw),
            tone_fill(c.tone),
            esc(c.tone.label()),
            c.count,
            esc(&signed(c.mean_delta))
        );
        if cw >= 44.0 {
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"41\" font-size=\"32\" font-weight=\"800\" text-anchor=\"middle\" style=\"fill:#05070d\">{}</text>",
                n2(x + cw / 2.0),
                c.count
            );
        }
        x += cw;
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"42\" font-size=\"34\" font-weight=\"800\">{}<tspan font-weight=\"400\" fill=\"#cbd5e1\" font-size=\"28\"> ({}%)</tspan></text>",
        n2(x + 14.0),
        opt.count,
        n0(pct(opt.count, total))
    );
    o.push_str("</svg>");
    o
}

fn tone_legend(tones: &[usize; 5]) -> String {
    let mut o = String::from("<div class=\"legend\">");
    for t in Tone::ALL {
        let _ = write!(
            o,
            "<span><i style=\"background:{}\"></i>{} {}</span>",
            tone_fill(t),
            esc(t.label()),
            tones[t as usize]
        );
    }
    o.push_str("</div>");
    o
}

/// What came next after an option, as HTML. When the class used more than one tone, one
/// line per tone with its own mean change in agitation: that is where tone shows.
fn nexts_html(opt: &OptionSplit, sc: &Scenario) -> String {
    let dests = |led: &[LedTo]| {
        let mut parts: Vec<String> = led
            .iter()
            .take(2)
            .map(|l| format!("{} ×{}", led_label(&l.to, sc, true), l.count))
            .collect();
        if led.len() > 2 {
            parts.push(format!("+{} more", led.len() - 2));
        }
        esc(&parts.join(" · "))
    };
    if opt.cells.len() <= 1 {
        // One line per place it led.
        let mut o = String::new();
        for l in opt.led_to.iter().take(3) {
            let _ = write!(
                o,
                "<span class=\"tl\">{} ×{}</span>",
                esc(&led_label(&l.to, sc, true)),
                l.count
            );
        }
        if opt.led_to.len() > 3 {
            let _ = write!(
                o,
                "<span class=\"tl\">+{} more</span>",
                opt.led_to.len() - 3
            );
        }
        return o;
    }
    let mut o = String::new();
    for c in opt.cells.iter().take(3) {
        let _ = write!(
            o,
            "<span class=\"tl\"><i style=\"background:{}\"></i>{} <b class=\"{}\">{}</b> {}</span>",
            tone_fill(c.tone),
            esc(c.tone.label()),
            delta_class(c.mean_delta),
            esc(&signed(c.mean_delta)),
            dests(&c.led_to)
        );
    }
    if opt.cells.len() > 3 {
        let _ = write!(
            o,
            "<span class=\"tl\">+{} more tones</span>",
            opt.cells.len() - 3
        );
    }
    o
}

fn scene_title(id: &str) -> String {
    let t = id.replace(['_', '-'], " ");
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The class debrief as one self-contained HTML slide deck (16:9, dark, large type).
///
/// Without `names`, no trainee name or record file name is written into the page at all.
/// With `names`, the page opens anonymised and `N` shows or hides the names.
pub fn html(class: &Class, s: &Summary, names: bool) -> String {
    let sc = &class.scenario;
    let mut deck = Deck { slides: Vec::new() };

    // 1. Title.
    {
        let mut b = String::new();
        let _ = write!(
            b,
            "<p class=\"kicker\">Class debrief</p><h1>{}</h1>",
            esc(&s.scenario_title)
        );
        let cohort = if s.cohorts.is_empty() {
            String::new()
        } else {
            format!(" · cohort {}", esc(&s.cohorts.join(", ")))
        };
        let _ = write!(
            b,
            "<p class=\"big muted\">{} run{} by {} trainee{}{}</p>",
            s.runs,
            plural(s.runs),
            s.trainees,
            plural(s.trainees),
            cohort
        );
        let overall = s.score("overall");
        let _ = write!(
            b,
            "<div class=\"stats\"><div class=\"stat\"><b>{}</b><span>runs</span></div><div class=\"stat\"><b class=\"down\">{}%</b><span>de-escalated ({} of {})</span></div><div class=\"stat\"><b>{}</b><span>median overall score</span></div><div class=\"stat\"><b>{}</b><span>mean length</span></div></div>",
            s.runs,
            n0(pct(s.deescalated, s.runs)),
            s.deescalated,
            s.runs,
            overall.map_or("–".into(), |d| n0(d.median)),
            clock(s.mean_duration)
        );
        if !class.skipped.is_empty() {
            let _ = write!(
                b,
                "<p class=\"body muted\" style=\"margin-top:calc(var(--u)*2)\">{} record file{} could not be used (listed on the last slide).</p>",
                class.skipped.len(),
                plural(class.skipped.len())
            );
        }
        if !class.not_rescored.is_empty() {
            let _ = write!(
                b,
                "<p class=\"body muted\">{} run{} scored by older rules could not be re-scored and {} not in these figures (see the scoring slide).</p>",
                class.not_rescored.len(),
                plural(class.not_rescored.len()),
                if class.not_rescored.len() == 1 {
                    "is"
                } else {
                    "are"
                }
            );
        }
        deck.add("title", b);
    }

    // 2. Outcomes.
    {
        let mut b = String::new();
        let _ = write!(
            b,
            "<p class=\"kicker\">How the contacts ended</p><h2>Outcomes — {} of {} de-escalated</h2><div class=\"chart\">{}</div><div class=\"legend\"><span><i style=\"background:{}\"></i>de-escalated</span><span><i style=\"background:{}\"></i>withdrawn or unresolved</span><span><i style=\"background:{}\"></i>force, flight or injury</span></div>",
            s.deescalated,
            s.runs,
            outcome_svg(s),
            family_fill("good"),
            family_fill("mid"),
            family_fill("hard")
        );
        deck.add("outcomes", b);
    }

    // 3. Endings.
    {
        let mut b = String::from(
            "<p class=\"kicker\">Where the story went</p><h2>Endings reached</h2><div class=\"grow\"><table><tr><th class=\"num\">Runs</th><th class=\"num\">%</th><th>Ending</th><th>Outcome</th></tr>",
        );
        for e in s.endings.iter().take(10) {
            let fam = outcome_family(e.outcome);
            let _ = write!(
                b,
                "<tr><td class=\"num\"><b>{}</b></td><td class=\"num\">{}%</td><td class=\"wrap\">{}</td><td><span class=\"pill {fam}\">{}</span></td></tr>",
                e.count,
                n0(e.pct),
                esc(&e.title),
                esc(e.outcome.map_or("none", |o| o.label()))
            );
        }
        b.push_str("</table></div>");
        deck.add("endings", b);
    }

    groups_slide(&mut deck, &s.groups);

    // 4. Scores: box plots.
    {
        let mut b = String::new();
        let _ = write!(
            b,
            "<p class=\"kicker\">Scores 0–100</p><h2>How the class scored</h2><p class=\"body muted\">Box: middle half of the class · white bar: median · whiskers: lowest to highest · <span style=\"color:#fde047\">◆</span> mean</p><div class=\"chart\">{}</div>",
            boxplot_svg(s)
        );
        deck.add("scores", b);
    }

    // 5. Histograms.
    {
        let mut b = String::new();
        let _ = write!(
            b,
            "<p class=\"kicker\">Scores 0–100</p><h2>Spread of scores (10-point bins)</h2><div class=\"chart\">{}</div>",
            histograms_svg(s)
        );
        deck.add("histograms", b);
    }

    // Decision points.
    for (k, d) in s.decisions.iter().enumerate() {
        let mut b = String::new();
        let max = d.options.iter().map(|o| o.count).max().unwrap_or(1);
        let _ = write!(
            b,
            "<p class=\"kicker\">Decision point {} of {}</p><div class=\"head\"><h2>{}</h2><p class=\"body muted\">reached in {} of {} runs · {} choice{}</p></div>",
            k + 1,
            s.decisions.len(),
            esc(&scene_title(&d.scene)),
            d.reached,
            s.runs,
            d.choices,
            plural(d.choices)
        );
        if let Some(l) = &d.line {
            let _ = write!(
                b,
                "<p class=\"quote\" title=\"{}\">{}: “{}”</p>",
                esc(l),
                esc(&sc.subject.name),
                esc(l)
            );
        }
        let dense = d.options.len() > 4;
        let _ = write!(
            b,
            "{}<div class=\"grow top{}\"><div class=\"opts\"><div class=\"cols\"><span>Who chose it, and in which tone</span><span>Δ agitation</span><span>What came next</span></div>",
            tone_legend(&d.by_tone),
            if dense { " dense" } else { "" }
        );
        for opt in d.options.iter().take(8) {
            let _ = write!(
                b,
                "<div class=\"opt\"><div class=\"say\" title=\"{} ({})\">“{}”</div><div class=\"row\">{}<span class=\"delta {}\" title=\"mean change in agitation\">{}</span><span class=\"next\">{}</span></div></div>",
                esc(&opt.text),
                esc(&opt.option),
                esc(&opt.text),
                tone_bar_svg(opt, max, d.choices),
                delta_class(opt.mean_delta),
                esc(&signed(opt.mean_delta)),
                nexts_html(opt, sc)
            );
        }
        if d.options.len() > 8 {
            let _ = write!(
                b,
                "<p class=\"body muted\">… and {} more option{} (see the terminal summary).</p>",
                d.options.len() - 8,
                plural(d.options.len() - 8)
            );
        }
        b.push_str("</div></div>");
        deck.add(&format!("decision-{}", k + 1), b);
    }

    // Key moments.
    if !s.moments.is_empty() {
        let mut b = String::from(
            "<p class=\"kicker\">What moved agitation most</p><h2>Most common key moments</h2><div class=\"grow\"><div class=\"moments\">",
        );
        let shown: Vec<&MomentGroup> = s.moments.iter().take(8).collect();
        for m in shown {
            let w = 100.0 * m.runs as f32 / s.runs.max(1) as f32;
            let colour = if m.mean_delta > 0.0 {
                "#f87171"
            } else {
                "#4ade80"
            };
            let _ = write!(
                b,
                "<div class=\"moment\"><svg viewBox=\"0 0 400 50\" role=\"img\" aria-label=\"{} of {} runs\"><rect x=\"0\" y=\"5\" width=\"260\" height=\"40\" fill=\"#1a2338\" rx=\"5\"/><rect x=\"0\" y=\"5\" width=\"{}\" height=\"40\" fill=\"{colour}\" rx=\"5\"/><text x=\"274\" y=\"38\" font-size=\"30\" font-weight=\"800\">{}<tspan font-weight=\"400\" fill=\"#cbd5e1\" font-size=\"24\"> of {}</tspan></text></svg><span class=\"what\" title=\"{}\">{}</span><span class=\"d {}\">Δ {}</span></div>",
                m.runs,
                s.runs,
                n2(2.6 * w),
                m.runs,
                s.runs,
                esc(&m.category),
                esc(&m.category),
                delta_class(m.mean_delta),
                esc(&signed(m.mean_delta))
            );
        }
        b.push_str("</div><p class=\"body muted\" style=\"margin-top:calc(var(--u)*1.6)\">Bar: runs where it was a key moment · Δ: mean change in agitation (red: rose, green: fell)</p></div>");
        deck.add("moments", b);
    }

    // Runs, 12 to a slide.
    let per = 12;
    let pages = class.runs.len().div_ceil(per);
    for (p, chunk) in class.runs.chunks(per).enumerate() {
        let mut b = String::new();
        let _ = write!(
            b,
            "<p class=\"kicker\">Every run{}</p><h2>Runs</h2><div class=\"grow\" style=\"justify-content:flex-start\"><table class=\"runs\"><colgroup><col style=\"width:19%\"><col style=\"width:9%\"><col style=\"width:33%\"><col style=\"width:6.5%\"><col style=\"width:6.5%\"><col style=\"width:6.5%\"><col style=\"width:8.5%\"><col style=\"width:11%\"></colgroup><tr><th>Trainee</th><th>Cohort</th><th>Outcome</th><th class=\"num\">Dist.</th><th class=\"num\">Time</th><th class=\"num\">Tone</th><th class=\"num\">Verbal</th><th class=\"num\">Overall</th></tr>",
            if pages > 1 {
                format!(" · {} of {pages}", p + 1)
            } else {
                String::new()
            }
        );
        for r in chunk {
            let res = r.result();
            let _ = write!(
                b,
                "<tr><td>{}{}</td><td>{}</td><td><b class=\"oc {}\">{}</b></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td></tr>",
                who_html(r, names),
                if r.verification.contradicted() {
                    " <b title=\"its signature does not match: changed after it was written\">(edited)</b>"
                } else {
                    ""
                },
                esc(r.record.cohort.as_deref().unwrap_or("–")),
                outcome_family(r.debrief.outcome),
                esc(r.debrief.outcome.map_or("no ending", |o| o.label())),
                n0(res.distance),
                n0(res.time),
                n0(res.tone),
                n0(res.verbal),
                n0(res.overall)
            );
        }
        b.push_str("</table></div>");
        deck.add(&format!("runs-{}", p + 1), b);
    }

    // Scoring versions: which runs were re-scored, and which could not be.
    let rescored: Vec<&Run> = class.runs.iter().filter(|r| r.rescored.is_some()).collect();
    if !rescored.is_empty() || !class.not_rescored.is_empty() {
        let mut b = format!(
            "<p class=\"kicker\">Scoring rules</p><h2>Every score here is by scoring version {SCORING_VERSION}</h2><ul class=\"skip\">"
        );
        for r in rescored.iter().take(12) {
            if let Some(x) = &r.rescored {
                let _ = write!(
                    b,
                    "<li><b>{}</b>: {}</li>",
                    who_html(r, names),
                    esc(&x.summary())
                );
            }
        }
        if rescored.len() > 12 {
            let _ = write!(b, "<li>… and {} more re-scored</li>", rescored.len() - 12);
        }
        for r in &class.not_rescored {
            let who = if names {
                format!(
                    "<span class=\"nm\"><span class=\"a\">{}</span><span class=\"r\">{}</span></span>",
                    esc(&r.anon),
                    esc(r.record.trainee.trim())
                )
            } else {
                esc(&r.anon)
            };
            let _ = write!(
                b,
                "<li><b>{who}</b>: not re-scored — {}</li>",
                esc(&r.explain())
            );
        }
        b.push_str("</ul>");
        deck.add("scoring", b);
    }

    // Skipped files.
    if !class.skipped.is_empty() {
        let mut b = format!(
            "<p class=\"kicker\">Not included</p><h2>{} record file{} could not be used</h2><ul class=\"skip\">",
            class.skipped.len(),
            plural(class.skipped.len())
        );
        for (i, k) in class.skipped.iter().take(12).enumerate() {
            // File names often carry the trainee's name: only shown with names on.
            let label = if names {
                esc(&k.file)
            } else {
                format!("File {}", i + 1)
            };
            let _ = write!(b, "<li><b>{label}</b>: {}</li>", esc(&k.reason));
        }
        if class.skipped.len() > 12 {
            let _ = write!(b, "<li>… and {} more</li>", class.skipped.len() - 12);
        }
        b.push_str("</ul>");
        deck.add("skipped", b);
    }

    // Assemble.
    let total = deck.slides.len();
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Class debrief — {}</title><style>{DECK_CSS}</style></head>\n<body class=\"anon\"{}>\n",
        esc(&s.scenario_title),
        if names { " data-names" } else { "" }
    );
    let hint = if names {
        "← → move · N names"
    } else {
        "← → move · names anonymised"
    };
    for (i, (id, inner)) in deck.slides.iter().enumerate() {
        let _ = writeln!(
            o,
            "<section class=\"slide\" id=\"{}\"><div class=\"frame\">{inner}<div class=\"foot\"><span>{}</span><span>{hint}</span><span>{} / {total}</span></div></div></section>",
            esc(id),
            esc(&s.scenario_title),
            i + 1
        );
    }
    // The `N` key exists only when the names are in the page.
    let js = DECK_JS.replace(
        "__NAMES__",
        if names {
            "else if(key==='n'||key==='N'){document.body.classList.toggle('anon');e.preventDefault();}"
        } else {
            ""
        },
    );
    let _ = write!(o, "<script>{js}</script>\n</body></html>\n");
    o
}
