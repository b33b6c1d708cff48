//! The driver with a real sled store on disk and the real WASM host: Standard
//! executions persisted and resumed after a restart, task tokens, Express runs.

use driver::{Driver, DriverConfig, StartRequest};
use engine::Status;
use serde_json::{json, Value};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use store::{ExecutionRecord, ExecutionStatus, HistoryQuery, SledStore, Store};
use wasm_host::{Host, HostConfig};

fn request(definition: &Value, name: &str, input: Value) -> StartRequest {
    StartRequest {
        state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:m".into(),
        state_machine_name: "m".into(),
        definition: definition.to_string(),
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        name: name.into(),
        input_text: input.to_string(),
        input,
        trace_header: None,
    }
}

fn open(dir: &Path) -> Driver {
    let store: Arc<dyn Store> = Arc::new(SledStore::open(dir.join("store")).unwrap());
    let host = Host::new(HostConfig::default().with_cache_dir(dir.join("cache"))).unwrap();
    Driver::open(store, host, DriverConfig::default()).unwrap()
}

/// Polls the store until the execution has finished.
async fn finished(driver: &Driver, arn: &str) -> ExecutionRecord {
    for _ in 0..500 {
        let record = driver.store().get_execution(arn).unwrap().unwrap();
        if record.status.is_finished() {
            return record;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("execution {arn} did not finish");
}

/// The execution's history: event types, checking ids are 1..n.
fn history(driver: &Driver, arn: &str) -> Vec<Value> {
    let events = driver
        .store()
        .history(
            arn,
            HistoryQuery {
                limit: 10_000,
                ..HistoryQuery::default()
            },
        )
        .unwrap();
    let events: Vec<Value> = events
        .iter()
        .map(|e| serde_json::from_str(&e.json).unwrap())
        .collect();
    for (i, event) in events.iter().enumerate() {
        assert_eq!(
            event["id"],
            json!(i as u64 + 1),
            "gap in history: {events:?}"
        );
    }
    events
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standard_execution_is_persisted_with_its_history() {
    let dir = temp();
    let driver = open(dir.path());
    let def = json!({
        "StartAt": "P",
        "States": {
            "P": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.p", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
            "Done": {"Type": "Succeed"}
        }
    });
    let record = driver
        .start(request(&def, "e1", json!({"a": 1})))
        .await
        .unwrap();
    assert_eq!(record.status, ExecutionStatus::Running);
    let done = finished(&driver, &record.arn).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(
        serde_json::from_str::<Value>(done.output.as_deref().unwrap()).unwrap(),
        json!({"a": 1, "p": {"x": 1}})
    );
    let events = history(&driver, &record.arn);
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(done.seq, events.len() as u64);
    // No timers or tokens are left behind.
    assert!(driver.store().next_timer().unwrap().is_none());

    // The same name: the same execution only while it runs with the same input.
    let again = driver.start(request(&def, "e1", json!({"a": 1}))).await;
    assert!(matches!(
        again,
        Err(driver::DriverError::ExecutionAlreadyExists(_))
    ));
}

#[test]
fn a_waiting_execution_resumes_after_a_restart() {
    let dir = temp();
    let def = json!({
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": 2, "Next": "P"},
            "P": {"Type": "Pass", "End": true}
        }
    });
    let arn = {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let driver = open(dir.path());
            let record = driver
                .start(request(&def, "sleepy", json!({"n": 7})))
                .await
                .unwrap();
            record.arn
        })
        // The runtime (and the driver's loops) end here, as in a crash.
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let driver = open(dir.path());
        let done = finished(&driver, &arn).await;
        assert_eq!(done.status, ExecutionStatus::Succeeded);
        assert_eq!(done.output.as_deref(), Some(r#"{"n":7}"#));
        let events = history(&driver, &arn);
        assert_eq!(events.last().unwrap()["type"], "ExecutionSucceeded");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_token_completes_a_waiting_task() {
    let dir = temp();
    let driver = open(dir.path());
    let def = json!({
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
                "End": true
            }
        }
    });
    let record = driver
        .start(request(&def, "approval", json!({})))
        .await
        .unwrap();
    let events = history(&driver, &record.arn);
    let scheduled = events
        .iter()
        .find(|e| e["type"] == "TaskScheduled")
        .expect("TaskScheduled");
    let parameters: Value = serde_json::from_str(
        scheduled["taskScheduledEventDetails"]["parameters"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let token = parameters["MessageBody"].as_str().unwrap().to_string();
    assert!(matches!(
        driver.send_task_success("not-a-token", json!(1)).await,
        Err(driver::DriverError::InvalidToken(_))
    ));
    driver
        .send_task_success(&token, json!({"approved": true}))
        .await
        .unwrap();
    let done = finished(&driver, &record.arn).await;
    assert_eq!(done.output.as_deref(), Some(r#"{"approved":true}"#));
    // The token is spent.
    assert!(matches!(
        driver.send_task_success(&token, json!(1)).await,
        Err(driver::DriverError::TaskDoesNotExist)
    ));
    assert_eq!(
        types(&history(&driver, &record.arn))[1..],
        [
            "TaskStateEntered",
            "TaskScheduled",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_aborts_a_waiting_execution() {
    let dir = temp();
    let driver = open(dir.path());
    let def =
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}});
    let record = driver
        .start(request(&def, "long", json!({})))
        .await
        .unwrap();
    let stopped = driver
        .stop(&record.arn, Some("Bored".into()), Some("enough".into()))
        .await
        .unwrap();
    assert_eq!(stopped.status, ExecutionStatus::Aborted);
    assert_eq!(stopped.error.as_deref(), Some("Bored"));
    assert_eq!(
        history(&driver, &record.arn).last().unwrap()["type"],
        "ExecutionAborted"
    );
    assert!(driver.store().next_timer().unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn express_runs_in_memory_to_its_outcome() {
    let dir = temp();
    let driver = open(dir.path());
    let def = json!({
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": 0, "Next": "F"},
            "F": {"Type": "Fail", "Error": "Nope", "Cause": "because"}
        }
    });
    let arn = driver.express_arn("m", "x", "1");
    let outcome = driver
        .run_express(request(&def, "x", json!({})), arn.clone())
        .await
        .unwrap();
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some("Nope"));
    assert!(driver.store().get_execution(&arn).unwrap().is_none());
}

fn guest(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/guests")
        .join(format!("{name}.wasm"));
    path.exists().then_some(path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn module_tasks_run_on_the_wasm_host() {
    let Some(path) = guest("bench-add-field") else {
        eprintln!("target/guests/bench-add-field.wasm is missing: run scripts/build-guests");
        return;
    };
    let dir = temp();
    let driver = open(dir.path());
    let bytes = std::fs::read(path).unwrap();
    let (_, ticket) = driver
        .store()
        .put_module("bench-add-field", &bytes, 0)
        .unwrap();
    ticket.await.unwrap();
    let def = json!({
        "StartAt": "A",
        "States": {
            "A": {"Type": "Task", "Resource": "wasm:bench-add-field", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:bench-add-field", "End": true}
        }
    });
    let record = driver
        .start(request(&def, "hops", json!({"k": "v"})))
        .await
        .unwrap();
    let done = finished(&driver, &record.arn).await;
    assert_eq!(done.output.as_deref(), Some(r#"{"k":"v","hops":2}"#));
    let outcome = driver
        .run_express(
            request(&def, "hops", json!({"hops": 5})),
            driver.express_arn("m", "hops", "1"),
        )
        .await
        .unwrap();
    assert_eq!(outcome.output.as_deref(), Some(r#"{"hops":7}"#));
    // A missing module fails the task with a clear cause.
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "wasm:nothing", "End": true}}});
    let outcome = driver
        .run_express(
            request(&def, "missing", json!({})),
            driver.express_arn("m", "missing", "1"),
        )
        .await
        .unwrap();
    assert_eq!(outcome.error.as_deref(), Some("States.TaskFailed"));
    assert!(outcome.cause.unwrap().contains("No module named 'nothing'"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_express_run_cannot_wait_for_a_token_and_fails_at_once() {
    let dir = temp();
    let driver = open(dir.path());
    let def = json!({
        "StartAt": "Ask",
        "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}
    });
    let outcome = driver
        .run_express(
            request(&def, "x", json!({})),
            driver.express_arn("m", "x", "1"),
        )
        .await
        .unwrap();
    assert_eq!(outcome.error.as_deref(), Some("States.TaskFailed"));
    assert!(outcome.cause.unwrap().contains("Express"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_execution_keeps_the_definition_it_started_with() {
    let dir = temp();
    let driver = open(dir.path());
    let def =
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}});
    let record = driver
        .start(request(&def, "kept", json!({})))
        .await
        .unwrap();
    assert_eq!(driver.definition_of(&record.arn).unwrap(), def.to_string());
    assert!(
        driver
            .stats()
            .transitions
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 1
    );
}

/// A start whose caller goes away while the first commit waits for the disk
/// (an HTTP client that disconnected) still runs its execution: the commit
/// and the actor do not live in the caller's future. (They did: a timer of
/// the first step queued for the dropped actor was lost until the timer
/// loop's redelivery, 5 s later, and the actor stayed counted as active.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_whose_caller_goes_away_still_runs() {
    let dir = temp();
    let driver = open(dir.path());
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 0, "Next": "P"},
        "P": {"Type": "Pass", "End": true}}});
    let arn = driver.execution_arn("m", "dropped");
    let mut start = Box::pin(driver.start(request(&def, "dropped", json!({}))));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let _ = start.as_mut().poll(&mut cx);
    drop(start);
    for _ in 0..500 {
        if driver.store().get_execution(&arn).unwrap().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let record = finished(&driver, &arn).await;
    assert_eq!(record.status, ExecutionStatus::Succeeded);
    for _ in 0..500 {
        if driver
            .stats()
            .active
            .load(std::sync::atomic::Ordering::Relaxed)
            == 0
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the dropped start's actor is still counted as active");
}
