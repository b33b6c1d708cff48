//! [`Metrics`]: the counters a backend keeps for `GET /metrics`, written in the
//! Prometheus text exposition format (version 0.0.4). Lock-free: every update
//! is one or two relaxed atomic operations.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// The upper bounds of the task latency histogram's buckets, in microseconds
/// (100 µs to 10 s; `+Inf` is implied).
pub const TASK_LATENCY_BUCKETS_MICROS: [u64; 16] = [
    100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
    1_000_000, 2_500_000, 5_000_000, 10_000_000,
];

/// How an execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `SUCCEEDED`
    Succeeded,
    /// `FAILED`
    Failed,
    /// `TIMED_OUT`
    TimedOut,
    /// `ABORTED`
    Aborted,
}

impl Outcome {
    const ALL: [Outcome; 4] = [
        Outcome::Succeeded,
        Outcome::Failed,
        Outcome::TimedOut,
        Outcome::Aborted,
    ];

    fn label(self) -> &'static str {
        match self {
            Outcome::Succeeded => "SUCCEEDED",
            Outcome::Failed => "FAILED",
            Outcome::TimedOut => "TIMED_OUT",
            Outcome::Aborted => "ABORTED",
        }
    }
}

/// Execution and task counters of one server.
#[derive(Debug, Default)]
pub struct Metrics {
    started: AtomicU64,
    finished: [AtomicU64; 4],
    transitions: AtomicU64,
    /// Per bucket of [`TASK_LATENCY_BUCKETS_MICROS`], then `+Inf`; not cumulative.
    task_buckets: [AtomicU64; TASK_LATENCY_BUCKETS_MICROS.len() + 1],
    task_nanos: AtomicU64,
    queue_depth: AtomicI64,
}

impl Metrics {
    /// All zero.
    pub fn new() -> Self {
        Metrics::default()
    }

    /// An execution started.
    pub fn execution_started(&self) {
        self.started.fetch_add(1, Relaxed);
    }

    /// An execution ended.
    pub fn execution_finished(&self, outcome: Outcome) {
        self.finished[outcome as usize].fetch_add(1, Relaxed);
    }

    /// `count` states were entered.
    pub fn add_transitions(&self, count: u64) {
        self.transitions.fetch_add(count, Relaxed);
    }

    /// A task ran for `latency`.
    pub fn observe_task_latency(&self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        let bucket = TASK_LATENCY_BUCKETS_MICROS
            .iter()
            .position(|&bound| micros <= bound)
            .unwrap_or(TASK_LATENCY_BUCKETS_MICROS.len());
        self.task_buckets[bucket].fetch_add(1, Relaxed);
        let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.task_nanos.fetch_add(nanos, Relaxed);
    }

    /// How much work is waiting to run (runnable executions, due timers).
    pub fn set_queue_depth(&self, depth: i64) {
        self.queue_depth.store(depth, Relaxed);
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(2048);
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "# HELP stepwise_executions_started_total Executions started."
        )?;
        writeln!(out, "# TYPE stepwise_executions_started_total counter")?;
        writeln!(
            out,
            "stepwise_executions_started_total {}",
            self.started.load(Relaxed)
        )?;

        writeln!(
            out,
            "# HELP stepwise_executions_finished_total Executions ended, by status."
        )?;
        writeln!(out, "# TYPE stepwise_executions_finished_total counter")?;
        for outcome in Outcome::ALL {
            writeln!(
                out,
                "stepwise_executions_finished_total{{status=\"{}\"}} {}",
                outcome.label(),
                self.finished[outcome as usize].load(Relaxed)
            )?;
        }

        writeln!(out, "# HELP stepwise_transitions_total States entered.")?;
        writeln!(out, "# TYPE stepwise_transitions_total counter")?;
        writeln!(
            out,
            "stepwise_transitions_total {}",
            self.transitions.load(Relaxed)
        )?;

        writeln!(
            out,
            "# HELP stepwise_task_duration_seconds How long tasks ran."
        )?;
        writeln!(out, "# TYPE stepwise_task_duration_seconds histogram")?;
        let mut cumulative = 0;
        for (i, bucket) in self.task_buckets.iter().enumerate() {
            cumulative += bucket.load(Relaxed);
            match TASK_LATENCY_BUCKETS_MICROS.get(i) {
                Some(&micros) => writeln!(
                    out,
                    "stepwise_task_duration_seconds_bucket{{le=\"{}\"}} {cumulative}",
                    micros as f64 / 1e6
                )?,
                None => writeln!(
                    out,
                    "stepwise_task_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
                )?,
            }
        }
        writeln!(
            out,
            "stepwise_task_duration_seconds_sum {}",
            self.task_nanos.load(Relaxed) as f64 / 1e9
        )?;
        writeln!(out, "stepwise_task_duration_seconds_count {cumulative}")?;

        writeln!(out, "# HELP stepwise_queue_depth Work waiting to run.")?;
        writeln!(out, "# TYPE stepwise_queue_depth gauge")?;
        writeln!(
            out,
            "stepwise_queue_depth {}",
            self.queue_depth.load(Relaxed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_exposition_format() {
        let metrics = Metrics::new();
        metrics.execution_started();
        metrics.execution_started();
        metrics.execution_finished(Outcome::Succeeded);
        metrics.execution_finished(Outcome::TimedOut);
        metrics.add_transitions(5);
        metrics.observe_task_latency(Duration::from_micros(100));
        metrics.observe_task_latency(Duration::from_millis(3));
        metrics.observe_task_latency(Duration::from_secs(60));
        metrics.set_queue_depth(7);
        let text = metrics.render();
        for line in [
            "# TYPE stepwise_executions_started_total counter",
            "stepwise_executions_started_total 2",
            "stepwise_executions_finished_total{status=\"SUCCEEDED\"} 1",
            "stepwise_executions_finished_total{status=\"FAILED\"} 0",
            "stepwise_executions_finished_total{status=\"TIMED_OUT\"} 1",
            "stepwise_transitions_total 5",
            "# TYPE stepwise_task_duration_seconds histogram",
            "stepwise_task_duration_seconds_bucket{le=\"0.0001\"} 1",
            "stepwise_task_duration_seconds_bucket{le=\"0.0025\"} 1",
            "stepwise_task_duration_seconds_bucket{le=\"0.005\"} 2",
            "stepwise_task_duration_seconds_bucket{le=\"10\"} 2",
            "stepwise_task_duration_seconds_bucket{le=\"+Inf\"} 3",
            "stepwise_task_duration_seconds_sum 60.0031",
            "stepwise_task_duration_seconds_count 3",
            "stepwise_queue_depth 7",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing {line:?} in\n{text}"
            );
        }
        assert!(text.ends_with('\n'));
    }
}
