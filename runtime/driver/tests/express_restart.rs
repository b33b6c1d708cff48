//! Asynchronous Express executions are kept in the store from their
//! acknowledged start until they end, so that a crash in between does not lose
//! them: they run again after a restart (at least once, as on AWS).

use driver::{Driver, DriverConfig, StartRequest, Stats};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use store::{SledStore, Store};
use wasm_host::{Host, HostConfig};

const MACHINE: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

fn request(definition: &Value, name: &str) -> StartRequest {
    StartRequest {
        state_machine_arn: MACHINE.into(),
        state_machine_name: "m".into(),
        definition: definition.to_string(),
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        name: name.into(),
        input_text: r#"{"n":7}"#.into(),
        input: json!({"n": 7}),
        trace_header: None,
    }
}

fn open(dir: &Path) -> Driver {
    let store: Arc<dyn Store> = Arc::new(SledStore::open(dir.join("store")).unwrap());
    let host = Host::new(HostConfig::default().with_cache_dir(dir.join("cache"))).unwrap();
    Driver::open(store, host, DriverConfig::default()).unwrap()
}

fn pending(driver: &Driver) -> Vec<String> {
    driver
        .store()
        .pending_express_starts(None, 100)
        .unwrap()
        .into_iter()
        .map(|r| r.arn)
        .collect()
}

fn arn(name: &str) -> String {
    format!("arn:aws:states:us-east-1:123456789012:express:m:{name}:{name}-id")
}

#[test]
fn an_acknowledged_start_runs_again_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let waits = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
        "P": {"Type": "Pass", "End": true}}});
    let instant = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let driver = open(dir.path());
            driver
                .start_express(request(&waits, "slow"), arn("slow"))
                .await
                .unwrap();
            // One that ends in its first step leaves nothing to keep.
            driver
                .start_express(request(&instant, "quick"), arn("quick"))
                .await
                .unwrap();
            assert_eq!(pending(&driver), [arn("slow")]);
        });
        // The runtime ends here, with the execution in its Wait, as in a crash.
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let driver = open(dir.path());
        assert_eq!(Stats::get(&driver.stats().started), 1, "resumed at open");
        for _ in 0..500 {
            if pending(&driver).is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(
            pending(&driver).is_empty(),
            "still pending: {:?}",
            pending(&driver)
        );
        assert_eq!(Stats::get(&driver.stats().succeeded), 1);
    });
    drop(runtime);
    // Ended: a further restart runs nothing.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let driver = open(dir.path());
        assert_eq!(Stats::get(&driver.stats().started), 0);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_async_express_execution_keeps_its_module_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let driver = open(dir.path());
    let calls = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 60, "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:resize", "End": true}}});
    driver
        .start_express(request(&calls, "uses"), arn("uses"))
        .await
        .unwrap();
    assert_eq!(
        driver.executions_using_module("resize", 3).unwrap(),
        [arn("uses")]
    );
    assert!(driver
        .executions_using_module("other", 3)
        .unwrap()
        .is_empty());
}
