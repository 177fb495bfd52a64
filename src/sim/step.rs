//! One tick, in order: measure where the trainee is (zones, fast approach, weapon, cover),
//! take the action, let agitation drift (stressors or settling), count the scoring tallies,
//! then seeded events, thresholds and triggers, and close the tick (peak, chart, time limit).

use super::events::{Event, EventKind, Sample, Zone};
use super::input::{Hands, TickInput, TraineeState};
use super::state::Sim;
use super::{DT, SAMPLE_EVERY, SimError, TICK_HZ, clamp100};
use std::sync::Arc;

/// What the trainee's state means this tick, measured once at its start.
#[derive(Debug, Clone, Copy)]
struct Sensed {
    /// Distance to the subject (m) and closing speed (m/s, positive = approaching).
    d: f32,
    closing: f32,
    in_ps: bool,
    in_gap: bool,
    fast: bool,
    weapon: bool,
}

impl Sim {
    /// Advance one tick. Returns the events this tick produced.
    pub fn step(&mut self, input: &TickInput) -> Result<&[Event], SimError> {
        if self.ending.is_some() {
            return Err(SimError::Finished);
        }
        // Refuse an impossible action before anything changes, so a rejected step leaves
        // the simulation exactly as it was.
        if let Some(action) = &input.action {
            self.validate(action)?;
        }
        let first_new = self.events.len();
        let tr = &input.trainee;
        let sensed = self.sense(tr);
        if let Some(action) = &input.action {
            self.act(action)?;
            self.note_peak();
            if self.ending.is_some() {
                self.check_thresholds();
                self.close_tick();
                return Ok(&self.events[first_new..]);
            }
        }
        self.drift(&sensed);
        self.count(&sensed, tr.in_cover);
        self.run_seeded_events();
        self.check_thresholds();
        self.run_triggers(sensed.weapon)?;
        self.close_tick();
        Ok(&self.events[first_new..])
    }

    /// Where the trainee is and how they stand, with an event for every change.
    fn sense(&mut self, tr: &TraineeState) -> Sensed {
        let p = self.params;
        let dx = p.sx - tr.x;
        let dz = p.sz - tr.z;
        let d = (dx * dx + dz * dz).sqrt();
        let closing = if d > 1e-4 {
            (tr.vx * dx + tr.vz * dz) / d
        } else {
            0.0
        };
        self.distance = d;
        self.closing = closing;
        if tr.x.is_finite() && tr.z.is_finite() {
            self.trainee_at = (tr.x, tr.z);
        }
        let in_ps = d < p.personal_space;
        let in_gap = d < p.reactionary_gap;
        self.note_zones(d, in_ps, in_gap);
        let fast = closing > p.sens.fast_approach_speed;
        if fast && !self.fast {
            self.push(EventKind::FastApproach {
                speed: closing,
                distance: d,
            });
        }
        self.fast = fast;
        let weapon = self.note_weapon_and_cover(tr);
        Sensed {
            d,
            closing,
            in_ps,
            in_gap,
            fast,
            weapon,
        }
    }

    /// Entering or leaving personal space or the reactionary gap, with the closest the
    /// trainee came during the stay.
    fn note_zones(&mut self, d: f32, in_ps: bool, in_gap: bool) {
        for (k, (inside, zone)) in [(in_ps, Zone::PersonalSpace), (in_gap, Zone::ReactionaryGap)]
            .into_iter()
            .enumerate()
        {
            let was = if k == 0 { self.in_ps } else { self.in_gap };
            if inside {
                self.closest[k] = if was { self.closest[k].min(d) } else { d };
            }
            if inside != was {
                if k == 0 {
                    self.in_ps = inside;
                } else {
                    self.in_gap = inside;
                }
                self.push(EventKind::Zone {
                    zone,
                    entered: inside,
                    distance: d,
                    closest: if inside { d } else { self.closest[k] },
                });
            }
        }
    }

    /// A weapon drawn or put away, cover taken or left. Returns whether a weapon is drawn.
    fn note_weapon_and_cover(&mut self, tr: &TraineeState) -> bool {
        let weapon = tr.hands == Hands::WeaponDrawn;
        if weapon != self.weapon {
            self.weapon = weapon;
            self.push(EventKind::Weapon { drawn: weapon });
        }
        if tr.in_cover != self.cover {
            self.cover = tr.in_cover;
            self.push(EventKind::Cover { taken: tr.in_cover });
        }
        weapon
    }

    /// The continuous dynamics: what stresses the subject this tick, or else settling.
    fn drift(&mut self, s: &Sensed) {
        let (mut da, stressed) = self.stress(s);
        if !stressed {
            da += self.settling();
        }
        self.agitation = clamp100(self.agitation + da);
    }

    /// Crowding, a fast approach, a drawn weapon and silence: the agitation they add this
    /// tick (each counted in its cause), and whether any of them stressed the subject.
    fn stress(&mut self, s: &Sensed) -> (f32, bool) {
        let p = self.params;
        let sens = &p.sens;
        let mut stressed = false;
        let mut da = 0.0f32;
        if s.in_ps && p.personal_space > 0.0 {
            let depth = (p.personal_space - s.d) / p.personal_space;
            let v = sens.proximity * depth * DT;
            da += v;
            self.causes.proximity += v;
            self.trust = clamp100(self.trust - 0.25 * v);
            stressed = true;
        }
        if s.fast {
            let v = sens.fast_approach * (s.closing - sens.fast_approach_speed) * DT;
            da += v;
            self.causes.fast_approach += v;
            stressed = true;
        }
        if s.weapon {
            let v = sens.weapon * DT;
            da += v;
            self.causes.weapon += v;
            stressed = true;
        }
        let quiet_since = self.last_spoke.max(self.scene_entered);
        let silent_for = (self.tick - quiet_since) as f32 * DT;
        if silent_for > sens.silence_after
            && sens.silence != 0.0
            && !self.scenario.scenes[self.scene].ignore_silence
        {
            let v = sens.silence * DT;
            da += v;
            self.causes.silence += v;
            if v > 0.0 {
                stressed = true;
            }
        }
        (da, stressed)
    }

    /// Left alone, agitation settles toward a resting level: the baseline, lowered by up to
    /// half as trust grows — a person who trusts the officer can calm below where they
    /// started. Trust also speeds the settling (up to double). Returns this tick's change.
    fn settling(&mut self) -> f32 {
        let p = self.params;
        let rest = p.baseline * (1.0 - 0.5 * self.trust / 100.0);
        let rate = p.sens.settle * (1.0 + self.trust / 100.0);
        let v = (rest - self.agitation) * rate * DT;
        self.causes.settling += v;
        v
    }

    /// The tallies scoring reads: distance band (once arrived), zones, cover, weapon.
    fn count(&mut self, s: &Sensed, in_cover: bool) {
        let (lo, hi) = self.params.band;
        let d = s.d;
        let t = &mut self.tally;
        t.ticks += 1;
        if t.arrived > 0 || d <= hi {
            t.arrived += 1;
            if d < lo {
                t.too_close += 1;
            } else if d > hi {
                t.too_far += 1;
            } else {
                t.in_band += 1;
            }
        }
        t.in_personal_space += s.in_ps as u32;
        t.in_reactionary_gap += s.in_gap as u32;
        t.in_cover += in_cover as u32;
        t.weapon_drawn += s.weapon as u32;
    }

    pub(super) fn run_seeded_events(&mut self) {
        let scenario = Arc::clone(&self.scenario);
        for (k, ev) in scenario.events.iter().enumerate() {
            let Some(due) = self.met.due[k] else { continue };
            if self.happened[k] || self.tick < due {
                continue;
            }
            let closes = (ev.window.0.max(ev.window.1) * TICK_HZ as f32).round() as u32;
            if self.tick > closes.max(due) {
                self.happened[k] = true;
                continue;
            }
            if !self.conditions_hold(&ev.requires) {
                continue;
            }
            self.happened[k] = true;
            self.push(EventKind::Happened {
                id: ev.id.clone(),
                line: ev.line.clone(),
                by: ev.by,
                why: ev.why.clone(),
            });
            let before = self.agitation;
            self.agitation = clamp100(self.agitation + ev.agitation);
            self.causes.triggers += self.agitation - before;
            self.trust = clamp100(self.trust + ev.trust);
            self.change_flags(&ev.clears, &ev.sets);
            return;
        }
    }

    /// Keeps the highest agitation seen (after every action and at the end of every tick).
    pub(super) fn note_peak(&mut self) {
        if self.agitation > self.peak.0 {
            self.peak = (self.agitation, self.tick);
        }
    }

    pub(super) fn close_tick(&mut self) {
        let now = self.tick;
        self.note_peak();
        self.injected.retain(|(_, t)| now < t + TICK_HZ);
        if self.tick.is_multiple_of(SAMPLE_EVERY) {
            self.samples.push(Sample {
                t: self.tick as f32 * DT,
                agitation: self.agitation,
                trust: self.trust,
                distance: if self.distance.is_finite() {
                    self.distance
                } else {
                    0.0
                },
            });
        }
        self.tick += 1;
        if self.ending.is_none() && self.tick >= self.limit_ticks {
            if let Some(i) = self.scenario.ending_index(&self.scenario.timeout_ending) {
                self.finish(i, true);
            } else {
                // Unvalidated scenario: end anyway so a run can never go on forever.
                self.timed_out = true;
                self.ending = None;
                self.tick = self.limit_ticks;
            }
        }
    }

    /// True once the time limit has passed, even for a scenario whose timeout ending is missing.
    pub fn out_of_time(&self) -> bool {
        self.tick >= self.limit_ticks
    }

    /// Run to the end (ending or time limit) with the trainee standing still.
    pub fn run_idle(&mut self, trainee: TraineeState) {
        let input = TickInput {
            trainee: TraineeState {
                vx: 0.0,
                vz: 0.0,
                ..trainee
            },
            action: None,
        };
        while !self.is_finished() && !self.out_of_time() {
            if self.step(&input).is_err() {
                break;
            }
        }
    }
}
