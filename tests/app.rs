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
    // The screen changes once the ending has been held (the last reply on screen).
    wait_for(&mut app, "the debrief after the ending", 10, |a| {
        screen(a) == Screen::Debrief
    });
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

// ---- The live run at any frame rate, the option numbering, the ending hold (issue 13) ----
mod live {
    use super::*;
    use bevy::input::{ButtonState, InputPlugin};
    use bevy_rapier3d::prelude::{NoUserData, RapierPhysicsPlugin};
    use deescalate::assess::score::{Scores, score};
    use deescalate::game::live::player;
    use deescalate::game::live::session::{EndingHold, SkipEnding};
    use deescalate::game::screens::playing::options::OptionNumbers;
    use deescalate::game::screens::playing::{TalkPanel, talk};

    const KNIFE: &str = "scenarios/knife_sidewalk.ron";

    /// What one run at a frame rate ended with.
    struct Walked {
        ticks: u32,
        from: Vec2,
        to: Vec2,
        /// From the subject at the end, as the core measures it.
        distance: f32,
        events: Vec<Event>,
        scores: Scores,
    }

    /// The trainer with the real player (rapier's controller, WASD) at `fps` frames a second
    /// of simulated time: W held for `walk` seconds, then standing for `stand` seconds.
    fn walk_at(fps: f64, walk: f64, stand: f64) -> Walked {
        walk_into(fps, walk, stand, None)
    }

    /// [`walk_at`] with a 4 m wide, 20 cm thick wall `wall` metres ahead of the spawn.
    fn walk_into(fps: f64, walk: f64, stand: f64, wall: Option<f32>) -> Walked {
        let records = TempDir::new("fps");
        let mut app = new_app(launch_with(Path::new(KNIFE), records.path()));
        app.add_plugins((
            InputPlugin,
            TransformPlugin,
            RapierPhysicsPlugin::<NoUserData>::default(),
            player::plugin,
        ));
        wait_for(&mut app, "the briefing", 30, |a| {
            screen(a) == Screen::Briefing
        });
        let frame = Duration::from_secs_f64(1.0 / fps);
        app.insert_resource(TimeUpdateStrategy::ManualDuration(frame));
        // Both runs start on a tick boundary.
        app.world_mut()
            .resource_mut::<Time<Fixed>>()
            .discard_overstep(Duration::MAX);
        let spawn = app
            .world()
            .resource::<ActiveScenario>()
            .scenario
            .place
            .trainee_spawn;
        if let Some(ahead) = wall {
            let at = player::spawn_transform(&spawn);
            let forward = at.rotation * Vec3::NEG_Z;
            app.world_mut().spawn((
                Transform::from_translation(at.translation + forward * ahead)
                    .with_rotation(at.rotation),
                bevy_rapier3d::prelude::Collider::cuboid(2.0, 1.5, 0.1),
            ));
        }
        keys(&mut app).press(KeyCode::KeyW);
        go_to(&mut app, Screen::Playing);
        for _ in 1..(walk * fps).round() as usize {
            app.update();
        }
        keys(&mut app).release(KeyCode::KeyW);
        for _ in 0..(stand * fps).round() as usize {
            app.update();
        }
        let body = *app.world().resource::<TraineeBody>();
        let s = app.world().resource::<Session>();
        Walked {
            ticks: s.sim.tick(),
            from: Vec2::new(spawn.x, spawn.z),
            to: Vec2::new(body.x, body.z),
            distance: s.sim.distance(),
            events: s.sim.events().to_vec(),
            scores: score(s.sim.scenario(), &s.sim.result()),
        }
    }

    fn keys(app: &mut App) -> Mut<'_, ButtonInput<KeyCode>> {
        app.world_mut().resource_mut::<ButtonInput<KeyCode>>()
    }

    #[test]
    fn walking_and_scoring_follow_real_time_at_2_and_60_fps() {
        let slow = walk_at(2.0, 8.0, 14.0);
        let fast = walk_at(60.0, 8.0, 14.0);
        for (fps, run) in [(2, &slow), (60, &fast)] {
            // 22 s of real time is 220 ticks of the core: no tick dropped on a slow PC.
            assert_eq!(run.ticks, 220, "sim clock at {fps} fps");
            // 8 s of W at 1.4 m/s.
            let walked = run.from.distance(run.to);
            assert!(
                (walked - 11.2).abs() < 0.05,
                "walked {walked:.2} m at {fps} fps, not 11.2"
            );
        }
        assert!(slow.to.distance(fast.to) < 1e-3, "same place at both rates");
        assert_eq!(slow.events, fast.events, "the core saw the same run");
        assert_eq!(slow.scores, fast.scores, "the same scores");
        // The walk-up is judged as such: the trainee is within 12 m of the subject.
        assert!(slow.distance < 12.0, "{} m from the subject", slow.distance);
    }

    #[test]
    fn a_wall_stops_the_walk_at_the_same_place_at_2_and_60_fps() {
        let slow = walk_into(2.0, 8.0, 1.0, Some(5.0));
        let fast = walk_into(60.0, 8.0, 1.0, Some(5.0));
        for (fps, run) in [(2, &slow), (60, &fast)] {
            let walked = run.from.distance(run.to);
            // The capsule (radius 0.3 m) stops at the wall's face, 4.9 m ahead.
            assert!(
                (4.5..4.65).contains(&walked),
                "walked {walked:.2} m into a wall 5 m ahead at {fps} fps"
            );
        }
        assert!(slow.to.distance(fast.to) < 1e-3, "same place at both rates");
    }

    /// Which options the trainee said, in order.
    fn said(app: &App) -> Vec<String> {
        app.world()
            .resource::<Heard>()
            .0
            .iter()
            .filter_map(|e| match &e.kind {
                deescalate::sim::EventKind::Utterance { option, .. } => Some(option.clone()),
                _ => None,
            })
            .collect()
    }

    /// A key pressed and released as the window reports it.
    fn press(app: &mut App, key: KeyCode) {
        for state in [ButtonState::Pressed, ButtonState::Released] {
            key_event(app, key, state);
        }
        app.update();
    }

    #[test]
    fn option_numbers_stay_put_across_openings_and_when_a_line_drops_out() {
        let dir = TempDir::new("numbers");
        let file = dir.path().join("corner_shop.ron");
        // A fourth line in the first scene, and "order" offered only until it is said.
        let fixture = std::fs::read_to_string(FIXTURE).unwrap();
        let fixture = fixture.replacen(
            "tags: [Command],",
            "tags: [Command],\n                    requires: [NotSaid(\"order\")],",
            1,
        );
        let fixture = fixture.replacen(
            "            ],\n        ),\n        (\n            id: \"talk\",",
            "                (\n                    id: \"name\",\n                    text: \"What's your name?\",\n                    tags: [OpenQuestion],\n                    agitation: -2.0,\n                    trust: 2.0,\n                    why: \"A name makes it personal.\",\n                ),\n            ],\n        ),\n        (\n            id: \"talk\",",
            1,
        );
        std::fs::write(&file, &fixture).unwrap();
        let mut app = new_app(launch_with(&file, dir.path()));
        app.add_plugins((InputPlugin, talk::choosing_plugin));
        wait_for(&mut app, "the briefing", 30, |a| {
            screen(a) == Screen::Briefing
        });
        go_to(&mut app, Screen::Playing);
        app.update();
        let number = |app: &App, id: &str| app.world().resource::<OptionNumbers>().number_of(id);
        assert_eq!(
            ["introduce", "order", "threaten", "name"].map(|o| number(&app, o)),
            [Some(1), Some(2), Some(3), Some(4)]
        );

        // A number key with the panel closed opens it and says nothing yet.
        press(&mut app, KeyCode::Digit2);
        assert!(
            app.world().resource::<TalkPanel>().open,
            "2 opened the panel"
        );
        assert!(said(&app).is_empty(), "nothing said unseen");
        let note = app.world().resource::<TalkPanel>().note.clone().unwrap();
        assert!(note.contains("press 2 again"), "{note}");
        // Pressing it again says line 2 and closes the panel.
        press(&mut app, KeyCode::Digit2);
        assert_eq!(said(&app), ["order"]);
        assert!(!app.world().resource::<TalkPanel>().open);

        // "order" is gone; the others keep their numbers across closing and opening.
        for _ in 0..3 {
            press(&mut app, KeyCode::Tab);
            assert!(app.world().resource::<TalkPanel>().open);
            assert_eq!(number(&app, "threaten"), Some(3));
            assert_eq!(number(&app, "name"), Some(4));
            press(&mut app, KeyCode::Tab);
        }
        // With the panel open, 2 says nothing now and says why.
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Digit2);
        assert_eq!(said(&app), ["order"]);
        let note = app.world().resource::<TalkPanel>().note.clone().unwrap();
        assert!(note.contains("no line 2"), "{note}");
        // 4 is still the name question.
        press(&mut app, KeyCode::Digit4);
        assert_eq!(said(&app), ["order", "name"]);
    }

    #[test]
    fn the_ending_is_held_with_the_last_reply_up_then_the_debrief_opens() {
        let reach_ending = |tag: &str| {
            let records = TempDir::new(tag);
            let mut app = new_app(launch_with(Path::new(FIXTURE), records.path()));
            wait_for(&mut app, "the briefing", 30, |a| {
                screen(a) == Screen::Briefing
            });
            go_to(&mut app, Screen::Playing);
            for option in ["introduce", "dismiss"] {
                app.world_mut().write_message(TraineeAct(Action::Say {
                    option: option.into(),
                    tone: Tone::Calm,
                }));
                app.update();
                app.update();
            }
            assert!(app.world().resource::<Session>().sim.is_finished());
            (app, records)
        };
        let (mut app, _records) = reach_ending("hold");
        // The record is written at once, but the screen stays on the run for a moment.
        let s = app.world().resource::<Session>();
        assert!(s.debrief.is_some() && s.record_path.is_some());
        let hold = app.world().resource::<EndingHold>().left;
        assert!(hold >= 2.5, "{hold} s left of the hold");
        let mut held = 0.0;
        while screen(&app) == Screen::Playing {
            app.update();
            held += 0.1;
            assert!(held < 9.0, "the debrief never opened");
        }
        assert!(held >= 2.5, "the debrief opened after {held:.1} s more");
        assert_eq!(screen(&app), Screen::Debrief);

        // A key skips the hold.
        let (mut app, _records) = reach_ending("skip");
        assert_eq!(screen(&app), Screen::Playing);
        app.world_mut().write_message(SkipEnding);
        app.update();
        app.update();
        assert_eq!(screen(&app), Screen::Debrief);
    }
}

/// The push-to-talk path (`game::voice`) fed a recording where the microphone would write:
/// hold V with the talk panel open, the fixture's samples arrive, release → the measured tone
/// becomes the line's tone, the input log keeps it, and the debrief says so. Without a
/// microphone, one message and the menu tone.
mod voice {
    use super::*;
    use deescalate::game::screens::playing::talk::TalkPanel;
    use deescalate::game::settings::Settings;
    use deescalate::game::voice::{self, TraineeCalibration, VoiceInput, VoiceTake};
    use deescalate::voice::calibration::Calibration;
    use deescalate::voice::{ToneSource, wav};

    fn voice_app(input: VoiceInput, records: &Path) -> App {
        let mut app = new_app(launch_with(Path::new(FIXTURE), records));
        app.init_resource::<ButtonInput<KeyCode>>()
            .init_resource::<ButtonInput<MouseButton>>()
            .init_resource::<TalkPanel>()
            .init_resource::<Settings>()
            .insert_resource(input)
            .add_plugins(voice::plugin);
        wait_for(&mut app, "the briefing", 30, |a| {
            screen(a) == Screen::Briefing
        });
        go_to(&mut app, Screen::Playing);
        let cal = Calibration::load(Path::new("tests/fixtures/voice/calibration.ron")).unwrap();
        app.world_mut()
            .resource_mut::<TraineeCalibration>()
            .calibration = cal;
        app.world_mut().resource_mut::<TalkPanel>().open = true;
        app
    }

    fn key(app: &mut App, down: bool) {
        let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        if down {
            keys.press(KeyCode::KeyV);
        } else {
            keys.release(KeyCode::KeyV);
        }
        app.update();
        app.world_mut()
            .resource_mut::<ButtonInput<KeyCode>>()
            .clear();
    }

    /// Hold V, let `file` arrive through the capture the microphone writes to, release.
    fn say_into_microphone(app: &mut App, file: &str) {
        key(app, true);
        assert!(app.world().resource::<VoiceTake>().talking);
        let audio = wav::read(Path::new(file)).unwrap();
        let capture = app.world().resource::<VoiceInput>().capture.clone();
        for block in audio.samples.chunks(480) {
            capture.lock().unwrap().push_interleaved(block, 1);
        }
        key(app, false);
    }

    fn say(app: &mut App, option: &str) {
        let tone = app.world().resource::<Session>().tone;
        app.world_mut().write_message(TraineeAct(Action::Say {
            option: option.into(),
            tone,
        }));
        for _ in 0..3 {
            app.update();
        }
    }

    #[test]
    fn a_recording_through_push_to_talk_sets_the_tone_the_record_and_the_debrief() {
        let records = TempDir::new("voice");
        let mut app = voice_app(VoiceInput::fed(16_000), records.path());
        app.world_mut().resource_mut::<Session>().tone = Tone::Calm;
        say_into_microphone(&mut app, "tests/fixtures/voice/firm-sentence.wav");
        assert_eq!(app.world().resource::<Session>().tone, Tone::Firm);
        let message = app.world().resource::<VoiceTake>().message.clone().unwrap();
        assert!(message.contains("firm"), "{message}");
        say(&mut app, "introduce");
        // The crash-safe journal has it too (flushed once a second), should the run be
        // interrupted now.
        for _ in 0..12 {
            app.update();
        }
        let journal = app
            .world()
            .resource::<deescalate::game::recovery::RunJournal>()
            .path()
            .map(|p| std::fs::read_to_string(p).unwrap_or_default());
        assert!(
            journal.is_some_and(|j| j.contains("\"voice\"")),
            "voice not journalled"
        );
        // Picked calm on the menu for the next line: no take, the menu's tone.
        app.world_mut().resource_mut::<Session>().tone = Tone::Calm;
        say(&mut app, "listen");
        wait_for(&mut app, "the debrief", 10, |a| {
            screen(a) == Screen::Debrief
        });
        let s = app.world().resource::<Session>();
        let spoken: Vec<_> = s
            .log
            .entries
            .iter()
            .filter_map(|e| e.voice.as_ref())
            .collect();
        assert_eq!(spoken.len(), 1);
        assert_eq!(spoken[0].source, ToneSource::Voice);
        assert_eq!(spoken[0].measured, Some(Tone::Firm));
        let d = s.debrief.as_ref().unwrap();
        let notes: Vec<&str> = d
            .timeline
            .iter()
            .filter_map(|e| e.note.as_deref())
            .collect();
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("said: firm, measured from your voice")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("said: calm, chosen from the menu")),
            "{notes:?}"
        );
        let rec = Record::load(s.record_path.as_ref().unwrap()).unwrap();
        assert_eq!(
            rec.inputs
                .entries
                .iter()
                .filter(|e| e.voice.is_some())
                .count(),
            1
        );
    }

    #[test]
    fn silence_keeps_the_menu_tone_and_says_why() {
        let records = TempDir::new("voice-quiet");
        let mut app = voice_app(VoiceInput::fed(16_000), records.path());
        app.world_mut().resource_mut::<Session>().tone = Tone::Calm;
        key(&mut app, true);
        let capture = app.world().resource::<VoiceInput>().capture.clone();
        capture.lock().unwrap().push_interleaved(&[0.0; 16_000], 1);
        key(&mut app, false);
        assert_eq!(app.world().resource::<Session>().tone, Tone::Calm);
        let message = app.world().resource::<VoiceTake>().message.clone().unwrap();
        assert!(message.contains("No speech heard"), "{message}");
    }

    #[test]
    fn no_microphone_is_one_message_and_the_menu_tone() {
        let records = TempDir::new("voice-nomic");
        let mut app = voice_app(
            VoiceInput::unavailable("no microphone (input device) was found"),
            records.path(),
        );
        app.world_mut().resource_mut::<VoiceTake>().message = None;
        app.world_mut().resource_mut::<Session>().tone = Tone::Calm;
        key(&mut app, true);
        key(&mut app, false);
        let take = app.world().resource::<VoiceTake>();
        let message = take.message.clone().unwrap_or_default();
        assert!(
            message.starts_with("No microphone: no microphone"),
            "{message}"
        );
        assert!(message.contains("menu's (Q/E)"), "{message}");
        assert!(!take.talking);
        assert!(take.spoken.is_none());
        assert_eq!(app.world().resource::<Session>().tone, Tone::Calm);
        say(&mut app, "introduce");
        assert!(
            app.world()
                .resource::<Session>()
                .log
                .entries
                .iter()
                .all(|e| e.voice.is_none())
        );
        // Voice turned off by the instructor: pressing V says so.
        app.world_mut().resource_mut::<Settings>().voice = false;
        key(&mut app, true);
        let message = app
            .world()
            .resource::<VoiceTake>()
            .message
            .clone()
            .unwrap_or_default();
        assert!(message.contains("turned off"), "{message}");
    }
}

/// Calibration from the settings panel, fed two recordings where the microphone would write:
/// C, hold V for the normal sentence, then for the firm command; the calibration is the one
/// `deescalate tone --write-calibration` makes from the same files, and it is saved.
#[test]
fn calibration_from_the_settings_panel_takes_two_recordings() {
    use deescalate::game::screens::settings::SettingsPanel;
    use deescalate::game::settings::Settings;
    use deescalate::game::voice::{self, TraineeCalibration, VoiceInput};
    use deescalate::voice::calibration::Calibration;
    use deescalate::voice::wav;
    let dir = TempDir::new("calibrate");
    let mut app = new_app(launch_with(Path::new(FIXTURE), dir.path()));
    app.init_resource::<ButtonInput<KeyCode>>()
        .init_resource::<ButtonInput<MouseButton>>()
        .init_resource::<Settings>()
        .insert_resource(SettingsPanel { open: true, row: 0 })
        .insert_resource(VoiceInput::fed(16_000))
        .add_plugins(voice::plugin);
    app.update();
    let saved = dir.path().join("robin.ron");
    app.world_mut().resource_mut::<TraineeCalibration>().path = Some(saved.clone());
    let press = |app: &mut App, key: KeyCode, down: bool| {
        let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        if down {
            keys.press(key);
        } else {
            keys.release(key);
        }
        app.update();
        app.world_mut()
            .resource_mut::<ButtonInput<KeyCode>>()
            .clear();
    };
    press(&mut app, KeyCode::KeyC, true);
    press(&mut app, KeyCode::KeyC, false);
    for file in ["calibration-normal.wav", "calibration-firm.wav"] {
        press(&mut app, KeyCode::KeyV, true);
        let audio = wav::read(&Path::new("tests/fixtures/voice").join(file)).unwrap();
        let capture = app.world().resource::<VoiceInput>().capture.clone();
        capture.lock().unwrap().push_interleaved(&audio.samples, 1);
        press(&mut app, KeyCode::KeyV, false);
    }
    let made = app
        .world()
        .resource::<TraineeCalibration>()
        .calibration
        .clone();
    let expected = Calibration::load(Path::new("tests/fixtures/voice/calibration.ron")).unwrap();
    assert!(made.calibrated);
    assert!((made.normal_level_dbfs - expected.normal_level_dbfs).abs() < 0.01);
    assert!((made.firm_gap_db() - expected.firm_gap_db()).abs() < 0.01);
    assert_eq!(Calibration::load(&saved).unwrap(), made);
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

/// Pick, then speak: line 1 marked by its number key, V held while the recording of a firm
/// sentence arrives where the microphone writes, released: line 1 is said in the measured tone
/// (no second key press), the input log keeps the measure, and the panel closes.
#[test]
fn a_marked_line_is_said_in_the_tone_measured_when_v_is_released() {
    use bevy::input::ButtonState;
    use bevy::input::InputPlugin;
    use deescalate::game::screens::playing::talk::{self, TalkPanel};
    use deescalate::game::settings::Settings;
    use deescalate::game::voice::{self, TraineeCalibration, VoiceInput, VoiceTake};
    use deescalate::voice::calibration::Calibration;
    use deescalate::voice::{ToneSource, wav};

    let records = TempDir::new("pick-then-speak");
    let mut app = new_app(launch_with(Path::new(FIXTURE), records.path()));
    app.add_plugins((InputPlugin, talk::choosing_plugin))
        .init_resource::<Settings>()
        .insert_resource(VoiceInput::fed(16_000))
        .add_plugins(voice::plugin);
    wait_for(&mut app, "the briefing", 30, |a| {
        screen(a) == Screen::Briefing
    });
    go_to(&mut app, Screen::Playing);
    app.world_mut()
        .resource_mut::<TraineeCalibration>()
        .calibration =
        Calibration::load(Path::new("tests/fixtures/voice/calibration.ron")).unwrap();
    app.world_mut().resource_mut::<Session>().tone = Tone::Calm;
    app.update();

    key_event(&mut app, KeyCode::Digit1, ButtonState::Pressed);
    key_event(&mut app, KeyCode::Digit1, ButtonState::Released);
    let panel = app.world().resource::<TalkPanel>();
    assert!(panel.open && panel.armed == Some(1), "1 marked line 1");
    let note = panel.note.clone().unwrap_or_default();
    assert!(note.contains("hold V"), "{note}");

    key_event(&mut app, KeyCode::KeyV, ButtonState::Pressed);
    assert!(app.world().resource::<VoiceTake>().talking);
    let audio = wav::read(Path::new("tests/fixtures/voice/firm-sentence.wav")).unwrap();
    let capture = app.world().resource::<VoiceInput>().capture.clone();
    for block in audio.samples.chunks(480) {
        capture.lock().unwrap().push_interleaved(block, 1);
    }
    key_event(&mut app, KeyCode::KeyV, ButtonState::Released);
    for _ in 0..3 {
        app.update();
    }

    let s = app.world().resource::<Session>();
    let says: Vec<_> = s
        .log
        .entries
        .iter()
        .filter_map(|e| match &e.action {
            Some(Action::Say { option, tone }) => Some((option.as_str(), *tone, e.voice.as_ref())),
            _ => None,
        })
        .collect();
    assert_eq!(says.len(), 1, "one line said: {says:?}");
    let (option, tone, voice) = says[0];
    assert_eq!((option, tone), ("introduce", Tone::Firm));
    let voice = voice.expect("the measure is in the input log");
    assert_eq!(
        (voice.source, voice.measured),
        (ToneSource::Voice, Some(Tone::Firm))
    );
    assert!(
        !app.world().resource::<TalkPanel>().open,
        "the panel closed"
    );
    let message = app.world().resource::<VoiceTake>().message.clone();
    assert!(
        message.as_deref().is_some_and(|m| m.contains("Line said")),
        "{message:?}"
    );
}

/// A key going down or up as the window reports it, then one update.
fn key_event(app: &mut App, key_code: KeyCode, state: bevy::input::ButtonState) {
    use bevy::input::keyboard::{Key, KeyboardInput, NativeKey};
    app.world_mut().write_message(KeyboardInput {
        key_code,
        logical_key: Key::Unidentified(NativeKey::Unidentified),
        state,
        text: None,
        repeat: false,
        window: Entity::PLACEHOLDER,
    });
    app.update();
}
