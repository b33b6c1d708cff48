//! Paths rooted at a workflow variable (`$name`, `$name.a[0]`), as Assign-era ASL
//! allows in payload templates and intrinsic arguments.

use super::select::Mode;
use super::{JsonPath, PathScope, PathSyntaxError};
use serde_json::Value;

/// A JSONPath whose root is a workflow variable: `$order`, `$order.items[0].id`.
#[derive(Debug, Clone, PartialEq)]
pub struct VariablePath {
    text: String,
    name: String,
    path: JsonPath,
}

/// True for a character that may start a variable name.
fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

impl VariablePath {
    /// True when `text` has the shape of a variable reference (`$` then a name start),
    /// as opposed to `$`, `$.x`, `$[0]` or `$$...`.
    pub fn looks_like(text: &str) -> bool {
        let mut chars = text.trim_start().chars();
        chars.next() == Some('$') && chars.next().is_some_and(is_name_start)
    }

    /// Parses `$name` optionally followed by path steps (`.a`, `[0]`, ...).
    pub fn parse(text: &str) -> Result<Self, PathSyntaxError> {
        let trimmed = text.trim();
        let offset = text.len() - text.trim_start().len();
        let Some(after_dollar) = trimmed.strip_prefix('$') else {
            return Err(PathSyntaxError {
                position: offset,
                message: "a variable reference must start with '$'".into(),
            });
        };
        if !after_dollar.starts_with(is_name_start) {
            return Err(PathSyntaxError {
                position: offset + 1,
                message: "a variable name must start with a letter or '_'".into(),
            });
        }
        let name_len = after_dollar
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after_dollar.len());
        let (name, rest) = after_dollar.split_at(name_len);
        let rest_start = offset + 1 + name_len;
        let path = JsonPath::parse(&format!("${rest}")).map_err(|e| PathSyntaxError {
            position: (e.position + rest_start).saturating_sub(1),
            message: e.message,
        })?;
        Ok(VariablePath {
            text: text.to_string(),
            name: name.to_string(),
            path,
        })
    }

    /// The reference as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The variable's name (`order` in `$order.items`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The steps after the name, as a path rooted at the variable's value (`$.items`).
    pub fn path(&self) -> &JsonPath {
        &self.path
    }

    /// Looks the variable up in `scope` and applies the steps (as [`JsonPath::select`]).
    /// `None` when the variable is not set or the steps select nothing.
    pub fn resolve(&self, scope: &dyn PathScope) -> Option<Value> {
        let value = scope.variable(&self.name)?;
        self.path.select(&value)
    }

    /// Like [`VariablePath::resolve`] with [`JsonPath::select_strict`]'s index rule.
    pub fn resolve_strict(&self, scope: &dyn PathScope) -> Option<Value> {
        let value = scope.variable(&self.name)?;
        self.path.select_mode(&value, Mode::Strict)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::borrow::Cow;

    struct Vars;
    impl PathScope for Vars {
        fn input(&self) -> &Value {
            &Value::Null
        }
        fn context(&self, _: Option<&str>) -> Cow<'_, Value> {
            Cow::Owned(Value::Null)
        }
        fn variable(&self, name: &str) -> Option<Cow<'_, Value>> {
            (name == "order").then(|| Cow::Owned(json!({"items": [{"id": 7}], "n": null})))
        }
    }

    #[test]
    fn parses_and_resolves() {
        let v = VariablePath::parse("$order.items[0].id").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.name(), "order");
        assert_eq!(v.path().as_str(), "$.items[0].id");
        assert_eq!(v.resolve(&Vars), Some(json!(7)));
        assert_eq!(
            VariablePath::parse("$order")
                .ok()
                .and_then(|v| v.resolve(&Vars)),
            Some(json!({"items": [{"id": 7}], "n": null}))
        );
        let missing = VariablePath::parse("$nope.x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(missing.resolve(&Vars), None);
        let oob = VariablePath::parse("$order.items[3]").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(oob.resolve(&Vars), Some(Value::Null));
        assert_eq!(oob.resolve_strict(&Vars), None);
    }

    #[test]
    fn shape_and_errors() {
        assert!(VariablePath::looks_like("$x"));
        assert!(VariablePath::looks_like("$_x.y"));
        assert!(!VariablePath::looks_like("$"));
        assert!(!VariablePath::looks_like("$.x"));
        assert!(!VariablePath::looks_like("$$.x"));
        assert!(!VariablePath::looks_like("$1"));
        let e = VariablePath::parse("$.x").err().map(|e| e.position);
        assert_eq!(e, Some(1));
        let e = VariablePath::parse("$order.")
            .err()
            .map(|e| (e.position, e.message));
        assert_eq!(e, Some((7, "a path must not end with '.'".to_string())));
    }
}
