//! What the subject's body does and whether the trainee can see it: each `act` checked
//! (walking distances, something in hand to put down, a railing to climb back over, a place
//! to put it within a few steps), and the sight-line lint: a prop that hides the subject from
//! the trainee's spawn.

use super::{Validator, trigger_path};
use crate::format::act::Act;
use crate::format::scenario::{Next, Prop};
use crate::format::vocab::{Body, Held};
use crate::sim::staging::over_railing;

/// The longest walk an act may take (m).
const MAX_WALK: f32 = 30.0;
/// Farther than this from the subject, putting something down there is a long walk (m).
const PUT_DOWN_REACH: f32 = 6.0;
/// The trainee's eye height (m), where the sight lines start.
const EYE: f32 = 1.6;
/// A prop that hides at least this many of the six sight lines is reported.
const HIDDEN_RAYS: usize = 3;
/// A line must clear a prop by this much (m) to count as seeing past it: the crown of a head
/// showing over a car roof is not a view of the face.
const CLEARANCE: f32 = 0.15;

impl<'a> Validator<'a> {
    /// Every `act` in the scenario, then the sight lines from the trainee's spawn.
    pub(super) fn check_stage(&mut self) {
        let s = self.s;
        let mut acts: Vec<(String, Act)> = Vec::new();
        for (i, sc) in s.scenes.iter().enumerate() {
            acts.extend(sc.act.map(|a| (format!("scenes[{i}].act"), a)));
            for (j, o) in sc.options.iter().enumerate() {
                let at = format!("scenes[{i}].options[{j}]");
                acts.extend(o.act.map(|a| (format!("{at}.act"), a)));
                for (b, tb) in o.tone_branches.iter().enumerate() {
                    acts.extend(tb.act.map(|a| (format!("{at}.tone_branches[{b}].act"), a)));
                }
            }
            for (k, t) in sc.triggers.iter().enumerate() {
                acts.extend(
                    t.act
                        .map(|a| (format!("{}.act", trigger_path(Some(i), k)), a)),
                );
            }
        }
        for (k, t) in s.triggers.iter().enumerate() {
            acts.extend(t.act.map(|a| (format!("{}.act", trigger_path(None, k)), a)));
        }
        for (i, e) in s.endings.iter().enumerate() {
            acts.extend(e.act.map(|a| (format!("endings[{i}].act"), a)));
        }
        acts.extend(branch_acts(s));
        for (path, act) in acts {
            self.check_act(&path, act);
        }
        self.sight_lines();
    }

    fn check_act(&mut self, path: &str, act: Act) {
        let sub = &self.s.subject;
        let name = &sub.name;
        if let Some(m) = act.metres() {
            self.in_range(path, "a walk", m, 0.0, MAX_WALK);
        }
        if act.lets_go() && sub.holding == Held::Nothing {
            let span = self.at(path);
            let d = self.warning(
                "act-nothing-held",
                format!(
                    "{name} holds nothing (`subject.holding`), so there is nothing to put down"
                ),
                span,
            );
            d.label = Some("empty hands".into());
            d.help = Some("give the subject `holding:`, or leave this act out".into());
        }
        if let Act::PutDown { at: Some((x, z)) } = act {
            let at = format!("{path}.at");
            let ok = self.finite(&format!("{at}[0]"), "where it is put down (x)", x)
                & self.finite(&format!("{at}[1]"), "where it is put down (z)", z);
            let far = ((x - sub.spawn.x).powi(2) + (z - sub.spawn.z).powi(2)).sqrt();
            if ok && far > PUT_DOWN_REACH {
                let span = self.at(&at);
                let d = self.warning(
                    "act-far",
                    format!(
                        "{name} would walk {far:.1} m to put it down here, and back: more than \
                         {PUT_DOWN_REACH} m, with the officer watching"
                    ),
                    span,
                );
                d.label = Some(format!("{far:.1} m from the subject's spawn"));
                d.help = Some(
                    "put it down within a few steps (a car bonnet, a wall beside them)".into(),
                );
            }
        }
        if act == Act::ClimbBack {
            let t = self.s.place.trainee_spawn;
            let here = (sub.spawn.x, sub.spawn.z);
            if over_railing(self.s, here, (t.x, t.z)).is_none() {
                let span = self.at(path);
                let d = self.warning(
                    "act-no-railing",
                    format!("no `Railing` prop within reach of {name}: there is nothing to climb back over"),
                    span,
                );
                d.label = Some("no railing here".into());
                d.help = Some(
                    "put a `Railing` prop at the subject's spawn, or use `StepBack(..)`".into(),
                );
            }
        }
    }

    /// A prop between the trainee's spawn and the subject that hides their head and half
    /// their upper body or more (what body language is read from): six lines from the
    /// trainee's eyes to the subject's head and chest, each at the middle and 0.2 m to either
    /// side. A car that hides only the legs or the chest is fine; the prop the subject sits
    /// in, and the one the trainee starts in, do not count.
    fn sight_lines(&mut self) {
        let s = self.s;
        let sub = &s.subject;
        let t = s.place.trainee_spawn;
        let (sx, sz) = (sub.spawn.x, sub.spawn.z);
        let (dx, dz) = (sx - t.x, sz - t.z);
        let len = (dx * dx + dz * dz).sqrt();
        if !len.is_finite() || len < 0.5 {
            return;
        }
        let side = (-dz / len, dx / len);
        let eye = (t.x, EYE, t.z);
        let middle = s.middle();
        let [head, chest] = heights(s);
        let mut rays = Vec::with_capacity(6);
        for y in [head, chest] {
            for off in [-0.2, 0.0, 0.2] {
                rays.push((sx + side.0 * off, y, sz + side.1 * off));
            }
        }
        for (i, p) in s.place.props.iter().enumerate() {
            if p.contains(sx, sz) || p.contains(t.x, t.z) || !finite_prop(p) {
                continue;
            }
            let hit: Vec<bool> = rays
                .iter()
                .map(|r| p.blocks_line(middle, eye, *r, CLEARANCE))
                .collect();
            let hidden = hit.iter().filter(|h| **h).count();
            if hidden < HIDDEN_RAYS || !hit[..3].contains(&true) {
                continue;
            }
            let span = self.at(&format!("place.props[{i}]"));
            let d = self.warning(
                "sight-blocked",
                format!(
                    "this `{:?}` stands between the trainee's spawn and {}: it hides {hidden} \
                     of the 6 sight lines to their head and chest, so the trainee starts \
                     without a clear view",
                    p.kind, sub.name
                ),
                span,
            );
            d.label = Some("in the line of sight".into());
            d.help = Some(
                "move the prop, the subject or the trainee's spawn so the trainee can see the \
                 subject's body language from the start"
                    .into(),
            );
        }
    }
}

/// Heights (m) of the subject's head and chest at the start: standing, sitting (the start
/// scene's `body: Sitting`), or sitting in the vehicle their spawn is inside.
fn heights(s: &crate::format::scenario::Scenario) -> [f32; 2] {
    let sub = &s.subject;
    let h = sub.appearance.height;
    let vehicle = s
        .place
        .props
        .iter()
        .find(|p| p.kind.is_vehicle() && p.contains(sub.spawn.x, sub.spawn.z));
    if let Some(v) = vehicle {
        // In the seat: the head just under the roof, the chest at the window sill.
        return [v.size.1 - 0.2, v.size.1 - 0.55];
    }
    let seated = s
        .scene(&s.start_scene)
        .is_some_and(|sc| sc.body == Some(Body::Sitting));
    let k = if seated { 0.7 } else { 1.0 };
    [h * 0.93 * k, h * 0.72 * k]
}

/// The acts of every `OneOf` branch, with their paths.
fn branch_acts(s: &crate::format::scenario::Scenario) -> Vec<(String, Act)> {
    let mut nexts: Vec<(String, &Next)> = Vec::new();
    for (i, sc) in s.scenes.iter().enumerate() {
        for (j, o) in sc.options.iter().enumerate() {
            nexts.push((format!("scenes[{i}].options[{j}].next"), &o.next));
            for (b, tb) in o.tone_branches.iter().enumerate() {
                let path = format!("scenes[{i}].options[{j}].tone_branches[{b}].next");
                nexts.push((path, &tb.next));
            }
        }
        for (k, t) in sc.triggers.iter().enumerate() {
            nexts.push((format!("{}.goto", trigger_path(Some(i), k)), &t.goto));
        }
    }
    for (k, t) in s.triggers.iter().enumerate() {
        nexts.push((format!("{}.goto", trigger_path(None, k)), &t.goto));
    }
    let mut out = Vec::new();
    for (path, next) in nexts {
        if let Next::OneOf(bs) = next {
            for (k, b) in bs.iter().enumerate() {
                out.extend(b.act.map(|a| (format!("{path}[{k}].act"), a)));
            }
        }
    }
    out
}

fn finite_prop(p: &Prop) -> bool {
    [p.x, p.z, p.rotation, p.size.0, p.size.1, p.size.2]
        .iter()
        .all(|v| v.is_finite())
}
