//! The verbal dimension: the quality of what was said, whatever the voice and whatever
//! ended the contact. Each line's worth (averaged, harm counted in full), the Behavioural
//! Change Stairway, indicators recognised, and what was never said weighed by the chances.

use super::{Dimension, DimensionScore, clock, quote, round1, tags_list};
use crate::format::scenario::{Scenario, Scene};
use crate::format::vocab::{Body, Indicator, StairStep, Tag};
use crate::sim::{Event, EventKind, SimResult};

/// A run whose lines are worth this much on average earns the whole verbal headroom (50).
pub const FULL_LINE_WORTH: f32 = 6.0;
/// Fewer lines than this count as this many: a run needs this many lines (one per step of
/// the Behavioural Change Stairway) before it can earn full credit.
pub const MIN_LINES: usize = 4;
/// Chances (lines said in a scene that offered the missing line) at which a whole-run
/// penalty for a line never said counts in full; below it counts in proportion.
pub const CHANCES_FOR_FULL: u32 = 2;

/// What one line said is worth on the verbal dimension before scaling: its tags' values
/// plus the author's weight, within ±12; a harmful line earns nothing for its good tags.
fn line_worth(tags: &[Tag], authored: f32) -> f32 {
    let harmful = tags.iter().any(|t| t.is_harmful());
    let tag_pts: f32 = tags
        .iter()
        .map(|t| t.verbal_value())
        .filter(|v| !harmful || *v < 0.0)
        .sum();
    let authored = if harmful { authored.min(0.0) } else { authored };
    (tag_pts + authored).clamp(-12.0, 12.0)
}

/// `6`, `1.5`, `-10`: a number with at most one decimal, without a trailing `.0`.
fn num(v: f32) -> String {
    let r = round1(v);
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// How much of a whole-run penalty for a line never said counts, given the chances the
/// trainee had to say it, and the words that say why.
fn chance_weight(chances: u32) -> (f32, String) {
    let share = chances.min(CHANCES_FOR_FULL) as f32 / CHANCES_FOR_FULL as f32;
    let why = match chances {
        0 => String::new(),
        1 => format!(
            " — counted {:.0}%: you had 1 chance (one line said in a scene that offered it; full weight from {CHANCES_FOR_FULL})",
            share * 100.0
        ),
        c if c < CHANCES_FOR_FULL => format!(
            " — counted {:.0}%: you had {c} chances (lines said in scenes that offered it; full weight from {CHANCES_FOR_FULL})",
            share * 100.0
        ),
        c => format!(" (you had {c} chances: lines said in scenes that offered it)"),
    };
    (share, why)
}

/// Verbal choices: the quality of what was said, whatever the voice and whatever ended
/// the contact. It reads only which options were said in which scenes (and the scenario),
/// never tone, agitation or time, so the same lines always earn the same score:
///
/// - each line earns its worth ([`line_worth`], halved on each repeat) × `k`, where
///   `k = (50 / FULL_LINE_WORTH) / max(lines, MIN_LINES)`: what the lines earn adds up to
///   `50 × mean worth / FULL_LINE_WORTH`, their average quality, not their number (a line
///   worth nothing or less counts as 0 in that average);
/// - a line worth less than nothing (a lie, a threat, a command) also costs its worth in
///   full, however many other lines there were: talking more does not dilute harm;
/// - the stairway, early influence and recognised indicators as before (early influence
///   is excused in a scene the author marks `body: Threatening`, not by agitation);
/// - indicators never acknowledged and suicide never asked about are weighed by the
///   chances the trainee had: lines said in scenes whose options included a line that
///   would have done it ([`CHANCES_FOR_FULL`] for full weight).
///
/// The partner talking over is scored under tone: it happens when agitation is high.
pub(super) fn verbal_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Verbal,
        50.0,
        "Starting point: words earn the other half",
        weight,
    );
    let lines = r
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Utterance { .. }))
        .count();
    let counted = lines.max(MIN_LINES);
    let k = 50.0 / FULL_LINE_WORTH / counted as f32;
    d.base_reason = base_reason(lines, counted, k);
    let mut words = Words::new(scenario, k);
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::Utterance {
                scene,
                option,
                text,
                tags,
                ..
            } => {
                let line = Said {
                    i,
                    t: e.t,
                    scene,
                    option,
                    text,
                    tags,
                };
                words.line(&mut d, &line);
            }
            EventKind::IndicatorRecognised { indicator } => {
                words.recognised(&mut d, i, e, indicator)
            }
            _ => {}
        }
    }
    words.whole_run(&mut d, r);
    d
}

/// How the dimension's base is explained: the scale `k` each line's worth is counted at.
fn base_reason(lines: usize, counted: usize, k: f32) -> String {
    if lines == 0 {
        "Starting point: words earn the other half; nothing was said, so no words could be scored"
            .into()
    } else {
        format!(
            "Starting point: words earn the other half. Each line earns its worth × {k:.2} (50 ÷ {} ÷ {}{}), so lines worth {} on average fill it however many there are; a line worth less than 0 costs its worth in full",
            num(FULL_LINE_WORTH),
            counted,
            if lines < MIN_LINES {
                format!(" — {lines} said, fewer than {MIN_LINES} count as {MIN_LINES}")
            } else {
                " lines".to_string()
            },
            num(FULL_LINE_WORTH),
        )
    }
}

/// One line said (event `i` at `t` seconds), as the verbal dimension reads it.
struct Said<'a> {
    i: usize,
    t: f32,
    scene: &'a str,
    option: &'a str,
    text: &'a str,
    tags: &'a [Tag],
}

/// What the lines so far showed: chances to say what was never said, the first time each
/// stairway step was shown, how often each line was said.
struct Words<'a> {
    scenario: &'a Scenario,
    ind: &'a [Indicator],
    /// Each line's worth is counted × `k` (see `verbal_score`).
    k: f32,
    /// Per indicator: lines said in scenes that offered a line recognising it.
    chances: Vec<u32>,
    suicide_chances: u32,
    asked_suicide: bool,
    /// Per stairway step (listen, empathise, rapport, influence): when first shown.
    first_at: [Option<f32>; 4],
    early_influence: bool,
    /// (scene, option, times said).
    said: Vec<(&'a str, &'a str, u32)>,
}

impl<'a> Words<'a> {
    fn new(scenario: &'a Scenario, k: f32) -> Self {
        let ind = &scenario.subject.indicators;
        Words {
            scenario,
            ind,
            k,
            chances: vec![0u32; ind.len()],
            suicide_chances: 0,
            asked_suicide: false,
            first_at: [None; 4],
            early_influence: false,
            said: Vec::new(),
        }
    }

    /// A line said: the chances its scene gave, its worth, and the stairway step it shows.
    fn line(&mut self, d: &mut DimensionScore, line: &Said<'a>) {
        let sc = self.scenario.scene(line.scene);
        let opt = sc.and_then(|s| s.options.iter().find(|o| o.id == line.option));
        if let Some(sc) = sc {
            self.count_chances(sc);
        }
        self.asked_suicide |= line.tags.contains(&Tag::AskAboutSuicide);
        self.worth_item(d, line, opt.map_or(0.0, |o| o.weight));
        // A safety command to someone about to act is not a sequencing error: the author
        // marks such scenes as threatening. (Not agitation: that depends on the voice, and
        // verbal must not.)
        let threatening = sc.is_some_and(|s| s.body == Some(Body::Threatening));
        self.stairway_step(d, line, threatening);
    }

    /// A chance to say what was never said: the scene offered a line for it.
    fn count_chances(&mut self, sc: &Scene) {
        for (n, indicator) in self.ind.iter().enumerate() {
            if sc.options.iter().any(|o| o.recognises.contains(indicator)) {
                self.chances[n] += 1;
            }
        }
        if sc
            .options
            .iter()
            .any(|o| o.tags.contains(&Tag::AskAboutSuicide))
        {
            self.suicide_chances += 1;
        }
    }

    /// What the line earns (scaled into the average) or costs (in full), halved for each
    /// time it was said before.
    fn worth_item(&mut self, d: &mut DimensionScore, line: &Said<'a>, authored: f32) {
        let mut worth = line_worth(line.tags, authored);
        let n = self.repeats(line.scene, line.option);
        let mut note = String::new();
        if worth > 0.0 && n > 0 {
            worth *= 0.5f32.powi(n as i32);
            note = format!(" (said {} times: worth less each time)", n + 1);
        }
        let what = if line.tags.is_empty() {
            "authored weight".to_string()
        } else {
            tags_list(line.tags)
        };
        let k = self.k;
        let (points, how) = if worth > 0.0 {
            (worth * k, format!("worth {} × {k:.2}", num(worth)))
        } else {
            (worth, format!("worth {}, counted in full", num(worth)))
        };
        d.add(
            points,
            format!("{} — {what}{note}: {how}", quote(line.text)),
            Some(line.t),
            Some(line.i),
        );
    }

    /// How many times option `option` of `scene` was said before, counting this time.
    fn repeats(&mut self, scene: &'a str, option: &'a str) -> u32 {
        match self
            .said
            .iter_mut()
            .find(|(s, o, _)| *s == scene && *o == option)
        {
            Some((_, _, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                self.said.push((scene, option, 1));
                0
            }
        }
    }

    /// Records every step this line shows before judging its influence, so the order of
    /// tags inside one line does not matter; influence before any listening or empathy
    /// costs once (not in a threatening scene).
    fn stairway_step(&mut self, d: &mut DimensionScore, line: &Said<'a>, threatening: bool) {
        let steps: Vec<StairStep> = (line.tags.iter())
            .flat_map(|t| t.stair_steps())
            .copied()
            .collect();
        let listened_before = self.first_at[0].is_some() || self.first_at[1].is_some();
        let listens_now = steps
            .iter()
            .any(|s| matches!(s, StairStep::Listen | StairStep::Empathise));
        for &step in &steps {
            let k = step as usize - 1;
            if self.first_at[k].is_none() {
                self.first_at[k] = Some(line.t);
            }
        }
        if steps.contains(&StairStep::Influence)
            && !listened_before
            && !listens_now
            && !self.early_influence
            && !threatening
        {
            self.early_influence = true;
            d.add(
                -6.0,
                format!(
                    "Moved to influence ({}) before any listening or empathy — the Behavioural Change Stairway builds from listening",
                    tags_list(line.tags)
                ),
                Some(line.t),
                Some(line.i),
            );
        }
    }

    /// An indicator the subject shows, recognised and said (event `i`).
    fn recognised(&self, d: &mut DimensionScore, i: usize, e: &Event, indicator: &Indicator) {
        if self.ind.contains(indicator) {
            d.add(
                4.0,
                format!("Recognised {} and said so", indicator.label()),
                Some(e.t),
                Some(i),
            );
        }
    }

    /// The stairway followed in order, then what was never said, weighed by the chances.
    fn whole_run(&self, d: &mut DimensionScore, r: &SimResult) {
        // Stairway order: listening, then empathy, then influence.
        if let (Some(l), Some(em), Some(inf)) =
            (self.first_at[0], self.first_at[1], self.first_at[3])
            && l <= em
            && em <= inf
        {
            d.add(
                5.0,
                format!(
                    "Followed the stairway: listened ({}), empathised ({}), then influenced ({})",
                    clock(l),
                    clock(em),
                    clock(inf)
                ),
                Some(inf),
                None,
            );
        }
        for (n, indicator) in self.ind.iter().enumerate() {
            if r.recognised.contains(indicator) {
                continue;
            }
            let (share, why) = chance_weight(self.chances[n]);
            d.add(
                -6.0 * share,
                format!("Never acknowledged the signs of {}{why}", indicator.label()),
                None,
                None,
            );
        }
        if self.ind.contains(&Indicator::SuicidalStatements) && !self.asked_suicide {
            let (share, why) = chance_weight(self.suicide_chances);
            d.add(
                -8.0 * share,
                format!(
                    "Never asked directly about suicide — asking does not put the idea there, and it opens the conversation that matters{why}"
                ),
                None,
                None,
            );
        }
    }
}
