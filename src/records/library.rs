//! Known scenario folders, and finding the scenario a record or journal was made on by its id
//! and the SHA-256 of its file. No path stored in a record or journal is ever opened: only
//! `*.ron` files in these folders are read, in this order — `--scenarios DIR` flags, the
//! academy library (`$DEESCALATE_SCENARIOS`), the bundled `scenarios/` folder.

use crate::format::scenario::{MAX_FILE_BYTES, Scenario};
use crate::records::record::{content_hash, read_limited};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The academy's scenario library: one folder, or several separated as in `PATH`.
pub const LIBRARY_ENV: &str = "DEESCALATE_SCENARIOS";

/// At most this many scenario files are looked at per folder.
const MAX_FILES_PER_DIR: usize = 2000;

/// A scenario found for a record.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub scenario: Arc<Scenario>,
    /// SHA-256 of the file.
    pub hash: String,
}

impl Found {
    /// Whether this is the very file the record was made on (same content hash).
    pub fn is_exact(&self, hash: &str) -> bool {
        self.hash == hash
    }
}

/// One scenario file: its bytes' hash, and what loading it gave (once asked).
struct File {
    path: PathBuf,
    hash: String,
    bytes: Option<Vec<u8>>,
    loaded: Option<Result<Arc<Scenario>, String>>,
}

impl File {
    fn load(&mut self) -> Result<Arc<Scenario>, String> {
        if self.loaded.is_none() {
            let bytes = self.bytes.take().unwrap_or_default();
            let label = self.path.display().to_string();
            let report = crate::check::check_bytes(&label, &bytes);
            self.loaded = Some(match report.scenario.as_ref() {
                Some(s) if !report.has_errors() => Ok(Arc::new(s.clone())),
                _ => Err(format!("{label} has errors:\n{}", report.render(false))),
            });
        }
        self.loaded
            .clone()
            .unwrap_or_else(|| Err("not loaded".into()))
    }

    fn found(&mut self) -> Option<Found> {
        let scenario = self.load().ok()?;
        Some(Found {
            path: self.path.clone(),
            scenario,
            hash: self.hash.clone(),
        })
    }
}

/// The known scenario folders, read lazily and cached: a `Library` answers many look-ups
/// (a folder of records) reading each file once.
pub struct Library {
    dirs: Vec<PathBuf>,
    files: Option<Vec<File>>,
    by_id: HashMap<(String, String), Result<Found, String>>,
}

impl Library {
    /// `extra` (`--scenarios` flags), then `$DEESCALATE_SCENARIOS`, then `scenarios/` in the
    /// current folder and next to the program.
    pub fn new(extra: &[PathBuf]) -> Library {
        let mut dirs: Vec<PathBuf> = extra.to_vec();
        if let Some(v) = std::env::var_os(LIBRARY_ENV) {
            dirs.extend(std::env::split_paths(&v).filter(|p| !p.as_os_str().is_empty()));
        }
        dirs.push(PathBuf::from("scenarios"));
        if let Some(exe_dir) = std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(Path::to_path_buf))
        {
            dirs.push(exe_dir.join("scenarios"));
        }
        Library::only(dirs)
    }

    /// Exactly these folders, in this order.
    pub fn only(dirs: Vec<PathBuf>) -> Library {
        let mut seen = Vec::new();
        let mut kept = Vec::new();
        for d in dirs {
            let key = std::fs::canonicalize(&d).unwrap_or_else(|_| d.clone());
            if !seen.contains(&key) {
                seen.push(key);
                kept.push(d);
            }
        }
        Library {
            dirs: kept,
            files: None,
            by_id: HashMap::new(),
        }
    }

    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// The folders as a list for messages, leaving out ones that do not exist.
    pub fn describe(&self) -> String {
        let shown: Vec<String> = self
            .dirs
            .iter()
            .filter(|d| d.is_dir())
            .map(|d| d.display().to_string())
            .collect();
        if shown.is_empty() {
            "no scenario folder exists".into()
        } else {
            shown.join(", ")
        }
    }

    fn files(&mut self) -> &mut Vec<File> {
        let dirs = &self.dirs;
        self.files.get_or_insert_with(|| list(dirs))
    }

    /// The scenario `id` whose file hashes to `hash`; failing that, the scenario `id` in
    /// another version (the first by folder order, a file named `<id>.ron` first).
    pub fn find(&mut self, id: &str, hash: &str) -> Result<Found, String> {
        let key = (id.to_string(), hash.to_string());
        if let Some(r) = self.by_id.get(&key) {
            return r.clone();
        }
        let r = self.search(id, hash);
        self.by_id.insert(key, r.clone());
        r
    }

    fn search(&mut self, id: &str, hash: &str) -> Result<Found, String> {
        let mut broken = None;
        for f in self.files().iter_mut().filter(|f| f.hash == hash) {
            match f.load() {
                Ok(s) if s.id == id => return f.found().ok_or_else(|| "not loaded".into()),
                Ok(_) => {}
                Err(e) => broken = Some(e),
            }
        }
        if let Some(e) = broken {
            return Err(e);
        }
        let stem = format!("{id}.ron");
        let named = |f: &File| f.path.file_name().is_some_and(|n| *n == *stem);
        let files = self.files();
        let order: Vec<usize> = (0..files.len())
            .filter(|&i| named(&files[i]))
            .chain((0..files.len()).filter(|&i| !named(&files[i])))
            .collect();
        for i in order {
            if files[i].load().is_ok_and(|s| s.id == id) {
                return files[i].found().ok_or_else(|| "not loaded".into());
            }
        }
        Err(format!(
            "no scenario `{id}` in the scenario folders ({}); pass --scenarios DIR",
            self.describe()
        ))
    }
}

/// The `*.ron` files of `dirs`, each folder's in name order, read and hashed.
fn list(dirs: &[PathBuf]) -> Vec<File> {
    let mut out = Vec::new();
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(d) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron") && p.is_file())
            .collect();
        paths.sort();
        paths.truncate(MAX_FILES_PER_DIR);
        for path in paths {
            if let Ok(bytes) = read_limited(&path, MAX_FILE_BYTES as u64) {
                out.push(File {
                    hash: content_hash(&bytes),
                    bytes: Some(bytes),
                    path,
                    loaded: None,
                });
            }
        }
    }
    out
}
