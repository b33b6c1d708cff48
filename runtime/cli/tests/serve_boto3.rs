//! `stepwise serve` end to end: a real server on a temporary sled store,
//! driven by boto3 (the scenarios are in `serve_boto3.py`).

mod serve_support;

use serve_support::{data_dir, guests_dir, scenario, Server};

fn run(name: &str) {
    let dir = data_dir();
    let server = Server::start(dir.path());
    let out = scenario(&server, name, &[]);
    assert!(out.contains(&format!("{name}: ok")), "{out}");
}

/// Create, describe, list (pages), update, validate, tag and delete machines.
#[test]
fn state_machines() {
    run("machines");
}

/// A Pass/Choice/Wait execution to SUCCEEDED, its history (gap-free ids,
/// pages, reverse order), and StartExecution's idempotency rule.
#[test]
fn standard_execution_and_history() {
    run("standard");
}

/// StopExecution of an execution in a long Wait.
#[test]
fn stop_execution() {
    run("stop");
}

/// `.waitForTaskToken`: the token from the history, SendTaskSuccess/Failure,
/// bogus and spent tokens.
#[test]
fn task_tokens() {
    run("callback");
}

/// An activity worker polling with GetActivityTask from a thread.
#[test]
fn activities() {
    run("activity");
}

/// StartSyncExecution of Express machines, and `/metrics`.
#[test]
fn express_sync() {
    run("express");
}

/// Module upload, a `wasm:` task in a Standard execution and via `/invoke`.
#[test]
fn modules_and_invoke() {
    let Some(guests) = guests_dir() else {
        println!("target/guests is missing (run scripts/build-guests): module test skipped");
        return;
    };
    let dir = data_dir();
    let server = Server::start(dir.path());
    let out = scenario(&server, "modules", &[guests.to_str().expect("UTF-8 path")]);
    assert!(out.contains("modules: ok"), "{out}");
}

/// A server killed with SIGKILL while a Standard and an asynchronous Express
/// execution wait in a 3 s Wait: after a restart on the same data directory
/// the Standard one finishes with a gap-free history, the Express one runs
/// again (at least once), and tags changed on an activity are still there.
#[test]
fn execution_survives_kill_9() {
    let dir = data_dir();
    let server = Server::start(dir.path());
    let out = scenario(&server, "restart-start", &[]);
    let execution = out
        .lines()
        .find_map(|l| l.strip_prefix("EXECUTION="))
        .expect("the scenario prints the execution ARN")
        .to_owned();
    server.kill();
    let server = Server::start(dir.path());
    let out = scenario(&server, "restart-finish", &[&execution]);
    assert!(out.contains("restart: ok"), "{out}");
}

/// Request ids on every reply, EXPRESS validation, the versionDescription and
/// logging rules, and history tokens bound to their execution and direction.
#[test]
fn aws_details() {
    run("aws-details");
}
