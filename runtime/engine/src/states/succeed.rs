//! `Succeed`: ends its machine (the execution, a branch or an iteration) successfully.

use crate::execution::{Execution, Flow};
use crate::thread::ThreadId;
use asl::errors::Failure;
use asl::model::{State, StateMachine};

impl Execution {
    pub(crate) fn run_succeed(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
    ) -> Result<Flow, Failure> {
        if state.query_language == asl::model::QueryLanguage::JsonAta {
            // Output shapes what the machine ends with; there is no next state.
            return self.complete_state(machine, tid, serde_json::Value::Null);
        }
        let effective = self.effective_input(tid, state)?.into_owned();
        let output = self.output_path(tid, state, effective)?;
        let bound = self.thread(tid).input_bound;
        self.exit_state(
            machine,
            tid,
            state,
            None,
            super::Exit {
                output,
                bound,
                assigned: None,
            },
        )
    }
}
