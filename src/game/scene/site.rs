//! The site: where the subject, trainee and partner stand and the bounds of every
//! authored prop, which the environments lay their surroundings out around.

use super::ground::Frame;
use crate::format::scenario::{PropKind, Scenario};
use bevy::prelude::*;

pub(super) struct Site<'a> {
    pub(super) scenario: &'a Scenario,
    pub(super) subject: Vec2,
    pub(super) trainee: Vec2,
    pub(super) min: Vec2,
    pub(super) max: Vec2,
}

impl<'a> Site<'a> {
    pub(super) fn new(scenario: &'a Scenario) -> Site<'a> {
        let place = &scenario.place;
        let subject = Vec2::new(scenario.subject.spawn.x, scenario.subject.spawn.z);
        let trainee = Vec2::new(place.trainee_spawn.x, place.trainee_spawn.z);
        let mut min = subject.min(trainee);
        let mut max = subject.max(trainee);
        if let Some(p) = &scenario.partner {
            let v = Vec2::new(p.spawn.x, p.spawn.z);
            min = min.min(v);
            max = max.max(v);
        }
        for p in &place.props {
            if !(p.x.is_finite() && p.z.is_finite()) {
                continue;
            }
            let r = p.rotation.to_radians();
            let (hx, hz) = (p.size.0.abs() / 2.0, p.size.2.abs() / 2.0);
            let ex = hx * r.cos().abs() + hz * r.sin().abs();
            let ez = hx * r.sin().abs() + hz * r.cos().abs();
            let (ex, ez) = (ex.min(200.0), ez.min(200.0));
            min = min.min(Vec2::new(p.x - ex, p.z - ez));
            max = max.max(Vec2::new(p.x + ex, p.z + ez));
        }
        Site {
            scenario,
            subject,
            trainee,
            min,
            max,
        }
    }

    pub(super) fn centre(&self) -> Vec2 {
        (self.subject + self.trainee) / 2.0
    }

    /// A street frame: along the trainee→subject line, road on the side of parked cars.
    pub(super) fn street_frame(&self) -> Frame {
        let d = self.trainee - self.subject;
        let along_z = d.y.abs() >= d.x.abs();
        let mut f = Frame { along_z, side: 1.0 };
        let cars: Vec<f32> = self
            .scenario
            .place
            .props
            .iter()
            .filter(|p| p.kind == PropKind::Car)
            .map(|p| f.uw(Vec2::new(p.x, p.z)).1)
            .collect();
        let (_, s0) = f.uw(self.subject);
        if !cars.is_empty() {
            let mean = cars.iter().sum::<f32>() / cars.len() as f32;
            if mean < s0 {
                f.side = -1.0;
            }
        }
        f
    }
}
