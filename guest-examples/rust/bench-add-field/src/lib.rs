//! `bench-add-field`: the task of the `task-chain-100` benchmark. Returns its input
//! object with `hops` set to `(input.hops ?? 0) + 1`, the benchmark's local function
//! `{...input, hops: (input.hops ?? 0) + 1}`: an existing `hops` keeps its place, a
//! new one comes last. An input that is not an object counts as `{}`.
//!
//! [`add_field`] is the task on parsed JSON. The component runs [`add_field_text`],
//! the same task as an edit of the JSON text: the input object is parsed (and so
//! checked) field by field, each field's value kept as its text, and the output
//! is those texts with `hops` replaced or appended. It writes what [`add_field`]
//! would (the host's input is compact JSON) without building the values; any
//! input it does not handle that way (not an object, a repeated key, not JSON)
//! goes through [`add_field`].

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use stepwise_sdk::{run_json, TaskError, Value};

/// Adds one to `hops`.
pub fn add_field(input: Value) -> Result<Value, TaskError> {
    let mut object = match input {
        Value::Object(object) => object,
        _ => Default::default(),
    };
    let hops = next_hops(object.get("hops"))?;
    object.insert("hops".to_string(), hops);
    Ok(Value::Object(object))
}

/// `(hops ?? 0) + 1`.
fn next_hops(hops: Option<&Value>) -> Result<Value, TaskError> {
    match hops {
        None | Some(Value::Null) => Ok(Value::from(1)),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if i < i64::MAX => Ok(Value::from(i + 1)),
            (_, Some(f)) => Ok(Value::from(f + 1.0)),
            _ => Err(hops_error(&Value::Number(n.clone()))),
        },
        Some(other) => Err(hops_error(other)),
    }
}

fn hops_error(hops: &Value) -> TaskError {
    TaskError::new(
        "Bench.InvalidHops",
        format!("hops must be a number, not {hops}"),
    )
}

/// [`add_field`] on JSON text, without building the input's values.
pub fn add_field_text(input: String) -> Result<String, TaskError> {
    match serde_json::from_str::<Fields>(&input) {
        Ok(fields) if !fields.has_repeated_keys() => fields.with_next_hops(input.len()),
        _ => run_json(&input, add_field),
    }
}

/// A JSON object's fields in order: each key and its value's text.
struct Fields<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl Fields<'_> {
    fn has_repeated_keys(&self) -> bool {
        let keys = &self.0;
        if keys.len() <= 32 {
            return (1..keys.len()).any(|i| keys[..i].iter().any(|(k, _)| *k == keys[i].0));
        }
        let mut seen = std::collections::HashSet::with_capacity(keys.len());
        !keys.iter().all(|(k, _)| seen.insert(k.as_ref()))
    }

    /// The object's text with `hops` advanced in place, or added last.
    fn with_next_hops(&self, len_hint: usize) -> Result<String, TaskError> {
        let current = self.0.iter().position(|(key, _)| key == "hops");
        let hops = match current.map(|i| self.0[i].1.get()) {
            None | Some("null") => "1".to_string(),
            // A small whole number (up to 18 digits, no sign): counted as is.
            Some(text)
                if (1..=18).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) =>
            {
                text.parse::<u64>()
                    .map(|n| (n + 1).to_string())
                    .unwrap_or_default()
            }
            Some(text) => {
                let value: Value = serde_json::from_str(text)
                    .map_err(|e| TaskError::task_failed(format!("hops is not JSON: {e}")))?;
                next_hops(Some(&value))?.to_string()
            }
        };
        let mut out = String::with_capacity(len_hint + hops.len() + 10);
        out.push('{');
        for (i, (key, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_key(&mut out, key, matches!(key, Cow::Borrowed(_)));
            out.push_str(if Some(i) == current {
                &hops
            } else {
                value.get()
            });
        }
        if current.is_none() {
            if !self.0.is_empty() {
                out.push(',');
            }
            out.push_str("\"hops\":");
            out.push_str(&hops);
        }
        out.push('}');
        Ok(out)
    }
}

/// `"key":`. A key borrowed from the input (`as_is`) is the input's own text
/// between its quotes, which has no escapes (serde_json copies a key only to
/// unescape it) and so is already written as serde_json writes it.
fn push_key(out: &mut String, key: &str, as_is: bool) {
    if as_is {
        out.push('"');
        out.push_str(key);
        out.push('"');
    } else {
        out.push_str(&Value::from(key).to_string());
    }
    out.push(':');
}

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;
        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(Key(key)) = map.next_key()? {
                    fields.push((key, map.next_value()?));
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text.to_owned())))
            }
            fn visit_string<E>(self, text: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

stepwise_sdk::task!(raw add_field_text);

#[cfg(test)]
mod tests {
    use stepwise_sdk::json;
    use stepwise_sdk::testing::call;
    use stepwise_sdk::{run_json, Value};

    use super::{add_field, add_field_text};

    #[test]
    fn counts_hops() {
        assert_eq!(call(add_field, json!({})).unwrap(), json!({"hops": 1}));
        assert_eq!(
            call(add_field, json!({"hops": null})).unwrap(),
            json!({"hops": 1})
        );
        assert_eq!(
            call(add_field, json!({"hops": 41})).unwrap(),
            json!({"hops": 42})
        );
        assert_eq!(
            call(add_field, json!({"hops": 1.5})).unwrap(),
            json!({"hops": 2.5})
        );
    }

    #[test]
    fn keeps_the_rest_in_order() {
        let out = call(add_field, json!({"z": 1, "hops": 3, "a": {"b": [1]}})).unwrap();
        assert_eq!(out.to_string(), r#"{"z":1,"hops":4,"a":{"b":[1]}}"#);
        let out = call(add_field, json!({"z": 1, "a": 2})).unwrap();
        assert_eq!(out.to_string(), r#"{"z":1,"a":2,"hops":1}"#);
    }

    #[test]
    fn chains() {
        let mut v = json!({"payload": "x"});
        for _ in 0..100 {
            v = call(add_field, v).unwrap();
        }
        assert_eq!(v, json!({"payload": "x", "hops": 100}));
        let mut text = r#"{"payload":"x"}"#.to_string();
        for _ in 0..100 {
            text = add_field_text(text).unwrap();
        }
        assert_eq!(text, r#"{"payload":"x","hops":100}"#);
    }

    #[test]
    fn odd_inputs() {
        assert_eq!(call(add_field, json!([1, 2])).unwrap(), json!({"hops": 1}));
        let err = call(add_field, json!({"hops": "3"})).unwrap_err();
        assert_eq!(err.error, "Bench.InvalidHops");
    }

    /// The text edit writes exactly what the task on values writes, or fails the
    /// same way, on compact inputs (what the host sends) and odd ones.
    #[test]
    fn the_text_edit_matches_the_task_on_values() {
        let inputs = [
            r#"{}"#,
            r#"{"orderId":"o-1","amount":42}"#,
            r#"{"orderId":"o-1","amount":42,"hops":99}"#,
            r#"{"hops":null,"a":1}"#,
            r#"{"hops":1.5}"#,
            r#"{"hops":-1}"#,
            r#"{"hops":0}"#,
            r#"{"hops":-0}"#,
            r#"{"hops":1e2}"#,
            r#"{"hops":2.0}"#,
            r#"{"hops":999999999999999999}"#,
            r#"{"hops":9999999999999999999}"#,
            r#"{"hops":9223372036854775807}"#,
            r#"{"hops":18446744073709551615}"#,
            r#"{"hops":"3"}"#,
            r#"{"hops":[1]}"#,
            r#"{"hops":true}"#,
            r#"{"a":{"hops":1},"b":[{"c":"d"}],"e":"\"q\"\\ é 😀 \u0001"}"#,
            r#"{"h\u006fps":5,"x\ny":1}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"hops":1,"hops":7}"#,
            r#"[1,2]"#,
            r#""text""#,
            r#"null"#,
            r#"12"#,
            r#"{"a":1"#,
            r#"{"a":1}x"#,
            r#"not json"#,
            r#""#,
        ];
        for input in inputs {
            let by_text = add_field_text(input.to_string());
            let by_value = run_json(input, add_field);
            assert_eq!(by_text, by_value, "input {input}");
            if let Ok(text) = by_text {
                let _: Value = serde_json::from_str(&text).expect("output is JSON");
            }
        }
        let many: String = (0..40).map(|i| format!(r#""k{i}":{i},"#)).collect();
        for input in [
            format!("{{{many}\"hops\":1}}"),
            format!("{{{many}\"k3\":0}}"),
        ] {
            assert_eq!(
                add_field_text(input.clone()),
                run_json(&input, add_field),
                "input {input}"
            );
        }
    }
}
