//! The debrief's reflection on ICAT's Critical Decision-Making Model: for each of its five
//! steps, what this run shows (facts counted from the events) and a question to discuss.
//! One function per step.

use super::words::{capital, metres, seconds};
use super::{CdmStep, IndicatorNote, distance_at};
use crate::assess::score::clock;
use crate::format::scenario::Scenario;
use crate::format::vocab::{Outcome, StairStep, Tag, Tone};
use crate::format::words::plural;
use crate::sim::{Event, EventKind, Measure, SimResult};

pub(super) fn cdm(
    scenario: &Scenario,
    r: &SimResult,
    indicators: &[IndicatorNote],
) -> Vec<CdmStep> {
    let name = &scenario.subject.name;
    vec![
        CdmStep {
            step: "Collect information".into(),
            observations: collect_information(r, name),
            question: format!("What did you know about {name} when you arrived, and what did you learn from them before acting?"),
        },
        CdmStep {
            step: "Assess situation, threats and risks".into(),
            observations: assess_risks(scenario, r, indicators),
            question: "Which signs told you how much risk there was, and how did your position reflect that?".into(),
        },
        CdmStep {
            step: "Consider police powers and policy".into(),
            observations: police_powers(r),
            question: "Which powers did you need here, and which would have made things worse?".into(),
        },
        CdmStep {
            step: "Identify options and determine the best course of action".into(),
            observations: options(scenario, r),
            question: format!("What options did {name} have at each point, and did they know them?"),
        },
        CdmStep {
            step: "Act, review and re-assess".into(),
            observations: review(r, name),
            question: "When things got worse, what did you change — and what would you change next time?".into(),
        },
    ]
}

/// Step 1, Collect information: how much listening came before the first request.
fn collect_information(r: &SimResult, name: &str) -> Vec<String> {
    let first_influence = r
        .events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Utterance { tags, .. } if tags.iter().any(|t| t.stair_steps().contains(&StairStep::Influence))))
        .map(|e| e.t)
        .unwrap_or(f32::INFINITY);
    let listening = count_tags(
        r,
        |t| t.stair_steps().contains(&StairStep::Listen),
        first_influence,
    );
    let utterances = count_tags(r, |_| true, f32::INFINITY);
    vec![if utterances == 0 {
        format!("Nothing was said to {name}, so nothing was learned from them.")
    } else if first_influence.is_finite() {
        format!(
            "Before first asking {name} to do something (at {}), you used {listening} listening move{} (open questions, active listening, paraphrase).",
            clock(first_influence),
            plural(listening)
        )
    } else {
        format!(
            "You never asked {name} to do anything; {} listening move{} gathered what they were going through.",
            listening,
            plural(listening)
        )
    }]
}

/// Step 2, Assess situation, threats and risks: indicators recognised or not, the weapon and
/// where the trainee stood, fast approaches.
fn assess_risks(scenario: &Scenario, r: &SimResult, indicators: &[IndicatorNote]) -> Vec<String> {
    let mut assess = Vec::new();
    for n in indicators {
        assess.push(match n.recognised_at {
            Some(t) => format!("You recognised {} at {}.", n.indicator.label(), clock(t)),
            None => format!(
                "{}: present, but never acknowledged.",
                capital(n.indicator.label())
            ),
        });
    }
    assess.extend(weapon_assessment(scenario, r));
    let fast = count(r, |e| matches!(e.kind, EventKind::FastApproach { .. }));
    if fast > 0 {
        assess.push(format!("You closed in fast {fast} time{}.", plural(fast)));
    }
    assess
}

/// Step 3, Consider police powers and policy: commands and threats, the trainee's weapon, force.
fn police_powers(r: &SimResult) -> Vec<String> {
    let mut powers = Vec::new();
    let commands = count_tags(r, |t| matches!(t, Tag::Command), f32::INFINITY);
    let threats = count_tags(r, |t| matches!(t, Tag::Threat), f32::INFINITY);
    if commands + threats == 0 {
        powers.push("You did not rely on commands or threats.".to_string());
    } else {
        powers.push(format!(
            "You gave {commands} command{} and made {threats} threat{}.",
            plural(commands),
            plural(threats)
        ));
    }
    powers.extend(weapon_powers(r));
    if let Some(o) = r.outcome
        && o == Outcome::ForceUsed
    {
        powers.push("The contact ended with force being used.".into());
    }
    powers
}

/// Step 4, Identify options: choices offered, support called, pauses, and the partner's voice.
fn options(scenario: &Scenario, r: &SimResult) -> Vec<String> {
    let name = &scenario.subject.name;
    let offered = count_tags(r, |t| matches!(t, Tag::OfferOptions), f32::INFINITY);
    let support = count_tags(r, |t| matches!(t, Tag::CallSupport), f32::INFINITY);
    let pauses = count(r, |e| matches!(e.kind, EventKind::TacticalPause { .. }));
    let mut options = vec![format!(
        "You offered {name} choices {offered} time{}, called for support {support} time{}, and took {pauses} tactical pause{}.",
        plural(offered),
        plural(support),
        plural(pauses)
    )];
    if scenario.partner.is_some() {
        options.push(one_voice(r));
    }
    options
}

/// Whether the partner was asked to step back, and how often they talked over the trainee.
fn one_voice(r: &SimResult) -> String {
    let talked_over = count(r, |e| matches!(e.kind, EventKind::PartnerTalksOver { .. }));
    let back = r
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::PartnerSteppedBack));
    match back {
        Some(e) => format!(
            "You asked your partner to step back at {} (one voice); before that they talked over you {talked_over} time{}.",
            clock(e.t),
            plural(talked_over)
        ),
        None => format!(
            "Your partner was never asked to step back and talked over you {talked_over} time{}.",
            plural(talked_over)
        ),
    }
}

/// How the trainee answered each time agitation climbed past 50 or 75.
#[derive(Default)]
struct Rises {
    rises: usize,
    /// Answered with a calmer voice, a pause or more distance.
    adjusted: usize,
    /// Not answered at all: nothing more said, no step back.
    unanswered: usize,
}

/// Step 5, Act, review and re-assess: what happened after agitation crossed a level upwards,
/// and what raised it most.
fn review(r: &SimResult, name: &str) -> Vec<String> {
    let rises = rises(r);
    let peak = r.samples.iter().map(|s| s.agitation).fold(0.0f32, f32::max);
    let start = r.samples.first().map_or(0.0, |s| s.agitation);
    let mut review = vec![if rises.rises == 0 && peak < 50.0 {
        format!("{name}'s agitation never climbed past 50.")
    } else if rises.rises == 0 {
        format!(
            "{name}'s agitation was already {start:.0} when you arrived and peaked at {peak:.0}, without a fresh climb past 50 or 75 to answer."
        )
    } else {
        answered(&rises)
    }];
    review.extend(drivers(r, name));
    review
}

/// Each rise past 50 or 75, and whether what the trainee did next answered it.
fn rises(r: &SimResult) -> Rises {
    let mut out = Rises::default();
    let mut prev_tone: Option<Tone> = None;
    for (i, e) in r.events.iter().enumerate() {
        if let EventKind::Utterance { tone, .. } = &e.kind {
            prev_tone = Some(*tone);
        }
        if let EventKind::Threshold {
            measure: Measure::Agitation,
            rising: true,
            level,
        } = e.kind
            && level >= 50.0
        {
            out.rises += 1;
            let next = r.events[i + 1..].iter().find_map(|x| match &x.kind {
                EventKind::Utterance { tone, .. } => Some(Some(*tone)),
                EventKind::TacticalPause { .. } => Some(None),
                _ => None,
            });
            let d_before = distance_at(&r.samples, e.t);
            let d_after = distance_at(&r.samples, e.t + 10.0);
            let calmer = match (next, prev_tone) {
                (Some(None), _) => true,
                (Some(Some(n)), Some(p)) => n.intensity() < p.intensity() || n == Tone::Calm,
                (Some(Some(n)), None) => n == Tone::Calm,
                _ => false,
            };
            if calmer || d_after > d_before + 1.0 {
                out.adjusted += 1;
            } else if next.is_none() && d_after >= d_before - 1.0 {
                out.unanswered += 1;
            }
        }
    }
    out
}

/// How the rises were answered, in a sentence.
fn answered(r: &Rises) -> String {
    let Rises {
        rises,
        adjusted,
        unanswered,
    } = *r;
    if rises == 1 {
        if adjusted == 1 {
            "Agitation climbed past 50 or 75 once, and you answered with a calmer voice, a pause or more distance."
                .to_string()
        } else if unanswered == 1 {
            "Agitation climbed past 50 or 75 once, and nothing answered it: you said nothing more and did not step back."
                .to_string()
        } else {
            "Agitation climbed past 50 or 75 once, and the next thing you did was not a calmer voice, a pause or more distance."
                .to_string()
        }
    } else if unanswered == rises {
        format!(
            "Agitation climbed past 50 or 75 {rises} times, and nothing answered any of them: you said nothing more and did not step back."
        )
    } else {
        let mut s = format!(
            "Agitation climbed past 50 or 75 {rises} times; {adjusted} of those times you answered with a calmer voice, a pause or more distance"
        );
        if unanswered > 0 {
            s.push_str(&format!(
                ", and {unanswered} of them nothing answered (no word, no step back)"
            ));
        }
        s.push('.');
        s
    }
}

/// How many events match.
fn count(r: &SimResult, pred: impl Fn(&Event) -> bool) -> usize {
    r.events.iter().filter(|e| pred(e)).count()
}

/// How many of the trainee's lines before `before` have a tag that matches.
fn count_tags(r: &SimResult, pred: impl Fn(&Tag) -> bool, before: f32) -> usize {
    r.events
        .iter()
        .filter(|e| e.t < before)
        .filter(|e| matches!(&e.kind, EventKind::Utterance { tags, .. } if tags.iter().any(&pred)))
        .count()
}

/// What raised agitation most over the run, from the simulation's own totals, so an
/// ending's general account ("speed, distance, a raised voice") is checked against this run.
fn drivers(r: &SimResult, name: &str) -> Option<String> {
    let c = &r.causes;
    let mut rows = [
        ("standing close", c.proximity),
        ("fast approaches", c.fast_approach),
        ("a drawn weapon", c.weapon),
        ("silence", c.silence),
        ("what you said", c.words),
        ("how you said it", c.tone),
        ("your partner talking over you", c.partner),
        ("what happened around you", c.triggers),
        ("the instructor", c.instructor),
    ];
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let up: Vec<String> = rows
        .iter()
        .filter(|(_, v)| *v >= 1.0)
        .take(3)
        .map(|(what, v)| format!("{what} (+{v:.0})"))
        .collect();
    (!up.is_empty()).then(|| {
        format!(
            "What raised {name}'s agitation most in this run: {}.",
            up.join(", ")
        )
    })
}

/// What the subject could hurt someone with and where the trainee stood: the reactionary
/// gap, cover, and against a firearm, the time in the open.
fn weapon_assessment(scenario: &Scenario, r: &SimResult) -> Vec<String> {
    let secs = |ticks: u32| ticks as f32 * crate::sim::DT;
    let subj = &r.subject;
    let (name, gap) = (&subj.name, subj.reactionary_gap);
    let gap_secs = secs(r.tally.in_reactionary_gap);
    let inside = seconds(gap_secs);
    let Some(w) = subj.armed() else {
        return if gap_secs > 0.0 {
            vec![format!(
                "You spent {inside} inside the {} m reactionary gap.",
                metres(gap)
            )]
        } else {
            Vec::new()
        };
    };
    let cover = secs(r.tally.in_cover);
    let mut out = vec![format!(
        "{name} {}; you spent {inside} inside the {} m reactionary gap and {} behind cover.",
        w.phrase(),
        metres(gap),
        seconds(cover)
    )];
    if w.is_firearm() {
        let has_cover = scenario.place.props.iter().any(|p| scenario.gives_cover(p));
        let open = secs(r.tally.ticks - r.tally.in_cover);
        out.push(if has_cover && open < 0.5 {
            "Against a firearm, distance alone does not protect you; cover does, and you kept it the whole time.".to_string()
        } else if has_cover {
            format!(
                "Against a firearm, distance alone does not protect you; cover does. You were in the open for {open:.0} s of {:.0} s.",
                secs(r.tally.ticks)
            )
        } else {
            "There was no cover here: against a firearm, only distance, time and words were left. Where would you have looked for it?".to_string()
        });
    }
    out
}

/// The trainee's weapon, judged against what the subject had.
fn weapon_powers(r: &SimResult) -> Vec<String> {
    let drawn = r.tally.weapon_drawn as f32 * crate::sim::DT;
    let name = &r.subject.name;
    match r.subject.armed() {
        Some(w) if w.is_firearm() && w.in_hand => vec![if drawn > 0.0 {
            format!(
                "Your weapon was drawn for {drawn:.0} s. With {name} holding {}, drawing was justified; what protected you was cover.",
                w.object.label()
            )
        } else {
            format!(
                "Your weapon stayed holstered while {name} held {}: what made that safe, or not?",
                w.object.label()
            )
        }],
        _ if drawn > 0.0 => vec![format!("Your weapon was drawn for {drawn:.0} s.")],
        _ => Vec::new(),
    }
}
