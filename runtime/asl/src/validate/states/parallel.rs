//! Parallel state: `Branches`, each a complete sub-machine checked on its own
//! (its own `StartAt`, reachability and terminal states), plus `Retry`/`Catch`.

use super::common;
use super::StateCx;
use crate::validate::context::{index, type_name, Ctx};
use crate::validate::reachability::StateSummary;
use crate::validate::retry_catch;
use crate::validate::top::{check_machine, MachineKind};
use serde_json::Value;

pub(super) fn check(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    common::check_next_end(ctx, s, summary);
    common::check_io(ctx, s);
    if let Some(v) = s.f.get("Retry") {
        retry_catch::check_retry(ctx, v, &s.at("Retry"), s.lang);
    }
    if let Some(v) = s.f.get("Catch") {
        retry_catch::check_catch(ctx, v, &s.at("Catch"), s.lang, summary);
    }
    let ptr = s.at("Branches");
    match s.f.get("Branches") {
        Some(Value::Array(branches)) if !branches.is_empty() => {
            for (i, branch) in branches.iter().enumerate() {
                check_machine(
                    ctx,
                    branch,
                    &index(&ptr, i),
                    MachineKind::Branch,
                    s.env.lang,
                    s.env.depth + 1,
                );
            }
        }
        Some(Value::Array(_)) => ctx.schema(ptr, "'Branches' must hold at least one branch"),
        Some(other) => ctx.schema(
            ptr,
            format!("'Branches' must be an array, not {}", type_name(other)),
        ),
        None => {
            if !s.f.raw().contains_key("Branches") {
                ctx.schema(ptr, "A Parallel state must have a 'Branches' field");
            }
        }
    }
}
