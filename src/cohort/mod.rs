//! Many records read together: the class debrief for a projector, one trainee's progress over
//! time, and the attempt numbering (first attempt vs repeat, temperaments met) both rely on.

pub mod attempts;
pub mod class;
pub mod fmt;
pub mod progress;
