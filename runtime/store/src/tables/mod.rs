//! The store's traits implemented once, for every [`Kv`] backend.

mod activities;
mod definitions;
mod executions;
mod express_starts;
mod history;
mod machines;
mod modules;
mod purge;
mod timers;
mod tokens;

use std::ops::Bound;

use serde::de::DeserializeOwned;

use crate::codec;
use crate::error::Result;
use crate::keys::{self, KeyRange};
use crate::kv::{Kv, TreeId, Txn};
use crate::page::{Page, PageBuilder, PageRequest};

/// A JSON record by key.
fn get_json<T: DeserializeOwned>(
    kv: &impl Kv,
    tree: TreeId,
    key: &[u8],
    what: &str,
) -> Result<Option<T>> {
    kv.get(tree, key)?
        .map(|bytes| codec::from_json(&bytes, what))
        .transpose()
}

/// A JSON record by key, inside a transaction.
fn txn_json<T: DeserializeOwned>(
    txn: &mut dyn Txn,
    tree: TreeId,
    key: &[u8],
    what: &str,
) -> Result<Option<T>> {
    txn.get(tree, key)?
        .map(|bytes| codec::from_json(&bytes, what))
        .transpose()
}

/// Up to `limit` entries of `range`, in order.
fn collect(
    kv: &impl Kv,
    tree: TreeId,
    range: KeyRange,
    reverse: bool,
    limit: usize,
) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut entries = Vec::new();
    if limit == 0 {
        return Ok(entries);
    }
    kv.scan(tree, range, reverse, &mut |key, value| {
        entries.push((key.to_vec(), value.to_vec()));
        Ok(entries.len() < limit)
    })?;
    Ok(entries)
}

/// One page of the entries under `prefix`: each item is (key without the
/// prefix, value); the page token is the last key without the prefix.
fn scan_page(
    kv: &impl Kv,
    tree: TreeId,
    prefix: &[u8],
    page: &PageRequest,
    reverse: bool,
) -> Result<Page<(Vec<u8>, Vec<u8>)>> {
    let (mut start, mut end) = keys::prefix_range(prefix);
    if let Some(after) = page.after()? {
        let key = [prefix, &after].concat();
        if reverse {
            end = Bound::Excluded(key);
        } else {
            start = Bound::Excluded(key);
        }
    }
    let mut builder = PageBuilder::new(page.size());
    kv.scan(tree, (start, end), reverse, &mut |key, value| {
        if !builder.has_room() {
            return Ok(false);
        }
        let suffix = &key[prefix.len()..];
        builder.push(suffix, (suffix.to_vec(), value.to_vec()));
        Ok(true)
    })?;
    Ok(builder.finish())
}

/// A page of JSON records under `prefix`.
fn json_page<T: DeserializeOwned>(
    kv: &impl Kv,
    tree: TreeId,
    prefix: &[u8],
    page: &PageRequest,
    reverse: bool,
    what: &str,
) -> Result<Page<T>> {
    let raw = scan_page(kv, tree, prefix, page, reverse)?;
    Ok(Page {
        items: raw
            .items
            .iter()
            .map(|(_, value)| codec::from_json(value, what))
            .collect::<Result<_>>()?,
        next_token: raw.next_token,
    })
}

#[cfg(test)]
mod tests {
    use crate::kv::{Kv, TreeId};
    use crate::{
        Activities, ExecutionQuery, Executions, History, HistoryQuery, MemoryStore, Modules,
        PageRequest, StateMachines, StoreError, TaskTokens, Timers,
    };

    fn corrupt<T: std::fmt::Debug>(result: crate::Result<T>) {
        assert!(matches!(result, Err(StoreError::Corrupt(_))), "{result:?}");
    }

    /// Garbage in any tree is reported as `Corrupt`, never a panic.
    #[test]
    fn garbage_on_disk_is_corrupt() {
        let store = MemoryStore::new();
        let put = |tree, key: &[u8], value: &[u8]| {
            store
                .transact("test", &|txn| txn.insert(tree, key, value))
                .expect("insert");
        };
        put(TreeId::Executions, b"e", &[1, 2, 3]);
        put(TreeId::Machines, b"m", b"{not json");
        put(
            TreeId::History,
            &crate::keys::text_and_u64("e", 1),
            &[0xff, 0xfe],
        );
        put(TreeId::Timers, &[1, 2, 3], b"");
        put(TreeId::Tokens, b"t", b"[]");
        put(TreeId::ModuleHeads, b"mod", b"short");
        put(TreeId::Running, &[0xff], b"");
        put(
            TreeId::ByMachine,
            &crate::keys::by_machine_prefix("m", 0),
            b"",
        );

        corrupt(store.get_execution("e"));
        corrupt(store.try_lease("e", "me", 1, 1));
        corrupt(store.get_state_machine("m"));
        corrupt(store.list_state_machines(&PageRequest::default()));
        corrupt(store.history("e", HistoryQuery::default()));
        corrupt(store.due_timers(i64::MAX, 10));
        corrupt(store.next_timer());
        corrupt(store.get_task_token("t"));
        corrupt(store.latest_module_version("mod"));
        corrupt(store.running_executions(None, 10));
        corrupt(store.list_executions(&ExecutionQuery {
            state_machine_arn: "m".into(),
            status: None,
            page: PageRequest::default(),
        }));
        put(
            TreeId::ActivityTasks,
            &crate::keys::text_and_u64("a", 1),
            b"7",
        );
        corrupt(store.claim_activity_task("a"));
    }
}
