//! Parallel and Map: children, results in order, failures cancelling siblings,
//! MaxConcurrency, tolerated failures, ItemSelector.

mod common;

use common::*;
use engine::{Effect, Event, Status, Step};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn lambda(name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:123456789012:function:{name}")
}

fn task_branch(name: &str) -> Value {
    json!({"StartAt": name, "States": {name: {"Type": "Task", "Resource": lambda(name), "End": true}}})
}

fn parallel(catch: Value) -> Value {
    json!({
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [task_branch("A"), task_branch("B"), task_branch("C")],
                "Catch": catch,
                "Next": "After"
            },
            "After": {"Type": "Task", "Resource": lambda("after"), "End": true}
        }
    })
}

#[test]
fn parallel_starts_every_branch_on_the_same_input() {
    let input = json!({"x": 1});
    let (h, step) = Harness::start(parallel(json!([])), input.clone());
    assert_eq!(
        step.effects,
        vec![
            Effect::RunTask(request(1, "A", &lambda("A"), input.clone(), 0)),
            Effect::RunTask(request(2, "B", &lambda("B"), input.clone(), 0)),
            Effect::RunTask(request(3, "C", &lambda("C"), input, 0)),
        ]
    );
    assert_eq!(
        h.types(),
        [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "TaskStateEntered",
            "LambdaFunctionScheduled"
        ]
    );
    // Each branch's first event follows ParallelStateStarted.
    assert_eq!(
        links(&h.history),
        [
            (1, 0),
            (2, 1),
            (3, 2),
            (4, 3),
            (5, 4),
            (6, 3),
            (7, 6),
            (8, 3),
            (9, 8)
        ]
    );
}

#[test]
fn parallel_results_are_in_branch_order_whatever_the_completion_order() {
    let (mut h, _) = Harness::start(parallel(json!([])), json!({}));
    assert_eq!(h.succeed(3, json!("c")).effects, vec![]);
    assert_eq!(h.succeed(1, json!("a")).effects, vec![]);
    let step = h.succeed(2, json!("b"));
    assert_eq!(
        step.effects,
        vec![Effect::RunTask(request(
            4,
            "After",
            &lambda("after"),
            json!(["a", "b", "c"]),
            0
        ))]
    );
    assert_eq!(
        types(&step.events),
        [
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "TaskStateEntered",
            "LambdaFunctionScheduled"
        ]
    );
    // Branch B's events chain from its own TaskScheduled (7); the state's own
    // events from ParallelStateStarted (3).
    assert_eq!(links(&h.history[15..16]), [(16, 7)]);
    assert_eq!(
        links(&step.events),
        [(17, 16), (18, 17), (19, 3), (20, 19), (21, 20), (22, 21)]
    );
}

#[test]
fn a_failing_branch_fails_the_state_with_its_error_and_cancels_its_siblings() {
    let (mut h, _) = Harness::start(parallel(json!([])), json!({}));
    h.succeed(1, json!("a"));
    let step = h.fail(2, "BErr", "b broke");
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 3 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!(
        types(&step.events),
        [
            "LambdaFunctionFailed",
            "ParallelStateFailed",
            "ExecutionFailed"
        ]
    );
    assert_eq!(links(&step.events), [(14, 13), (15, 3), (16, 15)]);
    assert_eq!(h.exec.error.as_deref(), Some("BErr"));
    assert_eq!(h.exec.cause.as_deref(), Some("b broke"));
    assert_eq!(h.exec.pending_tasks(), 0);
}

#[test]
fn a_caught_branch_failure_moves_on_and_late_results_of_cancelled_tasks_are_ignored() {
    let catch = json!([{"ErrorEquals": ["BErr"], "ResultPath": "$.error", "Next": "After"}]);
    let (mut h, _) = Harness::start(parallel(catch), json!({"x": 1}));
    let step = h.fail(2, "BErr", "b broke");
    let after_input = json!({"x": 1, "error": {"Error": "BErr", "Cause": "b broke"}});
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 1 },
            Effect::CancelTask { id: 3 },
            Effect::RunTask(request(4, "After", &lambda("after"), after_input, 0)),
        ]
    );
    assert_eq!(
        types(&step.events),
        [
            "LambdaFunctionFailed",
            "ParallelStateFailed",
            "ParallelStateExited",
            "TaskStateEntered",
            "LambdaFunctionScheduled"
        ]
    );
    assert_eq!(h.feed(Event::TaskStarted { task: 1 }), Step::default());
    assert_eq!(
        h.feed(Event::TaskSucceeded {
            task: 3,
            output: json!(3)
        }),
        Step::default()
    );
    let step = h.succeed(4, json!("done"));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(h.exec.output, Some(json!("done")));
}

#[test]
fn a_fail_state_in_a_branch_fails_the_parallel_state() {
    let def = json!({
        "StartAt": "P",
        "States": {"P": {
            "Type": "Parallel",
            "Branches": [
                task_branch("A"),
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope", "Cause": "branch said no"}}}
            ],
            "End": true
        }}
    });
    let (h, step) = Harness::start(def, json!({}));
    // Branch A dispatches its task before branch B fails.
    assert_eq!(
        step.effects,
        vec![
            Effect::RunTask(request(1, "A", &lambda("A"), json!({}), 0)),
            Effect::CancelTask { id: 1 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!(h.exec.error.as_deref(), Some("Nope"));
    assert_eq!(h.exec.cause.as_deref(), Some("branch said no"));
}

// ----- Map -----

fn map(extra: Value) -> Value {
    let mut state = json!({
        "Type": "Map",
        "ItemsPath": "$.items",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "Work",
            "States": {"Work": {"Type": "Task", "Resource": lambda("work"), "End": true}}
        },
        "End": true
    });
    for (k, v) in extra.as_object().unwrap() {
        state[k] = v.clone();
    }
    json!({"StartAt": "M", "States": {"M": state}})
}

/// Applies a step's RunTask/CancelTask effects to the outstanding tasks (id -> input).
fn track(outstanding: &mut BTreeMap<u64, Value>, step: &Step) {
    for effect in &step.effects {
        match effect {
            Effect::RunTask(r) => {
                assert_eq!(r.state_name, "Work");
                assert!(outstanding.insert(r.id, r.input.clone()).is_none());
            }
            Effect::CancelTask { id } => {
                outstanding.remove(id);
            }
            _ => {}
        }
    }
}

#[test]
fn map_max_concurrency_keeps_at_most_two_tasks_outstanding() {
    let input = json!({"items": [10, 11, 12, 13, 14]});
    let (mut h, step) = Harness::start(map(json!({"MaxConcurrency": 2})), input);
    let mut outstanding = BTreeMap::new();
    track(&mut outstanding, &step);
    assert_eq!(
        outstanding,
        BTreeMap::from([(1, json!(10)), (2, json!(11))])
    );
    assert_eq!(
        h.types(),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "MapIterationStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "TaskStateEntered",
            "LambdaFunctionScheduled"
        ]
    );
    assert_eq!(h.history[2].details, Some(json!({"length": 5})));
    assert_eq!(h.history[3].details, Some(json!({"name": "M", "index": 0})));
    assert_eq!(h.history[4].details, Some(json!({"name": "M", "index": 1})));

    // Complete in the order 2, 1, 4, 3, 5; each completion starts exactly one
    // more iteration while items remain.
    let order = [
        (2, Some((3, 12))),
        (1, Some((4, 13))),
        (4, Some((5, 14))),
        (3, None),
        (5, None),
    ];
    for (task, next) in order {
        let item = outstanding.remove(&task).unwrap();
        let step = h.succeed(task, json!(item.as_i64().unwrap() * 2));
        track(&mut outstanding, &step);
        assert!(outstanding.len() <= 2);
        assert_eq!(h.exec.pending_tasks(), outstanding.len());
        match next {
            Some((id, item)) => {
                assert_eq!(
                    step.effects,
                    vec![Effect::RunTask(request(
                        id,
                        "Work",
                        &lambda("work"),
                        json!(item),
                        0
                    ))]
                );
                assert_eq!(
                    types(&step.events),
                    [
                        "LambdaFunctionSucceeded",
                        "TaskStateExited",
                        "MapIterationSucceeded",
                        "MapIterationStarted",
                        "TaskStateEntered",
                        "LambdaFunctionScheduled"
                    ]
                );
            }
            None if task == 5 => {
                assert_eq!(
                    step.effects,
                    vec![Effect::Finished {
                        status: Status::Succeeded
                    }]
                );
            }
            None => assert_eq!(step.effects, vec![]),
        }
    }
    assert_eq!(h.exec.output, Some(json!([20, 22, 24, 26, 28])));
    let tail: Vec<&str> = h.types().into_iter().rev().take(4).collect();
    assert_eq!(
        tail,
        [
            "ExecutionSucceeded",
            "MapStateExited",
            "MapStateSucceeded",
            "MapIterationSucceeded"
        ]
    );
    let iterations = |t: &str| h.types().into_iter().filter(|x| *x == t).count();
    assert_eq!(iterations("MapIterationStarted"), 5);
    assert_eq!(iterations("MapIterationSucceeded"), 5);
}

#[test]
fn map_iteration_events_chain_within_their_iteration() {
    let (mut h, _) = Harness::start(map(json!({})), json!({"items": ["a", "b"]}));
    // 3 MapStateStarted; 4, 5 MapIterationStarted; 6-7 iteration 0; 8-9 iteration 1.
    assert_eq!(
        links(&h.history),
        [
            (1, 0),
            (2, 1),
            (3, 2),
            (4, 3),
            (5, 3),
            (6, 4),
            (7, 6),
            (8, 5),
            (9, 8)
        ]
    );
    h.succeed(2, json!(2));
    h.succeed(1, json!(1));
    assert_eq!(
        types(&h.history[9..]),
        [
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "MapIterationSucceeded",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        links(&h.history[9..]),
        [
            (10, 9),
            (11, 10),
            (12, 11),
            (13, 12),
            (14, 7),
            (15, 14),
            (16, 15),
            (17, 16),
            (18, 3),
            (19, 18),
            (20, 19)
        ]
    );
    assert_eq!(
        h.history[12].details,
        Some(json!({"name": "M", "index": 1}))
    );
    assert_eq!(h.exec.output, Some(json!([1, 2])));
}

#[test]
fn map_item_selector_sees_the_item_index_and_value() {
    let selector = json!({"ItemSelector": {
        "index.$": "$$.Map.Item.Index",
        "value.$": "$$.Map.Item.Value",
        "tag.$": "$.tag"
    }});
    let (_, step) = Harness::start(map(selector), json!({"tag": "T", "items": ["a", {"b": 1}]}));
    let inputs: Vec<Value> = run_tasks(&step).into_iter().map(|r| r.input).collect();
    assert_eq!(
        inputs,
        [
            json!({"index": 0, "value": "a", "tag": "T"}),
            json!({"index": 1, "value": {"b": 1}, "tag": "T"})
        ]
    );
}

#[test]
fn map_over_an_empty_array_succeeds_at_once_with_an_empty_array() {
    let (h, step) = Harness::start(
        map(json!({"ResultPath": "$.results"})),
        json!({"items": []}),
    );
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        h.types(),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(h.history[2].details, Some(json!({"length": 0})));
    assert_eq!(h.exec.output, Some(json!({"items": [], "results": []})));
}

#[test]
fn a_failing_iteration_fails_the_map_with_its_error_and_cancels_the_rest() {
    let (mut h, _) = Harness::start(map(json!({})), json!({"items": [1, 2, 3]}));
    let step = h.fail(2, "ItemErr", "bad item");
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 1 },
            Effect::CancelTask { id: 3 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!(
        types(&step.events),
        [
            "LambdaFunctionFailed",
            "MapIterationFailed",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
    assert_eq!(
        step.events[1].details,
        Some(json!({"name": "M", "index": 1}))
    );
    assert_eq!(h.exec.error.as_deref(), Some("ItemErr"));
    assert_eq!(h.exec.cause.as_deref(), Some("bad item"));
}

#[test]
fn tolerated_failure_count_lets_failures_through_until_exceeded() {
    let tolerant = map(json!({"ToleratedFailureCount": 1}));
    let (mut h, _) = Harness::start(tolerant.clone(), json!({"items": [0, 1, 2]}));
    assert_eq!(h.fail(2, "ItemErr", "bad").effects, vec![]);
    h.succeed(3, json!("r2"));
    let step = h.succeed(1, json!("r0"));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        h.exec.output,
        Some(json!(["r0", {"Error": "ItemErr", "Cause": "bad"}, "r2"]))
    );

    let (mut h, _) = Harness::start(tolerant, json!({"items": [0, 1, 2]}));
    assert_eq!(h.fail(1, "ItemErr", "first").effects, vec![]);
    let step = h.fail(2, "ItemErr", "second");
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 3 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!(
        h.exec.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    assert_eq!(
        h.exec.cause.as_deref(),
        Some("The specified tolerated failure threshold was exceeded")
    );
}

#[test]
fn tolerated_failure_percentage_is_a_share_of_all_items() {
    let def = map(json!({"ToleratedFailurePercentage": 50}));
    let (mut h, _) = Harness::start(def, json!({"items": [0, 1, 2, 3]}));
    assert_eq!(h.fail(1, "E", "").effects, vec![]); // 25%
    assert_eq!(h.fail(2, "E", "").effects, vec![]); // 50%
    let step = h.fail(3, "E", ""); // 75%
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 4 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!(
        h.exec.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
}

#[test]
fn map_items_that_are_not_an_array_fail_with_states_runtime() {
    let (h, step) = Harness::start(map(json!({})), json!({"items": {"a": 1}}));
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
            "An error occurred while executing the state 'M' (entered at the event id #2). \
             Map state input must be an array but was: object"
        )
    );
}

#[test]
fn a_retried_parallel_state_restarts_every_branch() {
    let def = json!({
        "StartAt": "P",
        "States": {"P": {
            "Type": "Parallel",
            "Parameters": {"rc.$": "$$.State.RetryCount"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}],
            "Branches": [task_branch("A"), task_branch("B")],
            "End": true
        }}
    });
    let (mut h, _) = Harness::start(def, json!({}));
    let step = h.fail(2, "E", "c");
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 1 },
            Effect::StartTimer { id: 3, due: at(1) }
        ]
    );
    assert_eq!(
        types(&step.events),
        ["LambdaFunctionFailed", "ParallelStateFailed"]
    );
    let step = h.feed_at(at(1), Event::TimerFired { timer: 3 });
    // The branches see the Parallel state's RetryCount through Parameters; their
    // own tasks are first attempts.
    assert_eq!(
        step.effects,
        vec![
            Effect::RunTask(request(4, "A", &lambda("A"), json!({"rc": 1}), 0)),
            Effect::RunTask(request(5, "B", &lambda("B"), json!({"rc": 1}), 0)),
        ]
    );
    assert_eq!(
        links(&step.events),
        [(11, 10), (12, 11), (13, 12), (14, 11), (15, 14)]
    );
    assert_eq!(
        types(&step.events),
        [
            "ParallelStateStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "TaskStateEntered",
            "LambdaFunctionScheduled"
        ]
    );
    h.succeed(5, json!("b"));
    h.succeed(4, json!("a"));
    assert_eq!(h.exec.output, Some(json!(["a", "b"])));
}

#[test]
fn a_map_failure_cancels_a_sibling_iterations_backoff_timer() {
    let def = json!({
        "StartAt": "M",
        "States": {"M": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "Work", "States": {"Work": {
                "Type": "Task", "Resource": lambda("work"),
                "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 5, "MaxAttempts": 1}],
                "End": true
            }}},
            "End": true
        }}
    });
    let (mut h, _) = Harness::start(def, json!([1, 2]));
    let step = h.fail(1, "Flaky", "");
    assert_eq!(step.effects, vec![Effect::StartTimer { id: 3, due: at(5) }]);
    let step = h.fail(2, "Fatal", "");
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTimer { id: 3 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!(h.exec.error.as_deref(), Some("Fatal"));
    assert_eq!(h.exec.pending_timers(), 0);
}

#[test]
fn a_parallel_output_over_256_kib_fails_the_state() {
    let def = json!({
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [task_branch("A"), task_branch("B")],
                "Catch": [{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "Handled"}],
                "End": true
            },
            "Handled": {"Type": "Pass", "End": true}
        }
    });
    let (mut h, _) = Harness::start(def, json!({}));
    // Each result fits; the array of both does not.
    h.succeed(1, json!("x".repeat(150_000)));
    let step = h.succeed(2, json!("y".repeat(150_000)));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        h.exec.output,
        Some(json!({
            "Error": "States.DataLimitExceeded",
            "Cause": "The state/task 'P' returned a result with a size exceeding the maximum number of bytes service limit."
        }))
    );
}

#[test]
fn a_branch_failure_aborts_waits_and_nested_maps_all_the_way_down() {
    let def = json!({
        "StartAt": "P",
        "States": {"P": {
            "Type": "Parallel",
            "Branches": [
                task_branch("A"),
                {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 100, "End": true}}},
                {"StartAt": "C", "States": {"C": {
                    "Type": "Map",
                    "ItemProcessor": {"StartAt": "D", "States": {"D": {
                        "Type": "Map",
                        "ItemProcessor": {"StartAt": "E", "States": {"E": {
                            "Type": "Task", "Resource": lambda("e"), "TimeoutSeconds": 9, "End": true
                        }}},
                        "End": true
                    }}},
                    "End": true
                }}}
            ],
            "End": true
        }}
    });
    let (mut h, step) = Harness::start(def, json!([[1, 2], [3]]));
    let tasks: Vec<(u64, Value)> = run_tasks(&step)
        .into_iter()
        .map(|r| (r.id, r.input))
        .collect();
    assert_eq!(
        tasks,
        [
            (1, json!([[1, 2], [3]])),
            (3, json!(1)),
            (5, json!(2)),
            (7, json!(3))
        ]
    );
    assert_eq!((h.exec.pending_tasks(), h.exec.pending_timers()), (4, 4));
    let step = h.fail(1, "X", "");
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTimer { id: 2 },
            Effect::CancelTimer { id: 4 },
            Effect::CancelTask { id: 3 },
            Effect::CancelTimer { id: 6 },
            Effect::CancelTask { id: 5 },
            Effect::CancelTimer { id: 8 },
            Effect::CancelTask { id: 7 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!((h.exec.pending_tasks(), h.exec.pending_timers()), (0, 0));
}
