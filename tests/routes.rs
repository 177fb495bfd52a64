//! The route finder: a runnable script for every ending it can reach (checked against the
//! script's own `# expect-` lines), and a reason for every ending it cannot.

mod common;

use deescalate::assess::expect::Expect;
use deescalate::check;
use deescalate::explore::routes::{self, Options};
use deescalate::format::scenario::Scenario;
use deescalate::sim::script::{Script, run_script};
use std::path::Path;
use std::sync::Arc;

fn load(path: &Path) -> Arc<Scenario> {
    Arc::new(
        check::load_scenario(path)
            .unwrap_or_else(|r| panic!("{}", r.render(false)))
            .0,
    )
}

/// Runs a route script and checks it against its own expectations.
fn replays(sc: &Arc<Scenario>, text: &str) -> Result<(), String> {
    let script = Script::parse(text).map_err(|e| e.to_string())?;
    let expect = Expect::parse(text).map_err(|e| e.to_string())?;
    let mut sim = script.start(Arc::clone(sc)).map_err(|e| e.to_string())?;
    run_script(&mut sim, &script).map_err(|e| e.to_string())?;
    let r = sim.result();
    let problems = expect.check(&r, &deescalate::assess::score::score(sc, &r));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn every_ending_of_every_bundled_scenario_has_a_route_that_replays() {
    let dir = common::root().join("scenarios");
    let mut failures = Vec::new();
    for f in std::fs::read_dir(dir).unwrap().flatten() {
        let p = f.path();
        if p.extension().is_none_or(|x| x != "ron") {
            continue;
        }
        let sc = load(&p);
        let rep = routes::find(&sc, &Options::default()).unwrap();
        for (e, why) in &rep.unreached {
            failures.push(format!("{}: no route to {e}: {}", sc.id, why.join("; ")));
        }
        for r in &rep.routes {
            if let Err(e) = replays(&sc, &r.script) {
                failures.push(format!("{}/{}: {e}\n{}", sc.id, r.ending, r.script));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_ending_nothing_reaches_is_explained() {
    let sc = load(&common::root().join("tests/fixtures/routes/blocked.ron"));
    let rep = routes::find(&sc, &Options::default()).unwrap();
    let found: Vec<&str> = rep.routes.iter().map(|r| r.ending.as_str()).collect();
    assert_eq!(found, ["calm", "timeout"]);
    let why = |id: &str| {
        rep.unreached
            .iter()
            .find(|(e, _)| e == id)
            .unwrap()
            .1
            .join(" ")
    };
    assert!(
        why("impossible").contains("agitation rose above 100")
            && why("impossible").contains("never held"),
        "{}",
        why("impossible")
    );
    assert!(
        why("locked").contains("flag `letter_found`") && why("locked").contains("nothing sets it"),
        "{}",
        why("locked")
    );
    assert!(
        rep.options_never
            .iter()
            .any(|(s, o, _)| s == "start" && o == "secret")
    );
    assert!(
        rep.triggers_never
            .iter()
            .any(|(w, _)| w == "talking trigger 1")
    );
}

#[test]
fn routes_writes_one_runnable_script_per_ending_and_fails_when_one_is_unreachable() {
    let out = common::tmpdir("routes", "cli");
    let scenario = common::root().join("tests/fixtures/routes/blocked.ron");
    let o = common::bin()
        .arg("routes")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("2 of 4 endings reached"), "{text}");
    assert!(text.contains("✗ impossible: no route found"), "{text}");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|f| f.file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["calm.txt", "timeout.txt"]);
    let run = common::run_cmd(&scenario, &out.join("calm.txt"))
        .arg("--no-record")
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stdout).contains("Outcome: Calm"));
}

#[test]
fn a_varied_scenario_says_for_which_temperaments_a_route_works() {
    let sc = load(&common::root().join("tests/fixtures/check/variation_ok.ron"));
    let rep = routes::find(&sc, &Options::default()).unwrap();
    let calm = rep.routes.iter().find(|r| r.ending == "calm").unwrap();
    assert_eq!(calm.temperaments.len(), 2);
    assert!(calm.seeds == 20 && calm.seeds_ok >= 1);
    assert!(
        calm.script.contains("# expect-temperament:"),
        "{}",
        calm.script
    );
    // The volatile Dave goes to `wary` first, so the short route does not work for him,
    // and the report says so rather than hiding it.
    assert!(
        calm.temperaments.contains(&("volatile".to_string(), false)),
        "{:?}",
        calm.temperaments
    );
    let pinned = routes::find(
        &sc,
        &Options {
            temperament: Some("volatile".into()),
            ..Options::default()
        },
    )
    .unwrap();
    let calm = pinned.routes.iter().find(|r| r.ending == "calm").unwrap();
    assert!(
        calm.temperaments.contains(&("volatile".to_string(), true)),
        "{}",
        calm.script
    );
    assert!(calm.script.contains("temperament volatile"));
}
