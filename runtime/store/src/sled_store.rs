//! [`SledStore`]: the store on disk, in sled.
//!
//! # How a write is made atomic: a redo log, not sled transactions
//!
//! Each table is its own sled tree. A transaction of the store (a transition,
//! a new version, ...) first stores all its writes as one entry of the `redo`
//! tree (a single-key write, atomic in sled), then applies them to their trees
//! one by one. sled recovers a prefix of its log after a crash, so whenever any
//! of the applied writes survives, the redo entry does too; on open, the
//! entries not known to be durable are applied again, oldest first, so a
//! transaction is all or nothing. (Every write goes through the log, so
//! replaying an entry can only repeat values that later entries, replayed
//! after it, overwrite again.)
//!
//! The log is a ring of `REDO_SLOTS` keys: entry `id` (numbered from 1, in
//! order) is written at slot `id % REDO_SLOTS`, over entry `id - REDO_SLOTS`.
//! Before each group-commit flush the flusher notes the *watermark*, the
//! highest id up to which every entry is applied in full; once the flush is
//! done it writes that id as the `redo_checkpoint` of the `meta` tree, which
//! is durable with the next flush. Replay applies only the entries above the
//! durable checkpoint, and a slot is overwritten only when its entry is at
//! or below it (a writer that finds the ring full waits for flushes). So an
//! entry costs one sled write, and nothing is deleted: a tree of a fixed
//! size, not a queue that grows at one end and shrinks at the other (the
//! former log, one key per entry deleted after its flush, was about a fifth
//! of the server's time in benchmark 3 and more than half of the bytes it
//! wrote).
//!
//! Transactions of one scope (an execution, a machine, ...) are serialized by
//! a striped lock; this process is the only writer (sled locks the directory).
//!
//! # Format version
//!
//! The `meta` tree's key `format` holds `FORMAT_VERSION` (4). Opening a
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

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
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
/// snapshots held the definition text before). 4: the redo log is a ring of
/// slots with a checkpoint.
const FORMAT_VERSION: u32 = 4;

/// The key of the redo checkpoint in the `meta` tree: entries up to this id
/// are durable, big-endian `u64`.
const CHECKPOINT_KEY: &[u8] = b"redo_checkpoint";

/// The redo log's slots. A slot is reused after two flushes at the soonest,
/// so this only needs to exceed what two flushes cover.
const REDO_SLOTS: u64 = 1024;

/// The key of the format version in the `meta` tree.
const FORMAT_KEY: &[u8] = b"format";

/// How many locks transactions are spread over (by a hash of their scope).
const LOCK_STRIPES: usize = 256;

/// Where the redo log is (see the module's documentation).
#[derive(Debug)]
struct RedoLog {
    /// The id of the next entry.
    next: u64,
    /// Entries whose writes are not all applied yet. (An entry whose writes
    /// failed half-way stays here: the store is broken, and the watermark
    /// must not pass it.)
    in_flight: BTreeSet<u64>,
    /// The checkpoint written to the `meta` tree last (durable with the next
    /// flush).
    written: u64,
    /// The durable checkpoint: the slots of entries up to it may be reused.
    durable: u64,
}

impl RedoLog {
    /// Every entry up to this id is applied in full.
    fn watermark(&self) -> u64 {
        self.in_flight
            .first()
            .map_or(self.next - 1, |first| first - 1)
    }
}

/// The key of an entry's slot.
fn slot(id: u64) -> [u8; 4] {
    ((id % REDO_SLOTS) as u32).to_be_bytes()
}

/// The store in a sled database directory. Writes are atomic; a write is
/// durable once its [`Ticket`] is (one background thread flushes for all
/// waiting writers). Only one process may open a directory at a time.
#[derive(Debug)]
pub struct SledStore {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    redo: sled::Tree,
    log: Arc<Mutex<RedoLog>>,
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
        let checkpoint = replay(&db, &trees, &redo)?;

        let log = Arc::new(Mutex::new(RedoLog {
            next: checkpoint + 1,
            in_flight: BTreeSet::new(),
            written: checkpoint,
            durable: checkpoint,
        }));
        let (flushed_db, meta, flushed_log) = (
            db.clone(),
            trees[TreeId::Meta.index()].clone(),
            Arc::clone(&log),
        );
        let (commit, flusher) = GroupCommit::start(move || {
            let (watermark, written) = {
                let log = lock(&flushed_log);
                (log.watermark(), log.written)
            };
            flushed_db.flush()?;
            // The flush made the entries up to the watermark durable, and the
            // checkpoint written before it.
            meta.insert(CHECKPOINT_KEY, &watermark.to_be_bytes())?;
            let mut log = lock(&flushed_log);
            log.durable = log.durable.max(written);
            log.written = log.written.max(watermark);
            Ok(())
        })?;
        Ok(SledStore {
            db,
            trees,
            redo,
            log,
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

    /// The id of a new redo entry, counted in flight; waits for flushes
    /// while its slot holds an entry that is not durable yet.
    fn begin_entry(&self) -> Result<u64> {
        loop {
            {
                let mut log = lock(&self.log);
                let id = log.next;
                if id <= REDO_SLOTS || id - REDO_SLOTS <= log.durable {
                    log.next += 1;
                    log.in_flight.insert(id);
                    return Ok(id);
                }
            }
            self.commit.ticket().wait()?;
        }
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

/// Completes the transactions a crash interrupted: applies the redo entries
/// above the durable checkpoint, oldest first, then checkpoints every entry
/// once that is on disk. Returns the checkpoint: the highest id in the log.
fn replay(db: &sled::Db, trees: &[sled::Tree], redo: &sled::Tree) -> Result<u64> {
    let meta = &trees[TreeId::Meta.index()];
    let checkpoint = match meta.get(CHECKPOINT_KEY)? {
        Some(value) => keys::read_u64(&value)?,
        None => 0,
    };
    let mut pending = Vec::new();
    let mut last = checkpoint;
    for entry in redo.iter() {
        let (_, value) = entry?;
        let id = redo::id(&value)?;
        last = last.max(id);
        if id > checkpoint {
            pending.push((id, value));
        }
    }
    pending.sort_by_key(|(id, _)| *id);
    for (_, value) in &pending {
        apply(trees, redo::decode(value)?.1)?;
    }
    if last > checkpoint {
        db.flush()?;
        meta.insert(CHECKPOINT_KEY, &last.to_be_bytes())?;
        db.flush()?;
    }
    Ok(last)
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
        let id = self.begin_entry()?;
        let logged =
            redo::encode(id, &writes).and_then(|entry| Ok(self.redo.insert(slot(id), entry)?));
        if let Err(error) = logged {
            // Nothing of the transaction was written (the slot keeps an
            // entry that is durable already).
            lock(&self.log).in_flight.remove(&id);
            return Err(error);
        }
        if let Err(error) = apply(&self.trees, writes) {
            self.broken.store(true, Ordering::SeqCst);
            return Err(error);
        }
        lock(&self.log).in_flight.remove(&id);
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

    fn checkpoint(store: &SledStore) -> u64 {
        let value = store.tree(TreeId::Meta).get(CHECKPOINT_KEY).expect("get");
        value.map_or(0, |v| keys::read_u64(&v).expect("u64"))
    }

    #[test]
    fn entries_above_the_checkpoint_are_applied_on_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let store = SledStore::open(dir.path()).expect("open");
            // Transactions cut short after their redo entries: only the
            // entries, written out of order. Entry 2 is older than the
            // checkpoint: its writes are durable already, and replaying it
            // would undo entry 5's.
            let entry = |id: u64, writes: Vec<Write>| {
                let bytes = redo::encode(id, &writes).expect("encode");
                store.redo.insert(slot(id), bytes).expect("insert");
            };
            let set =
                |key: &[u8], value: &[u8]| (TreeId::Running, key.to_vec(), Some(value.to_vec()));
            entry(
                8,
                vec![set(b"a", b"8"), (TreeId::Running, b"b".to_vec(), None)],
            );
            entry(7, vec![set(b"a", b"7"), set(b"b", b"7")]);
            entry(2, vec![set(b"c", b"2")]);
            store
                .tree(TreeId::Meta)
                .insert(CHECKPOINT_KEY, &5u64.to_be_bytes())
                .expect("checkpoint");
            store
                .tree(TreeId::Running)
                .insert(b"c", b"5")
                .expect("insert");
        }
        let store = SledStore::open(dir.path()).expect("reopen");
        let get = |key: &[u8]| store.get(TreeId::Running, key).expect("get");
        assert_eq!(get(b"a"), Some(b"8".to_vec()));
        assert_eq!(get(b"b"), None);
        assert_eq!(get(b"c"), Some(b"5".to_vec()));
        assert_eq!(checkpoint(&store), 8);
        // New entries are numbered after the checkpoint.
        store
            .transact("s", &|txn| txn.insert(TreeId::Running, b"d", b""))
            .expect("write");
        let slot9 = store.redo.get(slot(9)).expect("get").expect("entry 9");
        assert_eq!(redo::id(&slot9).expect("id"), 9);
    }

    #[test]
    fn a_corrupt_redo_entry_stops_the_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let store = SledStore::open(dir.path()).expect("open");
            store.redo.insert(slot(1), vec![200, 1]).expect("insert");
        }
        assert!(matches!(
            SledStore::open(dir.path()),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn the_checkpoint_follows_flushes_and_slots_are_reused() {
        let store = SledStore::temporary().expect("open");
        store
            .transact("s", &|txn| txn.insert(TreeId::Running, b"x", b""))
            .expect("write");
        store.ticket().wait().expect("flush");
        assert_eq!(checkpoint(&store), 1);

        // Three times around the ring without waiting for a ticket: writers
        // wait for the flushes that free their slots.
        let n = 3 * REDO_SLOTS;
        for i in 0..n {
            let key = i.to_be_bytes();
            store
                .transact("s", &|txn| txn.insert(TreeId::Finished, &key, b""))
                .expect("write");
        }
        store.ticket().wait().expect("flush");
        assert_eq!(checkpoint(&store), n + 1);
        assert_eq!(store.redo.len(), REDO_SLOTS as usize);
        let mut count = 0;
        store
            .scan(
                TreeId::Finished,
                keys::prefix_range(&[]),
                false,
                &mut |_, _| {
                    count += 1;
                    Ok(true)
                },
            )
            .expect("scan");
        assert_eq!(count, n);
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
}
