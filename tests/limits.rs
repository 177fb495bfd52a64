//! A valid-looking scenario cannot make a run endless. `check` refuses a time limit longer
//! than the longest a run may last, and the simulation itself never runs, or keeps samples,
//! for longer than that whatever the file says: `run` and `analyse` finish, with memory in
//! proportion to that bounded length.

mod common;
use common::{bin, root};

use deescalate::sim::{MAX_TIME_LIMIT_MINUTES, SAMPLE_EVERY, Sim, TICK_HZ, TickInput};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The smallest valid scenario (endings only by talking) with this time limit.
fn scenario_text(limit: &str) -> String {
    let text = std::fs::read_to_string(root().join("tests/fixtures/check/minimal_ok.ron")).unwrap();
    assert!(!text.contains("time_limit_minutes"));
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if line.trim_start().starts_with("expected_minutes:") {
            out.push_str(&format!("    time_limit_minutes: {limit},\n"));
        }
    }
    assert!(out.contains("time_limit_minutes"));
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Run a command, failing if it takes longer than `secs`.
fn within(cmd: &mut std::process::Command, secs: u64) -> Output {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            panic!("still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn check_run_and_analyse_refuse_an_absurd_time_limit_at_once() {
    let dir = common::tmpdir("limits", "cli");
    let sc = write(&dir, "endless.ron", &scenario_text("1000000.0"));
    let script = write(&dir, "s.txt", "0 walk 0 6\n999:00 end\n");
    let out = within(bin().args(["check", sc.to_str().unwrap()]), 20);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("time_limit_minutes"), "{err}");
    let out = within(
        bin().args([
            "run",
            sc.to_str().unwrap(),
            "--script",
            script.to_str().unwrap(),
            "--no-record",
        ]),
        20,
    );
    assert_eq!(out.status.code(), Some(2));
    let out = within(bin().args(["analyse", sc.to_str().unwrap()]), 20);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_longest_limit_check_allows_is_the_one_the_simulation_keeps() {
    let at = |limit: &str| {
        let report = deescalate::check::check_source("t.ron", &scenario_text(limit));
        report.has_errors()
    };
    assert!(!at(&format!("{MAX_TIME_LIMIT_MINUTES:.1}")));
    assert!(at(&format!("{:.1}", MAX_TIME_LIMIT_MINUTES + 0.5)));
}

#[test]
fn the_simulation_stops_at_the_longest_limit_whatever_the_file_says() {
    // Read without validation, as a file that never went through `check` would be.
    let text = scenario_text("1000000.0");
    let sc: deescalate::format::scenario::Scenario =
        deescalate::check::ron_options().from_str(&text).unwrap();
    let mut sim = Sim::new(Arc::new(sc), 1).unwrap();
    let cap = (MAX_TIME_LIMIT_MINUTES * 60.0) as u32 * TICK_HZ;
    let input = TickInput::default();
    let started = Instant::now();
    while !sim.is_finished() && sim.tick() <= cap + 10 {
        sim.step(&input).unwrap();
    }
    assert!(
        sim.is_finished(),
        "still running after {} simulated minutes",
        sim.tick() / TICK_HZ / 60
    );
    assert_eq!(sim.ending().map(|e| e.id.as_str()), Some("timeout"));
    assert!(sim.tick() <= cap);
    assert!(sim.samples().len() <= (cap / SAMPLE_EVERY + 2) as usize);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );

    // A run at the longest limit, through the command line, ends on time.
    let dir = common::tmpdir("limits", "longest");
    let sc = write(
        &dir,
        "longest.ron",
        &scenario_text(&format!("{MAX_TIME_LIMIT_MINUTES:.1}")),
    );
    let script = write(&dir, "s.txt", "0 walk 0 6\n999:00 end\n");
    let out = within(
        bin().args([
            "run",
            sc.to_str().unwrap(),
            "--script",
            script.to_str().unwrap(),
            "--no-record",
        ]),
        120,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Timeout"));
}
