//! Stepwise's sync invoke route (`POST /invoke/<state machine name>`): the body
//! is the input, the reply is the output, for API backends.

/// What a sync invoke produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The execution's ARN, sent back as `x-stepwise-execution-arn`.
    pub execution_arn: String,
    /// How it ended.
    pub outcome: InvokeOutcome,
}

/// How a sync invoke ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvokeOutcome {
    /// The execution's output, as JSON text: the 200 reply's body.
    Succeeded(String),
    /// The execution failed (or timed out, or was stopped) with this error and
    /// cause; the reply's status depends on the error (see `routes`).
    Failed {
        /// The ASL error name, e.g. `States.Timeout` or a task's own error.
        error: String,
        /// The cause.
        cause: String,
    },
}
