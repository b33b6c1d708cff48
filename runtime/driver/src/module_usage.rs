//! Which running executions may call a module: what `DELETE /modules/<name>`
//! checks so that a module is not removed under an execution that uses it.
//!
//! The check reads the definition each running Standard execution runs (the
//! one it started with, whatever updates its machine had since), and that of
//! each asynchronous Express execution still running, and looks at their Task
//! states' resources as [`engine::resource::resolve`] does. (A synchronous
//! Express execution, at most 5 minutes long, is not seen: a module deleted
//! under it fails its next task of it with `States.TaskFailed`.) A
//! `lambda:invoke` task whose `FunctionName` is computed at run time
//! (`FunctionName.$`, a JSONata expression) may call any module, so it counts
//! as a use of every module.

use engine::resource::{self, TaskTarget};
use serde_json::{json, Value};
use std::collections::HashMap;

use crate::definition_walk::any_state;
use crate::error::DriverError;
use crate::machines::stored_definition;
use crate::standard::Driver;

/// How many running executions are read per store call.
const BATCH: usize = 1_000;

impl Driver {
    /// Up to `limit` running executions (ARNs; Standard, then asynchronous
    /// Express) whose definition may call module `name`.
    pub fn executions_using_module(
        &self,
        name: &str,
        limit: usize,
    ) -> Result<Vec<String>, DriverError> {
        // Definitions are shared by many executions: decide once per stored
        // definition (by its key) and once per Express definition text.
        let mut by_key: HashMap<String, bool> = HashMap::new();
        let mut by_text: HashMap<String, bool> = HashMap::new();
        let mut users = Vec::new();
        let mut after: Option<String> = None;
        while users.len() < limit {
            let ids = self
                .shared
                .store
                .running_executions(after.as_deref(), BATCH)?;
            for id in &ids {
                let key = match self.definition_key_of(id) {
                    Ok(key) => key,
                    // Finished and purged since it was listed.
                    Err(DriverError::ExecutionDoesNotExist(_)) => continue,
                    Err(e) => return Err(e),
                };
                let uses = match by_key.get(&key) {
                    Some(&uses) => uses,
                    None => {
                        let definition = stored_definition(&key, &*self.shared.store, id)?;
                        let uses = definition_may_call(&definition, name);
                        by_key.insert(key, uses);
                        uses
                    }
                };
                if uses {
                    users.push(id.clone());
                    if users.len() == limit {
                        break;
                    }
                }
            }
            if ids.len() < BATCH {
                break;
            }
            after = ids.last().cloned();
        }
        // Asynchronous Express executions still running (their starts are
        // kept until they end, with the definition).
        let mut after: Option<String> = None;
        while users.len() < limit {
            let starts = self
                .shared
                .store
                .pending_express_starts(after.as_deref(), BATCH)?;
            let Some(last) = starts.last() else {
                break;
            };
            after = Some(last.arn.clone());
            for start in starts {
                let uses = *by_text
                    .entry(start.definition)
                    .or_insert_with_key(|definition| definition_may_call(definition, name));
                if uses && users.len() < limit {
                    users.push(start.arn);
                }
            }
        }
        Ok(users)
    }
}

/// Whether a definition (JSON text) has a Task state that may call module
/// `name`. A definition that does not parse calls nothing.
fn definition_may_call(definition: &str, name: &str) -> bool {
    serde_json::from_str::<Value>(definition)
        .is_ok_and(|d| any_state(&d, &mut |_, state| task_may_call(state, name)))
}

/// Whether one state is a Task that may call module `name`.
fn task_may_call(state: &Value, name: &str) -> bool {
    if state.get("Type").and_then(Value::as_str) != Some("Task") {
        return false;
    }
    let Some(res) = state.get("Resource").and_then(Value::as_str) else {
        return false;
    };
    // `lambda:invoke` names its function in Parameters (JSONPath) or
    // Arguments (JSONata).
    let fields = state
        .get("Parameters")
        .or_else(|| state.get("Arguments"))
        .and_then(Value::as_object);
    let input = match fields {
        Some(f) if f.contains_key("FunctionName.$") => return invoke(res),
        Some(f) => match f.get("FunctionName") {
            Some(Value::String(s)) if s.starts_with("{%") => return invoke(res),
            Some(function) => json!({ "FunctionName": function }),
            None => Value::Null,
        },
        None => Value::Null,
    };
    matches!(resource::resolve(res, &input), TaskTarget::Module { name: n, .. } if n == name)
}

/// A `lambda:invoke` resource (with or without `.waitForTaskToken`): with a
/// computed FunctionName it may call any module.
fn invoke(resource: &str) -> bool {
    resource
        .strip_suffix(resource::WAIT_FOR_TASK_TOKEN)
        .unwrap_or(resource)
        == "arn:aws:states:::lambda:invoke"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(fields: Value) -> String {
        let mut state = json!({"Type": "Task", "End": true});
        state
            .as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        json!({"StartAt": "T", "States": {"T": state}}).to_string()
    }

    #[test]
    fn wasm_and_lambda_resources_name_their_module() {
        assert!(definition_may_call(
            &task(json!({"Resource": "wasm:resize"})),
            "resize"
        ));
        assert!(definition_may_call(
            &task(json!({"Resource": "wasm:resize:3"})),
            "resize"
        ));
        assert!(!definition_may_call(
            &task(json!({"Resource": "wasm:resize"})),
            "resizer"
        ));
        assert!(definition_may_call(
            &task(
                json!({"Resource": "arn:aws:lambda:us-east-1:123456789012:function:resize:live"})
            ),
            "resize"
        ));
        let invoke = |function: Value| {
            task(json!({"Resource": "arn:aws:states:::lambda:invoke",
                        "Parameters": {"FunctionName": function, "Payload.$": "$"}}))
        };
        assert!(definition_may_call(&invoke(json!("resize")), "resize"));
        assert!(definition_may_call(
            &invoke(json!(
                "arn:aws:lambda:us-east-1:123456789012:function:resize"
            )),
            "resize"
        ));
        assert!(!definition_may_call(&invoke(json!("other")), "resize"));
    }

    #[test]
    fn a_computed_function_name_may_call_any_module() {
        let dynamic = task(json!({"Resource": "arn:aws:states:::lambda:invoke",
                                  "Parameters": {"FunctionName.$": "$.fn"}}));
        assert!(definition_may_call(&dynamic, "anything"));
        let jsonata = task(
            json!({"Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                                  "Arguments": {"FunctionName": "{% $states.input.fn %}"}}),
        );
        assert!(definition_may_call(&jsonata, "anything"));
        let activity =
            task(json!({"Resource": "arn:aws:states:us-east-1:123456789012:activity:a"}));
        assert!(!definition_may_call(&activity, "a"));
    }

    #[test]
    fn nested_branches_and_map_processors_are_searched() {
        let inner = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "wasm:deep", "End": true}}});
        let parallel = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
            "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}, inner]}}});
        assert!(definition_may_call(&parallel.to_string(), "deep"));
        let map = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "P", "States": {"P": parallel["States"]["P"]}}}}});
        assert!(definition_may_call(&map.to_string(), "deep"));
        let old_map = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Iterator": inner}}});
        assert!(definition_may_call(&old_map.to_string(), "deep"));
        assert!(!definition_may_call(&old_map.to_string(), "shallow"));
        assert!(!definition_may_call("not json", "deep"));
    }
}
