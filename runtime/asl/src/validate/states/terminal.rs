//! Succeed and Fail, the terminal states: no `Next`, no `End`.
//! Fail: `Error` or `ErrorPath`, `Cause` or `CausePath` (not both of a pair).

use super::common;
use super::StateCx;
use crate::validate::codes;
use crate::validate::context::{Ctx, Lang};
use crate::validate::jsonata::{self, Site};
use crate::validate::paths::{self, looks_like_path};
use crate::validate::reachability::StateSummary;
use crate::validate::values;

pub(super) fn check_succeed(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    summary.terminal = true;
    common::check_io(ctx, s);
}

pub(super) fn check_fail(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    summary.terminal = true;
    for (field, path_field) in [("Error", "ErrorPath"), ("Cause", "CausePath")] {
        if s.f.has(field) && s.f.has(path_field) {
            ctx.schema(
                s.ptr,
                format!("A Fail state may have '{field}' or '{path_field}', not both"),
            );
        }
        if let Some(v) = s.f.get(field) {
            let ptr = s.at(field);
            if let Some(text) = values::check_string(ctx, v, &ptr, field) {
                if s.lang == Lang::Jsonata && jsonata::starts_expression(text) {
                    jsonata::check_expression(ctx, text, &ptr, Site::PLAIN);
                } else if s.lang == Lang::JsonPath && looks_like_path(text) {
                    ctx.warning(
                        codes::NO_PATH,
                        &ptr,
                        format!("'{field}' looks like a path but is used as a literal; use '{path_field}' to select it"),
                    );
                }
            }
        }
        if let Some(v) = s.f.get(path_field) {
            paths::check_path_or_intrinsic(ctx, v, &s.at(path_field), path_field);
        }
    }
}
