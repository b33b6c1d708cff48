//! Tasks whose Resource is a Lambda function ARN used directly: recorded as
//! `LambdaFunction*` events, as AWS records them (LambdaFunctionScheduled with
//! the function's ARN, LambdaFunctionStarted with no details,
//! LambdaFunctionSucceeded/Failed/TimedOut), with Retry, Catch and timeouts
//! unchanged. `arn:aws:states:::lambda:invoke` stays `Task*`.

mod common;

use common::*;
use engine::{Effect, Event, Status};
use serde_json::{json, Value};

const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:charge:prod";

fn charge(extra: Value) -> Value {
    let mut state = json!({"Type": "Task", "Resource": FUNCTION, "End": true});
    state
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({"StartAt": "Charge", "States": {"Charge": state}})
}

/// The JSON of every event of `event_type` so far.
fn events(h: &Harness, event_type: &str) -> Vec<Value> {
    h.history_json()
        .into_iter()
        .filter(|e| e["type"] == json!(event_type))
        .collect()
}

/// The details member of the first event of `event_type`.
fn details(h: &Harness, event_type: &str) -> Value {
    let event = events(h, event_type)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {event_type} in {:?}", h.types()));
    let mut field = event_type[..1].to_lowercase();
    field.push_str(&event_type[1..]);
    event[format!("{field}EventDetails")].clone()
}

/// The first StartTimer of a step.
fn first_timer(step: &engine::Step) -> u64 {
    step.effects
        .iter()
        .find_map(|e| match e {
            Effect::StartTimer { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a timer")
}

#[test]
fn a_function_that_succeeds() {
    let (mut h, step) = Harness::start(
        charge(json!({"TimeoutSeconds": 30, "HeartbeatSeconds": 10})),
        json!({"amount": 7}),
    );
    let task = only_task(&step);
    assert_eq!(task.resource, FUNCTION);
    assert_eq!(task.timeout_seconds, Some(30));
    assert_eq!(task.heartbeat_seconds, Some(10));
    h.feed_at(at(1), Event::TaskStarted { task: task.id });
    h.feed_at(
        at(2),
        Event::TaskSucceeded {
            task: task.id,
            output: json!({"charged": true}),
        },
    );
    assert_eq!(h.exec.status, Status::Succeeded);
    assert_eq!(
        h.types(),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    // The full ARN, qualifier included; no heartbeat member (the model has none).
    assert_eq!(
        details(&h, "LambdaFunctionScheduled"),
        json!({"resource": FUNCTION, "input": "{\"amount\":7}", "inputDetails": {"truncated": false},
               "timeoutInSeconds": 30})
    );
    let started = events(&h, "LambdaFunctionStarted");
    assert_eq!(started.len(), 1);
    assert_eq!(
        started[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["timestamp", "type", "id", "previousEventId"]
    );
    assert_eq!(
        details(&h, "LambdaFunctionSucceeded"),
        json!({"output": "{\"charged\":true}", "outputDetails": {"truncated": false}})
    );
    assert_eq!(h.exec.output, Some(json!({"charged": true})));
}

#[test]
fn an_unqualified_function_without_a_timeout() {
    const PLAIN: &str = "arn:aws:lambda:us-east-1:123456789012:function:charge";
    let (mut h, _) = Harness::start(
        json!({"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": PLAIN, "End": true}}}),
        json!({}),
    );
    h.succeed(1, json!(1));
    assert_eq!(
        details(&h, "LambdaFunctionScheduled"),
        json!({"resource": PLAIN, "input": "{}", "inputDetails": {"truncated": false}})
    );
}

#[test]
fn a_failure_is_retried_then_caught() {
    let (mut h, step) = Harness::start(
        json!({"StartAt": "Charge", "States": {
            "Charge": {"Type": "Task", "Resource": FUNCTION, "End": true,
                       "Retry": [{"ErrorEquals": ["Declined"], "IntervalSeconds": 2, "MaxAttempts": 1}],
                       "Catch": [{"ErrorEquals": ["Declined"], "ResultPath": "$.error", "Next": "Handled"}]},
            "Handled": {"Type": "Pass", "End": true}}}),
        json!({}),
    );
    let first = only_task(&step);
    let step = h.fail(first.id, "Declined", "card");
    assert_eq!(run_tasks(&step), []);
    let backoff = first_timer(&step);
    let step = h.feed_at(at(2), Event::TimerFired { timer: backoff });
    let second = only_task(&step);
    assert_eq!(second.attempt, 1);
    // A second start (a redelivery) is not recorded twice.
    h.feed(Event::TaskStarted { task: second.id });
    h.fail(second.id, "Declined", "again");
    assert_eq!(h.exec.status, Status::Succeeded);
    assert_eq!(
        h.exec.output,
        Some(json!({"error": {"Error": "Declined", "Cause": "again"}}))
    );
    assert_eq!(
        h.types(),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    let failed = events(&h, "LambdaFunctionFailed");
    assert_eq!(
        failed[0]["lambdaFunctionFailedEventDetails"],
        json!({"error": "Declined", "cause": "card"})
    );
    assert_eq!(
        failed[1]["lambdaFunctionFailedEventDetails"],
        json!({"error": "Declined", "cause": "again"})
    );
}

#[test]
fn a_function_that_misses_its_deadline() {
    let (mut h, step) = Harness::start(charge(json!({"TimeoutSeconds": 5})), json!({}));
    let task = only_task(&step);
    let timer = first_timer(&step);
    h.feed(Event::TaskStarted { task: task.id });
    let step = h.feed_at(at(5), Event::TimerFired { timer });
    assert!(step.effects.contains(&Effect::CancelTask { id: task.id }));
    assert_eq!(h.exec.status, Status::Failed);
    assert_eq!(
        details(&h, "LambdaFunctionTimedOut"),
        json!({"error": "States.Timeout", "cause": ""})
    );
    assert!(!h
        .types()
        .iter()
        .any(|t| t.starts_with("Task") && *t != "TaskStateEntered" && *t != "TaskStateExited"));
}

#[test]
fn a_missed_heartbeat_is_a_timeout_too() {
    let (mut h, step) = Harness::start(
        json!({"StartAt": "Charge", "States": {
            "Charge": {"Type": "Task", "Resource": FUNCTION, "HeartbeatSeconds": 3, "End": true,
                       "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Handled"}]},
            "Handled": {"Type": "Pass", "End": true}}}),
        json!({}),
    );
    let task = only_task(&step);
    let heartbeat = first_timer(&step);
    h.feed(Event::TaskStarted { task: task.id });
    h.feed_at(at(3), Event::TimerFired { timer: heartbeat });
    assert_eq!(h.exec.status, Status::Succeeded);
    assert_eq!(
        details(&h, "LambdaFunctionTimedOut"),
        json!({"error": "States.HeartbeatTimeout", "cause": ""})
    );
    assert_eq!(
        details(&h, "LambdaFunctionScheduled"),
        json!({"resource": FUNCTION, "input": "{}", "inputDetails": {"truncated": false}})
    );
}

#[test]
fn lambda_invoke_and_modules_stay_task_events() {
    for (resource, parameters) in [
        (
            "arn:aws:states:::lambda:invoke",
            json!({"FunctionName": FUNCTION, "Payload.$": "$"}),
        ),
        ("wasm:charge", json!({"amount.$": "$.amount"})),
    ] {
        let (mut h, step) = Harness::start(
            json!({"StartAt": "Charge", "States": {"Charge": {
                "Type": "Task", "Resource": resource, "Parameters": parameters, "End": true}}}),
            json!({"amount": 7}),
        );
        h.succeed(only_task(&step).id, json!({}));
        assert_eq!(
            h.types(),
            [
                "ExecutionStarted",
                "TaskStateEntered",
                "TaskScheduled",
                "TaskStarted",
                "TaskSucceeded",
                "TaskStateExited",
                "ExecutionSucceeded"
            ],
            "{resource}"
        );
    }
}
