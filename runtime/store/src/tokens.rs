//! Task tokens: what `SendTaskSuccess`, `SendTaskFailure` and
//! `SendTaskHeartbeat` refer to.

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// A task token handed out by a `.waitForTaskToken` task or an activity task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskTokenRecord {
    /// The token; the key.
    pub token: String,
    /// The execution waiting for it.
    pub execution_id: String,
    /// The engine's id of the waiting task.
    pub task: u64,
    /// The waiting state's name.
    pub state_name: String,
    /// When it was handed out, milliseconds since the Unix epoch.
    pub created_ms: i64,
}

/// The task tokens table, keyed by token. Tokens are registered and forgotten
/// by [`Transition`](crate::Transition)s.
pub trait TaskTokens {
    /// The token's record, if it is still awaited.
    fn get_task_token(&self, token: &str) -> Result<Option<TaskTokenRecord>>;
}
