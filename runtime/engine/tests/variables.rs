//! Workflow variables (`Assign`): evaluation order, scopes, Catch, limits and the
//! `assignedVariables` history detail.

mod common;

use common::*;
use engine::Status;
use serde_json::{json, Value};

fn exited_assignments(h: &Harness, state: &str) -> Option<Value> {
    h.history
        .iter()
        .filter(|e| e.event_type.as_str().ends_with("StateExited"))
        .filter_map(|e| e.details.as_ref())
        .find(|d| d["name"] == state)
        .map(|d| d["assignedVariables"].clone())
}

#[test]
fn assign_reads_the_result_and_later_states_read_the_variable() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"x": 7}, "Assign": {"seven.$": "$.x", "lit": "v"}, "ResultPath": null, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"s.$": "$seven", "l.$": "$lit", "in.$": "$"}, "End": true}}});
    let (h, _) = Harness::start(def, json!({"k": 1}));
    assert_eq!(h.exec.status, Status::Succeeded);
    assert_eq!(
        h.exec.output,
        Some(json!({"s": 7, "l": "v", "in": {"k": 1}}))
    );
    assert_eq!(
        exited_assignments(&h, "A"),
        Some(json!({"seven": "7", "lit": "\"v\""}))
    );
}

#[test]
fn a_state_sees_variables_as_they_were_before_its_own_assign() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "B"},
        "B": {"Type": "Pass", "Assign": {"n": 2, "old.$": "$n"}, "OutputPath": "$n", "Next": "C"},
        "C": {"Type": "Pass", "Parameters": {"n.$": "$n", "old.$": "$old"}, "End": true}}});
    let (h, _) = Harness::start(def, json!({}));
    assert_eq!(h.exec.output, Some(json!({"n": 2, "old": 1})));
}

#[test]
fn map_iterations_read_outer_variables_but_do_not_write_them_back() {
    let def = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"x": "outer"}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "I", "States": {
            "I": {"Type": "Pass", "Assign": {"x": "inner"}, "Next": "J"},
            "J": {"Type": "Pass", "Parameters": {"seen.$": "$x"}, "End": true}}},
            "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"x.$": "$x", "map.$": "$"}, "End": true}}});
    let (h, _) = Harness::start(def, json!({"items": [1, 2]}));
    assert_eq!(
        h.exec.output,
        Some(json!({"x": "outer", "map": [{"seen": "inner"}, {"seen": "inner"}]}))
    );
}

#[test]
fn catch_assign_reads_the_error_output() {
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "why"}}}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err.$": "$.Error"}, "ResultPath": null, "Next": "Done"}],
              "End": true},
        "Done": {"Type": "Pass", "Parameters": {"err.$": "$err"}, "End": true}}});
    let (h, _) = Harness::start(def, json!({}));
    assert_eq!(h.exec.output, Some(json!({"err": "E"})));
}

#[test]
fn choice_uses_the_matched_rules_assign_or_the_states_with_default() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Assign": {"v": "rule"}, "Next": "D"}],
              "Default": "D", "Assign": {"v": "default"}},
        "D": {"Type": "Pass", "Parameters": {"v.$": "$v"}, "End": true}}});
    let (h, _) = Harness::start(def.clone(), json!({"n": 1}));
    assert_eq!(h.exec.output, Some(json!({"v": "rule"})));
    let (h, _) = Harness::start(def, json!({"n": 2}));
    assert_eq!(h.exec.output, Some(json!({"v": "default"})));
}

#[test]
fn jsonata_assign_and_output_see_the_same_old_values() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "B"},
        "B": {"Type": "Pass", "Assign": {"n": "{% $n + 1 %}"}, "Output": {"before": "{% $n %}"}, "Next": "C"},
        "C": {"Type": "Pass", "Output": {"after": "{% $n %}", "in": "{% $states.input %}"}, "End": true}}});
    let (h, _) = Harness::start(def, json!({}));
    assert_eq!(
        h.exec.output,
        Some(json!({"after": 2, "in": {"before": 1}}))
    );
}

#[test]
fn a_variable_over_256_kib_fails_the_execution() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"big.$": "States.Array($.half, $.half)"}, "End": true}}});
    // The input (130 KiB) is within the payload limit; the variable (260 KiB) is not.
    let (h, _) = Harness::start(def, json!({"half": "x".repeat(130 * 1024)}));
    assert_eq!(h.exec.status, Status::Failed);
    assert_eq!(h.exec.error.as_deref(), Some("States.Runtime"));
    assert!(h
        .exec
        .cause
        .as_deref()
        .unwrap_or_default()
        .contains("'big'"));
}

#[test]
fn variables_survive_serialization_mid_execution() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"token": "abc"}, "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 5, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"t.$": "$token"}, "End": true}}});
    let (mut h, _) = Harness::start(def, json!({}));
    let text = serde_json::to_string(&h.exec).expect("serializes");
    h.exec = serde_json::from_str(&text).expect("deserializes");
    h.feed_at(at(5), engine::Event::TimerFired { timer: 1 });
    assert_eq!(h.exec.output, Some(json!({"t": "abc"})));
}

#[test]
fn jsonata_succeed_and_wait_apply_their_output() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Output": {"waited": "{% $states.input.delay %}"}, "Next": "S"},
        "S": {"Type": "Succeed", "Output": {"done": "{% $states.input.waited * 2 %}"}}}});
    let (mut h, step) = Harness::start(def, json!({"delay": 3}));
    assert_eq!(
        step.effects,
        vec![engine::Effect::StartTimer { id: 1, due: at(3) }]
    );
    h.feed_at(at(3), engine::Event::TimerFired { timer: 1 });
    assert_eq!(h.exec.output, Some(json!({"done": 6})));
}
