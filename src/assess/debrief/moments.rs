//! The debrief's key moments: the largest changes in agitation and what caused them — a
//! line, the partner talking over, a stay inside a zone, a fast approach, a drawn weapon,
//! something outside the trainee's control, a quiet stretch in which the subject settled.

use super::{KeyMoment, agitation_at, voice_words};
use crate::format::scenario::Scenario;
use crate::sim::{Event, EventKind, SimResult, Zone};

/// The largest changes in agitation and what caused them.
pub(super) fn key_moments(scenario: &Scenario, r: &SimResult) -> Vec<KeyMoment> {
    let mut c = Candidates {
        scenario,
        r,
        found: Vec::new(),
        zone_open: [None, None],
        weapon_open: None,
    };
    for (i, e) in r.events.iter().enumerate() {
        c.event(i, e);
    }
    c.still_open();
    c.quiet_stretches();
    biggest(c.found)
}

/// The moments found so far, and the stays still open (event index, start).
struct Candidates<'a> {
    scenario: &'a Scenario,
    r: &'a SimResult,
    found: Vec<KeyMoment>,
    /// Inside personal space, inside the reactionary gap.
    zone_open: [Option<(usize, f32)>; 2],
    weapon_open: Option<(usize, f32)>,
}

impl Candidates<'_> {
    fn at(&self, t: f32) -> f32 {
        agitation_at(&self.r.samples, t)
    }

    /// A moment from event `idx` that lasted from `t0` to `t_end`.
    fn push(&mut self, idx: usize, t0: f32, t_end: f32, cause: String) {
        let delta = self.at(t_end) - self.at(t0);
        self.found.push(KeyMoment {
            t: t0,
            t_end,
            delta,
            cause,
            event: Some(idx),
        });
    }

    fn event(&mut self, i: usize, e: &Event) {
        match &e.kind {
            EventKind::Utterance {
                text,
                tone,
                agitation_before,
                agitation_after,
                ..
            } => self.found.push(KeyMoment {
                t: e.t,
                t_end: e.t,
                delta: agitation_after - agitation_before,
                cause: format!("You said “{text}” ({tone})"),
                event: Some(i),
            }),
            EventKind::PartnerTalksOver { line } => self.found.push(KeyMoment {
                t: e.t,
                t_end: e.t,
                delta: self
                    .scenario
                    .partner
                    .as_ref()
                    .map_or(0.0, |p| p.talk_over_agitation),
                cause: format!("Your partner talked over you: “{line}”"),
                event: Some(i),
            }),
            EventKind::Zone { zone, entered, .. } => self.zone(i, e.t, *zone, *entered),
            EventKind::FastApproach { speed, .. } => {
                let cause = format!("A fast approach at {speed:.1} m/s");
                self.push(i, e.t, e.t + 2.0, cause);
            }
            EventKind::Weapon { drawn } => self.weapon(i, e.t, *drawn),
            EventKind::Injected { .. } | EventKind::Happened { .. } => self.outside(i, e),
            _ => {}
        }
    }

    /// Entering a zone opens a stay; leaving it closes one into a moment.
    fn zone(&mut self, i: usize, t: f32, zone: Zone, entered: bool) {
        let k = (zone == Zone::ReactionaryGap) as usize;
        if entered {
            self.zone_open[k] = Some((i, t));
        } else if let Some((idx, t0)) = self.zone_open[k].take() {
            let name = &self.scenario.subject.name;
            let cause = format!("{:.0} s inside {name}'s {}", t - t0, zone.label());
            self.push(idx, t0, t, cause);
        }
    }

    /// Drawing opens a stretch; holstering closes it into a moment.
    fn weapon(&mut self, i: usize, t: f32, drawn: bool) {
        if drawn {
            self.weapon_open = Some((i, t));
        } else if let Some((idx, t0)) = self.weapon_open.take() {
            self.push(idx, t0, t, format!("A drawn weapon for {:.0} s", t - t0));
        }
    }

    /// An inject or a seeded event: something outside the trainee's control.
    fn outside(&mut self, i: usize, e: &Event) {
        let (line, who) = match &e.kind {
            EventKind::Injected { line, by, .. } => (line, *by),
            EventKind::Happened { line, by, .. } => (line, Some(*by)),
            _ => return,
        };
        let who = who.and_then(|v| voice_words(v, &self.scenario.subject.name));
        let delta = self.at(e.t + 1.0) - self.at((e.t - 0.1).max(0.0));
        self.found.push(KeyMoment {
            t: e.t,
            t_end: e.t + 1.0,
            delta,
            cause: match who {
                Some(who) => format!("Something outside your control ({who}): “{line}”"),
                None => format!("Something outside your control: “{line}”"),
            },
            event: Some(i),
        })
    }

    /// Stays in a zone and a drawn weapon that lasted to the end of the run.
    fn still_open(&mut self) {
        let end = self.r.duration;
        let name = self.scenario.subject.name.clone();
        for (k, open) in self.zone_open.into_iter().enumerate() {
            if let Some((idx, t0)) = open {
                let zone = if k == 1 {
                    Zone::ReactionaryGap
                } else {
                    Zone::PersonalSpace
                };
                let cause = format!("{:.0} s inside {name}'s {}", end - t0, zone.label());
                self.push(idx, t0, end, cause);
            }
        }
        if let Some((idx, t0)) = self.weapon_open {
            self.push(
                idx,
                t0,
                end,
                format!("A drawn weapon for {:.0} s", end - t0),
            );
        }
    }

    /// Quiet stretches where agitation settled by itself: presence and patience working.
    fn quiet_stretches(&mut self) {
        let r = self.r;
        let mut bounds = vec![0.0];
        bounds.extend(r.events.iter().filter(|e| breaks_quiet(e)).map(|e| e.t));
        bounds.push(r.duration);
        for w in bounds.windows(2) {
            let (t0, t1) = (w[0] + 0.5, w[1] - 0.5);
            if t1 - t0 < 10.0 {
                continue;
            }
            let delta = self.at(t1) - self.at(t0);
            if delta <= -6.0 {
                self.found.push(KeyMoment {
                    t: t0,
                    t_end: t1,
                    delta,
                    cause: quiet_cause(r, &self.scenario.subject.name, t0, t1),
                    event: None,
                });
            }
        }
    }
}

/// Whether an event ends a quiet stretch: a line, entering a zone, a fast approach, a
/// trigger.
fn breaks_quiet(e: &Event) -> bool {
    matches!(
        e.kind,
        EventKind::Utterance { .. }
            | EventKind::Zone { entered: true, .. }
            | EventKind::FastApproach { .. }
            | EventKind::TriggerFired { .. }
    )
}

/// The (at most 6) moments that changed agitation most (by 3 or more), in time order.
fn biggest(mut found: Vec<KeyMoment>) -> Vec<KeyMoment> {
    found.retain(|m| m.delta.abs() >= 3.0);
    found.sort_by(|a, b| {
        b.delta
            .abs()
            .total_cmp(&a.delta.abs())
            .then(a.t.total_cmp(&b.t))
    });
    found.truncate(6);
    found.sort_by(|a, b| a.t.total_cmp(&b.t));
    found
}

/// Why the subject settled over a quiet stretch, as true of this run: "steady presence
/// without pressure" only once the trainee had spoken, stood outside the person's space and
/// kept any weapon holstered; otherwise the person settled with time alone.
fn quiet_cause(r: &SimResult, name: &str, t0: f32, t1: f32) -> String {
    let secs = t1 - t0;
    let spoke = r
        .events
        .iter()
        .any(|e| e.t < t0 && matches!(e.kind, EventKind::Utterance { .. }));
    let close = r
        .samples
        .iter()
        .any(|s| s.t >= t0 && s.t <= t1 && s.distance < r.subject.personal_space);
    let drawn = weapon_drawn_between(r, t0, t1);
    if spoke && !close && !drawn {
        format!("{secs:.0} s of steady presence without pressure: {name} settled")
    } else if !spoke {
        format!("{secs:.0} s in which you had not yet said anything: {name} settled with time")
    } else {
        format!("{secs:.0} s without a word from you: {name} settled with time")
    }
}

/// Whether the trainee's weapon was out at any point between `t0` and `t1`.
fn weapon_drawn_between(r: &SimResult, t0: f32, t1: f32) -> bool {
    let mut out_at_start = false;
    for e in r.events.iter().take_while(|e| e.t <= t1) {
        match e.kind {
            EventKind::Weapon { drawn } if e.t < t0 => out_at_start = drawn,
            EventKind::Weapon { drawn: true } => return true,
            _ => {}
        }
    }
    out_at_start
}
