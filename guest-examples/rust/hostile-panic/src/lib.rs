//! `hostile-panic`: panics. The component traps (Rust aborts on panic in wasm), the
//! host reports `States.TaskFailed`; the SDK logs the panic message at error level
//! first: `task panicked: panicked at ...: hostile-panic: deliberate panic`.

use stepwise_sdk::{TaskError, Value};

/// Panics.
pub fn explode(input: Value) -> Result<Value, TaskError> {
    if input.get("dontPanic") == Some(&Value::Bool(true)) {
        return Ok(input);
    }
    panic!("hostile-panic: deliberate panic")
}

stepwise_sdk::task!(explode);
