//! The class CSV: one row per run (counted, or stored and not re-scored), RFC 4180, names
//! anonymised unless asked for, safe to open in a spreadsheet.

use super::load::Class;
use super::redact::redact_class_file;
use crate::assess::score::SCORING_VERSION;
use crate::cohort::fmt::csv_field;
use crate::report::n1;

pub const CSV_HEADER: &str = "trainee,cohort,seed,ending,outcome,duration,distance,time,tone,verbal,overall,record_file,scoring_version,scoring_note,verified,verification";

/// One row per run. Without `names`, the trainee column holds the anonymous label and the
/// file column has the trainees' names replaced by their labels too. `verified` says whether
/// the row's scores were checked (re-simulated, or signed), `verification` how.
pub fn csv(class: &Class, names: bool) -> String {
    let mut o = String::new();
    o.push_str(CSV_HEADER);
    o.push_str("\r\n");
    let rows = class
        .runs
        .iter()
        .map(|r| {
            let note = r.rescored.as_ref().map_or(String::new(), |x| x.summary());
            (
                r.who(names),
                &r.record,
                &r.file,
                r.result(),
                SCORING_VERSION,
                note,
                &r.verification,
            )
        })
        .chain(class.not_rescored.iter().map(|r| {
            (
                r.who(names),
                &r.record,
                &r.file,
                &r.record.result,
                r.record.scoring_version,
                r.explain(),
                &r.verification,
            )
        }));
    for (who, rec, file, res, version, note, verification) in rows {
        let file = if names {
            file.clone()
        } else {
            redact_class_file(file, class)
        };
        let fields = [
            csv_field(who),
            csv_field(rec.cohort.as_deref().unwrap_or("")),
            rec.seed.to_string(),
            csv_field(res.ending.as_deref().unwrap_or("")),
            csv_field(res.outcome.map_or("", |o| o.label())),
            n1(res.duration),
            n1(res.distance),
            n1(res.time),
            n1(res.tone),
            n1(res.verbal),
            n1(res.overall),
            csv_field(&file),
            version.to_string(),
            csv_field(&note),
            if verification.verified() { "yes" } else { "no" }.to_string(),
            csv_field(&verification.describe()),
        ];
        o.push_str(&fields.join(","));
        o.push_str("\r\n");
    }
    o
}
