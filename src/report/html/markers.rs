//! The markers above both charts: what the trainee said (one dot per line, coloured by
//! tone) and what happened (triggers, zones, weapons, the partner, outside events), with
//! tooltips, a flag at the ending, and their legend. A long run's markers are thinned.

use super::plot::{Frame, LEFT, RIGHT, legend_item};
use crate::assess::debrief::{Debrief, Speaker, describe_instructor};
use crate::format::variation::Voice;
use crate::format::vocab::Tone;
use crate::report::markup::{circle, line, polygon, rect, text, titled};
use crate::report::numbers::{at, fin, n0, n1};
use crate::report::who;
use crate::sim::{EventKind, Zone};
use std::fmt::Write;

const LANE_SAID: f32 = 18.0;
const LANE_EVENTS: f32 = 42.0;
/// Most markers drawn per lane before nearby ones are merged.
const MAX_MARKERS: usize = 120;

/// What a marker stands for (its shape).
#[derive(Clone, Copy, PartialEq)]
enum Mk {
    Say(Tone),
    Pause,
    Trigger,
    Zone(Zone),
    Fast,
    Weapon,
    Partner,
    Outside,
    Ending,
}

impl Mk {
    /// The kinds in the legend after the tones, in its order.
    const LEGEND: [Mk; 8] = [
        Mk::Pause,
        Mk::Trigger,
        Mk::Zone(Zone::PersonalSpace),
        Mk::Zone(Zone::ReactionaryGap),
        Mk::Fast,
        Mk::Weapon,
        Mk::Partner,
        Mk::Outside,
    ];

    fn label(self) -> &'static str {
        match self {
            Mk::Say(_) => "you spoke",
            Mk::Pause => "tactical pause",
            Mk::Trigger => "scenario trigger",
            Mk::Zone(Zone::PersonalSpace) => "entered personal space",
            Mk::Zone(Zone::ReactionaryGap) => "entered reactionary gap",
            Mk::Fast => "fast approach",
            Mk::Weapon => "weapon drawn",
            Mk::Partner => "partner talked over you",
            Mk::Outside => "instructor or outside event",
            Mk::Ending => "ending",
        }
    }

    fn fill(self) -> &'static str {
        match self {
            Mk::Say(Tone::Calm) => "#1b7f45",
            Mk::Say(Tone::Neutral) => "#6b7280",
            Mk::Say(Tone::Firm) => "#2456c9",
            Mk::Say(Tone::Commanding) => "#d35400",
            Mk::Say(Tone::Shouting) | Mk::Zone(Zone::ReactionaryGap) => "#c81e1e",
            Mk::Pause => "#fff",
            Mk::Trigger => "#6d28d9",
            Mk::Zone(Zone::PersonalSpace) => "#d08700",
            Mk::Fast => "#9a3412",
            Mk::Weapon | Mk::Ending => "#111827",
            Mk::Partner => "#a16207",
            Mk::Outside => "#0e7490",
        }
    }
}

struct Marker {
    x: f32,
    kind: Mk,
    title: String,
    /// How many nearby markers were merged into this one.
    more: usize,
}

/// The marker an event gets, with its tooltip (without the time); `None` for events the
/// charts do not mark.
fn mark(d: &Debrief, e: &EventKind) -> Option<(Mk, String)> {
    said(e).or_else(|| happened(d, e))
}

/// A line the trainee said or a deliberate pause, with what it did to agitation.
fn said(e: &EventKind) -> Option<(Mk, String)> {
    let (kind, what, before, after) = match e {
        EventKind::Utterance {
            text,
            tone,
            agitation_before,
            agitation_after,
            ..
        } => (
            Mk::Say(*tone),
            format!("You ({tone}): “{text}”"),
            agitation_before,
            agitation_after,
        ),
        EventKind::TacticalPause {
            agitation_before,
            agitation_after,
        } => (
            Mk::Pause,
            "A deliberate pause".into(),
            agitation_before,
            agitation_after,
        ),
        _ => return None,
    };
    let change = format!("agitation {} → {}", n0(*before), n0(*after));
    Some((kind, format!("{what} — {change}")))
}

/// Something that happened: a trigger, a zone entered, a fast approach, a drawn weapon,
/// the partner, an outside event or instructor action, the ending.
fn happened(d: &Debrief, e: &EventKind) -> Option<(Mk, String)> {
    Some(match e {
        EventKind::PartnerTalksOver { line } => {
            (Mk::Partner, format!("Partner talked over you: “{line}”"))
        }
        EventKind::TriggerFired {
            condition,
            why,
            line,
            by,
            ..
        } => (Mk::Trigger, trigger_title(d, condition, why, line, *by)),
        EventKind::Zone {
            zone,
            entered: true,
            distance,
            ..
        } => {
            let (whose, m) = (&d.subject_name, n1(*distance));
            (
                Mk::Zone(*zone),
                format!("Entered {whose}'s {} ({m} m)", zone.label()),
            )
        }
        EventKind::FastApproach { speed, distance } => {
            let (speed, from) = (n1(*speed), n1(*distance));
            (
                Mk::Fast,
                format!("Fast approach: {speed} m/s from {from} m"),
            )
        }
        EventKind::Weapon { drawn: true } => (Mk::Weapon, "Weapon drawn".into()),
        EventKind::Injected {
            line, by: Some(v), ..
        } => {
            let who = who(d, Speaker::of(*v));
            (Mk::Outside, format!("Outside event — {who}: “{line}”"))
        }
        EventKind::Injected { line, by: None, .. } => {
            (Mk::Outside, format!("Outside event: {line}"))
        }
        EventKind::Instructor { action } => (Mk::Outside, describe_instructor(action)),
        EventKind::EndingReached { title, .. } => (Mk::Ending, format!("Ending: {title}")),
        _ => return None,
    })
}

/// A trigger's tooltip: its condition, why, and a line said by someone other than the
/// subject (the subject's own line is on the timeline).
fn trigger_title(
    d: &Debrief,
    condition: &str,
    why: &Option<String>,
    line: &Option<String>,
    by: Voice,
) -> String {
    let mut title = format!("Trigger: {condition}");
    if let Some(w) = why {
        title.push_str(&format!(" — {w}"));
    }
    if let Some(line) = line
        && by != Voice::Subject
    {
        title.push_str(&format!(" — {}: “{line}”", who(d, Speaker::of(by))));
    }
    title
}

/// The markers of a run: the "said" lane, the "events" lane (both thinned so that a very
/// long run does not draw thousands of overlapping shapes) and the endings.
fn markers(d: &Debrief, f: &Frame) -> (Vec<Marker>, Vec<Marker>, Vec<(f32, String)>) {
    let mut said = Vec::new();
    let mut happened = Vec::new();
    let mut endings = Vec::new();
    for e in &d.events {
        let Some((kind, what)) = mark(d, &e.kind) else {
            continue;
        };
        let x = f.x(e.t);
        let title = format!("{} {what}", at(e.t));
        let lane = match kind {
            Mk::Ending => {
                endings.push((x, title));
                continue;
            }
            Mk::Say(_) | Mk::Pause => &mut said,
            _ => &mut happened,
        };
        lane.push(Marker {
            x,
            kind,
            title,
            more: 0,
        });
    }
    (thin(said), thin(happened), endings)
}

/// Merge markers closer than the lane can show apart, once a lane holds too many.
fn thin(ms: Vec<Marker>) -> Vec<Marker> {
    if ms.len() <= MAX_MARKERS {
        return ms;
    }
    let gap = (RIGHT - LEFT) / MAX_MARKERS as f32;
    let mut out: Vec<Marker> = Vec::with_capacity(MAX_MARKERS + 1);
    for m in ms {
        match out.last_mut() {
            Some(last) if m.x - last.x < gap => last.more += 1 + m.more,
            _ => out.push(m),
        }
    }
    out
}

/// The two marker lanes above the plot of `f`, their markers, faint guides from the
/// happenings down through the plot, and a flag at the ending.
pub(super) fn draw(o: &mut String, d: &Debrief, f: &Frame) {
    let (said, happened, endings) = markers(d, f);
    lanes(o);
    // Faint guides from the happenings down through the plot, to line them up with the curve.
    for m in &happened {
        if matches!(m.kind, Mk::Trigger | Mk::Weapon | Mk::Fast) {
            let guide = "stroke=\"#9ca3af\" stroke-width=\"1\" stroke-dasharray=\"2 4\"";
            line(o, (m.x, LANE_EVENTS + 8.0), (m.x, f.bottom), guide);
        }
    }
    for (lane, ms) in [(LANE_SAID, &said), (LANE_EVENTS, &happened)] {
        for m in ms.iter() {
            let title = if m.more > 0 {
                format!("{} (and {} more nearby)", m.title, m.more)
            } else {
                m.title.clone()
            };
            titled(o, "mk", &title, &shape(m.kind, m.x, lane));
        }
    }
    for (x, title) in endings {
        titled(o, "mk ending", &title, &flag(x, 6.0, f.bottom));
    }
}

/// The lanes' rules and their labels, "said" and "events".
fn lanes(o: &mut String) {
    o.push_str("<g class=\"lanes\">");
    for lane in [LANE_SAID, LANE_EVENTS] {
        line(o, (LEFT, lane), (RIGHT, lane), "stroke=\"#e5e7eb\"");
    }
    let label = "font-size=\"13\" fill=\"#4b5563\" text-anchor=\"end\"";
    text(o, (LEFT - 10.0, LANE_SAID + 4.5), label, "said");
    text(o, (LEFT - 10.0, LANE_EVENTS + 4.5), label, "events");
    o.push_str("</g>");
}

/// A marker's shape centred on (`x`, `y`).
fn shape(kind: Mk, x: f32, y: f32) -> String {
    let (x, y) = (fin(x), fin(y));
    let mut o = String::new();
    let fill = kind.fill();
    match kind {
        Mk::Say(_) => {
            let attrs = format!("fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1.5\"");
            circle(&mut o, (x, y), 6.5, &attrs);
        }
        Mk::Pause => {
            let ring = "fill=\"#fff\" stroke=\"#111827\" stroke-width=\"2.5\"";
            circle(&mut o, (x, y), 5.5, ring);
        }
        Mk::Trigger => {
            let diamond = [(x, y - 8.0), (x + 8.0, y), (x, y + 8.0), (x - 8.0, y)];
            outlined(&mut o, diamond, fill);
        }
        Mk::Zone(_) => {
            let down = [(x - 7.5, y - 6.5), (x + 7.5, y - 6.5), (x, y + 7.5)];
            outlined(&mut o, down, fill);
        }
        Mk::Fast => {
            let right = [(x - 6.5, y - 7.5), (x + 8.0, y), (x - 6.5, y + 7.5)];
            outlined(&mut o, right, fill);
        }
        Mk::Weapon => {
            rect(
                &mut o,
                (x - 6.5, y - 6.5),
                (13.0, 13.0),
                &format!("fill=\"{fill}\""),
            );
            let (cx, cy) = (n1(x - 3.5), n1(y - 3.5));
            let cross = "l7 7m0 -7l-7 7\" stroke=\"#fff\" stroke-width=\"2\"";
            let _ = write!(o, "<path d=\"M{cx} {cy}{cross}/>");
        }
        Mk::Partner => {
            let rounded = format!("rx=\"3\" fill=\"{fill}\"");
            rect(&mut o, (x - 7.5, y - 7.5), (15.0, 15.0), &rounded);
            badge_label(&mut o, (x, y + 4.0), 11, "2");
        }
        Mk::Outside => {
            circle(&mut o, (x, y), 7.5, &format!("fill=\"{fill}\""));
            badge_label(&mut o, (x, y + 4.2), 12, "i");
        }
        Mk::Ending => o = flag(x + 4.0, y - 7.0, y + 7.0),
    }
    o
}

/// A filled polygon with a thin white edge.
fn outlined<const N: usize>(o: &mut String, pts: [(f32, f32); N], fill: &str) {
    polygon(
        o,
        pts,
        &format!("fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1\""),
    );
}

/// A bold white character on a marker.
fn badge_label(o: &mut String, at: (f32, f32), size: u8, label: &str) {
    let attrs =
        format!("font-size=\"{size}\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\"");
    text(o, at, &attrs, label);
}

/// A flag on a pole from `top` to `bottom` at `x`.
fn flag(x: f32, top: f32, bottom: f32) -> String {
    let mut o = String::new();
    line(
        &mut o,
        (x, top),
        (x, bottom),
        "stroke=\"#111827\" stroke-width=\"2.5\"",
    );
    let pennant = [(x, top), (x - 14.0, top + 6.0), (x, top + 12.0)];
    polygon(&mut o, pennant, "fill=\"#111827\"");
    o
}

/// The legend for the event markers of this run (tones spoken, kinds that happened, the
/// ending); `false` when there are none.
pub(super) fn legend(o: &mut String, d: &Debrief) -> bool {
    let mut tones: Vec<Tone> = Vec::new();
    let mut kinds: Vec<Mk> = Vec::new();
    for (kind, _) in d.events.iter().filter_map(|e| mark(d, &e.kind)) {
        match kind {
            Mk::Say(t) if !tones.contains(&t) => tones.push(t),
            Mk::Say(_) => {}
            k if !kinds.contains(&k) => kinds.push(k),
            _ => {}
        }
    }
    if tones.is_empty() && kinds.is_empty() {
        return false;
    }
    tones.sort();
    o.push_str("<ul class=\"legend\">");
    for t in tones {
        let label = format!("{}: {t}", Mk::Say(t).label());
        o.push_str(&legend_item(&shape(Mk::Say(t), 13.0, 8.0), &label));
    }
    for k in Mk::LEGEND.into_iter().filter(|k| kinds.contains(k)) {
        o.push_str(&legend_item(&shape(k, 13.0, 8.0), k.label()));
    }
    if kinds.contains(&Mk::Ending) {
        o.push_str(&legend_item(
            &shape(Mk::Ending, 13.0, 8.0),
            Mk::Ending.label(),
        ));
    }
    o.push_str("</ul>");
    true
}
