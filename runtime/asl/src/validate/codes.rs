//! Diagnostic codes. The error codes are those ValidateStateMachineDefinition and
//! CreateStateMachine (`Invalid State Machine Definition: 'CODE: message at /location'`)
//! report; the warnings are ValidateStateMachineDefinition's.

/// A field is missing, not allowed, of the wrong type or out of range.
pub const SCHEMA_VALIDATION_FAILED: &str = "SCHEMA_VALIDATION_FAILED";
/// The text is not JSON, or the definition is not a JSON object.
pub const INVALID_JSON_DESCRIPTION: &str = "INVALID_JSON_DESCRIPTION";
/// The definition is null or an empty object.
pub const MISSING_DESCRIPTION: &str = "MISSING_DESCRIPTION";
/// A `Next`, `Default`, catcher `Next` or `StartAt` names no state of its `States`
/// block; also (as AWS reports it) a state that cannot be reached from `StartAt`.
pub const MISSING_TRANSITION_TARGET: &str = "MISSING_TRANSITION_TARGET";
/// A `States` block has no terminal state (Succeed, Fail or `"End": true`).
pub const MISSING_END_STATE: &str = "MISSING_END_STATE";
/// Two states share a name (names are unique across the whole state machine).
pub const DUPLICATE_STATE_NAME: &str = "DUPLICATE_STATE_NAME";
/// A state name is too long.
pub const INVALID_STATE_NAME: &str = "INVALID_STATE_NAME";
/// A Task `Resource` is not an ARN nor a `wasm:` module reference.
pub const INVALID_RESOURCE: &str = "INVALID_RESOURCE";
/// A Map `Label` is too long or has characters AWS does not allow.
pub const INVALID_LABEL_NAME: &str = "INVALID_LABEL_NAME";
/// Parallel/Map states or Choice rules are nested beyond the limits.
pub const TOO_DEEPLY_NESTED: &str = "TOO_DEEPLY_NESTED";
/// A `{% ... %}` string is not a well-formed JSONata expression.
pub const INVALID_JSONATA_EXPRESSION: &str = "INVALID_JSONATA_EXPRESSION";
/// A JSONata expression parses but reads something a state cannot offer: a `$states`
/// member that does not exist in its field (`$states.result` outside a Task, Map or
/// Parallel state's `Output`/`Assign`, `$states.errorOutput` outside a catcher), or a
/// field name, `$` or `$$` at the top level, where there is no context item.
pub const UNSUPPORTED_JSONATA_EXPRESSION: &str = "UNSUPPORTED_JSONATA_EXPRESSION";

/// Warning: a value looks like a path or intrinsic but its key does not end with `.$`.
pub const NO_DOLLAR: &str = "NO_DOLLAR";
/// Warning: a value looks like a path but the field's name does not end with `Path`.
pub const NO_PATH: &str = "NO_PATH";
/// Warning: a Pass state's `Result` uses a path, which is never evaluated there.
pub const PASS_RESULT_IS_STATIC: &str = "PASS_RESULT_IS_STATIC";
/// Warning (Stepwise's own): a workflow variable is read where no `Assign` can have set
/// it: assigned nowhere, only later, only inside a Parallel branch or Map iteration, or
/// outside a Distributed Map's item processor. AWS accepts such a definition and fails
/// the execution when the state runs (`States.QueryEvaluationError` in JSONata).
pub const UNDEFINED_VARIABLE: &str = "UNDEFINED_VARIABLE";
/// Warning (Stepwise's own): a JSONata expression calls `$eval`, which Step Functions
/// does not provide: the state fails at run time (`T1006`).
pub const JSONATA_EVAL_UNSUPPORTED: &str = "JSONATA_EVAL_UNSUPPORTED";
/// Warning (Stepwise's own): an `Assign` holds more than 256 KiB of literal values, over
/// the limit AWS enforces when the state runs.
pub const ASSIGN_TOO_LARGE: &str = "ASSIGN_TOO_LARGE";
