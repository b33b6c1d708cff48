//! Compiled definitions, cached by their text: every event of an execution
//! needs its machine, and compiling one costs far more than a lookup.

use asl::model::StateMachine;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::DriverError;

/// Compiles a definition (already validated by whoever stored it).
pub fn compile(definition: &str) -> Result<StateMachine, DriverError> {
    StateMachine::parse(definition).map_err(|e| DriverError::InvalidDefinition(e.to_string()))
}

/// Definitions compiled so far. Bounded: past `MAX_ENTRIES` the cache starts
/// over (definitions are few; this only guards against unbounded growth).
#[derive(Default)]
pub(crate) struct MachineCache {
    machines: Mutex<HashMap<String, Arc<StateMachine>>>,
}

const MAX_ENTRIES: usize = 4096;

impl MachineCache {
    /// The compiled form of `definition`.
    pub(crate) fn get(&self, definition: &str) -> Result<Arc<StateMachine>, DriverError> {
        let lock = || self.machines.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(machine) = lock().get(definition) {
            return Ok(machine.clone());
        }
        let machine = Arc::new(compile(definition)?);
        let mut machines = lock();
        if machines.len() >= MAX_ENTRIES {
            machines.clear();
        }
        machines.insert(definition.to_string(), machine.clone());
        Ok(machine)
    }
}
