//! Small formatting helpers the class debrief and `progress` share: HTML escaping, CSV fields
//! safe in a spreadsheet, SVG numbers, signed deltas, file-name slugs, clipping and plurals.

/// Signed, one decimal, with a real minus sign: the debrief's own.
pub(crate) use crate::report::signed;

/// Escape text for HTML element content, attribute values and SVG: the debrief's
/// [`escape`](crate::report::html::escape), except that a carriage return is replaced as well,
/// as the class deck and the progress page always have.
pub fn esc(s: &str) -> String {
    crate::report::html::escape(s).replace('\r', "\u{FFFD}")
}

/// A number for SVG coordinates: finite, at most two decimals.
pub(crate) fn n2(v: f32) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// One CSV field, RFC 4180: quoted when it holds a comma, quote, or line break (quotes
/// doubled). Text that a spreadsheet would run as a formula gets a leading `'`.
pub fn csv_field(s: &str) -> String {
    let s = if looks_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Whether a spreadsheet might read `s` as a formula: after any leading whitespace
/// (spreadsheets skip it, full-width and no-break spaces too), it starts with `=`, `+`, `-`
/// or `@`, or their full-width (`＝`) or small (`﹦`) forms, which some spreadsheets fold to
/// the ASCII ones.
fn looks_like_formula(s: &str) -> bool {
    let first = s.chars().find(|c| !c.is_whitespace() && *c != '\u{feff}');
    let leading_control = s.starts_with(['\t', '\r']);
    leading_control
        || first.is_some_and(|c| {
            matches!(
                c,
                '=' | '+'
                    | '-'
                    | '@'
                    | '\u{ff1d}'
                    | '\u{ff0b}'
                    | '\u{ff0d}'
                    | '\u{ff20}'
                    | '\u{fe66}'
                    | '\u{fe62}'
                    | '\u{fe63}'
                    | '\u{fe6b}'
            )
        })
}

/// The file-name-safe form of a name, as record file names use it (empty for a name with no
/// letters or digits).
pub(crate) fn slug(s: &str) -> String {
    crate::records::record::bare_slug(s)
}

pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

pub(crate) use crate::format::words::plural;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_numbers_are_short_and_never_negative_zero_or_nan() {
        assert_eq!(n2(12.0), "12");
        assert_eq!(n2(12.5), "12.5");
        assert_eq!(n2(7.123), "7.12");
        assert_eq!(n2(-0.001), "0");
        assert_eq!(n2(f32::NAN), "0");
    }

    #[test]
    fn deltas_carry_a_real_minus_sign_and_one_decimal() {
        assert_eq!(signed(1.26), "+1.3");
        assert_eq!(signed(-1.26), "\u{2212}1.3");
        assert_eq!(signed(0.04), "0");
        assert_eq!(signed(f32::INFINITY), "0");
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("Zoë Ng", 6), "Zoë Ng");
        assert_eq!(clip("Zoë Ngata", 4), "Zoë…");
    }

    #[test]
    fn slugs_are_lower_case_ascii_and_escapes_cover_quotes_and_controls() {
        assert_eq!(slug("Trainee AB"), "trainee-ab");
        assert_eq!(slug("  Zoë!  "), "zo");
        assert_eq!(esc("a<b>&\"'\u{1b}"), "a&lt;b&gt;&amp;&quot;&#39;\u{fffd}");
        assert_eq!(esc("one\r\ntwo\tthree"), "one\u{fffd}\ntwo\tthree");
    }
}
