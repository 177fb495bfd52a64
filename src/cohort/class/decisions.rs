//! Decision points: how the class split at each scene where trainees chose what to say, by
//! option and tone, with the mean change in agitation and where each choice led.

use crate::format::scenario::Scenario;
use crate::format::vocab::Tone;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Led {
    Scene(String),
    Ending(String),
    Stayed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedTo {
    pub to: Led,
    pub count: usize,
    /// The tones the choice was made in on the way there.
    pub tones: Vec<Tone>,
}

/// One option × tone cell of a decision point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub tone: Tone,
    pub count: usize,
    /// Mean change in agitation from the line itself (after − before).
    pub mean_delta: f32,
    pub led_to: Vec<LedTo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionSplit {
    pub option: String,
    pub text: String,
    /// Times chosen here (a run may choose it more than once).
    pub count: usize,
    /// Runs that chose it at least once.
    pub runs: usize,
    /// Counts per tone, in [`Tone::ALL`] order.
    pub by_tone: [usize; 5],
    pub mean_delta: f32,
    pub led_to: Vec<LedTo>,
    /// Non-empty cells only, in [`Tone::ALL`] order.
    pub cells: Vec<Cell>,
}

impl OptionSplit {
    pub fn tone_count(&self, t: Tone) -> usize {
        self.by_tone[t as usize]
    }
}

/// One scene where the trainees chose what to say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub scene: String,
    /// The subject's (first) line on entering the scene, for context.
    pub line: Option<String>,
    /// Runs that entered the scene.
    pub reached: usize,
    /// Choices made here, all runs together.
    pub choices: usize,
    /// Counts per tone over all options, in [`Tone::ALL`] order.
    pub by_tone: [usize; 5],
    /// In the scenario's option order; options nobody chose are left out.
    pub options: Vec<OptionSplit>,
}

impl Decision {
    pub fn option(&self, id: &str) -> Option<&OptionSplit> {
        self.options.iter().find(|o| o.option == id)
    }
}

/// Broad kinds of key moment, for grouping and colour.

#[derive(Default)]
pub(super) struct CellAcc {
    pub(super) deltas: Vec<f32>,
    pub(super) led: BTreeMap<Led, usize>,
    pub(super) runs: BTreeSet<usize>,
}

pub(super) fn led_list(map: &BTreeMap<(Led, Tone), usize>) -> Vec<LedTo> {
    let mut by: BTreeMap<Led, (usize, Vec<Tone>)> = BTreeMap::new();
    for ((l, t), n) in map {
        let e = by.entry(l.clone()).or_default();
        e.0 += n;
        if !e.1.contains(t) {
            e.1.push(*t);
        }
    }
    let mut v: Vec<LedTo> = by
        .into_iter()
        .map(|(to, (count, mut tones))| {
            tones.sort();
            LedTo { to, count, tones }
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.to.cmp(&b.to)));
    v
}

pub(super) fn led_label(l: &Led, sc: &Scenario, pretty: bool) -> String {
    match l {
        Led::Scene(s) if pretty => format!("→ {}", scene_title(s)),
        Led::Scene(s) => format!("→ {s}"),
        Led::Ending(e) => match sc.ending(e) {
            Some(en) => format!("→ ending: {}", en.title),
            None => format!("→ ending: {e}"),
        },
        Led::Stayed => "stayed in the scene".into(),
    }
}

pub(super) fn scene_title(id: &str) -> String {
    let t = id.replace(['_', '-'], " ");
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
