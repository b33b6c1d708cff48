//! The predefined `States.*` error names, the failure value states raise, and how
//! Retry/Catch match an error name.

use serde::{Deserialize, Serialize};

/// `States.ALL`: matches every error except [`RUNTIME`] and [`DATA_LIMIT_EXCEEDED`].
pub const ALL: &str = "States.ALL";
/// `States.Runtime`: an execution-level failure no Retry or Catch handles.
pub const RUNTIME: &str = "States.Runtime";
/// `States.Timeout`: a Task ran past TimeoutSeconds, or the execution past its own.
pub const TIMEOUT: &str = "States.Timeout";
/// `States.HeartbeatTimeout`: a Task sent no heartbeat within HeartbeatSeconds.
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
/// `States.TaskFailed`: a Task failed; as a matcher, any error but the `States.` ones.
pub const TASK_FAILED: &str = "States.TaskFailed";
/// `States.Permissions`: insufficient privileges.
pub const PERMISSIONS: &str = "States.Permissions";
/// `States.ResultPathMatchFailure`: ResultPath cannot be applied to the input.
pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
/// `States.ParameterPathFailure`: a `.$` field's path failed.
pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
/// `States.BranchFailed`: a Parallel branch failed.
pub const BRANCH_FAILED: &str = "States.BranchFailed";
/// `States.NoChoiceMatched`: no Choice rule matched and there is no Default.
pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
/// `States.IntrinsicFailure`: an intrinsic function failed.
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
/// `States.ExceedToleratedFailureThreshold`: too many Map items failed.
pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
/// `States.ItemReaderFailed`: a Map's ItemReader failed.
pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
/// `States.ResultWriterFailed`: a Map's ResultWriter failed.
pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
/// `States.DataLimitExceeded`: a state's input or output exceeded 256 KiB.
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
/// `States.QueryEvaluationError`: a JSONata expression failed.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

/// The largest state input or output, in bytes of its JSON text (256 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// An error raised while running a state: its ASL error name and cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct Failure {
    /// The error name Retry and Catch match on.
    pub error: String,
    /// A human-readable cause.
    pub cause: String,
}

impl Failure {
    /// A failure with this name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// A `States.Runtime` failure.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(RUNTIME, cause)
    }

    /// True for the errors AWS reports with the "An error occurred while executing
    /// the state ..." prefix: failures of the state's own field processing.
    pub fn is_processing_error(&self) -> bool {
        matches!(
            self.error.as_str(),
            RUNTIME | QUERY_EVALUATION_ERROR | INTRINSIC_FAILURE
        )
    }
}

/// Whether a Retrier's or Catcher's `ErrorEquals` list matches `error`.
///
/// `States.ALL` matches anything but `States.Runtime` and `States.DataLimitExceeded`
/// (AWS: "can't be caught by States.ALL"); `States.TaskFailed` also matches every
/// error that is not a predefined `States.` error (errors raised by tasks).
/// `States.Runtime` is never caught or retried.
pub fn matches(error_equals: &[String], error: &str) -> bool {
    if error == RUNTIME {
        return false;
    }
    error_equals.iter().any(|name| {
        name == error
            || (name == ALL && error != DATA_LIMIT_EXCEEDED)
            || (name == TASK_FAILED && !error.starts_with("States."))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn all_matches_custom_and_states_errors_but_not_runtime() {
        assert!(matches(&list(&[ALL]), "Custom"));
        assert!(matches(&list(&[ALL]), TIMEOUT));
        assert!(!matches(&list(&[ALL]), RUNTIME));
        assert!(!matches(&list(&[ALL]), DATA_LIMIT_EXCEEDED));
        assert!(matches(&list(&[DATA_LIMIT_EXCEEDED]), DATA_LIMIT_EXCEEDED));
        assert!(!matches(&list(&[RUNTIME]), RUNTIME));
    }

    #[test]
    fn task_failed_matches_task_errors_only() {
        assert!(matches(&list(&[TASK_FAILED]), "Lambda.Unknown"));
        assert!(matches(&list(&[TASK_FAILED]), TASK_FAILED));
        assert!(!matches(&list(&[TASK_FAILED]), TIMEOUT));
        assert!(!matches(&list(&["A", "B"]), "C"));
        assert!(matches(&list(&["A", "B"]), "B"));
    }
}
