//! The [`Driver`]: starting, stopping, feeding and resuming Standard
//! executions, and what every actor shares.

use asl::model::StateMachine;
use chrono::{DateTime, TimeZone, Utc};
use engine::{EngineConfig, Event, Execution, ExecutionInfo, Step};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use store::{ExecutionRecord, ExecutionStatus, MachineType, Store, StoreError};
use tokio::sync::{mpsc, oneshot, Notify, Semaphore};
use wasm_host::Host;

use crate::actor::{random_seed, store_status, Actor, Commit, Msg};
use crate::config::DriverConfig;
use crate::error::DriverError;
use crate::machines::{stored_definition, MachineCache};
use crate::snapshot::Snapshot;
use crate::stats::Stats;
use crate::tasks::{classify, TaskService, Work};

/// What a new execution is made of.
#[derive(Debug, Clone)]
pub struct StartRequest {
    /// The ARN the execution is started with.
    pub state_machine_arn: String,
    /// The state machine's name (for `$$.StateMachine.Name` and the ARN).
    pub state_machine_name: String,
    /// The definition to run.
    pub definition: String,
    /// The role ARN (`$$.Execution.RoleArn`).
    pub role_arn: String,
    /// The execution's name.
    pub name: String,
    /// The input as sent (JSON text).
    pub input_text: String,
    /// The input, parsed.
    pub input: Value,
    /// The `traceHeader`, kept.
    pub trace_header: Option<String>,
}

/// Runs executions. Cheap to clone.
#[derive(Clone)]
pub struct Driver {
    pub(crate) shared: Arc<Shared>,
}

/// What the driver's parts share.
pub(crate) struct Shared {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) tasks: Arc<TaskService>,
    pub(crate) config: DriverConfig,
    pub(crate) machines: MachineCache,
    pub(crate) stats: Stats,
    /// Actors of Standard executions with work in flight, by execution ARN.
    actors: Mutex<HashMap<String, mpsc::UnboundedSender<Msg>>>,
    /// Limits task invocations running at once.
    pub(crate) task_slots: Arc<Semaphore>,
    /// Wakes the timer loop when a timer earlier than its sleep is added.
    pub(crate) timer_wake: Notify,
    /// The due time (ms) the timer loop sleeps until.
    pub(crate) timer_sleep_until: AtomicI64,
    /// Wakes GetActivityTask polls when activity tasks are queued.
    pub(crate) activity_ready: Notify,
    /// Task latencies, for metrics.
    pub(crate) task_latency: Mutex<Vec<u64>>,
}

impl Shared {
    pub(crate) fn lock_actors(
        &self,
    ) -> MutexGuard<'_, HashMap<String, mpsc::UnboundedSender<Msg>>> {
        self.actors.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells the timer loop of a new timer.
    pub(crate) fn timer_added(&self, due: DateTime<Utc>) {
        if due.timestamp_millis() < self.timer_sleep_until.load(Ordering::Relaxed) {
            self.timer_wake.notify_one();
        }
    }

    /// Notes how long a task took (microseconds), for the latency histogram.
    pub(crate) fn record_task_latency(&self, started: DateTime<Utc>) {
        let micros = (Utc::now() - started)
            .num_microseconds()
            .unwrap_or(0)
            .max(0) as u64;
        let mut latencies = self
            .task_latency
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if latencies.len() < 100_000 {
            latencies.push(micros);
        }
    }

    /// Hands `msg` to the execution's actor, loading the execution from the
    /// store when it has none. `ExecutionDoesNotExist` if there is no such
    /// execution; a finished one ignores the message.
    pub(crate) fn deliver(self: &Arc<Self>, id: &str, msg: Msg) -> Result<(), DriverError> {
        let mut actors = self.lock_actors();
        let msg = match actors.get(id) {
            Some(tx) => match tx.send(msg) {
                Ok(()) => return Ok(()),
                Err(mpsc::error::SendError(msg)) => {
                    actors.remove(id);
                    msg
                }
            },
            None => msg,
        };
        let Some((actor, rx)) = self.load(id, false)? else {
            if let Msg::Event {
                reply: Some(reply), ..
            } = msg
            {
                let _ = reply.send(Ok(()));
            }
            return Ok(());
        };
        let _ = actor.tx.send(msg);
        actors.insert(id.to_string(), actor.tx.clone());
        drop(actors);
        tokio::spawn(actor.run(rx));
        Ok(())
    }

    /// An actor for a stored execution; `None` if it has finished. With
    /// `rerun`, the module tasks it had handed out run again (after a crash).
    fn load(
        self: &Arc<Self>,
        id: &str,
        rerun: bool,
    ) -> Result<Option<(Actor, mpsc::UnboundedReceiver<Msg>)>, DriverError> {
        let record = self
            .store
            .get_execution(id)?
            .ok_or_else(|| DriverError::ExecutionDoesNotExist(id.to_string()))?;
        if record.status.is_finished() {
            return Ok(None);
        }
        let snapshot = Snapshot::decode(&record.snapshot, id)?;
        let machine = self
            .machines
            .get_stored(&snapshot.definition_key, &*self.store, id)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let rerun_tasks: Vec<_> = if rerun {
            snapshot
                .running
                .iter()
                .filter(|t| matches!(classify(&t.request), Work::Module { .. }))
                .map(|t| t.request.clone())
                .collect()
        } else {
            Vec::new()
        };
        self.stats.active.fetch_add(1, Ordering::Relaxed);
        let mut actor = Actor {
            shared: self.clone(),
            id: id.to_string(),
            machine,
            snapshot,
            commit: Commit::Store(Box::new(record)),
            in_flight: HashMap::new(),
            tx,
        };
        for request in rerun_tasks {
            actor.start_task(request);
        }
        Ok(Some((actor, rx)))
    }

    /// Starts the engine on a new execution (Standard or Express), refusing it
    /// with `Throttled` when too many executions are active; takes the
    /// request's input and counts the start and its first transitions.
    pub(crate) fn begin(
        &self,
        request: &mut StartRequest,
        arn: &str,
        express: bool,
    ) -> Result<(Arc<StateMachine>, Execution, Step), DriverError> {
        let active = self.stats.active.load(Ordering::Relaxed);
        if active as usize >= self.config.max_active_executions {
            return Err(DriverError::Throttled(format!(
                "{active} executions are running tasks; try again later"
            )));
        }
        let machine = self.machines.get(&request.definition)?;
        let now = now_millis();
        let info = ExecutionInfo {
            execution_arn: arn.to_string(),
            name: request.name.clone(),
            state_machine_arn: request.state_machine_arn.clone(),
            state_machine_name: request.state_machine_name.clone(),
            role_arn: request.role_arn.clone(),
            start_time: now,
            input: std::mem::take(&mut request.input),
            redrive_count: 0,
            express,
        };
        let longest = if express {
            self.config.express_max_duration
        } else {
            self.config.standard_max_duration
        };
        let config = EngineConfig {
            record_history: !express,
            max_duration_seconds: Some(longest.as_secs()),
            ..EngineConfig::default()
        };
        let (execution, step) = Execution::start(&machine, info, config, random_seed(), now);
        self.stats.started.fetch_add(1, Ordering::Relaxed);
        self.stats
            .transitions
            .fetch_add(execution.transitions, Ordering::Relaxed);
        Ok((machine, execution, step))
    }

    /// Loads an execution again after its actor failed to commit (a store
    /// error): its tasks run again.
    pub(crate) fn resume_later(self: &Arc<Self>, id: String) {
        let shared = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if let Err(e) = shared.resume(&id) {
                eprintln!("stepwise: cannot resume execution {id}: {e}");
            }
        });
    }

    /// Starts an actor for a stored running execution, re-running its tasks.
    fn resume(self: &Arc<Self>, id: &str) -> Result<(), DriverError> {
        let mut actors = self.lock_actors();
        if actors.contains_key(id) {
            return Ok(());
        }
        if let Some((actor, rx)) = self.load(id, true)? {
            actors.insert(id.to_string(), actor.tx.clone());
            drop(actors);
            tokio::spawn(actor.run(rx));
        }
        Ok(())
    }
}

impl Driver {
    /// A driver on `store`, running modules on `host`. Call it inside a tokio
    /// runtime: it starts the timer and retention loops, and resumes every
    /// execution the store has as running (after a restart or a crash).
    pub fn open(
        store: Arc<dyn Store>,
        host: Host,
        config: DriverConfig,
    ) -> Result<Driver, DriverError> {
        let tasks = Arc::new(TaskService::new(
            host,
            store.clone(),
            config.module_options,
            config.print_task_logs,
        ));
        let shared = Arc::new(Shared {
            store,
            tasks,
            machines: MachineCache::default(),
            stats: Stats::default(),
            actors: Mutex::new(HashMap::new()),
            task_slots: Arc::new(Semaphore::new(config.max_running_tasks.max(1))),
            timer_wake: Notify::new(),
            timer_sleep_until: AtomicI64::new(i64::MAX),
            activity_ready: Notify::new(),
            task_latency: Mutex::new(Vec::new()),
            config,
        });
        let driver = Driver { shared };
        driver.resume_all()?;
        driver.resume_express()?;
        tokio::spawn(crate::timers::timer_loop(driver.shared.clone()));
        tokio::spawn(crate::timers::retention_loop(driver.shared.clone()));
        Ok(driver)
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.shared.store
    }

    /// The task service (modules on the WASM host).
    pub fn tasks(&self) -> &TaskService {
        &self.shared.tasks
    }

    /// The driver's settings.
    pub fn config(&self) -> &DriverConfig {
        &self.shared.config
    }

    /// What the driver has done.
    pub fn stats(&self) -> &Stats {
        &self.shared.stats
    }

    /// Task latencies recorded since the last call, in microseconds.
    pub fn take_task_latencies(&self) -> Vec<u64> {
        std::mem::take(
            &mut *self
                .shared
                .task_latency
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Resumes every running execution in the store, re-running the tasks
    /// they had handed out.
    fn resume_all(&self) -> Result<(), DriverError> {
        let mut after: Option<String> = None;
        loop {
            let ids = self
                .shared
                .store
                .running_executions(after.as_deref(), 1000)?;
            let Some(last) = ids.last().cloned() else {
                return Ok(());
            };
            for id in ids {
                let record = self.shared.store.get_execution(&id)?;
                let has_tasks = match record {
                    Some(record) if !record.status.is_finished() => {
                        let snapshot = Snapshot::decode(&record.snapshot, &id)?;
                        snapshot
                            .running
                            .iter()
                            .any(|t| matches!(classify(&t.request), Work::Module { .. }))
                    }
                    _ => false,
                };
                if has_tasks {
                    self.shared.resume(&id)?;
                }
            }
            after = Some(last);
        }
    }

    /// The ARN of execution `name` of state machine `machine_name`.
    pub fn execution_arn(&self, machine_name: &str, name: &str) -> String {
        format!(
            "arn:aws:states:{}:{}:execution:{machine_name}:{name}",
            self.shared.config.region, self.shared.config.account
        )
    }

    /// Starts a Standard execution; returns once its start is durable. The
    /// same name and input as a running execution return that execution (AWS's
    /// idempotency); otherwise a used name is `ExecutionAlreadyExists`.
    pub async fn start(&self, mut request: StartRequest) -> Result<ExecutionRecord, DriverError> {
        let shared = &self.shared;
        let arn = self.execution_arn(&request.state_machine_name, &request.name);
        if let Some(existing) = shared.store.get_execution(&arn)? {
            return idempotent(existing, &request.input_text, &arn);
        }
        let (machine, execution, step) = shared.begin(&mut request, &arn, false)?;
        let definition_key = shared
            .machines
            .stored_key(&request.definition, &*shared.store)?;
        let now = execution.info.start_time;
        let record = ExecutionRecord {
            id: arn.clone(),
            arn: arn.clone(),
            state_machine_arn: request.state_machine_arn,
            name: request.name,
            kind: MachineType::Standard,
            status: store_status(execution.status),
            input: request.input_text,
            start_ms: now.timestamp_millis(),
            trace_header: request.trace_header,
            ..ExecutionRecord::default()
        };
        shared.stats.active.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        let actor = Actor {
            shared: shared.clone(),
            id: arn.clone(),
            machine,
            snapshot: Snapshot {
                definition_key,
                execution,
                running: Vec::new(),
            },
            commit: Commit::Store(Box::new(record)),
            in_flight: HashMap::new(),
            tx,
        };
        // The actor is registered before its first commit: a timer of that
        // step can be seen in the store (and fired) before the commit returns,
        // and its event must queue here rather than load a half-started
        // execution.
        {
            let mut actors = shared.lock_actors();
            if actors.contains_key(&arn) {
                drop(actors);
                shared.stats.active.fetch_sub(1, Ordering::Relaxed);
                let existing = shared
                    .store
                    .get_execution(&arn)?
                    .ok_or_else(|| DriverError::ExecutionDoesNotExist(arn.clone()))?;
                return idempotent(existing, &actor.record().input, &arn);
            }
            actors.insert(arn.clone(), actor.tx.clone());
        }
        // The first commit and then the actor's run go on in a task of their
        // own: the caller may be dropped while the commit waits for the disk
        // (its client disconnected), and by then the execution exists and
        // its timers may already be queued in this actor's channel.
        let (done, outcome) = oneshot::channel();
        tokio::spawn(first_step(actor, rx, step, done));
        outcome.await.map_err(|_| {
            DriverError::Internal("the execution ended before its start was recorded".into())
        })?
    }

    /// StopExecution: aborts a running execution with `error` and `cause`;
    /// returns the record once the stop is durable.
    pub async fn stop(
        &self,
        arn: &str,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<ExecutionRecord, DriverError> {
        self.send_event(arn, Event::Stop { error, cause }).await?;
        self.shared
            .store
            .get_execution(arn)?
            .ok_or_else(|| DriverError::ExecutionDoesNotExist(arn.to_string()))
    }

    /// The definition a stored execution runs (DescribeStateMachineForExecution):
    /// the one it started with, whatever updates its machine had since.
    pub fn definition_of(&self, arn: &str) -> Result<String, DriverError> {
        let key = self.definition_key_of(arn)?;
        stored_definition(&key, &*self.shared.store, arn)
    }

    /// The key, in the store's definitions table, of the definition a stored
    /// execution runs.
    pub(crate) fn definition_key_of(&self, arn: &str) -> Result<String, DriverError> {
        let record = self
            .shared
            .store
            .get_execution(arn)?
            .ok_or_else(|| DriverError::ExecutionDoesNotExist(arn.to_string()))?;
        Ok(Snapshot::decode(&record.snapshot, arn)?.definition_key)
    }

    /// Feeds `event` to a stored execution and waits until its transition is
    /// durable.
    pub(crate) async fn send_event(&self, id: &str, event: Event) -> Result<(), DriverError> {
        let (reply, done) = oneshot::channel();
        self.shared.deliver(
            id,
            Msg::Event {
                event,
                reply: Some(reply),
            },
        )?;
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(DriverError::Internal(e)),
            Err(_) => Err(DriverError::Internal(
                "the execution stopped before the event was recorded".into(),
            )),
        }
    }
}

/// Commits a new Standard execution's first step, tells `done` the outcome,
/// then runs the execution's actor if it has not finished.
async fn first_step(
    mut actor: Actor,
    rx: mpsc::UnboundedReceiver<Msg>,
    step: Step,
    done: oneshot::Sender<Result<ExecutionRecord, DriverError>>,
) {
    let shared = actor.shared.clone();
    let forget = |actor: &Actor| {
        let mut actors = shared.lock_actors();
        if actors
            .get(&actor.id)
            .is_some_and(|t| t.same_channel(&actor.tx))
        {
            actors.remove(&actor.id);
        }
        shared.stats.active.fetch_sub(1, Ordering::Relaxed);
    };
    // The first step is committed like any other, from seq 0 onto no
    // record: the store creates the execution with it in one write.
    let effects = match actor.commit_step(step, &[]).await {
        Ok(effects) => effects,
        Err(e) => {
            forget(&actor);
            let outcome = match e {
                DriverError::Store(StoreError::Conflict { .. }) => shared
                    .store
                    .get_execution(&actor.id)
                    .map_err(DriverError::from)
                    .and_then(|existing| {
                        let existing = existing
                            .ok_or_else(|| DriverError::ExecutionDoesNotExist(actor.id.clone()))?;
                        idempotent(existing, &actor.record().input, &actor.id)
                    }),
                e => Err(e),
            };
            let _ = done.send(outcome);
            return;
        }
    };
    let _ = done.send(Ok(actor.record().clone()));
    if actor.snapshot.execution.is_finished() {
        forget(&actor);
        shared.stats.finished(actor.snapshot.execution.status);
        return;
    }
    actor.perform(effects);
    actor.run(rx).await;
}

/// StartExecution with a name already used: the same execution if it runs
/// with the same input, else `ExecutionAlreadyExists`.
fn idempotent(
    existing: ExecutionRecord,
    input: &str,
    arn: &str,
) -> Result<ExecutionRecord, DriverError> {
    if existing.status == ExecutionStatus::Running && existing.input == input {
        Ok(existing)
    } else {
        Err(DriverError::ExecutionAlreadyExists(arn.to_string()))
    }
}

/// Now, to the millisecond (what the store keeps).
fn now_millis() -> DateTime<Utc> {
    let ms = Utc::now().timestamp_millis();
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(Utc::now)
}
