//! Scoring rules that hold across runs, and scoring versions on records.
//!
//! - Verbal measures the words, not the voice and not how the contact ended: the same
//!   options said in other tones score the same on verbal, and a run cut short by its tone
//!   scores what the calm run stopped after the same lines scores.
//! - Verbal lines earn their average worth, and every point is an itemised line.
//! - Whole-run verbal penalties are weighed by the chances the trainee had.
//! - Every record carries the scoring version; `class` and `debrief` re-score records made
//!   by older rules, and say so (or say why they cannot).

mod common;

use common::{bin, root, run_cmd, tmpdir};
use deescalate::assess::score::{self, FULL_LINE_WORTH, MIN_LINES, SCORING_VERSION, Scores};
use deescalate::check;
use deescalate::cohort::class;
use deescalate::format::scenario::Scenario;
use deescalate::format::vocab::Tone;
use deescalate::records::record::Record;
use deescalate::sim::script::{Command, Script, ScriptLine, run_script};
use deescalate::sim::{DT, EventKind, SimResult};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SCENARIOS: [&str; 4] = [
    "knife_sidewalk",
    "bar_patron",
    "bridge_railing",
    "dementia_car_park",
];

fn scenario(name: &str) -> Arc<Scenario> {
    let path = root().join(format!("scenarios/{name}.ron"));
    match check::load_scenario(&path) {
        Ok((s, _)) => Arc::new(s),
        Err(report) => panic!("{}", report.render(false)),
    }
}

fn transcript(scenario: &str, name: &str) -> Script {
    let path = root().join(format!("tests/transcripts/{scenario}/{name}.txt"));
    Script::parse(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Every transcript of a scenario: (file name, script).
fn transcripts(scenario: &str) -> Vec<(String, Script)> {
    let dir = root().join(format!("tests/transcripts/{scenario}"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                Script::parse(&text).unwrap(),
            )
        })
        .collect()
}

/// Play a script; `None` if it cannot be played (an option not on offer after a change).
fn play(sc: &Arc<Scenario>, script: &Script) -> Option<SimResult> {
    let mut sim = script.start(Arc::clone(sc)).ok()?;
    run_script(&mut sim, script).ok()?;
    Some(sim.result())
}

/// The (scene, option) of every line said, and when.
fn said(r: &SimResult) -> Vec<(String, String, f32)> {
    r.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Utterance { scene, option, .. } => {
                Some((scene.clone(), option.clone(), e.t))
            }
            _ => None,
        })
        .collect()
}

fn same_lines(a: &[(String, String, f32)], b: &[(String, String, f32)]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0 && x.1 == y.1)
}

/// Indices (into `script.lines`) of the `say` lines.
fn says(script: &Script) -> Vec<usize> {
    script
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l.command, Command::Say { .. }))
        .map(|(i, _)| i)
        .collect()
}

/// The script with the `say` lines at `which` (indices into `lines`) said in `tone`.
fn retone(script: &Script, which: &[usize], tone: Tone) -> Script {
    let mut s = script.clone();
    for &i in which {
        if let Command::Say { tone: t, .. } = &mut s.lines[i].command {
            *t = tone;
        }
    }
    s
}

/// The script stopped (`end`) a tenth of a second after time `t`.
fn stopped_after(script: &Script, t: f32) -> Script {
    let tick = (t / DT).round() as u32 + 1;
    let mut s = script.clone();
    let at = s
        .lines
        .iter()
        .position(|l| l.tick > tick)
        .unwrap_or(s.lines.len());
    s.lines.insert(
        at,
        ScriptLine {
            line: 0,
            tick,
            command: Command::End,
        },
    );
    s
}

/// Items as (points, reason) pairs.
fn items(s: &Scores, dim: &str) -> Vec<(f32, String)> {
    let d = deescalate::assess::score::Dimension::parse(dim).unwrap();
    s.get(d)
        .items
        .iter()
        .map(|i| (i.points, i.reason.clone()))
        .collect()
}

/// Items as comparable (points, moment) pairs: the quoted wording of a line may differ
/// between two runs of the same option (the seeded RNG picks wordings), the points not.
fn points(s: &Scores, dim: &str) -> Vec<(f32, Option<f32>)> {
    let d = deescalate::assess::score::Dimension::parse(dim).unwrap();
    s.get(d).items.iter().map(|i| (i.points, i.t)).collect()
}

fn talk_overs(r: &SimResult) -> usize {
    r.events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::PartnerTalksOver { .. }))
        .count()
}

// -----------------------------------------------------------------------------------
// Task: verbal is the words, whatever the voice
// -----------------------------------------------------------------------------------

/// Every transcript of every bundled scenario, with each line (and then all lines) said in
/// every other tone: whenever the same options are said in the same scenes, verbal is the
/// same, item for item — although tone, agitation and partner talk-overs differ.
#[test]
fn same_words_in_any_tone_earn_the_same_verbal_score() {
    let mut compared: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for name in SCENARIOS {
        let sc = scenario(name);
        for (file, base) in transcripts(name) {
            let Some(r0) = play(&sc, &base) else {
                panic!("{name}/{file} does not play")
            };
            let s0 = score::score(&sc, &r0);
            let lines0 = said(&r0);
            let all = says(&base);
            let mut variants: Vec<(String, Script)> = Vec::new();
            for tone in Tone::ALL {
                for &i in &all {
                    variants.push((format!("line {i} {tone}"), retone(&base, &[i], tone)));
                }
                variants.push((format!("every line {tone}"), retone(&base, &all, tone)));
            }
            for (what, v) in variants {
                let Some(r) = play(&sc, &v) else { continue };
                if !same_lines(&said(&r), &lines0) {
                    continue;
                }
                let s = score::score(&sc, &r);
                assert_eq!(
                    points(&s, "verbal"),
                    points(&s0, "verbal"),
                    "{name}/{file} with {what}: verbal {} vs {}\n{}\n{}",
                    s.verbal.score,
                    s0.verbal.score,
                    s.explain("verbal"),
                    s0.explain("verbal")
                );
                assert_eq!(s.verbal.score, s0.verbal.score);
                let c = compared.entry(name).or_default();
                c.0 += 1;
                // Count the comparisons in which the voice really changed the run.
                if s.tone.score != s0.tone.score
                    || talk_overs(&r) != talk_overs(&r0)
                    || r.final_agitation != r0.final_agitation
                {
                    c.1 += 1;
                }
            }
        }
    }
    for name in SCENARIOS {
        let (n, changed) = compared.get(name).copied().unwrap_or_default();
        assert!(
            changed >= 10,
            "{name}: only {changed} of {n} comparisons changed anything but the words"
        );
    }
}

/// Wherever a louder line brings the partner in to talk over the trainee (the scenarios
/// with a partner who talks over), the one-voice item is scored under tone, and verbal is
/// untouched.
#[test]
fn partner_talking_over_is_scored_under_tone_not_verbal() {
    for name in ["knife_sidewalk", "bar_patron"] {
        let sc = scenario(name);
        let mut found = 0;
        for (file, calm) in transcripts(name) {
            let rc = play(&sc, &calm).unwrap();
            let sc_calm = score::score(&sc, &rc);
            for &i in &says(&calm) {
                for tone in [Tone::Commanding, Tone::Shouting] {
                    let Some(rl) = play(&sc, &retone(&calm, &[i], tone)) else {
                        continue;
                    };
                    if !same_lines(&said(&rc), &said(&rl)) || talk_overs(&rl) <= talk_overs(&rc) {
                        continue;
                    }
                    let sc_loud = score::score(&sc, &rl);
                    assert_eq!(
                        sc_loud.verbal.score, sc_calm.verbal.score,
                        "{name}/{file}, line {i} {tone}"
                    );
                    assert!(sc_loud.has_item("tone", "one-voice"), "{name}/{file}");
                    assert!(!sc_loud.has_item("verbal", "one-voice"), "{name}/{file}");
                    let one_voice = |s: &Scores| {
                        items(s, "tone")
                            .iter()
                            .filter(|(_, r)| r.contains("one-voice"))
                            .count()
                    };
                    assert_eq!(
                        one_voice(&sc_loud) - one_voice(&sc_calm),
                        talk_overs(&rl) - talk_overs(&rc),
                        "{name}/{file}: one tone item per talk-over"
                    );
                    found += 1;
                }
            }
        }
        assert!(
            found > 0,
            "{name}: no louder line brought the partner in; the test proves nothing"
        );
    }
}

/// The measured problem: good words said firmly, commanding or shouted end the contact
/// after a few lines. Such a run scores, on verbal, exactly what the calm run stopped
/// (`end`) after the same lines scores — for every such cut in the bundled transcripts (in
/// at least three scenarios, shouted in at least two); the voice costs points on tone.
#[test]
fn a_run_cut_short_by_its_tone_scores_like_the_calm_run_stopped_there() {
    let mut cuts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut shouted: BTreeMap<&str, usize> = BTreeMap::new();
    for name in SCENARIOS {
        let sc = scenario(name);
        for (file, base) in transcripts(name) {
            let calm = play(&sc, &base).unwrap();
            let calm_lines = said(&calm);
            let all = says(&base);
            for tone in [Tone::Firm, Tone::Commanding, Tone::Shouting] {
                for from in 0..all.len() {
                    let Some(r) = play(&sc, &retone(&base, &all[from..], tone)) else {
                        continue;
                    };
                    let lines = said(&r);
                    let n = lines.len();
                    if r.ending.is_none()
                        || n == 0
                        || n >= calm_lines.len()
                        || !same_lines(&lines, &calm_lines[..n])
                    {
                        continue;
                    }
                    let stopped = play(&sc, &stopped_after(&base, calm_lines[n - 1].2)).unwrap();
                    assert!(stopped.ending.is_none());
                    assert!(same_lines(&said(&stopped), &lines));
                    let (a, b) = (score::score(&sc, &r), score::score(&sc, &stopped));
                    assert_eq!(
                        points(&a, "verbal"),
                        points(&b, "verbal"),
                        "{name}/{file}, {tone} from say {from}: cut short {} vs stopped {}\n{}\n{}",
                        a.verbal.score,
                        b.verbal.score,
                        a.explain("verbal"),
                        b.explain("verbal")
                    );
                    assert_eq!(a.verbal.score, b.verbal.score);
                    *cuts.entry(name).or_default() += 1;
                    if tone == Tone::Shouting {
                        // Shouting is scored, on tone.
                        assert!(a.tone.score < b.tone.score, "{name}/{file}");
                        *shouted.entry(name).or_default() += 1;
                    }
                }
            }
        }
    }
    assert!(cuts.len() >= 3, "{cuts:?}");
    assert!(shouted.len() >= 2, "{shouted:?}");
}

// -----------------------------------------------------------------------------------
// Task: the quality of the lines, every point traceable
// -----------------------------------------------------------------------------------

/// What one line said is worth before scaling, worked out here from the scenario (tags,
/// authored weight, harmful lines, repeats) independently of the scoring code.
fn worth(sc: &Scenario, scene: &str, option: &str, times_before: u32) -> f32 {
    let opt = sc
        .scene(scene)
        .and_then(|s| s.options.iter().find(|o| o.id == option))
        .unwrap();
    let harmful = opt.tags.iter().any(|t| t.is_harmful());
    let tags: f32 = opt
        .tags
        .iter()
        .map(|t| t.verbal_value())
        .filter(|v| !harmful || *v < 0.0)
        .sum();
    let weight = if harmful {
        opt.weight.min(0.0)
    } else {
        opt.weight
    };
    let w = (tags + weight).clamp(-12.0, 12.0);
    if w > 0.0 {
        w * 0.5f32.powi(times_before as i32)
    } else {
        w
    }
}

/// In every transcript: each line said has its own verbal item, naming the line, at its
/// moment, worth `worth × 50 / FULL_LINE_WORTH / max(lines, MIN_LINES)` (harm counted in
/// full); and the items, summed under the rule, reproduce the score.
#[test]
fn every_verbal_point_is_an_itemised_line_and_they_add_up() {
    let mut checked = 0;
    for name in SCENARIOS {
        let sc = scenario(name);
        for (file, script) in transcripts(name) {
            let r = play(&sc, &script).unwrap();
            let s = score::score(&sc, &r);
            let v = &s.verbal;
            // The sum of the items is the score.
            let gains: f32 = v.items.iter().map(|i| i.points.max(0.0)).sum();
            let losses: f32 = v.items.iter().map(|i| i.points.min(0.0)).sum();
            let sum = (v.base + gains.min(100.0 - v.base) + losses).clamp(0.0, 100.0);
            assert!(
                (sum - v.score).abs() < 0.051,
                "{name}/{file}: items add up to {sum}, score {}",
                v.score
            );
            // Each line said: one item tied to its event, naming it, with its points.
            let n = said(&r).len();
            let k = 50.0 / FULL_LINE_WORTH / n.max(MIN_LINES) as f32;
            let mut times: BTreeMap<(String, String), u32> = BTreeMap::new();
            for (i, e) in r.events.iter().enumerate() {
                let EventKind::Utterance {
                    scene,
                    option,
                    text,
                    ..
                } = &e.kind
                else {
                    continue;
                };
                let before = times.entry((scene.clone(), option.clone())).or_default();
                let w = worth(&sc, scene, option, *before);
                *before += 1;
                let want = if w > 0.0 { w * k } else { w };
                let item: Vec<_> = v
                    .items
                    .iter()
                    .filter(|it| it.event == Some(i) && it.reason.starts_with('“'))
                    .collect();
                if want.abs() < 0.05 {
                    assert!(item.is_empty(), "{name}/{file}: {item:?}");
                    continue;
                }
                assert_eq!(item.len(), 1, "{name}/{file}: line {i} “{text}”");
                let it = item[0];
                let head: String = text.chars().take(20).collect();
                assert!(it.reason.contains(&head), "{}", it.reason);
                assert!(it.reason.contains("worth"), "{}", it.reason);
                assert_eq!(it.t, Some(e.t));
                assert!(
                    (it.points - score::round1(want)).abs() < 0.051,
                    "{name}/{file}: “{text}” earns {} (worth {w} × {k}), want {want}",
                    it.points
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

/// One good line and stopping does not fill verbal: fewer than MIN_LINES lines count as
/// MIN_LINES. The same line, one of four equally good lines, does.
#[test]
fn one_good_line_is_not_a_full_conversation() {
    let sc = scenario("knife_sidewalk");
    let textbook = transcript("knife_sidewalk", "knife_down_care");
    let lines = said(&play(&sc, &textbook).unwrap());
    // plan_roles (worth 3) alone, stopped: 3 × 50/6/4.
    let one = play(&sc, &stopped_after(&textbook, lines[0].2)).unwrap();
    let s = score::score(&sc, &one);
    assert_eq!(said(&one).len(), 1);
    assert_eq!(s.verbal.score, 56.3, "{}", s.explain("verbal"));
    assert!(s.verbal.base_reason.contains("fewer than 4 count as 4"));
    // The textbook run fills it.
    let s = score::score(&sc, &play(&sc, &textbook).unwrap());
    assert!(s.verbal.score >= 90.0, "{}", s.explain("verbal"));
}

// -----------------------------------------------------------------------------------
// Task: whole-run penalties weighed by the chance to avoid them
// -----------------------------------------------------------------------------------

fn item_points(s: &Scores, dim: &str, text: &str) -> Option<(f32, String)> {
    items(s, dim).into_iter().find(|(_, r)| r.contains(text))
}

/// Daniel's stopped medication can be recognised in the `voices` and `rapport` scenes.
/// A run stopped before either had no chance (no penalty), one line in `voices` is one
/// chance (half), and a line in `rapport` too makes two (in full).
#[test]
fn a_missed_indicator_costs_more_the_more_chances_you_had() {
    let sc = scenario("knife_sidewalk");
    let textbook = transcript("knife_sidewalk", "knife_down_care");
    let lines = said(&play(&sc, &textbook).unwrap());
    let at = |option: &str| lines.iter().find(|l| l.1 == option).unwrap().2;
    let missed = "Never acknowledged the signs of stopped medication";
    for (upto, chances, points) in [
        ("not_sure_who", 0, None),
        ("frightening", 1, Some(-3.0)),
        ("what_would_help", 2, Some(-6.0)),
    ] {
        let r = play(&sc, &stopped_after(&textbook, at(upto))).unwrap();
        let s = score::score(&sc, &r);
        let got = item_points(&s, "verbal", missed);
        assert_eq!(got.as_ref().map(|g| g.0), points, "{}", s.explain("verbal"));
        if let Some((_, reason)) = got {
            assert!(
                reason.contains(&format!("you had {chances} chance")),
                "{reason}"
            );
            if chances == 1 {
                assert!(reason.contains("counted 50%"), "{reason}");
            }
        }
    }
    // The whole textbook run: more chances, still the full penalty, no more.
    let s = score::score(&sc, &play(&sc, &textbook).unwrap());
    assert_eq!(item_points(&s, "verbal", missed).map(|g| g.0), Some(-6.0));
}

/// Claire can be asked about suicide from the `name` scene on. One line said there is one
/// chance; two scenes, two chances.
#[test]
fn never_asking_about_suicide_is_weighed_by_the_chances_you_had() {
    let sc = scenario("bridge_railing");
    let care = transcript("bridge_railing", "care_hospital");
    let lines = said(&play(&sc, &care).unwrap());
    let at = |option: &str| lines.iter().find(|l| l.1 == option).unwrap().2;
    let never = "Never asked directly about suicide";
    for (upto, points) in [
        ("stop_introduce", None),
        ("whats_happened", Some(-4.0)),
        ("paraphrase_loss", Some(-8.0)),
    ] {
        let r = play(&sc, &stopped_after(&care, at(upto))).unwrap();
        let s = score::score(&sc, &r);
        assert_eq!(
            item_points(&s, "verbal", never).map(|g| g.0),
            points,
            "up to {upto}: {}",
            s.explain("verbal")
        );
    }
    // The full run asks: no penalty at all.
    let s = score::score(&sc, &play(&sc, &care).unwrap());
    assert!(item_points(&s, "verbal", never).is_none());
}

/// "Drop the bottle!" said to a man the author marks as threatening (the `cornered` scene)
/// is a safety command, whatever the voice: no early-influence item, calm or shouted.
#[test]
fn early_influence_is_excused_by_a_threatening_scene_whatever_the_voice() {
    let sc = scenario("bar_patron");
    let shouted = transcript("bar_patron", "bottle_thrown_shouting");
    let all = says(&shouted);
    for tone in [Tone::Calm, Tone::Firm, Tone::Shouting] {
        let r = play(&sc, &retone(&shouted, &all[all.len() - 1..], tone)).unwrap();
        let last = said(&r).last().cloned().unwrap();
        assert_eq!((last.0.as_str(), last.1.as_str()), ("cornered", "drop_it"));
        let s = score::score(&sc, &r);
        assert!(
            !s.has_item("verbal", "before any listening"),
            "{tone}: {}",
            s.explain("verbal")
        );
    }
}

// -----------------------------------------------------------------------------------
// Task: scoring versions on records
// -----------------------------------------------------------------------------------

/// Make a record with the CLI: the textbook knife run.
fn make_record(dir: &Path, file: &str, script: &str, trainee: &str) -> PathBuf {
    let path = dir.join(file);
    let out = run_cmd(
        &root().join("scenarios/knife_sidewalk.ron"),
        &root().join(format!("tests/transcripts/knife_sidewalk/{script}.txt")),
    )
    .args([
        "--trainee",
        trainee,
        "--record",
        path.to_str().unwrap(),
        "-q",
    ])
    .current_dir(root())
    .output()
    .unwrap();
    assert!(out.status.success(), "{out:?}");
    path
}

/// Turn a record into one from before scoring versions: no `scoring_version` field, and
/// the verbal (and overall) score the old rules gave.
fn make_version_1(path: &Path, verbal: f32, overall: f32) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("scoring_version");
    v["result"]["verbal"] = serde_json::json!(verbal);
    v["result"]["overall"] = serde_json::json!(overall);
    std::fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[test]
fn every_new_record_carries_the_scoring_version() {
    assert_eq!(SCORING_VERSION, 2);
    let dir = tmpdir("scoring", "new-record");
    let path = make_record(&dir, "r.json", "withdrew", "Ada");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["scoring_version"], serde_json::json!(SCORING_VERSION));
    let rec = Record::load(&path).unwrap();
    assert_eq!(rec.scoring_version, SCORING_VERSION);
    assert!(rec.scored_by_current_rules());
    // A record from before the field existed still loads, as version 1.
    make_version_1(&path, 26.0, 71.0);
    let old = Record::load(&path).unwrap();
    assert_eq!(old.scoring_version, 1);
    assert!(!old.scored_by_current_rules());
}

/// An old record is re-scored by re-simulating it: same run, today's scores, and a line
/// that says what changed. A tampered run (another ending) is not.
#[test]
fn an_old_record_is_rescored_and_says_so() {
    let dir = tmpdir("scoring", "rescore");
    let path = make_record(&dir, "r.json", "withdrew", "Ada");
    let now = Record::load(&path).unwrap().result;
    make_version_1(&path, 26.0, 71.0);
    let rec = Record::load(&path).unwrap();
    let sc = scenario("knife_sidewalk");
    let r = rec.replay_rescoring(Arc::clone(&sc)).unwrap();
    let x = r.rescored.expect("re-scored");
    assert_eq!(x.from, 1);
    assert_eq!(x.now, now);
    assert_eq!(x.stored.verbal, 26.0);
    assert_eq!(r.debrief.scores.verbal.score, now.verbal);
    let line = x.summary();
    assert!(
        line.starts_with(&format!(
            "re-scored with scoring version 2: verbal 26 → {}",
            now.verbal.round()
        )),
        "{line}"
    );
    assert!(line.contains("overall 71 →"), "{line}");
    // `replay` accepts it too (the after-action replay and the trainer use it).
    assert!(rec.replay(Arc::clone(&sc)).is_ok());

    // Another ending than the one stored: the run itself does not replay.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["result"]["ending"] = serde_json::json!("knife_down_care");
    std::fs::write(&path, v.to_string()).unwrap();
    let e = Record::load(&path)
        .unwrap()
        .replay_rescoring(sc)
        .unwrap_err()
        .to_string();
    assert!(e.contains("different run"), "{e}");
}

/// `deescalate debrief` re-scores an old record and says so; for one that cannot be
/// re-simulated it shows the stored scores and says why they are the old ones.
#[test]
fn debrief_rescores_an_old_record_or_says_why_it_cannot() {
    let dir = tmpdir("scoring", "debrief");
    let path = make_record(&dir, "r.json", "withdrew", "Ada");
    let now = Record::load(&path).unwrap().result;
    make_version_1(&path, 26.0, 71.0);
    let out = bin()
        .current_dir(root())
        .args(["debrief", path.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "note: re-scored with scoring version 2: verbal 26 → {}",
            now.verbal.round()
        )),
        "{stderr}"
    );
    assert!(
        stdout.contains(&format!("Verbal choices — {}/100", now.verbal.round())),
        "{stdout}"
    );

    // The inputs no longer apply to the scenario: stored scores, and why.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let say = v["inputs"]["entries"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["action"]["Say"].is_object())
        .unwrap();
    say["action"]["Say"]["option"] = serde_json::json!("no_such_option");
    std::fs::write(&path, v.to_string()).unwrap();
    let out = bin()
        .current_dir(root())
        .args(["debrief", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("scored with scoring version 1 and cannot be re-scored with version 2"),
        "{stdout}"
    );
    assert!(stdout.contains("it does not replay"), "{stdout}");
    assert!(stdout.contains("scores stored in the record"), "{stdout}");
    assert!(stdout.contains("Verbal choices        26"), "{stdout}");

    // No scenario file: the same, saying so.
    let out = bin()
        .current_dir(root())
        .args([
            "debrief",
            path.to_str().unwrap(),
            "--scenario",
            dir.join("gone.ron").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("its scenario file was not found"),
        "{stdout}"
    );

    // A record scored by today's rules that does not replay is still an error.
    let path = make_record(&dir, "now.json", "withdrew", "Ada");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["result"]["verbal"] = serde_json::json!(12.5);
    std::fs::write(&path, v.to_string()).unwrap();
    let out = bin()
        .current_dir(root())
        .args(["debrief", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("different result"));
}

/// `class` re-scores old records (the figures use the new scores, and it says so per run);
/// an old record that cannot be re-simulated is listed with its stored scores and why,
/// not mixed into the figures and not silently skipped.
#[test]
fn class_rescores_old_records_and_says_why_when_it_cannot() {
    let dir = tmpdir("scoring", "class");
    make_record(&dir, "a.json", "knife_down_care", "Ada Byron");
    let b = make_record(&dir, "b.json", "withdrew", "Ben Okri");
    let c = make_record(&dir, "c.json", "cut_himself", "Cy Twombly");
    let b_now = Record::load(&b).unwrap().result;
    make_version_1(&b, 26.0, 71.0);
    // c: old, and its inputs no longer apply.
    make_version_1(&c, 11.0, 55.0);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&c).unwrap()).unwrap();
    for e in v["inputs"]["entries"].as_array_mut().unwrap() {
        if e["action"]["Say"].is_object() {
            e["action"]["Say"]["option"] = serde_json::json!("no_such_option");
        }
    }
    std::fs::write(&c, v.to_string()).unwrap();

    let cl = class::load(&dir, Some(&root().join("scenarios/knife_sidewalk.ron"))).unwrap();
    assert!(cl.skipped.is_empty(), "{:#?}", cl.skipped);
    assert_eq!(cl.runs.len(), 2);
    let ra = cl.runs.iter().find(|r| r.file == "a.json").unwrap();
    let rb = cl.runs.iter().find(|r| r.file == "b.json").unwrap();
    assert!(ra.rescored.is_none());
    assert_eq!(rb.rescored.as_ref().map(|x| x.from), Some(1));
    assert_eq!(rb.result(), &b_now);
    assert_eq!(rb.debrief.scores.verbal.score, b_now.verbal);
    // The figures use the re-scored verbal, not the stored 26.
    let s = class::Summary::of(&cl);
    let verbal = s.score("verbal").unwrap();
    assert_eq!(verbal.n, 2);
    assert_eq!(verbal.min, b_now.verbal.min(ra.result().verbal));
    // c is listed, with its stored scores and the reason.
    assert_eq!(cl.not_rescored.len(), 1);
    let nc = &cl.not_rescored[0];
    assert_eq!(nc.file, "c.json");
    assert_eq!(nc.anon, "Trainee C");
    let why = nc.explain();
    assert!(why.contains("scored with scoring version 1"), "{why}");
    assert!(why.contains("does not replay"), "{why}");
    assert!(why.contains("verbal 11"), "{why}");
    assert!(why.contains("left out of the class figures"), "{why}");

    let text = class::text(&cl, &s, false);
    assert!(
        text.contains(&format!(
            "Trainee B: re-scored with scoring version 2: verbal 26 → {}",
            b_now.verbal.round()
        )),
        "{text}"
    );
    assert!(text.contains("Not re-scored (1 run"), "{text}");
    assert!(
        text.contains("Trainee C: scored with scoring version 1"),
        "{text}"
    );
    assert!(text.contains("v1 stored, not re-scored"), "{text}");
    let csv = class::csv(&cl, false);
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(
        csv.contains(",2,\"re-scored with scoring version 2"),
        "{csv}"
    );
    let html = class::html(&cl, &s, false);
    assert!(html.contains("Every score here is by scoring version 2"));
    assert!(html.contains("not re-scored"));
    for name in ["Ada", "Ben", "Okri", "Cy Twombly", "twombly"] {
        for page in [&text, &csv, &html] {
            assert!(!page.contains(name), "{name} leaked");
        }
    }

    // The CLI says the same.
    let out = bin()
        .current_dir(root())
        .args(["class", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("re-scored with scoring version 2: verbal 26"),
        "{stdout}"
    );
    assert!(stdout.contains("Not re-scored"), "{stdout}");
}

/// Where `progress` cannot re-simulate a run (its scenario is not in the scenario folders) it
/// shows the stored scores, and marks the runs scored by older rules. (Where it can, it
/// re-scores them: tests/verify.rs.)
#[test]
fn progress_marks_runs_scored_by_older_rules() {
    let dir = tmpdir("scoring", "progress");
    let old = make_record(&dir, "a.json", "withdrew", "Ada");
    make_record(&dir, "b.json", "knife_down_care", "Ada");
    make_version_1(&old, 26.0, 71.0);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&old).unwrap()).unwrap();
    v["started_unix"] = serde_json::json!(1);
    std::fs::write(&old, v.to_string()).unwrap();

    let no_scenarios = &mut deescalate::records::library::Library::only(Vec::new());
    let p = deescalate::cohort::progress::load_with(&dir, no_scenarios, None).unwrap();
    let runs = &p.trainees[0].runs;
    assert_eq!(runs.len(), 2);
    assert_eq!(
        (runs[0].scoring_version, runs[1].scoring_version),
        (1, SCORING_VERSION)
    );
    assert!(runs[0].older_rules() && !runs[1].older_rules());
    assert_eq!(runs[0].scores[3], 26.0, "the stored score, not re-scored");

    let text = deescalate::cohort::progress::text(&p);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("knife_sidewalk "))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[0].ends_with("† v1"), "{text}");
    assert!(!rows[1].contains('†'), "{text}");
    assert!(
        text.contains("† scored by an older version of the scoring rules"),
        "{text}"
    );
    assert!(
        text.contains("The first run was scored by scoring version 1, the latest by 2"),
        "{text}"
    );
    let csv = deescalate::cohort::progress::csv(&p);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "scoring_version").unwrap();
    let versions: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(col).unwrap())
        .collect();
    assert_eq!(versions, vec!["1", "2"]);
    assert!(deescalate::cohort::progress::html(&p).contains("† v1"));
}
