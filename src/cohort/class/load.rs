//! A class: the readable records of one scenario, re-simulated on it. Choosing the scenario
//! (named, or the one most records are for), placing each record (a run, a run scored by older
//! rules that cannot be re-scored, or skipped with a reason), the notes, and the anonymous
//! "Trainee A" labels.

use crate::assess::debrief::Debrief;
use crate::assess::score::SCORING_VERSION;
use crate::cohort::fmt::plural;
use crate::cohort::folder::{Folder, Read, Skipped, one_line, read_folder, replay_reason};
use crate::format::scenario::Scenario;
use crate::records::library::Library;
use crate::records::record::{Record, RecordKey, RecordResult, Rescored};
use crate::records::verify::{ReplayCheck, Verification};
use crate::report::n0;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
