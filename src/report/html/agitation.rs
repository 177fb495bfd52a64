//! The agitation chart: the subject's agitation and trust in the trainee (0–100) over the
//! run, with guides at 25/50/75, the peak labelled, and the event markers above.

use super::markers;
use super::plot::{self, Frame, LEFT, RIGHT, TOP};
use crate::assess::debrief::Debrief;
use crate::report::markup::{circle, line, text, titled};
use crate::report::numbers::{at, n0, n1};

const HEIGHT: f32 = 340.0;
const AGITATION: &str = "fill=\"none\" stroke=\"#b91c1c\" stroke-width=\"3.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"";
const TRUST: &str = "fill=\"none\" stroke=\"#7aa7e0\" stroke-width=\"2.5\" stroke-dasharray=\"7 4\" stroke-linejoin=\"round\"";

pub(super) fn chart(o: &mut String, d: &Debrief) {
    let f = Frame::new(d, HEIGHT, 100.0);
    let caption = "Agitation and trust over time";
    let label = "Agitation and trust over time, 0 to 100";
    plot::open(o, "agitation", caption, label, HEIGHT);
    levels(o, &f);
    plot::body(o, d, &f, |o| {
        plot::series(o, &f, &d.samples, ("trust", TRUST), |s| s.trust);
        plot::series(o, &f, &d.samples, ("agitation", AGITATION), |s| s.agitation);
        plot::lone_sample(o, &f, &d.samples, |s| s.agitation, "#b91c1c");
        peak(o, d, &f);
    });
    legend(o, d);
    o.push_str("</figure>\n");
}

/// Horizontal rules at 0 and 100, dashed guides at 25, 50 and 75, each labelled.
fn levels(o: &mut String, f: &Frame) {
    for v in [0.0f32, 25.0, 50.0, 75.0, 100.0] {
        let y = f.y(v);
        let attrs = if matches!(v as i32, 25 | 50 | 75) {
            "stroke=\"#9ca3af\" stroke-width=\"1\" stroke-dasharray=\"5 5\""
        } else {
            "stroke=\"#e5e7eb\" stroke-width=\"1\""
        };
        line(o, (LEFT, y), (RIGHT, y), attrs);
        let label = "font-size=\"14\" fill=\"#374151\" text-anchor=\"end\"";
        text(o, (LEFT - 8.0, y + 5.0), label, &n1(v));
    }
}

/// The peak of agitation, circled and labelled, when it rose above where it started.
fn peak(o: &mut String, d: &Debrief, f: &Frame) {
    let a = &d.agitation;
    if !(a.peak.is_finite() && a.peak > a.start + 0.5) {
        return;
    }
    let (x, y) = (f.x(a.peak_t), f.y(a.peak));
    let (anchor, dx) = if x > RIGHT - 160.0 {
        ("end", -9.0)
    } else {
        ("start", 9.0)
    };
    let what = format!("peak {} at {}", n0(a.peak), at(a.peak_t));
    let mut body = String::new();
    circle(
        &mut body,
        (x, y),
        6.0,
        "fill=\"#fff\" stroke=\"#b91c1c\" stroke-width=\"3\"",
    );
    let attrs = format!(
        "font-size=\"14\" font-weight=\"700\" fill=\"#7f1d1d\" text-anchor=\"{anchor}\" stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\""
    );
    text(
        &mut body,
        (x + dx, (y - 10.0).max(TOP + 14.0)),
        &attrs,
        &what,
    );
    titled(
        o,
        "peak",
        &format!("Peak agitation {} at {}", n0(a.peak), at(a.peak_t)),
        &body,
    );
}

/// The series and levels, then the markers' legend and a hint to hover them.
fn legend(o: &mut String, d: &Debrief) {
    let agitation = format!("{}'s agitation (0–100)", d.subject_name);
    plot::legend(
        o,
        &[
            (
                "<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" stroke=\"#b91c1c\" stroke-width=\"3.5\"/>",
                &agitation,
            ),
            (
                "<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" stroke=\"#7aa7e0\" stroke-width=\"2.5\" stroke-dasharray=\"7 4\"/>",
                "trust in you (0–100)",
            ),
            (
                "<line x1=\"1\" y1=\"8\" x2=\"25\" y2=\"8\" stroke=\"#9ca3af\" stroke-dasharray=\"5 5\"/>",
                "levels 25, 50, 75",
            ),
        ],
    );
    if markers::legend(o, d) {
        o.push_str(
            "<p class=\"note hover\">Hover a marker for what was said or what happened.</p>",
        );
    }
}
