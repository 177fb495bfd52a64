//! Class debrief: many trainees' session records of one scenario, re-simulated and
//! aggregated for a group debrief on a projector.
//!
//! [`load()`] reads every `*.json` record in a folder (journals, temporary and hidden files
//! are ignored), skips the ones that cannot be used — corrupt, truncated, another format
//! version, another scenario, no longer replaying, a copy of a run already counted — each
//! with a one-line reason, and re-simulates the rest with
//! [`Record::replay`](crate::records::record::Record::replay) on the scenario found by id and
//! hash in the scenario folders ([`Library`](crate::records::library::Library)).
//! [`Summary::of`] aggregates the debriefs: outcomes, score distributions, how the class split
//! at each decision point across options and tones (and what followed), and the most common
//! key moments. The renderers are [`text()`] (terminal), [`csv()`] (one row per run) and
//! [`html()`] (one self-contained, projector-friendly 16:9 slide deck with inline SVG charts).
//!
//! Trainees are anonymised by default: "Trainee A", "Trainee B", … in the order of their
//! first record's file name. Real names appear only when the caller asks for them.
//!
//! Every figure uses today's scoring rules
//! ([`SCORING_VERSION`](crate::assess::score::SCORING_VERSION)). A record scored by another
//! version is re-scored from its re-simulation ([`Run::rescored`] says what changed); one that
//! cannot be re-simulated is not mixed into the figures but listed in
//! [`Class::not_rescored`] with the scores stored in it and the reason.
//!
//! By file: `load` (the records of a folder, [`crate::cohort::folder`], placed on the chosen
//! scenario), `summary` with `stats`, `decisions` and `moments` (the statistics), `redact` (names
//! out of file names), and the renderers `text`, `csv`, `html` (with `charts`, `deck.css` and
//! `deck.js`).

mod charts;
mod csv;
mod decisions;
mod html;
mod load;
mod moments;
mod redact;
mod stats;
mod summary;
mod text;

pub use self::csv::{CSV_HEADER, csv};
pub use decisions::{Cell, Decision, Led, LedTo, OptionSplit};
pub use html::html;
pub use load::{Class, NotRescored, Run, assign_labels, letters, load, load_with};
pub use moments::{MomentGroup, MomentKind};
pub use redact::redact_file;
pub use stats::Distribution;
pub use summary::{DIMENSIONS, EndingCount, OutcomeCount, Summary, run_facts};
pub use text::text;
// What tests and other stages reach through `class`: reading records, formatting.
pub use crate::cohort::fmt::{csv_field, esc};
pub(crate) use crate::cohort::folder::file_name;
pub use crate::cohort::folder::{
    Folder, Read, Skipped, read_folder, read_record, read_record_text, record_files,
};
