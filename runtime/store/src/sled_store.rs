//! [`SledStore`]: the store on disk, in sled.
//!
//! # How a write is made atomic: a redo log, not sled transactions
//!
//! Each table is its own sled tree. A transaction of the store (a transition,
//! a new version, ...) first stores all its writes as one entry of the `redo`
//! tree (a single-key write, atomic in sled), then applies them to their trees
//! one by one. sled recovers a prefix of its log after a crash, so whenever any
//! of the applied writes survives, the redo entry does too; on open, entries
//! still present are applied again, oldest first, so a transaction is all or
//! nothing. (Every write goes through the log, so replaying an entry can only
//! repeat values that later entries, replayed after it, overwrite again.)
//! After a group-commit flush has made a transaction's writes durable, the
//! flusher deletes its entry.
//! Transactions of one scope (an execution, a machine, ...) are serialized by
//! a striped lock; this process is the only writer (sled locks the directory).
//!
//! # Format version
//!
//! The `meta` tree's key `format` holds `FORMAT_VERSION` (3). Opening a
//! directory with another version, or with data but no version (format 1,
//! before versions were recorded), fails with
//! [`StoreError::UnsupportedFormat`] before anything is written; an empty
//! directory gets the current version.
//!
//! Why not sled's own transactions (or a `Batch` on one tree with prefixed
//! keys)? Both take a process-wide write lock in sled 0.34, and `flush()`
//! holds the read side of that lock for its whole IO, so every group commit
//! stops every writer until the disk answers. Measured with
//! `examples/store_bench.rs` (a transition = 1 KiB snapshot, 2 events, a timer
//! added and one removed, each writer waiting for durability; 2 cores shared
//! with other work): with sled transactions, 3,600 / 7,800 / 8,500
//! transitions/s for 1 / 8 / 64 writers, batches slower still; with the redo
//! log, 3,500-5,400 / 10,000-23,000 / 9,500-22,000 (the spread is the
//! machine's other load), at 60-100 µs of CPU per transition with 8 or more
//! writers instead of 175.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use crate::durability::{GroupCommit, Ticket};
use crate::error::{Result, StoreError};
use crate::keys::{self, KeyRange};
use crate::kv::{Kv, Staged, TreeId, Txn, Visit, Write};
use crate::redo;

/// sled's page cache. Its default (1 GiB) lets a busy server's memory grow by
/// that much; records are small and read back rarely, so 64 MiB is plenty.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// The on-disk format this version reads and writes. 2: the history events
/// of one write are one value, a `meta` tree holds the version. 3: the
/// `definitions` tree, to which executions' snapshots refer (the driver's
/// snapshots held the definition text before).
const FORMAT_VERSION: u32 = 3;

/// The key of the format version in the `meta` tree.
const FORMAT_KEY: &[u8] = b"format";

/// How many locks transactions are spread over (by a hash of their scope).
const LOCK_STRIPES: usize = 256;

/// The store in a sled database directory. Writes are atomic; a write is
/// durable once its [`Ticket`] is (one background thread flushes for all
/// waiting writers). Only one process may open a directory at a time.
#[derive(Debug)]
pub struct SledStore {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    redo: sled::Tree,
    /// The id of the next redo entry.
    next_redo: AtomicU64,
    /// Redo entries whose writes are all applied, for the flusher to delete.
    applied: Arc<Mutex<Vec<u64>>>,
    locks: Vec<Mutex<()>>,
    /// Set when a transaction failed half-applied: later transactions could
    /// build on it and then be undone when its redo entry is replayed, so
    /// the store takes no more writes until it is reopened.
    broken: AtomicBool,
    commit: Arc<GroupCommit>,
    flusher: Option<JoinHandle<()>>,
}

impl SledStore {
    /// Opens (or creates) the store in directory `path`, recovering what the
    /// last process flushed.
    pub fn open(path: impl AsRef<Path>) -> Result<SledStore> {
        Self::with_config(sled::Config::new().path(path).cache_capacity(CACHE_BYTES))
    }

    /// A store in a temporary directory (in `/dev/shm` on Linux: for tests),
    /// removed when the store is dropped.
    pub fn temporary() -> Result<SledStore> {
        Self::with_config(sled::Config::new().temporary(true))
    }

    fn with_config(config: sled::Config) -> Result<SledStore> {
        let db = config.open()?;
        let trees = TreeId::ALL
            .iter()
            .map(|tree| db.open_tree(tree.name()))
            .collect::<Result<Vec<_>, _>>()?;
        let redo = db.open_tree("redo")?;
        check_format(&db, &trees, &redo)?;
        replay(&db, &trees, &redo)?;

        let applied = Arc::new(Mutex::new(Vec::<u64>::new()));
        let (flushed_db, flushed_redo, flushed) = (db.clone(), redo.clone(), Arc::clone(&applied));
        let (commit, flusher) = GroupCommit::start(move || {
            let done = std::mem::take(&mut *lock(&flushed));
            if let Err(error) = flushed_db.flush() {
                lock(&flushed).extend(done);
                return Err(error.into());
            }
            // Durable with the next flush; if a crash comes first, the entries
            // are applied again, which changes nothing.
            for id in done {
                flushed_redo.remove(id.to_be_bytes())?;
            }
            Ok(())
        })?;
        Ok(SledStore {
            db,
            trees,
            redo,
            next_redo: AtomicU64::new(1),
            applied,
            locks: (0..LOCK_STRIPES).map(|_| Mutex::new(())).collect(),
            broken: AtomicBool::new(false),
            commit,
            flusher: Some(flusher),
        })
    }

    /// How many group-commit flushes completed since the store was opened.
    pub fn flushes(&self) -> u64 {
        self.commit.flushes()
    }

    /// Bytes the database takes on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }

    fn tree(&self, tree: TreeId) -> &sled::Tree {
        &self.trees[tree.index()]
    }

    fn stripe(&self, scope: &str) -> MutexGuard<'_, ()> {
        let mut hasher = DefaultHasher::new();
        scope.hash(&mut hasher);
        lock(&self.locks[hasher.finish() as usize % LOCK_STRIPES])
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Applies writes to their trees, in order.
fn apply(trees: &[sled::Tree], writes: Vec<Write>) -> Result<()> {
    for (tree, key, value) in writes {
        let tree = &trees[tree.index()];
        match value {
            Some(value) => tree.insert(key, value)?,
            None => tree.remove(key)?,
        };
    }
    Ok(())
}

/// Refuses a store of another format; records the current one in an empty
/// store.
fn check_format(db: &sled::Db, trees: &[sled::Tree], redo: &sled::Tree) -> Result<()> {
    let meta = &trees[TreeId::Meta.index()];
    let found = match meta.get(FORMAT_KEY)? {
        Some(value) => u32::from_be_bytes(value.as_ref().try_into().map_err(|_| {
            StoreError::Corrupt(format!("format version of {} bytes", value.len()))
        })?),
        None if trees.iter().all(sled::Tree::is_empty) && redo.is_empty() => {
            meta.insert(FORMAT_KEY, &FORMAT_VERSION.to_be_bytes())?;
            db.flush()?;
            FORMAT_VERSION
        }
        None => 1,
    };
    if found != FORMAT_VERSION {
        return Err(StoreError::UnsupportedFormat {
            found,
            expected: FORMAT_VERSION,
        });
    }
    Ok(())
}

/// Completes the transactions a crash interrupted: applies every redo entry
/// left, oldest first, then clears the log once that is on disk.
fn replay(db: &sled::Db, trees: &[sled::Tree], redo: &sled::Tree) -> Result<()> {
    if redo.is_empty() {
        return Ok(());
    }
    for entry in redo.iter() {
        let (_, writes) = entry?;
        apply(trees, redo::decode(&writes)?)?;
    }
    db.flush()?;
    redo.clear()?;
    db.flush()?;
    Ok(())
}

impl Drop for SledStore {
    /// Flushes what was written and stops the flusher thread.
    fn drop(&mut self) {
        self.commit.close();
        if let Some(flusher) = self.flusher.take() {
            // A panicked flusher has already failed its tickets.
            let _ = flusher.join();
        }
    }
}

impl Kv for SledStore {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.tree(tree).get(key)?.map(|value| value.to_vec()))
    }

    fn scan(&self, tree: TreeId, range: KeyRange, reverse: bool, visit: Visit<'_>) -> Result<()> {
        if keys::is_empty_range(&range) {
            return Ok(());
        }
        let entries = self.tree(tree).range::<Vec<u8>, _>(range);
        let mut each = |entry: sled::Result<(sled::IVec, sled::IVec)>| -> Result<bool> {
            let (key, value) = entry?;
            visit(&key, &value)
        };
        if reverse {
            for entry in entries.rev() {
                if !each(entry)? {
                    break;
                }
            }
        } else {
            for entry in entries {
                if !each(entry)? {
                    break;
                }
            }
        }
        Ok(())
    }

    fn transact<T>(&self, scope: &str, body: &dyn Fn(&mut dyn Txn) -> Result<T>) -> Result<T> {
        let _serialized = self.stripe(scope);
        if self.broken.load(Ordering::SeqCst) {
            return Err(StoreError::Io(
                "an earlier write failed half-way; reopen the store to repair it".into(),
            ));
        }
        let mut staged = Staged::new(|tree: TreeId, key: &[u8]| self.get(tree, key));
        let value = body(&mut staged)?;
        let writes = staged.into_writes();
        if writes.is_empty() {
            return Ok(value);
        }
        let id = self.next_redo.fetch_add(1, Ordering::Relaxed);
        self.redo.insert(id.to_be_bytes(), redo::encode(&writes)?)?;
        if let Err(error) = apply(&self.trees, writes) {
            self.broken.store(true, Ordering::SeqCst);
            return Err(error);
        }
        lock(&self.applied).push(id);
        Ok(value)
    }

    fn next_id(&self) -> Result<u64> {
        Ok(self.db.generate_id()?)
    }

    fn ticket(&self) -> Ticket {
        self.commit.ticket()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_redo_entries_are_applied_on_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let store = SledStore::open(dir.path()).expect("open");
            // A transaction cut short after its redo entry: only the entry.
            let writes = vec![
                (TreeId::Running, b"a".to_vec(), Some(Vec::new())),
                (TreeId::Running, b"b".to_vec(), Some(Vec::new())),
                (TreeId::Running, b"a".to_vec(), None),
            ];
            let entry = redo::encode(&writes).expect("encode");
            store
                .redo
                .insert(7u64.to_be_bytes(), entry)
                .expect("insert");
        }
        let store = SledStore::open(dir.path()).expect("reopen");
        assert_eq!(store.get(TreeId::Running, b"a").expect("get"), None);
        assert_eq!(
            store.get(TreeId::Running, b"b").expect("get"),
            Some(Vec::new())
        );
        assert!(store.redo.is_empty());
    }

    #[test]
    fn a_corrupt_redo_entry_stops_the_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let store = SledStore::open(dir.path()).expect("open");
            store
                .redo
                .insert(1u64.to_be_bytes(), vec![200, 1])
                .expect("insert");
        }
        assert!(matches!(
            SledStore::open(dir.path()),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn stores_of_other_formats_are_refused_untouched() {
        let dir = tempfile::tempdir().expect("temp dir");
        drop(SledStore::open(dir.path()).expect("create"));
        drop(SledStore::open(dir.path()).expect("reopen"));
        {
            let db = sled::open(dir.path()).expect("sled");
            let meta = db.open_tree(TreeId::Meta.name()).expect("meta");
            let newer = FORMAT_VERSION + 1;
            meta.insert(FORMAT_KEY, &newer.to_be_bytes())
                .expect("insert");
            db.flush().expect("flush");
        }
        assert!(matches!(
            SledStore::open(dir.path()),
            Err(StoreError::UnsupportedFormat { found, expected: FORMAT_VERSION })
                if found == FORMAT_VERSION + 1
        ));

        // A store from before format versions: data, no version.
        let old = tempfile::tempdir().expect("temp dir");
        {
            let db = sled::open(old.path()).expect("sled");
            let executions = db.open_tree(TreeId::Executions.name()).expect("tree");
            executions.insert(b"e", b"old").expect("insert");
            db.flush().expect("flush");
        }
        let error = SledStore::open(old.path()).expect_err("refused");
        assert_eq!(
            error,
            StoreError::UnsupportedFormat {
                found: 1,
                expected: FORMAT_VERSION
            }
        );
        assert!(error.to_string().contains("format 1"), "{error}");
        let db = sled::open(old.path()).expect("sled");
        let meta = db.open_tree(TreeId::Meta.name()).expect("meta");
        assert!(meta.is_empty(), "nothing written");
    }

    #[test]
    fn applied_redo_entries_are_deleted_after_a_flush() {
        let store = SledStore::temporary().expect("open");
        store
            .transact("s", &|txn| txn.insert(TreeId::Running, b"x", b""))
            .expect("write");
        store.ticket().wait().expect("flush");
        store.ticket().wait().expect("flush");
        assert!(store.redo.is_empty());
        assert_eq!(
            store.get(TreeId::Running, b"x").expect("get"),
            Some(Vec::new())
        );
    }
}
