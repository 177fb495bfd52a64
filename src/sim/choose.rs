//! The story's seeded choices: which alternative lines or `OneOf` branch hold and win, and
//! the order and wording a scene's options are offered in. Every draw here is from the
//! story stream, in a fixed order, so a seed always tells the same story.

use super::draw::pick_weighted;
use super::state::Sim;
use crate::format::scenario::{Condition, Next};
use crate::format::variation::{Branch, LineVariant};
use rand::RngExt;
use std::sync::Arc;

impl Sim {
    /// Picks among alternatives: those whose conditions hold, then those with the most
    /// conditions, then by weight with the story's seeded stream. `None` if none holds.
    pub(super) fn choose_among<'a>(
        &mut self,
        alts: impl Iterator<Item = (&'a [Condition], f32)>,
    ) -> Option<usize> {
        let held: Vec<(usize, usize, f32)> = alts
            .enumerate()
            .filter(|(_, (c, _))| self.conditions_hold(c))
            .map(|(i, (c, w))| (i, c.len(), w))
            .collect();
        let most = held.iter().map(|h| h.1).max()?;
        let best: Vec<&(usize, usize, f32)> = held.iter().filter(|h| h.1 == most).collect();
        if best.len() == 1 {
            return Some(best[0].0);
        }
        let weights: Vec<f32> = best.iter().map(|h| h.2).collect();
        pick_weighted(&mut self.story, &weights).map(|k| best[k].0)
    }

    /// The lines to say: the base `lines` (as an alternative with no conditions) or the most
    /// specific variant that holds. No story draw when there are no variants.
    pub(super) fn pick_lines<'a>(
        &mut self,
        base: &'a [String],
        variants: &'a [LineVariant],
    ) -> &'a [String] {
        if variants.is_empty() {
            return base;
        }
        let base_alt = (!base.is_empty()).then_some((&[][..], 1.0));
        let alts = base_alt
            .into_iter()
            .chain(variants.iter().map(|v| (v.when.as_slice(), v.weight)));
        let offset = usize::from(!base.is_empty());
        match self.choose_among(alts) {
            Some(0) if offset == 1 => base,
            Some(i) => &variants[i - offset].lines,
            None => base,
        }
    }

    /// Where a `OneOf` goes now (never back into `exclude`, the scene a trigger fires in).
    pub(super) fn choose_branch<'a>(
        &mut self,
        branches: &'a [Branch],
        exclude: Option<usize>,
    ) -> Option<&'a Branch> {
        let scenario = Arc::clone(&self.scenario);
        let allowed: Vec<&'a Branch> = branches
            .iter()
            .filter(|b| !matches!((&b.to, exclude), (Next::Scene(id), Some(x)) if scenario.scenes[x].id == *id))
            .collect();
        let k = self.choose_among(allowed.iter().map(|b| (b.when.as_slice(), b.weight)))?;
        Some(allowed[k])
    }

    /// Fixes the order and wording of the scene's options for this visit (shuffled once,
    /// when they appear, if the scenario varies; the numbering then stays put).
    pub(super) fn lay_out_options(&mut self, idx: usize) {
        let scenario = Arc::clone(&self.scenario);
        let options = &scenario.scenes[idx].options;
        self.order = (0..options.len()).collect();
        let shuffle = scenario
            .variation
            .as_ref()
            .is_some_and(|v| v.shuffle_options);
        if shuffle {
            for i in (1..self.order.len()).rev() {
                let j = self.story.random_range(0..=i);
                self.order.swap(i, j);
            }
        }
        self.wording = options
            .iter()
            .map(|o| {
                if o.wordings.is_empty() {
                    0
                } else {
                    self.story.random_range(0..=o.wordings.len())
                }
            })
            .collect();
    }
}
