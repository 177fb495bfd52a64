//! The class summary: everything the debrief shows, computed once from the runs — outcomes,
//! endings, the spread of each score, first attempts against repeats — with the decision
//! points and key moments tallied in their own modules.

use super::decisions::{Decision, decisions};
use super::load::{Class, Run};
use super::moments::{MomentGroup, moment_groups};
use super::stats::{Distribution, mean, pct};
use crate::cohort::attempts::{Groups, RunFacts, groups};
use crate::format::scenario::Scenario;
use crate::format::vocab::Outcome;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Everything the class debrief shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub scenario_id: String,
    pub scenario_title: String,
    pub runs: usize,
    pub trainees: usize,
    pub cohorts: Vec<String>,
    /// Runs whose outcome counts as de-escalated.
    pub deescalated: usize,
    /// Every outcome in [`Outcome::ALL`] order, then "no ending" if any run had none.
    pub outcomes: Vec<OutcomeCount>,
    /// Endings reached, most frequent first.
    pub endings: Vec<EndingCount>,
    /// `distance`, `time`, `tone`, `verbal`, `overall`.
    pub scores: Vec<(String, Distribution)>,
    pub mean_duration: f32,
    pub decisions: Vec<Decision>,
    /// Most common first.
    pub moments: Vec<MomentGroup>,
    /// First attempts apart from repeats, and per temperament met.
    pub groups: Groups,
}

/// What the attempt and temperament grouping needs of each run.
pub fn run_facts(runs: &[Run]) -> Vec<RunFacts> {
    runs.iter()
        .map(|r| RunFacts {
            trainee: r.record.trainee.clone(),
            scenario_id: r.record.scenario_id.clone(),
            started_unix: r.record.started_unix,
            order_key: r.file.clone(),
            temperament: r.debrief.met.as_ref().map(|m| m.temperament.clone()),
            outcome: r.debrief.outcome,
            overall: r.debrief.scores.overall,
        })
        .collect()
}

/// The dimensions in display order: name and title.
pub const DIMENSIONS: [(&str, &str); 5] = [
    ("distance", "Distance & cover"),
    ("time", "Time & pacing"),
    ("tone", "Tone of voice"),
    ("verbal", "Verbal choices"),
    ("overall", "Overall"),
];

impl Summary {
    pub fn of(class: &Class) -> Summary {
        Summary::from_runs(&class.scenario, &class.runs)
    }

    pub fn from_runs(sc: &Scenario, runs: &[Run]) -> Summary {
        let trainees: BTreeSet<&str> = runs.iter().map(|r| r.record.trainee.trim()).collect();
        let cohorts: BTreeSet<String> = runs
            .iter()
            .filter_map(|r| r.record.cohort.clone())
            .filter(|c| !c.trim().is_empty())
            .collect();
        Summary {
            scenario_id: sc.id.clone(),
            scenario_title: sc.title.clone(),
            runs: runs.len(),
            trainees: trainees.len(),
            cohorts: cohorts.into_iter().collect(),
            deescalated: runs.iter().filter(|r| r.debrief.deescalated).count(),
            outcomes: outcome_counts(runs),
            endings: ending_counts(sc, runs),
            scores: score_distributions(runs),
            mean_duration: mean(&runs.iter().map(|r| r.debrief.duration).collect::<Vec<_>>()),
            decisions: decisions(sc, runs),
            moments: moment_groups(sc, runs),
            groups: groups(&run_facts(runs)),
        }
    }

    pub fn score(&self, name: &str) -> Option<&Distribution> {
        self.scores.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    pub fn outcome_count(&self, o: Option<Outcome>) -> usize {
        self.outcomes
            .iter()
            .find(|c| c.outcome == o)
            .map_or(0, |c| c.count)
    }

    pub fn decision(&self, scene: &str) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.scene == scene)
    }
}

/// Every outcome in [`Outcome::ALL`] order, then "no ending" if any run had none.
fn outcome_counts(runs: &[Run]) -> Vec<OutcomeCount> {
    let n = runs.len();
    let mut outcomes: Vec<OutcomeCount> = Outcome::ALL
        .iter()
        .map(|&o| {
            let c = runs.iter().filter(|r| r.debrief.outcome == Some(o)).count();
            OutcomeCount {
                outcome: Some(o),
                count: c,
                pct: pct(c, n),
            }
        })
        .collect();
    let none = runs.iter().filter(|r| r.debrief.outcome.is_none()).count();
    if none > 0 {
        outcomes.push(OutcomeCount {
            outcome: None,
            count: none,
            pct: pct(none, n),
        });
    }
    outcomes
}

/// The endings reached, most frequent first.
fn ending_counts(sc: &Scenario, runs: &[Run]) -> Vec<EndingCount> {
    let n = runs.len();
    let mut ending_counts: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for r in runs {
        *ending_counts
            .entry(r.debrief.ending_id.clone())
            .or_default() += 1;
    }
    let mut endings: Vec<EndingCount> = ending_counts
        .into_iter()
        .map(|(id, count)| {
            let e = id.as_deref().and_then(|i| sc.ending(i));
            EndingCount {
                title: e.map_or_else(
                    || id.clone().unwrap_or_else(|| "(no ending reached)".into()),
                    |e| e.title.clone(),
                ),
                outcome: e.map(|e| e.outcome),
                id,
                count,
                pct: pct(count, n),
            }
        })
        .collect();
    endings.sort_by(|a, b| b.count.cmp(&a.count).then(a.title.cmp(&b.title)));
    endings
}

/// The distribution of each score, in [`DIMENSIONS`] order.
fn score_distributions(runs: &[Run]) -> Vec<(String, Distribution)> {
    DIMENSIONS
        .iter()
        .filter_map(|(name, _)| {
            let v: Vec<f32> = runs
                .iter()
                .filter_map(|r| r.debrief.scores.value(name))
                .collect();
            Distribution::of(&v).map(|d| (name.to_string(), d))
        })
        .collect()
}

/// How many runs ended in one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeCount {
    /// `None`: the run stopped before an ending was reached.
    pub outcome: Option<Outcome>,
    pub count: usize,
    /// Percentage of runs, 0–100.
    pub pct: f32,
}

impl OutcomeCount {
    pub fn label(&self) -> &'static str {
        self.outcome.map_or("no ending reached", |o| o.label())
    }
}

/// How many runs reached one ending (or none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndingCount {
    pub id: Option<String>,
    pub title: String,
    pub outcome: Option<Outcome>,
    pub count: usize,
    pub pct: f32,
}

/// The colour family of an outcome: "good" (de-escalated), "mid" (withdrawn, unresolved or
/// no ending) or "hard" (force, flight or injury).
pub(super) fn outcome_family(o: Option<Outcome>) -> &'static str {
    match o {
        Some(o) if o.is_deescalated() => "good",
        Some(Outcome::TacticalWithdrawal) | Some(Outcome::Unresolved) | None => "mid",
        Some(_) => "hard",
    }
}
