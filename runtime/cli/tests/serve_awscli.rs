//! `stepwise serve` driven by the AWS CLI (`aws stepfunctions ... --endpoint-url`).

mod serve_support;

use serde_json::Value;
use serve_support::{data_dir, Server};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Runs `aws stepfunctions <args> --endpoint-url <server>`.
fn aws(server: &Server, args: &[&str]) -> Output {
    Command::new("aws")
        .arg("stepfunctions")
        .args(args)
        .args(["--endpoint-url", &server.endpoint, "--output", "json"])
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "x")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_PAGER", "")
        // StartSyncExecution's endpoint is "sync-" + host: with a local
        // endpoint URL the prefix must be off, as the README says.
        .env("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
        .output()
        .expect("the aws command runs")
}

/// The JSON a successful command printed.
fn ok(out: Output) -> Value {
    serve_support::check("aws", &out);
    serde_json::from_slice(&out.stdout).expect("aws prints JSON")
}

fn aws_installed() -> bool {
    Command::new("aws").arg("--version").output().is_ok()
}

#[test]
fn create_start_describe_and_an_error() {
    if !aws_installed() {
        println!("the AWS CLI is not installed: test skipped");
        return;
    }
    let dir = data_dir();
    let server = Server::start(dir.path());
    let definition = r#"{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('hello {}', $.who)"},"Next":"Nap"},"Nap":{"Type":"Wait","Seconds":1,"End":true}}}"#;
    let created = ok(aws(
        &server,
        &[
            "create-state-machine",
            "--name",
            "cli-hello",
            "--definition",
            definition,
            "--role-arn",
            "arn:aws:iam::123456789012:role/r",
        ],
    ));
    let machine = created["stateMachineArn"]
        .as_str()
        .expect("an ARN")
        .to_owned();
    assert_eq!(
        machine,
        "arn:aws:states:us-east-1:123456789012:stateMachine:cli-hello"
    );
    let started = ok(aws(
        &server,
        &[
            "start-execution",
            "--state-machine-arn",
            &machine,
            "--name",
            "first",
            "--input",
            r#"{"who":"cli"}"#,
        ],
    ));
    let execution = started["executionArn"].as_str().expect("an ARN").to_owned();
    let deadline = Instant::now() + Duration::from_secs(20);
    let described = loop {
        let described = ok(aws(
            &server,
            &["describe-execution", "--execution-arn", &execution],
        ));
        if described["status"] != "RUNNING" {
            break described;
        }
        assert!(Instant::now() < deadline, "still running: {described}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(described["status"], "SUCCEEDED", "{described}");
    assert_eq!(described["output"], r#"{"greeting":"hello cli"}"#);

    // An error: the AWS CLI shows AWS's code and message, and exits 254.
    let out = aws(
        &server,
        &[
            "describe-state-machine",
            "--state-machine-arn",
            "arn:aws:states:us-east-1:123456789012:stateMachine:absent",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("(StateMachineDoesNotExist)") && stderr.contains("absent"),
        "{stderr}"
    );
}

#[test]
fn start_sync_execution_of_an_express_machine() {
    if !aws_installed() {
        println!("the AWS CLI is not installed: test skipped");
        return;
    }
    let dir = data_dir();
    let server = Server::start(dir.path());
    let definition = r#"{"StartAt":"Sum","States":{"Sum":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.a, $.b)"},"End":true}}}"#;
    let created = ok(aws(
        &server,
        &[
            "create-state-machine",
            "--name",
            "cli-sum",
            "--type",
            "EXPRESS",
            "--definition",
            definition,
            "--role-arn",
            "arn:aws:iam::123456789012:role/r",
        ],
    ));
    let machine = created["stateMachineArn"].as_str().expect("an ARN");
    let run = ok(aws(
        &server,
        &[
            "start-sync-execution",
            "--state-machine-arn",
            machine,
            "--input",
            r#"{"a":2,"b":40}"#,
        ],
    ));
    assert_eq!(run["status"], "SUCCEEDED", "{run}");
    assert_eq!(run["output"], r#"{"sum":42}"#);
    assert!(
        run["executionArn"]
            .as_str()
            .is_some_and(|arn| arn.contains(":express:cli-sum:")),
        "{run}"
    );
}
