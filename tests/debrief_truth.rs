//! Every sentence of the debrief must be true of the run it describes (issue 13, item 7).
//! Four kinds of trainee, played through bundled scenarios: one who never moves or speaks,
//! one who only walks in, one who only talks from where they stand, and one who walks in
//! and backs away. Each asserts which sentences the debrief says, and which it must not.

use deescalate::assess::debrief::{self, Debrief};
use deescalate::check;
use deescalate::format::scenario::Scenario;
use deescalate::format::vocab::{Tag, Tone};
use deescalate::sim::script::{Footprint, Script, in_cover, run_script};
use deescalate::sim::{Action, Hands, Sim, TickInput, TraineeState};
use std::path::Path;
use std::sync::Arc;

/// Scenarios whose trainee starts well outside the subject's space (so standing still is
/// "not moving closer", and walking in is a change the debrief has to notice).
const SCENARIOS: [&str; 4] = [
    "knife_sidewalk",
    "bat_front_garden",
    "bridge_railing",
    "dementia_car_park",
];

/// Sentences that claim the trainee moved: none may appear when they never did.
const MOVED: [&str; 13] = [
    "You moved",
    "You walked",
    "You entered",
    "You came within",
    "You stepped back",
    "You closed in",
    "You got back",
    "You gave him back",
    "You gave back",
    "You created distance",
    "created distance",
    "officer moved",
    "officer came closer",
];

/// Sentences that claim the trainee said or did something.
const ACTED: [&str; 5] = [
    "the next thing you did",
    "steady presence",
    "You brought",
    "You said “",
    "you answered with",
];

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.ron"));
    match check::load_scenario(&path) {
        Ok((s, _)) => s,
        Err(report) => panic!("{}", report.render(false)),
    }
}

fn play(s: &Scenario, script: &str) -> Debrief {
    let script = Script::parse(script).expect("script parses");
    let mut sim = script.start(Arc::new(s.clone())).expect("sim starts");
    run_script(&mut sim, &script).expect("script runs");
    debrief::build(s, &sim.result(), None)
}

/// Every sentence the debrief shows the trainee, with where it is shown.
fn sentences(d: &Debrief) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in &d.timeline {
        out.push(("timeline".into(), e.text.clone()));
        if let Some(n) = &e.note {
            out.push(("timeline note".into(), n.clone()));
        }
    }
    for m in &d.key_moments {
        out.push(("key moment".into(), m.cause.clone()));
    }
    for step in &d.cdm {
        for o in &step.observations {
            out.push((step.step.clone(), o.clone()));
        }
    }
    for dim in d.scores.dims() {
        for i in &dim.items {
            out.push((format!("{} score", dim.dimension.label()), i.reason.clone()));
        }
    }
    if let Some(r) = &d.recognition {
        out.push(("recognition".into(), r.clone()));
    }
    out
}

/// The sentences containing any of `claims` (case-insensitive).
fn claiming(d: &Debrief, claims: &[&str]) -> Vec<(String, String)> {
    sentences(d)
        .into_iter()
        .filter(|(_, s)| {
            let s = s.to_lowercase();
            claims.iter().any(|c| s.contains(&c.to_lowercase()))
        })
        .collect()
}

fn says(d: &Debrief, text: &str) -> bool {
    sentences(d).iter().any(|(_, s)| s.contains(text))
}

fn spawn(s: &Scenario) -> (f32, f32) {
    (s.place.trainee_spawn.x, s.place.trainee_spawn.z)
}

/// A point `m` metres from the subject on the line towards the trainee's spawn.
fn at_distance(s: &Scenario, m: f32) -> (f32, f32) {
    let (sx, sz) = (s.subject.spawn.x, s.subject.spawn.z);
    let (tx, tz) = spawn(s);
    let len = ((tx - sx).powi(2) + (tz - sz).powi(2)).sqrt();
    (sx + (tx - sx) / len * m, sz + (tz - sz) / len * m)
}

#[test]
fn an_idle_run_is_told_it_did_nothing_and_nothing_it_did_not_do() {
    for name in SCENARIOS {
        let s = load(name);
        for seed in 1..=4 {
            let d = play(&s, &format!("seed {seed}\n0:00 stop\n"));
            let first = d.samples.first().map_or(0.0, |x| x.distance);
            assert!(
                d.samples.iter().all(|x| (x.distance - first).abs() < 0.01),
                "{name}/{seed}: the trainee never moved, so the distance stays flat"
            );
            let moved = claiming(&d, &MOVED);
            assert!(
                moved.is_empty(),
                "{name}/{seed}: claims movement: {moved:#?}"
            );
            let acted = claiming(&d, &ACTED);
            assert!(acted.is_empty(), "{name}/{seed}: claims action: {acted:#?}");
            assert!(
                says(&d, "so nothing was learned from them"),
                "{name}/{seed}: says nothing was said"
            );
            assert!(says(&d, "Nothing was said during the whole contact"));
            assert!(says(&d, "Never came within"), "{name}/{seed}");
        }
    }
}

#[test]
fn an_idle_run_that_worsens_is_told_nothing_answered_it_and_what_drove_it() {
    // Volatile Daniel winds himself up past talking while the officer watches from 22.5 m.
    let s = load("knife_sidewalk");
    let d = play(&s, "seed 1\ntemperament volatile\n0:00 stop\n");
    assert!(says(&d, "You started behind cover."));
    assert!(
        says(&d, "You were 22.5 m away and had not come within 12 m"),
        "the 12 m trigger fired on distance the trainee never gave up: {:#?}",
        sentences(&d)
    );
    assert!(says(&d, "nothing answered any of them"), "{:#?}", d.cdm);
    assert!(says(&d, "most in this run: silence"), "{:#?}", d.cdm);
    assert!(!says(&d, "You created distance"));
    assert!(says(&d, "in which you had not yet said anything"));
}

#[test]
fn a_run_that_only_walks_in_is_told_it_came_close_and_said_nothing() {
    for name in SCENARIOS {
        let s = load(name);
        let (x, z) = at_distance(
            &s,
            s.subject.reactionary_gap.min(s.subject.personal_space) - 0.5,
        );
        let d = play(&s, &format!("seed 1\n0:00 walk {x:.2} {z:.2} at 1.0\n"));
        assert!(
            says(&d, "You entered the reactionary gap")
                || says(&d, "You entered the personal space"),
            "{name}: {:#?}",
            d.timeline
        );
        assert!(says(&d, "so nothing was learned from them"), "{name}");
        assert!(!says(&d, "Never came within"), "{name}: it did come close");
        let stood_back = claiming(
            &d,
            &[
                "You stepped back",
                "steady presence",
                "You created distance",
            ],
        );
        assert!(stood_back.is_empty(), "{name}: {stood_back:#?}");
        let gap = d
            .cdm
            .iter()
            .flat_map(|c| &c.observations)
            .find(|o| o.contains("reactionary gap"));
        if let Some(gap) = gap {
            assert!(!gap.contains("spent 0 s inside"), "{name}: {gap}");
        }
    }
}

/// Stands at the spawn and says a listening line every eight seconds, never a command.
fn talk_from_afar(s: &Scenario, seed: u64) -> Debrief {
    let mut sim = Sim::new(Arc::new(s.clone()), seed).expect("sim starts");
    let (x, z) = spawn(s);
    let subject = (s.subject.spawn.x, s.subject.spawn.z);
    let trainee = TraineeState {
        x,
        z,
        vx: 0.0,
        vz: 0.0,
        facing: 0.0,
        hands: Hands::Visible,
        in_cover: in_cover(&Footprint::of_cover_props(s), (x, z), subject),
    };
    let harsh = |t: &Tag| matches!(t, Tag::Command | Tag::Threat | Tag::Dismiss | Tag::Lie);
    while !sim.is_finished() && !sim.out_of_time() {
        let speak = sim.tick().is_multiple_of(80);
        let action = speak
            .then(|| {
                sim.offered_choices()
                    .into_iter()
                    .find(|c| !c.tags.iter().any(harsh))
                    .map(|c| Action::Say {
                        option: c.id.clone(),
                        tone: if c.fitting_tones().contains(&Tone::Calm) {
                            Tone::Calm
                        } else {
                            c.fitting_tones()[0]
                        },
                    })
            })
            .flatten();
        sim.step(&TickInput { trainee, action }).expect("step");
    }
    debrief::build(s, &sim.result(), None)
}

#[test]
fn a_run_that_only_talks_from_afar_is_told_it_talked_and_never_came_closer() {
    for name in SCENARIOS {
        let s = load(name);
        for seed in 1..=2 {
            let d = talk_from_afar(&s, seed);
            assert!(
                d.timeline
                    .iter()
                    .any(|e| e.speaker == debrief::Speaker::Trainee),
                "{name}/{seed}: something was said"
            );
            assert!(
                !says(&d, "so nothing was learned from them"),
                "{name}/{seed}"
            );
            assert!(!says(&d, "Nothing was said during the whole contact"));
            let moved = claiming(&d, &MOVED);
            assert!(
                moved.is_empty(),
                "{name}/{seed}: claims movement: {moved:#?}"
            );
            assert!(
                says(&d, "Never came within"),
                "{name}/{seed}: stayed at the spawn"
            );
            for m in &d.key_moments {
                assert!(
                    !m.cause.contains("not yet said anything") || m.t < first_line(&d),
                    "{name}/{seed}: a quiet stretch after the first line is not 'before speaking': {m:?}"
                );
            }
        }
    }
}

fn first_line(d: &Debrief) -> f32 {
    d.timeline
        .iter()
        .find(|e| e.speaker == debrief::Speaker::Trainee)
        .map_or(f32::INFINITY, |e| e.t)
}

#[test]
fn a_run_that_backs_away_is_credited_with_the_distance_it_gave() {
    // Into the knife's reactionary gap, then back out: the "too close" scene's way out is
    // earned by stepping back, and the debrief says so.
    let s = load("knife_sidewalk");
    let (ix, iz) = at_distance(&s, 5.5);
    let (ox, oz) = at_distance(&s, 10.0);
    let d = play(
        &s,
        &format!(
            "seed 1\ntemperament as_briefed\n0:00 walk {ix:.2} {iz:.2} at 1.0\n0:17 walk {ox:.2} {oz:.2}\n"
        ),
    );
    assert!(
        says(&d, "You entered the reactionary gap"),
        "{:#?}",
        d.timeline
    );
    assert!(says(&d, "You stepped back beyond 8 m"), "{:#?}", d.timeline);
    assert!(says(&d, "You got back outside the gap"));
    assert!(!says(&d, "had not come within"));

    // The same for the bat: inside the gap, then back beyond 7 m.
    let s = load("bat_front_garden");
    let (ix, iz) = at_distance(&s, 4.8);
    let (ox, oz) = at_distance(&s, 9.0);
    let d = play(
        &s,
        &format!(
            "seed 1\ntemperament as_briefed\n0:00 walk {ix:.2} {iz:.2} at 1.0\n0:20 walk {ox:.2} {oz:.2}\n"
        ),
    );
    assert!(
        says(&d, "You entered the reactionary gap"),
        "{:#?}",
        d.timeline
    );
    assert!(says(&d, "You stepped back beyond 7 m"), "{:#?}", d.timeline);
    assert!(!says(&d, "had not come within"));
}
