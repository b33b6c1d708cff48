//! Execution history: the events of each execution, numbered from 1.

use crate::error::Result;

/// One history event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEvent {
    /// Its number in the execution, from 1.
    pub seq: u64,
    /// The event's JSON text, as written.
    pub json: String,
}

/// Which events [`History::history`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HistoryQuery {
    /// The first event to return: forward, events numbered `from` and up
    /// (`None`: from 1); in reverse, `from` and down (`None`: from the last).
    pub from: Option<u64>,
    /// Newest first.
    pub reverse: bool,
    /// The most events to return; 0 means the default (100).
    pub limit: usize,
}

/// The history table: the events each write appended, stored together under
/// (execution id, sequence number of the first), read back one by one. Events
/// are written only by [`Executions`](crate::Executions), with the record they
/// belong to.
pub trait History {
    /// A slice of an execution's history (empty for an unknown execution).
    fn history(&self, execution_id: &str, query: HistoryQuery) -> Result<Vec<HistoryEvent>>;
}
