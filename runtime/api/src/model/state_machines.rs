//! CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
//! DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition and
//! DescribeStateMachineForExecution.

use super::common::{
    EncryptionConfiguration, IncludedData, LoggingConfiguration, StateMachineType, Tag, Timestamp,
    TracingConfiguration,
};
use super::shapes::{
    ARN, DEFINITION, PAGE_SIZE, PAGE_TOKEN, VALIDATION_MAX_RESULTS, VERSION_DESCRIPTION,
};
use crate::arn::{ExecutionArn, StateMachineArn};
use crate::decode::{Decode, Members, Optional, Required};
use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

wire_enum! {
    /// `StateMachineStatus`
    StateMachineStatus {
        /// In use.
        Active = "ACTIVE",
        /// Being deleted.
        Deleting = "DELETING",
    }
}

wire_enum! {
    /// `ValidateStateMachineDefinitionSeverity`
    ValidateStateMachineDefinitionSeverity {
        /// Errors only.
        Error = "ERROR",
        /// Errors and warnings.
        Warning = "WARNING",
    }
}

wire_enum! {
    /// `ValidateStateMachineDefinitionResultCode`
    ValidateStateMachineDefinitionResultCode {
        /// No errors.
        Ok = "OK",
        /// At least one error.
        Fail = "FAIL",
    }
}

/// Which variables each state reads and writes (`VariableReferences`).
pub type VariableReferences = BTreeMap<String, Vec<String>>;

/// `CreateStateMachineInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateStateMachineInput {
    /// The name (naming rules checked).
    pub name: String,
    /// The ASL definition, as text (not yet validated as ASL).
    pub definition: String,
    /// The role ARN (general ARN syntax checked; not used).
    pub role_arn: String,
    /// STANDARD when absent.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub state_machine_type: Option<StateMachineType>,
    /// Logging settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging_configuration: Option<LoggingConfiguration>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// Tracing settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracing_configuration: Option<TracingConfiguration>,
    /// Whether to publish a version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish: Option<bool>,
    /// The published version's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_description: Option<String>,
    /// Encryption settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_configuration: Option<EncryptionConfiguration>,
}

impl Decode for CreateStateMachineInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let name = m.name("name", Required);
        let definition = m.string("definition", &DEFINITION, Required);
        let role_arn = m.any_arn("roleArn", &ARN, Required);
        let request = CreateStateMachineInput {
            state_machine_type: m.enumeration("type", Optional),
            logging_configuration: m.object("loggingConfiguration", Optional),
            tags: m.objects("tags", Optional),
            tracing_configuration: m.object("tracingConfiguration", Optional),
            publish: m.boolean("publish", Optional),
            version_description: m.string("versionDescription", &VERSION_DESCRIPTION, Optional),
            encryption_configuration: m.object("encryptionConfiguration", Optional),
            name: name?,
            definition: definition?,
            role_arn: role_arn?,
        };
        description_needs_publish(m, request.publish, &request.version_description);
        Some(request)
    }
}

/// `ValidationException` for a `versionDescription` without `publish: true`
/// (the model: "You can only set the description if the publish parameter is
/// set to true").
fn description_needs_publish(
    m: &mut Members<'_>,
    publish: Option<bool>,
    version_description: &Option<String>,
) {
    if version_description.is_some() && publish != Some(true) {
        m.invalid(ApiError::new(
            ErrorCode::ValidationException,
            "Version description can only be set when publish is true: set 'publish' to true \
             or leave out 'versionDescription'",
        ));
    }
}

/// `CreateStateMachineOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateStateMachineOutput {
    /// The new state machine.
    pub state_machine_arn: String,
    /// When it was created.
    pub creation_date: Timestamp,
    /// The published version, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
}

/// `DescribeStateMachineInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeStateMachineInput {
    /// The state machine (or one of its versions or aliases).
    pub state_machine_arn: StateMachineArn,
    /// ALL_DATA when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub included_data: Option<IncludedData>,
}

impl Decode for DescribeStateMachineInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let state_machine_arn = m.arn("stateMachineArn", Required);
        Some(DescribeStateMachineInput {
            included_data: m.enumeration("includedData", Optional),
            state_machine_arn: state_machine_arn?,
        })
    }
}

/// `DescribeStateMachineOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeStateMachineOutput {
    /// The state machine.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// ACTIVE or DELETING.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StateMachineStatus>,
    /// The ASL definition.
    pub definition: String,
    /// The role ARN given at creation.
    pub role_arn: String,
    /// STANDARD or EXPRESS.
    #[serde(rename = "type")]
    pub state_machine_type: StateMachineType,
    /// When it was created (for a version: published).
    pub creation_date: Timestamp,
    /// Logging settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging_configuration: Option<LoggingConfiguration>,
    /// Tracing settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracing_configuration: Option<TracingConfiguration>,
    /// A Distributed Map's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The revision of the definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// A version's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Encryption settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_configuration: Option<EncryptionConfiguration>,
    /// Variables per state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable_references: Option<VariableReferences>,
}

/// `UpdateStateMachineInput`: at least one of definition, roleArn,
/// loggingConfiguration, tracingConfiguration, encryptionConfiguration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStateMachineInput {
    /// The state machine.
    pub state_machine_arn: StateMachineArn,
    /// A new definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// A new role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// New logging settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging_configuration: Option<LoggingConfiguration>,
    /// New tracing settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracing_configuration: Option<TracingConfiguration>,
    /// Whether to publish a version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish: Option<bool>,
    /// The published version's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_description: Option<String>,
    /// New encryption settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_configuration: Option<EncryptionConfiguration>,
}

impl Decode for UpdateStateMachineInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let state_machine_arn = m.arn("stateMachineArn", Required);
        let request = UpdateStateMachineInput {
            definition: m.string("definition", &DEFINITION, Optional),
            role_arn: m.any_arn("roleArn", &ARN, Optional),
            logging_configuration: m.object("loggingConfiguration", Optional),
            tracing_configuration: m.object("tracingConfiguration", Optional),
            publish: m.boolean("publish", Optional),
            version_description: m.string("versionDescription", &VERSION_DESCRIPTION, Optional),
            encryption_configuration: m.object("encryptionConfiguration", Optional),
            state_machine_arn: state_machine_arn?,
        };
        description_needs_publish(m, request.publish, &request.version_description);
        let nothing = request.definition.is_none()
            && request.role_arn.is_none()
            && request.logging_configuration.is_none()
            && request.tracing_configuration.is_none()
            && request.encryption_configuration.is_none();
        if nothing {
            m.invalid(ApiError::new(
                ErrorCode::MissingRequiredParameter,
                "Either the definition, the roleArn, the loggingConfiguration, the \
                 tracingConfiguration or the encryptionConfiguration must be specified",
            ));
            return None;
        }
        Some(request)
    }
}

/// `UpdateStateMachineOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStateMachineOutput {
    /// When it was updated.
    pub update_date: Timestamp,
    /// The new revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// The published version, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
}

/// `DeleteStateMachineInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteStateMachineInput {
    /// The state machine.
    pub state_machine_arn: StateMachineArn,
}

impl Decode for DeleteStateMachineInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(DeleteStateMachineInput {
            state_machine_arn: m.arn("stateMachineArn", Required)?,
        })
    }
}

/// `DeleteStateMachineOutput` (empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeleteStateMachineOutput {}

/// `ListStateMachinesInput`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListStateMachinesInput {
    /// Page size, 0 to 1000 (0: the default, 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// Where the previous page ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Decode for ListStateMachinesInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(ListStateMachinesInput {
            max_results: m.int("maxResults", &PAGE_SIZE, Optional),
            next_token: m.string("nextToken", &PAGE_TOKEN, Optional),
        })
    }
}

/// `ListStateMachinesOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListStateMachinesOutput {
    /// One page of state machines.
    pub state_machines: Vec<StateMachineListItem>,
    /// Where this page ends, when there are more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `StateMachineListItem`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMachineListItem {
    /// The state machine.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// STANDARD or EXPRESS.
    #[serde(rename = "type")]
    pub state_machine_type: StateMachineType,
    /// When it was created.
    pub creation_date: Timestamp,
}

/// `ValidateStateMachineDefinitionInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidateStateMachineDefinitionInput {
    /// The ASL definition.
    pub definition: String,
    /// STANDARD when absent.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub state_machine_type: Option<StateMachineType>,
    /// The lowest severity to report (ERROR when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<ValidateStateMachineDefinitionSeverity>,
    /// At most this many diagnostics, 0 to 100 (0: the default, 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
}

impl Decode for ValidateStateMachineDefinitionInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let definition = m.string("definition", &DEFINITION, Required);
        Some(ValidateStateMachineDefinitionInput {
            state_machine_type: m.enumeration("type", Optional),
            severity: m.enumeration("severity", Optional),
            max_results: m.int("maxResults", &VALIDATION_MAX_RESULTS, Optional),
            definition: definition?,
        })
    }
}

/// `ValidateStateMachineDefinitionOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidateStateMachineDefinitionOutput {
    /// OK or FAIL.
    pub result: ValidateStateMachineDefinitionResultCode,
    /// What was found.
    pub diagnostics: Vec<ValidateStateMachineDefinitionDiagnostic>,
    /// Whether diagnostics were left out (over maxResults).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
}

/// `ValidateStateMachineDefinitionDiagnostic`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidateStateMachineDefinitionDiagnostic {
    /// ERROR or WARNING.
    pub severity: ValidateStateMachineDefinitionSeverity,
    /// AWS's diagnostic code, e.g. `SCHEMA_VALIDATION_FAILED`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// Where: a JSON pointer such as `/States/A/Next`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// `DescribeStateMachineForExecutionInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeStateMachineForExecutionInput {
    /// The execution.
    pub execution_arn: ExecutionArn,
    /// ALL_DATA when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub included_data: Option<IncludedData>,
}

impl Decode for DescribeStateMachineForExecutionInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let execution_arn = m.arn("executionArn", Required);
        Some(DescribeStateMachineForExecutionInput {
            included_data: m.enumeration("includedData", Optional),
            execution_arn: execution_arn?,
        })
    }
}

/// `DescribeStateMachineForExecutionOutput`: the definition the execution runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeStateMachineForExecutionOutput {
    /// The state machine.
    pub state_machine_arn: String,
    /// Its name.
    pub name: String,
    /// The ASL definition the execution runs.
    pub definition: String,
    /// The role ARN.
    pub role_arn: String,
    /// When that definition was set.
    pub update_date: Timestamp,
    /// Logging settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logging_configuration: Option<LoggingConfiguration>,
    /// Tracing settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracing_configuration: Option<TracingConfiguration>,
    /// For a Map Run's child execution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map_run_arn: Option<String>,
    /// A Distributed Map's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The revision of the definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// Encryption settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_configuration: Option<EncryptionConfiguration>,
    /// Variables per state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable_references: Option<VariableReferences>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_request;

    fn decode<T: Decode>(body: &str) -> Result<T, ApiError> {
        decode_request(body.as_bytes())
    }

    const ROLE: &str = "arn:aws:iam::123456789012:role/r";

    #[test]
    fn create_reads_everything() {
        let body = format!(
            r#"{{"name":"m","definition":"{{}}","roleArn":"{ROLE}","type":"EXPRESS",
               "loggingConfiguration":{{"level":"ALL","includeExecutionData":true,
                 "destinations":[{{"cloudWatchLogsLogGroup":{{"logGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:g:*"}}}}]}},
               "tags":[{{"key":"k","value":"v"}},{{"key":"only"}}],"tracingConfiguration":{{"enabled":false}},
               "publish":true,"versionDescription":"d",
               "encryptionConfiguration":{{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":"key","kmsDataKeyReusePeriodSeconds":300}}}}"#
        );
        let request: CreateStateMachineInput = decode(&body).unwrap();
        assert_eq!(request.name, "m");
        assert_eq!(request.state_machine_type, Some(StateMachineType::Express));
        let logging = request.logging_configuration.clone().unwrap();
        assert_eq!(logging.destinations.unwrap().len(), 1);
        assert_eq!(request.tags.as_ref().unwrap()[1].value, "");
        assert_eq!(
            request
                .encryption_configuration
                .as_ref()
                .unwrap()
                .kms_data_key_reuse_period_seconds,
            Some(300)
        );
        // Serializing gives back an equivalent request.
        let again: CreateStateMachineInput =
            decode(&serde_json::to_string(&request).unwrap()).unwrap();
        assert_eq!(again, request);
    }

    #[test]
    fn create_errors_in_aws_order() {
        let err = decode::<CreateStateMachineInput>("{}").unwrap_err();
        assert_eq!(err.code, ErrorCode::ValidationException);
        assert!(
            err.message
                .starts_with("3 validation errors detected: Value null at 'name'"),
            "{}",
            err.message
        );
        let err = decode::<CreateStateMachineInput>(&format!(
            r#"{{"name":"{}","definition":"{{}}","roleArn":"{ROLE}"}}"#,
            "x".repeat(81)
        ))
        .unwrap_err();
        assert_eq!(
            err.message,
            format!("1 validation error detected: Value '{}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80", "x".repeat(81))
        );
        let err = decode::<CreateStateMachineInput>(&format!(
            r#"{{"name":"a b","definition":"{{}}","roleArn":"{ROLE}"}}"#
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidName);
        let err =
            decode::<CreateStateMachineInput>(r#"{"name":"a","definition":"{}","roleArn":"role"}"#)
                .unwrap_err();
        assert_eq!(
            (err.code, err.message.as_str()),
            (
                ErrorCode::InvalidArn,
                "Invalid Arn: 'Invalid ARN prefix: role'"
            )
        );
        let err = decode::<CreateStateMachineInput>(&format!(
            r#"{{"name":"a","definition":"{{}}","roleArn":"{ROLE}","encryptionConfiguration":{{"kmsDataKeyReusePeriodSeconds":10}}}}"#
        ))
        .unwrap_err();
        assert_eq!(
            err.message,
            "2 validation errors detected: \
             Value '10' at 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60; \
             Value null at 'encryptionConfiguration.type' failed to satisfy constraint: Member must not be null"
        );
        let err = decode::<CreateStateMachineInput>(&format!(
            r#"{{"name":"a","definition":"{{}}","roleArn":"{ROLE}","tags":[{{"value":"v"}}]}}"#
        ))
        .unwrap_err();
        assert!(
            err.message.contains("Value null at 'tags.1.member.key'"),
            "{}",
            err.message
        );
    }

    #[test]
    fn version_description_needs_publish() {
        let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
        let create = |extra: &str| {
            decode::<CreateStateMachineInput>(&format!(
                r#"{{"name":"a","definition":"{{}}","roleArn":"{ROLE}"{extra}}}"#
            ))
        };
        for extra in [
            r#","versionDescription":"d""#,
            r#","versionDescription":"d","publish":false"#,
        ] {
            let err = create(extra).unwrap_err();
            assert_eq!(err.code, ErrorCode::ValidationException, "{extra}");
            assert!(err.message.contains("publish"), "{}", err.message);
        }
        let ok = create(r#","versionDescription":"d","publish":true"#).unwrap();
        assert_eq!(ok.version_description.as_deref(), Some("d"));
        let err = decode::<UpdateStateMachineInput>(&format!(
            r#"{{"stateMachineArn":"{arn}","definition":"x","versionDescription":"d"}}"#
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::ValidationException);
        decode::<UpdateStateMachineInput>(&format!(
            r#"{{"stateMachineArn":"{arn}","definition":"x","versionDescription":"d","publish":true}}"#
        ))
        .unwrap();
    }

    #[test]
    fn logging_above_off_needs_a_destination() {
        let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
        let create = |logging: &str| {
            decode::<CreateStateMachineInput>(&format!(
                r#"{{"name":"a","definition":"{{}}","roleArn":"{ROLE}","loggingConfiguration":{logging}}}"#
            ))
        };
        for bad in [
            r#"{"level":"ALL"}"#,
            r#"{"level":"ERROR","destinations":[]}"#,
        ] {
            let err = create(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidLoggingConfiguration, "{bad}");
            assert!(err.message.contains("destinations"), "{}", err.message);
        }
        for good in [
            r#"{"level":"OFF"}"#,
            r#"{}"#,
            r#"{"level":"ALL","destinations":[{"cloudWatchLogsLogGroup":{"logGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:g:*"}}]}"#,
        ] {
            create(good).unwrap();
        }
        let err = decode::<UpdateStateMachineInput>(&format!(
            r#"{{"stateMachineArn":"{arn}","loggingConfiguration":{{"level":"FATAL"}}}}"#
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidLoggingConfiguration);
    }

    #[test]
    fn update_needs_something_to_update() {
        let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
        let err = decode::<UpdateStateMachineInput>(&format!(r#"{{"stateMachineArn":"{arn}"}}"#))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::MissingRequiredParameter);
        let request: UpdateStateMachineInput = decode(&format!(
            r#"{{"stateMachineArn":"{arn}","definition":"x"}}"#
        ))
        .unwrap();
        assert_eq!(request.state_machine_arn.name(), "m");
        let err = decode::<UpdateStateMachineInput>(r#"{"stateMachineArn":"arn:x"}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArn);
    }

    #[test]
    fn list_and_validate_bounds() {
        let err = decode::<ListStateMachinesInput>(r#"{"maxResults":1001}"#).unwrap_err();
        assert_eq!(err.message, "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
        let err = decode::<ListStateMachinesInput>(r#"{"nextToken":""}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::ValidationException);
        assert_eq!(
            decode::<ListStateMachinesInput>("").unwrap(),
            ListStateMachinesInput::default()
        );
        let err = decode::<ValidateStateMachineDefinitionInput>(
            r#"{"definition":"{}","maxResults":101,"severity":"INFO"}"#,
        )
        .unwrap_err();
        assert!(
            err.message.starts_with("2 validation errors detected"),
            "{}",
            err.message
        );
        let err =
            decode::<ValidateStateMachineDefinitionInput>(r#"{"definition":""}"#).unwrap_err();
        assert_eq!(err.message, "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
}
