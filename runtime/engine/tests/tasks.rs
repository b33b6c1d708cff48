//! Task states: the request handed out, the history written, and the result
//! processing (ResultSelector, ResultPath, OutputPath) in AWS's order.

mod common;

use common::*;
use engine::{Effect, EngineConfig, Event, Status};
use serde_json::{json, Value};

const LAMBDA: &str = "arn:aws:states:::lambda:invoke";
const SQS_TOKEN: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

/// Parses the JSON text stored in a history detail field.
fn text(details: &Value, field: &str) -> Value {
    serde_json::from_str(details[field].as_str().expect("a JSON text field")).unwrap()
}

fn pipeline() -> Value {
    json!({
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": LAMBDA,
                "InputPath": "$.order",
                "Parameters": {
                    "id.$": "$.id",
                    "execution.$": "$$.Execution.Id",
                    "attempt.$": "$$.State.RetryCount",
                    "entered.$": "$$.State.EnteredTime",
                    "fixed": "x"
                },
                "ResultSelector": {"total.$": "$.Payload.total", "by.$": "$$.State.Name"},
                "ResultPath": "$.order.charge",
                "OutputPath": "$.order",
                "End": true
            }
        }
    })
}

#[test]
fn run_task_carries_the_input_after_input_path_and_parameters() {
    let input = json!({"order": {"id": "o-1", "qty": 2}, "user": "u"});
    let (h, step) = Harness::start(pipeline(), input.clone());
    let task_input = json!({
        "id": "o-1",
        "execution": EXECUTION_ARN,
        "attempt": 0,
        "entered": "2024-01-01T00:00:00.000Z",
        "fixed": "x"
    });
    assert_eq!(
        step.effects,
        vec![Effect::RunTask(request(
            1,
            "Call",
            LAMBDA,
            task_input.clone(),
            0
        ))]
    );
    assert_eq!(
        h.types(),
        ["ExecutionStarted", "TaskStateEntered", "TaskScheduled"]
    );
    assert_eq!(links(&h.history), [(1, 0), (2, 1), (3, 2)]);
    assert!(h.history.iter().all(|e| e.timestamp == t0()));

    let started = &h.history[0].details.clone().unwrap();
    assert_eq!(text(started, "input"), input);
    assert_eq!(
        started["roleArn"],
        json!("arn:aws:iam::123456789012:role/Role")
    );
    let entered = details_of(&h.history, "TaskStateEntered", "Call");
    assert_eq!(text(entered, "input"), input);
    let scheduled = h.history[2].details.clone().unwrap();
    assert_eq!(scheduled["resourceType"], json!("lambda"));
    assert_eq!(scheduled["resource"], json!("invoke"));
    assert_eq!(scheduled["region"], json!("us-east-1"));
    assert_eq!(text(&scheduled, "parameters"), task_input);
    assert_eq!(scheduled.get("timeoutInSeconds"), None);
    assert_eq!(h.exec.status, Status::Running);
    assert_eq!(h.exec.pending_tasks(), 1);
}

#[test]
fn result_selector_then_result_path_then_output_path() {
    let input = json!({"order": {"id": "o-1", "qty": 2}, "user": "u"});
    let (mut h, _) = Harness::start(pipeline(), input);

    let started = h.feed_at(at(1), Event::TaskStarted { task: 1 });
    assert_eq!(started.effects, vec![]);
    assert_eq!(types(&started.events), ["TaskStarted"]);
    assert_eq!(
        started.events[0].details,
        Some(json!({"resourceType": "lambda", "resource": "invoke"}))
    );

    let result = json!({"Payload": {"total": 30, "other": 1}, "StatusCode": 200});
    let done = h.feed_at(
        at(2),
        Event::TaskSucceeded {
            task: 1,
            output: result.clone(),
        },
    );
    let output = json!({"id": "o-1", "qty": 2, "charge": {"total": 30, "by": "Call"}});
    assert_eq!(
        done.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        types(&done.events),
        ["TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]
    );
    assert_eq!(links(&done.events), [(5, 4), (6, 5), (7, 6)]);
    assert!(done.events.iter().all(|e| e.timestamp == at(2)));
    let succeeded = done.events[0].details.clone().unwrap();
    assert_eq!(succeeded["resourceType"], json!("lambda"));
    assert_eq!(succeeded["resource"], json!("invoke"));
    assert_eq!(text(&succeeded, "output"), result);
    let exited = done.events[1].details.clone().unwrap();
    assert_eq!(exited["name"], json!("Call"));
    assert_eq!(text(&exited, "output"), output);
    assert_eq!(
        text(done.events[2].details.as_ref().unwrap(), "output"),
        output
    );

    assert_eq!(h.exec.status, Status::Succeeded);
    assert_eq!(h.exec.output, Some(output.clone()));
    assert_eq!(h.exec.stop_time, Some(at(2)));
    assert_eq!(h.exec.pending_tasks(), 0);
    assert_eq!(h.exec.pending_timers(), 0);
    let described = h.exec.describe();
    assert_eq!(described["status"], json!("SUCCEEDED"));
    assert_eq!(described["stopDate"], json!("2024-01-01T00:00:02.000Z"));
    assert_eq!(
        serde_json::from_str::<Value>(described["output"].as_str().unwrap()).unwrap(),
        output
    );
}

#[test]
fn result_path_null_keeps_the_raw_input_and_result_selector_sees_only_the_result() {
    let def = json!({
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": LAMBDA, "InputPath": "$.a", "ResultPath": null, "Next": "U"},
            "U": {"Type": "Task", "Resource": LAMBDA, "ResultSelector": {"got.$": "$"}, "End": true}
        }
    });
    let (mut h, step) = Harness::start(def, json!({"a": {"b": 1}, "c": 2}));
    assert_eq!(only_task(&step).input, json!({"b": 1}));
    let step = h.succeed(1, json!("ignored"));
    assert_eq!(
        step.effects,
        vec![Effect::RunTask(request(
            2,
            "U",
            LAMBDA,
            json!({"a": {"b": 1}, "c": 2}),
            0
        ))]
    );
    h.succeed(2, json!([1, 2]));
    assert_eq!(h.exec.output, Some(json!({"got": [1, 2]})));
    assert_eq!(
        h.types(),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let ids: Vec<u64> = h.history.iter().map(|e| e.id).collect();
    assert_eq!(ids, (1..=12).collect::<Vec<_>>());
    assert!(h.history.iter().all(|e| e.previous_event_id == e.id - 1));
}

fn token_machine() -> Value {
    json!({
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": SQS_TOKEN,
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "input.$": "$"}},
                "ResultPath": "$.answer",
                "Next": "AskAgain"
            },
            "AskAgain": {
                "Type": "Task",
                "Resource": SQS_TOKEN,
                "Parameters": {"token.$": "$$.Task.Token"},
                "End": true
            }
        }
    })
}

fn is_token(token: &str) -> bool {
    token.len() == 64
        && token
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

#[test]
fn wait_for_task_token_puts_the_token_in_the_request_and_the_context() {
    let (mut h, step) = Harness::start(token_machine(), json!({"q": 1}));
    let ask = only_task(&step);
    let token = ask.token.clone().expect("a token for .waitForTaskToken");
    assert!(is_token(&token), "{token}");
    assert_eq!(ask.resource, SQS_TOKEN);
    assert_eq!(
        ask.input,
        json!({"QueueUrl": "q", "MessageBody": {"token": token, "input": {"q": 1}}})
    );
    let scheduled = h.history[2].details.clone().unwrap();
    assert_eq!(scheduled["resourceType"], json!("sqs"));
    assert_eq!(scheduled["resource"], json!("sendMessage.waitForTaskToken"));
    assert_eq!(text(&scheduled, "parameters"), ask.input);

    // SendTaskSuccess: the output goes through ResultPath like any task result.
    let step = h.succeed(ask.id, json!({"approved": true}));
    let again = only_task(&step);
    let second = again.token.clone().unwrap();
    assert!(is_token(&second));
    assert_ne!(second, token, "every task gets its own token");
    assert_eq!(again.input, json!({"token": second}));
    h.succeed(again.id, json!("ok"));
    assert_eq!(h.exec.output, Some(json!("ok")));
}

#[test]
fn tokens_are_deterministic_per_seed() {
    let token = |seed| {
        let (_, step) =
            Harness::start_with(token_machine(), json!({}), seed, EngineConfig::default());
        only_task(&step).token.unwrap()
    };
    assert_eq!(token(7), token(7));
    assert_ne!(token(7), token(8));
}

#[test]
fn plain_resources_get_no_token() {
    let (_, step) = Harness::start(pipeline(), json!({"order": {"id": 1}}));
    assert_eq!(only_task(&step).token, None);
}

#[test]
fn timeout_and_heartbeat_paths_are_read_from_the_effective_input() {
    let def = json!({
        "StartAt": "T",
        "States": {"T": {
            "Type": "Task", "Resource": LAMBDA, "InputPath": "$.cfg",
            "TimeoutSecondsPath": "$.timeout", "HeartbeatSecondsPath": "$.beat", "End": true
        }}
    });
    let (h, step) = Harness::start(def, json!({"cfg": {"timeout": 40, "beat": 7}}));
    let mut expected = request(1, "T", LAMBDA, json!({"timeout": 40, "beat": 7}), 0);
    expected.timeout_seconds = Some(40);
    expected.heartbeat_seconds = Some(7);
    assert_eq!(
        step.effects,
        vec![
            Effect::RunTask(expected),
            Effect::StartTimer { id: 2, due: at(40) },
            Effect::StartTimer { id: 3, due: at(7) },
        ]
    );
    let scheduled = h.history[2].details.clone().unwrap();
    assert_eq!(scheduled["timeoutInSeconds"], json!(40));
    assert_eq!(scheduled["heartbeatInSeconds"], json!(7));
}

#[test]
fn a_task_failure_without_retry_or_catch_fails_the_execution() {
    let (mut h, _) = Harness::start(pipeline(), json!({"order": {"id": 1}}));
    let step = h.fail(1, "Lambda.Unknown", "it broke");
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(types(&step.events), ["TaskFailed", "ExecutionFailed"]);
    assert_eq!(
        step.events[0].details,
        Some(
            json!({"resourceType": "lambda", "resource": "invoke", "error": "Lambda.Unknown", "cause": "it broke"})
        )
    );
    assert_eq!(
        step.events[1].details,
        Some(json!({"error": "Lambda.Unknown", "cause": "it broke"}))
    );
    assert_eq!(h.exec.status, Status::Failed);
    assert_eq!(h.exec.error.as_deref(), Some("Lambda.Unknown"));
    assert_eq!(h.exec.cause.as_deref(), Some("it broke"));
    assert_eq!(h.exec.output, None);
}

// ----- States.DataLimitExceeded -----

const LIMIT: usize = 256 * 1024;

fn limit_machine(catch: &[&str]) -> Value {
    json!({
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task", "Resource": LAMBDA,
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                "Catch": [{"ErrorEquals": catch, "ResultPath": "$.error", "Next": "Caught"}],
                "End": true
            },
            "Caught": {"Type": "Pass", "End": true}
        }
    })
}

/// A string whose JSON text (with its quotes) is `bytes` long.
fn payload(bytes: usize) -> Value {
    Value::String("x".repeat(bytes - 2))
}

#[test]
fn a_result_over_256_kib_fails_with_data_limit_exceeded_which_states_all_does_not_match() {
    let (mut h, _) = Harness::start(limit_machine(&["States.ALL"]), json!({}));
    let step = h.succeed(1, payload(LIMIT + 1));
    // Neither the States.ALL retrier nor the States.ALL catcher applies.
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(types(&step.events), ["TaskSucceeded", "ExecutionFailed"]);
    assert_eq!(h.exec.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(
        h.exec.cause.as_deref(),
        Some("The state/task 'invoke' returned a result with a size exceeding the maximum number of bytes service limit.")
    );
}

#[test]
fn data_limit_exceeded_is_caught_by_name_with_the_raw_input() {
    let (mut h, _) = Harness::start(
        limit_machine(&["States.DataLimitExceeded"]),
        json!({"in": 1}),
    );
    let step = h.succeed(1, payload(LIMIT + 1));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(
        h.exec.output,
        Some(json!({"in": 1, "error": {
            "Error": "States.DataLimitExceeded",
            "Cause": "The state/task 'invoke' returned a result with a size exceeding the maximum number of bytes service limit."
        }}))
    );
}

#[test]
fn a_result_of_exactly_256_kib_is_accepted() {
    let (mut h, _) = Harness::start(limit_machine(&["States.ALL"]), json!({}));
    let step = h.succeed(1, payload(LIMIT));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Succeeded
        }]
    );
    assert_eq!(h.exec.output, Some(payload(LIMIT)));
}

#[test]
fn a_state_output_over_the_limit_after_result_path_fails_the_state() {
    let def = json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.r", "End": true}}
    });
    let (mut h, _) = Harness::start(def, json!({"big": payload(LIMIT / 2)}));
    let step = h.succeed(1, payload(LIMIT / 2));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(types(&step.events), ["TaskSucceeded", "ExecutionFailed"]);
    assert_eq!(h.exec.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(
        h.exec.cause.as_deref(),
        Some("The state/task 'T' returned a result with a size exceeding the maximum number of bytes service limit.")
    );
}

/// The whole history of a one-task execution in AWS's JSON shape.
#[test]
fn history_json_snapshot_of_a_task_execution() {
    let def = json!({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": LAMBDA,
        "InputPath": "$.order",
        "Parameters": {"id.$": "$.id", "execution.$": "$$.Execution.Id"},
        "ResultSelector": {"total.$": "$.Payload.total"},
        "ResultPath": "$.order.charge",
        "OutputPath": "$.order",
        "End": true
    }}});
    let (mut h, _) = Harness::start(def, json!({"order": {"id": "o-1", "qty": 2}, "user": "u"}));
    h.feed_at(at(1), Event::TaskStarted { task: 1 });
    h.feed_at(
        at(2),
        Event::TaskSucceeded {
            task: 1,
            output: json!({"Payload": {"total": 30}, "StatusCode": 200}),
        },
    );
    let input = r#"{"order":{"id":"o-1","qty":2},"user":"u"}"#;
    let output = r#"{"id":"o-1","qty":2,"charge":{"total":30}}"#;
    let not_truncated = json!({"truncated": false});
    assert_eq!(
        h.history_json(),
        [
            json!({
                "timestamp": "2024-01-01T00:00:00.000Z", "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
                "executionStartedEventDetails": {
                    "input": input, "inputDetails": not_truncated,
                    "roleArn": "arn:aws:iam::123456789012:role/Role"
                }
            }),
            json!({
                "timestamp": "2024-01-01T00:00:00.000Z", "type": "TaskStateEntered", "id": 2, "previousEventId": 1,
                "stateEnteredEventDetails": {"name": "Call", "input": input, "inputDetails": not_truncated}
            }),
            json!({
                "timestamp": "2024-01-01T00:00:00.000Z", "type": "TaskScheduled", "id": 3, "previousEventId": 2,
                "taskScheduledEventDetails": {
                    "resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
                    "parameters": format!(r#"{{"id":"o-1","execution":"{EXECUTION_ARN}"}}"#)
                }
            }),
            json!({
                "timestamp": "2024-01-01T00:00:01.000Z", "type": "TaskStarted", "id": 4, "previousEventId": 3,
                "taskStartedEventDetails": {"resourceType": "lambda", "resource": "invoke"}
            }),
            json!({
                "timestamp": "2024-01-01T00:00:02.000Z", "type": "TaskSucceeded", "id": 5, "previousEventId": 4,
                "taskSucceededEventDetails": {
                    "resourceType": "lambda", "resource": "invoke",
                    "output": r#"{"Payload":{"total":30},"StatusCode":200}"#, "outputDetails": not_truncated
                }
            }),
            json!({
                "timestamp": "2024-01-01T00:00:02.000Z", "type": "TaskStateExited", "id": 6, "previousEventId": 5,
                "stateExitedEventDetails": {"name": "Call", "output": output, "outputDetails": not_truncated}
            }),
            json!({
                "timestamp": "2024-01-01T00:00:02.000Z", "type": "ExecutionSucceeded", "id": 7, "previousEventId": 6,
                "executionSucceededEventDetails": {"output": output, "outputDetails": not_truncated}
            }),
        ]
    );
}

#[test]
fn a_task_input_over_256_kib_after_parameters_fails_with_data_limit_exceeded() {
    let def = json!({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"a.$": "$.big", "b.$": "$.big"}, "End": true}}});
    // The state's input is 150 kB (fine); Parameters doubles it to 300 kB.
    let (h, step) = Harness::start(def, json!({"big": "x".repeat(150_000)}));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(h.exec.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn a_repeated_task_started_is_recorded_once() {
    let def = json!({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
    let (mut h, _) = Harness::start(def, json!({}));
    h.feed(Event::TaskStarted { task: 1 });
    assert_eq!(
        h.feed(Event::TaskStarted { task: 1 }),
        engine::Step::default()
    );
}

#[test]
fn a_task_gets_its_raw_input_whether_it_is_handed_over_or_copied() {
    const FN: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";
    let input = json!({"order": {"id": "o-1"}, "n": 1});
    // Handed over (nothing reads the raw input again), then a Catch that writes
    // into the raw input, then a Retry that runs the state again.
    let def = json!({"StartAt": "Plain", "States": {
        "Plain": {"Type": "Task", "Resource": FN, "Next": "Caught"},
        "Caught": {"Type": "Task", "Resource": FN, "Next": "Retried",
                   "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Retried"}]},
        "Retried": {"Type": "Task", "Resource": FN, "End": true,
                    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}]}}});
    let (mut h, step) = Harness::start(def, input.clone());
    assert_eq!(only_task(&step).input, input);
    let step = h.succeed(1, json!({"step": 1}));
    assert_eq!(only_task(&step).input, json!({"step": 1}));
    let step = h.fail(2, "Boom", "why");
    let caught = json!({"step": 1, "error": {"Error": "Boom", "Cause": "why"}});
    assert_eq!(only_task(&step).input, caught);
    let step = h.fail(3, "Boom", "again");
    let timer = step
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::StartTimer { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a backoff timer");
    let step = h.feed_at(at(1), Event::TimerFired { timer });
    let retried = only_task(&step);
    assert_eq!((retried.input, retried.attempt), (caught, 1));
    h.succeed(retried.id, json!("done"));
    assert_eq!(h.exec.status, Status::Succeeded);
    assert_eq!(h.exec.output, Some(json!("done")));
}

#[test]
fn a_handed_over_task_input_over_256_kib_fails_with_data_limit_exceeded() {
    let def = json!({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
    let (h, step) = Harness::start(def, json!({"big": "x".repeat(300_000)}));
    assert_eq!(
        step.effects,
        vec![Effect::Finished {
            status: Status::Failed
        }]
    );
    assert_eq!(h.exec.error.as_deref(), Some("States.DataLimitExceeded"));
}
