//! JSONPath fields, reference paths, intrinsic functions and payload templates.
//!
//! - `InputPath`, `OutputPath`, `ItemsPath` and the `…Path` fields hold a path
//!   ([`JsonPath::parse`]); `InputPath`/`OutputPath` may also be `null`.
//! - `ResultPath` and a Choice rule's `Variable` hold a *reference* path: definite,
//!   no wildcards, filters or slices (`ResultPath` may be `null`).
//! - In a payload template (`Parameters`, `ResultSelector`, `ItemSelector`, JSONPath
//!   `Assign`, ...) a key ending in `.$` holds a path or an intrinsic function call,
//!   at any depth of nested objects and arrays.

use super::codes;
use super::context::{type_name, walk, Ctx};
use crate::intrinsics::Intrinsic;
use crate::jsonpath::{self, JsonPath};
use serde_json::Value;

/// True when a string looks like a path (`$`, `$.x`, `$$.x`, `$[0]`, `$var`).
pub(crate) fn looks_like_path(s: &str) -> bool {
    s == "$" || s == "$$" || s.starts_with("$.") || s.starts_with("$$.") || s.starts_with("$[")
}

/// The path text to parse: a path starting at a workflow variable (`$order.items[0]`)
/// has its name set aside (`$.items[0]`); `None` when `text` does not start with `$`.
fn without_variable(text: &str) -> Option<String> {
    let after_dollar = text.strip_prefix('$')?;
    if after_dollar.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        let name_len = after_dollar
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after_dollar.len());
        Some(format!("${}", &after_dollar[name_len..]))
    } else {
        Some(text.to_string())
    }
}

/// The workflow variable a path starts at (`$order.items[0]` → `order`), if any.
pub(crate) fn path_variable(text: &str) -> Option<&str> {
    let after_dollar = text.strip_prefix('$')?;
    let len = identifier_len(after_dollar);
    (len > 0).then(|| &after_dollar[..len])
}

/// The length in bytes of the variable name `s` starts with (0 when none does).
fn identifier_len(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        return 0;
    }
    s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

/// The workflow variables an intrinsic function call reads, as arguments or paths
/// starting at a variable (`States.Format('{}', $order.id)` → `order`), outside its
/// string literals; each once.
pub(crate) fn intrinsic_variables(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '\'' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '\'' => in_string = true,
            '$' => {
                let rest = &text[i + 1..];
                let len = identifier_len(rest);
                if len > 0 && !found.contains(&&rest[..len]) {
                    found.push(&rest[..len]);
                }
            }
            _ => {}
        }
    }
    found
}

/// Parses a path, which may start at a workflow variable; `Err` says why it is not one.
pub(crate) fn parse_path(text: &str) -> Result<JsonPath, String> {
    let Some(path_text) = without_variable(text) else {
        return Err(format!(
            "'{text}' is not a JSONPath: a path starts with '$'"
        ));
    };
    JsonPath::parse(&path_text).map_err(|e| format!("'{text}' is not a valid JSONPath: {e}"))
}

/// Parses a reference path (definite: property names and single indexes only); a
/// workflow variable may start it when `allow_variable` (a Choice `Variable`, not a
/// `ResultPath`, which writes into the state's input).
pub(crate) fn parse_reference(text: &str, allow_variable: bool) -> Result<JsonPath, String> {
    let path_text = if allow_variable {
        without_variable(text)
    } else {
        text.strip_prefix('$').map(|_| text.to_string())
    };
    let Some(path_text) = path_text else {
        return Err(format!(
            "'{text}' is not a reference path: a path starts with '$'"
        ));
    };
    jsonpath::parse_reference(&path_text).map_err(|e| {
        if e.message.contains("is not a reference path") {
            e.message
        } else {
            format!("'{text}' is not a valid reference path: {e}")
        }
    })
}

/// Checks an intrinsic function call.
pub(crate) fn parse_intrinsic(text: &str) -> Result<(), String> {
    Intrinsic::parse(text)
        .map(|_| ())
        .map_err(|e| format!("'{text}' is not a valid intrinsic function call: {e}"))
}

/// A field holding a path (or `null` when `nullable`).
pub(crate) fn check_path(ctx: &mut Ctx, v: &Value, ptr: &str, field: &str, nullable: bool) {
    match v {
        Value::Null if nullable => {}
        Value::String(s) => match parse_path(s) {
            Ok(_) => record_variable(ctx, s, ptr),
            Err(why) => ctx.schema(ptr, format!("'{field}': {why}")),
        },
        other => ctx.schema(
            ptr,
            format!(
                "'{field}' must be a JSONPath string, not {}",
                type_name(other)
            ),
        ),
    }
}

/// A field holding a reference path (or `null` when `nullable`); see [`parse_reference`].
pub(crate) fn check_reference_path(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    field: &str,
    nullable: bool,
    allow_variable: bool,
) {
    match v {
        Value::Null if nullable => {}
        Value::String(s) => match parse_reference(s, allow_variable) {
            Ok(_) if allow_variable => record_variable(ctx, s, ptr),
            Ok(_) => {}
            Err(why) => ctx.schema(ptr, format!("'{field}': {why}")),
        },
        other => ctx.schema(
            ptr,
            format!(
                "'{field}' must be a reference path string, not {}",
                type_name(other)
            ),
        ),
    }
}

/// A field holding a path or an intrinsic function call (`ErrorPath`, `CausePath`, `.$` values).
pub(crate) fn check_path_or_intrinsic(ctx: &mut Ctx, v: &Value, ptr: &str, field: &str) {
    match v {
        Value::String(s) => {
            if Intrinsic::looks_like(s) {
                match parse_intrinsic(s) {
                    Ok(()) => {
                        for name in intrinsic_variables(s) {
                            ctx.vars.reference(name, ptr);
                        }
                    }
                    Err(why) => ctx.schema(ptr, format!("'{field}': {why}")),
                }
            } else {
                match parse_path(s) {
                    Ok(_) => record_variable(ctx, s, ptr),
                    Err(why) => ctx.schema(ptr, format!("'{field}': {why}")),
                }
            }
        }
        other => ctx.schema(
            ptr,
            format!(
                "'{field}' must be a JSONPath or intrinsic function string, not {}",
                type_name(other)
            ),
        ),
    }
}

/// Records the workflow variable the path `text` at `ptr` starts at, if any.
fn record_variable(ctx: &mut Ctx, text: &str, ptr: &str) {
    if let Some(name) = path_variable(text) {
        ctx.vars.reference(name, ptr);
    }
}

/// A payload template that must be an object (`Parameters`, `ResultSelector`, ...).
pub(crate) fn check_template_object(ctx: &mut Ctx, v: &Value, ptr: &str, field: &str) {
    if !v.is_object() {
        ctx.schema(
            ptr,
            format!("'{field}' must be an object, not {}", type_name(v)),
        );
        return;
    }
    check_template(ctx, v, ptr);
}

/// Checks every `.$` key inside `value` (walked without recursion), and warns
/// (`NO_DOLLAR`) where a plain key holds what looks like a path or intrinsic.
pub(crate) fn check_template(ctx: &mut Ctx, value: &Value, ptr: &str) {
    walk(value, ptr, |v, key, cursor| {
        let Some(key) = key else {
            return true;
        };
        if let Some(name) = key.strip_suffix(".$") {
            let item_ptr = cursor.pointer();
            if name.is_empty() {
                ctx.schema(&item_ptr, "A field name must come before '.$'");
            }
            check_path_or_intrinsic(ctx, v, &item_ptr, key);
            return false;
        }
        if let Value::String(s) = v {
            if looks_like_path(s) || (Intrinsic::looks_like(s) && s.contains('(')) {
                ctx.warning(
                    codes::NO_DOLLAR,
                    cursor.pointer(),
                    format!(
                        "The value of '{key}' looks like a path or intrinsic function, \
                         but it is used as a literal string because the key does not end with '.$'"
                    ),
                );
            }
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes() {
        assert!(looks_like_path("$.a"));
        assert!(looks_like_path("$$.Execution.Id"));
        assert!(!looks_like_path("$5.00"));
        assert!(parse_path("a.b").is_err());
        assert!(parse_path("$.a").is_ok());
        assert!(parse_path("$order.items[0]").is_ok());
        assert!(parse_path("$x").is_ok());
    }

    #[test]
    fn variables_of_paths_and_intrinsics() {
        assert_eq!(path_variable("$order.items[0]"), Some("order"));
        assert_eq!(path_variable("$x"), Some("x"));
        assert_eq!(path_variable("$.x"), None);
        assert_eq!(path_variable("$$.Execution.Id"), None);
        assert_eq!(path_variable("$"), None);
        assert_eq!(
            intrinsic_variables(
                "States.Format('{} $not \\' $no', $a.b, $$.x, $.c, States.ArrayLength($list), $a)"
            ),
            ["a", "list"]
        );
    }
}
