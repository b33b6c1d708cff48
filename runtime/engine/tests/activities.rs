//! Activity Tasks: recorded as `Activity*` events, as AWS records them
//! (ActivityScheduled with the activity ARN, ActivityStarted with the worker's
//! name, ActivitySucceeded/Failed/TimedOut), with Retry and Catch unchanged.

mod common;

use common::*;
use engine::{Event, Status};
use serde_json::{json, Value};

const ACTIVITY: &str = "arn:aws:states:us-east-1:123456789012:activity:review";

fn review(extra: Value) -> Value {
    let mut state = json!({"Type": "Task", "Resource": ACTIVITY, "End": true});
    state
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({"StartAt": "Review", "States": {"Review": state}})
}

fn details(h: &Harness, event_type: &str) -> Value {
    let event = h
        .history_json()
        .into_iter()
        .find(|e| e["type"] == json!(event_type))
        .unwrap_or_else(|| panic!("no {event_type} in {:?}", h.types()));
    let mut field = event_type[..1].to_lowercase();
    field.push_str(&event_type[1..]);
    event[format!("{field}EventDetails")].clone()
}

#[test]
fn a_worker_that_succeeds() {
    let (mut h, step) = Harness::start(
        review(json!({"TimeoutSeconds": 30, "HeartbeatSeconds": 10})),
        json!({"doc": 7}),
    );
    assert_eq!(only_task(&step).resource, ACTIVITY);
    h.feed_at(
        at(1),
        Event::ActivityStarted {
            task: 1,
            worker_name: Some("w1".into()),
        },
    );
    h.feed_at(
        at(2),
        Event::TaskSucceeded {
            task: 1,
            output: json!({"ok": true}),
        },
    );
    assert_eq!(h.exec.status, Status::Succeeded);
    assert_eq!(
        h.types(),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        details(&h, "ActivityScheduled"),
        json!({"resource": ACTIVITY, "input": "{\"doc\":7}", "inputDetails": {"truncated": false},
               "timeoutInSeconds": 30, "heartbeatInSeconds": 10})
    );
    assert_eq!(details(&h, "ActivityStarted"), json!({"workerName": "w1"}));
    assert_eq!(
        details(&h, "ActivitySucceeded"),
        json!({"output": "{\"ok\":true}", "outputDetails": {"truncated": false}})
    );
}

#[test]
fn a_worker_without_a_name_and_a_failure_caught() {
    let (mut h, _) = Harness::start(
        json!({"StartAt": "Review", "States": {
            "Review": {"Type": "Task", "Resource": ACTIVITY, "End": true,
                       "Catch": [{"ErrorEquals": ["Rejected"], "Next": "Handled"}]},
            "Handled": {"Type": "Pass", "End": true}}}),
        json!({}),
    );
    h.feed(Event::ActivityStarted {
        task: 1,
        worker_name: None,
    });
    // A second start (a redelivered poll) is not recorded twice.
    h.feed(Event::TaskStarted { task: 1 });
    h.feed(Event::TaskFailed {
        task: 1,
        error: "Rejected".into(),
        cause: "no".into(),
    });
    assert_eq!(h.exec.status, Status::Succeeded);
    let json = h.history_json();
    let started: Vec<&Value> = json
        .iter()
        .filter(|e| e["type"] == json!("ActivityStarted"))
        .collect();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].get("activityStartedEventDetails"), None);
    assert_eq!(
        details(&h, "ActivityFailed"),
        json!({"error": "Rejected", "cause": "no"})
    );
}

#[test]
fn a_worker_that_misses_its_deadline() {
    let (mut h, step) = Harness::start(review(json!({"TimeoutSeconds": 5})), json!({}));
    let timer = step
        .effects
        .iter()
        .find_map(|e| match e {
            engine::Effect::StartTimer { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a timeout timer");
    h.feed_at(at(5), Event::TimerFired { timer });
    assert_eq!(h.exec.status, Status::Failed);
    assert_eq!(
        details(&h, "ActivityTimedOut"),
        json!({"error": "States.Timeout", "cause": ""})
    );
    assert!(!h.types().contains(&"TaskTimedOut"));
}
