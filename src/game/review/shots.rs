//! `deescalate replay RECORD --screenshots DIR`: pictures of the viewer from each camera
//! at two moments of the run, then quit.

use super::{ReplayCamera, ReplayError, ReplayView};
use crate::game::state::Launch;
use crate::records::replay::MarkKind;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Default)]
pub(super) struct Shots {
    /// Index of the shot being prepared / taken.
    next: usize,
    /// Real seconds and frames since the shot was set up.
    secs: f32,
    frames: u32,
    taking: Option<Arc<AtomicBool>>,
}

/// Seconds and frames to let a set-up settle before the picture (slow software renderers).
const SHOT_SETTLE_SECS: f32 = 2.5;
const SHOT_SETTLE_FRAMES: u32 = 12;

pub(super) fn screenshots(
    mut commands: Commands,
    launch: Res<Launch>,
    view: Option<ResMut<ReplayView>>,
    error: Res<ReplayError>,
    real: Res<Time<Real>>,
    mut st: Local<Shots>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(dir) = &launch.replay_screenshots else {
        return;
    };
    if view.is_none() && error.0.is_some() {
        error!("replay screenshots: {}", error.0.as_deref().unwrap_or(""));
        exit.write(AppExit::from_code(2));
        return;
    }
    let Some(mut view) = view else { return };
    // The moment to show: the first instructor flag, else the first key moment, else a third in.
    // Two moments: the first instructor flag (else a third of the way in), and the last
    // flag (else two thirds of the way in).
    let dur = view.duration();
    let flags = || {
        view.replay
            .marks
            .iter()
            .filter(|m| m.kind == MarkKind::InstructorFlag)
    };
    let first = flags().next().map_or(dur / 3.0, |m| m.t);
    let last = flags()
        .next_back()
        .map(|m| m.t)
        .filter(|t| *t > first)
        .unwrap_or(dur * 2.0 / 3.0);
    // (camera, file, later moment?, panels shown?)
    const PLAN: [(ReplayCamera, &str, bool, bool); 4] = [
        (ReplayCamera::BirdsEye, "replay-birdseye.png", false, true),
        (ReplayCamera::Trainee, "replay-trainee.png", true, true),
        (ReplayCamera::Subject, "replay-subject.png", true, true),
        (ReplayCamera::BirdsEye, "replay-clear.png", true, false),
    ];
    if let Some(flag) = &st.taking {
        if flag.load(Ordering::SeqCst) {
            st.taking = None;
            st.next += 1;
            st.secs = 0.0;
            st.frames = 0;
        }
        return;
    }
    let Some((cam, name, later, panels)) = PLAN.get(st.next).copied() else {
        info!("replay screenshots saved in {}", dir.display());
        exit.write(AppExit::Success);
        return;
    };
    if st.frames == 0 {
        if let Err(e) = std::fs::create_dir_all(dir) {
            error!("cannot create {}: {e}", dir.display());
            exit.write(AppExit::from_code(2));
            return;
        }
        view.playing = false;
        view.camera = cam;
        view.panels = panels;
        view.seek(if later { last } else { first });
    }
    st.secs += real.delta_secs();
    st.frames += 1;
    if st.secs < SHOT_SETTLE_SECS || st.frames < SHOT_SETTLE_FRAMES {
        return;
    }
    let path = dir.join(name);
    info!("taking screenshot {}", path.display());
    let flag = Arc::new(AtomicBool::new(false));
    let done = Arc::clone(&flag);
    let mut save = save_to_disk(path);
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>| {
            save(captured);
            done.store(true, Ordering::SeqCst);
        },
    );
    st.taking = Some(flag);
}
