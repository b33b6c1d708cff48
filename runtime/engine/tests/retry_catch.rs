//! Retry (backoff timers, MaxAttempts, retrier order, error matching, jitter) and
//! Catch (error output, States.Runtime, task timeouts and heartbeats).

mod common;

use common::*;
use engine::{Effect, EngineConfig, Event, Status};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const WORK: &str = "arn:aws:lambda:us-east-1:123456789012:function:work";

/// One Task state `T` with the given Retry and Catch, Catch going to a Pass `Handled`.
fn task_machine(retry: Value, catch: Value) -> Value {
    let mut def = json!({
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": WORK,
                "Parameters": {"retry.$": "$$.State.RetryCount", "input.$": "$"},
                "Retry": retry,
                "Catch": catch,
                "End": true
            },
            "Handled": {"Type": "Pass", "End": true}
        }
    });
    if def["States"]["T"]["Catch"] == json!([]) {
        def["States"].as_object_mut().unwrap().remove("Handled");
    }
    def
}

/// The StartTimer effects of a step as `(id, due)`.
fn timers(step: &engine::Step) -> Vec<(u64, chrono::DateTime<chrono::Utc>)> {
    step.effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartTimer { id, due } => Some((*id, *due)),
            _ => None,
        })
        .collect()
}

// ----- Retry -----

#[test]
fn backoff_timers_follow_interval_rate_and_max_delay() {
    let retry = json!([{
        "ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 3.0,
        "MaxDelaySeconds": 10, "MaxAttempts": 4
    }]);
    let (mut h, step) = Harness::start(task_machine(retry, json!([])), json!({"k": 1}));
    assert_eq!(
        step.effects,
        vec![Effect::RunTask(request(
            1,
            "T",
            WORK,
            json!({"retry": 0, "input": {"k": 1}}),
            0
        ))]
    );
    // (failed at, expected delay): 2, 6, then 18 and 54 capped at 10.
    let schedule = [(1, 2), (4, 6), (11, 10), (22, 10)];
    let mut task = 1;
    for (n, (failed_at, delay)) in schedule.into_iter().enumerate() {
        h.now = at(failed_at);
        let step = h.fail(task, "Boom", &format!("cause {n}"));
        let timer = task + 1;
        assert_eq!(
            step.effects,
            vec![Effect::StartTimer {
                id: timer,
                due: at(failed_at + delay)
            }],
            "retry {n}"
        );
        assert_eq!(types(&step.events), ["LambdaFunctionFailed"]);
        let fired = h.feed_at(at(failed_at + delay), Event::TimerFired { timer });
        task = timer + 1;
        let attempt = n as u32 + 1;
        assert_eq!(
            fired.effects,
            vec![Effect::RunTask(request(
                task,
                "T",
                WORK,
                json!({"retry": attempt, "input": {"k": 1}}),
                attempt
            ))]
        );
        // A retry schedules the task again without re-entering the state.
        assert_eq!(types(&fired.events), ["LambdaFunctionScheduled"]);
        assert!(fired
            .events
            .iter()
            .all(|e| e.timestamp == at(failed_at + delay)));
    }
    h.now = at(40);
    let step = h.fail(task, "Boom", "last");
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(
        step.events.last().unwrap().details,
        Some(json!({"error": "Boom", "cause": "last"}))
    );
    let mut expected = vec![
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
    ];
    for _ in 0..4 {
        expected.extend([
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "LambdaFunctionScheduled",
        ]);
    }
    expected.extend([
        "LambdaFunctionStarted",
        "LambdaFunctionFailed",
        "ExecutionFailed",
    ]);
    assert_eq!(h.types(), expected);
    assert!(h.history.iter().all(|e| e.previous_event_id == e.id - 1));
}

#[test]
fn fractional_backoff_is_timed_to_the_millisecond() {
    let retry = json!([{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "BackoffRate": 1.5, "MaxAttempts": 3}]);
    let (mut h, _) = Harness::start(task_machine(retry, json!([])), json!({}));
    let mut task = 1;
    let mut now = 0;
    for delay in [1000, 1500, 2250] {
        h.now = at_ms(now);
        let step = h.fail(task, "E", "");
        assert_eq!(
            step.effects,
            vec![Effect::StartTimer {
                id: task + 1,
                due: at_ms(now + delay)
            }]
        );
        now += delay;
        let step = h.feed_at(at_ms(now), Event::TimerFired { timer: task + 1 });
        task = only_task(&step).id;
    }
    let step = h.fail(task, "E", "");
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
}

#[test]
fn max_attempts_zero_never_retries() {
    let retry = json!([{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}]);
    let catch = json!([{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]);
    let (mut h, _) = Harness::start(task_machine(retry, catch), json!({}));
    let step = h.fail(1, "E", "c");
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        types(&step.events),
        [
            "LambdaFunctionFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(h.exec.output, Some(json!({"Error": "E", "Cause": "c"})));
}

#[test]
fn the_first_matching_retrier_decides_and_an_exhausted_one_falls_to_catch() {
    let retry = json!([
        {"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 1},
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5, "MaxAttempts": 5}
    ]);
    let catch = json!([{"ErrorEquals": ["Flaky"], "ResultPath": "$.error", "Next": "Handled"}]);
    let (mut h, _) = Harness::start(task_machine(retry, catch), json!({"k": 1}));
    let step = h.fail(1, "Flaky", "1");
    assert_eq!(step.effects, vec![Effect::StartTimer { id: 2, due: at(1) }]);
    let step = h.feed_at(at(1), Event::TimerFired { timer: 2 });
    assert_eq!(only_task(&step).attempt, 1);
    // The Flaky retrier is exhausted: Catch, not the States.ALL retrier.
    let step = h.fail(3, "Flaky", "2");
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        h.exec.output,
        Some(json!({"k": 1, "error": {"Error": "Flaky", "Cause": "2"}}))
    );
}

#[test]
fn each_retrier_counts_its_own_attempts_and_retry_count_counts_all() {
    let retry = json!([
        {"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 1},
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5, "MaxAttempts": 5}
    ]);
    let (mut h, _) = Harness::start(task_machine(retry, json!([])), json!({}));
    let step = h.fail(1, "Other", "");
    assert_eq!(step.effects, vec![Effect::StartTimer { id: 2, due: at(5) }]);
    let step = h.feed_at(at(5), Event::TimerFired { timer: 2 });
    assert_eq!(only_task(&step).input["retry"], json!(1));
    let step = h.fail(3, "Flaky", "");
    assert_eq!(step.effects, vec![Effect::StartTimer { id: 4, due: at(6) }]);
    let step = h.feed_at(at(6), Event::TimerFired { timer: 4 });
    let task = only_task(&step);
    assert_eq!(
        (task.id, task.attempt, task.input["retry"].clone()),
        (5, 2, json!(2))
    );
    let step = h.fail(5, "Flaky", "third");
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(h.exec.error.as_deref(), Some("Flaky"));
}

#[test]
fn states_all_retries_predefined_errors() {
    let def = json!({
        "StartAt": "T",
        "States": {"T": {
            "Type": "Task", "Resource": WORK, "TimeoutSeconds": 10,
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "MaxAttempts": 1}],
            "End": true
        }}
    });
    let (mut h, step) = Harness::start(def, json!({}));
    assert_eq!(timers(&step), [(2, at(10))]);
    let step = h.feed_at(at(10), Event::TimerFired { timer: 2 });
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 1 },
            Effect::StartTimer { id: 3, due: at(13) }
        ]
    );
    let step = h.feed_at(at(13), Event::TimerFired { timer: 3 });
    assert_eq!(only_task(&step).id, 4);
    assert_eq!(timers(&step), [(5, at(23))]);
}

#[test]
fn states_task_failed_matches_task_errors_but_not_timeouts() {
    let def = json!({
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task", "Resource": WORK, "TimeoutSeconds": 10,
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 1, "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Handled"}],
                "End": true
            },
            "Handled": {"Type": "Pass", "End": true}
        }
    });
    let (mut h, _) = Harness::start(def, json!({}));
    // A custom error is a task failure: retried.
    let step = h.fail(1, "Lambda.ServiceException", "");
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTimer { id: 2 },
            Effect::StartTimer { id: 3, due: at(1) }
        ]
    );
    let step = h.feed_at(at(1), Event::TimerFired { timer: 3 });
    assert_eq!(only_task(&step).id, 4);
    assert_eq!(timers(&step), [(5, at(11))]);
    // States.Timeout is not: neither retried nor caught.
    let step = h.feed_at(at(11), Event::TimerFired { timer: 5 });
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 4 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!(h.exec.error.as_deref(), Some("States.Timeout"));
}

#[test]
fn full_jitter_stays_within_the_delay_and_is_deterministic_per_seed() {
    let retry = json!([{
        "ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "BackoffRate": 2.0,
        "MaxAttempts": 3, "JitterStrategy": "FULL"
    }]);
    let def = task_machine(retry, json!([]));
    // The due times (ms after the failure) of the three retries under `seed`.
    let delays = |seed: u64| -> Vec<i64> {
        let (mut h, _) = Harness::start_with(def.clone(), json!({}), seed, EngineConfig::default());
        let mut task = 1;
        let mut out = Vec::new();
        for _ in 0..3 {
            let step = h.fail(task, "E", "");
            let [(timer, due)] = timers(&step)[..] else {
                panic!("one timer expected: {step:?}")
            };
            out.push((due - h.now).num_milliseconds());
            let step = h.feed_at(due, Event::TimerFired { timer });
            task = only_task(&step).id;
        }
        out
    };
    let mut firsts = BTreeSet::new();
    for seed in 0..20 {
        let d = delays(seed);
        assert_eq!(d, delays(seed), "seed {seed}");
        for (n, full) in [10_000, 20_000, 40_000].into_iter().enumerate() {
            assert!(
                (0..=full).contains(&d[n]),
                "seed {seed} retry {n}: {} ms",
                d[n]
            );
        }
        firsts.insert(d[0]);
    }
    assert!(firsts.len() > 10, "jitter varies with the seed: {firsts:?}");
}

// ----- Catch -----

#[test]
fn catch_writes_the_error_output_at_its_result_path_into_the_raw_input() {
    let def = json!({
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task", "Resource": WORK, "InputPath": "$.payload",
                "Catch": [
                    {"ErrorEquals": ["Other"], "Next": "Handled"},
                    {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}
                ],
                "End": true
            },
            "Handled": {"Type": "Pass", "End": true}
        }
    });
    let input = json!({"payload": {"a": 1}, "keep": true});
    let (mut h, step) = Harness::start(def, input);
    assert_eq!(only_task(&step).input, json!({"a": 1}));
    let step = h.fail(1, "Boom", "it broke");
    let output =
        json!({"payload": {"a": 1}, "keep": true, "error": {"Error": "Boom", "Cause": "it broke"}});
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        types(&step.events),
        [
            "LambdaFunctionFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    let exited = step.events[1].details.as_ref().unwrap();
    assert_eq!(exited["name"], json!("T"));
    assert_eq!(
        serde_json::from_str::<Value>(exited["output"].as_str().unwrap()).unwrap(),
        output
    );
    let entered = step.events[2].details.as_ref().unwrap();
    assert_eq!(entered["name"], json!("Handled"));
    assert_eq!(h.exec.output, Some(output));
}

#[test]
fn catch_without_result_path_replaces_the_input_with_the_error_output() {
    let catch = json!([{"ErrorEquals": ["States.TaskFailed"], "Next": "Handled"}]);
    let (mut h, _) = Harness::start(task_machine(json!([]), catch), json!({"k": 1}));
    h.fail(1, "Custom.Error", "details");
    assert_eq!(
        h.exec.output,
        Some(json!({"Error": "Custom.Error", "Cause": "details"}))
    );
}

#[test]
fn states_runtime_is_never_retried_or_caught() {
    let def = json!({
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task", "Resource": WORK, "InputPath": "$.missing",
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],
                "End": true
            },
            "Handled": {"Type": "Pass", "End": true}
        }
    });
    let (h, step) = Harness::start(def, json!({"present": 1}));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(
        h.types(),
        ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]
    );
    assert_eq!(h.exec.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        h.exec.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'T' (entered at the event id #2). \
             Invalid path '$.missing' : No results for path: $['missing']"
        )
    );
}

#[test]
fn a_task_reported_states_runtime_is_not_caught_either() {
    let catch = json!([
        {"ErrorEquals": ["States.Runtime"], "Next": "Handled"},
        {"ErrorEquals": ["States.ALL"], "Next": "Handled"}
    ]);
    let (mut h, _) = Harness::start(task_machine(json!([]), catch), json!({}));
    let step = h.fail(1, "States.Runtime", "boom");
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(h.exec.error.as_deref(), Some("States.Runtime"));
}

#[test]
fn timeout_seconds_fires_as_a_timer_then_catch() {
    let def = json!({
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task", "Resource": WORK, "TimeoutSeconds": 30,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Handled"}],
                "End": true
            },
            "Handled": {"Type": "Pass", "End": true}
        }
    });
    let (mut h, step) = Harness::start(def, json!({}));
    let mut expected = request(1, "T", WORK, json!({}), 0);
    expected.timeout_seconds = Some(30);
    assert_eq!(
        step.effects,
        vec![
            Effect::RunTask(expected),
            Effect::StartTimer { id: 2, due: at(30) }
        ]
    );
    assert_eq!(
        h.history[2].details.as_ref().unwrap()["timeoutInSeconds"],
        json!(30)
    );
    h.feed_at(at(1), Event::TaskStarted { task: 1 });
    let step = h.feed_at(at(30), Event::TimerFired { timer: 2 });
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 1 },
            Effect::Finished {
                status: Status::Succeeded
            }
        ]
    );
    assert_eq!(
        types(&step.events),
        [
            "LambdaFunctionTimedOut",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        step.events[0].details,
        Some(json!({"error": "States.Timeout", "cause": ""}))
    );
    assert_eq!(
        h.exec.output,
        Some(json!({"Error": "States.Timeout", "Cause": ""}))
    );
    // The late result of the timed-out task is ignored.
    let late = h.feed_at(
        at(31),
        Event::TaskSucceeded {
            task: 1,
            output: json!(1),
        },
    );
    assert_eq!(late, engine::Step::default());
}

#[test]
fn a_task_that_ends_in_time_cancels_its_timeout_timer() {
    let def = json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": WORK, "TimeoutSeconds": 30, "End": true}}
    });
    let (mut h, _) = Harness::start(def, json!({}));
    let step = h.succeed(1, json!("done"));
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTimer { id: 2 },
            Effect::Finished {
                status: Status::Succeeded
            }
        ]
    );
    assert_eq!(h.exec.pending_timers(), 0);
    // The cancelled timer firing anyway is ignored.
    assert_eq!(
        h.feed_at(at(30), Event::TimerFired { timer: 2 }),
        engine::Step::default()
    );
}

#[test]
fn heartbeats_reset_the_heartbeat_timer_and_a_missed_one_times_out() {
    let def = json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": WORK, "TimeoutSeconds": 100, "HeartbeatSeconds": 10, "End": true}}
    });
    let (mut h, step) = Harness::start(def, json!({}));
    let mut expected = request(1, "T", WORK, json!({}), 0);
    expected.timeout_seconds = Some(100);
    expected.heartbeat_seconds = Some(10);
    assert_eq!(
        step.effects,
        vec![
            Effect::RunTask(expected),
            Effect::StartTimer {
                id: 2,
                due: at(100)
            },
            Effect::StartTimer { id: 3, due: at(10) },
        ]
    );
    h.feed_at(at(1), Event::TaskStarted { task: 1 });
    let beat = h.feed_at(at(5), Event::TaskHeartbeat { task: 1 });
    assert_eq!(
        beat.effects,
        vec![
            Effect::CancelTimer { id: 3 },
            Effect::StartTimer { id: 4, due: at(15) }
        ]
    );
    assert_eq!(beat.events, vec![]);
    let beat = h.feed_at(at(14), Event::TaskHeartbeat { task: 1 });
    assert_eq!(
        beat.effects,
        vec![
            Effect::CancelTimer { id: 4 },
            Effect::StartTimer { id: 5, due: at(24) }
        ]
    );
    // The replaced heartbeat timers firing late are ignored.
    assert_eq!(
        h.feed_at(at(15), Event::TimerFired { timer: 3 }),
        engine::Step::default()
    );
    assert_eq!(
        h.feed_at(at(15), Event::TimerFired { timer: 4 }),
        engine::Step::default()
    );
    let step = h.feed_at(at(24), Event::TimerFired { timer: 5 });
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTimer { id: 2 },
            Effect::CancelTask { id: 1 },
            Effect::Finished {
                status: Status::Failed
            }
        ]
    );
    assert_eq!(
        types(&step.events),
        ["LambdaFunctionTimedOut", "ExecutionFailed"]
    );
    assert_eq!(
        step.events[0].details,
        Some(json!({"error": "States.HeartbeatTimeout", "cause": ""}))
    );
    assert_eq!(h.exec.error.as_deref(), Some("States.HeartbeatTimeout"));
    assert_eq!(h.exec.pending_timers(), 0);
    assert_eq!(h.exec.pending_tasks(), 0);
}

#[test]
fn a_missed_heartbeat_is_caught_as_states_heartbeat_timeout() {
    let def = json!({
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task", "Resource": WORK, "HeartbeatSeconds": 10,
                "Catch": [
                    {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "Handled"},
                    {"ErrorEquals": ["States.HeartbeatTimeout"], "ResultPath": "$.heartbeat", "Next": "Handled"}
                ],
                "End": true
            },
            "Handled": {"Type": "Pass", "End": true}
        }
    });
    let (mut h, _) = Harness::start(def, json!({}));
    let step = h.feed_at(at(10), Event::TimerFired { timer: 2 });
    assert_eq!(
        step.effects,
        vec![
            Effect::CancelTask { id: 1 },
            Effect::Finished {
                status: Status::Succeeded
            }
        ]
    );
    assert_eq!(
        h.exec.output,
        Some(json!({"heartbeat": {"Error": "States.HeartbeatTimeout", "Cause": ""}}))
    );
}

#[test]
fn retrier_defaults_are_one_second_doubling_three_attempts() {
    let retry = json!([{"ErrorEquals": ["States.ALL"]}]);
    let (mut h, _) = Harness::start(task_machine(retry, json!([])), json!({}));
    let mut task = 1;
    for (failed_at, delay) in [(0, 1), (1, 2), (3, 4)] {
        h.now = at(failed_at);
        let step = h.fail(task, "E", "");
        assert_eq!(
            step.effects,
            vec![Effect::StartTimer {
                id: task + 1,
                due: at(failed_at + delay)
            }]
        );
        let step = h.feed_at(at(failed_at + delay), Event::TimerFired { timer: task + 1 });
        task = only_task(&step).id;
    }
    let step = h.fail(task, "E", "");
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
}

#[test]
fn full_jitter_applies_below_max_delay() {
    let retry = json!([{
        "ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "BackoffRate": 2.0,
        "MaxDelaySeconds": 15, "MaxAttempts": 3, "JitterStrategy": "FULL"
    }]);
    for seed in 0..20 {
        let (mut h, _) = Harness::start_with(
            task_machine(retry.clone(), json!([])),
            json!({}),
            seed,
            EngineConfig::default(),
        );
        let mut task = 1;
        for (n, cap) in [10_000, 15_000, 15_000].into_iter().enumerate() {
            let step = h.fail(task, "E", "");
            let [(timer, due)] = timers(&step)[..] else {
                panic!("one timer expected: {step:?}")
            };
            let delay = (due - h.now).num_milliseconds();
            assert!(
                (0..=cap).contains(&delay),
                "seed {seed} retry {n}: {delay} ms"
            );
            let step = h.feed_at(due, Event::TimerFired { timer });
            task = only_task(&step).id;
        }
    }
}
