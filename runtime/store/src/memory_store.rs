//! [`MemoryStore`]: the store in memory, for Express executions and tests.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};

use crate::durability::Ticket;
use crate::error::Result;
use crate::keys::{self, KeyRange};
use crate::kv::{Kv, Staged, TreeId, Txn, Visit};

type Tree = BTreeMap<Vec<u8>, Vec<u8>>;

/// The whole store in memory: the same keys, encodings and rules as
/// [`SledStore`](crate::SledStore), without a disk. Tickets are ready at once.
/// One lock guards all trees: transactions run one at a time, reads in
/// parallel.
#[derive(Debug)]
pub struct MemoryStore {
    trees: RwLock<Vec<Tree>>,
    ids: AtomicU64,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore {
            trees: RwLock::new(vec![Tree::new(); TreeId::ALL.len()]),
            ids: AtomicU64::new(0),
        }
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl Kv for MemoryStore {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let trees = self.trees.read().unwrap_or_else(PoisonError::into_inner);
        Ok(trees[tree.index()].get(key).cloned())
    }

    fn scan(&self, tree: TreeId, range: KeyRange, reverse: bool, visit: Visit<'_>) -> Result<()> {
        if keys::is_empty_range(&range) {
            return Ok(());
        }
        let trees = self.trees.read().unwrap_or_else(PoisonError::into_inner);
        let entries = trees[tree.index()].range::<Vec<u8>, _>(range);
        if reverse {
            for (key, value) in entries.rev() {
                if !visit(key, value)? {
                    break;
                }
            }
        } else {
            for (key, value) in entries {
                if !visit(key, value)? {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Ignores the scope: all transactions hold the one write lock.
    fn transact<T>(&self, _scope: &str, body: &dyn Fn(&mut dyn Txn) -> Result<T>) -> Result<T> {
        let mut trees = self.trees.write().unwrap_or_else(PoisonError::into_inner);
        let committed: &[Tree] = &trees;
        let mut staged =
            Staged::new(|tree: TreeId, key: &[u8]| Ok(committed[tree.index()].get(key).cloned()));
        let value = body(&mut staged)?;
        for (tree, key, write) in staged.into_writes() {
            match write {
                Some(value) => trees[tree.index()].insert(key, value),
                None => trees[tree.index()].remove(&key),
            };
        }
        Ok(value)
    }

    fn next_id(&self) -> Result<u64> {
        Ok(self.ids.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn ticket(&self) -> Ticket {
        Ticket::durable()
    }
}
