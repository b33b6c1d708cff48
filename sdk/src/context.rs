//! What the host offers a running task (the `context` import of `wit/task.wit`):
//! logging, heartbeats, the execution's and state's names, the task token and the
//! time left.
//!
//! In a component these call the host. On any other target (unit tests of a task on
//! your machine) they read and record the `testing::TestContext` in force on
//! the thread, or defaults when there is none.

use std::time::Duration;

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Very detailed tracing.
    Trace,
    /// Debugging detail.
    Debug,
    /// Normal progress.
    Info,
    /// Something unexpected that the task recovered from.
    Warn,
    /// A failure.
    Error,
}

/// Writes `message` to the execution's log at `level`.
pub fn log(level: Level, message: &str) {
    imp::log(level, message)
}

/// [`log`] at [`Level::Trace`].
pub fn trace(message: &str) {
    log(Level::Trace, message)
}

/// [`log`] at [`Level::Debug`].
pub fn debug(message: &str) {
    log(Level::Debug, message)
}

/// [`log`] at [`Level::Info`].
pub fn info(message: &str) {
    log(Level::Info, message)
}

/// [`log`] at [`Level::Warn`].
pub fn warn(message: &str) {
    log(Level::Warn, message)
}

/// [`log`] at [`Level::Error`].
pub fn error(message: &str) {
    log(Level::Error, message)
}

/// Tells the host the task is alive, which restarts the state's HeartbeatSeconds
/// countdown. Call it more often than HeartbeatSeconds during long work; it is cheap.
pub fn heartbeat() {
    imp::heartbeat()
}

/// The execution's name (`$$.Execution.Name`).
pub fn execution_name() -> String {
    imp::execution_name()
}

/// The Task state's name (`$$.State.Name`).
pub fn state_name() -> String {
    imp::state_name()
}

/// The task token (`$$.Task.Token`): `Some` when the state's resource ends with
/// `.waitForTaskToken`. Hand it to whoever will call SendTaskSuccess or
/// SendTaskFailure with it.
pub fn task_token() -> Option<String> {
    imp::task_token()
}

/// Milliseconds left before the state's TimeoutSeconds, when it has one. The host
/// stops the task when they run out (`States.Timeout`).
pub fn remaining_millis() -> Option<u64> {
    imp::remaining_millis()
}

/// [`remaining_millis`] as a [`Duration`].
pub fn remaining() -> Option<Duration> {
    remaining_millis().map(Duration::from_millis)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Level;
    use crate::bindings::stepwise::task::context as host;

    pub fn log(level: Level, message: &str) {
        let level = match level {
            Level::Trace => host::Level::Trace,
            Level::Debug => host::Level::Debug,
            Level::Info => host::Level::Info,
            Level::Warn => host::Level::Warn,
            Level::Error => host::Level::Error,
        };
        host::log(level, message)
    }

    pub fn heartbeat() {
        host::heartbeat()
    }

    pub fn execution_name() -> String {
        host::execution_name()
    }

    pub fn state_name() -> String {
        host::state_name()
    }

    pub fn task_token() -> Option<String> {
        host::task_token()
    }

    pub fn remaining_millis() -> Option<u64> {
        host::remaining_millis()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Level;
    use crate::testing;

    pub fn log(level: Level, message: &str) {
        testing::record_log(level, message)
    }

    pub fn heartbeat() {
        testing::record_heartbeat()
    }

    pub fn execution_name() -> String {
        testing::with_current(|c| c.execution_name.clone())
    }

    pub fn state_name() -> String {
        testing::with_current(|c| c.state_name.clone())
    }

    pub fn task_token() -> Option<String> {
        testing::with_current(|c| c.task_token.clone())
    }

    pub fn remaining_millis() -> Option<u64> {
        testing::with_current(|c| c.remaining_millis)
    }
}
