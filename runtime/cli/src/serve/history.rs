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
        Some(token) => Some(parse_token(token, &record.id, reverse)?),
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
            token(&record.id, reverse, next)
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

/// The page token that resumes at event `seq` of execution `id` read in
/// this direction: `<seq>.<f|r>.<check>`, where the check is a hash of the
/// execution, the direction and `seq`, so a token works only for the query
/// that gave it.
fn token(id: &str, reverse: bool, seq: u64) -> String {
    let direction = if reverse { 'r' } else { 'f' };
    format!("{seq}.{direction}.{:016x}", check(id, reverse, seq))
}

/// The check of a [`token`]: FNV-1a (64 bits, stable across builds, so
/// tokens survive a restart) over a fixed key, the execution, the direction
/// and the event.
fn check(id: &str, reverse: bool, seq: u64) -> u64 {
    const KEY: &[u8] = b"stepwise/GetExecutionHistory/nextToken/1";
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let parts: [&[u8]; 4] = [KEY, id.as_bytes(), &[u8::from(reverse)], &seq.to_le_bytes()];
    for part in parts {
        for &byte in part.iter().chain(&[0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Reads back a [`token`] given for execution `id` in this direction;
/// `InvalidToken` for anything else (malformed, or from another execution or
/// direction).
fn parse_token(token: &str, id: &str, reverse: bool) -> ApiResult<u64> {
    let (seq, _) = token.split_once('.').unwrap_or_default();
    seq.parse::<u64>()
        .ok()
        .filter(|&seq| seq >= 1 && token == self::token(id, reverse, seq))
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
        let id = "exec-1";
        assert_eq!(parse_token(&token(id, false, 7), id, false).unwrap(), 7);
        assert_eq!(parse_token(&token(id, true, 7), id, true).unwrap(), 7);
        let good = token(id, false, 7);
        let other_execution = token("exec-2", false, 7);
        let reversed = token(id, true, 7);
        let other_event = token(id, false, 8);
        let forged = good.replacen('7', "8", 1);
        for bad in [
            "",
            "event-",
            "event-0",
            "event-x",
            "7",
            "event-7",
            "0.f.0",
            "7.f",
            &forged,
            &format!("{good}.x"),
        ] {
            assert_eq!(
                parse_token(bad, id, false).unwrap_err().code,
                ErrorCode::InvalidToken,
                "{bad}"
            );
        }
        // A token of another execution or direction is refused.
        assert_eq!(
            parse_token(&other_execution, id, false).unwrap_err().code,
            ErrorCode::InvalidToken
        );
        assert_eq!(
            parse_token(&reversed, id, false).unwrap_err().code,
            ErrorCode::InvalidToken
        );
        assert_eq!(
            parse_token(&good, id, true).unwrap_err().code,
            ErrorCode::InvalidToken
        );
        assert_eq!(parse_token(&other_event, id, false).unwrap(), 8);
    }
}
