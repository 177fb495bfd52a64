//! The after-action review viewer (`Screen::Replay`): a session record re-simulated
//! into one frame per tick ([`crate::records::replay::Replay`]) and played back in 3D.
//!
//! The place is the same scene the live run builds, in review lighting (even daylight, no
//! weather; ceilings hidden from above); the subject and partner are the same humanoids with the same body
//! language, moved from each recorded frame; the trainee is a uniformed figure with a
//! marker and facing wedge on the ground; around the subject the rings the scoring uses:
//! personal space (orange), reactionary gap (red) and the ideal band (green).
//! A line joins trainee and subject, coloured by the zone the trainee is in.
//!
//! At the bottom, the timeline: every utterance as a tick in its tone's colour, key
//! moments as yellow dots, instructor flags as blue flags (other instructor actions as
//! blue squares), triggers in purple, the ending in white; under it the agitation
//! (amber) and distance (white, ideal band shaded) curves. Click or drag on it to seek.
//!
//! Keys: Space play / pause · ← → 1 s (Shift: 10 s) · Home / End · [ ] previous / next
//! mark · F next instructor flag (Shift+F previous) · − / + speed (0.5×, 1×, 2×, 4×) ·
//! 1 bird's-eye, 2 trainee's eyes, 3 subject's eyes · Esc back to the debrief it was opened
//! from (its session is parked in [`FromDebrief`] meanwhile), else to the scenario list.
//!
//! Open it with `deescalate replay RECORD` (`Launch.replay`), or from anywhere by
//! inserting [`OpenReplay`] and switching to `Screen::Replay`.
//!
//! [`plugin`] is the logic (loading, the playhead, the keys) and runs headless;
//! [`view_plugin`] draws it: `stage` (the place), `figures` (people, cameras, guides),
//! `panels` (numbers and timeline), `shots` (screenshots).

mod figures;
mod panels;
mod shots;
mod stage;

use crate::format::scenario::Scenario;
use crate::game::assets::{RunScenario, ScenarioRoots};
use crate::game::state::{AnimateSet, Launch, Screen, Session};
use crate::records::record::Record;
use crate::records::replay::{Frame, Mark, MarkKind, Replay};
use bevy::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Open this session record in the viewer: insert it, then switch to `Screen::Replay`.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct OpenReplay(pub PathBuf);

/// The session of the debrief the viewer was opened from, parked while the replay plays
/// (the debrief puts it back when Esc returns there).
#[derive(Resource)]
pub struct FromDebrief(pub Session);

impl FromDebrief {
    /// Park the current session (if any) and open `record` in the viewer.
    pub fn open_replay(commands: &mut Commands, record: PathBuf) {
        commands.insert_resource(OpenReplay(record));
        commands.queue(|world: &mut World| {
            if let Some(s) = world.remove_resource::<Session>() {
                world.insert_resource(FromDebrief(s));
            }
        });
    }

    /// Back on the debrief: the parked session is the current one again.
    pub fn restore(world: &mut World) {
        if let Some(FromDebrief(s)) = world.remove_resource::<FromDebrief>() {
            world.insert_resource(s);
        }
    }
}

/// Where Esc leaves the viewer for.
pub fn back_screen(from_debrief: bool) -> Screen {
    if from_debrief {
        Screen::Debrief
    } else {
        Screen::Select
    }
}

/// Playback speeds (− / + step through them).
pub const SPEEDS: [f32; 4] = [0.5, 1.0, 2.0, 4.0];
/// A scrub step, and a long one (Shift), in seconds.
pub const STEP: f32 = 1.0;
pub const LONG_STEP: f32 = 10.0;

/// The three views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplayCamera {
    #[default]
    BirdsEye,
    Trainee,
    Subject,
}

impl ReplayCamera {
    pub fn label(self) -> &'static str {
        match self {
            ReplayCamera::BirdsEye => "1: bird's-eye",
            ReplayCamera::Trainee => "2: trainee's eyes",
            ReplayCamera::Subject => "3: subject's eyes",
        }
    }
}

/// The record being reviewed and the playhead.
#[derive(Resource, Debug)]
pub struct ReplayView {
    pub replay: Replay,
    pub scenario: Arc<Scenario>,
    pub record_path: PathBuf,
    pub trainee: String,
    /// The playhead, seconds.
    pub t: f32,
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    pub camera: ReplayCamera,
    /// A warning to show (the scenario file changed since the record was made).
    pub notice: Option<String>,
    /// The playhead jumped (seek, mark): the figures and camera snap instead of easing.
    pub jumped: bool,
    /// The title and numbers panels are shown (P hides them for a clear view).
    pub panels: bool,
}

/// Why the record could not be opened (shown instead of the viewer).
#[derive(Resource, Debug, Default, Clone, PartialEq)]
pub struct ReplayError(pub Option<String>);

impl ReplayView {
    /// Load `path`, find its scenario by id and content hash in the scenario folders
    /// ([`RunScenario::find`]; the path stored in the record is never opened) and
    /// re-simulate it.
    pub fn open(path: &Path, roots: Option<&ScenarioRoots>) -> Result<ReplayView, String> {
        let record = Record::load(path).map_err(|e| e.to_string())?;
        let found = RunScenario::find(roots, &record.scenario_id, &record.scenario_hash)?;
        let notice = found.notice();
        let scenario = found.scenario;
        let replay = Replay::build(&record, Arc::clone(&scenario)).map_err(|e| {
            format!(
                "{} does not replay on {}: {e}",
                path.display(),
                found.path.display()
            )
        })?;
        if replay.frames.is_empty() {
            return Err(format!("{}: the record holds no ticks", path.display()));
        }
        Ok(ReplayView {
            replay,
            scenario,
            record_path: path.to_path_buf(),
            trainee: record.trainee,
            t: 0.0,
            playing: false,
            speed: 1,
            camera: ReplayCamera::BirdsEye,
            notice,
            jumped: true,
            panels: true,
        })
    }

    pub fn duration(&self) -> f32 {
        self.replay.duration()
    }

    pub fn frame(&self) -> Option<&Frame> {
        self.replay.frame_at(self.t)
    }

    pub fn speed(&self) -> f32 {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }

    /// Move the playhead to `t` (clamped to the run).
    pub fn seek(&mut self, t: f32) {
        let t = if t.is_finite() { t } else { 0.0 };
        self.t = t.clamp(0.0, self.duration());
        self.jumped = true;
    }

    /// Play on by `dt` real seconds; stops at the end.
    pub fn advance(&mut self, dt: f32) {
        if !self.playing {
            return;
        }
        self.t += dt * self.speed();
        if self.t >= self.duration() {
            self.t = self.duration();
            self.playing = false;
        }
    }

    pub fn toggle_play(&mut self) {
        if !self.playing && self.t >= self.duration() - 1e-3 {
            self.seek(0.0);
        }
        self.playing = !self.playing;
    }

    /// Jump to the next (or previous) mark, of one kind or any. Returns the mark.
    pub fn jump(&mut self, kind: Option<MarkKind>, forward: bool) -> Option<Mark> {
        let m = if forward {
            self.replay.next_mark(self.t, kind)
        } else {
            self.replay.prev_mark(self.t, kind)
        }
        .cloned()?;
        self.seek(m.t);
        Some(m)
    }

    /// The most recent mark at or before the playhead, within `window` seconds.
    pub fn recent_mark(&self, window: f32) -> Option<&Mark> {
        self.replay
            .marks
            .iter()
            .rev()
            .find(|m| m.t <= self.t + 1e-3 && self.t - m.t <= window)
    }
}

/// Loading, the playhead and the keys (no drawing).
pub fn plugin(app: &mut App) {
    app.init_resource::<ReplayError>()
        .add_systems(Startup, launch_replay)
        .add_systems(OnEnter(Screen::Replay), open)
        .add_systems(OnExit(Screen::Replay), close)
        .add_systems(OnEnter(Screen::Debrief), FromDebrief::restore)
        .add_systems(OnEnter(Screen::Select), |mut c: Commands| {
            c.remove_resource::<FromDebrief>()
        })
        .add_systems(
            Update,
            (controls, advance).chain().run_if(in_state(Screen::Replay)),
        );
}

fn launch_replay(mut commands: Commands, launch: Res<Launch>, mut next: ResMut<NextState<Screen>>) {
    if let Some(path) = &launch.replay {
        commands.insert_resource(OpenReplay(path.clone()));
        next.set(Screen::Replay);
    }
}

/// Open the requested record (on entering the screen).
pub fn open(
    mut commands: Commands,
    request: Option<Res<OpenReplay>>,
    roots: Option<Res<ScenarioRoots>>,
    mut error: ResMut<ReplayError>,
) {
    commands.remove_resource::<ReplayView>();
    let Some(request) = request else {
        error.0 = Some("No session record was chosen to replay.".into());
        return;
    };
    commands.remove_resource::<OpenReplay>();
    match ReplayView::open(&request.0, roots.as_deref()) {
        Ok(view) => {
            info!(
                "replaying {} ({} ticks, {} marks)",
                request.0.display(),
                view.replay.frames.len(),
                view.replay.marks.len()
            );
            error.0 = None;
            commands.insert_resource(view);
        }
        Err(e) => {
            warn!("cannot replay: {e}");
            error.0 = Some(e);
        }
    }
}

fn close(mut commands: Commands, mut error: ResMut<ReplayError>) {
    commands.remove_resource::<ReplayView>();
    error.0 = None;
}

fn controls(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    view: Option<ResMut<ReplayView>>,
    from_debrief: Option<Res<FromDebrief>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(keys) = keys else { return };
    if keys.just_pressed(KeyCode::Escape) {
        next.set(back_screen(from_debrief.is_some()));
        return;
    }
    let Some(mut view) = view else { return };
    let p = |k: KeyCode| keys.just_pressed(k);
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    seek_keys(&mut view, p, shift);
    if p(KeyCode::KeyP) {
        view.panels = !view.panels;
    }
    if p(KeyCode::Minus) || p(KeyCode::NumpadSubtract) {
        view.speed = view.speed.saturating_sub(1);
    }
    if p(KeyCode::Equal) || p(KeyCode::NumpadAdd) {
        view.speed = (view.speed + 1).min(SPEEDS.len() - 1);
    }
    for (k, cam) in [
        (KeyCode::Digit1, ReplayCamera::BirdsEye),
        (KeyCode::Digit2, ReplayCamera::Trainee),
        (KeyCode::Digit3, ReplayCamera::Subject),
        (KeyCode::Numpad1, ReplayCamera::BirdsEye),
        (KeyCode::Numpad2, ReplayCamera::Trainee),
        (KeyCode::Numpad3, ReplayCamera::Subject),
    ] {
        if p(k) && view.camera != cam {
            view.camera = cam;
            view.jumped = true;
        }
    }
}

/// Play/pause and moving the playhead: a step (Shift: a long one), either end, the next or
/// previous mark, the next (Shift: previous) instructor flag.
fn seek_keys(view: &mut ReplayView, p: impl Fn(KeyCode) -> bool, shift: bool) {
    let step = if shift { LONG_STEP } else { STEP };
    if p(KeyCode::Space) {
        view.toggle_play();
    }
    if p(KeyCode::ArrowRight) {
        view.seek(view.t + step);
    }
    if p(KeyCode::ArrowLeft) {
        view.seek(view.t - step);
    }
    if p(KeyCode::Home) {
        view.seek(0.0);
    }
    if p(KeyCode::End) {
        view.seek(view.duration());
    }
    if p(KeyCode::BracketRight) {
        view.jump(None, true);
    }
    if p(KeyCode::BracketLeft) {
        view.jump(None, false);
    }
    if p(KeyCode::KeyF) {
        view.jump(Some(MarkKind::InstructorFlag), !shift);
    }
}

fn advance(time: Res<Time>, view: Option<ResMut<ReplayView>>) {
    let Some(mut view) = view else { return };
    if view.playing {
        view.advance(time.delta_secs());
    }
}

// =======================================================================================
// Drawing
// =======================================================================================

/// The 3D view, timeline and panels of the viewer.
pub fn view_plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Replay),
        (stage::spawn_stage, panels::spawn_ui).after(open),
    )
    .add_systems(
        Update,
        (
            panels::timeline_seek.before(AnimateSet::Aim),
            figures::pose_people.in_set(AnimateSet::Aim),
            (
                figures::move_marker,
                figures::follow_camera,
                figures::draw_guides,
                figures::show_ceilings,
            )
                .after(AnimateSet::Pose),
            (
                panels::update_numbers,
                panels::update_timeline,
                panels::update_subtitle,
                panels::show_panels,
                shots::screenshots,
            )
                .after(AnimateSet::Pose),
        )
            .after(advance)
            .run_if(in_state(Screen::Replay)),
    )
    .add_systems(PostUpdate, clear_jump.run_if(in_state(Screen::Replay)));
}

fn clear_jump(view: Option<ResMut<ReplayView>>) {
    if let Some(mut v) = view
        && v.jumped
    {
        v.jumped = false;
    }
}
