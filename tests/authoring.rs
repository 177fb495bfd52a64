//! The authoring commands as an instructor uses them: `new` writes a starter that checks
//! clean and reaches every ending, `test` runs the scripts kept beside a scenario,
//! `check --watch` re-checks on every save, and a script that says an option not on offer
//! is told where it is offered and which condition fails.

mod common;
use common::{bin, root};

use deescalate::sim::script::{Script, run_script};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("authoring", name)
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// `deescalate new DIR/NAME`, which must succeed; the file written.
fn new_scenario(dir: &Path, name: &str) -> PathBuf {
    let out = bin().arg("new").arg(dir.join(name)).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let path = dir.join(format!("{name}.ron"));
    assert!(
        stdout.contains(&format!("Wrote {}", path.display())),
        "{stdout}"
    );
    path
}

#[test]
fn new_writes_a_starter_that_checks_clean_and_reaches_every_ending() {
    let dir = tmpdir("new");
    let path = new_scenario(&dir, "shop-doorway");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.contains("id: \"shop_doorway\""),
        "the id follows the name"
    );
    assert!(
        written.starts_with("// A starter scenario"),
        "it is commented"
    );
    assert!(
        written.contains("variation: ("),
        "it shows how the subject varies"
    );
    assert!(
        written.contains("//   deescalate check shop-doorway.ron --watch"),
        "its comments name the file"
    );

    // `check`, route finder included: no errors, no warnings.
    let out = bin().arg("check").arg(&path).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout.trim(), format!("{}: ok", path.display()), "{stderr}");

    // The route finder reaches every ending, each script running to it.
    let (scenario, _) = deescalate::check::load_scenario(&path).unwrap();
    let sc = Arc::new(scenario);
    let report =
        deescalate::explore::routes::find(&sc, &deescalate::explore::routes::Options::default())
            .unwrap();
    assert!(report.unreached.is_empty(), "{:?}", report.unreached);
    let mut reached: Vec<&str> = report.routes.iter().map(|r| r.ending.as_str()).collect();
    reached.sort_unstable();
    let mut endings: Vec<&str> = sc.endings.iter().map(|e| e.id.as_str()).collect();
    endings.sort_unstable();
    assert_eq!(reached, endings);
    assert!(sc.endings.len() >= 4);
}

#[test]
fn new_never_overwrites_a_file() {
    let dir = tmpdir("overwrite");
    let path = dir.join("mine.ron");
    std::fs::write(&path, "my own work").unwrap();
    for name in ["mine", "mine.ron"] {
        let out = bin().arg("new").arg(dir.join(name)).output().unwrap();
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("{} already exists", path.display())),
            "{stderr}"
        );
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my own work");
}

#[test]
fn test_runs_the_scripts_beside_a_scenario_and_reports_each() {
    let dir = tmpdir("test");
    let path = new_scenario(&dir, "ray");
    // `routes --out ray` writes a script with `# expect-` lines for every ending, in ray/.
    let out = bin()
        .current_dir(&dir)
        .args(["routes", "ray.ron", "--out", "ray"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out).1);
    let scripts = dir.join("ray");
    std::fs::write(
        scripts.join("wrong.txt"),
        "# expect-ending: walks_home\n0:00 say move_along firm\n",
    )
    .unwrap();

    let out = bin().arg("test").arg(&path).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("{}: 6 scripts", path.display())),
        "{stdout}"
    );
    for ok in [
        "walks_home",
        "sister_collects",
        "storms_off",
        "arrested",
        "timeout",
    ] {
        assert!(stdout.contains(&format!("  ✓ {ok}\n")), "{ok}:\n{stdout}");
    }
    assert!(stdout.contains("  ✗ wrong  ("), "{stdout}");
    assert!(
        stdout.contains("ending: expected walks_home, got "),
        "{stdout}"
    );
    assert!(
        stdout.contains("events:") && stdout.contains("s say:move_along/firm"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("test result: FAILED. 5 passed; 1 failed\n"),
        "{stdout}"
    );

    std::fs::remove_file(scripts.join("wrong.txt")).unwrap();
    let out = bin().arg("test").arg(&dir).output().unwrap();
    let (stdout, _) = text(&out);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.ends_with("test result: ok. 5 passed; 0 failed\n"),
        "{stdout}"
    );
}

#[test]
fn test_finds_the_bundled_transcripts() {
    let out = bin()
        .current_dir(root())
        .args(["test", "scenarios/dementia_car_park.ron"])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let n = std::fs::read_dir(root().join("tests/transcripts/dementia_car_park"))
        .unwrap()
        .count();
    assert!(
        stdout.ends_with(&format!("test result: ok. {n} passed; 0 failed\n")),
        "{stdout}"
    );
}

#[test]
fn test_without_scripts_says_where_it_looked() {
    let dir = tmpdir("none");
    let path = new_scenario(&dir, "lonely");
    let out = bin().arg("test").arg(&path).output().unwrap();
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "no scripts (looked in {}/,",
            dir.join("lonely").display()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("nothing was tested"), "{stdout}");
}

/// The error a script stops with on the starter scenario.
fn refusal(script: &str) -> String {
    let text = deescalate::cli::new::starter("ray", "ray");
    let sc = Arc::new(deescalate::check::parse_scenario_str(&text).unwrap());
    let script = Script::parse(script).unwrap();
    let mut sim = script.start(sc).unwrap();
    run_script(&mut sim, &script).unwrap_err().error.to_string()
}

#[test]
fn an_option_not_on_offer_says_why() {
    assert_eq!(
        refusal("0:00 say introduce calm\n0:05 say go_home calm\n"),
        "option `go_home` is not offered in scene `listening` now: it needs flag `heard_out` \
         (not set) and trust above 35 (now 21) and 90 s since the start (now 5.0 s) \
         (offered: had_a_drink, sounds_unfair, what_happened, calm_down)"
    );
    assert_eq!(
        refusal("0:00 say sounds_unfair calm\n"),
        "option `sounds_unfair` is not offered in scene `shouting` now: it is offered in scene \
         `listening`, not in `shouting` (offered: move_along, introduce)"
    );
    assert_eq!(
        refusal("0:00 say introduce calm\n0:05 say sounds_unfiar calm\n"),
        "option `sounds_unfiar` is not offered in scene `listening` now: no scene has an option \
         `sounds_unfiar`; did you mean `sounds_unfair`? (offered: had_a_drink, sounds_unfair, \
         what_happened, calm_down)"
    );
}

/// Lines the child prints, read on a thread so a test can wait with a deadline.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits (up to 60 s) for a line containing `want`; everything read until then.
fn wait_for(rx: &mpsc::Receiver<String>, want: &str) -> Result<Vec<String>, Vec<String>> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) => {
                let found = line.contains(want);
                seen.push(line);
                if found {
                    return Ok(seen);
                }
            }
            Err(_) => break,
        }
    }
    Err(seen)
}

#[test]
fn check_watch_checks_again_on_every_save() {
    let dir = tmpdir("watch");
    let path = dir.join("draft.ron");
    let good = deescalate::cli::new::starter("draft", "draft");
    std::fs::write(
        &path,
        good.replace("personal_space: 2.5,", "personal_space: 2.5 m,"),
    )
    .unwrap();
    let mut child = bin()
        .args(["check", "--watch"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rx = lines_of(&mut child);
    let first = wait_for(&rx, "draft.ron: 1 error, 0 warnings");
    let watching = first.is_ok() && wait_for(&rx, "watching 1 file for changes").is_ok();
    // The author fixes the unit and saves.
    std::fs::write(&path, &good).unwrap();
    let second = wait_for(&rx, "draft.ron: ok");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.is_ok(), "first report: {first:?}");
    assert!(watching, "it says it is watching");
    let second = second.unwrap_or_else(|seen| panic!("no second report: {seen:?}"));
    assert!(
        second
            .iter()
            .any(|l| l.contains("draft.ron changed: checking again")),
        "{second:?}"
    );
}

/// Every line of `quoted` (but blank lines and `…`) appears in `output`, in order.
fn quoted_in(quoted: &str, output: &str) -> Result<(), String> {
    let out: Vec<&str> = output.lines().map(str::trim_end).collect();
    let mut at = 0;
    for q in quoted.lines().map(str::trim_end) {
        if q.is_empty() || q == "…" {
            continue;
        }
        match out[at..].iter().position(|l| *l == q) {
            Some(p) => at += p + 1,
            None => return Err(format!("not printed (in this order):\n{q}")),
        }
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Runs the authoring examples of one Markdown file in a fresh folder holding a copy of
/// `scenarios/`: `<!-- copy: SRC DEST -->` copies a file of the repository there,
/// `<!-- file: NAME -->` writes the code block after it, and `<!-- command: ARGS -->` runs
/// `deescalate ARGS` there, whose output must hold the lines of the block after it.
fn run_examples(doc: &Path, failures: &mut Vec<String>) -> usize {
    let markdown = std::fs::read_to_string(doc).unwrap();
    let stem = doc.file_stem().unwrap().to_string_lossy().to_string();
    let dir = tmpdir(&format!("docs-{stem}"));
    copy_dir(&root().join("scenarios"), &dir.join("scenarios"));
    let lines: Vec<&str> = markdown.lines().collect();
    let block_after = |i: usize| -> Option<String> {
        lines.get(i + 1).filter(|l| l.starts_with("```"))?;
        let end = (i + 2..lines.len()).find(|&k| lines[k].starts_with("```"))?;
        Some(lines[i + 2..end].join("\n"))
    };
    let mut n = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(marker) = line
            .trim()
            .strip_prefix("<!-- ")
            .and_then(|m| m.strip_suffix(" -->"))
        else {
            continue;
        };
        let at = format!("{}:{}", doc.display(), i + 1);
        if let Some(args) = marker.strip_prefix("copy: ") {
            let (from, to) = args.split_once(' ').expect("copy: SRC DEST");
            std::fs::copy(root().join(from), dir.join(to.trim())).unwrap();
        } else if let Some(name) = marker.strip_prefix("file: ") {
            let path = dir.join(name.trim());
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let block = block_after(i).unwrap_or_else(|| panic!("{at}: no block"));
            std::fs::write(path, block + "\n").unwrap();
        } else if let Some(args) = marker.strip_prefix("command: ") {
            n += 1;
            let block = block_after(i).unwrap_or_else(|| panic!("{at}: no block"));
            let out = bin()
                .current_dir(&dir)
                .args(args.split_whitespace())
                .output()
                .unwrap();
            let (stdout, stderr) = text(&out);
            let output = format!("{stderr}{stdout}");
            if let Err(e) = quoted_in(&block, &output) {
                failures.push(format!(
                    "{at}: deescalate {args}\n{e}\n--- it printed:\n{output}"
                ));
            }
        }
    }
    n
}

#[test]
fn every_command_quoted_in_the_docs_prints_what_they_say() {
    let mut failures = Vec::new();
    let mut n = 0;
    for doc in ["docs/scripts.md", "docs/scenario-format.md"] {
        n += run_examples(&root().join(doc), &mut failures);
    }
    assert!(n >= 5, "only {n} quoted commands found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn scripts_are_looked_for_beside_the_scenario_and_in_tests_transcripts() {
    use deescalate::cli::test::script_dirs;
    let dirs = script_dirs(Path::new("scenarios/knife_sidewalk.ron"));
    assert_eq!(
        dirs,
        [
            PathBuf::from("scenarios/knife_sidewalk"),
            PathBuf::from("tests/transcripts/knife_sidewalk"),
        ]
    );
    let dirs = script_dirs(Path::new("/srv/academy/scenarios/bridge.ron"));
    assert_eq!(
        dirs,
        [
            PathBuf::from("/srv/academy/scenarios/bridge"),
            PathBuf::from("tests/transcripts/bridge"),
            PathBuf::from("/srv/academy/tests/transcripts/bridge"),
        ]
    );
}
