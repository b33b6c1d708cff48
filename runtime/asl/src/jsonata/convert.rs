//! Values across the boundary: `serde_json::Value` in, jsonata-core's `JValue` out.
//!
//! JSONata numbers are doubles; a result number that is integral comes back as a JSON
//! integer (`1`, not `1.0`), as JavaScript prints it. Both directions recurse through
//! `with_stack`, which moves to a heap-allocated stack segment when the native stack
//! runs low, so a deep value cannot overflow the stack.

use super::analysis::Need;
use jsonata_core::value::{with_stack, JArray, JValue};
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
        Value::Array(items) => with_stack(|| array(items.iter().map(to_jvalue).collect())),
        Value::Object(map) => with_stack(|| {
            JValue::object(
                map.iter()
                    .map(|(key, value)| (key.clone(), to_jvalue(value)))
                    .collect(),
            )
        }),
    }
}

/// An input array, flagged flat when it holds no array (a shortcut for path steps).
fn array(items: Vec<JValue>) -> JValue {
    let flat = !items.iter().any(|item| matches!(item, JValue::Array(_)));
    JValue::Array(JArray::new_flat(items, flat))
}

/// The JSONata value of the parts of `value` that `need` says are read: an object
/// that is not read whole keeps only the members read (its other members cannot be
/// reached), an array not read whole has each item cut down the same way (a name
/// step maps over the items), anything else is converted whole.
pub(crate) fn project(value: &Value, need: &Need) -> JValue {
    match value {
        Value::Array(items) if !need.full => {
            with_stack(|| array(items.iter().map(|item| project(item, need)).collect()))
        }
        Value::Object(map) if !need.full => with_stack(|| {
            JValue::object(
                need.members
                    .iter()
                    .filter_map(|(key, child)| {
                        map.get(key)
                            .map(|member| (key.clone(), project(member, child)))
                    })
                    .collect(),
            )
        }),
        other => to_jvalue(other),
    }
}

/// The JSON value of a result; `Ok(None)` when it is undefined.
///
/// Inside arrays and objects, undefined is handled as `JSON.stringify` does: an
/// undefined member is left out, an undefined item becomes `null`.
///
/// A sequence (an array the evaluator built, not one from the input or `[...]`) of
/// one item is that item and an empty one is undefined, at any depth: jsonata-js
/// unwraps every expression's result so, and jsonata-core can leave a nested one
/// wrapped (`$map(x, function($v){ $map(true, f) })`).
pub(crate) fn from_jvalue(value: &JValue, max_depth: usize) -> Result<Option<Value>, ResultError> {
    match unwrapped(value) {
        None => Ok(None),
        Some(value) => convert(value, max_depth).map(Some),
    }
}

/// The value with sequences of one item unwrapped; `None` for undefined.
fn unwrapped(mut value: &JValue) -> Option<&JValue> {
    loop {
        match value {
            JValue::Undefined => return None,
            JValue::Array(items) if items.sequence && !items.keep_singleton => match items.len() {
                0 => return None,
                1 => value = &items[0],
                _ => return Some(value),
            },
            _ => return Some(value),
        }
    }
}

fn convert(value: &JValue, depth_left: usize) -> Result<Value, ResultError> {
    let Some(value) = unwrapped(value) else {
        return Ok(Value::Null);
    };
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
                    if unwrapped(value).is_some() {
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
    fn projection_keeps_what_is_read() {
        let value = json!({"a": {"b": 1, "c": [1, 2]}, "d": [{"e": 1}], "f": "x"});
        let mut need = Need::default();
        let back = |j: JValue| from_jvalue(&j, 100).ok().flatten();
        assert_eq!(back(project(&value, &need)), Some(json!({})));
        need.members.push((
            "a".into(),
            Need {
                full: false,
                members: vec![("b".into(), Need::default())],
            },
        ));
        need.members.push((
            "d".into(),
            Need {
                full: false,
                members: vec![("e".into(), Need::default())],
            },
        ));
        need.members.push(("zz".into(), Need::default()));
        assert_eq!(
            back(project(&value, &need)),
            Some(json!({"a": {"b": 1}, "d": [{"e": 1}]}))
        );
        // A name step maps over the items of an array (nested ones too).
        let items = json!([{"b": 1, "c": 2}, [{"b": 3, "x": 0}], 7]);
        let b = Need {
            full: false,
            members: vec![("b".into(), Need::default())],
        };
        assert_eq!(
            back(project(&items, &b)),
            Some(json!([{"b": 1}, [{"b": 3}], 7]))
        );
        let full = Need {
            full: true,
            members: Vec::new(),
        };
        assert_eq!(back(project(&value, &full)), Some(value.clone()));
        assert_eq!(back(project(&json!(3), &need)), Some(json!(3)));
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
    fn nested_sequences_of_one_item_are_that_item() {
        let one = JValue::sequence(vec![JValue::Number(1.0)]);
        let none = JValue::sequence(Vec::new());
        let two = JValue::sequence(vec![JValue::Number(1.0), JValue::Number(2.0)]);
        let mut kept = JValue::sequence(vec![JValue::Number(1.0)]);
        kept.mark_keep_singleton();
        let outer = JValue::array(vec![one.clone(), none.clone(), two, kept]);
        assert_eq!(
            from_jvalue(&outer, 10),
            Ok(Some(json!([1, null, [1, 2], [1]])))
        );
        assert_eq!(
            from_jvalue(&JValue::sequence(vec![one.clone()]), 10),
            Ok(Some(json!(1)))
        );
        assert_eq!(from_jvalue(&none, 10), Ok(None));
        let object = JValue::Object(std::rc::Rc::new(
            [("a", one), ("b", none)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<JMap>(),
        ));
        assert_eq!(from_jvalue(&object, 10), Ok(Some(json!({"a": 1}))));
        // Input arrays and `[...]` arrays are kept as they are.
        assert_eq!(
            from_jvalue(&JValue::array(vec![JValue::Null]), 10),
            Ok(Some(json!([null])))
        );
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
