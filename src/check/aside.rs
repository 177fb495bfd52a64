//! Checks of the answers to asides (an option's `answer` and `answer_by`): an answer only on
//! an aside, a partner to say it when the partner is to answer, nobody named with no words,
//! and no empty answer or speaker's name.

use super::validator::Validator;
use crate::format::scenario::{Answerer, Choice};

impl<'a> Validator<'a> {
    pub(super) fn check_asides(&mut self) {
        let s = self.s;
        for (i, scene) in s.scenes.iter().enumerate() {
            for (j, o) in scene.options.iter().enumerate() {
                self.aside_answer(&format!("scenes[{i}].options[{j}]"), o);
            }
        }
    }

    fn aside_answer(&mut self, op: &str, o: &Choice) {
        for (k, line) in o.answer.iter().enumerate() {
            self.non_empty(&format!("{op}.answer[{k}]"), "aside answer", line);
        }
        if !o.answer.is_empty() && !o.aside {
            let span = self.key(&format!("{op}.answer"));
            let d = self.error(
                "answer-not-aside",
                format!(
                    "option `{}` has an `answer` but is not an aside: the subject answers \
                     a line said to them (`reply`)",
                    o.id
                ),
                span,
            );
            d.label = Some("only for `aside: true`".into());
            d.help = Some(
                "add `aside: true` if the line is said to the partner or the radio, \
                 or write the subject's answer as `reply`"
                    .into(),
            );
        }
        let Some(by) = &o.answer_by else { return };
        let path = format!("{op}.answer_by");
        match by {
            Answerer::Partner if self.s.partner.is_none() => {
                let span = self.at(&path);
                let d = self.error(
                    "answer-no-partner",
                    format!(
                        "option `{}` is answered by the partner, but this scenario has no `partner`",
                        o.id
                    ),
                    span,
                );
                d.label = Some("no partner to answer".into());
                d.help =
                    Some("add a `partner`, or let Control answer with `answer_by: Radio`".into());
            }
            Answerer::Bystander(name) => self.non_empty(&path, "the name of who answers", name),
            _ => {}
        }
        if o.answer.is_empty() {
            let span = self.key(&path);
            let d = self.warning(
                "answer-by-unanswered",
                format!("option `{}` says who answers it but has no `answer`", o.id),
                span,
            );
            d.label = Some("nobody answers".into());
            d.help = Some("write what they say: `answer: [\"Copy.\"]`".into());
        }
    }
}
