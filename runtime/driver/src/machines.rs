//! Compiled definitions, cached by their text and by their stored key: every
//! event of an execution needs its machine, and compiling one costs far more
//! than a lookup.

use asl::model::StateMachine;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use store::Store;

use crate::definition_walk::any_state;
use crate::error::DriverError;

/// A field of a valid definition that Stepwise cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The field's JSON pointer, such as `/States/M/ItemReader`.
    pub location: String,
    /// Why, and what to do instead.
    pub message: String,
}

/// What Stepwise cannot run in a valid definition: a Distributed Map's
/// `ItemReader` (items read from S3 or another service) or `ResultWriter`
/// (results written to S3). Running such a Map on its input instead would give
/// a plausible result from the wrong data, so the definition is refused where
/// it is stored.
pub fn unsupported(definition: &str) -> Option<Unsupported> {
    let definition: Value = serde_json::from_str(definition).ok()?;
    let mut found = None;
    any_state(&definition, &mut |pointer, state| {
        if state.get("Type").and_then(Value::as_str) != Some("Map") {
            return false;
        }
        found = if state.get("ItemReader").is_some() {
            Some(Unsupported {
                location: format!("{pointer}/ItemReader"),
                message: "Stepwise cannot read a Map's items from another service; give \
                          them in the state's input (ItemsPath or Items)"
                    .into(),
            })
        } else if state.get("ResultWriter").is_some() {
            Some(Unsupported {
                location: format!("{pointer}/ResultWriter"),
                message: "Stepwise cannot write a Map's results to another service; \
                          without ResultWriter they are the state's output"
                    .into(),
            })
        } else {
            None
        };
        found.is_some()
    });
    found
}

/// Compiles a definition (already validated by whoever stored it).
pub fn compile(definition: &str) -> Result<StateMachine, DriverError> {
    StateMachine::parse(definition).map_err(|e| DriverError::InvalidDefinition(e.to_string()))
}

/// Definitions compiled so far, by their text and by their key in the
/// store's definitions table. Bounded: past `MAX_ENTRIES` a map starts over
/// (definitions are few; this only guards against unbounded growth).
#[derive(Default)]
pub(crate) struct MachineCache {
    by_text: Mutex<HashMap<String, Arc<StateMachine>>>,
    by_key: Mutex<HashMap<String, Arc<StateMachine>>>,
    /// The keys of definitions this process stored, by text.
    keys: Mutex<HashMap<String, String>>,
}

const MAX_ENTRIES: usize = 4096;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Inserts into a bounded map.
fn remember<T>(map: &Mutex<HashMap<String, T>>, key: &str, value: T) {
    let mut map = lock(map);
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(key.to_string(), value);
}

impl MachineCache {
    /// The compiled form of `definition`.
    pub(crate) fn get(&self, definition: &str) -> Result<Arc<StateMachine>, DriverError> {
        if let Some(machine) = lock(&self.by_text).get(definition) {
            return Ok(machine.clone());
        }
        let machine = Arc::new(compile(definition)?);
        remember(&self.by_text, definition, machine.clone());
        Ok(machine)
    }

    /// The key of `definition` in the store's definitions table, storing it
    /// there the first time. (The write is durable with any later write's
    /// ticket: the caller waits for its execution's first commit.)
    pub(crate) fn stored_key(
        &self,
        definition: &str,
        store: &dyn Store,
    ) -> Result<String, DriverError> {
        if let Some(key) = lock(&self.keys).get(definition) {
            return Ok(key.clone());
        }
        let (key, _covered_by_later_tickets) = store.put_definition(definition)?;
        remember(&self.keys, definition, key.clone());
        Ok(key)
    }

    /// The compiled definition stored under `key`; `id` (the execution that
    /// runs it) names it in the error if the store has no such definition.
    pub(crate) fn get_stored(
        &self,
        key: &str,
        store: &dyn Store,
        id: &str,
    ) -> Result<Arc<StateMachine>, DriverError> {
        if let Some(machine) = lock(&self.by_key).get(key) {
            return Ok(machine.clone());
        }
        let definition = stored_definition(key, store, id)?;
        let machine = self.get(&definition)?;
        remember(&self.by_key, key, machine.clone());
        Ok(machine)
    }
}

/// The text of the definition stored under `key`, which execution `id` runs.
pub(crate) fn stored_definition(
    key: &str,
    store: &dyn Store,
    id: &str,
) -> Result<String, DriverError> {
    store.get_definition(key)?.ok_or_else(|| {
        DriverError::Internal(format!(
            "the definition of execution {id} ({key}) is missing from the store"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_reading_or_writing_elsewhere_are_refused_by_pointer() {
        let map = |extra: Value| {
            let mut state = json!({"Type": "Map", "End": true, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}});
            state
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            json!({"StartAt": "M", "States": {"M": state}}).to_string()
        };
        let reader = unsupported(&map(json!({"ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}}})))
        .unwrap();
        assert_eq!(reader.location, "/States/M/ItemReader");
        let writer = unsupported(&map(json!({"ResultWriter": {
            "Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}}})))
        .unwrap();
        assert_eq!(writer.location, "/States/M/ResultWriter");
        assert_eq!(unsupported(&map(json!({}))), None);
    }
}
