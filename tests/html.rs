//! The self-contained HTML debrief: built from real headless runs and checked for what a
//! trainee or instructor opening the file would notice.

use deescalate::assess::debrief::{Debrief, Speaker, build};
use deescalate::format::vocab::Tone;
use deescalate::report::html::render;
use deescalate::sim::script::{Script, run_script};
use deescalate::sim::{Event, EventKind, Sim};
use std::path::Path;
use std::sync::Arc;

const EVIL: &str = "<script>alert(1)</script>";

/// Bar patron, handled well: one voice, listening, the head injury, a dignified way out.
const GOOD_RUN: &str = "\
seed 7
0:00  walk 0 6.5
+6    say tess_step_back calm
+5    say introduce calm
+7    say tell_me_more calm
+7    say paraphrase calm
+8    say notice_head calm
+7    say ask_symptoms calm
+6    say offer_paramedics calm
+7    say bottle_on_bar calm
+6    say taxi calm
";

/// Bar patron, handled badly: rushing in, orders, shouting.
const ROUGH_RUN: &str = "\
seed 3
0:00  walk 0 6.5
+5    say order_out commanding
+4    say threaten_arrest shouting
+2    run 0 2 at 3
+3    hands weapon
";

/// Bar patron, mixed: a bad start, too close, then a recovery; with instructor actions.
const MIXED_RUN: &str = "\
seed 5
0:00  walk 0 6
+6    say bottle_first neutral
+5    say order_out firm
+3    walk 0 3.6
+5    say own_it calm
+3    walk 0 6
+4    flag \"stepped back out of reach <well done>\"
+4    say tell_me_more calm
+8    say paraphrase calm
+3    nudge 5
+6    say humour calm
+7    say offer_exit calm
+6    say call_family calm
";

fn scenario_path() -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures/check/minimal_ok.ron");
    let bundled = root.join("scenarios/bar_patron.ron");
    if bundled.exists() { bundled } else { fixture }
}

fn debrief_for(script: &str, trainee: Option<&str>) -> Debrief {
    let (scenario, _report) = deescalate::check::load_scenario(&scenario_path())
        .unwrap_or_else(|r| panic!("scenario does not load:\n{}", r.render(false)));
    let scenario = Arc::new(scenario);
    let script = Script::parse(script).unwrap_or_else(|e| panic!("script: {e}"));
    let mut sim = Sim::new(Arc::clone(&scenario), script.seed.unwrap_or(1)).unwrap();
    // An option the scenario does not offer at that moment stops the run early; the
    // debrief of a stopped run must render too, so that is not a failure here.
    let _ = run_script(&mut sim, &script);
    build(&scenario, &sim.result(), trainee)
}

fn escape(s: &str) -> String {
    deescalate::report::html::escape(s)
}

/// The `points` attribute of the polyline with this class.
fn polyline_points(html: &str, class: &str) -> Option<usize> {
    let start = html.find(&format!("<polyline class=\"{class}\""))?;
    let rest = &html[start..];
    let p = rest.find("points=\"")? + "points=\"".len();
    let end = rest[p..].find('"')?;
    Some(rest[p..p + end].split_whitespace().count())
}

/// Write the page next to the build output when `DEESCALATE_HTML_OUT` names a directory
/// (used to look at it in a browser).
fn maybe_save(name: &str, html: &str) {
    if let Ok(dir) = std::env::var("DEESCALATE_HTML_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(name), html).unwrap();
    }
}

fn assert_well_formed_enough(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(!html.contains("NaN"), "NaN in output");
    assert!(!html.contains("inf\""), "infinity in output");
    assert_eq!(
        html.matches("<svg").count(),
        html.matches("</svg>").count(),
        "unbalanced svg"
    );
    for tag in ["section", "table", "figure", "ul", "ol"] {
        assert_eq!(
            html.matches(&format!("<{tag}")).count(),
            html.matches(&format!("</{tag}>")).count(),
            "unbalanced <{tag}>"
        );
    }
}

#[test]
fn page_is_self_contained() {
    let d = debrief_for(GOOD_RUN, Some("Sam Trainee"));
    let html = render(&d);
    maybe_save("good.html", &html);
    assert_well_formed_enough(&html);
    let lower = html.to_lowercase();
    for bad in [
        "src=\"http",
        "src='http",
        "href=\"http",
        "href='http",
        "src=\"//",
        "href=\"//",
        "<link",
        "@import",
        "url(",
        "<script",
        "<img",
        "<iframe",
    ] {
        assert!(!lower.contains(bad), "external reference or script: {bad}");
    }
    assert!(html.contains("<style>"));
    assert!(html.contains("@media print"));
    assert!(html.contains("size:A4"));
}

#[test]
fn both_charts_draw_every_sample() {
    let d = debrief_for(GOOD_RUN, None);
    assert!(d.samples.len() > 10, "the run should last a while");
    let html = render(&d);
    assert!(html.contains("id=\"chart-agitation\""));
    assert!(html.contains("id=\"chart-distance\""));
    assert!(html.matches("<svg class=\"chart\"").count() >= 2);
    assert_eq!(
        polyline_points(&html, "series-agitation"),
        Some(d.samples.len())
    );
    assert_eq!(
        polyline_points(&html, "series-trust"),
        Some(d.samples.len())
    );
    assert_eq!(
        polyline_points(&html, "series-distance"),
        Some(d.samples.len())
    );
    // The distance chart shades the subject's zones and the ideal band.
    assert!(html.contains("Reactionary gap: closer than"));
    assert!(html.contains("Personal space: closer than"));
    assert!(html.contains("Ideal distance"));
}

#[test]
fn every_line_of_the_timeline_appears() {
    let d = debrief_for(GOOD_RUN, None);
    let said = d
        .timeline
        .iter()
        .filter(|e| e.speaker == Speaker::Trainee && e.tone.is_some())
        .count();
    assert!(said >= 5, "expected several utterances, got {said}");
    let html = render(&d);
    for e in &d.timeline {
        assert!(
            html.contains(&escape(&e.text)),
            "timeline text missing: {}",
            e.text
        );
        if let Some(n) = &e.note {
            assert!(html.contains(&escape(n)), "timeline note missing: {n}");
        }
    }
    // The subject's name has quotes in it ("Moe") and must come out escaped.
    if d.subject_name.contains('"') {
        assert!(html.contains(&escape(&d.subject_name)));
    }
    // Every utterance has a tooltip marker on the charts.
    let utterances = d
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Utterance { .. }))
        .count();
    assert!(html.matches("<g class=\"mk\">").count() >= utterances * 2);
}

#[test]
fn scores_are_itemised_with_times() {
    let d = debrief_for(ROUGH_RUN, None);
    let html = render(&d);
    maybe_save("rough.html", &html);
    assert_well_formed_enough(&html);
    for s in d.scores.dims() {
        assert!(html.contains(&escape(s.dimension.title())));
        assert!(html.contains(&escape(&s.base_reason)));
        for i in &s.items {
            assert!(
                html.contains(&escape(&i.reason)),
                "missing item {}",
                i.reason
            );
        }
    }
    let lost = d
        .scores
        .dims()
        .into_iter()
        .flat_map(|s| s.items.iter())
        .find(|i| i.points < 0.0 && i.t.is_some())
        .expect("a rough run loses points at a moment");
    let t = deescalate::assess::score::clock(lost.t.unwrap());
    assert!(html.contains(&format!("<span class=\"ts\">{t}</span>")));
    assert!(html.contains("class=\"minus\""));
    // No verdict-style recognition for a run that did not de-escalate.
    assert!(!d.deescalated);
    assert!(!html.contains("What went well"));
}

#[test]
fn deescalated_run_gets_recognition() {
    let d = debrief_for(GOOD_RUN, None);
    if d.deescalated {
        let html = render(&d);
        assert!(html.contains("What went well"));
        assert!(html.contains(&escape(d.recognition.as_deref().unwrap())));
    }
}

#[test]
fn untrusted_text_is_escaped_everywhere() {
    let mut d = debrief_for(GOOD_RUN, Some(EVIL));
    d.scenario_title = format!("Title {EVIL}");
    d.subject_name = format!("Subject {EVIL}");
    d.objectives.push(format!("Objective {EVIL}"));
    if let Some(first) = d.timeline.first_mut() {
        first.text = format!("Line {EVIL} & \"quotes\"");
    }
    // Event text reaches the SVG <title> tooltips.
    for e in &mut d.events {
        if let EventKind::Utterance { text, .. } = &mut e.kind {
            *text = format!("Said {EVIL}");
        }
    }
    let html = render(&d);
    assert!(!html.contains(EVIL), "raw script tag in output");
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Said &lt;script&gt;"), "tooltips not escaped");
    assert!(html.contains("&amp; &quot;quotes&quot;"));
}

#[test]
fn zero_samples_still_renders() {
    let mut d = debrief_for(GOOD_RUN, None);
    d.samples.clear();
    d.events.clear();
    d.timeline.clear();
    d.key_moments.clear();
    d.duration = 0.0;
    d.outcome = None;
    d.ending_title = None;
    d.ending_summary = None;
    d.recognition = None;
    d.deescalated = false;
    let html = render(&d);
    maybe_save("empty.html", &html);
    assert_well_formed_enough(&html);
    assert!(html.contains("No samples were recorded"));
    assert!(html.contains("stopped before an ending"));
    assert_eq!(polyline_points(&html, "series-agitation"), None);
}

#[test]
fn one_sample_and_nonsense_numbers_render_without_nan() {
    let mut d = debrief_for(GOOD_RUN, None);
    d.samples.truncate(1);
    d.duration = f32::NAN;
    d.ideal_distance = (f32::NAN, f32::INFINITY);
    d.personal_space = -1.0;
    d.agitation.peak = f32::NAN;
    let html = render(&d);
    assert_well_formed_enough(&html);
    assert_eq!(polyline_points(&html, "series-agitation"), Some(1));
}

#[test]
fn run_with_nothing_said_renders() {
    // The trainee walks in and says nothing until the run is stopped.
    let d = debrief_for("seed 1\n0:00 walk 0 8\n1:00 end\n", None);
    assert!(
        !d.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Utterance { .. }))
    );
    let html = render(&d);
    maybe_save("silent.html", &html);
    assert_well_formed_enough(&html);
    assert_eq!(
        polyline_points(&html, "series-agitation"),
        Some(d.samples.len())
    );
    assert!(html.contains("stopped before an ending") || d.ending_title.is_some());
}

#[test]
fn very_long_run_thins_its_markers() {
    let mut d = debrief_for(GOOD_RUN, None);
    let template = d
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Utterance { .. }))
        .cloned()
        .expect("an utterance");
    let last = d.samples.last().copied().unwrap();
    for i in 0..5000u32 {
        let t = last.t + 1.0 + i as f32;
        let mut s = last;
        s.t = t;
        d.samples.push(s);
        let mut e: Event = template.clone();
        e.t = t;
        e.tick = (t * 10.0) as u32;
        if let EventKind::Utterance { tone, .. } = &mut e.kind {
            *tone = Tone::ALL[i as usize % 5];
        }
        d.events.push(e);
    }
    d.duration = d.samples.last().unwrap().t;
    let html = render(&d);
    maybe_save("long.html", &html);
    assert_well_formed_enough(&html);
    assert_eq!(
        polyline_points(&html, "series-agitation"),
        Some(d.samples.len())
    );
    let markers = html.matches("<g class=\"mk\">").count();
    assert!(markers < 2 * 300, "{markers} markers drawn for a long run");
    assert!(html.contains("more nearby"));
}

#[test]
fn instructor_actions_and_zones_show() {
    let d = debrief_for(MIXED_RUN, Some("Alex O'Neill"));
    let html = render(&d);
    maybe_save("mixed.html", &html);
    assert_well_formed_enough(&html);
    assert!(!d.instructor.is_empty(), "the script flags and nudges");
    assert!(html.contains("id=\"instructor\""));
    assert!(html.contains("stepped back out of reach &lt;well done&gt;"));
    assert!(html.contains("Alex O&#39;Neill"));
    assert!(
        d.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Zone { entered: true, .. }))
    );
    assert!(html.contains("entered reactionary gap"));
    for n in &d.indicators {
        let label = n.indicator.label();
        assert!(
            html.to_lowercase().contains(label),
            "indicator {label} missing"
        );
    }
    assert_eq!(html.matches("<p class=\"q\"><em>").count(), d.cdm.len());
}

#[test]
fn the_page_and_the_terminal_show_the_same_overall_score() {
    // Whatever the fraction, both show the whole number (95, not 95 and 95.3).
    let mut d = debrief_for("seed 1\n0:00 walk 0 10\n0:20 end\n", None);
    d.scores.overall = 95.3;
    let html = render(&d);
    let text = deescalate::report::text(&d);
    assert!(
        html.contains("<div class=\"score\">95<small>"),
        "html overall is not 95"
    );
    assert!(!html.contains(">95.3"), "a visible 95.3");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("Overall") && l.trim_end().ends_with("95")),
        "{text}"
    );
}
