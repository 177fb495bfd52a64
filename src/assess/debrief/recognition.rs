//! The sentence that recognises a de-escalated run: how agitation went from start to end,
//! and the three things that carried it (the best-scoring items).

use super::Arc3;
use crate::assess::score::{Scores, clock};
use crate::format::scenario::Scenario;
use crate::sim::{EventKind, SimResult};

pub(super) fn recognition(scenario: &Scenario, r: &SimResult, scores: &Scores, a: &Arc3) -> String {
    let mut strengths: Vec<(f32, String)> = scores
        .verbal
        .items
        .iter()
        .chain(scores.distance.items.iter())
        .chain(scores.time.items.iter())
        .filter(|i| i.points > 0.0)
        .map(|i| (i.points, i.reason.clone()))
        .collect();
    strengths.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut s = how_it_went(scenario, r, a);
    if !strengths.is_empty() {
        s.push_str(" What carried it: ");
        s.push_str(
            &strengths
                .iter()
                .take(3)
                .map(|(_, t)| t.clone())
                .collect::<Vec<_>>()
                .join("; "),
        );
        s.push('.');
    }
    s
}

/// How agitation went and how the contact ended, with or without a word from the trainee.
fn how_it_went(scenario: &Scenario, r: &SimResult, a: &Arc3) -> String {
    let name = &scenario.subject.name;
    let ended = r
        .outcome
        .map_or(String::new(), |o| format!(" as “{}”", o.label()));
    let spoke = r
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Utterance { .. }));
    if !spoke {
        format!(
            "{name}'s agitation went from {:.0} to {:.0} and the contact ended{ended} without a struggle, with nothing said by you: what in your presence, position or timing made that possible?",
            a.start, a.end
        )
    } else if a.end < a.start - 1.0 {
        format!(
            "You brought {name} from agitation {:.0} (peak {:.0} at {}) down to {:.0} without a struggle, and the contact ended{ended}.",
            a.start,
            a.peak,
            clock(a.peak_t),
            a.end
        )
    } else if a.peak > a.start + 5.0 {
        format!(
            "Agitation rose from {:.0} to a peak of {:.0} at {} and ended at {:.0}, yet the contact ended{ended} without a struggle.",
            a.start,
            a.peak,
            clock(a.peak_t),
            a.end
        )
    } else {
        format!(
            "You kept {name} steady (agitation {:.0} at the start, {:.0} at the end) and the contact ended{ended} without a struggle.",
            a.start, a.end
        )
    }
}
