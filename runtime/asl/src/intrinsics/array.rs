//! `States.ArrayPartition`, `ArrayContains`, `ArrayRange`, `ArrayGetItem`,
//! `ArrayLength`, `ArrayUnique` (`States.Array` is a one-liner in the dispatcher).
//!
//! Numeric arguments are truncated towards zero the way Java narrows a double
//! (observed on AWS: `ArrayPartition(a, 2.6)` chunks by 2, `ArrayGetItem(a, 1.2)`
//! reads item 1, `ArrayRange(5.4, -0.6, -2.4)` is `[5, 3, 1]`).

use super::format::java_string;
use super::{exactly, invalid, Function, Num};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// AWS's cap on the size of the array `States.ArrayRange` builds.
pub(crate) const MAX_RANGE_ITEMS: i128 = 1000;

/// `States.ArrayPartition(array, chunkSize)`: chunks of `chunkSize` items, the last
/// one shorter. The chunk size must be at least 1 after truncation.
pub(crate) fn partition(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::ArrayPartition;
    let [array, size] = exactly(f, args)?;
    let (Value::Array(items), Some(size)) = (array, Num::of(size)) else {
        return Err(invalid(f));
    };
    let size = size.truncate();
    if size < 1 {
        return Err(invalid(f));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX).max(1);
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|chunk| Value::Array(chunk.to_vec()))
            .collect(),
    ))
}

/// `States.ArrayContains(array, value)`. AWS compares the Java text of the values
/// (see `format`): on AWS `true` is found in `["true"]`, `5` in `["5"]`, and
/// `{"b":2,"a":1}` is *not* found in `[{"a":1,"b":2}]` (key order counts).
pub(crate) fn contains(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::ArrayContains;
    let [array, wanted] = exactly(f, args)?;
    let Value::Array(items) = array else {
        return Err(invalid(f));
    };
    let wanted = java_string(wanted);
    Ok(Value::Bool(
        items.iter().any(|item| java_string(item) == wanted),
    ))
}

/// `States.ArrayRange(start, end, step)`: `start`, `start + step`, ... up to and
/// including `end` (going down for a negative step). A zero step, or more than 1000
/// items, is invalid.
pub(crate) fn range(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::ArrayRange;
    let [start, end, step] = exactly(f, args)?;
    let (Some(start), Some(end), Some(step)) = (Num::of(start), Num::of(end), Num::of(step)) else {
        return Err(invalid(f));
    };
    let (start, end, step) = (
        i128::from(start.truncate()),
        i128::from(end.truncate()),
        i128::from(step.truncate()),
    );
    if step == 0 {
        return Err(invalid(f));
    }
    let count = if step > 0 && start <= end {
        (end - start) / step + 1
    } else if step < 0 && start >= end {
        (start - end) / -step + 1
    } else {
        0
    };
    if count > MAX_RANGE_ITEMS {
        return Err(invalid(f));
    }
    let mut items = Vec::new();
    let mut current = start;
    for _ in 0..count {
        items.push(Value::from(i64::try_from(current).map_err(|_| invalid(f))?));
        current += step;
    }
    Ok(Value::Array(items))
}

/// `States.ArrayGetItem(array, index)`. An index outside the array is invalid, except
/// on an empty array, where AWS answers `null`.
pub(crate) fn get_item(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::ArrayGetItem;
    let [array, index] = exactly(f, args)?;
    let (Value::Array(items), Some(index)) = (array, Num::of(index)) else {
        return Err(invalid(f));
    };
    if items.is_empty() {
        return Ok(Value::Null);
    }
    usize::try_from(index.truncate())
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .ok_or_else(|| invalid(f))
}

/// `States.ArrayLength(array)`.
pub(crate) fn length(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::ArrayLength;
    let [array] = exactly(f, args)?;
    match array {
        Value::Array(items) => Ok(Value::from(items.len())),
        _ => Err(invalid(f)),
    }
}

/// `States.ArrayUnique(array)`: the first occurrence of each value, in order.
/// Values are equal as JSON values (objects whatever their key order, `1` and `1.0`
/// distinct, like Jackson's node equality). Hash buckets keep it linear.
pub(crate) fn unique(args: &[Cow<'_, Value>]) -> Result<Value, String> {
    let f = Function::ArrayUnique;
    let [array] = exactly(f, args)?;
    let Value::Array(items) = array else {
        return Err(invalid(f));
    };
    let mut kept: Vec<Value> = Vec::new();
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for item in items {
        let bucket = buckets.entry(json_hash(item)).or_default();
        if bucket.iter().any(|&k| kept.get(k) == Some(item)) {
            continue;
        }
        bucket.push(kept.len());
        kept.push(item.clone());
    }
    Ok(Value::Array(kept))
}

/// A hash consistent with `Value`'s equality (object key order ignored).
fn json_hash(value: &Value) -> u64 {
    let mut hasher = DefaultHasher::new();
    match value {
        Value::Null => 0u8.hash(&mut hasher),
        Value::Bool(b) => (1u8, b).hash(&mut hasher),
        Value::Number(n) => {
            2u8.hash(&mut hasher);
            if let Some(i) = n.as_i64() {
                (0u8, i).hash(&mut hasher);
            } else if let Some(u) = n.as_u64() {
                (1u8, u).hash(&mut hasher);
            } else {
                // 0.0 == -0.0: hash them alike.
                let f = n.as_f64().unwrap_or(0.0);
                (2u8, if f == 0.0 { 0 } else { f.to_bits() }).hash(&mut hasher);
            }
        }
        Value::String(s) => (3u8, s).hash(&mut hasher),
        Value::Array(items) => {
            (4u8, items.len()).hash(&mut hasher);
            for item in items {
                json_hash(item).hash(&mut hasher);
            }
        }
        Value::Object(map) => {
            let entries = map.iter().fold(0u64, |acc, (k, v)| {
                let mut h = DefaultHasher::new();
                (k, json_hash(v)).hash(&mut h);
                acc.wrapping_add(h.finish())
            });
            (5u8, map.len(), entries).hash(&mut hasher);
        }
    }
    hasher.finish()
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

    fn invalid_in(name: &str) -> Result<Value, String> {
        Err(format!("Invalid arguments in States.{name}"))
    }

    #[test]
    fn partition_cases() {
        assert_eq!(
            call(partition, &[json!([1, 2, 3, 4, 5, 6, 7, 8, 9]), json!(4)]),
            Ok(json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]]))
        );
        assert_eq!(call(partition, &[json!([]), json!(3)]), Ok(json!([])));
        assert_eq!(
            call(partition, &[json!([0, 1]), json!(3)]),
            Ok(json!([[0, 1]]))
        );
        assert_eq!(
            call(partition, &[json!([1, 2, 3, 4, 5]), json!(2.6)]),
            Ok(json!([[1, 2], [3, 4], [5]]))
        );
        assert_eq!(
            call(partition, &[json!([1, 2, 3]), json!(2147483647)]),
            Ok(json!([[1, 2, 3]]))
        );
        assert_eq!(
            call(partition, &[json!([1]), json!(u64::MAX)]),
            Ok(json!([[1]]))
        );
        for bad in [
            json!(0),
            json!(0.6),
            json!(-0.4),
            json!(-1),
            json!("2"),
            json!(null),
        ] {
            assert_eq!(
                call(partition, &[json!([1, 2, 3]), bad]),
                invalid_in("ArrayPartition")
            );
        }
        assert_eq!(
            call(partition, &[json!("not-array"), json!(2)]),
            invalid_in("ArrayPartition")
        );
        assert_eq!(call(partition, &[json!([1])]), invalid_in("ArrayPartition"));
    }

    #[test]
    fn contains_compares_java_text() {
        assert_eq!(
            call(contains, &[json!([1, 2, 3]), json!(2)]),
            Ok(json!(true))
        );
        assert_eq!(
            call(contains, &[json!([1, 2, 3]), json!(5)]),
            Ok(json!(false))
        );
        assert_eq!(
            call(contains, &[json!([[1, 2, 3], 2]), json!(null)]),
            Ok(json!(false))
        );
        assert_eq!(
            call(contains, &[json!([{"1": 2, "2": []}]), json!([])]),
            Ok(json!(false))
        );
        assert_eq!(
            call(
                contains,
                &[json!([{"1": 2, "2": []}]), json!({"1": 2, "2": []})]
            ),
            Ok(json!(true))
        );
        assert_eq!(
            call(contains, &[json!([true, false]), json!(true)]),
            Ok(json!(true))
        );
        assert_eq!(
            call(contains, &[json!([1, null, 3]), json!(null)]),
            Ok(json!(true))
        );
        assert_eq!(
            call(
                contains,
                &[json!([{"a": 1, "b": 2}]), json!({"b": 2, "a": 1})]
            ),
            Ok(json!(false))
        );
        assert_eq!(
            call(contains, &[json!(["true"]), json!(true)]),
            Ok(json!(true))
        );
        assert_eq!(
            call(
                contains,
                &[json!(["9007199254740991"]), json!(9007199254740991_i64)]
            ),
            Ok(json!(true))
        );
        assert_eq!(
            call(contains, &[json!([0, 1, -1]), json!(false)]),
            Ok(json!(false))
        );
        assert_eq!(
            call(
                contains,
                &[json!([{"a": 1}]), json!({"a": 1, "extra": null})]
            ),
            Ok(json!(false))
        );
        assert_eq!(
            call(contains, &[json!("not-array"), json!("x")]),
            invalid_in("ArrayContains")
        );
        assert_eq!(call(contains, &[json!([1])]), invalid_in("ArrayContains"));
    }

    #[test]
    fn range_cases() {
        assert_eq!(
            call(range, &[json!(1), json!(9), json!(2)]),
            Ok(json!([1, 3, 5, 7, 9]))
        );
        assert_eq!(
            call(range, &[json!(0), json!(10), json!(3)]),
            Ok(json!([0, 3, 6, 9]))
        );
        assert_eq!(
            call(range, &[json!(-2), json!(2), json!(2)]),
            Ok(json!([-2, 0, 2]))
        );
        assert_eq!(
            call(range, &[json!(3), json!(3), json!(-1)]),
            Ok(json!([3]))
        );
        assert_eq!(
            call(range, &[json!(5), json!(1), json!(-2)]),
            Ok(json!([5, 3, 1]))
        );
        assert_eq!(call(range, &[json!(5), json!(1), json!(1)]), Ok(json!([])));
        assert_eq!(call(range, &[json!(1), json!(5), json!(-1)]), Ok(json!([])));
        assert_eq!(
            call(range, &[json!(1.6), json!(1.4), json!(1)]),
            Ok(json!([1]))
        );
        assert_eq!(
            call(range, &[json!(5.4), json!(-0.6), json!(-2.4)]),
            Ok(json!([5, 3, 1]))
        );
        assert_eq!(
            call(range, &[json!(1.4), json!(5.6), json!(2.2)]),
            Ok(json!([1, 3, 5]))
        );
        let thousand = call(range, &[json!(1), json!(1000), json!(1)]);
        assert_eq!(thousand.map(|v| v.as_array().map(Vec::len)), Ok(Some(1000)));
        for bad in [
            [json!(1), json!(1001), json!(1)],
            [json!(1001), json!(1), json!(-1)],
            [json!(1), json!(10), json!(0)],
            [json!(1), json!(10), json!(0.49)],
            [json!("a"), json!(5), json!(1)],
            [json!(1), json!(5), json!("c")],
            [json!(i64::MIN), json!(i64::MAX), json!(1)],
        ] {
            assert_eq!(call(range, &bad), invalid_in("ArrayRange"), "{bad:?}");
        }
        assert_eq!(call(range, &[json!(1), json!(5)]), invalid_in("ArrayRange"));
    }

    #[test]
    fn get_item_cases() {
        let arr = json!([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(call(get_item, &[arr.clone(), json!(5)]), Ok(json!(6)));
        assert_eq!(
            call(get_item, &[json!([10, 20, 30]), json!(1.2)]),
            Ok(json!(20))
        );
        assert_eq!(call(get_item, &[json!([null]), json!(0)]), Ok(json!(null)));
        assert_eq!(call(get_item, &[json!([]), json!(999)]), Ok(json!(null)));
        for bad in [json!(3), json!(-1), json!("1"), json!(null), json!(1e300)] {
            assert_eq!(
                call(get_item, &[json!([10, 20, 30]), bad]),
                invalid_in("ArrayGetItem")
            );
        }
        assert_eq!(
            call(get_item, &[json!("not-array"), json!(0)]),
            invalid_in("ArrayGetItem")
        );
        assert_eq!(call(get_item, &[arr]), invalid_in("ArrayGetItem"));
    }

    #[test]
    fn length_and_unique() {
        assert_eq!(call(length, &[json!([])]), Ok(json!(0)));
        assert_eq!(call(length, &[json!([[1], [2], [3]])]), Ok(json!(3)));
        assert_eq!(call(length, &[json!({"k": 1})]), invalid_in("ArrayLength"));
        assert_eq!(call(length, &[]), invalid_in("ArrayLength"));
        assert_eq!(
            call(
                unique,
                &[
                    json!([null, null, true, true, false, false, 1, 1, 1.1, 0, 0, "HelloWorld", "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"b": 2, "a": 1}, {"a": 1, "b": 1}])
                ]
            ),
            Ok(
                json!([null, true, false, 1, 1.1, 0, "HelloWorld", [], [null], {"a": 1, "b": 2}, {"a": 1, "b": 1}])
            )
        );
        assert_eq!(
            call(unique, &[json!([1, 1.0, 0.0, -0.0])]),
            Ok(json!([1, 1.0, 0.0]))
        );
        assert_eq!(call(unique, &[json!("x")]), invalid_in("ArrayUnique"));
    }
}
