//! Executions, the transitions that advance them, leases and retention.

use serde::{Deserialize, Serialize};

use crate::activities::ActivityTaskRecord;
use crate::durability::Ticket;
use crate::error::Result;
use crate::machines::MachineType;
use crate::page::{Page, PageRequest};
use crate::timers::TimerRecord;
use crate::tokens::TaskTokenRecord;

/// Where an execution is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    /// Running (or waiting: for a timer, a task token, an activity worker).
    Running,
    /// Finished with an output.
    Succeeded,
    /// Finished with an error and cause.
    Failed,
    /// Finished by its `TimeoutSeconds`.
    TimedOut,
    /// Stopped by `StopExecution`.
    Aborted,
    /// A redrive was requested and has not started yet.
    PendingRedrive,
}

impl ExecutionStatus {
    /// Every status.
    pub const ALL: [ExecutionStatus; 6] = [
        ExecutionStatus::Running,
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted,
        ExecutionStatus::PendingRedrive,
    ];

    /// The AWS name, such as `TIMED_OUT`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
            ExecutionStatus::PendingRedrive => "PENDING_REDRIVE",
        }
    }

    /// The status with this AWS name.
    pub fn parse(name: &str) -> Option<ExecutionStatus> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }

    /// Succeeded, failed, timed out or aborted: nothing more will happen
    /// unless the execution is redriven.
    pub fn is_finished(self) -> bool {
        !matches!(
            self,
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive
        )
    }

    /// A number for index keys (1..=6).
    pub(crate) fn code(self) -> u8 {
        match self {
            ExecutionStatus::Running => 1,
            ExecutionStatus::Succeeded => 2,
            ExecutionStatus::Failed => 3,
            ExecutionStatus::TimedOut => 4,
            ExecutionStatus::Aborted => 5,
            ExecutionStatus::PendingRedrive => 6,
        }
    }

    /// Reads back [`code`](Self::code).
    pub(crate) fn from_code(code: u8) -> Option<ExecutionStatus> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }
}

/// Who may advance an execution, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// The holder (a node or driver id).
    pub owner: String,
    /// When the lease lapses, milliseconds since the Unix epoch.
    pub expires_ms: i64,
}

/// One execution: what the API shows, plus the engine's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutionRecord {
    /// The key; the execution ARN.
    pub id: String,
    /// The execution ARN.
    pub arn: String,
    /// The ARN the execution was started with (machine, version or alias);
    /// listings by machine use it (an execution started with a version or
    /// alias is also listed under the machine's own ARN).
    pub state_machine_arn: String,
    /// The execution's name.
    pub name: String,
    /// Standard or Express.
    pub kind: MachineType,
    /// Running, succeeded, ...
    pub status: ExecutionStatus,
    /// The input JSON text.
    pub input: String,
    /// The output JSON text, once succeeded.
    #[serde(default)]
    pub output: Option<String>,
    /// The error name, once failed, timed out or aborted.
    #[serde(default)]
    pub error: Option<String>,
    /// The error cause.
    #[serde(default)]
    pub cause: Option<String>,
    /// Start time, milliseconds since the Unix epoch.
    pub start_ms: i64,
    /// Stop time; required once the status is finished.
    #[serde(default)]
    pub stop_ms: Option<i64>,
    /// The engine's state, opaque to the store.
    #[serde(default)]
    pub snapshot: Vec<u8>,
    /// How many history events the execution has; also its version for
    /// optimistic concurrency (see [`Transition`]).
    pub seq: u64,
    /// The current lease. Maintained by [`Executions::try_lease`] and
    /// [`Executions::release_lease`] only: writes of the record keep the stored
    /// lease.
    #[serde(default)]
    pub lease: Option<Lease>,
    /// The `traceHeader` the execution was started with.
    #[serde(default)]
    pub trace_header: Option<String>,
    /// How many times the execution was redriven.
    #[serde(default)]
    pub redrive_count: u32,
}

/// One step of an execution, written atomically: the new record, its history
/// events, and the timers, task tokens and activity tasks it starts or ends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Transition {
    /// The execution after the step; its `seq` must be `expected_seq +
    /// events.len()`, and its id, machine ARN and start time must not change.
    pub execution: ExecutionRecord,
    /// The `seq` of the record the step was computed from; the write fails
    /// with `Conflict` (writing nothing) if the stored record has another.
    pub expected_seq: u64,
    /// History events (JSON text), numbered `expected_seq + 1`, ...
    pub events: Vec<String>,
    /// Timers to start (ids unique within the execution; an existing id is
    /// moved to the new due time).
    pub add_timers: Vec<TimerRecord>,
    /// Ids of timers to cancel (fired or no longer needed).
    pub remove_timers: Vec<u64>,
    /// Task tokens to register; `AlreadyExists` if one belongs to another
    /// execution.
    pub add_tokens: Vec<TaskTokenRecord>,
    /// Task tokens to forget (completed, timed out, cancelled); an activity
    /// task of such a token that no worker claimed yet is dropped too.
    pub remove_tokens: Vec<String>,
    /// Activity tasks to queue; each token must be registered by this
    /// execution (in this step or before).
    pub add_activity_tasks: Vec<ActivityTaskRecord>,
}

impl Default for ExecutionRecord {
    fn default() -> Self {
        ExecutionRecord {
            id: String::new(),
            arn: String::new(),
            state_machine_arn: String::new(),
            name: String::new(),
            kind: MachineType::Standard,
            status: ExecutionStatus::Running,
            input: String::new(),
            output: None,
            error: None,
            cause: None,
            start_ms: 0,
            stop_ms: None,
            snapshot: Vec::new(),
            seq: 0,
            lease: None,
            trace_header: None,
            redrive_count: 0,
        }
    }
}

/// Which executions [`Executions::list_executions`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionQuery {
    /// Executions started with this ARN: a version's or alias's lists only
    /// those started with it, a machine's own ARN all of the machine's.
    pub state_machine_arn: String,
    /// Only those with this status.
    pub status: Option<ExecutionStatus>,
    /// Which page.
    pub page: PageRequest,
}

/// The executions table, keyed by execution id, with three indexes: by
/// (state machine ARN, status, start time, id) for listings newest first; the
/// ids of unfinished executions, in id order; finished executions by (stop
/// time, id), for retention.
///
/// When a write leaves an execution finished, the store removes the timers,
/// task tokens and queued activity tasks it still had: a finished execution
/// waits for nothing.
pub trait Executions {
    /// Stores a new execution and its first history events (numbered 1, ...;
    /// `record.seq` must equal `events.len()`). `AlreadyExists` if the id is
    /// taken.
    fn create_execution(&self, record: ExecutionRecord, events: Vec<String>) -> Result<Ticket>;

    /// Applies a transition atomically, conditional on the stored `seq`
    /// (see [`Transition`]); `NotFound` if the execution does not exist. A
    /// transition with `expected_seq` 0 onto an id with no record creates the
    /// execution with its first step (events, timers, tokens) in one write; if
    /// the id has a record with events, that is a `Conflict`.
    fn apply(&self, transition: Transition) -> Result<Ticket>;

    /// The execution with this id.
    fn get_execution(&self, id: &str) -> Result<Option<ExecutionRecord>>;

    /// A state machine's executions, newest first (by start time, then id).
    fn list_executions(&self, query: &ExecutionQuery) -> Result<Page<ExecutionRecord>>;

    /// Ids of the executions that are not finished (running, or pending a
    /// redrive), in id order, after `after`: what to resume after a restart.
    fn running_executions(&self, after: Option<&str>, limit: usize) -> Result<Vec<String>>;

    /// Takes or renews the lease of an execution: succeeds (`true`) if it has
    /// no lease, an expired one (`expires_ms <= now_ms`) or one held by
    /// `owner`; the lease then runs until `now_ms + ttl_ms`. `NotFound` if the
    /// execution does not exist.
    fn try_lease(&self, id: &str, owner: &str, now_ms: i64, ttl_ms: i64) -> Result<bool>;

    /// Gives up a lease held by `owner` (nothing if someone else holds it).
    fn release_lease(&self, id: &str, owner: &str) -> Result<Ticket>;

    /// Deletes up to `limit` executions that finished before `older_than_ms`,
    /// oldest first, with their history; returns how many. A purge cut short
    /// by a crash is completed by the next call.
    fn purge_finished(&self, older_than_ms: i64, limit: usize) -> Result<usize>;
}

/// How long finished executions are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Milliseconds after an execution's stop time.
    pub period_ms: i64,
}

impl Default for Retention {
    /// 90 days.
    fn default() -> Self {
        Retention {
            period_ms: 90 * 24 * 60 * 60 * 1000,
        }
    }
}

impl Retention {
    /// The `older_than_ms` to pass to [`Executions::purge_finished`] at `now_ms`.
    pub fn cutoff(&self, now_ms: i64) -> i64 {
        now_ms.saturating_sub(self.period_ms)
    }
}
