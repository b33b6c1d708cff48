//! Running a task: one invocation in, its output or its ASL failure out.

use crate::bindings::stepwise::task::types::TaskError;
use crate::bindings::Task;
use crate::context::{Call, Interrupt, State};
use crate::engine::Host;
use crate::errors::{TaskFailure, DATA_LIMIT_EXCEEDED, HEARTBEAT_TIMEOUT, TASK_FAILED, TIMEOUT};
use crate::limits::{
    Limiter, DEFAULT_MAX_CAUSE_CHARS, DEFAULT_MAX_ERROR_CHARS, DEFAULT_MAX_OUTPUT_BYTES,
};
use crate::logs::{self, LogLine};
use crate::registry::Module;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use wasmtime::{Store, StoreContextMut, Trap, UpdateDeadline};
use wasmtime_wasi::I32Exit;

/// Called each time the task calls `context.heartbeat` (on the invoking thread,
/// while the guest waits: keep it short).
pub type HeartbeatSink = Arc<dyn Fn() + Send + Sync>;

/// Lets another thread stop a running invocation (the engine no longer wants
/// its result). The guest is stopped within about one epoch tick plus
/// [`CANCEL_CHECK_INTERVAL`], and the invocation fails with `States.TaskFailed`.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token not cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the invocation holding this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// How often a running guest with a [`CancelToken`] checks it: every 50 ms.
pub const CANCEL_CHECK_INTERVAL: Duration = Duration::from_millis(50);

/// One run of a task.
#[derive(Clone)]
pub struct TaskInvocation {
    /// The task's input, JSON text.
    pub input: String,
    /// `TimeoutSeconds`: past it the task fails with `States.Timeout` (and
    /// `context.remaining-millis` counts down to it). `None`: the host's
    /// `default_timeout` still stops the task, but `remaining-millis` gives none.
    pub timeout: Option<Duration>,
    /// `HeartbeatSeconds`: longest time between the start or a heartbeat and
    /// the next heartbeat; past it the task fails with `States.HeartbeatTimeout`.
    pub heartbeat: Option<Duration>,
    /// `$$.Execution.Name`, for `context.execution-name`.
    pub execution_name: String,
    /// `$$.State.Name`, for `context.state-name` (and error causes).
    pub state_name: String,
    /// `$$.Task.Token`, for `context.task-token`.
    pub task_token: Option<String>,
    /// Largest output, in UTF-8 bytes; over it the task fails with
    /// `States.DataLimitExceeded`. Default: [`DEFAULT_MAX_OUTPUT_BYTES`] (256 KiB).
    pub max_output_bytes: usize,
    /// Memory limit for this invocation, in bytes; `None` (the default) uses the
    /// module's [`crate::ModuleOptions::memory_limit`]. Capped by the host's
    /// `memory_ceiling`.
    pub memory_limit: Option<usize>,
    /// Told of each heartbeat.
    pub on_heartbeat: Option<HeartbeatSink>,
    /// Lets the caller stop the invocation early.
    pub cancel: Option<CancelToken>,
}

impl TaskInvocation {
    /// An invocation of `input` with every default: no timeout of its own, no
    /// heartbeat, empty names, no token.
    pub fn new(input: impl Into<String>) -> Self {
        TaskInvocation {
            input: input.into(),
            timeout: None,
            heartbeat: None,
            execution_name: String::new(),
            state_name: String::new(),
            task_token: None,
            max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES,
            memory_limit: None,
            on_heartbeat: None,
            cancel: None,
        }
    }
}

impl std::fmt::Debug for TaskInvocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskInvocation")
            .field("input", &self.input)
            .field("timeout", &self.timeout)
            .field("heartbeat", &self.heartbeat)
            .field("execution_name", &self.execution_name)
            .field("state_name", &self.state_name)
            .field("task_token", &self.task_token)
            .field("max_output_bytes", &self.max_output_bytes)
            .field("memory_limit", &self.memory_limit)
            .field("on_heartbeat", &self.on_heartbeat.is_some())
            .field("cancel", &self.cancel)
            .finish()
    }
}

/// A task's result.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskOutput {
    /// The output, JSON text.
    pub output: String,
    /// The same output, parsed (the host parses it to check it is JSON, so a
    /// caller that needs the value need not parse it again).
    pub value: serde_json::Value,
    /// What the task logged.
    pub logs: Vec<LogLine>,
}

/// An instance and the store it lives in.
pub(crate) struct Instance {
    store: Store<State>,
    task: Task,
}

/// A module's warm instances.
#[derive(Default)]
pub(crate) struct WarmPool {
    instances: Mutex<Vec<Instance>>,
}

impl WarmPool {
    fn take(&self) -> Option<Instance> {
        self.instances
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }

    pub(crate) fn len(&self) -> usize {
        self.instances
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn put(&self, instance: Instance, max: usize) {
        let mut instances = self
            .instances
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if instances.len() < max {
            instances.push(instance);
        }
    }
}

impl Host {
    /// Runs `module` on `invocation` on the calling thread, until it returns,
    /// fails, or is stopped by a limit. Whatever the guest does, the host stays
    /// usable for the next invocation.
    ///
    /// The call blocks (the guest's code runs on this thread's stack, up to
    /// wasmtime's 512 KiB wasm stack on top of the caller's frames: Rust's
    /// default 2 MiB thread stack is plenty). From async code, call it in
    /// `tokio::task::spawn_blocking` or on a thread of its own, never on a
    /// runtime's worker: WASI's blocking calls enter the current tokio runtime
    /// with `block_on`, which panics there.
    pub fn invoke(
        &self,
        module: &Module,
        invocation: TaskInvocation,
    ) -> Result<TaskOutput, TaskFailure> {
        let inner = &self.inner;
        let config = &inner.config;
        let started = Instant::now();
        let memory_limit = invocation
            .memory_limit
            .unwrap_or(module.options.memory_limit)
            .min(config.memory_ceiling);
        let call = Call {
            deadline: later(
                started,
                invocation.timeout.unwrap_or(config.default_timeout),
            ),
            explicit_timeout: invocation.timeout.is_some(),
            heartbeat: invocation.heartbeat,
            last_heartbeat: started,
            on_heartbeat: invocation.on_heartbeat,
            cancel: invocation.cancel,
            interrupted: None,
            execution_name: invocation.execution_name,
            state_name: invocation.state_name,
            task_token: invocation.task_token,
        };
        let keep_warm = module.options.warm_instances > 0;
        let warm = if keep_warm { module.warm.take() } else { None };
        let (mut store, task) = match warm {
            Some(Instance { store, task }) => (store, Some(task)),
            None => {
                let state = State::new(
                    Limiter::new(memory_limit, config.table_elements),
                    config.max_log_bytes,
                );
                let mut store = Store::new(&inner.engine, state);
                store.limiter(|state| &mut state.limiter);
                let tick = config.epoch_tick;
                store.epoch_deadline_callback(move |ctx| on_epoch_deadline(ctx, tick));
                (store, None)
            }
        };
        {
            let state = store.data_mut();
            state.call = call;
            state.limiter.memory_limit = memory_limit;
            state.limiter.exceeded = None;
        }
        let first_check = next_check(&store.data().call, started, config.epoch_tick);
        store.set_epoch_deadline(first_check.unwrap_or(1));

        let task = match task {
            Some(task) => task,
            None => match module.compiled.pre.instantiate(&mut store) {
                Ok(task) => task,
                Err(err) => {
                    let mut failure = failure_from_error(&store, &err, "could not be started");
                    failure.logs = logs::lock(&store.data().logs).take();
                    return Err(failure);
                }
            },
        };
        let result = task.call_run(&mut store, &invocation.input);
        let (outcome, healthy) = match result {
            Ok(Ok(output)) => (
                check_output(output, invocation.max_output_bytes, &store.data().call),
                true,
            ),
            Ok(Err(error)) => (Err(guest_failure(error)), true),
            Err(err) => (Err(failure_from_error(&store, &err, "failed")), false),
        };
        let logs = logs::lock(&store.data().logs).take();
        if keep_warm && healthy {
            store.data_mut().call = Call::idle();
            module
                .warm
                .put(Instance { store, task }, module.options.warm_instances);
        }
        match outcome {
            Ok((output, value)) => Ok(TaskOutput {
                output,
                value,
                logs,
            }),
            Err(mut failure) => {
                failure.logs = logs;
                Err(failure)
            }
        }
    }
}

/// `now + wait`, or a century from now when that overflows.
pub(crate) fn later(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}

/// Ticks until the guest must be checked again, or why it must stop now.
pub(crate) fn next_check(call: &Call, now: Instant, tick: Duration) -> Result<u64, Interrupt> {
    if call.cancel.as_ref().is_some_and(CancelToken::is_cancelled) {
        return Err(Interrupt::Cancelled);
    }
    if now >= call.deadline {
        return Err(Interrupt::Deadline);
    }
    let mut next = call.deadline;
    if let Some(heartbeat) = call.heartbeat {
        let due = later(call.last_heartbeat, heartbeat);
        if now >= due {
            return Err(Interrupt::Heartbeat);
        }
        next = next.min(due);
    }
    let mut wait = next - now;
    if call.cancel.is_some() {
        wait = wait.min(CANCEL_CHECK_INTERVAL);
    }
    let ticks = wait.as_nanos().div_ceil(tick.as_nanos().max(1));
    Ok(u64::try_from(ticks).unwrap_or(u64::MAX).max(1))
}

/// The epoch reached the store's deadline: stop the guest or set the next one.
fn on_epoch_deadline(
    mut ctx: StoreContextMut<'_, State>,
    tick: Duration,
) -> wasmtime::Result<UpdateDeadline> {
    let call = &mut ctx.data_mut().call;
    match next_check(call, Instant::now(), tick) {
        Ok(ticks) => Ok(UpdateDeadline::Continue(ticks)),
        Err(interrupt) => {
            call.interrupted = Some(interrupt);
            Err(wasmtime::Error::new(interrupt))
        }
    }
}

/// The guest's output and its value, if it is within the limit and is JSON.
fn check_output(
    output: String,
    max_bytes: usize,
    call: &Call,
) -> Result<(String, serde_json::Value), TaskFailure> {
    if output.len() > max_bytes {
        return Err(TaskFailure::new(
            DATA_LIMIT_EXCEEDED,
            format!(
                "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                call.state_name
            ),
        ));
    }
    match serde_json::from_str(&output) {
        Ok(value) => Ok((output, value)),
        Err(err) => Err(TaskFailure::new(
            TASK_FAILED,
            format!("The task's output is not valid JSON: {err}"),
        )),
    }
}

/// A `task-error` the guest returned, cut to Step Functions' lengths. A task
/// cannot raise the runtime's own errors: an empty name, or a `States.` one
/// other than `States.TaskFailed`, becomes `States.TaskFailed` (wit/README.md).
fn guest_failure(error: TaskError) -> TaskFailure {
    let name = if error.error.is_empty()
        || (error.error.starts_with("States.") && error.error != TASK_FAILED)
    {
        TASK_FAILED.to_string()
    } else {
        truncate_chars(error.error, DEFAULT_MAX_ERROR_CHARS)
    };
    TaskFailure::new(name, truncate_chars(error.cause, DEFAULT_MAX_CAUSE_CHARS))
}

fn truncate_chars(mut text: String, max: usize) -> String {
    if let Some((at, _)) = text.char_indices().nth(max) {
        text.truncate(at);
    }
    text
}

/// How a guest that trapped, ran out of time or memory, or could not start
/// (`what` = "failed" or "could not be started") fails.
fn failure_from_error(store: &Store<State>, err: &wasmtime::Error, what: &str) -> TaskFailure {
    let state = store.data();
    if let Some(interrupt) = state.call.interrupted {
        return match interrupt {
            // The engine's own TaskTimedOut has an empty cause; say more only
            // when the deadline was the host's default rather than the state's.
            Interrupt::Deadline if state.call.explicit_timeout => TaskFailure::new(TIMEOUT, ""),
            Interrupt::Deadline => TaskFailure::new(
                TIMEOUT,
                "The task did not finish within the host's default timeout",
            ),
            Interrupt::Heartbeat => TaskFailure::new(HEARTBEAT_TIMEOUT, ""),
            Interrupt::Cancelled => TaskFailure::new(TASK_FAILED, "The invocation was cancelled"),
        };
    }
    if let Some(exceeded) = state.limiter.exceeded {
        return TaskFailure::new(
            TASK_FAILED,
            format!("{exceeded} ({} MiB)", exceeded.limit / (1024 * 1024)),
        );
    }
    if let Some(exit) = err.downcast_ref::<I32Exit>() {
        return TaskFailure::new(
            TASK_FAILED,
            format!("The task {what}: it called exit with status {}", exit.0),
        );
    }
    let trap = err
        .downcast_ref::<Trap>()
        .or_else(|| err.chain().find_map(|e| e.downcast_ref::<Trap>()));
    let Some(trap) = trap else {
        return TaskFailure::new(TASK_FAILED, format!("The task {what}: {err:#}"));
    };
    let panic = panic_message(&logs::lock(&state.logs).stderr_text());
    let cause = match panic {
        Some(panic) => format!("The task {panic} ({trap})"),
        None => format!("The task {what}: {trap}"),
    };
    TaskFailure::new(TASK_FAILED, cause)
}

/// A Rust panic's message in the task's stderr: from "panicked at" to the
/// end, without the backtrace hint, on one line.
fn panic_message(stderr: &str) -> Option<String> {
    const MAX_CHARS: usize = 1000;
    let start = stderr.rfind("panicked at")?;
    let text: Vec<&str> = stderr[start..]
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("note: run with `RUST_BACKTRACE"))
        .collect();
    Some(truncate_chars(text.join(" "), MAX_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(now: Instant, timeout: Duration, heartbeat: Option<Duration>) -> Call {
        Call {
            deadline: now + timeout,
            explicit_timeout: true,
            heartbeat,
            last_heartbeat: now,
            ..Call::idle()
        }
    }

    #[test]
    fn the_next_check_is_at_the_deadline_or_the_heartbeat_whichever_comes_first() {
        let now = Instant::now();
        let tick = Duration::from_millis(5);
        let c = call(now, Duration::from_millis(100), None);
        assert_eq!(next_check(&c, now, tick), Ok(20));
        assert_eq!(next_check(&c, now + Duration::from_millis(99), tick), Ok(1));
        assert_eq!(
            next_check(&c, now + Duration::from_millis(100), tick),
            Err(Interrupt::Deadline)
        );
        let c = call(now, Duration::from_secs(1), Some(Duration::from_millis(12)));
        assert_eq!(next_check(&c, now, tick), Ok(3));
        assert_eq!(
            next_check(&c, now + Duration::from_millis(12), tick),
            Err(Interrupt::Heartbeat)
        );
        let mut c = call(now, Duration::from_secs(10), None);
        c.cancel = Some(CancelToken::new());
        assert_eq!(next_check(&c, now, tick), Ok(10));
        c.cancel.as_ref().unwrap().cancel();
        assert_eq!(next_check(&c, now, tick), Err(Interrupt::Cancelled));
    }

    #[test]
    fn huge_timeouts_do_not_overflow() {
        let now = Instant::now();
        assert!(later(now, Duration::MAX) > now);
    }

    #[test]
    fn a_panic_message_is_quoted_on_one_line() {
        let stderr = "\nthread '<unnamed>' panicked at src/lib.rs:22:24:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            panic_message(stderr).as_deref(),
            Some("panicked at src/lib.rs:22:24: boom")
        );
        assert_eq!(panic_message("just an error\n"), None);
    }

    #[test]
    fn guest_errors_are_cut_to_step_functions_lengths() {
        let failure = guest_failure(TaskError {
            error: "é".repeat(300),
            cause: "x".repeat(40_000),
        });
        assert_eq!(failure.error.chars().count(), DEFAULT_MAX_ERROR_CHARS);
        assert_eq!(failure.cause.len(), DEFAULT_MAX_CAUSE_CHARS);
        for (name, expected) in [
            ("", TASK_FAILED),
            ("States.Runtime", TASK_FAILED),
            ("States.Timeout", TASK_FAILED),
            ("States.TaskFailed", TASK_FAILED),
            ("Payment.Declined", "Payment.Declined"),
            ("StatesOfMind", "StatesOfMind"),
        ] {
            let failure = guest_failure(TaskError {
                error: name.into(),
                cause: "why".into(),
            });
            assert_eq!(
                (failure.error.as_str(), failure.cause.as_str()),
                (expected, "why")
            );
        }
    }

    #[test]
    fn output_over_the_limit_or_not_json_fails() {
        let c = Call {
            state_name: "Charge".into(),
            ..Call::idle()
        };
        assert_eq!(
            check_output("{\"a\":1}".into(), 10, &c).unwrap(),
            ("{\"a\":1}".to_string(), serde_json::json!({"a": 1}))
        );
        let err = check_output("\"0123456789\"".into(), 10, &c).unwrap_err();
        assert_eq!(err.error, DATA_LIMIT_EXCEEDED);
        assert!(err.cause.contains("'Charge'"));
        let err = check_output("not json".into(), 100, &c).unwrap_err();
        assert_eq!(err.error, TASK_FAILED);
    }
}
