//! A record or journal never names a file to open. Its scenario is found by id and content
//! hash among the known scenario folders (`--scenarios DIR`, `$DEESCALATE_SCENARIOS`, the
//! bundled `scenarios/`); a stored `scenario_path` is never read, and one bad record never
//! stops a class debrief.
//!
//! The stored path names a named pipe: opening it for reading would block, so a command
//! that followed it would never return. The other files are a "secret" whose content must
//! never be printed.

mod common;
use common::{bin, root, run_cmd};

use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

const SECRET: &str = "root:x:0:0:TOP-SECRET-MARKER:/root:/bin/bash";

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("paths", name)
}

/// A named pipe nobody writes to, and a secret file.
fn traps(dir: &Path) -> (PathBuf, PathBuf) {
    let fifo = dir.join("pipe.ron");
    let st = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(st.success(), "mkfifo");
    let secret = dir.join("secret.ron");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    (fifo, secret)
}

/// Wait for a command, failing if it has not finished in 20 s (it opened the pipe).
fn finish(mut child: Child, what: &str) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{what} hung: it opened the path stored in the record");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn spawn(cmd: &mut std::process::Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .current_dir(root())
        .spawn()
        .unwrap()
}

fn all(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A knife_sidewalk record made now, with `scenario_path` set to `stored`.
fn record(dir: &Path, name: &str, trainee: &str, stored: &Path) -> PathBuf {
    let script = dir.join(format!("{name}.txt"));
    std::fs::write(&script, "0 walk 4.2 7.5\n12 say introduce calm\n0:40 end\n").unwrap();
    let rec = dir.join(format!("{name}.json"));
    let out = run_cmd(&root().join("scenarios/knife_sidewalk.ron"), &script)
        .args([
            "-q",
            "--trainee",
            trainee,
            "--record",
            rec.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", all(&out));
    std::fs::remove_file(&script).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    v["scenario_path"] = serde_json::json!(stored);
    std::fs::write(&rec, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    rec
}

#[test]
fn debrief_finds_the_scenario_by_id_and_hash_not_by_the_stored_path() {
    let dir = tmpdir("debrief");
    let (fifo, secret) = traps(&dir);
    let rec = record(&dir, "a", "Ada", &fifo);
    let out = finish(
        spawn(bin().args(["debrief", rec.to_str().unwrap()])),
        "debrief",
    );
    assert!(out.status.success(), "{}", all(&out));
    assert!(all(&out).contains("Ada"));

    let rec = record(&dir, "b", "Bea", &secret);
    let out = finish(
        spawn(bin().args(["debrief", rec.to_str().unwrap()])),
        "debrief",
    );
    assert!(out.status.success(), "{}", all(&out));
    assert!(!all(&out).contains("TOP-SECRET"), "{}", all(&out));

    // The scenario is not in any known folder: an error that says where it looked, and
    // still nothing of the stored path.
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    v["scenario_id"] = serde_json::json!("secret");
    std::fs::write(&rec, v.to_string()).unwrap();
    let out = finish(
        spawn(bin().args(["debrief", rec.to_str().unwrap()])),
        "debrief",
    );
    assert_eq!(out.status.code(), Some(2), "{}", all(&out));
    let text = all(&out);
    assert!(!text.contains("TOP-SECRET"), "{text}");
    assert!(text.contains("no scenario `secret`"), "{text}");
    assert!(text.contains("--scenarios DIR"), "{text}");

    // …unless its folder is named: `--scenarios DIR` is a known folder.
    let lib = dir.join("library");
    std::fs::create_dir_all(&lib).unwrap();
    let sc = std::fs::read_to_string(root().join("scenarios/knife_sidewalk.ron")).unwrap();
    std::fs::write(lib.join("knife.ron"), &sc).unwrap();
    let rec = record(&dir, "c", "Cy", &secret);
    let out = finish(
        spawn(bin().args([
            "debrief",
            rec.to_str().unwrap(),
            "--scenarios",
            lib.to_str().unwrap(),
        ])),
        "debrief",
    );
    assert!(out.status.success(), "{}", all(&out));
}

#[test]
fn an_academy_library_folder_is_searched_too() {
    let dir = tmpdir("library");
    let lib = dir.join("library");
    std::fs::create_dir_all(&lib).unwrap();
    // A scenario that is only in the academy's library, under another file name.
    let sc = std::fs::read_to_string(root().join("scenarios/knife_sidewalk.ron"))
        .unwrap()
        .replacen("id: \"knife_sidewalk\"", "id: \"knife_academy\"", 1);
    assert!(sc.contains("knife_academy"));
    let file = lib.join("academy-knife.ron");
    std::fs::write(&file, &sc).unwrap();
    let script = dir.join("s.txt");
    std::fs::write(&script, "0 walk 4.2 7.5\n12 say introduce calm\n0:40 end\n").unwrap();
    let rec = dir.join("r.json");
    let out = run_cmd(&file, &script)
        .args(["-q", "--record", rec.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", all(&out));
    let (fifo, _) = traps(&dir);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    v["scenario_path"] = serde_json::json!(fifo);
    std::fs::write(&rec, v.to_string()).unwrap();
    let out = finish(
        spawn(
            bin()
                .args(["debrief", rec.to_str().unwrap(), "-q"])
                .env("DEESCALATE_SCENARIOS", &lib),
        ),
        "debrief",
    );
    assert!(out.status.success(), "{}", all(&out));
    let out = finish(
        spawn(bin().args(["debrief", rec.to_str().unwrap(), "-q"])),
        "debrief",
    );
    assert!(!out.status.success(), "without the library it is not found");
}

#[test]
fn one_bad_record_never_stops_a_class_debrief() {
    let dir = tmpdir("class");
    let (fifo, secret) = traps(&dir);
    record(&dir, "good-1", "Ada", &fifo);
    record(&dir, "good-2", "Bea", &secret);
    // A record of a scenario nobody has, pointing at the secret.
    let bad = record(&dir, "bad", "Cy", &secret);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&bad).unwrap()).unwrap();
    v["scenario_id"] = serde_json::json!("alpha_secret");
    std::fs::write(&bad, v.to_string()).unwrap();
    // Another that claims knife_sidewalk and points at the secret.
    record(&dir, "good-3", "Dee", &secret);
    let out = finish(spawn(bin().args(["class", dir.to_str().unwrap()])), "class");
    let text = all(&out);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("TOP-SECRET"), "{text}");
    assert!(text.contains("3 runs by 3 trainees"), "{text}");
    assert!(text.contains("bad.json"), "{text}");

    // A folder where the unknown scenario ties with the known one: the known one is
    // debriefed, the other's records are listed.
    let two = tmpdir("class-tie");
    record(&two, "good", "Ada", &secret);
    let bad = record(&two, "bad", "Cy", &secret);
    std::fs::write(&bad, v.to_string()).unwrap();
    let out = finish(spawn(bin().args(["class", two.to_str().unwrap()])), "class");
    let text = all(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 run by 1 trainee"), "{text}");
    assert!(!text.contains("TOP-SECRET"), "{text}");
    let out = finish(
        spawn(bin().args(["progress", two.to_str().unwrap()])),
        "progress",
    );
    assert!(out.status.success(), "{}", all(&out));
    assert!(!all(&out).contains("TOP-SECRET"));
}

#[test]
fn recover_finds_the_scenario_by_id_and_hash_not_by_the_stored_path() {
    let dir = tmpdir("recover");
    let (fifo, secret) = traps(&dir);
    let rec = record(&dir, "r", "Ada", &fifo);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    std::fs::remove_file(&rec).unwrap();
    for (name, stored) in [("one", &fifo), ("two", &secret)] {
        let mut text = serde_json::json!({
            "journal": "deescalate-journal", "version": 1, "trainee": name,
            "scenario_id": v["scenario_id"], "scenario_hash": v["scenario_hash"],
            "scenario_path": stored, "seed": v["seed"], "started_unix": 0
        })
        .to_string();
        text.push('\n');
        for e in v["inputs"]["entries"].as_array().unwrap().iter().take(2) {
            text.push_str(&e.to_string());
            text.push('\n');
        }
        let j = dir.join(format!("{name}.journal"));
        std::fs::write(&j, text).unwrap();
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&j)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let out = finish(
        spawn(bin().args(["recover", "--records", dir.to_str().unwrap()])),
        "recover",
    );
    let text = all(&out);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("TOP-SECRET"), "{text}");
    assert_eq!(text.matches("Recovered").count(), 2, "{text}");
}
