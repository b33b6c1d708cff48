//! The execution: its serializable state, the public API and the scheduler.

use crate::config::EngineConfig;
pub use crate::context::ExecutionInfo;
use crate::context::{Scope, StateContext};
use crate::effect::Effect;
use crate::event::{Event, TaskId, TimerId};
use crate::history::{EventType, HistoryEvent};
use crate::thread::{ParentLink, Phase, Thread, ThreadId};
use asl::errors::Failure;
use asl::model::{StateKind, StateMachine, ROOT_MACHINE};
use asl::random::SplitMix64;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, VecDeque};

/// An execution's status, as DescribeExecution reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Still running.
    Running,
    /// Ended with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// Ran past its TimeoutSeconds.
    TimedOut,
    /// Stopped by StopExecution.
    Aborted,
}

impl Status {
    /// AWS's spelling (`SUCCEEDED`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// What one call to the engine produced.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Step {
    /// History events to append, in order.
    pub events: Vec<HistoryEvent>,
    /// Effects to perform, in order.
    pub effects: Vec<Effect>,
}

/// Why a timer was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum TimerPurpose {
    Wait(ThreadId),
    Backoff(ThreadId),
    TaskTimeout(ThreadId),
    Heartbeat(ThreadId),
    ExecutionTimeout,
}

/// An execution of a state machine.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Execution {
    /// What the execution knows about itself.
    pub info: ExecutionInfo,
    /// How it runs.
    pub config: EngineConfig,
    /// Its status.
    pub status: Status,
    /// The output, once succeeded.
    pub output: Option<Value>,
    /// The error, once failed, timed out or aborted.
    pub error: Option<String>,
    /// The cause, once failed, timed out or aborted.
    pub cause: Option<String>,
    /// When it ended.
    pub stop_time: Option<DateTime<Utc>>,
    pub(crate) threads: Vec<Option<Thread>>,
    pub(crate) free_threads: Vec<ThreadId>,
    pub(crate) ready: VecDeque<ThreadId>,
    pub(crate) tasks: BTreeMap<TaskId, ThreadId>,
    pub(crate) timers: BTreeMap<TimerId, TimerPurpose>,
    pub(crate) next_id: u64,
    pub(crate) events_written: u64,
    pub(crate) rng: SplitMix64,
    /// Transitions made so far (states entered).
    pub transitions: u64,
    /// JSON bytes held by workflow variables across all threads.
    #[serde(default)]
    pub(crate) variable_bytes: usize,
    #[serde(skip)]
    pub(crate) now: DateTime<Utc>,
    #[serde(skip)]
    pub(crate) out: Step,
    #[serde(skip)]
    pub(crate) budget: u64,
}

/// What advancing a thread one state led to.
pub(crate) enum Flow {
    /// The thread moved on; keep going.
    Continue,
    /// The thread waits for an event, or has ended.
    Stop,
}

impl Execution {
    /// Starts an execution of `machine` with `info.input`. `seed` feeds every random
    /// choice (UUIDs, MathRandom, jitter, task tokens); `now` is the start time.
    pub fn start(
        machine: &StateMachine,
        info: ExecutionInfo,
        config: EngineConfig,
        seed: u64,
        now: DateTime<Utc>,
    ) -> (Execution, Step) {
        let input = info.input.clone();
        let mut exec = Execution {
            info,
            config,
            status: Status::Running,
            output: None,
            error: None,
            cause: None,
            stop_time: None,
            threads: Vec::new(),
            free_threads: Vec::new(),
            ready: VecDeque::new(),
            tasks: BTreeMap::new(),
            timers: BTreeMap::new(),
            next_id: 1,
            events_written: 0,
            rng: SplitMix64::new(seed),
            transitions: 0,
            variable_bytes: 0,
            now,
            out: Step::default(),
            budget: config.max_steps_per_call,
        };
        let started = exec.record(
            0,
            EventType::ExecutionStarted,
            Some(json!({
                "input": exec.data_text(&input),
                "inputDetails": {"truncated": false},
                "roleArn": exec.info.role_arn,
            })),
        );
        let timeout = match (machine.timeout_seconds, config.max_duration_seconds) {
            (Some(own), Some(cap)) => Some(own.min(cap)),
            (own, cap) => own.or(cap),
        };
        if let Some(timeout) = timeout {
            exec.new_timer(TimerPurpose::ExecutionTimeout, timeout as f64);
        }
        let input_bound = asl::size::json_len_capped(&input, usize::MAX);
        let root = exec.spawn(
            ROOT_MACHINE,
            machine.machine(ROOT_MACHINE).start_at,
            input,
            input_bound,
            None,
            started,
        );
        exec.ready.push_back(root);
        exec.drive(machine);
        let step = std::mem::take(&mut exec.out);
        (exec, step)
    }

    /// Feeds one event at time `now` and runs until every thread waits again.
    /// Events for tasks or timers the execution no longer waits for are ignored.
    pub fn handle(&mut self, machine: &StateMachine, event: Event, now: DateTime<Utc>) -> Step {
        self.now = now;
        self.budget = self.config.max_steps_per_call;
        if self.status == Status::Running {
            self.apply(machine, event);
            self.drive(machine);
        }
        std::mem::take(&mut self.out)
    }

    /// DescribeExecution's fields: `executionArn`, `status`, `startDate`,
    /// `stopDate`, `input` and `output` as JSON text, `error`, `cause`.
    pub fn describe(&self) -> Value {
        let mut out = json!({
            "executionArn": self.info.execution_arn,
            "stateMachineArn": self.info.state_machine_arn,
            "name": self.info.name,
            "status": self.status.as_str(),
            "startDate": asl::timestamp::format_millis(self.info.start_time),
            "input": self.info.input.to_string(),
        });
        if let Some(stop) = self.stop_time {
            out["stopDate"] = json!(asl::timestamp::format_millis(stop));
        }
        if let Some(output) = &self.output {
            out["output"] = json!(output.to_string());
        }
        if let Some(error) = &self.error {
            out["error"] = json!(error);
        }
        if let Some(cause) = &self.cause {
            out["cause"] = json!(cause);
        }
        out
    }

    /// True once the execution ended.
    pub fn is_finished(&self) -> bool {
        self.status != Status::Running
    }

    /// How many timers the execution waits for (the caller keeps their due
    /// times); useful to check that nothing leaks.
    pub fn pending_timers(&self) -> usize {
        self.timers.len()
    }

    /// How many tasks the execution waits for.
    pub fn pending_tasks(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the execution still waits for the outcome of `task`.
    pub fn waits_for_task(&self, task: TaskId) -> bool {
        self.tasks.contains_key(&task)
    }

    fn apply(&mut self, machine: &StateMachine, event: Event) {
        match event {
            Event::Resume => {}
            Event::Stop { error, cause } => {
                self.finish(Status::Aborted, None, error, cause);
            }
            Event::TimerFired { timer } => {
                let Some(purpose) = self.timers.remove(&timer) else {
                    return;
                };
                match purpose {
                    TimerPurpose::ExecutionTimeout => {
                        self.finish(
                            Status::TimedOut,
                            None,
                            Some(asl::errors::TIMEOUT.to_string()),
                            Some("The execution timed out.".to_string()),
                        );
                    }
                    TimerPurpose::Wait(tid) => self.wake_sleeper(tid),
                    TimerPurpose::Backoff(tid) => {
                        if let Some(thread) = self.thread_mut(tid) {
                            thread.phase = Phase::Retry;
                            self.ready.push_back(tid);
                        }
                    }
                    TimerPurpose::TaskTimeout(tid) => self.task_timed_out(machine, tid, false),
                    TimerPurpose::Heartbeat(tid) => self.task_timed_out(machine, tid, true),
                }
            }
            other => self.task_event(machine, other),
        }
    }

    /// Runs ready threads until all wait, the execution ends, or the budget is spent.
    pub(crate) fn drive(&mut self, machine: &StateMachine) {
        while self.status == Status::Running {
            let Some(tid) = self.ready.pop_front() else {
                break;
            };
            loop {
                if self.status != Status::Running {
                    break;
                }
                if self.budget == 0 {
                    self.ready.push_front(tid);
                    self.out.effects.push(Effect::Yield);
                    return;
                }
                match self.advance(machine, tid) {
                    Flow::Continue => continue,
                    Flow::Stop => break,
                }
            }
        }
    }

    /// Advances one thread by one step of its phase.
    fn advance(&mut self, machine: &StateMachine, tid: ThreadId) -> Flow {
        let Some(thread) = self.thread_mut(tid) else {
            return Flow::Stop;
        };
        let phase = std::mem::replace(&mut thread.phase, Phase::Enter);
        let (m, s) = (thread.machine, thread.state);
        let state = machine.state(m, s);
        let outcome = match phase {
            Phase::Enter => {
                self.budget = self.budget.saturating_sub(1);
                self.transitions += 1;
                self.enter(state, tid);
                self.run_state(machine, tid)
            }
            Phase::Retry => {
                if let Some(t) = self.thread_mut(tid) {
                    t.retry_count += 1;
                }
                self.run_state(machine, tid)
            }
            Phase::Completed(result) => self.complete_state(machine, tid, result),
            Phase::Failed(failure) => return self.handle_failure(machine, tid, failure),
            waiting => {
                if let Some(t) = self.thread_mut(tid) {
                    t.phase = waiting;
                }
                return Flow::Stop;
            }
        };
        match outcome {
            Ok(flow) => flow,
            Err(failure) => {
                let failure = self.locate(tid, state.name.as_str(), failure);
                self.handle_failure(machine, tid, failure)
            }
        }
    }

    /// Runs the kind-specific work of the thread's current state.
    fn run_state(&mut self, machine: &StateMachine, tid: ThreadId) -> Result<Flow, Failure> {
        let (m, s) = {
            let t = self.thread(tid);
            (t.machine, t.state)
        };
        let state = machine.state(m, s);
        match &state.kind {
            StateKind::Pass { result } => self.run_pass(machine, tid, state, result.as_ref()),
            StateKind::Task(spec) => self.run_task(tid, state, spec),
            StateKind::Choice(spec) => self.run_choice(machine, tid, state, spec),
            StateKind::Wait(spec) => self.run_wait(tid, state, spec),
            StateKind::Succeed => self.run_succeed(machine, tid, state),
            StateKind::Fail(spec) => self.run_fail(machine, tid, state, spec),
            StateKind::Parallel { branches } => self.run_parallel(machine, tid, state, branches),
            StateKind::Map(spec) => self.run_map(machine, tid, state, spec),
        }
    }

    /// Records the `...StateEntered` event and resets the per-state counters.
    fn enter(&mut self, state: &asl::model::State, tid: ThreadId) {
        let input_text = if self.config.record_history {
            let thread = self.thread_mut_expect(tid);
            match thread.input_text.take() {
                Some(text) => Some(text),
                None => Some(self.data_text(&self.thread(tid).input)),
            }
        } else {
            None
        };
        let event_type = entered_type(&state.kind);
        let details = input_text.map(|input| {
            json!({"name": state.name, "input": input, "inputDetails": {"truncated": false}})
        });
        let id = self.record(tid, event_type, details);
        let now = self.now;
        let thread = self.thread_mut_expect(tid);
        thread.entered_event = id;
        thread.entered_time = now;
        thread.retries_used.clear();
        thread.retry_count = 0;
    }

    /// Adds AWS's location prefix to failures of a state's own field processing.
    pub(crate) fn locate(&self, tid: ThreadId, state_name: &str, failure: Failure) -> Failure {
        if !failure.is_processing_error() {
            return failure;
        }
        let entered = self.thread_opt(tid).map(|t| t.entered_event).unwrap_or(0);
        Failure::new(
            failure.error,
            format!(
                "An error occurred while executing the state '{state_name}' (entered at the event id #{entered}). {}",
                failure.cause
            ),
        )
    }

    // ----- threads -----

    pub(crate) fn spawn(
        &mut self,
        machine: usize,
        state: usize,
        input: Value,
        input_bound: usize,
        parent: Option<ParentLink>,
        last_event: u64,
    ) -> ThreadId {
        let thread = Thread {
            machine,
            state,
            input,
            input_text: None,
            input_bound,
            phase: Phase::Enter,
            parent,
            last_event,
            entered_event: 0,
            entered_time: self.now,
            retries_used: Vec::new(),
            retry_count: 0,
            variables: serde_json::Map::new(),
            variable_bytes: 0,
        };
        match self.free_threads.pop() {
            Some(id) => {
                self.threads[id] = Some(thread);
                id
            }
            None => {
                self.threads.push(Some(thread));
                self.threads.len() - 1
            }
        }
    }

    pub(crate) fn remove_thread(&mut self, tid: ThreadId) -> Option<Thread> {
        let thread = self.threads.get_mut(tid)?.take()?;
        self.free_threads.push(tid);
        self.variable_bytes = self.variable_bytes.saturating_sub(thread.variable_bytes);
        Some(thread)
    }

    pub(crate) fn thread(&self, tid: ThreadId) -> &Thread {
        self.thread_opt(tid).expect("thread exists while it runs")
    }

    pub(crate) fn thread_opt(&self, tid: ThreadId) -> Option<&Thread> {
        self.threads.get(tid).and_then(Option::as_ref)
    }

    pub(crate) fn thread_mut(&mut self, tid: ThreadId) -> Option<&mut Thread> {
        self.threads.get_mut(tid).and_then(Option::as_mut)
    }

    pub(crate) fn thread_mut_expect(&mut self, tid: ThreadId) -> &mut Thread {
        self.thread_mut(tid).expect("thread exists while it runs")
    }

    /// The scope a thread's current state evaluates paths in, over `input`.
    pub(crate) fn scope<'a>(
        &'a self,
        tid: ThreadId,
        state: &'a asl::model::State,
        input: &'a Value,
        task_token: Option<&'a str>,
        map_item: Option<(usize, &'a Value)>,
    ) -> Scope<'a> {
        let thread = self.thread(tid);
        Scope {
            input,
            execution: &self.info,
            variables: crate::context::Variables {
                threads: &self.threads,
                thread: tid,
            },
            state: StateContext {
                name: &state.name,
                entered_time: thread.entered_time,
                retry_count: matches!(
                    state.kind,
                    StateKind::Task(_) | StateKind::Parallel { .. } | StateKind::Map(_)
                )
                .then_some(thread.retry_count),
                task_token,
                map_item,
            },
        }
    }

    // ----- ids, history, timers -----

    pub(crate) fn new_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Starts a timer due `seconds` from now (rounded to the millisecond).
    pub(crate) fn new_timer(&mut self, purpose: TimerPurpose, seconds: f64) -> TimerId {
        let millis = (seconds.max(0.0) * 1000.0)
            .round()
            .min(i64::MAX as f64 / 2.0) as i64;
        let due = self
            .now
            .checked_add_signed(chrono::Duration::milliseconds(millis))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        self.new_timer_at(purpose, due)
    }

    /// Starts a timer due at `due` (at once when it is past).
    pub(crate) fn new_timer_at(&mut self, purpose: TimerPurpose, due: DateTime<Utc>) -> TimerId {
        let id = self.new_id();
        self.timers.insert(id, purpose);
        self.out.effects.push(Effect::StartTimer {
            id,
            due: due.max(self.now),
        });
        id
    }

    pub(crate) fn cancel_timer(&mut self, id: TimerId) {
        if self.timers.remove(&id).is_some() {
            self.out.effects.push(Effect::CancelTimer { id });
        }
    }

    /// JSON text of a value for a history event.
    pub(crate) fn data_text(&self, value: &Value) -> String {
        if self.config.record_history {
            value.to_string()
        } else {
            String::new()
        }
    }

    /// Appends a history event in thread `tid`'s chain (0: the execution's own).
    pub(crate) fn record(
        &mut self,
        tid: ThreadId,
        event_type: EventType,
        details: Option<Value>,
    ) -> u64 {
        self.events_written += 1;
        let id = self.events_written;
        let previous = if tid == usize::MAX {
            id - 1
        } else {
            match self.thread_mut(tid) {
                Some(t) => std::mem::replace(&mut t.last_event, id),
                None => id - 1,
            }
        };
        if self.config.record_history {
            self.out.events.push(HistoryEvent {
                timestamp: self.now,
                event_type,
                id,
                previous_event_id: previous,
                details,
            });
        }
        id
    }

    /// Ends the execution.
    pub(crate) fn finish(
        &mut self,
        status: Status,
        output: Option<Value>,
        error: Option<String>,
        cause: Option<String>,
    ) {
        if self.status != Status::Running {
            return;
        }
        let root_last = self
            .thread_opt(0)
            .map(|t| t.last_event)
            .unwrap_or(self.events_written);
        let (event_type, details) = match status {
            Status::Succeeded => (
                EventType::ExecutionSucceeded,
                json!({"output": output.as_ref().map(|o| self.data_text(o)).unwrap_or_default(), "outputDetails": {"truncated": false}}),
            ),
            Status::Failed => (EventType::ExecutionFailed, error_details(&error, &cause)),
            Status::TimedOut => (EventType::ExecutionTimedOut, error_details(&error, &cause)),
            Status::Aborted | Status::Running => {
                (EventType::ExecutionAborted, error_details(&error, &cause))
            }
        };
        // The final event follows the top-level thread's latest event.
        if let Some(t) = self.thread_mut(0) {
            t.last_event = root_last;
        }
        self.record(0, event_type, Some(details));
        self.status = status;
        self.output = output;
        self.error = error;
        self.cause = cause;
        self.stop_time = Some(self.now);
        for id in std::mem::take(&mut self.tasks).into_keys() {
            self.out.effects.push(Effect::CancelTask { id });
        }
        for id in std::mem::take(&mut self.timers).into_keys() {
            self.out.effects.push(Effect::CancelTimer { id });
        }
        self.threads.clear();
        self.free_threads.clear();
        self.ready.clear();
        self.out.effects.push(Effect::Finished { status });
    }

    /// Draws a random word from the execution's generator.
    pub(crate) fn random(&mut self) -> &mut SplitMix64 {
        &mut self.rng
    }
}

fn error_details(error: &Option<String>, cause: &Option<String>) -> Value {
    let mut details = serde_json::Map::new();
    if let Some(e) = error {
        details.insert("error".into(), Value::String(e.clone()));
    }
    if let Some(c) = cause {
        details.insert("cause".into(), Value::String(c.clone()));
    }
    Value::Object(details)
}

/// The `...StateEntered` event type of a state kind.
pub(crate) fn entered_type(kind: &StateKind) -> EventType {
    match kind {
        StateKind::Pass { .. } => EventType::PassStateEntered,
        StateKind::Task(_) => EventType::TaskStateEntered,
        StateKind::Choice(_) => EventType::ChoiceStateEntered,
        StateKind::Wait(_) => EventType::WaitStateEntered,
        StateKind::Succeed => EventType::SucceedStateEntered,
        StateKind::Fail(_) => EventType::FailStateEntered,
        StateKind::Parallel { .. } => EventType::ParallelStateEntered,
        StateKind::Map(_) => EventType::MapStateEntered,
    }
}

/// The `...StateExited` event type of a state kind (Fail has none).
pub(crate) fn exited_type(kind: &StateKind) -> Option<EventType> {
    Some(match kind {
        StateKind::Pass { .. } => EventType::PassStateExited,
        StateKind::Task(_) => EventType::TaskStateExited,
        StateKind::Choice(_) => EventType::ChoiceStateExited,
        StateKind::Wait(_) => EventType::WaitStateExited,
        StateKind::Succeed => EventType::SucceedStateExited,
        StateKind::Fail(_) => return None,
        StateKind::Parallel { .. } => EventType::ParallelStateExited,
        StateKind::Map(_) => EventType::MapStateExited,
    })
}
