//! Limits that stop a runaway evaluation with an error instead of letting it hang,
//! exhaust memory or overflow the stack.
//!
//! jsonata-js (which AWS runs) has none of these beyond the JavaScript stack; they are
//! set well above what a workflow expression needs, so that only a runaway hits them.
//! Strings are bounded by a parse-time rewrite (see `guard.rs`).
//! Regular expressions need no limit of their own: the `regex` crate matches in time
//! linear in the subject, and a pattern that compiles too large is a plain error.

use jsonata_core::evaluator::EvaluatorOptions;

/// Deepest evaluation nesting, in evaluator levels (jsonata-core's `max_stack_depth`).
/// A non-tail recursive JSONata call costs about three levels, so this allows about
/// 1,000 nested calls; deeper recursion fails with `D1011`. Tail calls do not nest.
pub const DEFAULT_MAX_STACK_DEPTH: usize = 3_000;

/// Longest sequence an evaluation may build, in items (jsonata-core's
/// `max_sequence_length`: ranges, `$map`, `$filter`, path results, `$append` ...);
/// longer fails with `D2015`. Also bounds `$range` and `$partition`.
pub const DEFAULT_MAX_SEQUENCE_LENGTH: usize = 1_000_000;

/// Wall-clock budget of one evaluation, in milliseconds; past it the evaluation fails
/// with `D1012`. A last resort for loops the other limits do not catch (tail
/// recursion runs in constant stack).
pub const DEFAULT_TIMEOUT_MS: u64 = 5_000;

/// Deepest nesting of arrays and objects in a result, in levels; deeper results fail.
/// Keeps values that later code walks recursively (serialization, dropping) far from
/// the native stack's limit. Jackson, which AWS parses JSON with, rejects documents
/// nested deeper than 1,000 levels.
pub const DEFAULT_MAX_RESULT_DEPTH: usize = 1_000;

/// Longest string an evaluation may build with `&`, in bytes (UTF-8), and largest
/// `$pad` width, in characters; beyond them the evaluation fails instead of doubling
/// a string into gigabytes. AWS's payloads are at most 256 KiB.
pub const DEFAULT_MAX_STRING_BYTES: usize = 16 * 1024 * 1024;

/// The limits of one evaluation. [`Limits::default`] uses the `DEFAULT_*` constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// See [`DEFAULT_MAX_STACK_DEPTH`] (evaluator levels).
    pub max_stack_depth: usize,
    /// See [`DEFAULT_MAX_SEQUENCE_LENGTH`] (items).
    pub max_sequence_length: usize,
    /// See [`DEFAULT_TIMEOUT_MS`] (milliseconds).
    pub timeout_ms: u64,
    /// See [`DEFAULT_MAX_RESULT_DEPTH`] (nesting levels).
    pub max_result_depth: usize,
    /// See [`DEFAULT_MAX_STRING_BYTES`] (bytes).
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_stack_depth: DEFAULT_MAX_STACK_DEPTH,
            max_sequence_length: DEFAULT_MAX_SEQUENCE_LENGTH,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_result_depth: DEFAULT_MAX_RESULT_DEPTH,
            max_string_bytes: DEFAULT_MAX_STRING_BYTES,
        }
    }
}

impl Limits {
    /// The evaluator options that enforce these limits.
    pub(crate) fn options(&self) -> EvaluatorOptions {
        EvaluatorOptions {
            timeout_ms: Some(self.timeout_ms),
            cancel: None,
            max_stack_depth: Some(self.max_stack_depth),
            max_sequence_length: Some(self.max_sequence_length),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_constants() {
        let limits = Limits::default();
        assert_eq!(limits.max_stack_depth, DEFAULT_MAX_STACK_DEPTH);
        assert_eq!(limits.max_sequence_length, DEFAULT_MAX_SEQUENCE_LENGTH);
        assert_eq!(limits.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(limits.max_result_depth, DEFAULT_MAX_RESULT_DEPTH);
        assert_eq!(limits.max_string_bytes, DEFAULT_MAX_STRING_BYTES);
        let options = limits.options();
        assert_eq!(options.max_stack_depth, Some(DEFAULT_MAX_STACK_DEPTH));
        assert_eq!(
            options.max_sequence_length,
            Some(DEFAULT_MAX_SEQUENCE_LENGTH)
        );
        assert_eq!(options.timeout_ms, Some(DEFAULT_TIMEOUT_MS));
    }
}
