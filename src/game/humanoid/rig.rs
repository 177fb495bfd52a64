//! The humanoid rig: body measurements ([`Build`]), the jointed hierarchy of primitive
//! meshes (capsule limbs, sphere head) with a [`Joint`] on every pivot, the outfit (plain
//! clothes or uniform with hi-vis vest and cap) and what the right hand holds, and the
//! system that writes an [`Animated`] pose into the joints every frame.

use super::pose::Animated;
use crate::format::vocab::Held;
use crate::game::scene::rgb;
use bevy::prelude::*;

/// The trainee's eye height above the ground, metres.
pub const EYE_HEIGHT: f32 = 1.62;

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
    pub fn sign(self) -> f32 {
        match self {
            Side::Left => -1.0,
            Side::Right => 1.0,
        }
    }
    pub fn idx(self) -> usize {
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

impl Build {
    /// Radius of the upper arm (broader shoulders, thicker arms).
    pub fn arm_radius(&self) -> f32 {
        0.028 * self.height * (0.85 + 0.4 * (self.shoulder_half / self.height - 0.105) / 0.03)
    }

    /// Radius of the thigh.
    pub fn leg_radius(&self) -> f32 {
        self.arm_radius() * 1.45
    }
}

/// Colours of one humanoid.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub skin: Color,
    pub top: Color,
    pub trousers: Color,
    pub hair: Color,
    pub shoes: Color,
}

impl Look {
    /// A police officer's uniform (worn under the hi-vis vest).
    pub fn officer() -> Look {
        Look {
            skin: Color::srgb(0.72, 0.55, 0.44),
            top: Color::srgb(0.07, 0.09, 0.16),
            trousers: Color::srgb(0.06, 0.07, 0.1),
            hair: Color::srgb(0.12, 0.1, 0.08),
            shoes: Color::srgb(0.03, 0.03, 0.03),
        }
    }

    /// The scenario's description of a person.
    pub fn of(a: &crate::format::scenario::Appearance) -> Look {
        Look {
            skin: rgb(a.skin),
            top: rgb(a.top),
            trousers: rgb(a.trousers),
            hair: rgb(a.hair),
            shoes: Color::srgb(0.12, 0.1, 0.09),
        }
    }
}

/// What a humanoid wears and holds.
#[derive(Debug, Clone, Copy)]
pub struct Outfit {
    pub look: Look,
    /// Uniform: hi-vis vest, duty belt, sleeves to the wrist and a cap.
    pub uniform: bool,
    /// In the right hand.
    pub held: Held,
    /// A pistol in the right hand, hidden until shown ([`Sidearm`]).
    pub sidearm: bool,
}

/// A police officer: the partner, and the trainee in the review.
pub fn officer(held: Held, sidearm: bool) -> (Build, Outfit) {
    let outfit = Outfit {
        look: Look::officer(),
        uniform: true,
        held,
        sidearm,
    };
    (Build::new(1.8, 0.6), outfit)
}

/// The partner as the scenario casts them: an officer in uniform whatever their name, or a
/// civilian (a manager, a parent) in their own clothes.
pub fn partner(p: &crate::format::scenario::Partner) -> (Build, Outfit) {
    use crate::format::scenario::{Appearance, Role};
    match p.role {
        Role::Police => officer(Held::Nothing, false),
        Role::Civilian => {
            // Plain clothes unlike the uniform: a warm jumper, light trousers.
            let a = p.appearance.clone().unwrap_or(Appearance {
                height: 1.72,
                build: 0.5,
                top: (0.55, 0.22, 0.18),
                trousers: (0.42, 0.38, 0.32),
                ..Appearance::default()
            });
            let outfit = Outfit {
                look: Look::of(&a),
                uniform: false,
                held: Held::Nothing,
                sidearm: false,
            };
            (Build::new(a.height, a.build), outfit)
        }
    }
}

/// Marks the torso mesh (breathing scales it).
#[derive(Component, Debug)]
pub struct ChestMesh;

/// Marks what a humanoid's right hand holds (hidden once it is put down).
#[derive(Component, Debug)]
pub struct HeldItem;

/// Marks a uniformed humanoid's pistol (hidden while holstered).
#[derive(Component, Debug)]
pub struct Sidearm;

fn mat(materials: &mut Assets<StandardMaterial>, c: Color, rough: f32) -> Handle<StandardMaterial> {
    materials.add(StandardMaterial {
        base_color: c,
        perceptual_roughness: rough,
        ..default()
    })
}

/// Shared handles for humanoid parts.
#[derive(Resource)]
pub struct HumanoidMeshes {
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

/// Materials of one humanoid.
struct Cloth {
    skin: Handle<StandardMaterial>,
    top: Handle<StandardMaterial>,
    trousers: Handle<StandardMaterial>,
    hair: Handle<StandardMaterial>,
    shoes: Handle<StandardMaterial>,
    eye: Handle<StandardMaterial>,
}

/// Everything the part builders share while one humanoid is spawned.
struct Builder<'a, 'w, 's> {
    commands: &'a mut Commands<'w, 's>,
    m: &'a HumanoidMeshes,
    materials: &'a mut Assets<StandardMaterial>,
    b: Build,
    cloth: Cloth,
    outfit: Outfit,
    arm_r: f32,
    leg_r: f32,
}

impl Builder<'_, '_, '_> {
    /// A jointed pivot under `parent`.
    fn pivot(&mut self, parent: Entity, joint: Joint, at: Vec3) -> Entity {
        let e = self
            .commands
            .spawn((
                joint,
                Transform::from_translation(at),
                Visibility::default(),
            ))
            .id();
        self.commands.entity(parent).add_child(e);
        e
    }

    /// A mesh under `parent`.
    fn part(
        &mut self,
        parent: Entity,
        mesh: &Handle<Mesh>,
        material: &Handle<StandardMaterial>,
        t: Transform,
    ) {
        self.commands.entity(parent).with_child((
            Mesh3d(mesh.clone()),
            MeshMaterial3d(material.clone()),
            t,
        ));
    }

    /// A capsule limb hanging `len` metres from its pivot.
    fn limb(&mut self, parent: Entity, len: f32, r: f32, material: &Handle<StandardMaterial>) {
        let mesh = self.m.limb.clone();
        let t = Transform::from_xyz(0.0, -len / 2.0, 0.0).with_scale(Vec3::new(
            2.0 * r,
            len + r,
            2.0 * r,
        ));
        self.part(parent, &mesh, material, t);
    }

    fn torso_size(&self) -> (f32, f32) {
        let b = &self.b;
        let w = 2.0 * b.shoulder_half * 0.92;
        let d = 0.13 * b.height * (b.shoulder_half / (0.12 * b.height)).clamp(0.8, 1.3);
        (w, d)
    }

    fn pelvis(&mut self, hips: Entity) {
        let b = self.b;
        let (cube, trousers) = (self.m.cube.clone(), self.cloth.trousers.clone());
        let t = Transform::from_xyz(0.0, 0.02 * b.height, 0.0).with_scale(Vec3::new(
            2.0 * b.hip_half + 2.0 * self.leg_r,
            0.09 * b.height,
            0.11 * b.height,
        ));
        self.part(hips, &cube, &trousers, t);
    }

    /// Torso (breathing) and neck on the chest pivot.
    fn chest(&mut self, chest: Entity) {
        let b = self.b;
        let (w, d) = self.torso_size();
        let torso = self
            .commands
            .spawn((
                ChestMesh,
                Mesh3d(self.m.torso.clone()),
                MeshMaterial3d(self.cloth.top.clone()),
                Transform::from_xyz(0.0, b.torso * 0.55, 0.0).with_scale(Vec3::new(
                    w,
                    b.torso * 0.75,
                    d,
                )),
            ))
            .id();
        self.commands.entity(chest).add_child(torso);
        let (limb, skin) = (self.m.limb.clone(), self.cloth.skin.clone());
        let neck = Transform::from_xyz(0.0, b.torso + 0.02 * b.height, 0.0).with_scale(Vec3::new(
            0.06 * b.height,
            0.07 * b.height,
            0.06 * b.height,
        ));
        self.part(chest, &limb, &skin, neck);
        if self.outfit.uniform {
            self.vest(chest);
        }
    }

    /// Hi-vis vest over the uniform, a reflective stripe, and a duty belt.
    fn vest(&mut self, chest: Entity) {
        let b = self.b;
        let (w, d) = self.torso_size();
        let vest = mat(self.materials, Color::srgb(0.85, 0.9, 0.1), 0.6);
        let belt = mat(self.materials, Color::srgb(0.05, 0.05, 0.05), 0.5);
        let stripe = self.materials.add(StandardMaterial {
            base_color: Color::srgb(0.85, 0.85, 0.85),
            emissive: LinearRgba::rgb(0.3, 0.3, 0.3),
            perceptual_roughness: 0.3,
            ..default()
        });
        let cube = self.m.cube.clone();
        let at = |y: f32, size: Vec3| Transform::from_xyz(0.0, y, 0.0).with_scale(size);
        self.part(
            chest,
            &cube,
            &vest,
            at(b.torso * 0.6, Vec3::new(w * 0.98, b.torso * 0.62, d * 1.05)),
        );
        self.part(
            chest,
            &cube,
            &stripe,
            at(b.torso * 0.45, Vec3::new(w, 0.03 * b.height, d * 1.08)),
        );
        self.part(
            chest,
            &cube,
            &belt,
            at(
                0.03 * b.height,
                Vec3::new(w * 0.95, 0.045 * b.height, d * 1.02),
            ),
        );
    }

    /// Head, hair, eyes and nose (which way the face points must read from metres away),
    /// and a uniform's cap.
    fn head(&mut self, head: Entity) {
        let hr = self.b.head_r;
        let (sphere, cube) = (self.m.sphere.clone(), self.m.cube.clone());
        let (skin, hair, eye) = (
            self.cloth.skin.clone(),
            self.cloth.hair.clone(),
            self.cloth.eye.clone(),
        );
        let at = |x: f32, y: f32, z: f32, s: Vec3| Transform::from_xyz(x, y, z).with_scale(s);
        let skull = at(0.0, hr * 1.05, 0.0, Vec3::new(hr * 0.9, hr * 1.12, hr));
        self.part(head, &sphere, &skin, skull);
        // Hair (a cap over the back and top of the head).
        let scalp = at(
            0.0,
            hr * 1.22,
            hr * 0.12,
            Vec3::new(hr * 0.95, hr, hr * 0.98),
        );
        self.part(head, &sphere, &hair, scalp);
        for s in [-1.0, 1.0] {
            let eye_at = at(s * hr * 0.36, hr * 1.12, -hr * 0.88, Vec3::splat(hr * 0.13));
            self.part(head, &sphere, &eye, eye_at);
        }
        let nose = at(0.0, hr * 0.95, -hr * 0.98, Vec3::new(0.22, 0.35, 0.25) * hr);
        self.part(head, &cube, &skin, nose);
        if self.outfit.uniform {
            self.cap(head);
        }
    }

    /// A uniform's peaked cap.
    fn cap(&mut self, head: Entity) {
        let hr = self.b.head_r;
        let cap = mat(self.materials, Color::srgb(0.06, 0.07, 0.12), 0.6);
        let (limb, cube) = (self.m.limb.clone(), self.m.cube.clone());
        let crown = Transform::from_xyz(0.0, hr * 1.75, 0.0).with_scale(Vec3::new(
            hr * 2.05,
            hr * 0.7,
            hr * 2.1,
        ));
        self.part(head, &limb, &cap, crown);
        let peak = Transform::from_xyz(0.0, hr * 1.55, -hr * 0.95).with_scale(Vec3::new(
            hr * 1.5,
            hr * 0.08,
            hr * 0.8,
        ));
        self.part(head, &cube, &cap, peak);
    }

    /// Shoulder, upper arm, elbow, forearm and hand (with what it holds).
    fn arm(&mut self, chest: Entity, side: Side) {
        let b = self.b;
        let at = Vec3::new(side.sign() * b.shoulder_half, b.torso * 0.92, 0.0);
        let shoulder = self.pivot(chest, Joint::Shoulder(side), at);
        let (top, skin) = (self.cloth.top.clone(), self.cloth.skin.clone());
        self.limb(shoulder, b.upper_arm, self.arm_r, &top);
        let elbow = self.pivot(
            shoulder,
            Joint::Elbow(side),
            Vec3::new(0.0, -b.upper_arm, 0.0),
        );
        let sleeve = if self.outfit.uniform { &top } else { &skin };
        self.limb(elbow, b.forearm, self.arm_r * 0.9, sleeve);
        let hand_at = Vec3::new(0.0, -b.forearm - 0.035 * b.height, 0.0);
        let hand = self.pivot(elbow, Joint::Hand(side), hand_at);
        let sphere = self.m.sphere.clone();
        let palm = Transform::from_scale(Vec3::new(0.03, 0.045, 0.02) * b.height);
        self.part(hand, &sphere, &skin, palm);
        if side == Side::Right {
            if self.outfit.held != Held::Nothing {
                let item = spawn_held(
                    self.commands,
                    self.outfit.held,
                    self.m,
                    self.materials,
                    b.height,
                );
                self.commands.entity(item).insert(HeldItem);
                self.commands.entity(hand).add_child(item);
            }
            if self.outfit.sidearm {
                self.sidearm(hand);
            }
        }
    }

    /// A pistol in the hand, hidden until drawn; larger than life so it reads at 10 m.
    fn sidearm(&mut self, hand: Entity) {
        let s = self.b.height / 1.78;
        let dark = mat(self.materials, Color::srgb(0.04, 0.04, 0.05), 0.4);
        let gun = self
            .commands
            .spawn((Sidearm, Transform::default(), Visibility::Hidden))
            .id();
        self.commands.entity(hand).add_child(gun);
        let cube = self.m.cube.clone();
        // Grip in the fist, slide pointing forward (-Z) from the top of the hand.
        let grip =
            Transform::from_xyz(0.0, -0.02 * s, 0.0).with_scale(Vec3::new(0.035, 0.12, 0.05) * s);
        let slide = Transform::from_xyz(0.0, -0.06 * s, -0.08 * s)
            .with_scale(Vec3::new(0.04, 0.05, 0.22) * s);
        self.part(gun, &cube, &dark, grip);
        self.part(gun, &cube, &dark, slide);
    }

    /// Hip, thigh, knee, shin and shoe.
    fn leg(&mut self, hips: Entity, side: Side) {
        let b = self.b;
        let hip = self.pivot(
            hips,
            Joint::Hip(side),
            Vec3::new(side.sign() * b.hip_half, 0.0, 0.0),
        );
        let trousers = self.cloth.trousers.clone();
        self.limb(hip, b.thigh, self.leg_r, &trousers);
        let knee = self.pivot(hip, Joint::Knee(side), Vec3::new(0.0, -b.thigh, 0.0));
        self.limb(knee, b.shin, self.leg_r * 0.85, &trousers);
        let (cube, shoes) = (self.m.cube.clone(), self.cloth.shoes.clone());
        let shoe =
            Transform::from_xyz(0.0, -b.shin + 0.02, -0.05).with_scale(Vec3::new(0.1, 0.07, 0.26));
        self.part(knee, &cube, &shoes, shoe);
    }
}

/// Spawn a humanoid under a new entity with `root` (which should carry an [`Animated`]);
/// returns the root. The root sits on the ground between the feet, facing -Z.
pub fn spawn_humanoid(
    commands: &mut Commands,
    m: &HumanoidMeshes,
    materials: &mut Assets<StandardMaterial>,
    build: Build,
    outfit: Outfit,
    root: impl Bundle,
) -> Entity {
    let look = outfit.look;
    let cloth = Cloth {
        skin: mat(materials, look.skin, 0.7),
        top: mat(materials, look.top, 0.85),
        trousers: mat(materials, look.trousers, 0.9),
        hair: mat(materials, look.hair, 0.95),
        shoes: mat(materials, look.shoes, 0.6),
        eye: mat(materials, Color::srgb(0.05, 0.05, 0.06), 0.3),
    };
    let b = build;
    let arm_r = b.arm_radius();
    let root = commands.spawn((root, build)).id();
    let mut k = Builder {
        commands,
        m,
        materials,
        b,
        cloth,
        outfit,
        arm_r,
        leg_r: b.leg_radius(),
    };
    let hips = k.pivot(root, Joint::Hips, Vec3::new(0.0, b.hip_height, 0.0));
    k.pelvis(hips);
    // Chest pivot at the hips: leaning rotates the whole upper body.
    let chest = k.pivot(hips, Joint::Chest, Vec3::new(0.0, 0.03 * b.height, 0.0));
    k.chest(chest);
    let head = k.pivot(
        chest,
        Joint::Head,
        Vec3::new(0.0, b.torso + 0.05 * b.height, 0.0),
    );
    k.head(head);
    for side in [Side::Left, Side::Right] {
        k.arm(chest, side);
        k.leg(hips, side);
    }
    root
}

/// How far a held blade's tip leans forward from straight down the hand (radians).
const KNIFE_TILT: f32 = 0.8;

/// One mesh of a held object: its mesh, material and place in the holder.
type Part = (Handle<Mesh>, Handle<StandardMaterial>, Transform);

/// `held` as a hand holds it (hanging down its local -Y from the grip), under a new entity
/// it returns: in a hand, or laid down where it was put.
pub fn spawn_held(
    commands: &mut Commands,
    held: Held,
    m: &HumanoidMeshes,
    materials: &mut Assets<StandardMaterial>,
    height: f32,
) -> Entity {
    let s = height / 1.78;
    let parts = match held {
        Held::Knife => knife(m, materials, s),
        Held::Bottle => bottle(m, materials, s),
        Held::Bat => bat(m, materials, s),
        Held::Stick => stick(m, materials, s),
        Held::WalkingStick => walking_stick(m, materials, s),
        Held::Phone => phone(m, materials, s),
        Held::Bag => bag(m, materials, s),
        Held::Handgun => handgun(m, materials, s),
        Held::Rifle | Held::Shotgun => long_gun(m, materials, s),
        Held::Nothing => Vec::new(),
    };
    let holder = commands
        .spawn((Transform::default(), Visibility::default()))
        .id();
    for (mesh, material, t) in parts {
        commands
            .entity(holder)
            .with_child((Mesh3d(mesh), MeshMaterial3d(material), t));
    }
    holder
}

/// A dark handle and a pale blade.
fn knife(m: &HumanoidMeshes, materials: &mut Assets<StandardMaterial>, s: f32) -> Vec<Part> {
    // Self-lit and pale: the blade must read at 8–10 m in any light, even at dusk in rain.
    let steel = materials.add(StandardMaterial {
        base_color: Color::srgb(0.92, 0.94, 0.97),
        unlit: true,
        ..default()
    });
    let dark = mat(materials, Color::srgb(0.08, 0.07, 0.06), 0.6);
    vec![
        (
            m.cube.clone(),
            dark,
            Transform::from_xyz(0.0, -0.01, 0.0).with_scale(Vec3::new(0.025, 0.11, 0.03) * s),
        ),
        (
            // Larger than life, its flat facing forward and its tip angled forward out
            // of the fist: whether the arm hangs or points, the trainee sees the blade
            // side-on, not end-on or by its edge, and it reads from a safe distance.
            m.cube.clone(),
            steel,
            Transform::from_translation(
                Quat::from_rotation_x(KNIFE_TILT) * Vec3::new(0.0, -0.22, 0.0) * s,
            )
            .with_rotation(Quat::from_rotation_x(KNIFE_TILT))
            .with_scale(Vec3::new(0.08, 0.36, 0.015) * s),
        ),
    ]
}

/// A green glass bottle held by the neck.
fn bottle(m: &HumanoidMeshes, materials: &mut Assets<StandardMaterial>, s: f32) -> Vec<Part> {
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
            Transform::from_xyz(0.0, -0.02, 0.0).with_scale(Vec3::new(0.03, 0.12, 0.03) * s),
        ),
        (
            m.limb.clone(),
            glass,
            Transform::from_xyz(0.0, -0.17 * s, 0.0).with_scale(Vec3::new(0.075, 0.2, 0.075) * s),
        ),
    ]
}

/// A baseball bat held by the handle above the knob, hanging tip down and leaning out
/// from the thigh: pale ash, the thin handle swelling to the barrel, so it
/// reads as a bat and not a stick. Real size: 0.84 m, 6.6 cm across the barrel.
fn bat(m: &HumanoidMeshes, materials: &mut Assets<StandardMaterial>, s: f32) -> Vec<Part> {
    let ash = mat(materials, Color::srgb(0.8, 0.66, 0.46), 0.55);
    let tilt = Quat::from_rotation_x(0.08) * Quat::from_rotation_z(0.2);
    // (centre down the bat from the fist, length, diameter), metres.
    let piece = |mesh: &Handle<Mesh>, y: f32, len: f32, d: f32| {
        (
            mesh.clone(),
            ash.clone(),
            Transform::from_translation(tilt * Vec3::new(0.0, y, 0.0) * s)
                .with_rotation(tilt)
                .with_scale(Vec3::new(d, len, d) * s),
        )
    };
    vec![
        piece(&m.sphere, 0.06, 0.022, 0.022),
        piece(&m.limb, -0.1, 0.34, 0.03),
        piece(&m.limb, -0.3, 0.22, 0.048),
        piece(&m.limb, -0.55, 0.37, 0.066),
    ]
}

fn stick(m: &HumanoidMeshes, materials: &mut Assets<StandardMaterial>, s: f32) -> Vec<Part> {
    vec![(
        m.limb.clone(),
        mat(materials, Color::srgb(0.35, 0.24, 0.14), 0.9),
        Transform::from_xyz(0.0, -0.4 * s, 0.0).with_scale(Vec3::new(0.035, 0.95, 0.035) * s),
    )]
}

/// A crook handle forward of the fist and the shaft down to the ground.
fn walking_stick(
    m: &HumanoidMeshes,
    materials: &mut Assets<StandardMaterial>,
    s: f32,
) -> Vec<Part> {
    let wood = mat(materials, Color::srgb(0.3, 0.2, 0.12), 0.6);
    vec![
        (
            m.cube.clone(),
            wood.clone(),
            Transform::from_xyz(0.0, 0.0, -0.05 * s).with_scale(Vec3::new(0.03, 0.03, 0.13) * s),
        ),
        (
            m.limb.clone(),
            wood,
            Transform::from_xyz(0.0, -0.42 * s, -0.1 * s)
                .with_scale(Vec3::new(0.028, 0.86, 0.028) * s),
        ),
    ]
}

/// A phone with its screen lit.
fn phone(m: &HumanoidMeshes, materials: &mut Assets<StandardMaterial>, s: f32) -> Vec<Part> {
    let screen = materials.add(StandardMaterial {
        base_color: Color::srgb(0.03, 0.03, 0.04),
        emissive: LinearRgba::rgb(0.2, 0.3, 0.5),
        perceptual_roughness: 0.2,
        ..default()
    });
    vec![(
        m.cube.clone(),
        screen,
        Transform::from_xyz(0.0, -0.03, -0.02).with_scale(Vec3::new(0.07, 0.14, 0.01) * s),
    )]
}

/// A bag hanging from its strap.
fn bag(m: &HumanoidMeshes, materials: &mut Assets<StandardMaterial>, s: f32) -> Vec<Part> {
    let strap = mat(materials, Color::srgb(0.08, 0.07, 0.06), 0.6);
    vec![
        (
            m.cube.clone(),
            strap,
            Transform::from_xyz(0.0, -0.08 * s, 0.0).with_scale(Vec3::new(0.015, 0.16, 0.015) * s),
        ),
        (
            m.cube.clone(),
            mat(materials, Color::srgb(0.45, 0.3, 0.2), 0.8),
            Transform::from_xyz(0.0, -0.28 * s, 0.0).with_scale(Vec3::new(0.32, 0.26, 0.12) * s),
        ),
    ]
}

/// The torso meshes (breathing), apart from roots and joints.
type ChestMeshFilter = (With<ChestMesh>, Without<Joint>, Without<Animated>);

/// Write the eased poses into the root and joint transforms.
pub fn apply_poses(
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

/// Gun metal: dark, but lit a little from within so that it never goes black against
/// dark clothes at night.
fn gunmetal(materials: &mut Assets<StandardMaterial>, grey: f32) -> Handle<StandardMaterial> {
    materials.add(StandardMaterial {
        base_color: Color::srgb(grey, grey, grey * 1.05),
        emissive: LinearRgba::rgb(0.1, 0.1, 0.105) * grey,
        perceptual_roughness: 0.35,
        ..default()
    })
}

/// A pale line of light along an edge (a street lamp catching it): unlit, so it reads at
/// 8–10 m in any light.
fn rim(materials: &mut Assets<StandardMaterial>) -> Handle<StandardMaterial> {
    materials.add(StandardMaterial {
        base_color: Color::srgb(0.66, 0.68, 0.72),
        unlit: true,
        ..default()
    })
}

/// A handgun hanging from the hand as a person holds one at their side: the muzzle to the
/// ground, the hand turned palm-back so the trainee in front sees the pistol's side (slide
/// down the inside of the fist, grip out through it), not its end. About real size (0.2 m
/// long, 0.13 m tall): the outline, the lit slide and the arm held out from the body do the
/// reading, not scale.
fn handgun(m: &HumanoidMeshes, materials: &mut Assets<StandardMaterial>, s: f32) -> Vec<Part> {
    let (slide, frame, edge) = (
        // A stainless slide on a dark frame, as many pistols (and replicas) are.
        gunmetal(materials, 0.62),
        gunmetal(materials, 0.26),
        rim(materials),
    );
    // The muzzle leans a little out, as a loosely held gun hangs.
    let hang = Quat::from_rotation_z(0.12);
    let at = |x: f32, y: f32, size: Vec3| {
        Transform::from_translation(hang * Vec3::new(x, y, 0.0) * s)
            .with_rotation(hang)
            .with_scale(size * s)
    };
    vec![
        // Slide and barrel beside the thumb, from just above the fist down to the muzzle.
        (
            m.cube.clone(),
            slide,
            at(-0.062, -0.075, Vec3::new(0.045, 0.22, 0.03)),
        ),
        // The frame under the slide, and the grip out through the fist.
        (
            m.cube.clone(),
            frame.clone(),
            at(-0.03, -0.055, Vec3::new(0.028, 0.15, 0.027)),
        ),
        (
            m.cube.clone(),
            frame,
            Transform::from_translation(hang * Vec3::new(0.02, 0.01, 0.0) * s)
                .with_rotation(hang * Quat::from_rotation_z(0.3))
                .with_scale(Vec3::new(0.12, 0.045, 0.03) * s),
        ),
        // Light along the slide's edge.
        (
            m.cube.clone(),
            edge,
            at(-0.088, -0.075, Vec3::new(0.016, 0.21, 0.032)),
        ),
    ]
}

/// A rifle or shotgun held at the grip, the barrel forward along the forearm's line, the
/// stock behind, with a pale top edge.
fn long_gun(m: &HumanoidMeshes, materials: &mut Assets<StandardMaterial>, s: f32) -> Vec<Part> {
    let (metal, edge) = (gunmetal(materials, 0.16), rim(materials));
    let wood = mat(materials, Color::srgb(0.36, 0.22, 0.12), 0.6);
    let at =
        |y: f32, z: f32, size: Vec3| Transform::from_xyz(0.0, y * s, z * s).with_scale(size * s);
    vec![
        (
            m.cube.clone(),
            metal,
            at(-0.03, -0.32, Vec3::new(0.05, 0.07, 0.75)),
        ),
        (
            m.cube.clone(),
            edge,
            at(0.005, -0.4, Vec3::new(0.02, 0.01, 0.6)),
        ),
        (
            m.cube.clone(),
            wood,
            at(-0.06, 0.2, Vec3::new(0.05, 0.12, 0.35)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::vocab::Body;
    use crate::game::humanoid::body_language::carry;
    use crate::game::humanoid::pose::Pose;
    use bevy::ecs::system::RunSystemOnce;
    use bevy::mesh::VertexAttributeValues;

    /// A 1.65 m subject holding `held` in the pose the body language gives for `body`,
    /// posed and placed: the app, the root and the build.
    fn posed(held: Held, body: Body) -> (App, Entity, Build) {
        let mut app = App::new();
        app.add_plugins((
            MinimalPlugins,
            AssetPlugin::default(),
            bevy::transform::TransformPlugin,
        ))
        .init_asset::<Mesh>()
        .init_asset::<StandardMaterial>()
        .init_resource::<HumanoidMeshes>()
        .add_systems(Update, apply_poses);
        let build = Build::new(1.65, 0.35);
        let mut pose = Pose::standing();
        carry(&mut pose, held, body);
        let mut anim = Animated::standing(Vec2::new(2.0, -3.0), 0.7, 1.5, 0.02);
        anim.pose = pose;
        let outfit = Outfit {
            look: Look::officer(),
            uniform: false,
            held,
            sidearm: false,
        };
        let root = app
            .world_mut()
            .run_system_once(
                move |mut c: Commands,
                      m: Res<HumanoidMeshes>,
                      mut mats: ResMut<Assets<StandardMaterial>>| {
                    let root = (anim.clone(), Transform::default(), Visibility::default());
                    spawn_humanoid(&mut c, &m, &mut mats, build, outfit, root)
                },
            )
            .expect("spawns");
        app.update();
        app.update();
        (app, root, build)
    }

    /// Every vertex of what the hand holds, in the world.
    fn held_points(app: &mut App) -> Vec<Vec3> {
        let world = app.world_mut();
        let mut items = world.query_filtered::<(&Children, &Visibility), With<HeldItem>>();
        let (children, vis) = items.single(world).expect("one held item");
        assert_ne!(*vis, Visibility::Hidden, "the held item is shown");
        let children: Vec<Entity> = children.iter().collect();
        let meshes = world.resource::<Assets<Mesh>>();
        let mut points = Vec::new();
        for e in children {
            let (Some(mesh), Some(g)) = (world.get::<Mesh3d>(e), world.get::<GlobalTransform>(e))
            else {
                continue;
            };
            let mesh = meshes.get(&mesh.0).expect("mesh");
            let Some(VertexAttributeValues::Float32x3(v)) =
                mesh.attribute(Mesh::ATTRIBUTE_POSITION)
            else {
                panic!("positions")
            };
            points.extend(v.iter().map(|p| g.transform_point(Vec3::from(*p))));
        }
        points
    }

    fn joint_at(app: &mut App, joint: Joint) -> Vec3 {
        let world = app.world_mut();
        let mut q = world.query::<(&Joint, &GlobalTransform)>();
        q.iter(world)
            .find(|(j, _)| **j == joint)
            .map(|(_, g)| g.translation())
            .expect("joint")
    }

    /// Longest distance across the points (metres).
    fn length(points: &[Vec3]) -> f32 {
        let mut d = 0.0f32;
        for (i, a) in points.iter().enumerate() {
            for b in &points[i + 1..] {
                d = d.max(a.distance(*b));
            }
        }
        d
    }

    /// Real sizes (metres, end to end), with the knife's larger-than-life blade allowed.
    fn size_range(held: Held) -> (f32, f32) {
        match held {
            Held::Knife => (0.2, 0.5),
            Held::Bottle => (0.22, 0.38),
            Held::Bat => (0.75, 0.95),
            Held::Phone => (0.12, 0.2),
            Held::Bag => (0.35, 0.75),
            Held::Stick => (0.7, 1.1),
            Held::WalkingStick => (0.8, 1.0),
            Held::Handgun => (0.17, 0.3),
            Held::Rifle | Held::Shotgun => (0.9, 1.25),
            Held::Nothing => (0.0, 0.0),
        }
    }

    const HELD: [Held; 10] = [
        Held::Knife,
        Held::Bottle,
        Held::Bat,
        Held::Phone,
        Held::Bag,
        Held::Stick,
        Held::WalkingStick,
        Held::Handgun,
        Held::Rifle,
        Held::Shotgun,
    ];

    #[test]
    fn what_the_subject_holds_is_drawn_in_the_right_hand_at_its_real_size() {
        for held in HELD {
            for body in [Body::Calm, Body::Agitated, Body::Threatening] {
                let (mut app, _, _) = posed(held, body);
                let points = held_points(&mut app);
                assert!(!points.is_empty(), "{held:?} is drawn");
                let hand = joint_at(&mut app, Joint::Hand(Side::Right));
                let grip = points
                    .iter()
                    .map(|p| p.distance(hand))
                    .fold(f32::INFINITY, f32::min);
                assert!(
                    grip < 0.06,
                    "{held:?} ({body:?}) is {grip:.2} m from the hand"
                );
                let (lo, hi) = size_range(held);
                let len = length(&points);
                assert!(
                    (lo..=hi).contains(&len),
                    "{held:?} is {len:.2} m long, not {lo}-{hi} m"
                );
            }
        }
    }

    #[test]
    fn a_gun_or_a_bat_hangs_clear_of_the_thigh_not_against_the_clothes() {
        for held in [Held::Handgun, Held::Bat, Held::Bottle, Held::Rifle] {
            for body in [Body::Calm, Body::Guarded, Body::Withdrawn, Body::Pacing] {
                let (mut app, root, build) = posed(held, body);
                let points = held_points(&mut app);
                let to_body = app
                    .world()
                    .get::<GlobalTransform>(root)
                    .expect("root")
                    .affine()
                    .inverse();
                // Out to the right of the body (+X in its own frame), beyond the thigh.
                let inner = points
                    .iter()
                    .map(|p| to_body.transform_point3(*p).x)
                    .fold(f32::INFINITY, f32::min);
                let thigh = build.hip_half + build.leg_radius();
                assert!(
                    inner > thigh + 0.03,
                    "{held:?} ({body:?}) comes {inner:.2} m from the midline, the thigh {thigh:.2} m"
                );
            }
        }
    }
}
