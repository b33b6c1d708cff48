//! Choice state: `Choices` (non-empty array of rules, each with a `Next`), `Default`;
//! no `Next`/`End` of its own. The rules themselves are checked in `choice_rules`.

use super::common;
use super::StateCx;
use crate::validate::choice_rules;
use crate::validate::context::{type_name, Ctx};
use crate::validate::reachability::StateSummary;
use crate::validate::variables;
use serde_json::Value;

pub(super) fn check(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    common::check_io(ctx, s);
    match s.f.get("Choices") {
        Some(v) => choice_rules::check_choices(ctx, v, &s.at("Choices"), s.lang, summary),
        None => ctx.schema(
            s.at("Choices"),
            "A Choice state must have a 'Choices' field",
        ),
    }
    match s.f.get("Default") {
        // The state's own `Assign` goes with `Default`; a matching rule assigns its own.
        Some(Value::String(target)) => summary.add_assigning_transition(
            s.at("Default"),
            target,
            variables::assigned_names(s.f.get("Assign")),
        ),
        Some(other) => ctx.schema(
            s.at("Default"),
            format!("'Default' must be a state name, not {}", type_name(other)),
        ),
        None => {}
    }
}
