//! The ground: its height under any point (roads sit a kerb lower than pavements), the
//! kerbs a subject may sit on, and the street frame (`u` along, `w` across) the outdoor
//! environments are laid out in.

use crate::format::scenario::Prop;
use bevy::prelude::*;

/// The ground height under a point (roads sit a kerb lower than pavements).
#[derive(Resource, Debug, Clone, Default)]
pub struct Ground {
    /// Road bands as (frame, w from, w to); their surface is [`ROAD_DROP`] lower.
    pub roads: Vec<(Frame, f32, f32)>,
}

/// How much lower a road surface is than the pavement.
pub const ROAD_DROP: f32 = 0.13;

impl Ground {
    /// The nearest place to sit on a kerb within `max` metres of `p` (on the pavement side):
    /// the spot on the kerb edge and the yaw that faces the road.
    pub fn kerb_near(&self, p: Vec2, max: f32) -> Option<(Vec2, f32)> {
        self.roads
            .iter()
            .filter_map(|(f, kerb, _)| {
                let (u, w) = f.uw(p);
                let d = kerb - w;
                (d >= 0.0 && d <= max).then(|| (f.world(u, kerb - 0.22), f.yaw_to_w(), d))
            })
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(spot, yaw, _)| (spot, yaw))
    }

    pub fn height(&self, x: f32, z: f32) -> f32 {
        for (f, a, b) in &self.roads {
            let (_, w) = f.uw(Vec2::new(x, z));
            if w > *a && w < *b {
                return -ROAD_DROP;
            }
        }
        0.0
    }
}

/// A street/bridge frame: `u` runs along the street, `w` across it (towards the road).
#[derive(Debug, Clone, Copy, Default)]
pub struct Frame {
    pub along_z: bool,
    pub side: f32,
}

impl Frame {
    pub fn world(&self, u: f32, w: f32) -> Vec2 {
        let lat = w * self.side;
        if self.along_z {
            Vec2::new(lat, u)
        } else {
            Vec2::new(u, lat)
        }
    }
    pub fn uw(&self, p: Vec2) -> (f32, f32) {
        if self.along_z {
            (p.y, p.x * self.side)
        } else {
            (p.x, p.y * self.side)
        }
    }
    /// World size (x, z) of a box `su` long along the street and `sw` across.
    pub fn size(&self, su: f32, sw: f32) -> (f32, f32) {
        if self.along_z { (sw, su) } else { (su, sw) }
    }
    /// Yaw that turns local -Z to face +w (towards the road).
    pub fn yaw_to_w(&self) -> f32 {
        let d = self.world(0.0, 1.0);
        (-d.x).atan2(-d.y)
    }
    /// Half extents of a prop's footprint along u and w.
    pub fn extent(&self, p: &Prop) -> (f32, f32) {
        let r = p.rotation.to_radians();
        let (hx, hz) = (p.size.0 / 2.0, p.size.2 / 2.0);
        let (c, s) = (r.cos().abs(), r.sin().abs());
        let ex = hx * c + hz * s;
        let ez = hx * s + hz * c;
        if self.along_z { (ez, ex) } else { (ex, ez) }
    }
}
