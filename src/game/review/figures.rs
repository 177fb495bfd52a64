//! The people in the review: the subject, the partner and the trainee as the same
//! `humanoid`s the live run draws, moved by the same body language from each recorded
//! frame; the trainee's ground marker; the three cameras; the line between trainee and
//! subject coloured by distance zone.

use super::{ReplayCamera, ReplayView};
use crate::format::scenario::Scenario;
use crate::format::vocab::Held;
use crate::game::humanoid::acts::Stage;
use crate::game::humanoid::body_language::{Cue, PartnerMotion, SubjectMotion};
use crate::game::humanoid::pose::{Aim, Pose, yaw_rotation, yaw_towards};
use crate::game::humanoid::rig::{EYE_HEIGHT, Sidearm, officer, partner};
use crate::game::humanoid::{Animated, Build, HumanoidMeshes, Look, Outfit, spawn_humanoid};
use crate::game::scene::Ground;
use crate::game::scene::markers::Ceiling;
use crate::game::state::Screen;
use crate::game::theme::color;
use crate::sim::Hands;
use crate::sim::staging::Staging;
use bevy::prelude::*;
use std::sync::Arc;

/// Whose figure.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Trainee,
    Subject,
    Partner,
}

/// The trainee's ground marker (ring and facing wedge).
#[derive(Component)]
pub(super) struct TraineeMarker;

/// The review's camera.
#[derive(Component)]
pub(super) struct ReplayCam;

/// Spawn the subject, the trainee (a uniformed officer with a sidearm shown while drawn)
/// and the partner, where the record starts.
pub(super) fn spawn_people(
    commands: &mut Commands,
    m: &HumanoidMeshes,
    materials: &mut Assets<StandardMaterial>,
    sc: &Arc<Scenario>,
) {
    let s = &sc.subject;
    let a = &s.appearance;
    let subject = Outfit {
        look: Look::of(a),
        uniform: false,
        held: s.holding,
        sidearm: false,
    };
    let at = subject_spawn(sc);
    let yaw = s.spawn.facing.to_radians();
    let root = (
        Role::Subject,
        SubjectMotion::new(sc),
        Stage::new(Arc::clone(sc), Screen::Replay),
        Animated::standing(at, yaw, 1.5, 0.02),
    );
    figure(
        commands,
        m,
        materials,
        Build::new(a.height, a.build),
        subject,
        root,
        at,
    );
    let (build, outfit) = officer(Held::Nothing, true);
    let t = sc.place.trainee_spawn;
    let at = Vec2::new(fin(t.x), fin(t.z));
    let root = (
        Role::Trainee,
        Animated::standing(at, t.facing.to_radians(), 1.3, 0.015),
    );
    figure(commands, m, materials, build, outfit, root, at);
    if let Some(p) = &sc.partner {
        let (build, outfit) = partner(p);
        let at = Vec2::new(fin(p.spawn.x), fin(p.spawn.z));
        let yaw = yaw_towards(at, subject_spawn(sc)).unwrap_or(0.0);
        let root = (
            Role::Partner,
            PartnerMotion::new(p.spawn),
            Animated::standing(at, yaw, 1.3, 0.015),
        );
        figure(commands, m, materials, build, outfit, root, at);
    }
}

fn figure(
    commands: &mut Commands,
    m: &HumanoidMeshes,
    materials: &mut Assets<StandardMaterial>,
    build: Build,
    outfit: Outfit,
    root: impl Bundle,
    at: Vec2,
) {
    spawn_humanoid(
        commands,
        m,
        materials,
        build,
        outfit,
        (
            root,
            Transform::from_xyz(at.x, 0.0, at.y),
            Visibility::default(),
            DespawnOnExit(Screen::Replay),
        ),
    );
}

/// Where the subject stands (the core measures distance from here).
pub(super) fn subject_spawn(sc: &Scenario) -> Vec2 {
    let s = sc.subject.spawn;
    Vec2::new(fin(s.x), fin(s.z))
}

pub(super) fn fin(v: f32) -> f32 {
    if v.is_finite() { v } else { 0.0 }
}

/// A figure of the review and what moves it.
type Person<'a> = (
    &'a Role,
    &'a mut Animated,
    &'a Build,
    Option<&'a mut SubjectMotion>,
    Option<&'a mut PartnerMotion>,
    Option<&'a mut Stage>,
    &'a mut Visibility,
);

/// The people of the current frame, by the same body language as the live run.
pub(super) fn pose_people(
    view: Option<Res<ReplayView>>,
    time: Res<Time>,
    ground: Res<Ground>,
    mut last_t: Local<f32>,
    mut people: Query<Person>,
    mut sidearms: Query<&mut Visibility, (With<Sidearm>, Without<Role>)>,
) {
    let Some(view) = view else { return };
    let Some(f) = view.frame().cloned() else {
        return;
    };
    let sc = &view.scenario;
    // Playback time passed (scaled by the speed); a jump snaps everyone into place.
    let dt = if view.jumped {
        0.0
    } else {
        (view.t - *last_t).clamp(0.0, 0.4)
    };
    *last_t = view.t;
    let trainee = Vec2::new(fin(f.trainee.x), fin(f.trainee.z));
    let cue = Cue {
        body: f.body,
        agitation: f.agitation.clamp(0.0, 100.0),
        trainee: Some(trainee),
        dt,
        stage: None,
    };
    for (role, mut anim, build, subject, partner, stage, mut vis) in &mut people {
        let aim = match (role, subject, partner) {
            (Role::Subject, Some(mut s), _) => {
                let stage = stage.map(|st| staged_at(st.into_inner(), &view));
                let cue = Cue { stage, ..cue };
                s.aim(&mut anim, build, &cue, sc, &ground)
            }
            (Role::Partner, _, Some(mut p)) => {
                p.aim(&anim, subject_spawn(sc), time.elapsed_secs(), dt)
            }
            _ => trainee_aim(&f.trainee, trainee),
        };
        if view.jumped {
            anim.snap(&aim);
        } else {
            anim.follow(&aim, dt);
        }
        // The figure whose eyes the camera is in is hidden.
        let hidden = matches!(
            (role, view.camera),
            (Role::Trainee, ReplayCamera::Trainee) | (Role::Subject, ReplayCamera::Subject)
        );
        vis.set_if_neq(shown(!hidden));
    }
    let drawn = f.trainee.hands == Hands::WeaponDrawn;
    for mut v in &mut sidearms {
        v.set_if_neq(shown(drawn));
    }
}

/// The subject's acts up to the playhead of the record, as the live run had them.
fn staged_at<'a>(stage: &'a mut Stage, view: &ReplayView) -> &'a Stage {
    let acts = &view.replay.acts;
    (stage.staging, stage.last) = Staging::at(&view.scenario.subject, acts, view.t);
    stage
}

fn shown(visible: bool) -> Visibility {
    if visible {
        Visibility::Inherited
    } else {
        Visibility::Hidden
    }
}

/// The trainee walks where the record says, arms up on the sidearm while it is drawn.
fn trainee_aim(t: &crate::sim::TraineeState, at: Vec2) -> Aim {
    let mut p = Pose::standing();
    if t.hands == Hands::WeaponDrawn {
        p.shoulder_pitch = [1.4, 1.45];
        p.shoulder_out = [0.0, 0.0];
        p.shoulder_twist = [0.45, 0.2];
        p.elbow = [0.15, 0.05];
    }
    let mut aim = Aim::at(p, at, fin(t.facing).to_radians(), 20.0);
    aim.pose_rate = 10.0;
    aim.turn_rate = 10.0;
    aim.stride = (0.45, 0.6);
    aim.arm_swing = 1.0;
    aim
}

/// Ceilings are hidden from the bird's-eye camera (and shown at eye level).
pub(super) fn show_ceilings(
    view: Option<Res<ReplayView>>,
    mut ceilings: Query<&mut Visibility, With<Ceiling>>,
) {
    let Some(view) = view else { return };
    let want = if view.camera == ReplayCamera::BirdsEye {
        Visibility::Hidden
    } else {
        Visibility::Inherited
    };
    for mut v in &mut ceilings {
        v.set_if_neq(want);
    }
}

/// The marker under the trainee follows the figure; hidden in the trainee's own view.
pub(super) fn move_marker(
    view: Option<Res<ReplayView>>,
    people: Query<(&Role, &Animated)>,
    mut marker: Query<(&mut Transform, &mut Visibility), With<TraineeMarker>>,
) {
    let Some(view) = view else { return };
    let Some((_, a)) = people.iter().find(|(r, _)| **r == Role::Trainee) else {
        return;
    };
    for (mut t, mut v) in &mut marker {
        t.translation = Vec3::new(a.position.x, 0.03, a.position.y);
        t.rotation = Quat::from_rotation_y(a.yaw);
        v.set_if_neq(if view.camera == ReplayCamera::Trainee {
            Visibility::Hidden
        } else {
            Visibility::Inherited
        });
    }
}

pub(super) fn follow_camera(
    view: Option<Res<ReplayView>>,
    time: Res<Time>,
    people: Query<(&Role, &Animated, &Build)>,
    mut cams: Query<&mut Transform, With<ReplayCam>>,
    mut axis: Local<Vec2>,
) {
    if *axis == Vec2::ZERO {
        *axis = Vec2::new(0.0, -1.0);
    }
    let Some(view) = view else { return };
    let Some(f) = view.frame() else { return };
    let trainee = Vec2::new(fin(f.trainee.x), fin(f.trainee.z));
    // (position, height, how far the head is below standing height)
    let subject = people
        .iter()
        .find(|(r, ..)| **r == Role::Subject)
        .map(|(_, a, b)| (a.position, b.height, -(a.pose.hip_drop + a.lift)))
        .unwrap_or((subject_spawn(&view.scenario), 1.75, 0.0));
    let eye = EYE_HEIGHT;
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
pub(super) fn draw_guides(
    view: Option<Res<ReplayView>>,
    people: Query<(&Role, &Animated)>,
    mut gizmos: Gizmos,
) {
    let Some(view) = view else { return };
    let Some(f) = view.frame() else { return };
    let sc = &view.scenario;
    let s = subject_spawn(sc);
    let trainee = people
        .iter()
        .find(|(r, _)| **r == Role::Trainee)
        .map_or(Vec2::new(f.trainee.x, f.trainee.z), |(_, a)| a.position);
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
pub(super) fn zone_color(sc: &Scenario, d: f32) -> Color {
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

pub(super) fn zone_label(sc: &Scenario, d: f32) -> &'static str {
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
