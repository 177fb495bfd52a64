//! The files people write: scenarios (with their subject variation and vocabulary), the source
//! positions used for exact-caret errors, input scripts and the `# expect-` transcript language.
//! Reading only: nothing here validates a story or runs it.

pub mod act;
pub mod scenario;
pub mod solid;
pub mod spans;
pub mod variation;
pub mod vocab;
pub mod words;
