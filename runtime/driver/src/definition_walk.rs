//! Walking a definition's states as JSON, nested ones included (Parallel
//! branches, Map processors in both forms), for the checks that look at the
//! definition as written rather than at the compiled machine.

use serde_json::Value;

/// Calls `visit` with the JSON pointer and the object of every state of
/// `definition` (a top-level object with `States`), depth first; stops as
/// soon as `visit` returns `true` and returns `true` then.
pub fn any_state(definition: &Value, visit: &mut dyn FnMut(&str, &Value) -> bool) -> bool {
    walk(definition, "", visit)
}

fn walk(block: &Value, pointer: &str, visit: &mut dyn FnMut(&str, &Value) -> bool) -> bool {
    let Some(states) = block.get("States").and_then(Value::as_object) else {
        return false;
    };
    for (name, state) in states {
        let here = format!("{pointer}/States/{}", escape(name));
        if visit(&here, state) {
            return true;
        }
        let branches = state.get("Branches").and_then(Value::as_array);
        for (i, branch) in branches.into_iter().flatten().enumerate() {
            if walk(branch, &format!("{here}/Branches/{i}"), visit) {
                return true;
            }
        }
        for field in ["Iterator", "ItemProcessor"] {
            if let Some(inner) = state.get(field) {
                if walk(inner, &format!("{here}/{field}"), visit) {
                    return true;
                }
            }
        }
    }
    false
}

/// A state name as a JSON pointer token (RFC 6901).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_states_are_visited_with_their_pointers() {
        let definition = json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "a/b", "States": {"a/b": {"Type": "Pass", "End": true}}},
                {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
                    "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "wasm:x", "End": true}}}}}}]}}});
        let mut seen = Vec::new();
        let stopped = any_state(&definition, &mut |pointer, _| {
            seen.push(pointer.to_owned());
            false
        });
        assert!(!stopped);
        assert_eq!(
            seen,
            [
                "/States/P",
                "/States/P/Branches/0/States/a~1b",
                "/States/P/Branches/1/States/M",
                "/States/P/Branches/1/States/M/ItemProcessor/States/T"
            ]
        );
        assert!(any_state(&definition, &mut |_, s| s["Type"] == "Task"));
    }
}
