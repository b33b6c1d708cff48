//! Engine configuration.

use serde::{Deserialize, Serialize};

/// Default for [`EngineConfig::max_payload_bytes`]: AWS's 256 KiB.
pub const DEFAULT_MAX_PAYLOAD_BYTES: usize = asl::errors::MAX_PAYLOAD_BYTES;
/// Default for [`EngineConfig::max_steps_per_call`]: state transitions one call may
/// make before it yields (so an infinite Choice loop cannot hang the caller).
pub const DEFAULT_MAX_STEPS_PER_CALL: u64 = 10_000_000;

/// The largest value one workflow variable may hold, in bytes of JSON (AWS: 256 KiB).
pub const MAX_VARIABLE_BYTES: usize = 256 * 1024;
/// The most all of an execution's variables may hold together, in bytes of JSON
/// (AWS: 10 MiB).
pub const MAX_VARIABLES_BYTES: usize = 10 * 1024 * 1024;

/// How an execution is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineConfig {
    /// Record history events (Standard executions; Express keeps none by default).
    pub record_history: bool,
    /// Largest state input/output in bytes of JSON text; beyond it
    /// `States.DataLimitExceeded`.
    pub max_payload_bytes: usize,
    /// Transitions one call to the engine may make before yielding with a
    /// [`crate::Effect::Yield`].
    pub max_steps_per_call: u64,
    /// The longest an execution may run, in seconds, whatever its definition's
    /// `TimeoutSeconds` says (Express: 300, Standard: one year); past it the
    /// execution times out as with `TimeoutSeconds`. `None`: no cap.
    #[serde(default)]
    pub max_duration_seconds: Option<u64>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            record_history: true,
            max_payload_bytes: DEFAULT_MAX_PAYLOAD_BYTES,
            max_steps_per_call: DEFAULT_MAX_STEPS_PER_CALL,
            max_duration_seconds: None,
        }
    }
}
