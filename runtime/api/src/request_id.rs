//! The `x-amzn-RequestId` header every reply of the AWS protocol carries
//! (boto3 reads it into `ResponseMetadata.RequestId`).
//!
//! An id is UUID-shaped (version 4 layout): 128 bits from a process-wide
//! random seed (the system's randomness, read once) and a counter, mixed with
//! SplitMix64, so ids never repeat within a process and differ between
//! processes, without a system call per request.

use hyper::header::HeaderValue;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The header's name (HTTP header names are case-insensitive).
pub(crate) const REQUEST_ID_HEADER: &str = "x-amzn-requestid";

/// The number of ids handed out so far.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The process's random seed.
fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            // No system randomness (not on supported systems): the clock.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or_default();
            bytes = nanos.to_le_bytes();
        }
        u64::from_le_bytes(bytes)
    })
}

/// SplitMix64's output function: a bijection on `u64`.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A new request id, e.g. `3f1c2b0e-9a4d-4e7f-8c21-5b6a7d8e9f01`.
pub(crate) fn new_request_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let seed = seed();
    // Both halves are bijections of the counter: no two ids of a process are
    // the same.
    let high = mix(seed ^ n);
    let low = mix(seed.rotate_left(32) ^ n ^ 0x9e37_79b9_7f4a_7c15);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    uuid_v4_text(bytes)
}

/// 128 bits as a version 4 UUID in its usual text form (the version and
/// variant bits set, lower-case hex in 8-4-4-4-12 groups).
pub fn uuid_v4_text(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// [`new_request_id`] as a header value.
pub(crate) fn request_id_value() -> HeaderValue {
    HeaderValue::try_from(new_request_id()).unwrap_or(HeaderValue::from_static("unknown"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_uuid_shaped_and_unique() {
        let ids: HashSet<String> = (0..10_000).map(|_| new_request_id()).collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(100) {
            let parts: Vec<&str> = id.split('-').collect();
            let lengths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            assert_eq!(lengths, [8, 4, 4, 4, 12], "{id}");
            assert!(
                id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
                "{id}"
            );
            assert_eq!(&parts[2][..1], "4", "{id}");
        }
    }
}
