//! The story's acts on the subject's body (the core's `sim::staging`): walking to where the
//! object goes, bending to put it down or pick it up and walking back, kneeling, hands raised,
//! turning away; the hand emptied at the moment of letting go, and the objects left lying
//! where they were put. The live run and the replay both show it from the same fold of acts.

use super::pose::{Aim, yaw_towards};
use super::rig::{Build, HeldItem, HumanoidMeshes, spawn_held};
use crate::format::act::Act;
use crate::format::scenario::Scenario;
use crate::format::vocab::Held;
use crate::game::state::Screen;
use crate::sim::staging::{Acted, Placed, Posture, Staging};
use bevy::prelude::*;
use std::f32::consts::{FRAC_PI_2, PI};
use std::sync::Arc;

/// Walking pace of an act (m/s).
pub const WALK: f32 = 1.2;
/// How close they stop to where the object goes: arm's reach (m).
const REACH: f32 = 0.55;
/// Seconds bent over to put it down or pick it up.
const BEND: f32 = 1.2;
/// Seconds into the bend at which it leaves (or reaches) the hand.
const LET_GO: f32 = 0.7;
/// Seconds a dropped object takes to leave the hand.
const DROP: f32 = 0.3;
/// How long a `TurnAway` lasts (s).
const TURNED: f32 = 4.0;

/// The subject's acts as of this frame: the staging, and the latest act with the seconds
/// since it happened. Set every frame by the live run (from the sim) or the replay.
#[derive(Component, Debug, Clone)]
pub struct Stage {
    pub staging: Staging,
    pub last: Option<(Acted, f32)>,
    pub scenario: Arc<Scenario>,
    /// The screen the objects put down belong to (they go when it is left).
    pub screen: Screen,
}

/// Where a fetching act (put down, pick up) is.
enum Fetch {
    Going(Vec2),
    Bending(Vec2),
    Returning,
}

/// An object lying where it was put.
#[derive(Component, Debug)]
pub struct PlacedItem(Placed);

impl Stage {
    pub fn new(scenario: Arc<Scenario>, screen: Screen) -> Stage {
        Stage {
            staging: Staging::new(&scenario.subject),
            last: None,
            scenario,
            screen,
        }
    }

    /// Where they stand when no act is under way.
    pub fn at(&self) -> Vec2 {
        Vec2::new(self.staging.x, self.staging.z)
    }

    /// For a put-down or pick-up: the point at arm's reach of the object, and the seconds
    /// to walk there.
    fn approach(&self, acted: &Acted) -> (Vec2, f32) {
        let home = self.at();
        let target = Vec2::new(acted.x, acted.z);
        let d = home.distance(target);
        if d <= REACH {
            return (home, 0.0);
        }
        (target + (home - target) / d * REACH, (d - REACH) / WALK)
    }

    fn fetch(&self) -> Option<Fetch> {
        let (acted, since) = self.last?;
        if !matches!(acted.act, Act::PutDown { .. } | Act::PickUp) {
            return None;
        }
        let (reach, go) = self.approach(&acted);
        let target = Vec2::new(acted.x, acted.z);
        match since {
            s if s < go => Some(Fetch::Going(reach)),
            s if s < go + BEND => Some(Fetch::Bending(target)),
            s if s < 2.0 * go + BEND => Some(Fetch::Returning),
            _ => None,
        }
    }

    /// Whether the object of the latest act has changed hands yet.
    fn changed_hands(&self) -> bool {
        let Some((acted, since)) = self.last else {
            return true;
        };
        let at = match acted.act {
            Act::PutDown { .. } | Act::PickUp => self.approach(&acted).1 + LET_GO,
            Act::Drop => DROP,
            _ => return true,
        };
        since >= at
    }

    /// What the hand shows now, and the objects lying where they were put.
    pub fn shown(&self) -> (Held, Vec<Placed>) {
        let s = &self.staging;
        let mut placed = s.placed.clone();
        let mut held = s.held;
        if let (false, Some((acted, _))) = (self.changed_hands(), self.last) {
            match acted.act {
                Act::PutDown { .. } | Act::Drop => {
                    if let Some(p) = placed.pop() {
                        held = p.what;
                    }
                }
                Act::PickUp => {
                    placed.push(Placed {
                        what: s.held,
                        x: acted.x,
                        z: acted.z,
                        dropped: false,
                    });
                    held = Held::Nothing;
                }
                _ => {}
            }
        }
        (held, placed)
    }

    /// The act under way, on top of the body language's `aim`: walking to the object, bent
    /// over it and back; kneeling; hands raised; turned away. `from` is where the body is.
    pub fn shape(&self, aim: &mut Aim, build: &Build, from: Vec2, to_trainee: Option<f32>) {
        match self.fetch() {
            Some(Fetch::Going(p)) if !aim.seated => {
                aim.goal = p;
                aim.max_speed = WALK;
                aim.yaw = yaw_towards(from, p).unwrap_or(aim.yaw);
                aim.turn_rate = 5.0;
            }
            Some(Fetch::Bending(t)) => {
                if !aim.seated {
                    aim.goal = from;
                    aim.yaw = yaw_towards(from, t).unwrap_or(aim.yaw);
                }
                bend(aim, aim.seated);
            }
            // Sitting, they reach down for it rather than walk.
            Some(Fetch::Going(_)) => bend(aim, true),
            Some(Fetch::Returning) if !aim.seated => {
                aim.max_speed = WALK;
                aim.yaw = yaw_towards(from, self.at()).unwrap_or(aim.yaw);
            }
            _ => {}
        }
        let p = &mut aim.pose;
        if self.staging.posture == Posture::Kneeling && !aim.seated {
            // Both knees on the ground, shins flat behind.
            p.hip_drop = -build.shin * 0.92;
            p.hip = [0.0, 0.0];
            p.knee = [FRAC_PI_2, FRAC_PI_2];
            p.lean = 0.05;
        }
        if self.staging.hands_up {
            p.shoulder_pitch = [2.75, 2.75];
            p.shoulder_out = [0.3, 0.3];
            p.shoulder_twist = [0.0, 0.0];
            p.elbow = [0.3, 0.3];
            p.fist = 0.0;
        }
        if let (Some((acted, since)), Some(t)) = (self.last, to_trainee) {
            match acted.act {
                Act::TurnAway if since < TURNED && !aim.seated => {
                    aim.yaw = t + PI;
                    p.head_pitch = 0.35;
                }
                // Backing away keeps the eyes on the officer.
                Act::StepBack(_) | Act::WalkTowards(_) if from.distance(self.at()) > 0.1 => {
                    aim.yaw = t;
                    aim.max_speed = WALK * 0.8;
                }
                Act::WalkAway(_) if from.distance(self.at()) > 0.1 => {
                    aim.yaw = yaw_towards(from, self.at()).unwrap_or(aim.yaw);
                    aim.max_speed = WALK;
                }
                _ => {}
            }
        }
    }
}

/// Bent forward over the object, the right hand down at it.
fn bend(aim: &mut Aim, seated: bool) {
    let p = &mut aim.pose;
    p.lean = if seated { 0.6 } else { 0.75 };
    p.head_pitch = 0.4;
    p.shoulder_pitch[1] = 0.9;
    p.shoulder_out[1] = 0.1;
    p.elbow[1] = 0.15;
    if !seated {
        p.hip = [0.55, 0.35];
        p.knee = [0.9, 0.6];
        p.hip_drop = -0.18;
    }
    aim.pose_rate = 5.0;
}

/// How high something put down at (x, z) rests: on top of a vehicle's body (its bonnet, its
/// roof's level is out of reach), a wall, bench or box up to chest height; else the ground.
pub fn rest_height(scenario: &Scenario, x: f32, z: f32) -> f32 {
    scenario
        .place
        .props
        .iter()
        .filter(|p| p.contains(x, z))
        .map(|p| {
            if p.kind.is_vehicle() {
                0.6 * p.size.1
            } else if p.size.1 <= 1.5 {
                p.size.1
            } else {
                0.0
            }
        })
        .fold(0.0, f32::max)
        + 0.01
}

/// Shows what the subject holds and what lies where it was put, from their [`Stage`].
pub fn show_acts(
    mut commands: Commands,
    m: Res<HumanoidMeshes>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    stages: Query<(Entity, &Stage, &Build)>,
    children: Query<&Children>,
    mut held: Query<&mut Visibility, With<HeldItem>>,
    placed: Query<(Entity, &PlacedItem)>,
) {
    for (root, stage, build) in &stages {
        let (in_hand, lying) = stage.shown();
        let show = if in_hand == Held::Nothing {
            Visibility::Hidden
        } else {
            Visibility::Inherited
        };
        for e in children.iter_descendants(root) {
            if let Ok(mut v) = held.get_mut(e) {
                v.set_if_neq(show);
            }
        }
        let mut wanted = lying;
        for (e, item) in &placed {
            match wanted.iter().position(|p| *p == item.0) {
                Some(i) => {
                    wanted.remove(i);
                }
                None => commands.entity(e).despawn(),
            }
        }
        for p in wanted {
            let item = spawn_held(&mut commands, p.what, &m, &mut materials, build.height);
            let y = rest_height(&stage.scenario, p.x, p.z);
            // Laid flat, its length along the ground.
            let t = Transform::from_xyz(p.x, y, p.z)
                .with_rotation(Quat::from_rotation_y(p.x * 1.7) * Quat::from_rotation_x(FRAC_PI_2));
            commands
                .entity(item)
                .insert((PlacedItem(p), t, DespawnOnExit(stage.screen)));
        }
    }
}

/// Marks the object lying within the subject's reach but not in the hand (the scenario's
/// `within_reach`: the rifle on the passenger seat).
#[derive(Component, Debug)]
pub struct WithinReachItem;

/// Where the object within reach rests: beside the subject on their right, on what they sit
/// on (a passenger seat, the bench) or the ground. A long gun is propped up, leaning away
/// from them, so its length shows through a windscreen to an officer in front; anything else
/// lies flat.
pub fn within_reach_at(scenario: &Scenario) -> Transform {
    let spawn = scenario.subject.spawn;
    let yaw = spawn.facing.to_radians();
    let turn = Quat::from_rotation_y(yaw);
    let beside = Vec3::new(spawn.x, 0.0, spawn.z) + turn * Vec3::new(0.7, 0.0, 0.0);
    let seat = super::body_language::seat_at(scenario, &spawn).unwrap_or(0.0);
    if scenario.subject.within_reach.is_long_gun() {
        // Stock on the seat, muzzle up, leaning out towards the far door.
        let up = turn * Quat::from_rotation_z(-0.9) * Quat::from_rotation_x(FRAC_PI_2);
        Transform::from_translation(beside + Vec3::Y * (seat + 0.25)).with_rotation(up)
    } else {
        Transform::from_translation(beside + Vec3::Y * (seat + 0.01))
            .with_rotation(turn * Quat::from_rotation_x(FRAC_PI_2))
    }
}

/// Shows the object within the subject's reach (once, for the screen of their [`Stage`]).
pub fn show_within_reach(
    mut commands: Commands,
    m: Res<HumanoidMeshes>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    stages: Query<(&Stage, &Build)>,
    shown: Query<(), With<WithinReachItem>>,
) {
    if !shown.is_empty() {
        return;
    }
    for (stage, build) in &stages {
        let what = stage.scenario.subject.within_reach;
        if what == Held::Nothing {
            continue;
        }
        let item = spawn_held(&mut commands, what, &m, &mut materials, build.height);
        let at = within_reach_at(&stage.scenario);
        commands
            .entity(item)
            .insert((WithinReachItem, at, DespawnOnExit(stage.screen)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::staging::TimedAct;

    fn knife_sidewalk() -> Arc<Scenario> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/knife_sidewalk.ron");
        let (s, _) = crate::check::load_scenario(std::path::Path::new(path)).expect("loads");
        Arc::new(s)
    }

    /// The knife put on the silver car's bonnet at 10 s, seen at `t`.
    fn at(t: f32) -> Stage {
        let sc = knife_sidewalk();
        let acts = [TimedAct {
            t: 10.0,
            acted: Acted {
                act: Act::PutDown {
                    at: Some((2.4, 0.3)),
                },
                x: 2.4,
                z: 0.3,
            },
        }];
        let mut stage = Stage::new(Arc::clone(&sc), Screen::Playing);
        (stage.staging, stage.last) = Staging::at(&sc.subject, &acts, t);
        stage
    }

    #[test]
    fn the_knife_stays_in_his_hand_until_he_has_walked_to_the_car_and_bent_over_it() {
        // 2.42 m away: 1.56 s to walk to arm's reach, then 0.7 s into the bend it leaves.
        let (hand, lying) = at(11.0).shown();
        assert_eq!((hand, lying.len()), (Held::Knife, 0));
        let (hand, lying) = at(12.5).shown();
        assert_eq!(hand, Held::Nothing);
        assert_eq!(
            (lying[0].what, lying[0].x, lying[0].z),
            (Held::Knife, 2.4, 0.3)
        );
        // Long after, it is still there and he is back on his spot.
        let later = at(60.0);
        assert_eq!(later.shown().1.len(), 1);
        assert!(later.fetch().is_none());
        assert_eq!(later.at(), Vec2::ZERO);
    }

    #[test]
    fn he_walks_to_the_car_then_bends_then_comes_back() {
        let build = Build::new(1.8, 0.4);
        let standing = || Aim::at(super::super::Pose::standing(), Vec2::ZERO, 0.0, 2.2);
        let mut going = standing();
        at(10.5).shape(&mut going, &build, Vec2::ZERO, Some(0.0));
        assert!(going.goal.x > 1.5, "walking to the car: {:?}", going.goal);
        assert!((going.max_speed - WALK).abs() < 1e-6);
        let mut bent = standing();
        at(12.0).shape(&mut bent, &build, Vec2::new(1.85, 0.23), Some(0.0));
        assert!(bent.pose.lean > 0.5, "bent over the bonnet");
        let mut back = standing();
        at(13.5).shape(&mut back, &build, Vec2::new(1.85, 0.23), Some(0.0));
        assert_eq!(back.goal, Vec2::ZERO, "back to where he stood");
    }

    #[test]
    fn the_rifle_within_reach_is_propped_on_the_seat_beside_him_inside_the_cab() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/veteran_pickup.ron");
        let (sc, _) = crate::check::load_scenario(std::path::Path::new(path)).expect("loads");
        let t = within_reach_at(&sc);
        let beside = Vec2::new(t.translation.x, t.translation.z);
        let d = beside.distance(Vec2::new(sc.subject.spawn.x, sc.subject.spawn.z));
        assert!((0.5..=0.9).contains(&d), "{d:.2} m from him");
        let truck = sc
            .place
            .props
            .iter()
            .find(|p| p.kind.is_vehicle())
            .expect("truck");
        assert!(truck.contains(beside.x, beside.y), "inside his truck");
        // The long gun's muzzle is 0.7 m ahead of the grip, its stock 0.375 m behind.
        let muzzle = t.transform_point(Vec3::new(0.0, 0.0, -0.7));
        let stock = t.transform_point(Vec3::new(0.0, 0.0, 0.375));
        let seat = super::super::body_language::seat_at(&sc, &sc.subject.spawn).expect("seat");
        assert!(muzzle.y > stock.y + 0.5, "propped up, muzzle high");
        assert!(
            muzzle.y < truck.size.1 - 0.1,
            "under the cab roof: {:.2}",
            muzzle.y
        );
        assert!(
            (stock.y - seat).abs() < 0.1,
            "stock on the seat: {:.2}",
            stock.y
        );
    }

    #[test]
    fn it_rests_on_the_bonnet_not_in_the_air_or_under_the_car() {
        let sc = knife_sidewalk();
        let h = rest_height(&sc, 2.4, 0.3);
        assert!(h > 0.8 && h < 0.95, "on the silver car's bonnet: {h}");
        assert!(rest_height(&sc, 0.5, 0.5) < 0.05, "on the pavement");
    }
}
