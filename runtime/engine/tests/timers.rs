//! Wait states: the StartTimer due time for Seconds/SecondsPath and
//! Timestamp/TimestampPath, and the output passed on once the timer fires.

mod common;

use common::*;
use engine::{Effect, Event, Status, Step};
use serde_json::{json, Value};

fn wait(spec: Value) -> Value {
    let mut state = json!({"Type": "Wait", "End": true});
    for (k, v) in spec.as_object().unwrap() {
        state[k] = v.clone();
    }
    json!({"StartAt": "W", "States": {"W": state}})
}

/// The due time of the step's only effect, a StartTimer with id 1.
fn due(step: &Step) -> chrono::DateTime<chrono::Utc> {
    match step.effects[..] {
        [Effect::StartTimer { id: 1, due }] => due,
        _ => panic!("one StartTimer expected: {:?}", step.effects),
    }
}

#[test]
fn wait_seconds_starts_a_timer_and_passes_its_input_once_it_fires() {
    let input = json!({"a": [1, 2]});
    let (mut h, step) = Harness::start(wait(json!({"Seconds": 90})), input.clone());
    assert_eq!(
        step.effects,
        vec![Effect::StartTimer { id: 1, due: at(90) }]
    );
    assert_eq!(h.types(), ["ExecutionStarted", "WaitStateEntered"]);
    assert_eq!(h.exec.pending_timers(), 1);

    let step = h.feed_at(at(90), Event::TimerFired { timer: 1 });
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        types(&step.events),
        ["WaitStateExited", "ExecutionSucceeded"]
    );
    assert_eq!(links(&step.events), [(3, 2), (4, 3)]);
    assert!(step.events.iter().all(|e| e.timestamp == at(90)));
    let exited = step.events[0].details.as_ref().unwrap();
    assert_eq!(exited["name"], json!("W"));
    assert_eq!(
        serde_json::from_str::<Value>(exited["output"].as_str().unwrap()).unwrap(),
        input
    );
    assert_eq!(h.exec.output, Some(input));
    assert_eq!(h.exec.stop_time, Some(at(90)));
}

#[test]
fn wait_applies_input_path_and_output_path() {
    let def = wait(json!({"Seconds": 1, "InputPath": "$.inner", "OutputPath": "$.keep"}));
    let (mut h, _) = Harness::start(def, json!({"inner": {"keep": "yes", "drop": 1}}));
    h.feed_at(at(1), Event::TimerFired { timer: 1 });
    assert_eq!(h.exec.output, Some(json!("yes")));
}

#[test]
fn wait_seconds_counts_from_when_the_state_is_entered() {
    let def = json!({
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 10, "Next": "U"},
            "U": {
                "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"entered.$": "$$.State.EnteredTime"}, "End": true
            }
        }
    });
    let (mut h, _) = Harness::start(def, json!({}));
    h.now = at_ms(5_500);
    let step = h.succeed(1, json!({}));
    assert_eq!(
        step.effects,
        vec![Effect::StartTimer {
            id: 2,
            due: at_ms(15_500)
        }]
    );
    let step = h.feed_at(at_ms(15_500), Event::TimerFired { timer: 2 });
    assert_eq!(
        only_task(&step).input,
        json!({"entered": "2024-01-01T00:00:15.500Z"})
    );
}

#[test]
fn wait_seconds_path_reads_the_effective_input() {
    let (_, step) = Harness::start(wait(json!({"SecondsPath": "$.delay"})), json!({"delay": 7}));
    assert_eq!(due(&step), at(7));
}

#[test]
fn wait_timestamp_is_due_at_that_instant() {
    let (_, step) = Harness::start(
        wait(json!({"Timestamp": "2024-01-01T01:30:00Z"})),
        json!({}),
    );
    assert_eq!(due(&step), at(5400));
    let (_, step) = Harness::start(
        wait(json!({"Timestamp": "2024-01-01T00:00:01.250Z"})),
        json!({}),
    );
    assert_eq!(due(&step), at_ms(1250));
}

#[test]
fn wait_timestamp_in_the_past_is_due_now() {
    let (mut h, step) =
        Harness::start(wait(json!({"Timestamp": "2023-12-31T00:00:00Z"})), json!(1));
    assert_eq!(due(&step), t0());
    let step = h.feed(Event::TimerFired { timer: 1 });
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
}

#[test]
fn wait_timestamp_path_honours_the_offset() {
    let def = wait(json!({"TimestampPath": "$.until"}));
    let (_, step) = Harness::start(def, json!({"until": "2024-01-02T00:00:00+02:00"}));
    assert_eq!(due(&step), at(22 * 3600));
}

#[test]
fn a_bad_timestamp_path_fails_with_states_runtime() {
    let def = wait(json!({"TimestampPath": "$.until"}));
    let (h, step) = Harness::start(def, json!({"until": "tomorrow"}));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(h.exec.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        h.exec.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'W' (entered at the event id #2). \
             The TimestampPath parameter does not reference a valid ISO-8601 extended offset \
             date-time format string: $.until == tomorrow"
        )
    );
}

#[test]
fn wait_timestamp_with_milliseconds_is_not_early() {
    let def = json!({"StartAt": "W", "States": {"W": {"Type": "Wait",
        "Timestamp": "2024-01-01T00:00:01.001Z", "End": true}}});
    let (_, step) = Harness::start(def, json!({}));
    assert_eq!(
        step.effects,
        vec![Effect::StartTimer {
            id: 1,
            due: at_ms(1001)
        }]
    );
}
