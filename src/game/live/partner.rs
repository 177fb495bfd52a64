//! The partner in a live run: a uniformed `humanoid` whatever their name (or, cast as a
//! civilian, a manager in their own clothes) that stands by facing the subject, gestures
//! while the core says they talk over, and steps back when asked.

use super::subject::frame_dt;
use crate::game::humanoid::body_language::PartnerMotion;
use crate::game::humanoid::pose::yaw_towards;
use crate::game::humanoid::rig::partner;
use crate::game::humanoid::{Animated, HumanoidMeshes, spawn_humanoid};
use crate::game::state::{AnimateSet, PlayState, Screen, Session, SimEvent};
use crate::sim::EventKind;
use bevy::prelude::*;
use bevy_rapier3d::prelude::Collider;

/// The partner officer's root.
#[derive(Component, Debug)]
pub struct PartnerOfficer;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Playing),
        spawn_partner.run_if(resource_exists::<Session>),
    )
    .add_systems(
        Update,
        (partner_events, animate_partner)
            .chain()
            .in_set(AnimateSet::Aim)
            .run_if(in_state(Screen::Playing).and_then(resource_exists::<Session>)),
    );
}

fn spawn_partner(
    mut commands: Commands,
    session: Res<Session>,
    m: Res<HumanoidMeshes>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let scenario = session.sim.scenario();
    let Some(p) = scenario.partner.as_ref() else {
        return;
    };
    let (build, outfit) = partner(p);
    let s = scenario.subject.spawn;
    let at = Vec2::new(p.spawn.x, p.spawn.z);
    let yaw = yaw_towards(at, Vec2::new(s.x, s.z)).unwrap_or(p.spawn.facing.to_radians());
    let root = spawn_humanoid(
        &mut commands,
        &m,
        &mut materials,
        build,
        outfit,
        (
            Name::new(format!("Partner: {}", p.name)),
            PartnerOfficer,
            PartnerMotion::new(p.spawn),
            Animated::standing(at, yaw, 1.3, 0.015),
            Transform::from_xyz(p.spawn.x, 0.0, p.spawn.z)
                .with_rotation(Quat::from_rotation_y(yaw)),
            Visibility::default(),
            DespawnOnExit(Screen::Playing),
        ),
    );
    commands.entity(root).with_child((
        Collider::capsule_y(0.55, 0.25),
        Transform::from_xyz(0.0, 0.9, 0.0),
    ));
}

/// The partner reacts to the core's events: talking over (gesturing) and stepping back.
fn partner_events(mut events: MessageReader<SimEvent>, mut q: Query<&mut PartnerMotion>) {
    for SimEvent(e) in events.read() {
        for mut p in &mut q {
            match &e.kind {
                EventKind::PartnerTalksOver { .. } => p.talking = 3.5,
                EventKind::PartnerSteppedBack => {
                    p.stepped_back = true;
                    p.talking = 0.0;
                }
                _ => {}
            }
        }
    }
}

fn animate_partner(
    time: Res<Time>,
    session: Res<Session>,
    play: Option<Res<State<PlayState>>>,
    mut q: Query<(&mut PartnerMotion, &mut Animated)>,
) {
    let dt = frame_dt(&time, play.as_deref());
    let s = session.sim.scenario().subject.spawn;
    let subject = Vec2::new(s.x, s.z);
    for (mut p, mut anim) in &mut q {
        let aim = p.aim(&anim, subject, time.elapsed_secs(), dt);
        anim.follow(&aim, dt);
    }
}
