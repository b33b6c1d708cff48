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
//!   string growth, a timeout as a last resort) with an error.
//!
//! Files: `expr.rs` (parse, evaluate, errors), `template.rs`, `analysis.rs` (the
//! parse-time AST walk), `functions.rs`, `convert.rs` (JSON <-> JSONata values),
//! `messages.rs` (jsonata-js error texts, syntax error positions), `guard.rs` (the
//! rewrite that bounds strings), `limits.rs`.

mod analysis;
mod convert;
mod expr;
mod functions;
mod guard;
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

    /// Calls `f` with a member of `$states` when it is available. The default goes
    /// through [`states_member`](Self::states_member); an environment that holds the
    /// value can lend it instead, sparing a copy of the whole input per evaluation.
    fn with_states_member(&self, name: &str, f: &mut dyn FnMut(&serde_json::Value)) {
        if let Some(value) = self.states_member(name) {
            f(&value);
        }
    }

    /// Like [`with_states_member`](Self::with_states_member), told which top-level
    /// members of the value the expression reads (`None`: the whole value), so an
    /// environment that builds the value (the context object) can build only those.
    fn with_states_member_reading(
        &self,
        name: &str,
        members: Option<&[&str]>,
        f: &mut dyn FnMut(&serde_json::Value),
    ) {
        let _ = members;
        self.with_states_member(name, f);
    }

    /// Calls `f` with a workflow variable when it is defined. The default goes
    /// through [`variable`](Self::variable); override it to lend the value instead.
    fn with_variable(&self, name: &str, f: &mut dyn FnMut(&serde_json::Value)) {
        if let Some(value) = self.variable(name) {
            f(&value);
        }
    }

    /// The time `$now()` and `$millis()` report, in milliseconds since the Unix
    /// epoch; `None` (the default) leaves them to the system clock.
    fn now_millis(&self) -> Option<i64> {
        None
    }
}
