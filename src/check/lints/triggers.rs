//! Triggers that another trigger always fires before (`shadowed-trigger`), or fires before
//! whenever a measure changes gradually (`beaten-trigger`): only one trigger fires per tick,
//! the scene's own in order, then the scenario-wide ones in order (see `Sim::run_triggers`).

use super::atoms::{Atom, Measure, atoms, race};
use crate::check::{Validator, trigger_path};
use crate::format::scenario::Next;

/// How one trigger fares in one scene against the others checked there.
pub(super) enum Fate {
    Free,
    /// Never fires: the other (list, index) always fires first.
    Shadowed(Option<usize>, usize),
    /// Fires only if the measure jumps past both thresholds at once.
    Beaten(Option<usize>, usize, Measure),
}

impl<'a> Validator<'a> {
    /// Triggers another trigger always fires before (`shadowed-trigger`), or fires before
    /// whenever a measure changes gradually (`beaten-trigger`). Only one trigger fires per
    /// tick: the scene's own in order, then the scenario-wide ones in order.
    pub(super) fn trigger_fates(&mut self) {
        let s = self.s;
        for (i, sc) in s.scenes.iter().enumerate() {
            for k in 0..sc.triggers.len() {
                let fate = self.fate(i, Some(i), k);
                self.report_fate(Some(i), k, fate, None);
            }
        }
        for k in 0..s.triggers.len() {
            if let Some((scene, fate)) = self.global_fate(k) {
                self.report_fate(None, k, fate, Some(scene));
            }
        }
    }

    /// A scenario-wide trigger's fate if it is the same everywhere it could fire: shadowed
    /// in every scene, or beaten (or shadowed) in every scene; with the first such scene.
    fn global_fate(&self, k: usize) -> Option<(usize, Fate)> {
        let s = self.s;
        let mut first: Option<(usize, Fate)> = None;
        let mut beaten = false;
        for i in 0..s.scenes.len() {
            if matches!(&s.triggers[k].goto, Next::Scene(x) if *x == s.scenes[i].id) {
                continue; // it never fires in the scene it leads to
            }
            let fate = self.fate(i, None, k);
            match fate {
                Fate::Free => return None,
                Fate::Beaten(..) => beaten = true,
                Fate::Shadowed(..) => {}
            }
            first.get_or_insert((i, fate));
        }
        let (scene, fate) = first?;
        Some(match fate {
            Fate::Shadowed(l, o) if beaten => (
                scene,
                Fate::Beaten(l, o, Atom::measure_of(&s.triggers[k].when)),
            ),
            f => (scene, f),
        })
    }

    /// The fate of trigger `k` of `list` (a scene's, or the scenario-wide with `None`) in
    /// scene `here`.
    fn fate(&self, here: usize, list: Option<usize>, k: usize) -> Fate {
        let s = self.s;
        let own = |l: Option<usize>| match l {
            Some(i) => &s.scenes[i].triggers,
            None => &s.triggers,
        };
        let b = &own(list)[k];
        // The order triggers are checked in this scene.
        let order = (0..s.scenes[here].triggers.len())
            .map(|j| (Some(here), j))
            .chain((0..s.triggers.len()).map(|j| (None, j)));
        let loose = atoms(b, -1.0);
        let mut before = true;
        let mut beaten = None;
        for (l, j) in order {
            if (l, j) == (list, k) {
                before = false;
                continue;
            }
            let a = &own(l)[j];
            if !self.leaves(&a.goto, here) {
                continue;
            }
            let tight = atoms(a, 1.0);
            let rest_implied = tight[1..]
                .iter()
                .all(|x| loose.iter().any(|y| y.implies(x)));
            if !rest_implied {
                continue;
            }
            if before && loose.iter().any(|y| y.implies(&tight[0])) {
                return Fate::Shadowed(l, j);
            }
            match race(&tight[0], &loose[0]) {
                Some(m) if m.is_time() => return Fate::Shadowed(l, j),
                Some(m) if beaten.is_none() => beaten = Some(Fate::Beaten(l, j, m)),
                _ => {}
            }
        }
        beaten.unwrap_or(Fate::Free)
    }

    /// Whether taking `next` from scene `here` always leaves it.
    fn leaves(&self, next: &Next, here: usize) -> bool {
        let here = self.s.scenes[here].id.as_str();
        let away = |n: &Next| match n {
            Next::Scene(x) => x != here && self.scene_ids.contains_key(x.as_str()),
            Next::Ending(e) => self.ending_ids.contains_key(e.as_str()),
            _ => false,
        };
        match next {
            Next::OneOf(bs) => {
                bs.iter().any(|b| b.when.is_empty()) && bs.iter().all(|b| away(&b.to))
            }
            other => away(other),
        }
    }

    fn report_fate(&mut self, list: Option<usize>, k: usize, fate: Fate, scene: Option<usize>) {
        let (other, j, measure) = match fate {
            Fate::Free => return,
            Fate::Shadowed(l, j) => (l, j, None),
            Fate::Beaten(l, j, m) => (l, j, Some(m)),
        };
        let other_span = self.at(&format!("{}.when", trigger_path(other, j)));
        let at = self.pos(&other_span);
        let written = self.text.get(other_span).unwrap_or("").to_string();
        let whose = match (list, other, scene) {
            (None, Some(_), Some(i)) => format!(
                "in every scene one of the scene's own triggers (in `{}`, `{written}` at {at})",
                self.s.scenes[i].id
            ),
            (Some(_), None, _) => format!("the scenario-wide trigger `{written}` at {at}"),
            _ => format!("the trigger `{written}` at {at}"),
        };
        let span = self.at(&format!("{}.when", trigger_path(list, k)));
        let d = match measure {
            None => {
                let msg = format!("this trigger never fires: {whose} always fires first");
                let d = self.warning("shadowed-trigger", msg, span);
                d.label = Some(format!("always beaten by the trigger at {at}"));
                d
            }
            Some(m) => {
                let msg = format!(
                    "this trigger almost never fires: {whose} fires first as {} changes on the way here",
                    m.words()
                );
                let d = self.warning("beaten-trigger", msg, span);
                d.label = Some(format!(
                    "fires only if {} jumps past both at once",
                    m.words()
                ));
                d
            }
        };
        d.help = Some(
            "only one trigger fires at a time, checked in order: the scene's own, then the \
             scenario-wide ones. Swap the thresholds, list this one first, or give the other \
             a condition that keeps it out of this case"
                .into(),
        );
    }
}
