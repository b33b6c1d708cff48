//! Wait state: exactly one of `Seconds`, `Timestamp`, `SecondsPath`, `TimestampPath`
//! (in JSONata only `Seconds` or `Timestamp`, either of which may be an expression).

use super::common;
use super::StateCx;
use crate::validate::context::{Ctx, Lang};
use crate::validate::jsonata::{self, Site};
use crate::validate::paths;
use crate::validate::reachability::StateSummary;
use crate::validate::values::{self, MAX_SECONDS};
use serde_json::Value;

const WAIT_FIELDS: &[&str] = &["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];

pub(super) fn check(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    common::check_next_end(ctx, s, summary);
    common::check_io(ctx, s);
    let present: Vec<&str> = WAIT_FIELDS.iter().copied().filter(|f| s.f.has(f)).collect();
    // A field rejected for the query language still counts as "given".
    let given = WAIT_FIELDS
        .iter()
        .filter(|f| s.f.raw().contains_key(**f))
        .count();
    if given == 0 {
        let choices = match s.lang {
            Lang::JsonPath => "'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath'",
            Lang::Jsonata => "'Seconds' or 'Timestamp'",
        };
        ctx.schema(s.ptr, format!("A Wait state must have one of {choices}"));
    } else if given > 1 {
        ctx.schema(
            s.ptr,
            "A Wait state must have only one of 'Seconds', 'Timestamp', 'SecondsPath' and 'TimestampPath'",
        );
    }
    for field in present {
        let ptr = s.at(field);
        let Some(v) = s.f.get(field) else { continue };
        match field {
            "Seconds" => {
                values::check_int_or_expr(ctx, v, &ptr, field, 0, MAX_SECONDS, s.lang);
            }
            "Timestamp" => check_timestamp(ctx, v, &ptr, s.lang),
            _ => paths::check_path(ctx, v, &ptr, field, false),
        }
    }
}

fn check_timestamp(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang) {
    let Some(text) = values::check_string(ctx, v, ptr, "Timestamp") else {
        return;
    };
    if lang == Lang::Jsonata && jsonata::starts_expression(text) {
        jsonata::check_expression(ctx, text, ptr, Site::PLAIN);
    } else if !values::is_timestamp(text) {
        ctx.schema(
            ptr,
            format!("'Timestamp' must be an ISO-8601 date-time such as '2016-03-14T01:59:00Z', not '{text}'"),
        );
    }
}
