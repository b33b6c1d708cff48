//! One state: its `Type`, its query language, its allowed fields, then the checks of
//! its type (one file each).

pub(crate) mod common;

mod choice;
pub(crate) mod map;
mod parallel;
mod pass;
mod task;
mod terminal;
mod wait;

use super::context::{child, type_name, Ctx, Lang};
use super::fields::{self, check_fields, Fields};
use super::reachability::StateSummary;
use super::top::query_language;
use serde_json::Value;

/// Where a state sits: the definition's query language and the nesting depth.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Env {
    /// The definition's top-level query language (nested machines inherit it).
    pub(crate) lang: Lang,
    /// 0 for the definition's own states, 1 inside a top-level Parallel or Map, ...
    pub(crate) depth: usize,
}

/// What a type-specific check is given.
pub(crate) struct StateCx<'a, 'f> {
    /// The state's allowed fields.
    pub(crate) f: &'f Fields<'a>,
    /// The state's pointer.
    pub(crate) ptr: &'f str,
    /// The query language in force for this state.
    pub(crate) lang: Lang,
    /// Task, Map and Parallel: the state has a result (`$states.result` in its own
    /// `Output` and `Assign`).
    pub(crate) produces_result: bool,
    /// Where the state sits.
    pub(crate) env: &'f Env,
}

impl StateCx<'_, '_> {
    /// The pointer of one of the state's fields.
    pub(crate) fn at(&self, field: &str) -> String {
        child(self.ptr, field)
    }
}

const TYPES: &[&str] = &[
    "Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];

/// Checks one state; returns what the graph checks need.
pub(crate) fn check_state(ctx: &mut Ctx, env: &Env, state: &Value, ptr: &str) -> StateSummary {
    let mut summary = StateSummary::default();
    let Value::Object(obj) = state else {
        ctx.schema(
            ptr,
            format!("A state must be an object, not {}", type_name(state)),
        );
        // Unknown shape: presumed terminal, so MISSING_END_STATE does not pile on.
        summary.terminal = true;
        return summary;
    };

    let lang = match obj.get("QueryLanguage") {
        Some(v) => {
            let qptr = child(ptr, "QueryLanguage");
            let lang = query_language(ctx, v, &qptr);
            if env.lang == Lang::Jsonata && lang == Lang::JsonPath {
                ctx.schema(
                    qptr,
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                );
            }
            lang
        }
        None => env.lang,
    };

    let type_ptr = child(ptr, "Type");
    let type_name = match obj.get("Type") {
        Some(Value::String(t)) if TYPES.contains(&t.as_str()) => t.as_str(),
        Some(Value::String(t)) => {
            ctx.schema(
                type_ptr,
                format!(
                    "'{t}' is not a state type: 'Type' must be one of {}",
                    super::values::quoted_list(TYPES)
                ),
            );
            collect_untyped_transitions(obj, ptr, &mut summary);
            return summary;
        }
        Some(other) => {
            ctx.schema(
                type_ptr,
                format!("'Type' must be a string, not {}", type_name(other)),
            );
            collect_untyped_transitions(obj, ptr, &mut summary);
            return summary;
        }
        None => {
            ctx.schema(type_ptr, "The field 'Type' is required");
            collect_untyped_transitions(obj, ptr, &mut summary);
            return summary;
        }
    };

    let (allowed, what) = match type_name {
        "Pass" => (fields::PASS, "a Pass state"),
        "Task" => (fields::TASK, "a Task state"),
        "Choice" => (fields::CHOICE, "a Choice state"),
        "Wait" => (fields::WAIT, "a Wait state"),
        "Succeed" => (fields::SUCCEED, "a Succeed state"),
        "Fail" => (fields::FAIL, "a Fail state"),
        "Parallel" => (fields::PARALLEL, "a Parallel state"),
        _ => (fields::MAP, "a Map state"),
    };
    let f = check_fields(ctx, obj, ptr, allowed, true, lang, what);
    let s = StateCx {
        f: &f,
        ptr,
        lang,
        produces_result: matches!(type_name, "Task" | "Map" | "Parallel"),
        env,
    };
    if let Some(v) = f.get("Comment") {
        super::values::check_string(ctx, v, &s.at("Comment"), "Comment");
    }
    match type_name {
        "Pass" => pass::check(ctx, &s, &mut summary),
        "Task" => task::check(ctx, &s, &mut summary),
        "Choice" => choice::check(ctx, &s, &mut summary),
        "Wait" => wait::check(ctx, &s, &mut summary),
        "Succeed" => terminal::check_succeed(ctx, &s, &mut summary),
        "Fail" => terminal::check_fail(ctx, &s, &mut summary),
        "Parallel" => parallel::check(ctx, &s, &mut summary),
        _ => map::check(ctx, &s, &mut summary),
    }
    summary
}

/// For a state whose type is unknown: its `Next`, `Default` and catchers' `Next` still
/// count as transitions, so one bad `Type` does not make the next states unreachable.
fn collect_untyped_transitions(
    obj: &serde_json::Map<String, Value>,
    ptr: &str,
    summary: &mut StateSummary,
) {
    if let Some(Value::String(next)) = obj.get("Next") {
        summary.add_transition(child(ptr, "Next"), next);
    }
    if let Some(Value::String(default)) = obj.get("Default") {
        summary.add_transition(child(ptr, "Default"), default);
    }
    // Unknown type: it may be a terminal state; do not add MISSING_END_STATE to the error.
    summary.terminal = !obj.contains_key("Next");
    for field in ["Choices", "Catch"] {
        if let Some(Value::Array(items)) = obj.get(field) {
            for (i, item) in items.iter().enumerate() {
                if let Some(Value::String(next)) = item.get("Next") {
                    let at = child(&super::context::index(&child(ptr, field), i), "Next");
                    summary.add_transition(at, next);
                }
            }
        }
    }
}
