//! JSONata as AWS Step Functions runs it (JSONata 2.0 semantics), on top of the
//! jsonata-core engine.
//!
//! - [`Expr`]: one `{% ... %}` expression, parsed once (the variables and `$states`
//!   members it reads found at parse time), evaluated against a [`JsonataEnv`].
//! - [`Template`]: a field value with expressions inside (`Arguments`, `Output`,
//!   `Assign`, `Items`, `ItemSelector`, `TimeoutSeconds` ...), evaluated to JSON with
//!   AWS's `States.QueryEvaluationError` causes.
//! - `$states.input`, `$states.context`, `$states.result`, `$states.errorOutput` and
//!   the workflow variables come from the environment; AWS's added functions
//!   (`$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`) are in
//!   `functions`; `$eval` is refused.
//! - Numbers are doubles; integral results come back as JSON integers.
//! - [`limits`]: what stops a runaway evaluation (deep recursion, huge sequences, a
//!   timeout as a last resort) with an error.
//!
//! Files: `expr.rs` (parse, evaluate, errors), `template.rs`, `analysis.rs` (the
//! parse-time AST walk), `functions.rs`, `convert.rs` (JSON <-> JSONata values),
//! `messages.rs` (jsonata-js error texts, syntax error positions), `limits.rs`.

mod analysis;
mod convert;
mod expr;
mod functions;
pub mod limits;
mod messages;
mod template;

#[cfg(test)]
mod tests;

pub use expr::{json_type, Expr, JsonataError, JsonataSyntaxError};
pub use limits::Limits;
pub use template::{Template, TemplateError};

/// True for a string that is a JSONata expression: starts with `{%` and ends with
/// `%}` (no surrounding whitespace; `"{%}"` is not one).
pub fn is_expression(text: &str) -> bool {
    text.len() >= 4 && text.starts_with("{%") && text.ends_with("%}")
}

/// What an expression reads from the running execution.
pub trait JsonataEnv {
    /// A member of `$states`: `"input"`, `"context"`, `"result"`, `"errorOutput"`;
    /// `None` when not available in this field (then `$states.result` is undefined,
    /// as on AWS).
    fn states_member(&self, name: &str) -> Option<serde_json::Value>;

    /// A workflow variable.
    fn variable(&self, name: &str) -> Option<serde_json::Value>;

    /// Randomness for `$uuid`, `$random` without seed and `$shuffle`.
    fn entropy(&mut self) -> &mut dyn crate::random::Entropy;

    /// The time `$now()` and `$millis()` report, in milliseconds since the Unix
    /// epoch; `None` (the default) leaves them to the system clock.
    fn now_millis(&self) -> Option<i64> {
        None
    }
}
