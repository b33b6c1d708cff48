//! Fields several state types share: `Next`/`End`, `InputPath`, `OutputPath`,
//! `ResultPath`, `Parameters`, `ResultSelector`, `Arguments`, `Output`, `Assign`.

use super::StateCx;
use crate::validate::context::{type_name, Ctx, Lang};
use crate::validate::jsonata;
use crate::validate::paths;
use crate::validate::reachability::StateSummary;
use serde_json::Value;

/// Non-terminal states (Pass, Task, Wait, Parallel, Map): exactly one of a `Next`
/// naming a state, or `"End": true`.
pub(crate) fn check_next_end(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    let next = s.f.get("Next");
    let end = s.f.get("End");
    match next {
        Some(Value::String(target)) => summary.add_transition(s.at("Next"), target),
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
    if let Some(v) = s.f.get("Output") {
        check_output(ctx, v, &s.at("Output"));
    }
    if let Some(v) = s.f.get("Assign") {
        check_assign(ctx, v, &s.at("Assign"), s.lang);
    }
}

/// `Arguments` (JSONata): an object, or one expression.
pub(crate) fn check_arguments(ctx: &mut Ctx, v: &Value, ptr: &str) {
    match v {
        Value::Object(_) => jsonata::check_values(ctx, v, ptr),
        Value::String(s) if jsonata::starts_expression(s) => jsonata::check_expression(ctx, s, ptr),
        other => ctx.schema(
            ptr,
            format!(
                "'Arguments' must be an object or a JSONata expression, not {}",
                type_name(other)
            ),
        ),
    }
}

/// `Output` (JSONata): any JSON value; its `{% %}` strings must be well formed.
pub(crate) fn check_output(ctx: &mut Ctx, v: &Value, ptr: &str) {
    jsonata::check_values(ctx, v, ptr);
}

/// `Assign`: an object of variable names. In JSONPath, keys ending in `.$` hold a path
/// or intrinsic; in JSONata, `{% %}` strings are expressions.
pub(crate) fn check_assign(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang) {
    let Value::Object(vars) = v else {
        ctx.schema(
            ptr,
            format!("'Assign' must be an object, not {}", type_name(v)),
        );
        return;
    };
    for name in vars.keys() {
        let bare = name.strip_suffix(".$").unwrap_or(name);
        if bare.is_empty() {
            ctx.schema(
                crate::validate::context::child(ptr, name),
                "A variable name may not be empty",
            );
        }
    }
    match lang {
        Lang::JsonPath => paths::check_template(ctx, v, ptr),
        Lang::Jsonata => jsonata::check_values(ctx, v, ptr),
    }
}
