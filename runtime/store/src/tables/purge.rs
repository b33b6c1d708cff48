//! Retention: deleting finished executions and their history.

use std::ops::Bound;

use super::collect;
use super::executions::{clear_pending, index_entries};
use crate::codec::{Header, StoredExecution};
use crate::error::Result;
use crate::keys;
use crate::kv::{Kv, TreeId};

/// History events deleted per transaction.
const HISTORY_CHUNK: usize = 1000;

/// See [`Executions::purge_finished`](crate::Executions::purge_finished).
///
/// Each execution goes in two steps: its history in chunks, then its record
/// and index entries in one transaction. A crash in between leaves a finished
/// execution with part of its history, still in the stop-time index, so the
/// next purge finishes the job.
pub(super) fn purge_finished(kv: &impl Kv, older_than_ms: i64, limit: usize) -> Result<usize> {
    let range = (
        Bound::Unbounded,
        Bound::Excluded(keys::ord_i64(older_than_ms).to_vec()),
    );
    let mut purged = 0;
    for (key, _) in collect(kv, TreeId::Finished, range, false, limit)? {
        let (stop_ms, id) = keys::read_finished(&key)?;
        if purge_one(kv, id, stop_ms)? {
            purged += 1;
        }
    }
    Ok(purged)
}

/// Whether an execution is still the finished one the index entry saw.
fn finished_at(header: &Header, stop_ms: i64) -> bool {
    header.status.is_finished() && header.stop_ms == Some(stop_ms)
}

/// Purges execution `id` if it is still finished at `stop_ms`.
fn purge_one(kv: &impl Kv, id: &str, stop_ms: i64) -> Result<bool> {
    let Some(bytes) = kv.get(TreeId::Executions, id.as_bytes())? else {
        return Ok(false);
    };
    if !finished_at(&StoredExecution::parse(&bytes)?.header, stop_ms) {
        return Ok(false);
    }
    let history = keys::prefix_range(&keys::text_prefix(id));
    loop {
        let chunk = collect(kv, TreeId::History, history.clone(), false, HISTORY_CHUNK)?;
        if chunk.is_empty() {
            break;
        }
        kv.transact(id, &|txn| {
            for (key, _) in &chunk {
                txn.remove(TreeId::History, key)?;
            }
            Ok(())
        })?;
    }
    kv.transact(id, &|txn| {
        let Some(bytes) = txn.get(TreeId::Executions, id.as_bytes())? else {
            return Ok(false);
        };
        let stored = StoredExecution::parse(&bytes)?;
        if !finished_at(&stored.header, stop_ms) {
            return Ok(false);
        }
        let mut book = stored.bookkeeping()?;
        clear_pending(txn, id, &mut book)?;
        for (tree, key) in index_entries(id, &stored.identity()?, &stored.header) {
            txn.remove(tree, &key)?;
        }
        txn.remove(TreeId::Executions, id.as_bytes())?;
        Ok(true)
    })
}
