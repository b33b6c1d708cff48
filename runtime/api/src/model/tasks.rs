//! SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: completing the tasks
//! that wait for a task token (`.waitForTaskToken`, activities).

use super::common::JsonText;
use super::shapes::{SENSITIVE_CAUSE, SENSITIVE_ERROR, TASK_OUTPUT, TASK_TOKEN};
use crate::decode::{Decode, Members, Optional, Required};
use serde::{Deserialize, Serialize};

/// `SendTaskSuccessInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendTaskSuccessInput {
    /// The token the task was given.
    pub task_token: String,
    /// The task's result, valid JSON of at most 256 KiB.
    pub output: JsonText,
}

impl Decode for SendTaskSuccessInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let task_token = m.string("taskToken", &TASK_TOKEN, Required);
        let output = m.json("output", &TASK_OUTPUT, Required);
        Some(SendTaskSuccessInput {
            task_token: task_token?,
            output: output?,
        })
    }
}

/// `SendTaskSuccessOutput` (empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SendTaskSuccessOutput {}

/// `SendTaskFailureInput`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendTaskFailureInput {
    /// The token the task was given.
    pub task_token: String,
    /// The error name Retry and Catch match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A description of the failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Decode for SendTaskFailureInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let task_token = m.string("taskToken", &TASK_TOKEN, Required);
        Some(SendTaskFailureInput {
            error: m.string("error", &SENSITIVE_ERROR, Optional),
            cause: m.string("cause", &SENSITIVE_CAUSE, Optional),
            task_token: task_token?,
        })
    }
}

/// `SendTaskFailureOutput` (empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SendTaskFailureOutput {}

/// `SendTaskHeartbeatInput`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendTaskHeartbeatInput {
    /// The token the task was given.
    pub task_token: String,
}

impl Decode for SendTaskHeartbeatInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(SendTaskHeartbeatInput {
            task_token: m.string("taskToken", &TASK_TOKEN, Required)?,
        })
    }
}

/// `SendTaskHeartbeatOutput` (empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SendTaskHeartbeatOutput {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_request;
    use crate::error::ErrorCode;
    use crate::model::MAX_PAYLOAD_BYTES;

    #[test]
    fn success_output_must_be_json_within_the_limit() {
        let ok: SendTaskSuccessInput =
            decode_request(br#"{"taskToken":"t","output":"[1]"}"#).unwrap();
        assert_eq!(ok.output.text(), "[1]");
        let err = decode_request::<SendTaskSuccessInput>(br#"{"taskToken":"t","output":"{"}"#)
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidOutput);
        assert!(
            err.message.starts_with("Invalid Output at 'output': "),
            "{}",
            err.message
        );
        let big = serde_json::json!({"taskToken": "t", "output": format!("\"{}\"", "a".repeat(MAX_PAYLOAD_BYTES - 1))});
        let err = decode_request::<SendTaskSuccessInput>(big.to_string().as_bytes()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidOutput);
        let err = decode_request::<SendTaskSuccessInput>(br#"{"taskToken":"t"}"#).unwrap_err();
        assert_eq!(err.message, "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null");
    }

    #[test]
    fn failure_and_heartbeat() {
        let failure: SendTaskFailureInput =
            decode_request(br#"{"taskToken":"t","error":"E","cause":"C"}"#).unwrap();
        assert_eq!(
            (failure.error.as_deref(), failure.cause.as_deref()),
            (Some("E"), Some("C"))
        );
        let err = decode_request::<SendTaskHeartbeatInput>(br#"{"taskToken":""}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::ValidationException);
        let long = format!(r#"{{"taskToken":"t","error":"{}"}}"#, "e".repeat(257));
        let err = decode_request::<SendTaskFailureInput>(long.as_bytes()).unwrap_err();
        assert_eq!(err.message, "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256");
    }
}
