//! Agitation and trust crossing the levels 25, 50 and 75: the band each value is in (with
//! hysteresis on the way down) and one `Threshold` event per level crossed.

use super::events::{EventKind, Measure};
use super::state::Sim;

/// Agitation levels at which `Threshold` events are emitted.
const LEVELS: [f32; 3] = [25.0, 50.0, 75.0];
/// Hysteresis: a level counts as re-crossed downwards only this far below it.
const HYSTERESIS: f32 = 3.0;

pub(super) fn band_of(v: f32, prev: usize) -> usize {
    // Rising crossings at the level itself; falling ones HYSTERESIS below it.
    let mut b = prev;
    while b < LEVELS.len() && v >= LEVELS[b] {
        b += 1;
    }
    while b > 0 && v < LEVELS[b - 1] - HYSTERESIS {
        b -= 1;
    }
    b
}

impl Sim {
    pub(super) fn check_thresholds(&mut self) {
        // One event per level crossed, even when a single change jumps several levels.
        for (measure, value) in [
            (Measure::Agitation, self.agitation),
            (Measure::Trust, self.trust),
        ] {
            let band = match measure {
                Measure::Agitation => self.agit_band,
                Measure::Trust => self.trust_band,
            };
            let nb = band_of(value, band);
            if nb > band {
                for &level in &LEVELS[band..nb] {
                    self.push(EventKind::Threshold {
                        measure,
                        level,
                        rising: true,
                    });
                }
            } else {
                for &level in LEVELS[nb..band].iter().rev() {
                    self.push(EventKind::Threshold {
                        measure,
                        level,
                        rising: false,
                    });
                }
            }
            match measure {
                Measure::Agitation => self.agit_band = nb,
                Measure::Trust => self.trust_band = nb,
            }
        }
    }
}
