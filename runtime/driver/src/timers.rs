//! The background loops: firing due timers of Standard executions, and
//! purging finished executions past their retention.

use chrono::Utc;
use engine::Event;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::actor::Msg;
use crate::standard::Shared;

/// Longest the timer loop sleeps without looking at the store.
const MAX_SLEEP: Duration = Duration::from_secs(1);
/// Due timers read per pass.
const BATCH: usize = 1024;
/// A fired timer still in the store this long after it was delivered is
/// delivered again (its execution's actor may have failed to commit).
const REDELIVER_AFTER: Duration = Duration::from_secs(5);

/// Fires due timers: each becomes a `TimerFired` event for its execution,
/// whose next transition removes it from the store.
pub(crate) async fn timer_loop(shared: Arc<Shared>) {
    let mut delivered: HashMap<(String, u64), Instant> = HashMap::new();
    loop {
        let now_ms = Utc::now().timestamp_millis();
        let due = match shared.store.due_timers(now_ms, BATCH) {
            Ok(due) => due,
            Err(e) => {
                eprintln!("stepwise: cannot read timers: {e}");
                tokio::time::sleep(MAX_SLEEP).await;
                continue;
            }
        };
        let mut fresh = 0;
        let still_due: std::collections::HashSet<(String, u64)> = due
            .iter()
            .map(|t| (t.execution_id.clone(), t.timer))
            .collect();
        delivered.retain(|key, at| still_due.contains(key) && at.elapsed() < REDELIVER_AFTER);
        for timer in due {
            let key = (timer.execution_id.clone(), timer.timer);
            if delivered.contains_key(&key) {
                continue;
            }
            fresh += 1;
            let msg = Msg::Event {
                event: Event::TimerFired { timer: timer.timer },
                reply: None,
            };
            if let Err(e) = shared.deliver(&timer.execution_id, msg) {
                eprintln!(
                    "stepwise: timer {} of execution {}: {e}",
                    timer.timer, timer.execution_id
                );
            }
            delivered.insert(key, Instant::now());
        }
        if fresh > 0 {
            tokio::task::yield_now().await;
            continue;
        }
        let next_ms = match shared.store.next_timer() {
            Ok(Some(next)) if !delivered.contains_key(&(next.execution_id.clone(), next.timer)) => {
                next.due_ms
            }
            // Only delivered timers are due: look again soon.
            Ok(Some(_)) => now_ms + 10,
            _ => i64::MAX,
        };
        let sleep_ms = next_ms
            .saturating_sub(Utc::now().timestamp_millis())
            .clamp(0, MAX_SLEEP.as_millis() as i64);
        shared
            .timer_sleep_until
            .store(now_ms.saturating_add(sleep_ms), Ordering::Relaxed);
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(sleep_ms as u64)) => {}
            _ = shared.timer_wake.notified() => {}
        }
    }
}

/// Purges finished executions older than the retention period, hourly.
pub(crate) async fn retention_loop(shared: Arc<Shared>) {
    let period = shared.config.retention;
    loop {
        let cutoff = Utc::now().timestamp_millis() - period.as_millis() as i64;
        loop {
            match shared.store.purge_finished(cutoff, 1000) {
                Ok(0) => break,
                Ok(_) => tokio::task::yield_now().await,
                Err(e) => {
                    eprintln!("stepwise: cannot purge old executions: {e}");
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}
