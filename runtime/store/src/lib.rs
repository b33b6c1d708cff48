//! Stepwise's persistence: state machines and their versions, executions and
//! their history, timers, task tokens, activities and task modules.
//!
//! Two implementations of the same traits: [`SledStore`] on disk (Standard
//! executions: every transition persisted, surviving `kill -9` once its
//! [`Ticket`] is durable) and [`MemoryStore`] (Express executions, tests). The
//! store knows nothing of the engine: an execution's engine state is opaque
//! bytes and history events are JSON text.
//!
//! The central write is [`Executions::apply`]: a [`Transition`] (the new
//! execution record, its history events, the timers, task tokens and activity
//! tasks it starts or ends) written atomically, conditional on the execution's
//! sequence number, so that whoever holds the execution's lease
//! ([`Executions::try_lease`]) and a stale writer cannot both advance it.
//!
//! # Layout
//!
//! - `error`: [`StoreError`], the error every call returns.
//! - `machines`, `executions`, `history`, `timers`, `tokens`, `activities`,
//!   `modules`, `express_starts`, `definitions`: each table's records and
//!   trait, documenting its key order.
//! - `store`: [`Store`], all the traits at once (`Arc<dyn Store>`).
//! - `page`: [`PageRequest`] and [`Page`], for listings.
//! - `durability`: [`Ticket`] (wait until a write is on disk) and the group
//!   commit behind it.
//! - `sled_store`, `memory_store`: the two backends, each an ordered key-value
//!   store with multi-tree transactions (`kv`); `redo`: the format of the
//!   sled backend's redo log, which makes its transactions atomic.
//! - `tables/`: the traits implemented once on top of `kv`, so both backends
//!   share every rule.
//! - `keys`, `codec`: byte encodings of keys (sorted as the listings need) and
//!   values (JSON records; executions with a binary header; the history
//!   events of one write as one value).

#![warn(missing_docs)]

mod activities;
mod codec;
mod definitions;
mod durability;
mod error;
mod executions;
mod express_starts;
mod history;
mod keys;
mod kv;
mod machines;
mod memory_store;
mod modules;
mod page;
mod redo;
mod sled_store;
mod store;
mod tables;
mod timers;
mod tokens;

pub use activities::{Activities, ActivityRecord, ActivityTaskRecord};
pub use definitions::Definitions;
pub use durability::{Durable, Ticket};
pub use error::{Result, StoreError};
pub use executions::{
    ExecutionQuery, ExecutionRecord, ExecutionStatus, Executions, Lease, Retention, Transition,
};
pub use express_starts::{ExpressStartRecord, ExpressStarts};
pub use history::{History, HistoryEvent, HistoryQuery};
pub use machines::{
    MachineStatus, MachineType, StateMachineRecord, StateMachineVersionRecord, StateMachines,
};
pub use memory_store::MemoryStore;
pub use modules::{ModuleVersionRecord, Modules};
pub use page::{Page, PageRequest, DEFAULT_PAGE_SIZE};
pub use sled_store::SledStore;
pub use store::Store;
pub use timers::{TimerRecord, Timers};
pub use tokens::{TaskTokenRecord, TaskTokens};
