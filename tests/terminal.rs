//! Terminal output never passes control characters through. Trainee names, cohort labels,
//! instructor flags, scenario text, file names and `check`'s source snippets can hold escape
//! sequences (an OSC 52 sequence writes the clipboard) or bidirectional overrides (which
//! reorder a line as it is shown). Every terminal renderer shows them as visible placeholders.

mod common;
use common::{bin, root, run_cmd};

use std::path::{Path, PathBuf};
use std::process::Output;

/// Writes "rm -rf ~" to the clipboard of a terminal that honours OSC 52.
const OSC52: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}";
/// Right-to-left override: "Ada\u{202E}txt.exe" shows as "Adaexe.txt".
const RLO: &str = "\u{202E}";

fn evil(name: &str) -> String {
    format!("{name} {OSC52}\u{1b}[2J\r{RLO}gnp.exe\u{9b}31m")
}

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("term", name)
}

/// Nothing a terminal would act on: no control character but newline and tab, no bidi
/// control; and the escape and the override are still visible as placeholders.
fn assert_clean(what: &str, text: &str) {
    let bad: Vec<String> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: {} control character(s) reached the terminal ({}):\n{text}",
        bad.len(),
        bad.join(" ")
    );
}

fn assert_visible(what: &str, text: &str) {
    assert!(
        text.contains('\u{241B}'),
        "{what}: the escape character should show as ␛:\n{text}"
    );
    assert!(
        text.contains("<U+202E>"),
        "{what}: the right-to-left override should show as <U+202E>:\n{text}"
    );
}

fn out_text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn script(dir: &Path, body: &str) -> PathBuf {
    let p = dir.join("s.txt");
    std::fs::write(&p, body).unwrap();
    p
}

const SCRIPT: &str =
    "0 walk 4.2 7.5\n12 say introduce calm\n+4 flag \"good pace\u{1b}]52;c;eA==\u{7}\"\n0:40 end\n";

/// A record made by `deescalate run` with an evil trainee name and cohort.
fn evil_record(dir: &Path) -> PathBuf {
    let scenario = root().join("scenarios/knife_sidewalk.ron");
    let rec = dir.join("evil.json");
    let out = run_cmd(&scenario, &script(dir, SCRIPT))
        .args(["--trainee", &evil("Ada"), "--cohort", &evil("2025")])
        .args(["--record", rec.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    assert_clean("run", &out_text(&out));
    assert_visible("run", &out_text(&out));
    rec
}

#[test]
fn the_shared_function_keeps_text_and_shows_controls() {
    use deescalate::report::sanitize::terminal;
    assert_eq!(
        terminal("Calm, 3 m — “ok”\n\tnext"),
        "Calm, 3 m — “ok”\n\tnext"
    );
    assert_eq!(terminal("a\u{1b}[2Jb"), "a\u{241B}[2Jb");
    assert_eq!(terminal("x\ry\u{7}\u{7f}"), "x\u{240D}y\u{2407}\u{2421}");
    assert_eq!(terminal("Ada\u{202E}gnp"), "Ada<U+202E>gnp");
    assert_eq!(
        terminal("\u{2066}a\u{2069}\u{200F}"),
        "<U+2066>a<U+2069><U+200F>"
    );
    assert_eq!(terminal("c1\u{9b}31m"), "c1<U+009B>31m");
    assert_eq!(terminal("line\u{2028}sep"), "line<U+2028>sep");
}

#[test]
fn debrief_class_and_progress_show_names_and_notes_safely() {
    let dir = tmpdir("records");
    let rec = evil_record(&dir);
    let out = bin()
        .args(["debrief", rec.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    assert_clean("debrief", &out_text(&out));
    assert_visible("debrief", &out_text(&out));

    let out = bin()
        .args(["class", dir.to_str().unwrap(), "--names"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    assert_clean("class", &out_text(&out));
    assert_visible("class", &out_text(&out));

    let out = bin()
        .args(["progress", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    assert_clean("progress", &out_text(&out));
    assert_visible("progress", &out_text(&out));
}

#[test]
fn a_file_name_with_an_escape_is_shown_safely_when_skipped() {
    let dir = tmpdir("names");
    evil_record(&dir);
    std::fs::write(dir.join(format!("{}.json", evil("bad"))), "{not json").unwrap();
    let out = bin()
        .args(["class", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    assert_clean("class skipped list", &out_text(&out));
    assert_visible("class skipped list", &out_text(&out));
}

/// [`evil`] for scenario text: without its carriage return (`check` keeps one in a scenario
/// file as a line break, and warns about one inside a string) or its bidirectional override
/// (`check` refuses a file that has one).
fn evil_text(name: &str) -> String {
    evil(name).replace(['\r', '\u{202E}'], "")
}

/// knife_sidewalk with escape sequences in its title.
fn evil_scenario(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("scenarios/knife_sidewalk.ron")).unwrap();
    let text = text.replacen(
        "title: \"Kitchen knife on Alder Street\"",
        &format!("title: \"{}\"", evil_text("Kitchen knife")),
        1,
    );
    let p = dir.join("evil.ron");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn analyse_and_routes_show_scenario_text_safely() {
    let dir = tmpdir("scenario");
    let sc = evil_scenario(&dir);
    let out = bin()
        .args(["analyse", sc.to_str().unwrap(), "--runs", "20"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("Kitchen knife \u{241B}]52;c;"), "{shown}");
    assert_clean("analyse", &out_text(&out));
    let out = bin()
        .args(["routes", sc.to_str().unwrap(), "--budget", "300"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("Kitchen knife \u{241B}]52;c;"), "{shown}");
    assert_clean("routes", &out_text(&out));
}

#[test]
fn check_shows_source_snippets_safely() {
    let dir = tmpdir("check");
    let text = std::fs::read_to_string(root().join("scenarios/knife_sidewalk.ron")).unwrap();
    let bad = text.replacen(
        "start_scene: \"arrival\"",
        &format!("start_scene: \"{}\"", evil_text("nowhere")),
        1,
    );
    assert_ne!(bad, text);
    let p = dir.join("bad.ron");
    std::fs::write(&p, bad).unwrap();
    let out = bin()
        .args(["check", p.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", out_text(&out));
    let all = out_text(&out);
    assert!(all.contains("start_scene"), "{all}");
    // Source snippets keep their columns: `check` shows each hidden character as a stand-in
    // of the same width (and reports it as a problem of its own).
    assert_clean("check", &all);
    // The caret still stands under the value on the snippet line.
    let lines: Vec<&str> = all.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("start_scene: \"nowhere"))
        .unwrap_or_else(|| panic!("no snippet line:\n{all}"));
    let underline = lines[at + 1]
        .find("|^")
        .expect("an underline under the value");
    let value = lines[at].find("\"nowhere").unwrap();
    assert_eq!(underline, value, "{all}");
}

#[test]
fn recover_and_error_messages_show_journal_text_safely() {
    let dir = tmpdir("recover");
    let rec = evil_record(&dir);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&rec).unwrap()).unwrap();
    std::fs::remove_file(&rec).unwrap();
    // A journal left by a run that died long ago, naming an evil trainee.
    let mut text = serde_json::json!({
        "journal": "deescalate-journal", "version": 1, "trainee": v["trainee"],
        "scenario_id": v["scenario_id"], "scenario_hash": v["scenario_hash"],
        "seed": v["seed"], "started_unix": 0
    })
    .to_string();
    text.push('\n');
    for e in v["inputs"]["entries"].as_array().unwrap().iter().take(3) {
        text.push_str(&e.to_string());
        text.push('\n');
    }
    let j = dir.join("old.journal");
    std::fs::write(&j, text).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&j)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let out = bin()
        .args(["recover", "--records", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    assert!(out_text(&out).contains("Recovered"), "{}", out_text(&out));
    assert_clean("recover", &out_text(&out));
    assert_visible("recover", &out_text(&out));

    // An error that quotes a record's scenario id.
    let mut v = v.clone();
    v["scenario_id"] = serde_json::json!(evil("knife"));
    let bad = dir.join("bad-id.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    let out = bin()
        .args(["debrief", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_clean("debrief error", &out_text(&out));
    assert_visible("debrief error", &out_text(&out));
}
