//! The fixed vocabularies that scenario authors use and the scoring understands:
//! tones, verbal tags, crisis indicators, outcomes, body language, held objects (and
//! [`Armed`]: which weapon the scoring should weigh, in hand or only within reach).

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
    /// Post-traumatic stress (PTSD) or recent trauma: startles, flashbacks, hypervigilance.
    Trauma,
    /// An intellectual disability: may not follow fast or abstract talk, may agree to end
    /// the pressure, may be frightened by commands.
    IntellectualDisability,
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
            Indicator::Trauma => "trauma or PTSD",
            Indicator::IntellectualDisability => "intellectual disability",
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

/// What the subject is holding (`holding`), or has within reach (`within_reach`).
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
    /// A pistol or revolver. A replica is written as a `Handgun` too: the officer cannot tell.
    Handgun,
    /// A long gun.
    Rifle,
    /// A long gun.
    Shotgun,
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
            Held::Handgun => "a handgun",
            Held::Rifle => "a rifle",
            Held::Shotgun => "a shotgun",
        }
    }

    pub fn is_weapon(self) -> bool {
        self.is_firearm() || matches!(self, Held::Knife | Held::Bottle | Held::Bat | Held::Stick)
    }

    /// A weapon that hurts from a distance: distance alone does not protect against it,
    /// cover does.
    pub fn is_firearm(self) -> bool {
        matches!(self, Held::Handgun | Held::Rifle | Held::Shotgun)
    }

    /// A rifle or shotgun (drawn long in 3D).
    pub fn is_long_gun(self) -> bool {
        matches!(self, Held::Rifle | Held::Shotgun)
    }
}

/// The weapon the scoring and the debrief weigh for a subject: the most dangerous of what
/// they hold and what they have within reach (a firearm before anything else, then in hand
/// before within reach).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Armed {
    pub object: Held,
    /// In their hand; `false`: only within reach (on the seat beside them, on the table).
    pub in_hand: bool,
}

impl Armed {
    /// `None` when neither `holding` nor `within_reach` is a weapon.
    pub fn of(holding: Held, within_reach: Held) -> Option<Armed> {
        let rank = |a: &Armed| (a.object.is_firearm(), a.in_hand);
        [
            Armed {
                object: holding,
                in_hand: true,
            },
            Armed {
                object: within_reach,
                in_hand: false,
            },
        ]
        .into_iter()
        .filter(|a| a.object.is_weapon())
        .max_by_key(rank)
    }

    pub fn is_firearm(self) -> bool {
        self.object.is_firearm()
    }

    /// "held a rifle" or "had a rifle within reach", for sentences about the subject.
    pub fn phrase(self) -> String {
        if self.in_hand {
            format!("held {}", self.object.label())
        } else {
            format!("had {} within reach", self.object.label())
        }
    }
}
