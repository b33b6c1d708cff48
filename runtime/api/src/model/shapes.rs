//! The model's shapes (constraints) that requests use, named as in
//! `service-2.json`.

use crate::decode::{Int, JsonRule, Str};
use crate::error::ErrorCode;

/// The largest execution input, task output or execution output: 256 KiB as
/// UTF-8 (262,144 bytes).
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

const fn text(min: usize, max: usize) -> Str {
    Str {
        min,
        max,
        sensitive: false,
        ascii: false,
    }
}

const fn secret(min: usize, max: usize) -> Str {
    Str {
        min,
        max,
        sensitive: true,
        ascii: false,
    }
}

/// `Arn`
pub(crate) const ARN: Str = text(1, 256);
/// `LongArn`
pub(crate) const LONG_ARN: Str = text(1, 2000);
/// `Name`
pub(crate) const NAME: Str = text(1, 80);
/// `Definition`
pub(crate) const DEFINITION: Str = secret(1, 1_048_576);
/// `VersionDescription`
pub(crate) const VERSION_DESCRIPTION: Str = secret(0, 256);
/// `PageToken`
pub(crate) const PAGE_TOKEN: Str = text(1, 1024);
/// `ListExecutionsPageToken`
pub(crate) const LIST_EXECUTIONS_PAGE_TOKEN: Str = text(1, 3096);
/// `TraceHeader` (pattern `\p{ASCII}*`)
pub(crate) const TRACE_HEADER: Str = Str {
    min: 0,
    max: 256,
    sensitive: false,
    ascii: true,
};
/// `SensitiveError`
pub(crate) const SENSITIVE_ERROR: Str = secret(0, 256);
/// `SensitiveCause`
pub(crate) const SENSITIVE_CAUSE: Str = secret(0, 32_768);
/// `TaskToken`
pub(crate) const TASK_TOKEN: Str = text(1, 2048);
/// `TagKey`
pub(crate) const TAG_KEY: Str = text(1, 128);
/// `TagValue`
pub(crate) const TAG_VALUE: Str = text(0, 256);
/// `KmsKeyId`
pub(crate) const KMS_KEY_ID: Str = text(1, 2048);

/// `PageSize`
pub(crate) const PAGE_SIZE: Int = Int { min: 0, max: 1000 };
/// `ValidateStateMachineDefinitionMaxResult`
pub(crate) const VALIDATION_MAX_RESULTS: Int = Int { min: 0, max: 100 };
/// `KmsDataKeyReusePeriodSeconds`
pub(crate) const KMS_DATA_KEY_REUSE_PERIOD_SECONDS: Int = Int { min: 60, max: 900 };

/// `SensitiveData` as an execution input.
pub(crate) const EXECUTION_INPUT: JsonRule = JsonRule {
    max_bytes: MAX_PAYLOAD_BYTES,
    code: ErrorCode::InvalidExecutionInput,
    label: "Invalid State Machine Execution Input",
};
/// `SensitiveData` as a task output (SendTaskSuccess).
pub(crate) const TASK_OUTPUT: JsonRule = JsonRule {
    max_bytes: MAX_PAYLOAD_BYTES,
    code: ErrorCode::InvalidOutput,
    label: "Invalid Output",
};
