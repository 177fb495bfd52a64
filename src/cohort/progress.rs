//! Trainee progress: each trainee's runs over time (by when they started), per scoring
//! dimension, across scenarios — as a terminal table, CSV, and an HTML page with an inline
//! SVG line chart per trainee.
//!
//! Every run is re-simulated on its scenario, found by id and hash in the scenario folders,
//! as `class` does: a run that does not reproduce its stored result is marked and left out of
//! the trend. A run whose scenario is not at hand (or has changed since) is shown with the
//! scores stored in it, verified only if the academy's key signed it ([`crate::records::verify`]).

use crate::assess::score::SCORING_VERSION;
use crate::cohort::attempts::{RunFacts, attempt_numbers, new_temperament};
use crate::cohort::class::{Read, Skipped, read_folder, replay_reason};
use crate::cohort::fmt::{clip, csv_field, esc, n2};
use crate::format::vocab::Outcome;
use crate::records::library::Library;
use crate::records::record::{Record, RecordKey, RecordResult};
use crate::records::verify::{ReplayCheck, Verification};
use crate::report::{n0, n1};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;
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

/// "1st" for a first attempt, else "repeat 2", "repeat 3"….
pub fn attempt_label(a: u32) -> String {
    if a <= 1 {
        "1st".into()
    } else {
        format!("repeat {a}")
    }
}

/// The temperament column: the id, starred when met for the first time.
fn met_label(r: &Entry) -> String {
    match &r.temperament {
        Some(t) if r.new_temperament => format!("{t}*"),
        Some(t) => t.clone(),
        None => "-".into(),
    }
}

/// Whether scores hold up on someone new: mean overall on temperaments met for the first
/// time (after the trainee's first run of that scenario) against those met before.
fn holds_up(t: &Trainee) -> Option<String> {
    let pick = |new: bool| -> Vec<f32> {
        t.runs
            .iter()
            .filter(|r| r.counted())
            .filter(|r| r.attempt > 1 && r.temperament.is_some() && r.new_temperament == new)
            .map(|r| r.scores[4])
            .collect()
    };
    let (new, known) = (pick(true), pick(false));
    if new.is_empty() || known.is_empty() {
        return None;
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    let (a, b) = (mean(&new), mean(&known));
    let verdict = if a + 5.0 < b {
        "scores drop on someone new: the skill may not yet transfer beyond a remembered person"
    } else {
        "scores hold up on someone new"
    };
    Some(format!(
        "On repeats, a temperament met for the first time (*): overall {} over {} run{}; one met before: {} over {} run{} — {verdict}.",
        n0(a),
        new.len(),
        if new.len() == 1 { "" } else { "s" },
        n0(b),
        known.len(),
        if known.len() == 1 { "" } else { "s" },
    ))
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

/// `YYYY-MM-DD HH:MM` (UTC) for seconds since the epoch; "unknown" for 0.
pub fn date(unix: u64) -> String {
    if unix == 0 {
        return "unknown".into();
    }
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60
    )
}

fn outcome_label(o: Option<Outcome>) -> &'static str {
    o.map_or("no ending", |o| o.label())
}

/// One line on how the overall score moved, over the runs whose scores hold up.
fn trend(t: &Trainee) -> String {
    let counted: Vec<(usize, &Entry)> = t
        .runs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.counted())
        .collect();
    let (Some(&(_, first)), Some(&(_, last))) = (counted.first(), counted.last()) else {
        return if t.runs.is_empty() {
            String::new()
        } else {
            "No trend: none of these runs reproduces the result stored in it.".into()
        };
    };
    let best = counted
        .iter()
        .max_by(|a, b| a.1.scores[4].total_cmp(&b.1.scores[4]).then(b.0.cmp(&a.0)))
        .map_or((1, first.scores[4]), |(i, r)| (i + 1, r.scores[4]));
    if counted.len() == 1 {
        return if t.runs.len() == 1 {
            format!("One run so far: overall {}.", n0(first.scores[4]))
        } else {
            format!(
                "One run counted (the others do not reproduce): overall {}.",
                n0(first.scores[4])
            )
        };
    }
    let d = last.scores[4] - first.scores[4];
    let rules = if first.scoring_version != last.scoring_version {
        format!(
            " The first run was scored by scoring version {}, the latest by {}: compare with care (†).",
            first.scoring_version, last.scoring_version
        )
    } else {
        String::new()
    };
    let left_out = t.runs.len() - counted.len();
    let left_out = if left_out > 0 {
        format!(
            " ({left_out} run{} left out: see ✗.)",
            if left_out == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    format!(
        "Overall {} → {} ({}{}) from the first to the latest run; best {} (run {}).{rules}{left_out}",
        n0(first.scores[4]),
        n0(last.scores[4]),
        if d >= 0.5 {
            "+"
        } else if d <= -0.5 {
            "\u{2212}"
        } else {
            "±"
        },
        n0(d.abs()),
        n0(best.1),
        best.0
    )
}

/// The terminal table, one block per trainee, with every control character shown safely
/// ([`crate::report::sanitize::terminal`]).
pub fn text(p: &Progress) -> String {
    crate::report::sanitize::terminal(&render_text(p))
}

fn render_text(p: &Progress) -> String {
    let mut o = String::new();
    let rule = "─".repeat(110);
    let runs: usize = p.trainees.iter().map(|t| t.runs.len()).sum();
    let _ = writeln!(o, "{rule}");
    let _ = writeln!(
        o,
        "PROGRESS — {} trainee{}, {} run{} from {}",
        p.trainees.len(),
        if p.trainees.len() == 1 { "" } else { "s" },
        runs,
        if runs == 1 { "" } else { "s" },
        p.folder.display()
    );
    let _ = writeln!(o, "{rule}");
    if !p.skipped.is_empty() {
        let _ = writeln!(
            o,
            "Skipped {} file{}:",
            p.skipped.len(),
            if p.skipped.len() == 1 { "" } else { "s" }
        );
        for k in &p.skipped {
            let _ = writeln!(o, "  {}: {}", k.file, k.reason);
        }
    }
    for t in &p.trainees {
        trainee_text(&mut o, t);
    }
    legend_text(&mut o, p);
    let _ = writeln!(o, "{rule}");
    o
}

/// One trainee's block: the runs, the trend, whether scores hold up on someone new.
fn trainee_text(o: &mut String, t: &Trainee) {
    let sc = t.scenarios();
    let _ = writeln!(
        o,
        "\n{} — {} run{} of {} scenario{} ({})",
        t.name,
        t.runs.len(),
        if t.runs.len() == 1 { "" } else { "s" },
        sc.len(),
        if sc.len() == 1 { "" } else { "s" },
        sc.join(", ")
    );
    let _ = writeln!(
        o,
        "  {:>3}  {:<16}  {:<18} {:<9} {:<12} {:<28} {:>5} {:>5} {:>5} {:>5} {:>7}  check",
        "#",
        "started (UTC)",
        "scenario",
        "attempt",
        "met",
        "outcome",
        "dist",
        "time",
        "tone",
        "verb",
        "overall"
    );
    for (i, r) in t.runs.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {:>3}  {:<16}  {:<18} {:<9} {:<12} {:<28} {:>5} {:>5} {:>5} {:>5} {:>7}  {:<14}{}",
            i + 1,
            date(r.started_unix),
            clip(&r.scenario_id, 18),
            attempt_label(r.attempt),
            clip(&met_label(r), 12),
            clip(outcome_label(r.outcome), 28),
            n0(r.scores[0]),
            n0(r.scores[1]),
            n0(r.scores[2]),
            n0(r.scores[3]),
            n0(r.scores[4]),
            check_label(r),
            if r.older_rules() {
                format!(" † v{}", r.scoring_version)
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(o, "  {}", trend(t));
    if let Some(h) = holds_up(t) {
        let _ = writeln!(o, "  {h}");
    }
    for (i, r) in t.runs.iter().enumerate().filter(|(_, r)| !r.counted()) {
        let _ = writeln!(
            o,
            "  ✗ run {} ({}): {}.",
            i + 1,
            r.file,
            r.verification.describe()
        );
    }
}

/// The check column: the verification's label, with "✗" for a run left out of the trend
/// and the version re-scored from.
fn check_label(r: &Entry) -> String {
    let mut l = r.verification.label().to_string();
    if let Some(v) = r.rescored_from {
        l.push_str(&format!(" (v{v})"));
    }
    if !r.counted() {
        l.push_str(" ✗");
    }
    l
}

/// What the marks mean, for those that appear.
fn legend_text(o: &mut String, p: &Progress) {
    let all: Vec<&Entry> = p.trainees.iter().flat_map(|t| &t.runs).collect();
    if all.iter().any(|r| r.new_temperament) {
        let _ = writeln!(
            o,
            "\n* the first time this trainee met this temperament in this scenario."
        );
    }
    let verified = all.iter().filter(|r| r.verification.verified()).count();
    let _ = writeln!(
        o,
        "\nCheck: {verified} of {} run{} verified. verified = re-simulated on its scenario to the result stored in it (or, scored by older rules, to the same run, then re-scored: \"(v1)\"); signed = not re-simulated (its scenario is not in the scenario folders, or has changed) but signed with this academy's key and unchanged; unverified = neither could be checked, so its scores are as stored; NOT REPRODUCED / EDITED ✗ = its inputs do not give the result stored in it, or it was changed after it was signed: shown as stored, left out of the trend.",
        all.len(),
        if all.len() == 1 { "" } else { "s" }
    );
    if all.iter().any(|r| r.older_rules()) {
        let _ = writeln!(
            o,
            "\n† scored by an older version of the scoring rules (this program uses version {SCORING_VERSION}) and not re-simulated, so not re-scored: \
             the scores stored in the record, not comparable with the \
             others (version 1 added up every line's verbal points, so longer contacts scored higher). \
             Pass the folder its scenario is in with --scenarios DIR to re-score it."
        );
    }
}

pub const CSV_HEADER: &str = "trainee,run,started_unix,started_utc,scenario,cohort,seed,ending,outcome,duration,distance,time,tone,verbal,overall,record_file,scoring_version,verified,verification,attempt,temperament,new_temperament";

/// One row per run, trainees by name, runs oldest first. `verified` says whether the row's
/// scores were checked (re-simulated, or signed), `verification` how.
pub fn csv(p: &Progress) -> String {
    let mut o = String::new();
    o.push_str(CSV_HEADER);
    o.push_str("\r\n");
    for t in &p.trainees {
        for (i, r) in t.runs.iter().enumerate() {
            let fields = [
                csv_field(&t.name),
                (i + 1).to_string(),
                r.started_unix.to_string(),
                csv_field(&date(r.started_unix)),
                csv_field(&r.scenario_id),
                csv_field(r.cohort.as_deref().unwrap_or("")),
                r.seed.to_string(),
                csv_field(r.ending.as_deref().unwrap_or("")),
                csv_field(r.outcome.map_or("", |o| o.label())),
                n1(r.duration),
                n1(r.scores[0]),
                n1(r.scores[1]),
                n1(r.scores[2]),
                n1(r.scores[3]),
                n1(r.scores[4]),
                csv_field(&r.file),
                r.scoring_version.to_string(),
                if r.verification.verified() {
                    "yes"
                } else {
                    "no"
                }
                .to_string(),
                csv_field(&r.verification.describe()),
                r.attempt.to_string(),
                csv_field(r.temperament.as_deref().unwrap_or("")),
                if r.new_temperament { "yes" } else { "no" }.to_string(),
            ];
            o.push_str(&fields.join(","));
            o.push_str("\r\n");
        }
    }
    o
}

/// Colour and dash pattern per dimension (the dash keeps lines apart without colour).
const LINE: [(&str, &str, &str); 5] = [
    ("Distance & cover", "#1d4ed8", ""),
    ("Time & pacing", "#047857", "14 8"),
    ("Tone of voice", "#b45309", "4 6"),
    ("Verbal choices", "#7e22ce", "16 6 4 6"),
    ("Overall", "#111827", ""),
];

const PAGE_CSS: &str = r#"
:root{--ink:#111827;--muted:#4b5563;--line:#d1d5db;--soft:#f3f4f6}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--ink);font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;line-height:1.45;font-size:18px}
main{max-width:1100px;margin:0 auto;padding:2rem 1.5rem 3rem}
h1{font-size:2rem;margin:.2rem 0 .6rem}
h2{font-size:1.45rem;margin:0 0 .3rem;padding-bottom:.3rem;border-bottom:3px solid var(--ink)}
section{margin:2.4rem 0 0;break-inside:avoid}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-weight:700;color:#1e3a8a;font-size:.85rem;margin:0}
.muted{color:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;margin:.6rem 0 .2rem;font-size:.95rem}
.legend svg{vertical-align:middle;margin-right:.35rem}
svg.chart{display:block;width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem;margin-top:.6rem}
th{text-align:left;border-bottom:2px solid var(--ink);padding:.3rem .5rem;font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
td{border-bottom:1px solid var(--line);padding:.3rem .5rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.skip{background:#fff4e0;border-left:6px solid #c27c0e;padding:.6rem 1rem;border-radius:4px}
@media print{body{font-size:12pt}main{max-width:none;padding:0}}
"#;

fn chart_svg(t: &Trainee) -> String {
    let (w, h) = (1000.0_f32, 430.0_f32);
    let (left, right, top, bottom) = (60.0, 980.0, 20.0, 340.0);
    let n = t.runs.len();
    let x = |i: usize| {
        if n <= 1 {
            (left + right) / 2.0
        } else {
            left + 60.0 + (right - left - 120.0) * i as f32 / (n - 1) as f32
        }
    };
    let y = |v: f32| bottom - (bottom - top) * v.clamp(0.0, 100.0) / 100.0;
    let mut o = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{} — scores per run\">",
        esc(&t.name)
    );
    for v in [0, 25, 50, 75, 100] {
        let yy = y(v as f32);
        let _ = write!(
            o,
            "<line x1=\"{left}\" x2=\"{right}\" y1=\"{0}\" y2=\"{0}\" stroke=\"#d1d5db\" stroke-width=\"{1}\"/><text x=\"{2}\" y=\"{3}\" font-size=\"16\" text-anchor=\"end\" fill=\"#4b5563\">{v}</text>",
            n2(yy),
            if v == 0 { 2 } else { 1 },
            n2(left - 10.0),
            n2(yy + 5.0)
        );
    }
    for (i, r) in t.runs.iter().enumerate() {
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"16\" text-anchor=\"middle\" fill=\"#111827\">{}</text>",
            n2(x(i)),
            n2(bottom + 26.0),
            i + 1
        );
        if n <= 12 {
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#4b5563\">{}</text>",
                n2(x(i)),
                n2(bottom + 46.0),
                esc(&clip(&r.scenario_id, 16))
            );
        }
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"15\" text-anchor=\"middle\" fill=\"#4b5563\">run (oldest first)</text>",
        n2((left + right) / 2.0),
        n2(h - 10.0)
    );
    for (d, (title, colour, dash)) in LINE.iter().enumerate() {
        let width = if d == 4 { 5 } else { 3 };
        // A run whose stored result does not hold up is not plotted.
        let shown = || t.runs.iter().enumerate().filter(|(_, r)| r.counted());
        let pts: Vec<String> = shown()
            .map(|(i, r)| format!("{},{}", n2(x(i)), n2(y(r.scores[d]))))
            .collect();
        if pts.len() > 1 {
            let _ = write!(
                o,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\" stroke-linejoin=\"round\"{}/>",
                pts.join(" "),
                if dash.is_empty() {
                    String::new()
                } else {
                    format!(" stroke-dasharray=\"{dash}\"")
                }
            );
        }
        for (i, r) in shown() {
            let _ = write!(
                o,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"2\"><title>Run {}: {} — {} {} ({})</title></circle>",
                n2(x(i)),
                n2(y(r.scores[d])),
                if d == 4 { 7 } else { 5 },
                i + 1,
                esc(&r.scenario_id),
                esc(title),
                n1(r.scores[d]),
                esc(&date(r.started_unix))
            );
        }
    }
    o.push_str("</svg>");
    o
}

fn legend() -> String {
    let mut o = String::from("<div class=\"legend\">");
    for (d, (title, colour, dash)) in LINE.iter().enumerate() {
        let _ = write!(
            o,
            "<span><svg width=\"44\" height=\"12\" aria-hidden=\"true\"><line x1=\"2\" x2=\"42\" y1=\"6\" y2=\"6\" stroke=\"{colour}\" stroke-width=\"{}\"{}/></svg>{}</span>",
            if d == 4 { 5 } else { 3 },
            if dash.is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{dash}\"")
            },
            esc(title)
        );
    }
    o.push_str("</div>");
    o
}

/// A self-contained HTML page: per trainee, a line chart of the dimensions over their runs
/// and the table of runs. Everything from records is escaped.
pub fn html(p: &Progress) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Trainee progress</title><style>{PAGE_CSS}</style></head><body><main>"
    );
    let runs: usize = p.trainees.iter().map(|t| t.runs.len()).sum();
    let _ = write!(
        o,
        "<p class=\"kicker\">Trainee progress</p><h1>{}</h1><p class=\"muted\">{} run{} from {}; scores 0–100 per run, oldest first, across scenarios. Dates are UTC.</p>",
        if p.trainees.len() == 1 {
            esc(&p.trainees[0].name)
        } else {
            format!("{} trainees", p.trainees.len())
        },
        runs,
        if runs == 1 { "" } else { "s" },
        esc(&p.folder.display().to_string())
    );
    if !p.skipped.is_empty() {
        let _ = write!(
            o,
            "<div class=\"skip\"><b>{} file{} could not be read:</b><ul>",
            p.skipped.len(),
            if p.skipped.len() == 1 { "" } else { "s" }
        );
        for k in &p.skipped {
            let _ = write!(o, "<li>{}: {}</li>", esc(&k.file), esc(&k.reason));
        }
        o.push_str("</ul></div>");
    }
    for t in &p.trainees {
        let sc = t.scenarios();
        let _ = write!(
            o,
            "<section><h2>{}</h2><p class=\"muted\">{} run{} of {} · {}</p>{}{}",
            esc(&t.name),
            t.runs.len(),
            if t.runs.len() == 1 { "" } else { "s" },
            esc(&sc.join(", ")),
            esc(&trend(t)),
            legend(),
            chart_svg(t)
        );
        o.push_str("<table><tr><th class=\"num\">#</th><th>Started (UTC)</th><th>Scenario</th><th>Attempt</th><th>Met</th><th>Outcome</th><th class=\"num\">Distance</th><th class=\"num\">Time</th><th class=\"num\">Tone</th><th class=\"num\">Verbal</th><th class=\"num\">Overall</th><th>Check</th></tr>");
        for (i, r) in t.runs.iter().enumerate() {
            let _ = write!(
                o,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td title=\"{}\">{}</td></tr>",
                i + 1,
                esc(&date(r.started_unix)),
                esc(&r.scenario_id),
                esc(&attempt_label(r.attempt)),
                esc(&met_label(r)),
                esc(outcome_label(r.outcome)),
                n0(r.scores[0]),
                n0(r.scores[1]),
                n0(r.scores[2]),
                n0(r.scores[3]),
                if r.older_rules() {
                    format!(
                        "{} <span class=\"muted\" title=\"scored by scoring version {}\">† v{}</span>",
                        n0(r.scores[4]),
                        r.scoring_version,
                        r.scoring_version
                    )
                } else {
                    n0(r.scores[4])
                },
                esc(&r.verification.describe()),
                esc(&check_label(r))
            );
        }
        o.push_str("</table>");
        if t.runs.iter().any(|r| r.older_rules()) {
            let _ = write!(
                o,
                "<p class=\"muted\">† scored by an older version of the scoring rules (this program uses version {SCORING_VERSION}) and not re-simulated: the scores stored in the record, not comparable with the others.</p>"
            );
        }
        if let Some(h) = holds_up(t) {
            let _ = write!(o, "<p>{}</p>", esc(&h));
        }
        for (i, r) in t.runs.iter().enumerate().filter(|(_, r)| !r.counted()) {
            let _ = write!(
                o,
                "<p>✗ Run {} ({}): {}; not plotted, and left out of the trend.</p>",
                i + 1,
                esc(&r.file),
                esc(&r.verification.describe())
            );
        }
        o.push_str("</section>");
    }
    o.push_str("</main></body></html>\n");
    o
}
