//! `Assign`: the names a workflow variable may have, what it assigns, and the names it
//! sets (for the scope analysis of [`scopes`](super::scopes)).
//!
//! - `Assign` is an object; in JSONPath a key ending in `.$` holds a path or an
//!   intrinsic (the variable is the key without `.$`), in JSONata `{% %}` strings are
//!   expressions.
//! - A variable name is 1 to [`MAX_VARIABLE_NAME_LENGTH`] characters, starts with a
//!   letter or `_`, and holds only letters, digits and `_`; `states` is reserved for
//!   `$states`. Anything else is `SCHEMA_VALIDATION_FAILED` at the key.
//! - More than [`MAX_ASSIGN_BYTES`] of literal values in one `Assign` is a warning
//!   (`ASSIGN_TOO_LARGE`): AWS accepts the definition and fails the state when it runs.
//!
//! Where `Assign` may appear is decided by the field tables (`fields`): Pass, Task,
//! Choice (and its top-level rules), Wait, Parallel, Map and catchers; not Succeed or
//! Fail, nor retriers or nested Choice rules.

use super::codes;
use super::context::{child, type_name, walk, Ctx, Lang};
use super::jsonata::{self, Site};
use super::paths;
use serde_json::{Map, Value};

/// Longest variable name, in characters.
pub(crate) const MAX_VARIABLE_NAME_LENGTH: usize = 80;

/// Most bytes of values one `Assign` may set (256 KiB).
pub(crate) const MAX_ASSIGN_BYTES: usize = 262_144;

/// Checks an `Assign` field at `ptr`, in a state of query language `lang`, whose
/// expressions may read the `$states` members of `site`.
pub(crate) fn check_assign(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang, site: Site) {
    let Value::Object(vars) = v else {
        ctx.schema(
            ptr,
            format!("'Assign' must be an object, not {}", type_name(v)),
        );
        return;
    };
    for key in vars.keys() {
        let name = match lang {
            // A bare `.$` is reported by the template check.
            Lang::JsonPath if key == ".$" => continue,
            Lang::JsonPath => key.strip_suffix(".$").unwrap_or(key),
            Lang::Jsonata => key,
        };
        if let Err(why) = check_name(name) {
            ctx.schema(child(ptr, key), why);
        }
    }
    ctx.vars.assigns(assigned_names(Some(v)));
    match lang {
        Lang::JsonPath => paths::check_template(ctx, v, ptr),
        Lang::Jsonata => jsonata::check_values(ctx, v, ptr, site),
    }
    if literal_bytes(vars, lang) > MAX_ASSIGN_BYTES {
        ctx.warning(
            codes::ASSIGN_TOO_LARGE,
            ptr,
            format!(
                "'Assign' sets more than {MAX_ASSIGN_BYTES} bytes (256 KiB) of literal values, over the limit for one state: the state fails when it runs"
            ),
        );
    }
}

/// Why `name` cannot be a variable name, if it cannot.
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err("A variable name may not be empty".into());
    };
    if name == "states" {
        return Err(
            "'states' is reserved for '$states' and cannot be the name of a variable".into(),
        );
    }
    if name.chars().count() > MAX_VARIABLE_NAME_LENGTH {
        return Err(format!(
            "Variable names must be at most {MAX_VARIABLE_NAME_LENGTH} characters long"
        ));
    }
    if !(first.is_alphabetic() || first == '_') {
        return Err(format!(
            "Invalid variable name '{name}': a variable name must start with a letter or '_'"
        ));
    }
    if let Some(c) = chars.find(|c| !(c.is_alphanumeric() || *c == '_')) {
        return Err(format!(
            "Invalid variable name '{name}': a variable name may hold only letters, digits and '_', not {c:?}"
        ));
    }
    Ok(())
}

/// The variables an `Assign` field sets (keys without `.$`); none when it is absent or
/// not an object.
pub(crate) fn assigned_names(assign: Option<&Value>) -> Vec<String> {
    match assign {
        Some(Value::Object(vars)) => vars
            .keys()
            .map(|k| k.strip_suffix(".$").unwrap_or(k).to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// Bytes of the compact JSON of the values of `vars` that are literal (no `.$` key in
/// JSONPath, no expression in JSONata), at least: escapes in strings are not counted.
/// Walked without recursion; stops growing once past the limit.
fn literal_bytes(vars: &Map<String, Value>, lang: Lang) -> usize {
    let mut total = 0usize;
    for (key, value) in vars {
        if total > MAX_ASSIGN_BYTES {
            break;
        }
        if lang == Lang::JsonPath && key.ends_with(".$") || is_computed(value, lang) {
            continue;
        }
        walk(value, "", |v, key, _| {
            total += key.map_or(0, |k| k.len() + 3) + own_len(v);
            total <= MAX_ASSIGN_BYTES
        });
    }
    total
}

/// The bytes a value adds besides its members: a scalar's text, or brackets and commas.
fn own_len(v: &Value) -> usize {
    match v {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => s.len() + 2,
        Value::Array(items) => 1 + items.len().max(1),
        Value::Object(map) => 1 + map.len().max(1),
    }
}

/// True when `value` holds something evaluated when the state runs.
fn is_computed(value: &Value, lang: Lang) -> bool {
    let mut computed = false;
    walk(value, "", |v, key, _| {
        computed |= match lang {
            Lang::JsonPath => key.is_some_and(|k| k.ends_with(".$")),
            Lang::Jsonata => matches!(v, Value::String(s) if jsonata::starts_expression(s)),
        };
        !computed
    });
    computed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names() {
        for ok in ["x", "_x", "order_id2", "Größe", "a".repeat(80).as_str()] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "states",
            "2x",
            "a-b",
            "a.b",
            "$x",
            "a b",
            "a".repeat(81).as_str(),
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn assigned() {
        let v = json!({"a": 1, "b.$": "$.b"});
        assert_eq!(assigned_names(Some(&v)), ["a", "b"]);
        assert!(assigned_names(Some(&json!([1]))).is_empty());
    }

    #[test]
    fn a_large_literal_assign_is_a_warning() {
        let big = "x".repeat(MAX_ASSIGN_BYTES);
        let d = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"big": big}, "End": true}}});
        let found = crate::validate::validate(&d);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, codes::ASSIGN_TOO_LARGE);
        assert_eq!(found[0].location, "/States/A/Assign");
        assert!(!found[0].is_error());
    }

    #[test]
    fn literal_size() {
        let big = "x".repeat(MAX_ASSIGN_BYTES);
        let vars = json!({"a": big, "b.$": "$.b"});
        let Value::Object(vars) = vars else {
            unreachable!()
        };
        assert!(literal_bytes(&vars, Lang::JsonPath) > MAX_ASSIGN_BYTES);
        let small = json!({"a": "{% $x %}", "b": [1, 2]});
        let Value::Object(small) = small else {
            unreachable!()
        };
        // `[1,2]`
        assert_eq!(literal_bytes(&small, Lang::Jsonata), 5);
    }
}
