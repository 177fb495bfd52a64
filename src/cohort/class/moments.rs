//! Key moments across the class, grouped by cause (what was said, the reactionary gap, a fast
//! approach, an outside event …) for the "most common key moments" section and slide.

use crate::sim::EventKind;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MomentKind {
    Said,
    ReactionaryGap,
    PersonalSpace,
    FastApproach,
    PartnerTalkedOver,
    Weapon,
    Outside,
    SteadyPresence,
    Other,
}

/// Key moments of one cause category across the class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MomentGroup {
    pub kind: MomentKind,
    pub category: String,
    /// Key moments in this category, all runs together.
    pub count: usize,
    /// Runs with at least one.
    pub runs: usize,
    /// Mean change in agitation over the moment.
    pub mean_delta: f32,
}

/// Everything the class debrief shows.

pub(super) fn moment_category(
    kind: Option<&EventKind>,
    cause: &str,
    subject: &str,
) -> (MomentKind, String) {
    use crate::sim::Zone;
    match kind {
        Some(EventKind::Utterance { text, .. }) => (MomentKind::Said, format!("Said “{text}”")),
        Some(EventKind::Zone {
            zone: Zone::ReactionaryGap,
            ..
        }) => (
            MomentKind::ReactionaryGap,
            "Time inside the reactionary gap".into(),
        ),
        Some(EventKind::Zone { .. }) => (
            MomentKind::PersonalSpace,
            "Time inside personal space".into(),
        ),
        Some(EventKind::FastApproach { .. }) => {
            (MomentKind::FastApproach, "A fast approach".into())
        }
        Some(EventKind::PartnerTalksOver { .. }) => (
            MomentKind::PartnerTalkedOver,
            "The partner talked over the trainee".into(),
        ),
        Some(EventKind::Weapon { .. }) => (MomentKind::Weapon, "A drawn weapon".into()),
        Some(EventKind::Injected { line, by, .. }) => (
            MomentKind::Outside,
            match by.and_then(|v| crate::assess::debrief::voice_words(v, subject)) {
                Some(who) => format!("Outside event — {who}: “{line}”"),
                None => format!("Outside event: “{line}”"),
            },
        ),
        None if cause.contains("steady presence") => (
            MomentKind::SteadyPresence,
            format!("Steady presence without pressure: {subject} settled"),
        ),
        _ => (MomentKind::Other, cause.to_string()),
    }
}
