//! The arithmetic the summary, decision points and key moments share: the five-number
//! summary of a score, a percentage and a mean that never divide by zero.

use serde::Serialize;

/// Five-number summary, mean and a 10-point histogram of one score.
///
/// Quartiles use linear interpolation between order statistics (the common "type 7"
/// definition, as in spreadsheets' `QUARTILE.INC` and NumPy's default): for sorted
/// values `x[0..n]`, the p-quantile is at position `(n - 1) · p`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    pub n: usize,
    pub min: f32,
    pub q1: f32,
    pub median: f32,
    pub q3: f32,
    pub max: f32,
    pub mean: f32,
    /// Counts in `[0,10)`, `[10,20)`, … `[80,90)`, `[90,100]`.
    pub bins: [usize; 10],
}

impl Distribution {
    pub fn of(values: &[f32]) -> Option<Distribution> {
        let mut v: Vec<f32> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f32::total_cmp);
        let q = |p: f32| {
            let h = (v.len() - 1) as f32 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(v.len() - 1);
            v[lo] + (h - lo as f32) * (v[hi] - v[lo])
        };
        let mut bins = [0; 10];
        for x in &v {
            bins[((x.clamp(0.0, 100.0) / 10.0).floor() as usize).min(9)] += 1;
        }
        Some(Distribution {
            n: v.len(),
            min: v[0],
            q1: q(0.25),
            median: q(0.5),
            q3: q(0.75),
            max: v[v.len() - 1],
            mean: v.iter().map(|&x| x as f64).sum::<f64>() as f32 / v.len() as f32,
            bins,
        })
    }
}

/// `n` as a percentage of `of` (0 when there is nothing to count).
pub(super) fn pct(n: usize, of: usize) -> f32 {
    if of == 0 {
        0.0
    } else {
        100.0 * n as f32 / of as f32
    }
}

/// The mean of `v` (0 for none), summed in f64.
pub(super) fn mean(v: &[f32]) -> f32 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().map(|&x| x as f64).sum::<f64>() as f32 / v.len() as f32
    }
}
