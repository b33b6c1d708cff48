//! `GET /metrics`: the driver's counters in [`api::Metrics`]. The driver
//! counts totals; the metrics take increments, so each scrape adds what
//! changed since the one before, and the task latencies recorded since.

use super::backend::ServeBackend;
use api::{Metrics, Outcome};
use driver::Stats;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// The metrics, and the driver's totals at the last scrape.
#[derive(Debug, Default)]
pub struct MetricsState {
    metrics: Metrics,
    seen: Mutex<Seen>,
}

/// Driver totals already added to the metrics.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    started: u64,
    succeeded: u64,
    failed: u64,
    timed_out: u64,
    aborted: u64,
    transitions: u64,
}

/// How much `counter` grew past `seen` (updating `seen`).
fn grown(counter: &AtomicU64, seen: &mut u64) -> u64 {
    let now = Stats::get(counter);
    let delta = now.saturating_sub(*seen);
    *seen = now.max(*seen);
    delta
}

/// Brings the metrics up to date and renders them.
pub fn render(backend: &ServeBackend) -> String {
    let state = &backend.metrics;
    let stats = backend.driver.stats();
    {
        let mut guard = state.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let seen = &mut *guard;
        let metrics = &state.metrics;
        for _ in 0..grown(&stats.started, &mut seen.started) {
            metrics.execution_started();
        }
        for (counter, last, outcome) in [
            (&stats.succeeded, &mut seen.succeeded, Outcome::Succeeded),
            (&stats.failed, &mut seen.failed, Outcome::Failed),
            (&stats.timed_out, &mut seen.timed_out, Outcome::TimedOut),
            (&stats.aborted, &mut seen.aborted, Outcome::Aborted),
        ] {
            for _ in 0..grown(counter, last) {
                metrics.execution_finished(outcome);
            }
        }
        metrics.add_transitions(grown(&stats.transitions, &mut seen.transitions));
        for micros in backend.driver.take_task_latencies() {
            metrics.observe_task_latency(Duration::from_micros(micros));
        }
        let queued = Stats::get(&stats.tasks_queued);
        metrics.set_queue_depth(i64::try_from(queued).unwrap_or(i64::MAX));
    }
    state.metrics.render()
}
