//! Repeat attempts and temperaments in `progress` and `class`: a trainee's second run of a
//! scenario is marked as a repeat, a temperament met for the first time is starred, and the
//! progress page says whether scores hold up on someone new.

mod common;

use std::path::{Path, PathBuf};

/// Runs the variation fixture with `temperament` pinned and writes the record as `name`,
/// started `t` seconds after the first.
fn record(dir: &Path, name: &str, trainee: &str, temperament: &str, said: &str, t: u64) -> PathBuf {
    let script = dir.join(format!("{name}.txt"));
    std::fs::write(
        &script,
        format!("seed 2\ntrainee \"{trainee}\"\ntemperament {temperament}\n{said}"),
    )
    .unwrap();
    let path = dir.join(format!("{name}.json"));
    let scenario = common::root().join("tests/fixtures/check/variation_ok.ron");
    common::succeeds(
        common::run_cmd(&scenario, &script)
            .args(["--quiet", "--record"])
            .arg(&path),
    );
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["started_unix"] = serde_json::json!(1_760_000_000 + t);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    std::fs::remove_file(&script).unwrap();
    path
}

const GOOD: &str = "0:02 say talk calm\n0:05 say thanks calm\n";
const POOR: &str = "0:02 say talk shouting\n0:40 end\n";

#[test]
fn progress_marks_repeats_and_new_temperaments_and_whether_scores_hold_up() {
    let dir = common::tmpdir("attempts", "progress");
    record(&dir, "a1", "Sam", "steady", GOOD, 0);
    record(&dir, "a2", "Sam", "steady", GOOD, 100);
    record(&dir, "a3", "Sam", "volatile", POOR, 200);
    let out = common::bin().arg("progress").arg(&dir).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("1st"), "{text}");
    assert!(text.contains("repeat 2"), "{text}");
    assert!(text.contains("repeat 3"), "{text}");
    assert!(
        text.contains("steady*") && text.contains("volatile*"),
        "{text}"
    );
    assert!(
        text.contains("a temperament met for the first time (*)")
            && text.contains("scores drop on someone new"),
        "{text}"
    );
    let csv_path = dir.join("p.csv");
    let out = common::bin()
        .arg("progress")
        .arg(&dir)
        .arg("--csv")
        .arg(&csv_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with("attempt,temperament,new_temperament"),
        "{csv}"
    );
    assert!(csv.contains(",3,volatile,yes"), "{csv}");
}
