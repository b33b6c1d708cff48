//! The redo log's entry format: a transaction's writes, in order.
//!
//! ```text
//! per write: [tree index: u8] [kind: 1 = set, 2 = remove] [key length: u32] [key]
//!            (set only:) [value length: u32] [value]
//! ```

use crate::error::{Result, StoreError};
use crate::kv::{TreeId, Write};

const SET: u8 = 1;
const REMOVE: u8 = 2;

/// A redo entry for `writes`.
pub(crate) fn encode(writes: &[Write]) -> Result<Vec<u8>> {
    let len = |bytes: &[u8]| {
        u32::try_from(bytes.len())
            .map(u32::to_be_bytes)
            .map_err(|_| StoreError::Invalid("a key or value over 4 GiB".into()))
    };
    let size: usize = writes
        .iter()
        .map(|(_, key, value)| 10 + key.len() + value.as_ref().map_or(0, |v| 4 + v.len()))
        .sum();
    let mut out = Vec::with_capacity(size);
    for (tree, key, value) in writes {
        out.push(tree.index() as u8);
        out.push(if value.is_some() { SET } else { REMOVE });
        out.extend_from_slice(&len(key)?);
        out.extend_from_slice(key);
        if let Some(value) = value {
            out.extend_from_slice(&len(value)?);
            out.extend_from_slice(value);
        }
    }
    Ok(out)
}

/// Reads back [`encode`].
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<Write>> {
    let mut reader = Reader(bytes);
    let mut writes = Vec::new();
    while !reader.0.is_empty() {
        let [tree, kind] = *reader.take(2)? else {
            return Err(reader.truncated());
        };
        let tree = TreeId::ALL
            .get(tree as usize)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("redo entry: unknown tree {tree}")))?;
        let key = reader.part()?.to_vec();
        let value = match kind {
            SET => Some(reader.part()?.to_vec()),
            REMOVE => None,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "redo entry: unknown write {other}"
                )))
            }
        };
        writes.push((tree, key, value));
    }
    Ok(writes)
}

/// What is left of an entry being decoded.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn truncated(&self) -> StoreError {
        StoreError::Corrupt("truncated redo entry".into())
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n).ok_or_else(|| self.truncated())?;
        self.0 = rest;
        Ok(head)
    }

    /// A length-prefixed key or value.
    fn part(&mut self) -> Result<&'a [u8]> {
        let len = self.take(4)?;
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        self.take(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_truncation_is_corrupt() {
        let writes = vec![
            (TreeId::Executions, b"e".to_vec(), Some(vec![1, 2, 3])),
            (TreeId::Timers, vec![0; 9], None),
            (TreeId::BlobRefs, Vec::new(), Some(Vec::new())),
        ];
        let bytes = encode(&writes).expect("encode");
        assert_eq!(decode(&bytes).expect("decode"), writes);
        for cut in 1..bytes.len() {
            let decoded = decode(&bytes[..cut]);
            assert!(
                decoded.is_err() || decoded.as_ref().is_ok_and(|w| w.len() < writes.len()),
                "cut at {cut}"
            );
        }
        assert!(matches!(
            decode(&[99, 1, 0, 0, 0, 0]),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            decode(&[0, 7, 0, 0, 0, 0]),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(decode(&[0]), Err(StoreError::Corrupt(_))));
    }
}
