//! JSONata states: `$states` (input, result, errorOutput, context) and variables
//! for expressions, and how a JSONata state finishes (Assign and Output evaluated
//! side by side, both seeing the variables as they were before the state).

use super::Exit;
use crate::context::Scope;
use crate::execution::{Execution, Flow};
use crate::thread::ThreadId;
use asl::errors::{Failure, QUERY_EVALUATION_ERROR};
use asl::jsonata::{JsonataEnv, Template as Expression};
use asl::model::{Assign, State, StateKind, StateMachine};
use asl::random::{Entropy, SplitMix64};
use serde_json::{Map, Value};

/// What `$states` holds for one evaluation.
#[derive(Clone, Copy, Default)]
pub(crate) struct States<'a> {
    /// `$states.input`: the state's raw input.
    pub(crate) input: Option<&'a Value>,
    /// `$states.result`: the work's result (Task, Parallel, Map).
    pub(crate) result: Option<&'a Value>,
    /// `$states.errorOutput`: in Catch.
    pub(crate) error_output: Option<&'a Value>,
    /// `$states.context.Map.Item`: in a Map's ItemSelector.
    pub(crate) map_item: Option<(usize, &'a Value)>,
    /// `$states.context.Task.Token`: in a `.waitForTaskToken` Task's Arguments.
    pub(crate) task_token: Option<&'a str>,
}

struct Env<'a> {
    scope: Scope<'a>,
    states: States<'a>,
    rng: &'a mut SplitMix64,
}

impl JsonataEnv for Env<'_> {
    fn states_member(&self, name: &str) -> Option<Value> {
        match name {
            "input" => self.states.input.cloned(),
            "result" => self.states.result.cloned(),
            "errorOutput" => self.states.error_output.cloned(),
            "context" => Some(self.scope.context_object()),
            _ => None,
        }
    }

    fn variable(&self, name: &str) -> Option<Value> {
        self.scope.variables.get(name).cloned()
    }

    fn with_states_member(&self, name: &str, f: &mut dyn FnMut(&Value)) {
        // Lend what the thread already holds instead of copying it per evaluation.
        let lent = match name {
            "input" => self.states.input,
            "result" => self.states.result,
            "errorOutput" => self.states.error_output,
            _ => None,
        };
        match lent {
            Some(value) => f(value),
            None => {
                if let Some(value) = self.states_member(name) {
                    f(&value);
                }
            }
        }
    }

    fn with_states_member_reading(
        &self,
        name: &str,
        members: Option<&[&str]>,
        f: &mut dyn FnMut(&Value),
    ) {
        match (name, members) {
            // Build only the context members read (`Map` for
            // `$states.context.Map.Item.Value`), not the execution input with them.
            ("context", Some(members)) => f(&self.scope.context_members(members)),
            _ => self.with_states_member(name, f),
        }
    }

    fn with_variable(&self, name: &str, f: &mut dyn FnMut(&Value)) {
        if let Some(value) = self.scope.variables.get(name) {
            f(value);
        }
    }

    fn entropy(&mut self) -> &mut dyn Entropy {
        self.rng
    }
}

impl Execution {
    /// Evaluates a JSONata-state field for the thread's current state.
    pub(crate) fn eval_expression(
        &mut self,
        tid: ThreadId,
        state: &State,
        expression: &Expression,
        field: &str,
        states: States<'_>,
    ) -> Result<Value, Failure> {
        let mut rng = self.rng;
        let result = {
            let empty = Value::Null;
            let scope = self.scope(
                tid,
                state,
                states.input.unwrap_or(&empty),
                states.task_token,
                states.map_item,
            );
            let mut env = Env {
                scope,
                states,
                rng: &mut rng,
            };
            expression.eval(field, &mut env)
        };
        self.rng = rng;
        result
    }

    /// Evaluates a field with only `$states.input` (the thread's raw input) and
    /// `$states.context` available: Arguments, TimeoutSeconds, Error, Cause, ...
    pub(crate) fn eval_on_input(
        &mut self,
        tid: ThreadId,
        state: &State,
        expression: &Expression,
        field: &str,
    ) -> Result<Value, Failure> {
        self.eval_on_input_with_token(tid, state, expression, field, None)
    }

    fn eval_on_input_with_token(
        &mut self,
        tid: ThreadId,
        state: &State,
        expression: &Expression,
        field: &str,
        task_token: Option<&str>,
    ) -> Result<Value, Failure> {
        // Moved out and back rather than copied: the evaluation only reads it.
        let input = std::mem::take(&mut self.thread_mut_expect(tid).input);
        let states = States {
            input: Some(&input),
            task_token,
            ..States::default()
        };
        let result = self.eval_expression(tid, state, expression, field, states);
        self.thread_mut_expect(tid).input = input;
        result
    }

    /// Evaluates a JSONata `Assign` block (an object of names to values).
    pub(crate) fn eval_assign_expressions(
        &mut self,
        tid: ThreadId,
        state: &State,
        assign: Option<&Assign>,
        states: States<'_>,
    ) -> Result<Option<Map<String, Value>>, Failure> {
        let Some(Assign::Expressions(expression)) = assign else {
            return Ok(None);
        };
        match self.eval_expression(tid, state, expression, "Assign", states)? {
            Value::Object(map) => Ok(Some(map)),
            other => Err(Failure::new(
                QUERY_EVALUATION_ERROR,
                format!("The Assign field must be an object, but was: {other}"),
            )),
        }
    }

    /// A JSONata state's work input: `Arguments` evaluated, or the raw input.
    pub(crate) fn jsonata_arguments(
        &mut self,
        tid: ThreadId,
        state: &State,
        task_token: Option<&str>,
    ) -> Result<Value, Failure> {
        match &state.arguments {
            Some(arguments) => {
                self.eval_on_input_with_token(tid, state, arguments, "Arguments", task_token)
            }
            None => Ok(self.thread(tid).input.clone()),
        }
    }

    /// Finishes a JSONata state: Assign and Output (default: the result for Task,
    /// Parallel and Map, the input otherwise), then the transition to `next`.
    pub(crate) fn complete_jsonata(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        result: Value,
    ) -> Result<Flow, Failure> {
        let has_result = matches!(
            state.kind,
            StateKind::Task(_) | StateKind::Parallel { .. } | StateKind::Map(_)
        );
        let input = std::mem::take(&mut self.thread_mut_expect(tid).input);
        let states = States {
            input: Some(&input),
            result: has_result.then_some(&result),
            ..States::default()
        };
        let evaluated = self
            .eval_assign_expressions(tid, state, state.assign.as_ref(), states)
            .and_then(|assigned| {
                let output = match &state.output {
                    Some(output) => {
                        Some(self.eval_expression(tid, state, output, "Output", states)?)
                    }
                    None => None,
                };
                Ok((assigned, output))
            });
        let (assigned, output) = match evaluated {
            Ok(v) => v,
            Err(f) => {
                // Catch sees the state's input, as before the state ran.
                self.thread_mut_expect(tid).input = input;
                return Err(f);
            }
        };
        let output = match output {
            Some(output) => output,
            None if has_result => result,
            None => input,
        };
        self.exit_with(machine, tid, state, state.next, output, assigned)
    }

    /// Exits with an output whose size is not bounded yet (walks it once).
    pub(crate) fn exit_with(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        next: Option<asl::model::StateId>,
        output: Value,
        assigned: Option<Map<String, Value>>,
    ) -> Result<Flow, Failure> {
        let limit = self.config.max_payload_bytes;
        let bound = asl::size::json_len_capped(&output, limit);
        self.exit_state(
            machine,
            tid,
            state,
            next,
            Exit {
                output,
                bound,
                assigned,
            },
        )
    }
}

/// Reads a JSONata field that must be a whole number within `min..`, with AWS's
/// wording for the failure.
pub(crate) fn whole_number(value: &Value, field: &str, min: i64) -> Result<i64, Failure> {
    let n = value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.is_finite())
            .map(|f| f as i64)
    });
    match n {
        Some(n) if n >= min => Ok(n),
        _ => Err(Failure::new(
            QUERY_EVALUATION_ERROR,
            format!(
                "The {field} field must evaluate to an integer greater than or equal to {min}, but was: {value}"
            ),
        )),
    }
}
