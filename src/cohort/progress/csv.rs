//! Progress as CSV: one row per run, trainees by name, runs oldest first.

use super::Progress;
use super::describe::date;
use crate::cohort::fmt::csv_field;
use crate::report::n1;

pub const CSV_HEADER: &str = "trainee,run,started_unix,started_utc,scenario,cohort,seed,ending,outcome,duration,distance,time,tone,verbal,overall,record_file,scoring_version,verified,verification,attempt,temperament,new_temperament";

/// One row per run, trainees by name, runs oldest first. `verified` says whether the row's
/// scores were checked (re-simulated, or signed), `verification` how.
pub fn csv(p: &Progress) -> String {
    let mut o = String::new();
    o.push_str(CSV_HEADER);
    o.push_str("\r\n");
    for t in &p.trainees {
        for (i, r) in t.runs.iter().enumerate() {
            let fields = [
                csv_field(&t.name),
                (i + 1).to_string(),
                r.started_unix.to_string(),
                csv_field(&date(r.started_unix)),
                csv_field(&r.scenario_id),
                csv_field(r.cohort.as_deref().unwrap_or("")),
                r.seed.to_string(),
                csv_field(r.ending.as_deref().unwrap_or("")),
                csv_field(r.outcome.map_or("", |o| o.label())),
                n1(r.duration),
                n1(r.scores[0]),
                n1(r.scores[1]),
                n1(r.scores[2]),
                n1(r.scores[3]),
                n1(r.scores[4]),
                csv_field(&r.file),
                r.scoring_version.to_string(),
                if r.verification.verified() {
                    "yes"
                } else {
                    "no"
                }
                .to_string(),
                csv_field(&r.verification.describe()),
                r.attempt.to_string(),
                csv_field(r.temperament.as_deref().unwrap_or("")),
                if r.new_temperament { "yes" } else { "no" }.to_string(),
            ];
            o.push_str(&fields.join(","));
            o.push_str("\r\n");
        }
    }
    o
}
