//! Headless tests of the instructor's station, the crash journal and recovery, and the
//! replay viewer's logic: `MinimalPlugins` + `AssetPlugin` + `StatesPlugin` +
//! `logic_plugin` (which includes the `instructor`, `recovery` and `replay` plugins),
//! time stepped by hand (one `update` = 100 ms = one core tick), the keyboard driven
//! through a hand-made `ButtonInput<KeyCode>` and `KeyboardInput` messages, clicks by
//! setting a button's `Interaction` as the UI's picking would.
//!
//! - a hotkey becomes an instructor action in the core's events and the input log, with
//!   a confirmation; the flag note field and the scene picker work from the keyboard; F4
//!   holds the run without opening the trainee's pause menu;
//! - the instructor's window opens with the run, and every control works through its
//!   buttons and lists (force scene X, force ending Y, nudges, inject, pause, a flag
//!   stamped at the press); the trainee's window holds no instructor node unless the
//!   instructor view is toggled, and confirmations show only in the instructor's views;
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
use deescalate::game::PlayState;
use deescalate::game::assets::{self, ScenarioErrors};
use deescalate::game::instructor::panel::ControlButton;
use deescalate::game::instructor::window::{Station, StationWindow};
use deescalate::game::instructor::{Control, Instructor, InstructorUi, PickKind};
use deescalate::game::live::session::EndRun;
use deescalate::game::recovery::{InterruptedRuns, RecoveryRequest, RunJournal};
use deescalate::game::review::{ReplayError, ReplayView};
use deescalate::game::theme::UiFonts;
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

fn play_state(app: &App) -> PlayState {
    *app.world().resource::<State<PlayState>>().get()
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

/// The instructor's actions in the input log, a flag saved later as the `Flag` it records.
fn logged_instructor_actions(app: &App) -> Vec<InstructorAction> {
    app.world()
        .resource::<Session>()
        .log
        .entries
        .iter()
        .filter_map(|e| match &e.action {
            Some(Action::Instructor(InstructorAction::FlagAt { note, .. })) => {
                Some(InstructorAction::Flag(note.clone()))
            }
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
    assert_eq!(toast.text, "Nudged agitation +10");
    assert!(!toast.warn);

    // Shift+F3: trust −10.
    let trust = app.world().resource::<Session>().sim.trust();
    tap(&mut app, KeyCode::F3, true);
    app.update();
    app.update();
    assert_eq!(
        instructor_events(&app).last(),
        Some(&InstructorAction::NudgeTrust(-10.0))
    );
    assert!(app.world().resource::<Session>().sim.trust() < trust);

    // F9, a typed note, Enter: a flag with that note. The trainee's keys typed into the
    // note do not reach the game (the keyboard is the note field's).
    tap(&mut app, KeyCode::F9, false);
    assert_eq!(
        app.world()
            .resource::<Instructor>()
            .note
            .as_ref()
            .map(|n| n.text.as_str()),
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
    assert_eq!(instructor_events(&app).len(), 5);
    assert!(!app.world().resource::<Session>().sim.is_finished());
    assert_eq!(play_state(&app), PlayState::Running);

    // F4 holds the run: the clock stops, the trainee's pause menu stays closed; F4 again
    // lets it go on.
    tap(&mut app, KeyCode::F4, false);
    let held = app.world().resource::<Session>().sim.tick();
    for _ in 0..10 {
        app.update();
    }
    assert!(app.world().resource::<Instructor>().paused);
    assert_eq!(app.world().resource::<Session>().sim.tick(), held);
    assert_eq!(play_state(&app), PlayState::Running, "no pause menu");
    tap(&mut app, KeyCode::F4, false);
    for _ in 0..5 {
        app.update();
    }
    assert!(app.world().resource::<Session>().sim.tick() > held);

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
    assert_eq!(instructor_events(&app).len(), 5);
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

/// The fixture with one inject, written into `dir`.
fn fixture_with_inject(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let body = text
        .trim_end()
        .strip_suffix(')')
        .expect("the fixture ends with `)`");
    let text = format!(
        "{body}    injects: [\n        (id: \"shopkeeper\", label: \"Shopkeeper shouts from the door\", \
         line: \"Go on, get away from my shop!\", agitation: 8.0),\n    ],\n)\n"
    );
    let path = dir.join("corner_shop.ron");
    std::fs::write(&path, text).unwrap();
    path
}

/// A run of `scenario` with the interface fonts, so the instructor's panels are drawn.
fn station_app(scenario: &Path, records: &Path) -> App {
    let mut app = new_app(launch_with(scenario, records));
    app.init_resource::<UiFonts>();
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    go_to(&mut app, Screen::Playing);
    app.update();
    app
}

/// The top of `e`'s UI tree.
fn root_of(world: &World, mut e: Entity) -> Entity {
    while let Some(parent) = world.get::<ChildOf>(e) {
        e = parent.parent();
    }
    e
}

/// Whether `e` is drawn in the instructor's window (its tree's root targets that camera).
fn in_station(world: &World, e: Entity) -> bool {
    let cam = world.resource::<Station>().camera;
    let target = world.get::<UiTargetCamera>(root_of(world, e));
    cam.is_some() && target.map(UiTargetCamera::entity) == cam
}

/// Every UI node drawn on the trainee's window.
fn trainee_nodes(app: &mut App) -> Vec<Entity> {
    let world = app.world_mut();
    let nodes: Vec<Entity> = world
        .query_filtered::<Entity, With<Node>>()
        .iter(world)
        .collect();
    let world = app.world();
    nodes
        .into_iter()
        .filter(|e| world.get::<UiTargetCamera>(root_of(world, *e)).is_none())
        .collect()
}

fn instructor_nodes_on_trainee_window(app: &mut App) -> usize {
    let nodes = trainee_nodes(app);
    let world = app.world();
    nodes
        .iter()
        .filter(|e| {
            world.get::<InstructorUi>(**e).is_some() || world.get::<ControlButton>(**e).is_some()
        })
        .count()
}

/// The texts shown in the instructor's window (`station`) or the trainee's.
fn texts(app: &mut App, station: bool) -> Vec<String> {
    let world = app.world_mut();
    let all: Vec<(Entity, String)> = world
        .query::<(Entity, &Text)>()
        .iter(world)
        .map(|(e, t)| (e, t.0.clone()))
        .collect();
    let world = app.world();
    all.into_iter()
        .filter(|(e, _)| in_station(world, *e) == station)
        .map(|(_, t)| t)
        .collect()
}

/// Click the instructor window's one button or list row that sends `control`.
fn click(app: &mut App, control: Control) {
    let world = app.world_mut();
    let hits: Vec<Entity> = world
        .query::<(Entity, &ControlButton)>()
        .iter(world)
        .filter(|(_, b)| b.0 == control)
        .map(|(e, _)| e)
        .collect();
    let world = app.world();
    let mine: Vec<Entity> = hits.into_iter().filter(|e| in_station(world, *e)).collect();
    assert_eq!(mine.len(), 1, "one {control:?} in the instructor's window");
    *app.world_mut().get_mut::<Interaction>(mine[0]).unwrap() = Interaction::Pressed;
    app.update();
}

fn tick(app: &App) -> u32 {
    app.world().resource::<Session>().sim.tick()
}

/// Type `text` into the focused field (no Enter).
fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.world_mut().write_message(KeyboardInput {
            key_code: KeyCode::KeyA,
            logical_key: Key::Character(c.to_string().into()),
            state: ButtonState::Pressed,
            text: Some(c.to_string().into()),
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
    }
    app.update();
}

#[test]
fn the_instructor_window_opens_with_the_run_and_nothing_of_it_is_on_the_trainees() {
    let dir = TempDir::new("window");
    let scenario = fixture_with_inject(dir.path());
    let mut app = station_app(&scenario, dir.path());
    let station = *app.world().resource::<Station>();
    let (window, camera) = (
        station.window.expect("open"),
        station.camera.expect("camera"),
    );
    let w = app.world().get::<Window>(window).expect("a window entity");
    assert!(w.title.contains("instructor"), "{}", w.title);
    assert!(app.world().get::<StationWindow>(window).is_some());
    assert!(matches!(
        app.world().get::<bevy::camera::RenderTarget>(camera),
        Some(bevy::camera::RenderTarget::Window(bevy::window::WindowRef::Entity(e))) if *e == window
    ));
    // The panel is in that window: live state, lists and buttons.
    let shown = texts(&mut app, true).join("\n");
    for want in [
        "Instructor",
        "agitation",
        "trust",
        "distance",
        "approach",
        "Dean storms off",
    ] {
        assert!(
            shown.contains(want),
            "`{want}` in the instructor window:\n{shown}"
        );
    }
    assert_eq!(instructor_nodes_on_trainee_window(&mut app), 0);

    // A confirmation shows in the instructor's window only.
    tap(&mut app, KeyCode::F2, false);
    app.update();
    app.update();
    assert!(
        texts(&mut app, true)
            .iter()
            .any(|t| t == "Nudged agitation +10")
    );
    assert!(!texts(&mut app, false).iter().any(|t| t.contains("Nudged")));

    // Keys typed into the instructor's window are the instructor's: the function keys
    // work, the trainee's keys do not get through.
    for key in [KeyCode::KeyW, KeyCode::Space, KeyCode::F2] {
        app.world_mut()
            .resource_mut::<ButtonInput<KeyCode>>()
            .press(key);
        app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: Key::Unidentified(bevy::input::keyboard::NativeKey::Unidentified),
            state: ButtonState::Pressed,
            text: None,
            repeat: false,
            window,
        });
    }
    app.update();
    let k = app.world().resource::<ButtonInput<KeyCode>>();
    assert!(!k.pressed(KeyCode::KeyW) && !k.pressed(KeyCode::Space));
    assert!(k.just_pressed(KeyCode::F2));
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .release_all();
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .clear();
    app.update();
    app.update();
    let nudges = instructor_events(&app)
        .iter()
        .filter(|a| **a == InstructorAction::Nudge(10.0))
        .count();
    assert_eq!(nudges, 2, "F2 from the instructor's window");

    // F1: the panel on the trainee's window while toggled, confirmations with it.
    tap(&mut app, KeyCode::F1, false);
    app.update();
    assert!(instructor_nodes_on_trainee_window(&mut app) > 10);
    assert!(
        texts(&mut app, false)
            .iter()
            .any(|t| t == "Nudged agitation +10")
    );
    tap(&mut app, KeyCode::F1, false);
    app.update();
    assert_eq!(instructor_nodes_on_trainee_window(&mut app), 0);

    // F10 closes the window (its camera and panel go with it) and opens it again.
    tap(&mut app, KeyCode::F10, false);
    app.update();
    assert!(!app.world().resource::<Station>().is_open());
    assert!(app.world().get_entity(window).is_err());
    assert!(texts(&mut app, true).is_empty());
    assert_eq!(instructor_nodes_on_trainee_window(&mut app), 0);

    // Without the window, a flag note shows the panel on the trainee's window while the
    // instructor types it (they must see it), and only then.
    tap(&mut app, KeyCode::F9, false);
    app.update();
    assert!(
        texts(&mut app, false)
            .iter()
            .any(|t| t.starts_with("Flag at "))
    );
    app.world_mut().write_message(KeyboardInput {
        key_code: KeyCode::Escape,
        logical_key: Key::Escape,
        state: ButtonState::Pressed,
        text: None,
        repeat: false,
        window: Entity::PLACEHOLDER,
    });
    app.update();
    app.update();
    assert_eq!(app.world().resource::<Instructor>().note, None);
    assert_eq!(instructor_nodes_on_trainee_window(&mut app), 0);
    tap(&mut app, KeyCode::F10, false);
    app.update();
    assert!(app.world().resource::<Station>().is_open());
    assert!(
        texts(&mut app, true)
            .iter()
            .any(|t| t.contains("agitation"))
    );
}

#[test]
fn every_control_works_through_the_instructor_windows_buttons_and_lists() {
    let dir = TempDir::new("controls");
    let scenario = fixture_with_inject(dir.path());
    let mut app = station_app(&scenario, dir.path());
    for _ in 0..3 {
        app.update();
    }
    let last = |app: &App| instructor_events(app).last().cloned();

    let agitation = app.world().resource::<Session>().sim.agitation();
    click(
        &mut app,
        Control::Nudge(deescalate::sim::Measure::Agitation, 10.0),
    );
    app.update();
    assert_eq!(last(&app), Some(InstructorAction::Nudge(10.0)));
    assert!(app.world().resource::<Session>().sim.agitation() > agitation);
    click(
        &mut app,
        Control::Nudge(deescalate::sim::Measure::Trust, -10.0),
    );
    app.update();
    assert_eq!(last(&app), Some(InstructorAction::NudgeTrust(-10.0)));

    // The inject list: select, fire; the bystander's line is in the run.
    click(&mut app, Control::SelectInject(0));
    click(&mut app, Control::FireInject);
    app.update();
    assert_eq!(
        last(&app),
        Some(InstructorAction::Inject("shopkeeper".into()))
    );
    assert!(
        app.world()
            .resource::<Session>()
            .sim
            .events()
            .iter()
            .any(|e| matches!(
                &e.kind,
                EventKind::Injected { id, .. } if id == "shopkeeper"
            ))
    );

    // The scene list: select `talk`, force it.
    click(&mut app, Control::Pick(PickKind::Scene, 1));
    assert!(
        texts(&mut app, true)
            .iter()
            .any(|t| t == "Force this scene")
    );
    click(&mut app, Control::ForcePicked);
    app.update();
    assert_eq!(
        last(&app),
        Some(InstructorAction::ForceScene("talk".into()))
    );
    assert_eq!(app.world().resource::<Session>().sim.scene_id(), "talk");

    // Pause: the clock stops, the trainee sees "Paused" (no menu, no instructor panel).
    click(&mut app, Control::TogglePause);
    let held = tick(&app);
    for _ in 0..8 {
        app.update();
    }
    assert_eq!(tick(&app), held);
    assert_eq!(play_state(&app), PlayState::Running);
    assert!(texts(&mut app, false).iter().any(|t| t == "Paused"));
    assert_eq!(instructor_nodes_on_trainee_window(&mut app), 0);
    click(&mut app, Control::TogglePause);
    for _ in 0..3 {
        app.update();
    }
    assert!(tick(&app) > held);
    assert!(!texts(&mut app, false).iter().any(|t| t == "Paused"));

    // A flag with the run going on while the note is typed: stamped at the press.
    click(&mut app, Control::TogglePauseToType);
    assert!(!app.world().resource::<Instructor>().pause_to_type);
    click(&mut app, Control::Flag);
    let pressed = app
        .world()
        .resource::<Instructor>()
        .note
        .as_ref()
        .expect("note")
        .tick;
    for _ in 0..20 {
        app.update();
    }
    type_text(&mut app, "stepped inside his space");
    assert!(tick(&app) >= pressed + 20, "the run went on while typing");
    click(&mut app, Control::SaveNote);
    app.update();
    let flag = app
        .world()
        .resource::<Session>()
        .sim
        .events()
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::Instructor { .. }))
        .cloned()
        .expect("flag");
    assert_eq!(
        flag.kind,
        EventKind::Instructor {
            action: InstructorAction::Flag("stepped inside his space".into())
        }
    );
    assert_eq!(
        flag.tick, pressed,
        "stamped when the button was pressed, not when saved"
    );
    assert!(
        logged_instructor_actions(&app)
            .contains(&InstructorAction::Flag("stepped inside his space".into()))
    );

    // With "pause while typing" on, the clock waits for the note.
    click(&mut app, Control::TogglePauseToType);
    click(&mut app, Control::Flag);
    let pressed = tick(&app);
    for _ in 0..10 {
        app.update();
    }
    assert_eq!(tick(&app), pressed);
    click(&mut app, Control::CancelNote);
    for _ in 0..3 {
        app.update();
    }
    assert!(tick(&app) > pressed, "cancelling resumes the run");

    // The ending list: select "Dean storms off", end the run with it.
    click(&mut app, Control::Pick(PickKind::Ending, 1));
    click(&mut app, Control::ForcePicked);
    wait_for(&mut app, "the debrief", 10, |a| {
        screen(a) == Screen::Debrief
    });
    let s = app.world().resource::<Session>();
    assert_eq!(s.sim.ending().map(|e| e.id.as_str()), Some("fled"));
    let d = s.debrief.as_ref().expect("debrief");
    assert_eq!(d.instructor.len(), 6, "every action is in the debrief");
    let record = Record::load(s.record_path.as_ref().expect("record")).unwrap();
    let recorded = record
        .inputs
        .entries
        .iter()
        .filter(|e| matches!(e.action, Some(Action::Instructor(_))))
        .count();
    assert_eq!(recorded, 6, "and in the record");
}

/// One mouse for two windows (a trainee's window that grabs the cursor, the instructor's
/// window beside it): with the instructor's window open, Alt in the trainee's window frees
/// the cursor so it can move across; a click in the trainee's window grabs it again; the
/// trainee's window losing the focus never keeps it grabbed. Without the instructor's
/// window Alt leaves the trainee's mouse alone.
#[test]
fn alt_lends_the_mouse_to_the_instructor_window_and_a_click_takes_it_back() {
    use bevy::input::mouse::MouseButtonInput;
    use bevy::window::{CursorGrabMode, CursorOptions, PrimaryWindow};
    use bevy_rapier3d::prelude::{NoUserData, RapierPhysicsPlugin};
    use deescalate::game::instructor::panel::MOUSE_HINT;
    use deescalate::game::live::player;

    let dir = TempDir::new("mouse");
    let mut app = new_app(launch_with(Path::new(FIXTURE), dir.path()));
    app.init_resource::<UiFonts>()
        .init_resource::<bevy::input::mouse::AccumulatedMouseMotion>()
        .add_plugins((
            TransformPlugin,
            RapierPhysicsPlugin::<NoUserData>::default(),
            player::plugin,
        ));
    let trainee = app
        .world_mut()
        .spawn((
            Window {
                focused: true,
                ..default()
            },
            PrimaryWindow,
        ))
        .id();
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    go_to(&mut app, Screen::Playing);
    app.update();
    let grab = |app: &App| {
        let c = app.world().get::<CursorOptions>(trainee).unwrap();
        (c.grab_mode, c.visible)
    };
    let click_in = |app: &mut App, window: Entity| {
        app.world_mut().write_message(MouseButtonInput {
            button: MouseButton::Left,
            state: ButtonState::Pressed,
            window,
        });
        app.update();
    };
    let station = app.world().resource::<Station>().window.expect("open");
    assert_eq!(
        grab(&app),
        (CursorGrabMode::Locked, false),
        "the run grabs it"
    );
    assert!(texts(&mut app, true).iter().any(|t| t == MOUSE_HINT));
    assert!(!texts(&mut app, false).iter().any(|t| t == MOUSE_HINT));

    tap(&mut app, KeyCode::AltLeft, false);
    app.update();
    assert_eq!(grab(&app), (CursorGrabMode::None, true), "Alt frees it");
    // It stays free while the pointer travels, and a click in the instructor's window (which
    // takes the focus) does not take it back.
    for _ in 0..5 {
        app.update();
    }
    let focus = |app: &mut App, focused: bool| {
        app.world_mut().get_mut::<Window>(trainee).unwrap().focused = focused;
        app.update();
    };
    const FREE: (CursorGrabMode, bool) = (CursorGrabMode::None, true);
    const GRABBED: (CursorGrabMode, bool) = (CursorGrabMode::Locked, false);
    focus(&mut app, false);
    click_in(&mut app, station);
    assert_eq!(grab(&app), FREE);
    // Back in the trainee's window: focused again, still free until the trainee clicks.
    focus(&mut app, true);
    assert_eq!(grab(&app), FREE);
    click_in(&mut app, trainee);
    app.update();
    assert_eq!(grab(&app), GRABBED, "a click takes it back");

    // Alt-Tab away (the trainee's window loses the focus): never left grabbed, and free until
    // the trainee's window is clicked.
    for (focused, clicked, want) in [
        (false, false, FREE),
        (true, false, FREE),
        (true, true, GRABBED),
    ] {
        focus(&mut app, focused);
        if clicked {
            click_in(&mut app, trainee);
            app.update();
        }
        assert_eq!(grab(&app), want, "focused {focused}, clicked {clicked}");
    }

    // With the instructor's window closed, Alt is nothing to the trainee's mouse.
    tap(&mut app, KeyCode::F10, false);
    app.update();
    assert!(!app.world().resource::<Station>().is_open());
    tap(&mut app, KeyCode::AltLeft, false);
    app.update();
    assert_eq!(grab(&app), (CursorGrabMode::Locked, false));
}
