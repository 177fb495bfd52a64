//! Rules about the story's parts: each scene (id, lines, a way out), each option of a scene
//! (indicators it recognises, text, effects, conditions, where it leads, tone branches),
//! the start scene and timeout ending, and each ending and inject.

use super::validator::Validator;
use crate::format::scenario::{Choice, Scene};

impl<'a> Validator<'a> {
    pub(super) fn check_scenes(&mut self) {
        for (i, scene) in self.s.scenes.iter().enumerate() {
            self.check_scene(i, scene);
        }
        let start = &self.s.start_scene;
        if !self.scene_ids.contains_key(start.as_str()) {
            let span = self.payload("start_scene");
            self.unknown_target("unknown-scene", "start_scene", start, span, true);
        }
        let timeout = &self.s.timeout_ending;
        if !self.ending_ids.contains_key(timeout.as_str()) {
            let span = self.payload("timeout_ending");
            self.unknown_target("unknown-ending", "timeout_ending", timeout, span, false);
        }
    }

    fn check_scene(&mut self, i: usize, scene: &'a Scene) {
        let sp = format!("scenes[{i}]");
        self.non_empty(&format!("{sp}.id"), "scene id", &scene.id);
        self.scene_lines(&sp, scene);
        self.scene_exits(&sp, scene);
        for (j, opt) in scene.options.iter().enumerate() {
            self.check_option(&format!("{sp}.options[{j}]"), opt);
        }
        for (k, t) in scene.triggers.iter().enumerate() {
            self.check_trigger(Some(i), k, t);
        }
    }

    /// A scene has at least one line, and none is empty.
    fn scene_lines(&mut self, sp: &str, scene: &Scene) {
        if scene.lines.is_empty() {
            let span = self.at(&format!("{sp}.lines"));
            let d = self.error(
                "empty-text",
                format!("scene `{}` has no lines", scene.id),
                span,
            );
            d.label = Some("no lines".into());
            d.help = Some("give the subject at least one line to say on entering the scene".into());
        }
        for (k, line) in scene.lines.iter().enumerate() {
            self.non_empty(&format!("{sp}.lines[{k}]"), "line", line);
        }
    }

    /// `no-exits`: a scene with no options and no triggers.
    fn scene_exits(&mut self, sp: &str, scene: &Scene) {
        if !(scene.options.is_empty() && scene.triggers.is_empty()) {
            return;
        }
        let span = self.payload(&format!("{sp}.id"));
        let d = self.error(
            "no-exits",
            format!("scene `{}` has no options and no triggers", scene.id),
            span,
        );
        d.label = Some("the trainee can do nothing here".into());
        d.help = Some(
            "add `options: [...]` the trainee can say, or `triggers: [...]` that move the \
             story on"
                .into(),
        );
    }

    /// Every rule about one option of a scene (at `op`, `scenes[i].options[j]`), in order.
    fn check_option(&mut self, op: &str, opt: &Choice) {
        self.recognised_indicators(op, opt);
        self.non_empty(&format!("{op}.id"), "option id", &opt.id);
        self.non_empty(&format!("{op}.text"), "option text", &opt.text);
        self.delta(
            &format!("{op}.agitation"),
            "option agitation",
            opt.agitation,
        );
        self.delta(&format!("{op}.trust"), "option trust", opt.trust);
        self.finite(&format!("{op}.weight"), "option weight", opt.weight);
        for (r, cond) in opt.requires.iter().enumerate() {
            self.check_condition(&format!("{op}.requires[{r}]"), cond);
        }
        self.check_next(&format!("{op}.next"), &opt.next);
        for (k, reply) in opt.reply.iter().enumerate() {
            self.non_empty(&format!("{op}.reply[{k}]"), "reply", reply);
        }
        self.tone_branches(op, opt);
    }

    /// `unlisted-indicator`: an option recognises an indicator the subject does not show.
    fn recognised_indicators(&mut self, op: &str, opt: &Choice) {
        for (r, ind) in opt.recognises.iter().enumerate() {
            if self.s.subject.indicators.contains(ind) {
                continue;
            }
            let span = self.at(&format!("{op}.recognises[{r}]"));
            let d = self.warning(
                "unlisted-indicator",
                format!(
                    "this option recognises {ind:?}, but the subject's `indicators` do not include it"
                ),
                span,
            );
            d.label = Some("not one of the subject's indicators".into());
            d.help = Some(format!(
                "add {ind:?} to `subject.indicators`, or remove it here"
            ));
        }
    }

    /// Each tone branch leads somewhere that exists, with effects in range.
    fn tone_branches(&mut self, op: &str, opt: &Choice) {
        for (b, br) in opt.tone_branches.iter().enumerate() {
            let bp = format!("{op}.tone_branches[{b}]");
            self.check_next(&format!("{bp}.next"), &br.next);
            self.delta(
                &format!("{bp}.agitation"),
                "tone branch agitation",
                br.agitation,
            );
            self.delta(&format!("{bp}.trust"), "tone branch trust", br.trust);
        }
    }

    pub(super) fn check_endings_and_injects(&mut self) {
        for (i, e) in self.s.endings.iter().enumerate() {
            let p = format!("endings[{i}]");
            self.non_empty(&format!("{p}.id"), "ending id", &e.id);
            self.non_empty(&format!("{p}.title"), "ending title", &e.title);
            self.non_empty(&format!("{p}.summary"), "ending summary", &e.summary);
            if let Some(line) = &e.line {
                self.non_empty(&format!("{p}.line"), "ending line", line);
            }
        }
        for (i, inj) in self.s.injects.iter().enumerate() {
            let p = format!("injects[{i}]");
            self.non_empty(&format!("{p}.id"), "inject id", &inj.id);
            self.non_empty(&format!("{p}.label"), "inject label", &inj.label);
            self.non_empty(&format!("{p}.line"), "inject line", &inj.line);
            self.delta(&format!("{p}.agitation"), "inject agitation", inj.agitation);
            self.delta(&format!("{p}.trust"), "inject trust", inj.trust);
        }
    }
}
