//! Helpers shared by the engine's integration tests: a fixed clock, a machine
//! parser, and a harness that feeds canned events to an [`Execution`] by hand and
//! keeps the whole history.

#![allow(dead_code)]

use asl::model::StateMachine;
use chrono::{DateTime, Duration, Utc};
use engine::effect::TaskRequest;
use engine::{Effect, EngineConfig, Event, Execution, ExecutionInfo, HistoryEvent, Step};
use serde_json::Value;

/// The execution ARN every test uses.
pub const EXECUTION_ARN: &str = "arn:aws:states:us-east-1:123456789012:execution:Machine:exec-1";
/// The state machine ARN every test uses.
pub const MACHINE_ARN: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:Machine";
/// The seed every test uses unless it says otherwise.
pub const SEED: u64 = 42;

/// The start time: 2024-01-01T00:00:00Z.
pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// `t0` plus `millis` milliseconds.
pub fn at_ms(millis: i64) -> DateTime<Utc> {
    t0() + Duration::milliseconds(millis)
}

/// `t0` plus `seconds` seconds.
pub fn at(seconds: i64) -> DateTime<Utc> {
    at_ms(seconds * 1000)
}

/// Parses a definition given as a JSON value; panics on validation errors.
pub fn machine(definition: Value) -> StateMachine {
    StateMachine::from_value(definition).expect("definition is valid")
}

/// The execution's description of itself, started at `t0`.
pub fn info(input: Value) -> ExecutionInfo {
    ExecutionInfo {
        execution_arn: EXECUTION_ARN.into(),
        name: "exec-1".into(),
        state_machine_arn: MACHINE_ARN.into(),
        state_machine_name: "Machine".into(),
        role_arn: "arn:aws:iam::123456789012:role/Role".into(),
        start_time: t0(),
        input,
        redrive_count: 0,
        express: false,
    }
}

/// One execution driven by hand: every step's history is kept in `history`.
pub struct Harness {
    pub machine: StateMachine,
    pub exec: Execution,
    pub history: Vec<HistoryEvent>,
    pub now: DateTime<Utc>,
}

impl Harness {
    /// Starts `definition` on `input` at `t0` with the default config and [`SEED`].
    pub fn start(definition: Value, input: Value) -> (Harness, Step) {
        Self::start_with(definition, input, SEED, EngineConfig::default())
    }

    /// Starts with a given seed and config.
    pub fn start_with(
        definition: Value,
        input: Value,
        seed: u64,
        config: EngineConfig,
    ) -> (Harness, Step) {
        let machine = machine(definition);
        let (exec, step) = Execution::start(&machine, info(input), config, seed, t0());
        let harness = Harness {
            machine,
            exec,
            history: step.events.clone(),
            now: t0(),
        };
        (harness, step)
    }

    /// Feeds `event` at the harness's current time.
    pub fn feed(&mut self, event: Event) -> Step {
        let step = self.exec.handle(&self.machine, event, self.now);
        self.history.extend(step.events.iter().cloned());
        step
    }

    /// Moves the clock to `now`, then feeds `event`.
    pub fn feed_at(&mut self, now: DateTime<Utc>, event: Event) -> Step {
        self.now = now;
        self.feed(event)
    }

    /// Reports `task` started and then succeeded with `output`; returns the second step.
    pub fn succeed(&mut self, task: u64, output: Value) -> Step {
        let started = self.feed(Event::TaskStarted { task });
        assert!(
            started.effects.is_empty(),
            "TaskStarted has no effects: {started:?}"
        );
        self.feed(Event::TaskSucceeded { task, output })
    }

    /// Reports `task` started and then failed; returns the second step.
    pub fn fail(&mut self, task: u64, error: &str, cause: &str) -> Step {
        let started = self.feed(Event::TaskStarted { task });
        assert!(
            started.effects.is_empty(),
            "TaskStarted has no effects: {started:?}"
        );
        self.feed(Event::TaskFailed {
            task,
            error: error.into(),
            cause: cause.into(),
        })
    }

    /// The `type` of every history event so far.
    pub fn types(&self) -> Vec<&'static str> {
        types(&self.history)
    }

    /// The history so far in AWS's JSON shape.
    pub fn history_json(&self) -> Vec<Value> {
        self.history
            .iter()
            .map(|e| serde_json::to_value(e).unwrap())
            .collect()
    }
}

/// The `type` of each event.
pub fn types(events: &[HistoryEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.event_type.as_str()).collect()
}

/// `(id, previousEventId)` of each event.
pub fn links(events: &[HistoryEvent]) -> Vec<(u64, u64)> {
    events.iter().map(|e| (e.id, e.previous_event_id)).collect()
}

/// The RunTask requests of a step, in order.
pub fn run_tasks(step: &Step) -> Vec<TaskRequest> {
    step.effects
        .iter()
        .filter_map(|e| match e {
            Effect::RunTask(request) => Some(request.clone()),
            _ => None,
        })
        .collect()
}

/// The single RunTask request of a step.
pub fn only_task(step: &Step) -> TaskRequest {
    let tasks = run_tasks(step);
    assert_eq!(tasks.len(), 1, "expected one RunTask in {:?}", step.effects);
    tasks.into_iter().next().unwrap()
}

/// A TaskRequest as the engine builds it for a task without timeouts or token.
pub fn request(
    id: u64,
    state_name: &str,
    resource: &str,
    input: Value,
    attempt: u32,
) -> TaskRequest {
    TaskRequest {
        id,
        state_name: state_name.into(),
        resource: resource.into(),
        input,
        timeout_seconds: None,
        heartbeat_seconds: None,
        token: None,
        attempt,
    }
}

/// The details object of the first event of type `event_type` named `name`.
pub fn details_of<'a>(events: &'a [HistoryEvent], event_type: &str, name: &str) -> &'a Value {
    events
        .iter()
        .filter(|e| e.event_type.as_str() == event_type)
        .filter_map(|e| e.details.as_ref())
        .find(|d| d.get("name").and_then(Value::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no {event_type} event for {name}"))
}
