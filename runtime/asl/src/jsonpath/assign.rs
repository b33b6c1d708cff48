//! Moving values out of a document (`take`) and writing them in (`assign`, the
//! ResultPath rules).
//!
//! ResultPath semantics are ASL's, not Jayway's `set`: missing intermediate objects
//! are created (Jayway's `set` would fail on them), a step that meets something other
//! than an object (or, for an index, an array with that index) fails, which the
//! engine reports as `States.ResultPathMatchFailure`.

use super::parse::Segment;
use super::select::{resolve_index, Mode};
use super::AssignError;
use serde_json::{Map, Value};

/// Moves the value at a reference path out of `root`, without cloning it.
/// An index out of range selects `null` in [`Mode::Lenient`], as `select` does.
pub(crate) fn take(root: Value, segments: &[Segment], mode: Mode) -> Option<Value> {
    let mut current = root;
    for segment in segments {
        current = match (segment, current) {
            (Segment::Name(name), Value::Object(mut map)) => map.remove(name)?,
            (Segment::Index(index), Value::Array(mut items)) => {
                match resolve_index(*index, items.len()) {
                    Some(i) => items.swap_remove(i),
                    None if mode == Mode::Lenient => Value::Null,
                    None => return None,
                }
            }
            _ => return None,
        };
    }
    Some(current)
}

/// Writes `value` at a reference path inside `target` (see the module doc).
pub(crate) fn assign(
    target: &mut Value,
    segments: &[Segment],
    value: Value,
    path_text: &str,
) -> Result<(), AssignError> {
    let Some((last, parents)) = segments.split_last() else {
        *target = value;
        return Ok(());
    };
    let not_an_object = |segment: &Segment| {
        let mut step = String::new();
        segment.write_normalized(&mut step);
        AssignError::NotAnObject {
            path: path_text.to_string(),
            step,
        }
    };
    let mut current = target;
    for segment in parents {
        current = match segment {
            Segment::Name(name) => match current {
                Value::Object(map) => map
                    .entry(name.clone())
                    .or_insert_with(|| Value::Object(Map::new())),
                _ => return Err(not_an_object(segment)),
            },
            Segment::Index(index) => match current {
                Value::Array(items) => {
                    let len = items.len();
                    match resolve_index(*index, len).and_then(|i| items.get_mut(i)) {
                        Some(item) => item,
                        None => return Err(not_an_object(segment)),
                    }
                }
                _ => return Err(not_an_object(segment)),
            },
            _ => return Err(AssignError::NotReference(path_text.to_string())),
        };
    }
    match last {
        Segment::Name(name) => match current {
            Value::Object(map) => {
                map.insert(name.clone(), value);
                Ok(())
            }
            _ => Err(not_an_object(last)),
        },
        Segment::Index(index) => match current {
            Value::Array(items) => {
                let len = items.len();
                match resolve_index(*index, len).and_then(|i| items.get_mut(i)) {
                    Some(item) => {
                        *item = value;
                        Ok(())
                    }
                    None => Err(not_an_object(last)),
                }
            }
            _ => Err(not_an_object(last)),
        },
        _ => Err(AssignError::NotReference(path_text.to_string())),
    }
}
