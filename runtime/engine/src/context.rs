//! The context object (`$$`) and the scope paths are evaluated in.
//!
//! The context object is built lazily: a path such as `$$.Map.Item.Value` asks only
//! for the `Map` member, so the execution input is not copied for every Map item.

use asl::jsonpath::PathScope;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::borrow::Cow;

/// What an execution knows about itself (`$$.Execution`, `$$.StateMachine`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionInfo {
    /// The execution ARN (`$$.Execution.Id`).
    pub execution_arn: String,
    /// The execution name.
    pub name: String,
    /// The state machine ARN (`$$.StateMachine.Id`).
    pub state_machine_arn: String,
    /// The state machine name.
    pub state_machine_name: String,
    /// The role ARN (`$$.Execution.RoleArn`).
    pub role_arn: String,
    /// When the execution started.
    pub start_time: DateTime<Utc>,
    /// The execution input.
    pub input: Value,
    /// How many times it was redriven.
    pub redrive_count: u32,
    /// An Express execution (its context has no `RedriveCount`).
    pub express: bool,
}

/// The state-level part of the context object.
#[derive(Debug, Clone, Copy)]
pub struct StateContext<'a> {
    /// `$$.State.Name`.
    pub name: &'a str,
    /// `$$.State.EnteredTime`.
    pub entered_time: DateTime<Utc>,
    /// `$$.State.RetryCount` (states that can retry: Task, Parallel, Map).
    pub retry_count: Option<u32>,
    /// `$$.Task.Token`, when the state waits for a token.
    pub task_token: Option<&'a str>,
    /// `$$.Map.Item.Index` and `.Value`, inside a Map's ItemSelector.
    pub map_item: Option<(usize, &'a Value)>,
}

/// The scope a state's paths are evaluated in: `$` is `input`, `$$` the context.
pub struct Scope<'a> {
    /// The value `$` refers to.
    pub input: &'a Value,
    /// The execution.
    pub execution: &'a ExecutionInfo,
    /// The state.
    pub state: StateContext<'a>,
    /// The workflow variables visible to the state.
    pub variables: Variables<'a>,
}

/// The workflow variables a thread sees: its own assignments, then those of the
/// thread that started it (a Map iteration or Parallel branch sees the variables
/// of its Map or Parallel state, which cannot change while it waits), and so on
/// up to the top level.
#[derive(Clone, Copy)]
pub struct Variables<'a> {
    pub(crate) threads: &'a [Option<crate::thread::Thread>],
    pub(crate) thread: usize,
}

impl<'a> Variables<'a> {
    /// The value of variable `name`, if assigned in this scope or an enclosing one.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        let mut current = Some(self.thread);
        while let Some(tid) = current {
            let thread = self.threads.get(tid)?.as_ref()?;
            if let Some(v) = thread.variables.get(name) {
                return Some(v);
            }
            current = thread.parent.map(|p| p.thread);
        }
        None
    }
}

fn time(t: DateTime<Utc>) -> Value {
    Value::String(asl::timestamp::format_millis(t))
}

impl Scope<'_> {
    fn member(&self, name: &str) -> Option<Value> {
        let e = self.execution;
        match name {
            "Execution" => {
                // Built by hand: json! would re-serialize the whole input.
                let mut v = Map::new();
                v.insert("Id".into(), Value::String(e.execution_arn.clone()));
                v.insert("Input".into(), e.input.clone());
                v.insert("Name".into(), Value::String(e.name.clone()));
                v.insert("RoleArn".into(), Value::String(e.role_arn.clone()));
                v.insert("StartTime".into(), time(e.start_time));
                if !e.express {
                    v.insert("RedriveCount".into(), json!(e.redrive_count));
                }
                Some(Value::Object(v))
            }
            "State" => {
                let mut v = json!({
                    "EnteredTime": time(self.state.entered_time),
                    "Name": self.state.name,
                });
                if let Some(n) = self.state.retry_count {
                    v["RetryCount"] = json!(n);
                }
                Some(v)
            }
            "StateMachine" => {
                Some(json!({"Id": e.state_machine_arn, "Name": e.state_machine_name}))
            }
            "Task" => self.state.task_token.map(|t| json!({"Token": t})),
            "Map" => self
                .state
                .map_item
                .map(|(index, value)| json!({"Item": {"Index": index, "Value": value}})),
            _ => None,
        }
    }

    /// The context object with only the named top-level members.
    pub fn context_members(&self, members: &[&str]) -> Value {
        let mut map = Map::new();
        for name in members {
            if let Some(v) = self.member(name) {
                map.insert(name.to_string(), v);
            }
        }
        Value::Object(map)
    }

    /// The whole context object.
    pub fn context_object(&self) -> Value {
        let mut map = Map::new();
        for name in ["Execution", "State", "StateMachine", "Task", "Map"] {
            if let Some(v) = self.member(name) {
                map.insert(name.to_string(), v);
            }
        }
        Value::Object(map)
    }
}

impl PathScope for Scope<'_> {
    fn input(&self) -> &Value {
        self.input
    }

    fn context(&self, first_property: Option<&str>) -> Cow<'_, Value> {
        match first_property {
            Some(name) => {
                let mut map = Map::new();
                if let Some(v) = self.member(name) {
                    map.insert(name.to_string(), v);
                }
                Cow::Owned(Value::Object(map))
            }
            None => Cow::Owned(self.context_object()),
        }
    }

    fn variable(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.variables.get(name).map(Cow::Borrowed)
    }
}
