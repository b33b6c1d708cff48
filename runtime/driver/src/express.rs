//! Express executions: in memory, no history kept, at most
//! [`DriverConfig::express_max_duration`](crate::DriverConfig) (5 minutes);
//! synchronous (the caller waits for the outcome) or asynchronous.

use chrono::{DateTime, Utc};
use engine::{Execution, Status};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use tokio::sync::{mpsc, oneshot};

use crate::actor::{Actor, Commit};
use crate::error::DriverError;
use crate::snapshot::Snapshot;
use crate::standard::{Driver, StartRequest};

/// How an Express execution ended.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpressOutcome {
    /// SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub status: Status,
    /// The output JSON text, when it succeeded.
    pub output: Option<String>,
    /// The error, otherwise.
    pub error: Option<String>,
    /// The cause, otherwise.
    pub cause: Option<String>,
    /// When it started.
    pub start: DateTime<Utc>,
    /// When it ended.
    pub stop: DateTime<Utc>,
}

impl ExpressOutcome {
    /// The outcome of an ended execution.
    pub(crate) fn of(execution: &Execution) -> ExpressOutcome {
        ExpressOutcome {
            status: execution.status,
            output: execution.output.as_ref().map(ToString::to_string),
            error: execution.error.clone(),
            cause: execution.cause.clone(),
            start: execution.info.start_time,
            stop: execution.stop_time.unwrap_or_else(Utc::now),
        }
    }
}

impl Driver {
    /// The ARN of an Express execution: `...:express:<machine>:<name>:<id>`.
    pub fn express_arn(&self, machine_name: &str, name: &str, id: &str) -> String {
        let config = &self.shared.config;
        format!(
            "arn:aws:states:{}:{}:express:{machine_name}:{name}:{id}",
            config.region, config.account
        )
    }

    /// Runs an Express execution to its end (StartSyncExecution, `/invoke`).
    pub async fn run_express(
        &self,
        request: StartRequest,
        execution_arn: String,
    ) -> Result<ExpressOutcome, DriverError> {
        let (done, outcome) = oneshot::channel();
        self.launch_express(request, execution_arn, Some(done))?;
        outcome
            .await
            .map_err(|_| DriverError::Internal("the Express execution was lost".into()))
    }

    /// Starts an Express execution and returns at once (StartExecution of an
    /// Express machine). Nothing is kept of it once it ends.
    pub fn start_express(
        &self,
        request: StartRequest,
        execution_arn: String,
    ) -> Result<(), DriverError> {
        self.launch_express(request, execution_arn, None)
    }

    fn launch_express(
        &self,
        mut request: StartRequest,
        execution_arn: String,
        done: Option<oneshot::Sender<ExpressOutcome>>,
    ) -> Result<(), DriverError> {
        let shared = &self.shared;
        let (machine, execution, step) = shared.begin(&mut request, &execution_arn, true)?;
        if execution.is_finished() {
            shared.stats.finished(execution.status);
            if let Some(done) = done {
                let _ = done.send(ExpressOutcome::of(&execution));
            }
            return Ok(());
        }
        shared.stats.active.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        let mut actor = Actor {
            shared: shared.clone(),
            id: execution_arn,
            machine,
            snapshot: Snapshot {
                definition: request.definition,
                execution,
                running: Vec::new(),
            },
            commit: Commit::Memory {
                done,
                timers: HashMap::new(),
            },
            in_flight: HashMap::new(),
            tx,
        };
        actor.perform(step.effects);
        tokio::spawn(actor.run(rx));
        Ok(())
    }
}
