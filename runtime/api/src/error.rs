//! Error codes and [`ApiError`], the one error type every route and backend
//! method returns.
//!
//! On the AWS routes an error is `{"__type": "<code>", "message": "..."}` with the
//! header `x-amzn-ErrorType: <code>` (botocore turns `__type` into
//! `client.exceptions.<code>`); client errors are HTTP 400 there, as AWS does,
//! throttling included. The Stepwise routes (`/modules`, `/invoke`) use REST-style
//! statuses from [`ErrorCode::rest_status`].

use hyper::StatusCode;
use std::fmt;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// An error's code: the `__type` of the response body.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $name,)*
        }

        impl ErrorCode {
            /// The code as written in `__type` and `x-amzn-ErrorType`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => stringify!($name),)*
                }
            }
        }
    };
}

error_codes! {
    /// CreateActivity: an activity of that name exists with other settings.
    ActivityAlreadyExists,
    /// The activity does not exist.
    ActivityDoesNotExist,
    /// Too many activities.
    ActivityLimitExceeded,
    /// Too many workers polling an activity.
    ActivityWorkerLimitExceeded,
    /// A conflicting update is in progress.
    ConflictException,
    /// StartExecution: an execution of that name exists with another input.
    ExecutionAlreadyExists,
    /// The execution does not exist.
    ExecutionDoesNotExist,
    /// Too many running executions.
    ExecutionLimitExceeded,
    /// An ARN is malformed or names the wrong kind of resource.
    InvalidArn,
    /// The state machine definition is not valid ASL.
    InvalidDefinition,
    /// The encryption configuration is not valid.
    InvalidEncryptionConfiguration,
    /// The execution input is not JSON, or is larger than 256 KiB.
    InvalidExecutionInput,
    /// The logging configuration is not valid.
    InvalidLoggingConfiguration,
    /// A name breaks the naming rules.
    InvalidName,
    /// SendTaskSuccess: the output is not JSON, or is larger than 256 KiB.
    InvalidOutput,
    /// A task token or page token is not valid.
    InvalidToken,
    /// The tracing configuration is not valid.
    InvalidTracingConfiguration,
    /// UpdateStateMachine with nothing to update.
    MissingRequiredParameter,
    /// The resource (of a tag operation) does not exist.
    ResourceNotFound,
    /// A service quota is exhausted.
    ServiceQuotaExceededException,
    /// A state machine of that name exists with another definition.
    StateMachineAlreadyExists,
    /// The state machine is being deleted.
    StateMachineDeleting,
    /// The state machine does not exist.
    StateMachineDoesNotExist,
    /// Too many state machines.
    StateMachineLimitExceeded,
    /// The operation is not supported for this state machine type.
    StateMachineTypeNotSupported,
    /// The task token names no waiting task.
    TaskDoesNotExist,
    /// The task already timed out.
    TaskTimedOut,
    /// Too many tags on a resource.
    TooManyTags,
    /// A member breaks its constraints (required, length, range, enum).
    ValidationException,
    /// The body is not JSON, not an object, or a member has the wrong JSON type.
    SerializationException,
    /// `X-Amz-Target` names no Step Functions operation.
    UnknownOperationException,
    /// Too many requests.
    ThrottlingException,
    /// A bug or an unexpected failure on the server side (HTTP 500).
    InternalFailure,
    /// An operation of the Step Functions API that Stepwise does not implement.
    UnsupportedOperation,
    /// No route for this path.
    NotFound,
    /// The path exists but not with this method.
    MethodNotAllowed,
    /// The request body is larger than the route allows.
    RequestEntityTooLarge,
    /// No module of that name.
    ModuleDoesNotExist,
    /// An uploaded module is not a valid task component.
    InvalidModule,
}

impl ErrorCode {
    /// The HTTP status on the AWS protocol route (`POST /`): 400 for every
    /// client error (throttling included, as AWS's JSON protocol does), 500 for
    /// [`ErrorCode::InternalFailure`], and the HTTP meaning for the few codes that
    /// describe the HTTP request itself.
    pub fn aws_status(self) -> StatusCode {
        match self {
            ErrorCode::InternalFailure => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::RequestEntityTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The HTTP status on the Stepwise routes (`/modules`, `/invoke`): 404 for a
    /// missing resource, 409 for a conflict, 429 for throttling and limits,
    /// otherwise as [`ErrorCode::aws_status`].
    pub fn rest_status(self) -> StatusCode {
        match self {
            ErrorCode::ActivityDoesNotExist
            | ErrorCode::ExecutionDoesNotExist
            | ErrorCode::ResourceNotFound
            | ErrorCode::StateMachineDoesNotExist
            | ErrorCode::TaskDoesNotExist
            | ErrorCode::ModuleDoesNotExist => StatusCode::NOT_FOUND,
            ErrorCode::ActivityAlreadyExists
            | ErrorCode::ConflictException
            | ErrorCode::ExecutionAlreadyExists
            | ErrorCode::StateMachineAlreadyExists
            | ErrorCode::StateMachineDeleting => StatusCode::CONFLICT,
            ErrorCode::ThrottlingException
            | ErrorCode::ActivityLimitExceeded
            | ErrorCode::ActivityWorkerLimitExceeded
            | ErrorCode::ExecutionLimitExceeded
            | ErrorCode::StateMachineLimitExceeded
            | ErrorCode::ServiceQuotaExceededException => StatusCode::TOO_MANY_REQUESTS,
            other => other.aws_status(),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error reply: a code and a human-readable message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// What went wrong, as a code clients match on.
    pub code: ErrorCode,
    /// What went wrong, for people: names the field and the reason.
    pub message: String,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

/// The result of a backend method.
pub type ApiResult<T> = Result<T, ApiError>;

/// The longest excerpt of a client-supplied value quoted in an error message,
/// in characters.
const MAX_QUOTED_CHARS: usize = 128;

/// A client-supplied value for an error message, cut to [`MAX_QUOTED_CHARS`]
/// characters (with `...` when cut) so a huge value never floods a reply.
pub(crate) fn excerpt(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(MAX_QUOTED_CHARS) {
        None => value.into(),
        Some((end, _)) => format!("{}...", &value[..end]).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_their_names() {
        assert_eq!(ErrorCode::InvalidArn.as_str(), "InvalidArn");
        assert_eq!(
            ErrorCode::UnknownOperationException.to_string(),
            "UnknownOperationException"
        );
    }

    #[test]
    fn statuses() {
        assert_eq!(ErrorCode::ThrottlingException.aws_status(), 400);
        assert_eq!(ErrorCode::StateMachineDoesNotExist.aws_status(), 400);
        assert_eq!(ErrorCode::InternalFailure.aws_status(), 500);
        assert_eq!(ErrorCode::StateMachineDoesNotExist.rest_status(), 404);
        assert_eq!(ErrorCode::ThrottlingException.rest_status(), 429);
        assert_eq!(ErrorCode::InvalidName.rest_status(), 400);
    }

    #[test]
    fn excerpts_are_bounded() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(500);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), MAX_QUOTED_CHARS + 3);
        assert!(cut.ends_with("..."));
    }
}
