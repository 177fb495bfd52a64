//! The distance dimension: talking from the ideal band once arrived, stays inside the
//! reactionary gap and personal space (and within arm's reach), fast approaches, a weapon
//! drawn when nothing called for it, and cover against an armed subject.

use super::{Dimension, DimensionScore, in_crisis, zone_periods};
use crate::format::scenario::Scenario;
use crate::format::vocab::Armed;
use crate::sim::{DT, EventKind, SimResult, Zone};

/// Closer than this (metres) is within arm's reach.
const ARMS_REACH: f32 = 1.5;

/// Most of the time in the open against a firearm costs this many distance points.
pub const EXPOSED_TO_FIREARM: f32 = 12.0;

pub(super) fn distance_score(scenario: &Scenario, r: &SimResult, weight: f32) -> DimensionScore {
    let mut d = DimensionScore::new(
        Dimension::Distance,
        90.0,
        "Starting point: the last 10 points are earned by talking from the ideal band",
        weight,
    );
    band_items(&mut d, scenario, r);
    gap_items(&mut d, r);
    personal_space_items(&mut d, scenario, r);
    approach_and_weapon_items(&mut d, scenario, r);
    if let Some(w) = r.subject.armed() {
        cover_items(&mut d, scenario, r, w);
    }
    d
}

/// Never arriving within the band's far edge, or once arrived, the shares of the time in
/// the band, too close and too far. The approach is not judged: shares count from the
/// first arrival at the band.
fn band_items(d: &mut DimensionScore, scenario: &Scenario, r: &SimResult) {
    let name = &r.subject.name; // as met this run (the drawn numbers)
    let (lo, hi) = scenario.scoring.ideal_distance;
    let tally = &r.tally;
    let secs = |ticks: u32| ticks as f32 * DT;
    if tally.arrived == 0 && tally.ticks > 0 {
        let secs_total = secs(tally.ticks);
        d.add(
            -(15.0 * (secs_total / 60.0).min(1.0)),
            format!(
                "Never came within {hi} m of {name} in {secs_total:.0} s — too far to build contact"
            ),
            None,
            None,
        );
    }
    if tally.arrived == 0 {
        return;
    }
    let total = tally.arrived as f32;
    let band_share = tally.in_band as f32 / total;
    d.add(
        10.0 * band_share,
        format!(
            "Talked from the ideal band ({lo}–{hi} m) {:.0}% of the time after arriving",
            band_share * 100.0
        ),
        None,
        None,
    );
    let close_share = tally.too_close as f32 / total;
    if tally.too_close > 0 {
        d.add(
            -30.0 * close_share,
            format!(
                "{:.0}% of the time ({:.0} s) closer than the ideal band",
                close_share * 100.0,
                secs(tally.too_close)
            ),
            None,
            None,
        );
    }
    let far_share = tally.too_far as f32 / total;
    if far_share > 0.4 {
        d.add(
            -15.0 * (far_share - 0.4) / 0.6,
            format!(
                "{:.0}% of the time ({:.0} s) farther than {hi} m after arriving — hard to build contact from there",
                far_share * 100.0,
                secs(tally.too_far)
            ),
            None,
            None,
        );
    }
}

/// `, closest 1.2 m`, or nothing when the closest distance is not known.
fn closest_words(closest: f32) -> String {
    if closest.is_finite() {
        format!(", closest {closest:.1} m")
    } else {
        String::new()
    }
}

/// Entering the reactionary gap is a risk in itself, however brief; staying costs more,
/// and far more against an armed subject.
fn gap_items(d: &mut DimensionScore, r: &SimResult) {
    let subj = &r.subject;
    for (idx, t0, t1, closest) in zone_periods(r, Zone::ReactionaryGap) {
        let dur = t1 - t0;
        let mut pts = 4.0 + dur.min(11.0);
        let mut why = String::new();
        if let Some(w) = subj.armed() {
            pts = 10.0 + 1.5 * dur.min(10.0);
            why = format!(", while {} {}", subj.name, w.phrase());
        }
        let closest = closest_words(closest);
        d.add(
            -pts,
            format!(
                "Inside the reactionary gap ({:.1} m) for {:.0} s{closest}{why}",
                subj.reactionary_gap, dur
            ),
            Some(t0),
            Some(idx),
        );
    }
}

/// Each stay inside personal space, and coming within arm's reach of someone armed, in
/// crisis or agitated: contact range.
fn personal_space_items(d: &mut DimensionScore, scenario: &Scenario, r: &SimResult) {
    let subj = &r.subject;
    let name = &subj.name;
    let armed = subj.armed().is_some();
    let vulnerable = in_crisis(scenario);
    for (idx, t0, t1, closest) in zone_periods(r, Zone::PersonalSpace) {
        let dur = t1 - t0;
        let agitated = crate::assess::debrief::agitation_at(&r.samples, t0) >= 50.0;
        if closest.is_finite() && closest < ARMS_REACH && (armed || vulnerable || agitated) {
            d.add(
                -(if armed || vulnerable { 12.0 } else { 8.0 }),
                format!(
                    "Came within arm's reach ({closest:.1} m) of {name} — nothing left to react with"
                ),
                Some(t0),
                Some(idx),
            );
        }
        let closest = closest_words(closest);
        d.add(
            -(3.0 + (0.5 * dur).min(7.0)),
            format!(
                "Inside {name}'s personal space ({:.1} m) for {:.0} s{closest}",
                subj.personal_space, dur
            ),
            Some(t0),
            Some(idx),
        );
    }
}

/// Fast approaches (costlier with someone armed or in crisis) and each time a weapon was
/// drawn, in the order they happened.
fn approach_and_weapon_items(d: &mut DimensionScore, scenario: &Scenario, r: &SimResult) {
    let fast_limit = r.subject.sensitivity.fast_approach_speed;
    let careful = r.subject.armed().is_some() || in_crisis(scenario);
    let mut drawn_at: Option<(usize, f32)> = None;
    for (i, e) in r.events.iter().enumerate() {
        match &e.kind {
            EventKind::FastApproach { speed, distance } => {
                let mut pts = 6.0 + 4.0 * (speed - fast_limit).max(0.0);
                if careful {
                    pts *= 1.5;
                }
                d.add(
                    -pts.min(25.0),
                    format!("Fast approach: closing at {speed:.1} m/s from {distance:.1} m"),
                    Some(e.t),
                    Some(i),
                );
            }
            EventKind::Weapon { drawn: true } => drawn_at = Some((i, e.t)),
            EventKind::Weapon { drawn: false } => {
                if let Some((idx, t0)) = drawn_at.take() {
                    weapon_item(d, scenario, r, idx, t0, e.t);
                }
            }
            _ => {}
        }
    }
    if let Some((idx, t0)) = drawn_at {
        weapon_item(d, scenario, r, idx, t0, r.duration);
    }
}

/// Cover against an armed subject, when the place has cover to use: credit for holding it
/// for a while; against a firearm, a cost for the share of the run spent in the open.
fn cover_items(d: &mut DimensionScore, scenario: &Scenario, r: &SimResult, w: Armed) {
    let tally = &r.tally;
    let has_cover = scenario.place.props.iter().any(|p| scenario.gives_cover(p));
    if !has_cover || tally.ticks == 0 {
        return;
    }
    let share = tally.in_cover as f32 / tally.ticks as f32;
    let held = tally.in_cover as f32 * DT;
    let first = r
        .events
        .iter()
        .position(|e| matches!(e.kind, EventKind::Cover { taken: true }));
    // Cover only counts when it was actually held for a while.
    if share >= 0.1 && held >= 10.0 {
        d.add(
            (3.0 + 5.0 * share).min(8.0),
            format!(
                "Used cover for {held:.0} s ({:.0}% of the time) — distance + cover = time",
                share * 100.0
            ),
            first.map(|i| r.events[i].t),
            first,
        );
    }
    if w.is_firearm() {
        let open = 1.0 - share;
        d.add(
            -EXPOSED_TO_FIREARM * open,
            format!(
                "In the open, not behind cover, for {:.0} s ({:.0}% of the time) while {} {} — distance alone does not stop a bullet; cover does",
                (tally.ticks - tally.in_cover) as f32 * DT,
                open * 100.0,
                scenario.subject.name,
                w.phrase()
            ),
            None,
            None,
        );
    }
}

/// A weapon drawn from `t0` to `t1`: judged by whether the subject's behaviour called for it.
/// A firearm in their hand always does; a weapon only within reach, or a weapon other than a
/// firearm, does once they are threatening (agitation 75 or more).
fn weapon_item(
    d: &mut DimensionScore,
    scenario: &Scenario,
    r: &SimResult,
    idx: usize,
    t0: f32,
    t1: f32,
) {
    let subj = &r.subject;
    let name = &subj.name;
    let a = crate::assess::debrief::agitation_at(&r.samples, t0);
    let dur = t1 - t0;
    let (pts, why) = match subj.armed() {
        None => (
            if in_crisis(scenario) { 20.0 } else { 10.0 },
            format!("{name} held no weapon"),
        ),
        Some(w) if w.is_firearm() && w.in_hand => return,
        Some(_) if a >= 75.0 => return,
        Some(w) if w.is_firearm() => (
            4.0,
            format!(
                "{name} {} but was not reaching for it (agitation {a:.0}) — cover protects you from it; a gun pointed at them raises the stakes",
                w.phrase()
            ),
        ),
        Some(w) => (
            8.0,
            format!(
                "{name} {} but was not threatening anyone (agitation {a:.0})",
                w.phrase()
            ),
        ),
    };
    d.add(
        -(pts + (0.2 * dur).min(6.0)),
        format!("Weapon drawn for {dur:.0} s although {why}"),
        Some(t0),
        Some(idx),
    );
}
