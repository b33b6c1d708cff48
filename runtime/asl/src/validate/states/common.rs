//! Fields several state types share: `Next`/`End`, `InputPath`, `OutputPath`,
//! `ResultPath`, `Parameters`, `ResultSelector`, `Arguments`, `Output`, `Assign`.

use super::StateCx;
use crate::validate::context::{type_name, Ctx};
use crate::validate::jsonata::{self, Site};
use crate::validate::paths;
use crate::validate::reachability::StateSummary;
use crate::validate::variables;
use serde_json::Value;

/// Non-terminal states (Pass, Task, Wait, Parallel, Map): exactly one of a `Next`
/// naming a state, or `"End": true`.
pub(crate) fn check_next_end(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    let next = s.f.get("Next");
    let end = s.f.get("End");
    match next {
        Some(Value::String(target)) => summary.add_assigning_transition(
            s.at("Next"),
            target,
            variables::assigned_names(s.f.get("Assign")),
        ),
        Some(other) => ctx.schema(
            s.at("Next"),
            format!("'Next' must be a state name, not {}", type_name(other)),
        ),
        None => {}
    }
    let ends = match end {
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            ctx.schema(
                s.at("End"),
                format!("'End' must be a boolean, not {}", type_name(other)),
            );
            // Reported already: count it as an end so no second diagnostic follows.
            summary.terminal = next.is_none();
            return;
        }
        None => false,
    };
    summary.terminal = ends;
    if next.is_some() && ends {
        ctx.schema(s.ptr, "A state may not have both 'Next' and \"End\": true");
    } else if next.is_none() && !ends {
        ctx.schema(
            s.ptr,
            "A state must have either a 'Next' field or \"End\": true",
        );
    }
}

/// The input/output fields the state type allows (absent ones are skipped).
pub(crate) fn check_io(ctx: &mut Ctx, s: &StateCx<'_, '_>) {
    for field in ["InputPath", "OutputPath"] {
        if let Some(v) = s.f.get(field) {
            paths::check_path(ctx, v, &s.at(field), field, true);
        }
    }
    if let Some(v) = s.f.get("ResultPath") {
        paths::check_reference_path(ctx, v, &s.at("ResultPath"), "ResultPath", true, false);
    }
    for field in ["Parameters", "ResultSelector"] {
        if let Some(v) = s.f.get(field) {
            paths::check_template_object(ctx, v, &s.at(field), field);
        }
    }
    if let Some(v) = s.f.get("Arguments") {
        check_arguments(ctx, v, &s.at("Arguments"));
    }
    let site = Site::state_output(s.produces_result);
    if let Some(v) = s.f.get("Output") {
        check_output(ctx, v, &s.at("Output"), site);
    }
    if let Some(v) = s.f.get("Assign") {
        variables::check_assign(ctx, v, &s.at("Assign"), s.lang, site);
    }
}

/// `Arguments` (JSONata): an object, or one expression. No result yet, no error.
pub(crate) fn check_arguments(ctx: &mut Ctx, v: &Value, ptr: &str) {
    match v {
        Value::Object(_) => jsonata::check_values(ctx, v, ptr, Site::PLAIN),
        Value::String(s) if jsonata::starts_expression(s) => {
            jsonata::check_expression(ctx, s, ptr, Site::PLAIN)
        }
        other => ctx.schema(
            ptr,
            format!(
                "'Arguments' must be an object or a JSONata expression, not {}",
                type_name(other)
            ),
        ),
    }
}

/// `Output` (JSONata): any JSON value; its `{% %}` strings must be valid expressions
/// reading only what `site` offers.
pub(crate) fn check_output(ctx: &mut Ctx, v: &Value, ptr: &str, site: Site) {
    jsonata::check_values(ctx, v, ptr, site);
}
