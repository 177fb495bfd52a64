//! Rules about the story as a graph: scenes from which no ending can be reached
//! (`dead-end`), and scenes and endings nothing leads to from the start (`unreachable-*`).
//! Conditions are ignored (any option or trigger might be taken); scenario-wide triggers
//! lead out of every scene.

use super::validator::Validator;
use crate::format::scenario::{Next, Scenario, Scene};
use std::collections::VecDeque;

/// The story's links, by scene index.
struct Links {
    /// The scenes each scene leads to.
    scenes: Vec<Vec<usize>>,
    /// The endings each scene leads to.
    endings: Vec<Vec<usize>>,
    /// Whether the scene links to an id that names nothing (already an error).
    broken: Vec<bool>,
}

impl Validator<'_> {
    /// Reachability. Links to unknown ids are already errors, so scenes with such links are
    /// not called dead ends, and reachability warnings are skipped while any exist.
    pub(super) fn check_graph(&mut self) {
        let links = self.links();
        self.dead_ends(&can_end(&links));
        let Some(&start) = self.scene_ids.get(self.s.start_scene.as_str()) else {
            return; // already an error; reachability would only add noise
        };
        let timeout_known = self.ending_ids.contains_key(self.s.timeout_ending.as_str());
        if links.broken.iter().any(|&b| b) || !timeout_known {
            return;
        }
        let (scenes, endings) = self.reached_from(start, &links);
        self.unreachable_scenes(&scenes);
        self.unreachable_endings(&endings);
    }

    fn links(&self) -> Links {
        let n = self.s.scenes.len();
        let mut links = Links {
            scenes: vec![Vec::new(); n],
            endings: vec![Vec::new(); n],
            broken: vec![false; n],
        };
        for (i, scene) in self.s.scenes.iter().enumerate() {
            for next in nexts(self.s, scene) {
                match next {
                    Next::Scene(id) => match self.scene_ids.get(id.as_str()) {
                        Some(&to) => links.scenes[i].push(to),
                        None => links.broken[i] = true,
                    },
                    Next::Ending(id) => match self.ending_ids.get(id.as_str()) {
                        Some(&to) => links.endings[i].push(to),
                        None => links.broken[i] = true,
                    },
                    Next::Stay | Next::OneOf(_) => {}
                }
            }
        }
        links
    }

    /// `dead-end`: a scene with a way out, but none that leads to an ending.
    fn dead_ends(&mut self, can_end: &[bool]) {
        for (i, scene) in self.s.scenes.iter().enumerate() {
            let no_exits = scene.options.is_empty() && scene.triggers.is_empty();
            if can_end[i] || no_exits || self.scene_ids.get(scene.id.as_str()) != Some(&i) {
                continue;
            }
            let span = self.payload(&format!("scenes[{i}].id"));
            let d = self.error(
                "dead-end",
                format!("no ending can be reached from scene `{}`", scene.id),
                span,
            );
            d.label = Some("only the time limit can end the run from here".into());
            d.help = Some(
                "make an option, tone branch or trigger lead (perhaps via other scenes) to \
                 `Ending(\"...\")`"
                    .into(),
            );
        }
    }

    /// The scenes and endings reached forwards from the start scene (the timeout ending is
    /// reached when time runs out).
    fn reached_from(&self, start: usize, links: &Links) -> (Vec<bool>, Vec<bool>) {
        let mut seen = vec![false; self.s.scenes.len()];
        let mut ending_seen = vec![false; self.s.endings.len()];
        seen[start] = true;
        let mut queue = VecDeque::from([start]);
        while let Some(i) = queue.pop_front() {
            for &e in &links.endings[i] {
                ending_seen[e] = true;
            }
            for &to in &links.scenes[i] {
                if !seen[to] {
                    seen[to] = true;
                    queue.push_back(to);
                }
            }
        }
        if let Some(&t) = self.ending_ids.get(self.s.timeout_ending.as_str()) {
            ending_seen[t] = true;
        }
        (seen, ending_seen)
    }

    fn unreachable_scenes(&mut self, seen: &[bool]) {
        let s = self.s;
        for (i, scene) in s.scenes.iter().enumerate() {
            if seen[i] || self.scene_ids.get(scene.id.as_str()) != Some(&i) {
                continue;
            }
            let span = self.payload(&format!("scenes[{i}].id"));
            let d = self.warning(
                "unreachable-scene",
                format!(
                    "scene `{}` can never be reached from the start scene `{}`",
                    scene.id, s.start_scene
                ),
                span,
            );
            d.label = Some("nothing leads here".into());
            d.help = Some(format!(
                "point an option or trigger at `Scene(\"{}\")`, or remove the scene",
                scene.id
            ));
        }
    }

    fn unreachable_endings(&mut self, ending_seen: &[bool]) {
        for (i, ending) in self.s.endings.iter().enumerate() {
            if ending_seen[i] || self.ending_ids.get(ending.id.as_str()) != Some(&i) {
                continue;
            }
            let span = self.payload(&format!("endings[{i}].id"));
            let d = self.warning(
                "unreachable-ending",
                format!("ending `{}` can never be reached", ending.id),
                span,
            );
            d.label = Some("nothing leads here".into());
            d.help = Some(format!(
                "point an option or trigger at `Ending(\"{}\")`, or remove the ending",
                ending.id
            ));
        }
    }
}

/// Everywhere a scene can lead: its options and their tone branches, its triggers and the
/// scenario-wide ones, each `OneOf` opened into its branches.
fn nexts<'s>(s: &'s Scenario, scene: &'s Scene) -> impl Iterator<Item = &'s Next> {
    let nexts = scene
        .options
        .iter()
        .flat_map(|o| std::iter::once(&o.next).chain(o.tone_branches.iter().map(|b| &b.next)))
        .chain(scene.triggers.iter().chain(&s.triggers).map(|t| &t.goto));
    nexts.flat_map(|n| match n {
        Next::OneOf(bs) => bs.iter().map(|b| &b.to).collect::<Vec<_>>(),
        other => vec![other],
    })
}

/// Scenes from which an ending can be reached: backwards from those that end directly (or
/// link to an unknown id, already an error).
fn can_end(links: &Links) -> Vec<bool> {
    let n = links.scenes.len();
    let mut can_end: Vec<bool> = (0..n)
        .map(|i| !links.endings[i].is_empty() || links.broken[i])
        .collect();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, tos) in links.scenes.iter().enumerate() {
        for &to in tos {
            preds[to].push(from);
        }
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| can_end[i]).collect();
    while let Some(i) = queue.pop_front() {
        for &p in &preds[i] {
            if !can_end[p] {
                can_end[p] = true;
                queue.push_back(p);
            }
        }
    }
    can_end
}
