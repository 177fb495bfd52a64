//! Loading and validating scenario files: what `deescalate check FILE...` runs, and what the
//! game and CLI use to load a scenario. This file lists every diagnostic code ([`CODES`]) and
//! the parts; each part's first lines say what it owns.
//!
//! A check has two stages:
//!
//! 1. **Loading** (`load`, `file`): size limit, empty file, then `ron` deserialisation. If
//!    that fails, `repair` scans for the slips authors make (a unit after a number, a string
//!    never closed...) and reads each `ron` error in turn (`syntax` says what each means),
//!    mending the text where the intent is clear, so every problem it can reach is reported,
//!    each with a clear message; a file that stops in the middle gets a "file ends
//!    unexpectedly" error at its end.
//! 2. **Validation** (`validator`, which runs the rules in order): semantic checks on the
//!    deserialised [`Scenario`](crate::format::scenario::Scenario), one part of it per file
//!    (`top`, `place`, `subject`, `scoring`, `ids`, `scenes`, `conditions`, `targets`,
//!    `flags`, `graph`, `vary`, `calls`, `stage`), and design lints (`lints`). Every
//!    diagnostic points at the exact offending value, found through a
//!    [`SpanTree`](crate::format::spans::SpanTree) of the text.
//!
//! Characters that do not belong in text are found on the raw text (`text`), whatever else
//! is wrong, and [`check_file`] adds the lints that need the route finder.

use crate::check::diag::Severity;

// Loading.
mod file;
mod load;
mod repair;
mod report;
mod syntax;
// Validation (`Validator::run` lists the rules in the order they run).
mod aside;
mod calls;
mod conditions;
mod flags;
mod graph;
mod ids;
mod lints;
mod place;
mod scenes;
mod scoring;
mod stage;
mod subject;
mod targets;
mod top;
mod validator;
mod values;
mod vary;
// Shown to the author.
pub mod diag;
pub(crate) mod text;

pub use file::{check_bytes, check_file, load_scenario};
pub use load::{check_source, parse_scenario_str};
pub use report::{CheckReport, ScenarioError};
pub use syntax::ron_options;
use validator::{Validator, trigger_path};

/// Every diagnostic code this module emits, with its severity and what it means.
#[rustfmt::skip]
pub const CODES: &[(&str, Severity, &str)] = &[
    // Loading.
    ("io",                  Severity::Error,   "the file could not be read"),
    ("not-utf8",            Severity::Error,   "the file is not UTF-8 text"),
    ("file-too-large",      Severity::Error,   "the file is larger than MAX_FILE_BYTES"),
    ("empty-file",          Severity::Error,   "the file has no scenario in it"),
    ("too-deep",            Severity::Error,   "brackets nested deeper than MAX_NESTING"),
    ("unexpected-eof",      Severity::Error,   "the file stops in the middle (truncated?)"),
    ("syntax",              Severity::Error,   "the text is not valid RON"),
    ("unknown-field",       Severity::Error,   "a field name the format does not have"),
    ("missing-field",       Severity::Error,   "a required field is missing"),
    ("duplicate-field",     Severity::Error,   "the same field is given twice"),
    ("unknown-variant",     Severity::Error,   "a name that is not one of the allowed choices"),
    ("wrong-type",          Severity::Error,   "a value of the wrong kind (text for a number...)"),
    ("number-unit",         Severity::Error,   "a unit after a number (`7.0 m`)"),
    ("decimal-comma",       Severity::Error,   "a decimal comma (`4,5`) where RON wants a point"),
    ("unclosed-string",     Severity::Error,   "text in quotes that runs on into the rest of the file"),
    ("when-list",           Severity::Error,   "a trigger's `when` given a list of conditions"),
    ("bidi-control",        Severity::Error,   "a bidirectional override or isolate character"),
    ("control-character",   Severity::Warning, "a control character in text"),
    // Ids and references.
    ("duplicate-scene",     Severity::Error,   "two scenes share an id"),
    ("duplicate-ending",    Severity::Error,   "two endings share an id"),
    ("duplicate-option",    Severity::Error,   "two options of one scene share an id"),
    ("duplicate-inject",    Severity::Error,   "two injects share an id"),
    ("unknown-scene",       Severity::Error,   "a scene id that names no scene"),
    ("unknown-ending",      Severity::Error,   "an ending id that names no ending"),
    ("unknown-inject",      Severity::Error,   "`Injected(..)` names no inject"),
    ("unset-flag",          Severity::Warning, "a flag is tested but nothing sets it"),
    ("unset-cleared-flag",  Severity::Warning, "a flag in `clears` that nothing sets"),
    ("never-in-scene",      Severity::Warning, "`InScene(..)` of another scene where only one scene is in play"),
    // Story graph.
    ("unreachable-scene",   Severity::Warning, "no path from `start_scene` leads to the scene"),
    ("unreachable-ending",  Severity::Warning, "nothing leads to the ending"),
    ("dead-end",            Severity::Error,   "no ending can be reached from the scene"),
    ("no-exits",            Severity::Error,   "a scene with no options and no triggers"),
    // Values.
    ("out-of-range",        Severity::Error,   "a number outside its allowed range"),
    ("non-finite",          Severity::Error,   "a number that is infinite or NaN"),
    ("inverted-range",      Severity::Error,   "a (min, max) pair with min > max"),
    ("no-weights",          Severity::Error,   "all scoring weights are zero"),
    ("band-inside-space",   Severity::Warning, "ideal distance band starts inside personal space"),
    ("time-limit",          Severity::Warning, "time_limit_minutes shorter than expected_minutes"),
    ("empty-text",          Severity::Error,   "an empty id, title, line or other text"),
    ("asset-path",          Severity::Error,   "an asset path empty, absolute or outside assets/"),
    ("asset-extension",     Severity::Warning, "an audio asset that is not a .wav file"),
    ("self-target",         Severity::Warning, "a scene trigger that targets its own scene (it can never fire)"),
    ("unlisted-indicator",  Severity::Warning, "an option recognises an indicator the subject does not have"),
    ("no-cover",            Severity::Warning, "a cover condition or trigger, but no prop gives cover"),
    ("cover-holds-subject", Severity::Warning, "a `cover: true` prop the subject sits inside (ignored as cover)"),
    ("sight-blocked",       Severity::Warning, "a prop hides the subject from the trainee's spawn"),
    // Acts.
    ("act-nothing-held",    Severity::Warning, "an act puts down or drops something, but the subject holds nothing"),
    ("act-far",             Severity::Warning, "`PutDown(at: ..)` more than 6 m from the subject"),
    ("act-no-railing",      Severity::Warning, "`ClimbBack` with no railing within reach of the subject"),
    // Asides.
    ("answer-not-aside",    Severity::Error,   "an `answer` on an option that is not an aside"),
    ("answer-no-partner",   Severity::Error,   "`answer_by: Partner` in a scenario with no partner"),
    ("answer-by-unanswered", Severity::Warning, "`answer_by` on an option with no `answer`"),
    // Variation.
    ("duplicate-temperament", Severity::Error, "two temperaments share an id"),
    ("unknown-temperament", Severity::Error,   "`Temperament(..)` names no temperament"),
    ("unknown-option",      Severity::Error,   "`Said(..)`/`NotSaid(..)` names no option"),
    ("duplicate-event",     Severity::Error,   "two seeded events share an id"),
    ("event-too-late",      Severity::Warning, "a seeded event's window opens after the time limit"),
    ("empty-branches",      Severity::Error,   "a `OneOf` with no branches"),
    ("nested-branches",     Severity::Error,   "a `OneOf` branch that is itself a `OneOf`"),
    ("no-default-branch",   Severity::Warning, "every `OneOf` branch has conditions"),
    // Design.
    ("time-limit-too-long", Severity::Error,   "time_limit_minutes over 120"),
    ("impossible-threshold", Severity::Warning, "a threshold agitation, trust or distance never crosses"),
    ("after-time-limit",    Severity::Warning, "a time condition that only holds after the time limit"),
    ("shadowed-trigger",    Severity::Warning, "a trigger another trigger always fires before"),
    ("beaten-trigger",      Severity::Warning, "a trigger another fires before unless a measure jumps"),
    ("inject-only-indicator", Severity::Warning, "an indicator only an inject reveals, charged for if missed"),
    ("fast-ending",         Severity::Warning, "a good ending reached in under a third of expected_minutes"),
    // Completeness.
    ("few-endings",         Severity::Warning, "fewer than two endings"),
    ("no-objectives",       Severity::Warning, "no learning objectives"),
];
