//! What Parallel and Map share: children reporting success or failure to their
//! parent, tolerated Map failures, and aborting the children still running.

use super::error_output;
use crate::effect::Effect;
use crate::execution::Execution;
use crate::history::EventType;
use crate::thread::{Fanout, ParentLink, Phase, ThreadId};
use asl::errors::{Failure, EXCEED_TOLERATED_FAILURE_THRESHOLD};
use asl::model::StateMachine;
use serde_json::{json, Value};

impl Execution {
    /// A branch or iteration ended with `output`.
    pub(crate) fn child_succeeded(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        link: ParentLink,
        output: Value,
    ) {
        let Some(mut fanout) = self.take_fanout(link.thread) else {
            self.remove_thread(tid);
            return;
        };
        if fanout.is_map {
            let name = &self.current_state(machine, link.thread).name;
            let details = self
                .config
                .record_history
                .then(|| json!({"name": name, "index": link.slot}));
            self.record(tid, EventType::MapIterationSucceeded, details);
        }
        self.remove_thread(tid);
        if let Some(slot) = fanout.results.get_mut(link.slot) {
            *slot = output;
        }
        fanout.running -= 1;
        fanout.finished += 1;
        self.after_child(machine, link.thread, fanout);
    }

    /// A branch or iteration failed with `failure`.
    pub(crate) fn child_failed(
        &mut self,
        machine: &StateMachine,
        tid: ThreadId,
        link: ParentLink,
        failure: Failure,
    ) {
        let Some(mut fanout) = self.take_fanout(link.thread) else {
            self.remove_thread(tid);
            return;
        };
        let parent = link.thread;
        if fanout.is_map {
            let name = &self.current_state(machine, parent).name;
            let details = self
                .config
                .record_history
                .then(|| json!({"name": name, "index": link.slot}));
            self.record(tid, EventType::MapIterationFailed, details);
        }
        self.remove_thread(tid);
        fanout.running -= 1;
        fanout.finished += 1;
        fanout.failed += 1;
        let tolerated = fanout.is_map && within_tolerance(&fanout);
        if tolerated {
            if let Some(slot) = fanout.results.get_mut(link.slot) {
                *slot = error_output(&failure);
            }
            self.after_child(machine, parent, fanout);
            return;
        }
        let failure = if fanout.is_map
            && (fanout.tolerated_count.is_some() || fanout.tolerated_percentage.is_some())
        {
            Failure::new(
                EXCEED_TOLERATED_FAILURE_THRESHOLD,
                "The specified tolerated failure threshold was exceeded",
            )
        } else {
            failure
        };
        self.abort_children(parent);
        let event = if fanout.is_map {
            EventType::MapStateFailed
        } else {
            EventType::ParallelStateFailed
        };
        self.record(parent, event, None);
        self.thread_mut_expect(parent).phase = Phase::Failed(failure);
        self.ready.push_back(parent);
    }

    /// After a child ended: start more Map iterations, or finish the state.
    fn after_child(&mut self, machine: &StateMachine, parent: ThreadId, fanout: Box<Fanout>) {
        let total = fanout.results.len();
        if fanout.finished == total {
            let event = if fanout.is_map {
                EventType::MapStateSucceeded
            } else {
                EventType::ParallelStateSucceeded
            };
            self.record(parent, event, None);
            self.thread_mut_expect(parent).phase = Phase::Completed(Value::Array(fanout.results));
            self.ready.push_back(parent);
            return;
        }
        let is_map = fanout.is_map;
        self.thread_mut_expect(parent).phase = Phase::Fanout(fanout);
        if is_map {
            if let Err(failure) = self.fill_map(machine, parent) {
                let name = self.current_state(machine, parent).name.clone();
                let failure = self.locate(parent, &name, failure);
                self.abort_children(parent);
                self.thread_mut_expect(parent).phase = Phase::Failed(failure);
                self.ready.push_back(parent);
            }
        }
    }

    fn take_fanout(&mut self, parent: ThreadId) -> Option<Box<Fanout>> {
        let thread = self.thread_mut(parent)?;
        match std::mem::replace(&mut thread.phase, Phase::Enter) {
            Phase::Fanout(f) => Some(f),
            other => {
                thread.phase = other;
                None
            }
        }
    }

    /// Stops every descendant of `parent`: their tasks and timers are cancelled.
    pub(crate) fn abort_children(&mut self, parent: ThreadId) {
        let children: Vec<ThreadId> = self
            .threads
            .iter()
            .enumerate()
            .filter(|(_, t)| t.as_ref().and_then(|t| t.parent).map(|l| l.thread) == Some(parent))
            .map(|(id, _)| id)
            .collect();
        for child in children {
            self.abort_thread(child);
        }
    }

    fn abort_thread(&mut self, tid: ThreadId) {
        self.abort_children(tid);
        let Some(thread) = self.remove_thread(tid) else {
            return;
        };
        self.ready.retain(|&t| t != tid);
        match thread.phase {
            Phase::Task(wait) => {
                self.end_task(wait.task, &wait);
                self.out.effects.push(Effect::CancelTask { id: wait.task });
            }
            Phase::Sleeping { timer, .. } | Phase::Backoff { timer } => self.cancel_timer(timer),
            _ => {}
        }
    }
}

/// Whether a Map's failures so far are within ToleratedFailureCount/Percentage.
fn within_tolerance(fanout: &Fanout) -> bool {
    let total = fanout.results.len().max(1) as f64;
    let by_count = fanout.tolerated_count.map(|n| fanout.failed as u64 <= n);
    let by_percentage = fanout
        .tolerated_percentage
        .map(|p| (fanout.failed as f64) * 100.0 / total <= p);
    match (by_count, by_percentage) {
        (None, None) => false,
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (Some(a), Some(b)) => a || b,
    }
}
