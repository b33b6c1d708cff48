//! Retry and Catch: what happens when a state's work fails.
//!
//! The first retrier whose ErrorEquals matches decides: while it has attempts left
//! the state's work runs again after `IntervalSeconds * BackoffRate^n` seconds
//! (capped by MaxDelaySeconds, jittered under FULL); once it has none, Catch is
//! tried, then the thread fails.

use crate::execution::{Execution, Flow, TimerPurpose};
use crate::thread::{Phase, ThreadId};
use asl::errors::{matches, Failure};
use asl::model::{Jitter, Retrier, StateMachine};
use asl::random::Entropy;

/// The delay before retry number `used` (0-based) under `retrier`, in seconds;
/// `unit` is a uniform draw in [0, 1) used by FULL jitter.
pub fn backoff_seconds(retrier: &Retrier, used: u64, unit: f64) -> f64 {
    let exponent = i32::try_from(used).unwrap_or(i32::MAX);
    let mut delay = retrier.interval_seconds as f64 * retrier.backoff_rate.powi(exponent);
    if let Some(max) = retrier.max_delay_seconds {
        delay = delay.min(max as f64);
    }
    if !delay.is_finite() {
        delay = f64::from(u32::MAX);
    }
    match retrier.jitter {
        Jitter::None => delay,
        Jitter::Full => delay * unit,
    }
}

impl Execution {
    /// Applies Retry, then Catch, then fails the thread.
    pub(crate) fn handle_failure(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        failure: Failure,
    ) -> Flow {
        let state = self.current_state(machine, tid);
        if let Some((index, retrier)) = state
            .retry
            .iter()
            .enumerate()
            .find(|(_, r)| matches(&r.error_equals, &failure.error))
        {
            let used = self
                .thread(tid)
                .retries_used
                .get(index)
                .copied()
                .unwrap_or(0);
            if used < retrier.max_attempts {
                let unit = self.random().next_f64();
                let delay = backoff_seconds(retrier, used, unit);
                let thread = self.thread_mut_expect(tid);
                if thread.retries_used.len() <= index {
                    thread.retries_used.resize(index + 1, 0);
                }
                thread.retries_used[index] += 1;
                let timer = self.new_timer(TimerPurpose::Backoff(tid), delay);
                self.thread_mut_expect(tid).phase = Phase::Backoff { timer };
                return Flow::Stop;
            }
        }
        if let Some(catcher) = state
            .catch
            .iter()
            .find(|c| matches(&c.error_equals, &failure.error))
        {
            let error_output = crate::states::error_output(&failure);
            if state.query_language == asl::model::QueryLanguage::JsonAta {
                return self.catch_jsonata(machine, tid, state, catcher, error_output);
            }
            let assigned =
                match self.evaluate_assign(tid, state, catcher.assign.as_ref(), &error_output) {
                    Ok(assigned) => assigned,
                    Err(f) => {
                        let f = self.locate(tid, &state.name, f);
                        self.fail_thread(machine, tid, f);
                        return Flow::Stop;
                    }
                };
            let bound = self.merged_bound(tid, &catcher.result_path, &error_output);
            return match self.merge_result(tid, &catcher.result_path, error_output) {
                Ok(output) => {
                    match self.exit_state(
                        machine,
                        tid,
                        state,
                        Some(catcher.next),
                        crate::states::Exit {
                            output,
                            bound,
                            assigned,
                        },
                    ) {
                        Ok(flow) => flow,
                        Err(f) => {
                            self.fail_thread(machine, tid, f);
                            Flow::Stop
                        }
                    }
                }
                Err(f) => {
                    self.fail_thread(machine, tid, f);
                    Flow::Stop
                }
            };
        }
        self.fail_thread(machine, tid, failure);
        Flow::Stop
    }

    /// Catch in a JSONata state: `$states.errorOutput` for Assign and Output; the
    /// output defaults to the error output.
    fn catch_jsonata(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        state: &asl::model::State,
        catcher: &asl::model::Catcher,
        error_output: serde_json::Value,
    ) -> Flow {
        let input = self.thread(tid).input.clone();
        let states = crate::states::States {
            input: Some(&input),
            error_output: Some(&error_output),
            ..Default::default()
        };
        let outcome = self
            .eval_assign_expressions(tid, state, catcher.assign.as_ref(), states)
            .and_then(|assigned| {
                let output = match &catcher.output {
                    Some(output) => self.eval_expression(tid, state, output, "Output", states)?,
                    None => error_output.clone(),
                };
                self.exit_with(machine, tid, state, Some(catcher.next), output, assigned)
            });
        match outcome {
            Ok(flow) => flow,
            Err(f) => {
                let f = self.locate(tid, &state.name, f);
                self.fail_thread(machine, tid, f);
                Flow::Stop
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(interval: u64, rate: f64, max_delay: Option<u64>, jitter: Jitter) -> Retrier {
        Retrier {
            error_equals: vec!["States.ALL".into()],
            interval_seconds: interval,
            max_attempts: 3,
            backoff_rate: rate,
            max_delay_seconds: max_delay,
            jitter,
        }
    }

    #[test]
    fn exponential_backoff_capped_and_jittered() {
        let r = retrier(2, 3.0, None, Jitter::None);
        assert_eq!(backoff_seconds(&r, 0, 0.5), 2.0);
        assert_eq!(backoff_seconds(&r, 2, 0.5), 18.0);
        let capped = retrier(2, 3.0, Some(10), Jitter::None);
        assert_eq!(backoff_seconds(&capped, 2, 0.5), 10.0);
        let jittered = retrier(2, 3.0, None, Jitter::Full);
        assert_eq!(backoff_seconds(&jittered, 1, 0.5), 3.0);
        assert!(backoff_seconds(&r, u64::MAX, 0.5).is_finite());
    }
}
