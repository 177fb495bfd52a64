//! Reading a folder of record files: which files count (`*.json`, not hidden), each one read
//! and classified (truncated, corrupt, another format version) in one line, identical copies
//! dropped, signatures checked. Used by the class debrief and by `progress`.

use crate::records::record::{RECORD_FORMAT, RECORD_VERSION, Record, RecordError, RecordKey};
use crate::records::verify::SignatureCheck;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A record file that was left out, and why (one line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file name (no folder).
    pub file: String,
    pub reason: String,
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

pub(super) fn one_line(s: &str) -> String {
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
