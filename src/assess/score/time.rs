//! The time dimension: giving the person time. Commands before an introduction, rushing
//! (four things said in ten seconds), tactical pauses while agitated, pacing, the first
//! words, an urgent contact running long and the time limit running out.

use super::{Dimension, DimensionScore, clock, quote};
use crate::format::scenario::Scenario;
use crate::format::vocab::Tag;
use crate::sim::{Event, EventKind, SimResult};

pub(super) fn time_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Time,
        90.0,
        "Starting point: the last 10 points are earned by giving the person time",
        weight,
    );
    let mut pace = Pace::default();
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::Utterance {
                tags,
                text,
                agitation_before,
                ..
            } => pace.line(&mut d, i, e, tags, text, *agitation_before),
            EventKind::TacticalPause {
                agitation_before, ..
            } => pace.pause(&mut d, i, e, *agitation_before),
            _ => {}
        }
    }
    pace.whole_run(&mut d);
    overtime_items(&mut d, scenario, r);
    d
}

/// What the lines and pauses so far show about the pace of the conversation.
#[derive(Default)]
struct Pace {
    introduced: bool,
    commanded_early: bool,
    /// When the lines of the last ten seconds were said.
    recent: Vec<f32>,
    in_burst: bool,
    bursts: u32,
    pause_credit: f32,
    first_word: Option<f32>,
    utterances: u32,
}

impl Pace {
    /// Line `i` (event `e`): a command before an introduction, or the start of a burst.
    fn line(
        &mut self,
        d: &mut DimensionScore,
        i: usize,
        e: &Event,
        tags: &[Tag],
        text: &str,
        a: f32,
    ) {
        self.utterances += 1;
        self.first_word.get_or_insert(e.t);
        if tags.contains(&Tag::Introduce) || tags.contains(&Tag::ExplainReason) {
            self.introduced = true;
        }
        // A safety command to someone about to act is not a sequencing error.
        let imminent = a >= 75.0;
        if !self.introduced
            && !self.commanded_early
            && !imminent
            && (tags.contains(&Tag::Command) || tags.contains(&Tag::Threat))
        {
            self.commanded_early = true;
            d.add(
                -10.0,
                format!(
                    "Gave a command ({}) before introducing yourself or explaining why you were there",
                    quote(text)
                ),
                Some(e.t),
                Some(i),
            );
        }
        self.note_burst(d, i, e);
    }

    /// Four lines within ten seconds start a burst (one item per burst); it ends when
    /// fewer than three are left in the window.
    fn note_burst(&mut self, d: &mut DimensionScore, i: usize, e: &Event) {
        let recent = &mut self.recent;
        recent.retain(|t| e.t - *t < 10.0);
        recent.push(e.t);
        if recent.len() >= 4 && !self.in_burst {
            self.in_burst = true;
            self.bursts += 1;
            d.add(
                -5.0,
                format!(
                    "Rushing: {} things said in {:.0} s, with no time to answer",
                    recent.len(),
                    e.t - recent[0]
                ),
                Some(e.t),
                Some(i),
            );
        } else if recent.len() < 3 {
            self.in_burst = false;
        }
    }

    /// A tactical pause ends any burst, and earns credit while agitation is 40 or more.
    fn pause(&mut self, d: &mut DimensionScore, i: usize, e: &Event, agitation_before: f32) {
        self.recent.clear();
        self.in_burst = false;
        if agitation_before >= 40.0 && self.pause_credit < 6.0 {
            self.pause_credit += 3.0;
            d.add(
                3.0,
                format!(
                    "Tactical pause while agitation was {agitation_before:.0}: gave them time to come down"
                ),
                Some(e.t),
                Some(i),
            );
        }
    }

    /// Pacing over the whole run, and how long the person waited for the first words.
    fn whole_run(&self, d: &mut DimensionScore) {
        if self.utterances >= 3 && self.bursts == 0 {
            d.add(
                6.0,
                "Paced the conversation: never more than three things said in ten seconds".into(),
                None,
                None,
            );
        }
        match self.first_word {
            Some(t) if t > 45.0 => d.add(
                -5.0,
                format!(
                    "First words only at {} — the person was left without contact",
                    clock(t)
                ),
                Some(t),
                None,
            ),
            None => d.add(
                -20.0,
                "Nothing was said during the whole contact".to_string(),
                None,
                None,
            ),
            _ => {}
        }
    }
}

/// An urgent contact running past its expected length, and the time limit running out.
fn overtime_items(d: &mut DimensionScore, scenario: &Scenario, r: &SimResult) {
    let expected = scenario.expected_minutes * 60.0;
    if scenario.scoring.urgent && r.duration > expected {
        let over = (r.duration - expected) / 60.0;
        d.add(
            -(5.0 * over).min(20.0),
            format!(
                "An urgent situation ran {:.1} min past the expected {} min",
                over, scenario.expected_minutes
            ),
            Some(expected),
            None,
        );
    }
    if r.timed_out {
        let idx = r.events.len().checked_sub(1);
        d.add(
            -15.0,
            format!(
                "The time limit ({} min) ran out with nothing settled",
                scenario.time_limit_minutes
            ),
            Some(r.duration),
            idx,
        );
    }
}
