//! Whether a record's content can be trusted. An academy can sign records with a key it
//! keeps: an HMAC-SHA256 over the record's canonical content, so an edit is detectable even
//! where its scenario is not at hand. [`Verification`] combines what re-simulating a record
//! and checking its signature found, for `class`, `progress` and `debrief` to show.

use crate::records::hmac::{hex, hmac_sha256, same};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

/// The environment variable naming the academy's key file.
pub const KEY_ENV: &str = "DEESCALATE_RECORD_KEY";
/// A key shorter than this is refused: it could be guessed.
pub const MIN_KEY_BYTES: usize = 16;

/// An academy's signing key: the bytes of a file it keeps (trailing whitespace ignored).
#[derive(Clone)]
pub struct RecordKey {
    bytes: Vec<u8>,
    id: String,
}

impl std::fmt::Debug for RecordKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecordKey({})", self.id)
    }
}

impl RecordKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<RecordKey, String> {
        let end = bytes
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        let bytes = bytes[..end].to_vec();
        if bytes.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the key is {} bytes; a signing key needs at least {MIN_KEY_BYTES} (make one \
                 with `head -c 32 /dev/urandom | base64 > academy.key`)",
                bytes.len()
            ));
        }
        // An id that names the key without revealing it: the start of a keyed hash.
        let id = hex(&hmac_sha256(&bytes, b"deescalate key id")[..4]);
        Ok(RecordKey { bytes, id })
    }

    pub fn from_file(path: &Path) -> Result<RecordKey, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("{}: cannot read the record key: {e}", path.display()))?;
        RecordKey::from_bytes(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// `--key FILE` if given, else the file `$DEESCALATE_RECORD_KEY` names, else none.
    pub fn resolve(flag: Option<&Path>) -> Result<Option<RecordKey>, String> {
        if let Some(p) = flag {
            return RecordKey::from_file(p).map(Some);
        }
        match std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()) {
            Some(p) => RecordKey::from_file(Path::new(&p))
                .map(Some)
                .map_err(|e| format!("{e} (named by ${KEY_ENV})")),
            None => Ok(None),
        }
    }

    /// A short public name for the key (8 hex digits), stored beside each signature.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn mac(&self, canonical: &str) -> String {
        hex(&hmac_sha256(&self.bytes, canonical.as_bytes()))
    }
}

/// The signature in a signed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// Which key signed it ([`RecordKey::id`]).
    pub key_id: String,
    /// HMAC-SHA256 of the record's canonical content, hex.
    pub hmac_sha256: String,
}

/// The canonical content of a record as JSON text: every field but `signature`, objects'
/// keys sorted, no whitespace. Computed from the JSON as written, so it does not depend on
/// how this program's version reads the record.
pub fn canonical(record: &Value) -> String {
    let mut v = record.clone();
    if let Value::Object(m) = &mut v {
        m.remove("signature");
    }
    let mut out = String::new();
    write_canonical(&v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&m[k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The signature of the record whose JSON is `record` under `key`.
pub fn sign(record: &Value, key: &RecordKey) -> Signature {
    Signature {
        key_id: key.id.clone(),
        hmac_sha256: key.mac(&canonical(record)),
    }
}

/// What checking a record's signature found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SignatureCheck {
    /// No key to check with.
    NoKey,
    /// The record carries no signature.
    Unsigned,
    /// Signed with this key, and unchanged since.
    Valid,
    /// Signed with another key (its id): this key cannot tell.
    OtherKey(String),
    /// Signed with this key, and changed since: edited after it was written.
    Mismatch,
}

/// Check the signature of the record whose file text is `text`.
pub fn check(text: &str, key: Option<&RecordKey>) -> SignatureCheck {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return SignatureCheck::Unsigned;
    };
    check_value(&value, key)
}

pub fn check_value(value: &Value, key: Option<&RecordKey>) -> SignatureCheck {
    let Some(sig) = value
        .get("signature")
        .and_then(|s| serde_json::from_value::<Signature>(s.clone()).ok())
    else {
        return match key {
            None => SignatureCheck::NoKey,
            Some(_) => SignatureCheck::Unsigned,
        };
    };
    let Some(key) = key else {
        return SignatureCheck::NoKey;
    };
    if sig.key_id != key.id {
        return SignatureCheck::OtherKey(sig.key_id);
    }
    if same(
        key.mac(&canonical(value)).as_bytes(),
        sig.hmac_sha256.as_bytes(),
    ) {
        SignatureCheck::Valid
    } else {
        SignatureCheck::Mismatch
    }
}

/// What re-simulating a record found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ReplayCheck {
    /// It reproduced the stored result exactly.
    Reproduced,
    /// Scored by older rules (this version): the same run, re-scored with today's.
    Rescored(u32),
    /// It does not reproduce (why): the stored result is not what its inputs give.
    Differs(String),
    /// It could not be re-simulated (why: its scenario is not at hand, or has changed).
    NotChecked(String),
}

/// How far a record's result can be trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub replay: ReplayCheck,
    pub signature: SignatureCheck,
}

impl Verification {
    /// Shown as it is: re-simulated to the same run, or signed by the academy's key, and
    /// nothing found against it.
    pub fn verified(&self) -> bool {
        !self.contradicted()
            && (matches!(
                self.replay,
                ReplayCheck::Reproduced | ReplayCheck::Rescored(_)
            ) || self.signature == SignatureCheck::Valid)
    }

    /// Evidence that the record was changed: it does not reproduce, or its signature does
    /// not match.
    pub fn contradicted(&self) -> bool {
        matches!(self.replay, ReplayCheck::Differs(_)) || self.signature == SignatureCheck::Mismatch
    }

    /// A short label for tables: `verified`, `signed`, `NOT REPRODUCED`, `EDITED`,
    /// `unverified`.
    pub fn label(&self) -> &'static str {
        if self.signature == SignatureCheck::Mismatch {
            "EDITED"
        } else if matches!(self.replay, ReplayCheck::Differs(_)) {
            "NOT REPRODUCED"
        } else if matches!(
            self.replay,
            ReplayCheck::Reproduced | ReplayCheck::Rescored(_)
        ) {
            "verified"
        } else if self.signature == SignatureCheck::Valid {
            "signed"
        } else {
            "unverified"
        }
    }

    /// One line on what was checked and what it found.
    pub fn describe(&self) -> String {
        let replay = match &self.replay {
            ReplayCheck::Reproduced => "re-simulated: it reproduces".to_string(),
            ReplayCheck::Rescored(v) => {
                format!("re-simulated: the same run (scored by version {v} rules, re-scored)")
            }
            ReplayCheck::Differs(why) => format!("re-simulated: it does NOT reproduce ({why})"),
            ReplayCheck::NotChecked(why) => format!("not re-simulated ({why})"),
        };
        let signature = match &self.signature {
            SignatureCheck::NoKey => "signature not checked (no key)".to_string(),
            SignatureCheck::Unsigned => "not signed".to_string(),
            SignatureCheck::Valid => "signed with this academy's key".to_string(),
            SignatureCheck::OtherKey(id) => format!("signed with another key ({id})"),
            SignatureCheck::Mismatch => {
                "its signature does NOT match: edited after it was written".to_string()
            }
        };
        format!("{replay}; {signature}")
    }
}
