//! Anonymising file names: a record file name usually carries the trainee's name, so without
//! `--names` each name in it is replaced by the trainee's label ("trainee-a").

use super::load::{Class, Run};
use crate::cohort::fmt::slug;

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
pub(super) fn redact_class_file(file: &str, class: &Class) -> String {
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
