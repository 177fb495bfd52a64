//! Subjects that vary with the seed: temperaments and ranges, seeded events, jitter, line
//! variants, wordings, option order and `OneOf` branches — deterministic for a seed, inside
//! the author's bounds, and enough to change what a consistent trainee meets.

use deescalate::check;
use deescalate::explore::policy::{self, Policy};
use deescalate::format::scenario::Scenario;
use deescalate::format::vocab::Tone;
use deescalate::sim::script::{Script, run_script};
use deescalate::sim::{Action, EventKind, Sim, TickInput, TraineeState};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

fn load(path: &str) -> Arc<Scenario> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let (s, report) = check::load_scenario(&p).unwrap_or_else(|r| panic!("{}", r.render(false)));
    assert!(!report.has_errors(), "{}", report.render(false));
    Arc::new(s)
}

fn fixture() -> Arc<Scenario> {
    load("tests/fixtures/check/variation_ok.ron")
}

fn bundled() -> Vec<(String, Arc<Scenario>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut out: Vec<(String, Arc<Scenario>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            (name, load(p.to_str().unwrap()))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A short fixed input: stand, say the first offered option, wait.
fn play_fixed(sc: &Arc<Scenario>, seed: u64, pin: Option<&str>) -> Sim {
    let mut sim = Sim::with_temperament(Arc::clone(sc), seed, pin).unwrap();
    let st = TraineeState {
        x: 0.0,
        z: 6.0,
        ..TraineeState::default()
    };
    while !sim.is_finished() && !sim.out_of_time() {
        let action = (sim.tick() % 50 == 10)
            .then(|| sim.offers().first().map(|o| o.choice.id.clone()))
            .flatten()
            .map(|option| Action::Say {
                option,
                tone: Tone::Calm,
            });
        sim.step(&TickInput {
            trainee: st,
            action,
        })
        .unwrap();
    }
    sim
}

#[test]
fn same_seed_same_subject_same_events() {
    let sc = fixture();
    for seed in 1..40 {
        let a = play_fixed(&sc, seed, None).result();
        let b = play_fixed(&sc, seed, None).result();
        assert_eq!(a, b, "seed {seed} did not reproduce");
    }
}

#[test]
fn temperaments_are_drawn_by_weight_and_all_appear() {
    let sc = fixture();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for seed in 0..600 {
        let sim = Sim::new(Arc::clone(&sc), seed).unwrap();
        *count
            .entry(sim.temperament().unwrap().to_string())
            .or_default() += 1;
    }
    // steady weighs 2, volatile 1: about 400 and 200.
    let steady = count["steady"] as f32;
    let volatile = count["volatile"] as f32;
    assert!((330.0..470.0).contains(&steady), "{count:?}");
    assert!((130.0..270.0).contains(&volatile), "{count:?}");
}

#[test]
fn draws_stay_inside_the_authors_bounds() {
    let sc = fixture();
    let mut seen_ps = BTreeSet::new();
    let (mut lo, mut hi) = (f32::MAX, f32::MIN);
    for seed in 0..2000 {
        let sim = Sim::new(Arc::clone(&sc), seed).unwrap();
        let s = sim.subject();
        assert!(
            (35.0..=45.0).contains(&s.baseline_agitation),
            "seed {seed}: {}",
            s.baseline_agitation
        );
        lo = lo.min(s.baseline_agitation);
        hi = hi.max(s.baseline_agitation);
        assert!(s.personal_space == 2.0 || s.personal_space == 3.0);
        seen_ps.insert(s.personal_space.to_bits());
        match sim.temperament() {
            Some("volatile") => {
                assert!((20.0..=26.0).contains(&s.tones.shouting.agitation));
                assert_eq!(s.sensitivity.fast_approach_speed, 1.0);
            }
            Some("steady") => {
                assert_eq!(s.tones.shouting, sc.subject.tones.shouting);
                assert_eq!(
                    s.sensitivity.fast_approach_speed,
                    sc.subject.sensitivity.fast_approach_speed
                );
            }
            other => panic!("unexpected temperament {other:?}"),
        }
        // What does not vary keeps the authored value.
        assert_eq!(s.baseline_trust, sc.subject.baseline_trust);
        assert_eq!(s.reactionary_gap, sc.subject.reactionary_gap);
    }
    assert_eq!(seen_ps.len(), 2, "both weighted values are drawn");
    assert!(
        lo < 36.0 && hi > 44.0,
        "the range is used end to end: {lo}..{hi}"
    );
}

#[test]
fn a_pinned_temperament_reproduces_the_drawn_run_exactly() {
    let sc = fixture();
    for seed in 1..30 {
        let drawn = play_fixed(&sc, seed, None).result();
        let t = drawn.temperament.clone().unwrap();
        let pinned = play_fixed(&sc, seed, Some(&t)).result();
        assert_eq!(drawn, pinned, "seed {seed}");
    }
    let err = Sim::with_temperament(fixture(), 1, Some("sleepy")).unwrap_err();
    assert!(err.to_string().contains("steady, volatile"), "{err}");
}

#[test]
fn a_scenario_without_variation_draws_nothing() {
    let sc = load("tests/fixtures/check/minimal_ok.ron");
    let a = Sim::new(Arc::clone(&sc), 1).unwrap();
    let b = Sim::new(Arc::clone(&sc), 999).unwrap();
    assert_eq!(a.temperament(), None);
    assert_eq!(a.subject(), &sc.subject);
    assert_eq!(b.subject(), &sc.subject);
    // Options keep their authored order and wording.
    let ids: Vec<&str> = a.offers().iter().map(|o| o.choice.id.as_str()).collect();
    assert_eq!(ids, ["talk"]);
    let err = Sim::with_temperament(sc, 1, Some("volatile")).unwrap_err();
    assert!(err.to_string().contains("does not vary"), "{err}");
}

#[test]
fn the_same_words_land_differently_on_a_different_temperament() {
    // `talk` goes to `wary` for a volatile Dave (the more specific branch), else `calm_down`.
    let sc = fixture();
    for (t, scene) in [("volatile", "wary"), ("steady", "calm_down")] {
        let script = Script::parse(&format!(
            "seed 3\ntemperament {t}\n0:02 say talk calm\n0:05 end\n"
        ))
        .unwrap();
        let mut sim = script.start(Arc::clone(&sc)).unwrap();
        run_script(&mut sim, &script).unwrap();
        assert_eq!(sim.scene_id(), scene, "{t}");
        let r = sim.result();
        let branched = r.events.iter().any(|e| matches!(&e.kind, EventKind::Branched { target, .. } if target == &format!("scene {scene}")));
        assert!(branched, "{t}: a Branched event names where the words led");
        // The volatile Dave's opening line is his own variant.
        let first_line = r.events.iter().find_map(|e| match &e.kind {
            EventKind::SubjectLine { text, .. } => Some(text.as_str()),
            _ => None,
        });
        let want = if t == "volatile" {
            "GO AWAY!"
        } else {
            "Go away."
        };
        assert_eq!(first_line, Some(want));
    }
}

#[test]
fn a_reply_variant_follows_what_was_said_before() {
    let sc = fixture();
    let script = Script::parse(
        "seed 3\ntemperament volatile\n0:02 say talk calm\n0:04 say because calm\n0:06 end\n",
    )
    .unwrap();
    let mut sim = script.start(Arc::clone(&sc)).unwrap();
    run_script(&mut sim, &script).unwrap();
    let lines: Vec<String> = sim
        .result()
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SubjectLine { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(
        lines.contains(&"You keep saying that.".to_string()),
        "{lines:?}"
    );
}

#[test]
fn seeded_events_happen_by_chance_inside_their_window() {
    let sc = fixture();
    let (mut happened, mut runs) = (0, 0);
    for seed in 0..400 {
        // Stand still and silent: nothing else can end the run before the window closes.
        let mut sim = Sim::new(Arc::clone(&sc), seed).unwrap();
        let st = TraineeState {
            x: 0.0,
            z: 8.0,
            ..TraineeState::default()
        };
        // A tactical pause every 5 s keeps the silence trigger from ending the run.
        while sim.time() < 31.0 && !sim.is_finished() {
            let action = sim.tick().is_multiple_of(50).then_some(Action::Pause);
            sim.step(&TickInput {
                trainee: st,
                action,
            })
            .unwrap();
        }
        assert!(!sim.is_finished());
        runs += 1;
        let r = sim.result();
        let at: Vec<f32> = r
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Happened { .. }))
            .map(|e| e.t)
            .collect();
        assert!(at.len() <= 1);
        if let Some(t) = at.first() {
            assert!((5.0..=30.0).contains(t), "seed {seed}: at {t}");
            assert!(sim.has_flag("siren"), "an event sets its flags");
            happened += 1;
        }
    }
    let share = happened as f32 / runs as f32;
    assert!(
        (0.4..0.6).contains(&share),
        "chance 0.5, happened in {share}"
    );
}

#[test]
fn trigger_jitter_moves_the_moment_within_bounds() {
    // `SilenceFor(20.0)` with jitter 5 ends the run between 15 and 25 s of silence.
    let sc = fixture();
    let mut ends = BTreeSet::new();
    for seed in 0..200 {
        let mut sim = Sim::new(Arc::clone(&sc), seed).unwrap();
        sim.run_idle(TraineeState {
            x: 0.0,
            z: 8.0,
            ..TraineeState::default()
        });
        let t = sim.time();
        assert!((15.0..=25.2).contains(&t), "seed {seed}: ended at {t}");
        ends.insert((t * 10.0) as u32);
    }
    assert!(
        ends.len() > 20,
        "the moment varies: {} distinct",
        ends.len()
    );
}

#[test]
fn option_order_and_wording_follow_the_seed_and_stay_put_within_a_visit() {
    let sc = load("scenarios/knife_sidewalk.ron");
    let mut orders = BTreeSet::new();
    for seed in 1..21 {
        let mut sim = Sim::new(Arc::clone(&sc), seed).unwrap();
        let first: Vec<String> = sim.offers().iter().map(|o| o.choice.id.clone()).collect();
        let scene = sim.scene_id().to_string();
        let far = TickInput {
            trainee: TraineeState {
                x: sc.place.trainee_spawn.x,
                z: sc.place.trainee_spawn.z,
                ..TraineeState::default()
            },
            action: None,
        };
        for _ in 0..30 {
            sim.step(&far).unwrap();
            if sim.is_finished() || sim.scene_id() != scene {
                break;
            }
            let now: Vec<String> = sim.offers().iter().map(|o| o.choice.id.clone()).collect();
            let kept: Vec<&String> = first.iter().filter(|id| now.contains(id)).collect();
            let now_kept: Vec<&String> = now.iter().filter(|id| first.contains(id)).collect();
            assert_eq!(
                kept, now_kept,
                "seed {seed}: the order changed within one visit"
            );
        }
        orders.insert(first);
    }
    if sc.variation.as_ref().is_some_and(|v| v.shuffle_options) {
        assert!(
            orders.len() >= 5,
            "only {} different orders over 20 seeds",
            orders.len()
        );
    }
}

#[test]
fn wordings_are_shown_and_said() {
    let sc = fixture();
    let mut texts = BTreeSet::new();
    for seed in 0..40 {
        let mut sim = Sim::new(Arc::clone(&sc), seed).unwrap();
        let (option, shown) = {
            let offer = sim.offers()[0];
            (offer.choice.id.clone(), offer.text.to_string())
        };
        texts.insert(shown.clone());
        sim.step(&TickInput {
            trainee: TraineeState::default(),
            action: Some(Action::Say {
                option,
                tone: Tone::Calm,
            }),
        })
        .unwrap();
        let said = sim.events().iter().find_map(|e| match &e.kind {
            EventKind::Utterance { text, .. } => Some(text.clone()),
            _ => None,
        });
        assert_eq!(
            said.as_deref(),
            Some(shown.as_str()),
            "the line said is the line shown"
        );
    }
    assert_eq!(texts.len(), 2, "{texts:?}");
}

#[test]
fn peak_agitation_is_the_true_maximum() {
    for (name, sc) in bundled() {
        for seed in 1..6 {
            let sim = policy::play(&sc, seed, None, Policy::Rushed).unwrap();
            let r = sim.result();
            let said_max = r
                .events
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::Utterance {
                        agitation_after, ..
                    } => Some(agitation_after),
                    _ => None,
                })
                .fold(f32::MIN, f32::max);
            let sampled = r
                .samples
                .iter()
                .map(|s| s.agitation)
                .fold(f32::MIN, f32::max);
            assert!(r.peak_agitation >= sampled, "{name}/{seed}");
            assert!(
                r.peak_agitation >= said_max,
                "{name}/{seed}: {} < {said_max}",
                r.peak_agitation
            );
            assert!(r.peak_agitation >= r.final_agitation, "{name}/{seed}");
            let reached = r
                .samples
                .iter()
                .any(|s| (s.agitation - r.peak_agitation).abs() < 1e-3)
                || (said_max - r.peak_agitation).abs() < 1e-3
                || (r.final_agitation - r.peak_agitation).abs() < 1e-3;
            assert!(
                reached || r.peak_agitation > sampled,
                "{name}/{seed}: peak never reached"
            );
        }
    }
}

/// What a run looked like, for counting different runs.
fn fingerprint(sc: &Scenario, sim: &Sim) -> (String, [i32; 5]) {
    let r = sim.result();
    let s = deescalate::assess::score::score(sc, &r);
    (
        r.ending.clone().unwrap_or_default(),
        [
            s.overall,
            s.distance.score,
            s.time.score,
            s.tone.score,
            s.verbal.score,
        ]
        .map(|v| v.round() as i32),
    )
}

#[test]
fn a_consistent_trainee_meets_different_runs_and_the_textbook_still_works() {
    let mut problems = Vec::new();
    for (name, sc) in bundled() {
        for policy in Policy::ALL {
            let mut runs = BTreeSet::new();
            let mut endings = BTreeSet::new();
            let (mut good, mut routes) = (0, BTreeSet::new());
            for seed in 1..=20 {
                let sim = policy::play(&sc, seed, None, policy).unwrap();
                runs.insert(fingerprint(&sc, &sim));
                let r = sim.result();
                endings.insert(r.ending.clone());
                if r.outcome.is_some_and(|o| o.is_deescalated()) {
                    good += 1;
                    let route: Vec<String> = r
                        .events
                        .iter()
                        .filter_map(|e| match &e.kind {
                            EventKind::SceneEntered { scene } => Some(scene.clone()),
                            _ => None,
                        })
                        .collect();
                    routes.insert(route);
                }
            }
            if runs.len() < 3 {
                problems.push(format!(
                    "{name}/{}: only {} different runs over 20 seeds",
                    policy.name(),
                    runs.len()
                ));
            }
            if policy == Policy::Patient && (good < 14 || routes.len() < 2) {
                problems.push(format!(
                    "{name}/patient: de-escalated in {good}/20 seeds by {} route(s) (want >= 14 by >= 2)",
                    routes.len()
                ));
            }
            if matches!(policy, Policy::Rushed | Policy::GoodWordsShouted) && endings.len() < 2 {
                problems.push(format!(
                    "{name}/{}: always fails the same way: {endings:?}",
                    policy.name()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

#[test]
fn every_bundled_scenario_varies_as_a_trainer_would_write_it() {
    let mut problems = Vec::new();
    for (name, sc) in bundled() {
        let Some(v) = sc.variation.as_ref() else {
            problems.push(format!("{name}: no variation"));
            continue;
        };
        if v.temperaments.len() < 3 {
            problems.push(format!("{name}: fewer than three temperaments"));
        }
        if sc.events.is_empty() {
            problems.push(format!("{name}: no seeded event"));
        }
        let branches = sc.scenes.iter().any(|s| {
            s.options
                .iter()
                .any(|o| matches!(o.next, deescalate::format::scenario::Next::OneOf(_)))
                || s.triggers
                    .iter()
                    .any(|t| matches!(t.goto, deescalate::format::scenario::Next::OneOf(_)))
        }) || sc
            .triggers
            .iter()
            .any(|t| matches!(t.goto, deescalate::format::scenario::Next::OneOf(_)));
        if !branches {
            problems.push(format!("{name}: no varied branch"));
        }
        for t in &v.temperaments {
            if t.description.len() < 20 {
                problems.push(format!("{name}/{}: describe it for the debrief", t.id));
            }
        }
    }
    assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
}

mod common;

#[test]
fn a_record_keeps_the_temperament_met_and_its_debrief_reproduces_the_run() {
    let dir = common::tmpdir("variation", "record");
    let script = dir.join("run.txt");
    // Seed 4 draws a temperament; the record must carry it, pinned or not.
    for (name, header) in [
        ("drawn", "seed 4\n"),
        ("pinned", "seed 4\ntemperament volatile\n"),
    ] {
        std::fs::write(&script, format!("{header}0:02 say talk calm\n0:08 end\n")).unwrap();
        let record = dir.join(format!("{name}.json"));
        let scenario = common::root().join("tests/fixtures/check/variation_ok.ron");
        let out = common::succeeds(
            common::run_cmd(&scenario, &script)
                .arg("--record")
                .arg(&record),
        );
        let first = String::from_utf8(out.stdout).unwrap();
        let rec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
        let met = rec["temperament"]
            .as_str()
            .expect("the record names the temperament")
            .to_string();
        assert!(first.contains(&format!("WHO YOU MET ({met})")), "{first}");
        let again = common::bin()
            .args(["debrief"])
            .arg(&record)
            .arg("--scenario")
            .arg(&scenario)
            .output()
            .unwrap();
        assert!(
            again.status.success(),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert_eq!(
            String::from_utf8(again.stdout).unwrap(),
            first,
            "{name}: the debrief reproduces the run"
        );
    }
}
