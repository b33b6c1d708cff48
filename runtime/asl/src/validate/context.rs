//! The collector every check writes to, JSON pointers, and the nesting limits.

use super::codes;
use super::{Diagnostic, Severity};
use std::collections::HashMap;

/// Deepest nesting of Parallel branches and Map item processors: the definition's own
/// `States` is depth 0, a branch of a top-level Parallel depth 1. Deeper is
/// `TOO_DEEPLY_NESTED` (this bounds the validator's recursion). Each level is 3 or 4
/// levels of JSON, so 20 stays well inside serde_json's parsing limit of 128.
pub const MAX_MACHINE_DEPTH: usize = 20;

/// Deepest nesting of Choice rules through `And`, `Or` and `Not` (a rule in `Choices`
/// is depth 0). Deeper is `TOO_DEEPLY_NESTED`.
pub const MAX_CHOICE_RULE_DEPTH: usize = 64;

/// Longest state name, in Unicode characters.
pub const MAX_STATE_NAME_LENGTH: usize = 80;

/// The query language in force for a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    /// `"QueryLanguage": "JSONPath"`, the default.
    JsonPath,
    /// `"QueryLanguage": "JSONata"`.
    Jsonata,
}

impl Lang {
    /// The name as written in a definition.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Lang::JsonPath => "JSONPath",
            Lang::Jsonata => "JSONata",
        }
    }
}

/// Collects diagnostics, and the state names seen so far (unique machine-wide).
pub(crate) struct Ctx {
    diagnostics: Vec<Diagnostic>,
    state_names: HashMap<String, String>,
}

impl Ctx {
    pub(crate) fn new() -> Self {
        Ctx {
            diagnostics: Vec::new(),
            state_names: HashMap::new(),
        }
    }

    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Records an error.
    pub(crate) fn error(
        &mut self,
        code: &str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Error, code, location.into(), message.into());
    }

    /// Records a warning.
    pub(crate) fn warning(
        &mut self,
        code: &str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, code, location.into(), message.into());
    }

    /// Records a `SCHEMA_VALIDATION_FAILED` error.
    pub(crate) fn schema(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.error(codes::SCHEMA_VALIDATION_FAILED, location, message);
    }

    fn push(&mut self, severity: Severity, code: &str, location: String, message: String) {
        self.diagnostics.push(Diagnostic {
            severity,
            code: code.to_string(),
            message,
            location,
        });
    }

    /// Remembers a state name; returns the pointer of the earlier state of that name
    /// when there is one.
    pub(crate) fn register_state_name(&mut self, name: &str, location: &str) -> Option<String> {
        match self.state_names.get(name) {
            Some(first) => Some(first.clone()),
            None => {
                self.state_names
                    .insert(name.to_string(), location.to_string());
                None
            }
        }
    }
}

/// `base` + `/key`, with `~` and `/` escaped as RFC 6901 asks.
pub(crate) fn child(base: &str, key: &str) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// `base` + `/index`.
pub(crate) fn index(base: &str, i: usize) -> String {
    format!("{base}/{i}")
}

/// A JSON type name for messages.
pub(crate) fn type_name(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(child("/States", "a/b~c"), "/States/a~1b~0c");
        assert_eq!(child("", "StartAt"), "/StartAt");
        assert_eq!(index("/States/T/Retry", 2), "/States/T/Retry/2");
    }
}
