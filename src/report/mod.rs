//! Debrief renderers: terminal text ([`text`]), JSON ([`json`]) and a self-contained HTML
//! file ([`html`]), with what they share: numbers that never print `NaN` ([`numbers`]),
//! escaping and SVG elements ([`markup`], for the class deck and progress page too), and
//! terminal sanitising ([`sanitize`]).

pub mod html;
pub mod markup;
pub mod numbers;
pub mod sanitize;
mod text;

pub use numbers::{n0, n1, signed};
pub use text::text;

use crate::assess::debrief::{Debrief, Speaker};

/// The debrief as JSON (stable field names; the whole debrief including events).
pub fn json(d: &Debrief) -> String {
    serde_json::to_string_pretty(d).expect("debriefs always serialise")
}

/// Who a timeline line or marker is from, as the debrief names them.
fn who(d: &Debrief, s: Speaker) -> String {
    match s {
        Speaker::Trainee => "You".into(),
        Speaker::Subject => d.subject_name.clone(),
        Speaker::Partner => "Partner".into(),
        Speaker::Instructor => "Instructor".into(),
        Speaker::Scene => "Scene".into(),
        Speaker::Radio => "Radio".into(),
        Speaker::Bystander => "Bystander".into(),
    }
}
