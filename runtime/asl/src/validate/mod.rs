//! Static validation of a definition, as ValidateStateMachineDefinition does it:
//! every problem found at once, each naming its field by a JSON pointer.
//!
//! # Layout
//! - [`codes`]: the diagnostic codes (AWS's own where AWS has one).
//! - `context`: the collector every check writes to, JSON pointers, nesting limits.
//! - `top`: the top-level fields and every "sub-machine" (`StartAt` + `States`), shared
//!   by the definition itself, Parallel branches and Map item processors.
//! - `fields`: which fields each state type allows, and which only one query language allows.
//! - `states/`: one file per state type (`pass.rs`, `task.rs`, `choice.rs`, `wait.rs`,
//!   `terminal.rs` for Succeed and Fail, `parallel.rs`, `map.rs`), and the fields they share.
//! - `choice_rules`: Choice rules (`Variable` + operator, `And`/`Or`/`Not`, `Condition`).
//! - `retry_catch`: retriers and catchers.
//! - `paths`: JSONPath, reference paths, intrinsic functions and payload templates (`.$` keys).
//! - `jsonata`: `{% ... %}` expressions: parsed, `$states` members per field, no
//!   top-level references; `jsonata_ast` walks the parsed expression for them.
//! - `variables`: `Assign` (variable names, size); `scopes`: which variables each
//!   reference can see (scopes of Parallel branches and Map iterations, transitions).
//! - `values`: numbers, ranges, timestamps and labels.
//! - `reachability`: transitions, `MISSING_TRANSITION_TARGET`, unreachable states, terminal states.
//! - `duplicates`: [`validate_json`], which also finds duplicate state names in the raw text.
//!
//! # Locations
//! Every diagnostic's `location` is a JSON pointer (RFC 6901, so `~` and `/` in a state
//! name are written `~0` and `~1`):
//! - a field with a wrong value, or a field that is not allowed: the field itself
//!   (`/States/Charge/Retry/0/BackoffRate`);
//! - a required field that is missing: where it belongs (`/StartAt`, `/States/T/Resource`);
//! - a rule about several fields together (exactly one of `Next`/`End`, `Seconds` or
//!   `SecondsPath`, ...): the object holding them (`/States/W`);
//! - an unreachable state or a duplicate state name: the state (`/States/Orphan`);
//! - a `States` block without a terminal state: that block (`/States`).

pub mod codes;

mod choice_rules;
mod context;
mod duplicates;
mod fields;
mod jsonata;
mod jsonata_ast;
mod paths;
mod reachability;
mod retry_catch;
mod scopes;
mod states;
#[cfg(test)]
mod tests;
mod top;
mod values;
mod variables;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use context::{MAX_CHOICE_RULE_DEPTH, MAX_MACHINE_DEPTH, MAX_STATE_NAME_LENGTH};
pub use duplicates::validate_json;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// The definition cannot be used.
    Error,
    /// The definition is accepted but probably wrong.
    Warning,
}

/// One problem in a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// AWS's diagnostic code, e.g. `SCHEMA_VALIDATION_FAILED`.
    pub code: String,
    /// Why the field is wrong, for a person.
    pub message: String,
    /// JSON pointer to the field, e.g. `/States/Charge/Retry/0/BackoffRate`.
    pub location: String,
}

impl Diagnostic {
    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    /// AWS's wording: `CODE: message at /location` (no `at` for the whole definition).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if !self.location.is_empty() {
            write!(f, " at {}", self.location)?;
        }
        Ok(())
    }
}

/// Checks a parsed definition; returns every diagnostic found (empty when valid).
///
/// Errors and warnings both appear; a definition is usable when no diagnostic is an
/// error (see [`has_errors`]). Never panics, whatever the value: nesting of Parallel
/// and Map states is bounded by [`MAX_MACHINE_DEPTH`] and of Choice rules by
/// [`MAX_CHOICE_RULE_DEPTH`] (`TOO_DEEPLY_NESTED` beyond).
///
/// Duplicate state names inside one `States` object cannot be seen in a parsed value
/// (the last one wins); [`validate_json`] reports them from the text.
pub fn validate(definition: &Value) -> Vec<Diagnostic> {
    let mut ctx = context::Ctx::new();
    top::check_definition(&mut ctx, definition);
    ctx.into_diagnostics()
}

/// True when at least one diagnostic is an error (ValidateStateMachineDefinition's `FAIL`).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
