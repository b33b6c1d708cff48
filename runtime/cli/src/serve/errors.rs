//! Driver and store errors as AWS error codes and messages.

use api::{ApiError, ErrorCode};
use driver::DriverError;
use store::StoreError;

/// An unexpected failure on the server's side (HTTP 500).
pub fn internal(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InternalFailure, message)
}

/// A store failure that no operation expected: 500, except for a rule the
/// request broke.
pub fn store_error(err: StoreError) -> ApiError {
    match err {
        StoreError::Invalid(why) => ApiError::new(ErrorCode::ValidationException, why),
        StoreError::Conflict { .. } => ApiError::new(
            ErrorCode::ConflictException,
            format!("A conflicting update is in progress ({err}); try again"),
        ),
        other => internal(format!("The store failed: {other}")),
    }
}

/// A driver error as AWS reports it.
pub fn driver_error(err: DriverError) -> ApiError {
    match err {
        DriverError::ExecutionAlreadyExists(arn) => execution_exists(&arn),
        DriverError::ExecutionDoesNotExist(arn) => no_execution(&arn),
        DriverError::InvalidDefinition(why) => ApiError::new(
            ErrorCode::InvalidDefinition,
            format!("Invalid State Machine Definition: '{why}'"),
        ),
        DriverError::InvalidToken(_) => {
            ApiError::new(ErrorCode::InvalidToken, "Invalid Token: 'Invalid token'")
        }
        // AWS answers a well-formed token of a closed task (finished, timed
        // out, or its execution ended) with TaskTimedOut.
        DriverError::TaskDoesNotExist => ApiError::new(
            ErrorCode::TaskTimedOut,
            "Task Timed Out: 'Provided task does not exist anymore'",
        ),
        DriverError::Throttled(why) => ApiError::new(
            ErrorCode::ThrottlingException,
            format!("Rate exceeded: {why}"),
        ),
        DriverError::Store(err) => store_error(err),
        DriverError::Internal(why) => internal(why),
    }
}

/// `StateMachineDoesNotExist` for `arn`.
pub fn no_state_machine(arn: &str) -> ApiError {
    ApiError::new(
        ErrorCode::StateMachineDoesNotExist,
        format!("State Machine Does Not Exist: '{arn}'"),
    )
}

/// `ExecutionDoesNotExist` for `arn`.
pub fn no_execution(arn: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ExecutionDoesNotExist,
        format!("Execution Does Not Exist: '{arn}'"),
    )
}

/// `ExecutionAlreadyExists` for `arn`.
pub fn execution_exists(arn: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ExecutionAlreadyExists,
        format!("Execution Already Exists: '{arn}'"),
    )
}

/// `ActivityDoesNotExist` for `arn`.
pub fn no_activity(arn: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ActivityDoesNotExist,
        format!("Activity Does Not Exist: '{arn}'"),
    )
}

/// `TooManyTags` when a resource would carry more than [`MAX_TAGS`].
pub fn too_many_tags(arn: &str, count: usize) -> ApiError {
    ApiError::new(
        ErrorCode::TooManyTags,
        format!("Too many tags: '{arn}' would have {count} tags; the limit is {MAX_TAGS}"),
    )
}

/// The most tags a state machine or activity may carry.
pub const MAX_TAGS: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_errors_map_to_aws_codes() {
        let code = |e| driver_error(e).code;
        assert_eq!(
            code(DriverError::ExecutionAlreadyExists("a".into())),
            ErrorCode::ExecutionAlreadyExists
        );
        assert_eq!(
            code(DriverError::ExecutionDoesNotExist("a".into())),
            ErrorCode::ExecutionDoesNotExist
        );
        assert_eq!(
            code(DriverError::InvalidToken("x".into())),
            ErrorCode::InvalidToken
        );
        assert_eq!(code(DriverError::TaskDoesNotExist), ErrorCode::TaskTimedOut);
        assert_eq!(
            code(DriverError::Throttled("busy".into())),
            ErrorCode::ThrottlingException
        );
        assert_eq!(
            code(DriverError::Store(StoreError::Io("disk".into()))),
            ErrorCode::InternalFailure
        );
        assert_eq!(
            code(DriverError::Internal("bug".into())),
            ErrorCode::InternalFailure
        );
        assert_eq!(
            code(DriverError::InvalidDefinition("x".into())),
            ErrorCode::InvalidDefinition
        );
    }
}
