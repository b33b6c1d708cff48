//! The definition's top-level fields, and every sub-machine (`StartAt` + `States`):
//! the definition itself, each Parallel branch and each Map item processor.

use super::codes;
use super::context::{child, type_name, Ctx, Lang, MAX_MACHINE_DEPTH, MAX_STATE_NAME_LENGTH};
use super::fields::{self, check_plain_fields, Fields};
use super::reachability::{self, StateSummary};
use super::states::{self, Env};
use super::values::{self, MAX_SECONDS};
use serde_json::Value;

/// Which kind of sub-machine is checked (for its allowed fields and messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MachineKind {
    /// A Parallel branch.
    Branch,
    /// A Map `ItemProcessor` or `Iterator`.
    ItemProcessor,
}

/// Checks a whole definition.
pub(crate) fn check_definition(ctx: &mut Ctx, definition: &Value) {
    let obj = match definition {
        Value::Object(obj) if !obj.is_empty() => obj,
        Value::Object(_) | Value::Null => {
            ctx.error(
                codes::MISSING_DESCRIPTION,
                "",
                "The definition is null or empty",
            );
            return;
        }
        other => {
            ctx.error(
                codes::INVALID_JSON_DESCRIPTION,
                "",
                format!(
                    "The definition must be a JSON object, not {}",
                    type_name(other)
                ),
            );
            return;
        }
    };
    let f = check_plain_fields(ctx, obj, "", fields::TOP, "the top level of a definition");
    let lang = match f.get("QueryLanguage") {
        Some(v) => query_language(ctx, v, "/QueryLanguage"),
        None => Lang::JsonPath,
    };
    if let Some(v) = f.get("Version") {
        values::check_string(ctx, v, "/Version", "Version");
    }
    if let Some(v) = f.get("TimeoutSeconds") {
        values::check_int(ctx, v, "/TimeoutSeconds", "TimeoutSeconds", 1, MAX_SECONDS);
    }
    check_machine_fields(ctx, &f, "", lang, 0, false);
    let vars = std::mem::take(&mut ctx.vars);
    vars.report(ctx);
}

/// Checks a nested sub-machine (a branch or an item processor) at `depth` (>= 1).
/// `lang` is the definition's top-level query language, which nested states inherit
/// (a `QueryLanguage` on the Parallel or Map state itself does not pass into them).
pub(crate) fn check_machine(
    ctx: &mut Ctx,
    v: &Value,
    ptr: &str,
    kind: MachineKind,
    lang: Lang,
    depth: usize,
) {
    let what = match kind {
        MachineKind::Branch => "a Parallel branch",
        MachineKind::ItemProcessor => "a Map item processor",
    };
    let Value::Object(obj) = v else {
        ctx.schema(
            ptr,
            format!(
                "{} must be an object, not {}",
                capitalize(what),
                type_name(v)
            ),
        );
        return;
    };
    if depth > MAX_MACHINE_DEPTH {
        ctx.error(
            codes::TOO_DEEPLY_NESTED,
            ptr,
            format!("Parallel and Map states are nested more than {MAX_MACHINE_DEPTH} deep"),
        );
        return;
    }
    let allowed = match kind {
        MachineKind::Branch => fields::BRANCH,
        MachineKind::ItemProcessor => fields::ITEM_PROCESSOR,
    };
    let f = check_plain_fields(ctx, obj, ptr, allowed, what);
    let mut distributed = false;
    if kind == MachineKind::ItemProcessor {
        if let Some(v) = f.get("ProcessorConfig") {
            distributed =
                states::map::check_processor_config(ctx, v, &child(ptr, "ProcessorConfig"));
        }
    }
    check_machine_fields(ctx, &f, ptr, lang, depth, distributed);
}

/// `Comment`, `StartAt`, `States`, the states themselves and the graph. `distributed`
/// for a Distributed Map's item processor (which reads no outer variable).
fn check_machine_fields(
    ctx: &mut Ctx,
    f: &Fields<'_>,
    ptr: &str,
    lang: Lang,
    depth: usize,
    distributed: bool,
) {
    if let Some(v) = f.get("Comment") {
        values::check_string(ctx, v, &child(ptr, "Comment"), "Comment");
    }
    let start_at = match f.get("StartAt") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            ctx.schema(
                child(ptr, "StartAt"),
                format!("'StartAt' must be a state name, not {}", type_name(other)),
            );
            None
        }
        None => {
            ctx.schema(child(ptr, "StartAt"), "The field 'StartAt' is required");
            None
        }
    };
    let states_ptr = child(ptr, "States");
    let states = match f.get("States") {
        Some(Value::Object(states)) if !states.is_empty() => states,
        Some(Value::Object(_)) => {
            ctx.schema(&states_ptr, "'States' must hold at least one state");
            return;
        }
        Some(other) => {
            ctx.schema(
                &states_ptr,
                format!("'States' must be an object, not {}", type_name(other)),
            );
            return;
        }
        None => {
            ctx.schema(&states_ptr, "The field 'States' is required");
            return;
        }
    };
    let env = Env { lang, depth };
    let machine = ctx.vars.open_machine(states.len(), distributed);
    let mut summaries: Vec<StateSummary> = Vec::with_capacity(states.len());
    for (i, (name, state)) in states.iter().enumerate() {
        let state_ptr = child(&states_ptr, name);
        check_state_name(ctx, name, &state_ptr);
        ctx.vars.enter_state(machine, i);
        summaries.push(states::check_state(ctx, &env, state, &state_ptr));
        ctx.vars.exit_state();
    }
    ctx.vars
        .close_machine(machine, start_at, states, &summaries);
    reachability::check_graph(ctx, ptr, start_at, states, &summaries);
}

/// Length, and uniqueness across the whole state machine.
fn check_state_name(ctx: &mut Ctx, name: &str, ptr: &str) {
    if name.chars().count() > MAX_STATE_NAME_LENGTH {
        ctx.error(
            codes::INVALID_STATE_NAME,
            ptr,
            format!("State names must be at most {MAX_STATE_NAME_LENGTH} characters long"),
        );
    }
    if name.is_empty() {
        ctx.error(
            codes::INVALID_STATE_NAME,
            ptr,
            "A state name may not be empty",
        );
    }
    if let Some(first) = ctx.register_state_name(name, ptr) {
        ctx.error(
            codes::DUPLICATE_STATE_NAME,
            ptr,
            format!("Duplicate State name: {name} (first defined at {first})"),
        );
    }
}

/// Reads a `QueryLanguage` value. As on AWS, only the exact string `JSONPath` means
/// JSONPath: any other value (reported here) is taken as JSONata for the other checks.
pub(crate) fn query_language(ctx: &mut Ctx, v: &Value, ptr: &str) -> Lang {
    match v {
        Value::String(s) if s == "JSONPath" => Lang::JsonPath,
        Value::String(s) if s == "JSONata" => Lang::Jsonata,
        Value::String(s) => {
            ctx.schema(
                ptr,
                format!("'QueryLanguage' must be 'JSONPath' or 'JSONata', not '{s}'"),
            );
            Lang::Jsonata
        }
        other => {
            ctx.schema(
                ptr,
                format!(
                    "'QueryLanguage' must be 'JSONPath' or 'JSONata', not {}",
                    type_name(other)
                ),
            );
            Lang::Jsonata
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
