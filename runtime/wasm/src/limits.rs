//! Every default limit of the host, and the limiter that enforces a task's
//! memory and table sizes.

use std::time::Duration;
use wasmtime::ResourceLimiter;

/// Memory a task may use unless its [`crate::ModuleOptions`] say otherwise:
/// 128 MiB, in bytes, summed over all the linear memories of one instance.
pub const DEFAULT_MEMORY_LIMIT: usize = 128 * 1024 * 1024;

/// The largest memory limit a module may ask for: 1 GiB, in bytes. It sizes
/// the pooling allocator's slots (address space is reserved, not memory).
pub const DEFAULT_MEMORY_CEILING: usize = 1024 * 1024 * 1024;

/// Largest task output (UTF-8 bytes of the JSON text): 256 KiB, the Step
/// Functions payload limit. Over it the task fails with `States.DataLimitExceeded`.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 256 * 1024;

/// How long a task may run when its invocation gives no timeout: 60 s. Past
/// it the task fails with `States.Timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How often the ticker thread advances the engine's epoch: every 5 ms. A
/// deadline is noticed at most about one tick after it passes.
pub const DEFAULT_EPOCH_TICK: Duration = Duration::from_millis(5);

/// Log text kept per invocation: 256 KiB of messages (context.log, stdout and
/// stderr together). Later lines are dropped and counted in a final line.
pub const DEFAULT_MAX_LOG_BYTES: usize = 256 * 1024;

/// A guest's `task-error.error` is cut to 256 characters (Step Functions' limit
/// on error names).
pub const DEFAULT_MAX_ERROR_CHARS: usize = 256;

/// A guest's `task-error.cause` is cut to 32 768 characters (Step Functions'
/// limit on causes).
pub const DEFAULT_MAX_CAUSE_CHARS: usize = 32_768;

/// Component instances that can exist at once (running or kept warm): 100. The
/// pooling allocator reserves its slots up front; one more invocation than this
/// fails with `States.TaskFailed` until a slot frees up.
pub const DEFAULT_INSTANCE_SLOTS: u32 = 100;

/// Bytes of each used memory slot of the pooling allocator kept mapped and
/// reset in place between instances: 2 MiB (a Rust guest's stack and data).
pub const DEFAULT_KEEP_RESIDENT: usize = 2 * 1024 * 1024;

/// Elements a task's tables may hold: 20 000 per table (function references;
/// a Rust guest needs a few hundred).
pub const DEFAULT_TABLE_ELEMENTS: usize = 20_000;

/// The memory limit was hit: recorded by the limiter, turned into the trap that
/// stops the guest, and recognised by the invoker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("memory limit exceeded: the task asked for {desired} bytes of memory, over its limit of {limit} bytes")]
pub(crate) struct MemoryExceeded {
    /// Bytes the instance's memories would have held after the growth.
    pub desired: usize,
    /// The limit in force, in bytes.
    pub limit: usize,
}

/// Enforces a task's memory limit (summed over its memories) and table limit.
/// Growth past a limit traps rather than failing softly, so an out-of-memory
/// is told apart from a guest that panics on its own.
#[derive(Debug, Clone)]
pub(crate) struct Limiter {
    /// Bytes, over all memories of the store.
    pub memory_limit: usize,
    /// Elements per table.
    pub table_elements: usize,
    /// Bytes currently held by the store's memories.
    memory_in_use: usize,
    /// Set when a growth was refused for the memory limit.
    pub exceeded: Option<MemoryExceeded>,
}

impl Limiter {
    pub(crate) fn new(memory_limit: usize, table_elements: usize) -> Self {
        Limiter {
            memory_limit,
            table_elements,
            memory_in_use: 0,
            exceeded: None,
        }
    }
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let total = self
            .memory_in_use
            .saturating_sub(current)
            .saturating_add(desired);
        if total > self.memory_limit {
            let exceeded = MemoryExceeded {
                desired: total,
                limit: self.memory_limit,
            };
            self.exceeded = Some(exceeded);
            return Err(wasmtime::Error::new(exceeded));
        }
        self.memory_in_use = total;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.table_elements {
            wasmtime::bail!(
                "table limit exceeded: the task asked for a table of {desired} elements, over the limit of {}",
                self.table_elements
            );
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_summed_over_memories_and_growth_past_the_limit_traps() {
        let mut limiter = Limiter::new(100, 10);
        assert!(limiter.memory_growing(0, 60, None).unwrap());
        assert!(limiter.memory_growing(0, 30, None).unwrap());
        assert!(limiter.memory_growing(30, 40, None).unwrap());
        let err = limiter.memory_growing(60, 70, None).unwrap_err();
        assert_eq!(
            limiter.exceeded,
            Some(MemoryExceeded {
                desired: 110,
                limit: 100
            })
        );
        assert!(err.to_string().contains("over its limit of 100 bytes"));
        assert!(limiter.table_growing(0, 10, None).unwrap());
        assert!(limiter.table_growing(10, 11, None).is_err());
    }
}
