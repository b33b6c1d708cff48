//! `Parallel`: runs every branch on the same input; the result is the array of the
//! branches' outputs, and the first branch failure fails the state.

use crate::execution::{Execution, Flow};
use crate::history::EventType;
use crate::thread::{Fanout, ParentLink, Phase, ThreadId};
use asl::errors::Failure;
use asl::model::{MachineId, State, StateMachine};
use serde_json::Value;

impl Execution {
    pub(crate) fn run_parallel(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        branches: &[MachineId],
    ) -> Result<Flow, Failure> {
        let input = self.parameters_input(tid, state, None)?;
        let input_bound = self.check_input_size(state, &input)?;
        let started = self.record(tid, EventType::ParallelStateStarted, None);
        let mut fanout = Fanout {
            is_map: false,
            effective_input: Value::Null,
            items: Vec::new(),
            next_item: branches.len(),
            limit: 0,
            running: branches.len(),
            results: vec![Value::Null; branches.len()],
            finished: 0,
            failed: 0,
            tolerated_count: None,
            tolerated_percentage: None,
        };
        fanout.effective_input = Value::Null;
        for (slot, &branch) in branches.iter().enumerate() {
            let start = machine.machine(branch).start_at;
            let child = self.spawn(
                branch,
                start,
                input.clone(),
                input_bound,
                Some(ParentLink { thread: tid, slot }),
                started,
            );
            self.ready.push_back(child);
        }
        self.thread_mut_expect(tid).phase = Phase::Fanout(Box::new(fanout));
        Ok(Flow::Stop)
    }
}
