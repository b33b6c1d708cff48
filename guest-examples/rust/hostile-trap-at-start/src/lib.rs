//! `hostile-trap-at-start`: traps while it is being instantiated, before `run` is
//! ever called. The core module exports `_initialize` (the initialization hook of
//! the WebAssembly tool conventions); the component tooling that wraps it
//! (wit-component, run by rustc's linker for wasm32-wasip2) calls `_initialize` from
//! a start function as the last step of instantiation, and this one executes
//! `unreachable`. The host must report the trap (`States.TaskFailed`) and stay up.

use stepwise_sdk::{TaskError, Value};

/// The initialization hook: traps.
#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
pub extern "C" fn _initialize() {
    core::arch::wasm32::unreachable()
}

/// Never reached: instantiation has already failed.
pub fn never(input: Value) -> Result<Value, TaskError> {
    Ok(input)
}

stepwise_sdk::task!(never);
