//! Transitions inside one `States` block: every target must name a state of that same
//! block (`MISSING_TRANSITION_TARGET`, so a `Next` cannot leave a Parallel branch or a
//! Map item processor), every state must be reachable from `StartAt` (AWS reports an
//! unreachable state as `MISSING_TRANSITION_TARGET` too), and the block needs at least
//! one terminal state (`MISSING_END_STATE`).

use super::codes;
use super::context::{child, Ctx};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One transition: the pointer of the field (`/States/A/Next`), the state it names, and
/// the workflow variables assigned along it (for the scope analysis of `scopes`).
#[derive(Debug, Clone)]
pub(crate) struct Transition {
    pub(crate) location: String,
    pub(crate) target: String,
    pub(crate) assigns: Vec<String>,
}

/// What the graph checks need to know about a state.
#[derive(Debug, Default, Clone)]
pub(crate) struct StateSummary {
    /// `Next`, Choice rules' `Next`, `Default`, catchers' `Next`.
    pub(crate) transitions: Vec<Transition>,
    /// Succeed, Fail, or `"End": true`.
    pub(crate) terminal: bool,
}

impl StateSummary {
    /// A transition that assigns no variable.
    pub(crate) fn add_transition(&mut self, location: String, target: &str) {
        self.add_assigning_transition(location, target, Vec::new());
    }

    /// A transition along which the `Assign` that goes with it sets `assigns`.
    pub(crate) fn add_assigning_transition(
        &mut self,
        location: String,
        target: &str,
        assigns: Vec<String>,
    ) {
        self.transitions.push(Transition {
            location,
            target: target.to_string(),
            assigns,
        });
    }
}

/// Checks the transitions of one `States` block. `start_at` is `StartAt` when it is a
/// string; `summaries` follow the order of `states`.
pub(crate) fn check_graph(
    ctx: &mut Ctx,
    machine_ptr: &str,
    start_at: Option<&str>,
    states: &Map<String, Value>,
    summaries: &[StateSummary],
) {
    let states_ptr = child(machine_ptr, "States");
    let positions: HashMap<&str, usize> = states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();

    for summary in summaries {
        for t in &summary.transitions {
            if !positions.contains_key(t.target.as_str()) {
                ctx.error(
                    codes::MISSING_TRANSITION_TARGET,
                    &t.location,
                    format!("Missing 'Next' target: {}", t.target),
                );
            }
        }
    }

    if !summaries.is_empty() && !summaries.iter().any(|s| s.terminal) {
        ctx.error(
            codes::MISSING_END_STATE,
            &states_ptr,
            "Workflow has no terminal state: no Succeed or Fail state and no state with \"End\": true",
        );
    }

    let Some(start) = start_at else {
        return;
    };
    let mut reached = vec![false; summaries.len()];
    match positions.get(start) {
        Some(&i) => {
            let mut queue = vec![i];
            reached[i] = true;
            while let Some(i) = queue.pop() {
                for t in &summaries[i].transitions {
                    if let Some(&j) = positions.get(t.target.as_str()) {
                        if !reached[j] {
                            reached[j] = true;
                            queue.push(j);
                        }
                    }
                }
            }
        }
        None => ctx.error(
            codes::MISSING_TRANSITION_TARGET,
            child(machine_ptr, "StartAt"),
            format!("Missing 'Next' target: {start}"),
        ),
    }
    for (name, seen) in states.keys().zip(&reached) {
        if !seen {
            ctx.error(
                codes::MISSING_TRANSITION_TARGET,
                child(&states_ptr, name),
                format!("State \"{name}\" is not reachable."),
            );
        }
    }
}
