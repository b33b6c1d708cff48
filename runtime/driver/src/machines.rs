//! Compiled definitions, cached by their text and by their stored key: every
//! event of an execution needs its machine, and compiling one costs far more
//! than a lookup.

use asl::model::StateMachine;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use store::Store;

use crate::error::DriverError;

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
