//! Timers: when an execution must be woken up.

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// A timer of an execution (a Wait state, a retry backoff, a task timeout).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimerRecord {
    /// When it fires, milliseconds since the Unix epoch.
    pub due_ms: i64,
    /// The execution it wakes.
    pub execution_id: String,
    /// The timer's id within the execution (the engine's).
    pub timer: u64,
}

/// The timers table, keyed by (due time, execution id, timer id), so that a
/// scan returns timers in due order. Timers are started and cancelled by
/// [`Transition`](crate::Transition)s; firing one is the driver's business
/// (it leases the execution and applies a transition that removes it).
pub trait Timers {
    /// Timers due at `now_ms` (due time <= `now_ms`), earliest first, at most
    /// `limit`.
    fn due_timers(&self, now_ms: i64, limit: usize) -> Result<Vec<TimerRecord>>;

    /// The earliest timer, due or not: how long the driver may sleep.
    fn next_timer(&self) -> Result<Option<TimerRecord>>;
}
