//! `Fail`: ends its machine with an error and cause (literal, by path or by an
//! intrinsic function).

use crate::execution::{Execution, Flow};
use crate::thread::ThreadId;
use asl::errors::Failure;
use asl::model::{FailSpec, State, StateMachine, StringSpec};

impl Execution {
    pub(crate) fn run_fail(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &State,
        spec: &FailSpec,
    ) -> Result<Flow, Failure> {
        let error = self.fail_field(tid, state, spec.error.as_ref(), "ErrorPath")?;
        let cause = self.fail_field(tid, state, spec.cause.as_ref(), "CausePath")?;
        self.fail_thread(machine, tid, Failure::new(error, cause));
        Ok(Flow::Stop)
    }

    fn fail_field(
        &mut self,
        tid: ThreadId,
        state: &State,
        spec: Option<&StringSpec>,
        field: &str,
    ) -> Result<String, Failure> {
        let Some(spec) = spec else {
            return Ok(String::new());
        };
        let value = match spec {
            StringSpec::Literal(text) => return Ok(text.clone()),
            StringSpec::Expr(expr) => {
                self.eval_on_input(tid, state, expr, field.trim_end_matches("Path"))?
            }
            StringSpec::Path(path) => {
                let input = &self.thread(tid).input;
                let scope = self.scope(tid, state, input, None, None);
                path.resolve(&scope).ok_or_else(|| {
                    Failure::runtime(format!(
                        "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
                        path.as_str(),
                        field,
                        input
                    ))
                })?
            }
            StringSpec::Intrinsic(call) => {
                let mut rng = self.rng;
                let input = &self.thread(tid).input;
                let scope = self.scope(tid, state, input, None, None);
                let value = call
                    .eval(&scope, &mut rng)
                    .map_err(|e| Failure::new(e.error, e.cause))?;
                self.rng = rng;
                value
            }
        };
        Ok(match value {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
    }
}
