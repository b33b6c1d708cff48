//! Task tokens (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) and
//! activity workers (GetActivityTask).

use engine::Event;
use serde_json::Value;
use std::time::Duration;
use tokio::time::Instant;

use crate::error::DriverError;
use crate::standard::Driver;

/// A task handed to an activity worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityTask {
    /// The token the worker answers with.
    pub token: String,
    /// The task's input, JSON text.
    pub input: String,
}

impl Driver {
    /// SendTaskSuccess: the task of `token` succeeded with `output`; returns
    /// once that is durable.
    pub async fn send_task_success(&self, token: &str, output: Value) -> Result<(), DriverError> {
        let (id, task) = self.token_task(token)?;
        self.send_event(&id, Event::TaskSucceeded { task, output })
            .await
    }

    /// SendTaskFailure: the task of `token` failed with `error` and `cause`.
    pub async fn send_task_failure(
        &self,
        token: &str,
        error: String,
        cause: String,
    ) -> Result<(), DriverError> {
        let (id, task) = self.token_task(token)?;
        self.send_event(&id, Event::TaskFailed { task, error, cause })
            .await
    }

    /// SendTaskHeartbeat: the task of `token` is alive (restarts its
    /// HeartbeatSeconds).
    pub async fn send_task_heartbeat(&self, token: &str) -> Result<(), DriverError> {
        let (id, task) = self.token_task(token)?;
        self.send_event(&id, Event::TaskHeartbeat { task }).await
    }

    /// The execution and task waiting for `token`.
    fn token_task(&self, token: &str) -> Result<(String, u64), DriverError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(DriverError::InvalidToken(token.to_string()));
        }
        let record = self
            .shared
            .store
            .get_task_token(token)?
            .ok_or(DriverError::TaskDoesNotExist)?;
        Ok((record.execution_id, record.task))
    }

    /// GetActivityTask: the oldest task queued for `activity_arn`, waiting up
    /// to the configured poll time (60 s) for one; `None` if none came. The
    /// execution records ActivityStarted with `worker_name`.
    pub async fn get_activity_task(
        &self,
        activity_arn: &str,
        worker_name: Option<&str>,
    ) -> Result<Option<ActivityTask>, DriverError> {
        self.poll_activity(activity_arn, worker_name, self.shared.config.activity_poll)
            .await
    }

    /// [`Driver::get_activity_task`] with a chosen wait.
    pub async fn poll_activity(
        &self,
        activity_arn: &str,
        worker_name: Option<&str>,
        wait: Duration,
    ) -> Result<Option<ActivityTask>, DriverError> {
        let deadline = Instant::now() + wait;
        loop {
            let ready = self.shared.activity_ready.notified();
            if let Some(task) = self.shared.store.claim_activity_task(activity_arn)? {
                if let Some(record) = self.shared.store.get_task_token(&task.token)? {
                    // The worker has it: the task has started.
                    let _ = self.shared.deliver(
                        &record.execution_id,
                        crate::actor::Msg::Event {
                            event: Event::ActivityStarted {
                                task: record.task,
                                worker_name: worker_name.map(str::to_string),
                            },
                            reply: None,
                        },
                    );
                }
                return Ok(Some(ActivityTask {
                    token: task.token,
                    input: task.input,
                }));
            }
            if tokio::time::timeout_at(deadline, ready).await.is_err() {
                return Ok(None);
            }
        }
    }
}
