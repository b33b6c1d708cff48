//! [`TaskError`]: the failure a task returns, named for Retry and Catch.

use std::fmt;

use serde::Serialize;

/// `States.TaskFailed`: the generic task failure, the name a trap or a panic gets.
/// It is the only `States.` name a task may return (see [`TaskError::new`]).
pub const TASK_FAILED: &str = "States.TaskFailed";

/// The error the SDK returns when the state's input does not deserialize into the
/// task function's input type. Custom: Retry and Catch can match it by name.
pub const INVALID_INPUT: &str = "Stepwise.InvalidInput";

/// The error the SDK returns when the task's result does not serialize to JSON (a
/// map with non-string keys, a failing `Serialize` impl).
pub const INVALID_OUTPUT: &str = "Stepwise.InvalidOutput";

/// A task failure: `error` is the ASL error name that a Retrier's or Catcher's
/// `ErrorEquals` matches (`Payment.Declined`), `cause` a human-readable explanation,
/// often JSON. It becomes the `task-error` of `wit/task.wit` and, in the workflow,
/// the state's `Error` and `Cause`.
///
/// ```
/// use stepwise_sdk::TaskError;
///
/// let declined = TaskError::with_json_cause(
///     "Payment.Declined",
///     &serde_json::json!({"orderId": "o-1", "reason": "insufficient funds"}),
/// );
/// assert_eq!(declined.error, "Payment.Declined");
/// assert_eq!(declined.cause, r#"{"orderId":"o-1","reason":"insufficient funds"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskError {
    /// The ASL error name Retry and Catch match on.
    pub error: String,
    /// A human-readable cause (free text or JSON text).
    pub cause: String,
}

impl TaskError {
    /// A failure named `error` with `cause`.
    ///
    /// Pick your own dotted names (`Payment.Declined`, `Inventory.OutOfStock`).
    /// Names starting with `States.` are the runtime's: apart from
    /// [`States.TaskFailed`](TASK_FAILED), the host turns them into
    /// `States.TaskFailed` (a task cannot fake a timeout), and an empty name becomes
    /// `States.TaskFailed` too.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskError {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// A failure named `error` whose cause is `cause` as JSON text, the shape AWS
    /// services use for structured causes. A cause that does not serialize is
    /// replaced by its serialization error's message.
    pub fn with_json_cause(error: impl Into<String>, cause: &impl Serialize) -> Self {
        let cause = serde_json::to_string(cause)
            .unwrap_or_else(|e| format!("the cause does not serialize to JSON: {e}"));
        Self::new(error, cause)
    }

    /// The generic failure, `States.TaskFailed`, with `cause`.
    pub fn task_failed(cause: impl Into<String>) -> Self {
        Self::new(TASK_FAILED, cause)
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for TaskError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_and_display() {
        let e = TaskError::new("Inventory.OutOfStock", "sku A-1");
        assert_eq!(e.error, "Inventory.OutOfStock");
        assert_eq!(e.cause, "sku A-1");
        assert_eq!(e.to_string(), "Inventory.OutOfStock: sku A-1");
    }

    #[test]
    fn task_failed_is_the_generic_name() {
        assert_eq!(TaskError::task_failed("boom").error, "States.TaskFailed");
    }

    #[test]
    fn json_cause_is_compact_json_in_key_order() {
        let e = TaskError::with_json_cause("X.Y", &serde_json::json!({"b": 1, "a": [true]}));
        assert_eq!(e.cause, r#"{"b":1,"a":[true]}"#);
    }

    #[test]
    fn unserializable_cause_says_so() {
        let mut bad = std::collections::HashMap::new();
        bad.insert(vec![1u8], 1);
        let e = TaskError::with_json_cause("X.Y", &bad);
        assert_eq!(e.error, "X.Y");
        assert!(
            e.cause.starts_with("the cause does not serialize to JSON"),
            "{}",
            e.cause
        );
    }
}
