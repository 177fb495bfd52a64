//! Rules about the scenario as a whole: its id, title, briefing and objectives, its expected
//! and limit times, and that it has at least two endings.

use super::validator::Validator;
use crate::format::words::plural;

impl Validator<'_> {
    pub(super) fn check_top(&mut self) {
        let s = self.s;
        self.non_empty("id", "scenario id", &s.id);
        self.non_empty("title", "title", &s.title);
        self.non_empty("briefing", "briefing", &s.briefing);
        self.objectives();
        self.positive("expected_minutes", "expected_minutes", s.expected_minutes);
        self.positive(
            "time_limit_minutes",
            "time_limit_minutes",
            s.time_limit_minutes,
        );
        self.time_limit_before_expected();
        self.few_endings();
    }

    /// `no-objectives`, and each objective's text.
    fn objectives(&mut self) {
        let s = self.s;
        if s.objectives.is_empty() {
            let span = self.key("objectives");
            let d = self.warning("no-objectives", "the scenario has no objectives", span);
            d.label = Some("no learning objectives".into());
            d.help = Some(
                "list what the trainee should practise, \
                 e.g. `objectives: [\"Introduce yourself\"],`"
                    .into(),
            );
        }
        for (i, o) in s.objectives.iter().enumerate() {
            self.non_empty(&format!("objectives[{i}]"), "objective", o);
        }
    }

    /// `time-limit`: the run is cut off before a good run usually ends.
    fn time_limit_before_expected(&mut self) {
        let s = self.s;
        if !(s.expected_minutes.is_finite()
            && s.time_limit_minutes.is_finite()
            && s.expected_minutes > 0.0
            && s.time_limit_minutes > 0.0
            && s.time_limit_minutes < s.expected_minutes)
        {
            return;
        }
        let span = self.at("time_limit_minutes");
        let d = self.warning(
            "time-limit",
            format!(
                "time_limit_minutes ({}) is shorter than expected_minutes ({})",
                s.time_limit_minutes, s.expected_minutes
            ),
            span,
        );
        d.label = Some("the run is cut off before a good run usually ends".into());
        d.help = Some(format!(
            "raise time_limit_minutes to at least {} (it defaults to 20)",
            s.expected_minutes
        ));
    }

    /// `few-endings`: fewer than two.
    fn few_endings(&mut self) {
        let n = self.s.endings.len();
        if n >= 2 {
            return;
        }
        let span = self.key("endings");
        let d = self.warning(
            "few-endings",
            format!("the scenario has only {n} ending{}", plural(n)),
            span,
        );
        d.label = Some("fewer than two endings".into());
        d.help = Some("give trainees at least a good and a bad outcome".into());
    }
}
