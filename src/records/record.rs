//! Session records: everything needed to reproduce a run (scenario id and content
//! hash, seed, trainee, the complete input log) plus its result, as JSON.
//!
//! Records are written to a temporary file in the same folder, flushed, synced and
//! renamed into place, so a reader never sees a half-written record. Each run has a unique
//! id; with an academy key ([`RecordKey`]) a record is signed as it is written.

use crate::assess::debrief::Debrief;
use crate::assess::score::SCORING_VERSION;
use crate::format::scenario::Scenario;
use crate::format::vocab::Outcome;
use crate::report::{n0, n1};
use crate::sim::script::InputLog;
use crate::sim::{Sim, SimError};
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::records::verify::{RecordKey, Signature};

pub const RECORD_FORMAT: &str = "deescalate-record";
pub const RECORD_VERSION: u32 = 1;
/// A record or journal larger than this is refused unread (a two-hour run's is a few MiB).
pub const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// The bytes of a file, or an error if it is larger than `limit` (read no further).
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB, too large to be read",
            limit / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

/// SHA-256 of a scenario file's bytes, as lowercase hex.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub format: String,
    pub version: u32,
    pub trainee: String,
    #[serde(default)]
    pub cohort: Option<String>,
    pub scenario_id: String,
    pub scenario_hash: String,
    /// Where the scenario was loaded from, for people reading the record. The command line
    /// never opens it: a record's scenario is found by id and hash ([`crate::records::library`]).
    #[serde(default)]
    pub scenario_path: Option<String>,
    pub seed: u64,
    /// The temperament the trainee met (drawn from the seed or pinned); replays pin it.
    #[serde(default)]
    pub temperament: Option<String>,
    /// Seconds since the Unix epoch when the run started.
    #[serde(default)]
    pub started_unix: u64,
    pub inputs: InputLog,
    /// Free-text notes an instructor added after the run.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The version of the scoring rules that computed `result`
    /// ([`SCORING_VERSION`](crate::assess::score::SCORING_VERSION) when the record was written).
    /// Records from before the field existed were scored by version 1.
    #[serde(default = "scoring_version_1")]
    pub scoring_version: u32,
    pub result: RecordResult,
    /// This run's unique id (128 random bits, hex), the same in a record recovered from its
    /// journal: two files with one run id are copies of one run. Empty in records from
    /// before the field existed.
    #[serde(default)]
    pub run_id: String,
    /// An academy key's HMAC over the rest of the record ([`crate::records::verify`]), if it was
    /// written with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

fn scoring_version_1() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordResult {
    pub ending: Option<String>,
    pub outcome: Option<Outcome>,
    pub timed_out: bool,
    pub duration: f32,
    pub distance: f32,
    pub time: f32,
    pub tone: f32,
    pub verbal: f32,
    pub overall: f32,
}

impl RecordResult {
    /// The scores by name, in the debrief's order, with the overall last.
    pub fn scores(&self) -> [(&'static str, f32); 5] {
        [
            ("distance", self.distance),
            ("time", self.time),
            ("tone", self.tone),
            ("verbal", self.verbal),
            ("overall", self.overall),
        ]
    }

    /// Whether `other` is the same run (ending, outcome, time limit, length), whatever the
    /// scores: what re-simulating must reproduce when the scoring rules have changed.
    pub fn same_run(&self, other: &RecordResult) -> bool {
        self.ending == other.ending
            && self.outcome == other.outcome
            && self.timed_out == other.timed_out
            && self.duration == other.duration
    }

    pub fn of(d: &Debrief) -> RecordResult {
        RecordResult {
            ending: d.ending_id.clone(),
            outcome: d.outcome,
            timed_out: d.timed_out,
            duration: d.duration,
            distance: d.scores.distance.score,
            time: d.scores.time.score,
            tone: d.scores.tone.score,
            verbal: d.scores.verbal.score,
            overall: d.scores.overall,
        }
    }
}

#[derive(Debug)]
pub enum RecordError {
    Io(PathBuf, std::io::Error),
    /// Not JSON, truncated, or the wrong shape: with line and column.
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    NotARecord(PathBuf),
    NewerVersion(PathBuf, u32),
    ScenarioMismatch {
        record: String,
        scenario: String,
    },
    Replay(u32, SimError),
    /// A journal that may not be recovered now (why: still being played, being recovered
    /// by another process, already recovered).
    InUse(PathBuf, String),
    /// Re-simulating did not give the stored result.
    Diverged {
        stored: Box<RecordResult>,
        replayed: Box<RecordResult>,
    },
    /// A record scored by other scoring rules: re-simulating did not give the same run
    /// (ending, outcome or length), so it cannot be re-scored.
    DivergedRun {
        stored: Box<RecordResult>,
        replayed: Box<RecordResult>,
    },
}

fn run_label(r: &RecordResult) -> String {
    format!(
        "{} after {:.1} s",
        r.ending.as_deref().unwrap_or("no ending"),
        r.duration
    )
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            RecordError::Parse {
                path,
                line,
                col,
                message,
            } => write!(
                f,
                "{}:{line}:{col}: not a readable record: {message}",
                path.display()
            ),
            RecordError::NotARecord(p) => write!(
                f,
                "{}: this JSON file is not a deescalate session record",
                p.display()
            ),
            RecordError::NewerVersion(p, v) => write!(
                f,
                "{}: record format version {v} is newer than this program understands ({RECORD_VERSION}); update deescalate",
                p.display()
            ),
            RecordError::ScenarioMismatch { record, scenario } => write!(
                f,
                "the record is for scenario `{record}` but the scenario file is `{scenario}`"
            ),
            RecordError::InUse(p, why) => write!(f, "{}: {why}", p.display()),
            RecordError::Replay(tick, e) => write!(
                f,
                "the record no longer replays on this scenario (at {:.1} s: {e})",
                *tick as f32 * crate::sim::DT
            ),
            RecordError::Diverged { stored, replayed } => write!(
                f,
                "re-simulating the record gave a different result (stored: {:?} {:.1}, replayed: {:?} {:.1})",
                stored.ending, stored.overall, replayed.ending, replayed.overall
            ),
            RecordError::DivergedRun { stored, replayed } => write!(
                f,
                "re-simulating the record gave a different run (stored: {}, replayed: {})",
                run_label(stored),
                run_label(replayed)
            ),
        }
    }
}

impl std::error::Error for RecordError {}

impl Record {
    #[allow(clippy::too_many_arguments)] // one per field a record needs; a builder would hide nothing
    pub fn new(
        scenario: &Scenario,
        scenario_hash: String,
        scenario_path: Option<&Path>,
        seed: u64,
        trainee: &str,
        cohort: Option<&str>,
        inputs: InputLog,
        debrief: &Debrief,
    ) -> Record {
        Record {
            format: RECORD_FORMAT.into(),
            version: RECORD_VERSION,
            trainee: trainee.to_string(),
            cohort: cohort.map(String::from),
            scenario_id: scenario.id.clone(),
            scenario_hash,
            scenario_path: scenario_path.map(|p| p.display().to_string()),
            seed,
            temperament: debrief.met.as_ref().map(|m| m.temperament.clone()),
            started_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            inputs,
            notes: Vec::new(),
            scoring_version: SCORING_VERSION,
            result: RecordResult::of(debrief),
            run_id: new_run_id(),
            signature: None,
        }
    }

    pub fn load(path: &Path) -> Result<Record, RecordError> {
        let io = |e| RecordError::Io(path.to_path_buf(), e);
        let bytes = read_limited(path, MAX_RECORD_BYTES).map_err(io)?;
        let text = String::from_utf8(bytes).map_err(|e| io(std::io::Error::other(e)))?;
        Record::from_json(path, &text)
    }

    pub fn from_json(path: &Path, text: &str) -> Result<Record, RecordError> {
        let parse_err = |e: serde_json::Error| RecordError::Parse {
            path: path.to_path_buf(),
            line: e.line(),
            col: e.column(),
            message: e.to_string(),
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(parse_err)?;
        if value.get("format").and_then(|v| v.as_str()) != Some(RECORD_FORMAT) {
            return Err(RecordError::NotARecord(path.to_path_buf()));
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        if version > RECORD_VERSION {
            return Err(RecordError::NewerVersion(path.to_path_buf(), version));
        }
        serde_json::from_value(value).map_err(parse_err)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("records always serialise")
    }

    /// Write atomically: temp file in the same folder, flush + fsync, rename. Signed with
    /// the key `$DEESCALATE_RECORD_KEY` names, if it names one that can be read (a record is
    /// never lost for want of its key: `deescalate run` checks the key before it starts).
    pub fn save(&self, path: &Path) -> Result<(), RecordError> {
        self.save_with(path, RecordKey::resolve(None).ok().flatten().as_ref())
    }

    /// [`Record::save`], signed with `key` if given.
    pub fn save_with(&self, path: &Path, key: Option<&RecordKey>) -> Result<(), RecordError> {
        let json = match key {
            Some(k) => self.signed(k).to_json(),
            None => self.to_json(),
        };
        write_atomic(path, json.as_bytes()).map_err(|e| RecordError::Io(path.to_path_buf(), e))
    }

    /// This record with its signature under `key` (over the JSON it is written as).
    pub fn signed(&self, key: &RecordKey) -> Record {
        let mut r = self.clone();
        r.signature = None;
        let value = serde_json::from_str::<serde_json::Value>(&r.to_json()).unwrap_or_default();
        r.signature = Some(crate::records::verify::sign(&value, key));
        r
    }

    /// Whether the stored scores were computed by this program's scoring rules.
    pub fn scored_by_current_rules(&self) -> bool {
        self.scoring_version == SCORING_VERSION
    }

    /// Re-simulate this record on `scenario` and build its debrief (with today's scoring
    /// rules). Fails if the scenario is a different one, the inputs no longer apply, or the
    /// result differs; see [`Record::replay_rescoring`] for records scored by other rules.
    pub fn replay(&self, scenario: Arc<Scenario>) -> Result<Debrief, RecordError> {
        self.replay_rescoring(scenario).map(|r| r.debrief)
    }

    /// Re-simulate this record on `scenario`. A record scored by today's rules must
    /// reproduce its stored result exactly. A record scored by another version of the rules
    /// must reproduce the same run (ending, outcome, length); its scores are then the
    /// re-scored ones, and [`Replayed::rescored`] says what changed.
    pub fn replay_rescoring(&self, scenario: Arc<Scenario>) -> Result<Replayed, RecordError> {
        if scenario.id != self.scenario_id {
            return Err(RecordError::ScenarioMismatch {
                record: self.scenario_id.clone(),
                scenario: scenario.id.clone(),
            });
        }
        let mut sim = Sim::with_temperament(
            Arc::clone(&scenario),
            self.seed,
            self.temperament.as_deref(),
        )
        .map_err(|e| RecordError::Replay(0, e))?;
        self.inputs
            .replay(&mut sim)
            .map_err(|(t, e)| RecordError::Replay(t, e))?;
        let mut debrief =
            crate::assess::debrief::build(&scenario, &sim.result(), Some(&self.trainee));
        crate::assess::debrief::note_voice(&mut debrief, &self.inputs);
        let replayed = RecordResult::of(&debrief);
        if self.scored_by_current_rules() {
            if replayed != self.result {
                return Err(RecordError::Diverged {
                    stored: Box::new(self.result.clone()),
                    replayed: Box::new(replayed),
                });
            }
            return Ok(Replayed {
                debrief,
                rescored: None,
            });
        }
        if !replayed.same_run(&self.result) {
            return Err(RecordError::DivergedRun {
                stored: Box::new(self.result.clone()),
                replayed: Box::new(replayed),
            });
        }
        Ok(Replayed {
            debrief,
            rescored: Some(Rescored {
                from: self.scoring_version,
                stored: self.result.clone(),
                now: replayed,
            }),
        })
    }

    /// What `deescalate debrief` prints for a record scored by other rules that cannot be
    /// re-simulated (`why` says why, e.g. "it does not replay: …"): the scores stored in
    /// it, and why they are the stored, older ones.
    pub fn stored_scores_report(&self, path: &Path, why: &str) -> String {
        format!(
            "{} — {}, scenario {}, seed {}\n\
             This record was scored with scoring version {} and cannot be re-scored with version \
             {SCORING_VERSION} (the rules this program uses), because {why}.\n\
             These are the scores stored in the record, by the version-{} rules; they are not \
             comparable with debriefs scored by version {SCORING_VERSION}:\n{}",
            path.display(),
            self.trainee,
            self.scenario_id,
            self.seed,
            self.scoring_version,
            self.scoring_version,
            self.stored_scores_text()
        )
    }

    /// The scores stored in the record, for when it cannot be re-simulated: the outcome
    /// and the five scores, one per line, indented by two spaces.
    pub fn stored_scores_text(&self) -> String {
        let r = &self.result;
        let mut out = format!(
            "  {:<20} {}{}, {}\n",
            "Outcome",
            r.outcome.map_or("no ending reached", |o| o.label()),
            r.ending
                .as_deref()
                .map(|e| format!(" (ending {e})"))
                .unwrap_or_default(),
            crate::assess::score::clock(r.duration)
        );
        for (name, v) in r.scores() {
            let title =
                crate::assess::score::Dimension::parse(name).map_or("Overall", |d| d.title());
            out.push_str(&format!("  {title:<20} {:>3}\n", n0(v)));
        }
        out
    }
}

/// A record re-simulated: its debrief, and whether its scores had to be recomputed.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub debrief: Debrief,
    /// `Some` when the record was scored by another version of the scoring rules.
    pub rescored: Option<Rescored>,
}

/// A record scored by another version of the scoring rules, re-scored by this one.
#[derive(Debug, Clone, PartialEq)]
pub struct Rescored {
    /// The scoring version the record was made with.
    pub from: u32,
    /// The scores stored in the record (by version `from`).
    pub stored: RecordResult,
    /// The scores by this program's rules ([`SCORING_VERSION`]).
    pub now: RecordResult,
}

impl Rescored {
    /// "re-scored with scoring version 2: verbal 58 → 71, overall 80 → 82": the scores that
    /// changed (all of them rounded as the debrief shows them).
    pub fn summary(&self) -> String {
        let changes: Vec<String> = self
            .stored
            .scores()
            .iter()
            .zip(self.now.scores())
            .filter(|((_, a), (_, b))| (a - b).abs() >= 0.05)
            .map(|((name, a), (_, b))| {
                if n0(*a) == n0(b) {
                    format!("{name} {} → {}", n1(*a), n1(b))
                } else {
                    format!("{name} {} → {}", n0(*a), n0(b))
                }
            })
            .collect();
        let what = if changes.is_empty() {
            "the same scores".to_string()
        } else {
            changes.join(", ")
        };
        format!(
            "re-scored with scoring version {SCORING_VERSION}: {what} (the record was scored with version {})",
            self.from
        )
    }
}

/// A new run id: 128 bits from the OS-seeded hasher keys, the time, this process and host.
pub fn new_run_id() -> String {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let mut h = Sha256::new();
    for _ in 0..2 {
        h.update(
            std::collections::hash_map::RandomState::new()
                .hash_one(n)
                .to_le_bytes(),
        );
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    h.update(now.as_nanos().to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(crate::records::lease::Holder::me().host.as_bytes());
    crate::records::hmac::hex(&h.finalize()[..16])
}

/// Write `bytes` to `path` so that readers see either nothing or the whole file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "record".into());
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The records folder: `--records DIR` if given, else `$DEESCALATE_RECORDS`, else
/// `$XDG_DATA_HOME/deescalate/records`, else `~/.local/share/deescalate/records`.
pub fn records_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("DEESCALATE_RECORDS").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if let Some(p) = std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        return PathBuf::from(p).join("deescalate/records");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|p| !p.is_empty()) {
        return PathBuf::from(home).join(".local/share/deescalate/records");
    }
    PathBuf::from("records")
}

pub fn slug(s: &str) -> String {
    let out = bare_slug(s);
    if out.is_empty() { "anon".into() } else { out }
}

/// A name in lower-case ASCII letters and digits joined by `-`, at most 40 characters; empty
/// when the name has none (what [`slug`] names "anon").
pub fn bare_slug(s: &str) -> String {
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

/// A file name no other PC writing to the same folder will pick: scenario, trainee,
/// time, host, process id and a random suffix.
pub fn unique_name(scenario_id: &str, trainee: &str) -> String {
    use rand::RngExt;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| slug(h.trim()))
        .unwrap_or_else(|| "host".into());
    let mut rng = rand::rngs::StdRng::seed_from_u64(
        now.as_nanos() as u64 ^ ((std::process::id() as u64) << 32),
    );
    format!(
        "{}_{}_{}_{}-{}-{:08x}.json",
        slug(scenario_id),
        slug(trainee),
        now.as_secs(),
        host,
        std::process::id(),
        rng.random::<u32>()
    )
}
