//! `hostile-big-output`: returns a JSON string of 100 MiB (`"xxx…"`), or of
//! `{"bytes": N}` bytes. Over the 256 KiB payload limit the host must fail the state
//! with `States.DataLimitExceeded` (or, under a smaller memory limit, the allocation
//! fails first: `States.TaskFailed`). The output is built in one allocation, as raw
//! JSON text.

use stepwise_sdk::{TaskError, Value};

/// The default size of the string, in bytes (100 MiB).
pub const DEFAULT_BYTES: usize = 100 * 1024 * 1024;

/// A JSON string of `bytes` x's.
pub fn big(input: String) -> Result<String, TaskError> {
    let bytes = serde_json::from_str::<Value>(&input)
        .ok()
        .and_then(|v| v.get("bytes").and_then(Value::as_u64))
        .map_or(DEFAULT_BYTES, |n| n as usize);
    let mut out = String::new();
    out.try_reserve_exact(bytes + 2)
        .map_err(|e| TaskError::task_failed(format!("cannot allocate {bytes} bytes: {e}")))?;
    out.push('"');
    out.extend(std::iter::repeat_n('x', bytes));
    out.push('"');
    Ok(out)
}

stepwise_sdk::task!(raw big);
