//! Key moments across the class, grouped by cause (what was said, the reactionary gap, a fast
//! approach, an outside event …) for the "most common key moments" section and slide.

use super::load::Run;
use super::stats::mean;
use crate::format::scenario::Scenario;
use crate::sim::EventKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Broad kinds of key moment, for grouping and colour.
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

/// The key moments of every run grouped by cause, most common first (by runs, then times,
/// then the larger change in agitation).
pub(super) fn moment_groups(sc: &Scenario, runs: &[Run]) -> Vec<MomentGroup> {
    let mut groups: BTreeMap<(MomentKind, String), (Vec<f32>, BTreeSet<usize>)> = BTreeMap::new();
    for (ri, r) in runs.iter().enumerate() {
        for m in &r.debrief.key_moments {
            let kind = m
                .event
                .and_then(|i| r.debrief.events.get(i))
                .map(|e| &e.kind);
            let (k, label) = moment_category(kind, &m.cause, &sc.subject.name);
            let g = groups.entry((k, label)).or_default();
            g.0.push(m.delta);
            g.1.insert(ri);
        }
    }
    let mut moments: Vec<MomentGroup> = groups
        .into_iter()
        .map(|((kind, category), (d, rs))| MomentGroup {
            kind,
            category,
            count: d.len(),
            runs: rs.len(),
            mean_delta: mean(&d),
        })
        .collect();
    moments.sort_by(|a, b| {
        b.runs
            .cmp(&a.runs)
            .then(b.count.cmp(&a.count))
            .then(b.mean_delta.abs().total_cmp(&a.mean_delta.abs()))
            .then(a.category.cmp(&b.category))
    });
    moments
}

/// A key moment's kind and how it is named in the class debrief.
fn moment_category(kind: Option<&EventKind>, cause: &str, subject: &str) -> (MomentKind, String) {
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
