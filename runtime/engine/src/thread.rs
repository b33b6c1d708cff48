//! A thread of control: the top level of an execution, one Parallel branch or one
//! Map iteration, each at one state at a time.

use crate::event::{TaskId, TimerId};
use asl::errors::Failure;
use asl::model::{MachineId, StateId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Index of a thread in the execution's thread table.
pub type ThreadId = usize;

/// Where a child thread reports when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentLink {
    /// The Parallel or Map thread.
    pub thread: ThreadId,
    /// The branch index or the Map item index.
    pub slot: usize,
}

/// One thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// The machine it runs in.
    pub machine: MachineId,
    /// Its current state.
    pub state: StateId,
    /// The current state's raw input (what ResultPath writes into).
    pub input: Value,
    /// `input` as JSON text when the previous state's exit event already wrote it,
    /// so the entered event does not serialize the same payload again.
    #[serde(skip)]
    pub input_text: Option<String>,
    /// An upper bound of `input`'s JSON length in bytes, so the payload limit is
    /// checked by walking only what a state adds (see `Execution::exit_state`).
    pub input_bound: usize,
    /// What it is doing.
    pub phase: Phase,
    /// Its parent, for branches and iterations.
    pub parent: Option<ParentLink>,
    /// The id of its latest history event (the next event's `previousEventId`).
    pub last_event: u64,
    /// The id of the current state's `...StateEntered` event.
    pub entered_event: u64,
    /// When the current state was entered.
    pub entered_time: DateTime<Utc>,
    /// Retries used so far in the current state, per retrier.
    pub retries_used: Vec<u64>,
    /// Retries so far in the current state (`$$.State.RetryCount`).
    pub retry_count: u32,
    /// Workflow variables assigned in this thread (`Assign`); outer ones are read
    /// through the parent chain and never written from here.
    #[serde(default)]
    pub variables: serde_json::Map<String, Value>,
    /// JSON bytes held by `variables`.
    #[serde(default)]
    pub variable_bytes: usize,
}

/// What a thread is doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Phase {
    /// About to enter its current state.
    Enter,
    /// About to run its current state's work again after a retry backoff.
    Retry,
    /// The state's work produced this result; finish the state.
    Completed(Value),
    /// The state's work failed; apply Retry and Catch.
    Failed(Failure),
    /// Waiting for a task.
    Task(TaskWait),
    /// A Wait state sleeping; `result` is what it passes on.
    Sleeping {
        /// The timer.
        timer: TimerId,
        /// The state's result when the timer fires.
        result: Value,
    },
    /// Waiting out a retry's backoff.
    Backoff {
        /// The timer.
        timer: TimerId,
    },
    /// A Parallel or Map state waiting for its children.
    Fanout(Box<Fanout>),
}

/// A running task and its timers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TaskWait {
    /// The task.
    pub task: TaskId,
    /// The TimeoutSeconds timer.
    pub timeout_timer: Option<TimerId>,
    /// The HeartbeatSeconds timer and its period.
    pub heartbeat: Option<(TimerId, u64)>,
    /// Whether TaskStarted was recorded (a repeated one is ignored).
    pub started: bool,
}

/// A Parallel or Map state's children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fanout {
    /// Map (`true`) or Parallel.
    pub is_map: bool,
    /// The state's effective input (`$` of a Map's ItemSelector).
    pub effective_input: Value,
    /// Map items (or batches) not yet started, by index; started ones are `Null`.
    pub items: Vec<Value>,
    /// The next item to start.
    pub next_item: usize,
    /// At most this many children at once (0: no limit).
    pub limit: usize,
    /// Children running now.
    pub running: usize,
    /// Results by slot.
    pub results: Vec<Value>,
    /// Children that ended.
    pub finished: usize,
    /// Map iterations that failed.
    pub failed: usize,
    /// Failures tolerated (Map): count.
    pub tolerated_count: Option<u64>,
    /// Failures tolerated (Map): percentage.
    pub tolerated_percentage: Option<f64>,
}
