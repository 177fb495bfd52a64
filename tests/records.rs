//! Records under stress: 30 writers into one folder at once, a writer killed with
//! SIGKILL at many random points, and recovery of what it had journalled.

mod common;
use common::{bin, root, run_cmd};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("rec", name)
}

/// A bundled scenario and a transcript long enough to kill in the middle of.
fn long_run() -> (PathBuf, PathBuf) {
    let scenario = root().join("scenarios/knife_sidewalk.ron");
    let dir = root().join("tests/transcripts/knife_sidewalk");
    let mut best: Option<(u64, PathBuf)> = None;
    for f in std::fs::read_dir(&dir).unwrap().flatten() {
        let len = f.metadata().unwrap().len();
        if best.as_ref().is_none_or(|(l, _)| len > *l) {
            best = Some((len, f.path()));
        }
    }
    (scenario, best.unwrap().1)
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

#[test]
fn thirty_writers_into_one_folder_never_clobber_each_other() {
    let (scenario, script) = long_run();
    let dir = tmpdir("concurrent");
    let children: Vec<_> = (0..30)
        .map(|i| {
            run_cmd(&scenario, &script)
                .env("DEESCALATE_RECORDS", &dir)
                .arg("-q")
                .args([
                    "--trainee",
                    &format!("Recruit {i}"),
                    "--seed",
                    &i.to_string(),
                ])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let records = files_with_ext(&dir, "json");
    assert_eq!(records.len(), 30, "one record per run");
    let mut trainees = std::collections::BTreeSet::new();
    for r in &records {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(r).unwrap())
            .unwrap_or_else(|e| panic!("{} is not a whole record: {e}", r.display()));
        trainees.insert(v["trainee"].as_str().unwrap().to_string());
    }
    assert_eq!(trainees.len(), 30);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_none_or(|x| x != "json"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temp files or journals left behind: {leftovers:?}"
    );
}

/// Tiny deterministic PRNG so the kill points are reproducible from the printed seed.
fn lcg(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
fn a_writer_killed_at_random_points_loses_at_most_one_second() {
    let (scenario, script) = long_run();
    // The complete input log of the same run, for comparison.
    let full_dir = tmpdir("kill-full");
    let full = full_dir.join("full.json");
    let out = run_cmd(&scenario, &script)
        .arg("-q")
        .args([
            "--seed",
            "5",
            "--trainee",
            "Kill Test",
            "--record",
            full.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full: serde_json::Value = serde_json::from_slice(&std::fs::read(&full).unwrap()).unwrap();
    let full_entries: Vec<deescalate::sim::script::LogEntry> =
        serde_json::from_value(full["inputs"]["entries"].clone()).unwrap();
    let full_ticks = full["inputs"]["ticks"].as_u64().unwrap();
    assert!(
        full_ticks > 300,
        "need a run of more than 30 s to kill in the middle"
    );

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    println!("kill-point seed {seed}");
    let mut rng = seed;
    let pace_ms = 1;
    let max_ms = (full_ticks * pace_ms) as u64;
    for round in 0..12 {
        let dir = tmpdir(&format!("kill-{round}"));
        let kill_after = Duration::from_millis(60 + lcg(&mut rng) % max_ms.max(40));
        let mut child = run_cmd(&scenario, &script)
            .env("DEESCALATE_RECORDS", &dir)
            .arg("-q")
            .args([
                "--seed",
                "5",
                "--trainee",
                "Kill Test",
                "--pace",
                &pace_ms.to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // Read "flushed N" lines on a thread; kill at the chosen moment.
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut last = 0u64;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("flushed ") {
                    last = n.trim().parse().unwrap();
                }
            }
            last
        });
        let start = Instant::now();
        while start.elapsed() < kill_after {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let last_flushed = reader.join().unwrap();

        let journals = files_with_ext(&dir, "journal");
        let records = files_with_ext(&dir, "json");
        if journals.is_empty() {
            // Killed before the run started (nothing flushed yet), or it finished first:
            // then its record must be whole.
            if last_flushed == 0 && records.is_empty() {
                continue;
            }
            assert_eq!(
                records.len(),
                1,
                "round {round}: neither journal nor record"
            );
            continue;
        }
        assert_eq!(journals.len(), 1);
        assert!(
            records.is_empty(),
            "a half-written record must never look finished: {records:?}"
        );
        let run = deescalate::records::journal::recover(&journals[0])
            .unwrap_or_else(|e| panic!("round {round}: journal unreadable after kill: {e}"));
        assert_eq!(run.header.trainee, "Kill Test");
        // Everything reported flushed is there…
        assert!(
            u64::from(run.log.ticks) >= last_flushed,
            "round {round}: recovered {} ticks but {last_flushed} were flushed",
            run.log.ticks
        );
        // …and what is there is exactly the start of the real input log.
        let got = &run.log.entries;
        assert!(got.len() <= full_entries.len());
        assert_eq!(
            got[..],
            full_entries[..got.len()],
            "round {round}: recovered log is not a prefix"
        );

        // The next start offers it: `recover` turns it into a record that replays.
        let out = bin()
            .args(["recover", "--records", dir.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("Recovered Kill Test's interrupted run"),
            "{stdout}"
        );
        let records = files_with_ext(&dir, "json");
        assert_eq!(records.len(), 1);
        assert!(files_with_ext(&dir, "journal").is_empty());
        let out = bin()
            .args(["debrief", records[0].to_str().unwrap(), "-q"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A writer playing 40 s of knife_sidewalk at 10 ms a tick (`--pace 10`: about four
/// seconds), journalling into `dir`; returns the child and a channel that gets each
/// "flushed N" it prints.
fn pacer(
    dir: &Path,
    trainee: &str,
    seed: u32,
) -> (std::process::Child, std::sync::mpsc::Receiver<u64>) {
    let scenario = root().join("scenarios/knife_sidewalk.ron");
    let script = dir.with_extension("txt");
    std::fs::write(&script, "0 walk 4.2 7.5\n12 say introduce calm\n0:40 end\n").unwrap();
    let mut child = run_cmd(&scenario, &script)
        .env("DEESCALATE_RECORDS", dir)
        .arg("-q")
        .args(["--trainee", trainee, "--seed", &seed.to_string()])
        .args(["--pace", "10"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("flushed ") {
                let _ = tx.send(n.trim().parse().unwrap_or(0));
            }
        }
    });
    (child, rx)
}

fn output_text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Several PCs play into one folder; one is killed; another starts up and recovers. Only the
/// killed run is taken, and only once, however many recoverers start at the same moment.
#[test]
fn recover_takes_exactly_the_killed_run_once_and_never_a_live_one() {
    let dir = tmpdir("lease");
    let mut writers: Vec<_> = (0..4)
        .map(|i| pacer(&dir, &format!("Writer {i}"), i + 1))
        .collect();
    for (_, rx) in &writers {
        rx.recv_timeout(Duration::from_secs(30))
            .expect("each writer flushes its journal");
    }
    let (mut killed, _) = writers.remove(1);
    killed.kill().unwrap(); // SIGKILL
    killed.wait().unwrap();
    assert_eq!(files_with_ext(&dir, "journal").len(), 4);

    // Another PC starting up, twice at once: recovery races itself.
    let recoverers: Vec<_> = (0..3)
        .map(|_| {
            bin()
                .args(["recover", "--records", dir.to_str().unwrap()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<String> = recoverers
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", output_text(&o));
            output_text(&o)
        })
        .collect();
    let all = outs.join("\n---\n");
    assert_eq!(
        all.matches("Recovered").count(),
        1,
        "the killed run is recovered exactly once:\n{all}"
    );
    assert!(
        all.contains("Recovered Writer 1's interrupted run"),
        "{all}"
    );
    assert!(all.contains("left alone: still being played on"), "{all}");
    for (w, _) in writers.iter_mut() {
        assert!(
            w.try_wait().unwrap().is_none(),
            "the other runs are still playing (make the run longer if this fails):\n{all}"
        );
    }
    assert_eq!(files_with_ext(&dir, "journal").len(), 3, "{all}");

    // The live runs finish normally into whole records.
    for (mut w, _) in writers {
        assert!(w.wait().unwrap().success());
    }
    let records = files_with_ext(&dir, "json");
    assert_eq!(records.len(), 4);
    let mut ids = std::collections::BTreeSet::new();
    for r in &records {
        let rec = deescalate::records::record::Record::load(r).unwrap();
        let recovered = rec.notes.iter().any(|n| n.contains("Interrupted"));
        assert_eq!(recovered, rec.trainee == "Writer 1", "{}", rec.trainee);
        ids.insert(rec.run_id);
    }
    assert_eq!(ids.len(), 4, "one run id per run");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_none_or(|x| x != "json"))
        .collect();
    assert!(left.is_empty(), "journals, leases or claims left: {left:?}");
}

/// A journal by hand: header and a few entries of a real run.
fn fake_journal(dir: &Path, name: &str) -> PathBuf {
    let (scenario, script) = long_run();
    let rec = dir.join(format!("{name}-src.json"));
    let out = run_cmd(&scenario, &script)
        .arg("-q")
        .args(["--record", rec.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    std::fs::remove_file(&rec).unwrap();
    let mut text = serde_json::json!({
        "journal": "deescalate-journal", "version": 1, "trainee": name,
        "scenario_id": v["scenario_id"], "scenario_hash": v["scenario_hash"],
        "seed": v["seed"], "started_unix": 0, "run_id": "0123456789abcdef0123456789abcdef"
    })
    .to_string();
    text.push('\n');
    for e in v["inputs"]["entries"].as_array().unwrap().iter().take(4) {
        text.push_str(&e.to_string());
        text.push('\n');
    }
    let j = dir.join(format!("{name}.journal"));
    std::fs::write(&j, text).unwrap();
    j
}

fn set_age(p: &Path, secs: u64) {
    std::fs::File::options()
        .append(true)
        .open(p)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - Duration::from_secs(secs))
        .unwrap();
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// What another computer sharing the folder leaves: a lease it renews, or a claim.
#[test]
fn a_run_on_another_computer_is_left_alone_until_its_lease_runs_out() {
    use deescalate::records::journal::{self, State};
    let dir = tmpdir("other-pc");
    let j = fake_journal(&dir, "pc7");
    set_age(&j, 3600);
    let lease = |renewed: u64| {
        serde_json::json!({"host": "pc-07", "boot_id": "another-boot", "pid_ns": "", "pid": 4242,
            "process_start": 0, "renewed_unix": renewed, "flushed_ticks": 40, "flushed_unix": renewed})
        .to_string()
    };
    let lease_file = j.with_extension("lease");
    // Renewed a few seconds ago: still being played there.
    std::fs::write(&lease_file, lease(now() - 5)).unwrap();
    assert!(matches!(journal::state(&j), State::Live(ref w) if w.contains("pc-07")));
    assert!(journal::interrupted_runs(&dir).is_empty());
    let run = journal::recover(&j).unwrap();
    let sc = std::sync::Arc::new(
        deescalate::check::load_scenario(&root().join("scenarios/knife_sidewalk.ron"))
            .unwrap()
            .0,
    );
    let err = journal::finalise_interrupted(&run, std::sync::Arc::clone(&sc)).unwrap_err();
    assert!(
        err.to_string().contains("still being played on pc-07"),
        "{err}"
    );
    let out = bin()
        .args(["recover", "--records", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        output_text(&out).contains("pc7.journal: left alone: still being played on pc-07"),
        "{}",
        output_text(&out)
    );
    assert!(j.exists());

    // Not renewed for ten minutes (by its own clock and the file's): gone.
    std::fs::write(&lease_file, lease(now() - 600)).unwrap();
    set_age(&lease_file, 600);
    assert!(matches!(journal::state(&j), State::Interrupted(_)));

    // Another computer is recovering it right now: left alone too.
    let claim = j.with_extension("claim");
    let claim_by = |at: u64| {
        serde_json::json!({"host": "pc-09", "boot_id": "b9", "pid_ns": "", "pid": 99,
            "process_start": 0, "claimed_unix": at})
        .to_string()
    };
    std::fs::write(&claim, claim_by(now())).unwrap();
    assert!(matches!(journal::state(&j), State::Claimed(ref w) if w.contains("pc-09")));
    let err = journal::finalise_interrupted(&run, std::sync::Arc::clone(&sc)).unwrap_err();
    assert!(
        err.to_string().contains("being recovered by pc-09"),
        "{err}"
    );

    // A claim left by a recoverer that died long ago is broken, and the run recovered.
    std::fs::write(&claim, claim_by(now() - 600)).unwrap();
    set_age(&claim, 600);
    let out = bin()
        .args(["recover", "--records", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("Recovered pc7's"),
        "{}",
        output_text(&out)
    );
    let rec = deescalate::records::record::Record::load(&j.with_extension("json")).unwrap();
    assert_eq!(
        rec.run_id, "0123456789abcdef0123456789abcdef",
        "the run keeps its id"
    );
    for ext in ["journal", "lease", "claim"] {
        assert!(!j.with_extension(ext).exists(), "{ext} left");
    }
}

/// A journal this process writes is its own to manage (the trainer lists it; nobody else
/// may take it while the process runs); its lease goes when the journal is dropped.
#[test]
fn a_journal_is_leased_while_open_and_the_lease_goes_with_it() {
    use deescalate::records::journal::{self, Journal, JournalHeader, State};
    let dir = tmpdir("own");
    let sc = deescalate::check::load_scenario(&root().join("scenarios/knife_sidewalk.ron"))
        .unwrap()
        .0;
    let header = JournalHeader::new(&sc, "h", None, 1, "Own", None);
    assert_eq!(header.run_id.len(), 32);
    let j = Journal::create(&dir, "own.json", header).unwrap();
    let path = j.path().to_path_buf();
    let lease = path.with_extension("lease");
    assert!(lease.exists(), "the lease is written with the journal");
    let l: serde_json::Value = serde_json::from_slice(&std::fs::read(&lease).unwrap()).unwrap();
    assert_eq!(l["pid"].as_u64(), Some(u64::from(std::process::id())));
    assert!(l["renewed_unix"].as_u64().unwrap() + 5 >= now());
    assert_eq!(journal::state(&path), State::Own);
    assert_eq!(journal::interrupted_runs(&dir), vec![path.clone()]);
    // Renewed while the journal is open, even with nothing written (a paused run), and it
    // says how far the journal was flushed.
    let mut j = j;
    j.flush(30).unwrap();
    let renewed = l["renewed_unix"].as_u64().unwrap();
    std::thread::sleep(deescalate::records::lease::RENEW_EVERY + Duration::from_millis(1200));
    let l: serde_json::Value = serde_json::from_slice(&std::fs::read(&lease).unwrap()).unwrap();
    assert!(l["renewed_unix"].as_u64().unwrap() > renewed, "{l}");
    assert_eq!(l["flushed_ticks"].as_u64(), Some(30));
    assert!(l["flushed_unix"].as_u64().unwrap() >= renewed);
    drop(j);
    assert!(!lease.exists(), "the lease goes with the journal");
}

/// A file in the records folder far larger than any record is refused, not read into memory.
#[test]
fn an_oversized_record_or_journal_is_refused_unread() {
    let dir = tmpdir("huge");
    let (scenario, script) = long_run();
    let out = run_cmd(&scenario, &script)
        .arg("-q")
        .args(["--record", dir.join("good.json").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    for name in ["huge.json", "huge.journal"] {
        let f = std::fs::File::create(dir.join(name)).unwrap();
        f.set_len(deescalate::records::record::MAX_RECORD_BYTES + 1)
            .unwrap(); // sparse
        f.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
    }
    let c = deescalate::cohort::class::load(&dir, None).unwrap();
    assert_eq!(c.runs.len(), 1);
    let huge = c.skipped.iter().find(|s| s.file == "huge.json").unwrap();
    assert!(
        huge.reason.contains("too large to be read"),
        "{}",
        huge.reason
    );
    let out = bin()
        .args(["recover", "--records", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        output_text(&out).contains("huge.journal: larger than 64 MiB"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn a_damaged_journal_keeps_every_complete_line() {
    let (scenario, script) = long_run();
    let dir = tmpdir("torn");
    let rec = dir.join("r.json");
    let out = run_cmd(&scenario, &script)
        .arg("-q")
        .args(["--record", rec.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    // Hand-build a journal: header, entries, then a torn line.
    let mut text = String::new();
    text.push_str(&serde_json::json!({
        "journal": "deescalate-journal", "version": 1, "trainee": "T", "scenario_id": v["scenario_id"],
        "scenario_hash": v["scenario_hash"], "scenario_path": scenario.to_str().unwrap(), "seed": v["seed"], "started_unix": 0
    }).to_string());
    text.push('\n');
    let entries = v["inputs"]["entries"].as_array().unwrap();
    for e in &entries[..5] {
        text.push_str(&e.to_string());
        text.push('\n');
    }
    text.push_str(&entries[5].to_string()[..7]);
    let j = dir.join("x.journal");
    std::fs::write(&j, text).unwrap();
    let run = deescalate::records::journal::recover(&j).unwrap();
    assert_eq!(run.log.entries.len(), 5);
    assert_eq!(run.torn_lines, 1);

    // A journal whose header is garbage is reported with its path, not a panic.
    std::fs::write(&j, "{not json\n").unwrap();
    let err = deescalate::records::journal::recover(&j)
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.journal:1:1"), "{err}");
}

#[test]
fn after_action_replay_frames_match_the_debrief_and_mark_instructor_flags() {
    let scenario_path = root().join("scenarios/knife_sidewalk.ron");
    let dir = tmpdir("aar");
    let script = dir.join("s.txt");
    std::fs::write(
        &script,
        "0 walk 4.2 7.5\n12 say introduce calm\n+4 flag \"good pace here\"\n+2 inject radio_crisis_team\n+3 nudge 5\n1:30 end\n",
    )
    .unwrap();
    let rec = dir.join("r.json");
    let out = run_cmd(&scenario_path, &script)
        .arg("-q")
        .args(["--record", rec.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record = deescalate::records::record::Record::load(&rec).unwrap();
    let scenario = std::sync::Arc::new(deescalate::check::load_scenario(&scenario_path).unwrap().0);
    let replay = deescalate::records::replay::Replay::build(&record, scenario).unwrap();
    assert_eq!(replay.frames.len() as u32, record.inputs.ticks);
    let last = replay.frames.last().unwrap();
    assert!((last.agitation - replay.debrief.agitation.end).abs() < 1e-4);
    // The trainee walked towards the subject: the replayed positions show it.
    assert!(replay.frames[0].distance > replay.frame_at(11.0).unwrap().distance + 3.0);
    // The instructor's flag and actions are on the timeline and can be jumped to.
    use deescalate::records::replay::MarkKind;
    let flag = replay
        .next_mark(0.0, Some(MarkKind::InstructorFlag))
        .expect("flag marked");
    assert_eq!(flag.label, "good pace here");
    assert!((flag.t - 16.0).abs() < 0.2, "flag at {}", flag.t);
    assert!(
        replay
            .marks
            .iter()
            .any(|m| m.kind == MarkKind::Instructor && m.label.contains("radio_crisis_team"))
    );
    assert!(
        replay
            .prev_mark(flag.t, Some(MarkKind::Utterance))
            .is_some()
    );
    // Subtitles: the introduction is on screen just after it was said.
    let f = replay.frame_at(13.0).unwrap();
    let line = &replay.lines[f.subtitle.unwrap() as usize];
    assert!(
        line.speaker == "You" || line.speaker.contains("Daniel"),
        "{line:?}"
    );
    // The debrief lists the instructor's actions.
    assert!(replay.debrief.instructor.len() >= 3);
}
