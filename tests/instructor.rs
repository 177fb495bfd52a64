//! Headless tests of the instructor controls, the crash journal and recovery, and the
//! replay viewer's logic: `MinimalPlugins` + `AssetPlugin` + `StatesPlugin` +
//! `logic_plugin` (which includes the `instructor`, `recovery` and `replay` logic
//! plugins), time stepped by hand (one `update` = 100 ms = one core tick), the keyboard
//! driven through a hand-made `ButtonInput<KeyCode>` and `KeyboardInput` messages.
//!
//! - a hotkey becomes an instructor action in the core's events and the input log, with
//!   a confirmation; the flag note field and the scene picker work from the keyboard;
//! - a live run is journalled; a finished run leaves no journal; a journal left by a
//!   killed run is offered on the scenario list and recovers into a record + debrief;
//! - the replay viewer opens a record with one frame per tick, and F / Shift+F / ] move
//!   the playhead to the instructor flags and marks.
#![cfg(feature = "game")]

use bevy::input::ButtonState;
use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy::time::TimeUpdateStrategy;
use deescalate::game::assets::{self, ScenarioErrors};
use deescalate::game::live::instructor::Instructor;
use deescalate::game::live::session::EndRun;
use deescalate::game::recovery::{InterruptedRuns, RecoveryRequest, RunJournal};
use deescalate::game::review::{ReplayError, ReplayView};
use deescalate::game::{self, Launch, Screen, Session};
use deescalate::records::record::Record;
use deescalate::records::replay::MarkKind;
use deescalate::sim::script::{Script, run_script_with};
use deescalate::sim::{Action, EventKind, InstructorAction, Sim};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FIXTURE: &str = "tests/fixtures/game/corner_shop.ron";

/// A fresh temporary folder (removed when dropped).
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let p = std::env::temp_dir().join(format!(
            "deescalate-instructor-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p.canonicalize().unwrap())
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn new_app(launch: Launch) -> App {
    let mut app = App::new();
    assets::register_sources(&mut app, &launch);
    // The fixture's folder is one of the scenario folders: a run's scenario is found there by
    // id and content hash, never by the path its record or journal names.
    let fixtures = Path::new(FIXTURE).parent().unwrap().canonicalize().unwrap();
    let mut roots = app.world_mut().resource_mut::<assets::ScenarioRoots>();
    roots.play_dir.get_or_insert(fixtures);
    app.add_plugins((MinimalPlugins, AssetPlugin::default(), StatesPlugin))
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
            100,
        )))
        .insert_resource(launch)
        .init_resource::<ButtonInput<KeyCode>>()
        .add_plugins(game::logic_plugin);
    app
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn wait_for(app: &mut App, what: &str, secs: u64, mut done: impl FnMut(&mut App) -> bool) {
    let start = Instant::now();
    loop {
        app.update();
        if done(app) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out after {secs} s waiting for {what} (screen {:?}, errors {:?})",
            screen(app),
            app.world().resource::<ScenarioErrors>().0
        );
        std::thread::sleep(Duration::from_millis(15));
    }
}

fn go_to(app: &mut App, s: Screen) {
    app.world_mut().resource_mut::<NextState<Screen>>().set(s);
    app.update();
}

fn launch_with(scenario: &Path, records: &Path) -> Launch {
    Launch {
        scenario: Some(scenario.to_path_buf()),
        seed: Some(7),
        trainee: Some("Alex Test".into()),
        records: Some(records.to_path_buf()),
        ..default()
    }
}

/// Start the fixture and enter `Playing`.
fn playing(records: &Path) -> App {
    let mut app = new_app(launch_with(Path::new(FIXTURE), records));
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    go_to(&mut app, Screen::Playing);
    assert_eq!(screen(&app), Screen::Playing);
    app
}

/// Press `key` for one frame (with `shift` held if asked), then let it go.
fn tap(app: &mut App, key: KeyCode, shift: bool) {
    {
        let mut k = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        if shift {
            k.press(KeyCode::ShiftLeft);
        }
        k.press(key);
    }
    app.update();
    let mut k = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    k.release_all();
    k.clear();
}

/// Type `text` then Enter, as the window would report it.
fn type_line(app: &mut App, text: &str) {
    let window = Entity::PLACEHOLDER;
    for c in text.chars() {
        app.world_mut().write_message(KeyboardInput {
            key_code: KeyCode::KeyA,
            logical_key: Key::Character(c.to_string().into()),
            state: ButtonState::Pressed,
            text: Some(c.to_string().into()),
            repeat: false,
            window,
        });
    }
    app.world_mut().write_message(KeyboardInput {
        key_code: KeyCode::Enter,
        logical_key: Key::Enter,
        state: ButtonState::Pressed,
        text: None,
        repeat: false,
        window,
    });
}

fn instructor_events(app: &App) -> Vec<InstructorAction> {
    app.world()
        .resource::<Session>()
        .sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Instructor { action } => Some(action.clone()),
            _ => None,
        })
        .collect()
}

fn logged_instructor_actions(app: &App) -> Vec<InstructorAction> {
    app.world()
        .resource::<Session>()
        .log
        .entries
        .iter()
        .filter_map(|e| match &e.action {
            Some(Action::Instructor(a)) => Some(a.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn hotkeys_become_instructor_actions_in_the_events_and_the_log() {
    let records = TempDir::new("keys");
    let mut app = playing(records.path());
    for _ in 0..3 {
        app.update();
    }
    let before = app.world().resource::<Session>().sim.agitation();

    // F2: nudge +10.
    tap(&mut app, KeyCode::F2, false);
    app.update();
    app.update();
    assert_eq!(instructor_events(&app), vec![InstructorAction::Nudge(10.0)]);
    assert_eq!(
        logged_instructor_actions(&app),
        vec![InstructorAction::Nudge(10.0)]
    );
    let after = app.world().resource::<Session>().sim.agitation();
    assert!(after > before, "agitation rose ({before} → {after})");
    let toast = app
        .world()
        .resource::<Instructor>()
        .toast
        .clone()
        .expect("confirmed");
    assert_eq!(toast.text, "Instructor: nudged agitation +10");
    assert!(!toast.warn);

    // F9, a typed note, Enter: a flag with that note. The trainee's keys typed into the
    // note do not reach the game (the keyboard is the note field's).
    tap(&mut app, KeyCode::F9, false);
    assert_eq!(
        app.world().resource::<Instructor>().note.as_deref(),
        Some("")
    );
    type_line(&mut app, "stood too close");
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(KeyCode::KeyW);
    app.update();
    assert!(
        !app.world()
            .resource::<ButtonInput<KeyCode>>()
            .pressed(KeyCode::KeyW),
        "keys pressed while the note is open are swallowed"
    );
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .release_all();
    app.update();
    app.update();
    assert_eq!(app.world().resource::<Instructor>().note, None);
    assert_eq!(
        instructor_events(&app).last(),
        Some(&InstructorAction::Flag("stood too close".into()))
    );

    // An empty note saves "flag".
    tap(&mut app, KeyCode::F9, false);
    type_line(&mut app, "");
    app.update();
    app.update();
    app.update();
    assert_eq!(
        instructor_events(&app).last(),
        Some(&InstructorAction::Flag("flag".into()))
    );

    // F5 opens the scene picker on the scene after the current one; F5 again moves on;
    // Enter forces it.
    tap(&mut app, KeyCode::F5, false);
    let picker = app
        .world()
        .resource::<Instructor>()
        .picker
        .expect("picker open");
    assert_eq!(picker.index, 1, "the scene after `approach`");
    tap(&mut app, KeyCode::Enter, false);
    app.update();
    app.update();
    assert_eq!(app.world().resource::<Instructor>().picker, None);
    assert_eq!(
        instructor_events(&app).last(),
        Some(&InstructorAction::ForceScene("talk".into()))
    );
    assert_eq!(app.world().resource::<Session>().sim.scene_id(), "talk");

    // Every instructor action is in the input log, in order, for the record and replay.
    assert_eq!(logged_instructor_actions(&app), instructor_events(&app));

    // F6, F6, Esc: nothing is forced; the pause menu is not opened by that Esc.
    tap(&mut app, KeyCode::F6, false);
    tap(&mut app, KeyCode::F6, false);
    assert_eq!(
        app.world().resource::<Instructor>().picker.map(|p| p.index),
        Some(1)
    );
    tap(&mut app, KeyCode::Escape, false);
    app.update();
    assert_eq!(app.world().resource::<Instructor>().picker, None);
    assert_eq!(instructor_events(&app).len(), 4);
    assert!(!app.world().resource::<Session>().sim.is_finished());

    // The trainee's keys do nothing to the instructor.
    for k in [
        KeyCode::KeyW,
        KeyCode::Digit1,
        KeyCode::Tab,
        KeyCode::Space,
        KeyCode::KeyH,
    ] {
        tap(&mut app, k, false);
    }
    assert_eq!(instructor_events(&app).len(), 4);
}

/// Make a file look a minute old.
fn age(p: &Path) {
    let f = std::fs::File::options().append(true).open(p).unwrap();
    f.set_modified(std::time::SystemTime::now() - Duration::from_secs(60))
        .unwrap();
}

fn journals(dir: &Path) -> Vec<PathBuf> {
    deescalate::records::journal::interrupted_runs(dir)
}

#[test]
fn a_finished_run_leaves_a_record_and_no_journal() {
    let records = TempDir::new("finished");
    let mut app = playing(records.path());
    for _ in 0..15 {
        app.update();
    }
    let journal = app
        .world()
        .resource::<RunJournal>()
        .path()
        .map(Path::to_path_buf)
        .expect("the live run is journalled");
    assert!(journal.starts_with(records.path()));
    assert_eq!(journals(records.path()), vec![journal.clone()]);
    app.world_mut().write_message(EndRun);
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Debrief);
    assert!(app.world().resource::<Session>().record_path.is_some());
    assert!(
        !journal.exists(),
        "the journal is removed once the record is written"
    );
    assert!(journals(records.path()).is_empty());
}

#[test]
fn a_killed_run_is_offered_on_the_scenario_list_and_recovers() {
    let records = TempDir::new("killed");
    let mut app = playing(records.path());
    // 2.5 s of play with a nudge in it, then the program "dies" (no clean shutdown).
    tap(&mut app, KeyCode::F2, false);
    for _ in 0..25 {
        app.update();
    }
    let ticks = app.world().resource::<Session>().sim.tick();
    std::mem::forget(app);
    let left = journals(records.path());
    assert_eq!(left.len(), 1, "the journal stays behind");
    // A journal written to in the last seconds may be a run still going on another
    // computer sharing the folder: it is offered only once it has been quiet a while.
    let mut probe = new_app(Launch {
        records: Some(records.path().to_path_buf()),
        ..default()
    });
    probe.update();
    probe.update();
    assert!(probe.world().resource::<InterruptedRuns>().runs.is_empty());
    drop(probe);
    age(&left[0]);

    // The next start offers it.
    let mut app = new_app(Launch {
        records: Some(records.path().to_path_buf()),
        ..default()
    });
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Select);
    let runs = app.world().resource::<InterruptedRuns>();
    assert!(runs.showing());
    assert_eq!(runs.runs.len(), 1);
    let run = runs.runs[0].clone();
    assert_eq!(run.path, left[0]);
    assert_eq!(run.trainee, "Alex Test");
    assert_eq!(run.scenario_id, "corner_shop");
    assert_eq!(run.problem, None);
    // Flushed once a second: at least the first two seconds are safe.
    assert!(
        run.seconds >= 2.0 && run.seconds <= ticks as f32 / 10.0 + 1e-3,
        "{}",
        run.seconds
    );

    // "Debrief": it becomes a record and its debrief opens.
    app.world_mut()
        .write_message(RecoveryRequest::Debrief(run.path.clone()));
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Debrief);
    let s = app.world().resource::<Session>();
    let d = s.debrief.as_ref().expect("debrief");
    assert!(
        d.instructor
            .iter()
            .any(|n| n.action == InstructorAction::Nudge(10.0)),
        "the nudge is in the debrief"
    );
    let record = s.record_path.clone().expect("record");
    assert!(record.exists());
    assert!(!run.path.exists(), "the journal became the record");
    let rec = Record::load(&record).unwrap();
    assert_eq!(rec.trainee, "Alex Test");
    assert!(rec.notes.iter().any(|n| n.contains("Interrupted")));
    assert!(
        rec.inputs
            .entries
            .iter()
            .any(|e| e.action == Some(Action::Instructor(InstructorAction::Nudge(10.0)))),
        "the instructor's nudge survived the crash"
    );
    assert!(journals(records.path()).is_empty());

    // Back on the list, nothing more is offered.
    go_to(&mut app, Screen::Select);
    app.update();
    assert!(!app.world().resource::<InterruptedRuns>().showing());
}

#[test]
fn a_damaged_journal_can_be_discarded() {
    let records = TempDir::new("damaged");
    let bad = records.path().join("broken.journal");
    std::fs::write(&bad, "not a journal\n").unwrap();
    age(&bad);
    let mut app = new_app(Launch {
        records: Some(records.path().to_path_buf()),
        ..default()
    });
    app.update();
    app.update();
    let runs = app.world().resource::<InterruptedRuns>();
    assert_eq!(runs.runs.len(), 1);
    assert!(runs.runs[0].problem.is_some());
    app.world_mut()
        .write_message(RecoveryRequest::Discard(bad.clone()));
    app.update();
    assert!(!bad.exists());
    assert!(!app.world().resource::<InterruptedRuns>().showing());
}

/// A record of the fixture with two instructor flags, made headless.
fn record_with_flags(dir: &Path) -> (PathBuf, Record) {
    let text = "seed 3\n\
                0:00 walk 0 6\n\
                +3 flag \"slow approach\"\n\
                +4 say introduce calm\n\
                +2 nudge 5\n\
                +3 flag \"good tone\"\n\
                +3 say listen calm\n";
    let script = Script::parse(text).expect("script");
    let (scenario, _) = deescalate::check::load_scenario(Path::new(FIXTURE)).expect("fixture");
    let scenario = Arc::new(scenario);
    let mut sim = Sim::new(Arc::clone(&scenario), 3).unwrap();
    let log = run_script_with(&mut sim, &script, |_, _| {}).expect("runs");
    let d = deescalate::assess::debrief::build(&scenario, &sim.result(), Some("Robin"));
    let bytes = std::fs::read(FIXTURE).unwrap();
    let rec = Record::new(
        &scenario,
        deescalate::records::record::content_hash(&bytes),
        Some(Path::new(FIXTURE)),
        3,
        "Robin",
        None,
        log,
        &d,
    );
    let path = dir.join("robin.json");
    rec.save(&path).unwrap();
    (path, rec)
}

#[test]
fn the_replay_viewer_opens_a_record_and_jumps_to_the_flags() {
    let dir = TempDir::new("replay");
    let (path, rec) = record_with_flags(dir.path());
    let mut app = new_app(Launch {
        replay: Some(path.clone()),
        records: Some(dir.path().to_path_buf()),
        ..default()
    });
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Replay);
    assert_eq!(app.world().resource::<ReplayError>().0, None);
    let (flags, frames, first_mark) = {
        let v = app.world().resource::<ReplayView>();
        assert_eq!(v.trainee, "Robin");
        assert_eq!(v.t, 0.0);
        assert!(!v.playing);
        let flags: Vec<f32> = v
            .replay
            .marks
            .iter()
            .filter(|m| m.kind == MarkKind::InstructorFlag)
            .map(|m| m.t)
            .collect();
        let first = v
            .replay
            .marks
            .iter()
            .map(|m| m.t)
            .find(|t| *t > 1e-3)
            .unwrap();
        (flags, v.replay.frames.len(), first)
    };
    assert_eq!(frames, rec.inputs.ticks as usize, "one frame per tick");
    assert_eq!(flags.len(), 2);
    assert!(
        (flags[0] - 3.0).abs() < 0.11 && (flags[1] - 12.0).abs() < 0.31,
        "{flags:?}"
    );

    let t = |app: &App| app.world().resource::<ReplayView>().t;
    tap(&mut app, KeyCode::KeyF, false);
    assert_eq!(t(&app), flags[0], "F: the first flag");
    tap(&mut app, KeyCode::KeyF, false);
    assert_eq!(t(&app), flags[1], "F again: the second flag");
    tap(&mut app, KeyCode::KeyF, false);
    assert_eq!(
        t(&app),
        flags[1],
        "no flag after the last one: the playhead stays"
    );
    tap(&mut app, KeyCode::KeyF, true);
    assert_eq!(t(&app), flags[0], "Shift+F: back to the first flag");
    {
        let v = app.world().resource::<ReplayView>();
        let f = v.frame().unwrap();
        assert!((f.t - flags[0]).abs() < 0.051);
    }

    // Home, then ] to the first mark; → scrubs one second.
    tap(&mut app, KeyCode::Home, false);
    assert_eq!(t(&app), 0.0);
    tap(&mut app, KeyCode::BracketRight, false);
    assert_eq!(t(&app), first_mark);
    tap(&mut app, KeyCode::ArrowRight, false);
    assert!((t(&app) - (first_mark + 1.0)).abs() < 1e-4);

    // Space plays (100 ms a frame at 1×); − halves the speed.
    tap(&mut app, KeyCode::Home, false);
    tap(&mut app, KeyCode::Space, false);
    for _ in 0..4 {
        app.update();
    }
    let played = t(&app);
    assert!(played > 0.35 && played < 0.65, "{played}");
    tap(&mut app, KeyCode::Minus, false);
    assert_eq!(app.world().resource::<ReplayView>().speed(), 0.5);

    // Esc leaves the viewer.
    tap(&mut app, KeyCode::Escape, false);
    app.update();
    assert_eq!(screen(&app), Screen::Select);
    assert!(app.world().get_resource::<ReplayView>().is_none());
}

#[test]
fn a_record_that_cannot_be_read_is_reported_not_fatal() {
    let dir = TempDir::new("badrecord");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ \"format\": \"something else\" }").unwrap();
    let mut app = new_app(Launch {
        replay: Some(bad),
        ..default()
    });
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Replay);
    assert!(app.world().get_resource::<ReplayView>().is_none());
    let err = app
        .world()
        .resource::<ReplayError>()
        .0
        .clone()
        .expect("error shown");
    assert!(err.contains("bad.json"), "{err}");
}
