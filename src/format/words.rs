//! The format reference's words for what `ron` calls by Rust names (`Choice` is "an option"),
//! and suggestions for a misspelt or misremembered field or value name: near misses
//! (`titel` → `title`), words authors reach for (`response` → `reply`) and shortened names
//! (`Resolved` → `ResolvedVoluntarily`); and the plural of a count, which every report
//! (check, debrief, class, CLI) writes the same way.

/// What the format reference calls a structure or choice list named `rust` by the code, with
/// its article: `Choice` → "an option", `Scenario` → "the scenario".
pub fn thing(rust: &str) -> String {
    let known = match rust {
        "Scenario" => "the scenario",
        "Choice" => "an option",
        "Scene" => "a scene",
        "Trigger" => "a trigger",
        "Ending" => "an ending",
        "Inject" => "an inject",
        "Subject" => "the subject",
        "Partner" => "the partner",
        "Place" => "the place",
        "Prop" => "a prop",
        "Spawn" => "a position",
        "Appearance" => "the appearance",
        "Sensitivity" => "the sensitivity",
        "ToneReactions" => "the tones",
        "ToneReaction" => "a tone's reaction",
        "ToneBranch" => "a tone branch",
        "ScoringParams" => "the scoring",
        "Weights" => "the weights",
        "Variation" => "the variation",
        "Temperament" => "a temperament",
        "SubjectVary" => "a subject variation",
        "ToneVary" => "a tone variation",
        "SeededEvent" => "a seeded event",
        "LineVariant" => "a line variant",
        "Branch" => "a `OneOf` branch",
        "Next" => "a destination",
        "When" => "a trigger condition",
        "Condition" => "a condition",
        "Vary" => "a varying number",
        "Held" => "a held object",
        "Body" => "a body language",
        "Tone" => "a tone",
        "Tag" => "a tag",
        "Indicator" => "an indicator",
        "Outcome" => "an outcome",
        "Environment" => "an environment",
        "TimeOfDay" => "a time of day",
        "Weather" => "a weather",
        "PropKind" => "a prop kind",
        "Mode" => "a mode",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    with_article(&spaced(rust))
}

/// `ToneBranch` → `tone branch`.
fn spaced(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// "a scene", "an ending", "an option": the indefinite article a word takes.
pub fn with_article(word: &str) -> String {
    format!("{} {word}", article(word))
}

/// "a" or "an" before `word` (by its first letter, which is right for the format's words).
pub fn article(word: &str) -> &'static str {
    let first = word
        .trim_start_matches(['`', '"'])
        .chars()
        .next()
        .map(|c| c.to_ascii_lowercase());
    if matches!(first, Some('a' | 'e' | 'i' | 'o' | 'u')) {
        "an"
    } else {
        "a"
    }
}

/// Words authors write for a field the format calls otherwise: (written, meant).
/// A pair is only suggested where the meant field exists.
const FIELD_SYNONYMS: &[(&str, &str)] = &[
    ("response", "reply"),
    ("responses", "reply"),
    ("replies", "reply"),
    ("answer", "reply"),
    ("answers", "reply"),
    ("says", "line"),
    ("say", "line"),
    ("says", "lines"),
    ("say", "lines"),
    ("line", "lines"),
    ("text", "lines"),
    ("choices", "options"),
    ("choice", "options"),
    ("option", "options"),
    ("label", "text"),
    ("condition", "when"),
    ("if", "when"),
    ("on", "when"),
    ("condition", "requires"),
    ("conditions", "requires"),
    ("require", "requires"),
    ("required", "requires"),
    ("needs", "requires"),
    ("if", "requires"),
    ("then", "next"),
    ("target", "next"),
    ("goto", "next"),
    ("go_to", "next"),
    ("next_scene", "next"),
    ("leads_to", "next"),
    ("next", "goto"),
    ("then", "goto"),
    ("target", "goto"),
    ("go_to", "goto"),
    ("next", "to"),
    ("goto", "to"),
    ("set", "sets"),
    ("flags", "sets"),
    ("set_flags", "sets"),
    ("sets_flag", "sets"),
    ("name", "id"),
    ("key", "id"),
    ("description", "summary"),
    ("text", "summary"),
    ("comment", "note"),
    ("notes", "note"),
    ("agitation_change", "agitation"),
    ("trust_change", "trust"),
    ("result", "outcome"),
    ("position", "spawn"),
    ("pos", "spawn"),
    ("location", "spawn"),
    ("start", "start_scene"),
    ("first_scene", "start_scene"),
    ("time_limit", "time_limit_minutes"),
    ("limit_minutes", "time_limit_minutes"),
    ("duration", "expected_minutes"),
    ("expected_time", "expected_minutes"),
    ("minutes", "expected_minutes"),
    ("timeout", "timeout_ending"),
    ("goals", "objectives"),
    ("learning_objectives", "objectives"),
    ("dispatch", "briefing"),
    ("description", "briefing"),
    ("holds", "holding"),
    ("weapon", "holding"),
    ("weapons", "holding"),
    ("signs", "indicators"),
    ("indicator", "indicators"),
    ("recognizes", "recognises"),
    ("acknowledges", "recognises"),
    ("tone", "tones"),
    ("tag", "tags"),
    ("color", "colour"),
    ("colour", "color"),
];

/// Words authors write for a value the format calls otherwise: (written, meant).
const VALUE_SYNONYMS: &[(&str, &str)] = &[
    ("Goto", "Scene"),
    ("GoTo", "Scene"),
    ("Next", "Scene"),
    ("End", "Ending"),
    ("Finish", "Ending"),
    ("Same", "Stay"),
    ("None", "Stay"),
    ("Random", "OneOf"),
    ("Either", "OneOf"),
    ("AgitationOver", "AgitationAbove"),
    ("AgitationUnder", "AgitationBelow"),
    ("TrustOver", "TrustAbove"),
    ("TrustUnder", "TrustBelow"),
    ("NearerThan", "CloserThan"),
    ("Within", "CloserThan"),
    ("FurtherThan", "FartherThan"),
    ("Elapsed", "SecondsElapsed"),
    ("Silence", "SilenceFor"),
    ("Inject", "Injected"),
    ("Gun", "Handgun"),
    ("Pistol", "Handgun"),
    ("Revolver", "Handgun"),
    ("CarPark", "ParkingLot"),
    ("Parking", "ParkingLot"),
    ("Pub", "Bar"),
    ("Flat", "Apartment"),
    ("Home", "Apartment"),
    ("Store", "Shop"),
    ("Road", "Street"),
    ("Resolved", "ResolvedVoluntarily"),
    ("Fled", "SubjectFled"),
    ("Injured", "SomeoneInjured"),
    ("Timeout", "Unresolved"),
    ("Force", "ForceUsed"),
    ("Withdrawal", "TacticalWithdrawal"),
    ("Shout", "Shouting"),
    ("Command", "Commanding"),
    ("PTSD", "Trauma"),
    ("Ptsd", "Trauma"),
];

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `target`, if it is close enough to be a plausible typo.
pub fn closest<'a>(target: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (target.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .filter(|c| *c != target)
        .map(|c| {
            let d = if c.eq_ignore_ascii_case(target) {
                0
            } else {
                edit_distance(target, c)
            };
            (d, c)
        })
        .filter(|(d, c)| *d <= limit && *d < c.chars().count().max(target.chars().count()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The field among `expected` that an author who wrote `found` most likely meant.
pub fn suggest_field<'a>(found: &str, expected: &[&'a str]) -> Option<&'a str> {
    suggest(found, expected, FIELD_SYNONYMS)
}

/// The value among `expected` that an author who wrote `found` most likely meant.
pub fn suggest_value<'a>(found: &str, expected: &[&'a str]) -> Option<&'a str> {
    suggest(found, expected, VALUE_SYNONYMS)
}

/// A near miss first, then a known synonym, then a name that starts or ends with what was
/// written (`Resolved` → `ResolvedVoluntarily`, `Injured` → `SomeoneInjured`).
fn suggest<'a>(found: &str, expected: &[&'a str], synonyms: &[(&str, &str)]) -> Option<&'a str> {
    if let Some(best) = closest(found, expected.iter().copied()) {
        return Some(best);
    }
    let lower = found.to_ascii_lowercase();
    for (written, meant) in synonyms {
        if written.eq_ignore_ascii_case(found)
            && let Some(e) = expected.iter().find(|e| **e == *meant)
        {
            return Some(e);
        }
    }
    if lower.chars().count() < 3 {
        return None;
    }
    let mut partial = expected.iter().filter(|e| {
        let e = e.to_ascii_lowercase();
        e != lower && (e.starts_with(&lower) || e.ends_with(&lower))
    });
    match (partial.next(), partial.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// The plural ending of a count: `""` for 1, else `"s"` ("1 file", "0 files", "2 files").
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A count with its noun: `count(1, "file")` → "1 file", `count(3, "error")` → "3 errors".
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", plural(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_plural_except_one() {
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(0, "error"), "0 errors");
        assert_eq!(format!("3 run{}", plural(3)), "3 runs");
    }

    #[test]
    fn things_in_the_reference_words() {
        assert_eq!(thing("Choice"), "an option");
        assert_eq!(thing("Scenario"), "the scenario");
        assert_eq!(thing("FooBar"), "a foo bar");
        assert_eq!(with_article("scene"), "a scene");
        assert_eq!(with_article("ending"), "an ending");
    }

    #[test]
    fn suggestions() {
        let option = ["id", "text", "reply", "next", "requires", "tones"];
        assert_eq!(suggest_field("response", &option), Some("reply"));
        assert_eq!(suggest_field("txt", &option), Some("text"));
        assert_eq!(suggest_field("tone", &option), Some("tones"));
        assert_eq!(suggest_field("zebra", &option), None);
        let outcomes = ["ResolvedVoluntarily", "SomeoneInjured", "SubjectFled"];
        assert_eq!(
            suggest_value("Resolved", &outcomes),
            Some("ResolvedVoluntarily")
        );
        assert_eq!(suggest_value("Injured", &outcomes), Some("SomeoneInjured"));
        assert_eq!(suggest_value("Fled", &outcomes), Some("SubjectFled"));
        assert_eq!(suggest_value("Xy", &outcomes), None);
    }
}
