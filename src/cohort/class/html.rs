//! The class debrief as a projector slide deck: one self-contained 16:9 HTML page, a function
//! per slide, its style and key handling in `deck.css` and `deck.js`. Without `--names` no
//! trainee name or record file name is written into the page.

use super::charts::{
    boxplot_svg, family_fill, histograms_svg, moment_bar_svg, outcome_svg, tone_bar_svg, tone_fill,
};
use super::decisions::{Decision, LedTo, OptionSplit, led_label, scene_title};
use super::load::{Class, Run};
use super::stats::pct;
use super::summary::{Summary, outcome_family};
use crate::assess::score::{SCORING_VERSION, clock};
use crate::cohort::attempts::{GroupStats, Groups};
use crate::cohort::fmt::{esc, plural, signed};
use crate::format::scenario::Scenario;
use crate::format::vocab::Tone;
use crate::report::n0;
use std::fmt::Write;

/// The deck's style: 16:9 frames that scale with the window, dark, large type.
const DECK_CSS: &str = include_str!("deck.css");
/// The deck's keys: arrows, space, Home and End move; `__NAMES__` becomes the `N` key when
/// the names are in the page.
const DECK_JS: &str = include_str!("deck.js");

/// The slides so far: an id (the URL fragment) and the inner HTML of each.
struct Deck {
    slides: Vec<(String, String)>,
}

impl Deck {
    fn add(&mut self, id: &str, inner: String) {
        self.slides.push((id.to_string(), inner));
    }

    /// The whole page: every slide in its 16:9 frame with a footer, the style, and the keys
    /// (`N` only when the names are in the page).
    fn page(&self, title: &str, names: bool) -> String {
        let total = self.slides.len();
        let mut o = String::new();
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Class debrief — {}</title><style>\n{DECK_CSS}</style></head>\n<body class=\"anon\"{}>\n",
            esc(title),
            if names { " data-names" } else { "" }
        );
        let hint = if names {
            "← → move · N names"
        } else {
            "← → move · names anonymised"
        };
        for (i, (id, inner)) in self.slides.iter().enumerate() {
            let _ = writeln!(
                o,
                "<section class=\"slide\" id=\"{}\"><div class=\"frame\">{inner}<div class=\"foot\"><span>{}</span><span>{hint}</span><span>{} / {total}</span></div></div></section>",
                esc(id),
                esc(title),
                i + 1
            );
        }
        // The `N` key exists only when the names are in the page.
        let js = DECK_JS.replace(
            "__NAMES__",
            if names {
                "else if(key==='n'||key==='N'){document.body.classList.toggle('anon');e.preventDefault();}"
            } else {
                ""
            },
        );
        let _ = write!(o, "<script>\n{js}</script>\n</body></html>\n");
        o
    }
}

/// A slide comparing first attempts with repeats and, where it mattered, temperaments.
fn groups_slide(deck: &mut Deck, g: &Groups) {
    let show_t = g.temperaments.len() > 1 && g.temperament_matters;
    if g.repeats.runs == 0 && !show_t {
        return;
    }
    let mut b = String::from(
        "<p class=\"kicker\">Not everyone met the same situation</p><h2>Repeats and temperaments</h2><div class=\"grow\"><table><tr><th>Group</th><th class=\"num\">Runs</th><th class=\"num\">De-escalated</th><th class=\"num\">Mean overall</th></tr>",
    );
    let mut rows: Vec<&GroupStats> = Vec::new();
    if g.repeats.runs > 0 {
        rows.extend([&g.first, &g.repeats]);
    }
    if show_t {
        rows.extend(g.temperaments.iter());
    }
    for x in rows {
        let _ = write!(
            b,
            "<tr><td class=\"wrap\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}%</td><td class=\"num\"><b>{}</b></td></tr>",
            esc(&x.label),
            x.runs,
            n0(x.deescalated_pct()),
            n0(x.mean_overall)
        );
    }
    b.push_str("</table></div><p class=\"body muted\">A repeat may reward a remembered script; a different temperament asks for the same skills on a different person.</p>");
    deck.add("groups", b);
}

/// A trainee's name for the deck: with `names`, both the label and the name are in the
/// page and `N` switches between them; without, only the label.
fn who_html(anon: &str, trainee: &str, names: bool) -> String {
    if names {
        format!(
            "<span class=\"nm\"><span class=\"a\">{}</span><span class=\"r\">{}</span></span>",
            esc(anon),
            esc(trainee.trim())
        )
    } else {
        esc(anon)
    }
}

/// The colour class of a change in agitation: "up" (rose), "down" (fell) or "flat".
fn delta_class(d: f32) -> &'static str {
    if d >= 0.5 {
        "up"
    } else if d <= -0.5 {
        "down"
    } else {
        "flat"
    }
}

/// The tone colour key with how often each tone was used.
fn tone_legend(tones: &[usize; 5]) -> String {
    let mut o = String::from("<div class=\"legend\">");
    for t in Tone::ALL {
        let _ = write!(
            o,
            "<span><i style=\"background:{}\"></i>{} {}</span>",
            tone_fill(t),
            esc(t.label()),
            tones[t as usize]
        );
    }
    o.push_str("</div>");
    o
}

/// What came next after an option, as HTML. When the class used more than one tone, one
/// line per tone with its own mean change in agitation: that is where tone shows.
fn nexts_html(opt: &OptionSplit, sc: &Scenario) -> String {
    let dests = |led: &[LedTo]| {
        let mut parts: Vec<String> = led
            .iter()
            .take(2)
            .map(|l| format!("{} ×{}", led_label(&l.to, sc, true), l.count))
            .collect();
        if led.len() > 2 {
            parts.push(format!("+{} more", led.len() - 2));
        }
        esc(&parts.join(" · "))
    };
    if opt.cells.len() <= 1 {
        // One line per place it led.
        let mut o = String::new();
        for l in opt.led_to.iter().take(3) {
            let _ = write!(
                o,
                "<span class=\"tl\">{} ×{}</span>",
                esc(&led_label(&l.to, sc, true)),
                l.count
            );
        }
        if opt.led_to.len() > 3 {
            let _ = write!(
                o,
                "<span class=\"tl\">+{} more</span>",
                opt.led_to.len() - 3
            );
        }
        return o;
    }
    let mut o = String::new();
    for c in opt.cells.iter().take(3) {
        let _ = write!(
            o,
            "<span class=\"tl\"><i style=\"background:{}\"></i>{} <b class=\"{}\">{}</b> {}</span>",
            tone_fill(c.tone),
            esc(c.tone.label()),
            delta_class(c.mean_delta),
            esc(&signed(c.mean_delta)),
            dests(&c.led_to)
        );
    }
    if opt.cells.len() > 3 {
        let _ = write!(
            o,
            "<span class=\"tl\">+{} more tones</span>",
            opt.cells.len() - 3
        );
    }
    o
}

/// The class debrief as one self-contained HTML slide deck (16:9, dark, large type).
///
/// Without `names`, no trainee name or record file name is written into the page at all.
/// With `names`, the page opens anonymised and `N` shows or hides the names.
pub fn html(class: &Class, s: &Summary, names: bool) -> String {
    let mut deck = Deck { slides: Vec::new() };
    title_slide(&mut deck, class, s);
    outcomes_slide(&mut deck, s);
    endings_slide(&mut deck, s);
    groups_slide(&mut deck, &s.groups);
    scores_slides(&mut deck, s);
    for (k, d) in s.decisions.iter().enumerate() {
        decision_slide(&mut deck, class, s, k, d);
    }
    moments_slide(&mut deck, s);
    runs_slides(&mut deck, class, names);
    scoring_slide(&mut deck, class, names);
    skipped_slide(&mut deck, class, names);
    deck.page(&s.scenario_title, names)
}

/// The title slide: the scenario, who took part, four headline figures, and what was left out.
fn title_slide(deck: &mut Deck, class: &Class, s: &Summary) {
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"kicker\">Class debrief</p><h1>{}</h1>",
        esc(&s.scenario_title)
    );
    let cohort = if s.cohorts.is_empty() {
        String::new()
    } else {
        format!(" · cohort {}", esc(&s.cohorts.join(", ")))
    };
    let _ = write!(
        b,
        "<p class=\"big muted\">{} run{} by {} trainee{}{}</p>",
        s.runs,
        plural(s.runs),
        s.trainees,
        plural(s.trainees),
        cohort
    );
    let overall = s.score("overall");
    let _ = write!(
        b,
        "<div class=\"stats\"><div class=\"stat\"><b>{}</b><span>runs</span></div><div class=\"stat\"><b class=\"down\">{}%</b><span>de-escalated ({} of {})</span></div><div class=\"stat\"><b>{}</b><span>median overall score</span></div><div class=\"stat\"><b>{}</b><span>mean length</span></div></div>",
        s.runs,
        n0(pct(s.deescalated, s.runs)),
        s.deescalated,
        s.runs,
        overall.map_or("–".into(), |d| n0(d.median)),
        clock(s.mean_duration)
    );
    left_out_html(&mut b, class);
    deck.add("title", b);
}

/// The title slide's lines on record files not used and runs not re-scored.
fn left_out_html(b: &mut String, class: &Class) {
    if !class.skipped.is_empty() {
        let _ = write!(
            b,
            "<p class=\"body muted\" style=\"margin-top:calc(var(--u)*2)\">{} record file{} could not be used (listed on the last slide).</p>",
            class.skipped.len(),
            plural(class.skipped.len())
        );
    }
    if !class.not_rescored.is_empty() {
        let _ = write!(
            b,
            "<p class=\"body muted\">{} run{} scored by older rules could not be re-scored and {} not in these figures (see the scoring slide).</p>",
            class.not_rescored.len(),
            plural(class.not_rescored.len()),
            if class.not_rescored.len() == 1 {
                "is"
            } else {
                "are"
            }
        );
    }
}

/// How the contacts ended: the outcome bars and their colour key.
fn outcomes_slide(deck: &mut Deck, s: &Summary) {
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"kicker\">How the contacts ended</p><h2>Outcomes — {} of {} de-escalated</h2><div class=\"chart\">{}</div><div class=\"legend\"><span><i style=\"background:{}\"></i>de-escalated</span><span><i style=\"background:{}\"></i>withdrawn or unresolved</span><span><i style=\"background:{}\"></i>force, flight or injury</span></div>",
        s.deescalated,
        s.runs,
        outcome_svg(s),
        family_fill("good"),
        family_fill("mid"),
        family_fill("hard")
    );
    deck.add("outcomes", b);
}

/// The ten most reached endings as a table.
fn endings_slide(deck: &mut Deck, s: &Summary) {
    let mut b = String::from(
        "<p class=\"kicker\">Where the story went</p><h2>Endings reached</h2><div class=\"grow\"><table><tr><th class=\"num\">Runs</th><th class=\"num\">%</th><th>Ending</th><th>Outcome</th></tr>",
    );
    for e in s.endings.iter().take(10) {
        let fam = outcome_family(e.outcome);
        let _ = write!(
            b,
            "<tr><td class=\"num\"><b>{}</b></td><td class=\"num\">{}%</td><td class=\"wrap\">{}</td><td><span class=\"pill {fam}\">{}</span></td></tr>",
            e.count,
            n0(e.pct),
            esc(&e.title),
            esc(e.outcome.map_or("none", |o| o.label()))
        );
    }
    b.push_str("</table></div>");
    deck.add("endings", b);
}

/// The scores: one slide of box plots, one of histograms.
fn scores_slides(deck: &mut Deck, s: &Summary) {
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"kicker\">Scores 0–100</p><h2>How the class scored</h2><p class=\"body muted\">Box: middle half of the class · white bar: median · whiskers: lowest to highest · <span style=\"color:#fde047\">◆</span> mean</p><div class=\"chart\">{}</div>",
        boxplot_svg(s)
    );
    deck.add("scores", b);
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"kicker\">Scores 0–100</p><h2>Spread of scores (10-point bins)</h2><div class=\"chart\">{}</div>",
        histograms_svg(s)
    );
    deck.add("histograms", b);
}

/// Decision point `k`: the subject's line, then up to eight options with their tone bars.
fn decision_slide(deck: &mut Deck, class: &Class, s: &Summary, k: usize, d: &Decision) {
    let sc = &class.scenario;
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"kicker\">Decision point {} of {}</p><div class=\"head\"><h2>{}</h2><p class=\"body muted\">reached in {} of {} runs · {} choice{}</p></div>",
        k + 1,
        s.decisions.len(),
        esc(&scene_title(&d.scene)),
        d.reached,
        s.runs,
        d.choices,
        plural(d.choices)
    );
    if let Some(l) = &d.line {
        let _ = write!(
            b,
            "<p class=\"quote\" title=\"{}\">{}: “{}”</p>",
            esc(l),
            esc(&sc.subject.name),
            esc(l)
        );
    }
    let dense = d.options.len() > 4;
    let _ = write!(
        b,
        "{}<div class=\"grow top{}\"><div class=\"opts\"><div class=\"cols\"><span>Who chose it, and in which tone</span><span>Δ agitation</span><span>What came next</span></div>",
        tone_legend(&d.by_tone),
        if dense { " dense" } else { "" }
    );
    let max = d.options.iter().map(|o| o.count).max().unwrap_or(1);
    for opt in d.options.iter().take(8) {
        option_html(&mut b, opt, max, d.choices, sc);
    }
    if d.options.len() > 8 {
        let _ = write!(
            b,
            "<p class=\"body muted\">… and {} more option{} (see the terminal summary).</p>",
            d.options.len() - 8,
            plural(d.options.len() - 8)
        );
    }
    b.push_str("</div></div>");
    deck.add(&format!("decision-{}", k + 1), b);
}

/// One option on a decision slide: what was said, its tone bar, Δ agitation, what came next.
fn option_html(b: &mut String, opt: &OptionSplit, max: usize, total: usize, sc: &Scenario) {
    let _ = write!(
        b,
        "<div class=\"opt\"><div class=\"say\" title=\"{} ({})\">“{}”</div><div class=\"row\">{}<span class=\"delta {}\" title=\"mean change in agitation\">{}</span><span class=\"next\">{}</span></div></div>",
        esc(&opt.text),
        esc(&opt.option),
        esc(&opt.text),
        tone_bar_svg(opt, max, total),
        delta_class(opt.mean_delta),
        esc(&signed(opt.mean_delta)),
        nexts_html(opt, sc)
    );
}

/// The eight most common key moments, each with a bar of the runs it happened in.
fn moments_slide(deck: &mut Deck, s: &Summary) {
    if s.moments.is_empty() {
        return;
    }
    let mut b = String::from(
        "<p class=\"kicker\">What moved agitation most</p><h2>Most common key moments</h2><div class=\"grow\"><div class=\"moments\">",
    );
    for m in s.moments.iter().take(8) {
        let _ = write!(
            b,
            "<div class=\"moment\">{}<span class=\"what\" title=\"{}\">{}</span><span class=\"d {}\">Δ {}</span></div>",
            moment_bar_svg(m, s.runs),
            esc(&m.category),
            esc(&m.category),
            delta_class(m.mean_delta),
            esc(&signed(m.mean_delta))
        );
    }
    b.push_str("</div><p class=\"body muted\" style=\"margin-top:calc(var(--u)*1.6)\">Bar: runs where it was a key moment · Δ: mean change in agitation (red: rose, green: fell)</p></div>");
    deck.add("moments", b);
}

/// Every counted run, twelve to a slide.
fn runs_slides(deck: &mut Deck, class: &Class, names: bool) {
    let per = 12;
    let pages = class.runs.len().div_ceil(per);
    for (p, chunk) in class.runs.chunks(per).enumerate() {
        let mut b = String::new();
        let _ = write!(
            b,
            "<p class=\"kicker\">Every run{}</p><h2>Runs</h2><div class=\"grow\" style=\"justify-content:flex-start\"><table class=\"runs\"><colgroup><col style=\"width:19%\"><col style=\"width:9%\"><col style=\"width:33%\"><col style=\"width:6.5%\"><col style=\"width:6.5%\"><col style=\"width:6.5%\"><col style=\"width:8.5%\"><col style=\"width:11%\"></colgroup><tr><th>Trainee</th><th>Cohort</th><th>Outcome</th><th class=\"num\">Dist.</th><th class=\"num\">Time</th><th class=\"num\">Tone</th><th class=\"num\">Verbal</th><th class=\"num\">Overall</th></tr>",
            if pages > 1 {
                format!(" · {} of {pages}", p + 1)
            } else {
                String::new()
            }
        );
        for r in chunk {
            run_row_html(&mut b, r, names);
        }
        b.push_str("</table></div>");
        deck.add(&format!("runs-{}", p + 1), b);
    }
}

/// One row of the runs table; a record changed after it was signed is marked "(edited)".
fn run_row_html(b: &mut String, r: &Run, names: bool) {
    let res = r.result();
    let _ = write!(
        b,
        "<tr><td>{}{}</td><td>{}</td><td><b class=\"oc {}\">{}</b></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td></tr>",
        who_html(&r.anon, &r.record.trainee, names),
        if r.verification.contradicted() {
            " <b title=\"its signature does not match: changed after it was written\">(edited)</b>"
        } else {
            ""
        },
        esc(r.record.cohort.as_deref().unwrap_or("–")),
        outcome_family(r.debrief.outcome),
        esc(r.debrief.outcome.map_or("no ending", |o| o.label())),
        n0(res.distance),
        n0(res.time),
        n0(res.tone),
        n0(res.verbal),
        n0(res.overall)
    );
}

/// Scoring versions: which runs were re-scored, and which could not be.
fn scoring_slide(deck: &mut Deck, class: &Class, names: bool) {
    let rescored: Vec<&Run> = class.runs.iter().filter(|r| r.rescored.is_some()).collect();
    if rescored.is_empty() && class.not_rescored.is_empty() {
        return;
    }
    let mut b = format!(
        "<p class=\"kicker\">Scoring rules</p><h2>Every score here is by scoring version {SCORING_VERSION}</h2><ul class=\"skip\">"
    );
    for r in rescored.iter().take(12) {
        if let Some(x) = &r.rescored {
            let _ = write!(
                b,
                "<li><b>{}</b>: {}</li>",
                who_html(&r.anon, &r.record.trainee, names),
                esc(&x.summary())
            );
        }
    }
    if rescored.len() > 12 {
        let _ = write!(b, "<li>… and {} more re-scored</li>", rescored.len() - 12);
    }
    for r in &class.not_rescored {
        let _ = write!(
            b,
            "<li><b>{}</b>: not re-scored — {}</li>",
            who_html(&r.anon, &r.record.trainee, names),
            esc(&r.explain())
        );
    }
    b.push_str("</ul>");
    deck.add("scoring", b);
}

/// The record files that could not be used, with why; file names only with `names`.
fn skipped_slide(deck: &mut Deck, class: &Class, names: bool) {
    if class.skipped.is_empty() {
        return;
    }
    let mut b = format!(
        "<p class=\"kicker\">Not included</p><h2>{} record file{} could not be used</h2><ul class=\"skip\">",
        class.skipped.len(),
        plural(class.skipped.len())
    );
    for (i, k) in class.skipped.iter().take(12).enumerate() {
        // File names often carry the trainee's name: only shown with names on.
        let label = if names {
            esc(&k.file)
        } else {
            format!("File {}", i + 1)
        };
        let _ = write!(b, "<li><b>{label}</b>: {}</li>", esc(&k.reason));
    }
    if class.skipped.len() > 12 {
        let _ = write!(b, "<li>… and {} more</li>", class.skipped.len() - 12);
    }
    b.push_str("</ul>");
    deck.add("skipped", b);
}

#[cfg(test)]
mod tests {
    use super::Deck;

    fn deck() -> Deck {
        let mut d = Deck { slides: Vec::new() };
        d.add("title", "<h1>One</h1>".into());
        d.add("runs-1", "<h2>Two</h2>".into());
        d
    }

    #[test]
    fn the_page_carries_its_style_and_keys_and_numbers_the_slides() {
        let page = deck().page("Bar & <grill>", false);
        assert!(page.contains(&format!("<style>\n{}</style>", include_str!("deck.css"))));
        assert!(page.contains("<style>\n:root{--u:"));
        assert!(page.contains("ArrowRight"));
        assert!(page.ends_with("})();\n</script>\n</body></html>\n"));
        assert!(page.contains("<title>Class debrief — Bar &amp; &lt;grill&gt;</title>"));
        assert!(page.contains("<span>1 / 2</span>") && page.contains("<span>2 / 2</span>"));
        assert!(page.contains("id=\"runs-1\""));
        assert!(!page.contains("__NAMES__"));
    }

    #[test]
    fn the_names_key_exists_only_when_names_are_in_the_page() {
        let anon = deck().page("T", false);
        assert!(!anon.contains("key==='n'"));
        assert!(!anon.contains("data-names"));
        assert!(anon.contains("names anonymised"));
        let named = deck().page("T", true);
        assert!(named.contains("key==='n'||key==='N'"));
        assert!(named.contains("<body class=\"anon\" data-names>"));
        assert!(named.contains("← → move · N names"));
    }
}
