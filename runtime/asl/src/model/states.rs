//! The state kinds and the fields they share.

use super::{MachineId, QueryLanguage, StateId};
use crate::choice::ChoiceRule;
use crate::intrinsics::Intrinsic;
use crate::jsonata::Template as Expression;
use crate::jsonpath::JsonPath;
use crate::payload::Template;
use serde_json::Value;

/// One state of a machine.
#[derive(Debug, Clone)]
pub struct State {
    /// The state's name (its key in `States`).
    pub name: String,
    /// Its effective query language.
    pub query_language: QueryLanguage,
    /// What kind of state it is, with its kind-specific fields.
    pub kind: StateKind,
    /// `Next`; `None` for `End: true` and for terminal kinds.
    pub next: Option<StateId>,
    /// Input and output processing.
    pub io: Io,
    /// `Retry`, in order (Task, Parallel, Map).
    pub retry: Vec<Retrier>,
    /// `Catch`, in order (Task, Parallel, Map).
    pub catch: Vec<Catcher>,
    /// `Assign`: workflow variables set when the state ends.
    pub assign: Option<Assign>,
    /// `Output` (JSONata states).
    pub output: Option<Expression>,
    /// `Arguments` (JSONata Task and Parallel states): the work's input.
    pub arguments: Option<Expression>,
}

/// The kind-specific part of a state.
#[derive(Debug, Clone)]
pub enum StateKind {
    /// `Pass`, with its optional `Result`.
    Pass {
        /// `Result`: the state's result instead of its input.
        result: Option<Value>,
    },
    /// `Task`.
    Task(Box<TaskSpec>),
    /// `Choice`.
    Choice(Box<ChoiceSpec>),
    /// `Wait`.
    Wait(WaitSpec),
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail(FailSpec),
    /// `Parallel`: one machine per branch.
    Parallel {
        /// The branches, in order.
        branches: Vec<MachineId>,
    },
    /// `Map`.
    Map(Box<MapSpec>),
}

impl StateKind {
    /// The `Type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass { .. } => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel { .. } => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }
}

/// Input and output processing fields, applied in AWS's order: InputPath,
/// Parameters, (the state's work), ResultSelector, ResultPath, OutputPath.
#[derive(Debug, Clone, Default)]
pub struct Io {
    /// `InputPath`.
    pub input_path: Filter,
    /// `Parameters` (or `ItemSelector`/legacy `Parameters` for Map, which apply per item).
    pub parameters: Option<Template>,
    /// `ResultSelector`.
    pub result_selector: Option<Template>,
    /// `ResultPath`.
    pub result_path: ResultPath,
    /// `OutputPath`.
    pub output_path: Filter,
}

/// `InputPath` / `OutputPath`.
#[derive(Debug, Clone, Default)]
pub enum Filter {
    /// Absent or `$`: everything passes.
    #[default]
    All,
    /// `null`: nothing passes; the value becomes `{}`.
    Nothing,
    /// A path selecting part of the value.
    Path(JsonPath),
}

/// `ResultPath`.
#[derive(Debug, Clone, Default)]
pub enum ResultPath {
    /// Absent or `$`: the result replaces the input.
    #[default]
    Replace,
    /// `null`: the result is discarded and the input passes through.
    Discard,
    /// The result is written into the input at this reference path.
    At(JsonPath),
}

/// A number of seconds given literally or by a path.
#[derive(Debug, Clone)]
pub enum SecondsSpec {
    /// A literal positive integer.
    Fixed(u64),
    /// `...Path`: read from the effective input at run time.
    Path(JsonPath),
    /// A JSONata expression (`{% ... %}`).
    Expr(Box<Expression>),
}

/// `Task` fields.
#[derive(Debug, Clone)]
pub struct TaskSpec {
    /// `Resource` as written.
    pub resource: String,
    /// `TimeoutSeconds` / `TimeoutSecondsPath`.
    pub timeout: Option<SecondsSpec>,
    /// `HeartbeatSeconds` / `HeartbeatSecondsPath`.
    pub heartbeat: Option<SecondsSpec>,
    /// `Credentials`, kept but not used.
    pub credentials: Option<Value>,
}

/// `Choice` fields.
#[derive(Debug, Clone)]
pub struct ChoiceSpec {
    /// `Choices`, tried in order.
    pub choices: Vec<ChoiceBranch>,
    /// `Default`.
    pub default: Option<StateId>,
}

/// One top-level Choice rule with its target.
#[derive(Debug, Clone)]
pub struct ChoiceBranch {
    /// The condition.
    pub rule: ChoiceRule,
    /// Where to go when it holds.
    pub next: StateId,
    /// `Assign` of this rule.
    pub assign: Option<Assign>,
    /// `Output` of this rule (JSONata).
    pub output: Option<Expression>,
}

/// `Wait` fields: exactly one of four.
#[derive(Debug, Clone)]
pub enum WaitSpec {
    /// `Seconds` (or a JSONata expression for it).
    Seconds(SecondsSpec),
    /// `Timestamp`, literal.
    Timestamp(String),
    /// `TimestampPath`.
    TimestampPath(JsonPath),
    /// `Timestamp` as a JSONata expression.
    TimestampExpr(Box<Expression>),
}

/// A string field of Fail given literally, by a path, or by an intrinsic.
#[derive(Debug, Clone)]
pub enum StringSpec {
    /// A literal.
    Literal(String),
    /// `...Path` with a path.
    Path(JsonPath),
    /// `...Path` with an intrinsic function.
    Intrinsic(Box<Intrinsic>),
    /// A JSONata expression.
    Expr(Box<Expression>),
}

/// `Fail` fields.
#[derive(Debug, Clone, Default)]
pub struct FailSpec {
    /// `Error` / `ErrorPath`.
    pub error: Option<StringSpec>,
    /// `Cause` / `CausePath`.
    pub cause: Option<StringSpec>,
}

/// A count or number given literally or by a path.
#[derive(Debug, Clone)]
pub enum NumberSpec {
    /// A literal.
    Fixed(f64),
    /// `...Path`.
    Path(JsonPath),
    /// A JSONata expression.
    Expr(Box<Expression>),
}

/// `Map` fields.
#[derive(Debug, Clone)]
pub struct MapSpec {
    /// The machine run per item (`ItemProcessor` or legacy `Iterator`).
    pub processor: MachineId,
    /// `DISTRIBUTED` mode (each item a child workflow).
    pub distributed: bool,
    /// `ItemsPath` (JSONPath states; `None` means `$`).
    pub items_path: Option<JsonPath>,
    /// `Items` (JSONata states): an array, or an expression giving one.
    pub items: Option<Expression>,
    /// `ItemSelector` (or legacy `Parameters`): builds each item's input.
    pub item_selector: Option<Template>,
    /// `ItemSelector` in JSONata states.
    pub item_selector_expr: Option<Expression>,
    /// `MaxConcurrency` / `MaxConcurrencyPath`; 0 or absent means unbounded.
    pub max_concurrency: Option<NumberSpec>,
    /// `ItemBatcher`.
    pub batcher: Option<BatcherSpec>,
    /// `ToleratedFailureCount` / `...Path`.
    pub tolerated_failure_count: Option<NumberSpec>,
    /// `ToleratedFailurePercentage` / `...Path`.
    pub tolerated_failure_percentage: Option<NumberSpec>,
    /// `Label` (distributed mode).
    pub label: Option<String>,
}

/// `ItemBatcher`.
#[derive(Debug, Clone)]
pub struct BatcherSpec {
    /// `MaxItemsPerBatch` / `...Path`.
    pub max_items: Option<NumberSpec>,
    /// `MaxInputBytesPerBatch` / `...Path`.
    pub max_bytes: Option<NumberSpec>,
    /// `BatchInput`: merged into each batch as `BatchInput`.
    pub batch_input: Option<Template>,
}

/// `JitterStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jitter {
    /// No jitter (the default).
    #[default]
    None,
    /// A delay drawn uniformly from [0, computed delay].
    Full,
}

/// One element of `Retry`.
#[derive(Debug, Clone)]
pub struct Retrier {
    /// `ErrorEquals`.
    pub error_equals: Vec<String>,
    /// `IntervalSeconds` (default 1).
    pub interval_seconds: u64,
    /// `MaxAttempts` (default 3; 0 means never retry).
    pub max_attempts: u64,
    /// `BackoffRate` (default 2.0).
    pub backoff_rate: f64,
    /// `MaxDelaySeconds`.
    pub max_delay_seconds: Option<u64>,
    /// `JitterStrategy`.
    pub jitter: Jitter,
}

/// One element of `Catch`.
#[derive(Debug, Clone)]
pub struct Catcher {
    /// `ErrorEquals`.
    pub error_equals: Vec<String>,
    /// `Next`.
    pub next: StateId,
    /// `ResultPath` (default `$`: the error output replaces the input).
    pub result_path: ResultPath,
    /// `Assign`.
    pub assign: Option<Assign>,
    /// `Output` (JSONata).
    pub output: Option<Expression>,
}

/// An `Assign` block: variable names to values.
#[derive(Debug, Clone)]
pub enum Assign {
    /// In a JSONPath state: a payload template (`"name.$": "$.path"` keys).
    Paths(Template),
    /// In a JSONata state: values with `{% %}` expressions.
    Expressions(Expression),
}
