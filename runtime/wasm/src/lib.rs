//! Stepwise's WebAssembly host: runs Task states' components.
//!
//! A task component implements the `task` world of `wit/task.wit`
//! (`stepwise:task@0.1.0`): it exports `run(input: string) -> result<string,
//! task-error>` and may import the host's `context` interface (log, heartbeat,
//! names, task token, remaining time) and WASI 0.2 (clocks, random, stdout and
//! stderr; no files, no environment, no arguments, no network).
//!
//! ```no_run
//! use wasm_host::{Host, HostConfig, ModuleOptions, TaskInvocation};
//!
//! let host = Host::new(HostConfig::default().with_cache_dir("/var/lib/stepwise/cache"))?;
//! let bytes = std::fs::read("target/guests/charge-payment.wasm")?;
//! let module = host.load(&bytes, ModuleOptions::default())?;
//! match host.invoke(&module, TaskInvocation::new(r#"{"amount": 12}"#)) {
//!     Ok(out) => println!("{} ({} log lines)", out.output, out.logs.len()),
//!     Err(failure) => println!("{}: {}", failure.error, failure.cause),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! This is the only crate of the workspace that depends on wasmtime.
//!
//! # Layout
//!
//! - `engine.rs`: [`Host`] and [`HostConfig`]: the one wasmtime `Engine` per
//!   process (component model, epoch interruption, pooling allocator), the
//!   `Linker` (WASI p2 + `context`), and the ticker thread that advances the epoch.
//! - `registry.rs`: [`Host::load`]: validation against the task world, compile
//!   once, an in-memory map of loaded components by sha256, [`Module`] and
//!   [`ModuleOptions`], [`CacheStats`].
//! - `cache.rs`: the on-disk cache of compiled components, keyed by sha256 of
//!   the component and wasmtime's precompile-compatibility hash.
//! - `invoke.rs`: [`Host::invoke`]: [`TaskInvocation`] in, [`TaskOutput`] or
//!   [`TaskFailure`] out; fresh or warm instances; deadline and heartbeat checks;
//!   how traps, guest errors and limits become ASL errors.
//! - `context.rs`: the per-invocation store data and the host side of the
//!   `context` interface (and WASI's view of it).
//! - `logs.rs`: [`LogLine`]s from `context.log`, stdout and stderr, with a cap.
//! - `limits.rs`: every `DEFAULT_*` limit and the memory/table limiter.
//! - `errors.rs`: [`HostError`], [`LoadError`], [`TaskFailure`] and the ASL
//!   error names the host raises.

mod cache;
mod context;
mod engine;
mod errors;
mod invoke;
mod limits;
mod logs;
mod registry;

/// Rust bindings of `wit/task.wit` (world `task`).
mod bindings {
    wasmtime::component::bindgen!({
        path: "../../wit",
        world: "task",
    });
}

pub use engine::{Host, HostConfig};
pub use errors::{
    HostError, LoadError, TaskFailure, DATA_LIMIT_EXCEEDED, HEARTBEAT_TIMEOUT, TASK_FAILED, TIMEOUT,
};
pub use invoke::{CancelToken, HeartbeatSink, TaskInvocation, TaskOutput, CANCEL_CHECK_INTERVAL};
pub use limits::{
    DEFAULT_EPOCH_TICK, DEFAULT_INSTANCE_SLOTS, DEFAULT_KEEP_RESIDENT, DEFAULT_MAX_CAUSE_CHARS,
    DEFAULT_MAX_ERROR_CHARS, DEFAULT_MAX_LOG_BYTES, DEFAULT_MAX_OUTPUT_BYTES,
    DEFAULT_MEMORY_CEILING, DEFAULT_MEMORY_LIMIT, DEFAULT_TABLE_ELEMENTS, DEFAULT_TIMEOUT,
};
pub use logs::{Level, LogLine, LogSource};
pub use registry::{CacheStats, LoadedFrom, Module, ModuleOptions};
