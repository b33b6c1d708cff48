//! Retriers (`Retry`) and catchers (`Catch`).
//!
//! - `ErrorEquals` is a non-empty array of strings; `States.ALL` must be alone in it
//!   and its retrier/catcher must be the last one.
//! - Retrier: `IntervalSeconds` integer >= 1, `MaxAttempts` integer >= 0, `BackoffRate`
//!   number >= 1.0, `MaxDelaySeconds` integer >= 1, `JitterStrategy` `FULL` or `NONE`.
//! - Catcher: `Next` required (a transition of the state), `ResultPath` (JSONPath),
//!   `Assign`, `Output` (JSONata).

use super::context::{child, index, type_name, Ctx, Lang};
use super::fields::{self, check_fields};
use super::jsonata::Site;
use super::reachability::StateSummary;
use super::states::common;
use super::values::{self, MAX_DELAY_SECONDS, MAX_SECONDS};
use super::variables;
use serde_json::Value;

/// The error name that matches every error.
pub(crate) const STATES_ALL: &str = "States.ALL";

/// Checks a `Retry` field.
pub(crate) fn check_retry(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang) {
    let Value::Array(retriers) = v else {
        ctx.schema(
            ptr,
            format!("'Retry' must be an array of retriers, not {}", type_name(v)),
        );
        return;
    };
    let last = retriers.len().saturating_sub(1);
    for (i, retrier) in retriers.iter().enumerate() {
        let rptr = index(ptr, i);
        let Value::Object(obj) = retrier else {
            ctx.schema(
                &rptr,
                format!("A retrier must be an object, not {}", type_name(retrier)),
            );
            continue;
        };
        let f = check_fields(ctx, obj, &rptr, fields::RETRIER, false, lang, "a retrier");
        check_error_equals(ctx, f.get("ErrorEquals"), &rptr, i == last, "retrier");
        if let Some(v) = f.get("IntervalSeconds") {
            values::check_int(
                ctx,
                v,
                &child(&rptr, "IntervalSeconds"),
                "IntervalSeconds",
                1,
                MAX_SECONDS,
            );
        }
        if let Some(v) = f.get("MaxAttempts") {
            values::check_int(
                ctx,
                v,
                &child(&rptr, "MaxAttempts"),
                "MaxAttempts",
                0,
                MAX_SECONDS,
            );
        }
        if let Some(v) = f.get("BackoffRate") {
            values::check_number(
                ctx,
                v,
                &child(&rptr, "BackoffRate"),
                "BackoffRate",
                1.0,
                f64::MAX,
            );
        }
        if let Some(v) = f.get("MaxDelaySeconds") {
            values::check_int(
                ctx,
                v,
                &child(&rptr, "MaxDelaySeconds"),
                "MaxDelaySeconds",
                1,
                MAX_DELAY_SECONDS,
            );
        }
        if let Some(v) = f.get("JitterStrategy") {
            values::check_enum(
                ctx,
                v,
                &child(&rptr, "JitterStrategy"),
                "JitterStrategy",
                &["FULL", "NONE"],
            );
        }
        if let Some(v) = f.get("Comment") {
            values::check_string(ctx, v, &child(&rptr, "Comment"), "Comment");
        }
    }
}

/// Checks a `Catch` field; each catcher's `Next` becomes a transition of the state.
pub(crate) fn check_catch(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    lang: Lang,
    summary: &mut StateSummary,
) {
    let Value::Array(catchers) = v else {
        ctx.schema(
            ptr,
            format!("'Catch' must be an array of catchers, not {}", type_name(v)),
        );
        return;
    };
    let last = catchers.len().saturating_sub(1);
    for (i, catcher) in catchers.iter().enumerate() {
        let cptr = index(ptr, i);
        let Value::Object(obj) = catcher else {
            ctx.schema(
                &cptr,
                format!("A catcher must be an object, not {}", type_name(catcher)),
            );
            continue;
        };
        let f = check_fields(ctx, obj, &cptr, fields::CATCHER, false, lang, "a catcher");
        check_error_equals(ctx, f.get("ErrorEquals"), &cptr, i == last, "catcher");
        match f.get("Next") {
            Some(Value::String(target)) => summary.add_assigning_transition(
                child(&cptr, "Next"),
                target,
                variables::assigned_names(f.get("Assign")),
            ),
            Some(other) => ctx.schema(
                child(&cptr, "Next"),
                format!("'Next' must be a state name, not {}", type_name(other)),
            ),
            None => ctx.schema(child(&cptr, "Next"), "A catcher must have a 'Next' field"),
        }
        if let Some(v) = f.get("ResultPath") {
            super::paths::check_reference_path(
                ctx,
                v,
                &child(&cptr, "ResultPath"),
                "ResultPath",
                true,
                false,
            );
        }
        if let Some(v) = f.get("Assign") {
            variables::check_assign(ctx, v, &child(&cptr, "Assign"), lang, Site::ERROR);
        }
        if let Some(v) = f.get("Output") {
            common::check_output(ctx, v, &child(&cptr, "Output"), Site::ERROR);
        }
        if let Some(v) = f.get("Comment") {
            values::check_string(ctx, v, &child(&cptr, "Comment"), "Comment");
        }
    }
}

/// `ErrorEquals`: required, non-empty array of strings, `States.ALL` alone and last.
fn check_error_equals(ctx: &mut Ctx, v: Option<&Value>, owner: &str, is_last: bool, what: &str) {
    let ptr = child(owner, "ErrorEquals");
    let Some(v) = v else {
        ctx.schema(ptr, format!("A {what} must have an 'ErrorEquals' field"));
        return;
    };
    let Value::Array(names) = v else {
        ctx.schema(
            ptr,
            format!(
                "'ErrorEquals' must be an array of error names, not {}",
                type_name(v)
            ),
        );
        return;
    };
    if names.is_empty() {
        ctx.schema(ptr, "'ErrorEquals' must name at least one error");
        return;
    }
    let mut has_all = false;
    for (i, name) in names.iter().enumerate() {
        match name {
            Value::String(s) if s == STATES_ALL => has_all = true,
            Value::String(s) if s.is_empty() => {
                ctx.schema(index(&ptr, i), "An error name may not be empty")
            }
            Value::String(_) => {}
            other => ctx.schema(
                index(&ptr, i),
                format!("An error name must be a string, not {}", type_name(other)),
            ),
        }
    }
    if has_all && names.len() > 1 {
        ctx.schema(
            &ptr,
            format!("'{STATES_ALL}' must appear alone in 'ErrorEquals'"),
        );
    }
    if has_all && !is_last {
        ctx.schema(
            &ptr,
            format!("A {what} matching '{STATES_ALL}' must be the last one"),
        );
    }
}
