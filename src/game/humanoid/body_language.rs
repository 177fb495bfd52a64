//! Body language: what a person's body does this frame, given the core's `Body` state,
//! agitation and where the trainee stands. The subject paces, folds their arms, sits on
//! the nearest seat or kerb, brandishes what they hold; the partner stands ready, talks
//! over, steps back. Used by the live game and by the after-action review alike.

use super::acts::Stage;
use super::pose::{Aim, Animated, Pose, blend_yaw, wrap_angle, yaw_towards};
use super::rig::Build;
use crate::format::scenario::{Prop, PropKind, Scenario, Spawn};
use crate::format::vocab::{Body, Held};
use crate::game::scene::ground::{Ground, ROAD_DROP};
use crate::sim::staging::Posture;
use bevy::prelude::*;
use std::f32::consts::{PI, TAU};

/// How far a subject with nowhere to sit walks to sit on a kerb (metres).
const KERB_REACH: f32 = 3.5;

/// What the subject's body responds to this frame.
#[derive(Debug, Clone, Copy)]
pub struct Cue<'a> {
    pub body: Body,
    /// 0..100.
    pub agitation: f32,
    /// The trainee on the ground plane, if known.
    pub trainee: Option<Vec2>,
    /// Seconds since the last frame (0 while paused).
    pub dt: f32,
    /// The story's acts so far (where they stand, what they hold, sitting or kneeling).
    pub stage: Option<&'a Stage>,
}

/// The subject's behaviour state (pacing, seat, kerb) between frames.
#[derive(Component, Debug, Clone)]
pub struct SubjectMotion {
    spawn: Spawn,
    /// Where they stand now (the spawn until an act moves them), their posture and what
    /// the hand shows, from the acts.
    at: Vec2,
    posture: Posture,
    holding: Held,
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

/// The stance part of an aim, before seating.
struct Stance {
    pose: Pose,
    goal: Vec2,
    yaw: f32,
    turn_rate: f32,
}

impl SubjectMotion {
    pub fn new(scenario: &Scenario) -> SubjectMotion {
        let spawn = scenario.subject.spawn;
        SubjectMotion {
            spawn,
            at: Vec2::new(spawn.x, spawn.z),
            posture: Posture::Standing,
            holding: scenario.subject.holding,
            seat: seat_at(scenario, &spawn),
            pace_axis: None,
            pace_reach: (0.0, 0.0),
            pace_phase: 0.0,
            time: 0.0,
            kerb: None,
            kerb_checked: false,
        }
    }

    /// Where they stand: the spawn, or where an act took them.
    fn home(&self) -> Vec2 {
        self.at
    }

    /// The seat at the spawn (a bench, the railing, the cab).
    fn seat_spot(&self) -> Vec2 {
        Vec2::new(self.spawn.x, self.spawn.z)
    }

    /// Whether an act has moved them off their spot (out of the cab, back over the rail).
    fn moved(&self) -> bool {
        self.at.distance(self.seat_spot()) > 0.05
    }

    fn facing(&self) -> f32 {
        self.spawn.facing.to_radians()
    }

    /// Where the subject's body goes this frame; also sets the breathing of `anim`.
    pub fn aim(
        &mut self,
        anim: &mut Animated,
        build: &Build,
        cue: &Cue,
        scenario: &Scenario,
        ground: &Ground,
    ) -> Aim {
        self.time += cue.dt;
        if let Some(st) = cue.stage {
            self.at = st.at();
            self.posture = st.staging.posture;
            self.holding = st.shown().0;
        }
        if !self.kerb_checked {
            self.kerb_checked = true;
            self.kerb = ground.kerb_near(self.home(), KERB_REACH);
        }
        // Breathing: 12 breaths a minute calm, up to ~34 when highly agitated.
        let bpm = 12.0 + cue.agitation * 0.22;
        anim.breath_rate = bpm / 60.0 * TAU;
        anim.breath_depth = 0.018 + cue.agitation * 0.00025;

        let to_trainee = cue.trainee.and_then(|t| yaw_towards(anim.position, t));
        if cue.body != Body::Pacing {
            self.pace_axis = None;
        }
        let mut stance = self.stance(cue, to_trainee, scenario);
        carry(&mut stance.pose, self.holding, cue.body);
        let mut aim = Aim {
            pose: stance.pose,
            goal: stance.goal,
            yaw: stance.yaw,
            lift: 0.0,
            seated: false,
            pose_rate: 3.0,
            turn_rate: stance.turn_rate,
            max_speed: 2.2,
            stride: (0.45, 0.6),
            arm_swing: 1.0,
        };
        self.settle(&mut aim, anim, build, cue.body, to_trainee);
        if let Some(st) = cue.stage {
            st.shape(&mut aim, build, anim.position, to_trainee);
        }
        aim
    }

    /// On a high seat (a railing, a wall) the subject stays seated whatever happens.
    fn high_seat(&self) -> bool {
        self.seat.is_some_and(|h| h > 0.8)
    }

    /// Sitting after the acts (`Sit`, or the `Sitting` scenes that imply it) unless agitation
    /// has them on their feet, off a seat that holds them (a railing, a cab); standing once an
    /// act took them off their spot; otherwise as the body language has it.
    fn seated(&self, body: Body) -> bool {
        let restless = matches!(body, Body::Threatening | Body::Agitated | Body::Pacing);
        match self.posture {
            Posture::Sitting => !restless || self.high_seat(),
            Posture::Kneeling => false,
            Posture::Standing if self.moved() => false,
            Posture::Standing => match body {
                Body::Sitting => true,
                Body::Crying | Body::Withdrawn | Body::Calm => self.seat.is_some(),
                _ => self.high_seat(),
            },
        }
    }

    /// Pose, place and facing for the body state, standing.
    fn stance(&mut self, cue: &Cue, to_trainee: Option<f32>, scenario: &Scenario) -> Stance {
        let mut s = Stance {
            pose: Pose::standing(),
            goal: self.home(),
            yaw: to_trainee.unwrap_or(self.facing()),
            turn_rate: 2.0,
        };
        // Seated, they keep facing the way the seat faces; standing, they turn partly away.
        let away = |k: f32| {
            if self.seated(cue.body) {
                self.facing()
            } else {
                wrap_angle(to_trainee.unwrap_or(0.0) + PI * k)
            }
        };
        let p = &mut s.pose;
        match cue.body {
            Body::Calm => {
                p.elbow = [0.2, 0.2];
                s.yaw = blend_yaw(self.facing(), s.yaw, 0.7);
                s.turn_rate = 1.0;
            }
            Body::Guarded => {
                // Arms folded, half turned away, weight back.
                p.fold_arms();
                p.lean = -0.05;
                s.yaw = wrap_angle(s.yaw + 0.55);
            }
            Body::Pacing => self.pace(&mut s, cue, scenario),
            Body::Agitated => self.agitated(&mut s),
            Body::Threatening => self.threaten(&mut s, cue.trainee),
            Body::Withdrawn => {
                p.head_pitch = 0.55;
                p.lean = 0.18;
                p.fold_arms();
                p.shoulder_pitch = [0.35, 0.35];
                p.elbow = [1.6, 1.6];
                s.yaw = away(0.85);
                s.turn_rate = 1.2;
            }
            Body::Sitting => {
                s.yaw = self.facing();
                p.head_pitch = 0.2;
                p.head_yaw = 0.0;
            }
            Body::Crying => {
                self.crying(&mut s.pose);
                s.yaw = away(0.4);
                s.turn_rate = 1.0;
            }
        }
        s
    }

    /// Fists, elbows bent and out, shoulders up, shifting the weight restlessly.
    fn agitated(&self, s: &mut Stance) {
        let p = &mut s.pose;
        p.fist = 1.0;
        p.shoulder_out = [0.28, 0.28];
        p.shoulder_pitch = [0.25, 0.25];
        p.elbow = [0.9, 0.9];
        p.lean = 0.1;
        p.shrug = 0.025;
        let sway = (self.time * 2.3).sin() * 0.12;
        s.goal = self.home() + Vec2::new(sway, 0.0);
        s.turn_rate = 4.0;
    }

    /// Head in hands, shoulders shaking.
    fn crying(&self, p: &mut Pose) {
        let sob = (self.time * 5.5).sin() * 0.05;
        p.head_pitch = 0.6;
        p.lean = 0.35 + sob;
        p.shoulder_pitch = [1.15, 1.15];
        p.shoulder_out = [-0.05, -0.05];
        p.shoulder_twist = [0.35, 0.35];
        p.elbow = [2.3, 2.3];
    }

    /// The held thing brandished in the right hand (a gun pointed at the trainee, arm
    /// straight), left arm out, a half step forward.
    fn threaten(&self, s: &mut Stance, trainee: Option<Vec2>) {
        let p = &mut s.pose;
        p.fist = 1.0;
        p.lean = 0.16;
        p.shrug = 0.03;
        p.shoulder_pitch = [0.7, 2.05 + (self.time * 3.1).sin() * 0.15];
        p.shoulder_out = [0.6, 0.3];
        p.elbow = [0.7, 0.85];
        if self.holding.is_firearm() {
            p.shoulder_pitch[1] = 1.5 + (self.time * 3.1).sin() * 0.05;
            p.shoulder_out[1] = 0.0;
            p.shoulder_twist[1] = 0.3;
            p.elbow[1] = 0.05;
            p.lean = 0.05;
        }
        p.hip = [0.25, -0.1];
        p.knee = [0.25, 0.05];
        if let (Some(t), false) = (trainee, self.high_seat()) {
            let d = (t - self.home()).normalize_or_zero();
            s.goal = self.home() + d * 0.5;
        }
        s.turn_rate = 5.0;
    }

    /// Back and forth across the trainee's line of sight, as far as the props allow.
    fn pace(&mut self, s: &mut Stance, cue: &Cue, scenario: &Scenario) {
        let home = self.home();
        if self.pace_axis.is_none() {
            let d = cue
                .trainee
                .map_or(Vec2::X, |t| (t - home).normalize_or(Vec2::Y));
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
            self.pace_axis = Some(axis);
            self.pace_reach = reach;
        }
        let axis = self.pace_axis.unwrap_or(Vec2::X);
        let (ahead, back) = self.pace_reach;
        let amp = ahead.max(back).max(0.3);
        let omega = 0.85 / amp;
        self.pace_phase = (self.pace_phase + omega * cue.dt * (1.0 + cue.agitation / 150.0)) % TAU;
        let sin = self.pace_phase.sin();
        s.goal = home + axis * sin * if sin >= 0.0 { ahead } else { back };
        let v = axis * self.pace_phase.cos();
        if v.length() > 0.25 {
            s.yaw = yaw_towards(Vec2::ZERO, v).unwrap_or(s.yaw);
        }
        s.turn_rate = 4.0;
        s.pose.shoulder_out = [0.12, 0.12];
        s.pose.fist = 0.5;
        s.pose.head_pitch = 0.12;
    }

    /// Sitting down on the seat at the spawn, or on a kerb nearby (walking there first),
    /// with the head (not the body) turned towards the trainee.
    fn settle(
        &self,
        aim: &mut Aim,
        anim: &Animated,
        build: &Build,
        body: Body,
        to_trainee: Option<f32>,
    ) {
        let seated = self.seated(body);
        // With nothing to sit on at the spawn, a street's kerb will do (feet in the road).
        let kerb = if self.seat.is_none() { self.kerb } else { None };
        let mut face = self.facing();
        let mut on_kerb = false;
        if seated && let Some((spot, yaw)) = kerb {
            aim.goal = spot;
            face = yaw;
            if anim.position.distance(spot) < 0.25 {
                on_kerb = true;
            } else {
                // Walking over to the kerb first.
                aim.yaw = yaw_towards(anim.position, spot).unwrap_or(yaw);
                aim.turn_rate = 4.0;
            }
        }
        let sitting_now = seated && (kerb.is_none() || on_kerb);
        aim.seated = sitting_now;
        if sitting_now {
            if on_kerb {
                aim.pose.sit(build, ROAD_DROP + 0.05);
                aim.lift = -ROAD_DROP;
            } else {
                aim.pose.sit(build, self.seat.unwrap_or(0.0));
                aim.goal = self.seat_spot();
                // Back over the railing: sitting on it facing the officer's side.
                if self.moved() {
                    face = yaw_towards(self.seat_spot(), self.at).unwrap_or(face);
                }
            }
            aim.yaw = face;
            if !matches!(body, Body::Crying | Body::Withdrawn) {
                self.glance(aim, body, face, to_trainee);
            }
        } else if let Some(t) = to_trainee
            && !matches!(body, Body::Withdrawn | Body::Crying)
        {
            // The head follows the trainee within what a neck can do.
            let rel = wrap_angle(t - anim.yaw);
            aim.pose.head_yaw = rel.clamp(-1.1, 1.1);
        }
    }

    /// Seated: the upper body turns towards the trainee, not the whole person.
    fn glance(&self, aim: &mut Aim, body: Body, face: f32, to_trainee: Option<f32>) {
        let Some(t) = to_trainee else { return };
        let towards = wrap_angle(t - face).clamp(-1.2, 1.2);
        if body == Body::Sitting {
            // Glances back over the shoulder now and then.
            let glance = ((self.time * 0.23).sin() * 1.8).clamp(-1.0, 1.0).max(0.0);
            aim.pose.head_yaw = towards * glance;
        } else {
            aim.pose.head_yaw = towards;
        }
    }
}

/// How the right hand carries what it holds, before sitting or an act pose the arm (and
/// unless brandishing, `threaten`'s): a gun, a bat or a bottle hangs a hand's breadth out
/// from the thigh, arm nearly straight (the other arm may be folded or at the face), so its
/// outline is seen against what is behind them, side-on to the trainee, rather than lost
/// against dark clothes or pointing at them end-on; agitated, a bat comes up in front of the
/// shoulder, ready, and a knife, bottle or stick is held low but ready.
pub fn carry(p: &mut Pose, held: Held, body: Body) {
    let hangs_out = held.is_firearm() || matches!(held, Held::Bat | Held::Bottle);
    let arm = |p: &mut Pose, pitch: f32, out: f32, elbow: f32| {
        p.shoulder_pitch[1] = pitch;
        p.shoulder_out[1] = out;
        p.shoulder_twist[1] = 0.0;
        p.elbow[1] = elbow;
    };
    match body {
        Body::Threatening => {}
        Body::Agitated if held == Held::Bat => arm(p, 0.35, 0.35, 2.2),
        Body::Agitated if held.is_weapon() && !held.is_firearm() => {
            p.shoulder_pitch[1] = 0.45;
            p.elbow[1] = 0.7;
        }
        _ if hangs_out => arm(p, 0.05, 0.3, 0.12),
        _ => {}
    }
}

/// The partner officer's behaviour state: talking over, stepped back.
#[derive(Component, Debug, Clone)]
pub struct PartnerMotion {
    pub spawn: Spawn,
    /// Seconds of "talking over" gesture left.
    pub talking: f32,
    pub stepped_back: bool,
}

impl PartnerMotion {
    pub fn new(spawn: Spawn) -> PartnerMotion {
        PartnerMotion {
            spawn,
            talking: 0.0,
            stepped_back: false,
        }
    }

    /// Stands by facing the subject, gestures while talking over, steps back when asked.
    /// `t` is a running clock (seconds) for the gestures.
    pub fn aim(&mut self, anim: &Animated, subject: Vec2, t: f32, dt: f32) -> Aim {
        let home = Vec2::new(self.spawn.x, self.spawn.z);
        let away = (home - subject).normalize_or(Vec2::Y);
        let goal = if self.stepped_back {
            home + away * 2.5
        } else {
            home
        };
        let mut p = Pose::standing();
        if self.talking > 0.0 {
            self.talking -= dt;
            // Pointing at the subject, the other hand raised, leaning in.
            p.shoulder_pitch = [0.9 + (t * 6.0).sin() * 0.15, 1.35 + (t * 4.0).sin() * 0.2];
            p.shoulder_out = [0.25, 0.1];
            p.elbow = [1.2, 0.15];
            p.lean = 0.12;
            p.head_pitch = -0.05 + (t * 7.0).sin() * 0.05;
        } else if self.stepped_back {
            // Hands clasped in front, relaxed.
            p.shoulder_pitch = [0.25, 0.25];
            p.shoulder_twist = [0.6, 0.6];
            p.elbow = [0.9, 0.9];
        } else {
            // Ready stance: hands on the vest.
            p.shoulder_pitch = [0.35, 0.35];
            p.shoulder_twist = [0.5, 0.5];
            p.elbow = [1.3, 1.3];
        }
        let yaw = yaw_towards(anim.position, subject).unwrap_or(anim.yaw);
        Aim::at(p, goal, yaw, 1.2)
    }
}

/// Top of a prop the spawn stands on (within 0.35 m), if it is something one sits on; in a
/// vehicle, its seat (the cab drawn around them, their head and shoulders at the windows).
pub fn seat_at(scenario: &Scenario, spawn: &Spawn) -> Option<f32> {
    let props = &scenario.place.props;
    if let Some(v) = props
        .iter()
        .find(|p| p.kind.is_vehicle() && p.contains(spawn.x, spawn.z))
    {
        return Some(0.6 * v.size.1 - 0.2);
    }
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
