//! Runs every case of ../shared/conformance/cases.public.jsonl in-process (virtual
//! time) with run.py's matching rules, prints `conformance: P passed, F failed`,
//! writes the failing ids and reasons to target/conformance-failures.txt, and fails
//! when P drops below the floor in tests/conformance-floor.txt.

mod support;

use asl::model::StateMachine;
use chrono::{TimeZone, Utc};
use engine::runner::{self, NoTasks, VirtualClock};
use engine::{EngineConfig, ExecutionInfo};
use serde_json::{json, Value};
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = manifest.join("../../../shared/conformance/cases.public.jsonl");
    path.exists().then_some(path)
}

/// Runs one case and returns DescribeExecution's fields.
fn run_case(case: &Value, seed: u64) -> Value {
    let machine = match StateMachine::from_value(case["definition"].clone()) {
        Ok(m) => m,
        Err(e) => {
            return json!({"status": "CREATE_FAILED", "error": "InvalidDefinition", "cause": e.to_string()})
        }
    };
    let express = case["recorded_as"]
        .as_str()
        .unwrap_or("STANDARD")
        .starts_with("EXPRESS");
    let name = format!("conf-{seed}");
    let execution_arn = if express {
        format!("arn:aws:states:us-east-1:123456789012:express:conformance:{name}:{seed:08x}-0000-4000-8000-000000000000")
    } else {
        format!("arn:aws:states:us-east-1:123456789012:execution:conformance:{name}")
    };
    let start = Utc
        .with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
        .single()
        .unwrap_or_else(Utc::now);
    let info = ExecutionInfo {
        execution_arn,
        name,
        state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:conformance".into(),
        state_machine_name: "conformance".into(),
        role_arn: "arn:aws:iam::123456789012:role/test".into(),
        start_time: start,
        input: case["input"].clone(),
        redrive_count: 0,
        express,
    };
    let config = EngineConfig {
        record_history: !express,
        ..EngineConfig::default()
    };
    let mut clock = VirtualClock::new(start);
    let finished = runner::run(&machine, info, config, seed, &mut clock, &mut NoTasks);
    finished.execution.describe()
}

#[test]
fn conformance_corpus() {
    let Some(path) = corpus() else {
        println!(
            "conformance: corpus not found beside the repository (../shared/conformance); skipped"
        );
        return;
    };
    let text = std::fs::read_to_string(&path).expect("corpus readable");
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut report = String::new();
    for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let case: Value = serde_json::from_str(line).expect("corpus line is JSON");
        let actual = run_case(&case, i as u64 + 1);
        match support::matcher::compare(&case, &actual) {
            Ok(()) => passed += 1,
            Err(why) => {
                failed += 1;
                report.push_str(&format!(
                    "{}\n    {}\n",
                    case["id"].as_str().unwrap_or("?"),
                    why
                ));
            }
        }
    }
    let target =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/conformance-failures.txt");
    let _ = std::fs::write(&target, &report);
    if std::env::var_os("CONFORMANCE_VERBOSE").is_some() {
        print!("{report}");
    }
    println!("conformance: {passed} passed, {failed} failed");
    let floor: usize = include_str!("conformance-floor.txt")
        .trim()
        .parse()
        .expect("floor is a number");
    assert!(
        passed >= floor,
        "conformance fell below its floor: {passed} < {floor}; failures in target/conformance-failures.txt"
    );
}
