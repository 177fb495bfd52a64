//! Autoplay: drive a run from an input script instead of the keyboard (demos, render
//! tests), and optionally save screenshots of the briefing, the run and the debrief.
//!
//! With `Launch.autoplay` the script (`crate::sim::script::Script`) is parsed at start-up; its
//! `seed` and `trainee` lines apply unless given on the command line. Every fixed tick a
//! [`ScriptPlayer`] produces the trainee's state (written to [`TraineeBody`], exactly as
//! the headless `run` command computes it, so a game run and `deescalate run` of the same
//! script give the same events) and at most one action (sent as [`TraineeAct`]); the
//! player's body follows on screen.
//!
//! With `Launch.screenshots` the flow is automatic: the briefing opens (`briefing.png`),
//! the run starts (`gameplay.png` a few seconds in, subject in view), the rest of the run
//! is fast-forwarded to the debrief (`debrief.png`), then the program exits with success.
//! Without screenshots the briefing moves on by itself after a few seconds and the run
//! plays at normal speed. `DEESCALATE_GAMEPLAY_AT=SECONDS` takes the gameplay picture at that
//! simulated time instead (pictures of a particular moment for documentation).

use crate::game::assets::{Library, StartScenario};
use crate::game::humanoid::pose::yaw_rotation;
use crate::game::live::player::{Autopilot, Player};
use crate::game::live::session::{EndRun, TraineeBody};
use crate::game::state::{Launch, PlayState, Screen, Session, TickSet, TraineeAct};
use crate::sim::script::{Script, ScriptPlayer};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Seconds the briefing stays up in a demo (no screenshots) before the run starts.
const DEMO_BRIEFING_SECS: f32 = 6.0;
/// Screenshots: minimum real seconds and frames on a screen before it is captured (the
/// interface lays out and, on software renderers, shaders finish compiling).
const SETTLE_SECS: f32 = 2.5;
const SETTLE_FRAMES: u32 = 10;
/// Gameplay is captured this many simulated seconds into the run...
const GAMEPLAY_SIM_SECS: f32 = 4.0;
/// ...once the trainee has stopped this close to the subject (metres)...
const GAMEPLAY_DISTANCE: f32 = 11.0;
/// ...or this far into the run, whichever comes first...
const GAMEPLAY_LATEST_SIM_SECS: f32 = 30.0;
/// ...or after this many real seconds on a slow renderer...
const GAMEPLAY_LATEST_REAL_SECS: f32 = 60.0;
/// ...and no sooner than this many real seconds after the 3D view appeared.
const GAMEPLAY_REAL_SECS: f32 = 8.0;
/// Until the gameplay screenshot the run goes this many times faster (screenshots only).
const APPROACH_SPEED: f32 = 4.0;
/// After the gameplay screenshot the rest of the run goes this many times faster.
const FAST_FORWARD: f32 = 40.0;
/// Give up (exit with an error) if one stage takes longer than this (real seconds).
const STAGE_TIMEOUT_SECS: f32 = 200.0;

/// The script being played.
#[derive(Resource)]
pub struct Autoplay {
    /// Lives as long as the program (one script per launch), so players can borrow it.
    script: &'static Script,
    player: Option<ScriptPlayer<'static>>,
    end_sent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Briefing,
    Gameplay,
    Debrief,
    Done,
}

/// The screenshot (or demo) flow.
#[derive(Resource)]
struct Flow {
    dir: Option<PathBuf>,
    stage: Stage,
    /// Real seconds and frames on the current screen.
    secs: f32,
    frames: u32,
    screen: Option<Screen>,
    /// Set by the screenshot observer once the file is written.
    saved: Arc<AtomicBool>,
    shooting: bool,
    stage_secs: f32,
    /// `DEESCALATE_GAMEPLAY_AT=SECONDS`: take the gameplay picture at this simulated time
    /// instead (for documentation pictures of a particular moment).
    gameplay_at: Option<f32>,
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, setup)
        .add_systems(
            OnEnter(Screen::Playing),
            start_player.run_if(resource_exists::<Autoplay>),
        )
        .add_systems(
            FixedUpdate,
            drive
                .in_set(TickSet::Measure)
                .run_if(in_state(PlayState::Running).and_then(resource_exists::<Autoplay>)),
        )
        .add_systems(
            Update,
            (
                follow.run_if(in_state(Screen::Playing).and_then(resource_exists::<Autoplay>)),
                advance.run_if(resource_exists::<Flow>),
            ),
        );
}

fn setup(mut commands: Commands, mut launch: ResMut<Launch>, mut exit: MessageWriter<AppExit>) {
    let Some(path) = launch.autoplay.clone() else {
        if launch.screenshots.is_some() {
            commands.insert_resource(flow(launch.screenshots.clone()));
        }
        return;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            let msg = format!("{}: cannot read the autoplay script: {e}", path.display());
            error!("{msg}");
            eprintln!("error: {msg}");
            exit.write(AppExit::from_code(2));
            return;
        }
    };
    let script = match Script::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("{}:{}:{}: {}", path.display(), e.line, e.col, e.message);
            error!("{msg}");
            eprintln!("error: {msg}");
            exit.write(AppExit::from_code(2));
            return;
        }
    };
    // Same defaults as `deescalate run`: the script's seed (else 1) and trainee.
    if launch.seed.is_none() {
        launch.seed = Some(script.seed.unwrap_or(1));
    }
    if launch.trainee.is_none() {
        launch.trainee = script.trainee.clone();
    }
    if launch.temperament.is_none() {
        launch.temperament = script.temperament.clone();
    }
    let script: &'static Script = Box::leak(Box::new(script));
    commands.insert_resource(Autoplay {
        script,
        player: None,
        end_sent: false,
    });
    commands.insert_resource(Autopilot);
    commands.insert_resource(flow(launch.screenshots.clone()));
}

fn flow(dir: Option<PathBuf>) -> Flow {
    if let Some(d) = &dir
        && let Err(e) = std::fs::create_dir_all(d)
    {
        error!("cannot create the screenshot folder {}: {e}", d.display());
    }
    Flow {
        dir,
        stage: Stage::Briefing,
        secs: 0.0,
        frames: 0,
        screen: None,
        saved: Arc::new(AtomicBool::new(false)),
        shooting: false,
        stage_secs: 0.0,
        gameplay_at: std::env::var("DEESCALATE_GAMEPLAY_AT")
            .ok()
            .and_then(|v| v.trim().parse::<f32>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0),
    }
}

fn start_player(mut auto: ResMut<Autoplay>, session: Option<Res<Session>>) {
    let Some(session) = session else { return };
    let scenario = std::sync::Arc::clone(session.sim.scenario());
    // The player only reads the scenario while being built (spawn, subject, cover props).
    auto.player = Some(ScriptPlayer::new(auto.script, &scenario));
    auto.end_sent = false;
}

/// One tick of the script: the trainee's state and, maybe, an action.
fn drive(
    mut auto: ResMut<Autoplay>,
    mut session: ResMut<Session>,
    mut body: ResMut<TraineeBody>,
    mut acts: MessageWriter<TraineeAct>,
    mut end: MessageWriter<EndRun>,
) {
    if session.debrief.is_some() || session.sim.is_finished() || session.sim.out_of_time() {
        return;
    }
    let tick = session.sim.tick();
    let auto = &mut *auto;
    let Some(player) = auto.player.as_mut() else {
        return;
    };
    if player.ended(tick) {
        if !auto.end_sent {
            auto.end_sent = true;
            end.write(EndRun);
        }
        return;
    }
    let (input, _) = player.input(tick);
    let t = input.trainee;
    *body = TraineeBody {
        x: t.x,
        z: t.z,
        vx: t.vx,
        vz: t.vz,
        facing: t.facing,
        in_cover: t.in_cover,
    };
    session.hands = t.hands;
    if let Some(a) = input.action {
        acts.write(TraineeAct(a));
    }
}

/// The trainee's body on screen follows the script.
fn follow(body: Res<TraineeBody>, time: Res<Time>, mut q: Query<(&mut Transform, &mut Player)>) {
    for (mut tf, mut p) in &mut q {
        let target = Vec3::new(body.x, tf.translation.y, body.z);
        let k = 1.0 - (-12.0 * time.delta_secs()).exp();
        if tf.translation.distance(target) > 3.0 {
            tf.translation = target;
        } else {
            tf.translation = tf.translation.lerp(target, k);
        }
        tf.rotation = tf.rotation.slerp(yaw_rotation(body.facing), k);
        let speed = Vec2::new(body.vx, body.vz).length();
        p.running = speed > 2.5;
        p.velocity = Vec2::new(body.vx, body.vz);
    }
}

/// Save a screenshot of the window as `dir/name`; `saved` is set once the file is written.
pub(crate) fn shoot(
    commands: &mut Commands,
    dir: &std::path::Path,
    name: &str,
    saved: &Arc<AtomicBool>,
) {
    let path = dir.join(name);
    info!("taking screenshot {}", path.display());
    saved.store(false, Ordering::SeqCst);
    let flag = Arc::clone(saved);
    let mut save = save_to_disk(path);
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>| {
            save(captured);
            flag.store(true, Ordering::SeqCst);
        },
    );
}

/// Moves the screens along (and takes the screenshots).
fn advance(
    mut commands: Commands,
    mut flow: ResMut<Flow>,
    real: Res<Time<Real>>,
    mut virt: ResMut<Time<Virtual>>,
    screen: Res<State<Screen>>,
    session: Option<Res<Session>>,
    launch: Res<Launch>,
    lib: Res<Library>,
    mut start: MessageWriter<StartScenario>,
    mut next: ResMut<NextState<Screen>>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = *screen.get();
    let dt = real.delta_secs();
    if flow.screen != Some(now) {
        flow.screen = Some(now);
        flow.secs = 0.0;
        flow.frames = 0;
    } else {
        flow.secs += dt;
        flow.frames += 1;
    }
    flow.stage_secs += dt;
    let shots = flow.dir.clone();
    if shots.is_some() && flow.stage != Stage::Done && flow.stage_secs > STAGE_TIMEOUT_SECS {
        error!(
            "autoplay: gave up waiting in stage {:?} on screen {now:?}",
            flow.stage
        );
        eprintln!("error: autoplay timed out waiting on the {now:?} screen");
        flow.stage = Stage::Done;
        exit.write(AppExit::from_code(3));
        return;
    }
    if flow.frames > 0 && flow.frames.is_multiple_of(25) {
        debug!(
            "autoplay: {now:?}: {} frames in {:.1} s ({:.2} fps)",
            flow.frames,
            flow.secs,
            flow.frames as f32 / flow.secs.max(0.001)
        );
    }
    let settled = flow.secs >= SETTLE_SECS && flow.frames >= SETTLE_FRAMES;
    match (flow.stage, now) {
        (Stage::Briefing, Screen::Select) => {
            // No scenario on the command line: play the first one that loads.
            if launch.scenario.is_none()
                && flow.frames % 30 == 5
                && let Some(e) = lib.playable().next()
            {
                start.write(StartScenario(e.path.clone()));
            }
        }
        (Stage::Briefing, Screen::Briefing) => match &shots {
            Some(dir) => {
                if flow.shooting {
                    if flow.saved.load(Ordering::SeqCst) {
                        flow.shooting = false;
                        flow.stage = Stage::Gameplay;
                        flow.stage_secs = 0.0;
                        next.set(Screen::Playing);
                    }
                } else if settled && session.is_some() {
                    let saved = Arc::clone(&flow.saved);
                    shoot(&mut commands, dir, "briefing.png", &saved);
                    flow.shooting = true;
                }
            }
            None => {
                // A benchmark measures the run, not the briefing: move on at once.
                let wait = if launch.benchmark.is_some() {
                    0.0
                } else {
                    DEMO_BRIEFING_SECS
                };
                if flow.secs >= wait && session.is_some() {
                    flow.stage = Stage::Gameplay;
                    next.set(Screen::Playing);
                }
            }
        },
        (Stage::Gameplay, Screen::Playing) => {
            let Some(dir) = &shots else { return };
            let sim_secs = session.as_ref().map_or(0.0, |s| s.sim.time());
            // Wait until the trainee has walked up and stopped (the subject fills more of the
            // view), but not for ever.
            let close_enough = session.as_ref().is_some_and(|s| {
                s.sim.distance() < GAMEPLAY_DISTANCE && s.sim.closing_speed().abs() < 0.05
            });
            let moment = match flow.gameplay_at {
                Some(at) => sim_secs >= at,
                None => {
                    sim_secs >= GAMEPLAY_SIM_SECS
                        && (close_enough
                            || sim_secs >= GAMEPLAY_LATEST_SIM_SECS
                            || flow.secs >= GAMEPLAY_LATEST_REAL_SECS)
                }
            };
            let settled = flow.secs >= GAMEPLAY_REAL_SECS && flow.frames >= SETTLE_FRAMES * 2;
            if flow.shooting {
                if flow.saved.load(Ordering::SeqCst) {
                    flow.shooting = false;
                    flow.stage = Stage::Debrief;
                    flow.stage_secs = 0.0;
                    virt.set_max_delta(Duration::from_secs(2));
                    virt.set_relative_speed(FAST_FORWARD);
                }
            } else if moment && settled {
                info!(
                    "autoplay: {} frames in {:.1} s of the run ({:.1} fps), {:.1} s simulated",
                    flow.frames,
                    flow.secs,
                    flow.frames as f32 / flow.secs.max(0.001),
                    sim_secs
                );
                let saved = Arc::clone(&flow.saved);
                shoot(&mut commands, dir, "gameplay.png", &saved);
                flow.shooting = true;
            } else {
                // On a slow (software) renderer the walk up would take minutes of real time:
                // run the simulation faster until the moment comes, then hold it still until
                // the picture has settled (and while it is taken).
                let speed = match flow.gameplay_at {
                    _ if moment => 0.0,
                    Some(at) if sim_secs < at - 8.0 => 4.0 * APPROACH_SPEED,
                    _ => APPROACH_SPEED,
                };
                if virt.relative_speed() != speed {
                    virt.set_max_delta(Duration::from_millis(250));
                    virt.set_relative_speed(speed);
                }
            }
        }
        (Stage::Gameplay | Stage::Debrief, Screen::Debrief) => {
            virt.set_relative_speed(1.0);
            virt.set_max_delta(Duration::from_millis(250));
            let Some(dir) = &shots else {
                flow.stage = Stage::Done;
                return;
            };
            if flow.stage == Stage::Gameplay {
                // The run ended before the gameplay screenshot (a very short script).
                flow.stage = Stage::Debrief;
            }
            if flow.shooting {
                if flow.saved.load(Ordering::SeqCst) {
                    flow.shooting = false;
                    flow.stage = Stage::Done;
                    info!("autoplay: screenshots saved in {}", dir.display());
                    exit.write(AppExit::Success);
                }
            } else if settled {
                let saved = Arc::clone(&flow.saved);
                shoot(&mut commands, dir, "debrief.png", &saved);
                flow.shooting = true;
            }
        }
        _ => {}
    }
}
