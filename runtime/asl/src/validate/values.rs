//! Numbers, ranges, timestamps and labels.

use super::codes;
use super::context::{type_name, Ctx, Lang};
use super::jsonata::{self, Site};
use serde_json::Value;

/// Largest value of `TimeoutSeconds`, `HeartbeatSeconds`, Wait `Seconds`,
/// `IntervalSeconds` and `MaxAttempts` AWS accepts.
pub(crate) const MAX_SECONDS: i64 = 99_999_999;

/// Largest `MaxDelaySeconds` (one year and a day, as AWS documents it).
pub(crate) const MAX_DELAY_SECONDS: i64 = 31_622_400;

/// Longest Map `Label`, in characters.
pub(crate) const MAX_LABEL_LENGTH: usize = 40;

/// The value as an integer when it is written as one (`3`, not `3.0`). Integers beyond
/// `i64` saturate, so range checks still report them.
pub(crate) fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_u64().map(|_| i64::MAX)),
        _ => None,
    }
}

/// Checks an integer field within `min..=max`; returns it when valid.
pub(crate) fn check_int(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    field: &str,
    min: i64,
    max: i64,
) -> Option<i64> {
    match as_int(v) {
        Some(n) if n >= min && n <= max => Some(n),
        Some(_) => {
            ctx.schema(ptr, range_message(field, min, max, "an integer"));
            None
        }
        None => {
            ctx.schema(
                ptr,
                format!("'{field}' must be an integer, not {}", describe(v)),
            );
            None
        }
    }
}

/// Checks a number field within `min..=max`; returns it when valid.
pub(crate) fn check_number(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    field: &str,
    min: f64,
    max: f64,
) -> Option<f64> {
    match v.as_f64() {
        Some(n) if n >= min && n <= max => Some(n),
        Some(_) if max == f64::MAX => {
            ctx.schema(ptr, format!("'{field}' must be a number >= {min}"));
            None
        }
        Some(_) => {
            ctx.schema(
                ptr,
                format!("'{field}' must be a number between {min} and {max}"),
            );
            None
        }
        None => {
            ctx.schema(
                ptr,
                format!("'{field}' must be a number, not {}", describe(v)),
            );
            None
        }
    }
}

/// In a JSONata state, a `{% %}` string stands for the value: checks it as an
/// expression and says so (the caller then skips its literal checks).
fn checked_as_expression(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang) -> bool {
    match v {
        Value::String(s) if lang == Lang::Jsonata && jsonata::starts_expression(s) => {
            jsonata::check_expression(ctx, s, ptr, Site::PLAIN);
            true
        }
        _ => false,
    }
}

/// An integer field that may also be a `{% %}` expression in JSONata states.
pub(crate) fn check_int_or_expr(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    field: &str,
    min: i64,
    max: i64,
    lang: Lang,
) -> Option<i64> {
    if checked_as_expression(ctx, v, ptr, lang) {
        return None;
    }
    check_int(ctx, v, ptr, field, min, max)
}

/// A number field that may also be a `{% %}` expression in JSONata states.
pub(crate) fn check_number_or_expr(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    field: &str,
    min: f64,
    max: f64,
    lang: Lang,
) -> Option<f64> {
    if checked_as_expression(ctx, v, ptr, lang) {
        return None;
    }
    check_number(ctx, v, ptr, field, min, max)
}

/// Checks that a field is a string; returns it.
pub(crate) fn check_string<'a>(
    ctx: &mut Ctx,
    v: &'a Value,
    ptr: &str,
    field: &str,
) -> Option<&'a str> {
    match v {
        Value::String(s) => Some(s),
        other => {
            ctx.schema(
                ptr,
                format!("'{field}' must be a string, not {}", type_name(other)),
            );
            None
        }
    }
}

/// Checks that a field is a string equal to one of `allowed`.
pub(crate) fn check_enum(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    field: &str,
    allowed: &[&str],
) -> Option<usize> {
    let s = check_string(ctx, v, ptr, field)?;
    match allowed.iter().position(|a| *a == s) {
        Some(i) => Some(i),
        None => {
            ctx.schema(
                ptr,
                format!(
                    "'{field}' must be one of {}, not '{s}'",
                    quoted_list(allowed)
                ),
            );
            None
        }
    }
}

/// True when `s` is an ISO-8601 date-time as AWS accepts it (RFC 3339, with an
/// uppercase `T` between date and time and an uppercase `Z` or a numeric offset).
pub(crate) fn is_timestamp(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() < 20 || bytes[10] != b'T' || s.contains('z') || s.contains('t') {
        return false;
    }
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// Checks a Map `Label`: at most 40 characters, none of them blank, a control
/// character or one of ``? * < > { } [ ] : ; , \ | ^ ~ $ # % & ` "``.
pub(crate) fn check_label(ctx: &mut Ctx, v: &Value, ptr: &str) {
    let Some(label) = check_string(ctx, v, ptr, "Label") else {
        return;
    };
    if label.chars().count() > MAX_LABEL_LENGTH {
        ctx.error(
            codes::INVALID_LABEL_NAME,
            ptr,
            format!("'Label' must be at most {MAX_LABEL_LENGTH} characters long"),
        );
    }
    const FORBIDDEN: &str = "?*<>{}[]:;,\\|^~$#%&`\"";
    if let Some(c) = label
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(*c))
    {
        ctx.error(
            codes::INVALID_LABEL_NAME,
            ptr,
            format!("'Label' may not contain {c:?}"),
        );
    }
}

fn range_message(field: &str, min: i64, max: i64, kind: &str) -> String {
    if max == i64::MAX {
        format!("'{field}' must be {kind} >= {min}")
    } else {
        format!("'{field}' must be {kind} between {min} and {max}")
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Number(n) => format!("the number {n}"),
        other => type_name(other).to_string(),
    }
}

/// `'A', 'B' or 'C'`.
pub(crate) fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2016-03-14T01:59:00Z"));
        assert!(is_timestamp("2016-03-14T01:59:00.123+02:00"));
        assert!(!is_timestamp("2016-03-14 01:59:00Z"));
        assert!(!is_timestamp("2016-03-14t01:59:00z"));
        assert!(!is_timestamp("2016-03-14"));
        assert!(!is_timestamp("2016-13-14T01:59:00Z"));
        assert!(!is_timestamp("yesterday"));
    }

    #[test]
    fn integers_are_not_floats() {
        assert_eq!(as_int(&serde_json::json!(3)), Some(3));
        assert_eq!(as_int(&serde_json::json!(3.0)), None);
        assert_eq!(as_int(&serde_json::json!(u64::MAX)), Some(i64::MAX));
    }

    #[test]
    fn lists() {
        assert_eq!(quoted_list(&["A"]), "'A'");
        assert_eq!(quoted_list(&["A", "B", "C"]), "'A', 'B' or 'C'");
    }
}
