//! The `# expect-` lines of an input script and the event tokens they name: parsing them,
//! checking a finished run against them, and writing them for a run (the route finder).
//! `docs/scripts.md` §6 documents the language.

use crate::assess::score::Scores;
use crate::sim::{Event, EventKind, Measure, SimResult, Zone};
use std::fmt;

/// The short token a transcript uses for an event (`scene:calm`, `say:introduce/calm`).
pub fn token(e: &Event) -> String {
    match &e.kind {
        EventKind::SceneEntered { scene } => format!("scene:{scene}"),
        EventKind::SubjectLine { .. } => "line".into(),
        EventKind::Utterance { option, tone, .. } => format!("say:{option}/{tone}"),
        EventKind::TacticalPause { .. } => "pause".into(),
        EventKind::PartnerTalksOver { .. } => "partner-talks-over".into(),
        EventKind::PartnerSteppedBack => "partner-back".into(),
        EventKind::AsideAnswered { option, .. } => format!("answer:{option}"),
        EventKind::Threshold {
            measure,
            level,
            rising,
        } => format!(
            "{}{}{}",
            match measure {
                Measure::Agitation => "agitation",
                Measure::Trust => "trust",
            },
            if *rising { ">" } else { "<" },
            level
        ),
        EventKind::Zone { zone, entered, .. } => format!(
            "zone:{}{}",
            match zone {
                Zone::PersonalSpace => "personal_space",
                Zone::ReactionaryGap => "reactionary_gap",
            },
            if *entered { "+" } else { "-" }
        ),
        EventKind::FastApproach { .. } => "fast".into(),
        EventKind::Weapon { drawn } => format!("weapon{}", if *drawn { "+" } else { "-" }),
        EventKind::Cover { taken } => format!("cover{}", if *taken { "+" } else { "-" }),
        EventKind::TriggerFired { target, .. } => format!("trigger:{}", target.replace(' ', "_")),
        EventKind::IndicatorRecognised { indicator } => format!("indicator:{indicator:?}"),
        EventKind::Injected { id, .. } => format!("inject:{id}"),
        EventKind::Happened { id, .. } => format!("event:{id}"),
        EventKind::Branched { target, .. } => format!("branch:{}", target.replace(' ', "_")),
        EventKind::SubjectActed { act, .. } => format!("act:{}", act.token()),
        EventKind::Instructor { .. } => "instructor".into(),
        EventKind::EndingReached { ending, .. } => format!("ending:{ending}"),
    }
}

/// Does an event token satisfy an expected token? `say:x` matches `say:x/any`, and
/// `trigger` matches any trigger.
pub fn matches(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    if (expected.starts_with("say:") || expected == "trigger") && !expected.contains('/') {
        return actual
            .strip_prefix(expected)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with(':'));
    }
    false
}

/// What a script's `# expect-` lines ask for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expect {
    pub ending: Option<String>,
    pub outcome: Option<String>,
    pub temperament: Option<String>,
    pub sequence: Vec<String>,
    pub absent: Vec<String>,
    /// (dimension, operator, value)
    pub scores: Vec<(String, String, f32)>,
    /// (dimension, text)
    pub items: Vec<(String, String)>,
}

/// A malformed `# expect-` line (1-based line number).
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ExpectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl Expect {
    /// Reads every `# expect-KEY: VALUE` line of a script.
    pub fn parse(text: &str) -> Result<Expect, ExpectError> {
        let mut e = Expect::default();
        for (n, line) in text.lines().enumerate() {
            let Some(rest) = line.trim().strip_prefix("# expect-") else {
                continue;
            };
            let err = |message: String| ExpectError {
                line: n + 1,
                message,
            };
            let (key, val) = rest
                .split_once(':')
                .ok_or_else(|| err("write `# expect-KEY: VALUE`".into()))?;
            e.add(key.trim(), val.trim()).map_err(err)?;
        }
        Ok(e)
    }

    fn add(&mut self, key: &str, val: &str) -> Result<(), String> {
        match key {
            "ending" => self.ending = Some(val.to_string()),
            "outcome" => self.outcome = Some(val.to_string()),
            "temperament" => self.temperament = Some(val.to_string()),
            "sequence" => self
                .sequence
                .extend(val.split_whitespace().map(String::from)),
            "absent" => self.absent.extend(val.split_whitespace().map(String::from)),
            "score" => {
                let parts: Vec<&str> = val.split_whitespace().collect();
                let [dim, op, v] = parts[..] else {
                    return Err(format!("expect-score: DIMENSION OP NUMBER, got `{val}`"));
                };
                if !matches!(op, ">=" | "<=" | ">" | "<" | "==") {
                    return Err(format!("unknown comparison `{op}` (>=, <=, >, <, ==)"));
                }
                let v: f32 = v.parse().map_err(|_| format!("`{v}` is not a number"))?;
                self.scores.push((dim.to_string(), op.to_string(), v));
            }
            "item" => {
                let (dim, text) = val
                    .split_once(' ')
                    .ok_or_else(|| "expect-item: DIMENSION \"text\"".to_string())?;
                self.items
                    .push((dim.to_string(), text.trim().trim_matches('"').to_string()));
            }
            other => return Err(format!("unknown expectation `expect-{other}`")),
        }
        Ok(())
    }

    /// Everything about `result` (scored as `scores`) that differs from what is expected;
    /// empty when the run is as expected.
    pub fn check(&self, result: &SimResult, scores: &Scores) -> Vec<String> {
        let mut problems = vec![];
        let same = |want: &Option<String>, got: Option<String>, what: &str, p: &mut Vec<String>| {
            if let Some(w) = want
                && got.as_deref() != Some(w.as_str())
            {
                p.push(format!(
                    "{what}: expected {w}, got {}",
                    got.as_deref().unwrap_or("none")
                ));
            }
        };
        same(&self.ending, result.ending.clone(), "ending", &mut problems);
        same(
            &self.outcome,
            result.outcome.map(|o| format!("{o:?}")),
            "outcome",
            &mut problems,
        );
        same(
            &self.temperament,
            result.temperament.clone(),
            "temperament",
            &mut problems,
        );
        let tokens: Vec<String> = result.events.iter().map(token).collect();
        let mut at = 0;
        for want in &self.sequence {
            match tokens[at..].iter().position(|t| matches(want, t)) {
                Some(p) => at += p + 1,
                None => {
                    problems.push(format!(
                        "sequence: `{want}` did not happen (after event #{at})"
                    ));
                    break;
                }
            }
        }
        for bad in &self.absent {
            if let Some(t) = tokens.iter().find(|t| matches(bad, t)) {
                problems.push(format!("absent: `{bad}` happened ({t})"));
            }
        }
        self.check_scores(scores, &mut problems);
        problems
    }

    fn check_scores(&self, scores: &Scores, problems: &mut Vec<String>) {
        for (dim, op, v) in &self.scores {
            let Some(got) = scores.value(dim) else {
                problems.push(format!("score: unknown dimension `{dim}`"));
                continue;
            };
            let ok = match op.as_str() {
                ">=" => got >= *v,
                "<=" => got <= *v,
                ">" => got > *v,
                "<" => got < *v,
                _ => (got - v).abs() < 0.05,
            };
            if !ok {
                problems.push(format!(
                    "score: {dim} is {got:.1}, expected {op} {v}\n{}",
                    scores.explain(dim)
                ));
            }
        }
        for (dim, text) in &self.items {
            if !scores.has_item(dim, text) {
                problems.push(format!(
                    "item: no `{dim}` score line mentions \"{text}\"\n{}",
                    scores.explain(dim)
                ));
            }
        }
    }
}

/// The events of a run as `  12.3s token` lines, for a failure message.
pub fn transcript(result: &SimResult) -> String {
    result
        .events
        .iter()
        .map(|e| format!("  {:>6.1}s {}", e.t, token(e)))
        .collect::<Vec<_>>()
        .join("\n")
}
