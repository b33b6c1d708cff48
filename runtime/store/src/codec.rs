//! Byte encodings of values.
//!
//! Records are JSON (fields can be added later with `#[serde(default)]`).
//! An execution is stored as:
//!
//! ```text
//! [format = 1] [seq: u64] [status code: u8] [stop flag: u8] [stop_ms: i64]
//! [bookkeeping length: u32] [bookkeeping JSON]
//! [record length: u32] [record JSON, without snapshot and lease]
//! [snapshot bytes, to the end]
//! ```
//!
//! so that a transition reads the stored sequence number, status and
//! bookkeeping without decoding the record, and the snapshot is raw bytes.
//!
//! The history events one write appends are stored as one value (a *chunk*,
//! keyed by the execution and the sequence number of its first event):
//!
//! ```text
//! per event: [length: u32] [event JSON text]
//! ```
//!
//! All numbers are big-endian.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::executions::{ExecutionRecord, ExecutionStatus, Lease};
use crate::history::HistoryEvent;

/// A record as JSON.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| StoreError::Invalid(format!("cannot encode: {e}")))
}

/// A record from JSON; `what` names it in the error.
pub(crate) fn from_json<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// Text from bytes; `what` names it in the error.
pub(crate) fn to_text(bytes: Vec<u8>, what: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// The stored form of history events written together.
pub(crate) fn history_chunk(events: &[String]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(events.iter().map(|e| e.len() + 4).sum());
    for event in events {
        let len = u32::try_from(event.len())
            .map_err(|_| StoreError::Invalid("a history event over 4 GiB".into()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(event.as_bytes());
    }
    Ok(out)
}

/// The events of a [`history_chunk`] whose first event is number `first`.
pub(crate) fn read_history_chunk(first: u64, bytes: &[u8]) -> Result<Vec<HistoryEvent>> {
    let corrupt = |why: String| StoreError::Corrupt(format!("history from event {first}: {why}"));
    let mut events = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (json, after) = split_part(rest).ok_or_else(|| corrupt("truncated".into()))?;
        let json = std::str::from_utf8(json).map_err(|e| corrupt(e.to_string()))?;
        events.push(HistoryEvent {
            seq: first + events.len() as u64,
            json: json.to_owned(),
        });
        rest = after;
    }
    Ok(events)
}

/// What the store keeps beside an execution's record: its lease, and what it
/// still waits for, so that finishing or purging it can remove them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Bookkeeping {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease: Option<Lease>,
    /// Timer id -> due time.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub timers: BTreeMap<u64, i64>,
    /// Token -> its queued activity task (activity ARN, enqueue order), if any.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tokens: BTreeMap<String, Option<(String, u64)>>,
}

/// The fixed-size start of a stored execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub seq: u64,
    pub status: ExecutionStatus,
    pub stop_ms: Option<i64>,
}

impl Header {
    pub(crate) fn of(record: &ExecutionRecord) -> Header {
        Header {
            seq: record.seq,
            status: record.status,
            stop_ms: record.stop_ms,
        }
    }
}

const FORMAT: u8 = 1;
const HEADER_LEN: usize = 19;

/// An execution record encoded once, outside the transaction that stores it.
#[derive(Debug, Clone)]
pub(crate) struct EncodedExecution {
    pub header: Header,
    record: Vec<u8>,
    snapshot: Vec<u8>,
}

impl EncodedExecution {
    pub(crate) fn new(mut record: ExecutionRecord) -> Result<EncodedExecution> {
        let header = Header::of(&record);
        let snapshot = std::mem::take(&mut record.snapshot);
        record.lease = None;
        Ok(EncodedExecution {
            header,
            record: to_json(&record)?,
            snapshot,
        })
    }

    /// The stored form, with `bookkeeping`.
    pub(crate) fn with(&self, bookkeeping: &Bookkeeping) -> Result<Vec<u8>> {
        assemble(
            self.header,
            &to_json(bookkeeping)?,
            &self.record,
            &self.snapshot,
        )
    }
}

fn assemble(header: Header, bookkeeping: &[u8], record: &[u8], snapshot: &[u8]) -> Result<Vec<u8>> {
    let mut out =
        Vec::with_capacity(HEADER_LEN + 8 + bookkeeping.len() + record.len() + snapshot.len());
    out.push(FORMAT);
    out.extend_from_slice(&header.seq.to_be_bytes());
    out.push(header.status.code());
    out.push(u8::from(header.stop_ms.is_some()));
    out.extend_from_slice(&header.stop_ms.unwrap_or(0).to_be_bytes());
    for part in [bookkeeping, record] {
        let len = u32::try_from(part.len())
            .map_err(|_| StoreError::Invalid("execution record over 4 GiB".into()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(part);
    }
    out.extend_from_slice(snapshot);
    Ok(out)
}

/// The fields of an execution record that place it in the indexes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct Identity {
    pub state_machine_arn: String,
    pub start_ms: i64,
}

impl Identity {
    pub(crate) fn of(record: &ExecutionRecord) -> Identity {
        Identity {
            state_machine_arn: record.state_machine_arn.clone(),
            start_ms: record.start_ms,
        }
    }
}

/// A stored execution, split but not decoded.
pub(crate) struct StoredExecution<'a> {
    pub header: Header,
    bookkeeping: &'a [u8],
    record: &'a [u8],
    snapshot: &'a [u8],
}

impl<'a> StoredExecution<'a> {
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<StoredExecution<'a>> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("execution: {what}"));
        if bytes.len() < HEADER_LEN {
            return Err(corrupt("truncated"));
        }
        if bytes[0] != FORMAT {
            return Err(corrupt(&format!("unknown format {}", bytes[0])));
        }
        let u64_at = |at: usize| {
            let mut word = [0; 8];
            word.copy_from_slice(&bytes[at..at + 8]);
            u64::from_be_bytes(word)
        };
        let status =
            ExecutionStatus::from_code(bytes[9]).ok_or_else(|| corrupt("unknown status"))?;
        let stop_ms = match bytes[10] {
            0 => None,
            1 => Some(u64_at(11) as i64),
            _ => return Err(corrupt("bad stop flag")),
        };
        let header = Header {
            seq: u64_at(1),
            status,
            stop_ms,
        };
        let (bookkeeping, rest) =
            split_part(&bytes[HEADER_LEN..]).ok_or_else(|| corrupt("truncated"))?;
        let (record, snapshot) = split_part(rest).ok_or_else(|| corrupt("truncated"))?;
        Ok(StoredExecution {
            header,
            bookkeeping,
            record,
            snapshot,
        })
    }

    /// The fields that place the execution in the indexes.
    pub(crate) fn identity(&self) -> Result<Identity> {
        from_json(self.record, "execution")
    }

    /// The same execution with other bookkeeping.
    pub(crate) fn with(&self, bookkeeping: &Bookkeeping) -> Result<Vec<u8>> {
        assemble(
            self.header,
            &to_json(bookkeeping)?,
            self.record,
            self.snapshot,
        )
    }

    pub(crate) fn bookkeeping(&self) -> Result<Bookkeeping> {
        from_json(self.bookkeeping, "execution bookkeeping")
    }

    /// The record, with the stored lease.
    pub(crate) fn record(&self) -> Result<ExecutionRecord> {
        let mut record: ExecutionRecord = from_json(self.record, "execution")?;
        record.snapshot = self.snapshot.to_vec();
        record.lease = self.bookkeeping()?.lease;
        Ok(record)
    }
}

/// A length-prefixed part and what follows it.
fn split_part(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let part = bytes.get(4..4 + len)?;
    Some((part, &bytes[4 + len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_chunks_round_trip_and_garbage_is_corrupt() {
        let events = vec!["{}".to_owned(), String::new(), "[1]".to_owned()];
        let bytes = history_chunk(&events).expect("encode");
        let back = read_history_chunk(7, &bytes).expect("decode");
        assert_eq!(back.iter().map(|e| e.seq).collect::<Vec<_>>(), [7, 8, 9]);
        assert_eq!(back.into_iter().map(|e| e.json).collect::<Vec<_>>(), events);
        for cut in 1..bytes.len() {
            if [6, 10].contains(&cut) {
                continue; // whole events
            }
            assert!(
                matches!(
                    read_history_chunk(1, &bytes[..cut]),
                    Err(StoreError::Corrupt(_))
                ),
                "cut at {cut}"
            );
        }
        assert!(matches!(
            read_history_chunk(1, &[0, 0, 0, 1, 0xff]),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn executions_round_trip_and_garbage_is_corrupt() {
        let record = ExecutionRecord {
            id: "e".into(),
            seq: 3,
            status: ExecutionStatus::Failed,
            stop_ms: Some(-7),
            snapshot: vec![0, 255, 1],
            ..ExecutionRecord::default()
        };
        let book = Bookkeeping {
            lease: Some(Lease {
                owner: "me".into(),
                expires_ms: 9,
            }),
            ..Bookkeeping::default()
        };
        let bytes = EncodedExecution::new(record.clone())
            .and_then(|e| e.with(&book))
            .expect("encode");
        let stored = StoredExecution::parse(&bytes).expect("parse");
        assert_eq!(stored.header, Header::of(&record));
        let back = stored.record().expect("decode");
        assert_eq!(back.lease, book.lease);
        assert_eq!(
            ExecutionRecord {
                lease: None,
                ..back
            },
            record
        );

        for cut in 0..bytes.len() - record.snapshot.len() {
            let result = StoredExecution::parse(&bytes[..cut]).and_then(|s| s.record());
            assert!(
                matches!(result, Err(StoreError::Corrupt(_))),
                "cut at {cut}"
            );
        }
        let mut flipped = bytes.clone();
        flipped[9] = 99;
        assert!(matches!(
            StoredExecution::parse(&flipped),
            Err(StoreError::Corrupt(_))
        ));
    }
}
