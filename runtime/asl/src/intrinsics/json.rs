//! `States.StringToJson`, `States.JsonToString`, `States.JsonMerge`.

use super::{exactly, invalid, Function};
use serde_json::Value;
use std::borrow::Cow;

/// `States.StringToJson(string)`: parses JSON text. Blank text is `null` on AWS
/// (Jackson reads no document as a missing node, printed as `null`), and `-0` is
/// Jackson's integer 0.
pub(crate) fn string_to_json(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let [text] = exactly(Function::StringToJson, args)?;
    let Value::String(text) = text else {
        return Err(invalid(Function::StringToJson));
    };
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    let mut parsed: Value =
        serde_json::from_str(text).map_err(|_| invalid(Function::StringToJson))?;
    if text.contains("-0") {
        integral_negative_zeros(&mut parsed);
    }
    Ok(parsed)
}

/// Jackson reads `-0` as the integer 0; serde_json as the double -0.0.
fn integral_negative_zeros(value: &mut Value) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Number(n) if n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()) => {
                *v = Value::from(0);
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::Object(map) => stack.extend(map.values_mut()),
            _ => {}
        }
    }
}

/// `States.JsonToString(value)`: compact JSON text.
pub(crate) fn json_to_string(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let [value] = exactly(Function::JsonToString, args)?;
    serde_json::to_string(value)
        .map(Value::String)
        .map_err(|_| invalid(Function::JsonToString))
}

/// `States.JsonMerge(a, b, deep)`: the keys of `b` over those of `a`, one level deep.
/// AWS supports only the shallow mode: `true` as the third argument fails, anything
/// else (even a non-boolean) merges shallowly, as observed on AWS.
pub(crate) fn json_merge(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let [first, second, deep] = exactly(Function::JsonMerge, args)?;
    let (Value::Object(first), Value::Object(second)) = (first, second) else {
        return Err(invalid(Function::JsonMerge));
    };
    if deep == &Value::Bool(true) {
        return Err(invalid(Function::JsonMerge));
    }
    let mut merged = first.clone();
    for (key, value) in second {
        merged.insert(key.clone(), value.clone());
    }
    Ok(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(
        f: fn(&[Cow<'_, Value>]) -> Result<Value, String>,
        args: &[Value],
    ) -> Result<Value, String> {
        let args: Vec<Cow<'_, Value>> = args.iter().map(Cow::Borrowed).collect();
        f(&args)
    }

    #[test]
    fn string_to_json_like_aws() {
        let cases = [
            (json!(" "), json!(null)),
            (json!(""), json!(null)),
            (json!("null"), json!(null)),
            (json!("-0"), json!(0)),
            (json!("1"), json!(1)),
            (json!("true"), json!(true)),
            (json!("\"HelloWorld\""), json!("HelloWorld")),
            (json!("[1, 2, \"HelloWorld\"]"), json!([1, 2, "HelloWorld"])),
            (
                json!("{\"Arg1\": 1, \"Arg2\": []}"),
                json!({"Arg1": 1, "Arg2": []}),
            ),
            (json!(" {\"a\":[-0, -0.5]} "), json!({"a": [0, -0.5]})),
        ];
        for (input, expected) in cases {
            assert_eq!(
                call(string_to_json, std::slice::from_ref(&input)),
                Ok(expected),
                "{input}"
            );
        }
        for bad in [
            json!("{bad json}"),
            json!("{\"a\":1"),
            json!("undefined"),
            json!(123),
            json!({"a": 1}),
            json!([1]),
        ] {
            assert_eq!(
                call(string_to_json, &[bad]),
                Err("Invalid arguments in States.StringToJson".into())
            );
        }
        assert!(call(string_to_json, &[]).is_err());
        assert!(call(string_to_json, &[json!("1"), json!("2")]).is_err());
    }

    #[test]
    fn json_to_string_is_compact() {
        assert_eq!(call(json_to_string, &[json!(null)]), Ok(json!("null")));
        assert_eq!(call(json_to_string, &[json!(0)]), Ok(json!("0")));
        assert_eq!(
            call(json_to_string, &[json!([1, 2, "HelloWorld"])]),
            Ok(json!("[1,2,\"HelloWorld\"]"))
        );
        assert_eq!(
            call(json_to_string, &[json!({"test": "object"})]),
            Ok(json!("{\"test\":\"object\"}"))
        );
        assert_eq!(
            call(json_to_string, &[]),
            Err("Invalid arguments in States.JsonToString".into())
        );
    }

    #[test]
    fn json_merge_is_shallow() {
        assert_eq!(
            call(
                json_merge,
                &[
                    json!({"a": {"a1": 1}, "b": 2}),
                    json!({"a": {"a3": 1}, "c": 3}),
                    json!(false)
                ]
            ),
            Ok(json!({"a": {"a3": 1}, "b": 2, "c": 3}))
        );
        assert_eq!(
            call(
                json_merge,
                &[
                    json!({"x": 1, "y": 2}),
                    json!({"y": 3, "z": 4}),
                    json!(false)
                ]
            ),
            Ok(json!({"x": 1, "y": 3, "z": 4}))
        );
        assert_eq!(
            call(json_merge, &[json!({}), json!({}), json!("false")]),
            Ok(json!({}))
        );
        let invalid = Err("Invalid arguments in States.JsonMerge".to_string());
        assert_eq!(
            call(json_merge, &[json!({}), json!({}), json!(true)]),
            invalid
        );
        assert_eq!(
            call(json_merge, &[json!(null), json!({}), json!(false)]),
            invalid
        );
        assert_eq!(
            call(json_merge, &[json!({}), json!([]), json!(false)]),
            invalid
        );
        assert_eq!(call(json_merge, &[json!({}), json!({})]), invalid);
    }
}
