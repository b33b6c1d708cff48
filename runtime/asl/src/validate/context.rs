//! The collector every check writes to, JSON pointers, and the nesting limits.

use super::codes;
use super::scopes::Vars;
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

/// Collects diagnostics, the state names seen so far (unique machine-wide), and the
/// workflow variables' assignments and references (analysed once every state is
/// checked, see `scopes`).
pub(crate) struct Ctx {
    diagnostics: Vec<Diagnostic>,
    state_names: HashMap<String, String>,
    pub(crate) vars: Vars,
}

impl Ctx {
    pub(crate) fn new() -> Self {
        Ctx {
            diagnostics: Vec::new(),
            state_names: HashMap::new(),
            vars: Vars::default(),
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

/// One step of a pointer: an object key or an array index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// Where [`walk`] is: the steps from its root. The pointer is built only when asked,
/// so walking deep values stays linear.
pub(crate) struct Cursor<'a> {
    base: &'a str,
    steps: Vec<Step<'a>>,
}

impl Cursor<'_> {
    /// The JSON pointer of the current value.
    pub(crate) fn pointer(&self) -> String {
        let mut out = self.base.to_string();
        for step in &self.steps {
            out = match step {
                Step::Key(k) => child(&out, k),
                Step::Index(i) => index(&out, *i),
            };
        }
        out
    }
}

enum Frame<'a> {
    Object(serde_json::map::Iter<'a>),
    Array(std::iter::Enumerate<std::slice::Iter<'a, serde_json::Value>>),
}

fn frame(v: &serde_json::Value) -> Option<Frame<'_>> {
    match v {
        serde_json::Value::Object(map) => Some(Frame::Object(map.iter())),
        serde_json::Value::Array(items) => Some(Frame::Array(items.iter().enumerate())),
        _ => None,
    }
}

/// Visits `root` and every value inside it in document order, without recursion (any
/// depth is fine). `visit` gets the value, its key when it is an object member, and the
/// cursor; it returns whether to go inside the value.
pub(crate) fn walk<'a>(
    root: &'a serde_json::Value,
    base: &'a str,
    mut visit: impl FnMut(&'a serde_json::Value, Option<&'a str>, &Cursor<'a>) -> bool,
) {
    let mut cursor = Cursor {
        base,
        steps: Vec::new(),
    };
    if !visit(root, None, &cursor) {
        return;
    }
    let mut stack: Vec<Frame<'a>> = frame(root).into_iter().collect();
    while let Some(top) = stack.last_mut() {
        let next = match top {
            Frame::Object(it) => it
                .next()
                .map(|(k, v)| (Step::Key(k.as_str()), Some(k.as_str()), v)),
            Frame::Array(it) => it.next().map(|(i, v)| (Step::Index(i), None, v)),
        };
        match next {
            None => {
                stack.pop();
                cursor.steps.pop();
            }
            Some((step, key, v)) => {
                cursor.steps.push(step);
                let inner = if visit(v, key, &cursor) {
                    frame(v)
                } else {
                    None
                };
                match inner {
                    Some(f) => stack.push(f),
                    None => {
                        cursor.steps.pop();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_visits_in_order_with_pointers() {
        let v = serde_json::json!({"a": [1, {"b/c": 2}], "d": {"skip": {"x": 3}}});
        let mut seen = Vec::new();
        walk(&v, "/P", |value, key, cursor| {
            seen.push(cursor.pointer());
            let _ = value;
            key != Some("skip")
        });
        assert_eq!(
            seen,
            [
                "/P",
                "/P/a",
                "/P/a/0",
                "/P/a/1",
                "/P/a/1/b~1c",
                "/P/d",
                "/P/d/skip"
            ]
        );
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(child("/States", "a/b~c"), "/States/a~1b~0c");
        assert_eq!(child("", "StartAt"), "/StartAt");
        assert_eq!(index("/States/T/Retry", 2), "/States/T/Retry/2");
    }
}
