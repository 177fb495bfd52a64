//! Where the subject's body is and what it holds as the story's acts play out: the one fold
//! of acts that the simulation (which resolves each act into a point on the ground), the live
//! 3D scene and the replay all use. Distances and scoring still measure to the spawn point.

use crate::format::act::Act;
use crate::format::scenario::{PropKind, Scenario, Subject};
use crate::format::vocab::{Body, Held};
use serde::{Deserialize, Serialize};

/// How the body rests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Posture {
    #[default]
    Standing,
    Sitting,
    Kneeling,
}

/// An act as it happened: the act and the point on the ground it went to (where the object
/// was put down, or where the body ended up).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Acted {
    pub act: Act,
    pub x: f32,
    pub z: f32,
}

/// An act and the second of the run it happened at.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimedAct {
    pub t: f32,
    pub acted: Acted,
}

/// Something put down or dropped, where it lies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Placed {
    pub what: Held,
    pub x: f32,
    pub z: f32,
    /// Let go of (fell), rather than put down with care.
    pub dropped: bool,
}

/// The body's state after the acts so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Staging {
    /// Where the subject stands (the spawn until an act moves them).
    pub x: f32,
    pub z: f32,
    pub held: Held,
    pub placed: Vec<Placed>,
    pub posture: Posture,
    pub hands_up: bool,
}

/// How far a railing may be from the subject for `ClimbBack` to climb it (m).
const RAILING_REACH: f32 = 1.5;
/// Where `ClimbBack` lands: this far from the railing's face (m).
const CLEAR_OF_RAILING: f32 = 0.45;
/// Getting out of a vehicle, they stand this far from its side (m).
const CLEAR_OF_VEHICLE: f32 = 0.5;
/// `WalkTowards` stops this far from the officer (m).
const NEAREST_WALK: f32 = 1.0;

impl Staging {
    /// At the spawn, holding what the scenario says.
    pub fn new(subject: &Subject) -> Staging {
        Staging {
            x: fin(subject.spawn.x),
            z: fin(subject.spawn.z),
            held: subject.holding,
            placed: Vec::new(),
            posture: Posture::Standing,
            hands_up: false,
        }
    }

    /// The staging after every act in `acts` up to and including second `t`, and the most
    /// recent of them with the seconds since it began (for its animation).
    pub fn at(subject: &Subject, acts: &[TimedAct], t: f32) -> (Staging, Option<(Acted, f32)>) {
        let mut s = Staging::new(subject);
        let mut last = None;
        for a in acts.iter().take_while(|a| a.t <= t) {
            s.apply(&a.acted);
            last = Some((a.acted, t - a.t));
        }
        (s, last)
    }

    /// Whether `act` would change anything now (`PutDown` with empty hands does not).
    pub fn can(&self, act: Act) -> bool {
        match act {
            Act::PutDown { .. } | Act::Drop => self.held != Held::Nothing,
            Act::PickUp => self.held == Held::Nothing && !self.placed.is_empty(),
            Act::Sit => self.posture != Posture::Sitting,
            Act::Stand => self.posture != Posture::Standing,
            Act::Kneel => self.posture != Posture::Kneeling,
            Act::Still => false,
            _ => true,
        }
    }

    /// The act implied by a scene's body language when the scene says none: sitting down for
    /// `Sitting`, standing up again for a restless or threatening body.
    pub fn implied_by(&self, body: Option<Body>) -> Option<Act> {
        match body? {
            Body::Sitting if self.posture != Posture::Sitting => Some(Act::Sit),
            Body::Pacing | Body::Agitated | Body::Threatening
                if self.posture != Posture::Standing =>
            {
                Some(Act::Stand)
            }
            _ => None,
        }
    }

    /// Where `act` goes, with the officer at `trainee` (x, z) and the place's props.
    pub fn resolve(&self, act: Act, trainee: (f32, f32), scenario: &Scenario) -> Acted {
        let here = (self.x, self.z);
        let away = unit((here.0 - trainee.0, here.1 - trainee.1))
            .unwrap_or_else(|| facing_back(scenario.subject.spawn.facing));
        let toward = (-away.0, -away.1);
        let (x, z) = match act {
            Act::PutDown { at: Some(p) } => (fin(p.0), fin(p.1)),
            Act::PutDown { at: None } | Act::Drop => {
                (here.0 + toward.0 * 0.35, here.1 + toward.1 * 0.35)
            }
            Act::PickUp => self.placed.last().map_or(here, |p| (p.x, p.z)),
            Act::StepBack(m) | Act::WalkAway(m) => {
                let m = fin(m).max(0.0);
                match railing(scenario, here, trainee) {
                    // On a railing: back over it to the officer's side, then along it.
                    Some((p, along)) => {
                        let k = if along.0 * away.0 + along.1 * away.1 >= 0.0 {
                            m
                        } else {
                            -m
                        };
                        (p.0 + along.0 * k, p.1 + along.1 * k)
                    }
                    None => (here.0 + away.0 * m, here.1 + away.1 * m),
                }
            }
            Act::WalkTowards(m) => {
                let gap = dist(here, trainee);
                let m = fin(m).max(0.0).min((gap - NEAREST_WALK).max(0.0));
                (here.0 + toward.0 * m, here.1 + toward.1 * m)
            }
            Act::ClimbBack => over_railing(scenario, here, trainee).unwrap_or(here),
            // Out of the vehicle they sit in, beside its door; and back into the seat.
            Act::Stand => vehicle_exit(scenario, here, trainee).unwrap_or(here),
            Act::Sit => {
                let seat = (fin(scenario.subject.spawn.x), fin(scenario.subject.spawn.z));
                let in_vehicle = vehicle_exit(scenario, seat, trainee).is_some();
                if in_vehicle { seat } else { here }
            }
            _ => here,
        };
        Acted { act, x, z }
    }

    /// The state after `acted`.
    pub fn apply(&mut self, acted: &Acted) {
        let (x, z) = (acted.x, acted.z);
        match acted.act {
            Act::PutDown { .. } | Act::Drop => {
                if self.held != Held::Nothing {
                    self.placed.push(Placed {
                        what: self.held,
                        x,
                        z,
                        dropped: acted.act == Act::Drop,
                    });
                    self.held = Held::Nothing;
                }
                self.hands_up = false;
            }
            Act::PickUp => {
                if let Some(p) = self.placed.pop() {
                    self.held = p.what;
                }
                self.hands_up = false;
            }
            Act::Sit => {
                self.posture = Posture::Sitting;
                (self.x, self.z) = (x, z);
            }
            Act::Stand => {
                self.posture = Posture::Standing;
                (self.x, self.z) = (x, z);
            }
            Act::Kneel => self.posture = Posture::Kneeling,
            Act::StepBack(_) | Act::WalkTowards(_) | Act::WalkAway(_) => {
                (self.x, self.z) = (x, z);
                self.posture = Posture::Standing;
            }
            // Sitting on the railing, they turn round on it to sit facing the officer's side;
            // standing, they climb over and stand there.
            Act::ClimbBack => (self.x, self.z) = (x, z),
            Act::RaiseHands => self.hands_up = true,
            Act::TurnAway | Act::Still => {}
        }
    }
}

/// The point on the officer's side of the railing nearest `here`, clear of it; `None` with
/// no railing within reach.
pub fn over_railing(
    scenario: &Scenario,
    here: (f32, f32),
    trainee: (f32, f32),
) -> Option<(f32, f32)> {
    railing(scenario, here, trainee).map(|(p, _)| p)
}

/// The railing within reach of `here`, if any: the point on the officer's side of it, clear
/// of it, nearest `here`, and the direction it runs in.
fn railing(
    scenario: &Scenario,
    here: (f32, f32),
    trainee: (f32, f32),
) -> Option<((f32, f32), (f32, f32))> {
    scenario
        .place
        .props
        .iter()
        .filter(|p| p.kind == PropKind::Railing)
        .filter_map(|p| {
            let r = p.rotation.to_radians();
            // The railing's own axes: across (its width, x before rotation) and along.
            let across = (r.cos(), -r.sin());
            let along = (r.sin(), r.cos());
            let rel = |q: (f32, f32)| (q.0 - p.x, q.1 - p.z);
            let (h, t) = (rel(here), rel(trainee));
            let dot = |a: (f32, f32), b: (f32, f32)| a.0 * b.0 + a.1 * b.1;
            let off = dot(h, across);
            let half = p.size.0 / 2.0;
            let len = dot(h, along).clamp(-p.size.2 / 2.0, p.size.2 / 2.0);
            if off.abs() > half + RAILING_REACH || dot(h, along).abs() > p.size.2 / 2.0 + 0.5 {
                return None;
            }
            let side = if dot(t, across) >= 0.0 { 1.0 } else { -1.0 };
            let d = half + CLEAR_OF_RAILING;
            let point = (
                p.x + along.0 * len + across.0 * side * d,
                p.z + along.1 * len + across.1 * side * d,
            );
            Some((off.abs(), point, along))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, point, along)| (point, along))
}

/// Where someone sitting in a vehicle at `here` stands when they get out: beside the door on
/// their side of it (the officer's side if they sit in the middle); `None` if `here` is not
/// inside a vehicle.
fn vehicle_exit(scenario: &Scenario, here: (f32, f32), trainee: (f32, f32)) -> Option<(f32, f32)> {
    let v = scenario
        .place
        .props
        .iter()
        .find(|p| p.kind.is_vehicle() && p.contains(here.0, here.1))?;
    let r = v.rotation.to_radians();
    let across = (r.cos(), -r.sin());
    let along = (r.sin(), r.cos());
    let dot = |a: (f32, f32), b: (f32, f32)| a.0 * b.0 + a.1 * b.1;
    let rel = (here.0 - v.x, here.1 - v.z);
    let off = dot(rel, across);
    let side = if off.abs() > 0.05 {
        off.signum()
    } else if dot((trainee.0 - v.x, trainee.1 - v.z), across) >= 0.0 {
        1.0
    } else {
        -1.0
    };
    let out = v.size.0 / 2.0 + CLEAR_OF_VEHICLE;
    let len = dot(rel, along);
    Some((
        v.x + across.0 * side * out + along.0 * len,
        v.z + across.1 * side * out + along.1 * len,
    ))
}

/// Facing `deg` (0 = looking along -z), the direction behind the subject.
fn facing_back(deg: f32) -> (f32, f32) {
    let r = fin(deg).to_radians();
    (r.sin(), r.cos())
}

fn unit(v: (f32, f32)) -> Option<(f32, f32)> {
    let l = (v.0 * v.0 + v.1 * v.1).sqrt();
    (l > 1e-3 && l.is_finite()).then(|| (v.0 / l, v.1 / l))
}

fn dist(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

fn fin(v: f32) -> f32 {
    if v.is_finite() { v } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A subject with a knife at the origin beside a car and a railing, the officer at z = 10.
    fn scenario(subject_at: (f32, f32), extra_props: &str) -> Scenario {
        let text = format!(
            r#"(
    id: "t", title: "T", briefing: "B", expected_minutes: 1.0, timeout_ending: "e",
    place: (environment: Street, trainee_spawn: (x: 0.0, z: 10.0), props: [{extra_props}]),
    subject: (name: "S", spawn: (x: {}, z: {}), baseline_agitation: 40.0, baseline_trust: 20.0,
              personal_space: 2.0, reactionary_gap: 3.0, holding: Knife),
    start_scene: "s",
    scenes: [(id: "s", lines: ["x"])],
    endings: [(id: "e", outcome: Unresolved, title: "E", summary: "E")],
)"#,
            subject_at.0, subject_at.1
        );
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(&text)
            .expect("test scenario reads")
    }

    fn act(s: &mut Staging, sc: &Scenario, a: Act) -> Acted {
        let acted = s.resolve(a, (0.0, 10.0), sc);
        s.apply(&acted);
        acted
    }

    #[test]
    fn put_down_on_the_car_stays_there_until_picked_up() {
        let sc = scenario((0.0, 0.0), "");
        let mut s = Staging::new(&sc.subject);
        let down = act(
            &mut s,
            &sc,
            Act::PutDown {
                at: Some((2.4, 0.3)),
            },
        );
        assert_eq!((down.x, down.z), (2.4, 0.3));
        assert_eq!(s.held, Held::Nothing);
        assert_eq!(s.placed.len(), 1);
        assert_eq!((s.placed[0].what, s.placed[0].x), (Held::Knife, 2.4));
        assert!(!s.can(Act::Drop), "nothing left in hand to drop");
        act(&mut s, &sc, Act::PickUp);
        assert_eq!(s.held, Held::Knife);
        assert!(s.placed.is_empty());
    }

    #[test]
    fn stepping_back_goes_away_from_the_officer_and_walking_towards_stops_short() {
        let sc = scenario((0.0, 0.0), "");
        let mut s = Staging::new(&sc.subject);
        let back = act(&mut s, &sc, Act::StepBack(2.0));
        assert!(
            (back.z + 2.0).abs() < 1e-5 && back.x.abs() < 1e-5,
            "{back:?}"
        );
        let towards = act(&mut s, &sc, Act::WalkTowards(50.0));
        assert!(
            (towards.z - 9.0).abs() < 1e-4,
            "stops 1 m short: {towards:?}"
        );
    }

    #[test]
    fn climbing_back_lands_on_the_officers_side_of_the_railing() {
        // A railing along z at x = 0; the subject sits on it, the officer is on the +x side.
        let railing = "(kind: Railing, x: 0.0, z: 0.0, size: (0.12, 1.1, 40.0))";
        let mut sc = scenario((0.0, 0.0), railing);
        sc.place.trainee_spawn.x = 3.0;
        let mut s = Staging::new(&sc.subject);
        let over = s.resolve(Act::ClimbBack, (3.0, 10.0), &sc);
        assert!(over.x > 0.4 && over.x < 0.6, "{over:?}");
        s.apply(&over);
        // Walking away from a railing goes along it, not over the water.
        let away = s.resolve(Act::WalkAway(5.0), (3.0, 10.0), &sc);
        assert!(away.x > 0.4 && away.z < -4.0, "{away:?}");
    }

    #[test]
    fn out_of_the_cab_beside_the_door_and_back_into_the_seat() {
        let truck = "(kind: PickupTruck, x: -0.4, z: 0.0, size: (2.0, 1.9, 5.6))";
        let sc = scenario((0.0, 0.0), truck);
        let mut s = Staging::new(&sc.subject);
        act(&mut s, &sc, Act::Sit);
        let out = act(&mut s, &sc, Act::Stand);
        assert!(out.x > 0.9, "beside the driver's door on his side: {out:?}");
        let back = act(&mut s, &sc, Act::Sit);
        assert_eq!((back.x, back.z), (0.0, 0.0));
    }

    #[test]
    fn the_replay_folds_the_acts_up_to_the_moment_shown() {
        let sc = scenario((0.0, 0.0), "");
        let acts = [
            TimedAct {
                t: 5.0,
                acted: Acted {
                    act: Act::PutDown {
                        at: Some((1.0, 0.0)),
                    },
                    x: 1.0,
                    z: 0.0,
                },
            },
            TimedAct {
                t: 9.0,
                acted: Acted {
                    act: Act::Sit,
                    x: 0.0,
                    z: 0.0,
                },
            },
        ];
        let (before, last) = Staging::at(&sc.subject, &acts, 4.9);
        assert_eq!((before.held, last), (Held::Knife, None));
        let (after, last) = Staging::at(&sc.subject, &acts, 6.0);
        assert_eq!(after.held, Held::Nothing);
        assert_eq!(after.posture, Posture::Standing);
        assert!(matches!(last, Some((a, d)) if a.x == 1.0 && (d - 1.0).abs() < 1e-5));
        assert_eq!(
            Staging::at(&sc.subject, &acts, 9.0).0.posture,
            Posture::Sitting
        );
    }
}
