//! `Choice`: picks the next state by the first rule that holds, else `Default`.

use crate::execution::{Execution, Flow};
use crate::thread::ThreadId;
use asl::choice::ChoiceRule;
use asl::errors::{Failure, NO_CHOICE_MATCHED};
use asl::model::{Assign, ChoiceSpec, Filter, QueryLanguage, State, StateMachine};
use serde_json::Value;

impl Execution {
    pub(crate) fn run_choice(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        spec: &ChoiceSpec,
    ) -> Result<Flow, Failure> {
        if state.query_language == QueryLanguage::JsonAta {
            return self.run_choice_jsonata(machine, tid, state, spec);
        }
        let mut rng = self.rng;
        let (next, assigned) = {
            let effective = self.effective_input(tid, state)?;
            let scope = self.scope(tid, state, &effective, None, None);
            let mut chosen = None;
            for branch in &spec.choices {
                if branch.rule.eval(&scope)? {
                    chosen = Some(branch);
                    break;
                }
            }
            // A matched rule's Assign applies; the state's own Assign goes with Default.
            let (next, assign) = match chosen {
                Some(branch) => (branch.next, branch.assign.as_ref()),
                None => match spec.default {
                    Some(default) => (default, state.assign.as_ref()),
                    None => return Err(Failure::new(NO_CHOICE_MATCHED, "No Matches!")),
                },
            };
            let assigned = match assign {
                Some(Assign::Paths(template)) => match template.eval(&scope, &mut rng)? {
                    Value::Object(map) => Some(map),
                    _ => None,
                },
                _ => None,
            };
            (next, assigned)
        };
        self.rng = rng;
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

    /// JSONata Choice: each rule's `Condition` must give a boolean; the matched
    /// rule's Output and Assign apply, or the state's own with Default.
    fn run_choice_jsonata(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        spec: &ChoiceSpec,
    ) -> Result<Flow, Failure> {
        let input = self.thread(tid).input.clone();
        let states = super::States {
            input: Some(&input),
            ..Default::default()
        };
        let mut chosen = None;
        for branch in &spec.choices {
            let ChoiceRule::Condition(condition) = &branch.rule else {
                continue;
            };
            match self.eval_expression(tid, state, condition, "Condition", states)? {
                Value::Bool(true) => {
                    chosen = Some(branch);
                    break;
                }
                Value::Bool(false) => {}
                other => {
                    return Err(Failure::new(
                        asl::errors::QUERY_EVALUATION_ERROR,
                        format!("The Condition field must evaluate to a boolean, but was: {other}"),
                    ))
                }
            }
        }
        let (next, assign, output) = match chosen {
            Some(branch) => (branch.next, branch.assign.as_ref(), branch.output.as_ref()),
            None => match spec.default {
                Some(default) => (default, state.assign.as_ref(), state.output.as_ref()),
                None => return Err(Failure::new(NO_CHOICE_MATCHED, "No Matches!")),
            },
        };
        let assigned = self.eval_assign_expressions(tid, state, assign, states)?;
        let output = match output {
            Some(output) => self.eval_expression(tid, state, output, "Output", states)?,
            None => input,
        };
        self.exit_with(machine, tid, state, Some(next), output, assigned)
    }
}
