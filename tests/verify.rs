//! Scores are not taken on trust. `progress` re-simulates every run it can, as `class` does,
//! and marks the ones that do not reproduce; an academy can sign records with a key it keeps
//! (HMAC-SHA256 over the record's content) so that an edit shows even where the scenario file
//! is not at hand. The debrief and the CSVs say which runs were verified.

mod common;
use common::{bin, root, run_cmd};

use std::path::{Path, PathBuf};
use std::process::Output;

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("verify", name)
}

fn all(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn key_file(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("academy.key");
    std::fs::write(&p, text).unwrap();
    p
}

const KEY: &str = "8f3b1c2d9e7a6b5c4d3e2f1a0b9c8d7e\n";

/// A record of `scenario` by `trainee`, signed with `key` if given.
fn record(dir: &Path, scenario: &Path, name: &str, trainee: &str, key: Option<&Path>) -> PathBuf {
    let script = dir.join(format!("{name}.txt"));
    std::fs::write(&script, "0 walk 4.2 7.5\n12 say introduce calm\n0:40 end\n").unwrap();
    let rec = dir.join(format!("{name}.json"));
    let mut cmd = run_cmd(scenario, &script);
    cmd.args([
        "-q",
        "--trainee",
        trainee,
        "--record",
        rec.to_str().unwrap(),
    ]);
    match key {
        Some(k) => cmd.env("DEESCALATE_RECORD_KEY", k),
        None => cmd.env_remove("DEESCALATE_RECORD_KEY"),
    };
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", all(&out));
    std::fs::remove_file(&script).unwrap();
    rec
}

fn edit(path: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

fn perfect(v: &mut serde_json::Value) {
    for k in ["distance", "time", "tone", "verbal", "overall"] {
        v["result"][k] = serde_json::json!(100.0);
    }
}

fn knife() -> PathBuf {
    root().join("scenarios/knife_sidewalk.ron")
}

/// A small RFC 4180 reader (quoted fields, doubled quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

fn column<'a>(rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = rows[0].iter().position(|h| h == name).unwrap();
    rows[1..].iter().map(|r| r[i].as_str()).collect()
}

#[test]
fn progress_resimulates_and_marks_a_record_edited_to_perfect_scores() {
    let dir = tmpdir("progress");
    record(&dir, &knife(), "a-first", "Ada", None);
    let edited = record(&dir, &knife(), "b-second", "Ada", None);
    edit(&edited, perfect);
    let csv = dir.join("p.csv");
    let out = bin()
        .args(["progress", dir.to_str().unwrap(), "--csv"])
        .arg(&csv)
        .output()
        .unwrap();
    let text = all(&out);
    assert!(out.status.success(), "{text}");
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("2 "))
        .unwrap_or_else(|| panic!("no second run:\n{text}"));
    assert!(row.contains("NOT REPRODUCED"), "{text}");
    let first = text
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap();
    assert!(first.contains("verified"), "{text}");
    // The trend leaves the edited run out: one run counted.
    assert!(text.contains("One run counted"), "{text}");
    assert!(text.contains("✗ run 2 (b-second.json)"), "{text}");
    assert!(text.contains("does NOT reproduce"), "{text}");

    let rows = parse_csv(&std::fs::read_to_string(&csv).unwrap());
    assert_eq!(column(&rows, "verified"), vec!["yes", "no"]);
    assert!(column(&rows, "verification")[1].contains("does NOT reproduce"));
    assert_eq!(
        column(&rows, "overall")[1],
        "100",
        "shown as stored, marked"
    );

    let page = bin()
        .args(["progress", dir.to_str().unwrap(), "--html"])
        .arg(dir.join("p.html"))
        .output()
        .unwrap();
    assert!(page.status.success());
    let html = std::fs::read_to_string(dir.join("p.html")).unwrap();
    assert!(html.contains("NOT REPRODUCED"));
    assert!(html.contains("not plotted"));
}

#[test]
fn a_signed_record_shows_an_edit_where_its_scenario_is_not_at_hand() {
    let dir = tmpdir("signed");
    let key = key_file(&dir, KEY);
    // A scenario only this folder has: progress cannot re-simulate its runs.
    let private = dir.join("private");
    std::fs::create_dir_all(&private).unwrap();
    let sc = private.join("knife_private.ron");
    std::fs::write(
        &sc,
        std::fs::read_to_string(knife()).unwrap().replacen(
            "id: \"knife_sidewalk\"",
            "id: \"knife_private\"",
            1,
        ),
    )
    .unwrap();
    let records = dir.join("records");
    std::fs::create_dir_all(&records).unwrap();
    let good = record(&records, &sc, "a-good", "Ada", Some(&key));
    let bad = record(&records, &sc, "b-edited", "Ada", Some(&key));
    record(&records, &sc, "c-unsigned", "Ada", None);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&good).unwrap()).unwrap();
    assert_eq!(v["signature"]["hmac_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["run_id"].as_str().unwrap().len(), 32);
    edit(&bad, perfect);

    let csv = dir.join("p.csv");
    let out = bin()
        .args(["progress", records.to_str().unwrap(), "--key"])
        .arg(&key)
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    let text = all(&out);
    assert!(out.status.success(), "{text}");
    let rows = parse_csv(&std::fs::read_to_string(&csv).unwrap());
    assert_eq!(column(&rows, "verified"), vec!["yes", "no", "no"], "{text}");
    let how = column(&rows, "verification");
    assert!(how[0].contains("signed with this academy's key"), "{how:?}");
    assert!(how[1].contains("edited after it was written"), "{how:?}");
    assert!(how[2].contains("not signed"), "{how:?}");
    for (n, label) in [("1 ", "signed"), ("2 ", "EDITED"), ("3 ", "unverified")] {
        let row = text
            .lines()
            .find(|l| l.trim_start().starts_with(n))
            .unwrap();
        assert!(row.contains(label), "run {n}: {label}\n{text}");
    }

    // With the scenario's folder named, the signed runs are re-simulated too.
    let out = bin()
        .args(["progress", records.to_str().unwrap(), "--scenarios"])
        .arg(&private)
        .arg("--key")
        .arg(&key)
        .output()
        .unwrap();
    let text = all(&out);
    let row = |n: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(n))
            .unwrap()
            .to_string()
    };
    assert!(row("1 ").contains("verified"), "{text}");
    assert!(row("2 ").contains("EDITED"), "{text}");

    // The key from the environment does the same; another key cannot tell.
    let other = key_file(&private, "another academy's key, long enough\n");
    let out = bin()
        .args(["progress", records.to_str().unwrap()])
        .env("DEESCALATE_RECORD_KEY", &other)
        .output()
        .unwrap();
    let text = all(&out);
    assert!(out.status.success(), "{text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with(['1', '2', '3']))
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows.iter().all(|r| r.contains("unverified")), "{text}");
}

#[test]
fn class_and_debrief_say_which_runs_are_signed_and_which_were_edited() {
    let dir = tmpdir("class");
    let key = key_file(&dir, KEY);
    let records = dir.join("records");
    std::fs::create_dir_all(&records).unwrap();
    let a = record(&records, &knife(), "a", "Ada", Some(&key));
    let b = record(&records, &knife(), "b", "Bea", Some(&key));
    // Someone put their own name on another trainee's run: it re-simulates, but the
    // signature shows the edit.
    edit(&b, |v| v["trainee"] = serde_json::json!("Cy"));
    let csv = dir.join("c.csv");
    let out = bin()
        .args(["class", records.to_str().unwrap(), "--names", "--key"])
        .arg(&key)
        .arg("--csv")
        .arg(&csv)
        .output()
        .unwrap();
    let text = all(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("Verified: 2 of 2 counted runs re-simulated"),
        "{text}"
    );
    assert!(
        text.contains("Signatures: 1 signed with this academy's key"),
        "{text}"
    );
    assert!(text.contains("EDITED: Cy (b.json)"), "{text}");
    let rows = parse_csv(&std::fs::read_to_string(&csv).unwrap());
    assert_eq!(rows[0].join(","), deescalate::cohort::class::CSV_HEADER);
    assert_eq!(column(&rows, "verified"), vec!["yes", "no"]);
    assert!(column(&rows, "verification")[0].contains("it reproduces"));

    // Without a key, the class debrief says every run was re-simulated, nothing on keys.
    let out = bin()
        .args(["class", records.to_str().unwrap()])
        .env_remove("DEESCALATE_RECORD_KEY")
        .output()
        .unwrap();
    let text = all(&out);
    assert!(text.contains("Verified: 2 of 2"), "{text}");
    assert!(!text.contains("Signatures:"), "{text}");

    // `debrief` checks the signature too.
    let out = bin()
        .args(["debrief", a.to_str().unwrap(), "--key"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", all(&out));
    assert!(all(&out).contains("note: signed with this academy's key, and unchanged"));
    let out = bin()
        .args(["debrief", b.to_str().unwrap(), "--key"])
        .arg(&key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", all(&out));
    assert!(
        all(&out).contains("signature does not match"),
        "{}",
        all(&out)
    );
}

#[test]
fn a_key_must_be_readable_and_long_enough() {
    let dir = tmpdir("keys");
    let short = key_file(&dir, "secret\n");
    let scenario = knife();
    let script = dir.join("s.txt");
    std::fs::write(&script, "0 walk 4.2 7.5\n0:10 end\n").unwrap();
    let rec = dir.join("r.json");
    let out = run_cmd(&scenario, &script)
        .args(["-q", "--record", rec.to_str().unwrap()])
        .env("DEESCALATE_RECORD_KEY", &short)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", all(&out));
    assert!(all(&out).contains("at least 16"), "{}", all(&out));
    assert!(!rec.exists(), "refused before the run, not after");
    let out = bin()
        .args(["progress", dir.to_str().unwrap(), "--key"])
        .arg(dir.join("missing.key"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        all(&out).contains("cannot read the record key"),
        "{}",
        all(&out)
    );
}

/// The signature is over the record's content as written: whitespace and key order do not
/// matter, every value does.
#[test]
fn the_signature_covers_every_value_and_nothing_else() {
    use deescalate::records::verify::{RecordKey, SignatureCheck, check, sign};
    let key = RecordKey::from_bytes(KEY.as_bytes()).unwrap();
    let mut v = serde_json::json!({"format": "deescalate-record", "b": [1, 2.5, "x"], "a": {"z": null, "y": true}});
    v["signature"] = serde_json::to_value(sign(&v, &key)).unwrap();
    let pretty = serde_json::to_string_pretty(&v).unwrap();
    assert_eq!(check(&pretty, Some(&key)), SignatureCheck::Valid);
    let reordered = format!(
        "{{ \"b\": [1, 2.5, \"x\"],\n\"signature\": {},\n  \"a\": {{\"y\": true, \"z\": null}}, \"format\": \"deescalate-record\" }}",
        v["signature"]
    );
    assert_eq!(check(&reordered, Some(&key)), SignatureCheck::Valid);
    for edited in [
        pretty.replace("2.5", "2.6"),
        pretty.replace("true", "false"),
        pretty.replace("\"x\"", "\"X\""),
    ] {
        assert_eq!(check(&edited, Some(&key)), SignatureCheck::Mismatch);
    }
    assert_eq!(check(&pretty, None), SignatureCheck::NoKey);
    let other = RecordKey::from_bytes(b"a different key, long enough").unwrap();
    assert!(matches!(
        check(&pretty, Some(&other)),
        SignatureCheck::OtherKey(_)
    ));
}

/// A run scored by older rules is re-scored with today's when it re-simulates to the same
/// run, as `class` does: its scores are comparable with the others.
#[test]
fn progress_rescores_a_run_scored_by_older_rules() {
    let dir = tmpdir("rescore");
    let old = record(&dir, &knife(), "old", "Ada", None);
    let now = deescalate::records::record::Record::load(&old)
        .unwrap()
        .result;
    edit(&old, |v| {
        v.as_object_mut().unwrap().remove("scoring_version");
        v["result"]["verbal"] = serde_json::json!(26.0);
        v["result"]["overall"] = serde_json::json!(71.0);
    });
    let p = deescalate::cohort::progress::load(&dir).unwrap();
    let run = &p.trainees[0].runs[0];
    assert_eq!(run.rescored_from, Some(1));
    assert_eq!(
        run.scoring_version,
        deescalate::assess::score::SCORING_VERSION
    );
    assert!(!run.older_rules());
    assert_eq!(run.scores[3], now.verbal, "re-scored, not the stored 26");
    assert!(run.verification.verified());
    let text = deescalate::cohort::progress::text(&p);
    assert!(text.contains("verified (v1)"), "{text}");
    assert!(!text.contains('†'), "{text}");
}

/// Records written before run ids and signatures still load, and count.
#[test]
fn records_from_before_run_ids_still_load() {
    let dir = root().join("tests/fixtures/class/records");
    let rec = deescalate::records::record::Record::load(
        &dir.join("knife-sidewalk_alex-kim_1760000200_pc-03-102-0000000c.json"),
    )
    .unwrap();
    assert_eq!(rec.run_id, "");
    assert_eq!(rec.signature, None);
    let p = deescalate::cohort::progress::load(&dir).unwrap();
    let n: usize = p.trainees.iter().map(|t| t.runs.len()).sum();
    assert_eq!(n, 8, "{:#?}", p.skipped);
}
