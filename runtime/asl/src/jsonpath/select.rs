//! Evaluation of compiled paths.
//!
//! Two evaluators share the segment semantics:
//! - [`select_definite`] walks a reference path (names and single indexes) with
//!   borrowed values only: no allocation, the engine's hot path;
//! - [`select_all`] evaluates any path level by level, keeping matches in Jayway's
//!   document order. It never recurses on the JSON depth (deep scans walk with an
//!   explicit stack), so a deeply nested document cannot overflow the stack; the only
//!   recursion left is into filters, whose nesting the parser caps.
//!
//! AWS evaluates paths with Jayway over Jackson nodes, and Jackson answers an array
//! index out of range with `null` instead of failing: `$.items[5]` on a two-element
//! array selects `null` ([`Mode::Lenient`]). Intrinsic-function arguments are resolved
//! more strictly by AWS (the same path is "not found" there), which is
//! [`Mode::Strict`].

use super::filter;
use super::parse::Segment;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The value an out-of-range index selects in [`Mode::Lenient`].
pub(crate) static NULL: Value = Value::Null;

/// How an array index out of range is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Jackson's answer: `null` (payload templates, InputPath, OutputPath, ...).
    Lenient,
    /// Nothing selected (intrinsic-function arguments).
    Strict,
}

/// `index` (negative counts from the end) as a position in an array of `len` items.
pub(crate) fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let effective = if index < 0 {
        index.checked_add(len)?
    } else {
        index
    };
    if (0..len).contains(&effective) {
        usize::try_from(effective).ok()
    } else {
        None
    }
}

fn index_into(array: &[Value], index: i64, mode: Mode) -> Option<&Value> {
    match resolve_index(index, array.len()) {
        Some(i) => array.get(i),
        None => match mode {
            Mode::Lenient => Some(&NULL),
            Mode::Strict => None,
        },
    }
}

/// Jayway's slice bounds, clamped to the array.
fn slice_bounds(from: Option<i64>, to: Option<i64>, len: usize) -> (usize, usize) {
    let len_i = i128::try_from(len).unwrap_or(i128::MAX);
    let clamp = |v: i128| -> usize { usize::try_from(v.clamp(0, len_i)).unwrap_or(len) };
    let start = match from {
        None => 0,
        Some(f) if f < 0 => clamp(len_i + i128::from(f)),
        Some(f) => clamp(i128::from(f)),
    };
    let end = match to {
        None => len,
        Some(t) if t < 0 => clamp(len_i + i128::from(t)),
        Some(t) => clamp(i128::from(t)),
    };
    (start, end.max(start))
}

/// A reference path (only [`Segment::Name`] and [`Segment::Index`]), without allocating.
pub(crate) fn select_definite<'a>(
    start: &'a Value,
    segments: &[Segment],
    mode: Mode,
) -> Option<&'a Value> {
    let mut current = start;
    for segment in segments {
        current = match segment {
            Segment::Name(name) => current.as_object()?.get(name)?,
            Segment::Index(index) => index_into(current.as_array()?, *index, mode)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Visits `node` and everything below it, parents before children, in document order.
fn preorder<'a>(node: &'a Value, mut visit: impl FnMut(&'a Value)) {
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        visit(current);
        match current {
            Value::Object(map) => stack.extend(map.values().rev()),
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}

/// Jayway's trailing multi-name step: one object holding the names that exist.
fn merge_names(map: &Map<String, Value>, names: &[String]) -> Value {
    let mut merged = Map::new();
    for name in names {
        if let Some(value) = map.get(name) {
            merged.insert(name.clone(), value.clone());
        }
    }
    Value::Object(merged)
}

/// Applies one (non-scan) segment to `node`.
fn step<'a>(
    node: &'a Value,
    segment: &Segment,
    root: &'a Value,
    mode: Mode,
    out: &mut Vec<&'a Value>,
) {
    match segment {
        Segment::Name(name) => {
            if let Some(value) = node.as_object().and_then(|m| m.get(name)) {
                out.push(value);
            }
        }
        Segment::Names(names) => {
            if let Some(map) = node.as_object() {
                out.extend(names.iter().filter_map(|n| map.get(n)));
            }
        }
        Segment::Index(index) => {
            if let Some(value) = node.as_array().and_then(|a| index_into(a, *index, mode)) {
                out.push(value);
            }
        }
        Segment::Indexes(indexes) => {
            if let Some(array) = node.as_array() {
                out.extend(indexes.iter().filter_map(|i| index_into(array, *i, mode)));
            }
        }
        Segment::Slice(from, to) => {
            if let Some(array) = node.as_array() {
                let (start, end) = slice_bounds(*from, *to, array.len());
                out.extend(array.get(start..end).unwrap_or(&[]).iter());
            }
        }
        Segment::Wildcard => match node {
            Value::Object(map) => out.extend(map.values()),
            Value::Array(items) => out.extend(items.iter()),
            _ => {}
        },
        // Jayway applies a filter to an object itself, and to each item of an array.
        Segment::Filter(f) => match node {
            Value::Object(_) if filter::matches(f, node, root, mode) => out.push(node),
            Value::Array(items) => out.extend(
                items
                    .iter()
                    .filter(|item| filter::matches(f, item, root, mode)),
            ),
            _ => {}
        },
        Segment::DeepScan => {}
    }
}

/// Applies `target` to every node under `node` the way Jayway's scan does: a name
/// only on objects, an index or slice only on arrays, a wildcard everywhere, and a
/// filter to the objects (and arrays) that satisfy it themselves, which keeps an
/// array's items from being matched twice (once through the array, once directly).
fn scan<'a>(
    node: &'a Value,
    target: &Segment,
    root: &'a Value,
    mode: Mode,
    out: &mut Vec<&'a Value>,
) {
    preorder(node, |n| match target {
        Segment::Name(_) | Segment::Names(_) => {
            if n.is_object() {
                step(n, target, root, mode, out);
            }
        }
        Segment::Index(_) | Segment::Indexes(_) | Segment::Slice(..) => {
            if n.is_array() {
                step(n, target, root, mode, out);
            }
        }
        Segment::Wildcard => step(n, target, root, mode, out),
        Segment::Filter(f) => match n {
            Value::Object(_) if filter::matches(f, n, root, mode) => out.push(n),
            Value::Array(items) if filter::matches(f, n, root, mode) => {
                out.extend(items.iter().filter(|i| filter::matches(f, i, root, mode)));
            }
            _ => {}
        },
        Segment::DeepScan => {}
    });
}

/// Every match of `segments` from `start`, in Jayway's order. `root` is what `$`
/// means inside filters.
pub(crate) fn select_all<'a>(
    start: &'a Value,
    root: &'a Value,
    segments: &[Segment],
    mode: Mode,
) -> Vec<Cow<'a, Value>> {
    let mut current: Vec<&'a Value> = vec![start];
    let mut i = 0;
    while let Some(segment) = segments.get(i) {
        let (target, consumed, scanning) = match segment {
            Segment::DeepScan => match segments.get(i + 1) {
                Some(target) => (target, 2, true),
                None => break,
            },
            other => (other, 1, false),
        };
        let leaf = i + consumed == segments.len();
        if let (true, Segment::Names(names)) = (leaf, target) {
            let mut merged = Vec::new();
            for node in current {
                if scanning {
                    preorder(node, |n| {
                        if let Value::Object(map) = n {
                            merged.push(Cow::Owned(merge_names(map, names)));
                        }
                    });
                } else if let Value::Object(map) = node {
                    merged.push(Cow::Owned(merge_names(map, names)));
                }
            }
            return merged;
        }
        let mut next = Vec::new();
        for node in current {
            if scanning {
                scan(node, target, root, mode, &mut next);
            } else {
                step(node, target, root, mode, &mut next);
            }
        }
        current = next;
        i += consumed;
    }
    current.into_iter().map(Cow::Borrowed).collect()
}

/// The Java class Jackson's JSONPath provider reports for a value in its messages.
fn java_class(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::String(_) => "java.lang.String",
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                if i32::try_from(i).is_ok() {
                    "java.lang.Integer"
                } else {
                    "java.lang.Long"
                }
            } else if n.is_u64() {
                "java.math.BigInteger"
            } else {
                "java.lang.Double"
            }
        }
        Value::Array(_) => "com.fasterxml.jackson.databind.node.ArrayNode",
        Value::Object(_) => "com.fasterxml.jackson.databind.node.ObjectNode",
    }
}

/// How a value prints in Jayway's "Current context is: ..." text.
fn context_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Jayway's exception text for a reference path that selects nothing, or `None` when
/// it does select something.
pub(crate) fn explain_miss(start: &Value, segments: &[Segment], mode: Mode) -> Option<String> {
    let mut walked = String::from("$");
    let mut full = String::from("$");
    for segment in segments {
        segment.write_normalized(&mut full);
    }
    let mut current = start;
    for (k, segment) in segments.iter().enumerate() {
        let leaf = k + 1 == segments.len();
        match segment {
            Segment::Name(name) => {
                let Some(map) = current.as_object() else {
                    return Some(format!(
                        "Expected to find an object with property ['{name}'] in path {walked} but found '{}'. \
                         This is not a json object according to the JsonProvider: \
                         'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.",
                        java_class(current)
                    ));
                };
                segment.write_normalized(&mut walked);
                match map.get(name) {
                    Some(value) => current = value,
                    None if leaf => return Some(format!("No results for path: {full}")),
                    None => return Some(format!("Missing property in path {walked}")),
                }
            }
            Segment::Index(index) => {
                let array = match current {
                    Value::Array(array) => array,
                    Value::Null => return Some(format!("The path {walked} is null")),
                    other => {
                        return Some(format!(
                        "Filter: [{index}] can only be applied to arrays. Current context is: {}",
                        context_text(other)
                    ))
                    }
                };
                segment.write_normalized(&mut walked);
                match index_into(array, *index, mode) {
                    Some(value) => current = value,
                    None => return Some(format!("No results for path: {full}")),
                }
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indexes_resolve_from_either_end() {
        assert_eq!(resolve_index(0, 3), Some(0));
        assert_eq!(resolve_index(2, 3), Some(2));
        assert_eq!(resolve_index(3, 3), None);
        assert_eq!(resolve_index(-1, 3), Some(2));
        assert_eq!(resolve_index(-3, 3), Some(0));
        assert_eq!(resolve_index(-4, 3), None);
        assert_eq!(resolve_index(i64::MIN, 3), None);
        assert_eq!(resolve_index(i64::MAX, 3), None);
        assert_eq!(resolve_index(0, 0), None);
    }

    #[test]
    fn slices_follow_jayway() {
        assert_eq!(slice_bounds(Some(1), Some(3), 5), (1, 3));
        assert_eq!(slice_bounds(None, Some(2), 5), (0, 2));
        assert_eq!(slice_bounds(Some(-2), None, 5), (3, 5));
        assert_eq!(slice_bounds(Some(1), None, 5), (1, 5));
        assert_eq!(slice_bounds(None, Some(-1), 5), (0, 4));
        assert_eq!(slice_bounds(Some(4), Some(2), 5), (4, 4));
        assert_eq!(slice_bounds(Some(-10), Some(100), 5), (0, 5));
        assert_eq!(slice_bounds(Some(i64::MIN), Some(i64::MAX), 5), (0, 5));
        assert_eq!(slice_bounds(None, None, 0), (0, 0));
    }

    #[test]
    fn preorder_is_document_order() {
        let doc = json!({"a": {"b": 1}, "c": [2, {"d": 3}]});
        let mut seen = Vec::new();
        preorder(&doc, |v| seen.push(v.clone()));
        assert_eq!(
            seen,
            vec![
                doc.clone(),
                json!({"b": 1}),
                json!(1),
                json!([2, {"d": 3}]),
                json!(2),
                json!({"d": 3}),
                json!(3)
            ]
        );
    }
}
