//! The execution's life: Stop, execution-level TimeoutSeconds, stray events, events
//! after the end, history ids and previousEventId links, the step budget.

mod common;

use common::*;
use engine::{Effect, EngineConfig, Event, Status, Step};
use serde_json::{json, Value};

const WORK: &str = "arn:aws:states:::lambda:invoke";

/// A Parallel whose branches wait on a task (with a timeout), a Wait, and a Map
/// of two tasks.
fn busy() -> Value {
    json!({
        "StartAt": "P",
        "States": {"P": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": WORK, "TimeoutSeconds": 60, "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 100, "End": true}}},
                {"StartAt": "C", "States": {"C": {
                    "Type": "Map", "ItemsPath": "$.items",
                    "ItemProcessor": {"StartAt": "D", "States": {"D": {"Type": "Task", "Resource": WORK, "End": true}}},
                    "End": true
                }}}
            ],
            "End": true
        }}
    })
}

#[test]
fn stop_aborts_the_execution_and_cancels_every_task_and_timer() {
    let (mut h, step) = Harness::start(busy(), json!({"items": [1, 2]}));
    let mut a = request(1, "A", WORK, json!({"items": [1, 2]}), 0);
    a.timeout_seconds = Some(60);
    assert_eq!(
        step.effects,
        vec![
            Effect::RunTask(a),
            Effect::StartTimer { id: 2, due: at(60) },
            Effect::StartTimer {
                id: 3,
                due: at(100)
            },
            Effect::RunTask(request(4, "D", WORK, json!(1), 0)),
            Effect::RunTask(request(5, "D", WORK, json!(2), 0)),
        ]
    );
    assert_eq!(h.exec.pending_tasks(), 3);
    assert_eq!(h.exec.pending_timers(), 2);

    let step = h.feed_at(
        at(5),
        Event::Stop {
            error: Some("User.Stop".into()),
            cause: Some("operator".into()),
        },
    );
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 1 },
            Effect::CancelTask { id: 4 },
            Effect::CancelTask { id: 5 },
            Effect::CancelTimer { id: 2 },
            Effect::CancelTimer { id: 3 },
            Effect::Finished {
                status: Status::Aborted
            },
        ]
    );
    assert_eq!(types(&step.events), ["ExecutionAborted"]);
    // The final event follows the top level's latest event (ParallelStateStarted).
    assert_eq!(links(&step.events), [(15, 3)]);
    assert_eq!(step.events[0].timestamp, at(5));
    assert_eq!(
        step.events[0].details,
        Some(json!({"error": "User.Stop", "cause": "operator"}))
    );
    assert_eq!(h.exec.status, Status::Aborted);
    assert_eq!(h.exec.error.as_deref(), Some("User.Stop"));
    assert_eq!(h.exec.cause.as_deref(), Some("operator"));
    assert_eq!(h.exec.stop_time, Some(at(5)));
    assert_eq!(h.exec.output, None);
    assert_eq!((h.exec.pending_tasks(), h.exec.pending_timers()), (0, 0));
    let described = h.exec.describe();
    assert_eq!(described["status"], json!("ABORTED"));
    assert_eq!(described["stopDate"], json!("2024-01-01T00:00:05.000Z"));
    assert_eq!(described["error"], json!("User.Stop"));
    assert_eq!(described["cause"], json!("operator"));
    assert_eq!(described.get("output"), None);
}

#[test]
fn stop_without_error_or_cause_records_empty_details() {
    let (mut h, _) = Harness::start(busy(), json!({"items": []}));
    let step = h.feed(Event::Stop {
        error: None,
        cause: None,
    });
    assert_eq!(step.events[0].details, Some(json!({})));
    assert_eq!((h.exec.error.clone(), h.exec.cause.clone()), (None, None));
    assert_eq!(h.exec.status, Status::Aborted);
}

fn timed(seconds: u64) -> Value {
    json!({
        "TimeoutSeconds": seconds,
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": WORK, "End": true}}
    })
}

#[test]
fn execution_timeout_seconds_times_the_execution_out() {
    let (mut h, step) = Harness::start(timed(60), json!({}));
    assert_eq!(
        step.effects,
        vec![
            Effect::StartTimer { id: 1, due: at(60) },
            Effect::RunTask(request(2, "T", WORK, json!({}), 0)),
        ]
    );
    h.feed_at(at(1), Event::TaskStarted { task: 2 });
    let step = h.feed_at(at(60), Event::TimerFired { timer: 1 });
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 2 },
            Effect::Finished {
                status: Status::TimedOut
            }
        ]
    );
    assert_eq!(types(&step.events), ["ExecutionTimedOut"]);
    assert_eq!(links(&step.events), [(5, 4)]);
    assert_eq!(
        step.events[0].details,
        Some(json!({"error": "States.Timeout", "cause": "The execution timed out."}))
    );
    assert_eq!(h.exec.status, Status::TimedOut);
    assert_eq!(h.exec.describe()["status"], json!("TIMED_OUT"));
    assert_eq!(h.exec.stop_time, Some(at(60)));
    // The task's late result changes nothing.
    let late = h.feed_at(
        at(61),
        Event::TaskSucceeded {
            task: 2,
            output: json!(1),
        },
    );
    assert_eq!(late, Step::default());
    assert_eq!(h.exec.status, Status::TimedOut);
}

#[test]
fn an_execution_that_ends_in_time_cancels_its_timeout_timer() {
    let (mut h, _) = Harness::start(timed(60), json!({}));
    let step = h.succeed(2, json!("ok"));
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTimer { id: 1 },
            Effect::Finished {
                status: Status::Succeeded
            }
        ]
    );
}

#[test]
fn events_for_unknown_tasks_and_timers_are_ignored() {
    let (mut h, _) = Harness::start(timed(60), json!({}));
    let before = serde_json::to_value(&h.exec).unwrap();
    let strays = [
        Event::TaskStarted { task: 99 },
        Event::TaskSucceeded {
            task: 99,
            output: json!(1),
        },
        Event::TaskFailed {
            task: 99,
            error: "E".into(),
            cause: "C".into(),
        },
        Event::TaskHeartbeat { task: 99 },
        Event::TimerFired { timer: 99 },
        // Ids the execution does use, but for the other kind.
        Event::TimerFired { timer: 2 },
        Event::TaskSucceeded {
            task: 1,
            output: json!(1),
        },
        // A heartbeat for a task without HeartbeatSeconds.
        Event::TaskHeartbeat { task: 2 },
        Event::Resume,
    ];
    for event in strays {
        let step = h.feed_at(at(3), event.clone());
        assert_eq!(step, Step::default(), "{event:?}");
    }
    assert_eq!(serde_json::to_value(&h.exec).unwrap(), before);
    assert_eq!(h.history.len(), 3);
    // The execution still runs normally.
    let step = h.succeed(2, json!("ok"));
    assert_eq!(
        step.effects.last(),
        Some(&Effect::Finished {
            status: Status::Succeeded
        })
    );
}

#[test]
fn a_finished_tasks_repeated_outcome_is_ignored() {
    let def = json!({
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": WORK, "Next": "U"},
            "U": {"Type": "Task", "Resource": WORK, "End": true}
        }
    });
    let (mut h, _) = Harness::start(def, json!({}));
    h.succeed(1, json!("first"));
    for event in [
        Event::TaskStarted { task: 1 },
        Event::TaskSucceeded {
            task: 1,
            output: json!("again"),
        },
        Event::TaskFailed {
            task: 1,
            error: "E".into(),
            cause: String::new(),
        },
    ] {
        assert_eq!(h.feed(event), Step::default());
    }
    h.succeed(2, json!("second"));
    assert_eq!(h.exec.output, Some(json!("second")));
}

#[test]
fn every_event_after_the_end_is_ignored() {
    let (mut h, _) = Harness::start(timed(60), json!({}));
    h.succeed(2, json!("ok"));
    let snapshot = serde_json::to_value(&h.exec).unwrap();
    let history = h.history.len();
    for event in [
        Event::TaskSucceeded {
            task: 2,
            output: json!("late"),
        },
        Event::TaskFailed {
            task: 2,
            error: "E".into(),
            cause: String::new(),
        },
        Event::TimerFired { timer: 1 },
        Event::Stop {
            error: Some("E".into()),
            cause: None,
        },
        Event::Resume,
    ] {
        assert_eq!(h.feed_at(at(100), event), Step::default());
    }
    assert_eq!(serde_json::to_value(&h.exec).unwrap(), snapshot);
    assert_eq!(h.history.len(), history);
    assert_eq!(h.exec.status, Status::Succeeded);
    assert_eq!(h.exec.output, Some(json!("ok")));
}

#[test]
fn history_ids_have_no_gaps_and_link_to_the_previous_event_of_their_thread() {
    let def = json!({
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Next": "P"},
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "X", "States": {
                        "X": {"Type": "Task", "Resource": WORK, "Next": "Px"},
                        "Px": {"Type": "Pass", "End": true}
                    }},
                    {"StartAt": "Y", "States": {"Y": {"Type": "Task", "Resource": WORK, "End": true}}}
                ],
                "Next": "Done"
            },
            "Done": {"Type": "Succeed"}
        }
    });
    let (mut h, _) = Harness::start(def, json!({}));
    h.succeed(2, json!("y"));
    h.feed_at(at(1), Event::TaskStarted { task: 1 });
    h.feed_at(
        at(2),
        Event::TaskSucceeded {
            task: 1,
            output: json!("x"),
        },
    );
    let expected = [
        ("ExecutionStarted", 1, 0),
        ("PassStateEntered", 2, 1),
        ("PassStateExited", 3, 2),
        ("ParallelStateEntered", 4, 3),
        ("ParallelStateStarted", 5, 4),
        ("TaskStateEntered", 6, 5), // X
        ("TaskScheduled", 7, 6),
        ("TaskStateEntered", 8, 5), // Y
        ("TaskScheduled", 9, 8),
        ("TaskStarted", 10, 9), // Y
        ("TaskSucceeded", 11, 10),
        ("TaskStateExited", 12, 11),
        ("TaskStarted", 13, 7), // X
        ("TaskSucceeded", 14, 13),
        ("TaskStateExited", 15, 14),
        ("PassStateEntered", 16, 15), // Px
        ("PassStateExited", 17, 16),
        ("ParallelStateSucceeded", 18, 5),
        ("ParallelStateExited", 19, 18),
        ("SucceedStateEntered", 20, 19),
        ("SucceedStateExited", 21, 20),
        ("ExecutionSucceeded", 22, 21),
    ];
    let actual: Vec<(&str, u64, u64)> = h
        .history
        .iter()
        .map(|e| (e.event_type.as_str(), e.id, e.previous_event_id))
        .collect();
    assert_eq!(actual, expected);
    assert_eq!(h.exec.output, Some(json!(["x", "y"])));
    // AWS's JSON shape.
    assert_eq!(
        h.history_json()[12],
        json!({
            "timestamp": "2024-01-01T00:00:01.000Z",
            "type": "TaskStarted",
            "id": 13,
            "previousEventId": 7,
            "taskStartedEventDetails": {"resourceType": "lambda", "resource": "invoke"}
        })
    );
}

#[test]
fn the_configured_longest_duration_caps_timeout_seconds() {
    let capped = |own: Option<u64>, cap: Option<u64>| {
        let mut def = timed(own.unwrap_or(0));
        if own.is_none() {
            def.as_object_mut().unwrap().remove("TimeoutSeconds");
        }
        let config = EngineConfig {
            max_duration_seconds: cap,
            ..EngineConfig::default()
        };
        let (_, step) = Harness::start_with(def, json!({}), SEED, config);
        step.effects.into_iter().find_map(|e| match e {
            Effect::StartTimer { due, .. } => Some(due),
            _ => None,
        })
    };
    assert_eq!(capped(Some(600), Some(300)), Some(at(300)));
    assert_eq!(capped(Some(60), Some(300)), Some(at(60)));
    assert_eq!(capped(None, Some(300)), Some(at(300)));
    assert_eq!(capped(Some(60), None), Some(at(60)));
    assert_eq!(capped(None, None), None);
}

#[test]
fn without_recorded_history_the_execution_runs_the_same() {
    let config = EngineConfig {
        record_history: false,
        ..EngineConfig::default()
    };
    let (mut h, step) = Harness::start_with(timed(60), json!({"a": 1}), SEED, config);
    assert_eq!(step.events, vec![]);
    assert_eq!(only_task(&step).input, json!({"a": 1}));
    let step = h.succeed(2, json!("ok"));
    assert_eq!(step.events, vec![]);
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTimer { id: 1 },
            Effect::Finished {
                status: Status::Succeeded
            }
        ]
    );
    assert_eq!(h.exec.output, Some(json!("ok")));
}

#[test]
fn the_step_budget_yields_and_resume_continues() {
    let def = json!({
        "StartAt": "S1",
        "States": {
            "S1": {"Type": "Pass", "Result": 1, "Next": "S2"},
            "S2": {"Type": "Pass", "Result": 2, "Next": "S3"},
            "S3": {"Type": "Pass", "Result": 3, "Next": "S4"},
            "S4": {"Type": "Pass", "Result": 4, "Next": "S5"},
            "S5": {"Type": "Pass", "Result": 5, "End": true}
        }
    });
    let config = EngineConfig {
        max_steps_per_call: 2,
        ..EngineConfig::default()
    };
    let (mut h, step) = Harness::start_with(def, json!({}), SEED, config);
    assert_eq!(step.effects, vec![Effect::Yield]);
    assert_eq!(
        h.types(),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited"
        ]
    );
    assert_eq!(h.exec.transitions, 2);
    assert_eq!(h.feed(Event::Resume).effects, vec![Effect::Yield]);
    let step = h.feed(Event::Resume);
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(h.exec.transitions, 5);
    assert_eq!(h.exec.output, Some(json!(5)));
    let ids: Vec<u64> = h.history.iter().map(|e| e.id).collect();
    assert_eq!(ids, (1..=12).collect::<Vec<_>>());
}

#[test]
fn stop_during_a_retry_backoff_cancels_the_backoff_timer() {
    let def = json!({
        "StartAt": "T",
        "States": {"T": {
            "Type": "Task", "Resource": WORK,
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5, "MaxAttempts": 1}],
            "End": true
        }}
    });
    let (mut h, _) = Harness::start(def, json!({}));
    assert_eq!(
        h.fail(1, "E", "").effects,
        vec![Effect::StartTimer { id: 2, due: at(5) }]
    );
    let step = h.feed_at(
        at(2),
        Event::Stop {
            error: None,
            cause: None,
        },
    );
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTimer { id: 2 },
            Effect::Finished {
                status: Status::Aborted
            }
        ]
    );
    assert_eq!(
        h.feed_at(at(5), Event::TimerFired { timer: 2 }),
        Step::default()
    );
}
