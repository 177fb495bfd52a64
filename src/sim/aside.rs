//! Answers to asides: after the trainee says a line to the partner, into the radio or to
//! someone else on scene, the one it was said to answers (an option's `answer`, said by its
//! `answer_by`). Who answers by default, and the one `AsideAnswered` event per answered aside.

use crate::format::scenario::{Answerer, Choice, Scenario};
use crate::format::variation::Voice;
use crate::sim::rng::StreamRng;
use crate::sim::{EventKind, Sim};
use rand::RngExt;

/// Salt of the answers' own random stream: which variant of an answer is said never moves
/// the draws of the subject's lines and the story, so adding answers changes nothing else.
const ANSWER_SALT: u64 = 0x51d3_a6e2_9c07_b48f;

/// Who answers option `choice`: its `answer_by`, else the partner if the scenario has one,
/// else Control.
pub fn answerer(scenario: &Scenario, choice: &Choice) -> Answerer {
    match &choice.answer_by {
        Some(a) => a.clone(),
        None if scenario.partner.is_some() => Answerer::Partner,
        None => Answerer::Radio,
    }
}

/// The voice an answerer speaks with, and the name the subtitles and debrief show.
pub fn speaker(scenario: &Scenario, who: &Answerer) -> (Voice, String) {
    match who {
        Answerer::Partner => (
            Voice::Partner,
            scenario
                .partner
                .as_ref()
                .map_or_else(|| "Your partner".to_string(), |p| p.name.clone()),
        ),
        Answerer::Radio => (Voice::Radio, "Control".to_string()),
        Answerer::Bystander(name) => (Voice::Bystander, name.clone()),
    }
}

impl Sim {
    /// After an aside has been said: its answer, if it has one (`AsideAnswered`).
    pub(super) fn answer_aside(&mut self, choice: &Choice) {
        if !choice.aside || choice.answer.is_empty() || self.ending.is_some() {
            return;
        }
        let mut rng = StreamRng::seed_from_u64(
            self.seed ^ ANSWER_SALT ^ u64::from(self.tick).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        );
        let line = choice.answer[rng.random_range(0..choice.answer.len())].clone();
        let (by, from) = speaker(&self.scenario, &answerer(&self.scenario, choice));
        self.push(EventKind::AsideAnswered {
            option: choice.id.clone(),
            by,
            from,
            line,
        });
    }
}
