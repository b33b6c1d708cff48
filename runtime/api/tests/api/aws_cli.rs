//! The AWS CLI against the server: one success, one error.

use crate::harness::{aws_cli, Server};
use serde_json::Value;

#[test]
fn aws_cli_lists_and_reports_errors() {
    let server = Server::start();
    let created = aws_cli(
        &server,
        &[
            "create-state-machine",
            "--name",
            "cli",
            "--definition",
            r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
            "--role-arn",
            "arn:aws:iam::123456789012:role/r",
        ],
    );
    assert!(created.status.success(), "{created:?}");

    let listed = aws_cli(&server, &["list-state-machines"]);
    assert!(listed.status.success(), "{listed:?}");
    let listed: Value = serde_json::from_slice(&listed.stdout).expect("JSON output");
    assert_eq!(listed["stateMachines"][0]["name"], "cli");
    assert_eq!(listed["stateMachines"][0]["type"], "STANDARD");
    // AWS CLI v1 prints timestamps as received: epoch seconds.
    let created_at = listed["stateMachines"][0]["creationDate"]
        .as_f64()
        .expect("a number");
    assert!(created_at > 1.6e9, "{created_at}");

    let failed = aws_cli(
        &server,
        &["describe-state-machine", "--state-machine-arn", "bogus"],
    );
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("(InvalidArn)") && stderr.contains("Invalid ARN prefix: bogus"),
        "{stderr}"
    );
}
