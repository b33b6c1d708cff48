//! GetExecutionHistory: the stored events (JSON text in AWS's shape, with
//! RFC 3339 timestamps) as the API's events, page by page.

use super::backend::ServeBackend;
use super::errors::{internal, store_error};
use super::executions::stored_execution;
use super::util::timestamp;
use api::model::*;
use api::{ApiError, ApiResult, ErrorCode};
use serde_json::{Map, Value};
use std::borrow::Cow;
use store::HistoryQuery;

/// Events per page when `maxResults` is 0 or absent.
const DEFAULT_PAGE: usize = 100;

/// The members of a details object that carry execution data.
const DATA_MEMBERS: [&str; 2] = ["input", "output"];

/// GetExecutionHistory of a Standard execution.
pub fn get(
    backend: &ServeBackend,
    request: GetExecutionHistoryInput,
) -> ApiResult<GetExecutionHistoryOutput> {
    let record = stored_execution(backend, &request.execution_arn)?;
    let reverse = request.reverse_order.unwrap_or(false);
    let size = match request.max_results {
        None | Some(0) => DEFAULT_PAGE,
        Some(n) => n as usize,
    };
    let from = match &request.next_token {
        None => None,
        Some(token) => Some(parse_token(token)?),
    };
    // One more than the page: whether there is a next page.
    let query = HistoryQuery {
        from,
        reverse,
        limit: size + 1,
    };
    let mut stored = backend
        .store()
        .history(&record.id, query)
        .map_err(store_error)?;
    let next_token = if stored.len() > size {
        stored.truncate(size);
        stored.last().map(|last| {
            let next = if reverse {
                last.seq.saturating_sub(1)
            } else {
                last.seq + 1
            };
            token(next)
        })
    } else {
        None
    };
    let with_data = request.include_execution_data.unwrap_or(true);
    let events = stored
        .iter()
        .map(|event| convert(&event.json, event.seq, with_data))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(GetExecutionHistoryOutput { events, next_token })
}

/// The page token that resumes at event `seq`.
fn token(seq: u64) -> String {
    format!("event-{seq}")
}

/// Reads back [`token`]; `InvalidToken` for anything else.
fn parse_token(token: &str) -> ApiResult<u64> {
    token
        .strip_prefix("event-")
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|&n| n >= 1)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidToken,
                "Invalid Token: 'The nextToken is not one GetExecutionHistory returned'",
            )
        })
}

/// One stored event as the API's event; without execution data, the
/// `input` and `output` of its details are left out.
fn convert(json: &str, seq: u64, with_data: bool) -> ApiResult<HistoryEvent> {
    let corrupt = |why: &str| internal(format!("history event {seq} is unreadable: {why}"));
    let mut object: Map<String, Value> = match serde_json::from_str(json) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return Err(corrupt("not a JSON object")),
        Err(e) => return Err(corrupt(&e.to_string())),
    };
    let millis = match object.remove("timestamp") {
        Some(Value::String(text)) => chrono::DateTime::parse_from_rfc3339(&text)
            .map_err(|e| corrupt(&format!("timestamp '{text}': {e}")))?
            .timestamp_millis(),
        Some(Value::Number(n)) => n
            .as_f64()
            .map(|seconds| (seconds * 1000.0).round() as i64)
            .ok_or_else(|| corrupt("timestamp"))?,
        _ => return Err(corrupt("no timestamp")),
    };
    let event_type = match object.remove("type") {
        Some(Value::String(t)) => t,
        _ => return Err(corrupt("no type")),
    };
    let id = object.remove("id").and_then(|v| v.as_u64()).unwrap_or(seq);
    let previous_event_id = object.remove("previousEventId").and_then(|v| v.as_u64());
    if !with_data {
        for details in object.values_mut() {
            if let Value::Object(details) = details {
                for member in DATA_MEMBERS {
                    details.remove(member);
                }
            }
        }
    }
    Ok(HistoryEvent {
        timestamp: timestamp(millis),
        event_type: Cow::Owned(event_type),
        id,
        previous_event_id,
        details: object,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_convert_to_the_api_shape() {
        let json = r#"{"timestamp":"2024-01-02T03:04:05.678Z","type":"PassStateEntered","id":2,"previousEventId":1,"stateEnteredEventDetails":{"name":"A","input":"{}","inputDetails":{"truncated":false}}}"#;
        let event = convert(json, 2, true).unwrap();
        assert_eq!(event.timestamp.as_millis(), 1_704_164_645_678);
        assert_eq!(event.event_type, "PassStateEntered");
        assert_eq!((event.id, event.previous_event_id), (2, Some(1)));
        assert_eq!(event.details["stateEnteredEventDetails"]["input"], "{}");
        let event = convert(json, 2, false).unwrap();
        assert!(event.details["stateEnteredEventDetails"]
            .get("input")
            .is_none());
        assert_eq!(event.details["stateEnteredEventDetails"]["name"], "A");
    }

    #[test]
    fn bad_events_and_tokens_are_errors() {
        assert_eq!(
            convert("[1]", 1, true).unwrap_err().code,
            ErrorCode::InternalFailure
        );
        assert_eq!(
            convert(r#"{"type":"X"}"#, 1, true).unwrap_err().code,
            ErrorCode::InternalFailure
        );
        assert_eq!(parse_token(&token(7)).unwrap(), 7);
        for bad in ["", "event-", "event-0", "event-x", "7"] {
            assert_eq!(parse_token(bad).unwrap_err().code, ErrorCode::InvalidToken);
        }
    }
}
