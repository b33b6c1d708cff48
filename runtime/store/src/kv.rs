//! The ordered key-value interface both backends provide, on which `tables/`
//! implements the store's traits once.
//!
//! The trait is public only in name: this module is private, so no other crate
//! can implement or call it (a sealed trait).

use crate::durability::Ticket;
use crate::error::Result;
use crate::keys::KeyRange;

/// The trees (ordered maps of bytes to bytes) of a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeId {
    /// State machine ARN -> JSON record.
    Machines,
    /// (machine ARN, version) -> JSON version record.
    Versions,
    /// Execution id -> stored execution (see `codec`).
    Executions,
    /// (machine ARN, status tag, start time, id) -> nothing.
    ByMachine,
    /// Ids of unfinished executions -> nothing.
    Running,
    /// (stop time, id) of finished executions -> nothing.
    Finished,
    /// (execution id, sequence of the first event) -> the events one write
    /// appended (see `codec`).
    History,
    /// (due time, execution id, timer id) -> nothing.
    Timers,
    /// Token -> JSON record.
    Tokens,
    /// Activity ARN -> JSON record.
    Activities,
    /// (activity ARN, enqueue order) -> JSON task.
    ActivityTasks,
    /// Module name -> latest version, big-endian.
    ModuleHeads,
    /// (module name, version) -> JSON version record.
    ModuleVersions,
    /// sha256 hex -> bytes.
    Blobs,
    /// sha256 hex -> how many versions refer to the blob, big-endian.
    BlobRefs,
    /// Execution ARN -> JSON record of a pending asynchronous Express start.
    ExpressStarts,
    /// sha256 hex of a definition -> its text.
    Definitions,
    /// `format` -> the store format version, a big-endian `u32` (see
    /// `sled_store`).
    Meta,
}

impl TreeId {
    /// Every tree, in index order.
    pub const ALL: [TreeId; 18] = [
        TreeId::Machines,
        TreeId::Versions,
        TreeId::Executions,
        TreeId::ByMachine,
        TreeId::Running,
        TreeId::Finished,
        TreeId::History,
        TreeId::Timers,
        TreeId::Tokens,
        TreeId::Activities,
        TreeId::ActivityTasks,
        TreeId::ModuleHeads,
        TreeId::ModuleVersions,
        TreeId::Blobs,
        TreeId::BlobRefs,
        TreeId::ExpressStarts,
        TreeId::Definitions,
        TreeId::Meta,
    ];

    /// The position in [`ALL`](Self::ALL).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The sled tree name.
    pub fn name(self) -> &'static str {
        match self {
            TreeId::Machines => "machines",
            TreeId::Versions => "machine_versions",
            TreeId::Executions => "executions",
            TreeId::ByMachine => "executions_by_machine",
            TreeId::Running => "executions_running",
            TreeId::Finished => "executions_finished",
            TreeId::History => "history",
            TreeId::Timers => "timers",
            TreeId::Tokens => "task_tokens",
            TreeId::Activities => "activities",
            TreeId::ActivityTasks => "activity_tasks",
            TreeId::ModuleHeads => "module_heads",
            TreeId::ModuleVersions => "module_versions",
            TreeId::Blobs => "module_blobs",
            TreeId::BlobRefs => "module_blob_refs",
            TreeId::ExpressStarts => "express_starts",
            TreeId::Definitions => "definitions",
            TreeId::Meta => "meta",
        }
    }
}

/// Reads and writes inside a transaction.
pub trait Txn {
    /// The value of `key`, seeing this transaction's own writes.
    fn get(&mut self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Sets `key` to `value`.
    fn insert(&mut self, tree: TreeId, key: &[u8], value: &[u8]) -> Result<()>;
    /// Removes `key` (nothing if absent).
    fn remove(&mut self, tree: TreeId, key: &[u8]) -> Result<()>;
}

/// A scan visitor: gets each key and value, returns whether to go on.
pub type Visit<'a> = &'a mut dyn FnMut(&[u8], &[u8]) -> Result<bool>;

/// An ordered key-value store with multi-tree transactions.
pub trait Kv: Send + Sync {
    /// The value of `key`.
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>>;

    /// Visits the entries of `range` in key order (or reverse order) until
    /// `visit` returns `false`. `visit` must not call back into the store.
    fn scan(&self, tree: TreeId, range: KeyRange, reverse: bool, visit: Visit<'_>) -> Result<()>;

    /// Runs `body` as one transaction: its writes happen all together if it
    /// returns `Ok` (also across a crash), not at all if it returns `Err`
    /// (which is passed on).
    ///
    /// Transactions of the same `scope` run one at a time. A transaction may
    /// write any key, but may rely on what it reads only for keys that are
    /// written under its own scope alone (an execution's keys under its id, a
    /// machine's under its ARN, ...). Plain reads may see a transaction of
    /// another scope half-applied.
    fn transact<T>(&self, scope: &str, body: &dyn Fn(&mut dyn Txn) -> Result<T>) -> Result<T>;

    /// A number greater than every one returned before, across restarts.
    fn next_id(&self) -> Result<u64>;

    /// A ticket for the writes made so far.
    fn ticket(&self) -> Ticket;
}

/// One write of a transaction: a value to set, or `None` to remove the key.
pub type Write = (TreeId, Vec<u8>, Option<Vec<u8>>);

/// A transaction's writes, kept until it commits; reads see them first, then
/// the backend's committed state (through `read`).
pub struct Staged<R> {
    read: R,
    writes: Vec<Write>,
}

impl<R: Fn(TreeId, &[u8]) -> Result<Option<Vec<u8>>>> Staged<R> {
    /// No writes yet, reading through `read`.
    pub fn new(read: R) -> Self {
        Staged {
            read,
            writes: Vec::new(),
        }
    }

    /// The writes, in the order they were made.
    pub fn into_writes(self) -> Vec<Write> {
        self.writes
    }
}

impl<R: Fn(TreeId, &[u8]) -> Result<Option<Vec<u8>>>> Txn for Staged<R> {
    fn get(&mut self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let staged = self
            .writes
            .iter()
            .rev()
            .find(|(t, k, _)| *t == tree && k.as_slice() == key);
        match staged {
            Some((_, _, value)) => Ok(value.clone()),
            None => (self.read)(tree, key),
        }
    }

    fn insert(&mut self, tree: TreeId, key: &[u8], value: &[u8]) -> Result<()> {
        self.writes.push((tree, key.to_vec(), Some(value.to_vec())));
        Ok(())
    }

    fn remove(&mut self, tree: TreeId, key: &[u8]) -> Result<()> {
        self.writes.push((tree, key.to_vec(), None));
        Ok(())
    }
}
