//! The sans-IO execution engine: given an execution's state and an event, it
//! returns the new state, the history events to append and the effects to perform.
//!
//! Nothing here reads a clock, draws randomness or touches IO: time (`now`) and
//! events are inputs, randomness comes from a seed stored with the execution, and
//! effects (run a task, start a timer, finish) are outputs the caller performs. The
//! whole [`Execution`] is serializable, so a durable driver can store it after every
//! step and resume it after a restart.
//!
//! # Layout
//! - [`execution`]: [`Execution`] itself, its public API ([`Execution::start`],
//!   [`Execution::handle`]) and the scheduler that advances its threads.
//! - [`thread`]: a thread of control (the top level, a Parallel branch, a Map
//!   iteration) and the phase it is in.
//! - `states/`: one file per state kind, each advancing a thread through that kind.
//! - [`resource`]: what a Task's `Resource` names (a component, a Lambda ARN,
//!   `lambda:invoke`) and how its input and result are shaped.
//! - [`retry`]: Retry and Catch decisions and backoff.
//! - [`context`]: the context object (`$$`) and the path scope states evaluate in.
//! - [`event`]: the events fed in; [`effect`]: the effects handed out.
//! - [`history`]: history events with AWS's types and detail fields.
//! - [`runner`]: a synchronous driver (tasks and timers in turn) for one execution.
//! - [`config`]: engine configuration and its defaults.

pub mod config;
pub mod context;
pub mod effect;
pub mod event;
pub mod execution;
pub mod history;
pub mod resource;
pub mod retry;
pub mod runner;
mod states;
pub mod thread;

pub use config::EngineConfig;
pub use effect::{Effect, TaskRequest};
pub use event::Event;
pub use execution::{Execution, ExecutionInfo, Status, Step};
pub use history::{EventType, HistoryEvent};
