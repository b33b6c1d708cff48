//! Pass state: `Result` (JSONPath), `Parameters`, `Output`, `Assign`, `Next`/`End`.

use super::common;
use super::StateCx;
use crate::validate::codes;
use crate::validate::context::{walk, Ctx};
use crate::validate::paths::looks_like_path;
use crate::validate::reachability::StateSummary;
use serde_json::Value;

pub(super) fn check(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    common::check_next_end(ctx, s, summary);
    common::check_io(ctx, s);
    if let Some(result) = s.f.get("Result") {
        warn_static_result(ctx, result, &s.at("Result"));
    }
}

/// `PASS_RESULT_IS_STATIC`: `Result` is returned as written, so a `.$` key or a path
/// string in it is never evaluated.
fn warn_static_result(ctx: &mut Ctx, result: &Value, ptr: &str) {
    walk(result, ptr, |v, key, cursor| {
        if key.is_some_and(|k| k.ends_with(".$")) {
            ctx.warning(
                codes::PASS_RESULT_IS_STATIC,
                cursor.pointer(),
                "A '.$' key in a Pass state's 'Result' is not evaluated; use 'Parameters' to select from the input",
            );
            return false;
        }
        if let Value::String(text) = v {
            if looks_like_path(text) {
                ctx.warning(
                    codes::PASS_RESULT_IS_STATIC,
                    cursor.pointer(),
                    "A path in a Pass state's 'Result' is not evaluated; use 'Parameters' to select from the input",
                );
            }
        }
        true
    });
}
