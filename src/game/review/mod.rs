//! The after-action review viewer (`Screen::Replay`): a session record re-simulated
//! into one frame per tick ([`crate::replay::Replay`]) and played back in 3D.
//!
//! The place is drawn in a plain review style (ground, every prop, even daylight), the
//! trainee as a hi-vis figure with a marker and facing wedge on the ground, the subject
//! with the body language of each moment, and around the subject the rings the scoring
//! uses: personal space (orange), reactionary gap (red) and the ideal band (green).
//! A line joins trainee and subject, coloured by the zone the trainee is in.
//!
//! At the bottom, the timeline: every utterance as a tick in its tone's colour, key
//! moments as yellow dots, instructor flags as blue flags (other instructor actions as
//! blue squares), triggers in purple, the ending in white; under it the agitation
//! (amber) and distance (white, ideal band shaded) curves. Click or drag on it to seek.
//!
//! Keys: Space play / pause · ← → 1 s (Shift: 10 s) · Home / End · [ ] previous / next
//! mark · F next instructor flag (Shift+F previous) · − / + speed (0.5×, 1×, 2×, 4×) ·
//! 1 bird's-eye, 2 trainee's eyes, 3 subject's eyes · Esc back to the scenario list.
//!
//! Open it with `deescalate replay RECORD` (`Launch.replay`), or from anywhere by
//! inserting [`OpenReplay`] and switching to `Screen::Replay`.
//!
//! [`plugin`] is the logic (loading, the playhead, the keys) and runs headless;
//! [`view_plugin`] draws it.

use super::assets::ScenarioRoots;
use super::player::yaw_rotation;
use super::recovery::{load_scenario, scenario_file};
use super::subject::{Build, seat_at};
use super::ui::chart::{self, Canvas};
use super::ui::theme::{self, UiFonts, color, size, tone_color};
use super::{Launch, Screen};
use crate::record::{Record, content_hash};
use crate::replay::{Frame, Mark, MarkKind, Replay};
use crate::scenario::{Environment, PropKind, Scenario};
use crate::sim::Hands;
use crate::vocab::{Body, Held};
use bevy::asset::RenderAssetUsages;
use bevy::camera::Exposure;
use bevy::ecs::hierarchy::ChildSpawnerCommands;
use bevy::light::CascadeShadowConfigBuilder;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::ui::RelativeCursorPosition;
use std::f32::consts::{FRAC_PI_2, PI};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Open this session record in the viewer: insert it, then switch to `Screen::Replay`.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct OpenReplay(pub PathBuf);

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
    /// Load `path`, find its scenario (the stored path, else `<library>/<id>.ron`, else
    /// `scenarios/<id>.ron`) and re-simulate it.
    pub fn open(path: &Path, library: Option<&Path>) -> Result<ReplayView, String> {
        let record = Record::load(path).map_err(|e| e.to_string())?;
        let file = scenario_file(
            record.scenario_path.as_deref(),
            &record.scenario_id,
            library,
        );
        let scenario = load_scenario(&file)?;
        let notice = match std::fs::read(&file) {
            Ok(bytes) if content_hash(&bytes) != record.scenario_hash => Some(format!(
                "{} has changed since this run; the replay uses the current version",
                file.display()
            )),
            _ => None,
        };
        let replay = Replay::build(&record, Arc::clone(&scenario)).map_err(|e| {
            format!(
                "{} does not replay on {}: {e}",
                path.display(),
                file.display()
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
    match ReplayView::open(&request.0, roots.as_ref().map(|r| r.library.as_path())) {
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
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(keys) = keys else { return };
    if keys.just_pressed(KeyCode::Escape) {
        next.set(Screen::Select);
        return;
    }
    let Some(mut view) = view else { return };
    let p = |k: KeyCode| keys.just_pressed(k);
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let step = if shift { LONG_STEP } else { STEP };
    if p(KeyCode::Space) {
        view.toggle_play();
    }
    if p(KeyCode::ArrowRight) {
        let t = view.t + step;
        view.seek(t);
    }
    if p(KeyCode::ArrowLeft) {
        let t = view.t - step;
        view.seek(t);
    }
    if p(KeyCode::Home) {
        view.seek(0.0);
    }
    if p(KeyCode::End) {
        let t = view.duration();
        view.seek(t);
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
    app.add_systems(OnEnter(Screen::Replay), (spawn_scene, spawn_ui).after(open))
        .add_systems(
            Update,
            (
                timeline_seek,
                (pose_figures, follow_camera).chain(),
                draw_guides,
                (update_ui, show_panels),
                screenshots,
            )
                .chain()
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

// ---------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------

/// Whose figure.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Trainee,
    Subject,
    Partner,
}

/// Joint angles of a figure (radians). Per side: [left, right].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Pose {
    /// How much lower the hips are than standing (sitting).
    drop: f32,
    lean: f32,
    head_pitch: f32,
    head_yaw: f32,
    sh_pitch: [f32; 2],
    sh_out: [f32; 2],
    elbow: [f32; 2],
    /// Forearms turned inwards (folded arms, hands to the face).
    elbow_in: [f32; 2],
    hip: [f32; 2],
    knee: [f32; 2],
}

impl Pose {
    fn standing() -> Pose {
        Pose {
            sh_out: [0.08, 0.08],
            elbow: [0.15, 0.15],
            ..default()
        }
    }

    fn ease(&mut self, t: &Pose, k: f32) {
        let l = |a: &mut f32, b: f32| *a += (b - *a) * k;
        l(&mut self.drop, t.drop);
        l(&mut self.lean, t.lean);
        l(&mut self.head_pitch, t.head_pitch);
        l(&mut self.head_yaw, t.head_yaw);
        for i in 0..2 {
            l(&mut self.sh_pitch[i], t.sh_pitch[i]);
            l(&mut self.sh_out[i], t.sh_out[i]);
            l(&mut self.elbow[i], t.elbow[i]);
            l(&mut self.elbow_in[i], t.elbow_in[i]);
            l(&mut self.hip[i], t.hip[i]);
            l(&mut self.knee[i], t.knee[i]);
        }
    }

    /// Legs and arms swinging in a walk at `phase` (radians), `amount` 0..1.
    fn walk(&mut self, phase: f32, amount: f32) {
        let s = phase.sin() * 0.45 * amount;
        self.hip = [s, -s];
        self.knee = [
            (0.6 * amount * (phase + 0.6).sin()).max(0.0),
            (0.6 * amount * (phase + 0.6 + PI).sin()).max(0.0),
        ];
        self.sh_pitch[0] -= s * 0.7;
        self.sh_pitch[1] += s * 0.7;
    }
}

/// The joints of one figure, and its eased state.
#[derive(Component, Debug, Clone)]
struct Rig {
    pelvis: Entity,
    torso: Entity,
    neck: Entity,
    shoulder: [Entity; 2],
    elbow: [Entity; 2],
    hip: [Entity; 2],
    knee: [Entity; 2],
    /// Shown only while the trainee's weapon is drawn.
    weapon: Option<Entity>,
    build: Build,
    pose: Pose,
    /// Eased root position and yaw.
    pos: Vec2,
    yaw: f32,
}

/// The trainee's ground marker (ring and facing wedge).
#[derive(Component)]
struct TraineeMarker;

#[derive(Component)]
struct ReplayCam;

struct Look {
    skin: Color,
    top: Color,
    trousers: Color,
    hair: Color,
    /// Officers wear a cap.
    cap: bool,
}

fn rgb(c: (f32, f32, f32)) -> Color {
    let f = |v: f32| {
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    Color::srgb(f(c.0), f(c.1), f(c.2))
}

struct Kit<'a> {
    meshes: &'a mut Assets<Mesh>,
    materials: &'a mut Assets<StandardMaterial>,
    capsule: Handle<Mesh>,
    sphere: Handle<Mesh>,
    cube: Handle<Mesh>,
    cylinder: Handle<Mesh>,
}

impl Kit<'_> {
    fn mat(&mut self, c: Color, rough: f32) -> Handle<StandardMaterial> {
        self.materials.add(StandardMaterial {
            base_color: c,
            perceptual_roughness: rough,
            ..default()
        })
    }

    fn unlit(&mut self, c: Color) -> Handle<StandardMaterial> {
        self.materials.add(StandardMaterial {
            base_color: c,
            unlit: true,
            alpha_mode: if c.alpha() < 1.0 {
                AlphaMode::Blend
            } else {
                AlphaMode::Opaque
            },
            double_sided: true,
            cull_mode: None,
            ..default()
        })
    }
}

fn part(
    p: &mut ChildSpawnerCommands,
    mesh: &Handle<Mesh>,
    mat: &Handle<StandardMaterial>,
    at: Vec3,
    scale: Vec3,
) {
    p.spawn((
        Mesh3d(mesh.clone()),
        MeshMaterial3d(mat.clone()),
        Transform::from_translation(at).with_scale(scale),
    ));
}

/// A jointed figure of primitives (capsule limbs, sphere head). Returns the root.
fn spawn_figure(
    commands: &mut Commands,
    kit: &mut Kit,
    role: Role,
    look: &Look,
    build: Build,
    held: Held,
    at: Vec2,
) -> Entity {
    let b = build;
    let h = b.height;
    let skin = kit.mat(look.skin, 0.7);
    let top = kit.mat(look.top, 0.8);
    let trousers = kit.mat(look.trousers, 0.85);
    let hair = kit.mat(look.hair, 0.9);
    let dark = kit.mat(Color::srgb(0.08, 0.08, 0.09), 0.6);
    let (cap_m, sph, cyl, cube) = (
        kit.capsule.clone(),
        kit.sphere.clone(),
        kit.cylinder.clone(),
        kit.cube.clone(),
    );
    let arm_w = 0.055 * h;
    let leg_w = 0.075 * h;
    let root = commands
        .spawn((
            Name::new(format!("{role:?}")),
            role,
            Transform::from_xyz(at.x, 0.0, at.y),
            Visibility::default(),
            DespawnOnExit(Screen::Replay),
        ))
        .id();
    let pelvis = commands
        .spawn((
            Transform::from_xyz(0.0, b.hip_height, 0.0),
            Visibility::default(),
        ))
        .id();
    commands.entity(root).add_child(pelvis);
    commands.entity(pelvis).with_children(|p| {
        part(
            p,
            &sph,
            &trousers,
            Vec3::ZERO,
            Vec3::new(b.hip_half + 0.06, 0.09, 0.11) * Vec3::new(1.0, h / 1.75, h / 1.75),
        );
    });
    // Torso, neck and head.
    let torso = commands
        .spawn((Transform::IDENTITY, Visibility::default()))
        .id();
    commands.entity(pelvis).add_child(torso);
    commands.entity(torso).with_children(|p| {
        part(
            p,
            &cap_m,
            &top,
            Vec3::new(0.0, b.torso * 0.5, 0.0),
            Vec3::new(b.shoulder_half * 2.0 + 0.02, b.torso * 0.5, 0.13 * h),
        );
    });
    let neck = commands
        .spawn((
            Transform::from_xyz(0.0, b.torso, 0.0),
            Visibility::default(),
        ))
        .id();
    commands.entity(torso).add_child(neck);
    let r = b.head_r;
    commands.entity(neck).with_children(|p| {
        part(
            p,
            &sph,
            &skin,
            Vec3::new(0.0, r * 1.15, 0.0),
            Vec3::splat(r),
        );
        // The nose shows which way the head faces.
        part(
            p,
            &sph,
            &skin,
            Vec3::new(0.0, r * 1.05, -r * 0.95),
            Vec3::splat(r * 0.22),
        );
        if look.cap {
            part(
                p,
                &cyl,
                &dark,
                Vec3::new(0.0, r * 1.75, 0.0),
                Vec3::new(r * 2.15, r * 0.45, r * 2.15),
            );
            part(
                p,
                &cube,
                &dark,
                Vec3::new(0.0, r * 1.58, -r * 1.05),
                Vec3::new(r * 1.6, r * 0.08, r * 0.7),
            );
        } else {
            part(
                p,
                &sph,
                &hair,
                Vec3::new(0.0, r * 1.4, r * 0.18),
                Vec3::new(r * 1.04, r * 0.78, r * 1.04),
            );
        }
    });
    // Arms.
    let mut shoulder = [Entity::PLACEHOLDER; 2];
    let mut elbow = [Entity::PLACEHOLDER; 2];
    let mut weapon = None;
    for (i, sign) in [(0, -1.0f32), (1, 1.0)] {
        let s = commands
            .spawn((
                Transform::from_xyz(sign * b.shoulder_half, b.torso - 0.04 * h, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(torso).add_child(s);
        commands.entity(s).with_children(|p| {
            part(
                p,
                &cap_m,
                &top,
                Vec3::new(0.0, -b.upper_arm * 0.5, 0.0),
                Vec3::new(arm_w, b.upper_arm * 0.5, arm_w),
            );
        });
        let e = commands
            .spawn((
                Transform::from_xyz(0.0, -b.upper_arm, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(s).add_child(e);
        let fa = b.forearm;
        commands.entity(e).with_children(|p| {
            part(
                p,
                &cap_m,
                &skin,
                Vec3::new(0.0, -fa * 0.5, 0.0),
                Vec3::new(arm_w * 0.9, fa * 0.5, arm_w * 0.9),
            );
            part(
                p,
                &sph,
                &skin,
                Vec3::new(0.0, -fa - 0.02, 0.0),
                Vec3::splat(0.045 * h / 1.75),
            );
        });
        if i == 1 {
            // What the right hand holds.
            let (metal, wood, glass, phone) = (
                kit.mat(Color::srgb(0.78, 0.8, 0.84), 0.25),
                kit.mat(Color::srgb(0.45, 0.3, 0.16), 0.8),
                kit.mat(Color::srgb(0.15, 0.45, 0.2), 0.2),
                kit.mat(Color::srgb(0.05, 0.05, 0.06), 0.4),
            );
            let y = -fa - 0.03;
            commands.entity(e).with_children(|p| match held {
                Held::Knife => {
                    part(
                        p,
                        &cube,
                        &dark,
                        Vec3::new(0.0, y - 0.04, 0.0),
                        Vec3::new(0.03, 0.1, 0.03),
                    );
                    part(
                        p,
                        &cube,
                        &metal,
                        Vec3::new(0.0, y - 0.18, 0.0),
                        Vec3::new(0.025, 0.2, 0.008),
                    );
                }
                Held::Bottle => {
                    part(
                        p,
                        &cyl,
                        &glass,
                        Vec3::new(0.0, y - 0.1, 0.0),
                        Vec3::new(0.07, 0.26, 0.07),
                    );
                }
                Held::Bat | Held::Stick => {
                    part(
                        p,
                        &cyl,
                        &wood,
                        Vec3::new(0.0, y - 0.35, 0.0),
                        Vec3::new(0.055, 0.8, 0.055),
                    );
                }
                Held::WalkingStick => {
                    part(
                        p,
                        &cyl,
                        &wood,
                        Vec3::new(0.0, y - 0.4, 0.0),
                        Vec3::new(0.03, 0.9, 0.03),
                    );
                }
                Held::Phone => {
                    part(
                        p,
                        &cube,
                        &phone,
                        Vec3::new(0.0, y - 0.05, 0.0),
                        Vec3::new(0.07, 0.14, 0.012),
                    );
                }
                Held::Bag => {
                    part(
                        p,
                        &cube,
                        &wood,
                        Vec3::new(0.0, y - 0.18, 0.0),
                        Vec3::new(0.3, 0.24, 0.12),
                    );
                }
                Held::Nothing => {}
            });
            if role == Role::Trainee {
                let gun = commands
                    .spawn((
                        Mesh3d(cube.clone()),
                        MeshMaterial3d(dark.clone()),
                        Transform::from_xyz(0.0, y - 0.06, 0.02)
                            .with_scale(Vec3::new(0.035, 0.17, 0.11)),
                        Visibility::Hidden,
                    ))
                    .id();
                commands.entity(e).add_child(gun);
                weapon = Some(gun);
            }
        }
        shoulder[i] = s;
        elbow[i] = e;
    }
    // Legs.
    let mut hip = [Entity::PLACEHOLDER; 2];
    let mut knee = [Entity::PLACEHOLDER; 2];
    for (i, sign) in [(0, -1.0f32), (1, 1.0)] {
        let hp = commands
            .spawn((
                Transform::from_xyz(sign * b.hip_half, 0.0, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(pelvis).add_child(hp);
        commands.entity(hp).with_children(|p| {
            part(
                p,
                &cap_m,
                &trousers,
                Vec3::new(0.0, -b.thigh * 0.5, 0.0),
                Vec3::new(leg_w, b.thigh * 0.5, leg_w),
            );
        });
        let k = commands
            .spawn((
                Transform::from_xyz(0.0, -b.thigh, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(hp).add_child(k);
        commands.entity(k).with_children(|p| {
            part(
                p,
                &cap_m,
                &trousers,
                Vec3::new(0.0, -b.shin * 0.5, 0.0),
                Vec3::new(leg_w * 0.85, b.shin * 0.5, leg_w * 0.85),
            );
            part(
                p,
                &cube,
                &dark,
                Vec3::new(0.0, -b.shin + 0.03, -0.05),
                Vec3::new(0.1, 0.07, 0.26) * (h / 1.75),
            );
        });
        hip[i] = hp;
        knee[i] = k;
    }
    commands.entity(root).insert(Rig {
        pelvis,
        torso,
        neck,
        shoulder,
        elbow,
        hip,
        knee,
        weapon,
        build: b,
        pose: Pose::standing(),
        pos: at,
        yaw: 0.0,
    });
    root
}

/// Yaw that turns local -Z towards `d` (ground plane, x/z).
fn yaw_to(d: Vec2) -> Option<f32> {
    (d.length_squared() > 1e-6).then(|| (-d.x).atan2(-d.y))
}

fn wrap(a: f32) -> f32 {
    (a + PI).rem_euclid(2.0 * PI) - PI
}

/// The subject's pose, root offset and yaw offset for `body` at time `t`.
/// `to_trainee` is the unit direction from subject to trainee.
fn subject_pose(
    body: Body,
    t: f32,
    agitation: f32,
    seat: Option<f32>,
    b: &Build,
) -> (Pose, f32, f32) {
    let mut p = Pose::standing();
    let breath = (t * (1.6 + agitation / 30.0)).sin();
    let (mut forward, mut turn) = (0.0, 0.0);
    match body {
        Body::Calm => {
            p.head_pitch = 0.05;
            p.lean = 0.01 * breath;
        }
        Body::Guarded => {
            p.sh_pitch = [0.45, 0.45];
            p.sh_out = [0.12, 0.12];
            p.elbow = [1.75, 1.75];
            p.elbow_in = [1.05, 1.05];
            p.lean = -0.04;
            p.head_yaw = -0.25;
            turn = 0.5;
        }
        Body::Pacing => {
            p.head_pitch = 0.15;
            p.walk(t * 5.0, 0.8);
        }
        Body::Agitated => {
            p.sh_pitch = [0.2, 0.2];
            p.sh_out = [0.22, 0.22];
            p.elbow = [1.1, 1.1];
            p.lean = 0.12 + 0.03 * breath;
            p.head_pitch = -0.05;
            // Restless weight shifts.
            let s = (t * 2.3).sin() * 0.1;
            p.hip = [s, -s];
        }
        Body::Threatening => {
            p.sh_pitch = [0.7, 2.3];
            p.sh_out = [0.35, 0.15];
            p.elbow = [0.6, 0.5];
            p.lean = 0.22;
            p.hip = [0.35, -0.15];
            p.knee = [0.1, 0.25];
            forward = 0.3;
        }
        Body::Withdrawn => {
            p.head_pitch = 0.55;
            p.lean = 0.15;
            p.sh_pitch = [0.15, 0.15];
            p.elbow = [0.4, 0.4];
            p.elbow_in = [0.5, 0.5];
            turn = 2.6;
        }
        Body::Sitting => {
            sit(&mut p, seat, b);
            p.sh_pitch = [0.55, 0.55];
            p.elbow = [0.7, 0.7];
            p.head_pitch = 0.2;
        }
        Body::Crying => {
            if seat.is_some() {
                sit(&mut p, seat, b);
            }
            p.head_pitch = 0.7;
            p.lean = 0.35 + 0.02 * (t * 3.1).sin();
            p.sh_pitch = [1.2, 1.2];
            p.sh_out = [0.1, 0.1];
            p.elbow = [2.25, 2.25];
            p.elbow_in = [0.35, 0.35];
        }
    }
    (p, forward, turn)
}

fn sit(p: &mut Pose, seat: Option<f32>, b: &Build) {
    match seat {
        Some(h) => {
            p.drop = (b.hip_height - h - 0.05).max(0.0);
            p.hip = [1.45, 1.45];
            p.knee = [1.45, 1.45];
        }
        None => {
            // On the ground, knees up.
            p.drop = (b.hip_height - 0.12).max(0.0);
            p.hip = [1.2, 1.2];
            p.knee = [2.1, 2.1];
        }
    }
}

fn apply_pose(rig: &Rig, q: &mut Query<&mut Transform, (Without<Rig>, Without<TraineeMarker>)>) {
    let p = &rig.pose;
    let b = &rig.build;
    if let Ok(mut t) = q.get_mut(rig.pelvis) {
        t.translation.y = b.hip_height - p.drop;
    }
    if let Ok(mut t) = q.get_mut(rig.torso) {
        t.rotation = Quat::from_rotation_x(-p.lean);
    }
    if let Ok(mut t) = q.get_mut(rig.neck) {
        t.rotation = Quat::from_rotation_y(p.head_yaw) * Quat::from_rotation_x(-p.head_pitch);
    }
    for (i, sign) in [(0, -1.0f32), (1, 1.0)] {
        if let Ok(mut t) = q.get_mut(rig.shoulder[i]) {
            t.rotation =
                Quat::from_rotation_z(sign * p.sh_out[i]) * Quat::from_rotation_x(p.sh_pitch[i]);
        }
        if let Ok(mut t) = q.get_mut(rig.elbow[i]) {
            t.rotation =
                Quat::from_rotation_y(sign * p.elbow_in[i]) * Quat::from_rotation_x(p.elbow[i]);
        }
        if let Ok(mut t) = q.get_mut(rig.hip[i]) {
            t.rotation = Quat::from_rotation_x(p.hip[i]);
        }
        if let Ok(mut t) = q.get_mut(rig.knee[i]) {
            t.rotation = Quat::from_rotation_x(-p.knee[i]);
        }
    }
}

/// Where the subject stands (the core measures distance from here).
fn subject_spawn(sc: &Scenario) -> Vec2 {
    let s = sc.subject.spawn;
    Vec2::new(fin(s.x), fin(s.z))
}

fn fin(v: f32) -> f32 {
    if v.is_finite() { v } else { 0.0 }
}

#[allow(clippy::type_complexity)]
fn pose_figures(
    view: Option<Res<ReplayView>>,
    time: Res<Time>,
    mut rigs: Query<(&Role, &mut Rig, &mut Transform, &mut Visibility)>,
    mut joints: Query<&mut Transform, (Without<Rig>, Without<TraineeMarker>)>,
    mut vis: Query<&mut Visibility, (Without<Rig>, Without<TraineeMarker>)>,
    mut marker: Query<(&mut Transform, &mut Visibility), (With<TraineeMarker>, Without<Rig>)>,
) {
    let Some(view) = view else { return };
    let Some(f) = view.frame().cloned() else {
        return;
    };
    let sc = &view.scenario;
    let t = view.t;
    let k = if view.jumped {
        1.0
    } else {
        1.0 - (-time.delta_secs() * 10.0).exp()
    };
    let trainee = Vec2::new(fin(f.trainee.x), fin(f.trainee.z));
    let subject = subject_spawn(sc);
    for (role, mut rig, mut tf, mut v) in &mut rigs {
        let (target, pos, yaw) = match role {
            Role::Trainee => {
                let mut p = Pose::standing();
                let speed = Vec2::new(fin(f.trainee.vx), fin(f.trainee.vz)).length();
                if speed > 0.05 {
                    p.walk(t * (4.0 + speed * 2.0), (speed / 1.4).min(1.2));
                }
                let drawn = f.trainee.hands == Hands::WeaponDrawn;
                if drawn {
                    p.sh_pitch = [1.4, 1.45];
                    p.sh_out = [0.0, 0.0];
                    p.elbow = [0.15, 0.05];
                    p.elbow_in = [0.45, 0.2];
                }
                if let Some(w) = rig.weapon
                    && let Ok(mut wv) = vis.get_mut(w)
                {
                    let want = if drawn {
                        Visibility::Inherited
                    } else {
                        Visibility::Hidden
                    };
                    if *wv != want {
                        *wv = want;
                    }
                }
                (p, trainee, fin(f.trainee.facing).to_radians())
            }
            Role::Subject => {
                let seat = seat_at(sc, &sc.subject.spawn);
                let (p, forward, turn) = subject_pose(f.body, t, f.agitation, seat, &rig.build);
                let to = (trainee - subject).normalize_or(Vec2::new(0.0, 1.0));
                let face = yaw_to(to).unwrap_or(0.0);
                let mut pos = subject + to * forward;
                let mut yaw = face + turn;
                if f.body == Body::Pacing {
                    // Back and forth across the line to the trainee.
                    let side = Vec2::new(-to.y, to.x);
                    let phase = t * 0.9;
                    pos += side * 0.7 * phase.sin();
                    let dir = side * phase.cos().signum();
                    yaw = yaw_to(dir).unwrap_or(face);
                }
                (p, pos, yaw)
            }
            Role::Partner => {
                let s = sc
                    .partner
                    .as_ref()
                    .map_or(Vec2::ZERO, |p| Vec2::new(fin(p.spawn.x), fin(p.spawn.z)));
                let face = yaw_to(subject - s).unwrap_or(0.0);
                (Pose::standing(), s, face)
            }
        };
        let rig = &mut *rig;
        rig.pose.ease(&target, k);
        rig.pos = rig.pos.lerp(pos, k);
        rig.yaw += wrap(yaw - rig.yaw) * k;
        tf.translation = Vec3::new(rig.pos.x, 0.0, rig.pos.y);
        tf.rotation = Quat::from_rotation_y(rig.yaw);
        apply_pose(rig, &mut joints);
        // The figure whose eyes the camera is in is hidden.
        let hidden = matches!(
            (role, view.camera),
            (Role::Trainee, ReplayCamera::Trainee) | (Role::Subject, ReplayCamera::Subject)
        );
        let want = if hidden {
            Visibility::Hidden
        } else {
            Visibility::Inherited
        };
        if *v != want {
            *v = want;
        }
        if *role == Role::Trainee {
            for (mut mt, mut mv) in &mut marker {
                mt.translation = Vec3::new(rig.pos.x, 0.03, rig.pos.y);
                mt.rotation = Quat::from_rotation_y(rig.yaw);
                let want = if hidden {
                    Visibility::Hidden
                } else {
                    Visibility::Inherited
                };
                if *mv != want {
                    *mv = want;
                }
            }
        }
    }
}

fn follow_camera(
    view: Option<Res<ReplayView>>,
    time: Res<Time>,
    rigs: Query<(&Role, &Rig)>,
    mut cams: Query<&mut Transform, With<ReplayCam>>,
    mut axis: Local<Vec2>,
) {
    if *axis == Vec2::ZERO {
        *axis = Vec2::new(0.0, -1.0);
    }
    let Some(view) = view else { return };
    let Some(f) = view.frame() else { return };
    let trainee = Vec2::new(fin(f.trainee.x), fin(f.trainee.z));
    let subject = rigs
        .iter()
        .find(|(r, _)| **r == Role::Subject)
        .map(|(_, rig)| (rig.pos, rig.build.height, rig.pose.drop))
        .unwrap_or((subject_spawn(&view.scenario), 1.75, 0.0));
    let eye = super::player::EYE_HEIGHT;
    let target = match view.camera {
        ReplayCamera::BirdsEye => {
            // From above and to the side of the line between them, so that line runs
            // across the (wide) window: the trainee on the left, the subject on the right.
            let mid = (trainee + subject.0) / 2.0;
            let d = trainee.distance(subject.0);
            if d > 1.0 {
                *axis = (subject.0 - trainee) / d;
            }
            let side = Vec2::new(-axis.y, axis.x);
            let h = (d * 0.62 + 6.0).clamp(7.0, 40.0);
            // A little towards the subject: the numbers panel covers the top right.
            let mid = mid + *axis * d * 0.08;
            let at = Vec3::new(mid.x, 0.0, mid.y);
            let back = side * h * 0.42;
            Transform::from_translation(at + Vec3::new(back.x, h, back.y)).looking_at(at, Vec3::Y)
        }
        ReplayCamera::Trainee => Transform::from_xyz(trainee.x, eye, trainee.y)
            .with_rotation(yaw_rotation(fin(f.trainee.facing))),
        ReplayCamera::Subject => {
            let head = Vec3::new(subject.0.x, 0.93 * subject.1 - subject.2, subject.0.y);
            let look = Vec3::new(trainee.x, eye, trainee.y);
            if head.distance(look) < 0.05 {
                Transform::from_translation(head)
            } else {
                Transform::from_translation(head).looking_at(look, Vec3::Y)
            }
        }
    };
    let k = if view.jumped || view.camera != ReplayCamera::BirdsEye {
        1.0
    } else {
        1.0 - (-time.delta_secs() * 4.0).exp()
    };
    for mut tf in &mut cams {
        tf.translation = tf.translation.lerp(target.translation, k);
        tf.rotation = tf.rotation.slerp(target.rotation, k);
    }
}

/// The line between trainee and subject (coloured by zone) and, from above, a 1 m grid.
fn draw_guides(view: Option<Res<ReplayView>>, rigs: Query<(&Role, &Rig)>, mut gizmos: Gizmos) {
    let Some(view) = view else { return };
    let Some(f) = view.frame() else { return };
    let sc = &view.scenario;
    let s = subject_spawn(sc);
    let trainee = rigs
        .iter()
        .find(|(r, _)| **r == Role::Trainee)
        .map_or(Vec2::new(f.trainee.x, f.trainee.z), |(_, rig)| rig.pos);
    if view.camera == ReplayCamera::BirdsEye {
        let grid = Color::srgba(1.0, 1.0, 1.0, 0.09);
        let n = 14;
        for i in -n..=n {
            let o = i as f32;
            gizmos.line(
                Vec3::new(s.x + o, 0.015, s.y - n as f32),
                Vec3::new(s.x + o, 0.015, s.y + n as f32),
                grid,
            );
            gizmos.line(
                Vec3::new(s.x - n as f32, 0.015, s.y + o),
                Vec3::new(s.x + n as f32, 0.015, s.y + o),
                grid,
            );
        }
    }
    let d = f.distance;
    if d.is_finite() && view.camera != ReplayCamera::Trainee {
        let c = zone_color(sc, d);
        gizmos.line(
            Vec3::new(trainee.x, 0.06, trainee.y),
            Vec3::new(s.x, 0.06, s.y),
            c,
        );
    }
}

/// The colour of a distance: red inside the reactionary gap, orange in personal space,
/// green in the ideal band, white otherwise.
fn zone_color(sc: &Scenario, d: f32) -> Color {
    let (lo, hi) = sc.scoring.ideal_distance;
    if d < sc.subject.reactionary_gap {
        color::BAD
    } else if d < sc.subject.personal_space {
        color::ORANGE
    } else if d >= lo && d <= hi {
        color::GOOD
    } else {
        color::TEXT
    }
}

fn zone_label(sc: &Scenario, d: f32) -> &'static str {
    let (lo, hi) = sc.scoring.ideal_distance;
    if !d.is_finite() {
        ""
    } else if d < sc.subject.personal_space {
        "in personal space"
    } else if d < sc.subject.reactionary_gap {
        "inside the reactionary gap"
    } else if d < lo {
        "closer than the ideal band"
    } else if d <= hi {
        "in the ideal band"
    } else {
        "farther than the ideal band"
    }
}

// ---------------------------------------------------------------------------------------
// The place
// ---------------------------------------------------------------------------------------

fn ground_colour(env: Environment) -> Color {
    match env {
        Environment::Street => Color::srgb(0.42, 0.42, 0.43),
        Environment::Bridge => Color::srgb(0.5, 0.5, 0.49),
        Environment::ParkingLot => Color::srgb(0.3, 0.3, 0.32),
        Environment::Park => Color::srgb(0.3, 0.46, 0.24),
        Environment::Bar | Environment::Apartment | Environment::Shop => {
            Color::srgb(0.46, 0.34, 0.23)
        }
    }
}

fn prop_colour(kind: PropKind, i: usize) -> Color {
    const CARS: [(f32, f32, f32); 4] = [
        (0.75, 0.76, 0.78),
        (0.12, 0.22, 0.45),
        (0.55, 0.08, 0.08),
        (0.3, 0.32, 0.34),
    ];
    match kind {
        PropKind::Wall => Color::srgb(0.66, 0.6, 0.54),
        PropKind::Car => rgb(CARS[i % CARS.len()]),
        PropKind::Bench | PropKind::Table => Color::srgb(0.45, 0.3, 0.17),
        PropKind::Counter | PropKind::Door => Color::srgb(0.33, 0.2, 0.1),
        PropKind::StreetLight => Color::srgb(0.2, 0.22, 0.23),
        PropKind::Tree => Color::srgb(0.2, 0.38, 0.15),
        PropKind::Railing => Color::srgb(0.35, 0.37, 0.4),
        PropKind::Bin => Color::srgb(0.15, 0.3, 0.2),
        PropKind::Shelf => Color::srgb(0.62, 0.62, 0.64),
        PropKind::Box => Color::srgb(0.62, 0.47, 0.3),
    }
}

#[allow(clippy::too_many_arguments)]
fn spawn_scene(
    mut commands: Commands,
    view: Option<Res<ReplayView>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut ambient: ResMut<GlobalAmbientLight>,
) {
    let Some(view) = view else { return };
    let sc = Arc::clone(&view.scenario);
    let place = &sc.place;
    let indoor = matches!(
        place.environment,
        Environment::Bar | Environment::Apartment | Environment::Shop
    );
    let subject = subject_spawn(&sc);
    let start = Vec2::new(fin(place.trainee_spawn.x), fin(place.trainee_spawn.z));
    let centre = (subject + start) / 2.0;
    let mut kit = Kit {
        capsule: meshes.add(Capsule3d::new(0.5, 1.0)),
        sphere: meshes.add(Sphere::new(1.0).mesh().uv(20, 14)),
        cube: meshes.add(Cuboid::new(1.0, 1.0, 1.0)),
        cylinder: meshes.add(Cylinder::new(0.5, 1.0)),
        meshes: &mut meshes,
        materials: &mut materials,
    };

    // Even review light whatever the time of day.
    ambient.color = Color::srgb(0.8, 0.86, 1.0);
    ambient.brightness = 2600.0;
    commands.spawn((
        DirectionalLight {
            illuminance: 22_000.0,
            shadow_maps_enabled: true,
            ..default()
        },
        CascadeShadowConfigBuilder {
            num_cascades: 1,
            maximum_distance: 60.0,
            ..default()
        }
        .build(),
        Transform::from_xyz(0.5, 1.0, 0.7).looking_at(Vec3::ZERO, Vec3::Y),
        DespawnOnExit(Screen::Replay),
    ));
    let sky = if indoor {
        Color::srgb(0.12, 0.12, 0.13)
    } else {
        Color::srgb(0.55, 0.68, 0.84)
    };
    commands.spawn((
        Name::new("Replay camera"),
        ReplayCam,
        Camera3d::default(),
        Camera {
            clear_color: ClearColorConfig::Custom(sky),
            ..default()
        },
        Projection::Perspective(PerspectiveProjection {
            fov: 60f32.to_radians(),
            near: 0.05,
            far: 600.0,
            ..default()
        }),
        Exposure { ev100: 13.0 },
        Msaa::Off,
        Transform::from_xyz(centre.x, 20.0, centre.y + 8.0)
            .looking_at(Vec3::new(centre.x, 0.0, centre.y), Vec3::Y),
        bevy::ui::IsDefaultUiCamera,
        DespawnOnExit(Screen::Replay),
    ));

    // Ground.
    let ground = kit.meshes.add(Plane3d::default().mesh().size(140.0, 140.0));
    let gm = kit.mat(ground_colour(place.environment), 0.95);
    commands.spawn((
        Mesh3d(ground),
        MeshMaterial3d(gm),
        Transform::from_xyz(centre.x, 0.0, centre.y),
        DespawnOnExit(Screen::Replay),
    ));

    // Props.
    let leaves = kit.mat(Color::srgb(0.22, 0.42, 0.16), 0.9);
    let glass = kit.mat(Color::srgb(0.12, 0.15, 0.2), 0.2);
    for (i, p) in place.props.iter().enumerate() {
        let ok = [p.x, p.z, p.rotation, p.size.0, p.size.1, p.size.2]
            .iter()
            .all(|v| v.is_finite());
        if !ok {
            continue;
        }
        let c = |v: f32| v.abs().clamp(0.02, 300.0);
        let (w, h, d) = (c(p.size.0), c(p.size.1), c(p.size.2));
        let base = p.color.map(rgb).unwrap_or_else(|| prop_colour(p.kind, i));
        let m = kit.mat(base, 0.8);
        let cube = kit.cube.clone();
        let (cyl, sph) = (kit.cylinder.clone(), kit.sphere.clone());
        commands
            .spawn((
                Transform::from_xyz(p.x, 0.0, p.z)
                    .with_rotation(Quat::from_rotation_y(p.rotation.to_radians())),
                Visibility::default(),
                DespawnOnExit(Screen::Replay),
            ))
            .with_children(|r| match p.kind {
                PropKind::Tree => {
                    let trunk = kit_trunk(h);
                    part(
                        r,
                        &cyl,
                        &m,
                        Vec3::new(0.0, trunk / 2.0, 0.0),
                        Vec3::new(0.25, trunk, 0.25),
                    );
                    let crown = (w.max(d) / 2.0).max(0.8);
                    part(
                        r,
                        &sph,
                        &leaves,
                        Vec3::new(0.0, trunk + crown * 0.8, 0.0),
                        Vec3::new(crown, crown * 0.9, crown),
                    );
                }
                PropKind::StreetLight => {
                    part(
                        r,
                        &cyl,
                        &m,
                        Vec3::new(0.0, h / 2.0, 0.0),
                        Vec3::new(0.14, h, 0.14),
                    );
                    part(
                        r,
                        &cube,
                        &m,
                        Vec3::new(0.0, h, 0.0),
                        Vec3::new(0.5, 0.15, 0.3),
                    );
                }
                PropKind::Car => {
                    part(
                        r,
                        &cube,
                        &m,
                        Vec3::new(0.0, h * 0.3, 0.0),
                        Vec3::new(w, h * 0.5, d),
                    );
                    let (cw, cd) = if d >= w {
                        (w * 0.9, d * 0.55)
                    } else {
                        (w * 0.55, d * 0.9)
                    };
                    part(
                        r,
                        &cube,
                        &glass,
                        Vec3::new(0.0, h * 0.75, 0.0),
                        Vec3::new(cw, h * 0.45, cd),
                    );
                }
                _ => part(
                    r,
                    &cube,
                    &m,
                    Vec3::new(0.0, h / 2.0, 0.0),
                    Vec3::new(w, h, d),
                ),
            });
    }

    // The rings around the subject.
    let s = &sc.subject;
    let (lo, hi) = sc.scoring.ideal_distance;
    let ok = |v: f32| v.is_finite() && v > 0.0 && v < 200.0;
    let flat = |y: f32| {
        Transform::from_xyz(subject.x, y, subject.y)
            .with_rotation(Quat::from_rotation_x(-FRAC_PI_2))
    };
    if ok(lo) && ok(hi) && hi > lo {
        let mesh = kit.meshes.add(Annulus::new(lo, hi).mesh().resolution(96));
        let mat = kit.unlit(Color::srgba(0.3, 0.85, 0.45, 0.28));
        commands.spawn((
            Mesh3d(mesh),
            MeshMaterial3d(mat),
            flat(0.02),
            DespawnOnExit(Screen::Replay),
        ));
    }
    for (r, c, y) in [
        (s.reactionary_gap, Color::srgb(1.0, 0.3, 0.26), 0.03),
        (s.personal_space, Color::srgb(1.0, 0.6, 0.2), 0.035),
    ] {
        if ok(r) {
            let mesh = kit.meshes.add(
                Annulus::new((r - 0.06).max(0.01), r + 0.06)
                    .mesh()
                    .resolution(96),
            );
            let mat = kit.unlit(c);
            commands.spawn((
                Mesh3d(mesh),
                MeshMaterial3d(mat),
                flat(y),
                DespawnOnExit(Screen::Replay),
            ));
        }
    }

    // The trainee's ground marker: a ring and a wedge pointing where they face.
    let ring = kit
        .meshes
        .add(Annulus::new(0.42, 0.52).mesh().resolution(48));
    let wedge = kit.meshes.add(Triangle2d::new(
        Vec2::new(0.0, 0.95),
        Vec2::new(-0.22, 0.55),
        Vec2::new(0.22, 0.55),
    ));
    let blue = kit.unlit(Color::srgb(0.3, 0.65, 1.0));
    commands
        .spawn((
            TraineeMarker,
            Transform::from_xyz(start.x, 0.03, start.y),
            Visibility::default(),
            DespawnOnExit(Screen::Replay),
        ))
        .with_children(|m| {
            m.spawn((
                Mesh3d(ring),
                MeshMaterial3d(blue.clone()),
                Transform::from_rotation(Quat::from_rotation_x(-FRAC_PI_2)),
            ));
            // The triangle's +y is turned to local -Z (forward).
            m.spawn((
                Mesh3d(wedge),
                MeshMaterial3d(blue),
                Transform::from_rotation(Quat::from_rotation_x(-FRAC_PI_2)),
            ));
        });

    // People.
    let a = &s.appearance;
    let subject_look = Look {
        skin: rgb(a.skin),
        top: rgb(a.top),
        trousers: rgb(a.trousers),
        hair: rgb(a.hair),
        cap: false,
    };
    spawn_figure(
        &mut commands,
        &mut kit,
        Role::Subject,
        &subject_look,
        Build::new(a.height, a.build),
        s.holding,
        subject,
    );
    let officer = |top: Color| Look {
        skin: Color::srgb(0.7, 0.52, 0.4),
        top,
        trousers: Color::srgb(0.08, 0.1, 0.16),
        hair: Color::srgb(0.15, 0.1, 0.07),
        cap: true,
    };
    spawn_figure(
        &mut commands,
        &mut kit,
        Role::Trainee,
        &officer(Color::srgb(0.85, 0.92, 0.2)),
        Build::new(1.8, 0.55),
        Held::Nothing,
        start,
    );
    if let Some(p) = &sc.partner {
        spawn_figure(
            &mut commands,
            &mut kit,
            Role::Partner,
            &officer(Color::srgb(0.12, 0.16, 0.3)),
            Build::new(1.78, 0.5),
            Held::Nothing,
            Vec2::new(fin(p.spawn.x), fin(p.spawn.z)),
        );
    }
}

fn kit_trunk(h: f32) -> f32 {
    (h * 0.45).clamp(0.8, 4.0)
}

// ---------------------------------------------------------------------------------------
// Panels and timeline
// ---------------------------------------------------------------------------------------

#[derive(Component)]
struct ClockText;

#[derive(Component)]
struct StatusText;

#[derive(Component, Clone, Copy)]
enum Stat {
    Agitation,
    Trust,
    Distance,
    Scene,
    Body,
}

#[derive(Component)]
struct SubtitleBox;

#[derive(Component)]
struct SubtitleSpeaker;

#[derive(Component)]
struct SubtitleText;

#[derive(Component)]
struct Playhead;

#[derive(Component)]
struct MarkLabel;

#[derive(Component)]
struct TimelineTrack;

#[derive(Component)]
struct TopPanels;

fn show_panels(view: Option<Res<ReplayView>>, mut q: Query<&mut Visibility, With<TopPanels>>) {
    let Some(view) = view else { return };
    let want = if view.panels {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    };
    for mut v in &mut q {
        if *v != want {
            *v = want;
        }
    }
}

const CHART_W: u32 = 1200;
const CHART_H: u32 = 84;
const LANE_H: f32 = 36.0;

fn to_color(c: chart::Rgba) -> Color {
    Color::srgba_u8(c[0], c[1], c[2], c[3])
}

/// The agitation and distance curves under the timeline, drawn from every frame.
fn curves(view: &ReplayView) -> Canvas {
    let mut c = Canvas::new(CHART_W, CHART_H, chart::BG);
    let dur = view.duration().max(0.1);
    let (w, h) = (CHART_W as f32, CHART_H as f32);
    let sc = &view.scenario;
    let (lo, hi) = sc.scoring.ideal_distance;
    let dmax = view
        .replay
        .frames
        .iter()
        .map(|f| f.distance)
        .filter(|d| d.is_finite())
        .fold(0.0f32, f32::max)
        .max(if hi.is_finite() { hi + 2.0 } else { 10.0 })
        .min(200.0);
    let pad = 4.0;
    let y_of = |v: f32, max: f32| h - pad - (v / max).clamp(0.0, 1.0) * (h - 2.0 * pad);
    // The ideal band, on the distance scale.
    if lo.is_finite() && hi.is_finite() && hi > lo {
        c.fill_rect(0.0, y_of(hi, dmax), w, y_of(lo, dmax), chart::IDEAL_BAND);
    }
    for v in [25.0, 50.0, 75.0] {
        c.dashed_hline(0.0, w, y_of(v, 100.0), 6.0, chart::GRID);
    }
    let mut agit = Vec::with_capacity(CHART_W as usize);
    let mut dist = Vec::with_capacity(CHART_W as usize);
    for x in 0..CHART_W {
        let t = x as f32 / (w - 1.0) * dur;
        match view.replay.frame_at(t) {
            Some(f) => {
                agit.push(
                    f.agitation
                        .is_finite()
                        .then(|| (x as f32, y_of(f.agitation, 100.0))),
                );
                dist.push(
                    f.distance
                        .is_finite()
                        .then(|| (x as f32, y_of(f.distance, dmax))),
                );
            }
            None => {
                agit.push(None);
                dist.push(None);
            }
        }
    }
    c.polyline(&dist, 2.0, chart::DISTANCE);
    c.polyline(&agit, 2.5, chart::AGITATION);
    c
}

fn mark_color(m: &Mark) -> Color {
    match m.kind {
        MarkKind::Utterance => m.tone.map_or(color::TEXT, tone_color),
        MarkKind::Pause => color::MUTED,
        MarkKind::KeyMoment => color::WARN,
        MarkKind::InstructorFlag | MarkKind::Instructor => color::ACCENT,
        MarkKind::Trigger => to_color(chart::TRIGGER),
        MarkKind::Ending => color::TEXT,
    }
}

fn spawn_mark(lane: &mut ChildSpawnerCommands, m: &Mark, dur: f32) {
    let left = Val::Percent((m.t / dur * 100.0).clamp(0.0, 100.0));
    let c = mark_color(m);
    let abs = |w: f32, h: f32, top: f32| Node {
        position_type: PositionType::Absolute,
        left,
        top: Val::Px(top),
        width: Val::Px(w),
        height: Val::Px(h),
        margin: UiRect::left(Val::Px(-w / 2.0)),
        ..default()
    };
    match m.kind {
        MarkKind::Utterance => {
            lane.spawn((abs(4.0, 18.0, 9.0), BackgroundColor(c)));
        }
        MarkKind::Pause => {
            lane.spawn((abs(3.0, 10.0, 13.0), BackgroundColor(c)));
        }
        MarkKind::KeyMoment => {
            lane.spawn((
                Node {
                    border: UiRect::all(Val::Px(2.0)),
                    border_radius: BorderRadius::MAX,
                    ..abs(13.0, 13.0, 1.0)
                },
                BackgroundColor(c),
                BorderColor::all(Color::BLACK),
            ));
        }
        MarkKind::InstructorFlag => {
            // A pole with a flag on top, the full height of the lane.
            lane.spawn(Node {
                margin: UiRect::left(Val::Px(-1.0)),
                ..abs(16.0, LANE_H, 0.0)
            })
            .with_children(|f| {
                f.spawn((
                    Node {
                        position_type: PositionType::Absolute,
                        left: Val::Px(0.0),
                        top: Val::Px(0.0),
                        width: Val::Px(3.0),
                        height: Val::Px(LANE_H),
                        ..default()
                    },
                    BackgroundColor(c),
                ));
                f.spawn((
                    Node {
                        position_type: PositionType::Absolute,
                        left: Val::Px(3.0),
                        top: Val::Px(0.0),
                        width: Val::Px(13.0),
                        height: Val::Px(9.0),
                        ..default()
                    },
                    BackgroundColor(c),
                ));
            });
        }
        MarkKind::Instructor => {
            lane.spawn((abs(9.0, 9.0, 25.0), BackgroundColor(c)));
        }
        MarkKind::Trigger => {
            lane.spawn((abs(7.0, 7.0, 27.0), BackgroundColor(c)));
        }
        MarkKind::Ending => {
            lane.spawn((abs(5.0, LANE_H, 0.0), BackgroundColor(c)));
        }
    }
}

fn panel() -> (Node, BackgroundColor, BorderColor) {
    (
        Node {
            padding: UiRect::axes(Val::Px(16.0), Val::Px(10.0)),
            ..theme::panel_node()
        },
        BackgroundColor(color::PANEL),
        BorderColor::all(color::BORDER),
    )
}

fn legend(p: &mut ChildSpawnerCommands, fonts: &UiFonts, swatch: Color, label: &str) {
    p.spawn(Node {
        align_items: AlignItems::Center,
        column_gap: Val::Px(5.0),
        ..default()
    })
    .with_children(|l| {
        l.spawn((
            Node {
                width: Val::Px(12.0),
                height: Val::Px(12.0),
                border_radius: BorderRadius::all(Val::Px(2.0)),
                ..default()
            },
            BackgroundColor(swatch),
        ));
        l.spawn(fonts.text(label, size::SMALL, color::MUTED));
    });
}

fn spawn_ui(
    mut commands: Commands,
    fonts: Option<Res<UiFonts>>,
    view: Option<Res<ReplayView>>,
    error: Res<ReplayError>,
    mut images: ResMut<Assets<Image>>,
) {
    let Some(fonts) = fonts else { return };
    let Some(view) = view else {
        let msg = error
            .0
            .clone()
            .unwrap_or_else(|| "No session record was chosen to replay.".into());
        commands
            .spawn((
                Node {
                    justify_content: JustifyContent::Center,
                    align_items: AlignItems::Center,
                    ..theme::screen_root()
                },
                DespawnOnExit(Screen::Replay),
            ))
            .with_children(|root| {
                root.spawn((
                    Node {
                        width: Val::Px(900.0),
                        row_gap: Val::Px(12.0),
                        padding: UiRect::all(Val::Px(28.0)),
                        ..theme::panel_node()
                    },
                    BackgroundColor(color::PANEL_SOLID),
                    BorderColor::all(color::BAD),
                ))
                .with_children(|p| {
                    p.spawn(fonts.bold("This run cannot be replayed", size::HEADING, color::BAD));
                    p.spawn(fonts.mono(msg, size::SMALL, color::TEXT));
                    p.spawn(fonts.text(
                        "Esc goes back to the scenario list.",
                        size::BODY,
                        color::MUTED,
                    ));
                });
            });
        return;
    };
    let d = &view.replay.debrief;
    let dur = view.duration().max(0.1);
    let canvas = curves(&view);
    let chart = images.add(Image::new(
        Extent3d {
            width: canvas.width,
            height: canvas.height,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        canvas.data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD | RenderAssetUsages::MAIN_WORLD,
    ));
    let ending = match (&d.ending_title, d.outcome) {
        (Some(t), Some(o)) => format!("{t} ({})", o.label()),
        (Some(t), None) => t.clone(),
        _ if d.timed_out => "time ran out".into(),
        _ => "stopped before an ending".into(),
    };
    let record_name = view
        .record_path
        .file_name()
        .map_or(String::new(), |f| f.to_string_lossy().to_string());

    commands
        .spawn((
            Name::new("Replay interface"),
            Node {
                justify_content: JustifyContent::SpaceBetween,
                ..theme::screen_root()
            },
            DespawnOnExit(Screen::Replay),
        ))
        .with_children(|root| {
            // Top: what this is, and the numbers at the playhead.
            root.spawn((TopPanels, Node {
                justify_content: JustifyContent::SpaceBetween,
                align_items: AlignItems::FlexStart,
                padding: UiRect::all(Val::Px(14.0)),
                column_gap: Val::Px(14.0),
                ..default()
            }))
            .with_children(|top| {
                top.spawn(panel())
                    .insert(Node {
                        width: Val::Px(600.0),
                        padding: UiRect::axes(Val::Px(16.0), Val::Px(10.0)),
                        ..theme::panel_node()
                    })
                    .with_children(|p| {
                        p.spawn(fonts.bold("AFTER-ACTION REVIEW", size::SMALL, color::ACCENT));
                        p.spawn(fonts.bold(d.scenario_title.clone(), size::HEADING, color::TEXT));
                        p.spawn(fonts.text(
                            format!("Trainee: {} · {}", view.trainee, ending),
                            size::BODY,
                            color::TEXT,
                        ));
                        p.spawn(fonts.text(record_name, size::SMALL, color::MUTED));
                        if let Some(n) = &view.notice {
                            p.spawn(fonts.text(n.clone(), size::SMALL, color::WARN));
                        }
                    });
                top.spawn(panel())
                    .insert(Node {
                        width: Val::Px(340.0),
                        padding: UiRect::axes(Val::Px(16.0), Val::Px(10.0)),
                        ..theme::panel_node()
                    })
                    .with_children(|p| {
                        p.spawn((ClockText, fonts.bold("", size::HEADING, color::TEXT)));
                        p.spawn((StatusText, fonts.text("", size::BODY, color::MUTED)));
                        for s in [Stat::Agitation, Stat::Trust, Stat::Distance, Stat::Scene, Stat::Body] {
                            p.spawn((s, fonts.text("", size::BODY, color::TEXT)));
                        }
                    });
            });
            // Bottom: subtitle, then the timeline.
            root.spawn(Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: Val::Px(8.0),
                padding: UiRect::new(Val::Px(14.0), Val::Px(14.0), Val::Px(0.0), Val::Px(12.0)),
                ..default()
            })
            .with_children(|bottom| {
                bottom
                    .spawn((
                        SubtitleBox,
                        Node {
                            max_width: Val::Px(1040.0),
                            padding: UiRect::axes(Val::Px(16.0), Val::Px(8.0)),
                            border_radius: BorderRadius::all(Val::Px(6.0)),
                            ..default()
                        },
                        BackgroundColor(color::SHADE),
                        Visibility::Hidden,
                    ))
                    .with_children(|s| {
                        s.spawn((Text::default(), fonts.font(false, size::LARGE), TextColor(color::TEXT)))
                            .insert(SubtitleText)
                            .with_children(|t| {
                                t.spawn((SubtitleSpeaker, fonts.span("", size::LARGE, color::SUBJECT, true)));
                                t.spawn(fonts.span("", size::LARGE, color::TEXT, false));
                            });
                    });
                bottom
                    .spawn(panel())
                    .insert(Node {
                        width: Val::Percent(100.0),
                        padding: UiRect::axes(Val::Px(14.0), Val::Px(10.0)),
                        row_gap: Val::Px(6.0),
                        ..theme::panel_node()
                    })
                    .with_children(|tl| {
                        tl.spawn(Node {
                            justify_content: JustifyContent::SpaceBetween,
                            align_items: AlignItems::Center,
                            column_gap: Val::Px(12.0),
                            ..default()
                        })
                        .with_children(|row| {
                            row.spawn((
                                Node {
                                    flex_shrink: 1.0,
                                    ..default()
                                },
                                children![(MarkLabel, fonts.text("", size::BODY, color::TEXT))],
                            ));
                            row.spawn(Node {
                                column_gap: Val::Px(12.0),
                                flex_shrink: 0.0,
                                ..default()
                            })
                            .with_children(|l| {
                                legend(l, &fonts, tone_color(crate::vocab::Tone::Calm), "said (tone)");
                                legend(l, &fonts, color::WARN, "key moment");
                                legend(l, &fonts, color::ACCENT, "instructor");
                                legend(l, &fonts, to_color(chart::TRIGGER), "trigger");
                            });
                        });
                        tl.spawn((
                            TimelineTrack,
                            Button,
                            RelativeCursorPosition::default(),
                            Node {
                                width: Val::Percent(100.0),
                                flex_direction: FlexDirection::Column,
                                ..default()
                            },
                        ))
                        .with_children(|track| {
                            track
                                .spawn((
                                    Node {
                                        width: Val::Percent(100.0),
                                        height: Val::Px(LANE_H),
                                        ..default()
                                    },
                                    BackgroundColor(color::PANEL_LIGHT),
                                ))
                                .with_children(|lane| {
                                    for m in &view.replay.marks {
                                        spawn_mark(lane, m, dur);
                                    }
                                });
                            track.spawn((
                                ImageNode::new(chart).with_mode(bevy::ui::widget::NodeImageMode::Stretch),
                                Node {
                                    width: Val::Percent(100.0),
                                    height: Val::Px(CHART_H as f32),
                                    ..default()
                                },
                            ));
                            // What the two curves are, in their colours, over the chart.
                            track
                                .spawn(Node {
                                    position_type: PositionType::Absolute,
                                    left: Val::Px(6.0),
                                    top: Val::Px(LANE_H + 2.0),
                                    column_gap: Val::Px(12.0),
                                    padding: UiRect::axes(Val::Px(6.0), Val::Px(0.0)),
                                    border_radius: BorderRadius::all(Val::Px(4.0)),
                                    ..default()
                                })
                                .insert(BackgroundColor(color::SHADE))
                                .with_children(|l| {
                                    l.spawn(fonts.bold("agitation", size::SMALL, to_color(chart::AGITATION)));
                                    l.spawn(fonts.bold("distance", size::SMALL, to_color(chart::DISTANCE)));
                                    l.spawn(fonts.bold("ideal band", size::SMALL, to_color([90, 215, 130, 255])));
                                });
                            track.spawn((
                                Playhead,
                                Node {
                                    position_type: PositionType::Absolute,
                                    top: Val::Px(-3.0),
                                    bottom: Val::Px(-3.0),
                                    width: Val::Px(3.0),
                                    margin: UiRect::left(Val::Px(-1.5)),
                                    left: Val::Percent(0.0),
                                    ..default()
                                },
                                BackgroundColor(Color::WHITE),
                            ));
                        });
                        tl.spawn(fonts.text(
                            "Space play/pause · ←/→ 1 s (Shift 10 s) · [ ] marks · F next flag (Shift+F back) · −/+ speed · 1 2 3 cameras · P panels · Esc back",
                            size::SMALL,
                            color::MUTED,
                        ));
                    });
            });
        });
}

fn timeline_seek(
    view: Option<ResMut<ReplayView>>,
    track: Query<(&Interaction, &RelativeCursorPosition), With<TimelineTrack>>,
) {
    let Some(mut view) = view else { return };
    for (i, pos) in &track {
        if *i == Interaction::Pressed
            && let Some(n) = pos.normalized
        {
            let t = (n.x + 0.5).clamp(0.0, 1.0) * view.duration();
            if (t - view.t).abs() > 0.02 {
                view.seek(t);
            }
        }
    }
}

fn mark_text(m: &Mark) -> String {
    let at = crate::score::clock(m.t);
    match m.kind {
        MarkKind::Utterance => format!(
            "{at}  You ({}): “{}”",
            m.tone.map_or("", |t| t.label()),
            m.label
        ),
        MarkKind::Pause => format!("{at}  Tactical pause"),
        MarkKind::KeyMoment => format!("{at}  Key moment: {}", m.label),
        MarkKind::InstructorFlag => format!("{at}  Instructor flag: {}", m.label),
        MarkKind::Instructor => format!("{at}  {}", m.label),
        MarkKind::Trigger => format!("{at}  Trigger: {}", m.label),
        MarkKind::Ending => format!("{at}  Ending: {}", m.label),
    }
}

fn set_text(t: &mut Text, s: String) {
    if t.0 != s {
        t.0 = s;
    }
}

#[allow(clippy::type_complexity, clippy::too_many_arguments)]
fn update_ui(
    view: Option<Res<ReplayView>>,
    mut clock: Query<&mut Text, (With<ClockText>, Without<StatusText>, Without<MarkLabel>)>,
    mut status: Query<&mut Text, (With<StatusText>, Without<ClockText>, Without<MarkLabel>)>,
    mut stats: Query<
        (&Stat, &mut Text, &mut TextColor),
        (Without<ClockText>, Without<StatusText>, Without<MarkLabel>),
    >,
    mut label: Query<
        &mut Text,
        (
            With<MarkLabel>,
            Without<ClockText>,
            Without<StatusText>,
            Without<Stat>,
        ),
    >,
    mut playhead: Query<&mut Node, With<Playhead>>,
    mut sub_box: Query<&mut Visibility, With<SubtitleBox>>,
    sub_text: Query<&Children, With<SubtitleText>>,
    mut spans: Query<(&mut TextSpan, &mut TextColor), Without<Stat>>,
) {
    let Some(view) = view else { return };
    let Some(f) = view.frame().cloned() else {
        return;
    };
    let sc = &view.scenario;
    let dur = view.duration();
    for mut t in &mut clock {
        set_text(
            &mut t,
            format!(
                "{} / {}",
                crate::score::clock(view.t),
                crate::score::clock(dur)
            ),
        );
    }
    for mut t in &mut status {
        let state = if view.playing {
            "▶ playing"
        } else if view.t >= dur - 1e-3 {
            "■ end"
        } else {
            "❚❚ paused"
        };
        set_text(
            &mut t,
            format!(
                "{state} · {}×\nCamera {}",
                view.speed(),
                view.camera.label()
            ),
        );
    }
    for (s, mut t, mut c) in &mut stats {
        let (text, col) = match s {
            Stat::Agitation => (
                format!("Agitation {:.0}", f.agitation),
                match f.agitation {
                    a if a >= 75.0 => color::BAD,
                    a if a >= 50.0 => color::ORANGE,
                    a if a >= 25.0 => color::WARN,
                    _ => color::GOOD,
                },
            ),
            Stat::Trust => (format!("Trust {:.0}", f.trust), color::TEXT),
            Stat::Distance => {
                if f.distance.is_finite() {
                    (
                        format!(
                            "Distance {:.1} m — {}",
                            f.distance,
                            zone_label(sc, f.distance)
                        ),
                        zone_color(sc, f.distance),
                    )
                } else {
                    ("Distance —".into(), color::MUTED)
                }
            }
            Stat::Scene => (
                format!(
                    "Scene: {}",
                    view.replay
                        .scenes
                        .get(f.scene as usize)
                        .map_or("?", String::as_str)
                ),
                color::MUTED,
            ),
            Stat::Body => {
                let mut s = format!("Body: {}", f.body.label());
                if f.trainee.hands == Hands::WeaponDrawn {
                    s.push_str(" · weapon drawn");
                }
                if f.trainee.in_cover {
                    s.push_str(" · in cover");
                }
                (s, color::MUTED)
            }
        };
        set_text(&mut t, text);
        if c.0 != col {
            c.0 = col;
        }
    }
    for mut t in &mut label {
        let text = view.recent_mark(4.0).map_or_else(
            || "[ ] jump between marks · F jumps to the next instructor flag".to_string(),
            mark_text,
        );
        set_text(&mut t, text);
    }
    for mut n in &mut playhead {
        let left = Val::Percent((view.t / dur.max(0.01) * 100.0).clamp(0.0, 100.0));
        if n.left != left {
            n.left = left;
        }
    }
    let line = f.subtitle.and_then(|i| view.replay.lines.get(i as usize));
    for mut v in &mut sub_box {
        let want = if line.is_some() {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        if *v != want {
            *v = want;
        }
    }
    if let Some(line) = line {
        let who = if line.speaker == "You" {
            color::TRAINEE
        } else if line.speaker == view.replay.debrief.subject_name {
            color::SUBJECT
        } else if line.speaker.starts_with("Radio") {
            color::RADIO
        } else {
            color::PARTNER
        };
        for children in &sub_text {
            let mut it = children.iter();
            if let Some(e) = it.next()
                && let Ok((mut s, mut c)) = spans.get_mut(e)
            {
                let want = format!("{}: ", line.speaker);
                if s.0 != want {
                    s.0 = want;
                }
                if c.0 != who {
                    c.0 = who;
                }
            }
            if let Some(e) = it.next()
                && let Ok((mut s, _)) = spans.get_mut(e)
                && s.0 != line.text
            {
                s.0 = line.text.clone();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Screenshots (`deescalate replay RECORD --screenshots DIR`)
// ---------------------------------------------------------------------------------------

#[derive(Default)]
struct Shots {
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

#[allow(clippy::too_many_arguments)]
fn screenshots(
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
