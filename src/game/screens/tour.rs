//! The screen tour for the render test: with `DEESCALATE_SCREEN_TOUR=DIR` the trainer visits
//! every screen at the smallest and the largest text scale the settings offer and saves a
//! screenshot of each into DIR (`select-80.png` … `replay-160.png`), then quits.
//!
//! It expects a records folder holding one interrupted run per text scale (the recovery
//! panel, then that run's debrief and replay) and drives the screens as a trainee would:
//! recovery panel, scenario list, settings, an error overlay, briefing, the pause menu over a
//! run, the recovered run's debrief, its replay, and Esc back to that debrief.

use bevy::ecs::system::RunSystemOnce;
use bevy::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::game::assets::{Library, ScenarioErrors, StartScenario};
use crate::game::recovery::{InterruptedRuns, RecoveryRequest};
use crate::game::review::{FromDebrief, ReplayView, back_screen};
use crate::game::screens::settings::SettingsPanel;
use crate::game::settings::{Settings, TEXT_SCALE_RANGE};
use crate::game::{PlayState, Screen, Session};

/// The environment variable naming the screenshot folder.
pub const TOUR_ENV: &str = "DEESCALATE_SCREEN_TOUR";
/// Real seconds and frames a screen shows before it is captured (a 3D screen: longer, the
/// software renderer compiles its shaders on the first frames).
const SETTLE_SECS: f32 = 1.5;
const SETTLE_FRAMES: u32 = 4;
const SETTLE_3D_SECS: f32 = 5.0;
const SETTLE_3D_FRAMES: u32 = 6;
/// Give up (exit 3) when a step waits longer than this.
const STEP_TIMEOUT_SECS: f32 = 150.0;

/// One stop of the tour: what to do on arrival, when the screen is ready, what to save.
struct Step {
    /// The screenshot's name (`NAME-<percent>.png`); empty: no picture.
    shot: &'static str,
    act: fn(&mut World),
    ready: fn(&World) -> bool,
    three_d: bool,
}

const STEPS: &[Step] = &[
    Step {
        shot: "recovery",
        act: |w| w.resource_mut::<InterruptedRuns>().dismissed = false,
        ready: |w| on(w, Screen::Select) && w.resource::<InterruptedRuns>().showing(),
        three_d: false,
    },
    Step {
        shot: "select",
        act: |w| w.resource_mut::<InterruptedRuns>().dismissed = true,
        ready: |w| on(w, Screen::Select) && w.resource::<Library>().playable().count() > 0,
        three_d: false,
    },
    Step {
        shot: "settings",
        act: |w| w.resource_mut::<SettingsPanel>().open(),
        ready: |w| w.resource::<SettingsPanel>().open,
        three_d: false,
    },
    Step {
        shot: "overlay",
        act: |w| {
            w.resource_mut::<SettingsPanel>().open = false;
            w.resource_mut::<ScenarioErrors>().0 = Some(broken_report());
        },
        ready: |w| w.resource::<ScenarioErrors>().0.is_some(),
        three_d: false,
    },
    Step {
        shot: "briefing",
        act: |w| {
            w.resource_mut::<ScenarioErrors>().0 = None;
            let first = w
                .resource::<Library>()
                .playable()
                .next()
                .map(|e| e.path.clone());
            if let Some(path) = first {
                w.write_message(StartScenario(path));
            }
        },
        ready: |w| on(w, Screen::Briefing) && w.contains_resource::<Session>(),
        three_d: false,
    },
    Step {
        shot: "",
        act: |w| w.resource_mut::<NextState<Screen>>().set(Screen::Playing),
        ready: |w| on(w, Screen::Playing),
        three_d: true,
    },
    Step {
        shot: "pause",
        act: |w| {
            w.resource_mut::<NextState<PlayState>>()
                .set(PlayState::Paused)
        },
        ready: |w| {
            w.get_resource::<State<PlayState>>()
                .is_some_and(|s| *s.get() == PlayState::Paused)
        },
        three_d: false,
    },
    Step {
        shot: "",
        act: |w| w.resource_mut::<NextState<Screen>>().set(Screen::Select),
        ready: |w| on(w, Screen::Select),
        three_d: false,
    },
    Step {
        shot: "debrief",
        act: |w| {
            let run = w
                .resource::<InterruptedRuns>()
                .runs
                .first()
                .map(|r| r.path.clone());
            if let Some(path) = run {
                w.write_message(RecoveryRequest::Debrief(path));
            }
        },
        ready: |w| on(w, Screen::Debrief) && w.contains_resource::<Session>(),
        three_d: false,
    },
    Step {
        shot: "replay",
        act: |w| {
            let record = w.resource::<Session>().record_path.clone();
            if let Some(record) = record {
                w.run_system_once(move |mut c: Commands| {
                    FromDebrief::open_replay(&mut c, record.clone())
                })
                .ok();
                w.resource_mut::<NextState<Screen>>().set(Screen::Replay);
            }
        },
        ready: |w| on(w, Screen::Replay) && w.contains_resource::<ReplayView>(),
        three_d: true,
    },
    Step {
        shot: "debrief-again",
        // What Esc does in the viewer.
        act: |w| {
            let back = back_screen(w.contains_resource::<FromDebrief>());
            w.resource_mut::<NextState<Screen>>().set(back);
        },
        ready: |w| on(w, Screen::Debrief) && w.contains_resource::<Session>(),
        three_d: false,
    },
    Step {
        shot: "",
        act: |w| w.resource_mut::<NextState<Screen>>().set(Screen::Select),
        ready: |w| on(w, Screen::Select),
        three_d: false,
    },
];

fn on(w: &World, s: Screen) -> bool {
    *w.resource::<State<Screen>>().get() == s
}

/// A long error report, as the overlay shows for a broken scenario file.
fn broken_report() -> String {
    let src = "(\n    id: \"broken\",\n    title: 42,\n)\n";
    let report = crate::check::check_source("scenarios/broken_example.ron", src);
    let text = report.render(false);
    format!("{text}{text}")
}

/// Where the tour is.
#[derive(Resource)]
struct Tour {
    dir: PathBuf,
    /// Index into the tour's stops (see [`stop`]).
    stop: usize,
    started: bool,
    /// Real seconds and frames since the step's screen was ready.
    secs: f32,
    frames: u32,
    waited: f32,
    saved: Arc<AtomicBool>,
    shooting: bool,
}

/// The text scales visited: the smallest and the largest the settings offer.
const SCALES: [f32; 2] = [TEXT_SCALE_RANGE.0, TEXT_SCALE_RANGE.1];

/// The tour's `n`th stop: every step at the first text scale, then at the next; none
/// after the last.
fn stop(n: usize) -> Option<(f32, &'static Step)> {
    let scale = SCALES.get(n / STEPS.len())?;
    Some((*scale, &STEPS[n % STEPS.len()]))
}

fn setup(mut commands: Commands) {
    let Some(dir) = std::env::var_os(TOUR_ENV).filter(|d| !d.is_empty()) else {
        return;
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        error!("cannot create the tour folder {}: {e}", dir.display());
    }
    commands.insert_resource(Tour {
        dir,
        stop: 0,
        started: false,
        secs: 0.0,
        frames: 0,
        waited: 0.0,
        saved: Arc::new(AtomicBool::new(false)),
        shooting: false,
    });
}

/// One frame of the tour.
fn advance(world: &mut World) {
    let dt = world.resource::<Time<Real>>().delta_secs();
    let Some(mut tour) = world.remove_resource::<Tour>() else {
        return;
    };
    let done = tick(world, &mut tour, dt);
    if !done {
        world.insert_resource(tour);
    }
}

/// Returns true when the tour is over (the app is told to exit).
fn tick(world: &mut World, tour: &mut Tour, dt: f32) -> bool {
    let Some((scale, step)) = stop(tour.stop) else {
        return true;
    };
    if !tour.started {
        arrive(world, tour, scale, step);
        return false;
    }
    tour.waited += dt;
    if tour.waited > STEP_TIMEOUT_SECS {
        let what = if step.shot.is_empty() {
            "a step"
        } else {
            step.shot
        };
        let at = tour.stop % STEPS.len();
        error!("screen tour: gave up waiting for {what} at step {at}");
        world.write_message(AppExit::from_code(3));
        return true;
    }
    if !(step.ready)(world) {
        tour.secs = 0.0;
        tour.frames = 0;
        return false;
    }
    tour.secs += dt;
    tour.frames += 1;
    if !settled(tour, step) || !shot(world, tour, scale, step) {
        return false;
    }
    tour.started = false;
    tour.stop += 1;
    if stop(tour.stop).is_none() {
        info!("screen tour: screenshots saved in {}", tour.dir.display());
        world.write_message(AppExit::Success);
        return true;
    }
    false
}

/// Arriving at a stop: the text scale, then the step's action.
fn arrive(world: &mut World, tour: &mut Tour, scale: f32, step: &Step) {
    tour.started = true;
    tour.secs = 0.0;
    tour.frames = 0;
    tour.waited = 0.0;
    if (world.resource::<Settings>().text_scale - scale).abs() > 1e-3 {
        world.resource_mut::<Settings>().text_scale = scale;
    }
    (step.act)(world);
}

/// The ready screen has shown long enough to be captured (or needs no settling).
fn settled(tour: &Tour, step: &Step) -> bool {
    let (secs, frames) = if step.three_d {
        (SETTLE_3D_SECS, SETTLE_3D_FRAMES)
    } else {
        (SETTLE_SECS, SETTLE_FRAMES)
    };
    let settling = !step.shot.is_empty() || step.three_d;
    !settling || (tour.secs >= secs && tour.frames >= frames)
}

/// The stop's screenshot is saved (or it has none); asks for it the first time.
fn shot(world: &mut World, tour: &mut Tour, scale: f32, step: &Step) -> bool {
    if step.shot.is_empty() {
        return true;
    }
    if !tour.shooting {
        let pct = (scale * 100.0).round() as u32;
        let name = format!("{}-{pct}.png", step.shot);
        let mut commands = world.commands();
        crate::game::autoplay::shoot(&mut commands, &tour.dir, &name, &tour.saved);
        world.flush();
        tour.shooting = true;
        return false;
    }
    if !tour.saved.load(Ordering::SeqCst) {
        return false;
    }
    tour.shooting = false;
    true
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, setup)
        .add_systems(Update, advance.run_if(resource_exists::<Tour>));
}
