//! The hostile components of guest-examples/rust: each fails with the right ASL
//! error, and the host runs the next task normally afterwards.

mod common;

use common::{host, invocation, json, module, module_with};
use std::time::{Duration, Instant};
use wasm_host::{
    LogSource, ModuleOptions, TaskFailure, DATA_LIMIT_EXCEEDED, HEARTBEAT_TIMEOUT, TASK_FAILED,
    TIMEOUT,
};

/// A sanity bound for "stopped at the deadline": far above the tick (5 ms) so a
/// busy machine cannot fail it, far below "never stopped".
const LATE: Duration = Duration::from_secs(10);

/// The host still runs an ordinary task.
fn next_task_works() {
    let out = host()
        .invoke(&module("bench-add-field"), invocation(r#"{"hops": 1}"#))
        .expect("the task after a hostile one runs");
    assert_eq!(json(&out.output)["hops"], 2);
}

fn fails(name: &str, input: &str, timeout: Option<Duration>) -> TaskFailure {
    let mut inv = invocation(input);
    inv.timeout = timeout;
    let failure = host()
        .invoke(&module(name), inv)
        .expect_err("the hostile task fails");
    next_task_works();
    failure
}

#[test]
fn an_endless_loop_stops_at_the_deadline() {
    let timeout = Duration::from_millis(200);
    let started = Instant::now();
    let failure = fails("hostile-loop", "{}", Some(timeout));
    let took = started.elapsed();
    assert_eq!(failure.error, TIMEOUT, "{failure:?}");
    assert!(took >= timeout, "stopped before its deadline: {took:?}");
    // The target is within 100 ms of the deadline (one 5 ms epoch tick in
    // practice); the bound asserted is loose because CI machines are noisy.
    println!(
        "endless loop: stopped {:?} after its {timeout:?} deadline",
        took.saturating_sub(timeout)
    );
    assert!(
        took < timeout + LATE,
        "stopped long after its deadline: {took:?}"
    );
}

#[test]
fn an_endless_loop_without_heartbeats_misses_its_heartbeat() {
    let mut inv = invocation("{}");
    inv.timeout = Some(Duration::from_secs(30));
    inv.heartbeat = Some(Duration::from_millis(100));
    let started = Instant::now();
    let failure = host().invoke(&module("hostile-loop"), inv).unwrap_err();
    assert_eq!(failure.error, HEARTBEAT_TIMEOUT, "{failure:?}");
    assert!(started.elapsed() < Duration::from_secs(30) + LATE);
    next_task_works();
}

#[test]
fn an_endless_loop_with_heartbeats_runs_to_the_deadline() {
    let mut inv = invocation(r#"{"heartbeat": true}"#);
    inv.timeout = Some(Duration::from_millis(400));
    // Far longer than the interval between two of its heartbeats (a million
    // rounds of an add: around a millisecond, even in a slow build).
    inv.heartbeat = Some(Duration::from_millis(300));
    let failure = host().invoke(&module("hostile-loop"), inv).unwrap_err();
    assert_eq!(failure.error, TIMEOUT, "{failure:?}");
    next_task_works();
}

#[test]
fn the_default_deadline_applies_without_a_timeout() {
    let host = wasm_host::Host::new(wasm_host::HostConfig {
        default_timeout: Duration::from_millis(100),
        ..Default::default()
    })
    .unwrap();
    let m = host
        .load(&common::guest("hostile-loop"), ModuleOptions::default())
        .unwrap();
    let failure = host.invoke(&m, invocation("{}")).unwrap_err();
    assert_eq!(failure.error, TIMEOUT);
    assert!(
        failure.cause.contains("default timeout"),
        "{}",
        failure.cause
    );
}

#[test]
fn a_cancelled_invocation_stops() {
    let token = wasm_host::CancelToken::new();
    let mut inv = invocation("{}");
    inv.timeout = Some(Duration::from_secs(60));
    inv.cancel = Some(token.clone());
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        token.cancel();
    });
    let failure = host().invoke(&module("hostile-loop"), inv).unwrap_err();
    canceller.join().unwrap();
    assert_eq!(failure.error, TASK_FAILED);
    assert!(failure.cause.contains("cancelled"), "{}", failure.cause);
    next_task_works();
}

#[test]
fn endless_allocation_hits_the_memory_limit() {
    let failure = fails("hostile-alloc", "{}", Some(Duration::from_secs(60)));
    assert_eq!(failure.error, TASK_FAILED, "{failure:?}");
    assert!(
        failure
            .cause
            .starts_with("memory limit exceeded: the task asked for ")
            && failure
                .cause
                .ends_with("over its limit of 134217728 bytes (128 MiB)"),
        "{}",
        failure.cause
    );
}

#[test]
fn the_memory_limit_is_per_module() {
    let m = module_with(
        "hostile-alloc",
        ModuleOptions {
            memory_limit: 16 * 1024 * 1024,
            ..Default::default()
        },
    );
    let failure = host().invoke(&m, invocation("{}")).unwrap_err();
    assert_eq!(failure.error, TASK_FAILED);
    assert!(failure.cause.contains("(16 MiB)"), "{}", failure.cause);
    next_task_works();
}

#[test]
fn endless_recursion_traps() {
    let failure = fails("hostile-recursion", "{}", Some(Duration::from_secs(60)));
    assert_eq!(failure.error, TASK_FAILED, "{failure:?}");
    assert!(failure.cause.contains("wasm trap"), "{}", failure.cause);
}

#[test]
fn a_panic_fails_with_its_message() {
    let failure = fails("hostile-panic", "{}", None);
    assert_eq!(failure.error, TASK_FAILED, "{failure:?}");
    assert!(
        failure.cause.contains("hostile-panic: deliberate panic")
            && failure.cause.contains("wasm trap"),
        "{}",
        failure.cause
    );
    assert!(failure
        .logs
        .iter()
        .any(|l| l.source == LogSource::Stderr && l.message.contains("deliberate panic")));
}

#[test]
fn a_big_output_exceeds_the_data_limit() {
    let failure = fails("hostile-big-output", "{}", None);
    assert_eq!(failure.error, DATA_LIMIT_EXCEEDED, "{failure:?}");
    assert!(failure.cause.contains("'Step'"), "{}", failure.cause);
    // Just over the limit too; just under it passes.
    let failure = fails("hostile-big-output", r#"{"bytes": 262143}"#, None);
    assert_eq!(failure.error, DATA_LIMIT_EXCEEDED);
    let out = host()
        .invoke(
            &module("hostile-big-output"),
            invocation(r#"{"bytes": 262142}"#),
        )
        .unwrap();
    assert_eq!(out.output.len(), 256 * 1024);
}

#[test]
fn the_output_limit_is_per_invocation() {
    let mut inv = invocation(r#"{"bytes": 100}"#);
    inv.max_output_bytes = 50;
    let failure = host()
        .invoke(&module("hostile-big-output"), inv)
        .unwrap_err();
    assert_eq!(failure.error, DATA_LIMIT_EXCEEDED);
}

#[test]
fn a_trap_at_instantiation_fails_the_task() {
    let failure = fails("hostile-trap-at-start", "{}", None);
    assert_eq!(failure.error, TASK_FAILED, "{failure:?}");
    assert!(
        failure.cause.contains("could not be started") && failure.cause.contains("unreachable"),
        "{}",
        failure.cause
    );
}

#[test]
fn warm_instances_are_reused_until_one_traps() {
    let m = module_with(
        "hostile-panic",
        ModuleOptions {
            warm_instances: 1,
            ..Default::default()
        },
    );
    assert_eq!(m.warm_instances(), 0);
    let calm = r#"{"dontPanic":true}"#;
    assert_eq!(host().invoke(&m, invocation(calm)).unwrap().output, calm);
    assert_eq!(m.warm_instances(), 1);
    assert_eq!(host().invoke(&m, invocation(calm)).unwrap().output, calm);
    assert_eq!(m.warm_instances(), 1);
    let failure = host().invoke(&m, invocation("{}")).unwrap_err();
    assert_eq!(failure.error, TASK_FAILED);
    assert_eq!(m.warm_instances(), 0, "a trapped instance is not kept");
    assert_eq!(host().invoke(&m, invocation(calm)).unwrap().output, calm);
    assert_eq!(m.warm_instances(), 1);
}

#[test]
fn a_guest_error_keeps_a_warm_instance() {
    let m = module_with(
        "bench-add-field",
        ModuleOptions {
            warm_instances: 2,
            ..Default::default()
        },
    );
    let err = host()
        .invoke(&m, invocation(r#"{"hops": "x"}"#))
        .unwrap_err();
    assert_eq!(err.error, "Bench.InvalidHops");
    assert_eq!(m.warm_instances(), 1);
    let out = host().invoke(&m, invocation(r#"{"hops": 1}"#)).unwrap();
    assert_eq!(json(&out.output)["hops"], 2);
}

#[test]
fn every_hostile_guest_in_a_row_then_a_normal_one() {
    let short = Some(Duration::from_millis(100));
    for (name, input, error) in [
        ("hostile-loop", "{}", TIMEOUT),
        ("hostile-alloc", "{}", TASK_FAILED),
        ("hostile-recursion", "{}", TASK_FAILED),
        ("hostile-panic", "{}", TASK_FAILED),
        ("hostile-big-output", "{}", DATA_LIMIT_EXCEEDED),
        ("hostile-trap-at-start", "{}", TASK_FAILED),
    ] {
        let mut inv = invocation(input);
        inv.timeout = if name == "hostile-loop" {
            short
        } else {
            Some(Duration::from_secs(60))
        };
        let failure = host().invoke(&module(name), inv).unwrap_err();
        assert_eq!(failure.error, error, "{name}: {failure:?}");
    }
    next_task_works();
}
