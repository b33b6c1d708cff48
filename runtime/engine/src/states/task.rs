//! `Task`: hands the work to the caller as an effect, with its timeout and
//! heartbeat as timers, and takes the outcome back as an event. An activity
//! resource is recorded as `Activity*` events (ActivityScheduled with the
//! activity ARN, ActivityStarted with the worker's name, ...), a Lambda
//! function ARN used directly as `LambdaFunction*` events (LambdaFunctionScheduled
//! with the function's ARN, ...), any other as `Task*` events, as AWS does.

use crate::effect::{Effect, TaskRequest};
use crate::event::{Event, TaskId};
use crate::execution::{Execution, Flow, TimerPurpose};
use crate::history::EventType;
use crate::thread::{Phase, TaskWait, Thread, ThreadId};
use asl::errors::{Failure, DATA_LIMIT_EXCEEDED, HEARTBEAT_TIMEOUT, TIMEOUT};
use asl::jsonpath::JsonPath;
use asl::model::{
    Filter, QueryLanguage, ResultPath, SecondsSpec, State, StateKind, StateMachine, TaskSpec,
};
use asl::random::Entropy;
use serde_json::{json, Value};

use crate::resource::{is_activity, is_lambda_function, WAIT_FOR_TASK_TOKEN};

/// Which family of history events a Task's resource is recorded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recorded {
    /// An activity: `Activity*`.
    Activity,
    /// A Lambda function ARN used directly: `LambdaFunction*`.
    Lambda,
    /// Anything else (`lambda:invoke` included): `Task*`.
    Task,
}

impl Recorded {
    fn of(resource: &str) -> Self {
        if is_activity(resource) {
            Recorded::Activity
        } else if is_lambda_function(resource) {
            Recorded::Lambda
        } else {
            Recorded::Task
        }
    }

    fn scheduled(self) -> EventType {
        match self {
            Recorded::Activity => EventType::ActivityScheduled,
            Recorded::Lambda => EventType::LambdaFunctionScheduled,
            Recorded::Task => EventType::TaskScheduled,
        }
    }

    fn started(self) -> EventType {
        match self {
            Recorded::Activity => EventType::ActivityStarted,
            Recorded::Lambda => EventType::LambdaFunctionStarted,
            Recorded::Task => EventType::TaskStarted,
        }
    }

    fn succeeded(self) -> EventType {
        match self {
            Recorded::Activity => EventType::ActivitySucceeded,
            Recorded::Lambda => EventType::LambdaFunctionSucceeded,
            Recorded::Task => EventType::TaskSucceeded,
        }
    }

    fn failed(self) -> EventType {
        match self {
            Recorded::Activity => EventType::ActivityFailed,
            Recorded::Lambda => EventType::LambdaFunctionFailed,
            Recorded::Task => EventType::TaskFailed,
        }
    }

    fn timed_out(self) -> EventType {
        match self {
            Recorded::Activity => EventType::ActivityTimedOut,
            Recorded::Lambda => EventType::LambdaFunctionTimedOut,
            Recorded::Task => EventType::TaskTimedOut,
        }
    }
}

/// Splits a Resource into the `resourceType` and `resource` AWS writes in history:
/// `arn:aws:states:::lambda:invoke` gives (`lambda`, `invoke`); a Lambda function ARN
/// gives (`lambda`, the function name); `wasm:name` gives (`wasm`, `name`).
pub fn resource_parts(resource: &str) -> (String, String) {
    let base = resource
        .strip_suffix(WAIT_FOR_TASK_TOKEN)
        .unwrap_or(resource);
    if let Some(rest) = base.strip_prefix("arn:aws:states:::") {
        let mut parts = rest.splitn(2, ':');
        let service = parts.next().unwrap_or_default();
        let action = parts.next().unwrap_or_default();
        let action = if resource.ends_with(WAIT_FOR_TASK_TOKEN) {
            format!("{action}{WAIT_FOR_TASK_TOKEN}")
        } else {
            action.to_string()
        };
        return (service.to_string(), action);
    }
    let fields: Vec<&str> = base.split(':').collect();
    if fields.len() >= 7 && fields[0] == "arn" && fields[2] == "lambda" && fields[5] == "function" {
        return ("lambda".into(), fields[6].to_string());
    }
    match base.split_once(':') {
        Some((kind, name)) => (kind.to_string(), name.to_string()),
        None => ("task".into(), base.to_string()),
    }
}

impl Execution {
    pub(crate) fn run_task(
        &mut self,
        tid: ThreadId,
        state: &State,
        spec: &TaskSpec,
    ) -> Result<Flow, Failure> {
        let token = spec
            .resource
            .ends_with(WAIT_FOR_TASK_TOKEN)
            .then(|| self.new_token());
        let input = if hands_over_input(state, spec) {
            // The raw input as is, which nothing reads again: moved, not copied;
            // its bound is usually enough to show it is within the limit.
            let thread = self.thread_mut_expect(tid);
            let input = std::mem::take(&mut thread.input);
            if thread.input_bound > self.config.max_payload_bytes {
                self.check_input_size(state, &input)?;
            }
            input
        } else {
            let input = self.parameters_input(tid, state, token.as_deref())?;
            self.check_input_size(state, &input)?;
            input
        };
        let (timeout, heartbeat) = if state.query_language == asl::model::QueryLanguage::JsonAta {
            (
                self.expression_seconds(tid, state, spec.timeout.as_ref(), "TimeoutSeconds")?,
                self.expression_seconds(tid, state, spec.heartbeat.as_ref(), "HeartbeatSeconds")?,
            )
        } else {
            let effective = self.effective_input(tid, state)?;
            (
                resolve_seconds(
                    &|p: &JsonPath| self.resolve_in(tid, state, p, &effective),
                    spec.timeout.as_ref(),
                    &effective,
                    "TimeoutSecondsPath",
                )?,
                resolve_seconds(
                    &|p: &JsonPath| self.resolve_in(tid, state, p, &effective),
                    spec.heartbeat.as_ref(),
                    &effective,
                    "HeartbeatSecondsPath",
                )?,
            )
        };
        let task = self.new_id();
        let recorded = Recorded::of(&spec.resource);
        let details = self.config.record_history.then(|| {
            let mut d = if recorded != Recorded::Task {
                json!({
                    "resource": spec.resource,
                    "input": self.data_text(&input),
                    "inputDetails": {"truncated": false},
                })
            } else {
                let region = self
                    .info
                    .state_machine_arn
                    .split(':')
                    .nth(3)
                    .unwrap_or("us-east-1");
                let mut d = resource_details(&spec.resource);
                d["region"] = json!(region);
                d["parameters"] = json!(self.data_text(&input));
                d
            };
            if let Some(t) = timeout {
                d["timeoutInSeconds"] = json!(t);
            }
            // LambdaFunctionScheduledEventDetails has no heartbeat member.
            if let Some(h) = heartbeat.filter(|_| recorded != Recorded::Lambda) {
                d["heartbeatInSeconds"] = json!(h);
            }
            d
        });
        self.record(tid, recorded.scheduled(), details);
        let attempt = self.thread(tid).retry_count;
        self.out.effects.push(Effect::RunTask(TaskRequest {
            id: task,
            state_name: state.name.clone(),
            resource: spec.resource.clone(),
            input,
            timeout_seconds: timeout,
            heartbeat_seconds: heartbeat,
            token,
            attempt,
        }));
        let timeout_timer =
            timeout.map(|t| self.new_timer(TimerPurpose::TaskTimeout(tid), t as f64));
        let heartbeat =
            heartbeat.map(|h| (self.new_timer(TimerPurpose::Heartbeat(tid), h as f64), h));
        self.tasks.insert(task, tid);
        self.thread_mut_expect(tid).phase = Phase::Task(TaskWait {
            task,
            timeout_timer,
            heartbeat,
            started: false,
        });
        Ok(Flow::Stop)
    }

    /// TimeoutSeconds/HeartbeatSeconds of a JSONata Task: a literal or an
    /// expression giving a positive whole number.
    fn expression_seconds(
        &mut self,
        tid: ThreadId,
        state: &State,
        spec: Option<&SecondsSpec>,
        field: &str,
    ) -> Result<Option<u64>, Failure> {
        match spec {
            Some(SecondsSpec::Expr(expr)) => {
                let value = self.eval_on_input(tid, state, expr, field)?;
                Ok(Some(super::whole_number(&value, field, 1)? as u64))
            }
            Some(SecondsSpec::Fixed(n)) => Ok(Some(*n)),
            Some(SecondsSpec::Path(_)) | None => Ok(None),
        }
    }

    /// A fresh task token: 256 random bits, hex.
    fn new_token(&mut self) -> String {
        let rng = self.random();
        (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect()
    }

    /// Feeds a task outcome to the thread that waits for it.
    pub(crate) fn task_event(&mut self, machine: &StateMachine, event: Event) {
        let task = match &event {
            Event::TaskStarted { task }
            | Event::ActivityStarted { task, .. }
            | Event::TaskSucceeded { task, .. }
            | Event::TaskFailed { task, .. }
            | Event::TaskHeartbeat { task } => *task,
            _ => return,
        };
        let Some(&tid) = self.tasks.get(&task) else {
            return;
        };
        let Some(thread) = self.thread_opt(tid) else {
            return;
        };
        let Phase::Task(wait) = &thread.phase else {
            return;
        };
        let wait = *wait;
        let resource = task_resource(machine, thread);
        let recorded = Recorded::of(resource);
        match event {
            Event::TaskStarted { .. } | Event::ActivityStarted { .. } if !wait.started => {
                let details = match recorded {
                    Recorded::Activity => {
                        let worker = match event {
                            Event::ActivityStarted { worker_name, .. } => worker_name,
                            _ => None,
                        };
                        self.config
                            .record_history
                            .then(|| worker.map(|w| json!({ "workerName": w })))
                            .flatten()
                    }
                    // LambdaFunctionStarted carries no details.
                    Recorded::Lambda => None,
                    Recorded::Task => self.history_details(resource, |_| {}),
                };
                self.record(tid, recorded.started(), details);
                if let Some(Phase::Task(w)) = self.thread_mut(tid).map(|t| &mut t.phase) {
                    w.started = true;
                }
            }
            Event::TaskHeartbeat { .. } => {
                if let Some((timer, period)) = wait.heartbeat {
                    self.cancel_timer(timer);
                    let timer = self.new_timer(TimerPurpose::Heartbeat(tid), period as f64);
                    if let Some(Phase::Task(w)) = self.thread_mut(tid).map(|t| &mut t.phase) {
                        w.heartbeat = Some((timer, period));
                    }
                }
            }
            Event::TaskSucceeded { output, .. } => {
                self.end_task(task, &wait);
                let details = self.history_details(resource, |d| {
                    d["output"] = json!(self.data_text(&output));
                    d["outputDetails"] = json!({"truncated": false});
                });
                self.record(tid, recorded.succeeded(), details);
                let phase = if asl::size::within(&output, self.config.max_payload_bytes) {
                    Phase::Completed(output)
                } else {
                    Phase::Failed(Failure::new(
                        DATA_LIMIT_EXCEEDED,
                        format!(
                            "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                            resource_parts(resource).1
                        ),
                    ))
                };
                self.thread_mut_expect(tid).phase = phase;
                self.ready.push_back(tid);
            }
            Event::TaskFailed { error, cause, .. } => {
                self.end_task(task, &wait);
                let details = self.history_details(resource, |d| {
                    d["error"] = json!(error);
                    d["cause"] = json!(cause);
                });
                self.record(tid, recorded.failed(), details);
                self.thread_mut_expect(tid).phase = Phase::Failed(Failure::new(error, cause));
                self.ready.push_back(tid);
            }
            _ => {}
        }
    }

    /// The task's deadline or heartbeat passed.
    pub(crate) fn task_timed_out(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        heartbeat: bool,
    ) {
        let Some(thread) = self.thread_opt(tid) else {
            return;
        };
        let Phase::Task(wait) = &thread.phase else {
            return;
        };
        let wait = *wait;
        let resource = task_resource(machine, thread);
        self.end_task(wait.task, &wait);
        self.out.effects.push(Effect::CancelTask { id: wait.task });
        let error = if heartbeat {
            HEARTBEAT_TIMEOUT
        } else {
            TIMEOUT
        };
        let details = self.history_details(resource, |d| {
            d["error"] = json!(error);
            d["cause"] = json!("");
        });
        self.record(tid, Recorded::of(resource).timed_out(), details);
        self.thread_mut_expect(tid).phase = Phase::Failed(Failure::new(error, ""));
        self.ready.push_back(tid);
    }

    /// A Task event's details (`resourceType`, `resource`, then what `more`
    /// adds; activity and Lambda function events carry only what `more` adds),
    /// built only when history is recorded.
    fn history_details(&self, resource: &str, more: impl FnOnce(&mut Value)) -> Option<Value> {
        self.config.record_history.then(|| {
            let mut details = match Recorded::of(resource) {
                Recorded::Task => resource_details(resource),
                Recorded::Activity | Recorded::Lambda => json!({}),
            };
            more(&mut details);
            details
        })
    }

    /// Forgets a task and cancels its timers.
    pub(crate) fn end_task(&mut self, task: TaskId, wait: &TaskWait) {
        self.tasks.remove(&task);
        if let Some(timer) = wait.timeout_timer {
            self.cancel_timer(timer);
        }
        if let Some((timer, _)) = wait.heartbeat {
            self.cancel_timer(timer);
        }
    }
}

/// Whether a Task's input is its raw input as is (JSONPath, no InputPath, no
/// Parameters) and nothing reads the raw input once the task runs: no Retry
/// runs the state again, no Catch writes into it, ResultPath replaces it, and
/// no TimeoutSecondsPath or HeartbeatSecondsPath is resolved in it. Then the
/// input is handed to the task instead of copied.
fn hands_over_input(state: &State, spec: &TaskSpec) -> bool {
    let is_path = |s: &Option<SecondsSpec>| matches!(s, Some(SecondsSpec::Path(_)));
    state.query_language == QueryLanguage::JsonPath
        && matches!(state.io.input_path, Filter::All)
        && state.io.parameters.is_none()
        && matches!(state.io.result_path, ResultPath::Replace)
        && state.retry.is_empty()
        && state.catch.is_empty()
        && !is_path(&spec.timeout)
        && !is_path(&spec.heartbeat)
}

/// The Resource of the Task state `thread` is in ("" if it is in none).
fn task_resource<'m>(machine: &'m StateMachine, thread: &Thread) -> &'m str {
    match &machine.state(thread.machine, thread.state).kind {
        StateKind::Task(spec) => &spec.resource,
        _ => "",
    }
}

/// `{"resourceType": ..., "resource": ...}` of a Task's history events.
fn resource_details(resource: &str) -> Value {
    let (resource_type, resource) = resource_parts(resource);
    json!({"resourceType": resource_type, "resource": resource})
}

/// Resolves TimeoutSeconds/HeartbeatSeconds or their Path forms.
fn resolve_seconds(
    lookup: &dyn Fn(&JsonPath) -> Option<Value>,
    spec: Option<&SecondsSpec>,
    effective: &Value,
    field: &str,
) -> Result<Option<u64>, Failure> {
    match spec {
        None => Ok(None),
        Some(SecondsSpec::Fixed(n)) => Ok(Some(*n)),
        Some(SecondsSpec::Path(path)) => {
            let value = lookup(path).ok_or_else(|| asl::payload::no_results(path, effective))?;
            match value.as_u64() {
                Some(n) if n > 0 => Ok(Some(n)),
                _ => Err(Failure::runtime(format!(
                    "The {field} parameter does not reference a positive integer: {} == {}",
                    path.as_str(),
                    value
                ))),
            }
        }
        // JSONata states resolve theirs with `expression_seconds`.
        Some(SecondsSpec::Expr(_)) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_parts_follow_aws() {
        assert_eq!(
            resource_parts("arn:aws:states:::lambda:invoke"),
            ("lambda".into(), "invoke".into())
        );
        assert_eq!(
            resource_parts("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            ("sqs".into(), "sendMessage.waitForTaskToken".into())
        );
        assert_eq!(
            resource_parts("arn:aws:lambda:us-east-1:123456789012:function:add:1"),
            ("lambda".into(), "add".into())
        );
        assert_eq!(
            resource_parts("wasm:saga:2"),
            ("wasm".into(), "saga:2".into())
        );
    }
}
