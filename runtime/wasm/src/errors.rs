//! The host's error types, and the ASL error names it raises.

use crate::logs::LogLine;
use std::path::PathBuf;

/// `States.TaskFailed`: a trap, a panic, an out-of-memory, a broken output.
pub const TASK_FAILED: &str = "States.TaskFailed";
/// `States.Timeout`: the task ran past its deadline.
pub const TIMEOUT: &str = "States.Timeout";
/// `States.HeartbeatTimeout`: the task went longer than its heartbeat interval
/// without calling `context.heartbeat`.
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
/// `States.DataLimitExceeded`: the task's output was over the limit.
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";

/// The host could not start.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// wasmtime refused the configuration (for example, the pooling allocator
    /// could not reserve its address space).
    #[error("the WebAssembly engine could not be configured: {0}")]
    Engine(String),
    /// The compiled-component cache directory could not be created.
    #[error("the compiled-component cache directory {path} could not be created: {source}")]
    CacheDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A setting is out of range.
    #[error("invalid host configuration: {0}")]
    Config(String),
}

/// A component could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The bytes are not WebAssembly at all.
    #[error("not a WebAssembly component: the bytes do not start with the WebAssembly magic number (\\0asm)")]
    NotWasm,
    /// A core WebAssembly module rather than a component.
    #[error("not a WebAssembly component: this is a core WebAssembly module; build the task for wasm32-wasip2 (or wrap the module with `wasm-tools component new`) so that it implements the stepwise:task world")]
    NotAComponent,
    /// The component is malformed or uses features the host does not enable.
    #[error("invalid WebAssembly component: {0}")]
    Invalid(String),
    /// A valid component that does not implement the `task` world.
    #[error("the component does not implement the stepwise:task@0.1.0 world: {0}")]
    WrongWorld(String),
    /// The module's options cannot be honoured by this host.
    #[error("invalid module options: {0}")]
    Options(String),
}

/// A task's failure, as an ASL error name and cause that Retry and Catch match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct TaskFailure {
    /// The ASL error name (`States.TaskFailed`, `States.Timeout`, or the name
    /// the guest returned in its `task-error`).
    pub error: String,
    /// A human-readable cause (a guest's `task-error.cause` verbatim).
    pub cause: String,
    /// What the task logged before it failed (a panic's message is among them).
    pub logs: Vec<LogLine>,
}

impl TaskFailure {
    /// A failure with no logs.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskFailure {
            error: error.into(),
            cause: cause.into(),
            logs: Vec::new(),
        }
    }
}
