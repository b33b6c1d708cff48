//! `States.Format`, and how AWS (Java) prints a JSON value as text.
//!
//! AWS converts arguments to Java objects and prints them with `toString()`: a
//! string as is (no quotes), `null`, `true`, an integer in full, a double the way
//! `Double.toString` does (`1.1`, `1.0E21`), an array as `[a, b]` and an object as
//! `{key=value, other=[]}` (Java maps). `States.ArrayContains` and `States.Hash`
//! compare and hash that same text.

use super::{invalid, Function};
use serde_json::{Number, Value};
use std::borrow::Cow;

/// A compiled `States.Format` template.
pub(crate) type Template = Vec<Part>;

/// A piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    Text(String),
    Placeholder,
}

/// Splits a template into text and `{}` placeholders. `\{`, `\}`, `\\` and `\'` are
/// literal characters; a `{` not followed by `}`, or a lone `}`, is an error (reported
/// when the call runs). Another `\` stays as written (a template read from the input
/// is not a string literal).
pub(crate) fn compile_template(raw: &str) -> Result<Template, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&next @ ('{' | '}' | '\\' | '\'')) => {
                    text.push(next);
                    chars.next();
                }
                _ => text.push('\\'),
            },
            '{' => {
                if chars.next_if_eq(&'}').is_none() {
                    return Err(
                        "Invalid template in States.Format: matching '}' not found for '{'.".into(),
                    );
                }
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Placeholder);
            }
            '}' => {
                return Err(
                    "Invalid template in States.Format: matching '{' not found for '}'.".into(),
                )
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}

/// `States.Format(template, values...)`.
pub(crate) fn format(
    literal: Option<&Result<Template, String>>,
    args: &[Cow<'_, Value>],
) -> Result<Value, String> {
    let Some((first, values)) = args.split_first() else {
        return Err(invalid(Function::Format));
    };
    let template: Cow<'_, Template> = match literal {
        Some(Ok(template)) => Cow::Borrowed(template),
        Some(Err(why)) => return Err(why.clone()),
        None => match first.as_ref() {
            Value::String(text) => Cow::Owned(compile_template(text)?),
            _ => return Err(invalid(Function::Format)),
        },
    };
    let placeholders = template
        .iter()
        .filter(|p| matches!(p, Part::Placeholder))
        .count();
    if placeholders != values.len() {
        return Err(format!(
            "{}: number of arguments do not match the occurrences of {{}}.",
            invalid(Function::Format)
        ));
    }
    let mut out = String::new();
    let mut values = values.iter();
    for part in template.iter() {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Placeholder => {
                if let Some(value) = values.next() {
                    write_java(value, &mut out);
                }
            }
        }
    }
    Ok(Value::String(out))
}

/// The value as Java's `toString()` prints it (see the module doc).
pub(crate) fn java_string(value: &Value) -> String {
    let mut out = String::new();
    write_java(value, &mut out);
    out
}

/// Appends the Java text of `value`, without recursion on the JSON depth.
pub(crate) fn write_java(value: &Value, out: &mut String) {
    enum Work<'a> {
        Value(&'a Value),
        Text(&'static str),
        Key(&'a str),
    }
    let mut stack = vec![Work::Value(value)];
    while let Some(work) = stack.pop() {
        match work {
            Work::Text(text) => out.push_str(text),
            Work::Key(key) => {
                out.push_str(key);
                out.push('=');
            }
            Work::Value(Value::Null) => out.push_str("null"),
            Work::Value(Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
            Work::Value(Value::Number(n)) => out.push_str(&java_number(n)),
            Work::Value(Value::String(s)) => out.push_str(s),
            Work::Value(Value::Array(items)) => {
                stack.push(Work::Text("]"));
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push(Work::Value(item));
                    if i > 0 {
                        stack.push(Work::Text(", "));
                    }
                }
                stack.push(Work::Text("["));
            }
            Work::Value(Value::Object(map)) => {
                stack.push(Work::Text("}"));
                for (i, (key, item)) in map.iter().enumerate().rev() {
                    stack.push(Work::Value(item));
                    stack.push(Work::Key(key));
                    if i > 0 {
                        stack.push(Work::Text(", "));
                    }
                }
                stack.push(Work::Text("{"));
            }
        }
    }
}

/// A JSON number as Java prints it: integers in full (Jackson reads them as
/// `Integer`/`Long`/`BigInteger`), other numbers with `Double.toString`.
pub(crate) fn java_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    java_double(n.as_f64().unwrap_or(0.0))
}

/// `Double.toString`: the shortest digits that read back as the same double, in plain
/// notation between 10^-3 and 10^7 (always with a fraction, `100.0`) and as
/// `d.dddE±n` outside.
pub(crate) fn java_double(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".into()
        } else if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    if (1e-3..1e7).contains(&f.abs()) {
        let text = f.to_string();
        if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        }
    } else {
        let text = format!("{f:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        if mantissa.contains('.') {
            format!("{mantissa}E{exponent}")
        } else {
            format!("{mantissa}.0E{exponent}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates() {
        assert_eq!(
            compile_template("a {} b"),
            Ok(vec![
                Part::Text("a ".into()),
                Part::Placeholder,
                Part::Text(" b".into())
            ])
        );
        assert_eq!(
            compile_template("\\{\\}\\\\\\'{}{}"),
            Ok(vec![
                Part::Text("{}\\'".into()),
                Part::Placeholder,
                Part::Placeholder
            ])
        );
        assert_eq!(compile_template(""), Ok(vec![]));
        assert_eq!(
            compile_template("a\\nb"),
            Ok(vec![Part::Text("a\\nb".into())])
        );
        assert!(compile_template("Hello {").is_err_and(|e| e.contains("matching '}' not found")));
        assert!(compile_template("Hello {{}}").is_err());
        assert!(compile_template("{ }").is_err());
        assert!(compile_template("}").is_err_and(|e| e.contains("matching '{' not found")));
    }

    #[test]
    fn java_doubles() {
        let cases = [
            (1.1, "1.1"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (1e7, "1.0E7"),
            (1e-3, "0.001"),
            (9.999e-4, "9.999E-4"),
            (1e21, "1.0E21"),
            (1.5e-7, "1.5E-7"),
            (-0.0, "-0.0"),
            (123456789.123, "1.23456789123E8"),
            (0.1 + 0.2, "0.30000000000000004"),
            (12345678.9, "1.23456789E7"),
            (f64::MAX, "1.7976931348623157E308"),
            (-2.5e-5, "-2.5E-5"),
        ];
        for (f, expected) in cases {
            assert_eq!(java_double(f), expected, "{f}");
        }
    }

    #[test]
    fn java_strings() {
        assert_eq!(
            java_string(&json!({"Arg1": 1, "Arg2": [], "s": "x y", "n": null})),
            "{Arg1=1, Arg2=[], s=x y, n=null}"
        );
        assert_eq!(
            java_string(&json!(["a", 1, null, 1.5, true])),
            "[a, 1, null, 1.5, true]"
        );
        assert_eq!(
            java_string(&json!([[1, [2]], {"a": {"b": []}}])),
            "[[1, [2]], {a={b=[]}}]"
        );
        assert_eq!(java_string(&json!(u64::MAX)), "18446744073709551615");
        assert_eq!(java_string(&json!(-7)), "-7");
        assert_eq!(java_string(&json!("")), "");
        assert_eq!(java_string(&json!({})), "{}");
    }
}
