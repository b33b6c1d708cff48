//! The typed, compiled form of a definition: what the engine runs.
//!
//! Built from a definition that [`crate::validate`] accepted ([`StateMachine::parse`]
//! does both). Nested state machines (Parallel branches, Map processors) are stored
//! flat in [`StateMachine::machines`] and referred to by [`MachineId`], states by
//! [`StateId`] within their machine, so the engine's execution state holds plain
//! indexes and stays serializable.

mod build;
mod states;

pub use build::DefinitionError;
pub use states::*;

use crate::validate::Diagnostic;
use serde_json::Value;
use std::collections::HashMap;

/// Index of a machine (the top level, a Parallel branch or a Map processor) in
/// [`StateMachine::machines`]. The top level is [`ROOT_MACHINE`].
pub type MachineId = usize;
/// Index of a state within its [`Machine`].
pub type StateId = usize;
/// The top-level machine's id.
pub const ROOT_MACHINE: MachineId = 0;

/// Which expression language a state uses for its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryLanguage {
    /// Paths, `.$` keys and intrinsic functions (the default).
    #[default]
    JsonPath,
    /// `{% ... %}` JSONata expressions.
    JsonAta,
}

/// A whole compiled definition.
#[derive(Debug, Clone)]
pub struct StateMachine {
    /// `Comment` at the top level.
    pub comment: Option<String>,
    /// The top-level `QueryLanguage`.
    pub query_language: QueryLanguage,
    /// `TimeoutSeconds` of the whole execution.
    pub timeout_seconds: Option<u64>,
    /// Every machine: the top level at [`ROOT_MACHINE`], then nested ones.
    pub machines: Vec<Machine>,
    /// The definition as given (for DescribeStateMachine and `$$.StateMachine`).
    pub source: Value,
}

/// One `StartAt` + `States` block.
#[derive(Debug, Clone)]
pub struct Machine {
    /// The state to start with.
    pub start_at: StateId,
    /// The states, in definition order.
    pub states: Vec<State>,
    /// State name to id.
    pub by_name: HashMap<String, StateId>,
}

impl StateMachine {
    /// Parses and validates a definition given as JSON text (which also catches
    /// what a parsed value hides: duplicate state names, JSON syntax errors).
    pub fn parse(text: &str) -> Result<Self, DefinitionError> {
        let diagnostics: Vec<Diagnostic> = crate::validate::validate_json(text)
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        if !diagnostics.is_empty() {
            return Err(DefinitionError::new(diagnostics));
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            DefinitionError::new(vec![Diagnostic {
                severity: crate::validate::Severity::Error,
                code: "INVALID_JSON_DESCRIPTION".into(),
                message: format!("the definition is not valid JSON: {e}"),
                location: String::new(),
            }])
        })?;
        build::build(value)
    }

    /// Validates and compiles a parsed definition.
    pub fn from_value(value: Value) -> Result<Self, DefinitionError> {
        let diagnostics: Vec<Diagnostic> = crate::validate::validate(&value)
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        if !diagnostics.is_empty() {
            return Err(DefinitionError::new(diagnostics));
        }
        build::build(value)
    }

    /// The machine with this id.
    pub fn machine(&self, id: MachineId) -> &Machine {
        &self.machines[id]
    }

    /// A state by machine and state id.
    pub fn state(&self, machine: MachineId, state: StateId) -> &State {
        &self.machines[machine].states[state]
    }
}
