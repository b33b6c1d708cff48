//! `hostile-recursion`: recurses without bound, each frame holding 1 KiB. Stack
//! exhaustion (wasm's call stack or the shadow stack in linear memory) must trap,
//! giving `States.TaskFailed`, and leave the host up.

use std::hint::black_box;

use stepwise_sdk::{TaskError, Value};

#[inline(never)]
fn descend(depth: u64) -> u64 {
    if depth == u64::MAX {
        return 0; // never: the stack runs out long before
    }
    let frame = black_box([depth as u8; 1024]);
    let below = descend(black_box(depth + 1));
    below.wrapping_add(u64::from(frame[(depth % 1024) as usize]))
}

/// Recurses forever.
pub fn recurse(_input: Value) -> Result<Value, TaskError> {
    Ok(Value::from(descend(0)))
}

stepwise_sdk::task!(recurse);
