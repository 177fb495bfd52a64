//! Autoplay (placeholder until the autoplay module lands).

use bevy::prelude::*;

pub(super) fn plugin(_app: &mut App) {}
