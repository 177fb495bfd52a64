//! Decision points: how the class split at each scene where trainees chose what to say, by
//! option and tone, with the mean change in agitation and where each choice led.

use super::load::Run;
use super::stats::mean;
use crate::format::scenario::{Scenario, Scene};
use crate::format::vocab::Tone;
use crate::sim::{Event, EventKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What came next after a choice: the next scene entered or ending reached before the
/// trainee's next choice, or nothing (the conversation stayed in the scene).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Led {
    Scene(String),
    Ending(String),
    Stayed,
}

/// Where one choice led, how often, and in which tones.
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

/// How the class chose one option of a decision point, over all tones and per tone.
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

/// The choices of one option in one tone, as they are counted.
#[derive(Default)]
struct CellAcc {
    deltas: Vec<f32>,
    led: BTreeMap<Led, usize>,
    runs: BTreeSet<usize>,
}

/// Every choice of every run, counted: per (scene, option, tone) cell, and the runs that
/// entered each scene.
#[derive(Default)]
struct Tally {
    reached: BTreeMap<String, BTreeSet<usize>>,
    cells: BTreeMap<(String, String, Tone), CellAcc>,
}

/// The decision points in the scenario's scene order (then scenes it no longer has): each
/// scene where somebody chose something.
pub(super) fn decisions(sc: &Scenario, runs: &[Run]) -> Vec<Decision> {
    let t = tally(runs);
    let mut scene_order: Vec<String> = sc.scenes.iter().map(|s| s.id.clone()).collect();
    for (s, _, _) in t.cells.keys() {
        if !scene_order.contains(s) {
            scene_order.push(s.clone());
        }
    }
    scene_order
        .iter()
        .filter_map(|id| decision(sc, id, &t))
        .collect()
}

fn tally(runs: &[Run]) -> Tally {
    let mut t = Tally::default();
    for (ri, r) in runs.iter().enumerate() {
        let ev = &r.debrief.events;
        for (i, e) in ev.iter().enumerate() {
            match &e.kind {
                EventKind::SceneEntered { scene } => {
                    t.reached.entry(scene.clone()).or_default().insert(ri);
                }
                EventKind::Utterance {
                    scene,
                    option,
                    tone,
                    agitation_before,
                    agitation_after,
                    ..
                } => {
                    let a = t
                        .cells
                        .entry((scene.clone(), option.clone(), *tone))
                        .or_default();
                    a.deltas.push(agitation_after - agitation_before);
                    *a.led.entry(led_after(&ev[i + 1..])).or_default() += 1;
                    a.runs.insert(ri);
                }
                _ => {}
            }
        }
    }
    t
}

/// Where a choice led: the first scene entered or ending reached in the events `after` it,
/// before the trainee's next line or pause; else it stayed.
fn led_after(after: &[Event]) -> Led {
    after
        .iter()
        .take_while(|x| {
            !matches!(
                x.kind,
                EventKind::Utterance { .. } | EventKind::TacticalPause { .. }
            )
        })
        .find_map(|x| match &x.kind {
            EventKind::SceneEntered { scene } => Some(Led::Scene(scene.clone())),
            EventKind::EndingReached { ending, .. } => Some(Led::Ending(ending.clone())),
            _ => None,
        })
        .unwrap_or(Led::Stayed)
}

/// One scene's decision point (options in the scenario's order, then ones it no longer
/// has), or `None` when nobody chose anything there.
fn decision(sc: &Scenario, scene_id: &str, t: &Tally) -> Option<Decision> {
    let scene = sc.scenes.iter().find(|s| s.id == scene_id);
    let mut option_order: Vec<String> = scene
        .map(|s| s.options.iter().map(|o| o.id.clone()).collect())
        .unwrap_or_default();
    for (s, o, _) in t.cells.keys() {
        if s == scene_id && !option_order.contains(o) {
            option_order.push(o.clone());
        }
    }
    let options: Vec<OptionSplit> = option_order
        .iter()
        .filter_map(|opt| option_split(scene, scene_id, opt, t))
        .collect();
    if options.is_empty() {
        return None;
    }
    let mut by_tone = [0; 5];
    for o in &options {
        for (all, n) in by_tone.iter_mut().zip(o.by_tone) {
            *all += n;
        }
    }
    Some(Decision {
        scene: scene_id.to_string(),
        line: scene.and_then(|s| s.lines.first().cloned()),
        reached: t.reached.get(scene_id).map_or(0, |s| s.len()),
        choices: options.iter().map(|o| o.count).sum(),
        by_tone,
        options,
    })
}

/// How the class chose one option, per tone, or `None` when nobody chose it.
fn option_split(
    scene: Option<&Scene>,
    scene_id: &str,
    opt: &str,
    t: &Tally,
) -> Option<OptionSplit> {
    let mut by_tone = [0; 5];
    let mut deltas = Vec::new();
    let mut led: BTreeMap<(Led, Tone), usize> = BTreeMap::new();
    let mut run_set = BTreeSet::new();
    let mut cells = Vec::new();
    for tone in Tone::ALL {
        let Some(a) = t.cells.get(&(scene_id.to_string(), opt.to_string(), tone)) else {
            continue;
        };
        by_tone[tone as usize] = a.deltas.len();
        deltas.extend(a.deltas.iter().copied());
        run_set.extend(a.runs.iter().copied());
        let mut cell_led = BTreeMap::new();
        for (l, c) in &a.led {
            *led.entry((l.clone(), tone)).or_default() += c;
            cell_led.insert((l.clone(), tone), *c);
        }
        cells.push(Cell {
            tone,
            count: a.deltas.len(),
            mean_delta: mean(&a.deltas),
            led_to: led_list(&cell_led),
        });
    }
    if deltas.is_empty() {
        return None;
    }
    let text = scene
        .and_then(|s| s.options.iter().find(|o| o.id == opt))
        .map_or_else(|| opt.to_string(), |o| o.text.clone());
    Some(OptionSplit {
        option: opt.to_string(),
        text,
        count: deltas.len(),
        runs: run_set.len(),
        by_tone,
        mean_delta: mean(&deltas),
        led_to: led_list(&led),
        cells,
    })
}

/// Where the choices led, most often first, with the tones used on the way.
fn led_list(map: &BTreeMap<(Led, Tone), usize>) -> Vec<LedTo> {
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

/// Where a choice led, in words: the scene id (or, `pretty`, its title) or the ending's title.
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

/// A scene id as a title: "head_check" → "Head check".
pub(super) fn scene_title(id: &str) -> String {
    let t = id.replace(['_', '-'], " ");
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
