//! Which fields each state type allows, and which fields only one query language allows.
//!
//! A field outside its type's table is `Field 'X' is not supported`; a field in the table
//! but reserved to the other query language is reported with AWS's wording
//! (`The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for
//! the 'JSONata' QueryLanguage`). Either way the field is then left out of the
//! type-specific checks, so one mistake gives one diagnostic.

use super::context::{child, Ctx, Lang};
use serde_json::{Map, Value};

/// Fields every state allows.
const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage"];

/// Pass state fields (besides [`COMMON`]).
pub(crate) const PASS: &[&str] = &[
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "Result",
    "Assign",
    "Output",
];

/// Task state fields.
pub(crate) const TASK: &[&str] = &[
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "Arguments",
    "ResultSelector",
    "Resource",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Retry",
    "Catch",
    "Credentials",
    "Assign",
    "Output",
];

/// Choice state fields.
pub(crate) const CHOICE: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Choices",
    "Default",
    "Assign",
    "Output",
];

/// Wait state fields.
pub(crate) const WAIT: &[&str] = &[
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Assign",
    "Output",
];

/// Succeed state fields.
pub(crate) const SUCCEED: &[&str] = &["InputPath", "OutputPath", "Output"];

/// Fail state fields.
pub(crate) const FAIL: &[&str] = &["Error", "ErrorPath", "Cause", "CausePath"];

/// Parallel state fields.
pub(crate) const PARALLEL: &[&str] = &[
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "Arguments",
    "ResultSelector",
    "Branches",
    "Retry",
    "Catch",
    "Assign",
    "Output",
];

/// Map state fields.
pub(crate) const MAP: &[&str] = &[
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "ItemProcessor",
    "Iterator",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "Label",
    "Retry",
    "Catch",
    "Assign",
    "Output",
];

/// Top-level fields of a definition.
pub(crate) const TOP: &[&str] = &[
    "Comment",
    "StartAt",
    "States",
    "Version",
    "TimeoutSeconds",
    "QueryLanguage",
];

/// Fields of a Parallel branch.
pub(crate) const BRANCH: &[&str] = &["Comment", "StartAt", "States"];

/// Fields of a Map `ItemProcessor` (and of the legacy `Iterator`).
pub(crate) const ITEM_PROCESSOR: &[&str] = &["Comment", "ProcessorConfig", "StartAt", "States"];

/// Fields of a retrier.
pub(crate) const RETRIER: &[&str] = &[
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
];

/// Fields of a catcher.
pub(crate) const CATCHER: &[&str] = &[
    "ErrorEquals",
    "Next",
    "ResultPath",
    "Assign",
    "Output",
    "Comment",
];

/// Fields that exist only in JSONPath states.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
    "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatchPath",
    "Variable",
    "And",
    "Or",
    "Not",
];

/// Fields that exist only in JSONata states.
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items", "Condition"];

/// The language a field is reserved to, if any.
pub(crate) fn only_in(field: &str) -> Option<Lang> {
    if JSONPATH_ONLY.contains(&field) {
        Some(Lang::JsonPath)
    } else if JSONATA_ONLY.contains(&field) {
        Some(Lang::Jsonata)
    } else {
        None
    }
}

/// AWS's message for a field used under the other query language.
pub(crate) fn wrong_language_message(field: &str, lang: Lang) -> String {
    let other = match lang {
        Lang::JsonPath => Lang::Jsonata,
        Lang::Jsonata => Lang::JsonPath,
    };
    format!(
        "The QueryLanguage is set to '{}', but field '{field}' is only supported for the '{}' QueryLanguage",
        lang.name(),
        other.name()
    )
}

/// An object's fields, less those already reported as not allowed.
pub(crate) struct Fields<'a> {
    obj: &'a Map<String, Value>,
    rejected: Vec<&'a str>,
}

impl<'a> Fields<'a> {
    /// The field's value, unless it was rejected.
    pub(crate) fn get(&self, name: &str) -> Option<&'a Value> {
        if self.rejected.contains(&name) {
            None
        } else {
            self.obj.get(name)
        }
    }

    /// True when the field is present and was not rejected.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The underlying object (rejected fields included).
    pub(crate) fn raw(&self) -> &'a Map<String, Value> {
        self.obj
    }
}

/// Checks `obj`'s keys against `allowed` (plus, for states, [`COMMON`]) and `lang`.
/// `what` names the object in messages ("a Pass state", "a retrier").
pub(crate) fn check_fields<'a>(
    ctx: &mut Ctx,
    obj: &'a Map<String, Value>,
    ptr: &str,
    allowed: &[&str],
    is_state: bool,
    lang: Lang,
    what: &str,
) -> Fields<'a> {
    let mut rejected = Vec::new();
    for key in obj.keys() {
        let known = allowed.contains(&key.as_str()) || (is_state && COMMON.contains(&key.as_str()));
        if !known {
            ctx.schema(
                child(ptr, key),
                format!("Field '{key}' is not supported in {what}"),
            );
            rejected.push(key.as_str());
            continue;
        }
        if let Some(only) = only_in(key) {
            if only != lang {
                ctx.schema(child(ptr, key), wrong_language_message(key, lang));
                rejected.push(key.as_str());
            }
        }
    }
    Fields { obj, rejected }
}

/// Checks keys of a nested object that has no query-language-specific fields.
pub(crate) fn check_plain_fields<'a>(
    ctx: &mut Ctx,
    obj: &'a Map<String, Value>,
    ptr: &str,
    allowed: &[&str],
    what: &str,
) -> Fields<'a> {
    let mut rejected = Vec::new();
    for key in obj.keys() {
        if !allowed.contains(&key.as_str()) {
            ctx.schema(
                child(ptr, key),
                format!("Field '{key}' is not supported in {what}"),
            );
            rejected.push(key.as_str());
        }
    }
    Fields { obj, rejected }
}
