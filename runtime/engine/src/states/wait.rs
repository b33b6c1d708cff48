//! `Wait`: sleeps for `Seconds`/`SecondsPath` or until `Timestamp`/`TimestampPath`,
//! as a timer the caller runs.

use crate::execution::{Execution, Flow, TimerPurpose};
use crate::thread::{Phase, ThreadId};
use asl::errors::{Failure, QUERY_EVALUATION_ERROR};
use asl::model::{SecondsSpec, State, WaitSpec};
use chrono::{DateTime, Utc};
use serde_json::Value;

impl Execution {
    pub(crate) fn run_wait(
        &mut self,
        tid: ThreadId,
        state: &State,
        spec: &WaitSpec,
    ) -> Result<Flow, Failure> {
        let effective = self.effective_input(tid, state)?.into_owned();
        let due = match spec {
            WaitSpec::Seconds(SecondsSpec::Fixed(n)) => self.after_seconds(*n as f64),
            WaitSpec::Seconds(SecondsSpec::Path(path)) => {
                let value = self.resolve_in(tid, state, path, &effective).ok_or_else(|| asl::payload::no_results(path, &effective))?;
                match value.as_i64() {
                    Some(n) if n < 0 => {
                        return Err(Failure::runtime(format!(
                            "The SecondsPath parameter references a negative value: {} == {}",
                            path.as_str(),
                            value
                        )))
                    }
                    Some(n) => self.after_seconds(n as f64),
                    None => match value.as_u64() {
                        Some(n) => self.after_seconds(n as f64),
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
            WaitSpec::Timestamp(text) => timestamp_due(text).ok_or_else(|| {
                Failure::runtime(format!(
                    "The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: {text}"
                ))
            })?,
            WaitSpec::TimestampPath(path) => {
                let value = self.resolve_in(tid, state, path, &effective).ok_or_else(|| asl::payload::no_results(path, &effective))?;
                let text = match &value {
                    Value::String(s) => s.as_str(),
                    _ => "",
                };
                timestamp_due(text).ok_or_else(|| {
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
            WaitSpec::Seconds(SecondsSpec::Expr(expr)) => {
                let value = self.eval_on_input(tid, state, expr, "Seconds")?;
                let seconds = super::whole_number(&value, "Seconds", 0)?;
                self.after_seconds(seconds as f64)
            }
            WaitSpec::TimestampExpr(expr) => {
                let value = self.eval_on_input(tid, state, expr, "Timestamp")?;
                let text = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                timestamp_due(&text).ok_or_else(|| {
                    Failure::new(
                        QUERY_EVALUATION_ERROR,
                        format!(
                            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"
                        ),
                    )
                })?
            }
        };
        let timer = self.new_timer_at(TimerPurpose::Wait(tid), due);
        self.thread_mut_expect(tid).phase = Phase::Sleeping {
            timer,
            result: effective,
        };
        Ok(Flow::Stop)
    }

    /// The instant `seconds` from now.
    fn after_seconds(&self, seconds: f64) -> DateTime<Utc> {
        let millis = (seconds * 1000.0).round().min(i64::MAX as f64 / 2.0) as i64;
        self.now
            .checked_add_signed(chrono::Duration::milliseconds(millis))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
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

/// The instant an ASL timestamp names; `None` when it is not one.
fn timestamp_due(text: &str) -> Option<DateTime<Utc>> {
    asl::timestamp::parse(text).map(|t| t.with_timezone(&Utc))
}
