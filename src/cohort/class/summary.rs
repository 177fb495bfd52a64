//! The class summary: everything the debrief shows, computed once from the runs — outcomes,
//! endings, the spread of each score, first attempts against repeats; the decision points and
//! key moments have their own modules.

use super::decisions::{Cell, CellAcc, Decision, Led, OptionSplit, led_list};
use super::load::{Class, Run};
use super::moments::{MomentGroup, MomentKind, moment_category};
use crate::format::scenario::Scenario;
use crate::format::vocab::{Outcome, Tone};
use crate::sim::EventKind;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    pub groups: crate::cohort::attempts::Groups,
}

/// What the attempt and temperament grouping needs of each run.
pub fn run_facts(runs: &[Run]) -> Vec<crate::cohort::attempts::RunFacts> {
    runs.iter()
        .map(|r| crate::cohort::attempts::RunFacts {
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

pub(super) fn pct(n: usize, of: usize) -> f32 {
    if of == 0 {
        0.0
    } else {
        100.0 * n as f32 / of as f32
    }
}

pub(super) fn mean(v: &[f32]) -> f32 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().map(|&x| x as f64).sum::<f64>() as f32 / v.len() as f32
    }
}

impl Summary {
    pub fn of(class: &Class) -> Summary {
        Summary::from_runs(&class.scenario, &class.runs)
    }

    pub fn from_runs(sc: &Scenario, runs: &[Run]) -> Summary {
        let n = runs.len();
        let by_attempt = crate::cohort::attempts::groups(&run_facts(runs));
        // Outcomes and endings.
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

        // Scores.
        let scores = DIMENSIONS
            .iter()
            .filter_map(|(name, _)| {
                let v: Vec<f32> = runs
                    .iter()
                    .filter_map(|r| r.debrief.scores.value(name))
                    .collect();
                Distribution::of(&v).map(|d| (name.to_string(), d))
            })
            .collect();

        // Decisions: scene → option → tone.
        let mut reached: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let mut acc: BTreeMap<(String, String, Tone), CellAcc> = BTreeMap::new();
        for (ri, r) in runs.iter().enumerate() {
            let ev = &r.debrief.events;
            for (i, e) in ev.iter().enumerate() {
                match &e.kind {
                    EventKind::SceneEntered { scene } => {
                        reached.entry(scene.clone()).or_default().insert(ri);
                    }
                    EventKind::Utterance {
                        scene,
                        option,
                        tone,
                        agitation_before,
                        agitation_after,
                        ..
                    } => {
                        let led = ev[i + 1..]
                            .iter()
                            .take_while(|x| {
                                !matches!(
                                    x.kind,
                                    EventKind::Utterance { .. } | EventKind::TacticalPause { .. }
                                )
                            })
                            .find_map(|x| match &x.kind {
                                EventKind::SceneEntered { scene } => {
                                    Some(Led::Scene(scene.clone()))
                                }
                                EventKind::EndingReached { ending, .. } => {
                                    Some(Led::Ending(ending.clone()))
                                }
                                _ => None,
                            })
                            .unwrap_or(Led::Stayed);
                        let a = acc
                            .entry((scene.clone(), option.clone(), *tone))
                            .or_default();
                        a.deltas.push(agitation_after - agitation_before);
                        *a.led.entry(led).or_default() += 1;
                        a.runs.insert(ri);
                    }
                    _ => {}
                }
            }
        }
        let mut scene_order: Vec<String> = sc.scenes.iter().map(|s| s.id.clone()).collect();
        for (s, _, _) in acc.keys() {
            if !scene_order.contains(s) {
                scene_order.push(s.clone());
            }
        }
        let mut decisions = Vec::new();
        for scene_id in &scene_order {
            let scene = sc.scenes.iter().find(|s| &s.id == scene_id);
            let mut option_order: Vec<String> = scene
                .map(|s| s.options.iter().map(|o| o.id.clone()).collect())
                .unwrap_or_default();
            for (s, o, _) in acc.keys() {
                if s == scene_id && !option_order.contains(o) {
                    option_order.push(o.clone());
                }
            }
            let mut options = Vec::new();
            let mut by_tone_all = [0; 5];
            for opt in &option_order {
                let mut by_tone = [0; 5];
                let mut deltas = Vec::new();
                let mut led: BTreeMap<(Led, Tone), usize> = BTreeMap::new();
                let mut run_set = BTreeSet::new();
                let mut cells = Vec::new();
                for t in Tone::ALL {
                    let Some(a) = acc.get(&(scene_id.clone(), opt.clone(), t)) else {
                        continue;
                    };
                    by_tone[t as usize] = a.deltas.len();
                    by_tone_all[t as usize] += a.deltas.len();
                    deltas.extend(a.deltas.iter().copied());
                    run_set.extend(a.runs.iter().copied());
                    let mut cell_led = BTreeMap::new();
                    for (l, c) in &a.led {
                        *led.entry((l.clone(), t)).or_default() += c;
                        cell_led.insert((l.clone(), t), *c);
                    }
                    cells.push(Cell {
                        tone: t,
                        count: a.deltas.len(),
                        mean_delta: mean(&a.deltas),
                        led_to: led_list(&cell_led),
                    });
                }
                if deltas.is_empty() {
                    continue;
                }
                let text = scene
                    .and_then(|s| s.options.iter().find(|o| &o.id == opt))
                    .map_or_else(|| opt.clone(), |o| o.text.clone());
                options.push(OptionSplit {
                    option: opt.clone(),
                    text,
                    count: deltas.len(),
                    runs: run_set.len(),
                    by_tone,
                    mean_delta: mean(&deltas),
                    led_to: led_list(&led),
                    cells,
                });
            }
            if options.is_empty() {
                continue;
            }
            decisions.push(Decision {
                scene: scene_id.clone(),
                line: scene.and_then(|s| s.lines.first().cloned()),
                reached: reached.get(scene_id).map_or(0, |s| s.len()),
                choices: options.iter().map(|o| o.count).sum(),
                by_tone: by_tone_all,
                options,
            });
        }

        // Key moments, grouped by cause.
        let mut groups: BTreeMap<(MomentKind, String), (Vec<f32>, BTreeSet<usize>)> =
            BTreeMap::new();
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

        let trainees: BTreeSet<&str> = runs.iter().map(|r| r.record.trainee.trim()).collect();
        let cohorts: BTreeSet<String> = runs
            .iter()
            .filter_map(|r| r.record.cohort.clone())
            .filter(|c| !c.trim().is_empty())
            .collect();
        Summary {
            scenario_id: sc.id.clone(),
            scenario_title: sc.title.clone(),
            runs: n,
            trainees: trainees.len(),
            cohorts: cohorts.into_iter().collect(),
            deescalated: runs.iter().filter(|r| r.debrief.deescalated).count(),
            outcomes,
            endings,
            scores,
            mean_duration: mean(&runs.iter().map(|r| r.debrief.duration).collect::<Vec<_>>()),
            decisions,
            moments,
            groups: by_attempt,
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

// Aggregation
// ---------------------------------------------------------------------------------------

/// Five-number summary, mean and a 10-point histogram of one score.
///
/// Quartiles use linear interpolation between order statistics (the common "type 7"
/// definition, as in spreadsheets' `QUARTILE.INC` and NumPy's default): for sorted
/// values `x[0..n]`, the p-quantile is at position `(n - 1) · p`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    pub n: usize,
    pub min: f32,
    pub q1: f32,
    pub median: f32,
    pub q3: f32,
    pub max: f32,
    pub mean: f32,
    /// Counts in [0,10), [10,20), … [80,90), [90,100].
    pub bins: [usize; 10],
}

impl Distribution {
    pub fn of(values: &[f32]) -> Option<Distribution> {
        let mut v: Vec<f32> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f32::total_cmp);
        let q = |p: f32| {
            let h = (v.len() - 1) as f32 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(v.len() - 1);
            v[lo] + (h - lo as f32) * (v[hi] - v[lo])
        };
        let mut bins = [0; 10];
        for x in &v {
            bins[((x.clamp(0.0, 100.0) / 10.0).floor() as usize).min(9)] += 1;
        }
        Some(Distribution {
            n: v.len(),
            min: v[0],
            q1: q(0.25),
            median: q(0.5),
            q3: q(0.75),
            max: v[v.len() - 1],
            mean: v.iter().map(|&x| x as f64).sum::<f64>() as f32 / v.len() as f32,
            bins,
        })
    }
}

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndingCount {
    pub id: Option<String>,
    pub title: String,
    pub outcome: Option<Outcome>,
    pub count: usize,
    pub pct: f32,
}

/// What came next after a choice: the next scene entered or ending reached before the
/// trainee's next choice, or nothing (the conversation stayed in the scene).

pub(super) fn outcome_family(o: Option<Outcome>) -> &'static str {
    match o {
        Some(o) if o.is_deescalated() => "good",
        Some(Outcome::TacticalWithdrawal) | Some(Outcome::Unresolved) | None => "mid",
        Some(_) => "hard",
    }
}
