//! The instructor's actions in the core (no game needed): a trust nudge, from a script as
//! from the instructor's station, and a flag saved later than it was raised (`FlagAt`),
//! which the debrief and the replay must show at the moment it was raised.

use deescalate::sim::script::{Script, run_script};
use deescalate::sim::{Action, EventKind, InstructorAction, Sim, TickInput, TraineeState};
use std::path::Path;
use std::sync::Arc;

const FIXTURE: &str = "tests/fixtures/game/corner_shop.ron";

fn sim() -> Sim {
    let (scenario, _) = deescalate::check::load_scenario(Path::new(FIXTURE)).expect("fixture");
    Sim::new(Arc::new(scenario), 3).unwrap()
}

fn standing() -> TickInput {
    TickInput {
        trainee: TraineeState {
            x: 0.0,
            z: 16.0,
            ..TraineeState::default()
        },
        action: None,
    }
}

#[test]
fn a_trust_nudge_in_a_script_moves_trust_and_is_in_the_debrief() {
    let mut s = sim();
    let before = s.trust();
    let script = Script::parse("0:01 nudge trust -10\n0:02 nudge trust 25\n0:03 end\n").unwrap();
    run_script(&mut s, &script).unwrap();
    assert!(
        (s.trust() - (before + 15.0)).abs() < 1.0,
        "{before} → {}",
        s.trust()
    );
    assert!(
        (s.agitation() - sim().agitation()).abs() < 5.0,
        "agitation left alone"
    );
    let d = deescalate::assess::debrief::build(s.scenario(), &s.result(), None);
    let said: Vec<String> = d
        .instructor
        .iter()
        .map(|n| deescalate::assess::debrief::describe_instructor(&n.action))
        .collect();
    assert_eq!(
        said,
        [
            "Instructor nudged trust by -10.",
            "Instructor nudged trust by +25."
        ]
    );
}

#[test]
fn a_flag_saved_late_is_stamped_when_it_was_raised() {
    let mut s = sim();
    for _ in 0..30 {
        s.step(&standing()).unwrap();
    }
    let flag = |at, note: &str| TickInput {
        action: Some(Action::Instructor(InstructorAction::FlagAt {
            at,
            note: note.into(),
        })),
        ..standing()
    };
    s.step(&flag(12, "raised at 1.2 s")).unwrap();
    // A tick in the future is never used: the flag is stamped now at the latest.
    s.step(&flag(900, "not ahead of time")).unwrap();
    let flags: Vec<(u32, f32, String)> = s
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Instructor {
                action: InstructorAction::Flag(note),
            } => Some((e.tick, e.t, note.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(flags.len(), 2);
    assert_eq!((flags[0].0, flags[0].2.as_str()), (12, "raised at 1.2 s"));
    assert!((flags[0].1 - 1.2).abs() < 1e-4);
    assert_eq!(flags[1].0, 31, "stamped at the tick it was saved");
    let d = deescalate::assess::debrief::build(s.scenario(), &s.result(), None);
    assert!(
        (d.instructor[0].t - 1.2).abs() < 1e-4,
        "{:?}",
        d.instructor[0]
    );
}
