//! The checks every number and text in a scenario shares: finite, in a range, not negative,
//! greater than 0, not empty; a colour's channels, a spawn point, a change of agitation or
//! trust. Each reports at the value's own span.

use super::validator::Validator;
use crate::format::scenario::Spawn;

impl Validator<'_> {
    /// Errors if `v` is not finite; returns whether it is.
    pub(super) fn finite(&mut self, path: &str, what: &str, v: f32) -> bool {
        if v.is_finite() {
            return true;
        }
        let span = self.payload(path);
        self.error(
            "non-finite",
            format!("{what} must be a finite number, found {v}"),
            span,
        )
        .label = Some("not a finite number".into());
        false
    }

    /// Errors unless `min <= v <= max`.
    pub(super) fn in_range(&mut self, path: &str, what: &str, v: f32, min: f32, max: f32) {
        if self.finite(path, what, v) && !(min..=max).contains(&v) {
            let span = self.payload(path);
            let d = self.error(
                "out-of-range",
                format!("{what} must be between {min} and {max}, found {v}"),
                span,
            );
            d.label = Some(format!("outside {min}..={max}"));
        }
    }

    /// Errors if `v` is negative.
    pub(super) fn non_negative(&mut self, path: &str, what: &str, v: f32) {
        if self.finite(path, what, v) && v < 0.0 {
            let span = self.payload(path);
            self.error(
                "out-of-range",
                format!("{what} cannot be negative, found {v}"),
                span,
            )
            .label = Some("negative".into());
        }
    }

    /// Errors unless `v > 0`.
    pub(super) fn positive(&mut self, path: &str, what: &str, v: f32) {
        if self.finite(path, what, v) && v <= 0.0 {
            let span = self.payload(path);
            self.error(
                "out-of-range",
                format!("{what} must be greater than 0, found {v}"),
                span,
            )
            .label = Some("must be > 0".into());
        }
    }

    /// Errors if the text is empty or only whitespace.
    pub(super) fn non_empty(&mut self, path: &str, what: &str, text: &str) {
        if text.trim().is_empty() {
            let span = self.payload(path);
            self.error("empty-text", format!("{what} is empty"), span)
                .label = Some("empty".into());
        }
    }

    pub(super) fn colour(&mut self, path: &str, what: &str, c: (f32, f32, f32)) {
        for (k, v) in [c.0, c.1, c.2].into_iter().enumerate() {
            let channel = ["red", "green", "blue"][k];
            self.in_range(
                &format!("{path}[{k}]"),
                &format!("{what} {channel}"),
                v,
                0.0,
                1.0,
            );
        }
    }

    pub(super) fn spawn(&mut self, path: &str, what: &str, s: &Spawn) {
        self.finite(&format!("{path}.x"), &format!("{what} x"), s.x);
        self.finite(&format!("{path}.z"), &format!("{what} z"), s.z);
        self.finite(
            &format!("{path}.facing"),
            &format!("{what} facing"),
            s.facing,
        );
    }

    /// A change of agitation or trust: -100..=100.
    pub(super) fn delta(&mut self, path: &str, what: &str, v: f32) {
        self.in_range(path, what, v, -100.0, 100.0);
    }
}
