//! The review's stage: the same place the live run builds (`scene::build_scene`), in
//! review lighting (even daylight, no weather), with the rings the scoring
//! uses drawn around the subject, the trainee's ground marker, and the camera.

use super::ReplayView;
use super::figures::{ReplayCam, TraineeMarker, fin, spawn_people, subject_spawn};
use crate::game::graphics::Graphics;
use crate::game::humanoid::HumanoidMeshes;
use crate::game::scene::lighting::dress;
use crate::game::scene::{Staging, build_scene};
use crate::game::state::Screen;
use bevy::prelude::*;
use std::f32::consts::FRAC_PI_2;

pub(super) fn spawn_stage(
    mut commands: Commands,
    view: Option<Res<ReplayView>>,
    graphics: Res<Graphics>,
    people: Res<HumanoidMeshes>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut ambient: ResMut<GlobalAmbientLight>,
) {
    let Some(view) = view else { return };
    let sc = std::sync::Arc::clone(&view.scenario);
    let staging = Staging {
        screen: Screen::Replay,
        review: true,
        preset: graphics.preset(),
    };
    let (atmosphere, ground) = build_scene(
        &mut commands,
        &mut meshes,
        &mut materials,
        &mut ambient,
        &sc,
        staging,
    );
    let subject = subject_spawn(&sc);
    let start = Vec2::new(fin(sc.place.trainee_spawn.x), fin(sc.place.trainee_spawn.z));
    let centre = (subject + start) / 2.0;
    let mut camera = Camera::default();
    let mut cam = commands.spawn((
        Name::new("Replay camera"),
        ReplayCam,
        Camera3d::default(),
        Projection::Perspective(PerspectiveProjection {
            fov: 60f32.to_radians(),
            near: 0.05,
            far: 600.0,
            ..default()
        }),
        Msaa::Off,
        Transform::from_xyz(centre.x, 20.0, centre.y + 8.0)
            .looking_at(Vec3::new(centre.x, 0.0, centre.y), Vec3::Y),
        bevy::ui::IsDefaultUiCamera,
        DespawnOnExit(Screen::Replay),
    ));
    dress(&mut cam, &mut camera, &atmosphere);
    cam.insert(camera);
    commands.insert_resource(ground);
    rings(&mut commands, &mut meshes, &mut materials, &sc, subject);
    marker(&mut commands, &mut meshes, &mut materials, start);
    spawn_people(&mut commands, &people, &mut materials, &sc);
}

fn unlit(materials: &mut Assets<StandardMaterial>, c: Color) -> Handle<StandardMaterial> {
    materials.add(StandardMaterial {
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

/// The rings around the subject: ideal band, reactionary gap, personal space.
fn rings(
    commands: &mut Commands,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
    sc: &crate::format::scenario::Scenario,
    subject: Vec2,
) {
    let s = &sc.subject;
    let (lo, hi) = sc.scoring.ideal_distance;
    let ok = |v: f32| v.is_finite() && v > 0.0 && v < 200.0;
    let flat = |y: f32| {
        Transform::from_xyz(subject.x, y, subject.y)
            .with_rotation(Quat::from_rotation_x(-FRAC_PI_2))
    };
    if ok(lo) && ok(hi) && hi > lo {
        let mesh = meshes.add(Annulus::new(lo, hi).mesh().resolution(96));
        let mat = unlit(materials, Color::srgba(0.3, 0.85, 0.45, 0.28));
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
            let mesh = meshes.add(
                Annulus::new((r - 0.06).max(0.01), r + 0.06)
                    .mesh()
                    .resolution(96),
            );
            let mat = unlit(materials, c);
            commands.spawn((
                Mesh3d(mesh),
                MeshMaterial3d(mat),
                flat(y),
                DespawnOnExit(Screen::Replay),
            ));
        }
    }
}

/// The trainee's ground marker: a ring and a wedge pointing where they face.
fn marker(
    commands: &mut Commands,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
    start: Vec2,
) {
    let ring = meshes.add(Annulus::new(0.42, 0.52).mesh().resolution(48));
    let wedge = meshes.add(Triangle2d::new(
        Vec2::new(0.0, 0.95),
        Vec2::new(-0.22, 0.55),
        Vec2::new(0.22, 0.55),
    ));
    let blue = unlit(materials, Color::srgb(0.3, 0.65, 1.0));
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
}
