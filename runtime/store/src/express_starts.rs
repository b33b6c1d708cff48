//! Asynchronous Express executions that were started and have not ended yet:
//! kept so that a start acknowledged before a crash still runs after it
//! (at least once, as AWS promises for asynchronous Express executions).

use serde::{Deserialize, Serialize};

use crate::durability::Ticket;
use crate::error::Result;

/// What an asynchronous Express execution was started with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpressStartRecord {
    /// The execution ARN (`...:express:<machine>:<name>:<id>`); the key.
    pub arn: String,
    /// The ARN it was started with.
    pub state_machine_arn: String,
    /// The state machine's name.
    pub state_machine_name: String,
    /// The definition it runs.
    pub definition: String,
    /// The machine's role ARN.
    pub role_arn: String,
    /// The execution's name.
    pub name: String,
    /// The input, JSON text.
    pub input: String,
    /// The `traceHeader`, if any.
    pub trace_header: Option<String>,
    /// When it was started, milliseconds since the Unix epoch.
    pub start_ms: i64,
}

/// The pending Express starts, keyed by execution ARN.
pub trait ExpressStarts {
    /// Records a start (replacing one with the same ARN).
    fn put_express_start(&self, record: &ExpressStartRecord) -> Result<Ticket>;

    /// Forgets a start whose execution ended (nothing if there is none).
    fn remove_express_start(&self, arn: &str) -> Result<Ticket>;

    /// Up to `limit` pending starts in ARN order, after `after`.
    fn pending_express_starts(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ExpressStartRecord>>;
}
