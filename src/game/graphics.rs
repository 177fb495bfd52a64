//! Graphics presets: Low, Medium and High, each a set of costs (shadows, point lights,
//! rain and fog, draw distance, anti-aliasing, render scale), and the pick for an adapter
//! (a software renderer gets Low). Data only: `settings` chooses and saves the preset,
//! `scene` builds and dresses the view by it.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// A named preset, as saved in the settings file and given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Quality {
    Low,
    #[default]
    Medium,
    High,
}

impl Quality {
    pub const ALL: [Quality; 3] = [Quality::Low, Quality::Medium, Quality::High];

    pub fn label(self) -> &'static str {
        match self {
            Quality::Low => "Low",
            Quality::Medium => "Medium",
            Quality::High => "High",
        }
    }

    /// `low`, `medium` or `high` (any case).
    pub fn parse(s: &str) -> Option<Quality> {
        Quality::ALL
            .into_iter()
            .find(|q| q.label().eq_ignore_ascii_case(s.trim()))
    }

    /// What the preset costs.
    pub fn preset(self) -> Preset {
        match self {
            Quality::Low => Preset {
                sun_shadows: false,
                shadow_map: 512,
                point_lights: 2,
                room_lights: 1,
                weather_particles: 0.25,
                fog: true,
                draw_distance: 100.0,
                msaa: false,
                render_scale: 0.6,
                depth_prepass: false,
            },
            Quality::Medium => Preset {
                sun_shadows: true,
                shadow_map: 1024,
                point_lights: 3,
                room_lights: 2,
                weather_particles: 0.4,
                fog: true,
                draw_distance: 200.0,
                msaa: false,
                render_scale: 0.8,
                depth_prepass: true,
            },
            Quality::High => Preset {
                sun_shadows: true,
                shadow_map: 1024,
                point_lights: 4,
                room_lights: 4,
                weather_particles: 0.6,
                fog: true,
                draw_distance: 800.0,
                msaa: true,
                render_scale: 1.0,
                depth_prepass: true,
            },
        }
    }
}

/// The costs a preset sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preset {
    /// The sun casts shadows (where the light would: daytime, clear sky).
    pub sun_shadows: bool,
    /// Side of the directional shadow map, texels.
    pub shadow_map: usize,
    /// At most this many point lights (street lamps, ceiling lights), nearest first.
    pub point_lights: usize,
    /// Of those, at most this many ceiling lights in a room: a room fills the view, so on a
    /// software renderer each light lit there costs every pixel of the frame.
    pub room_lights: usize,
    /// Share of the rain streaks or snowflakes drawn (0..1).
    pub weather_particles: f32,
    /// Distance fog (it also hides the far end of the draw distance).
    pub fog: bool,
    /// The camera's far plane, metres (fog thickens to hide the cut).
    pub draw_distance: f32,
    /// 4× multisampling, on a hardware GPU (a software renderer skips it: there it
    /// multiplies the cost of every pixel).
    pub msaa: bool,
    /// The 3D view is drawn at this share of the window's width and height, then scaled up.
    pub render_scale: f32,
    /// Draw depth first, then shade each pixel once (fewer pixels shaded where things
    /// overlap, at the cost of a second set of pipelines).
    pub depth_prepass: bool,
}

/// The preset in force (from the settings, or `play --graphics`), and whether the
/// renderer is software (then multisampling is skipped and the 3D view drawn at no more than
/// [`SOFTWARE_RENDER_SCALE`]).
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Graphics(pub Quality, pub bool);

/// Render scale at most, on a software renderer: there every pixel is shaded on the CPU, and a
/// room that fills the view with lit walls drew High at under 0.4x the minimal scene's rate at
/// full scale (README, "Frame budget, measured").
pub const SOFTWARE_RENDER_SCALE: f32 = 0.8;

impl Graphics {
    pub fn preset(&self) -> Preset {
        let mut p = self.0.preset();
        if self.1 {
            p.msaa = false;
            p.render_scale = p.render_scale.min(SOFTWARE_RENDER_SCALE);
        }
        p
    }
}

/// Whether an adapter name is a software renderer (Mesa llvmpipe / lavapipe, SwiftShader,
/// Microsoft's WARP): those get Low.
pub fn is_software(adapter: &str) -> bool {
    let a = adapter.to_lowercase();
    [
        "llvmpipe",
        "lavapipe",
        "softpipe",
        "swiftshader",
        "basic render driver",
        "warp",
    ]
    .iter()
    .any(|w| a.contains(w))
}

/// The preset to start with on a machine with this adapter (and device type).
pub fn pick_for_adapter(adapter: &str, integrated: bool) -> Quality {
    if is_software(adapter) {
        Quality::Low
    } else if integrated {
        Quality::Medium
    } else {
        Quality::High
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_renderers_get_low() {
        assert_eq!(
            pick_for_adapter("llvmpipe (LLVM 19.1.7, 256 bits)", false),
            Quality::Low
        );
        assert_eq!(
            pick_for_adapter("Intel(R) UHD Graphics 620", true),
            Quality::Medium
        );
        assert_eq!(
            pick_for_adapter("NVIDIA GeForce RTX 3060", false),
            Quality::High
        );
        assert_eq!(Quality::parse(" high "), Some(Quality::High));
        assert_eq!(Quality::parse("ultra"), None);
    }

    #[test]
    fn a_software_renderer_draws_high_smaller_and_without_multisampling() {
        let soft = Graphics(Quality::High, true).preset();
        let gpu = Graphics(Quality::High, false).preset();
        assert!(!soft.msaa && gpu.msaa);
        assert_eq!(soft.render_scale, SOFTWARE_RENDER_SCALE);
        assert_eq!(gpu.render_scale, 1.0);
        assert_eq!(Graphics(Quality::Low, true).preset().render_scale, 0.6);
    }

    #[test]
    fn presets_cost_less_going_down() {
        let (l, m, h) = (
            Quality::Low.preset(),
            Quality::Medium.preset(),
            Quality::High.preset(),
        );
        assert!(l.point_lights <= m.point_lights && m.point_lights <= h.point_lights);
        assert!(l.room_lights <= m.room_lights && m.room_lights <= h.room_lights);
        assert!(l.room_lights >= 1 && h.room_lights <= h.point_lights);
        assert!(l.render_scale <= m.render_scale && m.render_scale <= h.render_scale);
        assert!(l.draw_distance <= m.draw_distance && m.draw_distance <= h.draw_distance);
    }
}
