//! `Pass`: passes its input (or `Result`, or `Parameters`) on.

use crate::execution::{Execution, Flow};
use crate::thread::ThreadId;
use asl::errors::Failure;
use asl::model::{Filter, ResultPath, State, StateMachine};
use serde_json::Value;

impl Execution {
    pub(crate) fn run_pass(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        result: Option<&Value>,
    ) -> Result<Flow, Failure> {
        if state.query_language == asl::model::QueryLanguage::JsonAta {
            // A JSONata Pass passes its input, shaped by Output.
            return self.complete_state(machine, tid, Value::Null);
        }
        let result = match result {
            Some(result) => result.clone(),
            None if state.io.parameters.is_none()
                && matches!(state.io.input_path, Filter::All)
                && matches!(state.io.result_path, ResultPath::Replace) =>
            {
                // The input passes through unchanged: move it instead of copying.
                std::mem::take(&mut self.thread_mut_expect(tid).input)
            }
            None => self.parameters_input(tid, state, None)?,
        };
        self.complete_state(machine, tid, result)
    }
}
