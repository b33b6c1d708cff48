//! `hostile-alloc`: allocates (and touches) 1 MiB blocks until memory runs out,
//! logging every 64 MiB. The host's memory limit must stop it (`States.TaskFailed`
//! naming the limit) and stay up; the allocation failure aborts the guest.

use std::hint::black_box;

use stepwise_sdk::{context, TaskError, Value};

const BLOCK: usize = 1 << 20;

/// Allocates until it cannot.
pub fn hoard(_input: Value) -> Result<Value, TaskError> {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    loop {
        blocks.push(black_box(vec![0xA5; BLOCK]));
        if blocks.len().is_multiple_of(64) {
            context::info(&format!("holding {} MiB", blocks.len()));
        }
    }
}

stepwise_sdk::task!(hoard);
