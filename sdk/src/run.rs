//! The plumbing between the component's `run` export and a task function: JSON text
//! in, the function's typed input, its result or [`TaskError`], JSON text out.
//!
//! [`task!`](crate::task) calls these; they are public so that tests (and hosts
//! other than a component) can drive a task function exactly as the export does.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{TaskError, INVALID_INPUT, INVALID_OUTPUT};

/// Runs `task` on `input` (JSON text): deserializes the input into `I`, calls the
/// task, serializes its result to compact JSON text.
///
/// - `Err` with [`Stepwise.InvalidInput`](INVALID_INPUT) when `input` does not
///   deserialize into `I` (the cause is serde's message, with line and column);
/// - the task's own error, converted with `Into<TaskError>`;
/// - `Err` with [`Stepwise.InvalidOutput`](INVALID_OUTPUT) when the result does not
///   serialize.
///
/// ```
/// use serde_json::{json, Value};
/// use stepwise_sdk::{run_json, TaskError};
///
/// fn double(n: u64) -> Result<u64, TaskError> {
///     Ok(n * 2)
/// }
/// assert_eq!(run_json("21", double).unwrap(), "42");
/// assert_eq!(run_json("\"x\"", double).unwrap_err().error, "Stepwise.InvalidInput");
/// ```
pub fn run_json<I, O, E, F>(input: &str, task: F) -> Result<String, TaskError>
where
    I: DeserializeOwned,
    O: Serialize,
    E: Into<TaskError>,
    F: FnOnce(I) -> Result<O, E>,
{
    let input: I = serde_json::from_str(input).map_err(|e| {
        TaskError::new(
            INVALID_INPUT,
            format!("the input does not match the task's input type: {e}"),
        )
    })?;
    let output = task(input).map_err(Into::into)?;
    serde_json::to_string(&output).map_err(|e| {
        TaskError::new(
            INVALID_OUTPUT,
            format!("the task's result does not serialize to JSON: {e}"),
        )
    })
}

/// Runs `task` on the input's JSON text as is and returns its output text as is:
/// for tasks that parse and write JSON themselves (a streaming parser, an output
/// built in one allocation). The host checks that the output is JSON.
///
/// ```
/// use stepwise_sdk::{run_raw, TaskError};
///
/// fn wrap(input: String) -> Result<String, TaskError> {
///     Ok(format!("{{\"wrapped\":{input}}}"))
/// }
/// assert_eq!(run_raw("[1]".to_string(), wrap).unwrap(), r#"{"wrapped":[1]}"#);
/// ```
pub fn run_raw<E, F>(input: String, task: F) -> Result<String, TaskError>
where
    E: Into<TaskError>,
    F: FnOnce(String) -> Result<String, E>,
{
    task(input).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

    use super::*;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Order {
        order_id: String,
        amount: f64,
        #[serde(default)]
        fail: bool,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Receipt {
        order_id: String,
        cents: u64,
    }

    fn charge(order: Order) -> Result<Receipt, TaskError> {
        if order.fail {
            return Err(TaskError::with_json_cause(
                "Payment.Declined",
                &json!({"orderId": order.order_id}),
            ));
        }
        Ok(Receipt {
            order_id: order.order_id,
            cents: (order.amount * 100.0).round() as u64,
        })
    }

    #[test]
    fn typed_input_and_output() {
        let out = run_json(r#"{"orderId":"o-1","amount":12.5}"#, charge).unwrap();
        assert_eq!(out, r#"{"orderId":"o-1","cents":1250}"#);
    }

    #[test]
    fn the_task_error_passes_through() {
        let err = run_json(r#"{"orderId":"o-2","amount":1,"fail":true}"#, charge).unwrap_err();
        assert_eq!(
            err,
            TaskError::new("Payment.Declined", r#"{"orderId":"o-2"}"#)
        );
    }

    #[test]
    fn input_of_the_wrong_shape_is_invalid_input() {
        let err = run_json(r#"{"amount":1}"#, charge).unwrap_err();
        assert_eq!(err.error, INVALID_INPUT);
        assert!(
            err.cause.contains("missing field `orderId`"),
            "{}",
            err.cause
        );
        assert!(err.cause.contains("line 1 column"), "{}", err.cause);
    }

    #[test]
    fn text_that_is_not_json_is_invalid_input() {
        let err = run_json("{not json", Ok::<Value, TaskError>).unwrap_err();
        assert_eq!(err.error, INVALID_INPUT);
    }

    #[test]
    fn value_round_trip_keeps_key_order_and_numbers() {
        let text =
            r#"{"z":1,"a":{"y":2.5,"b":[null,true,"s"]},"big":18446744073709551615,"neg":-3}"#;
        let out = run_json(text, Ok::<Value, TaskError>).unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn unicode_and_escapes_survive() {
        let text = r#"{"s":"é \" \\ \n \u0001 😀"}"#;
        let out = run_json(text, Ok::<Value, TaskError>).unwrap();
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["s"], "é \" \\ \n \u{1} 😀");
    }

    #[test]
    fn errors_convert_with_into() {
        struct Declined(&'static str);
        impl From<Declined> for TaskError {
            fn from(d: Declined) -> Self {
                TaskError::new("Payment.Declined", d.0)
            }
        }
        let err = run_json("null", |_: Value| Err::<Value, _>(Declined("no funds"))).unwrap_err();
        assert_eq!(err, TaskError::new("Payment.Declined", "no funds"));
    }

    #[test]
    fn unserializable_output_is_invalid_output() {
        let err = run_json("null", |_: Value| {
            let mut m = BTreeMap::new();
            m.insert((1, 2), "tuple keys are not JSON");
            Ok::<_, TaskError>(m)
        })
        .unwrap_err();
        assert_eq!(err.error, INVALID_OUTPUT);
    }

    #[test]
    fn raw_passes_text_both_ways() {
        let out = run_raw("  [1, 2]  ".to_string(), Ok::<_, TaskError>).unwrap();
        assert_eq!(out, "  [1, 2]  ");
        let err = run_raw(String::new(), |_| {
            Err::<String, _>(TaskError::task_failed("x"))
        });
        assert_eq!(err.unwrap_err().error, "States.TaskFailed");
    }
}
