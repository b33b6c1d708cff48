//! Values across the boundary: `serde_json::Value` in, jsonata-core's `JValue` out.
//!
//! JSONata numbers are doubles; a result number that is integral comes back as a JSON
//! integer (`1`, not `1.0`), as JavaScript prints it. Both directions recurse through
//! `with_stack`, which moves to a heap-allocated stack segment when the native stack
//! runs low, so a deep value cannot overflow the stack.

use jsonata_core::value::{with_stack, JValue};
use serde_json::{Map, Number, Value};

/// Why a result cannot be returned as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResultError {
    /// A function, regex or non-finite number: AWS's "unsupported result type".
    Unsupported,
    /// Arrays and objects nested deeper than the limit.
    TooDeep,
}

/// The JSONata value of a JSON value.
pub(crate) fn to_jvalue(value: &Value) -> JValue {
    match value {
        Value::Null => JValue::Null,
        Value::Bool(b) => JValue::Bool(*b),
        Value::Number(n) => JValue::Number(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => JValue::string(s.as_str()),
        Value::Array(items) => with_stack(|| JValue::array(items.iter().map(to_jvalue).collect())),
        Value::Object(map) => with_stack(|| {
            JValue::object(
                map.iter()
                    .map(|(key, value)| (key.clone(), to_jvalue(value)))
                    .collect(),
            )
        }),
    }
}

/// The JSON value of a result; `Ok(None)` when it is undefined.
///
/// Inside arrays and objects, undefined is handled as `JSON.stringify` does: an
/// undefined member is left out, an undefined item becomes `null`.
pub(crate) fn from_jvalue(value: &JValue, max_depth: usize) -> Result<Option<Value>, ResultError> {
    if value.is_undefined() {
        return Ok(None);
    }
    convert(value, max_depth).map(Some)
}

fn convert(value: &JValue, depth_left: usize) -> Result<Value, ResultError> {
    match value {
        JValue::Null | JValue::Undefined => Ok(Value::Null),
        JValue::Bool(b) => Ok(Value::Bool(*b)),
        JValue::Number(n) => number(*n).map(Value::Number),
        JValue::String(s) => Ok(Value::String(s.to_string())),
        JValue::Array(items) => {
            let depth_left = depth_left.checked_sub(1).ok_or(ResultError::TooDeep)?;
            with_stack(|| {
                items
                    .iter()
                    .map(|item| convert(item, depth_left))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            })
        }
        JValue::Object(map) => {
            let depth_left = depth_left.checked_sub(1).ok_or(ResultError::TooDeep)?;
            with_stack(|| {
                let mut out = Map::with_capacity(map.len());
                for (key, value) in map.iter() {
                    if !value.is_undefined() {
                        out.insert(key.clone(), convert(value, depth_left)?);
                    }
                }
                Ok(Value::Object(out))
            })
        }
        _ => Err(ResultError::Unsupported),
    }
}

/// A double as a JSON number: integral values as integers, non-finite ones rejected.
pub(crate) fn number(n: f64) -> Result<Number, ResultError> {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    const TWO_64: f64 = 18_446_744_073_709_551_616.0;
    if !n.is_finite() {
        return Err(ResultError::Unsupported);
    }
    if n.fract() == 0.0 {
        if (-TWO_63..TWO_63).contains(&n) {
            return Ok(Number::from(n as i64));
        }
        if (0.0..TWO_64).contains(&n) {
            return Ok(Number::from(n as u64));
        }
    }
    Number::from_f64(n).ok_or(ResultError::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonata_core::value::JMap;
    use serde_json::json;

    fn round_trip(value: Value) -> Value {
        from_jvalue(&to_jvalue(&value), 100)
            .expect("convertible")
            .expect("defined")
    }

    #[test]
    fn json_round_trips_with_integral_numbers_as_integers() {
        let value = json!({"a": [1, 2.5, -3, null, true, "s"], "b": {"c": {}}, "d": []});
        assert_eq!(round_trip(value.clone()), value);
        assert_eq!(round_trip(json!(1.0)), json!(1));
        assert_eq!(round_trip(json!(-0.0)), json!(0));
        assert_eq!(round_trip(json!(1e300)), json!(1e300));
        assert_eq!(round_trip(json!(u64::MAX)), json!(18446744073709551615.0));
        // Key order is kept.
        let ordered = round_trip(json!({"z": 1, "a": 2}));
        assert_eq!(
            ordered
                .as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["z".to_string(), "a".to_string()])
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(number(3.0), Ok(Number::from(3)));
        assert_eq!(
            number(-9_007_199_254_740_993.0),
            Ok(Number::from(-9_007_199_254_740_992_i64))
        );
        assert_eq!(
            number(1e19),
            Ok(Number::from(10_000_000_000_000_000_000_u64))
        );
        assert_eq!(number(0.1).map(|n| n.as_f64()), Ok(Some(0.1)));
        assert_eq!(number(f64::INFINITY), Err(ResultError::Unsupported));
        assert_eq!(number(f64::NAN), Err(ResultError::Unsupported));
    }

    #[test]
    fn undefined_top_level_is_none_and_inside_is_left_out_or_null() {
        assert_eq!(from_jvalue(&JValue::Undefined, 10), Ok(None));
        let object = JValue::Object(std::rc::Rc::new(
            [("a", JValue::Undefined), ("b", JValue::Number(1.0))]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<JMap>(),
        ));
        assert_eq!(from_jvalue(&object, 10), Ok(Some(json!({"b": 1}))));
        let array = JValue::array(vec![JValue::Undefined, JValue::Bool(true)]);
        assert_eq!(from_jvalue(&array, 10), Ok(Some(json!([null, true]))));
    }

    #[test]
    fn functions_and_non_finite_numbers_are_unsupported() {
        let builtin = JValue::builtin("sum");
        assert_eq!(from_jvalue(&builtin, 10), Err(ResultError::Unsupported));
        let nested = JValue::array(vec![JValue::Number(f64::INFINITY)]);
        assert_eq!(from_jvalue(&nested, 10), Err(ResultError::Unsupported));
        let regex = JValue::regex("a", "");
        assert_eq!(from_jvalue(&regex, 10), Err(ResultError::Unsupported));
    }

    #[test]
    fn depth_is_limited() {
        let mut value = json!(1);
        for _ in 0..50 {
            value = json!([value]);
        }
        let j = to_jvalue(&value);
        assert!(from_jvalue(&j, 50).is_ok());
        assert_eq!(from_jvalue(&j, 49), Err(ResultError::TooDeep));
    }

    #[test]
    fn very_deep_input_converts_without_overflow() {
        let mut value = json!(0);
        for _ in 0..100_000 {
            value = Value::Array(vec![value]);
        }
        let j = to_jvalue(&value);
        assert_eq!(from_jvalue(&j, 10), Err(ResultError::TooDeep));
        drop(j);
        // serde_json drops recursively; unwind it by hand.
        let mut value = value;
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
    }
}
