//! `stepwise serve` killed with SIGKILL again and again while 1,000 Standard
//! executions run: every acknowledged execution survives, every one succeeds
//! with the right output, and every history is exactly the one a run without
//! crashes writes (ids 1..n without gap, no transition applied twice).
//!
//! The kills come at random moments from a seeded generator; the seed is
//! printed, and `STEPWISE_CRASH_SEED=<seed>` repeats the schedule (the moments,
//! not what the server was doing at them).
//!
//! Run alone: `cargo test --release -p stepwise --test serve_crash -- --nocapture`.

mod serve_support;

use serde_json::{json, Value};
use serve_support::{data_dir, Server};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Executions started.
const EXECUTIONS: usize = 1000;
/// Threads starting executions (and later checking them).
const THREADS: usize = 8;
/// Fewest and most kills.
const KILLS: (u64, u64) = (6, 10);
/// The first kill comes once this many starts (at random between the two)
/// are acknowledged.
const FIRST_KILL_AFTER: (u64, u64) = (50, 950);
/// Shortest and longest time (ms) a restarted server lives before it is
/// killed again.
const LIFETIME_MS: (u64, u64) = (30, 800);
/// When the test gives up (it never asserts how long anything took).
const GIVE_UP: Duration = Duration::from_secs(300);
/// The page size of GetExecutionHistory (small, so every history has pages).
const HISTORY_PAGE: u64 = 10;

const ROLE: &str = "arn:aws:iam::123456789012:role/crash";
const MODULE: &str = "bench-add-field";

/// Task, Wait 1 s, Task, Wait `$.wait` s (1 to 3), Task, Pass, Succeed: each Task adds
/// one to `hops`.
fn definition() -> Value {
    let task =
        |next: &str| json!({"Type": "Task", "Resource": format!("wasm:{MODULE}"), "Next": next});
    json!({
        "Comment": "serve_crash",
        "StartAt": "First",
        "States": {
            "First": task("WaitOne"),
            "WaitOne": {"Type": "Wait", "Seconds": 1, "Next": "Second"},
            "Second": task("WaitSome"),
            "WaitSome": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Third"},
            "Third": task("Tidy"),
            "Tidy": {"Type": "Pass", "Next": "Done"},
            "Done": {"Type": "Succeed"}
        }
    })
}

/// The history of one execution of [`definition`], crashes or not.
const EXPECTED_TYPES: &[&str] = &[
    "ExecutionStarted",
    "TaskStateEntered",
    "TaskScheduled",
    "TaskStarted",
    "TaskSucceeded",
    "TaskStateExited",
    "WaitStateEntered",
    "WaitStateExited",
    "TaskStateEntered",
    "TaskScheduled",
    "TaskStarted",
    "TaskSucceeded",
    "TaskStateExited",
    "WaitStateEntered",
    "WaitStateExited",
    "TaskStateEntered",
    "TaskScheduled",
    "TaskStarted",
    "TaskSucceeded",
    "TaskStateExited",
    "PassStateEntered",
    "PassStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "ExecutionSucceeded",
];

fn name(i: usize) -> String {
    format!("e-{i:04}")
}

fn input(i: usize) -> Value {
    json!({"index": i, "name": name(i), "wait": 1 + i % 3})
}

fn expected_output(i: usize) -> Value {
    let mut out = input(i);
    out["hops"] = json!(3);
    out
}

/// splitmix64: the kill schedule's randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, (lo, hi): (u64, u64)) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// Why a call failed.
#[derive(Debug)]
enum CallError {
    /// No answer (the server is down, or died during the call).
    Transport(String),
    /// An answer with an error: the HTTP status, `__type` and message.
    Api(u16, String, String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Transport(e) => write!(f, "no answer: {e}"),
            CallError::Api(status, kind, message) => write!(f, "{status} {kind}: {message}"),
        }
    }
}

/// What every thread shares.
struct Shared {
    /// The live server's endpoint; `None` while it is down.
    endpoint: RwLock<Option<String>>,
    began: Instant,
    /// Executions whose StartExecution was acknowledged.
    acked: AtomicUsize,
    /// Next index to start (or check).
    next: AtomicUsize,
    /// Calls that got no answer and were made again.
    retries: AtomicUsize,
    /// Restarted StartExecutions answered `ExecutionAlreadyExists` (accepted:
    /// the existing execution has the same input).
    already_exists: AtomicUsize,
    /// Per execution: when its start was acknowledged (ms since `began`) and
    /// after how many attempts.
    acks: Mutex<Vec<Option<(u128, u32)>>>,
    /// What went wrong, for the final report.
    failures: Mutex<Vec<String>>,
}

impl Shared {
    fn ms(&self) -> u128 {
        self.began.elapsed().as_millis()
    }

    fn endpoint(&self) -> Option<String> {
        self.endpoint
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_endpoint(&self, endpoint: Option<String>) {
        *self.endpoint.write().unwrap_or_else(|e| e.into_inner()) = endpoint;
    }

    fn fail(&self, what: String) {
        eprintln!("crash test: FAILURE {what}");
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(what);
    }

    /// Panics once the test has run for [`GIVE_UP`].
    fn check_time(&self, what: &str, last: &Option<CallError>) {
        assert!(
            self.began.elapsed() < GIVE_UP,
            "crash test: gave up after {GIVE_UP:?} ({what}; last error: {})",
            last.as_ref().map_or("none".to_owned(), ToString::to_string)
        );
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .max_idle_connections_per_host(4)
        .build()
}

/// One AWS call (`POST /` with `X-Amz-Target`) to `endpoint`.
fn call(agent: &ureq::Agent, endpoint: &str, op: &str, body: &Value) -> Result<Value, CallError> {
    let response = agent
        .post(&format!("{endpoint}/"))
        .set("X-Amz-Target", &format!("AWSStepFunctions.{op}"))
        .set("Content-Type", "application/x-amz-json-1.0")
        .send_string(&body.to_string());
    match response {
        Ok(response) => {
            let text = response
                .into_string()
                .map_err(|e| CallError::Transport(e.to_string()))?;
            serde_json::from_str(&text)
                .map_err(|e| CallError::Transport(format!("{op}: not JSON ({e}): {text}")))
        }
        Err(ureq::Error::Status(status, response)) => {
            let text = response
                .into_string()
                .map_err(|e| CallError::Transport(e.to_string()))?;
            let error: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            Err(CallError::Api(
                status,
                error["__type"].as_str().unwrap_or("?").to_owned(),
                format!("{}: {text}", error["message"].as_str().unwrap_or("")),
            ))
        }
        Err(ureq::Error::Transport(e)) => Err(CallError::Transport(e.to_string())),
    }
}

/// Whether a failed call is worth making again: no answer (the server is
/// down or restarting), throttling, or a server error.
fn retryable(error: &CallError) -> bool {
    match error {
        CallError::Transport(_) => true,
        CallError::Api(status, kind, _) => *status >= 500 || kind == "ThrottlingException",
    }
}

/// [`call`] on the live server, made again while [`retryable`].
fn call_until_answered(
    shared: &Shared,
    agent: &ureq::Agent,
    op: &str,
    body: &Value,
) -> Result<Value, CallError> {
    let mut last = None;
    loop {
        shared.check_time(op, &last);
        let Some(endpoint) = shared.endpoint() else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        match call(agent, &endpoint, op, body) {
            Err(e) if retryable(&e) => last = Some(e),
            answered => return answered,
        }
        shared.retries.fetch_add(1, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts execution `i` until its start is acknowledged.
fn start(shared: &Shared, agent: &ureq::Agent, machine: &str, i: usize) {
    let body = json!({
        "stateMachineArn": machine,
        "name": name(i),
        "input": input(i).to_string(),
    });
    let mut attempts = 0u32;
    let mut last = None;
    loop {
        shared.check_time("StartExecution", &last);
        let Some(endpoint) = shared.endpoint() else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        attempts += 1;
        match call(agent, &endpoint, "StartExecution", &body) {
            Ok(out) => {
                let arn = out["executionArn"].as_str().unwrap_or_default();
                if arn != execution_arn(machine, i) {
                    shared.fail(format!("{}: StartExecution answered {out}", name(i)));
                }
                break;
            }
            // A start made again after no answer: the first may have been
            // durable, and its execution may have finished since.
            Err(CallError::Api(_, kind, message))
                if kind == "ExecutionAlreadyExists" && attempts > 1 =>
            {
                let described = call_until_answered(
                    shared,
                    agent,
                    "DescribeExecution",
                    &json!({"executionArn": execution_arn(machine, i)}),
                );
                match described {
                    Ok(d) if parse(&d["input"]) == Some(input(i)) => {
                        shared.already_exists.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(other) => shared.fail(format!(
                        "{}: ExecutionAlreadyExists ({message}) but the execution is {other}",
                        name(i)
                    )),
                    Err(e) => shared.fail(format!(
                        "{}: ExecutionAlreadyExists ({message}) and DescribeExecution: {e}",
                        name(i)
                    )),
                }
                break;
            }
            Err(e) if retryable(&e) => last = Some(e),
            Err(e) => {
                shared.fail(format!(
                    "{}: StartExecution (attempt {attempts}) failed: {e}",
                    name(i)
                ));
                break;
            }
        }
        shared.retries.fetch_add(1, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(20));
    }
    shared.acks.lock().unwrap_or_else(|e| e.into_inner())[i] = Some((shared.ms(), attempts));
    shared.acked.fetch_add(1, Ordering::Relaxed);
}

/// The ARN of execution `i` of `machine`.
fn execution_arn(machine: &str, i: usize) -> String {
    format!(
        "{}:{}",
        machine.replace(":stateMachine:", ":execution:"),
        name(i)
    )
}

/// A JSON string field, parsed.
fn parse(text: &Value) -> Option<Value> {
    serde_json::from_str(text.as_str()?).ok()
}

/// Every execution of `machine`: (name, status).
fn list(shared: &Shared, agent: &ureq::Agent, machine: &str) -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"stateMachineArn": machine, "maxResults": 1000});
        if let Some(token) = &token {
            body["nextToken"] = json!(token);
        }
        let page = call_until_answered(shared, agent, "ListExecutions", &body)
            .unwrap_or_else(|e| panic!("ListExecutions failed: {e}"));
        for e in page["executions"].as_array().into_iter().flatten() {
            all.push((
                e["name"].as_str().unwrap_or("?").to_owned(),
                e["status"].as_str().unwrap_or("?").to_owned(),
            ));
        }
        match page["nextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return all,
        }
    }
}

/// Every event of an execution's history, page by page.
fn history(shared: &Shared, agent: &ureq::Agent, arn: &str) -> Result<Vec<Value>, String> {
    let mut events = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"executionArn": arn, "maxResults": HISTORY_PAGE});
        if let Some(token) = &token {
            body["nextToken"] = json!(token);
        }
        let page = call_until_answered(shared, agent, "GetExecutionHistory", &body)
            .map_err(|e| format!("GetExecutionHistory: {e}"))?;
        events.extend(page["events"].as_array().cloned().unwrap_or_default());
        match page["nextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return Ok(events),
        }
        if events.len() > 10 * EXPECTED_TYPES.len() {
            return Err(format!("the history does not end: {} events", events.len()));
        }
    }
}

/// Checks execution `i`: status, output, history. `Err` says what is wrong.
fn check(shared: &Shared, agent: &ureq::Agent, machine: &str, i: usize) -> Result<(), String> {
    let arn = execution_arn(machine, i);
    let d = call_until_answered(
        shared,
        agent,
        "DescribeExecution",
        &json!({"executionArn": arn}),
    )
    .map_err(|e| format!("DescribeExecution: {e}"))?;
    let mut wrong = Vec::new();
    if d["status"] != "SUCCEEDED" {
        wrong.push(format!(
            "status {} (error {} cause {})",
            d["status"], d["error"], d["cause"]
        ));
    }
    if parse(&d["input"]) != Some(input(i)) {
        wrong.push(format!("input {}", d["input"]));
    }
    if parse(&d["output"]) != Some(expected_output(i)) {
        wrong.push(format!(
            "output {} (expected {})",
            d["output"],
            expected_output(i)
        ));
    }
    let events = history(shared, agent, &arn)?;
    let ids: Vec<u64> = events
        .iter()
        .map(|e| e["id"].as_u64().unwrap_or(0))
        .collect();
    if ids != (1..=events.len() as u64).collect::<Vec<_>>() {
        wrong.push(format!("event ids are not 1..n: {ids:?}"));
    }
    for e in &events {
        let (id, prev) = (e["id"].as_u64().unwrap_or(0), e["previousEventId"].as_u64());
        let first = id == 1 && prev.unwrap_or(0) == 0;
        if !first && !prev.is_some_and(|prev| 0 < prev && prev < id) {
            wrong.push(format!("event {id} has previousEventId {prev:?}"));
        }
    }
    let types: Vec<&str> = events
        .iter()
        .map(|e| e["type"].as_str().unwrap_or("?"))
        .collect();
    if types != EXPECTED_TYPES {
        wrong.push(format!("event types {types:?}"));
    }
    // Each Task leaves with one more hop than the last: each task's result
    // was applied once, in order.
    let hops: Vec<Value> = events
        .iter()
        .filter(|e| e["type"] == "TaskStateExited")
        .map(|e| parse(&e["stateExitedEventDetails"]["output"]).unwrap_or_default()["hops"].clone())
        .collect();
    if hops != [json!(1), json!(2), json!(3)] {
        wrong.push(format!("the Task states left with hops {hops:?}"));
    }
    if wrong.is_empty() {
        return Ok(());
    }
    let excerpt: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{}:{}@{}",
                e["id"],
                e["type"].as_str().unwrap_or("?"),
                e["timestamp"]
            )
        })
        .collect();
    Err(format!(
        "{}\n    history: {}",
        wrong.join("\n    "),
        excerpt.join(" ")
    ))
}

/// Runs `work(index)` for every index on [`THREADS`] threads, each with its
/// own HTTP agent.
fn on_threads(
    shared: &Arc<Shared>,
    work: impl Fn(&Shared, &ureq::Agent, usize) + Send + Sync + 'static,
) -> Vec<std::thread::JoinHandle<()>> {
    shared.next.store(0, Ordering::SeqCst);
    let work = Arc::new(work);
    (0..THREADS)
        .map(|_| {
            let (shared, work) = (shared.clone(), work.clone());
            std::thread::spawn(move || {
                let agent = agent();
                loop {
                    let i = shared.next.fetch_add(1, Ordering::SeqCst);
                    if i >= EXECUTIONS {
                        return;
                    }
                    work(&shared, &agent, i);
                }
            })
        })
        .collect()
}

fn join(threads: Vec<std::thread::JoinHandle<()>>) {
    for thread in threads {
        if let Err(panic) = thread.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

#[test]
fn executions_survive_repeated_kill_9() {
    let wasm =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/guests/bench-add-field.wasm");
    let wasm = std::fs::read(&wasm).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): run scripts/build-guests before this test",
            wasm.display()
        )
    });
    let seed = match std::env::var("STEPWISE_CRASH_SEED") {
        Ok(seed) => seed.parse().expect("STEPWISE_CRASH_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
    };
    println!("crash test: seed {seed} (STEPWISE_CRASH_SEED={seed} repeats the kill schedule)");
    let mut rng = Rng(seed);

    let dir = data_dir();
    let mut server = Server::start(dir.path());
    // Setup, before any kill.
    let setup = agent();
    let uploaded = setup
        .put(&format!("{}/modules/{MODULE}", server.endpoint))
        .send_bytes(&wasm)
        .unwrap_or_else(|e| panic!("PUT /modules/{MODULE} failed: {e}"));
    assert_eq!(uploaded.status(), 200);
    let created = call(
        &setup,
        &server.endpoint,
        "CreateStateMachine",
        &json!({
            "name": "crash",
            "definition": definition().to_string(),
            "roleArn": ROLE,
            "type": "STANDARD",
        }),
    )
    .unwrap_or_else(|e| panic!("CreateStateMachine failed: {e}"));
    let machine = created["stateMachineArn"]
        .as_str()
        .expect("stateMachineArn")
        .to_owned();

    // Times are measured from here.
    let shared = Arc::new(Shared {
        endpoint: RwLock::new(Some(server.endpoint.clone())),
        began: Instant::now(),
        acked: AtomicUsize::new(0),
        next: AtomicUsize::new(0),
        retries: AtomicUsize::new(0),
        already_exists: AtomicUsize::new(0),
        acks: Mutex::new(vec![None; EXECUTIONS]),
        failures: Mutex::new(Vec::new()),
    });

    // Start the executions while the server is killed and restarted.
    let starters = {
        let machine = machine.clone();
        on_threads(&shared, move |shared, agent, i| {
            start(shared, agent, &machine, i)
        })
    };
    let kills = rng.range(KILLS);
    let mut timeline = Vec::new();
    let first_kill_after = rng.range(FIRST_KILL_AFTER) as usize;
    let kill_agent = agent();
    for k in 1..=kills {
        if k == 1 {
            // The first kill comes while executions are being started.
            while shared.acked.load(Ordering::SeqCst) < first_kill_after {
                shared.check_time("waiting for the first starts", &None);
                std::thread::sleep(Duration::from_millis(1));
            }
        } else {
            std::thread::sleep(Duration::from_millis(rng.range(LIFETIME_MS)));
        }
        let running = list(&shared, &kill_agent, &machine)
            .iter()
            .filter(|(_, status)| status == "RUNNING")
            .count();
        let at = shared.ms();
        let acked = shared.acked.load(Ordering::SeqCst);
        shared.set_endpoint(None);
        server.kill();
        let down = Instant::now();
        server = Server::start(dir.path());
        shared.set_endpoint(Some(server.endpoint.clone()));
        let line = format!(
            "kill {k}/{kills} at {at} ms ({acked} starts acknowledged, {running} running); back after {} ms",
            down.elapsed().as_millis()
        );
        println!("crash test: {line}");
        timeline.push(line);
    }
    let kills_over = shared.ms();
    join(starters);
    let starts_done = shared
        .acks
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .flatten()
        .map(|(ms, _)| *ms)
        .max()
        .unwrap_or_default();
    println!(
        "crash test: {EXECUTIONS} starts acknowledged by {starts_done} ms ({} calls made again, {} restarted starts found the execution existing)",
        shared.retries.load(Ordering::SeqCst),
        shared.already_exists.load(Ordering::SeqCst),
    );

    // Wait for every execution to end.
    let mut last_report = Instant::now();
    let poll = agent();
    let statuses = loop {
        let all = list(&shared, &poll, &machine);
        let running = all.iter().filter(|(_, s)| s == "RUNNING").count();
        if running == 0 {
            break all;
        }
        if shared.began.elapsed() > GIVE_UP {
            let stuck: Vec<&str> = all
                .iter()
                .filter(|(_, s)| s == "RUNNING")
                .map(|(n, _)| n.as_str())
                .take(20)
                .collect();
            for n in stuck.iter().take(3) {
                let i: usize = n[2..].parse().unwrap_or(0);
                let _ = check(&shared, &poll, &machine, i)
                    .map_err(|e| println!("crash test: stuck {n}: {e}"));
            }
            panic!(
                "crash test: gave up after {GIVE_UP:?}: {running} executions still RUNNING, e.g. {stuck:?}\n{}",
                timeline.join("\n")
            );
        }
        if last_report.elapsed() > Duration::from_secs(5) {
            println!(
                "crash test: {} listed, {running} running, {:.0} s",
                all.len(),
                shared.began.elapsed().as_secs_f64()
            );
            last_report = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let ended = shared.ms();
    let mut names: Vec<&str> = statuses.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    let expected_names: Vec<String> = (0..EXECUTIONS).map(name).collect();
    if names != expected_names {
        let missing: Vec<&String> = expected_names
            .iter()
            .filter(|n| names.binary_search(&n.as_str()).is_err())
            .collect();
        shared.fail(format!(
            "ListExecutions lists {} executions; missing: {missing:?}",
            names.len()
        ));
    }

    // Check each one.
    let checkers = {
        let machine = machine.clone();
        on_threads(&shared, move |shared, agent, i| {
            if let Err(e) = check(shared, agent, &machine, i) {
                let ack = shared.acks.lock().unwrap_or_else(|e| e.into_inner())[i];
                shared.fail(format!(
                    "{} (start acknowledged at {:?} ms after {:?} attempts):\n    {e}",
                    name(i),
                    ack.map(|a| a.0),
                    ack.map(|a| a.1)
                ));
            }
        })
    };
    join(checkers);

    let failures = shared.failures.lock().unwrap_or_else(|e| e.into_inner());
    if !failures.is_empty() {
        let shown: Vec<&String> = failures.iter().take(20).collect();
        panic!(
            "crash test (seed {seed}): {} failures:\n{}\nkills:\n{}",
            failures.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            timeline.join("\n")
        );
    }
    println!(
        "crash test: {EXECUTIONS} executions, {kills} kills, all succeeded, histories gap-free \
         (starts acknowledged by {:.1} s, kills over by {:.1} s, all ended by {:.1} s, \
         checked by {:.1} s)",
        starts_done as f64 / 1e3,
        kills_over as f64 / 1e3,
        ended as f64 / 1e3,
        shared.began.elapsed().as_secs_f64()
    );
}
