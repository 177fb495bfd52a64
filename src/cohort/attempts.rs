//! Which runs are a trainee's first attempt at a scenario and which are repeats, and how a
//! class fared per temperament met: so a class debrief does not mistake a remembered script
//! for skill, and a trainee's progress shows whether scores hold up on someone new.

use crate::format::vocab::Outcome;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the grouping needs of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunFacts {
    pub trainee: String,
    pub scenario_id: String,
    pub started_unix: u64,
    /// Tie-break for runs started in the same second (the file name).
    pub order_key: String,
    pub temperament: Option<String>,
    pub outcome: Option<Outcome>,
    pub overall: f32,
}

/// The trainee's attempt number at this scenario (1 = first), per run, in input order.
/// Trainee names compare ignoring case and surrounding spaces.
pub fn attempt_numbers(runs: &[RunFacts]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&runs[a], &runs[b]);
        (x.started_unix, &x.order_key).cmp(&(y.started_unix, &y.order_key))
    });
    let mut seen: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut out = vec![0; runs.len()];
    for i in order {
        let r = &runs[i];
        let key = (r.trainee.trim().to_lowercase(), r.scenario_id.clone());
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        out[i] = *n;
    }
    out
}

/// Whether this run met a temperament the trainee had not met before in this scenario.
pub fn new_temperament(runs: &[RunFacts]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&runs[a], &runs[b]);
        (x.started_unix, &x.order_key).cmp(&(y.started_unix, &y.order_key))
    });
    let mut met: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut out = vec![false; runs.len()];
    for i in order {
        let r = &runs[i];
        let Some(t) = &r.temperament else { continue };
        let key = (r.trainee.trim().to_lowercase(), r.scenario_id.clone());
        let seen = met.entry(key).or_default();
        out[i] = !seen.contains(t);
        if out[i] {
            seen.push(t.clone());
        }
    }
    out
}

/// How a group of runs went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStats {
    pub label: String,
    pub runs: usize,
    pub deescalated: usize,
    pub mean_overall: f32,
}

impl GroupStats {
    fn of<'a>(label: String, runs: impl Iterator<Item = &'a RunFacts>) -> GroupStats {
        let (mut n, mut good, mut sum) = (0, 0, 0.0);
        for r in runs {
            n += 1;
            good += usize::from(r.outcome.is_some_and(|o| o.is_deescalated()));
            sum += r.overall;
        }
        GroupStats {
            label,
            runs: n,
            deescalated: good,
            mean_overall: if n == 0 { 0.0 } else { sum / n as f32 },
        }
    }

    /// Share of runs de-escalated, 0–100.
    pub fn deescalated_pct(&self) -> f32 {
        100.0 * self.deescalated as f32 / self.runs.max(1) as f32
    }
}

/// First attempts and repeats, and per temperament met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Groups {
    pub first: GroupStats,
    pub repeats: GroupStats,
    /// One per temperament met (in the order the scenario declares them is not known here:
    /// alphabetical), empty when no run met a temperament.
    pub temperaments: Vec<GroupStats>,
    /// True when temperament made a difference worth a slide: at least two temperaments
    /// with two runs each whose de-escalation rates differ by 20 points or whose mean
    /// overall scores differ by 8 or more.
    pub temperament_matters: bool,
}

pub fn groups(runs: &[RunFacts]) -> Groups {
    let attempts = attempt_numbers(runs);
    let first = GroupStats::of(
        "first attempts".into(),
        runs.iter()
            .zip(&attempts)
            .filter(|(_, a)| **a == 1)
            .map(|(r, _)| r),
    );
    let repeats = GroupStats::of(
        "repeats".into(),
        runs.iter()
            .zip(&attempts)
            .filter(|(_, a)| **a > 1)
            .map(|(r, _)| r),
    );
    let mut names: Vec<&String> = runs.iter().filter_map(|r| r.temperament.as_ref()).collect();
    names.sort();
    names.dedup();
    let temperaments: Vec<GroupStats> = names
        .into_iter()
        .map(|t| {
            GroupStats::of(
                t.clone(),
                runs.iter().filter(|r| r.temperament.as_ref() == Some(t)),
            )
        })
        .collect();
    let big: Vec<&GroupStats> = temperaments.iter().filter(|g| g.runs >= 2).collect();
    let spread = |f: &dyn Fn(&GroupStats) -> f32| {
        let v: Vec<f32> = big.iter().map(|g| f(g)).collect();
        v.iter().cloned().fold(f32::MIN, f32::max) - v.iter().cloned().fold(f32::MAX, f32::min)
    };
    let temperament_matters = big.len() >= 2
        && (spread(&|g| g.deescalated_pct()) >= 20.0 || spread(&|g| g.mean_overall) >= 8.0);
    Groups {
        first,
        repeats,
        temperaments,
        temperament_matters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(trainee: &str, t: u64, temperament: Option<&str>, good: bool, overall: f32) -> RunFacts {
        RunFacts {
            trainee: trainee.into(),
            scenario_id: "s".into(),
            started_unix: t,
            order_key: format!("{t}"),
            temperament: temperament.map(String::from),
            outcome: Some(if good {
                Outcome::HandedToCare
            } else {
                Outcome::SubjectFled
            }),
            overall,
        }
    }

    #[test]
    fn attempts_count_per_trainee_in_time_order_ignoring_case() {
        let runs = [
            run("Sam", 30, None, true, 80.0),
            run("Alex", 10, None, true, 80.0),
            run(" sam ", 20, None, true, 80.0),
            run("Sam", 5, None, true, 80.0),
        ];
        assert_eq!(attempt_numbers(&runs), [3, 1, 2, 1]);
    }

    #[test]
    fn a_new_temperament_is_marked_once_per_trainee() {
        let runs = [
            run("Sam", 1, Some("steady"), true, 80.0),
            run("Sam", 2, Some("steady"), true, 80.0),
            run("Sam", 3, Some("volatile"), false, 50.0),
            run("Alex", 4, Some("volatile"), true, 70.0),
        ];
        assert_eq!(new_temperament(&runs), [true, false, true, true]);
    }

    #[test]
    fn temperament_matters_only_when_groups_differ() {
        let same = [
            run("A", 1, Some("steady"), true, 80.0),
            run("B", 2, Some("steady"), true, 82.0),
            run("C", 3, Some("volatile"), true, 79.0),
            run("D", 4, Some("volatile"), true, 81.0),
        ];
        assert!(!groups(&same).temperament_matters);
        let differ = [
            run("A", 1, Some("steady"), true, 80.0),
            run("B", 2, Some("steady"), true, 82.0),
            run("C", 3, Some("volatile"), false, 55.0),
            run("D", 4, Some("volatile"), true, 70.0),
        ];
        let g = groups(&differ);
        assert!(g.temperament_matters);
        assert_eq!(g.temperaments[1].label, "volatile");
        assert_eq!(g.temperaments[1].deescalated, 1);
        assert_eq!(g.first.runs, 4);
        assert_eq!(g.repeats.runs, 0);
    }
}
