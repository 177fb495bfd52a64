//! Answers to asides, end to end on the bundled scenarios: the partner, Control or the person
//! spoken to answers right after the trainee's line, under their own name; the answers move
//! nothing else in a run; and a record made on a scenario written before answers existed
//! replays exactly as it was.

mod common;

use deescalate::check::{load_scenario, parse_scenario_str};
use deescalate::format::variation::Voice;
use deescalate::records::record::Record;
use deescalate::sim::script::{Script, run_script};
use deescalate::sim::{Event, EventKind, SimResult};
use std::sync::Arc;

fn scenario_text(name: &str) -> String {
    std::fs::read_to_string(common::root().join(format!("scenarios/{name}.ron"))).unwrap()
}

/// The scenario as it was written before asides had answers: every `answer` and `answer_by`
/// line taken out (the bundled files write each on lines of their own).
fn without_answers(text: &str) -> String {
    let mut out = String::new();
    let mut in_list = false;
    for line in text.lines() {
        let t = line.trim_start();
        if in_list {
            in_list = !t.starts_with("],");
            continue;
        }
        if t.starts_with("answer: [") {
            in_list = !t.ends_with("],");
            continue;
        }
        if t.starts_with("answer_by:") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn run(scenario: &deescalate::format::scenario::Scenario, script: &str) -> SimResult {
    let script = Script::parse(script).unwrap();
    let mut sim = script.start(Arc::new(scenario.clone())).unwrap();
    run_script(&mut sim, &script).unwrap();
    sim.result()
}

/// The answer that follows the utterance of `option`, if any: (voice, speaker, line).
fn answer_after(events: &[Event], option: &str) -> Option<(Voice, String, String)> {
    let said = events
        .iter()
        .position(|e| matches!(&e.kind, EventKind::Utterance { option: o, .. } if o == option))?;
    events[said + 1..]
        .iter()
        .take_while(|e| e.tick == events[said].tick)
        .find_map(|e| match &e.kind {
            EventKind::AsideAnswered {
                option: o,
                by,
                from,
                line,
            } if o == option => Some((*by, from.clone(), line.clone())),
            _ => None,
        })
}

const VETERAN: &str = "seed 3\ntemperament numb\n0:00 walk 2.3 11.8 at 1.0\n0:02 say plan_roles calm\n+4 say call_support calm\n+4 say introduce calm\n";

#[test]
fn the_partner_and_control_answer_the_asides_said_to_them() {
    let (scenario, _) =
        load_scenario(&common::root().join("scenarios/veteran_pickup.ron")).unwrap();
    let r = run(&scenario, VETERAN);
    let (by, from, line) = answer_after(&r.events, "plan_roles").expect("Price answers");
    assert_eq!((by, from.as_str()), (Voice::Partner, "Officer Dana Price"));
    let written = &scenario.scenes[0]
        .options
        .iter()
        .find(|o| o.id == "plan_roles")
        .unwrap()
        .answer;
    assert!(
        written.contains(&line),
        "{line:?} is not one of {written:?}"
    );
    let (by, from, line) = answer_after(&r.events, "call_support").expect("Control answers");
    assert_eq!((by, from.as_str()), (Voice::Radio, "Control"));
    assert!(
        line.contains("Fourteen, copy") || line.starts_with("Copy, Fourteen"),
        "{line}"
    );
    // A line said to the subject is answered by the subject, not as an aside.
    assert_eq!(answer_after(&r.events, "introduce"), None);
    // The transcript language and the text debrief both show it.
    let tokens = deescalate::assess::expect::transcript(&r);
    assert!(tokens.contains("answer:call_support"), "{tokens}");
    let debrief = deescalate::assess::debrief::build(&scenario, &r, Some("t"));
    let text = deescalate::report::text(&debrief);
    assert!(text.contains(&format!("“{line}”")), "{text}");
}

#[test]
fn without_a_partner_control_answers_by_default() {
    let (scenario, _) =
        load_scenario(&common::root().join("scenarios/dementia_car_park.ron")).unwrap();
    let r = run(
        &scenario,
        "seed 1\n0:00 walk 2 4.5 at 1.0\n0:16 say introduce calm\n+8 say radio_check calm\n",
    );
    let (by, from, _) = answer_after(&r.events, "radio_check").expect("Control answers");
    assert_eq!((by, from.as_str()), (Voice::Radio, "Control"));
}

#[test]
fn a_named_bystander_answers_under_their_name() {
    let text = scenario_text("autistic_meltdown_shop");
    let scenario = parse_scenario_str(&text).unwrap();
    let r = run(
        &scenario,
        "seed 2\n0:00 walk 0 9 at 0.8\n0:12 say ask_mum calm\n+6 say leave_to_mum calm\n",
    );
    let (by, from, _) = answer_after(&r.events, "leave_to_mum").expect("Nicola answers");
    assert_eq!((by, from.as_str()), (Voice::Bystander, "Nicola"));
}

#[test]
fn answers_change_nothing_else_in_a_run() {
    for (name, script) in [
        (
            "veteran_pickup",
            "tests/transcripts/veteran_pickup/with_va_textbook.txt",
        ),
        (
            "domestic_doorstep",
            "tests/transcripts/domestic_doorstep/support_for_her.txt",
        ),
        (
            "bat_front_garden",
            "tests/transcripts/bat_front_garden/bat_down_triage.txt",
        ),
    ] {
        let script = std::fs::read_to_string(common::root().join(script)).unwrap();
        let text = scenario_text(name);
        let old = parse_scenario_str(&without_answers(&text)).unwrap();
        assert!(
            old.scenes
                .iter()
                .flat_map(|s| &s.options)
                .all(|o| o.answer.is_empty()),
            "{name}: answers left in"
        );
        let with = run(&parse_scenario_str(&text).unwrap(), &script);
        let without = run(&old, &script);
        assert!(
            with.events
                .iter()
                .any(|e| matches!(e.kind, EventKind::AsideAnswered { .. })),
            "{name}: the route says no aside"
        );
        let others: Vec<&Event> = with
            .events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::AsideAnswered { .. }))
            .collect();
        assert_eq!(others, without.events.iter().collect::<Vec<_>>(), "{name}");
        assert_eq!(with.samples, without.samples, "{name}");
    }
}

#[test]
fn a_record_from_before_answers_replays_unchanged() {
    let old =
        Arc::new(parse_scenario_str(&without_answers(&scenario_text("veteran_pickup"))).unwrap());
    let script = Script::parse(VETERAN).unwrap();
    let mut sim = script.start(Arc::clone(&old)).unwrap();
    let inputs = run_script(&mut sim, &script).unwrap();
    let result = sim.result();
    assert!(
        !result
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::AsideAnswered { .. }))
    );
    let debrief = deescalate::assess::debrief::build(&old, &result, Some("t"));
    let record = Record::new(&old, "old".into(), None, 3, "t", None, inputs, &debrief);
    let path = common::tmpdir("asides", "record").join("r.json");
    record.save_with(&path, None).unwrap();
    let loaded = Record::load(&path).unwrap();
    let replayed = loaded.replay(old).expect("an old record replays");
    assert_eq!(replayed.timeline, debrief.timeline);
}
