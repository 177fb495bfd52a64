//! Numbers as every report prints them, never `NaN` or `inf`: whole points ([`n0`]), one
//! decimal ([`n1`], also every SVG coordinate), signed points with a real minus sign
//! ([`signed`]) and `m:ss` times (`at`).

use crate::assess::score::clock;

/// Finite or zero.
pub(crate) fn fin(v: f32) -> f32 {
    if v.is_finite() { v } else { 0.0 }
}

/// A whole number for display (`0` for NaN).
pub fn n0(v: f32) -> String {
    format!("{:.0}", fin(v).round() + 0.0)
}

/// One decimal, dropping `.0` (`0` for NaN or infinity).
pub fn n1(v: f32) -> String {
    let v = (fin(v) * 10.0).round() / 10.0;
    if v == v.trunc() {
        format!("{:.0}", v + 0.0)
    } else {
        format!("{v:.1}")
    }
}

/// Signed points with a real minus sign and at most one decimal: `+2.5`, `−3`, `0`.
pub fn signed(v: f32) -> String {
    let r = (fin(v) * 10.0).round() / 10.0;
    if r > 0.0 {
        format!("+{}", n1(r))
    } else if r < 0.0 {
        format!("\u{2212}{}", n1(-r))
    } else {
        "0".into()
    }
}

/// Time stamp `m:ss`, safe for NaN.
pub(crate) fn at(t: f32) -> String {
    clock(fin(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_never_nan() {
        assert_eq!(n1(f32::NAN), "0");
        assert_eq!(n1(f32::INFINITY), "0");
        assert_eq!(n1(-0.0), "0");
        assert_eq!(n1(2.25), "2.3");
        assert_eq!(n0(f32::NAN), "0");
        assert_eq!(n0(-0.4), "0");
        assert_eq!(signed(-3.0), "\u{2212}3");
        assert_eq!(signed(2.5), "+2.5");
        assert_eq!(signed(f32::NAN), "0");
        assert_eq!(at(f32::NAN), "0:00");
    }
}
