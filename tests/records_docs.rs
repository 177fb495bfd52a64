//! The examples quoted in docs/scoring.md's "Records" subsection are the program's output.
//! A fenced block right after `<!-- records: NAME -->` quotes the output of the example NAME
//! built here: each of its lines (after the `$` command line) must appear in the output, in
//! order, where `…` stands for any text (a path, a time, a count that varies).

mod common;
use common::{bin, root, run_cmd};

use std::path::{Path, PathBuf};

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("recdocs", name)
}

fn output(cmd: &mut std::process::Command) -> String {
    let o = cmd.current_dir(root()).output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A knife_sidewalk record by `trainee` in `dir`, signed with `key` if given.
fn record(dir: &Path, name: &str, trainee: &str, key: Option<&Path>) -> PathBuf {
    let script = dir.with_extension(format!("{name}.txt"));
    std::fs::write(&script, "0 walk 4.2 7.5\n12 say introduce calm\n0:40 end\n").unwrap();
    let rec = dir.join(format!("{name}.json"));
    let mut cmd = run_cmd(&root().join("scenarios/knife_sidewalk.ron"), &script);
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
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    rec
}

fn edit(path: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

fn key(dir: &Path) -> PathBuf {
    let k = dir.join("academy.key");
    std::fs::write(&k, "c2VjcmV0IGtlcHQgYnkgdGhlIGFjYWRlbXkK\n").unwrap();
    k
}

/// A journal of a dementia_car_park run that stopped 26 s in, and one still being played on
/// another PC; `deescalate recover` on the folder.
fn recover() -> String {
    let dir = tmpdir("recover");
    let script = dir.with_extension("txt");
    std::fs::write(&script, "0 walk 0 6\n0:26 end\n").unwrap();
    let rec = dir.join("src.json");
    let out = run_cmd(&root().join("scenarios/dementia_car_park.ron"), &script)
        .args(["-q", "--record", rec.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    std::fs::remove_file(&rec).unwrap();
    let journal = |name: &str, trainee: &str| {
        let mut text = serde_json::json!({
            "journal": "deescalate-journal", "version": 1, "trainee": trainee,
            "scenario_id": v["scenario_id"], "scenario_hash": v["scenario_hash"],
            "seed": v["seed"], "started_unix": 0
        })
        .to_string();
        text.push('\n');
        for e in v["inputs"]["entries"].as_array().unwrap() {
            text.push_str(&e.to_string());
            text.push('\n');
        }
        text.push_str(&format!("{{\"flushed\":{}}}\n", v["inputs"]["ticks"]));
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let now = std::time::SystemTime::now();
    let secs = now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let live = journal("dementia-car-park_alex-kim_pc-07.journal", "Alex Kim");
    std::fs::write(
        live.with_extension("lease"),
        serde_json::json!({"host": "pc-07", "pid": 4242, "renewed_unix": secs - 1}).to_string(),
    )
    .unwrap();
    let dead = journal("dementia-car-park_sam-patel_pc-03.journal", "Sam Patel");
    std::fs::File::options()
        .append(true)
        .open(&dead)
        .unwrap()
        .set_modified(now - std::time::Duration::from_secs(600))
        .unwrap();
    output(bin().args(["recover", "--records", dir.to_str().unwrap()]))
}

/// Two signed knife_sidewalk runs, one with another trainee's name put on it.
fn class_signed() -> String {
    let dir = tmpdir("class");
    let k = key(&dir);
    let records = dir.join("records");
    std::fs::create_dir_all(&records).unwrap();
    record(&records, "run-1", "Ada Jones", Some(&k));
    let b = record(&records, "run-2", "Ben Okafor", Some(&k));
    edit(&b, |v| v["trainee"] = serde_json::json!("Ada Jones"));
    output(
        bin()
            .args(["class", records.to_str().unwrap(), "--key"])
            .arg(&k),
    )
}

/// Ada's two runs, the second edited to perfect scores.
fn progress_edited() -> String {
    let dir = tmpdir("progress");
    record(&dir, "a", "Ada Jones", None);
    let b = record(&dir, "b", "Ada Jones", None);
    edit(&b, |v| {
        for k in ["distance", "time", "tone", "verbal", "overall"] {
            v["result"][k] = serde_json::json!(100.0);
        }
    });
    output(bin().args(["progress", dir.to_str().unwrap(), "--trainee", "Ada Jones"]))
}

fn debrief_old() -> String {
    output(bin().args([
        "debrief",
        "tests/fixtures/class/records/knife-sidewalk_morgan-lee_1760000500_pc-06-105-0000000f.json",
    ]))
}

/// Whether `line` matches `pattern`, where each `…` in the pattern stands for any text.
fn matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split('…').collect();
    let Some(rest) = line.strip_prefix(parts[0]) else {
        return false;
    };
    let mut rest = rest;
    for (i, p) in parts.iter().enumerate().skip(1) {
        if i == parts.len() - 1 {
            return rest.ends_with(p);
        }
        match rest.find(p) {
            Some(at) => rest = &rest[at + p.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[test]
fn the_records_examples_in_the_scoring_guide_are_what_the_program_prints() {
    let text = std::fs::read_to_string(root().join("docs/scoring.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut checked = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(name) = l
            .trim()
            .strip_prefix("<!-- records: ")
            .and_then(|m| m.strip_suffix(" -->"))
        else {
            continue;
        };
        let printed = match name {
            "recover" => recover(),
            "class-signed" => class_signed(),
            "progress-edited" => progress_edited(),
            "debrief-old" => debrief_old(),
            other => panic!("docs/scoring.md:{}: no example called {other}", i + 1),
        };
        let quoted: Vec<&str> = lines[i + 2..]
            .iter()
            .take_while(|q| !q.trim_start().starts_with("```"))
            .map(|q| q.trim())
            .filter(|q| !q.is_empty() && !q.starts_with('$'))
            .collect();
        assert!(!quoted.is_empty(), "docs/scoring.md:{}: empty block", i + 1);
        let out: Vec<&str> = printed.lines().map(str::trim).collect();
        let mut at = 0;
        for q in quoted {
            match out[at..].iter().position(|o| matches(q, o)) {
                Some(p) => at += p + 1,
                None => panic!(
                    "docs/scoring.md, example `{name}`: the program does not print (in order):\n{q}\n--- it printed:\n{printed}"
                ),
            }
        }
        checked.push(name);
    }
    assert_eq!(
        checked,
        vec!["debrief-old", "recover", "class-signed", "progress-edited"]
    );
}

#[test]
fn the_ellipsis_matches_any_text() {
    assert!(matches("a … c", "a b c"));
    assert!(matches("a …", "a anything"));
    assert!(matches("… c", "x c"));
    assert!(!matches("a … c", "a b d"));
    assert!(matches("exact", "exact"));
    assert!(!matches("exact", "exactly"));
}
