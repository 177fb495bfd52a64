//! The graph as one self-contained HTML page: inline SVG drawn here from the layout, a side
//! panel per node (see `panels`), and `page.css` / `page.js` inlined. Every text from the
//! scenario or a record is untrusted and goes through [`esc`]; the script block holds only
//! numbers this module generates.

use super::layout::{LABEL_CHARS, Layout, Line, Rect, Shape};
use super::{Edge, Family, Graph, Kind, Overlays, Source, panels};
use crate::format::scenario::Scenario;
use std::fmt::Write;

const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// Escapes text for HTML and SVG, replacing control and bidirectional-override characters.
pub fn esc(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                '\u{FFFD}'
            }
            c => c,
        })
        .collect();
    crate::report::html::escape(&cleaned)
}

/// At most `n` characters of `s` (one line), with "…" when cut.
pub fn clip(s: &str, n: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= n {
        one_line
    } else {
        let mut out: String = one_line.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Numbers for the page: never `NaN` or `inf`, one decimal.
fn f(v: f32) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "0".into()
    }
}

/// The whole page for `sc`, laid out by `lay`, with `ov` drawn over it.
pub fn render(sc: &Scenario, g: &Graph, lay: &Layout, ov: &Overlays) -> String {
    let mut o = String::with_capacity(64 * 1024 + g.nodes.len() * 3000);
    let title = esc(&sc.title);
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — scene graph</title><style>{CSS}</style></head><body>\n"
    );
    toolbar(&mut o, sc, ov);
    o.push_str("<div id=\"main\"><div id=\"view\">");
    svg(&mut o, sc, g, lay, ov);
    legend(&mut o, ov);
    minimap(&mut o, lay);
    o.push_str("</div><aside id=\"panel\" aria-live=\"polite\">");
    panels::all(&mut o, sc, g, ov);
    o.push_str("</aside></div>\n");
    data(&mut o, g, lay, ov);
    let _ = writeln!(o, "<script>{JS}</script></body></html>");
    o
}

fn toolbar(o: &mut String, sc: &Scenario, ov: &Overlays) {
    let _ = write!(
        o,
        "<header><h1>{}</h1><span class=\"counts\">{} scenes · {} endings</span>\
         <input id=\"search\" type=\"search\" placeholder=\"Search scenes, lines, options…\" \
         aria-label=\"Search\"><span id=\"hits\"></span>",
        esc(&sc.title),
        sc.scenes.len(),
        sc.endings.len()
    );
    let hidden = if ov.report.is_none() { " hidden" } else { "" };
    let _ = write!(
        o,
        "<label{hidden}>Route to <select id=\"route\"><option value=\"\">— none —</option>"
    );
    for e in &sc.endings {
        let label = format!("{} ({})", clip(&e.title, 50), clip(&e.id, 30));
        match ov.routes.iter().position(|(id, _)| id == &e.id) {
            Some(k) => {
                let _ = write!(o, "<option value=\"{k}\">{}</option>", esc(&label));
            }
            None if ov.report.is_some() => {
                let _ = write!(
                    o,
                    "<option disabled>{} — no route found</option>",
                    esc(&label)
                );
            }
            None => {}
        }
    }
    o.push_str("</select></label>");
    if let Some(r) = &ov.record {
        let _ = write!(
            o,
            "<label class=\"rec\"><input id=\"showrec\" type=\"checkbox\" checked> Record: {}</label>",
            esc(&clip(&r.caption, 80))
        );
    }
    o.push_str(
        "<span class=\"zoom\"><button id=\"zin\" title=\"Zoom in\">+</button>\
         <button id=\"zout\" title=\"Zoom out\">−</button>\
         <button id=\"fit\" title=\"Show everything\">Fit</button>\
         <button id=\"home\" title=\"Back to the start scene\">Start</button></span></header>\n",
    );
}

fn svg(o: &mut String, sc: &Scenario, g: &Graph, lay: &Layout, ov: &Overlays) {
    let _ = write!(
        o,
        "<svg id=\"svg\" class=\"{}\" role=\"group\" aria-label=\"Scene graph\">\
         <defs>\
         <marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"10\" \
         markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" class=\"tip\"/></marker>\
         <pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#f3f4f6\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#c4c8cf\" stroke-width=\"3\"/></pattern>\
         </defs><g id=\"cam\"><g id=\"world\" data-w=\"{}\" data-h=\"{}\">\
         <rect class=\"bg\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\"/><g id=\"lines\">",
        if ov.record.is_some() { "showrec" } else { "" },
        f(lay.width),
        f(lay.height),
        f(lay.width),
        f(lay.height)
    );
    let on_record = record_lines(lay, ov);
    for (i, line) in lay.lines.iter().enumerate() {
        edge(o, sc, g, ov, i, line, on_record.contains(&i));
    }
    o.push_str("</g><g id=\"nodes\">");
    for (i, b) in lay.boxes.iter().enumerate() {
        node(o, sc, g, ov, i, b);
    }
    let recorded: Vec<usize> = on_record
        .iter()
        .filter_map(|&l| lay.lines[l].proxy)
        .collect();
    for (k, p) in lay.proxies.iter().enumerate() {
        proxy(o, sc, g, k, p, recorded.contains(&k));
    }
    o.push_str("</g><g id=\"labels\">");
    for (i, line) in lay.lines.iter().enumerate() {
        label(o, i, line);
    }
    o.push_str("</g><g id=\"recmarks\">");
    record_marks(o, g, lay, ov);
    o.push_str("</g></g></g></svg>");
}

/// The lines a record's walk went along.
fn record_lines(lay: &Layout, ov: &Overlays) -> Vec<usize> {
    ov.record
        .iter()
        .flat_map(|r| r.walk.edges.iter().map(|&e| lay.line_of[e]))
        .collect()
}

/// The kind class of a line: what its first edge is.
fn line_kind(g: &Graph, line: &Line) -> &'static str {
    let e = &g.edges[line.edges[0]];
    match (e.source, e.branch) {
        (_, Some(_)) => "k-branch",
        (Source::Trigger { .. }, _) | (Source::Timeout, _) => "k-trigger",
        (
            Source::Option {
                tone_branch: Some(_),
                ..
            },
            _,
        ) => "k-tone",
        (Source::Option { .. }, _) => "k-option",
    }
}

/// The SVG path through `pts`: horizontal-tangent curves between columns, straight across.
fn path_d(pts: &[(f32, f32)]) -> String {
    let mut d = String::new();
    for (i, &(x, y)) in pts.iter().enumerate() {
        if i == 0 {
            let _ = write!(d, "M{},{}", f(x), f(y));
            continue;
        }
        let (px, py) = pts[i - 1];
        if (py - y).abs() < 0.01 {
            let _ = write!(d, "L{},{}", f(x), f(y));
        } else {
            let mx = (px + x) / 2.0;
            let _ = write!(
                d,
                "C{},{} {},{} {},{}",
                f(mx),
                f(py),
                f(mx),
                f(y),
                f(x),
                f(y)
            );
        }
    }
    d
}

/// The SVG path of a line, by its shape.
fn line_d(line: &Line) -> String {
    match (line.shape, line.points.as_slice()) {
        (_, []) | (_, [_]) => String::new(),
        (Shape::Flow, pts) => path_d(pts),
        (Shape::Stub, [p, q, ..]) => format!("M{},{}L{},{}", f(p.0), f(p.1), f(q.0), f(q.1)),
        (Shape::Loop, [p, q, ..]) => format!(
            "M{},{}C{},{} {},{} {},{}",
            f(p.0),
            f(p.1 - 12.0),
            f(p.0),
            f(p.1 - 40.0),
            f(q.0),
            f(q.1 - 40.0),
            f(q.0),
            f(q.1)
        ),
    }
}

/// Whether a run can never take edge `e`: it leaves a node nothing reaches, or the route
/// finder never saw its option offered or its trigger fire.
fn never_taken(sc: &Scenario, g: &Graph, ov: &Overlays, e: &Edge) -> bool {
    if !g.nodes[e.from].reachable {
        return true;
    }
    let Some(r) = &ov.report else { return false };
    match e.source {
        Source::Option { scene, option, .. } => {
            let (s, o) = (&sc.scenes[scene].id, &sc.scenes[scene].options[option].id);
            r.options_never.iter().any(|(rs, ro, _)| rs == s && ro == o)
        }
        Source::Trigger { scene, index } => {
            let key = match scene {
                Some(s) => format!("{} trigger {}", sc.scenes[s].id, index + 1),
                None => format!("scenario-wide trigger {}", index + 1),
            };
            r.triggers_never.iter().any(|(w, _)| *w == key)
        }
        Source::Timeout => false,
    }
}

fn edge(
    o: &mut String,
    sc: &Scenario,
    g: &Graph,
    ov: &Overlays,
    i: usize,
    line: &Line,
    recorded: bool,
) {
    let d = line_d(line);
    if d.is_empty() {
        return;
    }
    let unused = line
        .edges
        .iter()
        .all(|&e| never_taken(sc, g, ov, &g.edges[e]));
    let _ = write!(
        o,
        "<g class=\"edge {}{}{}{}\" id=\"l{i}\" data-from=\"{}\" data-to=\"{}\"><title>{}{}</title>\
         <path class=\"hit\" d=\"{d}\"/><path class=\"stroke\" d=\"{d}\" marker-end=\"url(#arrow)\"/></g>",
        line_kind(g, line),
        if line.back { " back" } else { "" },
        if recorded { " rec" } else { "" },
        if unused { " unused" } else { "" },
        line.from,
        line.to,
        esc(&line.label),
        if unused {
            " (never taken: unreachable, or never offered or fired in the route finder's search)"
        } else {
            ""
        }
    );
}

fn label(o: &mut String, i: usize, line: &Line) {
    let Some(r) = line.label_box else { return };
    let _ = write!(
        o,
        "<g class=\"lbl\" data-l=\"{i}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>\
         <text x=\"{}\" y=\"{}\">{}</text></g>",
        f(r.x),
        f(r.y),
        f(r.w),
        f(r.h),
        f(r.x + r.w / 2.0),
        f(r.y + r.h - 4.0),
        esc(&clip(&line.label, LABEL_CHARS))
    );
}

/// What a node says: its class list, first and second line, and tooltip.
struct Face {
    class: String,
    top: String,
    sub: String,
    tip: String,
}

fn face(sc: &Scenario, g: &Graph, ov: &Overlays, i: usize) -> Face {
    let n = &g.nodes[i];
    let mut class = String::from("node");
    if !n.reachable {
        class.push_str(" unreach");
    }
    if ov
        .record
        .as_ref()
        .is_some_and(|r| r.walk.nodes.contains(&i))
    {
        class.push_str(" recn");
    }
    let (top, mut sub, tip) = match n.kind {
        Kind::Scene(s) => {
            let scene = &sc.scenes[s];
            class.push_str(" scene");
            if g.start == Some(i) {
                class.push_str(" start");
            }
            if n.reachable && never_reached(ov, &scene.id) {
                class.push_str(" never");
            }
            let first = scene.lines.first().map(|l| format!("“{}”", clip(l, 30)));
            let sub = first.unwrap_or_default();
            (scene.id.clone(), sub, format!("scene {}", scene.id))
        }
        Kind::Ending(e) => {
            let end = &sc.endings[e];
            let fam = Family::of(end.outcome);
            class.push_str(" ending ");
            class.push_str(fam.class());
            let sub = format!("{} {}", fam.mark(), fam.label());
            let tip = format!("ending {}: {} ({})", end.id, end.title, end.outcome.label());
            (end.title.clone(), sub, tip)
        }
        Kind::Anywhere => {
            class.push_str(" anywhere");
            let sub = format!("{} scenario-wide · time limit", sc.triggers.len());
            (
                "Any scene".to_string(),
                sub,
                "scenario-wide triggers and the time limit".into(),
            )
        }
        Kind::Branch => {
            class.push_str(" branch");
            (
                String::new(),
                String::new(),
                "one of several ways (OneOf)".into(),
            )
        }
    };
    if !n.reachable && !matches!(n.kind, Kind::Branch) {
        sub = "⊘ unreachable".into();
    } else if class.contains(" never") {
        sub = "⚠ route finder never got here".into();
    }
    Face {
        class,
        top,
        sub,
        tip,
    }
}

fn never_reached(ov: &Overlays, scene: &str) -> bool {
    ov.report
        .as_ref()
        .is_some_and(|r| r.scenes_never.iter().any(|(s, _)| s == scene))
}

fn node(o: &mut String, sc: &Scenario, g: &Graph, ov: &Overlays, i: usize, b: &Rect) {
    let fc = face(sc, g, ov, i);
    let _ = write!(
        o,
        "<g class=\"{}\" id=\"n{i}\" data-n=\"{i}\" data-x=\"{}\" data-y=\"{}\" data-w=\"{}\" \
         data-h=\"{}\" tabindex=\"0\"><title>{}</title>",
        fc.class,
        f(b.x),
        f(b.y),
        f(b.w),
        f(b.h),
        esc(&fc.tip)
    );
    if matches!(g.nodes[i].kind, Kind::Branch) {
        let (cx, cy) = (b.x + b.w / 2.0, b.y + b.h / 2.0);
        let _ = write!(
            o,
            "<path class=\"box\" d=\"M{},{}L{},{}L{},{}L{},{}z\"/></g>",
            f(cx),
            f(b.y),
            f(b.x + b.w),
            f(cy),
            f(cx),
            f(b.y + b.h),
            f(b.x),
            f(cy)
        );
        return;
    }
    let _ = write!(
        o,
        "<rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"7\"/>",
        f(b.x),
        f(b.y),
        f(b.w),
        f(b.h)
    );
    if fc.class.contains(" good") {
        let _ = write!(
            o,
            "<rect class=\"inner\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"5\"/>",
            f(b.x + 4.0),
            f(b.y + 4.0),
            f(b.w - 8.0),
            f(b.h - 8.0)
        );
    }
    if g.start == Some(i) {
        let _ = write!(
            o,
            "<text class=\"tag\" x=\"{}\" y=\"{}\">▶ START</text>",
            f(b.x),
            f(b.y - 6.0)
        );
    }
    let _ = write!(
        o,
        "<text class=\"t1\" x=\"{}\" y=\"{}\">{}</text><text class=\"t1far\" x=\"{}\" y=\"{}\">{}</text>\
         <text class=\"t2\" x=\"{}\" y=\"{}\">{}</text></g>",
        f(b.x + 10.0),
        f(b.y + 22.0),
        esc(&clip(&fc.top, 24)),
        f(b.x + 8.0),
        f(b.y + b.h / 2.0 + 8.0),
        esc(&clip(&fc.top, 15)),
        f(b.x + 10.0),
        f(b.y + 41.0),
        esc(&clip(&fc.sub, 32))
    );
}

/// A small copy of an ending beside scenes far from it: its title and family mark, coloured
/// like the ending; a click opens the ending.
fn proxy(o: &mut String, sc: &Scenario, g: &Graph, k: usize, p: &super::Proxy, recorded: bool) {
    let Kind::Ending(e) = g.nodes[p.ending].kind else {
        return;
    };
    let end = &sc.endings[e];
    let fam = Family::of(end.outcome);
    let r = p.rect;
    let _ = write!(
        o,
        "<g class=\"node ending proxy {}{}\" id=\"x{k}\" data-n=\"{}\" data-x=\"{}\" data-y=\"{}\" \
         data-w=\"{}\" data-h=\"{}\"><title>{}</title>\
         <rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"13\"/>\
         <text class=\"t3\" x=\"{}\" y=\"{}\">{} {}</text></g>",
        fam.class(),
        if recorded { " recn" } else { "" },
        p.ending,
        f(r.x),
        f(r.y),
        f(r.w),
        f(r.h),
        esc(&format!(
            "→ ending {}: {} ({})",
            end.id,
            end.title,
            fam.label()
        )),
        f(r.x),
        f(r.y),
        f(r.w),
        f(r.h),
        f(r.x + 10.0),
        f(r.y + 17.0),
        fam.mark(),
        esc(&clip(&end.title, 20))
    );
}

/// Numbered badges on the nodes a record went through, in order.
fn record_marks(o: &mut String, g: &Graph, lay: &Layout, ov: &Overlays) {
    let Some(r) = &ov.record else { return };
    let mut count = vec![0usize; lay.boxes.len()];
    // An ending reached through its small copy gets its badge there, by the path.
    let end_proxy = r
        .walk
        .edges
        .last()
        .and_then(|&e| lay.lines[lay.line_of[e]].proxy);
    let mut step = 0;
    for &n in &r.walk.nodes {
        let b = match g.nodes[n].kind {
            Kind::Branch | Kind::Anywhere => continue, // badges go on scenes and the ending
            Kind::Ending(_) => end_proxy.map_or(lay.boxes[n], |k| lay.proxies[k].rect),
            Kind::Scene(_) => lay.boxes[n],
        };
        step += 1;
        // Eight badges along the top edge, then along the bottom.
        let (row, col) = (count[n] / 8, count[n] % 8);
        count[n] += 1;
        let (x, y) = (
            b.x + b.w - 12.0 - 22.0 * col as f32,
            b.y + b.h * row.min(1) as f32,
        );
        let _ = write!(
            o,
            "<g class=\"step\"><circle cx=\"{}\" cy=\"{}\" r=\"10\"/><text x=\"{}\" y=\"{}\">{step}</text></g>",
            f(x),
            f(y),
            f(x),
            f(y + 4.0)
        );
    }
}

fn legend(o: &mut String, ov: &Overlays) {
    o.push_str(
        "<details id=\"legend\" open><summary>Legend</summary><b>Endings</b>\
         <div><span class=\"sw good\">✓</span> de-escalated (double border)</div>\
         <div><span class=\"sw mid\">◐</span> withdrawn / unresolved (dashed)</div>\
         <div><span class=\"sw hard\">✕</span> force / flight / injury (thick)</div>\
         <div><span class=\"sw unreach\">⊘</span> unreachable from the start (hatched)</div>",
    );
    if ov.report.is_some() {
        o.push_str("<div><span class=\"sw never\">⚠</span> reachable, but the route finder never got there</div>");
    }
    o.push_str(
        "<b>Edges</b><div><svg width=\"34\" height=\"10\"><path class=\"k-option\" d=\"M0,5H34\"/></svg> option</div>\
         <div><svg width=\"34\" height=\"10\"><path class=\"k-tone\" d=\"M0,5H34\"/></svg> option in some tones [tones]</div>\
         <div><svg width=\"34\" height=\"10\"><path class=\"k-trigger\" d=\"M0,5H34\"/></svg> ⚡ trigger</div>\
         <div><svg width=\"34\" height=\"10\"><path class=\"k-branch\" d=\"M0,5H34\"/></svg> ◆ OneOf branch</div>\
         <div><svg width=\"34\" height=\"10\"><path class=\"k-unused\" d=\"M0,5H34\"/></svg> never taken (faint)</div>\
         <div><svg width=\"34\" height=\"10\"><path class=\"k-route\" d=\"M0,5H34\"/></svg> chosen route</div>",
    );
    if ov.record.is_some() {
        o.push_str("<div><svg width=\"34\" height=\"10\"><path class=\"k-rec\" d=\"M0,5H34\"/></svg> ① record's path, in order</div>");
    }
    o.push_str("</details>");
}

fn minimap(o: &mut String, lay: &Layout) {
    let _ = write!(
        o,
        "<svg id=\"mini\" viewBox=\"0 0 {} {}\" preserveAspectRatio=\"xMidYMid meet\" aria-hidden=\"true\">\
         <use href=\"#world\"/><rect id=\"viewrect\"/></svg>",
        f(lay.width),
        f(lay.height)
    );
}

/// The numbers the script needs: each route's nodes and lines, the record's, the start.
fn data(o: &mut String, g: &Graph, lay: &Layout, ov: &Overlays) {
    let list =
        |v: &mut dyn Iterator<Item = usize>| v.map(|x| x.to_string()).collect::<Vec<_>>().join(",");
    o.push_str("<script>const ROUTES=[");
    for (_, w) in &ov.routes {
        let nodes = list(&mut w.nodes.iter().copied());
        let lines = list(&mut w.edges.iter().map(|&e| lay.line_of[e]));
        let end = w.nodes.last().copied().unwrap_or(0);
        let proxies = list(
            &mut w
                .edges
                .iter()
                .filter_map(|&e| lay.lines[lay.line_of[e]].proxy),
        );
        let _ = write!(o, "{{n:[{nodes}],l:[{lines}],x:[{proxies}],e:{end}}},");
    }
    let _ = writeln!(
        o,
        "];const START={};</script>",
        g.start.map_or("-1".to_string(), |s| s.to_string())
    );
}
