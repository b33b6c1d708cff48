//! [`History`] on any backend. The events of one write are one value (see
//! `codec`), keyed by (execution id, first event's sequence number); a query
//! reads whole chunks and keeps the events it asked for.

use std::ops::Bound;

use super::collect;
use crate::codec;
use crate::error::{Result, StoreError};
use crate::history::{History, HistoryEvent, HistoryQuery};
use crate::keys;
use crate::kv::{Kv, TreeId};
use crate::page::DEFAULT_PAGE_SIZE;

impl<K: Kv> History for K {
    fn history(&self, execution_id: &str, query: HistoryQuery) -> Result<Vec<HistoryEvent>> {
        let prefix = keys::text_prefix(execution_id);
        let (start, end) = keys::prefix_range(&prefix);
        let limit = if query.limit == 0 {
            DEFAULT_PAGE_SIZE
        } else {
            query.limit
        };
        let chunk_key = |seq| keys::text_and_u64(execution_id, seq);
        let first_seq = |key: &[u8]| {
            key.get(prefix.len()..)
                .ok_or_else(|| StoreError::Corrupt("history key".into()))
                .and_then(keys::read_u64)
        };
        let mut events = Vec::new();
        if query.reverse {
            // Chunks from the one holding `from` (or the last) backwards.
            let end = query
                .from
                .map_or(end, |from| Bound::Included(chunk_key(from)));
            self.scan(TreeId::History, (start, end), true, &mut |key, value| {
                let chunk = codec::read_history_chunk(first_seq(key)?, value)?;
                for event in chunk.into_iter().rev() {
                    if query.from.is_some_and(|from| event.seq > from) {
                        continue;
                    }
                    events.push(event);
                    if events.len() >= limit {
                        return Ok(false);
                    }
                }
                Ok(true)
            })?;
        } else {
            // Chunks from the one holding `from` (the last that starts at
            // or before it) forwards.
            let from = query.from.unwrap_or(1);
            let holding = (start.clone(), Bound::Included(chunk_key(from)));
            let start = match collect(self, TreeId::History, holding, true, 1)?.pop() {
                Some((key, _)) => Bound::Included(key),
                None => start,
            };
            self.scan(TreeId::History, (start, end), false, &mut |key, value| {
                let chunk = codec::read_history_chunk(first_seq(key)?, value)?;
                for event in chunk.into_iter().filter(|event| event.seq >= from) {
                    events.push(event);
                    if events.len() >= limit {
                        return Ok(false);
                    }
                }
                Ok(true)
            })?;
        }
        Ok(events)
    }
}
