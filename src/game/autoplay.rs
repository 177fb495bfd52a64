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
use crate::game::live::session::{EndRun, SLOWEST_FRAME, TraineeBody};
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
#[allow(clippy::too_many_arguments)]
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
    if !flow.count(now, real.delta_secs()) {
        exit.write(AppExit::from_code(3));
        return;
    }
    let session = session.as_deref();
    let finished = match (flow.stage, now) {
        (Stage::Briefing, Screen::Select) => {
            // No scenario on the command line: play the first one that loads.
            if launch.scenario.is_none()
                && flow.frames % 30 == 5
                && let Some(e) = lib.playable().next()
            {
                start.write(StartScenario(e.path.clone()));
            }
            false
        }
        (Stage::Briefing, Screen::Briefing) if session.is_some() => {
            if flow.leave_briefing(&mut commands, launch.benchmark.is_some()) {
                next.set(Screen::Playing);
            }
            false
        }
        (Stage::Gameplay, Screen::Playing) => {
            flow.gameplay(&mut commands, session, &mut virt);
            false
        }
        (Stage::Gameplay | Stage::Debrief, Screen::Debrief) => {
            flow.debrief(&mut commands, &mut virt)
        }
        _ => false,
    };
    if finished {
        exit.write(AppExit::Success);
    }
}

/// Run the simulation at `speed` times real time, catching up frames of up to `slowest`
/// real time in full (the game's own [`SLOWEST_FRAME`] unless fast-forwarding).
fn pace(virt: &mut Time<Virtual>, speed: f32, slowest: Duration) {
    if virt.relative_speed() != speed {
        virt.set_relative_speed(speed);
    }
    if virt.max_delta() != slowest {
        virt.set_max_delta(slowest);
    }
}

impl Flow {
    /// Count the frame and its time on `now`; `false` (and an error) once a stage has taken
    /// too long with screenshots to take.
    fn count(&mut self, now: Screen, dt: f32) -> bool {
        if self.screen != Some(now) {
            self.screen = Some(now);
            self.secs = 0.0;
            self.frames = 0;
        } else {
            self.secs += dt;
            self.frames += 1;
        }
        self.stage_secs += dt;
        if self.dir.is_some() && self.stage != Stage::Done && self.stage_secs > STAGE_TIMEOUT_SECS {
            error!(
                "autoplay: gave up waiting in stage {:?} on screen {now:?}",
                self.stage
            );
            eprintln!("error: autoplay timed out waiting on the {now:?} screen");
            self.stage = Stage::Done;
            return false;
        }
        if self.frames > 0 && self.frames.is_multiple_of(25) {
            debug!(
                "autoplay: {now:?}: {} frames in {:.1} s ({:.2} fps)",
                self.frames,
                self.secs,
                self.frames as f32 / self.secs.max(0.001)
            );
        }
        true
    }

    /// The interface has laid out (and shaders compiled) since the screen appeared.
    fn settled(&self) -> bool {
        self.secs >= SETTLE_SECS && self.frames >= SETTLE_FRAMES
    }

    /// Take `name` now, or say whether the picture being taken has been written.
    fn shot(&mut self, commands: &mut Commands, name: &str) -> bool {
        let Some(dir) = &self.dir else { return true };
        if self.shooting {
            if self.saved.load(Ordering::SeqCst) {
                self.shooting = false;
                return true;
            }
        } else {
            shoot(commands, dir, name, &self.saved);
            self.shooting = true;
        }
        false
    }

    /// The briefing: pictured (screenshots), or shown a few seconds (a demo; a benchmark
    /// measures the run, so it moves on at once). `true` when the run should start.
    fn leave_briefing(&mut self, commands: &mut Commands, benchmark: bool) -> bool {
        let done = if self.dir.is_some() {
            (self.shooting || self.settled()) && self.shot(commands, "briefing.png")
        } else {
            self.secs >= if benchmark { 0.0 } else { DEMO_BRIEFING_SECS }
        };
        if done {
            self.stage = Stage::Gameplay;
            self.stage_secs = 0.0;
        }
        done
    }

    /// Whether the gameplay picture's moment has come: a few seconds in once the trainee
    /// has walked up and stopped (the subject fills more of the view), but not for ever.
    fn gameplay_moment(&self, session: Option<&Session>) -> bool {
        let sim_secs = session.map_or(0.0, |s| s.sim.time());
        let close_enough = session.is_some_and(|s| {
            s.sim.distance() < GAMEPLAY_DISTANCE && s.sim.closing_speed().abs() < 0.05
        });
        match self.gameplay_at {
            Some(at) => sim_secs >= at,
            None => {
                sim_secs >= GAMEPLAY_SIM_SECS
                    && (close_enough
                        || sim_secs >= GAMEPLAY_LATEST_SIM_SECS
                        || self.secs >= GAMEPLAY_LATEST_REAL_SECS)
            }
        }
    }

    /// The run: with screenshots, hurry to the moment, hold it still for the picture, then
    /// fast-forward to the debrief.
    fn gameplay(
        &mut self,
        commands: &mut Commands,
        session: Option<&Session>,
        virt: &mut Time<Virtual>,
    ) {
        if self.dir.is_none() {
            return;
        }
        let moment = self.gameplay_moment(session);
        let settled = self.secs >= GAMEPLAY_REAL_SECS && self.frames >= SETTLE_FRAMES * 2;
        if self.shooting || (moment && settled) {
            if !self.shooting {
                info!(
                    "autoplay: {} frames in {:.1} s of the run ({:.1} fps), {:.1} s simulated",
                    self.frames,
                    self.secs,
                    self.frames as f32 / self.secs.max(0.001),
                    session.map_or(0.0, |s| s.sim.time())
                );
            }
            if self.shot(commands, "gameplay.png") {
                self.stage = Stage::Debrief;
                self.stage_secs = 0.0;
                pace(virt, FAST_FORWARD, Duration::from_secs(2));
            }
            return;
        }
        // On a slow (software) renderer the walk up would take minutes of real time: run
        // the simulation faster until the moment comes, then hold it still until the
        // picture has settled (and while it is taken).
        let sim_secs = session.map_or(0.0, |s| s.sim.time());
        let speed = match self.gameplay_at {
            _ if moment => 0.0,
            Some(at) if sim_secs < at - 8.0 => 4.0 * APPROACH_SPEED,
            _ => APPROACH_SPEED,
        };
        pace(virt, speed, SLOWEST_FRAME);
    }

    /// The debrief: back to real time; with screenshots, its picture. `true` once the
    /// program is done.
    fn debrief(&mut self, commands: &mut Commands, virt: &mut Time<Virtual>) -> bool {
        pace(virt, 1.0, SLOWEST_FRAME);
        if self.dir.is_none() {
            self.stage = Stage::Done;
            return false;
        }
        // The run may have ended before the gameplay screenshot (a very short script).
        self.stage = Stage::Debrief;
        if (self.shooting || self.settled()) && self.shot(commands, "debrief.png") {
            self.stage = Stage::Done;
            if let Some(dir) = &self.dir {
                info!("autoplay: screenshots saved in {}", dir.display());
            }
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::ecs::system::RunSystemOnce;
    use bevy::time::{TimePlugin, TimeUpdateStrategy};

    /// An app whose every frame takes `frame` of real time, with `flow` to advance.
    fn slow_app(frame: Duration, flow: Flow) -> App {
        let mut app = App::new();
        app.add_plugins(TimePlugin)
            .insert_resource(TimeUpdateStrategy::ManualDuration(frame))
            .insert_resource(flow);
        app.update();
        app
    }

    fn virtual_delta(app: &mut App) -> Duration {
        app.update();
        app.world().resource::<Time<Virtual>>().delta()
    }

    #[test]
    fn after_a_fast_forward_the_debrief_catches_up_slow_frames_in_full() {
        let frame = Duration::from_millis(900);
        let mut app = slow_app(
            frame,
            Flow {
                stage: Stage::Debrief,
                ..flow(None)
            },
        );
        pace(
            &mut app.world_mut().resource_mut::<Time<Virtual>>(),
            FAST_FORWARD,
            Duration::from_secs(2),
        );
        app.world_mut()
            .run_system_once(
                |mut c: Commands, mut f: ResMut<Flow>, mut v: ResMut<Time<Virtual>>| {
                    f.debrief(&mut c, &mut v)
                },
            )
            .unwrap();
        // At about one frame a second the clock (and walking) still follows real time.
        assert_eq!(virtual_delta(&mut app), frame);
        assert_eq!(
            app.world().resource::<Time<Virtual>>().max_delta(),
            SLOWEST_FRAME
        );
    }

    #[test]
    fn the_approach_before_the_gameplay_picture_is_not_slowed_by_slow_frames() {
        let frame = Duration::from_millis(900);
        let mut app = slow_app(frame, flow(Some(std::env::temp_dir())));
        app.world_mut().resource_mut::<Flow>().stage = Stage::Gameplay;
        app.world_mut()
            .run_system_once(
                |mut c: Commands, mut f: ResMut<Flow>, mut v: ResMut<Time<Virtual>>| {
                    f.gameplay(&mut c, None, &mut v)
                },
            )
            .unwrap();
        let delta = virtual_delta(&mut app).as_secs_f32();
        assert!(
            (delta - 0.9 * APPROACH_SPEED).abs() < 1e-3,
            "{delta} s simulated in a 0.9 s frame"
        );
    }
}
