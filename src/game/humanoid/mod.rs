//! People drawn from primitives: the jointed [`rig`], the eased [`pose`], the
//! [`body_language`] that turns the core's state into a pose, and the story's [`acts`]
//! (putting the knife down, sitting, stepping back). One implementation for the
//! subject, the partner and (in the review) the trainee, live and in the replay.
//!
//! Coordinates: a humanoid's root sits on the ground between the feet and faces -Z in its
//! own space; limbs hang from pivots (shoulders, elbows, hips, knees) that rotate about
//! X (swing forward), Z (out to the side) and Y (twist).

pub mod acts;
pub mod body_language;
pub mod pose;
pub mod rig;

use crate::game::state::AnimateSet;
use bevy::prelude::*;

pub use pose::{Aim, Animated, Pose};
pub use rig::{Build, HumanoidMeshes, Look, Outfit, spawn_humanoid};

pub fn plugin(app: &mut App) {
    app.init_resource::<rig::HumanoidMeshes>()
        .add_systems(Update, rig::apply_poses.in_set(AnimateSet::Pose))
        .add_systems(
            Update,
            (acts::show_acts, acts::show_within_reach).in_set(AnimateSet::Pose),
        );
}
