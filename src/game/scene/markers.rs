//! Marker components other modules find the scene's parts by: every root of the built
//! place, the colliders that give cover, the camera the trainee sees through, and the
//! point on the subject's chest the cover raycast aims at.

use bevy::prelude::*;

/// Marks the collider of a prop authored with `cover: true`.
#[derive(Component, Debug, Clone, Copy)]
pub struct CoverCollider;

/// Every root entity of the built place.
#[derive(Component, Debug, Clone, Copy)]
pub struct PlacePart;

/// A room's ceiling (the review hides it from above).
#[derive(Component, Debug, Clone, Copy)]
pub struct Ceiling;

/// The camera the trainee sees the scene through (the live player's eyes).
#[derive(Component, Debug)]
pub struct PlayerCamera;

/// The point the cover raycast aims at (the subject's chest).
#[derive(Component, Debug)]
pub struct SubjectChest;
