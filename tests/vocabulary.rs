//! The vocabulary for real calls, as the debrief shows it: a firearm in hand or only within
//! reach (drawing, cover, the open), vehicles as cover and the one the subject sits in not,
//! lines spoken by Control, a bystander or the subject, the conditions `NotInCover`,
//! `InScene`, `SecondsElapsed` and `SecondsInScene`, cleared flags, and the indicators for
//! trauma and intellectual disability. The scenarios are in `tests/fixtures/vocab/`.

use deescalate::assess::debrief::{self, Debrief, Speaker};
use deescalate::check;
use deescalate::cohort::class;
use deescalate::format::scenario::Scenario;
use deescalate::format::variation::Voice;
use deescalate::format::vocab::{Body, Held, Indicator};
use deescalate::report;
use deescalate::sim::script::{Footprint, Script, in_cover, run_script};
use deescalate::sim::{Event, EventKind, Sim};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vocab")
        .join(format!("{name}.ron"))
}

fn load(name: &str) -> Scenario {
    match check::load_scenario(&fixture(name)) {
        Ok((s, report)) => {
            assert!(report.diagnostics.is_empty(), "{}", report.render(false));
            s
        }
        Err(report) => panic!("{}", report.render(false)),
    }
}

/// Plays `script` to its end (or an `end` line) and returns the simulation as it stands.
fn sim_after(scenario: Scenario, script: &str) -> Sim {
    let script = Script::parse(script).expect("script parses");
    let mut sim = Sim::new(Arc::new(scenario), script.seed.unwrap_or(1)).expect("sim starts");
    run_script(&mut sim, &script).expect("script runs");
    sim
}

fn play(scenario: Scenario, script: &str) -> Debrief {
    let sim = sim_after(scenario.clone(), script);
    debrief::build(&scenario, &sim.result(), None)
}

/// The points of the distance item whose reason contains `text`, if there is one.
fn distance_item(d: &Debrief, text: &str) -> Option<f32> {
    let items = &d.scores.distance.items;
    items
        .iter()
        .find(|i| i.reason.contains(text))
        .map(|i| i.points)
}

/// Every observation of the reflection step whose name starts with `step`, joined.
fn reflection(d: &Debrief, step: &str) -> String {
    let s = d
        .cdm
        .iter()
        .find(|s| s.step.starts_with(step))
        .expect("step");
    s.observations.join(" ")
}

/// Ray's rifle moved: into his hand, or gone, or swapped for a knife in his hand.
fn ray_with(holding: Held, within_reach: Held) -> Scenario {
    let mut s = load("pickup_rifle");
    s.subject.holding = holding;
    s.subject.within_reach = within_reach;
    s
}

/// Behind the patrol car the whole time: draws for five seconds, then talks him out.
const DRAWN_IN_COVER: &str = "
0:00 walk 0 14 at 1.0
0:05 hands weapon
0:10 hands visible
0:12 say served calm
0:25 say listen calm
1:05 say leave_rifle calm
";

/// The same words, behind the patrol car, no weapon drawn.
const IN_COVER: &str = "
0:00 walk 0 14 at 1.0
0:03 say introduce calm
0:12 say served calm
0:25 say listen calm
1:05 say leave_rifle calm
";

/// The same words from the open, 8.6 m from the cab.
const IN_THE_OPEN: &str = "
0:00 walk 5 8 at 1.0
0:03 say introduce calm
0:12 say served calm
0:25 say listen calm
1:05 say leave_rifle calm
";

// ---------------------------------------------------------------------------------------
// Firearms: in hand, within reach, none
// ---------------------------------------------------------------------------------------

#[test]
fn drawing_on_a_firearm_in_hand_is_justified() {
    let d = play(ray_with(Held::Rifle, Held::Nothing), DRAWN_IN_COVER);
    assert_eq!(
        distance_item(&d, "Weapon drawn"),
        None,
        "{:#?}",
        d.scores.distance
    );
    let powers = reflection(&d, "Consider police powers");
    assert!(
        powers.contains("With Ray holding a rifle, drawing was justified"),
        "{powers}"
    );
}

#[test]
fn drawing_on_a_firearm_within_reach_depends_on_what_he_does() {
    let d = play(load("pickup_rifle"), DRAWN_IN_COVER);
    // 4 for drawing on a man who is not reaching for it, plus 0.2 a second for 5 s.
    assert_eq!(
        distance_item(
            &d,
            "Weapon drawn for 5 s although Ray had a rifle within reach but was not reaching for it (agitation 45)"
        ),
        Some(-5.0),
        "{:#?}",
        d.scores.distance
    );
    // Once he is threatening (agitation 75 or more), drawing costs nothing.
    let pressed = "
0:00 walk 0 14 at 1.0
0:03 nudge 35
0:05 hands weapon
0:10 hands visible
";
    let d = play(load("pickup_rifle"), pressed);
    assert_eq!(
        distance_item(&d, "Weapon drawn"),
        None,
        "{:#?}",
        d.scores.distance
    );
}

#[test]
fn without_the_rifle_he_is_an_unarmed_man_in_crisis() {
    // The complaint that started it: a rifle the format could not express read as "no weapon".
    let d = play(ray_with(Held::Nothing, Held::Nothing), DRAWN_IN_COVER);
    // Trauma puts him in crisis: 20, plus 0.2 a second for 5 s.
    assert_eq!(
        distance_item(&d, "Weapon drawn for 5 s although Ray held no weapon"),
        Some(-21.0)
    );
    // No weapon, no cover rules: neither credit nor cost for the open.
    assert_eq!(distance_item(&d, "Used cover"), None);
    assert_eq!(distance_item(&d, "In the open"), None);
}

#[test]
fn against_a_firearm_the_open_costs_and_cover_earns() {
    let open = play(load("pickup_rifle"), IN_THE_OPEN);
    // Five seconds behind the car on the way, then 60 s in the open: 12 × 60/65.
    assert_eq!(
        distance_item(
            &open,
            "In the open, not behind cover, for 60 s (93% of the time) while Ray had a rifle within reach — distance alone does not stop a bullet; cover does"
        ),
        Some(-11.2),
        "{:#?}",
        open.scores.distance
    );
    assert_eq!(distance_item(&open, "Used cover"), None);
    assert!(reflection(&open, "Assess").contains("You were in the open for 60 s of 65 s."));

    let covered = play(load("pickup_rifle"), IN_COVER);
    assert_eq!(
        distance_item(&covered, "Used cover for 65 s (100% of the time)"),
        Some(8.0)
    );
    assert_eq!(distance_item(&covered, "In the open"), None);
    let assess = reflection(&covered, "Assess");
    assert!(assess.contains("Ray had a rifle within reach; you spent 0 s inside the 7 m reactionary gap and 65 s behind cover."), "{assess}");
    assert!(
        assess.contains("cover does, and you kept it the whole time"),
        "{assess}"
    );
    assert!(covered.scores.distance.score > open.scores.distance.score);
}

#[test]
fn against_a_knife_distance_still_protects() {
    let d = play(ray_with(Held::Knife, Held::Nothing), IN_THE_OPEN);
    assert_eq!(
        distance_item(&d, "In the open"),
        None,
        "{:#?}",
        d.scores.distance
    );
    assert!(!reflection(&d, "Assess").contains("firearm"));
}

#[test]
fn a_subject_who_drives_off_with_a_rifle_within_reach() {
    let d = play(load("pickup_rifle"), "0:02 nudge 45\n");
    assert_eq!(d.ending_id.as_deref(), Some("drives_off"));
    let outcome = d.scores.outcome.expect("an outcome item");
    assert_eq!(outcome.points, -15.0);
    assert_eq!(
        outcome.reason,
        "Ray left with the crisis still going on, with a rifle within reach"
    );
}

#[test]
fn body_language_brandishes_only_what_is_in_hand() {
    // In the `talking` scene (so he does not drive off), pushed above 80.
    let script = "0:00 walk 0 14 at 1.0\n0:11 say served calm\n0:13 nudge 50\n0:14 end\n";
    let reach = sim_after(load("pickup_rifle"), script);
    assert!(reach.agitation() >= 80.0);
    assert_eq!(reach.body(), Body::Agitated);
    for gun in [Held::Handgun, Held::Rifle, Held::Shotgun] {
        let hand = sim_after(ray_with(gun, Held::Nothing), script);
        assert_eq!(hand.body(), Body::Threatening, "{gun:?}");
    }
    // Below 80 the scene's hint stands: he sits in the cab.
    let calm = sim_after(load("pickup_rifle"), "0:05 end\n");
    assert_eq!(calm.body(), Body::Sitting);
}

#[test]
fn a_replica_handgun_is_scored_as_a_handgun_and_a_pickup_gives_cover() {
    let script = "
0:00 hands weapon
0:08 hands visible
0:10 say not_here_to calm
0:31 say ask_suicide calm
";
    let d = play(load("replica_handgun"), script);
    assert_eq!(d.ending_id.as_deref(), Some("talks"));
    assert_eq!(
        distance_item(&d, "Weapon drawn"),
        None,
        "{:#?}",
        d.scores.distance
    );
    // The trainee never left the spot behind the parked pickup.
    assert_eq!(
        distance_item(&d, "Used cover for 31 s (100% of the time)"),
        Some(8.0)
    );
    assert_eq!(distance_item(&d, "In the open"), None);
    assert!(
        reflection(&d, "Consider police powers")
            .contains("With Lee holding a handgun, drawing was justified")
    );
}

// ---------------------------------------------------------------------------------------
// Vehicles and cover
// ---------------------------------------------------------------------------------------

#[test]
fn the_truck_he_sits_in_is_not_cover_but_the_car_and_the_van_are() {
    let s = load("pickup_rifle");
    let ray = (s.subject.spawn.x, s.subject.spawn.z);
    let cover = Footprint::of_cover_props(&s);
    assert_eq!(cover.len(), 2, "the patrol car and the van");
    assert!(in_cover(&cover, (0.0, 14.0), ray), "behind the patrol car");
    assert!(in_cover(&cover, (-8.0, 6.0), ray), "behind the van");
    assert!(!in_cover(&cover, (5.0, 8.0), ray), "in the open");
    // Marking his own truck as cover changes nothing (and `check` says so).
    let mut marked = s.clone();
    marked.place.props[0].cover = true;
    assert!(!marked.gives_cover(&marked.place.props[0]));
    assert_eq!(Footprint::of_cover_props(&marked).len(), 2);
    assert!(!in_cover(
        &Footprint::of_cover_props(&marked),
        (5.0, 8.0),
        ray
    ));
    // Walking behind the van shows in the timeline.
    let d = play(s, "0:00 walk -8 6 at 1.0\n0:20 end\n");
    assert!(
        d.timeline
            .iter()
            .any(|e| e.text == "You moved behind cover.")
    );
}

// ---------------------------------------------------------------------------------------
// Who speaks
// ---------------------------------------------------------------------------------------

const RADIO: &str = "Control to 12: the crisis team is ten minutes out. Hold what you have.";

#[test]
fn a_radio_trigger_line_is_control_speaking() {
    let d = play(load("pickup_rifle"), IN_COVER);
    let radio: Vec<_> = d.timeline.iter().filter(|e| e.text == RADIO).collect();
    assert_eq!(radio.len(), 1, "{:#?}", d.timeline);
    assert_eq!(radio[0].speaker, Speaker::Radio);
    assert_eq!(radio[0].t, 20.0);
    // The subject did not say it, so it is not one of his lines (nor a subtitle of his).
    let his_lines = d
        .events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::SubjectLine { text, .. } if text == RADIO));
    assert_eq!(his_lines.count(), 0);
    let fired = d.events.iter().find_map(|e| match &e.kind {
        EventKind::TriggerFired { line, by, .. } => Some((line.clone(), *by)),
        _ => None,
    });
    assert_eq!(fired, Some((Some(RADIO.to_string()), Voice::Radio)));
    // The text debrief and the HTML report say who.
    let text = report::text(&d);
    assert!(text.contains(&format!("0:20  Radio: “{RADIO}”")), "{text}");
    let html = report::html::render(&d);
    assert!(html.contains("<tr class=\"radio\">"), "no radio row");
    assert!(
        html.contains(&format!("— Radio: “{RADIO}”")),
        "no radio line on the trigger marker"
    );
}

#[test]
fn a_trigger_line_by_the_scene_is_narration_and_by_default_the_subject_speaks() {
    let d = play(load("pickup_rifle"), "0:02 nudge 45\n");
    let drove = "(He starts the engine and drives off, the rifle beside him.)";
    let e = d
        .timeline
        .iter()
        .find(|e| e.text == drove)
        .expect("the narration");
    assert_eq!(e.speaker, Speaker::Scene);
    // A trigger without `by` is the subject's, as before.
    let mut s = load("pickup_rifle");
    s.triggers[1].by = Voice::Subject;
    let d = play(s, "0:02 nudge 45\n");
    let e = d
        .timeline
        .iter()
        .find(|e| e.text == drove)
        .expect("his line");
    assert_eq!(e.speaker, Speaker::Subject);
}

#[test]
fn injects_say_who_spoke() {
    let script = "
0:00 walk 0 14 at 1.0
0:05.5 inject passer_by
0:08 inject ray_shouts
0:12 inject alarm
0:15 end
";
    let d = play(load("pickup_rifle"), script);
    let who = |text: &str| -> Vec<Speaker> {
        d.timeline
            .iter()
            .filter(|e| e.text == text)
            .map(|e| e.speaker)
            .collect()
    };
    assert_eq!(who("Hey! Is that guy okay?"), [Speaker::Bystander]);
    assert_eq!(
        who("I said LEAVE ME ALONE!"),
        [Speaker::Subject],
        "said once, by Ray"
    );
    assert_eq!(
        who("(A car alarm goes off across the car park.)"),
        [Speaker::Scene]
    );
    let text = report::text(&d);
    assert!(
        text.contains("0:06  Bystander: “Hey! Is that guy okay?”"),
        "{text}"
    );
    assert!(
        text.contains("0:08  Ray: “I said LEAVE ME ALONE!”"),
        "{text}"
    );
    assert!(
        d.key_moments
            .iter()
            .any(|m| m.cause
                == "Something outside your control (a bystander): “Hey! Is that guy okay?”"),
        "{:#?}",
        d.key_moments
    );
}

#[test]
fn the_class_debrief_says_who_spoke_an_outside_line() {
    let dir = std::env::temp_dir().join(format!("deescalate-vocab-class-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("bystander.txt");
    std::fs::write(
        &script,
        "0:00 walk 0 14 at 1.0\n0:05.5 inject passer_by\n0:15 end\n",
    )
    .unwrap();
    let scenario = fixture("pickup_rifle");
    let records = dir.join("records");
    for trainee in ["A", "B"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_deescalate"))
            .args(["run", scenario.to_str().unwrap(), "--script"])
            .arg(&script)
            .args(["--trainee", trainee, "--records"])
            .arg(&records)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let class = class::load(&records, Some(&scenario)).expect("the class loads");
    let summary = class::Summary::of(&class);
    let bystander = "Outside event — a bystander: “Hey! Is that guy okay?”";
    let group = summary.moments.iter().find(|m| m.category == bystander);
    assert_eq!(group.map(|m| m.runs), Some(2), "{:#?}", summary.moments);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn events_from_before_speakers_still_load() {
    let trigger = r#"{"tick":200,"t":20.0,"kind":{"type":"TriggerFired","scene":null,"condition":"20 s passed since the start","why":null,"target":"stay"}}"#;
    let e: Event = serde_json::from_str(trigger).expect("an old trigger event loads");
    assert!(matches!(
        e.kind,
        EventKind::TriggerFired {
            line: None,
            by: Voice::Subject,
            ..
        }
    ));
    let inject =
        r#"{"tick":50,"t":5.0,"kind":{"type":"Injected","id":"alarm","line":"(An alarm.)"}}"#;
    let e: Event = serde_json::from_str(inject).expect("an old inject event loads");
    assert!(matches!(e.kind, EventKind::Injected { by: None, .. }));
    // And what is written today reads back the same.
    let d = play(load("pickup_rifle"), IN_COVER);
    let json = serde_json::to_string(&d.events).unwrap();
    let back: Vec<Event> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, d.events);
}

// ---------------------------------------------------------------------------------------
// Conditions and cleared flags
// ---------------------------------------------------------------------------------------

fn offered(sim: &Sim) -> Vec<String> {
    sim.offered_choices().iter().map(|c| c.id.clone()).collect()
}

#[test]
fn not_in_cover_offers_a_line_only_in_the_open() {
    let behind = sim_after(load("pickup_rifle"), "0:00 walk 0 14 at 1.0\n0:05 end\n");
    assert!(behind.in_cover());
    assert!(!offered(&behind).contains(&"from_the_open".to_string()));
    let open = sim_after(load("pickup_rifle"), "0:00 walk 5 8 at 1.5\n0:09 end\n");
    assert!(!open.in_cover());
    assert!(
        offered(&open).contains(&"from_the_open".to_string()),
        "{:?}",
        offered(&open)
    );
}

#[test]
fn seconds_in_scene_and_seconds_elapsed_open_options_in_time() {
    // A run that ends at `T` has simulated the tick at `T`: it stands at T + 0.1 s.
    let served = |end: &str| offered(&sim_after(load("pickup_rifle"), &format!("{end} end\n")));
    assert!(!served("0:09.8").contains(&"served".to_string()));
    assert!(served("0:09.9").contains(&"served".to_string()));
    // `leave_rifle` waits for a minute since the start, however early `talking` began.
    let talking = |end: &str| {
        let script = format!("0:00 walk 0 14 at 1.0\n0:11 say served calm\n{end} end\n");
        offered(&sim_after(load("pickup_rifle"), &script))
    };
    let early = talking("0:59.8");
    assert!(early.contains(&"listen".to_string()), "{early:?}");
    assert!(!early.contains(&"leave_rifle".to_string()));
    assert!(talking("0:59.9").contains(&"leave_rifle".to_string()));
}

#[test]
fn in_scene_keeps_a_scenario_wide_trigger_to_one_scene() {
    // In the cab, pushed past 85, he drives off…
    let cab = sim_after(load("pickup_rifle"), "0:02 nudge 45\n0:05 end\n");
    assert_eq!(cab.ending().map(|e| e.id.as_str()), Some("drives_off"));
    // …but once he is talking, the same push does not end it.
    let script = "0:00 walk 0 14 at 1.0\n0:11 say served calm\n0:13 nudge 50\n0:15 end\n";
    let talking = sim_after(load("pickup_rifle"), script);
    assert!(talking.agitation() > 85.0);
    assert!(!talking.is_finished());
    assert_eq!(talking.scene_id(), "talking");
}

#[test]
fn flags_can_be_cleared_by_options_and_seeded_events() {
    let base = "0:00 walk 0 14 at 1.0\n0:03 say shout_out commanding\n0:11 say served calm\n";
    let pressed = sim_after(load("pickup_rifle"), &format!("{base}0:14 end\n"));
    assert!(pressed.has_flag("pressed"));
    assert!(offered(&pressed).contains(&"apologise".to_string()));
    // `listen` clears `pressed` (and sets `settled`): the apology is no longer on offer.
    let heard = sim_after(
        load("pickup_rifle"),
        &format!("{base}0:20 say listen calm\n0:30 end\n"),
    );
    assert!(!heard.has_flag("pressed"));
    assert!(heard.has_flag("settled"));
    assert!(!offered(&heard).contains(&"apologise".to_string()));
    // The train at 45 s clears `settled`.
    let train = sim_after(
        load("pickup_rifle"),
        &format!("{base}0:20 say listen calm\n0:46 end\n"),
    );
    assert!(!train.has_flag("settled"));
    assert!(train.has_flag("radio_done"), "other flags stay");
}

// ---------------------------------------------------------------------------------------
// Indicators
// ---------------------------------------------------------------------------------------

#[test]
fn trauma_and_intellectual_disability_are_named_and_make_scoring_stricter() {
    assert_eq!(Indicator::Trauma.label(), "trauma or PTSD");
    assert_eq!(
        Indicator::IntellectualDisability.label(),
        "intellectual disability"
    );
    let d = play(load("pickup_rifle"), IN_COVER);
    assert!(
        d.scores
            .has_item("verbal", "Recognised trauma or PTSD and said so")
    );
    // Danny holds a bag. With his intellectual disability, a weapon drawn on him, a shout and
    // a commanding voice cost what they cost with any person in crisis; without it, less.
    let danny = load("shop_disability");
    let mut unlisted = danny.clone();
    unlisted.subject.indicators.clear();
    let drawn = "0:00 hands weapon\n0:05 hands visible\n0:10 end\n";
    let drawn_cost = |s: &Scenario| {
        distance_item(
            &play(s.clone(), drawn),
            "Weapon drawn for 5 s although Danny held no weapon",
        )
    };
    assert_eq!(drawn_cost(&danny), Some(-21.0));
    assert_eq!(drawn_cost(&unlisted), Some(-11.0));
    let tone = |s: &Scenario, tone: &str, starts: &str| {
        let d = play(s.clone(), &format!("0:01 say empty_bag {tone}\n0:10 end\n"));
        let item = d
            .scores
            .tone
            .items
            .iter()
            .find(|i| i.reason.starts_with(starts));
        item.map(|i| (i.points, i.reason.clone()))
    };
    assert_eq!(
        tone(&danny, "shouting", "Shouted"),
        Some((
            -14.0,
            "Shouted at agitation 40: a raised voice is read as a threat".into()
        ))
    );
    assert_eq!(
        tone(&unlisted, "shouting", "Shouted").map(|t| t.0),
        Some(-10.0)
    );
    assert_eq!(
        tone(&danny, "commanding", "Commanding"),
        Some((
            -8.0,
            "Commanding tone with a person in crisis (agitation 40)".into()
        ))
    );
    assert_eq!(tone(&unlisted, "commanding", "Commanding"), None);
    let d = play(
        danny,
        "0:01 say empty_bag firm\n0:10 say empty_bag firm\n0:20 end\n",
    );
    let never = d
        .scores
        .verbal
        .items
        .iter()
        .find(|i| i.reason.starts_with("Never acknowledged"));
    let never = never.expect("an item for the disability never acknowledged");
    assert_eq!(never.points, -6.0);
    assert!(
        never
            .reason
            .contains("the signs of intellectual disability"),
        "{}",
        never.reason
    );
}

/// The RON snippets the format reference quotes after `<!-- fragment of: PATH -->`: each of
/// their lines is a line of PATH, in order (and PATH passes `check`, below).
#[test]
fn the_format_reference_quotes_checked_scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/scenario-format.md")).unwrap();
    let lines: Vec<&str> = doc.lines().collect();
    let mut quoted = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(path) = line
            .trim()
            .strip_prefix("<!-- fragment of: ")
            .and_then(|p| p.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(lines.get(i + 1).copied(), Some("```ron"), "{path}");
        let source = std::fs::read_to_string(root.join(path)).unwrap();
        let mut from: Vec<&str> = source.lines().map(str::trim).collect();
        let block = lines[i + 2..].iter().take_while(|l| !l.starts_with("```"));
        for want in block.map(|l| l.trim()).filter(|l| !l.is_empty()) {
            let at = from.iter().position(|l| *l == want);
            let at =
                at.unwrap_or_else(|| panic!("`{want}` (docs line {}) is not in {path}", i + 3));
            from.drain(..=at);
        }
        let report = check::check_file(&root.join(path));
        assert!(report.diagnostics.is_empty(), "{}", report.render(false));
        quoted += 1;
    }
    assert!(quoted >= 2, "only {quoted} fragments found");
}

#[test]
fn every_vocabulary_fixture_passes_check_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vocab");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let report = check::check_file(&path);
        assert!(report.diagnostics.is_empty(), "{}", report.render(false));
        n += 1;
    }
    assert_eq!(n, 3);
}
