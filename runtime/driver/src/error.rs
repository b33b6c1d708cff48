//! [`DriverError`]: what a driver call can fail with.

use store::StoreError;

/// Why a driver call failed. The API maps each variant to AWS's error code.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// StartExecution with a name already used with another input.
    #[error("Execution Already Exists: '{0}'")]
    ExecutionAlreadyExists(String),
    /// No execution with this ARN.
    #[error("Execution Does Not Exist: '{0}'")]
    ExecutionDoesNotExist(String),
    /// The definition does not compile (it passed validation, so this is rare).
    #[error("Invalid State Machine Definition: {0}")]
    InvalidDefinition(String),
    /// A task token that is not one Stepwise hands out.
    #[error("Invalid Token: '{0}'")]
    InvalidToken(String),
    /// A well-formed token no task waits for (finished, timed out, unknown).
    #[error("Task Does Not Exist: the task of this token is no longer waiting")]
    TaskDoesNotExist,
    /// Too many executions at once; try again later.
    #[error("Rate exceeded: {0}")]
    Throttled(String),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// Something that should not happen (a corrupt snapshot, a stopped runtime).
    #[error("{0}")]
    Internal(String),
}
