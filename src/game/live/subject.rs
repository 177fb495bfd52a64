//! The subject in a live run: spawned from the scenario as a `humanoid` with a collider
//! (the trainee cannot walk through them), the chest point the cover raycast aims at and a
//! key light that keeps them readable, and animated every frame from the core's body state,
//! agitation and the story's acts.

use crate::game::humanoid::acts::Stage;
use crate::game::humanoid::body_language::{Cue, SubjectMotion};
use crate::game::humanoid::{Animated, Build, HumanoidMeshes, Look, Outfit, spawn_humanoid};
use crate::game::scene::ground::Ground;
use crate::game::scene::lighting::{SubjectKeyLight, aim_key_light, key_light};
use crate::game::scene::markers::{PlayerCamera, SubjectChest};
use crate::game::state::{AnimateSet, PlayState, Screen, Session};
use bevy::prelude::*;
use bevy_rapier3d::prelude::Collider;
use std::sync::Arc;

/// The subject's root.
#[derive(Component, Debug)]
pub struct Subject;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Playing),
        spawn_subject.run_if(resource_exists::<Session>),
    )
    .add_systems(
        Update,
        (
            animate_subject.in_set(AnimateSet::Aim),
            aim_key_light.after(AnimateSet::Pose),
        )
            .run_if(in_state(Screen::Playing).and_then(resource_exists::<Session>)),
    );
}

fn spawn_subject(
    mut commands: Commands,
    session: Res<Session>,
    m: Res<HumanoidMeshes>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let scenario = session.sim.scenario();
    let subj = &scenario.subject;
    let a = &subj.appearance;
    let build = Build::new(a.height, a.build);
    let spawn = subj.spawn;
    let yaw = spawn.facing.to_radians();
    let outfit = Outfit {
        look: Look::of(a),
        uniform: false,
        held: subj.holding,
        sidearm: false,
    };
    let root = spawn_humanoid(
        &mut commands,
        &m,
        &mut materials,
        build,
        outfit,
        (
            Name::new(format!("Subject: {}", subj.name)),
            Subject,
            SubjectMotion::new(scenario),
            Stage::new(Arc::clone(scenario), Screen::Playing),
            Animated::standing(Vec2::new(spawn.x, spawn.z), yaw, 1.5, 0.02),
            Transform::from_xyz(spawn.x, 0.0, spawn.z).with_rotation(Quat::from_rotation_y(yaw)),
            Visibility::default(),
            DespawnOnExit(Screen::Playing),
        ),
    );
    // The trainee cannot walk through the subject (a capsule around the body), and the
    // cover raycast aims at the chest.
    commands.entity(root).with_children(|c| {
        c.spawn((
            Collider::capsule_y(build.height * 0.3, 0.25),
            Transform::from_xyz(0.0, build.height * 0.5, 0.0),
        ));
        c.spawn((
            SubjectChest,
            Transform::from_xyz(0.0, build.height * 0.72, 0.0),
            Visibility::default(),
        ));
    });
    commands.spawn((
        Name::new("Subject key light"),
        key_light(),
        SubjectKeyLight,
        Transform::from_xyz(spawn.x, 2.0, spawn.z),
        DespawnOnExit(Screen::Playing),
    ));
}

/// Seconds since the last frame, or 0 while paused.
pub fn frame_dt(time: &Time, play: Option<&State<PlayState>>) -> f32 {
    if play.is_some_and(|s| *s.get() == PlayState::Paused) {
        0.0
    } else {
        time.delta_secs().min(0.1)
    }
}

/// Body language of the subject from `sim.body()`, agitation and the acts so far.
fn animate_subject(
    time: Res<Time>,
    session: Res<Session>,
    play: Option<Res<State<PlayState>>>,
    trainee: Query<&GlobalTransform, With<PlayerCamera>>,
    mut q: Query<(&mut SubjectMotion, &mut Animated, &Build, &mut Stage)>,
    ground: Res<Ground>,
) {
    let sim = &session.sim;
    let scenario = sim.scenario();
    for (mut motion, mut anim, build, mut stage) in &mut q {
        stage.staging.clone_from(sim.staging());
        stage.last = sim.acts().last().map(|a| (a.acted, sim.time() - a.t));
        let cue = Cue {
            body: sim.body(),
            agitation: sim.agitation().clamp(0.0, 100.0),
            trainee: trainee.iter().next().map(|t| t.translation().xz()),
            dt: frame_dt(&time, play.as_deref()),
            stage: Some(&stage),
        };
        let aim = motion.aim(&mut anim, build, &cue, scenario, &ground);
        anim.follow(&aim, cue.dt);
    }
}
