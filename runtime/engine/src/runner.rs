//! A synchronous driver for one execution: runs tasks through a [`TaskRunner`]
//! one at a time and timers through a [`Clock`], until the execution ends.
//!
//! Used by `stepwise run`, the conformance harness and the benchmarks. It does no
//! IO itself: a real clock (which sleeps) or a virtual one (which jumps to the next
//! due timer, so a 1-day Wait returns at once) is passed in.

use crate::config::EngineConfig;
use crate::context::ExecutionInfo;
use crate::effect::{Effect, TaskRequest};
use crate::event::{Event, TimerId};
use crate::execution::{Execution, Step};
use crate::history::HistoryEvent;
use asl::errors::Failure;
use asl::model::StateMachine;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// Where time comes from.
pub trait Clock {
    /// The current time.
    fn now(&mut self) -> DateTime<Utc>;
    /// Returns once `due` has come (a virtual clock just moves to it).
    fn sleep_until(&mut self, due: DateTime<Utc>);
}

/// Virtual time: starts at a given instant and jumps to each timer as it falls due.
#[derive(Debug, Clone, Copy)]
pub struct VirtualClock {
    now: DateTime<Utc>,
}

impl VirtualClock {
    /// A clock reading `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        VirtualClock { now: start }
    }
}

impl Clock for VirtualClock {
    fn now(&mut self) -> DateTime<Utc> {
        self.now
    }
    fn sleep_until(&mut self, due: DateTime<Utc>) {
        if due > self.now {
            self.now = due;
        }
    }
}

/// Runs Task states' work.
pub trait TaskRunner {
    /// Runs one task to its result or its failure.
    fn run(&mut self, request: &TaskRequest) -> Result<Value, Failure>;
}

/// A [`TaskRunner`] for when no task can run: every task fails with
/// `States.TaskFailed` and a cause naming the resource.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoTasks;

impl TaskRunner for NoTasks {
    fn run(&mut self, request: &TaskRequest) -> Result<Value, Failure> {
        Err(Failure::new(
            asl::errors::TASK_FAILED,
            format!(
                "No runner is available for the resource '{}' of state '{}' (WASM task components are not supported by this build yet)",
                request.resource, request.state_name
            ),
        ))
    }
}

/// What the runner holds between steps: events to feed, timers by due time, and
/// the history so far.
#[derive(Default)]
struct Pending {
    history: Vec<HistoryEvent>,
    events: VecDeque<Event>,
    timers: BTreeSet<(DateTime<Utc>, TimerId)>,
    due_of: HashMap<TimerId, DateTime<Utc>>,
}

impl Pending {
    /// Takes a step's history and performs its effects: tasks run at once (their
    /// outcome queued as events), timers are kept by due time.
    fn absorb(&mut self, step: Step, tasks: &mut dyn TaskRunner) {
        self.history.extend(step.events);
        for effect in step.effects {
            match effect {
                Effect::RunTask(request) => {
                    self.events
                        .push_back(Event::TaskStarted { task: request.id });
                    self.events.push_back(match tasks.run(&request) {
                        Ok(output) => Event::TaskSucceeded {
                            task: request.id,
                            output,
                        },
                        Err(f) => Event::TaskFailed {
                            task: request.id,
                            error: f.error,
                            cause: f.cause,
                        },
                    });
                }
                Effect::StartTimer { id, due } => {
                    self.timers.insert((due, id));
                    self.due_of.insert(id, due);
                }
                Effect::CancelTimer { id } => {
                    if let Some(due) = self.due_of.remove(&id) {
                        self.timers.remove(&(due, id));
                    }
                }
                Effect::Yield => self.events.push_back(Event::Resume),
                Effect::CancelTask { .. } | Effect::Finished { .. } => {}
            }
        }
    }
}

/// The outcome of [`run`].
#[derive(Debug, Clone)]
pub struct Finished {
    /// The ended execution.
    pub execution: Execution,
    /// Its whole history (empty unless the config records it).
    pub history: Vec<HistoryEvent>,
}

/// Runs an execution from start to end.
pub fn run(
    machine: &StateMachine,
    info: ExecutionInfo,
    config: EngineConfig,
    seed: u64,
    clock: &mut dyn Clock,
    tasks: &mut dyn TaskRunner,
) -> Finished {
    let start = clock.now();
    let (mut execution, step) = Execution::start(machine, info, config, seed, start);
    let mut pending = Pending::default();
    pending.absorb(step, tasks);
    while !execution.is_finished() {
        let event = match pending.events.pop_front() {
            Some(event) => event,
            None => match pending.timers.pop_first() {
                Some((due, id)) => {
                    pending.due_of.remove(&id);
                    clock.sleep_until(due);
                    Event::TimerFired { timer: id }
                }
                None => break,
            },
        };
        let now = clock.now();
        let step = execution.handle(machine, event, now);
        pending.absorb(step, tasks);
    }
    let history = pending.history;
    Finished { execution, history }
}
