//! Pass state: `Result` (JSONPath), `Parameters`, `Output`, `Assign`, `Next`/`End`.

use super::common;
use super::StateCx;
use crate::validate::codes;
use crate::validate::context::{child, index, Ctx};
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
    let mut stack: Vec<(&Value, String)> = vec![(result, ptr.to_string())];
    while let Some((v, p)) = stack.pop() {
        match v {
            Value::String(text) if looks_like_path(text) => ctx.warning(
                codes::PASS_RESULT_IS_STATIC,
                &p,
                "A path in a Pass state's 'Result' is not evaluated; use 'Parameters' to select from the input",
            ),
            Value::Object(map) => {
                for (key, item) in map {
                    let item_ptr = child(&p, key);
                    if key.ends_with(".$") {
                        ctx.warning(
                            codes::PASS_RESULT_IS_STATIC,
                            &item_ptr,
                            "A '.$' key in a Pass state's 'Result' is not evaluated; use 'Parameters' to select from the input",
                        );
                    } else {
                        stack.push((item, item_ptr));
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    stack.push((item, index(&p, i)));
                }
            }
            _ => {}
        }
    }
}
