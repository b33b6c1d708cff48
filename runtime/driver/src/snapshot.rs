//! What a Standard execution's row holds for the driver: the engine's state,
//! which definition it runs (so an UpdateStateMachine does not change running
//! executions, as on AWS), and the tasks handed out and not yet answered.
//! The definition's text is stored once, in the store's definitions table;
//! the snapshot, rewritten by every transition, holds its key.

use engine::{Execution, TaskRequest};
use serde::{Deserialize, Serialize};

use crate::error::DriverError;

/// The driver's part of an execution record (`ExecutionRecord::snapshot`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    /// The key of the definition the execution runs in the store's
    /// definitions table.
    pub definition_key: String,
    /// The engine's state.
    pub execution: Execution,
    /// Tasks the engine waits for, with the token each was given: after a
    /// crash, module tasks among them run again.
    pub running: Vec<RunningTask>,
}

/// A task handed out and not answered yet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RunningTask {
    /// What the engine asked for.
    pub request: TaskRequest,
    /// The token SendTaskSuccess/Failure answers with (a `.waitForTaskToken`
    /// task's, or one the driver made for an activity task).
    pub token: Option<String>,
}

impl Snapshot {
    /// The bytes stored in the record.
    pub(crate) fn encode(&self) -> Result<Vec<u8>, DriverError> {
        serde_json::to_vec(self)
            .map_err(|e| DriverError::Internal(format!("cannot encode an execution: {e}")))
    }

    /// Reads back [`Snapshot::encode`]'s bytes.
    pub(crate) fn decode(bytes: &[u8], id: &str) -> Result<Snapshot, DriverError> {
        serde_json::from_slice(bytes).map_err(|e| {
            DriverError::Internal(format!(
                "the stored state of execution {id} is unreadable: {e}"
            ))
        })
    }
}
