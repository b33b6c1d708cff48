//! Runs executions: the part between the API and the engine.
//!
//! The engine is sans-IO: given an event it returns history events and effects.
//! The driver feeds it events (task outcomes, timers, task tokens, stops),
//! persists every Standard transition in the store before performing its
//! effects, runs tasks on the WASM host, and fires timers. Express executions
//! run the same way in memory, with no history kept.
//!
//! # How a Standard execution runs
//! One *actor* (a tokio task) per execution that has work in flight owns the
//! engine's `Execution`. Events reach it through its channel; it applies every
//! queued event, writes one [`store::Transition`] (record, history events,
//! timers, task tokens, activity tasks), waits until the write is durable
//! (group commit), then performs the effects. An execution that only waits (a
//! Wait state, a task token, an activity worker) has no actor: its row and
//! timers are all there is, and the next event loads it again. After a restart
//! [`Driver::open`] resumes every running execution: tasks that were running
//! at the crash run again (at least once, as on AWS); transitions are applied
//! exactly once (each write is conditional on the execution's sequence number).
//! An asynchronous Express start is kept in the store until its execution
//! ends, so one acknowledged before a crash runs again after it.
//!
//! # Layout
//! - `config`: [`DriverConfig`]: region, account, limits, queue sizes.
//! - `error`: [`DriverError`], what callers match on.
//! - `machines`: compiled definitions, cached by their text and by their key
//!   in the store's definitions table (where a Standard execution's
//!   definition is stored once); what Stepwise cannot run in a valid
//!   definition ([`unsupported`]).
//! - `definition_walk`: a definition's states as written, nested ones too.
//! - `snapshot`: what a Standard execution's row holds for the engine.
//! - `tasks`: running a Task's resource: modules from the store on the WASM
//!   host, Lambda's error shapes, activities, token-only waits.
//! - `actor`: one execution's event loop, shared by Standard and Express.
//! - `standard`: starting, stopping, resuming and feeding Standard executions.
//! - `express`: Express executions, sync and async.
//! - `timers`: the loop that fires due timers from the store.
//! - `tokens`: SendTaskSuccess/Failure/Heartbeat and activity polling.
//! - `stats`: counters for metrics.
//! - `module_usage`: which running executions may call a module (checked
//!   before a module is deleted).

mod actor;
mod config;
mod definition_walk;
mod error;
mod express;
mod machines;
mod module_usage;
mod snapshot;
mod standard;
mod stats;
pub mod tasks;
mod timers;
mod tokens;

pub use config::DriverConfig;
pub use definition_walk::any_state;
pub use error::DriverError;
pub use express::ExpressOutcome;
pub use machines::{compile, unsupported, Unsupported};
pub use standard::{Driver, StartRequest};
pub use stats::Stats;
pub use tokens::ActivityTask;
