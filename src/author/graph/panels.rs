//! The side panel: one hidden section per node (a scene's lines, options and triggers; an
//! ending's summary and route; a branch point's ways) and a summary shown first. All text
//! goes through [`esc`]; links to other nodes carry only the node's number.

use super::html::{clip, esc};
use super::model::{condition_label, when_label};
use super::{Family, Graph, Kind, Overlays};
use crate::format::scenario::{Choice, Condition, Next, Scenario, Trigger};
use crate::format::variation::LineVariant;
use crate::sim::describe_when;
use std::fmt::Write;

/// The summary, then every node's section.
pub fn all(o: &mut String, sc: &Scenario, g: &Graph, ov: &Overlays) {
    summary(o, sc, g, ov);
    for i in 0..g.nodes.len() {
        let _ = write!(o, "<section class=\"p\" id=\"p{i}\" hidden>");
        match g.nodes[i].kind {
            Kind::Scene(s) => scene(o, sc, g, ov, i, s),
            Kind::Ending(e) => ending(o, sc, g, ov, i, e),
            Kind::Anywhere => anywhere(o, sc, g, ov),
            Kind::Branch => branch(o, sc, g, i),
        }
        o.push_str("</section>");
    }
}

fn link(sc: &Scenario, g: &Graph, n: usize) -> String {
    format!("<a href=\"#\" data-go=\"{n}\">{}</a>", esc(g.name(sc, n)))
}

fn conditions(cs: &[Condition]) -> String {
    cs.iter()
        .map(condition_label)
        .collect::<Vec<_>>()
        .join(" and ")
}

fn summary(o: &mut String, sc: &Scenario, g: &Graph, ov: &Overlays) {
    let options: usize = sc.scenes.iter().map(|s| s.options.len()).sum();
    let triggers: usize =
        sc.scenes.iter().map(|s| s.triggers.len()).sum::<usize>() + sc.triggers.len();
    let _ = write!(
        o,
        "<section class=\"p\" id=\"psum\"><h2>{}</h2><p class=\"muted\">{} · start scene {}</p>\
         <p>{} scenes, {} endings, {options} options, {triggers} triggers. Click a scene or \
         ending for its lines, options and triggers; drag to move, wheel or +/− to zoom; \
         search finds ids and words.</p>",
        esc(&sc.title),
        esc(&sc.id),
        g.start.map(|s| link(sc, g, s)).unwrap_or_default(),
        sc.scenes.len(),
        sc.endings.len()
    );
    let unreachable: Vec<String> = (0..g.nodes.len())
        .filter(|&i| {
            !g.nodes[i].reachable && matches!(g.nodes[i].kind, Kind::Scene(_) | Kind::Ending(_))
        })
        .map(|i| link(sc, g, i))
        .collect();
    if !unreachable.is_empty() {
        let _ = write!(
            o,
            "<h3>⊘ Unreachable from the start ({})</h3><p>No option, tone branch, trigger or \
             branch leads here from the start scene: {}</p>",
            unreachable.len(),
            unreachable.join(", ")
        );
    }
    if let Some(r) = &ov.report {
        finder_summary(o, sc, g, r);
    } else {
        o.push_str("<p class=\"muted\">The route finder did not run (--no-routes).</p>");
    }
    if let Some(r) = &ov.record {
        let _ = write!(o, "<h3>① Record</h3><p>{}</p>", esc(&r.caption));
        let steps: Vec<String> = r
            .walk
            .nodes
            .iter()
            .filter(|&&n| !matches!(g.nodes[n].kind, Kind::Branch))
            .map(|&n| link(sc, g, n))
            .collect();
        let _ = write!(
            o,
            "<ol class=\"path\"><li>{}</li></ol>",
            steps.join("</li><li>")
        );
        for n in &r.walk.notes {
            let _ = write!(o, "<p class=\"note\">{}</p>", esc(n));
        }
    }
    o.push_str("</section>");
}

fn finder_summary(o: &mut String, sc: &Scenario, g: &Graph, r: &crate::explore::routes::Report) {
    let _ = write!(
        o,
        "<h3>Route finder</h3><p>A route to {} of {} endings ({} story states explored). \
         Pick one under “Route to” to see it.</p>",
        r.routes.len(),
        sc.endings.len(),
        r.states
    );
    let find = |id: &str, ending: bool| {
        (0..g.nodes.len()).find(|&n| match g.nodes[n].kind {
            Kind::Scene(s) => !ending && sc.scenes[s].id == id,
            Kind::Ending(e) => ending && sc.endings[e].id == id,
            _ => false,
        })
    };
    let mut list = |title: &str, rows: Vec<(Option<usize>, String, String)>| {
        if rows.is_empty() {
            return;
        }
        let _ = write!(o, "<h3>{title}</h3><ul>");
        for (n, what, why) in rows {
            let name = n.map_or_else(|| esc(&what), |n| link(sc, g, n));
            let _ = write!(o, "<li>{name}: {}</li>", esc(&why));
        }
        o.push_str("</ul>");
    };
    list(
        "✗ Endings with no route",
        r.unreached
            .iter()
            .map(|(e, why)| (find(e, true), e.clone(), why.join("; ")))
            .collect(),
    );
    list(
        "⚠ Scenes the route finder never reached",
        r.scenes_never
            .iter()
            .map(|(s, why)| (find(s, false), s.clone(), why.join("; ")))
            .collect(),
    );
    list(
        "Options never offered",
        r.options_never
            .iter()
            .map(|(s, op, why)| (None, format!("{s} / {op}"), why.clone()))
            .collect(),
    );
    list(
        "Triggers that never fired",
        r.triggers_never
            .iter()
            .map(|(w, why)| (None, w.clone(), why.clone()))
            .collect(),
    );
}

fn lines_list(o: &mut String, lines: &[String], variants: &[LineVariant]) {
    o.push_str("<ul class=\"lines\">");
    for l in lines {
        let _ = write!(o, "<li>“{}”</li>", esc(l));
    }
    o.push_str("</ul>");
    for v in variants {
        let _ = write!(
            o,
            "<p class=\"variant\">when {}:</p><ul class=\"lines\">",
            esc(&if v.when.is_empty() {
                "always".into()
            } else {
                conditions(&v.when)
            })
        );
        for l in &v.lines {
            let _ = write!(o, "<li>“{}”</li>", esc(l));
        }
        o.push_str("</ul>");
    }
}

fn scene(o: &mut String, sc: &Scenario, g: &Graph, ov: &Overlays, i: usize, si: usize) {
    let s = &sc.scenes[si];
    let _ = write!(o, "<h2>Scene {}</h2>", esc(&s.id));
    if g.start == Some(i) {
        o.push_str("<p class=\"tagline\">▶ The story starts here.</p>");
    }
    if !g.nodes[i].reachable {
        o.push_str("<p class=\"warn\">⊘ Unreachable: nothing leads here from the start scene.</p>");
    }
    if let Some((_, why)) = ov
        .report
        .as_ref()
        .and_then(|r| r.scenes_never.iter().find(|(id, _)| id == &s.id))
    {
        let _ = write!(
            o,
            "<p class=\"warn\">⚠ The route finder never got here: {}</p>",
            esc(&why.join("; "))
        );
    }
    if let Some(n) = &s.note {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(n));
    }
    if let Some(b) = s.body {
        let _ = write!(o, "<p class=\"muted\">Body: {}</p>", esc(b.label()));
    }
    o.push_str("<h3>Lines</h3>");
    lines_list(o, &s.lines, &s.variants);
    if !s.options.is_empty() {
        let _ = write!(o, "<h3>Options ({})</h3>", s.options.len());
    }
    for c in &s.options {
        option(o, sc, g, ov, i, si, c);
    }
    if !s.triggers.is_empty() {
        let _ = write!(o, "<h3>Triggers ({})</h3>", s.triggers.len());
    }
    for (k, t) in s.triggers.iter().enumerate() {
        let never = format!("{} trigger {}", s.id, k + 1);
        trigger(o, sc, g, ov, Some(i), t, &never);
    }
    incoming(o, sc, g, i);
}

fn option(
    o: &mut String,
    sc: &Scenario,
    g: &Graph,
    ov: &Overlays,
    node: usize,
    si: usize,
    c: &Choice,
) {
    let _ = write!(
        o,
        "<div class=\"opt\"><p><b>{}</b> “{}”</p><p class=\"muted\">",
        esc(&c.id),
        esc(&c.text)
    );
    let mut facts: Vec<String> = Vec::new();
    if !c.tags.is_empty() {
        facts.push(format!(
            "tags {}",
            c.tags
                .iter()
                .map(|t| format!("{t:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let tones: Vec<String> = c.fitting_tones().iter().map(|t| format!("{t:?}")).collect();
    facts.push(format!("fits {}", tones.join(", ")));
    if c.agitation != 0.0 || c.trust != 0.0 {
        facts.push(format!("agitation {:+}, trust {:+}", c.agitation, c.trust));
    }
    if !c.requires.is_empty() {
        facts.push(format!("offered if {}", conditions(&c.requires)));
    }
    if !c.sets.is_empty() {
        facts.push(format!("sets {}", c.sets.join(", ")));
    }
    if c.aside {
        facts.push("aside (not to the subject)".into());
    }
    o.push_str(&esc(&facts.join(" · ")));
    o.push_str("</p>");
    for w in &c.wordings {
        let _ = write!(o, "<p class=\"variant\">or: “{}”</p>", esc(w));
    }
    let _ = write!(o, "<p>→ {}</p>", next(sc, g, &c.next, Some(node)));
    for b in &c.tone_branches {
        let tones: Vec<&str> = b.tones.iter().map(|t| t.label()).collect();
        let _ = write!(
            o,
            "<p>said [{}] → {}",
            esc(&tones.join(", ")),
            next(sc, g, &b.next, Some(node))
        );
        if let Some(w) = &b.why {
            let _ = write!(o, " <i>{}</i>", esc(w));
        }
        o.push_str("</p>");
    }
    if !c.reply.is_empty() || !c.reply_variants.is_empty() {
        o.push_str("<p class=\"variant\">Reply:</p>");
        lines_list(o, &c.reply, &c.reply_variants);
    }
    if let Some(w) = &c.why {
        let _ = write!(o, "<p class=\"why\">Why: {}</p>", esc(w));
    }
    let never = ov.report.as_ref().and_then(|r| {
        r.options_never
            .iter()
            .find(|(s, op, _)| s == &sc.scenes[si].id && op == &c.id)
    });
    if let Some((_, _, why)) = never {
        let _ = write!(o, "<p class=\"warn\">⚠ Never offered: {}</p>", esc(why));
    }
    o.push_str("</div>");
}

/// Where `next` goes, as HTML with links. `here` is the scene a `Stay` stays in.
fn next(sc: &Scenario, g: &Graph, n: &Next, here: Option<usize>) -> String {
    match n {
        Next::Stay => match here {
            Some(h) => format!("stays in {}", link(sc, g, h)),
            None => "stays".into(),
        },
        Next::Scene(s) => match sc.scene_index(s) {
            Some(i) => format!("scene {}", link(sc, g, g.scene_node(i))),
            None => format!("scene {} (no such scene)", esc(s)),
        },
        Next::Ending(e) => match sc.ending_index(e) {
            Some(i) => format!("ending {}", link(sc, g, g.ending_node(i))),
            None => format!("ending {} (no such ending)", esc(e)),
        },
        Next::OneOf(bs) => {
            let mut s = String::from("one of:<ul class=\"ways\">");
            for b in bs {
                let when = if b.when.is_empty() {
                    "any".into()
                } else {
                    conditions(&b.when)
                };
                let _ = write!(
                    s,
                    "<li>{} <span class=\"muted\">(when {}, weight {})</span>",
                    next(sc, g, &b.to, here),
                    esc(&when),
                    b.weight
                );
                if let Some(w) = &b.why {
                    let _ = write!(s, " <i>{}</i>", esc(w));
                }
                s.push_str("</li>");
            }
            s.push_str("</ul>");
            s
        }
    }
}

fn trigger(
    o: &mut String,
    sc: &Scenario,
    g: &Graph,
    ov: &Overlays,
    here: Option<usize>,
    t: &Trigger,
    never_key: &str,
) {
    let _ = write!(
        o,
        "<div class=\"trig\"><p><b>⚡ {}</b> <span class=\"muted\">({})</span></p>",
        esc(&when_label(&t.when)),
        esc(&describe_when(&t.when))
    );
    let mut facts: Vec<String> = Vec::new();
    if !t.requires.is_empty() {
        facts.push(format!("only if {}", conditions(&t.requires)));
    }
    if t.agitation != 0.0 || t.trust != 0.0 {
        facts.push(format!("agitation {:+}, trust {:+}", t.agitation, t.trust));
    }
    if !t.sets.is_empty() {
        facts.push(format!("sets {}", t.sets.join(", ")));
    }
    if t.jitter != 0.0 {
        facts.push(format!("moves by up to {} each run", t.jitter));
    }
    if !facts.is_empty() {
        let _ = write!(o, "<p class=\"muted\">{}</p>", esc(&facts.join(" · ")));
    }
    let _ = write!(o, "<p>→ {}</p>", next(sc, g, &t.goto, here));
    if let Some(l) = &t.line {
        let _ = write!(o, "<p>“{}”</p>", esc(l));
    }
    if let Some(w) = &t.why {
        let _ = write!(o, "<p class=\"why\">Why: {}</p>", esc(w));
    }
    let never = ov
        .report
        .as_ref()
        .and_then(|r| r.triggers_never.iter().find(|(w, _)| w == never_key));
    if let Some((_, why)) = never {
        let _ = write!(o, "<p class=\"warn\">⚠ Never fired: {}</p>", esc(why));
    }
    o.push_str("</div>");
}

fn ending(o: &mut String, sc: &Scenario, g: &Graph, ov: &Overlays, i: usize, ei: usize) {
    let e = &sc.endings[ei];
    let fam = Family::of(e.outcome);
    let _ = write!(
        o,
        "<h2>{}</h2><p class=\"fam {}\">{} {} — {} <span class=\"muted\">(ending {})</span></p>\
         <p>{}</p>",
        esc(&e.title),
        fam.class(),
        fam.mark(),
        fam.label(),
        esc(e.outcome.label()),
        esc(&e.id),
        esc(&e.summary)
    );
    if let Some(l) = &e.line {
        let _ = write!(o, "<p>“{}”</p>", esc(l));
    }
    if sc.timeout_ending == e.id {
        let _ = write!(
            o,
            "<p class=\"muted\">◷ Reached when the {}-minute time limit runs out.</p>",
            sc.time_limit_minutes
        );
    }
    if !g.nodes[i].reachable {
        o.push_str("<p class=\"warn\">⊘ Unreachable: nothing leads here from the start scene.</p>");
    }
    if let Some(r) = &ov.report {
        match r.routes.iter().find(|r| r.ending == e.id) {
            Some(route) => {
                let _ = write!(
                    o,
                    "<h3>Route</h3><p>Ends here on {} of {} seeds{}. Run it with \
                     <code>deescalate run SCENARIO --script FILE</code>:</p><pre>{}</pre>",
                    route.seeds_ok,
                    route.seeds,
                    if route.uses_injects {
                        "; needs an instructor inject"
                    } else {
                        ""
                    },
                    esc(&route.script)
                );
            }
            None => {
                let why = r
                    .unreached
                    .iter()
                    .find(|(id, _)| id == &e.id)
                    .map(|(_, w)| w.join("; "))
                    .unwrap_or_default();
                let _ = write!(o, "<p class=\"warn\">✗ No route found: {}</p>", esc(&why));
            }
        }
    }
    incoming(o, sc, g, i);
}

fn anywhere(o: &mut String, sc: &Scenario, g: &Graph, ov: &Overlays) {
    o.push_str(
        "<h2>Any scene</h2><p>Scenario-wide triggers are checked in every scene, after the \
         scene's own; the time limit ends the run wherever it is.</p>",
    );
    if let Some(e) = sc.ending_index(&sc.timeout_ending) {
        let _ = write!(
            o,
            "<p>◷ After {} minutes → ending {}</p>",
            sc.time_limit_minutes,
            link(sc, g, g.ending_node(e))
        );
    }
    let _ = write!(o, "<h3>Scenario-wide triggers ({})</h3>", sc.triggers.len());
    for (k, t) in sc.triggers.iter().enumerate() {
        trigger(
            o,
            sc,
            g,
            ov,
            None,
            t,
            &format!("scenario-wide trigger {}", k + 1),
        );
    }
}

fn branch(o: &mut String, sc: &Scenario, g: &Graph, i: usize) {
    o.push_str("<h2>◆ One of several ways</h2><p>Chosen when it is taken: among the branches whose conditions hold, those with the most conditions, by weight.</p>");
    if let Some(e) = g.edges.iter().find(|e| e.to == i) {
        let _ = write!(
            o,
            "<p>From {} by <b>{}</b></p>",
            link(sc, g, e.from),
            esc(&e.label)
        );
    }
    o.push_str("<ul class=\"ways\">");
    for e in g.edges.iter().filter(|e| e.from == i) {
        let _ = write!(o, "<li>{} — {}</li>", link(sc, g, e.to), esc(&e.label));
    }
    o.push_str("</ul>");
}

/// "Reached from": every edge into node `n`, through branch diamonds to where they start.
fn incoming(o: &mut String, sc: &Scenario, g: &Graph, n: usize) {
    let mut rows = Vec::new();
    for e in g.edges.iter().filter(|e| e.to == n) {
        if matches!(g.nodes[e.from].kind, Kind::Branch) {
            for into in g.edges.iter().filter(|x| x.to == e.from) {
                rows.push(format!(
                    "{} — {} ◆ {}",
                    link(sc, g, into.from),
                    esc(&clip(&into.label, 60)),
                    esc(&e.label)
                ));
            }
        } else {
            rows.push(format!(
                "{} — {}",
                link(sc, g, e.from),
                esc(&clip(&e.label, 80))
            ));
        }
    }
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<h3>Reached from</h3><ul><li>{}</li></ul>",
        rows.join("</li><li>")
    );
}
