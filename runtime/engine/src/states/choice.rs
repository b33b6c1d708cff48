//! `Choice`: picks the next state by the first rule that holds, else `Default`.

use crate::execution::{Execution, Flow};
use crate::thread::ThreadId;
use asl::errors::{Failure, NO_CHOICE_MATCHED};
use asl::model::{ChoiceSpec, Filter, State, StateMachine};

impl Execution {
    pub(crate) fn run_choice(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        spec: &ChoiceSpec,
    ) -> Result<Flow, Failure> {
        let effective = self.effective_input(tid, state)?.into_owned();
        let chosen = {
            let scope = self.scope(tid, state, &effective, None, None);
            let mut chosen = None;
            for branch in &spec.choices {
                if branch.rule.eval(&scope)? {
                    chosen = Some(branch);
                    break;
                }
            }
            chosen
        };
        // A matched rule's Assign applies; the state's own Assign goes with Default.
        let (next, assign) = match chosen {
            Some(branch) => (branch.next, branch.assign.as_ref()),
            None => match spec.default {
                Some(default) => (default, state.assign.as_ref()),
                None => return Err(Failure::new(NO_CHOICE_MATCHED, "No Matches!")),
            },
        };
        let assigned = self.evaluate_assign(tid, state, assign, &effective)?;
        let bound = self.thread(tid).input_bound;
        let output = match (&state.io.input_path, &state.io.output_path) {
            (Filter::All, Filter::All) => std::mem::take(&mut self.thread_mut_expect(tid).input),
            _ => {
                let effective = self.effective_input(tid, state)?.into_owned();
                self.output_path(tid, state, effective)?
            }
        };
        self.exit_state(
            machine,
            tid,
            state,
            Some(next),
            super::Exit {
                output,
                bound,
                assigned,
            },
        )
    }
}
