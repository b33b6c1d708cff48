//! [`History`] on any backend.

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
        let (mut start, mut end) = keys::prefix_range(&prefix);
        match (query.from, query.reverse) {
            (Some(from), false) => start = Bound::Included(keys::text_and_u64(execution_id, from)),
            (Some(from), true) => end = Bound::Included(keys::text_and_u64(execution_id, from)),
            (None, _) => {}
        }
        let limit = if query.limit == 0 {
            DEFAULT_PAGE_SIZE
        } else {
            query.limit
        };
        collect(self, TreeId::History, (start, end), query.reverse, limit)?
            .into_iter()
            .map(|(key, value)| {
                let seq = key
                    .get(prefix.len()..)
                    .ok_or_else(|| StoreError::Corrupt("history key".into()))
                    .and_then(keys::read_u64)?;
                Ok(HistoryEvent {
                    seq,
                    json: codec::to_text(value, "history event")?,
                })
            })
            .collect()
    }
}
