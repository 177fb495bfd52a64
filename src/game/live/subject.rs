//! The subject (and the partner officer) as humanoids built from primitives, with
//! procedural body language driven by the core: `sim.body()` picks a pose (calm, guarded,
//! pacing, agitated, threatening, withdrawn, sitting, crying), agitation sets the breathing
//! rate, and every joint eases towards its target so nothing pops.
//!
//! Coordinates: a humanoid's root sits on the ground between the feet and faces -Z in its
//! own space; limbs hang from pivots (shoulders, elbows, hips, knees) that rotate about
//! X (swing forward), Z (out to the side) and Y (twist).

use super::world::{Ground, ROAD_DROP};
use super::{PlayState, Screen, Session, SimEvent};
use crate::scenario::{Appearance, Partner, Prop, PropKind, Scenario, Spawn};
use crate::sim::EventKind;
use crate::vocab::{Body, Held};
use bevy::prelude::*;
use bevy_rapier3d::prelude::Collider;
use std::f32::consts::{FRAC_PI_2, PI, TAU};

/// How far a subject with nowhere to sit walks to sit on a kerb (metres).
const KERB_REACH: f32 = 3.5;

/// The point the cover raycast aims at (the subject's chest).
#[derive(Component, Debug)]
pub struct SubjectChest;

/// The subject's root.
#[derive(Component, Debug)]
pub struct Subject {
    spawn: Spawn,
    /// Top of the thing they sit on at the spawn (bench, kerb, railing), if any.
    seat: Option<f32>,
    /// Pacing: the axis (unit, ground plane) fixed when pacing starts, and the phase.
    pace_axis: Option<Vec2>,
    /// How far pacing may go each way along the axis before a prop is in the way.
    pace_reach: (f32, f32),
    pace_phase: f32,
    /// Seconds since the subject appeared (drives restless movement).
    time: f32,
    /// A kerb within a few steps, to sit on when there is no seat: (spot, yaw facing the road).
    kerb: Option<(Vec2, f32)>,
    kerb_checked: bool,
}

/// The partner officer's root.
#[derive(Component, Debug)]
pub struct PartnerOfficer {
    spawn: Spawn,
    /// Seconds of "talking over" gesture left.
    talking: f32,
    stepped_back: bool,
}

/// Pivot joints of a humanoid, found again by their role.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joint {
    Hips,
    Chest,
    Head,
    Shoulder(Side),
    Elbow(Side),
    Hand(Side),
    Hip(Side),
    Knee(Side),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    fn sign(self) -> f32 {
        match self {
            Side::Left => -1.0,
            Side::Right => 1.0,
        }
    }
    fn idx(self) -> usize {
        match self {
            Side::Left => 0,
            Side::Right => 1,
        }
    }
}

/// Body measurements derived from height and build.
#[derive(Component, Debug, Clone, Copy)]
pub struct Build {
    pub height: f32,
    pub hip_height: f32,
    pub thigh: f32,
    pub shin: f32,
    pub torso: f32,
    pub upper_arm: f32,
    pub forearm: f32,
    pub shoulder_half: f32,
    pub hip_half: f32,
    pub head_r: f32,
}

impl Build {
    pub fn new(height: f32, build: f32) -> Build {
        let h = if height.is_finite() {
            height.clamp(1.2, 2.2)
        } else {
            1.75
        };
        let b = if build.is_finite() {
            build.clamp(0.0, 1.0)
        } else {
            0.5
        };
        Build {
            height: h,
            hip_height: 0.5 * h,
            thigh: 0.245 * h,
            shin: 0.245 * h,
            torso: 0.3 * h,
            upper_arm: 0.17 * h,
            forearm: 0.15 * h,
            shoulder_half: (0.105 + 0.03 * b) * h,
            hip_half: (0.05 + 0.015 * b) * h,
            head_r: 0.066 * h,
        }
    }
}

/// A pose: every joint angle the animation sets (radians; see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pose {
    /// Hips height offset from standing (negative = lower, e.g. sitting).
    pub hip_drop: f32,
    /// Torso pitch forward.
    pub lean: f32,
    /// Head pitch down, head yaw (left +).
    pub head_pitch: f32,
    pub head_yaw: f32,
    /// Per side [left, right]: shoulder swing forward, out to the side, twist inward.
    pub shoulder_pitch: [f32; 2],
    pub shoulder_out: [f32; 2],
    pub shoulder_twist: [f32; 2],
    pub elbow: [f32; 2],
    /// Thigh swing forward and knee bend (shin back, positive).
    pub hip: [f32; 2],
    pub knee: [f32; 2],
    /// 0 open hands … 1 clenched fists.
    pub fist: f32,
    /// Shoulders raised (tension), metres.
    pub shrug: f32,
}

impl Pose {
    fn ease(&mut self, target: &Pose, k: f32) {
        let l = |a: &mut f32, b: f32| *a += (b - *a) * k;
        l(&mut self.hip_drop, target.hip_drop);
        l(&mut self.lean, target.lean);
        l(&mut self.head_pitch, target.head_pitch);
        l(&mut self.head_yaw, target.head_yaw);
        for i in 0..2 {
            l(&mut self.shoulder_pitch[i], target.shoulder_pitch[i]);
            l(&mut self.shoulder_out[i], target.shoulder_out[i]);
            l(&mut self.shoulder_twist[i], target.shoulder_twist[i]);
            l(&mut self.elbow[i], target.elbow[i]);
            l(&mut self.hip[i], target.hip[i]);
            l(&mut self.knee[i], target.knee[i]);
        }
        l(&mut self.fist, target.fist);
        l(&mut self.shrug, target.shrug);
    }

    fn standing() -> Pose {
        Pose {
            shoulder_out: [0.07, 0.07],
            elbow: [0.12, 0.12],
            ..default()
        }
    }
}

/// Animation state of one humanoid: the eased pose, root position and yaw.
#[derive(Component, Debug, Clone)]
pub struct Animated {
    pub pose: Pose,
    pub position: Vec2,
    pub yaw: f32,
    /// Breathing: phase advance per second (radians) and chest expansion.
    pub breath_rate: f32,
    pub breath_depth: f32,
    /// Walk cycle phase, advanced by distance moved.
    pub walk_phase: f32,
    /// Height of the root above the ground (standing on something).
    pub lift: f32,
}

/// Shared handles for humanoid parts.
#[derive(Resource)]
struct HumanoidMeshes {
    limb: Handle<Mesh>,
    sphere: Handle<Mesh>,
    cube: Handle<Mesh>,
    torso: Handle<Mesh>,
}

impl FromWorld for HumanoidMeshes {
    fn from_world(world: &mut World) -> Self {
        let mut meshes = world.resource_mut::<Assets<Mesh>>();
        HumanoidMeshes {
            // Unit capsule (total height 1, radius 0.5), scaled per limb.
            limb: meshes.add(Capsule3d::new(0.5, 0.001)),
            sphere: meshes.add(Sphere::new(1.0).mesh().uv(24, 16)),
            cube: meshes.add(Cuboid::new(1.0, 1.0, 1.0)),
            torso: meshes.add(Capsule3d::new(0.5, 0.6)),
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<HumanoidMeshes>()
        .add_systems(
            OnEnter(Screen::Playing),
            (spawn_subject, spawn_partner).run_if(resource_exists::<Session>),
        )
        .add_systems(
            Update,
            (
                partner_events,
                animate_subject,
                animate_partner,
                apply_poses,
            )
                .chain()
                .run_if(in_state(Screen::Playing).and_then(resource_exists::<Session>)),
        );
}

fn color(c: (f32, f32, f32)) -> Color {
    let f = |v: f32| {
        if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    Color::srgb(f(c.0), f(c.1), f(c.2))
}

fn mat(materials: &mut Assets<StandardMaterial>, c: Color, rough: f32) -> Handle<StandardMaterial> {
    materials.add(StandardMaterial {
        base_color: c,
        perceptual_roughness: rough,
        ..default()
    })
}

/// Top of a prop the spawn stands on (within 0.35 m), if it is something one sits on.
pub fn seat_at(scenario: &Scenario, spawn: &Spawn) -> Option<f32> {
    scenario
        .place
        .props
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                PropKind::Bench
                    | PropKind::Railing
                    | PropKind::Wall
                    | PropKind::Box
                    | PropKind::Table
                    | PropKind::Counter
            ) && p.size.1 > 0.1
                && p.size.1 <= 1.35
        })
        .filter(|p| footprint_near(p, spawn.x, spawn.z, 0.35))
        .map(|p| p.size.1)
        .fold(None, |a: Option<f32>, h| Some(a.map_or(h, |a| a.max(h))))
}

/// How far (up to 1.3 m) one can walk from `from` along `dir` before a prop is in the way.
fn free_run(scenario: &Scenario, from: Vec2, dir: Vec2) -> f32 {
    let mut free = 0.0;
    for i in 1..=13 {
        let d = i as f32 * 0.1;
        let p = from + dir * d;
        let blocked = scenario
            .place
            .props
            .iter()
            .any(|q| q.size.1 > 0.1 && footprint_near(q, p.x, p.y, 0.35));
        if blocked {
            break;
        }
        free = d;
    }
    free
}

fn footprint_near(p: &Prop, x: f32, z: f32, margin: f32) -> bool {
    let r = p.rotation.to_radians();
    let (dx, dz) = (x - p.x, z - p.z);
    let (c, s) = (r.cos(), r.sin());
    let lx = dx * c - dz * s;
    let lz = dx * s + dz * c;
    lx.abs() <= p.size.0 / 2.0 + margin && lz.abs() <= p.size.2 / 2.0 + margin
}

/// Colours of one humanoid.
struct Look {
    skin: Color,
    top: Color,
    trousers: Color,
    hair: Color,
    shoes: Color,
}

/// Spawn a humanoid; returns the root entity. `extra` adds parts to the chest (vest…).
#[allow(clippy::too_many_arguments)]
fn spawn_humanoid(
    commands: &mut Commands,
    m: &HumanoidMeshes,
    materials: &mut Assets<StandardMaterial>,
    build: Build,
    look: &Look,
    held: Held,
    root: impl Bundle,
    uniform: bool,
) -> Entity {
    let skin = mat(materials, look.skin, 0.7);
    let top = mat(materials, look.top, 0.85);
    let trousers = mat(materials, look.trousers, 0.9);
    let hair = mat(materials, look.hair, 0.95);
    let shoes = mat(materials, look.shoes, 0.6);
    let eye = mat(materials, Color::srgb(0.05, 0.05, 0.06), 0.3);
    let b = build;
    let limb_r_arm = 0.028 * b.height * (0.85 + 0.4 * (b.shoulder_half / b.height - 0.105) / 0.03);
    let limb_r_leg = limb_r_arm * 1.45;

    // A capsule from a pivot downwards.
    let limb = |len: f32, r: f32, material: Handle<StandardMaterial>| {
        (
            Mesh3d(m.limb.clone()),
            MeshMaterial3d(material),
            Transform::from_xyz(0.0, -len / 2.0, 0.0).with_scale(Vec3::new(
                2.0 * r,
                len + r,
                2.0 * r,
            )),
        )
    };

    let root = commands.spawn(root).id();
    let hips = commands
        .spawn((
            Joint::Hips,
            Transform::from_xyz(0.0, b.hip_height, 0.0),
            Visibility::default(),
        ))
        .id();
    commands.entity(root).add_child(hips);

    // Pelvis.
    commands.entity(hips).with_child((
        Mesh3d(m.cube.clone()),
        MeshMaterial3d(trousers.clone()),
        Transform::from_xyz(0.0, 0.02 * b.height, 0.0).with_scale(Vec3::new(
            2.0 * b.hip_half + 2.0 * limb_r_leg,
            0.09 * b.height,
            0.11 * b.height,
        )),
    ));

    // Chest pivot at the hips: leaning rotates the whole upper body.
    let chest = commands
        .spawn((
            Joint::Chest,
            Transform::from_xyz(0.0, 0.03 * b.height, 0.0),
            Visibility::default(),
        ))
        .id();
    commands.entity(hips).add_child(chest);
    let torso_w = 2.0 * b.shoulder_half * 0.92;
    let torso_d = 0.13 * b.height * (b.shoulder_half / (0.12 * b.height)).clamp(0.8, 1.3);
    commands.entity(chest).with_children(|c| {
        c.spawn((
            SubjectChestMesh,
            Mesh3d(m.torso.clone()),
            MeshMaterial3d(top.clone()),
            Transform::from_xyz(0.0, b.torso * 0.55, 0.0).with_scale(Vec3::new(
                torso_w,
                b.torso * 0.75,
                torso_d,
            )),
        ));
        // Neck.
        c.spawn((
            Mesh3d(m.limb.clone()),
            MeshMaterial3d(skin.clone()),
            Transform::from_xyz(0.0, b.torso + 0.02 * b.height, 0.0).with_scale(Vec3::new(
                0.06 * b.height,
                0.07 * b.height,
                0.06 * b.height,
            )),
        ));
        if uniform {
            // Hi-vis vest over the uniform, and a duty belt.
            let vest = mat(materials, Color::srgb(0.85, 0.9, 0.1), 0.6);
            let belt = mat(materials, Color::srgb(0.05, 0.05, 0.05), 0.5);
            let stripe = materials.add(StandardMaterial {
                base_color: Color::srgb(0.85, 0.85, 0.85),
                emissive: LinearRgba::rgb(0.3, 0.3, 0.3),
                perceptual_roughness: 0.3,
                ..default()
            });
            c.spawn((
                Mesh3d(m.cube.clone()),
                MeshMaterial3d(vest),
                Transform::from_xyz(0.0, b.torso * 0.6, 0.0).with_scale(Vec3::new(
                    torso_w * 0.98,
                    b.torso * 0.62,
                    torso_d * 1.05,
                )),
            ));
            c.spawn((
                Mesh3d(m.cube.clone()),
                MeshMaterial3d(stripe),
                Transform::from_xyz(0.0, b.torso * 0.45, 0.0).with_scale(Vec3::new(
                    torso_w,
                    0.03 * b.height,
                    torso_d * 1.08,
                )),
            ));
            c.spawn((
                Mesh3d(m.cube.clone()),
                MeshMaterial3d(belt),
                Transform::from_xyz(0.0, 0.03 * b.height, 0.0).with_scale(Vec3::new(
                    torso_w * 0.95,
                    0.045 * b.height,
                    torso_d * 1.02,
                )),
            ));
        }
    });

    // Head.
    let head = commands
        .spawn((
            Joint::Head,
            Transform::from_xyz(0.0, b.torso + 0.05 * b.height, 0.0),
            Visibility::default(),
        ))
        .id();
    commands.entity(chest).add_child(head);
    let hr = b.head_r;
    commands.entity(head).with_children(|c| {
        c.spawn((
            Mesh3d(m.sphere.clone()),
            MeshMaterial3d(skin.clone()),
            Transform::from_xyz(0.0, hr * 1.05, 0.0).with_scale(Vec3::new(hr * 0.9, hr * 1.12, hr)),
        ));
        // Hair (a cap over the back and top of the head).
        c.spawn((
            Mesh3d(m.sphere.clone()),
            MeshMaterial3d(hair.clone()),
            Transform::from_xyz(0.0, hr * 1.22, hr * 0.12).with_scale(Vec3::new(
                hr * 0.95,
                hr * 1.0,
                hr * 0.98,
            )),
        ));
        // Eyes and nose: which way the face points must read from metres away.
        for s in [-1.0, 1.0] {
            c.spawn((
                Mesh3d(m.sphere.clone()),
                MeshMaterial3d(eye.clone()),
                Transform::from_xyz(s * hr * 0.36, hr * 1.12, -hr * 0.88)
                    .with_scale(Vec3::splat(hr * 0.13)),
            ));
        }
        c.spawn((
            Mesh3d(m.cube.clone()),
            MeshMaterial3d(skin.clone()),
            Transform::from_xyz(0.0, hr * 0.95, -hr * 0.98).with_scale(Vec3::new(
                hr * 0.22,
                hr * 0.35,
                hr * 0.25,
            )),
        ));
        if uniform {
            let cap = mat(materials, Color::srgb(0.06, 0.07, 0.12), 0.6);
            c.spawn((
                Mesh3d(m.limb.clone()),
                MeshMaterial3d(cap.clone()),
                Transform::from_xyz(0.0, hr * 1.75, 0.0).with_scale(Vec3::new(
                    hr * 2.05,
                    hr * 0.7,
                    hr * 2.1,
                )),
            ));
            c.spawn((
                Mesh3d(m.cube.clone()),
                MeshMaterial3d(cap),
                Transform::from_xyz(0.0, hr * 1.55, -hr * 0.95).with_scale(Vec3::new(
                    hr * 1.5,
                    hr * 0.08,
                    hr * 0.8,
                )),
            ));
        }
    });

    // Arms.
    for side in [Side::Left, Side::Right] {
        let shoulder = commands
            .spawn((
                Joint::Shoulder(side),
                Transform::from_xyz(side.sign() * b.shoulder_half, b.torso * 0.92, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(chest).add_child(shoulder);
        commands
            .entity(shoulder)
            .with_child(limb(b.upper_arm, limb_r_arm, top.clone()));
        let elbow = commands
            .spawn((
                Joint::Elbow(side),
                Transform::from_xyz(0.0, -b.upper_arm, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(shoulder).add_child(elbow);
        commands.entity(elbow).with_child(limb(
            b.forearm,
            limb_r_arm * 0.9,
            if uniform { top.clone() } else { skin.clone() },
        ));
        let hand = commands
            .spawn((
                Joint::Hand(side),
                Transform::from_xyz(0.0, -b.forearm - 0.035 * b.height, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(elbow).add_child(hand);
        commands.entity(hand).with_child((
            Mesh3d(m.sphere.clone()),
            MeshMaterial3d(skin.clone()),
            Transform::from_scale(Vec3::new(
                0.03 * b.height,
                0.045 * b.height,
                0.02 * b.height,
            )),
        ));
        if side == Side::Right && held != Held::Nothing {
            spawn_held(commands, hand, held, m, materials, b.height);
        }
    }

    // Legs.
    for side in [Side::Left, Side::Right] {
        let hip = commands
            .spawn((
                Joint::Hip(side),
                Transform::from_xyz(side.sign() * b.hip_half, 0.0, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(hips).add_child(hip);
        commands
            .entity(hip)
            .with_child(limb(b.thigh, limb_r_leg, trousers.clone()));
        let knee = commands
            .spawn((
                Joint::Knee(side),
                Transform::from_xyz(0.0, -b.thigh, 0.0),
                Visibility::default(),
            ))
            .id();
        commands.entity(hip).add_child(knee);
        commands
            .entity(knee)
            .with_child(limb(b.shin, limb_r_leg * 0.85, trousers.clone()));
        commands.entity(knee).with_child((
            Mesh3d(m.cube.clone()),
            MeshMaterial3d(shoes.clone()),
            Transform::from_xyz(0.0, -b.shin + 0.02, -0.05).with_scale(Vec3::new(0.1, 0.07, 0.26)),
        ));
    }
    commands.entity(root).insert(build);
    root
}

/// Marks the torso mesh (breathing scales it).
#[derive(Component, Debug)]
struct SubjectChestMesh;

fn spawn_held(
    commands: &mut Commands,
    hand: Entity,
    held: Held,
    m: &HumanoidMeshes,
    materials: &mut Assets<StandardMaterial>,
    height: f32,
) {
    let steel = materials.add(StandardMaterial {
        base_color: Color::srgb(0.85, 0.87, 0.9),
        metallic: 0.6,
        perceptual_roughness: 0.2,
        // Catches whatever light there is: the blade must be seen.
        emissive: LinearRgba::rgb(0.25, 0.25, 0.27),
        ..default()
    });
    let dark = mat(materials, Color::srgb(0.08, 0.07, 0.06), 0.6);
    let s = height / 1.78;
    let parts: Vec<(Handle<Mesh>, Handle<StandardMaterial>, Transform)> = match held {
        Held::Nothing => Vec::new(),
        Held::Knife => vec![
            (
                m.cube.clone(),
                dark.clone(),
                Transform::from_xyz(0.0, -0.01, 0.0).with_scale(Vec3::new(0.025, 0.11, 0.03) * s),
            ),
            (
                // A little larger than life so it reads from a safe distance.
                m.cube.clone(),
                steel,
                Transform::from_xyz(0.0, -0.18 * s, -0.005)
                    .with_scale(Vec3::new(0.01, 0.25, 0.045) * s),
            ),
        ],
        Held::Bottle => {
            let glass = materials.add(StandardMaterial {
                base_color: Color::srgba(0.15, 0.45, 0.18, 0.85),
                alpha_mode: AlphaMode::Blend,
                perceptual_roughness: 0.1,
                ..default()
            });
            vec![
                (
                    m.limb.clone(),
                    glass.clone(),
                    Transform::from_xyz(0.0, -0.02, 0.0)
                        .with_scale(Vec3::new(0.03, 0.12, 0.03) * s),
                ),
                (
                    m.limb.clone(),
                    glass,
                    Transform::from_xyz(0.0, -0.17 * s, 0.0)
                        .with_scale(Vec3::new(0.075, 0.2, 0.075) * s),
                ),
            ]
        }
        Held::Bat => vec![(
            m.limb.clone(),
            mat(materials, Color::srgb(0.62, 0.45, 0.26), 0.7),
            Transform::from_xyz(0.0, -0.36 * s, 0.0).with_scale(Vec3::new(0.06, 0.8, 0.06) * s),
        )],
        Held::Stick => vec![(
            m.limb.clone(),
            mat(materials, Color::srgb(0.35, 0.24, 0.14), 0.9),
            Transform::from_xyz(0.0, -0.4 * s, 0.0).with_scale(Vec3::new(0.035, 0.95, 0.035) * s),
        )],
        Held::WalkingStick => {
            let wood = mat(materials, Color::srgb(0.3, 0.2, 0.12), 0.6);
            vec![
                (
                    m.cube.clone(),
                    wood.clone(),
                    Transform::from_xyz(0.0, 0.0, -0.05 * s)
                        .with_scale(Vec3::new(0.03, 0.03, 0.13) * s),
                ),
                (
                    m.limb.clone(),
                    wood,
                    Transform::from_xyz(0.0, -0.42 * s, -0.1 * s)
                        .with_scale(Vec3::new(0.028, 0.86, 0.028) * s),
                ),
            ]
        }
        Held::Phone => vec![(
            m.cube.clone(),
            materials.add(StandardMaterial {
                base_color: Color::srgb(0.03, 0.03, 0.04),
                emissive: LinearRgba::rgb(0.2, 0.3, 0.5),
                perceptual_roughness: 0.2,
                ..default()
            }),
            Transform::from_xyz(0.0, -0.03, -0.02).with_scale(Vec3::new(0.07, 0.14, 0.01) * s),
        )],
        Held::Bag => vec![
            (
                m.cube.clone(),
                dark.clone(),
                Transform::from_xyz(0.0, -0.08 * s, 0.0)
                    .with_scale(Vec3::new(0.015, 0.16, 0.015) * s),
            ),
            (
                m.cube.clone(),
                mat(materials, Color::srgb(0.45, 0.3, 0.2), 0.8),
                Transform::from_xyz(0.0, -0.28 * s, 0.0)
                    .with_scale(Vec3::new(0.32, 0.26, 0.12) * s),
            ),
        ],
    };
    for (mesh, material, t) in parts {
        let e = commands
            .spawn((Mesh3d(mesh), MeshMaterial3d(material), t))
            .id();
        commands.entity(hand).add_child(e);
    }
}

fn spawn_subject(
    mut commands: Commands,
    session: Res<Session>,
    m: Res<HumanoidMeshes>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let scenario = session.sim.scenario();
    let subj = &scenario.subject;
    let a: &Appearance = &subj.appearance;
    let build = Build::new(a.height, a.build);
    let spawn = subj.spawn;
    let seat = seat_at(scenario, &spawn);
    let look = Look {
        skin: color(a.skin),
        top: color(a.top),
        trousers: color(a.trousers),
        hair: color(a.hair),
        shoes: Color::srgb(0.12, 0.1, 0.09),
    };
    let yaw = spawn.facing.to_radians();
    let root = spawn_humanoid(
        &mut commands,
        &m,
        &mut materials,
        build,
        &look,
        subj.holding,
        (
            Name::new(format!("Subject: {}", subj.name)),
            Subject {
                spawn,
                seat,
                pace_axis: None,
                pace_reach: (0.0, 0.0),
                pace_phase: 0.0,
                time: 0.0,
                kerb: None,
                kerb_checked: false,
            },
            Animated {
                pose: Pose::standing(),
                position: Vec2::new(spawn.x, spawn.z),
                yaw,
                breath_rate: 1.5,
                breath_depth: 0.02,
                walk_phase: 0.0,
                lift: 0.0,
            },
            Transform::from_xyz(spawn.x, 0.0, spawn.z).with_rotation(Quat::from_rotation_y(yaw)),
            Visibility::default(),
            DespawnOnExit(Screen::Playing),
        ),
        false,
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
}

fn spawn_partner(
    mut commands: Commands,
    session: Res<Session>,
    m: Res<HumanoidMeshes>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let scenario = session.sim.scenario();
    let Some(p): Option<&Partner> = scenario.partner.as_ref() else {
        return;
    };
    let build = Build::new(1.8, 0.6);
    let uniform = is_officer(&p.name);
    let look = if uniform {
        Look {
            skin: Color::srgb(0.72, 0.55, 0.44),
            top: Color::srgb(0.07, 0.09, 0.16),
            trousers: Color::srgb(0.06, 0.07, 0.1),
            hair: Color::srgb(0.12, 0.1, 0.08),
            shoes: Color::srgb(0.03, 0.03, 0.03),
        }
    } else {
        // Someone else who keeps talking (a manager, a relative): ordinary clothes.
        Look {
            skin: Color::srgb(0.8, 0.62, 0.5),
            top: Color::srgb(0.12, 0.12, 0.13),
            trousers: Color::srgb(0.2, 0.2, 0.24),
            hair: Color::srgb(0.25, 0.15, 0.08),
            shoes: Color::srgb(0.1, 0.08, 0.07),
        }
    };
    let s = scenario.subject.spawn;
    let yaw = yaw_towards(Vec2::new(p.spawn.x, p.spawn.z), Vec2::new(s.x, s.z))
        .unwrap_or(p.spawn.facing.to_radians());
    let root = spawn_humanoid(
        &mut commands,
        &m,
        &mut materials,
        build,
        &look,
        Held::Nothing,
        (
            Name::new(format!("Partner: {}", p.name)),
            PartnerOfficer {
                spawn: p.spawn,
                talking: 0.0,
                stepped_back: false,
            },
            Animated {
                pose: Pose::standing(),
                position: Vec2::new(p.spawn.x, p.spawn.z),
                yaw,
                breath_rate: 1.3,
                breath_depth: 0.015,
                walk_phase: 0.0,
                lift: 0.0,
            },
            Transform::from_xyz(p.spawn.x, 0.0, p.spawn.z)
                .with_rotation(Quat::from_rotation_y(yaw)),
            Visibility::default(),
            DespawnOnExit(Screen::Playing),
        ),
        uniform,
    );
    commands.entity(root).with_child((
        Collider::capsule_y(0.55, 0.25),
        Transform::from_xyz(0.0, 0.9, 0.0),
    ));
}

/// Whether a partner's name reads as a police officer's (then they wear the uniform).
pub fn is_officer(name: &str) -> bool {
    let lower = name.to_lowercase();
    [
        "officer",
        "constable",
        "sergeant",
        "sgt",
        "pc ",
        "deputy",
        "trooper",
        "detective",
        "inspector",
        "agent",
        "ranger",
        "cst",
        "ofc",
        "patrolman",
        "police",
    ]
    .iter()
    .any(|w| lower.starts_with(w) || lower.contains(&format!(" {w}")))
}

/// Yaw (radians, scenario convention: 0 = -Z) that looks from `from` to `to`.
pub fn yaw_towards(from: Vec2, to: Vec2) -> Option<f32> {
    let d = to - from;
    (d.length_squared() > 1e-6).then(|| (-d.x).atan2(-d.y))
}

fn wrap_angle(a: f32) -> f32 {
    (a + PI).rem_euclid(TAU) - PI
}

/// Ease factor for a rate per second over `dt`.
fn ease(rate: f32, dt: f32) -> f32 {
    1.0 - (-rate * dt).exp()
}

fn trainee_position(
    q: &Query<&GlobalTransform, With<super::player::PlayerCamera>>,
) -> Option<Vec2> {
    q.iter().next().map(|t| {
        let p = t.translation();
        Vec2::new(p.x, p.z)
    })
}

/// The partner reacts to the core's events: talking over (gesturing) and stepping back.
fn partner_events(mut events: MessageReader<SimEvent>, mut q: Query<&mut PartnerOfficer>) {
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

/// Body language of the subject from `sim.body()` and agitation.
fn animate_subject(
    time: Res<Time>,
    session: Res<Session>,
    play: Option<Res<State<PlayState>>>,
    trainee: Query<&GlobalTransform, With<super::player::PlayerCamera>>,
    mut q: Query<(&mut Subject, &mut Animated, &Build)>,
    ground: Res<Ground>,
) {
    let paused = play.is_some_and(|s| *s.get() == PlayState::Paused);
    let dt = if paused {
        0.0
    } else {
        time.delta_secs().min(0.1)
    };
    let agitation = session.sim.agitation().clamp(0.0, 100.0);
    let body = session.sim.body();
    let scenario = session.sim.scenario();
    let holding = scenario.subject.holding;
    let trainee = trainee_position(&trainee);
    for (mut s, mut anim, build) in &mut q {
        s.time += dt;
        let home = Vec2::new(s.spawn.x, s.spawn.z);
        if !s.kerb_checked {
            s.kerb_checked = true;
            s.kerb = ground.kerb_near(home, KERB_REACH);
        }
        let to_trainee = trainee.and_then(|t| yaw_towards(anim.position, t));
        // On a high seat (a railing, a wall) the subject stays seated whatever happens.
        let high_seat = s.seat.is_some_and(|h| h > 0.8);
        let seated = match body {
            Body::Sitting => true,
            Body::Crying | Body::Withdrawn | Body::Calm => s.seat.is_some(),
            _ => high_seat,
        };

        // Breathing: 12 breaths a minute calm, up to ~34 when highly agitated.
        let bpm = 12.0 + agitation * 0.22;
        anim.breath_rate = bpm / 60.0 * TAU;
        anim.breath_depth = 0.018 + agitation * 0.00025;

        let mut target = Pose::standing();
        let mut goal = home;
        let mut yaw_goal = to_trainee.unwrap_or(s.spawn.facing.to_radians());
        let mut turn_rate = 2.0;
        let mut lift = 0.0;

        if body != Body::Pacing {
            s.pace_axis = None;
        }
        match body {
            Body::Calm => {
                target.elbow = [0.2, 0.2];
                yaw_goal = blend_yaw(s.spawn.facing.to_radians(), yaw_goal, 0.7);
                turn_rate = 1.0;
            }
            Body::Guarded => {
                // Arms folded, half turned away, weight back.
                fold_arms(&mut target);
                target.lean = -0.05;
                yaw_goal = wrap_angle(yaw_goal + 0.55);
            }
            Body::Pacing => {
                if s.pace_axis.is_none() {
                    // Across the trainee's line of sight, as far as the props allow.
                    let d = trainee.map_or(Vec2::X, |t| (t - home).normalize_or(Vec2::Y));
                    let across = Vec2::new(-d.y, d.x);
                    let room = |axis: Vec2| {
                        (
                            free_run(scenario, home, axis),
                            free_run(scenario, home, -axis),
                        )
                    };
                    let (a, b) = room(across);
                    let (c, e) = room(d);
                    let (axis, reach) = if a.min(b) >= 0.6 || a + b >= 1.0 || a + b >= c + e {
                        (across, (a, b))
                    } else {
                        (d, (c, e))
                    };
                    s.pace_axis = Some(axis);
                    s.pace_reach = reach;
                }
                let axis = s.pace_axis.unwrap_or(Vec2::X);
                let (ahead, back) = s.pace_reach;
                let amp = ahead.max(back).max(0.3);
                let omega = 0.85 / amp;
                s.pace_phase = (s.pace_phase + omega * dt * (1.0 + agitation / 150.0)) % TAU;
                let sin = s.pace_phase.sin();
                goal = home + axis * sin * if sin >= 0.0 { ahead } else { back };
                let v = axis * s.pace_phase.cos();
                if v.length() > 0.25 {
                    yaw_goal = yaw_towards(Vec2::ZERO, v).unwrap_or(yaw_goal);
                }
                turn_rate = 4.0;
                target.shoulder_out = [0.12, 0.12];
                target.fist = 0.5;
                target.head_pitch = 0.12;
            }
            Body::Agitated => {
                target.fist = 1.0;
                target.shoulder_out = [0.28, 0.28];
                target.shoulder_pitch = [0.25, 0.25];
                target.elbow = [0.9, 0.9];
                target.lean = 0.1;
                target.shrug = 0.025;
                // Restless shifting of weight.
                let sway = (s.time * 2.3).sin() * 0.12;
                goal = home + Vec2::new(sway, 0.0);
                turn_rate = 4.0;
            }
            Body::Threatening => {
                target.fist = 1.0;
                target.lean = 0.16;
                target.shrug = 0.03;
                // The held thing brandished in the right hand, left arm out to the side.
                target.shoulder_pitch = [0.7, 2.05 + (s.time * 3.1).sin() * 0.15];
                target.shoulder_out = [0.6, 0.3];
                target.elbow = [0.7, 0.85];
                target.hip = [0.25, -0.1];
                target.knee = [0.25, 0.05];
                if let (Some(t), false) = (trainee, high_seat) {
                    let d = (t - home).normalize_or_zero();
                    goal = home + d * 0.5;
                }
                turn_rate = 5.0;
            }
            Body::Withdrawn => {
                target.head_pitch = 0.55;
                target.lean = 0.18;
                fold_arms(&mut target);
                target.shoulder_pitch = [0.35, 0.35];
                target.elbow = [1.6, 1.6];
                yaw_goal = wrap_angle(to_trainee.unwrap_or(0.0) + PI * 0.85);
                if seated {
                    yaw_goal = s.spawn.facing.to_radians();
                }
                turn_rate = 1.2;
            }
            Body::Sitting => {
                yaw_goal = s.spawn.facing.to_radians();
                target.head_pitch = 0.2;
                target.head_yaw = 0.0;
            }
            Body::Crying => {
                // Head in hands, shoulders shaking.
                let sob = (s.time * 5.5).sin() * 0.05;
                target.head_pitch = 0.6;
                target.lean = 0.35 + sob;
                target.shoulder_pitch = [1.15, 1.15];
                target.shoulder_out = [-0.05, -0.05];
                target.shoulder_twist = [0.35, 0.35];
                target.elbow = [2.3, 2.3];
                if !seated {
                    yaw_goal = wrap_angle(to_trainee.unwrap_or(0.0) + PI * 0.4);
                } else {
                    yaw_goal = s.spawn.facing.to_radians();
                }
                turn_rate = 1.0;
            }
        }
        // With nothing to sit on at the spawn, a street's kerb will do (feet in the road).
        let kerb = if s.seat.is_none() { s.kerb } else { None };
        let mut face = s.spawn.facing.to_radians();
        let mut on_kerb = false;
        if seated && let Some((spot, yaw)) = kerb {
            goal = spot;
            face = yaw;
            if anim.position.distance(spot) < 0.25 {
                on_kerb = true;
            } else {
                // Walking over to the kerb first.
                yaw_goal = yaw_towards(anim.position, spot).unwrap_or(yaw);
                turn_rate = 4.0;
            }
        }
        let sitting_now = seated && (kerb.is_none() || on_kerb);
        if sitting_now {
            if on_kerb {
                apply_sitting(&mut target, build, ROAD_DROP + 0.05);
                lift = -ROAD_DROP;
            } else {
                apply_sitting(&mut target, build, s.seat.unwrap_or(0.0));
                goal = home;
                lift = 0.0;
            }
            if matches!(body, Body::Crying | Body::Withdrawn | Body::Sitting) {
                yaw_goal = face;
            }
            if !matches!(body, Body::Crying | Body::Withdrawn) {
                // Seated: upper body turns towards the trainee, not the whole person.
                if matches!(
                    body,
                    Body::Agitated | Body::Threatening | Body::Guarded | Body::Calm | Body::Pacing
                ) {
                    if let Some(t) = to_trainee {
                        target.head_yaw = wrap_angle(t - face).clamp(-1.2, 1.2);
                    }
                } else if body == Body::Sitting {
                    // Glances back over the shoulder now and then.
                    let glance = ((s.time * 0.23).sin() * 1.8).clamp(-1.0, 1.0).max(0.0);
                    if let Some(t) = to_trainee {
                        target.head_yaw = wrap_angle(t - face).clamp(-1.2, 1.2) * glance;
                    }
                }
                yaw_goal = face;
            }
        } else if let Some(t) = to_trainee
            && !matches!(body, Body::Withdrawn | Body::Crying)
        {
            // The head follows the trainee within what a neck can do.
            let rel = wrap_angle(t - anim.yaw);
            target.head_yaw = rel.clamp(-1.1, 1.1);
        }
        // Holding a weapon while agitated: the hand stays low but ready.
        if holding.is_weapon() && matches!(body, Body::Agitated) {
            target.shoulder_pitch[1] = 0.45;
            target.elbow[1] = 0.7;
        }

        let k = ease(3.0, dt);
        anim.pose.ease(&target, k);
        let before = anim.position;
        let max_step = 2.2 * dt;
        let delta = goal - anim.position;
        let step = if delta.length() > max_step {
            delta.normalize() * max_step
        } else {
            delta * ease(6.0, dt).max(0.0)
        };
        anim.position += step;
        let moved = anim.position.distance(before);
        anim.walk_phase = (anim.walk_phase + moved * 3.4) % TAU;
        anim.yaw = wrap_angle(anim.yaw + wrap_angle(yaw_goal - anim.yaw) * ease(turn_rate, dt));
        anim.lift += (lift - anim.lift) * k;
        // Walking legs when moving (and not seated).
        if !sitting_now && moved > 0.2 * dt {
            let swing = anim.walk_phase.sin() * 0.45;
            anim.pose.hip = [swing, -swing];
            anim.pose.knee = [
                (anim.walk_phase.cos().max(0.0)) * 0.6,
                ((-anim.walk_phase.cos()).max(0.0)) * 0.6,
            ];
            anim.pose.shoulder_pitch[0] += -swing * 0.5 * k;
            anim.pose.shoulder_pitch[1] += swing * 0.5 * k;
        }
    }
}

fn blend_yaw(a: f32, b: f32, t: f32) -> f32 {
    wrap_angle(a + wrap_angle(b - a) * t)
}

fn fold_arms(p: &mut Pose) {
    p.shoulder_pitch = [0.45, 0.45];
    p.shoulder_out = [0.05, 0.05];
    p.shoulder_twist = [1.05, 1.05];
    p.elbow = [1.75, 1.75];
    p.fist = 0.3;
}

/// Seated on something `seat` metres high (0 = on the ground).
fn apply_sitting(p: &mut Pose, b: &Build, seat: f32) {
    // Hips rest on the seat (or the ground, with knees up).
    let hip_y = seat.max(0.1);
    p.hip_drop = hip_y - b.hip_height + 0.04;
    if seat < 0.25 {
        p.hip = [1.25, 1.25];
        p.knee = [2.0, 2.0];
        p.shoulder_pitch = [0.55, 0.55];
        p.elbow = [0.5, 0.5];
    } else {
        p.hip = [FRAC_PI_2, FRAC_PI_2];
        let dangle = if seat > b.shin + 0.15 {
            1.25
        } else {
            FRAC_PI_2
        };
        p.knee = [dangle, dangle];
        if p.shoulder_pitch[0] < 0.3 && p.elbow[0] < 0.5 {
            // Hands resting on the seat beside the thighs.
            p.shoulder_pitch = [0.15, 0.15];
            p.shoulder_out = [0.18, 0.18];
            p.elbow = [0.25, 0.25];
        }
    }
    p.lean = p.lean.max(0.12);
}

/// The partner: stands by, gestures while talking over, steps back when asked.
fn animate_partner(
    time: Res<Time>,
    session: Res<Session>,
    play: Option<Res<State<PlayState>>>,
    mut q: Query<(&mut PartnerOfficer, &mut Animated)>,
) {
    let paused = play.is_some_and(|s| *s.get() == PlayState::Paused);
    let dt = if paused {
        0.0
    } else {
        time.delta_secs().min(0.1)
    };
    let subj = session.sim.scenario().subject.spawn;
    let subj = Vec2::new(subj.x, subj.z);
    for (mut p, mut anim) in &mut q {
        let home = Vec2::new(p.spawn.x, p.spawn.z);
        let away = (home - subj).normalize_or(Vec2::Y);
        let goal = if p.stepped_back {
            home + away * 2.5
        } else {
            home
        };
        let mut target = Pose::standing();
        let t = time.elapsed_secs();
        if p.talking > 0.0 {
            p.talking -= dt;
            // Pointing at the subject, the other hand raised, leaning in.
            target.shoulder_pitch = [0.9 + (t * 6.0).sin() * 0.15, 1.35 + (t * 4.0).sin() * 0.2];
            target.shoulder_out = [0.25, 0.1];
            target.elbow = [1.2, 0.15];
            target.lean = 0.12;
            target.head_pitch = -0.05 + (t * 7.0).sin() * 0.05;
        } else if p.stepped_back {
            // Hands clasped in front, relaxed.
            target.shoulder_pitch = [0.25, 0.25];
            target.shoulder_twist = [0.6, 0.6];
            target.elbow = [0.9, 0.9];
        } else {
            // Ready stance: hands on the vest.
            target.shoulder_pitch = [0.35, 0.35];
            target.shoulder_twist = [0.5, 0.5];
            target.elbow = [1.3, 1.3];
        }
        let k = ease(4.0, dt);
        anim.pose.ease(&target, k);
        let before = anim.position;
        let delta = goal - anim.position;
        let max_step = 1.2 * dt;
        anim.position += if delta.length() > max_step {
            delta.normalize() * max_step
        } else {
            delta * ease(6.0, dt)
        };
        let moved = anim.position.distance(before);
        anim.walk_phase = (anim.walk_phase + moved * 3.4) % TAU;
        if moved > 0.2 * dt {
            let swing = anim.walk_phase.sin() * 0.4;
            anim.pose.hip = [swing, -swing];
            anim.pose.knee = [
                anim.walk_phase.cos().max(0.0) * 0.5,
                (-anim.walk_phase.cos()).max(0.0) * 0.5,
            ];
        }
        if let Some(y) = yaw_towards(anim.position, subj) {
            anim.yaw = wrap_angle(anim.yaw + wrap_angle(y - anim.yaw) * ease(3.0, dt));
        }
    }
}

/// The torso meshes (breathing), apart from roots and joints.
type ChestMeshFilter = (With<SubjectChestMesh>, Without<Joint>, Without<Animated>);

/// Write the eased poses into the root and joint transforms.
fn apply_poses(
    time: Res<Time>,
    mut roots: Query<(Entity, &Animated, &Build, &mut Transform), Without<Joint>>,
    children: Query<&Children>,
    mut joints: Query<(&Joint, &mut Transform), Without<Animated>>,
    mut chest_mesh: Query<&mut Transform, ChestMeshFilter>,
) {
    let t = time.elapsed_secs();
    for (root, anim, build, mut root_tf) in &mut roots {
        let p = &anim.pose;
        let breath = (t * anim.breath_rate).sin();
        root_tf.translation = Vec3::new(anim.position.x, anim.lift, anim.position.y);
        root_tf.rotation = Quat::from_rotation_y(anim.yaw);
        for e in children.iter_descendants(root) {
            if let Ok((joint, mut tf)) = joints.get_mut(e) {
                match *joint {
                    Joint::Hips => tf.translation.y = build.hip_height + p.hip_drop,
                    Joint::Chest => tf.rotation = Quat::from_rotation_x(-p.lean),
                    Joint::Head => {
                        tf.rotation = Quat::from_rotation_y(p.head_yaw)
                            * Quat::from_rotation_x(-p.head_pitch);
                    }
                    Joint::Shoulder(side) => {
                        let i = side.idx();
                        tf.translation.y = build.torso * 0.92 + p.shrug + breath * 0.004;
                        tf.rotation = Quat::from_rotation_z(side.sign() * p.shoulder_out[i])
                            * Quat::from_rotation_x(p.shoulder_pitch[i])
                            * Quat::from_rotation_y(-side.sign() * p.shoulder_twist[i]);
                    }
                    Joint::Elbow(side) => tf.rotation = Quat::from_rotation_x(p.elbow[side.idx()]),
                    Joint::Hand(_) => {
                        let s = 1.0 - 0.18 * p.fist;
                        tf.scale = Vec3::new(1.0, s, 1.0 + 0.3 * p.fist);
                    }
                    Joint::Hip(side) => tf.rotation = Quat::from_rotation_x(p.hip[side.idx()]),
                    Joint::Knee(side) => tf.rotation = Quat::from_rotation_x(-p.knee[side.idx()]),
                }
            } else if let Ok(mut tf) = chest_mesh.get_mut(e) {
                // Breathing: the chest rises and deepens.
                let depth = anim.breath_depth * breath;
                let zs = (build.shoulder_half / (0.12 * build.height)).clamp(0.8, 1.3);
                tf.scale.y = build.torso * 0.75 * (1.0 + depth * 0.5);
                tf.scale.z = build.height * 0.13 * zs * (1.0 + depth * 1.5);
            }
        }
    }
}
