//! The fixed vocabularies that scenario authors use and the scoring understands:
//! tones, verbal tags, crisis indicators, outcomes, body language.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How something is said. Chosen separately from what is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tone {
    Calm,
    Neutral,
    Firm,
    Commanding,
    Shouting,
}

impl Tone {
    pub const ALL: [Tone; 5] = [
        Tone::Calm,
        Tone::Neutral,
        Tone::Firm,
        Tone::Commanding,
        Tone::Shouting,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tone::Calm => "calm",
            Tone::Neutral => "neutral",
            Tone::Firm => "firm",
            Tone::Commanding => "commanding",
            Tone::Shouting => "shouting",
        }
    }

    /// 0 = calm … 4 = shouting.
    pub fn intensity(self) -> u8 {
        self as u8
    }

    pub fn from_intensity(i: u8) -> Tone {
        Tone::ALL[(i as usize).min(4)]
    }

    pub fn parse(s: &str) -> Option<Tone> {
        Tone::ALL
            .into_iter()
            .find(|t| t.label().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Tone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What kind of thing an option says. The scoring reads these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tag {
    /// "I'm Sam, I'm with the police."
    Introduce,
    /// Why the officer is here.
    ExplainReason,
    /// A question that invites more than yes/no.
    OpenQuestion,
    /// A closed, fact-finding question.
    ClosedQuestion,
    /// Minimal encouragers, "go on", "I'm listening".
    ActiveListening,
    /// Restating what the person said in the officer's words.
    Paraphrase,
    /// Naming the feeling: "You sound exhausted."
    LabelEmotion,
    Empathy,
    /// Building rapport: common ground, their name, small personal touches.
    Rapport,
    /// Giving choices.
    OfferOptions,
    Reassure,
    /// Asking for something politely: "Could you put it on the wall for me?"
    Request,
    /// An order: "Drop the knife."
    Command,
    Threat,
    Dismiss,
    Lie,
    /// Deliberately saying nothing for a moment.
    TacticalPause,
    /// ICAT "one voice": asking a partner to hold back.
    AskPartnerStepBack,
    /// Asking directly about suicide — recommended practice, not a trigger.
    AskAboutSuicide,
    /// Minimising: "It's not that bad."
    Minimise,
    /// Arguing with the person's account or beliefs.
    Argue,
    /// Stepping back / creating distance on purpose.
    Withdraw,
    /// Calling for specialist help (mental-health team, negotiator, EMS).
    CallSupport,
}

/// Where a tag sits on the Behavioural Change Stairway (listen → empathise → rapport → influence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StairStep {
    Listen = 1,
    Empathise = 2,
    Rapport = 3,
    Influence = 4,
}

impl StairStep {
    pub fn label(self) -> &'static str {
        match self {
            StairStep::Listen => "active listening",
            StairStep::Empathise => "empathy",
            StairStep::Rapport => "rapport",
            StairStep::Influence => "influence",
        }
    }
}

impl Tag {
    pub const ALL: [Tag; 23] = [
        Tag::Introduce,
        Tag::ExplainReason,
        Tag::OpenQuestion,
        Tag::ClosedQuestion,
        Tag::ActiveListening,
        Tag::Paraphrase,
        Tag::LabelEmotion,
        Tag::Empathy,
        Tag::Rapport,
        Tag::OfferOptions,
        Tag::Reassure,
        Tag::Request,
        Tag::Command,
        Tag::Threat,
        Tag::Dismiss,
        Tag::Lie,
        Tag::TacticalPause,
        Tag::AskPartnerStepBack,
        Tag::AskAboutSuicide,
        Tag::Minimise,
        Tag::Argue,
        Tag::Withdraw,
        Tag::CallSupport,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tag::Introduce => "introduction",
            Tag::ExplainReason => "explaining the reason",
            Tag::OpenQuestion => "open question",
            Tag::ClosedQuestion => "closed question",
            Tag::ActiveListening => "active listening",
            Tag::Paraphrase => "paraphrase",
            Tag::LabelEmotion => "labelling an emotion",
            Tag::Empathy => "empathy",
            Tag::Rapport => "rapport",
            Tag::OfferOptions => "offering options",
            Tag::Reassure => "reassurance",
            Tag::Request => "request",
            Tag::Command => "command",
            Tag::Threat => "threat",
            Tag::Dismiss => "dismissing",
            Tag::Lie => "lie",
            Tag::TacticalPause => "tactical pause",
            Tag::AskPartnerStepBack => "asking partner to step back",
            Tag::AskAboutSuicide => "asking directly about suicide",
            Tag::Minimise => "minimising",
            Tag::Argue => "arguing",
            Tag::Withdraw => "creating distance",
            Tag::CallSupport => "calling for support",
        }
    }

    /// The stairway steps this tag demonstrates (none if it is not a stairway skill).
    pub fn stair_steps(self) -> &'static [StairStep] {
        match self {
            // Emotional labelling is an active-listening skill that also conveys empathy.
            Tag::LabelEmotion => &[StairStep::Listen, StairStep::Empathise],
            Tag::OpenQuestion | Tag::ActiveListening | Tag::Paraphrase => &[StairStep::Listen],
            Tag::Empathy => &[StairStep::Empathise],
            Tag::Rapport | Tag::Reassure | Tag::Introduce => &[StairStep::Rapport],
            Tag::OfferOptions | Tag::Request | Tag::Command => &[StairStep::Influence],
            _ => &[],
        }
    }

    /// Tags that make a line harmful whatever else it does: a lie is not reassurance.
    pub fn is_harmful(self) -> bool {
        matches!(
            self,
            Tag::Threat | Tag::Dismiss | Tag::Lie | Tag::Minimise | Tag::Argue
        )
    }

    /// The points a choice with this tag is worth on the verbal dimension before the
    /// option's authored weight is added. Positive tags are de-escalation skills; negative
    /// ones are known escalators.
    pub fn verbal_value(self) -> f32 {
        match self {
            Tag::Introduce => 3.0,
            Tag::ExplainReason => 3.0,
            Tag::OpenQuestion => 3.0,
            Tag::ClosedQuestion => 0.0,
            Tag::ActiveListening => 3.0,
            Tag::Paraphrase => 4.0,
            Tag::LabelEmotion => 4.0,
            Tag::Empathy => 4.0,
            Tag::Rapport => 3.0,
            Tag::OfferOptions => 3.0,
            Tag::Reassure => 2.0,
            Tag::Request => 1.0,
            Tag::Command => -2.0,
            Tag::Threat => -8.0,
            Tag::Dismiss => -6.0,
            // Crisis negotiators do not lie: once found out, trust does not come back.
            Tag::Lie => -10.0,
            Tag::TacticalPause => 1.0,
            Tag::AskPartnerStepBack => 3.0,
            Tag::AskAboutSuicide => 4.0,
            Tag::Minimise => -4.0,
            Tag::Argue => -5.0,
            Tag::Withdraw => 1.0,
            Tag::CallSupport => 2.0,
        }
    }

    /// Tones that fit this kind of line when nothing more specific is authored.
    pub fn default_tones(self) -> &'static [Tone] {
        match self {
            Tag::Command => &[Tone::Firm, Tone::Commanding],
            Tag::Threat => &[Tone::Firm],
            Tag::Request | Tag::ExplainReason | Tag::Introduce | Tag::AskPartnerStepBack => {
                &[Tone::Calm, Tone::Neutral, Tone::Firm]
            }
            Tag::ClosedQuestion | Tag::CallSupport | Tag::Withdraw => &[Tone::Calm, Tone::Neutral],
            _ => &[Tone::Calm],
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Crisis indicators the trainee should recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Indicator {
    HearingVoices,
    Paranoia,
    Intoxication,
    SuicidalStatements,
    SelfHarm,
    Autism,
    Dementia,
    Grief,
    Panic,
    MedicationStopped,
    HeadInjury,
    Hypoglycaemia,
    Deafness,
    LanguageBarrier,
}

impl Indicator {
    pub fn label(self) -> &'static str {
        match self {
            Indicator::HearingVoices => "hearing voices",
            Indicator::Paranoia => "paranoia",
            Indicator::Intoxication => "intoxication",
            Indicator::SuicidalStatements => "suicidal statements",
            Indicator::SelfHarm => "self-harm",
            Indicator::Autism => "autism",
            Indicator::Dementia => "dementia",
            Indicator::Grief => "grief",
            Indicator::Panic => "panic",
            Indicator::MedicationStopped => "stopped medication",
            Indicator::HeadInjury => "head injury",
            Indicator::Hypoglycaemia => "low blood sugar",
            Indicator::Deafness => "deafness",
            Indicator::LanguageBarrier => "language barrier",
        }
    }
}

/// How a scenario ended, in after-action terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Outcome {
    ResolvedVoluntarily,
    HandedToCare,
    ContainedAwaitingSpecialists,
    TacticalWithdrawal,
    SubjectFled,
    ForceUsed,
    SomeoneInjured,
    /// The scenario's time limit ran out with nothing settled.
    Unresolved,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::ResolvedVoluntarily,
        Outcome::HandedToCare,
        Outcome::ContainedAwaitingSpecialists,
        Outcome::TacticalWithdrawal,
        Outcome::SubjectFled,
        Outcome::ForceUsed,
        Outcome::SomeoneInjured,
        Outcome::Unresolved,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Outcome::ResolvedVoluntarily => "resolved voluntarily",
            Outcome::HandedToCare => "handed to care",
            Outcome::ContainedAwaitingSpecialists => "contained, awaiting specialists",
            Outcome::TacticalWithdrawal => "tactical withdrawal",
            Outcome::SubjectFled => "subject fled",
            Outcome::ForceUsed => "force used",
            Outcome::SomeoneInjured => "someone injured",
            Outcome::Unresolved => "unresolved",
        }
    }

    /// Outcomes that count as a successful de-escalation.
    pub fn is_deescalated(self) -> bool {
        matches!(
            self,
            Outcome::ResolvedVoluntarily
                | Outcome::HandedToCare
                | Outcome::ContainedAwaitingSpecialists
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Body language the 3D layer animates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Body {
    /// Relaxed, breathing slowly, may sit.
    Calm,
    /// Arms folded, half turned away.
    #[default]
    Guarded,
    /// Walking back and forth.
    Pacing,
    /// Clenched fists, fast breathing, facing the trainee.
    Agitated,
    /// Arms raised, stepping forward, object brandished.
    Threatening,
    /// Turned away, head down.
    Withdrawn,
    /// Sitting down.
    Sitting,
    /// Head in hands.
    Crying,
}

impl Body {
    pub fn label(self) -> &'static str {
        match self {
            Body::Calm => "calm",
            Body::Guarded => "guarded",
            Body::Pacing => "pacing",
            Body::Agitated => "agitated",
            Body::Threatening => "threatening",
            Body::Withdrawn => "withdrawn",
            Body::Sitting => "sitting",
            Body::Crying => "crying",
        }
    }
}

/// What the subject is holding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Held {
    #[default]
    Nothing,
    Knife,
    Bottle,
    Bat,
    Phone,
    Bag,
    /// A stick or club held as a weapon.
    Stick,
    /// A walking stick or cane used for support (not a weapon).
    WalkingStick,
}

impl Held {
    pub fn label(self) -> &'static str {
        match self {
            Held::Nothing => "nothing",
            Held::Knife => "a knife",
            Held::Bottle => "a bottle",
            Held::Bat => "a bat",
            Held::Phone => "a phone",
            Held::Bag => "a bag",
            Held::Stick => "a stick",
            Held::WalkingStick => "a walking stick",
        }
    }

    pub fn is_weapon(self) -> bool {
        matches!(self, Held::Knife | Held::Bottle | Held::Bat | Held::Stick)
    }
}
