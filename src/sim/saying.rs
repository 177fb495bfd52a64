//! Saying a line: the option looked up among those offered, the subject's reaction to its
//! tone and words (fading when repeated), the `Utterance` event, indicators recognised, the
//! partner's reaction, the subject's reply and act, and where the line leads.

use super::events::EventKind;
use super::state::Sim;
use super::{SimError, clamp100};
use crate::format::scenario::{Choice, Partner, Scene, ToneBranch};
use crate::format::vocab::{Indicator, Tag, Tone};
use rand::RngExt;
use std::sync::Arc;

impl Sim {
    /// How many times option `opt` of scene `scene` was said before, counting this time.
    pub(super) fn repeats(&mut self, scene: usize, opt: usize) -> u32 {
        let key = (scene as u32, opt as u32);
        match self.said.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                self.said.push((key, 1));
                0
            }
        }
    }

    /// Says option `option_id` of the current scene in `tone`. The steps run in this order,
    /// which is the order of the run's draws: the subject hears the line, the story's way on
    /// is checked, the line is told, then the partner reacts and the subject replies.
    pub(super) fn say(&mut self, option_id: &str, tone: Tone) -> Result<(), SimError> {
        let scenario = Arc::clone(&self.scenario);
        let scene = &scenario.scenes[self.scene];
        let idx = self.offered_index(scene, option_id)?;
        let opt = &scene.options[idx];
        let before = (self.agitation, self.trust);
        let branch = opt.tone_branches.iter().find(|b| b.tones.contains(&tone));
        let fits = opt.aside || opt.fitting_tones().contains(&tone);
        let tone_effect = self.tone_effect(opt, tone, branch, before.0);
        self.hear(idx, opt, tone_effect, before);
        self.change_flags(&opt.clears, &opt.sets);
        self.change_flags(&[], branch.map_or(&[][..], |b| &b.sets));
        // Which way the story goes: a tone branch wins over the plain next.
        let next = branch.map(|b| &b.next).unwrap_or(&opt.next);
        self.resolve_ids(next)?;
        let a_after_words = self.agitation;
        self.announce(scene, idx, tone, fits, branch, before);
        self.recognise(&opt.recognises);
        self.partner_reacts(opt, scenario.partner.as_ref(), a_after_words);
        self.reply(opt, branch);
        let target = self.take(next, None)?;
        self.go(target);
        Ok(())
    }

    /// Index of option `option_id` of `scene` if it is offered now.
    fn offered_index(&self, scene: &Scene, option_id: &str) -> Result<usize, SimError> {
        let offered = self.offered();
        offered
            .iter()
            .copied()
            .find(|&i| scene.options[i].id == option_id)
            .ok_or_else(|| self.not_offered(option_id))
    }

    /// The change in (agitation, trust) the tone of the line makes: the subject's own
    /// reaction to it (none for an aside), a penalty for a tone that does not fit the line,
    /// and the tone branch's own numbers.
    fn tone_effect(
        &self,
        opt: &Choice,
        tone: Tone,
        branch: Option<&ToneBranch>,
        a0: f32,
    ) -> (f32, f32) {
        let (mut tone_da, mut tone_dt) = (0.0, 0.0);
        if !opt.aside {
            // Tone: the subject's own reaction to it, stronger when already agitated…
            let r = self.met.subject.tones.get(tone);
            tone_da = if r.agitation > 0.0 {
                r.agitation * (0.5 + a0 / 100.0)
            } else {
                r.agitation
            };
            tone_dt = r.trust;
            // …plus a penalty for a tone that does not fit the line.
            let fitting = opt.fitting_tones();
            if !fitting.contains(&tone) {
                let gap = fitting
                    .iter()
                    .map(|t| (t.intensity() as i32 - tone.intensity() as i32).unsigned_abs())
                    .min()
                    .unwrap_or(0) as f32;
                tone_da += 2.0 * gap;
                tone_dt -= gap;
            }
        }
        if let Some(b) = branch {
            tone_da += b.agitation;
            tone_dt += b.trust;
        }
        (tone_da, tone_dt)
    }

    /// The subject hears the line: its tone and words move agitation and trust (from the
    /// values `before` it), fading when the option was said before.
    fn hear(&mut self, idx: usize, opt: &Choice, tone: (f32, f32), before: (f32, f32)) {
        let ((mut tone_da, tone_dt), (a0, t0)) = (tone, before);
        // Saying the same thing again helps less each time (half, a quarter, …);
        // escalating words keep their full force.
        let said_before = self.repeats(self.scene, idx);
        let fade = 0.5f32.powi(said_before as i32);
        let (words_da, words_dt) = words_effect(opt, t0, fade);
        if tone_da < 0.0 {
            tone_da *= fade;
        }
        self.agitation = clamp100(a0 + tone_da + words_da);
        self.causes.tone += tone_da;
        self.causes.words += words_da;
        self.trust = clamp100(t0 + tone_dt + words_dt);
        self.last_spoke = self.tick;
    }

    /// The `Utterance` event: what was said, how, and what it did (`before` → now).
    fn announce(
        &mut self,
        scene: &Scene,
        idx: usize,
        tone: Tone,
        fits: bool,
        branch: Option<&ToneBranch>,
        before: (f32, f32),
    ) {
        let opt = &scene.options[idx];
        let why = branch
            .and_then(|b| b.why.clone())
            .or_else(|| opt.why.clone());
        let text = self.option_text(idx).to_string();
        self.push(EventKind::Utterance {
            scene: scene.id.clone(),
            option: opt.id.clone(),
            text,
            tone,
            tags: opt.tags.clone(),
            tone_fits: fits,
            agitation_before: before.0,
            agitation_after: self.agitation,
            trust_before: before.1,
            trust_after: self.trust,
            why,
        });
    }

    /// Indicators the line shows the trainee recognised, each told once per run.
    fn recognise(&mut self, indicators: &[Indicator]) {
        for ind in indicators {
            if !self.recognised.contains(ind) {
                self.recognised.push(*ind);
                self.push(EventKind::IndicatorRecognised { indicator: *ind });
            }
        }
    }

    /// The partner's reaction to the line: asked to, they step back; otherwise, ICAT "one
    /// voice": a partner who talks over the trainee (above their level) escalates.
    fn partner_reacts(&mut self, opt: &Choice, partner: Option<&Partner>, a_after_words: f32) {
        if opt.tags.contains(&Tag::AskPartnerStepBack) && !self.partner_back {
            self.partner_back = true;
            self.push(EventKind::PartnerSteppedBack);
        }
        self.answer_aside(opt);
        if let Some(p) = partner
            && p.talks_over
            && !self.partner_back
            && a_after_words > p.talks_over_above
        {
            let line = if p.lines.is_empty() {
                "Do what the officer says!".to_string()
            } else {
                p.lines[self.rng.random_range(0..p.lines.len())].clone()
            };
            self.push(EventKind::PartnerTalksOver { line });
            let before = self.agitation;
            self.agitation = clamp100(self.agitation + p.talk_over_agitation);
            self.causes.partner += self.agitation - before;
        }
    }

    /// The subject's reply to the line and the act it (or its tone branch) brings, unless
    /// the run has ended.
    fn reply(&mut self, opt: &Choice, branch: Option<&ToneBranch>) {
        let reply = self.pick_lines(&opt.reply, &opt.reply_variants);
        if !reply.is_empty() && self.ending.is_none() {
            let i = self.rng.random_range(0..reply.len());
            self.say_subject(reply[i].clone());
        }
        if self.ending.is_none() {
            self.perform(branch.map_or(opt.act, |b| b.act.or(opt.act)));
        }
    }
}

/// The change in (agitation, trust) the words make, faded by `fade`: calming words land
/// better with trust (`t0`, before the line); escalating words keep their full force.
fn words_effect(opt: &Choice, t0: f32, fade: f32) -> (f32, f32) {
    let words_da = if opt.agitation < 0.0 {
        opt.agitation * (0.75 + t0 / 200.0) * fade
    } else {
        opt.agitation
    };
    let words_dt = if opt.trust > 0.0 {
        opt.trust * fade
    } else {
        opt.trust
    };
    (if words_da.is_finite() { words_da } else { 0.0 }, words_dt)
}
