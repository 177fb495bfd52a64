//! The trainee: a first-person camera at eye height on a capsule that rapier's kinematic
//! character controller moves, so props block the way. WASD walks (1.4 m/s), Shift walks
//! fast (3.5 m/s), the mouse looks around while the run is running (the cursor is grabbed
//! then and released when paused or on menus, when the UI sets [`CursorFree`], when the
//! window loses the focus, or while the instructor has borrowed the mouse, [`CursorLent`]).
//!
//! Walking happens in the core's fixed tick, one step of `speed × DT` per tick, so the
//! distance covered follows the simulation clock at any frame rate (a PC drawing two
//! frames a second runs five ticks a frame and walks as far as one drawing sixty); the
//! camera is drawn between the last two ticks' positions so it glides at high frame rates.
//! After each step the position, velocity, facing and cover (a rapier raycast from the
//! eyes to the subject's chest that hits a prop marked `cover`) go into [`TraineeBody`].
//! Footsteps go out as [`Footstep`] messages for audio.

use super::session::TraineeBody;
use crate::format::scenario::Spawn;
use crate::game::humanoid::pose::yaw_rotation;
use crate::game::scene::markers::{CoverCollider, PlayerCamera, SubjectChest};
use crate::game::settings::Settings;
use crate::game::state::{PlayState, Screen, Session, TickSet};
use crate::sim::DT;
use bevy::input::mouse::AccumulatedMouseMotion;
use bevy::prelude::*;
use bevy::window::{CursorGrabMode, CursorOptions, PrimaryWindow};
use bevy_rapier3d::prelude::*;
use bevy_rapier3d::rapier::control::{
    CharacterLength as RawLength, KinematicCharacterController as RawController,
};
use bevy_rapier3d::rapier::math::Pose;

/// Walking speed, m/s (the same as a script's `walk`).
pub const WALK_SPEED: f32 = crate::sim::script::WALK_SPEED;
/// Fast walk / jog with Shift, m/s.
pub const FAST_SPEED: f32 = 3.5;
pub use crate::game::humanoid::rig::EYE_HEIGHT;
/// Capsule: half the cylinder length and the radius (total height 1.8 m).
const CAPSULE_HALF: f32 = 0.6;
const CAPSULE_RADIUS: f32 = 0.3;
const BODY_CENTRE: f32 = CAPSULE_HALF + CAPSULE_RADIUS;
/// The camera's place on the body (at eye height).
const EYE_OFFSET: Vec3 = Vec3::new(0.0, EYE_HEIGHT - BODY_CENTRE, 0.0);
/// Radians of look per pixel of mouse motion at the default sensitivity setting (1.0).
const MOUSE_SENSITIVITY: f32 = 0.0022;
/// Frames of mouse motion ignored after the cursor is grabbed again.
const GRAB_SETTLE_FRAMES: u8 = 2;
/// Stride length (metres between footsteps) walking and fast.
const STRIDE_WALK: f32 = 0.72;
const STRIDE_FAST: f32 = 1.05;

/// The trainee's body (moved as a capsule by the character controller). Its translation is
/// the capsule centre; x/z are the trainee's position on the ground plane.
#[derive(Component, Debug, Default)]
pub struct Player {
    /// Measured ground velocity (m/s), from the controller's effective movement.
    pub velocity: Vec2,
    /// Where the body was before the last tick's step (the camera is drawn between the two).
    previous: Vec3,
    /// Distance walked since the last footstep.
    stride: f32,
    pub running: bool,
}

/// While true the mouse is free (for clicking UI) even though the run is going.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CursorFree(pub bool);

/// The instructor has borrowed the mouse for their own window (one PC, one mouse): the
/// trainee's window leaves the cursor free and the view still until it is clicked again.
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CursorLent(pub bool);

/// Present while autoplay drives the trainee (keyboard and mouse are ignored).
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct Autopilot;

/// A footstep, for audio.
#[derive(Message, Debug, Clone, Copy)]
pub struct Footstep {
    /// Where the foot landed (on the ground).
    pub position: Vec3,
    /// Fast pace (Shift) rather than a walk.
    pub running: bool,
}

/// The trainee's body, camera, walking and measuring (headless tests add it with rapier).
pub fn plugin(app: &mut App) {
    app.init_resource::<CursorFree>()
        .init_resource::<CursorLent>()
        .add_message::<Footstep>()
        .add_systems(OnEnter(Screen::Playing), spawn_player)
        .add_systems(
            Update,
            (
                look.run_if(
                    in_state(PlayState::Running).and_then(not(resource_exists::<Autopilot>)),
                ),
                glide_camera.run_if(in_state(Screen::Playing)),
                footsteps.run_if(in_state(PlayState::Running)),
                grab_cursor,
            ),
        )
        .add_systems(
            FixedUpdate,
            (walk, measure)
                .chain()
                .in_set(TickSet::Measure)
                .run_if(in_state(PlayState::Running).and_then(not(resource_exists::<Autopilot>))),
        );
}

/// The scenario yaw (degrees, in -180..=180) of a rotation.
pub fn facing_of(rotation: Quat) -> f32 {
    let forward = rotation * Vec3::NEG_Z;
    if forward.x.abs() + forward.z.abs() < 1e-6 {
        return 0.0;
    }
    (-forward.x).atan2(-forward.z).to_degrees()
}

/// The player's transform at a spawn point.
pub fn spawn_transform(spawn: &Spawn) -> Transform {
    Transform::from_xyz(spawn.x, BODY_CENTRE, spawn.z).with_rotation(yaw_rotation(spawn.facing))
}

fn spawn_player(mut commands: Commands, session: Option<Res<Session>>) {
    let Some(session) = session else { return };
    let spawn = spawn_transform(&session.sim.scenario().place.trainee_spawn);
    commands.spawn((
        Name::new("Trainee"),
        Player {
            previous: spawn.translation,
            ..default()
        },
        spawn,
        Visibility::default(),
        DespawnOnExit(Screen::Playing),
        children![(
            Name::new("Trainee camera"),
            PlayerCamera,
            Camera3d::default(),
            Projection::Perspective(PerspectiveProjection {
                fov: 58f32.to_radians(),
                near: 0.05,
                far: 800.0,
                ..default()
            }),
            Transform::from_translation(EYE_OFFSET),
            // Multisampling quadruples the cost on the software renderers many training
            // PCs fall back to; edges stay acceptable without it.
            Msaa::Off,
            // Depth first, then shade each pixel once: far less work where things overlap.
            bevy::core_pipeline::prepass::DepthPrepass,
            bevy::ui::IsDefaultUiCamera,
        )],
    ));
}

fn look(
    motion: Res<AccumulatedMouseMotion>,
    settings: Option<Res<Settings>>,
    free: Res<CursorFree>,
    lent: Res<CursorLent>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut body: Single<&mut Transform, (With<Player>, Without<PlayerCamera>)>,
    mut camera: Single<&mut Transform, (With<PlayerCamera>, Without<Player>)>,
    mut settling: Local<u8>,
) {
    if free.0 || lent.0 || !window.is_some_and(|w| w.focused) {
        *settling = GRAB_SETTLE_FRAMES;
        return;
    }
    // Locking the cursor again (the talk panel closed) moves the pointer: not a look.
    if *settling > 0 {
        *settling -= 1;
        return;
    }
    let d = motion.delta;
    if d == Vec2::ZERO || !d.is_finite() {
        return;
    }
    // The player's own setting (Settings screen, saved between runs) scales the look speed.
    let k = MOUSE_SENSITIVITY * settings.map_or(1.0, |s| s.mouse_sensitivity.clamp(0.2, 3.0));
    let yaw = -d.x * k;
    body.rotate_y(yaw);
    let (_, pitch, _) = camera.rotation.to_euler(EulerRot::YXZ);
    let pitch = (pitch - d.y * k).clamp(-1.35, 1.35);
    camera.rotation = Quat::from_rotation_x(pitch);
}

/// The way WASD (and Shift) point, as a ground velocity in m/s for a body facing `rotation`.
pub fn wanted_velocity(keys: &ButtonInput<KeyCode>, rotation: Quat) -> Vec3 {
    let mut dir = Vec2::ZERO;
    for (key, d) in [
        (KeyCode::KeyW, Vec2::Y),
        (KeyCode::KeyS, Vec2::NEG_Y),
        (KeyCode::KeyD, Vec2::X),
        (KeyCode::KeyA, Vec2::NEG_X),
    ] {
        if keys.pressed(key) {
            dir += d;
        }
    }
    if dir == Vec2::ZERO {
        return Vec3::ZERO;
    }
    let fast = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    let speed = if fast { FAST_SPEED } else { WALK_SPEED };
    let forward = rotation * Vec3::NEG_Z;
    let forward = Vec3::new(forward.x, 0.0, forward.z).normalize_or_zero();
    let right = Vec3::new(-forward.z, 0.0, forward.x);
    (forward * dir.y + right * dir.x).normalize_or_zero() * speed
}

/// One tick's step: the controller moves the capsule `velocity × DT`, sliding along props.
/// The capsule is not a rapier body (nothing else collides with the trainee, and rapier
/// writing its own idea of the body back into the transform would undo the step).
fn walk(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    rapier: ReadRapierContext,
    mut q: Single<(&mut Transform, &mut Player)>,
) {
    let (ref mut transform, ref mut player) = *q;
    let wanted = keys.map_or(Vec3::ZERO, |k| wanted_velocity(&k, transform.rotation));
    player.previous = transform.translation;
    player.running = wanted.length() > WALK_SPEED + 0.1;
    let desired = wanted * DT;
    let moved = match rapier.single() {
        Ok(ctx) if desired != Vec3::ZERO => {
            let controller = RawController {
                offset: RawLength::Absolute(0.03),
                slide: true,
                autostep: None,
                snap_to_ground: None,
                ..default()
            };
            let pose = Pose::from_parts(transform.translation, Quat::IDENTITY);
            let capsule = Collider::capsule_y(CAPSULE_HALF, CAPSULE_RADIUS);
            let filter = QueryFilter::new().exclude_sensors();
            ctx.with_query_pipeline(filter, |qp| {
                controller
                    .move_shape(
                        DT,
                        &qp.query_pipeline,
                        &*capsule.raw,
                        &pose,
                        desired,
                        |_| {},
                    )
                    .translation
            })
        }
        // No physics (headless tools) or standing still: nothing to collide with.
        _ => desired,
    };
    let moved = Vec3::new(moved.x, 0.0, moved.z);
    let moved = if moved.is_finite() { moved } else { Vec3::ZERO };
    transform.translation += moved;
    player.velocity = Vec2::new(moved.x, moved.z) / DT;
}

/// Draw the camera between the last two ticks' positions (a step every tick would judder
/// on a fast screen); the body itself, what the core measures, stays on the tick.
fn glide_camera(
    fixed: Res<Time<Fixed>>,
    running: Option<Res<State<PlayState>>>,
    autopilot: Option<Res<Autopilot>>,
    body: Single<(&Transform, &Player), Without<PlayerCamera>>,
    mut camera: Single<&mut Transform, (With<PlayerCamera>, Without<Player>)>,
) {
    let (t, player) = *body;
    let gliding = autopilot.is_none() && running.is_some_and(|s| *s.get() == PlayState::Running);
    let behind = if gliding {
        player
            .previous
            .lerp(t.translation, fixed.overstep_fraction())
            - t.translation
    } else {
        Vec3::ZERO
    };
    let behind = if behind.length() < 1.0 {
        behind
    } else {
        Vec3::ZERO
    };
    let want = EYE_OFFSET + t.rotation.inverse() * behind;
    if camera.translation.distance_squared(want) > 1e-8 {
        camera.translation = want;
    }
}

/// Footsteps from the distance actually covered (works for autoplay too).
fn footsteps(
    mut q: Query<(&Transform, &mut Player)>,
    mut last: Local<Option<Vec2>>,
    mut steps: MessageWriter<Footstep>,
) {
    for (t, mut player) in &mut q {
        let p = Vec2::new(t.translation.x, t.translation.z);
        let moved = last.map_or(0.0, |l| l.distance(p));
        *last = Some(p);
        if moved > 1.0 {
            // A teleport (reset to spawn), not a step.
            player.stride = 0.0;
            continue;
        }
        player.stride += moved;
        let stride = if player.running {
            STRIDE_FAST
        } else {
            STRIDE_WALK
        };
        if player.stride >= stride {
            player.stride -= stride;
            steps.write(Footstep {
                position: Vec3::new(p.x, 0.0, p.y),
                running: player.running,
            });
        }
    }
}

/// The trainee's state for this tick: position, velocity, facing, cover.
fn measure(
    player: Single<(&Transform, &Player)>,
    chest: Option<Single<&GlobalTransform, With<SubjectChest>>>,
    session: Option<Res<Session>>,
    rapier: ReadRapierContext,
    cover: Query<(), With<CoverCollider>>,
    mut body: ResMut<TraineeBody>,
) {
    let (t, p) = *player;
    let eye = Vec3::new(t.translation.x, EYE_HEIGHT, t.translation.z);
    let target = match (&chest, &session) {
        (Some(c), _) => c.translation(),
        (None, Some(s)) => {
            let sp = s.sim.scenario().subject.spawn;
            Vec3::new(sp.x, 1.3, sp.z)
        }
        (None, None) => eye,
    };
    let in_cover = match rapier.single() {
        Ok(ctx) if target.distance(eye) > 0.1 => {
            let pred = |e: Entity| cover.contains(e);
            let filter = QueryFilter::new().exclude_sensors().predicate(&pred);
            ctx.cast_ray(eye, target - eye, 1.0, true, filter).is_some()
        }
        _ => false,
    };
    *body = TraineeBody {
        x: t.translation.x,
        z: t.translation.z,
        vx: p.velocity.x,
        vz: p.velocity.y,
        facing: facing_of(t.rotation),
        in_cover,
    };
}

/// Grab the cursor while running (not paused, not on menus, not when the UI wants it, never
/// while the window is not focused or the instructor has borrowed the mouse).
fn grab_cursor(
    mut window: Query<(&Window, &mut CursorOptions), With<PrimaryWindow>>,
    play: Option<Res<State<PlayState>>>,
    free: Res<CursorFree>,
    lent: Res<CursorLent>,
    autopilot: Option<Res<Autopilot>>,
) {
    let Ok((w, mut cursor)) = window.single_mut() else {
        return;
    };
    let running = play.is_some_and(|s| *s.get() == PlayState::Running);
    let grab = running && !free.0 && !lent.0 && autopilot.is_none() && w.focused;
    let (mode, visible) = if grab {
        (CursorGrabMode::Locked, false)
    } else {
        (CursorGrabMode::None, true)
    };
    if cursor.grab_mode != mode || cursor.visible != visible {
        cursor.grab_mode = mode;
        cursor.visible = visible;
    }
}
