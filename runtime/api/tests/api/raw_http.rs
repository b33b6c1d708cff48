//! Raw HTTP against the server: malformed bodies, unknown operations, wrong
//! types, constraint violations, bogus ARNs, oversized bodies, the Stepwise
//! routes; and that the server (and, where the body was read, the same
//! connection) keeps serving after each.

use crate::harness::{Conn, Server, MODULE_LIMIT};
use serde_json::json;

const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";
const DEFINITION: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

fn create_orders(conn: &mut Conn) {
    let body = json!({"name": "orders", "definition": DEFINITION, "roleArn": "arn:aws:iam::123456789012:role/r"});
    let reply = conn.aws("CreateStateMachine", &body.to_string());
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// The connection still answers: ListStateMachines works on it.
#[track_caller]
fn still_serving(conn: &mut Conn) {
    let reply = conn.aws("ListStateMachines", "{}");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.json()["stateMachines"].is_array());
}

#[test]
fn malformed_requests_get_aws_errors_and_the_connection_survives() {
    let server = Server::start();
    let mut conn = server.connect();

    let message = conn
        .aws("ListStateMachines", "{not json")
        .error(400, "SerializationException");
    assert!(
        message.starts_with("The request body is not valid JSON"),
        "{message}"
    );
    still_serving(&mut conn);

    let message = conn
        .aws("ListStateMachines", "[1]")
        .error(400, "SerializationException");
    assert_eq!(
        message,
        "The request body must be a JSON object, not an array"
    );

    let message = conn
        .aws("Frobnicate", "{}")
        .error(400, "UnknownOperationException");
    assert_eq!(message, "Unknown operation: 'AWSStepFunctions.Frobnicate'");
    let message = conn
        .request("POST", "/", &[], b"{}")
        .error(400, "UnknownOperationException");
    assert!(
        message.starts_with("Missing X-Amz-Target header"),
        "{message}"
    );
    let message = conn
        .request(
            "POST",
            "/",
            &[("X-Amz-Target", "DynamoDB_20120810.ListTables")],
            b"{}",
        )
        .error(400, "UnknownOperationException");
    assert!(
        message.contains("DynamoDB_20120810.ListTables"),
        "{message}"
    );
    let message = conn
        .aws("TestState", "{}")
        .error(400, "UnsupportedOperation");
    assert_eq!(message, "Stepwise does not support TestState yet");
    still_serving(&mut conn);

    let message = conn
        .aws("DescribeStateMachine", r#"{"stateMachineArn": 42}"#)
        .error(400, "SerializationException");
    assert_eq!(
        message,
        "Expected a string at 'stateMachineArn', got a number"
    );
    let message = conn
        .aws("ListStateMachines", r#"{"maxResults": "10"}"#)
        .error(400, "SerializationException");
    assert_eq!(message, "Expected an integer at 'maxResults', got a string");
    let message = conn
        .aws("CreateStateMachine", r#"{"name":"m","definition":"{}","roleArn":"arn:aws:iam::1:role/r","tags":[{"key":7}]}"#)
        .error(400, "SerializationException");
    assert_eq!(
        message,
        "Expected a string at 'tags.1.member.key', got a number"
    );
    let message = conn
        .aws(
            "StartExecution",
            &json!({"stateMachineArn": SM, "input": {"a": 1}}).to_string(),
        )
        .error(400, "SerializationException");
    assert_eq!(message, "Expected a string at 'input', got an object");
    still_serving(&mut conn);

    let long = "x".repeat(81);
    let body = json!({"name": long, "definition": DEFINITION, "roleArn": "arn:aws:iam::1:role/r"});
    let message = conn
        .aws("CreateStateMachine", &body.to_string())
        .error(400, "ValidationException");
    assert_eq!(
        message,
        format!("1 validation error detected: Value '{long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80")
    );
    let message = conn
        .aws("CreateStateMachine", "{}")
        .error(400, "ValidationException");
    assert_eq!(
        message,
        "3 validation errors detected: \
         Value null at 'name' failed to satisfy constraint: Member must not be null; \
         Value null at 'definition' failed to satisfy constraint: Member must not be null; \
         Value null at 'roleArn' failed to satisfy constraint: Member must not be null"
    );
    let message = conn
        .aws(
            "ListExecutions",
            &json!({"stateMachineArn": SM, "statusFilter": "DONE"}).to_string(),
        )
        .error(400, "ValidationException");
    assert!(message.contains("Value 'DONE' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]"), "{message}");
    still_serving(&mut conn);
}

#[test]
fn names_arns_and_inputs_are_checked_before_the_backend() {
    let server = Server::start();
    let mut conn = server.connect();
    create_orders(&mut conn);

    for (arn, reason) in [
        ("bogus", "Invalid ARN prefix: bogus"),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "Service not valid in this context: lambda",
        ),
        (
            "arn:aws:states:us-east-1:123456789012:activity:orders",
            "Resource type not valid in this context: activity",
        ),
        (
            "arn:aws:states:us-east-1:1234:stateMachine:orders",
            "Account ID not valid (12 digits): 1234",
        ),
        (
            "arn:aws:states:us-east-1:123456789012:stateMachine:or ders",
            "Resource name not valid: or ders",
        ),
    ] {
        let message = conn
            .aws(
                "DescribeStateMachine",
                &json!({"stateMachineArn": arn}).to_string(),
            )
            .error(400, "InvalidArn");
        assert_eq!(message, format!("Invalid Arn: '{reason}'"));
    }
    let message = conn
        .aws(
            "DescribeExecution",
            &json!({"executionArn": SM}).to_string(),
        )
        .error(400, "InvalidArn");
    assert_eq!(
        message,
        "Invalid Arn: 'Resource type not valid in this context: stateMachine'"
    );

    for bad in [
        "a b", "a<b", "a{b", "a[b", "a?b", "a*b", "a\"b", "a#b", "a%b", "a\\b", "a^b", "a|b",
        "a~b", "a`b", "a$b", "a&b", "a,b", "a;b", "a:b", "a/b", "a\u{1}b", "a\u{7f}b",
    ] {
        let body = json!({"stateMachineArn": SM, "name": bad});
        let message = conn
            .aws("StartExecution", &body.to_string())
            .error(400, "InvalidName");
        assert!(
            message.starts_with(&format!("Invalid Name: '{bad}'")),
            "{message}"
        );
    }

    // 256 KiB of UTF-8 is the limit, exactly.
    let input = |len: usize| format!("\"{}\"", "a".repeat(len - 2));
    let ok = conn.aws(
        "StartExecution",
        &json!({"stateMachineArn": SM, "input": input(262_144)}).to_string(),
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    let message = conn
        .aws(
            "StartExecution",
            &json!({"stateMachineArn": SM, "input": input(262_145)}).to_string(),
        )
        .error(400, "InvalidExecutionInput");
    assert_eq!(message, "Invalid State Machine Execution Input at 'input': 262145 bytes is more than the maximum of 262144 bytes (UTF-8)");
    let message = conn
        .aws(
            "SendTaskSuccess",
            &json!({"taskToken": "t", "output": "{\"a\":"}).to_string(),
        )
        .error(400, "InvalidOutput");
    assert!(
        message.starts_with("Invalid Output at 'output': "),
        "{message}"
    );
    still_serving(&mut conn);
}

#[test]
fn oversized_bodies_are_refused_and_the_server_keeps_serving() {
    let server = Server::start();

    // Announced by Content-Length: refused before the body is sent.
    let mut conn = server.connect();
    let limit = api::DEFAULT_MAX_API_BODY_BYTES;
    conn.send(
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nContent-Length: {}\r\n\r\n",
            limit + 1
        )
        .as_bytes(),
    );
    let reply = conn.read_reply();
    let message = reply.error(413, "RequestEntityTooLarge");
    assert_eq!(
        message,
        format!("The request body is larger than the limit of {limit} bytes")
    );
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(conn.is_closed());

    // Chunked, so only counting finds it.
    let mut conn = server.connect();
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nTransfer-Encoding: chunked\r\n\r\n");
    let chunk = vec![b' '; 1 << 20];
    let mut sent = 0;
    while sent <= limit {
        conn.send(format!("{:x}\r\n", chunk.len()).as_bytes());
        conn.send(&chunk);
        conn.send(b"\r\n");
        sent += chunk.len();
    }
    conn.send(b"0\r\n\r\n");
    conn.read_reply().error(413, "RequestEntityTooLarge");

    // Module uploads have their own limit.
    let mut conn = server.connect();
    let reply = conn.request("PUT", "/modules/big", &[], &vec![0; MODULE_LIMIT + 1]);
    reply.error(413, "RequestEntityTooLarge");
    let reply = server
        .connect()
        .request("PUT", "/modules/big", &[], &vec![1; MODULE_LIMIT]);
    assert_eq!(reply.status, 200, "{}", reply.text());

    // Sync invoke bodies too: the input limit.
    let mut conn = server.connect();
    create_orders(&mut conn);
    let reply = conn.request(
        "POST",
        "/invoke/orders",
        &[],
        &vec![b' '; api::DEFAULT_MAX_INVOKE_BODY_BYTES + 1],
    );
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["error"], "RequestEntityTooLarge");

    still_serving(&mut server.connect());
}

#[test]
fn keep_alive_pipelining_and_garbage() {
    let server = Server::start();
    let mut conn = server.connect();
    // Two requests in one write: two replies, in order.
    let one = "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListActivities\r\nContent-Length: 2\r\n\r\n{}";
    let two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    conn.send(format!("{one}{two}").as_bytes());
    assert_eq!(conn.read_reply().json(), json!({"activities": []}));
    assert_eq!(conn.read_reply().text(), "ok");
    for _ in 0..100 {
        still_serving(&mut conn);
    }

    let mut garbage = server.connect();
    garbage.send(b"\x00\x01 not http at all\r\n\r\n");
    let reply = garbage.read_reply();
    assert_eq!(reply.status, 400);
    still_serving(&mut server.connect());
}

#[test]
fn health_metrics_and_unknown_routes() {
    let server = Server::start();
    let mut conn = server.connect();
    let health = conn.request("GET", "/healthz", &[], b"");
    assert_eq!((health.status, health.text().as_str()), (200, "ok"));

    create_orders(&mut conn);
    let reply = conn.aws(
        "StartExecution",
        &json!({"stateMachineArn": SM}).to_string(),
    );
    assert_eq!(reply.status, 200);
    let metrics = conn.request("GET", "/metrics", &[], b"");
    assert_eq!(metrics.status, 200);
    assert!(metrics
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")));
    let text = metrics.text();
    assert!(
        text.contains("stepwise_executions_started_total 1\n"),
        "{text}"
    );
    assert!(
        text.contains("stepwise_executions_finished_total{status=\"SUCCEEDED\"} 1\n"),
        "{text}"
    );

    let message = conn
        .request("GET", "/nope", &[], b"")
        .error(404, "NotFound");
    assert_eq!(message, "No route for GET /nope");
    let reply = conn.request("GET", "/", &[], b"");
    reply.error(405, "MethodNotAllowed");
    assert_eq!(reply.header("allow"), Some("POST"));
    let reply = conn.request("POST", "/modules/x", &[], b"");
    reply.error(405, "MethodNotAllowed");
    assert_eq!(reply.header("allow"), Some("GET, PUT, DELETE"));
    still_serving(&mut conn);
}

#[test]
fn modules() {
    let server = Server::start();
    let mut conn = server.connect();
    let put = conn.request(
        "PUT",
        "/modules/greet",
        &[("Content-Type", "application/wasm")],
        b"\0asm-one",
    );
    assert_eq!(put.status, 200, "{}", put.text());
    let first = put.json();
    assert_eq!(
        (
            first["name"].as_str(),
            first["version"].as_u64(),
            first["size"].as_u64()
        ),
        (Some("greet"), Some(1), Some(8))
    );
    assert_eq!(first["sha256"].as_str().map(str::len), Some(64));
    assert!(first["createdDate"].is_f64());
    let second = conn
        .request("PUT", "/modules/greet", &[], b"\0asm-two")
        .json();
    assert_eq!(second["version"], 2);
    conn.request("PUT", "/modules/Z%C3%BCrich", &[], b"\0asm")
        .json();

    let list = conn.request("GET", "/modules", &[], b"").json();
    let names: Vec<_> = list["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| m["name"].as_str())
        .collect();
    assert_eq!(names, [Some("Zürich"), Some("greet")]);
    let described = conn.request("GET", "/modules/greet", &[], b"").json();
    assert_eq!(described["versions"].as_array().map(Vec::len), Some(2));

    conn.request("PUT", "/modules/empty", &[], b"")
        .error(400, "InvalidModule");
    let message = conn
        .request("PUT", "/modules/bad%20name", &[], b"x")
        .error(400, "InvalidName");
    assert!(message.starts_with("Invalid Name: 'bad name'"), "{message}");
    conn.request("GET", "/modules/a%zz", &[], b"")
        .error(400, "InvalidName");
    conn.request("GET", "/modules/missing", &[], b"")
        .error(404, "ModuleDoesNotExist");

    let deleted = conn.request("DELETE", "/modules/greet", &[], b"");
    assert_eq!((deleted.status, deleted.body.len()), (204, 0));
    conn.request("DELETE", "/modules/greet", &[], b"")
        .error(404, "ModuleDoesNotExist");
    still_serving(&mut conn);
}

#[test]
fn sync_invoke() {
    let server = Server::start();
    let mut conn = server.connect();
    create_orders(&mut conn);
    let express = "arn:aws:states:us-east-1:123456789012:express:orders:invoke:0000";

    let reply = conn.request(
        "POST",
        "/invoke/orders",
        &[("Content-Type", "application/json")],
        br#"{"order": 7}"#,
    );
    assert_eq!(
        (reply.status, reply.text().as_str()),
        (200, r#"{"order": 7}"#)
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("x-stepwise-execution-arn"), Some(express));
    let empty = conn.request("POST", "/invoke/orders", &[], b"");
    assert_eq!((empty.status, empty.text().as_str()), (200, "{}"));

    for (name, status, error) in [
        ("timeout", 504, "States.Timeout"),
        ("task-failed", 500, "States.TaskFailed"),
        ("task-error", 502, "Lambda.Unknown"),
    ] {
        let reply = conn.request("POST", &format!("/invoke/{name}"), &[], b"{}");
        assert_eq!(reply.status, status, "{name}");
        assert_eq!(reply.json()["error"], error);
        assert!(reply.json()["cause"].is_string());
        assert!(reply
            .header("x-stepwise-execution-arn")
            .is_some_and(|arn| arn.contains(name)));
    }

    let reply = conn.request("POST", "/invoke/orders", &[], b"{oops");
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"], "InvalidExecutionInput");
    assert!(reply.json()["cause"]
        .as_str()
        .is_some_and(|c| c.starts_with("Invalid State Machine Execution Input: ")));
    assert_eq!(reply.header("x-stepwise-execution-arn"), None);
    let reply = conn.request("POST", "/invoke/missing", &[], b"{}");
    assert_eq!(
        (reply.status, reply.json()["error"].as_str()),
        (404, Some("StateMachineDoesNotExist"))
    );
    let reply = conn.request("POST", "/invoke/no%20pe", &[], b"{}");
    assert_eq!(
        (reply.status, reply.json()["error"].as_str()),
        (400, Some("InvalidName"))
    );

    // A panicking backend is a 500, and the connection goes on.
    let reply = conn.request("POST", "/invoke/panic", &[], b"{}");
    assert_eq!(reply.status, 500);
    assert_eq!(reply.json()["error"], "InternalFailure");
    still_serving(&mut conn);
}
