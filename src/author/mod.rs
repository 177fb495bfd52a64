//! Instructors' tools for writing scenarios: batch analysis over seeds and trainee policies, the
//! per-temperament endings and good routes, and the scene graph.

pub mod analysis;
pub mod batch;
pub mod graph;
