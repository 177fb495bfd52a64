//! The documentation's examples are run, so they cannot drift from the program. In any
//! Markdown file under docs/ (and the README), a code block preceded by
//! `<!-- run: scenarios/X.ron -->` is an input script: it must run on that scenario and meet its
//! own `# expect-` lines. A code block preceded by `<!-- output -->` quotes the text debrief of
//! the script run just before it: each of its lines must appear in that output, in order.

mod common;

use deescalate::assess::expect::Expect;
use deescalate::check;
use deescalate::sim::script::{Script, run_script};
use std::path::Path;
use std::sync::Arc;

/// (marker line, code block text) for each fenced block that follows an HTML comment marker.
fn marked_blocks(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        let marker = lines[i].trim();
        if marker.starts_with("<!-- ") && lines[i + 1].starts_with("```") {
            let end = (i + 2..lines.len())
                .find(|&k| lines[k].starts_with("```"))
                .unwrap_or(lines.len());
            out.push((marker.to_string(), lines[i + 2..end].join("\n")));
            i = end;
        }
        i += 1;
    }
    out
}

/// Runs a documented script; returns the text debrief.
fn run(scenario: &str, script: &str) -> Result<String, String> {
    let path = common::root().join(scenario);
    let sc = Arc::new(check::load_scenario(&path).map_err(|r| r.render(false))?.0);
    let s = Script::parse(script).map_err(|e| format!("script {e}"))?;
    let expect = Expect::parse(script).map_err(|e| format!("expectations {e}"))?;
    let mut sim = s.start(Arc::clone(&sc)).map_err(|e| e.to_string())?;
    run_script(&mut sim, &s).map_err(|e| e.to_string())?;
    let r = sim.result();
    let problems = expect.check(&r, &deescalate::assess::score::score(&sc, &r));
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let d = deescalate::assess::debrief::build(&sc, &r, s.trainee.as_deref().or(Some("trainee")));
    Ok(deescalate::report::text(&d))
}

/// Every line of `quoted` appears in `output`, in order (trailing spaces ignored).
fn quoted_in(quoted: &str, output: &str) -> Result<(), String> {
    let out: Vec<&str> = output.lines().map(str::trim_end).collect();
    let mut at = 0;
    for q in quoted.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        match out[at..].iter().position(|l| *l == q) {
            Some(p) => at += p + 1,
            None => {
                return Err(format!(
                    "the program does not print this line (in order):\n{q}"
                ));
            }
        }
    }
    Ok(())
}

fn check_file(path: &Path, failures: &mut Vec<String>) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let mut last_output: Option<Result<String, String>> = None;
    let mut n = 0;
    for (marker, block) in marked_blocks(&text) {
        let at = format!("{}: block after `{marker}`", path.display());
        if let Some(scenario) = marker
            .strip_prefix("<!-- run: ")
            .and_then(|m| m.strip_suffix(" -->"))
        {
            n += 1;
            let res = run(scenario.trim(), &block);
            if let Err(e) = &res {
                failures.push(format!("{at}\n{e}\n{block}"));
            }
            last_output = Some(res);
        } else if marker == "<!-- output -->" {
            n += 1;
            match &last_output {
                Some(Ok(out)) => {
                    if let Err(e) = quoted_in(&block, out) {
                        failures.push(format!("{at}\n{e}\n--- the program printed:\n{out}"));
                    }
                }
                _ => failures.push(format!("{at}: no script ran before this output")),
            }
        }
    }
    n
}

#[test]
fn every_example_quoted_in_the_docs_runs_as_documented() {
    let root = common::root();
    let mut files: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.push(root.join("README.md"));
    let mut failures = Vec::new();
    let checked: usize = files.iter().map(|f| check_file(f, &mut failures)).sum();
    assert!(checked >= 10, "only {checked} marked examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
