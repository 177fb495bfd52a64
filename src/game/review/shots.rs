//! `deescalate replay RECORD --screenshots DIR`: pictures of the viewer from each camera
//! at two moments of the run, then quit.

use super::{ReplayCamera, ReplayError, ReplayView};
use crate::game::state::Launch;
use crate::records::replay::MarkKind;
use bevy::prelude::*;
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

/// (camera, file, later moment?, panels shown?) of each picture, in order.
const PLAN: [(ReplayCamera, &str, bool, bool); 4] = [
    (ReplayCamera::BirdsEye, "replay-birdseye.png", false, true),
    (ReplayCamera::Trainee, "replay-trainee.png", true, true),
    (ReplayCamera::Subject, "replay-subject.png", true, true),
    (ReplayCamera::BirdsEye, "replay-clear.png", true, false),
];

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
    if let Some(flag) = &st.taking {
        if flag.load(Ordering::SeqCst) {
            *st = Shots {
                next: st.next + 1,
                ..default()
            };
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
        let (first, last) = moments(&view);
        view.playing = false;
        view.camera = cam;
        view.panels = panels;
        view.seek(if later { last } else { first });
    }
    st.secs += real.delta_secs();
    st.frames += 1;
    if st.secs >= SHOT_SETTLE_SECS && st.frames >= SHOT_SETTLE_FRAMES {
        let flag = Arc::new(AtomicBool::new(false));
        crate::game::autoplay::shoot(&mut commands, dir, name, &flag);
        st.taking = Some(flag);
    }
}

/// The two moments to show: the first instructor flag (else a third of the way in), and
/// the last flag (else two thirds of the way in).
fn moments(view: &ReplayView) -> (f32, f32) {
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
    (first, last)
}
