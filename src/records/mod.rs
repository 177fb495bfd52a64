//! What a run leaves on disk and how it stays safe on a shared folder: records, crash journals and
//! their leases, academy signatures (HMAC), re-simulation checks, and the scenario library that finds
//! a record's scenario by id and content hash instead of a stored path.

pub mod hmac;
pub mod journal;
pub mod lease;
pub mod library;
pub mod record;
pub mod replay;
pub mod verify;
