//! Rules about scoring: the ideal distance band (not negative, in (min, max) order) and the
//! weights (not negative, not all zero).

use super::validator::Validator;

impl Validator<'_> {
    pub(super) fn check_scoring(&mut self) {
        self.ideal_distance();
        self.weights();
    }

    fn ideal_distance(&mut self) {
        let (lo, hi) = self.s.scoring.ideal_distance;
        self.non_negative("scoring.ideal_distance[0]", "ideal_distance minimum", lo);
        self.non_negative("scoring.ideal_distance[1]", "ideal_distance maximum", hi);
        if lo.is_finite() && hi.is_finite() && lo > hi {
            let span = self.at("scoring.ideal_distance");
            let d = self.error(
                "inverted-range",
                format!("ideal_distance minimum ({lo}) is larger than its maximum ({hi})"),
                span,
            );
            d.label = Some("(min, max) in the wrong order".into());
            d.help = Some(format!("write ({hi}, {lo})"));
        }
    }

    fn weights(&mut self) {
        let w = &self.s.scoring.weights;
        let all = [
            ("distance", w.distance),
            ("time", w.time),
            ("tone", w.tone),
            ("verbal", w.verbal),
        ];
        for (name, v) in all {
            self.non_negative(
                &format!("scoring.weights.{name}"),
                &format!("weight `{name}`"),
                v,
            );
        }
        if all.iter().all(|(_, v)| *v == 0.0) {
            let span = self.key("scoring.weights");
            let d = self.error(
                "no-weights",
                "all scoring weights are zero: nothing would be scored",
                span,
            );
            d.label = Some("all zero".into());
            d.help =
                Some("give at least one of distance, time, tone, verbal a positive weight".into());
        }
    }
}
