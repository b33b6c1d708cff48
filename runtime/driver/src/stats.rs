//! Counters the metrics endpoint reports.

use std::sync::atomic::{AtomicU64, Ordering};

/// What the driver has done since it started.
#[derive(Debug, Default)]
pub struct Stats {
    /// Executions started (Standard and Express).
    pub started: AtomicU64,
    /// Executions that succeeded.
    pub succeeded: AtomicU64,
    /// Executions that failed.
    pub failed: AtomicU64,
    /// Executions that timed out.
    pub timed_out: AtomicU64,
    /// Executions stopped.
    pub aborted: AtomicU64,
    /// States entered.
    pub transitions: AtomicU64,
    /// Executions with work in flight right now.
    pub active: AtomicU64,
    /// Task invocations running or waiting for a slot right now.
    pub tasks_queued: AtomicU64,
}

impl Stats {
    /// Counts an execution that ended with `status` (SUCCEEDED, FAILED, ...).
    pub(crate) fn finished(&self, status: engine::Status) {
        let counter = match status {
            engine::Status::Succeeded => &self.succeeded,
            engine::Status::Failed => &self.failed,
            engine::Status::TimedOut => &self.timed_out,
            engine::Status::Aborted => &self.aborted,
            engine::Status::Running => return,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
