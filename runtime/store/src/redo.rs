//! The redo log's entry format: a transaction's id, then its writes, in
//! order.
//!
//! ```text
//! [id: u64]
//! per write: [tree index: u8] [kind: 1 = set, 2 = remove] [key length: u32] [key]
//!            (set only:) [value length: u32] [value]
//! ```

use crate::error::{Result, StoreError};
use crate::kv::{TreeId, Write};

const SET: u8 = 1;
const REMOVE: u8 = 2;

/// The redo entry of transaction `id`, which makes `writes`.
pub(crate) fn encode(id: u64, writes: &[Write]) -> Result<Vec<u8>> {
    let len = |bytes: &[u8]| {
        u32::try_from(bytes.len())
            .map(u32::to_be_bytes)
            .map_err(|_| StoreError::Invalid("a key or value over 4 GiB".into()))
    };
    let size: usize = writes
        .iter()
        .map(|(_, key, value)| 10 + key.len() + value.as_ref().map_or(0, |v| 4 + v.len()))
        .sum();
    let mut out = Vec::with_capacity(8 + size);
    out.extend_from_slice(&id.to_be_bytes());
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

/// The id of an [`encode`]d entry.
pub(crate) fn id(bytes: &[u8]) -> Result<u64> {
    let mut reader = Reader(bytes);
    let id = reader.take(8)?;
    Ok(u64::from_be_bytes([
        id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
    ]))
}

/// Reads back [`encode`]: the id and the writes.
pub(crate) fn decode(bytes: &[u8]) -> Result<(u64, Vec<Write>)> {
    let id = id(bytes)?;
    let mut reader = Reader(&bytes[8..]);
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
    Ok((id, writes))
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
        let bytes = encode(42, &writes).expect("encode");
        assert_eq!(id(&bytes).expect("id"), 42);
        assert_eq!(decode(&bytes).expect("decode"), (42, writes.clone()));
        for cut in 0..bytes.len() {
            let decoded = decode(&bytes[..cut]);
            assert!(
                decoded.is_err() || decoded.as_ref().is_ok_and(|(_, w)| w.len() < writes.len()),
                "cut at {cut}"
            );
        }
        let entry = |body: &[u8]| [&7u64.to_be_bytes()[..], body].concat();
        assert!(matches!(
            decode(&entry(&[99, 1, 0, 0, 0, 0])),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            decode(&entry(&[0, 7, 0, 0, 0, 0])),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(decode(&entry(&[0])), Err(StoreError::Corrupt(_))));
        assert!(matches!(decode(&[0; 7]), Err(StoreError::Corrupt(_))));
    }
}
