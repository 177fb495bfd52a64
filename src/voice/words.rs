//! The seam for matching *what* was said (the words) to the scene's options, separate from
//! *how* it was said (the tone). Today the trainee picks the line on the talk panel
//! ([`PanelChoice`]); a later offline speech recogniser implements [`WordMatcher`] and the push-to-
//! talk path asks it instead, with no change to the tone measure.

use crate::voice::wav::Audio;

/// One option the trainee can say: its id and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionText<'a> {
    pub id: &'a str,
    pub text: &'a str,
}

/// Which option a recording was.
#[derive(Debug, Clone, PartialEq)]
pub enum WordMatch {
    /// The option the trainee chose on the panel (the words were not listened to).
    Chosen(String),
    /// A recogniser heard this option, with its confidence 0..=1.
    Heard { option: String, confidence: f32 },
    /// A recogniser listened and matched no option.
    Unclear,
}

impl WordMatch {
    /// The option to say, if any.
    pub fn option(&self) -> Option<&str> {
        match self {
            WordMatch::Chosen(o) | WordMatch::Heard { option: o, .. } => Some(o),
            WordMatch::Unclear => None,
        }
    }
}

pub trait WordMatcher {
    /// Which of `options` `audio` says, given the one the trainee `chosen` on the panel.
    fn match_words(&self, audio: &Audio, options: &[OptionText<'_>], chosen: &str) -> WordMatch;
}

/// Today's matcher: the line is the one chosen on the talk panel.
#[derive(Debug, Clone, Copy, Default)]
pub struct PanelChoice;

impl WordMatcher for PanelChoice {
    fn match_words(&self, _audio: &Audio, _options: &[OptionText<'_>], chosen: &str) -> WordMatch {
        WordMatch::Chosen(chosen.to_string())
    }
}
