//! One execution's event loop, shared by Standard and Express executions.
//!
//! The actor owns the engine's `Execution` while the execution has work in
//! flight. It takes every message queued for it, feeds them to the engine,
//! commits the result (Standard: one durable store transition; Express:
//! nothing), answers the callers waiting for that commit, and only then
//! performs the effects: tasks on blocking threads, timers, activity wake-ups.
//! A Standard actor with no task in flight leaves; the next event loads the
//! execution from the store again.

use asl::errors::{Failure, TASK_FAILED};
use asl::model::StateMachine;
use chrono::{DateTime, Utc};
use engine::event::{TaskId, TimerId};
use engine::{Effect, Event, Status, Step, TaskRequest};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use store::{
    ActivityTaskRecord, ExecutionRecord, ExecutionStatus, TaskTokenRecord, TimerRecord, Transition,
};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use wasm_host::CancelToken;

use crate::error::DriverError;
use crate::express::ExpressOutcome;
use crate::snapshot::{RunningTask, Snapshot};
use crate::standard::Shared;
use crate::tasks::{classify, Work};

/// Most messages folded into one commit.
const MAX_BATCH: usize = 256;

/// What reaches an actor.
pub(crate) enum Msg {
    /// An event from outside (a timer, a task token, a stop); `reply` is told
    /// once its transition is durable.
    Event {
        event: Event,
        reply: Option<oneshot::Sender<Result<(), String>>>,
    },
    /// A module task ended. `token_wait`: the task waits for its token, so a
    /// success only means the module was called.
    TaskDone {
        task: TaskId,
        started: DateTime<Utc>,
        outcome: Result<Value, Failure>,
        token_wait: bool,
    },
}

/// Where an actor's transitions go.
pub(crate) enum Commit {
    /// A Standard execution: its current record in the store.
    Store(Box<ExecutionRecord>),
    /// An Express execution: kept in memory, reported to `done` at the end.
    Memory {
        done: Option<oneshot::Sender<ExpressOutcome>>,
        timers: HashMap<TimerId, JoinHandle<()>>,
    },
}

/// An execution being run.
pub(crate) struct Actor {
    pub(crate) shared: Arc<Shared>,
    /// The execution ARN.
    pub(crate) id: String,
    pub(crate) machine: Arc<StateMachine>,
    pub(crate) snapshot: Snapshot,
    pub(crate) commit: Commit,
    /// Module tasks running now, to cancel when no longer wanted.
    pub(crate) in_flight: HashMap<TaskId, CancelToken>,
    /// This actor's own channel, for task outcomes and timers.
    pub(crate) tx: mpsc::UnboundedSender<Msg>,
}

impl Actor {
    /// Runs until the execution ends or (Standard) has nothing in flight.
    pub(crate) async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Msg>) {
        loop {
            let first = match rx.try_recv() {
                Ok(msg) => msg,
                Err(_) => {
                    if self.in_flight.is_empty() && matches!(self.commit, Commit::Store(_)) {
                        let mut actors = self.shared.lock_actors();
                        if rx.is_empty() {
                            actors.remove(&self.id);
                            self.shared.stats.active.fetch_sub(1, Ordering::Relaxed);
                            return;
                        }
                        continue;
                    }
                    match rx.recv().await {
                        Some(msg) => msg,
                        None => return,
                    }
                }
            };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(msg) => batch.push(msg),
                    Err(_) => break,
                }
            }
            let (step, fired, replies) = self.apply(batch);
            let committed = self.commit(&step, &fired).await.map(|()| step.effects);
            let error = committed.as_ref().err().map(ToString::to_string);
            for reply in replies {
                let _ = reply.send(match &error {
                    None => Ok(()),
                    Some(e) => Err(e.clone()),
                });
            }
            let effects = match committed {
                Ok(effects) => effects,
                Err(e) => {
                    // The stored execution is the truth: forget this copy; it
                    // is loaded again (its tasks re-run) a moment later.
                    eprintln!("stepwise: execution {}: {e}", self.id);
                    self.leave();
                    self.shared.resume_later(self.id.clone());
                    return;
                }
            };
            self.perform(effects);
            if self.snapshot.execution.is_finished() {
                self.finish();
                return;
            }
        }
    }

    /// Feeds a batch of messages to the engine: one merged step, the timers
    /// that fired, and who waits for the commit.
    #[allow(clippy::type_complexity)]
    fn apply(
        &mut self,
        batch: Vec<Msg>,
    ) -> (Step, Vec<TimerId>, Vec<oneshot::Sender<Result<(), String>>>) {
        let mut step = Step::default();
        let mut fired = Vec::new();
        let mut replies = Vec::new();
        let execution = &mut self.snapshot.execution;
        let transitions_before = execution.transitions;
        let machine = &self.machine;
        let mut feed = |event: Event, at: DateTime<Utc>, step: &mut Step| {
            let next = execution.handle(machine, event, at);
            step.events.extend(next.events);
            step.effects.extend(next.effects);
        };
        for msg in batch {
            match msg {
                Msg::Event { event, reply } => {
                    if let Event::TimerFired { timer } = event {
                        fired.push(timer);
                    }
                    feed(event, Utc::now(), &mut step);
                    replies.extend(reply);
                }
                Msg::TaskDone {
                    task,
                    started,
                    outcome,
                    token_wait,
                } => {
                    self.in_flight.remove(&task);
                    feed(Event::TaskStarted { task }, started, &mut step);
                    match outcome {
                        Ok(_) if token_wait => {}
                        Ok(output) => {
                            feed(Event::TaskSucceeded { task, output }, Utc::now(), &mut step)
                        }
                        Err(f) => feed(
                            Event::TaskFailed {
                                task,
                                error: f.error,
                                cause: f.cause,
                            },
                            Utc::now(),
                            &mut step,
                        ),
                    }
                }
            }
        }
        let made = self.snapshot.execution.transitions - transitions_before;
        self.shared
            .stats
            .transitions
            .fetch_add(made, Ordering::Relaxed);
        (step, fired, replies)
    }

    /// The current record of a Standard execution (an Express one has none:
    /// an empty record).
    pub(crate) fn record(&self) -> &ExecutionRecord {
        match &self.commit {
            Commit::Store(record) => record,
            Commit::Memory { .. } => &EMPTY_RECORD,
        }
    }

    /// Commits `step` and gives back its effects to perform.
    pub(crate) async fn commit_step(
        &mut self,
        step: Step,
        fired: &[TimerId],
    ) -> Result<Vec<Effect>, DriverError> {
        self.commit(&step, fired).await?;
        Ok(step.effects)
    }

    /// Records the step: tasks handed out and answered, and (Standard) the
    /// durable store transition.
    async fn commit(&mut self, step: &Step, fired: &[TimerId]) -> Result<(), DriverError> {
        let execution = &self.snapshot.execution;
        let mut add_tokens = Vec::new();
        let mut add_activity_tasks = Vec::new();
        for effect in &step.effects {
            if let Effect::RunTask(request) = effect {
                let activity = match classify(request) {
                    Work::Activity { arn } => Some(arn.to_string()),
                    _ => None,
                };
                let token = request
                    .token
                    .clone()
                    .or_else(|| activity.as_ref().map(|_| new_token()));
                if let Some(token) = &token {
                    add_tokens.push(TaskTokenRecord {
                        token: token.clone(),
                        execution_id: self.id.clone(),
                        task: request.id,
                        state_name: request.state_name.clone(),
                        created_ms: Utc::now().timestamp_millis(),
                    });
                    if let Some(arn) = activity {
                        add_activity_tasks.push(ActivityTaskRecord {
                            activity_arn: arn,
                            token: token.clone(),
                            input: request.input.to_string(),
                        });
                    }
                }
                self.snapshot.running.push(RunningTask {
                    request: request.clone(),
                    token,
                });
            }
        }
        let mut remove_tokens = Vec::new();
        self.snapshot.running.retain(|task| {
            let waiting = execution.waits_for_task(task.request.id);
            if !waiting {
                remove_tokens.extend(task.token.clone());
            }
            waiting
        });
        let Commit::Store(record) = &mut self.commit else {
            return Ok(());
        };
        let mut add_timers = Vec::new();
        let mut remove_timers = fired.to_vec();
        for effect in &step.effects {
            match effect {
                Effect::StartTimer { id, due } => add_timers.push(TimerRecord {
                    due_ms: due.timestamp_millis(),
                    execution_id: self.id.clone(),
                    timer: *id,
                }),
                Effect::CancelTimer { id } => remove_timers.push(*id),
                _ => {}
            }
        }
        let mut events = Vec::with_capacity(step.events.len());
        for event in &step.events {
            events.push(serde_json::to_string(event).map_err(|e| {
                DriverError::Internal(format!("cannot encode a history event: {e}"))
            })?);
        }
        let expected_seq = record.seq;
        let mut next = (**record).clone();
        update_record(&mut next, &self.snapshot)?;
        next.seq = expected_seq + events.len() as u64;
        let transition = Transition {
            execution: next.clone(),
            expected_seq,
            events,
            add_timers,
            remove_timers,
            add_tokens,
            remove_tokens,
            add_activity_tasks: add_activity_tasks.clone(),
        };
        let ticket = self.shared.store.apply(transition)?;
        ticket.await?;
        **record = next;
        if !add_activity_tasks.is_empty() {
            self.shared.activity_ready.notify_waiters();
        }
        Ok(())
    }

    /// Performs a committed step's effects.
    pub(crate) fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::RunTask(request) => self.start_task(request),
                Effect::CancelTask { id } => {
                    if let Some(cancel) = self.in_flight.remove(&id) {
                        cancel.cancel();
                    }
                }
                Effect::StartTimer { id, due } => self.start_timer(id, due),
                Effect::CancelTimer { id } => {
                    if let Commit::Memory { timers, .. } = &mut self.commit {
                        if let Some(timer) = timers.remove(&id) {
                            timer.abort();
                        }
                    }
                }
                Effect::Yield => {
                    let _ = self.tx.send(Msg::Event {
                        event: Event::Resume,
                        reply: None,
                    });
                }
                Effect::Finished { .. } => {}
            }
        }
    }

    /// Runs a task the engine asked for (modules on a blocking thread).
    pub(crate) fn start_task(&mut self, request: TaskRequest) {
        let token_wait = request.token.is_some();
        let express = matches!(self.commit, Commit::Memory { .. });
        let module = match classify(&request) {
            Work::Module { .. } if !(express && token_wait) => true,
            Work::Module { .. } | Work::Activity { .. } | Work::TokenOnly if express => {
                // Nothing outside could answer: fail now rather than at the deadline.
                let why = format!(
                    "State '{}' waits for a task token or an activity worker, which an Express execution cannot do",
                    request.state_name
                );
                let _ = self.tx.send(Msg::TaskDone {
                    task: request.id,
                    started: Utc::now(),
                    outcome: Err(Failure::new(TASK_FAILED, why)),
                    token_wait: false,
                });
                return;
            }
            Work::Module { .. } | Work::Activity { .. } | Work::TokenOnly => false,
            Work::Unsupported(why) => {
                let _ = self.tx.send(Msg::TaskDone {
                    task: request.id,
                    started: Utc::now(),
                    outcome: Err(Failure::new(TASK_FAILED, why)),
                    token_wait: false,
                });
                return;
            }
        };
        if !module {
            return;
        }
        let cancel = CancelToken::new();
        self.in_flight.insert(request.id, cancel.clone());
        let shared = self.shared.clone();
        let tx = self.tx.clone();
        let name = self.snapshot.execution.info.name.clone();
        shared.stats.tasks_queued.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            let permit = shared.task_slots.clone().acquire_owned().await;
            let started = Utc::now();
            let task = request.id;
            let service = shared.tasks.clone();
            let outcome = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                service.run(&request, &name, Some(cancel))
            })
            .await
            .unwrap_or_else(|e| {
                Err(Failure::new(
                    TASK_FAILED,
                    format!("the task's thread ended abnormally: {e}"),
                ))
            });
            shared.stats.tasks_queued.fetch_sub(1, Ordering::Relaxed);
            shared.record_task_latency(started);
            let _ = tx.send(Msg::TaskDone {
                task,
                started,
                outcome,
                token_wait,
            });
        });
    }

    /// Standard timers live in the store (the timer loop fires them); Express
    /// ones are sleeps on the runtime.
    fn start_timer(&mut self, id: TimerId, due: DateTime<Utc>) {
        match &mut self.commit {
            Commit::Store(_) => self.shared.timer_added(due),
            Commit::Memory { timers, .. } => {
                let tx = self.tx.clone();
                let wait = (due - Utc::now()).to_std().unwrap_or_default();
                let timer = tokio::spawn(async move {
                    tokio::time::sleep(wait).await;
                    let _ = tx.send(Msg::Event {
                        event: Event::TimerFired { timer: id },
                        reply: None,
                    });
                });
                timers.insert(id, timer);
            }
        }
    }

    /// The execution ended: count it, tell an Express caller, leave.
    fn finish(mut self) {
        self.shared.stats.finished(self.snapshot.execution.status);
        for cancel in self.in_flight.values() {
            cancel.cancel();
        }
        if let Commit::Memory { done, timers } = &mut self.commit {
            for timer in timers.values() {
                timer.abort();
            }
            if let Some(done) = done.take() {
                let _ = done.send(ExpressOutcome::of(&self.snapshot.execution));
            }
        }
        self.leave();
    }

    /// Removes this actor from the table of running ones.
    fn leave(&self) {
        if let Commit::Store(_) = self.commit {
            self.shared.lock_actors().remove(&self.id);
        }
        self.shared.stats.active.fetch_sub(1, Ordering::Relaxed);
    }
}

static EMPTY_RECORD: std::sync::LazyLock<ExecutionRecord> =
    std::sync::LazyLock::new(ExecutionRecord::default);

/// Copies the execution's state into its record.
pub(crate) fn update_record(
    record: &mut ExecutionRecord,
    snapshot: &Snapshot,
) -> Result<(), DriverError> {
    let execution = &snapshot.execution;
    record.status = store_status(execution.status);
    record.output = execution.output.as_ref().map(Value::to_string);
    record.error = execution.error.clone();
    record.cause = execution.cause.clone();
    record.stop_ms = execution.stop_time.map(|t| t.timestamp_millis());
    record.snapshot = snapshot.encode()?;
    Ok(())
}

/// The store's name for an engine status.
pub(crate) fn store_status(status: Status) -> ExecutionStatus {
    match status {
        Status::Running => ExecutionStatus::Running,
        Status::Succeeded => ExecutionStatus::Succeeded,
        Status::Failed => ExecutionStatus::Failed,
        Status::TimedOut => ExecutionStatus::TimedOut,
        Status::Aborted => ExecutionStatus::Aborted,
    }
}

/// A fresh task token: 256 random bits as hex, the engine's format.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        bytes[..8].copy_from_slice(&nanos.to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random 64-bit seed for an execution's randomness.
pub(crate) fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64;
    }
    u64::from_le_bytes(bytes)
}
