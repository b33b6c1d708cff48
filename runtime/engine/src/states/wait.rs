//! `Wait`: sleeps for `Seconds`/`SecondsPath` or until `Timestamp`/`TimestampPath`,
//! as a timer the caller runs.

use crate::execution::{Execution, Flow, TimerPurpose};
use crate::thread::{Phase, ThreadId};
use asl::errors::{Failure, QUERY_EVALUATION_ERROR};
use asl::model::{SecondsSpec, State, WaitSpec};
use chrono::Utc;
use serde_json::Value;

impl Execution {
    pub(crate) fn run_wait(
        &mut self,
        tid: ThreadId,
        state: &State,
        spec: &WaitSpec,
    ) -> Result<Flow, Failure> {
        let effective = self.effective_input(tid, state)?.into_owned();
        let seconds = match spec {
            WaitSpec::Seconds(SecondsSpec::Fixed(n)) => *n as f64,
            WaitSpec::Seconds(SecondsSpec::Path(path)) => {
                let value = path.select(&effective).ok_or_else(|| asl::payload::no_results(path, &effective))?;
                match value.as_i64() {
                    Some(n) if n < 0 => {
                        return Err(Failure::runtime(format!(
                            "The SecondsPath parameter references a negative value: {} == {}",
                            path.as_str(),
                            value
                        )))
                    }
                    Some(n) => n as f64,
                    None => match value.as_u64() {
                        Some(n) => n as f64,
                        None => {
                            return Err(Failure::runtime(format!(
                                "The SecondsPath parameter does not reference an integer value: {} == {}",
                                path.as_str(),
                                value
                            )))
                        }
                    },
                }
            }
            WaitSpec::Timestamp(text) => self.seconds_until(text).ok_or_else(|| {
                Failure::runtime(format!(
                    "The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: {text}"
                ))
            })?,
            WaitSpec::TimestampPath(path) => {
                let value = path.select(&effective).ok_or_else(|| asl::payload::no_results(path, &effective))?;
                let text = match &value {
                    Value::String(s) => s.as_str(),
                    _ => "",
                };
                self.seconds_until(text).ok_or_else(|| {
                    let shown = match &value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    Failure::runtime(format!(
                        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {}",
                        path.as_str(),
                        shown
                    ))
                })?
            }
            WaitSpec::Seconds(SecondsSpec::Expr(expr)) | WaitSpec::TimestampExpr(expr) => {
                return Err(Failure::new(
                    QUERY_EVALUATION_ERROR,
                    format!("JSONata expressions are not supported yet: '{expr}'"),
                ))
            }
        };
        let timer = self.new_timer(TimerPurpose::Wait(tid), seconds);
        self.thread_mut_expect(tid).phase = Phase::Sleeping {
            timer,
            result: effective,
        };
        Ok(Flow::Stop)
    }

    /// Seconds from now until an ASL timestamp (0 when it is past).
    fn seconds_until(&self, text: &str) -> Option<f64> {
        let due = asl::timestamp::parse(text)?.with_timezone(&Utc);
        let millis = (due - self.now).num_milliseconds().max(0);
        Some(millis as f64 / 1000.0)
    }

    /// A Wait state's timer fired.
    pub(crate) fn wake_sleeper(&mut self, tid: ThreadId) {
        let Some(thread) = self.thread_mut(tid) else {
            return;
        };
        if let Phase::Sleeping { result, .. } = std::mem::replace(&mut thread.phase, Phase::Enter) {
            thread.phase = Phase::Completed(result);
            self.ready.push_back(tid);
        }
    }
}
