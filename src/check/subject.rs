//! Rules about the people: the subject (name, spawn, baselines, distances, the ideal band
//! against personal space, appearance, sensitivity, responses to each tone) and the partner
//! officer (name, spawn, when and how they talk over the trainee, their lines).

use super::validator::Validator;

impl Validator<'_> {
    pub(super) fn check_subject(&mut self) {
        let sub = &self.s.subject;
        self.non_empty("subject.name", "subject name", &sub.name);
        self.spawn("subject.spawn", "subject spawn", &sub.spawn);
        self.baselines();
        self.band_inside_space();
        self.appearance();
        self.sensitivity();
        self.tone_responses();
    }

    /// Baseline agitation and trust in 0..=100; personal space and reactionary gap >= 0.
    fn baselines(&mut self) {
        let sub = &self.s.subject;
        let p = "subject";
        let (agitation, trust) = (sub.baseline_agitation, sub.baseline_trust);
        self.in_range(
            &format!("{p}.baseline_agitation"),
            "baseline_agitation",
            agitation,
            0.0,
            100.0,
        );
        self.in_range(
            &format!("{p}.baseline_trust"),
            "baseline_trust",
            trust,
            0.0,
            100.0,
        );
        self.non_negative(
            &format!("{p}.personal_space"),
            "personal_space",
            sub.personal_space,
        );
        self.non_negative(
            &format!("{p}.reactionary_gap"),
            "reactionary_gap",
            sub.reactionary_gap,
        );
    }

    /// `band-inside-space`: the ideal distance band starts where the subject feels crowded.
    /// (A reactionary gap larger than personal space is normal: an edged weapon's 21-foot
    /// rule; what makes no sense is scoring a trainee for standing where the subject feels
    /// crowded.)
    fn band_inside_space(&mut self) {
        let sub = &self.s.subject;
        let (band_lo, _) = self.s.scoring.ideal_distance;
        if !(sub.personal_space.is_finite()
            && band_lo.is_finite()
            && band_lo >= 0.0
            && band_lo < sub.personal_space)
        {
            return;
        }
        let span = self.at("scoring.ideal_distance");
        let d = self.warning(
            "band-inside-space",
            format!(
                "the ideal distance band starts at {band_lo} m, \
                 inside {}'s personal space ({} m)",
                sub.name, sub.personal_space
            ),
            span,
        );
        d.label = Some("starts inside personal space".into());
        d.help = Some(
            "trainees would be scored as ideal while the subject feels crowded; \
             start the band at or beyond personal_space"
                .into(),
        );
    }

    fn appearance(&mut self) {
        let a = &self.s.subject.appearance;
        let ap = "subject.appearance";
        self.positive(&format!("{ap}.height"), "appearance height", a.height);
        self.in_range(
            &format!("{ap}.build"),
            "appearance build",
            a.build,
            0.0,
            1.0,
        );
        self.colour(&format!("{ap}.skin"), "skin colour", a.skin);
        self.colour(&format!("{ap}.top"), "top colour", a.top);
        self.colour(&format!("{ap}.trousers"), "trousers colour", a.trousers);
        self.colour(&format!("{ap}.hair"), "hair colour", a.hair);
    }

    /// Each sensitivity not negative (silence: finite), settle in 0..=1.
    fn sensitivity(&mut self) {
        let se = &self.s.subject.sensitivity;
        let sp = "subject.sensitivity";
        for (name, v) in [
            ("proximity", se.proximity),
            ("fast_approach", se.fast_approach),
            ("fast_approach_speed", se.fast_approach_speed),
        ] {
            self.non_negative(&format!("{sp}.{name}"), &format!("sensitivity {name}"), v);
        }
        self.finite(&format!("{sp}.silence"), "sensitivity silence", se.silence);
        for (name, v) in [("silence_after", se.silence_after), ("weapon", se.weapon)] {
            self.non_negative(&format!("{sp}.{name}"), &format!("sensitivity {name}"), v);
        }
        self.in_range(
            &format!("{sp}.settle"),
            "sensitivity settle",
            se.settle,
            0.0,
            1.0,
        );
    }

    /// Each tone's change of agitation and trust in -100..=100.
    fn tone_responses(&mut self) {
        let t = &self.s.subject.tones;
        for (name, r) in [
            ("calm", t.calm),
            ("neutral", t.neutral),
            ("firm", t.firm),
            ("commanding", t.commanding),
            ("shouting", t.shouting),
        ] {
            let p = format!("subject.tones.{name}");
            let what = format!("{name} tone");
            self.delta(
                &format!("{p}.agitation"),
                &format!("{what} agitation"),
                r.agitation,
            );
            self.delta(&format!("{p}.trust"), &format!("{what} trust"), r.trust);
        }
    }

    pub(super) fn check_partner(&mut self) {
        let Some(p) = &self.s.partner else { return };
        self.non_empty("partner.name", "partner name", &p.name);
        self.spawn("partner.spawn", "partner spawn", &p.spawn);
        self.in_range(
            "partner.talks_over_above",
            "talks_over_above",
            p.talks_over_above,
            0.0,
            100.0,
        );
        self.delta(
            "partner.talk_over_agitation",
            "talk_over_agitation",
            p.talk_over_agitation,
        );
        for (i, l) in p.lines.iter().enumerate() {
            self.non_empty(&format!("partner.lines[{i}]"), "partner line", l);
        }
    }
}
