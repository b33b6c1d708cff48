//! Express executions: in memory, no history kept, at most
//! [`DriverConfig::express_max_duration`](crate::DriverConfig) (5 minutes);
//! synchronous (the caller waits for the outcome) or asynchronous. An
//! asynchronous start is kept in the store until the execution ends, so that
//! a start acknowledged before a crash runs again after it (at least once).

use chrono::{DateTime, Utc};
use engine::{Execution, Status};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use tokio::sync::{mpsc, oneshot};

use crate::actor::{Actor, Commit};
use crate::error::DriverError;
use crate::snapshot::Snapshot;
use crate::standard::{Driver, StartRequest};
use store::ExpressStartRecord;

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
        if let Some(launch) = self.prepare_express(request, execution_arn, Some(done))? {
            self.spawn_express(launch, false);
        }
        outcome
            .await
            .map_err(|_| DriverError::Internal("the Express execution was lost".into()))
    }

    /// Starts an Express execution and returns once its start is durable
    /// (StartExecution of an Express machine). Until it ends, the start is
    /// kept in the store, so that after a crash it runs again: at least once,
    /// as AWS runs asynchronous Express executions. Nothing else is kept.
    pub async fn start_express(
        &self,
        request: StartRequest,
        execution_arn: String,
    ) -> Result<(), DriverError> {
        let record = ExpressStartRecord {
            arn: execution_arn.clone(),
            state_machine_arn: request.state_machine_arn.clone(),
            state_machine_name: request.state_machine_name.clone(),
            definition: request.definition.clone(),
            role_arn: request.role_arn.clone(),
            name: request.name.clone(),
            input: request.input_text.clone(),
            trace_header: request.trace_header.clone(),
            start_ms: Utc::now().timestamp_millis(),
        };
        // An execution that ends in its first step (Pass states only, say)
        // has nothing left to keep.
        let Some(launch) = self.prepare_express(request, execution_arn, None)? else {
            return Ok(());
        };
        self.shared.store.put_express_start(&record)?.await?;
        self.spawn_express(launch, true);
        Ok(())
    }

    /// Starts again the asynchronous Express executions whose start was
    /// acknowledged but which had not ended when the process stopped (from
    /// their first state, with a fresh time limit).
    pub(crate) fn resume_express(&self) -> Result<usize, DriverError> {
        let store = &self.shared.store;
        let mut resumed = 0;
        let mut after: Option<String> = None;
        loop {
            let batch = store.pending_express_starts(after.as_deref(), 1_000)?;
            let Some(last) = batch.last() else {
                return Ok(resumed);
            };
            after = Some(last.arn.clone());
            for record in batch {
                let arn = record.arn.clone();
                match self.restart_express(record) {
                    Ok(true) => resumed += 1,
                    Ok(false) => drop(store.remove_express_start(&arn)?),
                    Err(e) => {
                        eprintln!("stepwise: cannot run Express execution {arn} again: {e}");
                        drop(store.remove_express_start(&arn)?);
                    }
                }
            }
        }
    }

    /// Launches one pending start again; `false` if it ended at once.
    fn restart_express(&self, record: ExpressStartRecord) -> Result<bool, DriverError> {
        let input = serde_json::from_str(&record.input)
            .map_err(|e| DriverError::Internal(format!("its stored input is not JSON: {e}")))?;
        let request = StartRequest {
            state_machine_arn: record.state_machine_arn,
            state_machine_name: record.state_machine_name,
            definition: record.definition,
            role_arn: record.role_arn,
            name: record.name,
            input_text: record.input,
            input,
            trace_header: record.trace_header,
        };
        match self.prepare_express(request, record.arn, None)? {
            Some(launch) => {
                self.spawn_express(launch, true);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Computes an Express execution's first step; `None` if that ended it
    /// (the outcome is then sent to `done` already).
    fn prepare_express(
        &self,
        mut request: StartRequest,
        execution_arn: String,
        done: Option<oneshot::Sender<ExpressOutcome>>,
    ) -> Result<Option<Launch>, DriverError> {
        let shared = &self.shared;
        let (machine, execution, step) = shared.begin(&mut request, &execution_arn, true)?;
        if execution.is_finished() {
            shared.stats.finished(execution.status);
            if let Some(done) = done {
                let _ = done.send(ExpressOutcome::of(&execution));
            }
            return Ok(None);
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let actor = Actor {
            shared: shared.clone(),
            id: execution_arn,
            machine,
            snapshot: Snapshot {
                // Nothing of an Express execution is stored.
                definition_key: String::new(),
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
        Ok(Some(Launch {
            actor,
            rx,
            effects: step.effects,
        }))
    }

    /// Performs a prepared execution's first effects and runs it; a `kept`
    /// start is forgotten by the store once the execution ends.
    fn spawn_express(&self, launch: Launch, kept: bool) {
        let Launch {
            mut actor,
            rx,
            effects,
        } = launch;
        self.shared.stats.active.fetch_add(1, Ordering::Relaxed);
        let store = self.shared.store.clone();
        let arn = actor.id.clone();
        actor.perform(effects);
        tokio::spawn(async move {
            actor.run(rx).await;
            if kept {
                // Not waited for: if this is lost in a crash, the execution
                // runs once more, which at-least-once allows.
                if let Err(e) = store.remove_express_start(&arn) {
                    eprintln!("stepwise: cannot forget the Express start {arn}: {e}");
                }
            }
        });
    }
}

/// An Express execution after its first step, before its effects.
struct Launch {
    actor: Actor,
    rx: mpsc::UnboundedReceiver<crate::actor::Msg>,
    effects: Vec<engine::Effect>,
}
