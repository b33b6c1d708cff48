//! The effects an execution asks its caller to perform.

use crate::event::{TaskId, TimerId};
use crate::execution::Status;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A task to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRequest {
    /// Reported back in [`crate::Event::TaskSucceeded`] and friends.
    pub id: TaskId,
    /// The Task state's name.
    pub state_name: String,
    /// `Resource` as written.
    pub resource: String,
    /// The task's input (after InputPath and Parameters).
    pub input: Value,
    /// `TimeoutSeconds` in force, if any (the engine runs the timer itself).
    pub timeout_seconds: Option<u64>,
    /// `HeartbeatSeconds` in force, if any.
    pub heartbeat_seconds: Option<u64>,
    /// The task token (`$$.Task.Token`), for `.waitForTaskToken` resources.
    pub token: Option<String>,
    /// Which attempt this is (0 for the first, then one per retry).
    pub attempt: u32,
}

/// Something the caller must do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Effect {
    /// Run a task and report [`crate::Event::TaskStarted`] then its outcome.
    RunTask(TaskRequest),
    /// Stop a task whose result is no longer wanted (timed out, branch failed,
    /// execution stopped). A result reported later is ignored.
    CancelTask {
        /// The task.
        id: TaskId,
    },
    /// Report [`crate::Event::TimerFired`] at `due`.
    StartTimer {
        /// The timer.
        id: TimerId,
        /// When it is due.
        due: DateTime<Utc>,
    },
    /// A timer that is no longer wanted.
    CancelTimer {
        /// The timer.
        id: TimerId,
    },
    /// The engine stopped after its step budget; feed [`crate::Event::Resume`].
    Yield,
    /// The execution ended.
    Finished {
        /// SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
        status: Status,
    },
}
