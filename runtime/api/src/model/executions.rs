//! StartExecution, StartSyncExecution, DescribeExecution, ListExecutions,
//! StopExecution and GetExecutionHistory.

use super::common::{
    map_run_arn, ExecutionDataDetails, ExecutionStatus, IncludedData, JsonText, Timestamp,
};
use super::shapes::{
    EXECUTION_INPUT, LIST_EXECUTIONS_PAGE_TOKEN, PAGE_SIZE, PAGE_TOKEN, SENSITIVE_CAUSE,
    SENSITIVE_ERROR, TRACE_HEADER,
};
use crate::arn::{ExecutionArn, StateMachineArn};
use crate::decode::{Decode, Members, Optional, Required};
use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;

wire_enum! {
    /// `SyncExecutionStatus`
    SyncExecutionStatus {
        /// Ended with output.
        Succeeded = "SUCCEEDED",
        /// Ended with an error.
        Failed = "FAILED",
        /// Ran past TimeoutSeconds.
        TimedOut = "TIMED_OUT",
    }
}

wire_enum! {
    /// `ExecutionRedriveFilter`
    ExecutionRedriveFilter {
        /// Redriven executions only.
        Redriven = "REDRIVEN",
        /// Executions never redriven.
        NotRedriven = "NOT_REDRIVEN",
    }
}

wire_enum! {
    /// `ExecutionRedriveStatus`
    ExecutionRedriveStatus {
        /// Can be redriven.
        Redrivable = "REDRIVABLE",
        /// Cannot be redriven.
        NotRedrivable = "NOT_REDRIVABLE",
        /// Its Map Run can be redriven.
        RedrivableByMapRun = "REDRIVABLE_BY_MAP_RUN",
    }
}

/// `StartExecutionInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartExecutionInput {
    /// The state machine (or one of its versions or aliases).
    pub state_machine_arn: StateMachineArn,
    /// The execution's name (naming rules checked); a generated one when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The input, valid JSON of at most 256 KiB; `None` means `{}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<JsonText>,
    /// An X-Ray trace header (ASCII).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_header: Option<String>,
}

impl Decode for StartExecutionInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let state_machine_arn = m.arn("stateMachineArn", Required);
        Some(StartExecutionInput {
            name: m.name("name", Optional),
            input: m.json("input", &EXECUTION_INPUT, Optional),
            trace_header: m.string("traceHeader", &TRACE_HEADER, Optional),
            state_machine_arn: state_machine_arn?,
        })
    }
}

/// `StartExecutionOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartExecutionOutput {
    /// The new execution.
    pub execution_arn: String,
    /// When it started.
    pub start_date: Timestamp,
}

/// `StartSyncExecutionInput`: runs an Express state machine to its end.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StartSyncExecutionInput {
    /// The state machine.
    pub state_machine_arn: StateMachineArn,
    /// The execution's name (naming rules checked); a generated one when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The input, valid JSON of at most 256 KiB; `None` means `{}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<JsonText>,
    /// An X-Ray trace header (ASCII).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_header: Option<String>,
    /// ALL_DATA when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub included_data: Option<IncludedData>,
}

impl Decode for StartSyncExecutionInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let state_machine_arn = m.arn("stateMachineArn", Required);
        Some(StartSyncExecutionInput {
            name: m.name("name", Optional),
            input: m.json("input", &EXECUTION_INPUT, Optional),
            trace_header: m.string("traceHeader", &TRACE_HEADER, Optional),
            included_data: m.enumeration("includedData", Optional),
            state_machine_arn: state_machine_arn?,
        })
    }
}

/// `BillingDetails` of a sync execution.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingDetails {
    /// Memory used, in MB.
    #[serde(
        rename = "billedMemoryUsedInMB",
        skip_serializing_if = "Option::is_none"
    )]
    pub billed_memory_used_in_mb: Option<u64>,
    /// Duration, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billed_duration_in_milliseconds: Option<u64>,
}

/// `StartSyncExecutionOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartSyncExecutionOutput {
    /// The execution (an `express:` ARN).
    pub execution_arn: String,
    /// The state machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_arn: Option<String>,
    /// The execution's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When it started.
    pub start_date: Timestamp,
    /// When it ended.
    pub stop_date: Timestamp,
    /// How it ended.
    pub status: SyncExecutionStatus,
    /// The error name, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error cause, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Whether the input is included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_details: Option<ExecutionDataDetails>,
    /// The output, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Whether the output is included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_details: Option<ExecutionDataDetails>,
    /// The X-Ray trace header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_header: Option<String>,
    /// What AWS would bill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_details: Option<BillingDetails>,
}

/// `DescribeExecutionInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeExecutionInput {
    /// The execution.
    pub execution_arn: ExecutionArn,
    /// ALL_DATA when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub included_data: Option<IncludedData>,
}

impl Decode for DescribeExecutionInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let execution_arn = m.arn("executionArn", Required);
        Some(DescribeExecutionInput {
            included_data: m.enumeration("includedData", Optional),
            execution_arn: execution_arn?,
        })
    }
}

/// `DescribeExecutionOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeExecutionOutput {
    /// The execution.
    pub execution_arn: String,
    /// Its state machine.
    pub state_machine_arn: String,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it is.
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: Timestamp,
    /// When it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<Timestamp>,
    /// The input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Whether the input is included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_details: Option<ExecutionDataDetails>,
    /// The output, once it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Whether the output is included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_details: Option<ExecutionDataDetails>,
    /// The X-Ray trace header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_header: Option<String>,
    /// For a Map Run's child execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map_run_arn: Option<String>,
    /// The error name, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error cause, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The version it runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
    /// The alias it was started through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_alias_arn: Option<String>,
    /// How many times it was redriven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redrive_count: Option<u32>,
    /// When it was last redriven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redrive_date: Option<Timestamp>,
    /// Whether it can be redriven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redrive_status: Option<ExecutionRedriveStatus>,
    /// Why it cannot be redriven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redrive_status_reason: Option<String>,
}

/// `ListExecutionsInput`: exactly one of stateMachineArn and mapRunArn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListExecutionsInput {
    /// The state machine whose executions to list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_arn: Option<StateMachineArn>,
    /// Only executions in this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_filter: Option<ExecutionStatus>,
    /// Page size, 0 to 1000 (0: the default, 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// Where the previous page ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// The Map Run whose child executions to list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map_run_arn: Option<String>,
    /// Redriven or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redrive_filter: Option<ExecutionRedriveFilter>,
}

impl Decode for ListExecutionsInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let request = ListExecutionsInput {
            state_machine_arn: m.arn("stateMachineArn", Optional),
            status_filter: m.enumeration("statusFilter", Optional),
            max_results: m.int("maxResults", &PAGE_SIZE, Optional),
            next_token: m.string("nextToken", &LIST_EXECUTIONS_PAGE_TOKEN, Optional),
            map_run_arn: map_run_arn(m),
            redrive_filter: m.enumeration("redriveFilter", Optional),
        };
        let message = match (&request.state_machine_arn, &request.map_run_arn) {
            (Some(_), Some(_)) => "Only one of stateMachineArn and mapRunArn may be given",
            (None, None) => "Either stateMachineArn or mapRunArn must be given",
            _ => return Some(request),
        };
        m.invalid(ApiError::new(ErrorCode::ValidationException, message));
        None
    }
}

/// `ListExecutionsOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListExecutionsOutput {
    /// One page of executions, newest first.
    pub executions: Vec<ExecutionListItem>,
    /// Where this page ends, when there are more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ExecutionListItem`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionListItem {
    /// The execution.
    pub execution_arn: String,
    /// Its state machine.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// Where it is.
    pub status: ExecutionStatus,
    /// When it started.
    pub start_date: Timestamp,
    /// When it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<Timestamp>,
    /// For a Map Run's child execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map_run_arn: Option<String>,
    /// For a Map Run: its item count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_count: Option<u32>,
    /// The version it runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
    /// The alias it was started through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_alias_arn: Option<String>,
    /// How many times it was redriven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redrive_count: Option<u32>,
    /// When it was last redriven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redrive_date: Option<Timestamp>,
}

/// `StopExecutionInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StopExecutionInput {
    /// The execution.
    pub execution_arn: ExecutionArn,
    /// The error to record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause to record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Decode for StopExecutionInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let execution_arn = m.arn("executionArn", Required);
        Some(StopExecutionInput {
            error: m.string("error", &SENSITIVE_ERROR, Optional),
            cause: m.string("cause", &SENSITIVE_CAUSE, Optional),
            execution_arn: execution_arn?,
        })
    }
}

/// `StopExecutionOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StopExecutionOutput {
    /// When it stopped.
    pub stop_date: Timestamp,
}

/// `GetExecutionHistoryInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetExecutionHistoryInput {
    /// The execution.
    pub execution_arn: ExecutionArn,
    /// Page size, 0 to 1000 (0: the default, 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// Newest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reverse_order: Option<bool>,
    /// Where the previous page ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// Whether events carry inputs and outputs (true when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_execution_data: Option<bool>,
}

impl Decode for GetExecutionHistoryInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let execution_arn = m.arn("executionArn", Required);
        Some(GetExecutionHistoryInput {
            max_results: m.int("maxResults", &PAGE_SIZE, Optional),
            reverse_order: m.boolean("reverseOrder", Optional),
            next_token: m.string("nextToken", &PAGE_TOKEN, Optional),
            include_execution_data: m.boolean("includeExecutionData", Optional),
            execution_arn: execution_arn?,
        })
    }
}

/// `GetExecutionHistoryOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetExecutionHistoryOutput {
    /// One page of events.
    pub events: Vec<HistoryEvent>,
    /// Where this page ends, when there are more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `HistoryEvent`: the common members, and the type's details object under its
/// own member name (e.g. `"stateEnteredEventDetails": {...}`) in `details`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    /// When it happened.
    pub timestamp: Timestamp,
    /// The event type, e.g. `TaskStateEntered`.
    #[serde(rename = "type")]
    pub event_type: Cow<'static, str>,
    /// 1 for ExecutionStarted, then one more per event.
    pub id: u64,
    /// The event before it in the same branch or iteration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_event_id: Option<u64>,
    /// The details member(s), written beside the common members.
    #[serde(flatten)]
    pub details: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_request;
    use serde_json::json;

    const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
    const EXEC: &str = "arn:aws:states:us-east-1:123456789012:execution:m:e";

    fn decode<T: Decode>(body: &str) -> Result<T, ApiError> {
        decode_request(body.as_bytes())
    }

    #[test]
    fn start_execution_checks_name_and_input() {
        let request: StartExecutionInput = decode(&format!(
            r#"{{"stateMachineArn":"{SM}","name":"run-1","input":"{{\"a\":1}}"}}"#
        ))
        .unwrap();
        assert_eq!(request.state_machine_arn.name(), "m");
        assert_eq!(request.input.unwrap().value(), &json!({"a": 1}));
        let request: StartExecutionInput =
            decode(&format!(r#"{{"stateMachineArn":"{SM}"}}"#)).unwrap();
        assert_eq!((request.name, request.input), (None, None));

        let err =
            decode::<StartExecutionInput>(&format!(r#"{{"stateMachineArn":"{SM}","name":"a:b"}}"#))
                .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidName);
        let err = decode::<StartExecutionInput>(&format!(
            r#"{{"stateMachineArn":"{SM}","input":"nope"}}"#
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidExecutionInput);
        assert!(
            err.message
                .starts_with("Invalid State Machine Execution Input at 'input': "),
            "{}",
            err.message
        );
        let err = decode::<StartExecutionInput>(&format!(
            r#"{{"stateMachineArn":"{SM}","input":{{"a":1}}}}"#
        ))
        .unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (
                ErrorCode::SerializationException,
                "Expected a string at 'input', got an object"
            )
        );
        let err = decode::<StartExecutionInput>(&format!(r#"{{"stateMachineArn":"{EXEC}"}}"#))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArn);
        let err = decode::<StartSyncExecutionInput>(&format!(
            r#"{{"stateMachineArn":"{SM}","traceHeader":"é"}}"#
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::ValidationException);
    }

    /// The input limit is 262,144 bytes of UTF-8, wherever the characters are.
    #[test]
    fn input_size_boundary() {
        let body = |input: &str| {
            serde_json::to_string(&json!({"stateMachineArn": SM, "input": input})).unwrap()
        };
        let exactly = format!("\"{}\"", "a".repeat(MAX - 2));
        assert_eq!(exactly.len(), MAX);
        assert!(decode::<StartExecutionInput>(&body(&exactly)).is_ok());
        let over = format!("\"{}\"", "a".repeat(MAX - 1));
        let err = decode::<StartExecutionInput>(&body(&over)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidExecutionInput);
        assert_eq!(
            err.message,
            "Invalid State Machine Execution Input at 'input': 262145 bytes is more than the maximum of 262144 bytes (UTF-8)"
        );
        // 2-byte characters: half as many fit.
        let wide = format!("\"{}\"", "é".repeat((MAX - 2) / 2 + 1));
        assert_eq!(
            decode::<StartExecutionInput>(&body(&wide))
                .unwrap_err()
                .code,
            ErrorCode::InvalidExecutionInput
        );
        let wide = format!("\"{}\"", "é".repeat((MAX - 2) / 2));
        assert!(decode::<StartExecutionInput>(&body(&wide)).is_ok());
    }

    const MAX: usize = crate::model::MAX_PAYLOAD_BYTES;

    #[test]
    fn list_executions_needs_one_source() {
        let err = decode::<ListExecutionsInput>("{}").unwrap_err();
        assert_eq!(err.code, ErrorCode::ValidationException);
        let request: ListExecutionsInput = decode(&format!(
            r#"{{"stateMachineArn":"{SM}","statusFilter":"RUNNING","maxResults":0}}"#
        ))
        .unwrap();
        assert_eq!(request.status_filter, Some(ExecutionStatus::Running));
        let err = decode::<ListExecutionsInput>(&format!(
            r#"{{"stateMachineArn":"{SM}","statusFilter":"DONE"}}"#
        ))
        .unwrap_err();
        assert!(
            err.message
                .contains("[RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]"),
            "{}",
            err.message
        );
    }

    #[test]
    fn executions_by_arn() {
        let request: DescribeExecutionInput =
            decode(&format!(r#"{{"executionArn":"{EXEC}"}}"#)).unwrap();
        assert_eq!(request.execution_arn.name(), "e");
        let err =
            decode::<DescribeExecutionInput>(&format!(r#"{{"executionArn":"{SM}"}}"#)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArn);
        let request: StopExecutionInput =
            decode(&format!(r#"{{"executionArn":"{EXEC}","error":"E"}}"#)).unwrap();
        assert_eq!(request.error.as_deref(), Some("E"));
        let request: GetExecutionHistoryInput = decode(&format!(
            r#"{{"executionArn":"{EXEC}","reverseOrder":true,"maxResults":5}}"#
        ))
        .unwrap();
        assert_eq!(
            (request.reverse_order, request.max_results),
            (Some(true), Some(5))
        );
    }

    #[test]
    fn history_events_flatten_their_details() {
        let mut details = Map::new();
        details.insert(
            "stateEnteredEventDetails".into(),
            json!({"name": "A", "input": "{}"}),
        );
        let event = HistoryEvent {
            timestamp: Timestamp::from_millis(1_500),
            event_type: Cow::Borrowed("PassStateEntered"),
            id: 2,
            previous_event_id: Some(1),
            details,
        };
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(
            value,
            json!({"timestamp": 1.5, "type": "PassStateEntered", "id": 2, "previousEventId": 1,
                   "stateEnteredEventDetails": {"name": "A", "input": "{}"}})
        );
        assert_eq!(
            serde_json::from_value::<HistoryEvent>(value).unwrap(),
            event
        );
    }
}
