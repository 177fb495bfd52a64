//! The text report of `deescalate analyse`: who played, the endings overall and per
//! temperament, how many different runs the seeds gave, scenes and options, mean scores.

use crate::author::batch::{Analysis, Trainee};
use crate::format::scenario::Scenario;
use std::fmt::Write;

const RANDOM_TRAINEE: &str = "every 3–15 s picks a new stand-off distance (1–14 m) and speed (0.6–1.6 m/s, one time in seven a run at 2–4.5 m/s), with a weapon drawn one time in twelve; every 2–12 s either pauses (one time in ten) or says a random offered line, half the time calm, then neutral, firm, commanding or shouting less and less often; it never uses instructor injects";

pub fn text(
    sc: &Scenario,
    a: &Analysis,
    who: Trainee,
    seed: u64,
    took: std::time::Duration,
) -> String {
    let mut o = String::new();
    let pct = |n: usize, of: usize| 100.0 * n as f32 / of.max(1) as f32;
    let (name, how) = match who {
        Trainee::Random => ("random", RANDOM_TRAINEE),
        Trainee::Policy(p) => (p.name(), p.describe()),
    };
    let _ = writeln!(
        o,
        "{} — {} playthroughs by the {name} trainee, seeds {}–{}, in {:.2} s (mean length {:.0} s)",
        sc.title,
        a.runs,
        seed,
        seed.saturating_add(a.runs.saturating_sub(1) as u64),
        took.as_secs_f32(),
        a.mean_duration
    );
    let _ = writeln!(o, "The {name} trainee {how}.");
    let _ = writeln!(
        o,
        "Note: this shows how often each ending happens for this trainee, not whether an ending \
         can be reached: 0 % here proves nothing (a good ending usually needs a plan, and \
         injects are never used). Transcripts and routes prove reachability.\n"
    );
    let _ = writeln!(o, "Endings:");
    for e in &sc.endings {
        let n = a.endings.get(&e.id).copied().unwrap_or(0);
        let _ = writeln!(
            o,
            "  {:>5.1}%  {:<28} {}",
            pct(n, a.runs),
            e.id,
            e.outcome.label()
        );
    }
    if a.unfinished > 0 {
        let _ = writeln!(o, "  {:>5.1}%  (no ending)", pct(a.unfinished, a.runs));
    }
    temperaments(&mut o, sc, a);
    let _ = writeln!(
        o,
        "\n{} different runs (ending and scores) in {}; {} different routes to a de-escalated ending.",
        a.distinct.len(),
        a.runs,
        a.good_routes.len()
    );
    scenes_and_options(&mut o, sc, a);
    let m = a.mean_scores;
    let _ = writeln!(
        o,
        "\nMean scores: distance {:.0}, time {:.0}, tone {:.0}, verbal {:.0}, overall {:.0}",
        m[0], m[1], m[2], m[3], m[4]
    );
    crate::report::sanitize::terminal(&o)
}

/// Outcome distribution per temperament met.
fn temperaments(o: &mut String, sc: &Scenario, a: &Analysis) {
    let Some(v) = &sc.variation else { return };
    if v.temperaments.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nBy temperament (runs; endings reached):");
    for t in &v.temperaments {
        let Some(endings) = a.by_temperament.get(&t.id) else {
            let _ = writeln!(o, "  {:<14} never drawn in these seeds", t.id);
            continue;
        };
        let n: usize = endings.values().sum();
        let good: usize = endings
            .iter()
            .filter(|(e, _)| sc.ending(e).is_some_and(|e| e.outcome.is_deescalated()))
            .map(|(_, k)| k)
            .sum();
        let mut parts: Vec<(usize, &String)> = endings.iter().map(|(e, k)| (*k, e)).collect();
        parts.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(y.1)));
        let list: Vec<String> = parts
            .iter()
            .map(|(k, e)| format!("{e} {:.0}%", 100.0 * *k as f32 / n as f32))
            .collect();
        let _ = writeln!(
            o,
            "  {:<14} {:>5} runs, {:>3.0}% de-escalated: {}",
            t.id,
            n,
            100.0 * good as f32 / n.max(1) as f32,
            list.join(", ")
        );
    }
}

fn scenes_and_options(o: &mut String, sc: &Scenario, a: &Analysis) {
    let _ = writeln!(o, "\nScenes entered (per run):");
    for s in &sc.scenes {
        let n = a.scene_visits.get(&s.id).copied().unwrap_or(0);
        let note = s
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        let never = if n == 0 {
            "   ← never reached by this trainee"
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "  {:>6.2}  {}{note}{never}",
            n as f32 / a.runs.max(1) as f32,
            s.id
        );
    }
    let never: Vec<String> = sc
        .scenes
        .iter()
        .flat_map(|s| s.options.iter().map(move |o| (s, o)))
        .filter(|(s, o)| !a.options_chosen.contains_key(&(s.id.clone(), o.id.clone())))
        .map(|(s, o)| format!("{}/{}", s.id, o.id))
        .collect();
    if !never.is_empty() {
        let _ = writeln!(
            o,
            "\nOptions this trainee never chose (check their `requires`):"
        );
        for n in never {
            let _ = writeln!(o, "  {n}");
        }
    }
}
