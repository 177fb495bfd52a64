//! Conditions reduced to what they compare, so that the lints can tell when one condition
//! implies another (`AgitationAbove(92)` implies `AgitationAbove(90)`) and which of two
//! thresholds on the same measure is crossed first.

use crate::format::scenario::{Condition, Trigger, When};

/// What a condition measures, for conditions that compare a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Measure {
    Agitation,
    Trust,
    Distance,
    Closing,
    InScene,
    Silence,
    Elapsed,
}

impl Measure {
    pub(super) fn is_time(self) -> bool {
        matches!(self, Measure::InScene | Measure::Silence | Measure::Elapsed)
    }

    /// Whether it changes a little every tick, so that of two thresholds one is crossed
    /// first (trust and the approach speed move in steps: a line, a sudden run).
    fn gradual(self) -> bool {
        matches!(self, Measure::Agitation | Measure::Distance) || self.is_time()
    }

    pub(super) fn words(self) -> &'static str {
        match self {
            Measure::Agitation => "agitation",
            Measure::Trust => "trust",
            Measure::Distance => "the distance",
            Measure::Closing => "the approach speed",
            Measure::InScene => "the time in the scene",
            Measure::Silence => "the silence",
            Measure::Elapsed => "the time since the start",
        }
    }

    /// Whether `self` above a value means `other` is above it too: the silence is never
    /// longer than the time in the scene, nor that than the time since the start.
    fn bounds(self, other: Measure) -> bool {
        self == other
            || matches!(
                (self, other),
                (Measure::Silence, Measure::InScene | Measure::Elapsed)
                    | (Measure::InScene, Measure::Elapsed)
            )
    }
}

/// One condition, as `when` and `requires` both reduce to.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Atom {
    Above(Measure, f32),
    Below(Measure, f32),
    /// Anything else, compared as written (`Flag("x")`, `WeaponDrawn`, `Injected("radio")`).
    Exact(String),
}

impl Atom {
    pub(super) fn of_when(w: &When) -> Atom {
        use Measure as M;
        match w {
            When::AgitationAbove(v) => Atom::Above(M::Agitation, *v),
            When::AgitationBelow(v) => Atom::Below(M::Agitation, *v),
            When::TrustAbove(v) => Atom::Above(M::Trust, *v),
            When::TrustBelow(v) => Atom::Below(M::Trust, *v),
            When::CloserThan(v) => Atom::Below(M::Distance, *v),
            When::FartherThan(v) => Atom::Above(M::Distance, *v),
            When::ApproachFasterThan(v) => Atom::Above(M::Closing, *v),
            When::SecondsInScene(v) => Atom::Above(M::InScene, *v),
            When::SilenceFor(v) => Atom::Above(M::Silence, *v),
            When::SecondsElapsed(v) => Atom::Above(M::Elapsed, *v),
            other => Atom::Exact(format!("{other:?}")),
        }
    }

    pub(super) fn of_condition(c: &Condition) -> Atom {
        use Measure as M;
        match c {
            Condition::AgitationAbove(v) => Atom::Above(M::Agitation, *v),
            Condition::AgitationBelow(v) => Atom::Below(M::Agitation, *v),
            Condition::TrustAbove(v) => Atom::Above(M::Trust, *v),
            Condition::TrustBelow(v) => Atom::Below(M::Trust, *v),
            Condition::CloserThan(v) => Atom::Below(M::Distance, *v),
            Condition::FartherThan(v) => Atom::Above(M::Distance, *v),
            Condition::SecondsInScene(v) => Atom::Above(M::InScene, *v),
            Condition::SecondsElapsed(v) => Atom::Above(M::Elapsed, *v),
            other => Atom::Exact(format!("{other:?}")),
        }
    }

    /// Whether this holding means `other` holds.
    pub(super) fn implies(&self, other: &Atom) -> bool {
        match (self, other) {
            (Atom::Above(m, x), Atom::Above(n, y)) => m.bounds(*n) && x >= y,
            (Atom::Below(m, x), Atom::Below(n, y)) => m == n && x <= y,
            (Atom::Exact(a), Atom::Exact(b)) => a == b,
            _ => false,
        }
    }

    /// The threshold moved by `by` (a trigger's jitter: negative loosens, positive tightens).
    fn shifted(&self, by: f32) -> Atom {
        match self {
            Atom::Above(m, v) => Atom::Above(*m, v + by),
            Atom::Below(m, v) => Atom::Below(*m, v - by),
            other => other.clone(),
        }
    }

    /// The measure of a trigger condition (agitation if it has none).
    pub(super) fn measure_of(w: &When) -> Measure {
        match Atom::of_when(w) {
            Atom::Above(m, _) | Atom::Below(m, _) => m,
            Atom::Exact(_) => Measure::Agitation,
        }
    }
}

/// A trigger's conditions, its `when` first, with its jitter taken the way `shift` says:
/// -1 for the loosest the draw can make it, +1 for the tightest.
pub(super) fn atoms(t: &Trigger, shift: f32) -> Vec<Atom> {
    let mut out = vec![Atom::of_when(&t.when).shifted(shift * t.jitter.abs())];
    out.extend(t.requires.iter().map(Atom::of_condition));
    out
}

/// Whether `first` (checked later) is crossed before `second` as a measure that changes
/// gradually changes: the measure, if so.
pub(super) fn race(first: &Atom, second: &Atom) -> Option<Measure> {
    let found = match (first, second) {
        (Atom::Above(m, a), Atom::Above(n, b)) if n.bounds(*m) && a < b => *m,
        (Atom::Below(m, a), Atom::Below(n, b)) if m == n && !m.is_time() && a > b => *m,
        _ => return None,
    };
    found.gradual().then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implication_and_races() {
        let above = |m, v| Atom::Above(m, v);
        assert!(above(Measure::Agitation, 92.0).implies(&above(Measure::Agitation, 90.0)));
        assert!(!above(Measure::Agitation, 88.0).implies(&above(Measure::Agitation, 90.0)));
        assert!(above(Measure::Silence, 40.0).implies(&above(Measure::Elapsed, 30.0)));
        assert!(!above(Measure::Elapsed, 40.0).implies(&above(Measure::Silence, 30.0)));
        let flag = Atom::of_condition(&Condition::Flag("x".into()));
        assert!(Atom::of_when(&When::Flag("x".into())).implies(&flag));
        let a90 = above(Measure::Agitation, 90.0);
        assert_eq!(
            race(&a90, &above(Measure::Agitation, 92.0)),
            Some(Measure::Agitation)
        );
        assert_eq!(race(&above(Measure::Agitation, 95.0), &a90), None);
        // Trust moves in steps (a line is worth several points): no race to call.
        assert_eq!(
            race(&above(Measure::Trust, 50.0), &above(Measure::Trust, 55.0)),
            None
        );
        let closer = |v| Atom::Below(Measure::Distance, v);
        assert_eq!(race(&closer(4.0), &closer(2.0)), Some(Measure::Distance));
    }
}
