//! The validator against corpora:
//! - `tests/invalid/*.json`: broken definitions, each with the exact set of
//!   (location, code) diagnostics `validate` must report. A file with
//!   `"requires": "jsonpath"` or `"requires": "intrinsics"` depends on that parser's
//!   syntax errors and is skipped (with a note) while the parser accepts everything;
//! - the recorded AWS conformance cases (`shared/conformance/cases.public.jsonl`, beside
//!   the repository): every definition there was accepted by AWS, so none may have an error;
//! - the benchmark workloads (`shared/bench/workloads/*.json`): likewise.

use asl::intrinsics::Intrinsic;
use asl::jsonpath::JsonPath;
use asl::validate::{has_errors, validate, validate_json, Diagnostic};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared_dir() -> PathBuf {
    manifest_dir().join("../../../shared")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

fn invalid_files() -> Vec<PathBuf> {
    let dir = manifest_dir().join("tests/invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// True when the parser a case `requires` reports syntax errors yet.
fn parser_ready(requires: &str) -> bool {
    match requires {
        "jsonpath" => JsonPath::parse("$.a[").is_err(),
        "intrinsics" => Intrinsic::parse("States.Format(").is_err(),
        other => panic!("unknown 'requires': {other}"),
    }
}

/// Each file's `expected` is exactly the set of (location, code) reported, warnings included.
#[test]
fn invalid_corpus_reports_exactly_the_expected_diagnostics() {
    let files = invalid_files();
    assert!(
        files.len() >= 45,
        "only {} invalid definitions",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let case = read_json(path);
        if let Some(requires) = case["requires"].as_str() {
            if !parser_ready(requires) {
                eprintln!(
                    "note: skipping {}: the {requires} parser accepts everything yet",
                    path.display()
                );
                continue;
            }
        }
        let definition = &case["definition"];
        let expected: BTreeSet<(String, String)> = case["expected"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: 'expected' must be an array", path.display()))
            .iter()
            .map(|e| {
                (
                    e["location"].as_str().expect("location").to_string(),
                    e["code"].as_str().expect("code").to_string(),
                )
            })
            .collect();
        assert!(!expected.is_empty(), "{}: nothing expected", path.display());
        let diagnostics = validate(definition);
        let actual: BTreeSet<(String, String)> = diagnostics
            .iter()
            .map(|d| (d.location.clone(), d.code.clone()))
            .collect();
        if actual != expected {
            failures.push(format!(
                "{}:\n  expected {:?}\n  actual   {:?}\n  messages {:#?}",
                path.file_name().unwrap_or_default().to_string_lossy(),
                expected,
                actual,
                diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ));
        }
        // The text route reports the same (no duplicate keys in these files).
        let from_text = validate_json(&definition.to_string());
        assert_eq!(
            from_text,
            diagnostics,
            "{}: validate_json differs",
            path.display()
        );
        // Every message says something.
        assert!(diagnostics.iter().all(|d| !d.message.is_empty()));
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every rule family has at least one broken definition.
#[test]
fn invalid_corpus_covers_every_code() {
    let mut codes = BTreeSet::new();
    for path in invalid_files() {
        for e in read_json(&path)["expected"]
            .as_array()
            .into_iter()
            .flatten()
        {
            codes.insert(e["code"].as_str().unwrap_or_default().to_string());
        }
    }
    for code in [
        "SCHEMA_VALIDATION_FAILED",
        "MISSING_TRANSITION_TARGET",
        "MISSING_END_STATE",
        "DUPLICATE_STATE_NAME",
        "INVALID_STATE_NAME",
        "INVALID_RESOURCE",
        "INVALID_LABEL_NAME",
        "INVALID_JSON_DESCRIPTION",
        "MISSING_DESCRIPTION",
        "TOO_DEEPLY_NESTED",
        "INVALID_JSONATA_EXPRESSION",
    ] {
        assert!(codes.contains(code), "no invalid definition reports {code}");
    }
}

/// Every definition AWS ran in the conformance corpus validates without error.
#[test]
fn conformance_definitions_are_valid() {
    let path = shared_dir().join("conformance/cases.public.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("note: {} is absent; skipping", path.display());
        return;
    };
    let mut count = 0;
    let mut failures = Vec::new();
    for (line_no, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", line_no + 1));
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let diagnostics = validate(&case["definition"]);
        if has_errors(&diagnostics) {
            failures.push(format!("{id}: {:#?}", errors(&diagnostics)));
        }
        count += 1;
    }
    assert_eq!(count, 442, "the public conformance corpus has 442 cases");
    assert!(
        failures.is_empty(),
        "{} of {count} rejected:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The benchmark workloads' definitions validate without error.
#[test]
fn bench_workloads_are_valid() {
    let dir = shared_dir().join("bench/workloads");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} is absent; skipping", dir.display());
        return;
    };
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let workload = read_json(&path);
        let diagnostics = validate(&workload["definition"]);
        assert!(
            !has_errors(&diagnostics),
            "{}: {:#?}",
            path.display(),
            errors(&diagnostics)
        );
        count += 1;
    }
    assert!(count > 0, "no workload in {}", dir.display());
}
