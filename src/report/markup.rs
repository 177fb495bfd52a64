//! Markup for every HTML page the project writes (this debrief, and for the class deck,
//! progress page and scene graph to share): [`escape`] for anything from a file or a
//! trainee, and the SVG elements charts are drawn from. Element helpers write coordinates
//! with [`n1`] and escape their text; `attrs` is the rest of the tag, written as given.

use super::numbers::n1;
use std::fmt::Write;

/// Escape text for HTML element content and attribute values (and SVG).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than whitespace have no business on the page.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `<line x1 y1 x2 y2 attrs/>`.
pub fn line(o: &mut String, (x1, y1): (f32, f32), (x2, y2): (f32, f32), attrs: &str) {
    let _ = write!(
        o,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {attrs}/>",
        n1(x1),
        n1(y1),
        n1(x2),
        n1(y2)
    );
}

/// `<text x y attrs>text</text>`, the text escaped.
pub fn text(o: &mut String, (x, y): (f32, f32), attrs: &str, text: &str) {
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" {attrs}>{}</text>",
        n1(x),
        n1(y),
        escape(text)
    );
}

/// `<circle cx cy r attrs/>`.
pub fn circle(o: &mut String, (x, y): (f32, f32), r: f32, attrs: &str) {
    let _ = write!(
        o,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}/>",
        n1(x),
        n1(y),
        n1(r)
    );
}

/// `<rect x y width height attrs/>`.
pub fn rect(o: &mut String, (x, y): (f32, f32), (w, h): (f32, f32), attrs: &str) {
    let _ = write!(
        o,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}/>",
        n1(x),
        n1(y),
        n1(w),
        n1(h)
    );
}

/// `<polygon points attrs/>`.
pub fn polygon(o: &mut String, pts: impl IntoIterator<Item = (f32, f32)>, attrs: &str) {
    let _ = write!(o, "<polygon points=\"{}\" {attrs}/>", points(pts));
}

/// The `points` of a polyline or polygon: `x,y x,y …`.
pub fn points(pts: impl IntoIterator<Item = (f32, f32)>) -> String {
    let mut out = String::new();
    for (i, (x, y)) in pts.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", n1(x), n1(y));
    }
    out
}

/// `<g class><title>title</title>body</g>`: a shape with a tooltip (the title escaped).
pub fn titled(o: &mut String, class: &str, title: &str, body: &str) {
    let _ = write!(
        o,
        "<g class=\"{class}\"><title>{}</title>{body}</g>",
        escape(title)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn elements_escape_their_text_and_never_print_nan() {
        let mut o = String::new();
        text(&mut o, (f32::NAN, 2.25), "fill=\"#000\"", "<b>");
        line(&mut o, (0.0, 1.0), (f32::INFINITY, -0.0), "stroke=\"#000\"");
        assert_eq!(
            o,
            "<text x=\"0\" y=\"2.3\" fill=\"#000\">&lt;b&gt;</text>\
             <line x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\" stroke=\"#000\"/>"
        );
        assert_eq!(points([(1.0, 2.0), (3.5, f32::NAN)]), "1,2 3.5,0");
    }
}
