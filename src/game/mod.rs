//! The Bevy 3D trainer (being written).
