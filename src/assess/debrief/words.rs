//! Numbers and words as the debrief writes them in sentences: seconds ("under 1 s", never
//! "0 s"), metres without a trailing `.0`, a number rounded for words, a capital first letter.

/// Seconds for a sentence: a stay of a few ticks is "under 1 s", never "0 s" (which would
/// say it did not happen).
pub(super) fn seconds(s: f32) -> String {
    if s > 0.0 && s < 1.0 {
        "under 1 s".into()
    } else {
        format!("{s:.0} s")
    }
}

/// Metres for a sentence: one decimal, without a trailing `.0` (a drawn 4.4358473 m gap
/// reads 4.4 m, an authored 7 m reads 7 m).
pub(super) fn metres(m: f32) -> String {
    let s = format!("{m:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// A number for a sentence: whole above 10, one decimal above 1, else two significant
/// figures (a settling rate of 0.012 must not read as 0.0).
pub(super) fn round_for_words(v: f32) -> String {
    let a = v.abs();
    if a >= 10.0 {
        format!("{v:.0}")
    } else if a >= 1.0 || a == 0.0 {
        format!("{v:.1}")
    } else {
        let decimals = (1.0 - a.log10().floor()) as usize;
        format!("{v:.decimals$}")
    }
}

/// `s` with its first letter in upper case.
pub(super) fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::round_for_words;

    #[test]
    fn small_rates_keep_two_significant_figures() {
        assert_eq!(round_for_words(0.012), "0.012");
        assert_eq!(round_for_words(0.5), "0.50");
        assert_eq!(round_for_words(2.34), "2.3");
        assert_eq!(round_for_words(23.4), "23");
        assert_eq!(round_for_words(0.0), "0.0");
    }
}
