//! Many records read together: the class debrief for a projector, one trainee's progress over
//! time, and the attempt numbering (first attempt vs repeat, temperaments met) both rely on;
//! `folder` reads the record files both start from, `fmt` holds the formatting both share.

pub mod attempts;
pub mod class;
pub mod fmt;
pub mod folder;
pub mod progress;
