//! One file per state kind; this file holds what they share: the effective input,
//! finishing a state (ResultSelector, ResultPath, OutputPath, size check, exit
//! event, transition) and ending threads.

mod choice;
mod fail;
mod fanout;
mod jsonata;
mod map;
mod parallel;
mod pass;
mod succeed;
mod task;
mod wait;

use crate::config::{MAX_VARIABLES_BYTES, MAX_VARIABLE_BYTES};
use crate::execution::{exited_type, Execution, Flow, Status};
use crate::thread::{Phase, ThreadId};
use asl::errors::{Failure, DATA_LIMIT_EXCEEDED, RESULT_PATH_MATCH_FAILURE};
use asl::jsonpath::JsonPath;
use asl::model::{Assign, Filter, QueryLanguage, ResultPath, State, StateId, StateMachine};
use serde_json::{json, Map, Value};
use std::borrow::Cow;

impl Execution {
    /// The current state's effective input: its raw input after InputPath.
    pub(crate) fn effective_input(
        &self,
        tid: ThreadId,
        state: &State,
    ) -> Result<Cow<'_, Value>, Failure> {
        let input = &self.thread(tid).input;
        match &state.io.input_path {
            Filter::All => Ok(Cow::Borrowed(input)),
            Filter::Nothing => Ok(Cow::Owned(Value::Object(Map::new()))),
            Filter::Path(path) => match path.root() {
                asl::jsonpath::Root::Input => path
                    .select(input)
                    .map(Cow::Owned)
                    .ok_or_else(|| asl::payload::no_results(path, input)),
                asl::jsonpath::Root::Context | asl::jsonpath::Root::Variable => {
                    let scope = self.scope(tid, state, input, None, None);
                    path.resolve(&scope)
                        .map(Cow::Owned)
                        .ok_or_else(|| asl::payload::no_results(path, &scope.context_object()))
                }
            },
        }
    }

    /// Checks AWS's variable limits before assignments are committed: at most
    /// [`MAX_VARIABLE_BYTES`] per value and [`MAX_VARIABLES_BYTES`] for the whole
    /// execution. Returns the bytes the new values hold.
    fn check_assignments(
        &self,
        tid: ThreadId,
        state: &State,
        assigned: &Map<String, Value>,
    ) -> Result<usize, Failure> {
        let mut added = 0usize;
        let mut replaced = 0usize;
        let thread = self.thread(tid);
        for (name, value) in assigned {
            let size = asl::size::json_len_capped(value, MAX_VARIABLE_BYTES);
            if size > MAX_VARIABLE_BYTES {
                return Err(Failure::runtime(format!(
                    "The value assigned to the variable '{name}' in state '{}' exceeds the maximum size of {MAX_VARIABLE_BYTES} bytes.",
                    state.name
                )));
            }
            added += size;
            if let Some(old) = thread.variables.get(name) {
                replaced += asl::size::json_len_capped(old, usize::MAX);
            }
        }
        let total = (self.variable_bytes + added).saturating_sub(replaced);
        if total > MAX_VARIABLES_BYTES {
            return Err(Failure::runtime(format!(
                "The variables assigned in state '{}' bring the execution's variables to {total} bytes, over the maximum of {MAX_VARIABLES_BYTES} bytes.",
                state.name
            )));
        }
        Ok(added)
    }

    /// Resolves a path of the current state with `input` as `$` (a `$$` path reads
    /// the context object, a `$name` path a variable).
    pub(crate) fn resolve_in(
        &self,
        tid: ThreadId,
        state: &State,
        path: &JsonPath,
        input: &Value,
    ) -> Option<Value> {
        match path.root() {
            asl::jsonpath::Root::Input => path.select(input),
            _ => path.resolve(&self.scope(tid, state, input, None, None)),
        }
    }

    /// `States.DataLimitExceeded` when a state's input (after Parameters, or an
    /// iteration's after ItemSelector) is over the payload limit.
    /// Returns the input's JSON length.
    pub(crate) fn check_input_size(&self, state: &State, input: &Value) -> Result<usize, Failure> {
        let limit = self.config.max_payload_bytes;
        let size = asl::size::json_len_capped(input, limit);
        if size <= limit {
            return Ok(size);
        }
        Err(Failure::new(
            DATA_LIMIT_EXCEEDED,
            format!(
                "The state/task '{}' has an input with a size exceeding the maximum number of bytes service limit.",
                state.name
            ),
        ))
    }

    /// Applies OutputPath to a state's output; a `$$` path reads the context object.
    pub(crate) fn output_path(
        &self,
        tid: ThreadId,
        state: &State,
        output: Value,
    ) -> Result<Value, Failure> {
        match &state.io.output_path {
            Filter::Path(path) if path.root() != asl::jsonpath::Root::Input => {
                let scope = self.scope(tid, state, &output, None, None);
                path.resolve(&scope)
                    .ok_or_else(|| asl::payload::no_results(path, &scope.context_object()))
            }
            filter => asl::payload::apply_filter(filter, output),
        }
    }

    /// The effective input after `Parameters` (a task's input, a branch's input).
    pub(crate) fn parameters_input(
        &mut self,
        tid: ThreadId,
        state: &State,
        token: Option<&str>,
    ) -> Result<Value, Failure> {
        if state.query_language == QueryLanguage::JsonAta {
            return self.jsonata_arguments(tid, state, token);
        }
        let mut rng = self.rng;
        let result = {
            let effective = self.effective_input(tid, state)?;
            match &state.io.parameters {
                Some(template) => {
                    let scope = self.scope(tid, state, &effective, token, None);
                    template.eval(&scope, &mut rng)?
                }
                None => effective.into_owned(),
            }
        };
        self.rng = rng;
        Ok(result)
    }

    /// Finishes the current state with its `result`: ResultSelector, ResultPath,
    /// OutputPath, the size limit, the exit event, then the transition.
    pub(crate) fn complete_state(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        result: Value,
    ) -> Result<Flow, Failure> {
        let state = self.current_state(machine, tid);
        if state.query_language == QueryLanguage::JsonAta {
            return self.complete_jsonata(machine, tid, state, result);
        }
        let result = match &state.io.result_selector {
            Some(template) => {
                let mut rng = self.rng;
                let scope = self.scope(tid, state, &result, None, None);
                let selected = template.eval(&scope, &mut rng)?;
                self.rng = rng;
                selected
            }
            None => result,
        };
        let assigned = self.evaluate_assign(tid, state, state.assign.as_ref(), &result)?;
        let bound = self.merged_bound(tid, &state.io.result_path, &result);
        let output = self.merge_result(tid, &state.io.result_path, result)?;
        let output = self.output_path(tid, state, output)?;
        self.exit_state(
            machine,
            tid,
            state,
            state.next,
            Exit {
                output,
                bound,
                assigned,
            },
        )
    }

    /// Evaluates an `Assign` block with `$` standing for `dollar` (the state's
    /// result, or its input for Choice, or the error output for Catch). Every value
    /// reads the variables as they were before the state; the engine commits them
    /// when the state exits.
    pub(crate) fn evaluate_assign(
        &mut self,
        tid: ThreadId,
        state: &State,
        assign: Option<&Assign>,
        dollar: &Value,
    ) -> Result<Option<Map<String, Value>>, Failure> {
        let Some(assign) = assign else {
            return Ok(None);
        };
        let value = match assign {
            Assign::Paths(template) => {
                let mut rng = self.rng;
                let scope = self.scope(tid, state, dollar, None, None);
                let value = template.eval(&scope, &mut rng)?;
                self.rng = rng;
                value
            }
            Assign::Expressions(_) => {
                let states = States {
                    input: Some(dollar),
                    ..States::default()
                };
                return self.eval_assign_expressions(tid, state, Some(assign), states);
            }
        };
        match value {
            Value::Object(map) => Ok(Some(map)),
            _ => Ok(None),
        }
    }

    /// An upper bound of the JSON length of ResultPath's output: the raw input's
    /// bound plus the result's length plus what the path's keys can add. Only the
    /// result is walked, so a small change to a large payload costs little.
    pub(crate) fn merged_bound(
        &self,
        tid: ThreadId,
        result_path: &ResultPath,
        result: &Value,
    ) -> usize {
        let limit = self.config.max_payload_bytes;
        let input_bound = self.thread(tid).input_bound;
        match result_path {
            ResultPath::Replace => asl::size::json_len_capped(result, limit),
            ResultPath::Discard => input_bound,
            ResultPath::At(path) => input_bound
                .saturating_add(asl::size::json_len_capped(result, limit))
                .saturating_add(2 * path.as_str().len() + 16),
        }
    }

    /// Applies ResultPath: writes `result` into the thread's raw input and takes it.
    /// On failure the raw input is left as it was (Catch still needs it).
    pub(crate) fn merge_result(
        &mut self,
        tid: ThreadId,
        result_path: &ResultPath,
        result: Value,
    ) -> Result<Value, Failure> {
        let thread = self.thread_mut_expect(tid);
        match result_path {
            ResultPath::Replace => Ok(result),
            ResultPath::Discard => Ok(std::mem::take(&mut thread.input)),
            ResultPath::At(path) => match path.assign(&mut thread.input, result) {
                Ok(()) => Ok(std::mem::take(&mut thread.input)),
                Err(_) => Err(Failure::new(
                    RESULT_PATH_MATCH_FAILURE,
                    format!(
                        "Unable to apply ResultPath \"{}\" to input \"{}\"",
                        path.as_str(),
                        thread.input
                    ),
                )),
            },
        }
    }

    /// Checks the size limit, records the exit event and moves to `next` (or ends
    /// the thread when there is none).
    pub(crate) fn exit_state(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        next: Option<StateId>,
        exit: Exit,
    ) -> Result<Flow, Failure> {
        let Exit {
            output,
            bound,
            assigned,
        } = exit;
        // `bound` is an upper bound of the output's length; walk the output only
        // when the bound does not already prove it within the limit.
        let limit = self.config.max_payload_bytes;
        let bound = if bound <= limit {
            bound
        } else {
            asl::size::json_len_capped(&output, limit)
        };
        if bound > limit {
            // The output is gone; what Catch sees as input is what the state got.
            return Err(Failure::new(
                DATA_LIMIT_EXCEEDED,
                format!(
                    "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                    state.name
                ),
            ));
        }
        let added_bytes = match &assigned {
            Some(assigned) => self.check_assignments(tid, state, assigned)?,
            None => 0,
        };
        let mut output_text = None;
        if let Some(event_type) = exited_type(&state.kind) {
            let details = self.config.record_history.then(|| {
                let text = self.data_text(&output);
                output_text = Some(text.clone());
                let mut details = json!({"name": state.name, "output": text, "outputDetails": {"truncated": false}});
                if let Some(assigned) = &assigned {
                    let texts: Map<String, Value> = assigned
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
                        .collect();
                    details["assignedVariables"] = Value::Object(texts);
                    details["assignedVariablesDetails"] = json!({"truncated": false});
                }
                details
            });
            self.record(tid, event_type, details);
        }
        if let Some(assigned) = assigned {
            let thread = self.thread_mut_expect(tid);
            let mut replaced = 0usize;
            for (name, value) in assigned {
                if let Some(old) = thread.variables.insert(name, value) {
                    replaced += asl::size::json_len_capped(&old, usize::MAX);
                }
            }
            thread.variable_bytes = (thread.variable_bytes + added_bytes).saturating_sub(replaced);
            self.variable_bytes = (self.variable_bytes + added_bytes).saturating_sub(replaced);
        }
        let flow = self.transition(machine, tid, next, output, bound);
        if let (Flow::Continue, Some(thread)) = (&flow, self.thread_mut(tid)) {
            thread.input_text = output_text;
        }
        Ok(flow)
    }

    /// Moves the thread to `next` with `input`, or ends it with `input` as output.
    pub(crate) fn transition(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        next: Option<StateId>,
        input: Value,
        input_bound: usize,
    ) -> Flow {
        match next {
            Some(next) => {
                let thread = self.thread_mut_expect(tid);
                thread.state = next;
                thread.input = input;
                thread.input_bound = input_bound;
                thread.phase = Phase::Enter;
                Flow::Continue
            }
            None => {
                self.end_thread(machine, tid, input);
                Flow::Stop
            }
        }
    }

    /// A thread reached the end of its machine with `output`.
    pub(crate) fn end_thread(&mut self, machine: &StateMachine, tid: ThreadId, output: Value) {
        let parent = self.thread_opt(tid).and_then(|t| t.parent);
        match parent {
            None => self.finish(Status::Succeeded, Some(output), None, None),
            Some(link) => self.child_succeeded(machine, tid, link, output),
        }
    }

    /// A thread failed with an error no Retry or Catch handled.
    pub(crate) fn fail_thread(&mut self, machine: &StateMachine, tid: ThreadId, failure: Failure) {
        let parent = self.thread_opt(tid).and_then(|t| t.parent);
        match parent {
            None => {
                let error = (!failure.error.is_empty()).then_some(failure.error);
                let cause = (!failure.cause.is_empty()).then_some(failure.cause);
                self.finish(Status::Failed, None, error, cause)
            }
            Some(link) => self.child_failed(machine, tid, link, failure),
        }
    }

    /// The state a thread is at.
    pub(crate) fn current_state<'m>(&self, machine: &'m StateMachine, tid: ThreadId) -> &'m State {
        let thread = self.thread(tid);
        machine.state(thread.machine, thread.state)
    }
}

/// What a state passes on when it exits.
pub(crate) struct Exit {
    /// Its output (the next state's raw input).
    pub(crate) output: Value,
    /// An upper bound of the output's JSON length.
    pub(crate) bound: usize,
    /// Variables it assigns, committed on exit.
    pub(crate) assigned: Option<Map<String, Value>>,
}

pub(crate) use jsonata::{whole_number, States};

/// The error output Catch passes on: `{"Error": ..., "Cause": ...}`.
pub(crate) fn error_output(failure: &Failure) -> Value {
    json!({"Error": failure.error, "Cause": failure.cause})
}
