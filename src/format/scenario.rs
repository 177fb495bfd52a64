//! The scenario format: what instructors write in `scenarios/*.ron`.
//! `docs/scenario-format.md` is the reference for every field here.

use crate::format::act::Act;
use crate::format::variation::{Branch, LineVariant, SeededEvent, Variation, Voice};
use crate::format::vocab::{Armed, Body, Held, Indicator, Outcome, Tag, Tone};
use serde::{Deserialize, Serialize};

/// Largest scenario file we read (bytes). Real scenarios are a few tens of KiB.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// Deepest nesting of brackets we accept before giving up with an error.
pub const MAX_NESTING: usize = 64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    /// The dispatch call, read on the briefing screen.
    pub briefing: String,
    #[serde(default)]
    pub objectives: Vec<String>,
    /// How long a good run usually takes, in minutes.
    pub expected_minutes: f32,
    /// Hard stop in minutes; reaching it ends the run with `timeout_ending`.
    #[serde(default = "default_time_limit")]
    pub time_limit_minutes: f32,
    /// Ending used when the time limit runs out. Must name an ending.
    pub timeout_ending: String,
    /// `Training` shows the HUD (distance, agitation); `Assessment` hides it.
    #[serde(default)]
    pub mode: Mode,
    /// The kind of call, for grouping the scenario list (default `Other`).
    #[serde(default)]
    pub call: CallKind,
    pub place: Place,
    pub subject: Subject,
    #[serde(default)]
    pub partner: Option<Partner>,
    pub start_scene: String,
    pub scenes: Vec<Scene>,
    /// Triggers checked in every scene (after the scene's own).
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    pub endings: Vec<Ending>,
    #[serde(default)]
    pub scoring: ScoringParams,
    /// Events an instructor can inject while the scenario runs (a bystander shouts, a radio call).
    #[serde(default)]
    pub injects: Vec<Inject>,
    /// How the subject varies from run to run (drawn from the seed). Absent: never varies.
    #[serde(default)]
    pub variation: Option<Variation>,
    /// Things that may happen by themselves, drawn from the seed (a phone rings).
    #[serde(default)]
    pub events: Vec<SeededEvent>,
}

fn default_time_limit() -> f32 {
    20.0
}

/// What kind of call a scenario is, as a dispatcher would group it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub enum CallKind {
    /// A person in crisis armed with a knife, bat or the like.
    ArmedCrisis,
    /// Someone threatening to end their life.
    SuicideRisk,
    /// A vulnerable person: dementia, autism, an intellectual disability.
    Vulnerable,
    /// A domestic disturbance.
    Domestic,
    /// A public-order call: a drunk patron, a dispute.
    Disturbance,
    #[default]
    Other,
}

impl CallKind {
    /// Every kind, in the order the scenario list shows them.
    pub const ALL: [CallKind; 6] = [
        CallKind::ArmedCrisis,
        CallKind::SuicideRisk,
        CallKind::Vulnerable,
        CallKind::Domestic,
        CallKind::Disturbance,
        CallKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CallKind::ArmedCrisis => "Person in crisis with a weapon",
            CallKind::SuicideRisk => "Suicide risk",
            CallKind::Vulnerable => "Vulnerable person",
            CallKind::Domestic => "Domestic",
            CallKind::Disturbance => "Disturbance",
            CallKind::Other => "Other calls",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Mode {
    #[default]
    Training,
    Assessment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub environment: Environment,
    #[serde(default)]
    pub time_of_day: TimeOfDay,
    #[serde(default)]
    pub weather: Weather,
    #[serde(default)]
    pub props: Vec<Prop>,
    pub trainee_spawn: Spawn,
    /// Optional ambience sound, a path inside `assets/`.
    #[serde(default)]
    pub ambience: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Environment {
    Street,
    Apartment,
    Bridge,
    ParkingLot,
    Shop,
    Bar,
    Park,
}

impl Environment {
    pub fn label(self) -> &'static str {
        match self {
            Environment::Street => "street",
            Environment::Apartment => "apartment",
            Environment::Bridge => "bridge",
            Environment::ParkingLot => "parking lot",
            Environment::Shop => "shop",
            Environment::Bar => "bar",
            Environment::Park => "park",
        }
    }

    /// Inside a building: no sky, sun, rain or fog; room lighting and room acoustics.
    /// An exhaustive match, so a new environment has to say which it is.
    pub fn is_indoor(self) -> bool {
        match self {
            Environment::Apartment | Environment::Shop | Environment::Bar => true,
            Environment::Street
            | Environment::Bridge
            | Environment::ParkingLot
            | Environment::Park => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TimeOfDay {
    Dawn,
    #[default]
    Day,
    Dusk,
    Night,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Weather {
    #[default]
    Clear,
    Overcast,
    Rain,
    Fog,
    Snow,
}

/// A position on the ground plane in metres: `x` to the right, `z` towards the camera's start.
/// `facing` is a yaw in degrees (0 = looking along -z, 90 = looking along -x).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spawn {
    pub x: f32,
    pub z: f32,
    #[serde(default)]
    pub facing: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prop {
    pub kind: PropKind,
    pub x: f32,
    pub z: f32,
    /// Yaw in degrees.
    #[serde(default)]
    pub rotation: f32,
    /// Width (x), height (y), depth (z) in metres.
    pub size: (f32, f32, f32),
    /// Whether standing behind it breaks line of sight / gives cover.
    #[serde(default)]
    pub cover: bool,
    /// Optional colour as `(r, g, b)` in 0..1.
    #[serde(default)]
    pub color: Option<(f32, f32, f32)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PropKind {
    Wall,
    Car,
    Bench,
    Table,
    Counter,
    StreetLight,
    Tree,
    Railing,
    Bin,
    Door,
    Shelf,
    Box,
    /// A pickup truck; the subject can sit in its cab (spawn inside its footprint).
    PickupTruck,
    /// A van; the subject can sit inside (spawn inside its footprint).
    Van,
}

impl PropKind {
    /// A vehicle a subject can sit in.
    pub fn is_vehicle(self) -> bool {
        matches!(self, PropKind::Car | PropKind::PickupTruck | PropKind::Van)
    }
}

impl Prop {
    /// Whether the point (x, z) on the ground lies inside this prop's footprint (its width
    /// and depth, turned by `rotation`): a subject spawned there sits inside it.
    pub fn contains(&self, x: f32, z: f32) -> bool {
        let r = self.rotation.to_radians();
        let (dx, dz) = (x - self.x, z - self.z);
        let (lx, lz) = (dx * r.cos() - dz * r.sin(), dx * r.sin() + dz * r.cos());
        lx.abs() <= self.size.0 / 2.0 && lz.abs() <= self.size.2 / 2.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub name: String,
    #[serde(default)]
    pub appearance: Appearance,
    pub spawn: Spawn,
    /// 0..100. Where agitation starts and settles back to.
    pub baseline_agitation: f32,
    /// 0..100.
    pub baseline_trust: f32,
    /// Metres; closer than this and agitation climbs.
    pub personal_space: f32,
    /// Metres; the distance inside which the officer cannot react in time to an attack.
    pub reactionary_gap: f32,
    #[serde(default)]
    pub sensitivity: Sensitivity,
    #[serde(default)]
    pub tones: ToneReactions,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub holding: Held,
    /// A weapon not in their hand but within reach: the rifle on the seat beside them.
    #[serde(default)]
    pub within_reach: Held,
}

impl Subject {
    /// The weapon the scoring weighs (see [`Armed::of`]); `None` if they have none.
    pub fn armed(&self) -> Option<Armed> {
        Armed::of(self.holding, self.within_reach)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Appearance {
    /// Height in metres.
    pub height: f32,
    /// 0 = slight … 1 = heavy.
    pub build: f32,
    pub skin: (f32, f32, f32),
    pub top: (f32, f32, f32),
    pub trousers: (f32, f32, f32),
    pub hair: (f32, f32, f32),
}

impl Default for Appearance {
    fn default() -> Self {
        Appearance {
            height: 1.78,
            build: 0.5,
            skin: (0.76, 0.57, 0.45),
            top: (0.3, 0.35, 0.45),
            trousers: (0.2, 0.2, 0.25),
            hair: (0.15, 0.1, 0.08),
        }
    }
}

/// How strongly the subject reacts to what the officer does. All are agitation points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sensitivity {
    /// Points per second while the officer is inside personal space (scaled by how far inside).
    pub proximity: f32,
    /// Points per second for each m/s of closing speed above `fast_approach_speed`.
    pub fast_approach: f32,
    /// Closing speed (m/s) above which an approach counts as fast.
    pub fast_approach_speed: f32,
    /// Points per second while the officer says nothing after `silence_after` seconds.
    /// Negative: silence soothes this person.
    pub silence: f32,
    /// Seconds of silence before `silence` applies.
    pub silence_after: f32,
    /// Points per second while a weapon is drawn and visible to the subject.
    pub weapon: f32,
    /// Fraction per second by which agitation settles back to baseline when nothing
    /// is pushing it (trust speeds this up, up to double at trust 100).
    pub settle: f32,
}

impl Default for Sensitivity {
    fn default() -> Self {
        Sensitivity {
            proximity: 4.0,
            fast_approach: 6.0,
            fast_approach_speed: 1.5,
            silence: 0.5,
            silence_after: 20.0,
            weapon: 3.0,
            settle: 0.01,
        }
    }
}

/// The immediate effect of each tone on agitation and trust, per utterance, before the
/// option's own effect. Scaled up when the subject is already agitated (see the docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ToneReactions {
    pub calm: ToneReaction,
    pub neutral: ToneReaction,
    pub firm: ToneReaction,
    pub commanding: ToneReaction,
    pub shouting: ToneReaction,
}

impl ToneReactions {
    pub fn get(&self, tone: Tone) -> &ToneReaction {
        match tone {
            Tone::Calm => &self.calm,
            Tone::Neutral => &self.neutral,
            Tone::Firm => &self.firm,
            Tone::Commanding => &self.commanding,
            Tone::Shouting => &self.shouting,
        }
    }
}

impl Default for ToneReactions {
    fn default() -> Self {
        ToneReactions {
            calm: ToneReaction {
                agitation: -3.0,
                trust: 2.0,
            },
            neutral: ToneReaction {
                agitation: 0.0,
                trust: 0.0,
            },
            firm: ToneReaction {
                agitation: 2.0,
                trust: -1.0,
            },
            commanding: ToneReaction {
                agitation: 6.0,
                trust: -4.0,
            },
            shouting: ToneReaction {
                agitation: 14.0,
                trust: -10.0,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ToneReaction {
    pub agitation: f32,
    pub trust: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: String,
    /// A police officer (drawn in uniform, whatever the name) or a civilian who talks over
    /// the trainee: a manager, a parent (drawn in their own clothes).
    #[serde(default)]
    pub role: Role,
    /// How a civilian partner looks (an officer always wears uniform).
    #[serde(default)]
    pub appearance: Option<Appearance>,
    pub spawn: Spawn,
    /// If true the partner starts talking over the trainee whenever agitation is above
    /// `talks_over_above`, until asked to step back (ICAT "one voice").
    #[serde(default)]
    pub talks_over: bool,
    #[serde(default = "default_talks_over_above")]
    pub talks_over_above: f32,
    /// What the partner shouts when talking over.
    #[serde(default)]
    pub lines: Vec<String>,
    /// Agitation added each time the partner talks over the trainee.
    #[serde(default = "default_talk_over_agitation")]
    pub talk_over_agitation: f32,
}

/// Who the partner is: a second officer, or someone else on scene who talks over the trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Role {
    #[default]
    Police,
    Civilian,
}

fn default_talks_over_above() -> f32 {
    50.0
}
fn default_talk_over_agitation() -> f32 {
    5.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    pub id: String,
    /// What the subject says on entering the scene; one variant is picked by the seeded RNG.
    pub lines: Vec<String>,
    /// Alternatives to `lines` that apply under conditions (temperament, flags, what was
    /// said): the one with the most conditions that all hold wins.
    #[serde(default)]
    pub variants: Vec<LineVariant>,
    /// Body-language hint for the 3D layer; if absent it follows agitation.
    #[serde(default)]
    pub body: Option<Body>,
    /// What the subject's body does on entering the scene (after its line). Left out: what
    /// `body` implies (sitting down for `Sitting`, standing up again when agitated).
    #[serde(default)]
    pub act: Option<Act>,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    /// Short instructor-facing note on what this scene is about (shown by `deescalate analyse`).
    #[serde(default)]
    pub note: Option<String>,
    /// Silence does not bother the subject here (e.g. they have not noticed the officer yet).
    #[serde(default)]
    pub ignore_silence: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Unique within the scene; scripts and records refer to options by this id.
    pub id: String,
    pub text: String,
    /// Other ways to word the same line; one is shown each time the scene is entered.
    #[serde(default)]
    pub wordings: Vec<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Agitation change when said (before tone).
    #[serde(default)]
    pub agitation: f32,
    /// Trust change when said (before tone).
    #[serde(default)]
    pub trust: f32,
    /// Extra verbal points (+/-) an author gives this line beyond what its tags are worth.
    #[serde(default)]
    pub weight: f32,
    /// Tones that fit this line. If empty, derived from the tags.
    #[serde(default)]
    pub tones: Vec<Tone>,
    /// Conditions that must all hold for the option to be offered.
    #[serde(default)]
    pub requires: Vec<Condition>,
    /// Flags set when chosen.
    #[serde(default)]
    pub sets: Vec<String>,
    /// Flags cleared when chosen (before `sets` is applied).
    #[serde(default)]
    pub clears: Vec<String>,
    /// Crisis indicators this line shows the trainee has recognised.
    #[serde(default)]
    pub recognises: Vec<Indicator>,
    /// Where the story goes next.
    #[serde(default)]
    pub next: Next,
    /// What the subject answers (one variant picked by the seeded RNG). Most useful for
    /// options that `Stay` in the scene; a scene change plays the new scene's line after it.
    #[serde(default)]
    pub reply: Vec<String>,
    /// Alternatives to `reply` that apply under conditions (see `Scene::variants`).
    #[serde(default)]
    pub reply_variants: Vec<LineVariant>,
    /// What the subject's body does in reply (after the reply line, before the next scene).
    #[serde(default)]
    pub act: Option<Act>,
    /// Said to the partner or the radio, not to the subject: the subject does not react to
    /// its tone (the option's own `agitation`/`trust` still apply) and tone is not scored.
    #[serde(default)]
    pub aside: bool,
    /// What is said back to an aside (one variant picked by the seed): the partner's "Copy",
    /// Control's "Units en route". Only on an `aside` option.
    #[serde(default)]
    pub answer: Vec<String>,
    /// Who says `answer`. Left out: the partner if the scenario has one, else Control.
    #[serde(default)]
    pub answer_by: Option<Answerer>,
    /// Why the subject reacts this way — shown in the debrief.
    #[serde(default)]
    pub why: Option<String>,
    /// If said in one of these tones the story goes elsewhere (e.g. shouting the
    /// same words makes the subject bolt).
    #[serde(default)]
    pub tone_branches: Vec<ToneBranch>,
}

/// Who answers an aside: the scenario's partner, Control on the radio, or someone else on
/// scene, named as the subtitle shows them (`Bystander("Nicola")`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answerer {
    Partner,
    Radio,
    Bystander(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToneBranch {
    pub tones: Vec<Tone>,
    pub next: Next,
    /// What the subject's body does when the line is said in one of these tones (instead of
    /// the option's `act`).
    #[serde(default)]
    pub act: Option<Act>,
    #[serde(default)]
    pub why: Option<String>,
    /// Extra agitation when the line is said in one of these tones.
    #[serde(default)]
    pub agitation: f32,
    /// Extra trust when the line is said in one of these tones.
    #[serde(default)]
    pub trust: f32,
    /// Flags set when the line is said in one of these tones (as well as the option's own).
    #[serde(default)]
    pub sets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub enum Next {
    /// Stay in this scene (the option can be said again unless `requires` stops it).
    #[default]
    Stay,
    Scene(String),
    Ending(String),
    /// One of several ways, chosen when it is taken: among the branches whose `when` holds,
    /// those with the most conditions, by weight.
    OneOf(Vec<Branch>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    Flag(String),
    NotFlag(String),
    AgitationAbove(f32),
    AgitationBelow(f32),
    TrustAbove(f32),
    TrustBelow(f32),
    /// The trainee is closer than this many metres.
    CloserThan(f32),
    /// The trainee is farther than this many metres.
    FartherThan(f32),
    /// A prop marked as cover is between the trainee and the subject.
    InCover,
    /// No prop marked as cover is between the trainee and the subject.
    NotInCover,
    /// The story is in this scene (for scenario-wide triggers, seeded events, branches).
    InScene(String),
    /// At least this many seconds have passed since the run began.
    SecondsElapsed(f32),
    /// At least this many seconds have passed since the current scene was entered.
    SecondsInScene(f32),
    /// The subject drawn for this run has this temperament.
    Temperament(String),
    /// The trainee has said this option (by id, in any scene) earlier in the run.
    Said(String),
    /// The trainee has not said this option yet.
    NotSaid(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub when: When,
    pub goto: Next,
    /// Extra conditions that must also hold.
    #[serde(default)]
    pub requires: Vec<Condition>,
    /// What is said when it fires (optional), by `by`.
    #[serde(default)]
    pub line: Option<String>,
    /// Who says `line`: the subject unless written otherwise (`Radio` for Control).
    #[serde(default = "subject_voice")]
    pub by: Voice,
    /// What the subject's body does when it fires (after `line`).
    #[serde(default)]
    pub act: Option<Act>,
    /// Why it happened, for the debrief.
    #[serde(default)]
    pub why: Option<String>,
    #[serde(default)]
    pub agitation: f32,
    #[serde(default)]
    pub trust: f32,
    #[serde(default)]
    pub sets: Vec<String>,
    /// Flags cleared when it fires (before `sets` is applied).
    #[serde(default)]
    pub clears: Vec<String>,
    /// The threshold or time in `when` moves by up to this much either way, drawn once per
    /// run (in the condition's own unit: points, metres, m/s or seconds).
    #[serde(default)]
    pub jitter: f32,
}

/// What fires a trigger. Thresholds fire when crossed (or when already past on entering a scene).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum When {
    AgitationAbove(f32),
    AgitationBelow(f32),
    TrustAbove(f32),
    TrustBelow(f32),
    /// Trainee closer than this many metres.
    CloserThan(f32),
    /// Trainee farther than this many metres.
    FartherThan(f32),
    /// Closing speed above this many m/s.
    ApproachFasterThan(f32),
    WeaponDrawn,
    /// A prop marked as cover is between the trainee and the subject.
    InCover,
    /// Seconds since the scene was entered.
    SecondsInScene(f32),
    /// Seconds since the trainee last spoke (or since the scene began).
    SilenceFor(f32),
    /// Seconds since the run began (for arrivals: the crisis team, a relative).
    SecondsElapsed(f32),
    /// An instructor injected this event id (true for one second after the inject).
    Injected(String),
    Flag(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub id: String,
    pub outcome: Outcome,
    pub title: String,
    /// After-action summary shown at the top of the debrief.
    pub summary: String,
    /// What the subject says as it ends (optional).
    #[serde(default)]
    pub line: Option<String>,
    /// What the subject's body does as it ends (after `line`). Left out: a `SubjectFled`
    /// ending walks away; the others do nothing more.
    #[serde(default)]
    pub act: Option<Act>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoringParams {
    /// The distance band (metres) a trainee should mostly talk from.
    pub ideal_distance: (f32, f32),
    /// If true, letting things drag past `expected_minutes` costs time points.
    pub urgent: bool,
    pub weights: Weights,
}

impl Default for ScoringParams {
    fn default() -> Self {
        ScoringParams {
            ideal_distance: (3.0, 7.0),
            urgent: false,
            weights: Weights::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    pub distance: f32,
    pub time: f32,
    pub tone: f32,
    pub verbal: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            distance: 1.0,
            time: 1.0,
            tone: 1.0,
            verbal: 1.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: String,
    /// Shown to the instructor.
    pub label: String,
    /// What the trainee hears (a bystander, the radio).
    pub line: String,
    /// Who says `line`. Left out: the line is shown as it is written, said by nobody in
    /// particular (and the trainer guesses radio or bystander from its words).
    #[serde(default)]
    pub by: Option<Voice>,
    #[serde(default)]
    pub agitation: f32,
    #[serde(default)]
    pub trust: f32,
}

fn subject_voice() -> Voice {
    Voice::Subject
}

impl Scenario {
    pub fn scene_index(&self, id: &str) -> Option<usize> {
        self.scenes.iter().position(|s| s.id == id)
    }
    pub fn ending_index(&self, id: &str) -> Option<usize> {
        self.endings.iter().position(|e| e.id == id)
    }
    pub fn ending(&self, id: &str) -> Option<&Ending> {
        self.endings.iter().find(|e| e.id == id)
    }
    pub fn scene(&self, id: &str) -> Option<&Scene> {
        self.scenes.iter().find(|s| s.id == id)
    }
    /// Whether `prop` gives the trainee cover from the subject: it is marked `cover` and the
    /// subject is not sitting inside it (every line to them would cross it).
    pub fn gives_cover(&self, prop: &Prop) -> bool {
        prop.cover && !prop.contains(self.subject.spawn.x, self.subject.spawn.z)
    }
}

impl Choice {
    /// The tones that fit this line: authored, else derived from its tags.
    pub fn fitting_tones(&self) -> Vec<Tone> {
        if !self.tones.is_empty() {
            return self.tones.clone();
        }
        let mut out: Vec<Tone> = Vec::new();
        for tag in &self.tags {
            for t in tag.default_tones() {
                if !out.contains(t) {
                    out.push(*t);
                }
            }
        }
        if out.is_empty() {
            out.extend([Tone::Calm, Tone::Neutral]);
        }
        out.sort();
        out
    }
}
