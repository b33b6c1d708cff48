//! The `stepwise` binary as a user runs it: exit codes, the last-line contract of
//! `run`, `--history`, `--fast-timers`, and `validate`'s located diagnostics.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output};

fn stepwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(args)
        .output()
        .expect("stepwise runs")
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .expect("write temp file");
    path
}

fn last_line_json(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().expect("some output");
    serde_json::from_str(line).expect("last line is JSON")
}

#[test]
fn run_prints_describe_execution_as_the_last_line() {
    let def = temp_file(
        "greet.asl.json",
        r#"{"StartAt":"Hi","States":{"Hi":{"Type":"Pass","Parameters":{"msg.$":"States.Format('hello {}', $.who)"},"End":true}}}"#,
    );
    let out = stepwise(&[
        "run",
        def.to_str().unwrap(),
        "--input",
        r#"{"who":"ada"}"#,
        "--name",
        "first",
    ]);
    assert!(out.status.success(), "{out:?}");
    let result = last_line_json(&out);
    assert_eq!(result["status"], "SUCCEEDED");
    assert_eq!(result["output"], r#"{"msg":"hello ada"}"#);
    assert_eq!(
        result["executionArn"],
        "arn:aws:states:us-east-1:123456789012:execution:greet:first"
    );
    assert!(result["startDate"].is_string() && result["stopDate"].is_string());
}

#[test]
fn a_failed_execution_exits_1_with_error_and_cause() {
    let def = temp_file(
        "fail.asl.json",
        r#"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"why"}}}"#,
    );
    let out = stepwise(&["run", def.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let result = last_line_json(&out);
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["error"], "Boom");
    assert_eq!(result["cause"], "why");
}

#[test]
fn fast_timers_make_a_one_day_wait_return_at_once_with_the_same_result() {
    let def = temp_file(
        "wait.asl.json",
        r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"Next":"P"},"P":{"Type":"Pass","End":true}}}"#,
    );
    let started = std::time::Instant::now();
    let out = stepwise(&[
        "run",
        def.to_str().unwrap(),
        "--input",
        "{\"a\":1}",
        "--fast-timers",
        "--history",
    ]);
    assert!(started.elapsed().as_secs() < 60);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let types: Vec<String> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["type"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "WaitStateEntered",
            "WaitStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    let result = last_line_json(&out);
    assert_eq!(result["output"], r#"{"a":1}"#);
    let start =
        chrono::DateTime::parse_from_rfc3339(result["startDate"].as_str().unwrap()).unwrap();
    let stop = chrono::DateTime::parse_from_rfc3339(result["stopDate"].as_str().unwrap()).unwrap();
    assert_eq!(
        (stop - start).num_seconds(),
        86400,
        "virtual time advanced by the wait"
    );
}

#[test]
fn a_task_without_a_runner_fails_naming_its_resource() {
    let def = temp_file(
        "task.asl.json",
        r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","End":true}}}"#,
    );
    let result = last_line_json(&stepwise(&["run", def.to_str().unwrap()]));
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["error"], "States.TaskFailed");
    assert!(result["cause"]
        .as_str()
        .unwrap()
        .contains("function:charge"));
}

#[test]
fn validate_reports_every_problem_with_its_location_and_exits_1() {
    let def = temp_file(
        "broken.asl.json",
        r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"],"BackoffRate":0.5}],"Next":"Nowhere"}}}"#,
    );
    let out = stepwise(&["validate", def.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = last_line_json(&out);
    assert_eq!(report["result"], "FAIL");
    let locations: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["location"].as_str().unwrap())
        .collect();
    assert!(
        locations.contains(&"/States/T/Retry/0/BackoffRate"),
        "{locations:?}"
    );
    assert!(locations.contains(&"/States/T/Next"), "{locations:?}");

    let good = temp_file(
        "good.asl.json",
        r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
    );
    assert!(stepwise(&["validate", good.to_str().unwrap()])
        .status
        .success());
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    let good = temp_file(
        "ok.asl.json",
        r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
    );
    let out = stepwise(&["run", good.to_str().unwrap(), "--input", "{not json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--input is not valid JSON"));
    let garbage = temp_file("garbage.asl.json", "[[[");
    let out = stepwise(&["validate", garbage.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("INVALID_JSON_DESCRIPTION"));
}

/// The components scripts/build-guests puts in target/guests (scripts/test builds
/// them before the tests run).
fn guests() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/guests");
    assert!(
        dir.join("bench-add-field.wasm").exists(),
        "run scripts/build-guests first: {} has no components",
        dir.display()
    );
    dir
}

#[test]
fn wasm_tasks_run_through_lambda_arns_wasm_resources_and_lambda_invoke() {
    let def = temp_file(
        "chain.asl.json",
        r#"{"StartAt":"A","States":{
            "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bench-add-field","Next":"B"},
            "B":{"Type":"Task","Resource":"wasm:bench-add-field","Next":"C"},
            "C":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"bench-add-field","Payload.$":"$"},"ResultSelector":{"hops.$":"$.Payload.hops","status.$":"$.StatusCode"},"End":true}}}"#,
    );
    let cache =
        std::env::temp_dir().join(format!("stepwise-cli-test-cache-{}", std::process::id()));
    let out = stepwise(&[
        "run",
        def.to_str().unwrap(),
        "--input",
        r#"{"hops":1}"#,
        "--modules",
        guests().to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
    ]);
    let result = last_line_json(&out);
    assert_eq!(result["status"], "SUCCEEDED", "{result}");
    assert_eq!(result["output"], r#"{"hops":4,"status":200}"#);
}

#[test]
fn a_declined_payment_is_caught_and_compensated() {
    let def = temp_file(
        "saga.asl.json",
        r#"{"StartAt":"Reserve","States":{
            "Reserve":{"Type":"Task","Resource":"wasm:reserve-inventory","ResultPath":"$.reservation","Next":"Charge"},
            "Charge":{"Type":"Task","Resource":"wasm:charge-payment","ResultPath":"$.payment",
                      "Catch":[{"ErrorEquals":["Payment.Declined"],"ResultPath":"$.error","Next":"Release"}],"Next":"Done"},
            "Release":{"Type":"Task","Resource":"wasm:release-inventory","ResultPath":"$.released","Next":"Failed"},
            "Failed":{"Type":"Fail","ErrorPath":"$.error.Error","CausePath":"$.error.Cause"},
            "Done":{"Type":"Succeed"}}}"#,
    );
    let out = stepwise(&[
        "run",
        def.to_str().unwrap(),
        "--input",
        r#"{"orderId":"o-7","card":"declined","items":[{"sku":"A","price":5,"quantity":2}]}"#,
        "--modules",
        guests().to_str().unwrap(),
        "--history",
    ]);
    let result = last_line_json(&out);
    assert_eq!(result["status"], "FAILED", "{result}");
    assert_eq!(result["error"], "Payment.Declined");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let scheduled: Vec<String> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == "TaskScheduled")
        .map(|v| {
            v["taskScheduledEventDetails"]["resource"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        scheduled,
        ["reserve-inventory", "charge-payment", "release-inventory"]
    );
}

/// The order saga example: the balance charge is declined, retried twice with
/// backoff (virtual time), then the saga compensates in reverse order.
#[test]
fn the_order_saga_retries_then_compensates_in_reverse_order() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let def = root.join("examples/order-saga.asl.json");
    let input = format!(
        "file://{}",
        root.join("examples/order-saga.input.json").display()
    );
    let out = stepwise(&[
        "run",
        def.to_str().unwrap(),
        "--input",
        &input,
        "--modules",
        guests().to_str().unwrap(),
        "--fast-timers",
        "--history",
    ]);
    let result = last_line_json(&out);
    assert_eq!(result["status"], "FAILED", "{result}");
    assert_eq!(result["error"], "Payment.Declined");
    assert!(result["cause"].as_str().unwrap().contains("card declined"));
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("type").is_some())
        .collect();
    let millis = |e: &Value| {
        chrono::DateTime::parse_from_rfc3339(e["timestamp"].as_str().unwrap())
            .unwrap()
            .timestamp_millis()
    };
    // ChargeBalance names a Lambda function ARN directly: AWS records its
    // attempts as LambdaFunction* events, with the full ARN.
    const BALANCE: &str = "arn:aws:lambda:us-east-1:123456789012:function:charge-payment";
    let scheduled: Vec<(&str, i64)> = events
        .iter()
        .filter_map(|e| {
            let details = match e["type"].as_str() {
                Some("TaskScheduled") => &e["taskScheduledEventDetails"],
                Some("LambdaFunctionScheduled") => &e["lambdaFunctionScheduledEventDetails"],
                _ => return None,
            };
            Some((details["resource"].as_str().unwrap(), millis(e)))
        })
        .collect();
    let names: Vec<&str> = scheduled.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "reserve-inventory",
            "charge-payment",
            BALANCE,
            BALANCE,
            BALANCE,
            "refund-payment",
            "release-inventory"
        ]
    );
    // Retry: IntervalSeconds 2, BackoffRate 3: the attempts are 2 s then 6 s apart.
    assert_eq!(scheduled[3].1 - scheduled[2].1, 2000);
    assert_eq!(scheduled[4].1 - scheduled[3].1, 6000);
    let outputs: Vec<Value> = events
        .iter()
        .filter(|e| e["type"] == "TaskSucceeded")
        .map(|e| {
            serde_json::from_str(e["taskSucceededEventDetails"]["output"].as_str().unwrap())
                .unwrap()
        })
        .collect();
    assert_eq!(outputs[1]["status"], "CHARGED");
    assert_eq!(outputs[2]["status"], "REFUNDED");
    assert_eq!(outputs[2]["paymentId"], "pay-o-1001");
    assert_eq!(outputs[3]["status"], "RELEASED");
    let count = |t: &str| events.iter().filter(|e| e["type"] == t).count();
    assert_eq!(count("LambdaFunctionFailed"), 3);
    assert_eq!(count("TaskFailed"), 0);
    assert_eq!(events.last().unwrap()["type"], "ExecutionFailed");
}

#[test]
fn bench_measures_task_chain_workloads_and_writes_json() {
    let workload = temp_file(
        "chain3.json",
        r#"{"name":"chain-3","input":{"orderId":"o-1"},"expected_output":{"orderId":"o-1","hops":3},"expected_states_entered":3,
            "definition":{"StartAt":"A","States":{
            "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bench-add-field","Next":"B"},
            "B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bench-add-field","Next":"C"},
            "C":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bench-add-field","End":true}}}}"#,
    );
    let results = workload.with_file_name("chain3-results.json");
    for warm in ["0", "2"] {
        let out = stepwise(&[
            "bench",
            workload.to_str().unwrap(),
            "--n",
            "2",
            "--modules",
            guests().to_str().unwrap(),
            "--warm-instances",
            warm,
            "--json-out",
            results.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{out:?}");
        let written: Value =
            serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
        assert_eq!(written[0]["workload"], "chain-3", "{written}");
        assert_eq!(written[0]["runs"], 2, "{written}");
        assert!(written[0].get("error").is_none(), "{written}");
    }
}

#[test]
fn repeated_resources_resolve_each_time_to_the_module_they_name() {
    // The same Lambda ARN twice, then lambda:invoke twice with the module named
    // by the input: the second names a module that does not exist.
    let def = temp_file(
        "repeat.asl.json",
        r#"{"StartAt":"A","States":{
            "A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bench-add-field","Next":"B"},
            "B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bench-add-field","Next":"C"},
            "C":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"bench-add-field","Payload.$":"$"},"ResultSelector":{"hops.$":"$.Payload.hops","fn":"nope"},"Next":"D"},
            "D":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName.$":"$.fn","Payload.$":"$"},"End":true}}}"#,
    );
    let out = stepwise(&[
        "run",
        def.to_str().unwrap(),
        "--input",
        "{}",
        "--modules",
        guests().to_str().unwrap(),
    ]);
    let result = last_line_json(&out);
    assert_eq!(result["status"], "FAILED", "{result}");
    assert!(
        result["cause"]
            .as_str()
            .is_some_and(|c| c.contains("No module named 'nope'")),
        "{result}"
    );
}
