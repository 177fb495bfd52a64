//! What the subject's body does when the story says so: the `act` of a scene, an option's
//! reply, a trigger or an ending (put the object down, sit, step back, climb back over the
//! railing, walk off). The words only: `sim::staging` works out where an act takes the body
//! and what is left in hand, and the 3D layer animates it.

use serde::{Deserialize, Serialize};

/// One thing the subject's body does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Act {
    /// Puts what they hold down at `at` (x, z), walking there and back if it is a few steps
    /// away (the bonnet of a car, the top of a wall); left out: at their feet. It stays there.
    PutDown {
        #[serde(default)]
        at: Option<(f32, f32)>,
    },
    /// Lets go of what they hold: it falls at their feet.
    Drop,
    /// Picks up again what they last put down or dropped.
    PickUp,
    /// Sits down: on the seat at their spot if there is one, else on the kerb or the ground.
    Sit,
    /// Stands up.
    Stand,
    /// Kneels.
    Kneel,
    /// Takes this many metres backwards, away from the officer.
    StepBack(f32),
    /// Walks this many metres towards the officer (never closer than 1 m).
    WalkTowards(f32),
    /// Turns and walks this many metres away from the officer.
    WalkAway(f32),
    /// Turns their back for a few seconds.
    TurnAway,
    /// Climbs back over the railing they sit or stand on, to the officer's side of it.
    ClimbBack,
    /// Raises both open hands.
    RaiseHands,
    /// Nothing: no act here, not even the one the body language would imply.
    Still,
}

impl Act {
    /// Every act's name as written in a scenario (for messages and the docs).
    pub const NAMES: [&'static str; 13] = [
        "PutDown",
        "Drop",
        "PickUp",
        "Sit",
        "Stand",
        "Kneel",
        "StepBack",
        "WalkTowards",
        "WalkAway",
        "TurnAway",
        "ClimbBack",
        "RaiseHands",
        "Still",
    ];

    /// The transcript token's name: `put_down`, `step_back`.
    pub fn token(self) -> &'static str {
        match self {
            Act::PutDown { .. } => "put_down",
            Act::Drop => "drop",
            Act::PickUp => "pick_up",
            Act::Sit => "sit",
            Act::Stand => "stand",
            Act::Kneel => "kneel",
            Act::StepBack(_) => "step_back",
            Act::WalkTowards(_) => "walk_towards",
            Act::WalkAway(_) => "walk_away",
            Act::TurnAway => "turn_away",
            Act::ClimbBack => "climb_back",
            Act::RaiseHands => "raise_hands",
            Act::Still => "still",
        }
    }

    /// What the debrief and the replay say happened: "put it down", "stepped back 2 m".
    pub fn label(self) -> String {
        match self {
            Act::PutDown { .. } => "put it down".into(),
            Act::Drop => "dropped it".into(),
            Act::PickUp => "picked it up again".into(),
            Act::Sit => "sat down".into(),
            Act::Stand => "stood up".into(),
            Act::Kneel => "knelt down".into(),
            Act::StepBack(m) => format!("stepped back {m} m"),
            Act::WalkTowards(m) => format!("walked {m} m towards the officer"),
            Act::WalkAway(m) => format!("walked {m} m away"),
            Act::TurnAway => "turned away".into(),
            Act::ClimbBack => "climbed back over the railing".into(),
            Act::RaiseHands => "raised both hands".into(),
            Act::Still => "kept still".into(),
        }
    }

    /// The distance an act walks, if it is one of the walking acts.
    pub fn metres(self) -> Option<f32> {
        match self {
            Act::StepBack(m) | Act::WalkTowards(m) | Act::WalkAway(m) => Some(m),
            _ => None,
        }
    }

    /// Whether the act lets go of what is held (so needs something in hand).
    pub fn lets_go(self) -> bool {
        matches!(self, Act::PutDown { .. } | Act::Drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Act {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .expect("an act reads")
    }

    #[test]
    fn acts_read_as_the_docs_write_them() {
        assert_eq!(
            read("PutDown(at: (2.9, -1.5))"),
            Act::PutDown {
                at: Some((2.9, -1.5))
            }
        );
        assert_eq!(
            read("PutDown(at: Some((1.0, 2.0)))"),
            Act::PutDown {
                at: Some((1.0, 2.0))
            }
        );
        assert_eq!(read("PutDown()"), Act::PutDown { at: None });
        assert_eq!(read("StepBack(1.5)"), Act::StepBack(1.5));
        assert_eq!(read("ClimbBack"), Act::ClimbBack);
        for name in Act::NAMES {
            let text = match name {
                "PutDown" => "PutDown()".to_string(),
                "StepBack" | "WalkTowards" | "WalkAway" => format!("{name}(1.0)"),
                n => n.to_string(),
            };
            let act = read(&text);
            assert_eq!(format!("{act:?}").split(['(', ' ']).next(), Some(name));
        }
    }
}
