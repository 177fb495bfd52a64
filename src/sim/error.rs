//! Why the simulation refused something: an unknown scene, ending, inject or temperament,
//! an option not on offer now, or a run that has already ended.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    UnknownScene(String),
    UnknownEnding(String),
    NoScenes,
    /// The option does not exist in the current scene or its conditions are not met.
    OptionNotOffered {
        option: String,
        scene: String,
        offered: Vec<String>,
        /// Why not, in the format's words: the option's conditions that fail now (with the
        /// values they test), or the scenes that have it, and a near-miss id for a typo.
        /// Empty if nothing more is known.
        why: Vec<String>,
    },
    UnknownInject(String),
    /// A pinned temperament the scenario does not declare.
    UnknownTemperament {
        id: String,
        known: Vec<String>,
    },
    Finished,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::UnknownScene(s) => write!(f, "no scene with id `{s}`"),
            SimError::UnknownEnding(s) => write!(f, "no ending with id `{s}`"),
            SimError::NoScenes => write!(f, "the scenario has no scenes"),
            SimError::OptionNotOffered {
                option,
                scene,
                offered,
                why,
            } => {
                write!(f, "option `{option}` is not offered in scene `{scene}` now")?;
                if !why.is_empty() {
                    write!(f, ": {}", why.join("; "))?;
                }
                if offered.is_empty() {
                    write!(f, " (nothing is offered)")
                } else {
                    write!(f, " (offered: {})", offered.join(", "))
                }
            }
            SimError::UnknownInject(s) => write!(f, "no inject with id `{s}`"),
            SimError::UnknownTemperament { id, known } => {
                if known.is_empty() {
                    write!(
                        f,
                        "no temperament `{id}`: this scenario's subject does not vary"
                    )
                } else {
                    write!(
                        f,
                        "no temperament `{id}` (this scenario has: {})",
                        known.join(", ")
                    )
                }
            }
            SimError::Finished => write!(f, "the scenario has already ended"),
        }
    }
}

impl std::error::Error for SimError {}
