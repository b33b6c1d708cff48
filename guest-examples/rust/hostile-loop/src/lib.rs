//! `hostile-loop`: never returns. The host must stop it at the state's deadline
//! (`States.Timeout`) and stay up. With `{"heartbeat": true}` it sends a heartbeat
//! on every round, so only the deadline (not HeartbeatSeconds) can stop it.

use std::hint::black_box;

use stepwise_sdk::{context, TaskError, Value};

/// Spins forever.
pub fn spin(input: Value) -> Result<Value, TaskError> {
    let heartbeat = input.get("heartbeat") == Some(&Value::Bool(true));
    let mut counter: u64 = 0;
    loop {
        counter = black_box(counter.wrapping_add(1));
        if heartbeat && counter.is_multiple_of(1_000_000) {
            context::heartbeat();
        }
    }
}

stepwise_sdk::task!(spin);
