//! [`Timers`] on any backend.

use std::ops::Bound;

use super::collect;
use crate::error::Result;
use crate::keys;
use crate::kv::{Kv, TreeId};
use crate::timers::{TimerRecord, Timers};

fn decode(key: &[u8]) -> Result<TimerRecord> {
    let (due_ms, execution_id, timer) = keys::read_timer(key)?;
    Ok(TimerRecord {
        due_ms,
        execution_id: execution_id.to_owned(),
        timer,
    })
}

impl<K: Kv> Timers for K {
    fn due_timers(&self, now_ms: i64, limit: usize) -> Result<Vec<TimerRecord>> {
        let end = match now_ms.checked_add(1) {
            Some(after) => Bound::Excluded(keys::ord_i64(after).to_vec()),
            None => Bound::Unbounded,
        };
        collect(self, TreeId::Timers, (Bound::Unbounded, end), false, limit)?
            .iter()
            .map(|(key, _)| decode(key))
            .collect()
    }

    fn next_timer(&self) -> Result<Option<TimerRecord>> {
        let all = (Bound::Unbounded, Bound::Unbounded);
        collect(self, TreeId::Timers, all, false, 1)?
            .first()
            .map(|(key, _)| decode(key))
            .transpose()
    }
}
