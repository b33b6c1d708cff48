//! The events fed into an execution.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Identifies a task the engine asked to run.
pub type TaskId = u64;
/// Identifies a timer the engine asked to start.
pub type TimerId = u64;

/// Something that happened outside the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The caller started running a task (TaskStarted in the history).
    TaskStarted {
        /// The task.
        task: TaskId,
    },
    /// An activity worker took the task with GetActivityTask
    /// (ActivityStarted in the history, with the worker's name).
    ActivityStarted {
        /// The task.
        task: TaskId,
        /// The `workerName` the worker gave, if any.
        worker_name: Option<String>,
    },
    /// A task returned its output.
    TaskSucceeded {
        /// The task.
        task: TaskId,
        /// Its result.
        output: Value,
    },
    /// A task failed with an ASL error name and cause.
    TaskFailed {
        /// The task.
        task: TaskId,
        /// The error name Retry/Catch match.
        error: String,
        /// The cause.
        cause: String,
    },
    /// A task sent a heartbeat.
    TaskHeartbeat {
        /// The task.
        task: TaskId,
    },
    /// A timer the engine started is due.
    TimerFired {
        /// The timer.
        timer: TimerId,
    },
    /// StopExecution.
    Stop {
        /// The error to record.
        error: Option<String>,
        /// The cause to record.
        cause: Option<String>,
    },
    /// Continue after a [`crate::Effect::Yield`].
    Resume,
}
