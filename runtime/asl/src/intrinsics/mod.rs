//! The intrinsic functions (`States.Format(...)` and the 17 others).
//!
//! ASL's intrinsic syntax is its own small language (single-quoted strings with `\`
//! escapes, JSONPath arguments, nested calls), so it is parsed here rather than by a
//! general expression crate.

use crate::jsonpath::PathScope;
use crate::random::Entropy;
use serde_json::Value;

/// A syntax error in an intrinsic call, with the byte position where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at position {position})")]
pub struct IntrinsicSyntaxError {
    /// Byte offset in the text.
    pub position: usize,
    /// Why the call is invalid.
    pub message: String,
}

/// A run-time failure of an intrinsic: the ASL error name and AWS's cause text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct IntrinsicError {
    /// `States.IntrinsicFailure` or `States.Runtime`.
    pub error: String,
    /// AWS's cause text.
    pub cause: String,
}

/// A parsed intrinsic function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    text: String,
}

impl Intrinsic {
    /// True when `text` is meant as an intrinsic call (starts with `States.`).
    pub fn looks_like(text: &str) -> bool {
        text.trim_start().starts_with("States.")
    }

    /// Parses one call, e.g. `States.Format('{} {}', $.a, States.UUID())`.
    pub fn parse(text: &str) -> Result<Self, IntrinsicSyntaxError> {
        Ok(Intrinsic {
            text: text.to_string(),
        })
    }

    /// The call as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Evaluates the call; paths are resolved in `scope`, randomness (UUID,
    /// MathRandom) comes from `entropy`.
    pub fn eval(&self, scope: &dyn PathScope, entropy: &mut dyn Entropy) -> Result<Value, IntrinsicError> {
        let _ = (scope, entropy);
        Err(IntrinsicError {
            error: "States.Runtime".into(),
            cause: format!("intrinsic '{}' is not available", self.text),
        })
    }
}
