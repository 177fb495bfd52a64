//! Playing a scenario without a person: named trainee policies (patient, rushed, silent, too
//! close…) and the route finder that searches the story's states for a runnable script to every
//! ending. `check`'s design lints and the instructors' `author` tools both build on it.

pub mod policy;
pub mod routes;
