//! Small helpers the operation modules share: times, random ids, pages and
//! durable writes.

use super::errors::{internal, store_error};
use api::model::Timestamp;
use api::ApiResult;
use store::{PageRequest, StoreError, Ticket};

/// A store time (milliseconds since the epoch) as an API timestamp.
pub fn timestamp(millis: i64) -> Timestamp {
    Timestamp::from_millis(millis)
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millis()
}

/// A random version 4 UUID, in its usual text form (the name AWS gives an
/// execution started without one).
pub fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No system randomness: fall back to the clock (names stay unique
        // enough for one process; this does not happen on supported systems).
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    api::uuid_v4_text(bytes)
}

/// The store's page request for an API `maxResults` (0 or absent: 100) and
/// `nextToken`.
pub fn page(max_results: Option<u32>, next_token: Option<String>) -> PageRequest {
    PageRequest {
        token: next_token,
        max_results: max_results.unwrap_or(0) as usize,
    }
}

/// A store error of a listing: a bad page token is `InvalidToken`.
pub fn list_error(err: StoreError) -> api::ApiError {
    match err {
        StoreError::Invalid(why) => api::ApiError::new(
            api::ErrorCode::InvalidToken,
            format!("Invalid Token: '{why}'"),
        ),
        other => store_error(other),
    }
}

/// Waits until the write of `ticket` is on disk.
pub async fn durable(ticket: Ticket) -> ApiResult<()> {
    ticket
        .await
        .map_err(|e| internal(format!("the write could not be made durable: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4() {
        let id = random_uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(id, random_uuid());
    }
}
