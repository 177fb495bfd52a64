//! Tests for `deescalate check`: one small broken file per diagnostic under
//! `tests/fixtures/check/`, each asserting the exact code, severity and caret position, plus
//! hostile inputs (garbage, truncation, huge files, deep nesting, bad encodings) that must give
//! one clear error and never panic.

use deescalate::check::diag::{Diagnostic, Severity, displayable, render};
use deescalate::check::{
    CODES, CheckReport, check_bytes, check_file, check_source, load_scenario, parse_scenario_str,
};
use deescalate::format::scenario::{MAX_FILE_BYTES, MAX_NESTING};
use deescalate::format::spans::SpanTree;
use std::path::{Path, PathBuf};

use Severity::{Error, Warning};

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(format!("{name}.ron"))
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).expect("fixture exists")
}

/// A scratch file under the system temp dir, unique per test.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("deescalate-check-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The column (0-based, in characters) at which the caret line of a rendered snippet marks the
/// source line `line`, i.e. where ariadne drew `|` or `^` under it. Panics if not found.
fn marked_column(rendered: &str, line: usize) -> usize {
    let lines: Vec<&str> = rendered.lines().collect();
    let prefix = format!(" {line} | ");
    let (i, src_line) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(prefix.trim_start()))
        .unwrap_or_else(|| panic!("no snippet line {line} in:\n{rendered}"));
    let text_start = src_line.find(" | ").unwrap() + 3;
    let marks = lines
        .get(i + 1)
        .expect("a caret line under the source line");
    let col = marks
        .char_indices()
        .skip(text_start)
        .find(|(_, c)| *c == '^' || *c == '|')
        .map(|(b, _)| b)
        .unwrap_or_else(|| panic!("no caret under line {line} in:\n{rendered}"));
    col - text_start
}

/// Asserts everything a user relies on for one diagnostic: header line with `file:line:col`,
/// the offending source line in the snippet, and the caret under the right column.
fn assert_rendered(report: &CheckReport, d: &Diagnostic) {
    let out = render(&report.path, &report.source, std::slice::from_ref(d), false);
    let header = format!(
        "{}:{}:{}: {}[{}]: {}",
        report.path, d.line, d.col, d.severity, d.code, d.message
    );
    assert!(
        out.starts_with(&header),
        "header {header:?} missing in:\n{out}"
    );
    if let Some(src_line) = report.source.lines().nth(d.line - 1) {
        // Control and bidirectional characters are shown as stand-ins of the same length.
        let src_line = displayable(src_line);
        let shown = src_line.trim_end();
        if !shown.is_empty() {
            assert!(
                out.contains(shown),
                "source line {shown:?} missing in:\n{out}"
            );
        }
    }
    assert_eq!(
        marked_column(&out, d.line) + 1,
        d.col,
        "caret in the wrong column:\n{out}"
    );
    if let Some(help) = &d.help {
        assert!(out.contains(help.as_str()), "help missing in:\n{out}");
    }
}

/// Checks fixture `name` and asserts its diagnostics are exactly `expected`
/// (code, severity, line, column), in order, each rendered correctly.
fn expect(name: &str, expected: &[(&str, Severity, usize, usize)]) -> CheckReport {
    let report = check_file(&fixture_path(name));
    let got: Vec<(&str, Severity, usize, usize)> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.severity, d.line, d.col))
        .collect();
    assert_eq!(
        got,
        expected,
        "diagnostics of {name}:\n{}",
        report.render(false)
    );
    for d in &report.diagnostics {
        assert_rendered(&report, d);
    }
    report
}

/// The message and help of the single diagnostic of `report`, for content assertions.
fn only(report: &CheckReport) -> &Diagnostic {
    assert_eq!(report.diagnostics.len(), 1, "{}", report.render(false));
    &report.diagnostics[0]
}

// ---------------------------------------------------------------------------------------------
// Valid files
// ---------------------------------------------------------------------------------------------

#[test]
fn minimal_ok_has_no_diagnostics() {
    let report = expect("minimal_ok", &[]);
    assert!(!report.has_errors());
    let s = report.scenario.expect("loaded");
    assert_eq!(s.id, "t");
    assert_eq!(s.scenes.len(), 2);
}

#[test]
fn rich_ok_has_no_diagnostics() {
    let report = expect("rich_ok", &[]);
    let s = report.scenario.expect("loaded");
    assert_eq!(s.place.ambience.as_deref(), Some("audio/bridge_rain.wav"));
    assert_eq!(s.scenes[0].options[0].tone_branches.len(), 1);
}

#[test]
fn span_tree_parses_every_fixture_that_ron_accepts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let report = check_file(&path);
        if report.scenario.is_some() {
            assert!(
                SpanTree::parse(&report.source).is_ok(),
                "span tree fails on {}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} fixtures loaded");
}

// ---------------------------------------------------------------------------------------------
// Ids and references
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_scene() {
    let r = expect("duplicate_scene", &[("duplicate-scene", Error, 35, 17)]);
    assert!(only(&r).label.as_deref().unwrap().contains("28:17"));
}

#[test]
fn duplicate_ending() {
    expect("duplicate_ending", &[("duplicate-ending", Error, 37, 14)]);
}

#[test]
fn duplicate_option() {
    expect("duplicate_option", &[("duplicate-option", Error, 25, 22)]);
}

#[test]
fn duplicate_inject() {
    expect("duplicate_inject", &[("duplicate-inject", Error, 37, 14)]);
}

#[test]
fn unknown_start_scene() {
    let r = expect("unknown_start_scene", &[("unknown-scene", Error, 18, 18)]);
    assert_eq!(only(&r).help.as_deref(), Some("did you mean `start`?"));
    assert!(only(&r).message.contains("`strat`"));
}

#[test]
fn unknown_timeout_ending() {
    let r = expect(
        "unknown_timeout_ending",
        &[("unknown-ending", Error, 8, 21)],
    );
    assert!(
        only(&r)
            .help
            .as_deref()
            .unwrap()
            .contains("`calm`, `timeout`")
    );
}

#[test]
fn unknown_next_scene_suggests_closest() {
    let r = expect("unknown_next_scene", &[("unknown-scene", Error, 24, 64)]);
    assert_eq!(only(&r).help.as_deref(), Some("did you mean `calm_down`?"));
    // The caret is on the string inside `Scene(..)`, not on `Scene`.
    assert_eq!(&r.source[only(&r).span.clone()], "\"calm_dwon\"");
}

#[test]
fn unknown_next_ending_suggests_closest() {
    let r = expect("unknown_next_ending", &[("unknown-ending", Error, 31, 65)]);
    assert_eq!(only(&r).help.as_deref(), Some("did you mean `calm`?"));
}

#[test]
fn scene_that_names_an_ending() {
    let r = expect("scene_names_ending", &[("unknown-scene", Error, 31, 64)]);
    assert_eq!(
        only(&r).help.as_deref(),
        Some("`calm` is an ending: write `Ending(\"calm\")`")
    );
}

#[test]
fn unknown_tone_branch_target() {
    expect("unknown_tone_branch", &[("unknown-scene", Error, 28, 69)]);
}

#[test]
fn unknown_trigger_target() {
    expect(
        "unknown_trigger_target",
        &[("unknown-ending", Error, 23, 66)],
    );
}

#[test]
fn unknown_global_trigger_target() {
    expect(
        "unknown_global_trigger_target",
        &[("unknown-scene", Error, 36, 41)],
    );
}

#[test]
fn unknown_inject() {
    let r = expect("unknown_inject", &[("unknown-inject", Error, 23, 40)]);
    assert_eq!(only(&r).help.as_deref(), Some("did you mean `radio`?"));
}

#[test]
fn unset_flag() {
    let r = expect("unset_flag", &[("unset-flag", Warning, 31, 68)]);
    assert!(only(&r).message.contains("`introduce`"));
    assert_eq!(only(&r).help.as_deref(), Some("did you mean `introduced`?"));
}

// ---------------------------------------------------------------------------------------------
// The vocabulary for real calls: `InScene`, cleared flags, cover
// ---------------------------------------------------------------------------------------------

#[test]
fn in_scene_names_no_scene() {
    let r = expect("in_scene_unknown", &[("unknown-scene", Error, 36, 57)]);
    assert_eq!(only(&r).message, "`InScene` names no scene: `benh`");
    assert_eq!(only(&r).help.as_deref(), Some("did you mean `bench`?"));
    // An ending is never a place the story is in.
    let text =
        fixture_text("in_scene_unknown").replace("InScene(\"benh\")", "InScene(\"timeout\")");
    let r = check_source("ending.ron", &text);
    assert!(
        only(&r)
            .help
            .as_deref()
            .unwrap()
            .contains("`timeout` is an ending"),
        "{}",
        r.render(false)
    );
}

#[test]
fn in_scene_of_another_scene_in_an_option() {
    let r = expect("never_in_scene", &[("never-in-scene", Warning, 31, 71)]);
    assert!(only(&r).message.contains("only checked in scene `bench`"));
    // The same condition in a scenario-wide trigger is fine (the fixture has one).
    assert!(r.source.contains("requires: [InScene(\"bench\")], goto"));
}

#[test]
fn cleared_flag_nothing_sets() {
    let r = expect(
        "unset_cleared_flag",
        &[("unset-cleared-flag", Warning, 31, 61)],
    );
    assert!(only(&r).message.contains("`agree`"));
    assert_eq!(only(&r).help.as_deref(), Some("did you mean `agreed`?"));
}

#[test]
fn cover_conditions_without_cover() {
    let r = expect(
        "no_cover",
        &[("no-cover", Warning, 29, 63), ("no-cover", Warning, 31, 31)],
    );
    assert!(
        r.diagnostics[0]
            .message
            .starts_with("`NotInCover` always holds")
    );
    assert!(
        r.diagnostics[1]
            .message
            .starts_with("`when: InCover` can never fire")
    );
}

#[test]
fn cover_around_the_subject_is_not_cover() {
    let r = expect(
        "cover_holds_subject",
        &[("cover-holds-subject", Warning, 12, 79)],
    );
    assert!(only(&r).message.starts_with("Ray sits inside this prop"));
}

// ---------------------------------------------------------------------------------------------
// Story graph
// ---------------------------------------------------------------------------------------------

#[test]
fn unreachable_scene() {
    expect(
        "unreachable_scene",
        &[("unreachable-scene", Warning, 35, 17)],
    );
}

#[test]
fn unreachable_ending() {
    expect(
        "unreachable_ending",
        &[("unreachable-ending", Warning, 37, 14)],
    );
}

#[test]
fn dead_end() {
    let r = expect(
        "dead_end",
        &[
            ("dead-end", Error, 21, 17),
            ("dead-end", Error, 28, 17),
            ("unreachable-ending", Warning, 36, 14),
        ],
    );
    assert!(r.diagnostics[0].message.contains("`start`"));
}

#[test]
fn no_exits() {
    let r = expect("no_exits", &[("no-exits", Error, 29, 17)]);
    assert!(only(&r).message.contains("`stuck`"));
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

#[test]
fn baseline_out_of_range() {
    let r = expect("baseline_out_of_range", &[("out-of-range", Error, 13, 29)]);
    assert_eq!(
        only(&r).message,
        "baseline_agitation must be between 0 and 100, found 120"
    );
}

#[test]
fn threshold_out_of_range() {
    let r = expect("threshold_out_of_range", &[("out-of-range", Error, 23, 46)]);
    assert_eq!(&r.source[only(&r).span.clone()], "150.0");
}

#[test]
fn condition_out_of_range() {
    expect("condition_out_of_range", &[("out-of-range", Error, 31, 74)]);
}

#[test]
fn negative_distance() {
    expect("negative_distance", &[("out-of-range", Error, 23, 42)]);
}

#[test]
fn negative_reactionary_gap() {
    expect(
        "negative_reactionary_gap",
        &[("out-of-range", Error, 16, 26)],
    );
}

#[test]
fn ideal_band_inside_personal_space() {
    expect(
        "band_inside_space",
        &[("band-inside-space", Warning, 39, 31)],
    );
}

#[test]
fn ideal_distance_inverted() {
    let r = expect(
        "ideal_distance_inverted",
        &[("inverted-range", Error, 35, 31)],
    );
    assert_eq!(&r.source[only(&r).span.clone()], "(7.0, 3.0)");
}

#[test]
fn non_finite() {
    let r = expect("non_finite", &[("non-finite", Error, 12, 20)]);
    assert!(only(&r).message.contains("inf"));
}

#[test]
fn expected_minutes_zero() {
    expect("expected_minutes_zero", &[("out-of-range", Error, 7, 23)]);
}

#[test]
fn time_limit_short() {
    expect("time_limit_short", &[("time-limit", Warning, 8, 25)]);
}

#[test]
fn weights_zero() {
    expect("weights_zero", &[("no-weights", Error, 35, 15)]);
}

#[test]
fn weights_negative() {
    expect("weights_negative", &[("out-of-range", Error, 35, 46)]);
}

#[test]
fn settle_out_of_range() {
    expect("settle_out_of_range", &[("out-of-range", Error, 17, 31)]);
}

#[test]
fn sensitivity_negative() {
    expect("sensitivity_negative", &[("out-of-range", Error, 17, 31)]);
}

#[test]
fn option_delta_out_of_range() {
    expect(
        "option_delta_out_of_range",
        &[("out-of-range", Error, 31, 63)],
    );
}

#[test]
fn colour_out_of_range() {
    let r = expect("colour_out_of_range", &[("out-of-range", Error, 12, 76)]);
    assert!(only(&r).message.starts_with("prop colour red"));
}

#[test]
fn prop_size() {
    let r = expect("prop_size", &[("out-of-range", Error, 12, 59)]);
    assert!(only(&r).message.starts_with("prop height"));
}

// ---------------------------------------------------------------------------------------------
// Text, assets, completeness
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_scenario_id() {
    expect("empty_scenario_id", &[("empty-text", Error, 3, 9)]);
}

#[test]
fn empty_title() {
    expect("empty_title", &[("empty-text", Error, 4, 12)]);
}

#[test]
fn empty_briefing() {
    expect("empty_briefing", &[("empty-text", Error, 5, 15)]);
}

#[test]
fn no_lines() {
    let r = expect("no_lines", &[("empty-text", Error, 29, 20)]);
    assert!(only(&r).message.contains("`calm_down` has no lines"));
}

#[test]
fn empty_line() {
    expect("empty_line", &[("empty-text", Error, 22, 33)]);
}

#[test]
fn empty_option_text() {
    expect("empty_option_text", &[("empty-text", Error, 31, 38)]);
}

#[test]
fn empty_ending_summary() {
    expect("empty_ending_summary", &[("empty-text", Error, 37, 73)]);
}

#[test]
fn asset_absolute() {
    expect("asset_absolute", &[("asset-path", Error, 9, 77)]);
}

#[test]
fn asset_escapes() {
    let r = expect("asset_escapes", &[("asset-path", Error, 9, 82)]);
    assert!(only(&r).message.contains("outside the assets/ folder"));
}

#[test]
fn asset_extension() {
    expect("asset_extension", &[("asset-extension", Warning, 9, 77)]);
}

#[test]
fn few_endings() {
    expect("few_endings", &[("few-endings", Warning, 35, 5)]);
}

#[test]
fn no_objectives() {
    expect("no_objectives", &[("no-objectives", Warning, 6, 5)]);
}

// ---------------------------------------------------------------------------------------------
// Loading errors (from ron)
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_field_lists_expected_fields() {
    let r = expect("unknown_field", &[("unknown-field", Error, 4, 5)]);
    let d = only(&r);
    assert_eq!(d.message, "unknown field `titel` in the scenario");
    let help = d.help.as_deref().unwrap();
    assert!(help.starts_with("did you mean `title`?"), "{help}");
    assert!(
        help.contains("`briefing`") && help.contains("`injects`"),
        "{help}"
    );
}

#[test]
fn missing_field_points_at_the_struct() {
    let r = expect("missing_field", &[("missing-field", Error, 10, 5)]);
    assert_eq!(
        only(&r).message,
        "missing field `baseline_trust` in the subject"
    );
    assert_eq!(
        only(&r).label.as_deref(),
        Some("the subject needs a `baseline_trust` field")
    );
    assert_eq!(&r.source[only(&r).span.clone()], "subject");
}

#[test]
fn unknown_variant_lists_expected_variants() {
    let r = expect("unknown_variant", &[("unknown-variant", Error, 9, 26)]);
    let help = only(&r).help.as_deref().unwrap();
    assert!(help.starts_with("did you mean `Street`?"), "{help}");
    assert!(help.contains("`ParkingLot`"), "{help}");
}

#[test]
fn wrong_type() {
    let r = expect("wrong_type", &[("wrong-type", Error, 7, 23)]);
    assert_eq!(only(&r).message, "expected a number, found `\"5\"`");
}

#[test]
fn unquoted_string() {
    let r = expect("unquoted_string", &[("wrong-type", Error, 24, 64)]);
    assert_eq!(
        only(&r).help.as_deref(),
        Some("write it in double quotes: \"calm_down\"")
    );
}

#[test]
fn missing_comma() {
    expect("missing_comma", &[("syntax", Error, 5, 5)]);
}

#[test]
fn duplicate_field() {
    expect("duplicate_field", &[("duplicate-field", Error, 5, 5)]);
}

#[test]
fn extra_bracket() {
    expect("extra_bracket", &[("syntax", Error, 40, 1)]);
}

#[test]
fn missing_closing_bracket_is_suggested() {
    let r = expect("missing_bracket", &[("unknown-field", Error, 13, 9)]);
    let help = only(&r).help.as_deref().unwrap();
    assert!(
        help.starts_with("is a closing `)` missing before it?"),
        "{help}"
    );
}

#[test]
fn missing_list_end_is_suggested() {
    let r = expect("missing_list_end", &[("wrong-type", Error, 23, 13)]);
    assert_eq!(
        only(&r).help.as_deref(),
        Some("`options:` looks like the next field: is a closing `]` or `)` missing before it?")
    );
}

#[test]
fn choice_in_quotes() {
    let r = expect("enum_in_quotes", &[("wrong-type", Error, 24, 58)]);
    assert_eq!(
        only(&r).message,
        "expected a name without quotes, found `\"calm_down\"`"
    );
}

#[test]
fn tuple_for_struct() {
    let r = expect("tuple_for_struct", &[("syntax", Error, 9, 50)]);
    assert_eq!(only(&r).message, "expected a field name, found `0.0`");
}

#[test]
fn too_many_values() {
    let r = expect("too_many_values", &[("syntax", Error, 24, 77)]);
    assert_eq!(only(&r).message, "expected `)` before `\"talk\"`");
}

#[test]
fn bad_escape_points_at_the_backslash() {
    let r = expect("bad_escape", &[("syntax", Error, 5, 50)]);
    assert_eq!(&r.source[only(&r).span.clone()], "\\q");
}

#[test]
fn garbage_is_not_a_scenario() {
    let r = expect("garbage", &[("syntax", Error, 1, 1)]);
    assert!(only(&r).message.starts_with("this is not a scenario file"));
}

#[test]
fn truncated_file_ends_unexpectedly_at_the_end() {
    let r = expect("truncated", &[("unexpected-eof", Error, 14, 30)]);
    let d = only(&r);
    assert_eq!(d.message, "the file ends unexpectedly");
    assert_eq!(d.span.start, r.source.trim_end().len());
    assert!(d.help.as_deref().unwrap().contains("`(` at 10:14"));
}

#[test]
fn empty_file() {
    let r = expect("empty", &[("empty-file", Error, 1, 1)]);
    assert!(r.scenario.is_none());
    // Whitespace and comments only is just as empty.
    let r = check_source("x.ron", "  // nothing here\n/* or here */\n\n");
    assert_eq!(only(&r).code, "empty-file");
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs: one clear error each, never a panic
// ---------------------------------------------------------------------------------------------

#[test]
fn ten_megabyte_file() {
    let mut big = fixture_text("minimal_ok").into_bytes();
    big.extend(std::iter::repeat_n(b'/', 2));
    big.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    assert!(big.len() > MAX_FILE_BYTES);
    let path = temp_file("big.ron", &big);
    let r = check_file(&path);
    let d = only(&r);
    assert_eq!((d.code, d.line, d.col), ("file-too-large", 1, 1));
    assert!(d.message.contains("10.0 MiB"), "{}", d.message);
    assert!(
        r.render(false)
            .starts_with(&format!("{}:1:1: error[file-too-large]", path.display()))
    );

    assert_eq!(only(&check_bytes("big.ron", &big)).code, "file-too-large");
    let text = String::from_utf8(big).unwrap();
    let r = check_source("big.ron", &text);
    assert_eq!(only(&r).code, "file-too-large");
    assert!(parse_scenario_str(&text).is_err());
}

#[test]
fn ten_thousand_deep_nesting() {
    for text in [
        "(".repeat(10_000),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        format!("(\n    objectives: {}", "[".repeat(10_000)),
    ] {
        let r = check_source("deep.ron", &text);
        let d = only(&r);
        assert_eq!(d.code, "too-deep");
        assert!(d.message.contains(&MAX_NESTING.to_string()));
        let expected_col = if text.starts_with("(\n") {
            (2, 17 + MAX_NESTING - 1)
        } else {
            (1, MAX_NESTING + 1)
        };
        assert_eq!((d.line, d.col), expected_col, "{}", r.render(false));
        assert_rendered(&r, d);
        assert!(parse_scenario_str(&text).is_err());
    }
}

#[test]
fn brackets_in_strings_and_comments_do_not_count_as_nesting() {
    let deep = "(".repeat(100);
    let text = fixture_text("minimal_ok")
        .replace(
            "briefing: \"A man is shouting outside a shop.\"",
            &format!("briefing: \"{deep}\" /* {deep} */"),
        )
        .replace("// The smallest", &format!("// {deep}"));
    let r = check_source("x.ron", &text);
    assert!(r.diagnostics.is_empty(), "{}", r.render(false));
}

#[test]
fn non_utf8_bytes() {
    let mut bytes = b"(\n    id: \"caf".to_vec();
    bytes.push(0xE9); // Latin-1 e-acute
    bytes.extend_from_slice(b"\",\n)\n");
    let path = temp_file("latin1.ron", &bytes);
    let r = check_file(&path);
    let d = only(&r);
    assert_eq!((d.code, d.line, d.col), ("not-utf8", 2, 13));
    assert!(d.message.contains("0xE9"), "{}", d.message);
    assert_rendered(&r, d);
}

#[test]
fn unreadable_paths() {
    let r = check_file(Path::new("tests/fixtures/check/no_such_file.ron"));
    let d = only(&r);
    assert_eq!((d.code, d.line, d.col), ("io", 1, 1));
    assert!(d.message.starts_with("cannot read the file"));
    assert!(r.render(false).contains("no_such_file.ron:1:1: error[io]"));

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    assert_eq!(only(&check_file(&dir)).code, "io");
}

#[test]
fn every_truncation_gives_one_clear_error() {
    let lf = fixture_text("minimal_ok");
    for text in [lf.clone(), lf.replace('\n', "\r\n")] {
        let last = text.trim_end().len() - 1; // the final `)`
        for cut in (0..last).filter(|&c| text.is_char_boundary(c)) {
            let part = &text[..cut];
            let r = check_source("cut.ron", part);
            let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
            let expected = if !part.contains('(') && part != "/" {
                "empty-file" // only (part of) the leading comment
            } else {
                "unexpected-eof"
            };
            assert_eq!(codes, [expected], "cut at {cut}:\n{}", r.render(false));
            if expected == "unexpected-eof" {
                // At the end of the text, after the last thing in it.
                assert_eq!(r.diagnostics[0].span.start, part.trim_end().len());
            }
            let _ = r.render(true);
        }
    }
}

#[test]
fn deleting_any_character_never_panics() {
    // Every character of the minimal file, and every 5th of the rich one (debug builds are slow).
    for (name, stride) in [("minimal_ok", 1), ("rich_ok", 5)] {
        let text = fixture_text(name);
        for (i, c) in text.char_indices().step_by(stride) {
            let mutated = format!("{}{}", &text[..i], &text[i + c.len_utf8()..]);
            let r = check_source("mutated.ron", &mutated);
            for d in &r.diagnostics {
                assert!(d.span.end <= mutated.len());
                assert!(d.line >= 1 && d.col >= 1);
            }
            let _ = r.render(false);
        }
    }
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let text = fixture_text("minimal_ok");
    let with_bom = format!("\u{feff}{text}");
    assert!(check_source("bom.ron", &with_bom).diagnostics.is_empty());
    let crlf = text.replace('\n', "\r\n");
    assert!(check_source("crlf.ron", &crlf).diagnostics.is_empty());

    // Positions stay right: a ron error and a semantic error, with a BOM and CRLF.
    let bad = fixture_text("unknown_field").replace('\n', "\r\n");
    let r = check_source("bad.ron", &format!("\u{feff}{bad}"));
    assert_eq!(
        (only(&r).code, only(&r).line, only(&r).col),
        ("unknown-field", 4, 5)
    );
    let bad = fixture_text("unknown_next_scene").replace('\n', "\r\n");
    let r = check_source("bad.ron", &format!("\u{feff}{bad}"));
    assert_eq!(
        (only(&r).code, only(&r).line, only(&r).col),
        ("unknown-scene", 24, 64)
    );
    assert_rendered(&r, only(&r));
}

// ---------------------------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------------------------

#[test]
fn every_code_is_exercised_with_its_documented_severity() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let mut seen: Vec<(&str, Severity)> = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let report = check_file(&entry.unwrap().path());
        seen.extend(report.diagnostics.iter().map(|d| (d.code, d.severity)));
    }
    // Produced only by the runtime-generated inputs above.
    let runtime = ["io", "not-utf8", "file-too-large", "too-deep"];
    for (code, severity, _) in CODES {
        if runtime.contains(code) {
            continue;
        }
        assert!(
            seen.contains(&(*code, *severity)),
            "no fixture produces {code} as {severity}"
        );
    }
    for (code, severity) in seen {
        assert!(
            CODES.iter().any(|(c, s, _)| *c == code && *s == severity),
            "{code} ({severity}) is not documented in CODES"
        );
    }
}

#[test]
fn parse_scenario_str_refuses_errors_but_allows_warnings() {
    let s = parse_scenario_str(&fixture_text("minimal_ok")).expect("valid");
    assert_eq!(s.start_scene, "start");
    assert!(parse_scenario_str(&fixture_text("unreachable_scene")).is_ok());
    let err = parse_scenario_str(&fixture_text("dead_end")).unwrap_err();
    assert!(err.to_string().contains("error[dead-end]"), "{err}");
    let err = parse_scenario_str("nonsense").unwrap_err();
    assert!(err.report.has_errors());
    assert!(
        err.to_string().contains("scenario:1:1: error[syntax]"),
        "{err}"
    );
}

#[test]
fn load_scenario_returns_warnings_with_the_scenario() {
    let (s, report) = load_scenario(&fixture_path("unreachable_scene")).expect("loads");
    assert_eq!(s.scenes.len(), 3);
    assert_eq!((report.error_count(), report.warning_count()), (0, 1));
    let report = load_scenario(&fixture_path("no_exits")).unwrap_err();
    assert_eq!(report.error_count(), 1);
    assert!(
        report
            .summary()
            .ends_with("no_exits.ron: 1 error, 0 warnings")
    );
}

#[test]
fn diagnostics_serialize_to_json() {
    let report = check_file(&fixture_path("unknown_next_scene"));
    let json = serde_json::to_value(&report).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "unknown-scene");
    assert_eq!(d["line"], 24);
    assert_eq!(d["col"], 64);
    assert_eq!(d["help"], "did you mean `calm_down`?");
    let start = d["span"]["start"].as_u64().unwrap() as usize;
    assert_eq!(&report.source[start..start + 11], "\"calm_dwon\"");
    assert!(
        json["path"]
            .as_str()
            .unwrap()
            .ends_with("unknown_next_scene.ron")
    );
}

#[test]
fn colour_rendering_uses_ansi_and_plain_does_not() {
    let report = check_file(&fixture_path("unknown_next_scene"));
    assert!(report.render(true).contains("\x1b["));
    assert!(!report.render(false).contains('\x1b'));
}

#[test]
fn render_survives_out_of_range_spans() {
    let source = "é\nab";
    let d = Diagnostic::error("syntax", "x", 1..999, source);
    assert_eq!(d.span, 0..source.len());
    let mut wild = d.clone();
    (wild.span.start, wild.span.end) = (500, 400); // reversed and past the end
    let out = render("f.ron", source, &[wild], false);
    assert!(out.starts_with("f.ron:1:1: error[syntax]: x"));
    let _ = render("f.ron", "", &[Diagnostic::error("io", "x", 0..0, "")], true);
}

#[test]
fn trigger_targeting_its_own_scene() {
    expect("trigger_self_target", &[("self-target", Warning, 33, 64)]);
}

#[test]
fn option_recognising_an_indicator_the_subject_lacks() {
    expect(
        "recognises_unlisted",
        &[("unlisted-indicator", Warning, 24, 65)],
    );
}

// ---------------------------------------------------------------------------------------------
// Slips reported in the reference's words, each at the exact place
// ---------------------------------------------------------------------------------------------

/// The text under a diagnostic's span.
fn spanned<'r>(r: &'r CheckReport, d: &Diagnostic) -> &'r str {
    &r.source[d.span.clone()]
}

#[test]
fn a_unit_after_a_number() {
    let r = expect("number_unit", &[("number-unit", Error, 15, 29)]);
    assert_eq!(
        only(&r).message,
        "numbers take no units: write 2.0, not 2.0 m"
    );
    assert_eq!(spanned(&r, only(&r)), "m");
    // Written together, with a speed, or as a percentage.
    let text = fixture_text("minimal_ok")
        .replace("personal_space: 2.0,", "personal_space: 2.0m,")
        .replace("reactionary_gap: 1.5,", "reactionary_gap: 1.5 m/s,")
        .replace("baseline_trust: 20.0,", "baseline_trust: 20%,");
    let r = check_source("x.ron", &text);
    let got: Vec<(&str, &str)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code, spanned(&r, d)))
        .collect();
    assert_eq!(
        got,
        [
            ("number-unit", "%"),
            ("number-unit", "m"),
            ("number-unit", "m/s")
        ],
        "{}",
        r.render(false)
    );
    assert_eq!(
        r.diagnostics[2].message,
        "numbers take no units: write 1.5, not 1.5 m/s"
    );
}

#[test]
fn a_decimal_comma() {
    let r = expect("decimal_comma", &[("decimal-comma", Error, 16, 26)]);
    assert_eq!(only(&r).message, "decimal numbers use a point: 1.5");
    assert_eq!(spanned(&r, only(&r)), "1,5");
}

#[test]
fn an_unclosed_string_is_reported_at_the_quote_that_opened_it() {
    let r = expect("unclosed_string", &[("unclosed-string", Error, 22, 21)]);
    let d = only(&r);
    assert_eq!(spanned(&r, d), "\"");
    assert_eq!(
        d.message,
        "this text is never closed: the `\"` that ends it is missing"
    );
    assert_eq!(
        d.label.as_deref(),
        Some("the text that starts here runs on to line 24")
    );
    assert!(d.help.as_deref().unwrap().contains("`\"Go away.\"`"));
    // The quote left open earlier on a line: not "expected `,`" on the next, correct line.
    let r = expect(
        "unclosed_string_mid_line",
        &[("unclosed-string", Error, 25, 36)],
    );
    assert!(
        only(&r)
            .help
            .as_deref()
            .unwrap()
            .contains("`\"Can we talk?\"`")
    );
}

#[test]
fn when_takes_one_condition() {
    let r = expect("when_list", &[("when-list", Error, 23, 31)]);
    assert_eq!(only(&r).message, "`when` takes one condition, not a list");
    assert_eq!(
        spanned(&r, only(&r)),
        "[AgitationAbove(80.0), Flag(\"cornered\")]"
    );
    assert!(
        only(&r)
            .help
            .as_deref()
            .unwrap()
            .contains("`requires: [...]`")
    );
}

#[test]
fn an_option_is_an_option_not_a_choice() {
    let r = expect("response_for_reply", &[("unknown-field", Error, 24, 52)]);
    let d = only(&r);
    assert_eq!(d.message, "unknown field `response` in an option");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `reply`?"),
        "{:?}",
        d.help
    );
    assert!(!r.render(false).contains("Choice"));
}

#[test]
fn a_group_is_named_as_the_reference_names_it() {
    let m = fixture_text("minimal_ok");
    let start = m.find("    subject: (").unwrap();
    let end = start + m[start..].find("    ),\n").unwrap() + "    ),\n".len();
    let text = format!("{}    subject: \"Dave\",\n{}", &m[..start], &m[end..]);
    let r = check_source("x.ron", &text);
    let d = only(&r);
    assert_eq!((d.code, d.line, d.col), ("wrong-type", 10, 14));
    assert_eq!(
        d.message,
        "expected the subject in parentheses `(...)`, found `\"Dave\"`"
    );
}

#[test]
fn an_ending_that_names_a_scene() {
    let r = expect("ending_names_scene", &[("unknown-ending", Error, 24, 65)]);
    assert_eq!(
        only(&r).help.as_deref(),
        Some("`rifle_away` is a scene: write `Scene(\"rifle_away\")`")
    );
    let text = fixture_text("ending_names_scene").replace(
        "timeout_ending: \"timeout\"",
        "timeout_ending: \"rifle_away\"",
    );
    let r = check_source("x.ron", &text);
    assert_eq!(
        r.diagnostics[0].help.as_deref(),
        Some("`rifle_away` is a scene, not an ending"),
        "{}",
        r.render(false)
    );
}

#[test]
fn every_error_in_the_file_is_reported() {
    let r = expect(
        "many_errors",
        &[
            ("number-unit", Error, 15, 29),
            ("decimal-comma", Error, 16, 26),
            ("unclosed-string", Error, 22, 21),
            ("when-list", Error, 23, 31),
            ("unknown-variant", Error, 25, 60),
            ("unknown-field", Error, 25, 68),
            // Found only once the slips above are mended and the rest is read.
            ("unknown-scene", Error, 25, 107),
            ("unknown-variant", Error, 37, 31),
        ],
    );
    let messages: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages[4], "`Shout` is not a tone");
    assert_eq!(messages[7], "`Resolved` is not an outcome");
    let help = r.diagnostics[7].help.as_deref().unwrap();
    assert!(
        help.starts_with("did you mean `ResolvedVoluntarily`?"),
        "{help}"
    );
    // A file that only reads once mended does not load.
    assert!(r.scenario.is_none());
    assert!(load_scenario(&fixture_path("many_errors")).is_err());
    assert!(parse_scenario_str(&r.source).is_err());
}

// ---------------------------------------------------------------------------------------------
// Characters that do not belong in text
// ---------------------------------------------------------------------------------------------

#[test]
fn a_bidirectional_override_is_an_error() {
    let r = expect("bidi_control", &[("bidi-control", Error, 22, 25)]);
    assert_eq!(spanned(&r, only(&r)), "\u{202E}");
    assert!(only(&r).message.contains("U+202E (RIGHT-TO-LEFT OVERRIDE)"));
    // Shown as a stand-in, so the terminal does not reorder the line.
    assert!(!r.render(false).contains('\u{202E}'));
    // Escaped, in a comment, or in an id: found all the same.
    let text = fixture_text("minimal_ok")
        .replace("\"Fine.\"", "\"Fine.\\u{2066}\"")
        .replace("// The smallest", "// \u{202D}The smallest");
    let r = check_source("x.ron", &text);
    let got: Vec<(&str, usize, usize)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.col))
        .collect();
    assert_eq!(got, [("bidi-control", 1, 4), ("bidi-control", 29, 27)]);
    assert_eq!(spanned(&r, &r.diagnostics[1]), "\\u{2066}");
}

#[test]
fn a_control_character_is_a_warning() {
    let r = expect(
        "control_character",
        &[("control-character", Warning, 29, 27)],
    );
    assert_eq!(only(&r).message, "control character U+0007 in text");
    assert!(!r.render(false).contains('\u{7}'));
    assert!(r.scenario.is_some(), "a warning: the scenario still loads");
}

// ---------------------------------------------------------------------------------------------
// Design lints
// ---------------------------------------------------------------------------------------------

#[test]
fn a_time_limit_of_hours_is_an_error() {
    let r = expect("time_limit_hours", &[("time-limit-too-long", Error, 8, 25)]);
    assert_eq!(
        only(&r).message,
        "time_limit_minutes is 1000000: a run can last at most 120 minutes"
    );
}

#[test]
fn thresholds_that_can_never_be_crossed() {
    let r = expect(
        "impossible_threshold",
        &[
            ("impossible-threshold", Warning, 23, 46),
            ("impossible-threshold", Warning, 25, 74),
        ],
    );
    assert_eq!(
        r.diagnostics[0].message,
        "this trigger can never fire (`AgitationAbove(100.0)`): agitation never goes above 100"
    );
    assert_eq!(
        r.diagnostics[1].message,
        "this condition can never hold (`TrustBelow(0.0)`): trust never goes below 0"
    );
    // Jitter that can bring the threshold within reach keeps it possible.
    let text = fixture_text("impossible_threshold").replace(
        "goto: Ending(\"timeout\"))]",
        "goto: Ending(\"timeout\"), jitter: 5.0)]",
    );
    let codes: Vec<&str> = check_source("x.ron", &text)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["impossible-threshold"]);
}

#[test]
fn a_time_after_the_time_limit() {
    let r = expect("after_time_limit", &[("after-time-limit", Warning, 23, 46)]);
    assert!(only(&r).message.contains("1500 s"), "{}", only(&r).message);
    assert!(
        only(&r).message.contains("(1200 s)"),
        "{}",
        only(&r).message
    );
}

#[test]
fn triggers_always_beaten_by_another() {
    let r = expect(
        "shadowed_trigger",
        &[
            ("shadowed-trigger", Warning, 25, 24),
            ("shadowed-trigger", Warning, 41, 23),
        ],
    );
    assert_eq!(
        r.diagnostics[0].message,
        "this trigger never fires: the trigger `AgitationAbove(60.0)` at 24:24 always fires first"
    );
    assert!(
        r.diagnostics[1].message.contains(
            "in every scene one of the scene's own triggers (in `start`, `SilenceFor(20.0)` at 26:24)"
        ),
        "{}",
        r.diagnostics[1].message
    );
}

#[test]
fn a_scene_trigger_beyond_a_scenario_wide_threshold() {
    let r = expect("beaten_trigger", &[("beaten-trigger", Warning, 23, 31)]);
    assert_eq!(
        only(&r).message,
        "this trigger almost never fires: the scenario-wide trigger `AgitationAbove(90.0)` at 36:23 fires first as agitation changes on the way here"
    );
    // The other way round is fine: the scene's own trigger at 88 is checked and crossed first.
    let text =
        fixture_text("beaten_trigger").replace("AgitationAbove(92.0)", "AgitationAbove(88.0)");
    assert!(check_source("x.ron", &text).diagnostics.is_empty());
}

#[test]
fn an_indicator_only_an_inject_reveals() {
    let r = expect(
        "inject_only_indicator",
        &[("inject-only-indicator", Warning, 17, 22)],
    );
    assert!(only(&r).message.contains("flag `told_drunk`"));
    // A second way to recognise it, without the inject, is enough.
    let text = fixture_text("inject_only_indicator").replace(
        "(id: \"talk\", text: \"Can we talk?\",",
        "(id: \"talk\", text: \"Can we talk?\", recognises: [Intoxication],",
    );
    assert!(check_source("x.ron", &text).diagnostics.is_empty());
}

#[test]
fn a_good_ending_far_sooner_than_expected() {
    let r = expect("fast_ending", &[("fast-ending", Warning, 36, 14)]);
    assert_eq!(
        only(&r).message,
        // Two lines, timed as a person plays them: the second 12 s after the first.
        "ending `calm` can be reached in 0:12, under a third of expected_minutes (5 min)"
    );
    assert!(only(&r).help.as_deref().unwrap().contains("say talk calm"));
    // Only `check` runs the route finder: loading for use does not.
    let (_, report) = load_scenario(&fixture_path("fast_ending")).expect("loads");
    assert!(report.diagnostics.is_empty());
}

#[test]
fn slips_are_found_the_same_with_crlf_and_a_byte_order_mark() {
    let lf = check_file(&fixture_path("many_errors"));
    let text = format!(
        "\u{feff}{}",
        fixture_text("many_errors").replace('\n', "\r\n")
    );
    let r = check_source("crlf.ron", &text);
    let got = |r: &CheckReport| -> Vec<(&str, usize, usize)> {
        r.diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.col))
            .collect()
    };
    assert_eq!(got(&r), got(&lf), "{}", r.render(false));
}

#[test]
fn inserting_a_slip_anywhere_never_panics() {
    // Quotes, commas, brackets and units dropped into every few characters of a valid file:
    // whatever the scan and the mends make of it, positions stay inside the text.
    let text = fixture_text("rich_ok");
    let slips = ["\"", ",", "[", " m", "(", "\u{202e}", "\\"];
    let at: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
    for (n, &i) in at.iter().enumerate() {
        let slip = slips[n % slips.len()];
        let mutated = format!("{}{slip}{}", &text[..i], &text[i..]);
        let r = check_source("mutated.ron", &mutated);
        for d in &r.diagnostics {
            assert!(d.span.end <= mutated.len() && d.span.start <= d.span.end);
            assert!(mutated.is_char_boundary(d.span.start) && mutated.is_char_boundary(d.span.end));
        }
        let _ = r.render(false);
    }
}

#[test]
fn reading_goes_on_past_each_error_it_can_mend() {
    // An unknown field with no near miss (set aside), a field given twice (the second set
    // aside), a missing comma (put in), a word where text belongs (quoted), a number in
    // quotes: each reported, and the unknown scene after them all too.
    let text = fixture_text("minimal_ok")
        .replace(
            "    title: \"Test\",\n",
            "    title: \"Test\"\n    zebra: 3,\n    title: \"Again\",\n",
        )
        .replace("baseline_trust: 20.0,", "baseline_trust: \"20.0\",")
        .replace("name: \"Dave\",", "name: Dave,")
        .replace("next: Scene(\"calm_down\")", "next: Scene(\"calm_dwon\")");
    let r = check_source("x.ron", &text);
    let got: Vec<(&str, usize, usize)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.col))
        .collect();
    assert_eq!(
        got,
        [
            ("syntax", 5, 5),
            ("unknown-field", 5, 5),
            ("duplicate-field", 6, 5),
            ("wrong-type", 13, 15),
            ("wrong-type", 16, 25),
            ("unknown-scene", 26, 64),
        ],
        "{}",
        r.render(false)
    );
    assert_eq!(r.diagnostics[0].message, "expected `,` before `zebra`");
    assert!(r.scenario.is_none());
}

// ---------------------------------------------------------------------------------------------
// What the subject's body does, and whether the trainee can see them
// ---------------------------------------------------------------------------------------------

#[test]
fn acts_that_cannot_work_as_written() {
    let r = expect(
        "act_checks",
        &[
            ("out-of-range", Error, 24, 27),
            ("act-nothing-held", Warning, 26, 83),
            ("act-far", Warning, 26, 95),
            ("act-no-railing", Warning, 38, 98),
        ],
    );
    let far = &r.diagnostics[2];
    assert!(far.message.contains("walk 20.0 m"), "{}", far.message);
    assert!(
        r.diagnostics[3]
            .message
            .contains("nothing to climb back over")
    );
}

#[test]
fn a_misspelt_act_is_named_with_the_right_one() {
    let r = expect("act_unknown", &[("unknown-variant", Error, 30, 18)]);
    let d = only(&r);
    assert_eq!(d.message, "`PutDwn` is not an act");
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("did you mean `PutDown`?")
    );
}

#[test]
fn a_prop_hiding_the_subject_from_the_spawn_is_reported() {
    // The shelter straight across the line is reported; the lamp post off to the side is not.
    let r = expect("sight_blocked", &[("sight-blocked", Warning, 14, 13)]);
    let d = only(&r);
    assert!(
        d.message
            .starts_with("this `Wall` stands between the trainee's spawn and Dave")
    );
    assert!(d.message.contains("hides 6 of the 6 sight lines"));
}

// ---------------------------------------------------------------------------------------------
// Answers to asides
// ---------------------------------------------------------------------------------------------

#[test]
fn aside_answers_only_on_asides_and_from_someone_there() {
    let r = expect(
        "aside_answers",
        &[
            ("answer-not-aside", Error, 25, 52),
            ("answer-no-partner", Error, 31, 52),
            ("answer-by-unanswered", Warning, 32, 77),
        ],
    );
    let [not_aside, no_partner, unanswered] = &r.diagnostics[..] else {
        unreachable!("three diagnostics asserted above")
    };
    assert!(
        not_aside.message.contains("`talk`"),
        "{}",
        not_aside.message
    );
    assert!(
        not_aside.help.as_deref().unwrap().contains("aside: true"),
        "{not_aside:?}"
    );
    assert!(no_partner.message.contains("no `partner`"));
    assert!(
        no_partner
            .help
            .as_deref()
            .unwrap()
            .contains("answer_by: Radio")
    );
    assert!(unanswered.message.contains("`ask`"));
}
