//! Byte encodings of keys, shared by both backends so that they sort alike.
//!
//! Composite keys put variable-length text behind a 4-byte big-endian length
//! (so that `"ab"` never prefixes `"abc"`), numbers big-endian, and signed
//! times with the sign bit flipped (so that byte order is numeric order).

use std::ops::Bound;

use crate::error::{Result, StoreError};

/// A range of keys, as the backends scan them.
pub(crate) type KeyRange = (Bound<Vec<u8>>, Bound<Vec<u8>>);

/// A signed time as 8 bytes that sort numerically.
pub(crate) fn ord_i64(value: i64) -> [u8; 8] {
    ((value as u64) ^ (1 << 63)).to_be_bytes()
}

/// Reads back [`ord_i64`].
pub(crate) fn read_ord_i64(bytes: &[u8]) -> Result<i64> {
    Ok((u64::from_be_bytes(array8(bytes)?) ^ (1 << 63)) as i64)
}

/// Reads a big-endian `u64` from exactly 8 bytes.
pub(crate) fn read_u64(bytes: &[u8]) -> Result<u64> {
    Ok(u64::from_be_bytes(array8(bytes)?))
}

fn array8(bytes: &[u8]) -> Result<[u8; 8]> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("expected 8 bytes, found {}", bytes.len())))
}

/// Appends `text` behind its 4-byte length.
pub(crate) fn push_text(key: &mut Vec<u8>, text: &str) {
    key.extend_from_slice(&(text.len() as u32).to_be_bytes());
    key.extend_from_slice(text.as_bytes());
}

/// A key that starts with `text` behind its length.
pub(crate) fn text_prefix(text: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(text.len() + 12);
    push_text(&mut key, text);
    key
}

/// Reads a length-prefixed text at the start of `bytes`; returns it and the rest.
pub(crate) fn read_text(bytes: &[u8]) -> Result<(&str, &[u8])> {
    let corrupt = || StoreError::Corrupt("truncated key".into());
    let len = bytes.get(..4).ok_or_else(corrupt)?;
    let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
    let text = bytes.get(4..4 + len).ok_or_else(corrupt)?;
    let text = std::str::from_utf8(text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok((text, &bytes[4 + len..]))
}

/// `prefix` + `n` big-endian: history (execution id, sequence), versions
/// (machine ARN, version), activity queues (activity ARN, enqueue order),
/// module versions (name, version).
pub(crate) fn text_and_u64(text: &str, n: u64) -> Vec<u8> {
    let mut key = text_prefix(text);
    key.extend_from_slice(&n.to_be_bytes());
    key
}

/// Timers: due time, execution id, timer id; sorted by due time.
pub(crate) fn timer(due_ms: i64, execution_id: &str, timer: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(execution_id.len() + 20);
    key.extend_from_slice(&ord_i64(due_ms));
    push_text(&mut key, execution_id);
    key.extend_from_slice(&timer.to_be_bytes());
    key
}

/// Reads back [`timer`].
pub(crate) fn read_timer(key: &[u8]) -> Result<(i64, &str, u64)> {
    let corrupt = || StoreError::Corrupt("truncated timer key".into());
    let due = read_ord_i64(key.get(..8).ok_or_else(corrupt)?)?;
    let (id, rest) = read_text(&key[8..])?;
    Ok((due, id, read_u64(rest)?))
}

/// Finished executions by stop time: stop time, then the id (unprefixed, last).
pub(crate) fn finished(stop_ms: i64, execution_id: &str) -> Vec<u8> {
    let mut key = ord_i64(stop_ms).to_vec();
    key.extend_from_slice(execution_id.as_bytes());
    key
}

/// Reads back [`finished`].
pub(crate) fn read_finished(key: &[u8]) -> Result<(i64, &str)> {
    let corrupt = || StoreError::Corrupt("truncated index key".into());
    let stop = read_ord_i64(key.get(..8).ok_or_else(corrupt)?)?;
    let id = std::str::from_utf8(&key[8..]).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok((stop, id))
}

/// The executions of one state machine, optionally with one status:
/// machine ARN, a status tag (0 for "any status"), start time, id.
pub(crate) fn by_machine_prefix(machine_arn: &str, status_tag: u8) -> Vec<u8> {
    let mut key = text_prefix(machine_arn);
    key.push(status_tag);
    key
}

/// The machine's own ARN when `arn` names one of its versions or aliases
/// (`arn:<partition>:states:<region>:<account>:stateMachine:<name>:<qualifier>`);
/// `None` for any other text.
pub(crate) fn unqualified_machine(arn: &str) -> Option<&str> {
    let mut colons = arn.match_indices(':').map(|(i, _)| i);
    let seventh = colons.nth(6)?;
    let is_machine = arn.split(':').nth(5) == Some("stateMachine");
    (is_machine && seventh + 1 < arn.len()).then(|| &arn[..seventh])
}

/// The rest of a [`by_machine_prefix`] key: start time and id.
pub(crate) fn by_machine_suffix(start_ms: i64, execution_id: &str) -> Vec<u8> {
    let mut key = ord_i64(start_ms).to_vec();
    key.extend_from_slice(execution_id.as_bytes());
    key
}

/// Every key that starts with `prefix`.
pub(crate) fn prefix_range(prefix: &[u8]) -> KeyRange {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return (Bound::Included(prefix.to_vec()), Bound::Excluded(end));
        }
    }
    (Bound::Included(prefix.to_vec()), Bound::Unbounded)
}

/// Whether a range is empty (`BTreeMap::range` panics on inverted ranges).
pub(crate) fn is_empty_range(range: &KeyRange) -> bool {
    match range {
        (Bound::Included(start), Bound::Included(end)) => start > end,
        (Bound::Included(start) | Bound::Excluded(start), Bound::Excluded(end))
        | (Bound::Excluded(start), Bound::Included(end)) => start >= end,
        _ => false,
    }
}

/// Lower-case hex, for page tokens and sha256 digests.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(DIGITS[(byte >> 4) as usize] as char);
        text.push(DIGITS[(byte & 15) as usize] as char);
    }
    text
}

/// Reads back [`hex`]; `None` if `text` is not hex.
pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_times_sort_numerically() {
        let times = [i64::MIN, -5, -1, 0, 1, 7, i64::MAX];
        for pair in times.windows(2) {
            assert!(ord_i64(pair[0]) < ord_i64(pair[1]));
        }
        for t in times {
            assert_eq!(read_ord_i64(&ord_i64(t)).ok(), Some(t));
        }
    }

    #[test]
    fn versions_and_aliases_name_their_machine() {
        let machine = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";
        assert_eq!(unqualified_machine(&format!("{machine}:3")), Some(machine));
        assert_eq!(
            unqualified_machine(&format!("{machine}:live")),
            Some(machine)
        );
        assert_eq!(unqualified_machine(machine), None);
        assert_eq!(unqualified_machine(&format!("{machine}:")), None);
        assert_eq!(
            unqualified_machine("arn:aws:states:us-east-1:123456789012:activity:a:b"),
            None
        );
        assert_eq!(unqualified_machine("machine"), None);
    }

    #[test]
    fn text_prefixes_do_not_overlap() {
        let ab = text_and_u64("ab", u64::MAX);
        let abc = text_and_u64("abc", 0);
        let (start, end) = prefix_range(&text_prefix("ab"));
        let inside = |k: &Vec<u8>| {
            matches!(&start, Bound::Included(s) if k >= s)
                && matches!(&end, Bound::Excluded(e) if k < e)
        };
        assert!(inside(&ab));
        assert!(!inside(&abc));
        let (text, rest) = read_text(&ab).expect("text");
        assert_eq!((text, read_u64(rest).ok()), ("ab", Some(u64::MAX)));
    }

    #[test]
    fn timer_keys_round_trip() {
        let key = timer(-3, "exec", 9);
        assert_eq!(read_timer(&key).ok(), Some((-3, "exec", 9)));
        assert!(read_timer(&key[..10]).is_err());
    }

    #[test]
    fn hex_round_trips_and_rejects_garbage() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(unhex("000fff"), Some(vec![0, 15, 255]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("é1"), None);
    }
}
