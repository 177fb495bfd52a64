//! A humanoid's pose (every joint angle the animation sets), its eased animation state,
//! and the small pose vocabulary shared by every body: standing, walking, folded arms,
//! sitting. Angles are radians; per side arrays are [left, right].

use super::rig::Build;
use bevy::prelude::*;
use std::f32::consts::{FRAC_PI_2, PI, TAU};

/// A pose: every joint angle the animation sets (radians; see the `humanoid` docs).
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
    /// Move every angle a fraction `k` (0..1) of the way to `target`.
    pub fn ease(&mut self, target: &Pose, k: f32) {
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

    /// Relaxed standing: arms hang slightly away from the body.
    pub fn standing() -> Pose {
        Pose {
            shoulder_out: [0.07, 0.07],
            elbow: [0.12, 0.12],
            ..default()
        }
    }

    /// Arms folded across the chest.
    pub fn fold_arms(&mut self) {
        self.shoulder_pitch = [0.45, 0.45];
        self.shoulder_out = [0.05, 0.05];
        self.shoulder_twist = [1.05, 1.05];
        self.elbow = [1.75, 1.75];
        self.fist = 0.3;
    }

    /// Seated on something `seat` metres high (0 = on the ground).
    pub fn sit(&mut self, b: &Build, seat: f32) {
        // Hips rest on the seat (or the ground, with knees up).
        let hip_y = seat.max(0.1);
        self.hip_drop = hip_y - b.hip_height + 0.04;
        if seat < 0.25 {
            self.hip = [1.25, 1.25];
            self.knee = [2.0, 2.0];
            self.shoulder_pitch = [0.55, 0.55];
            self.elbow = [0.5, 0.5];
        } else {
            self.hip = [FRAC_PI_2, FRAC_PI_2];
            let dangle = if seat > b.shin + 0.15 {
                1.25
            } else {
                FRAC_PI_2
            };
            self.knee = [dangle, dangle];
            if self.shoulder_pitch[0] < 0.3 && self.elbow[0] < 0.5 {
                // Hands resting on the seat beside the thighs.
                self.shoulder_pitch = [0.15, 0.15];
                self.shoulder_out = [0.18, 0.18];
                self.elbow = [0.25, 0.25];
            }
        }
        self.lean = self.lean.max(0.12);
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

impl Animated {
    /// Standing at `position`, facing `yaw`, breathing at `breath_rate` (radians/s).
    pub fn standing(position: Vec2, yaw: f32, breath_rate: f32, breath_depth: f32) -> Animated {
        Animated {
            pose: Pose::standing(),
            position,
            yaw,
            breath_rate,
            breath_depth,
            walk_phase: 0.0,
            lift: 0.0,
        }
    }

    /// Ease towards `aim` over `dt` seconds: pose, position (at most `aim.max_speed`),
    /// yaw and lift; legs (and, with `arm_swing`, arms) swing while walking.
    pub fn follow(&mut self, aim: &Aim, dt: f32) {
        let k = ease(aim.pose_rate, dt);
        self.pose.ease(&aim.pose, k);
        let before = self.position;
        let max_step = aim.max_speed * dt;
        let delta = aim.goal - self.position;
        self.position += if delta.length() > max_step {
            delta.normalize() * max_step
        } else {
            delta * ease(6.0, dt).max(0.0)
        };
        let moved = self.position.distance(before);
        self.walk_phase = (self.walk_phase + moved * 3.4) % TAU;
        self.yaw = wrap_angle(self.yaw + wrap_angle(aim.yaw - self.yaw) * ease(aim.turn_rate, dt));
        self.lift += (aim.lift - self.lift) * k;
        if !aim.seated && moved > 0.2 * dt {
            self.stride(aim.stride, aim.arm_swing * k);
        }
    }

    /// Jump straight to `aim` (a replay seek): no easing, no walking.
    pub fn snap(&mut self, aim: &Aim) {
        self.pose = aim.pose;
        self.position = aim.goal;
        self.yaw = aim.yaw;
        self.lift = aim.lift;
    }

    /// Legs at the current walk phase (hip swing and knee bend, radians); arms counter-swing.
    fn stride(&mut self, (swing, knee): (f32, f32), arms: f32) {
        let s = self.walk_phase.sin() * swing;
        self.pose.hip = [s, -s];
        self.pose.knee = [
            self.walk_phase.cos().max(0.0) * knee,
            (-self.walk_phase.cos()).max(0.0) * knee,
        ];
        self.pose.shoulder_pitch[0] += -s * 0.5 * arms;
        self.pose.shoulder_pitch[1] += s * 0.5 * arms;
    }
}

/// Where a body wants to be this frame: the target pose and root, and how fast to get there.
#[derive(Debug, Clone, Copy)]
pub struct Aim {
    pub pose: Pose,
    pub goal: Vec2,
    pub yaw: f32,
    pub lift: f32,
    /// Seated bodies do not swing their legs when they shift.
    pub seated: bool,
    /// Ease rates per second: pose (and lift) and turning.
    pub pose_rate: f32,
    pub turn_rate: f32,
    /// Fastest walk towards `goal`, m/s.
    pub max_speed: f32,
    /// Hip swing and knee bend of the walk cycle (radians), and how much the arms swing
    /// with it (0..1).
    pub stride: (f32, f32),
    pub arm_swing: f32,
}

impl Aim {
    /// Standing at `goal` facing `yaw` in `pose`, walking there at `max_speed`.
    pub fn at(pose: Pose, goal: Vec2, yaw: f32, max_speed: f32) -> Aim {
        Aim {
            pose,
            goal,
            yaw,
            lift: 0.0,
            seated: false,
            pose_rate: 4.0,
            turn_rate: 3.0,
            max_speed,
            stride: (0.4, 0.5),
            arm_swing: 0.0,
        }
    }
}

/// Yaw (radians, scenario convention: 0 = -Z) that looks from `from` to `to`.
pub fn yaw_towards(from: Vec2, to: Vec2) -> Option<f32> {
    let d = to - from;
    (d.length_squared() > 1e-6).then(|| (-d.x).atan2(-d.y))
}

/// An angle brought into -π..π.
pub fn wrap_angle(a: f32) -> f32 {
    (a + PI).rem_euclid(TAU) - PI
}

/// `a` turned a fraction `t` of the way towards `b`, the short way round.
pub fn blend_yaw(a: f32, b: f32, t: f32) -> f32 {
    wrap_angle(a + wrap_angle(b - a) * t)
}

/// Ease factor for a rate per second over `dt`.
pub fn ease(rate: f32, dt: f32) -> f32 {
    1.0 - (-rate * dt).exp()
}

/// Rotation for a scenario yaw in degrees (0 = looking along -z, 90 = along -x).
pub fn yaw_rotation(facing_deg: f32) -> Quat {
    Quat::from_rotation_y(facing_deg.to_radians())
}
