//! Task state: `Resource` (required), `TimeoutSeconds`/`TimeoutSecondsPath` and
//! `HeartbeatSeconds`/`HeartbeatSecondsPath` (not both of a pair; the heartbeat shorter
//! than the timeout when both are numbers), `Credentials`, `Retry`, `Catch`.

use super::common;
use super::StateCx;
use crate::validate::codes;
use crate::validate::context::{child, type_name, Ctx, Lang};
use crate::validate::fields::check_plain_fields;
use crate::validate::jsonata::{self, Site};
use crate::validate::paths;
use crate::validate::reachability::StateSummary;
use crate::validate::retry_catch;
use crate::validate::values::{self, MAX_SECONDS};
use serde_json::Value;

pub(super) fn check(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    common::check_next_end(ctx, s, summary);
    common::check_io(ctx, s);
    match s.f.get("Resource") {
        Some(v) => check_resource(ctx, v, &s.at("Resource")),
        None => ctx.schema(
            s.at("Resource"),
            "A Task state must have a 'Resource' field",
        ),
    }
    let timeout = seconds_pair(ctx, s, "TimeoutSeconds", "TimeoutSecondsPath");
    let heartbeat = seconds_pair(ctx, s, "HeartbeatSeconds", "HeartbeatSecondsPath");
    if let (Some(t), Some(h)) = (timeout, heartbeat) {
        if h >= t {
            ctx.schema(
                s.at("HeartbeatSeconds"),
                format!("'HeartbeatSeconds' ({h}) must be smaller than 'TimeoutSeconds' ({t})"),
            );
        }
    }
    if let Some(v) = s.f.get("Credentials") {
        check_credentials(ctx, v, &s.at("Credentials"), s.lang);
    }
    if let Some(v) = s.f.get("Retry") {
        retry_catch::check_retry(ctx, v, &s.at("Retry"), s.lang);
    }
    if let Some(v) = s.f.get("Catch") {
        retry_catch::check_catch(ctx, v, &s.at("Catch"), s.lang, summary);
    }
}

/// A seconds field and its `…Path` form: not both; the number when it is one.
fn seconds_pair(ctx: &mut Ctx, s: &StateCx<'_, '_>, field: &str, path_field: &str) -> Option<i64> {
    if s.f.has(field) && s.f.has(path_field) {
        ctx.schema(
            s.ptr,
            format!("A Task state may have '{field}' or '{path_field}', not both"),
        );
    }
    if let Some(v) = s.f.get(path_field) {
        paths::check_path(ctx, v, &s.at(path_field), path_field, false);
    }
    let v = s.f.get(field)?;
    values::check_int_or_expr(ctx, v, &s.at(field), field, 1, MAX_SECONDS, s.lang)
}

/// A Task resource: an ARN (`arn:partition:service:region:account:resource`, region
/// and account may be empty as in `arn:aws:states:::lambda:invoke`) or a Stepwise
/// module (`wasm:<module>` or `wasm:<module>:<version>`).
pub(crate) fn check_resource(ctx: &mut Ctx, v: &Value, ptr: &str) {
    let Value::String(resource) = v else {
        ctx.error(
            codes::INVALID_RESOURCE,
            ptr,
            format!("'Resource' must be a string, not {}", type_name(v)),
        );
        return;
    };
    if !is_resource(resource) {
        ctx.error(
            codes::INVALID_RESOURCE,
            ptr,
            format!(
                "Invalid resource '{resource}': expected an ARN (arn:partition:service:region:account:resource) or 'wasm:<module>'"
            ),
        );
    }
}

fn is_resource(resource: &str) -> bool {
    if let Some(module) = resource.strip_prefix("wasm:") {
        let mut parts = module.split(':');
        let name_ok = parts
            .next()
            .is_some_and(|n| !n.is_empty() && !n.chars().any(char::is_whitespace));
        let version_ok = match parts.next() {
            Some(v) => !v.is_empty() && !v.chars().any(char::is_whitespace),
            None => true,
        };
        return name_ok && version_ok && parts.next().is_none();
    }
    let parts: Vec<&str> = resource.split(':').collect();
    parts.len() >= 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && !parts[2].is_empty()
        && parts[5..].iter().any(|p| !p.is_empty())
        && !resource.chars().any(char::is_whitespace)
}

/// `Credentials`: an object with `RoleArn` (or, in JSONPath, `RoleArn.$`).
fn check_credentials(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang) {
    let Value::Object(obj) = v else {
        ctx.schema(
            ptr,
            format!("'Credentials' must be an object, not {}", type_name(v)),
        );
        return;
    };
    let allowed: &[&str] = match lang {
        Lang::JsonPath => &["RoleArn", "RoleArn.$"],
        Lang::Jsonata => &["RoleArn"],
    };
    let f = check_plain_fields(ctx, obj, ptr, allowed, "'Credentials'");
    match (f.get("RoleArn"), f.get("RoleArn.$")) {
        (Some(_), Some(_)) => ctx.schema(
            ptr,
            "'Credentials' may have 'RoleArn' or 'RoleArn.$', not both",
        ),
        (None, None) => ctx.schema(
            child(ptr, "RoleArn"),
            "'Credentials' must have a 'RoleArn' field",
        ),
        (Some(role), None) => {
            let rptr = child(ptr, "RoleArn");
            if let Some(text) = values::check_string(ctx, role, &rptr, "RoleArn") {
                if lang == Lang::Jsonata && jsonata::starts_expression(text) {
                    jsonata::check_expression(ctx, text, &rptr, Site::PLAIN);
                }
            }
        }
        (None, Some(path)) => {
            paths::check_path_or_intrinsic(ctx, path, &child(ptr, "RoleArn.$"), "RoleArn.$")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_resource;

    #[test]
    fn resources() {
        assert!(is_resource("arn:aws:states:::lambda:invoke"));
        assert!(is_resource(
            "arn:aws:lambda:us-east-1:123456789012:function:f"
        ));
        assert!(is_resource(
            "arn:aws:states:us-east-1:123456789012:activity:a"
        ));
        assert!(is_resource("wasm:resize"));
        assert!(is_resource("wasm:resize:3"));
        assert!(!is_resource("wasm:"));
        assert!(!is_resource("lambda"));
        assert!(!is_resource("arn:aws:lambda"));
        assert!(!is_resource("arn:aws:states:::"));
    }
}
