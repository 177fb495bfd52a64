//! Who is writing a journal, and who may recover it: the writer's lease beside the journal
//! (`NAME.lease`: host, boot id, process, last flush), renewed every two seconds while the run
//! is open, and the exclusive claim (`NAME.claim`, created only if absent) a recoverer takes
//! once the writer is gone. What this needs of an SMB or NFS share: README, "Records".

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often a writer renews its lease.
pub const RENEW_EVERY: Duration = Duration::from_secs(2);
/// A lease from another computer not renewed for this long means its writer is gone. It
/// covers a network share's attribute caching (NFS caches for up to a minute by default)
/// and clocks that differ by up to a minute.
pub const GRACE_SECS: u64 = 120;
/// A journal with no lease (written by a version of the program from before leases) is
/// taken for a live run until it has not been written to for this long (those writers
/// flush once a second).
pub const QUIET_SECS: u64 = 30;

/// A process on a computer: who holds a lease or a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub host: String,
    /// Changes every time the computer starts (Linux); empty where unknown.
    #[serde(default)]
    pub boot_id: String,
    /// The process id namespace (containers on one computer have their own); empty where
    /// unknown.
    #[serde(default)]
    pub pid_ns: String,
    pub pid: u32,
    /// When the process started, in clock ticks after boot (so a reused process id is not
    /// mistaken for it); 0 where unknown.
    #[serde(default)]
    pub process_start: u64,
}

impl Holder {
    /// This process.
    pub fn me() -> &'static Holder {
        static ME: OnceLock<Holder> = OnceLock::new();
        ME.get_or_init(|| {
            let read = |p: &str| std::fs::read_to_string(p).map(|s| s.trim().to_string());
            Holder {
                host: host_name(),
                boot_id: read("/proc/sys/kernel/random/boot_id").unwrap_or_default(),
                pid_ns: std::fs::read_link("/proc/self/ns/pid")
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                pid: std::process::id(),
                process_start: read("/proc/self/stat")
                    .ok()
                    .and_then(|s| stat_fields(&s).map(|f| f.1))
                    .unwrap_or(0),
            }
        })
    }

    /// Whether process ids of `self` can be looked up here: the same computer, since it last
    /// started, in the same process namespace.
    fn same_machine(&self, other: &Holder) -> bool {
        !self.boot_id.is_empty()
            && self.boot_id == other.boot_id
            && self.host == other.host
            && self.pid_ns == other.pid_ns
    }

    /// Whether this process is still running, when that can be told from here.
    fn running(&self) -> Option<bool> {
        if !self.same_machine(Holder::me()) {
            return None;
        }
        match std::fs::read_to_string(format!("/proc/{}/stat", self.pid)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(false),
            Err(_) => None,
            Ok(s) => {
                let (state, start) = stat_fields(&s)?;
                let started_then = self.process_start == 0 || start == self.process_start;
                Some(!matches!(state, 'Z' | 'X') && started_then)
            }
        }
    }

    fn is_me(&self) -> bool {
        let me = Holder::me();
        self.same_machine(me) && self.pid == me.pid && self.process_start == me.process_start
    }

    fn label(&self) -> String {
        format!("{} (process {})", self.host, self.pid)
    }
}

/// State and start time (field 22) of a `/proc/PID/stat` line.
fn stat_fields(stat: &str) -> Option<(char, u64)> {
    // The command name (field 2) is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let start = fields.get(19)?.parse().ok()?;
    Some((state, start))
}

fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .chain(
            ["HOSTNAME", "COMPUTERNAME"]
                .iter()
                .filter_map(|v| std::env::var(v).ok()),
        )
        .find(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What a writer says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    #[serde(flatten)]
    pub holder: Holder,
    /// When the lease was last renewed (seconds since the Unix epoch, the writer's clock).
    pub renewed_unix: u64,
    /// Ticks written to the journal and flushed to disk so far, and when (0: not yet).
    #[serde(default)]
    pub flushed_ticks: u32,
    #[serde(default)]
    pub flushed_unix: u64,
}

/// An exclusive claim to recover a journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ClaimFile {
    #[serde(flatten)]
    holder: Holder,
    claimed_unix: u64,
}

pub fn lease_path(journal: &Path) -> PathBuf {
    journal.with_extension("lease")
}

pub fn claim_path(journal: &Path) -> PathBuf {
    journal.with_extension("claim")
}

/// Seconds since `unix` (by this computer's clock) or since `file` was last modified (by the
/// file server's), whichever is less: a clock running ahead on either side never makes a
/// live writer look gone sooner.
fn quiet_for(unix: Option<u64>, file: &Path) -> u64 {
    let now = unix_now();
    let by_stamp = unix.map(|u| now.saturating_sub(u));
    let by_mtime = std::fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| t.elapsed().map_or(0, |d| d.as_secs()));
    match (by_stamp, by_mtime) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(0),
    }
}

/// What is known about a journal's writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Writer {
    /// Still writing, or cannot be ruled out: leave the journal alone.
    Live(String),
    /// This very process wrote it (whether its run is still open is the caller's to know).
    Own,
    /// Gone (why): the journal may be claimed.
    Gone(String),
}

/// Whether the writer of `journal` is still at work.
pub fn writer(journal: &Path) -> Writer {
    let lease_file = lease_path(journal);
    let lease = match std::fs::read(&lease_file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let quiet = quiet_for(None, journal);
            return if quiet < QUIET_SECS {
                Writer::Live(format!(
                    "written {quiet} s ago (by a program without leases)"
                ))
            } else {
                Writer::Gone(format!("not written for {quiet} s"))
            };
        }
        Err(e) => return Writer::Live(format!("its lease cannot be read ({e})")),
        Ok(bytes) => serde_json::from_slice::<Lease>(&bytes).ok(),
    };
    let Some(lease) = lease else {
        let quiet = quiet_for(None, &lease_file);
        return if quiet < GRACE_SECS {
            Writer::Live("its lease is being written".into())
        } else {
            Writer::Gone(format!("its lease is damaged and {quiet} s old"))
        };
    };
    let h = &lease.holder;
    if h.is_me() {
        return Writer::Own;
    }
    match h.running() {
        Some(true) => {
            let why = format!("still being played on this computer (process {})", h.pid);
            return Writer::Live(why);
        }
        Some(false) => {
            let why = format!("its program (process {}) is no longer running", h.pid);
            return Writer::Gone(why);
        }
        None => {}
    }
    // Another computer (or this one before it restarted: cloned PCs can share a name, so a
    // different boot id alone proves nothing): only the lease's age tells.
    let quiet = quiet_for(Some(lease.renewed_unix), &lease_file);
    if quiet < GRACE_SECS {
        Writer::Live(format!(
            "still being played on {} (process {}; lease renewed {quiet} s ago)",
            h.host, h.pid
        ))
    } else {
        Writer::Gone(format!(
            "its lease from {} was last renewed {quiet} s ago",
            h.label()
        ))
    }
}

/// Who is recovering `journal` right now, if anyone.
pub fn claimed_by(journal: &Path) -> Option<String> {
    let path = claim_path(journal);
    let bytes = std::fs::read(&path).ok()?;
    let claim = serde_json::from_slice::<ClaimFile>(&bytes).ok();
    (!claim_is_stale(claim.as_ref(), &path)).then(|| match claim {
        Some(c) => format!("being recovered by {}", c.holder.label()),
        None => "being recovered".into(),
    })
}

fn claim_is_stale(claim: Option<&ClaimFile>, path: &Path) -> bool {
    if let Some(c) = claim
        && c.holder.running() == Some(false)
    {
        return true;
    }
    quiet_for(claim.map(|c| c.claimed_unix), path) >= GRACE_SECS
}

// ---------------------------------------------------------------------------------------
// The writer's side
// ---------------------------------------------------------------------------------------

/// The lease of an open journal: written when the journal is created, renewed by a thread
/// every [`RENEW_EVERY`] while this value lives, removed when it is dropped.
pub struct Heartbeat {
    path: PathBuf,
    flushed: Arc<(AtomicU32, AtomicU64)>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Heartbeat {
    /// Create the lease for `journal` (which must not exist yet: the lease comes first, so a
    /// journal is never seen without one) and start renewing it.
    pub fn start(journal: &Path) -> std::io::Result<Heartbeat> {
        use std::io::Write;
        let path = lease_path(journal);
        let flushed = Arc::new((AtomicU32::new(0), AtomicU64::new(0)));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        f.write_all(&lease_json(&flushed))?;
        f.sync_all()?;
        let (stop, rx) = mpsc::channel::<()>();
        let (p, fl, j) = (path.clone(), Arc::clone(&flushed), journal.to_path_buf());
        let thread = std::thread::Builder::new()
            .name("journal-lease".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(RENEW_EVERY) {
                    // The journal was removed under it (recovered by this very process): there
                    // is nothing left to lease. Any other error may be a share that is briefly
                    // away: the renewal is tried again next time.
                    if std::fs::metadata(&j)
                        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                    {
                        let _ = std::fs::remove_file(&p);
                        break;
                    }
                    let _ = crate::records::record::write_atomic(&p, &lease_json(&fl));
                }
            })?;
        Ok(Heartbeat {
            path,
            flushed,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Note that `ticks` are now flushed to disk (the next renewal says so).
    pub fn flushed(&self, ticks: u32) {
        self.flushed.0.store(ticks, Ordering::Relaxed);
        self.flushed.1.store(unix_now(), Ordering::Relaxed);
    }
}

fn lease_json(flushed: &(AtomicU32, AtomicU64)) -> Vec<u8> {
    let lease = Lease {
        holder: Holder::me().clone(),
        renewed_unix: unix_now(),
        flushed_ticks: flushed.0.load(Ordering::Relaxed),
        flushed_unix: flushed.1.load(Ordering::Relaxed),
    };
    serde_json::to_vec(&lease).unwrap_or_default()
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

// ---------------------------------------------------------------------------------------
// The recoverer's side
// ---------------------------------------------------------------------------------------

/// Why a journal could not be claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Its writer is still at work (why).
    Live(String),
    /// Another process is recovering it (who).
    Claimed(String),
    /// It is gone: already recovered, or its run finished.
    Gone,
    Io(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Live(why) => write!(f, "left alone: {why}"),
            Refused::Claimed(who) => write!(f, "left alone: {who}"),
            Refused::Gone => write!(f, "already recovered or finished"),
            Refused::Io(e) => write!(f, "cannot claim it: {e}"),
        }
    }
}

/// The exclusive right to recover one journal; released (its file removed) when dropped.
#[derive(Debug)]
pub struct Claim {
    path: PathBuf,
}

impl Claim {
    /// Claim `journal` for recovery: only if its writer is gone (or is this process) and no
    /// other process holds a claim. A stale claim (its process gone, or [`GRACE_SECS`] old)
    /// is broken first.
    pub fn take(journal: &Path) -> Result<Claim, Refused> {
        if let Writer::Live(why) = writer(journal) {
            return Err(Refused::Live(why));
        }
        let path = claim_path(journal);
        for _ in 0..2 {
            match create_claim(&path) {
                Ok(()) => {
                    let claim = Claim { path };
                    // Someone may have finished recovering it between our look and our claim.
                    if !journal.exists() {
                        return Err(Refused::Gone);
                    }
                    return Ok(claim);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let held = std::fs::read(&path)
                        .ok()
                        .and_then(|b| serde_json::from_slice::<ClaimFile>(&b).ok());
                    if !claim_is_stale(held.as_ref(), &path) {
                        let who = held.map_or("another program".into(), |c| c.holder.label());
                        return Err(Refused::Claimed(format!("being recovered by {who}")));
                    }
                    break_stale(&path, held.as_ref())?;
                }
                Err(e) => return Err(Refused::Io(format!("{}: {e}", path.display()))),
            }
        }
        Err(Refused::Claimed(
            "being recovered by another program".into(),
        ))
    }
}

fn create_claim(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let claim = ClaimFile {
        holder: Holder::me().clone(),
        claimed_unix: unix_now(),
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(&serde_json::to_vec(&claim).unwrap_or_default())?;
    f.sync_all()
}

/// Move a stale claim out of the way. Renaming lets exactly one breaker win; if what it
/// moved is not the claim it judged stale (a new claim came in between), it is put back.
fn break_stale(path: &Path, judged: Option<&ClaimFile>) -> Result<(), Refused> {
    let aside = path.with_extension(format!(
        "claim.stale-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    ));
    match std::fs::rename(path, &aside) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Refused::Io(format!("{}: {e}", path.display()))),
    }
    let moved = std::fs::read(&aside)
        .ok()
        .and_then(|b| serde_json::from_slice::<ClaimFile>(&b).ok());
    if moved.as_ref() != judged {
        let _ = std::fs::rename(&aside, path);
        return Err(Refused::Claimed(
            "being recovered by another program".into(),
        ));
    }
    let _ = std::fs::remove_file(&aside);
    Ok(())
}

impl Drop for Claim {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
