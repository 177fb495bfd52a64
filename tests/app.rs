//! Headless tests of the trainer's logic (no window, no GPU): `MinimalPlugins` +
//! `AssetPlugin` + `StatesPlugin` + `logic_plugin`, with time stepped by hand (one
//! `update` = 100 ms = one core tick).
//!
//! - the screen flow Select → Briefing → Playing → Debrief (and Restart);
//! - input → engine wiring: positions and `TraineeAct`s fed through the app give exactly
//!   the events (and input log) the same inputs give when run through `sim::Sim` directly;
//! - a refused action is reported, not fatal;
//! - hot reload: a changed scenario file replaces `ActiveScenario`; a broken one keeps the
//!   old version and exposes the errors;
//! - the library lists `scenarios/*.ron`;
//! - the session record written at the end replays to the same result.
#![cfg(feature = "game")]

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use bevy::time::TimeUpdateStrategy;
use deescalate::format::vocab::Tone;
use deescalate::game::assets::{self, Library, ReloadNotice, ScenarioErrors};
use deescalate::game::live::session::{ActRejected, EndRun, TraineeBody};
use deescalate::game::{
    self, ActiveScenario, Launch, PlayState, Restart, Screen, Session, SimEvent, TraineeAct,
};
use deescalate::records::record::Record;
use deescalate::sim::script::InputLog;
use deescalate::sim::{Action, Event, Hands, Sim, TickInput, TraineeState};
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
            "deescalate-app-{tag}-{}-{nanos}",
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

/// Every `SimEvent` broadcast, in order.
#[derive(Resource, Default)]
struct Heard(Vec<Event>);

#[derive(Resource, Default)]
struct Rejected(Vec<String>);

fn listen(
    mut events: MessageReader<SimEvent>,
    mut heard: ResMut<Heard>,
    mut rej: MessageReader<ActRejected>,
    mut rejected: ResMut<Rejected>,
) {
    heard.0.extend(events.read().map(|e| e.0.clone()));
    rejected.0.extend(rej.read().map(|r| r.reason.clone()));
}

fn new_app(launch: Launch) -> App {
    let mut app = App::new();
    assets::register_sources(&mut app, &launch);
    app.add_plugins((
        MinimalPlugins,
        AssetPlugin {
            watch_for_changes_override: Some(true),
            ..default()
        },
        StatesPlugin,
    ))
    .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
        100,
    )))
    .insert_resource(launch)
    .init_resource::<Heard>()
    .init_resource::<Rejected>()
    .add_plugins(game::logic_plugin)
    .add_systems(Update, listen);
    app
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

/// Update until `done` holds (real time passes too, for asset loading and file watching).
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

fn launch_with(scenario: &Path, records: &Path) -> Launch {
    Launch {
        scenario: Some(scenario.to_path_buf()),
        seed: Some(7),
        trainee: Some("Alex Test".into()),
        records: Some(records.to_path_buf()),
        ..default()
    }
}

fn go_to(app: &mut App, s: Screen) {
    app.world_mut().resource_mut::<NextState<Screen>>().set(s);
    app.update();
}

fn state_at(x: f32, z: f32, vx: f32, vz: f32) -> TraineeState {
    TraineeState {
        x,
        z,
        vx,
        vz,
        facing: 0.0,
        hands: Hands::Visible,
        in_cover: false,
    }
}

#[test]
fn screen_flow_select_briefing_playing_debrief_and_restart() {
    let records = TempDir::new("flow");
    let mut app = new_app(launch_with(Path::new(FIXTURE), records.path()));
    assert_eq!(screen(&app), Screen::Select);
    // The launch scenario goes straight to the briefing once it has loaded.
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    {
        let w = app.world();
        let active = w.resource::<ActiveScenario>();
        assert_eq!(active.scenario.id, "corner_shop");
        assert_eq!(active.hash.len(), 64);
        let s = w.resource::<Session>();
        assert_eq!(s.seed, 7);
        assert_eq!(s.trainee, "Alex Test");
        assert!(s.show_hud, "training mode shows the HUD");
        assert_eq!(s.sim.tick(), 0);
    }

    go_to(&mut app, Screen::Playing);
    assert_eq!(screen(&app), Screen::Playing);
    assert_eq!(
        *app.world().resource::<State<PlayState>>().get(),
        PlayState::Running
    );
    // Entering Playing put the trainee at the spawn.
    let body = *app.world().resource::<TraineeBody>();
    assert_eq!((body.x, body.z), (0.0, 16.0));
    for _ in 0..5 {
        app.update();
    }
    let ticks = app.world().resource::<Session>().sim.tick();
    assert!(ticks >= 5, "the core ticks while running ({ticks})");

    // Pausing stops the clock of the core.
    app.world_mut()
        .resource_mut::<NextState<PlayState>>()
        .set(PlayState::Paused);
    app.update();
    let paused_at = app.world().resource::<Session>().sim.tick();
    for _ in 0..5 {
        app.update();
    }
    assert_eq!(app.world().resource::<Session>().sim.tick(), paused_at);
    app.world_mut()
        .resource_mut::<NextState<PlayState>>()
        .set(PlayState::Running);
    app.update();

    // Two utterances reach the good ending; the debrief follows.
    let say = |option: &str| {
        TraineeAct(Action::Say {
            option: option.into(),
            tone: Tone::Calm,
        })
    };
    app.world_mut().write_message(say("introduce"));
    app.update();
    app.world_mut().write_message(say("listen"));
    wait_for(&mut app, "the debrief", 10, |a| {
        screen(a) == Screen::Debrief
    });
    {
        let s = app.world().resource::<Session>();
        let d = s.debrief.as_ref().expect("debrief built");
        assert_eq!(d.ending_id.as_deref(), Some("resolved"));
        assert_eq!(s.record_error, None);
        let path = s.record_path.clone().expect("record written");
        assert!(path.starts_with(records.path()));
        // The record reproduces the run.
        let rec = Record::load(&path).expect("record loads");
        assert_eq!(rec.trainee, "Alex Test");
        assert_eq!(rec.seed, 7);
        let scenario = Arc::clone(s.sim.scenario());
        let replayed = rec.replay(scenario).expect("record replays");
        assert_eq!(replayed.ending_id.as_deref(), Some("resolved"));
    }
    let heard = &app.world().resource::<Heard>().0;
    assert!(
        heard
            .iter()
            .any(|e| matches!(e.kind, deescalate::sim::EventKind::EndingReached { .. })),
        "the ending was broadcast"
    );

    // Restart: back to the briefing with a new session.
    app.world_mut().write_message(Restart);
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Briefing);
    let s = app.world().resource::<Session>();
    assert!(s.debrief.is_none());
    assert_eq!(s.sim.tick(), 0);

    // Back to the select screen: the session is gone.
    go_to(&mut app, Screen::Select);
    app.update();
    assert!(app.world().get_resource::<Session>().is_none());
}

#[test]
fn inputs_through_the_app_match_the_core_run_headless() {
    let records = TempDir::new("wiring");
    let mut app = new_app(launch_with(Path::new(FIXTURE), records.path()));
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    let scenario = Arc::clone(&app.world().resource::<ActiveScenario>().scenario);
    let seed = app.world().resource::<Session>().seed;

    // Tick 0 happens in the update that enters Playing, at the spawn, standing still.
    let spawn = scenario.place.trainee_spawn;
    let mut inputs = vec![TickInput {
        trainee: TraineeState {
            facing: spawn.facing,
            ..state_at(spawn.x, spawn.z, 0.0, 0.0)
        },
        action: None,
    }];
    go_to(&mut app, Screen::Playing);

    // Walk in at 1.4 m/s, stop, say things (one refused: not offered here), hands, cover.
    let mut z = spawn.z;
    let mut script: Vec<(TraineeState, Option<Action>)> = Vec::new();
    for _ in 0..60 {
        z -= 0.14;
        script.push((state_at(0.0, z, 0.0, -1.4), None));
    }
    let still = state_at(0.0, z, 0.0, 0.0);
    script.push((still, None));
    script.push((
        still,
        Some(Action::Say {
            option: "order".into(),
            tone: Tone::Firm,
        }),
    ));
    for _ in 0..20 {
        script.push((still, None));
    }
    script.push((
        TraineeState {
            in_cover: true,
            hands: Hands::WeaponDrawn,
            ..still
        },
        None,
    ));
    script.push((still, Some(Action::Pause)));
    script.push((
        still,
        Some(Action::Say {
            option: "listen".into(), // not offered in the first scene: refused, dropped
            tone: Tone::Calm,
        }),
    ));
    for _ in 0..10 {
        script.push((still, None));
    }
    script.push((
        still,
        Some(Action::Say {
            option: "introduce".into(),
            tone: Tone::Calm,
        }),
    ));
    for _ in 0..30 {
        script.push((state_at(0.3, z - 0.2, 0.4, -0.3), None));
    }
    script.push((
        still,
        Some(Action::Say {
            option: "listen".into(),
            tone: Tone::Calm,
        }),
    ));

    for (state, action) in &script {
        {
            let w = app.world_mut();
            *w.resource_mut::<TraineeBody>() = TraineeBody {
                x: state.x,
                z: state.z,
                vx: state.vx,
                vz: state.vz,
                facing: state.facing,
                in_cover: state.in_cover,
            };
            w.resource_mut::<Session>().hands = state.hands;
            if let Some(a) = action {
                w.write_message(TraineeAct(a.clone()));
            }
        }
        app.update();
        let refused = matches!(action, Some(Action::Say { option, .. }) if option == "listen")
            && inputs.iter().all(
                |i| !matches!(&i.action, Some(Action::Say { option, .. }) if option == "introduce"),
            );
        inputs.push(TickInput {
            trainee: *state,
            action: if refused { None } else { action.clone() },
        });
        if screen(&app) == Screen::Debrief {
            break;
        }
    }
    // The screen changes on the update after the ending.
    app.update();
    assert_eq!(screen(&app), Screen::Debrief, "the run reached its ending");
    assert_eq!(
        app.world().resource::<Rejected>().0.len(),
        1,
        "the option that was not offered was reported"
    );

    // The same inputs straight through the core.
    let mut sim = Sim::new(Arc::clone(&scenario), seed).unwrap();
    let mut log = InputLog::default();
    let mut last = None;
    for input in &inputs {
        if sim.is_finished() {
            break;
        }
        let tick = sim.tick();
        log.push(tick, input, &mut last);
        sim.step(input).expect("the core accepts the inputs");
    }
    let session = app.world().resource::<Session>();
    assert_eq!(session.sim.events(), sim.events(), "same events");
    assert_eq!(session.log, log, "same input log");
    assert_eq!(session.sim.result(), sim.result(), "same result");
    // Every core event went out as a SimEvent, once, in order.
    assert_eq!(app.world().resource::<Heard>().0, sim.events().to_vec());
}

#[test]
fn end_run_finishes_early_with_a_debrief() {
    let records = TempDir::new("end");
    let mut app = new_app(launch_with(Path::new(FIXTURE), records.path()));
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    go_to(&mut app, Screen::Playing);
    for _ in 0..3 {
        app.update();
    }
    app.world_mut().write_message(EndRun);
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Debrief);
    let s = app.world().resource::<Session>();
    let d = s.debrief.as_ref().unwrap();
    assert_eq!(d.ending_id, None);
    assert!(s.record_path.is_some());
}

#[test]
fn unwritable_records_folder_keeps_the_run() {
    let tmp = TempDir::new("norecords");
    // A file where the records folder should be: creating the folder fails.
    let blocker = tmp.path().join("records");
    std::fs::write(&blocker, "not a folder").unwrap();
    let mut app = new_app(launch_with(Path::new(FIXTURE), &blocker));
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    go_to(&mut app, Screen::Playing);
    app.world_mut().write_message(EndRun);
    app.update();
    app.update();
    assert_eq!(screen(&app), Screen::Debrief);
    let s = app.world().resource::<Session>();
    assert!(s.debrief.is_some(), "the debrief is kept in memory");
    assert!(s.record_path.is_none());
    let err = s.record_error.as_deref().expect("the failure is reported");
    assert!(err.contains("could not be saved"), "{err}");
}

#[test]
fn hot_reload_swaps_a_valid_edit_and_keeps_the_last_good_version_on_errors() {
    let dir = TempDir::new("reload");
    let file = dir.path().join("corner_shop.ron");
    let original = std::fs::read_to_string(FIXTURE).unwrap();
    std::fs::write(&file, &original).unwrap();
    let mut app = new_app(launch_with(&file, dir.path()));
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    let first = app.world().resource::<ActiveScenario>().clone();
    assert_eq!(first.scenario.title, "Outside the corner shop");
    // Give the file watcher a moment to settle before editing.
    for _ in 0..20 {
        app.update();
        std::thread::sleep(Duration::from_millis(20));
    }

    // A valid edit replaces the active scenario (and the briefing's session follows).
    let edited = original.replace("Outside the corner shop", "Outside the corner shop (v2)");
    std::fs::write(&file, &edited).unwrap();
    wait_for(&mut app, "the reloaded scenario", 30, |a| {
        a.world().resource::<ActiveScenario>().hash != first.hash
    });
    {
        let w = app.world();
        let active = w.resource::<ActiveScenario>();
        assert_eq!(active.scenario.title, "Outside the corner shop (v2)");
        assert_eq!(active.path, file);
        assert!(
            w.resource::<ReloadNotice>().0.is_some(),
            "a reload notice is shown"
        );
        assert_eq!(w.resource::<ScenarioErrors>().0, None);
    }
    app.update();
    assert_eq!(
        app.world().resource::<Session>().sim.scenario().title,
        "Outside the corner shop (v2)",
        "the briefing shows the new version"
    );

    // A broken edit keeps the last good version and exposes the diagnostics.
    let broken = edited.replace("start_scene: \"approach\"", "start_scene: \"nowhere\"");
    std::fs::write(&file, &broken).unwrap();
    wait_for(&mut app, "the errors of the broken edit", 30, |a| {
        a.world().resource::<ScenarioErrors>().0.is_some()
    });
    {
        let w = app.world();
        let errors = w.resource::<ScenarioErrors>().0.clone().unwrap();
        assert!(
            errors.contains("nowhere"),
            "diagnostics name the problem:\n{errors}"
        );
        assert!(
            errors.contains("corner_shop.ron"),
            "diagnostics name the file:\n{errors}"
        );
        let active = w.resource::<ActiveScenario>();
        assert_eq!(active.scenario.title, "Outside the corner shop (v2)");
    }

    // A syntax error is reported the same way.
    std::fs::write(&file, "( id: \"corner_shop\", title: ").unwrap();
    wait_for(&mut app, "the syntax error", 30, |a| {
        a.world()
            .resource::<ScenarioErrors>()
            .0
            .as_deref()
            .is_some_and(|e| !e.contains("nowhere"))
    });
    assert_eq!(
        app.world().resource::<ActiveScenario>().scenario.title,
        "Outside the corner shop (v2)"
    );

    // Fixing the file clears the errors.
    std::fs::write(&file, &original).unwrap();
    wait_for(&mut app, "the fixed file", 30, |a| {
        a.world().resource::<ScenarioErrors>().0.is_none()
    });
    assert_eq!(
        app.world().resource::<ActiveScenario>().scenario.title,
        "Outside the corner shop"
    );
}

#[test]
fn a_broken_launch_scenario_stays_on_select_and_shows_why() {
    let dir = TempDir::new("broken");
    let file = dir.path().join("broken.ron");
    std::fs::write(&file, "(id: \"x\", title: 5)").unwrap();
    let mut app = new_app(launch_with(&file, dir.path()));
    wait_for(&mut app, "the errors", 30, |a| {
        a.world().resource::<ScenarioErrors>().0.is_some()
    });
    assert_eq!(screen(&app), Screen::Select);
    assert!(app.world().get_resource::<ActiveScenario>().is_none());
    let errors = app.world().resource::<ScenarioErrors>().0.clone().unwrap();
    assert!(errors.contains("broken.ron"), "{errors}");

    // A missing file is reported too.
    let missing = dir.path().join("missing.ron");
    let mut app2 = new_app(launch_with(&missing, dir.path()));
    wait_for(&mut app2, "the missing-file error", 30, |a| {
        a.world().resource::<ScenarioErrors>().0.is_some()
    });
    assert_eq!(screen(&app2), Screen::Select);
}

#[test]
fn the_library_lists_every_scenario_file() {
    let records = TempDir::new("library");
    let mut app = new_app(Launch {
        records: Some(records.path().to_path_buf()),
        ..default()
    });
    let files: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                .collect()
        })
        .unwrap_or_default();
    wait_for(&mut app, "the library to load", 60, |a| {
        let lib = a.world().resource::<Library>();
        lib.entries.len() == files.len() && lib.entries.iter().all(|e| !e.is_loading())
    });
    let lib = app.world().resource::<Library>();
    for e in &lib.entries {
        assert!(e.path.starts_with("scenarios"), "{}", e.path.display());
        match e.playable() {
            Some(s) => {
                assert_eq!(e.title, s.scenario.title);
                assert!(e.expected_minutes.is_some());
                assert!(e.mode.is_some());
                assert!(e.errors.is_none());
            }
            None => assert!(
                e.errors.is_some(),
                "{} is neither playable nor broken",
                e.path.display()
            ),
        }
    }
    // Nothing was launched: still on the select screen.
    assert_eq!(screen(&app), Screen::Select);
    // Starting a playable one opens its briefing.
    let first = lib.playable().next().map(|e| e.path.clone());
    if let Some(path) = first {
        app.world_mut()
            .write_message(assets::StartScenario(path.clone()));
        wait_for(&mut app, "the briefing", 10, |a| {
            screen(a) == Screen::Briefing
        });
        assert_eq!(app.world().resource::<ActiveScenario>().path, path);
    }
}

#[test]
fn esc_in_the_replay_returns_to_the_debrief_it_was_opened_from() {
    use bevy::ecs::system::RunSystemOnce;
    use deescalate::game::review::{FromDebrief, ReplayView};
    let records = TempDir::new("replay-back");
    let mut app = new_app(launch_with(Path::new(FIXTURE), records.path()));
    app.init_resource::<ButtonInput<KeyCode>>();
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    go_to(&mut app, Screen::Playing);
    app.world_mut().write_message(EndRun);
    wait_for(&mut app, "the debrief", 10, |a| {
        screen(a) == Screen::Debrief
    });
    let (record, ending) = {
        let s = app.world().resource::<Session>();
        (s.record_path.clone().unwrap(), s.debrief.clone().unwrap())
    };
    // V on the debrief: the replay opens on this run's record.
    app.world_mut()
        .run_system_once(move |mut c: Commands| FromDebrief::open_replay(&mut c, record.clone()))
        .unwrap();
    go_to(&mut app, Screen::Replay);
    app.update();
    assert_eq!(screen(&app), Screen::Replay);
    assert!(
        app.world().contains_resource::<ReplayView>(),
        "the replay opened"
    );
    // Esc: back on the same debrief, not the scenario list.
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(KeyCode::Escape);
    app.update();
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .release(KeyCode::Escape);
    app.update();
    assert_eq!(screen(&app), Screen::Debrief);
    let s = app.world().resource::<Session>();
    assert_eq!(s.debrief.as_ref(), Some(&ending), "the same debrief");
    // Leaving for the scenario list still ends the session.
    go_to(&mut app, Screen::Select);
    app.update();
    assert!(!app.world().contains_resource::<Session>());
    assert!(!app.world().contains_resource::<FromDebrief>());
}
