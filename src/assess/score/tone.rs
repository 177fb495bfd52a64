//! The tone dimension: a voice that fits each moment. The partner talking over (ICAT's one
//! voice), each line's tone against the tones that fit it, raised voices at high agitation
//! or with a person in crisis, a calm voice kept while agitated, and the share that fit.

use super::{Dimension, DimensionScore, in_crisis, quote};
use crate::format::scenario::{Choice, Scenario};
use crate::format::vocab::Tone;
use crate::sim::{Event, EventKind, SimResult};

pub(super) fn tone_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Tone,
        90.0,
        "Starting point: the last 10 points are earned by a voice that fits each moment",
        weight,
    );
    let mut voice = Voice {
        vulnerable: in_crisis(scenario),
        ..Voice::default()
    };
    for (i, e) in r.events.iter().enumerate() {
        if let EventKind::PartnerTalksOver { line } = &e.kind {
            partner_item(&mut d, i, e, line);
        } else {
            voice.line(&mut d, scenario, i, e);
        }
    }
    voice.share_item(&mut d);
    d
}

/// ICAT's one voice. The partner talks over when the trainee's line leaves agitation above
/// the partner's threshold, so it follows the heat of the moment (which the voice drives
/// most) rather than the words; the words that prevent it (asking the partner to step
/// back) earn their verbal points.
fn partner_item(d: &mut DimensionScore, i: usize, e: &Event, line: &str) {
    d.add(
        -4.0,
        format!(
            "Two voices at once: your partner talked over you ({}) — ICAT's one-voice rule; asking them to step back stops it",
            quote(line)
        ),
        Some(e.t),
        Some(i),
    );
}

/// The lines judged so far (not asides) and how many were said in a tone that fits.
#[derive(Default)]
struct Voice {
    vulnerable: bool,
    calm_credit: f32,
    judged: u32,
    fitting: u32,
}

impl Voice {
    /// Event `i`, if it is a line said to the subject: its tone judged.
    fn line(&mut self, d: &mut DimensionScore, scenario: &Scenario, i: usize, e: &Event) {
        let EventKind::Utterance {
            scene,
            option,
            text,
            tone,
            agitation_before: a,
            ..
        } = &e.kind
        else {
            return;
        };
        let opt = scenario
            .scene(scene)
            .and_then(|s| s.options.iter().find(|o| &o.id == option));
        if opt.is_some_and(|o| o.aside) {
            return; // said to the partner or the radio
        }
        self.judged += 1;
        let fitting = opt
            .map(|o| o.fitting_tones())
            .unwrap_or_else(|| vec![Tone::Calm, Tone::Neutral]);
        let fits = fitting.contains(tone);
        if fits {
            self.fitting += 1;
        } else {
            misfit_item(d, i, e, text, *tone, &fitting);
        }
        self.intensity_item(d, i, e, opt, *tone, fits, *a);
    }

    /// A raised voice at high agitation (or with a person in crisis) costs; a calm one
    /// that fits while agitated earns (up to 6). A tone the author chose for this exact
    /// moment (e.g. a firm "Stop!") is not judged by agitation.
    fn intensity_item(
        &mut self,
        d: &mut DimensionScore,
        i: usize,
        e: &Event,
        opt: Option<&Choice>,
        tone: Tone,
        fits: bool,
        a: f32,
    ) {
        let authored = opt.is_some_and(|o| o.tones.contains(&tone));
        let vulnerable = self.vulnerable;
        let (points, reason) = match tone {
            Tone::Shouting => (
                if a >= 60.0 || vulnerable {
                    -14.0
                } else {
                    -10.0
                },
                format!("Shouted at agitation {a:.0}: a raised voice is read as a threat"),
            ),
            Tone::Commanding if !authored && (a >= 60.0 || vulnerable) => (
                -8.0,
                if a >= 60.0 {
                    format!("Commanding tone while agitation was high ({a:.0})")
                } else {
                    format!("Commanding tone with a person in crisis (agitation {a:.0})")
                },
            ),
            Tone::Firm if !authored && a >= 70.0 => (
                -4.0,
                format!(
                    "Firm voice while agitation was very high ({a:.0}): firmness reads as pressure here"
                ),
            ),
            Tone::Calm if fits && a >= 50.0 && self.calm_credit < 6.0 => {
                self.calm_credit += 2.0;
                (2.0, format!("Kept a calm voice while agitation was {a:.0}"))
            }
            _ => return,
        };
        d.add(points, reason, Some(e.t), Some(i));
    }

    /// The share of judged lines said in a fitting tone; with none judged, the dimension
    /// sits at the midpoint.
    fn share_item(&self, d: &mut DimensionScore) {
        if self.judged == 0 {
            d.base = 50.0;
            d.base_reason =
                "Nothing was said to the subject: tone could not be shown, so this sits at the midpoint"
                    .into();
        } else {
            let share = self.fitting as f32 / self.judged as f32;
            d.add(
                8.0 * share,
                format!(
                    "{} of {} lines said in a tone that fits them",
                    self.fitting, self.judged
                ),
                None,
                None,
            );
        }
    }
}

/// A line said in a tone that does not fit it, costing 3 per step of intensity away from
/// the nearest that does.
fn misfit_item(
    d: &mut DimensionScore,
    i: usize,
    e: &Event,
    text: &str,
    tone: Tone,
    fitting: &[Tone],
) {
    let gap = fitting
        .iter()
        .map(|t| (t.intensity() as i32 - tone.intensity() as i32).unsigned_abs())
        .min()
        .unwrap_or(1) as f32;
    let best = fitting
        .iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join(" or ");
    d.add(
        -3.0 * gap,
        format!("Said {} in a {tone} voice; it fits {best}", quote(text)),
        Some(e.t),
        Some(i),
    );
}
