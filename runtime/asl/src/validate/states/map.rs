//! Map state: `ItemProcessor` (or the legacy `Iterator`, not both) checked as a
//! sub-machine, `ProcessorConfig` (`Mode` INLINE|DISTRIBUTED, `ExecutionType`
//! STANDARD|EXPRESS), `ItemsPath`/`Items`, `ItemSelector` (or the legacy `Parameters`),
//! `MaxConcurrency`, `ToleratedFailureCount`/`Percentage` and their `…Path` forms,
//! `ItemReader`, `ItemBatcher`, `ResultWriter`, `Label`, `Retry`, `Catch`.

use super::common;
use super::StateCx;
use crate::validate::context::{child, type_name, Ctx, Lang};
use crate::validate::fields::{check_fields, check_plain_fields};
use crate::validate::jsonata::{self, Site};
use crate::validate::paths;
use crate::validate::reachability::StateSummary;
use crate::validate::retry_catch;
use crate::validate::states::task::check_resource;
use crate::validate::top::{check_machine, MachineKind};
use crate::validate::values::{self, MAX_SECONDS};
use serde_json::Value;

/// Largest `MaxInputBytesPerBatch` (256 KiB).
const MAX_INPUT_BYTES_PER_BATCH: i64 = 262_144;

pub(super) fn check(ctx: &mut Ctx, s: &StateCx<'_, '_>, summary: &mut StateSummary) {
    common::check_next_end(ctx, s, summary);
    common::check_io(ctx, s);
    if let Some(v) = s.f.get("Retry") {
        retry_catch::check_retry(ctx, v, &s.at("Retry"), s.lang);
    }
    if let Some(v) = s.f.get("Catch") {
        retry_catch::check_catch(ctx, v, &s.at("Catch"), s.lang, summary);
    }

    match (s.f.get("ItemProcessor"), s.f.get("Iterator")) {
        (Some(_), Some(_)) => ctx.schema(
            s.ptr,
            "A Map state may have 'ItemProcessor' or 'Iterator', not both",
        ),
        (Some(p), None) => check_processor(ctx, s, p, "ItemProcessor"),
        (None, Some(p)) => check_processor(ctx, s, p, "Iterator"),
        (None, None) => ctx.schema(
            s.at("ItemProcessor"),
            "A Map state must have an 'ItemProcessor' field",
        ),
    }

    if let Some(v) = s.f.get("ItemsPath") {
        paths::check_path(ctx, v, &s.at("ItemsPath"), "ItemsPath", false);
    }
    if let Some(v) = s.f.get("Items") {
        match v {
            Value::Array(_) => jsonata::check_values(ctx, v, &s.at("Items"), Site::PLAIN),
            Value::String(text) if jsonata::starts_expression(text) => {
                jsonata::check_expression(ctx, text, &s.at("Items"), Site::PLAIN)
            }
            other => ctx.schema(
                s.at("Items"),
                format!(
                    "'Items' must be an array or a JSONata expression, not {}",
                    type_name(other)
                ),
            ),
        }
    }

    if s.f.has("ItemSelector") && s.f.has("Parameters") {
        ctx.schema(
            s.ptr,
            "A Map state may have 'ItemSelector' or 'Parameters', not both",
        );
    }
    if let Some(v) = s.f.get("ItemSelector") {
        let ptr = s.at("ItemSelector");
        match s.lang {
            Lang::JsonPath => paths::check_template_object(ctx, v, &ptr, "ItemSelector"),
            Lang::Jsonata => match v {
                Value::Object(_) => jsonata::check_values(ctx, v, &ptr, Site::PLAIN),
                Value::String(text) if jsonata::starts_expression(text) => {
                    jsonata::check_expression(ctx, text, &ptr, Site::PLAIN)
                }
                other => ctx.schema(
                    ptr,
                    format!(
                        "'ItemSelector' must be an object or a JSONata expression, not {}",
                        type_name(other)
                    ),
                ),
            },
        }
    }

    number_pair(
        ctx,
        s,
        "MaxConcurrency",
        "MaxConcurrencyPath",
        Limit::Int(0, i64::MAX),
    );
    number_pair(
        ctx,
        s,
        "ToleratedFailureCount",
        "ToleratedFailureCountPath",
        Limit::Int(0, i64::MAX),
    );
    number_pair(
        ctx,
        s,
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
        Limit::Number(0.0, 100.0),
    );

    if let Some(v) = s.f.get("Label") {
        values::check_label(ctx, v, &s.at("Label"));
    }
    if let Some(v) = s.f.get("ItemReader") {
        check_item_reader(ctx, v, &s.at("ItemReader"), s.lang);
    }
    if let Some(v) = s.f.get("ItemBatcher") {
        check_item_batcher(ctx, v, &s.at("ItemBatcher"), s.lang);
    }
    if let Some(v) = s.f.get("ResultWriter") {
        check_result_writer(ctx, v, &s.at("ResultWriter"), s.lang);
    }
}

/// The item processor: a sub-machine one level deeper.
fn check_processor(ctx: &mut Ctx, s: &StateCx<'_, '_>, v: &Value, field: &str) {
    check_machine(
        ctx,
        v,
        &s.at(field),
        MachineKind::ItemProcessor,
        s.env.lang,
        s.env.depth + 1,
    );
}

/// `ProcessorConfig`: `Mode` INLINE (default) or DISTRIBUTED, `ExecutionType` STANDARD
/// or EXPRESS (required in DISTRIBUTED mode). True when the mode is DISTRIBUTED.
pub(crate) fn check_processor_config(ctx: &mut Ctx, v: &Value, ptr: &str) -> bool {
    let Value::Object(obj) = v else {
        ctx.schema(
            ptr,
            format!("'ProcessorConfig' must be an object, not {}", type_name(v)),
        );
        return false;
    };
    let f = check_plain_fields(
        ctx,
        obj,
        ptr,
        &["Mode", "ExecutionType"],
        "'ProcessorConfig'",
    );
    let mode = f.get("Mode").and_then(|m| {
        values::check_enum(
            ctx,
            m,
            &child(ptr, "Mode"),
            "Mode",
            &["INLINE", "DISTRIBUTED"],
        )
    });
    if let Some(t) = f.get("ExecutionType") {
        values::check_enum(
            ctx,
            t,
            &child(ptr, "ExecutionType"),
            "ExecutionType",
            &["STANDARD", "EXPRESS"],
        );
    } else if mode == Some(1) {
        ctx.schema(
            child(ptr, "ExecutionType"),
            "'ExecutionType' is required when 'Mode' is 'DISTRIBUTED'",
        );
    }
    mode == Some(1)
}

#[derive(Clone, Copy)]
enum Limit {
    Int(i64, i64),
    Number(f64, f64),
}

/// A numeric field and its `…Path` form: not both.
fn number_pair(ctx: &mut Ctx, s: &StateCx<'_, '_>, field: &str, path_field: &str, limit: Limit) {
    if s.f.has(field) && s.f.has(path_field) {
        ctx.schema(
            s.ptr,
            format!("A Map state may have '{field}' or '{path_field}', not both"),
        );
    }
    if let Some(v) = s.f.get(path_field) {
        paths::check_path(ctx, v, &s.at(path_field), path_field, false);
    }
    if let Some(v) = s.f.get(field) {
        let ptr = s.at(field);
        match limit {
            Limit::Int(min, max) => {
                values::check_int_or_expr(ctx, v, &ptr, field, min, max, s.lang);
            }
            Limit::Number(min, max) => {
                values::check_number_or_expr(ctx, v, &ptr, field, min, max, s.lang);
            }
        }
    }
}

/// `Parameters` (JSONPath) or `Arguments` (JSONata) of an `ItemReader`/`ResultWriter`.
fn check_call_fields(ctx: &mut Ctx, f: &crate::validate::fields::Fields<'_>, ptr: &str) {
    if let Some(v) = f.get("Parameters") {
        paths::check_template_object(ctx, v, &child(ptr, "Parameters"), "Parameters");
    }
    if let Some(v) = f.get("Arguments") {
        common::check_arguments(ctx, v, &child(ptr, "Arguments"));
    }
}

/// `ItemReader`: `Resource` (required), `Parameters`/`Arguments`, `ReaderConfig`.
fn check_item_reader(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang) {
    let Value::Object(obj) = v else {
        ctx.schema(
            ptr,
            format!("'ItemReader' must be an object, not {}", type_name(v)),
        );
        return;
    };
    let f = check_fields(
        ctx,
        obj,
        ptr,
        &["Resource", "Parameters", "Arguments", "ReaderConfig"],
        false,
        lang,
        "'ItemReader'",
    );
    match f.get("Resource") {
        Some(r) => check_resource(ctx, r, &child(ptr, "Resource")),
        None => ctx.schema(
            child(ptr, "Resource"),
            "'ItemReader' must have a 'Resource' field",
        ),
    }
    check_call_fields(ctx, &f, ptr);
    if let Some(config) = f.get("ReaderConfig") {
        let cptr = child(ptr, "ReaderConfig");
        match config {
            Value::Object(c) => {
                if let Some(m) = c.get("MaxItems") {
                    values::check_int_or_expr(
                        ctx,
                        m,
                        &child(&cptr, "MaxItems"),
                        "MaxItems",
                        0,
                        MAX_SECONDS,
                        lang,
                    );
                }
                if let Some(m) = c.get("MaxItemsPath") {
                    paths::check_path(ctx, m, &child(&cptr, "MaxItemsPath"), "MaxItemsPath", false);
                }
            }
            other => ctx.schema(
                cptr,
                format!("'ReaderConfig' must be an object, not {}", type_name(other)),
            ),
        }
    }
}

/// `ItemBatcher`: at least one of `MaxItemsPerBatch(Path)`, `MaxInputBytesPerBatch(Path)`;
/// `BatchInput`.
fn check_item_batcher(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang) {
    let Value::Object(obj) = v else {
        ctx.schema(
            ptr,
            format!("'ItemBatcher' must be an object, not {}", type_name(v)),
        );
        return;
    };
    let f = check_fields(
        ctx,
        obj,
        ptr,
        &[
            "MaxItemsPerBatch",
            "MaxItemsPerBatchPath",
            "MaxInputBytesPerBatch",
            "MaxInputBytesPerBatchPath",
            "BatchInput",
        ],
        false,
        lang,
        "'ItemBatcher'",
    );
    let limits = [
        ("MaxItemsPerBatch", "MaxItemsPerBatchPath", MAX_SECONDS),
        (
            "MaxInputBytesPerBatch",
            "MaxInputBytesPerBatchPath",
            MAX_INPUT_BYTES_PER_BATCH,
        ),
    ];
    let mut any = false;
    for (field, path_field, max) in limits {
        any |= obj.contains_key(field) || obj.contains_key(path_field);
        if f.has(field) && f.has(path_field) {
            ctx.schema(
                ptr,
                format!("'ItemBatcher' may have '{field}' or '{path_field}', not both"),
            );
        }
        if let Some(n) = f.get(field) {
            values::check_int_or_expr(ctx, n, &child(ptr, field), field, 1, max, lang);
        }
        if let Some(p) = f.get(path_field) {
            paths::check_path(ctx, p, &child(ptr, path_field), path_field, false);
        }
    }
    if !any {
        ctx.schema(
            ptr,
            "'ItemBatcher' must have 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' (or their 'Path' forms)",
        );
    }
    if let Some(b) = f.get("BatchInput") {
        let bptr = child(ptr, "BatchInput");
        match lang {
            Lang::JsonPath => paths::check_template_object(ctx, b, &bptr, "BatchInput"),
            Lang::Jsonata => jsonata::check_values(ctx, b, &bptr, Site::PLAIN),
        }
    }
}

/// `ResultWriter`: `Resource`, `Parameters`/`Arguments`, `WriterConfig`.
fn check_result_writer(ctx: &mut Ctx, v: &Value, ptr: &str, lang: Lang) {
    let Value::Object(obj) = v else {
        ctx.schema(
            ptr,
            format!("'ResultWriter' must be an object, not {}", type_name(v)),
        );
        return;
    };
    let f = check_fields(
        ctx,
        obj,
        ptr,
        &["Resource", "Parameters", "Arguments", "WriterConfig"],
        false,
        lang,
        "'ResultWriter'",
    );
    if let Some(r) = f.get("Resource") {
        check_resource(ctx, r, &child(ptr, "Resource"));
    } else if !f.has("WriterConfig") {
        ctx.schema(
            ptr,
            "'ResultWriter' must have a 'Resource' or a 'WriterConfig' field",
        );
    }
    check_call_fields(ctx, &f, ptr);
    if let Some(w) = f.get("WriterConfig") {
        if !w.is_object() {
            ctx.schema(
                child(ptr, "WriterConfig"),
                format!("'WriterConfig' must be an object, not {}", type_name(w)),
            );
        }
    }
}
