//! CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
//! DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition and
//! DescribeStateMachineForExecution.

use super::backend::ServeBackend;
use super::errors::{no_state_machine, store_error, too_many_tags, MAX_TAGS};
use super::executions::{started_with, stored_execution};
use super::express_rules;
use super::util::{durable, list_error, now_ms, page, random_uuid, timestamp};
use api::arn::StateMachineArn;
use api::model::*;
use api::{ApiError, ApiResult, ErrorCode};
use asl::validate::{validate_json, Diagnostic, Severity};
use serde_json::Value;
use std::collections::BTreeMap;
use store::{
    MachineStatus, MachineType, StateMachineRecord, StateMachineVersionRecord, StoreError,
};

/// The most diagnostics ValidateStateMachineDefinition returns by default.
const DEFAULT_MAX_DIAGNOSTICS: usize = 100;

/// What a state machine ARN names: the machine, and the version when the ARN
/// has a version number.
pub struct Resolved {
    /// The state machine.
    pub machine: StateMachineRecord,
    /// The version the ARN names, if it names one.
    pub version: Option<StateMachineVersionRecord>,
}

impl Resolved {
    /// The definition to run: the version's, else the machine's.
    pub fn definition(&self) -> &str {
        match &self.version {
            Some(version) => &version.definition,
            None => &self.machine.definition,
        }
    }

    /// The role to run with.
    pub fn role_arn(&self) -> &str {
        match &self.version {
            Some(version) => &version.role_arn,
            None => &self.machine.role_arn,
        }
    }
}

/// The state machine (or version) `arn` names; `StateMachineDoesNotExist` when
/// there is none (an alias, another region or account included).
pub fn resolve(backend: &ServeBackend, arn: &StateMachineArn) -> ApiResult<Resolved> {
    let missing = || no_state_machine(arn.as_str());
    if !backend.arns.owns(arn) {
        return Err(missing());
    }
    let key = backend.arns.state_machine(arn.name());
    let machine = backend
        .store()
        .get_state_machine(&key)
        .map_err(store_error)?
        .ok_or_else(missing)?;
    let version = match arn.qualifier() {
        None => None,
        Some(qualifier) => {
            if qualifier.parse::<u64>().is_err() {
                return Err(missing());
            }
            Some(
                backend
                    .store()
                    .get_state_machine_version(arn.as_str())
                    .map_err(store_error)?
                    .ok_or_else(missing)?,
            )
        }
    };
    Ok(Resolved { machine, version })
}

/// The machine an unqualified ARN names (Update and Delete take no version).
fn unqualified(arn: &StateMachineArn, operation: &str) -> ApiResult<()> {
    match arn.qualifier() {
        None => Ok(()),
        Some(_) => Err(ApiError::new(
            ErrorCode::ValidationException,
            format!(
                "{operation} takes the state machine's ARN, not the ARN of one of its versions \
                 or aliases: '{arn}'"
            ),
        )),
    }
}

/// `InvalidDefinition` unless `definition` is valid ASL that Stepwise can run
/// as a machine of type `kind`.
pub fn check_definition(definition: &str, kind: MachineType) -> ApiResult<()> {
    let errors: Vec<String> = validate_json(definition)
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::to_string)
        .collect();
    if !errors.is_empty() {
        return Err(invalid_definition(&errors.join(", ")));
    }
    driver::compile(definition).map_err(|e| invalid_definition(&e.to_string()))?;
    match cannot_run(definition, kind).next() {
        Some(found) => Err(invalid_definition(&format!(
            "{CANNOT_RUN_CODE}: {} at {}",
            found.message, found.location
        ))),
        None => Ok(()),
    }
}

/// The diagnostic code of what a valid definition asks that cannot run.
const CANNOT_RUN_CODE: &str = "SCHEMA_VALIDATION_FAILED";

/// What a machine of type `kind` cannot run in a valid definition: what
/// Stepwise cannot run at all, then what an Express machine cannot.
fn cannot_run(definition: &str, kind: MachineType) -> impl Iterator<Item = driver::Unsupported> {
    let express = match kind {
        MachineType::Express => express_rules::unsupported(definition),
        MachineType::Standard => None,
    };
    driver::unsupported(definition).into_iter().chain(express)
}

fn invalid_definition(why: &str) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidDefinition,
        format!("Invalid State Machine Definition: '{why}'"),
    )
}

/// Tags as the store keeps them; `TooManyTags` past the limit.
pub fn tag_map(arn: &str, tags: &[Tag]) -> ApiResult<BTreeMap<String, String>> {
    let map: BTreeMap<String, String> = tags
        .iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect();
    if map.len() > MAX_TAGS {
        return Err(too_many_tags(arn, map.len()));
    }
    Ok(map)
}

fn store_type(kind: Option<StateMachineType>) -> MachineType {
    match kind {
        Some(StateMachineType::Express) => MachineType::Express,
        _ => MachineType::Standard,
    }
}

/// The API's name for a store machine type.
pub fn api_type(kind: MachineType) -> StateMachineType {
    match kind {
        MachineType::Standard => StateMachineType::Standard,
        MachineType::Express => StateMachineType::Express,
    }
}

fn to_value<T: serde::Serialize>(value: &Option<T>) -> Option<Value> {
    value.as_ref().and_then(|v| serde_json::to_value(v).ok())
}

fn logging(record: &StateMachineRecord) -> LoggingConfiguration {
    record
        .logging_configuration
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or(LoggingConfiguration {
            level: Some(LogLevel::Off),
            include_execution_data: Some(false),
            destinations: None,
        })
}

fn tracing(record: &StateMachineRecord) -> TracingConfiguration {
    record
        .tracing_configuration
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or(TracingConfiguration {
            enabled: Some(false),
        })
}

/// Publishes the machine's current revision; the version's ARN.
async fn publish(
    backend: &ServeBackend,
    arn: &str,
    description: Option<String>,
) -> ApiResult<String> {
    let (version, ticket) = backend
        .store()
        .publish_state_machine_version(arn, description, now_ms())
        .map_err(store_error)?;
    durable(ticket).await?;
    Ok(version.arn)
}

/// CreateStateMachine: idempotent for the same name, definition, type,
/// logging and tracing; `StateMachineAlreadyExists` for the name with others.
pub async fn create(
    backend: &ServeBackend,
    request: CreateStateMachineInput,
) -> ApiResult<CreateStateMachineOutput> {
    let kind = store_type(request.state_machine_type);
    check_definition(&request.definition, kind)?;
    let arn = backend.arns.state_machine(&request.name);
    let now = now_ms();
    let record = StateMachineRecord {
        tags: tag_map(&arn, request.tags.as_deref().unwrap_or_default())?,
        arn: arn.clone(),
        name: request.name,
        definition: request.definition,
        role_arn: request.role_arn,
        kind,
        created_ms: now,
        updated_ms: now,
        revision_id: random_uuid(),
        status: MachineStatus::Active,
        description: None,
        logging_configuration: to_value(&request.logging_configuration),
        tracing_configuration: to_value(&request.tracing_configuration),
        version: 0,
    };
    let store = backend.store();
    let created = match store.get_state_machine(&arn).map_err(store_error)? {
        Some(existing) => return same_machine(backend, existing, &record, request.publish).await,
        None => store.create_state_machine(record.clone()),
    };
    match created {
        Ok(ticket) => durable(ticket).await?,
        Err(StoreError::AlreadyExists(_)) => {
            // Created by a concurrent request in between.
            let existing = store
                .get_state_machine(&arn)
                .map_err(store_error)?
                .ok_or_else(|| no_state_machine(&arn))?;
            return same_machine(backend, existing, &record, request.publish).await;
        }
        Err(e) => return Err(store_error(e)),
    }
    let state_machine_version_arn = match request.publish {
        Some(true) => Some(publish(backend, &arn, request.version_description).await?),
        _ => None,
    };
    Ok(CreateStateMachineOutput {
        state_machine_arn: arn,
        creation_date: timestamp(now),
        state_machine_version_arn,
    })
}

/// A create of an existing name: the existing machine when it is the same.
async fn same_machine(
    backend: &ServeBackend,
    existing: StateMachineRecord,
    wanted: &StateMachineRecord,
    publish_version: Option<bool>,
) -> ApiResult<CreateStateMachineOutput> {
    let same = existing.definition == wanted.definition
        && existing.kind == wanted.kind
        && existing.logging_configuration == wanted.logging_configuration
        && existing.tracing_configuration == wanted.tracing_configuration;
    if existing.status == MachineStatus::Deleting {
        return Err(ApiError::new(
            ErrorCode::StateMachineDeleting,
            format!("State machine is being deleted: '{}'", existing.arn),
        ));
    }
    if !same {
        return Err(ApiError::new(
            ErrorCode::StateMachineAlreadyExists,
            format!("State Machine Already Exists: '{}'", existing.arn),
        ));
    }
    let state_machine_version_arn = match publish_version {
        Some(true) => Some(publish(backend, &existing.arn, None).await?),
        _ => None,
    };
    Ok(CreateStateMachineOutput {
        state_machine_arn: existing.arn,
        creation_date: timestamp(existing.created_ms),
        state_machine_version_arn,
    })
}

/// DescribeStateMachine (of a machine or one of its versions).
pub fn describe(
    backend: &ServeBackend,
    request: DescribeStateMachineInput,
) -> ApiResult<DescribeStateMachineOutput> {
    let Resolved { machine, version } = resolve(backend, &request.state_machine_arn)?;
    let status = Some(match machine.status {
        MachineStatus::Active => StateMachineStatus::Active,
        MachineStatus::Deleting => StateMachineStatus::Deleting,
    });
    let mut output = DescribeStateMachineOutput {
        state_machine_arn: machine.arn.clone(),
        name: machine.name.clone(),
        status,
        definition: machine.definition.clone(),
        role_arn: machine.role_arn.clone(),
        state_machine_type: api_type(machine.kind),
        creation_date: timestamp(machine.created_ms),
        logging_configuration: Some(logging(&machine)),
        tracing_configuration: Some(tracing(&machine)),
        label: None,
        revision_id: Some(machine.revision_id.clone()),
        description: machine.description.clone(),
        encryption_configuration: None,
        variable_references: None,
    };
    if let Some(version) = version {
        output.state_machine_arn = version.arn;
        output.definition = version.definition;
        output.role_arn = version.role_arn;
        output.creation_date = timestamp(version.created_ms);
        output.revision_id = Some(version.revision_id);
        output.description = version.description;
    }
    Ok(output)
}

/// UpdateStateMachine: running executions keep the definition they started
/// with (the driver keeps it in each execution's snapshot).
pub async fn update(
    backend: &ServeBackend,
    request: UpdateStateMachineInput,
) -> ApiResult<UpdateStateMachineOutput> {
    unqualified(&request.state_machine_arn, "UpdateStateMachine")?;
    let Resolved { mut machine, .. } = resolve(backend, &request.state_machine_arn)?;
    if let Some(definition) = &request.definition {
        check_definition(definition, machine.kind)?;
    }
    if machine.status == MachineStatus::Deleting {
        return Err(ApiError::new(
            ErrorCode::StateMachineDeleting,
            format!("State machine is being deleted: '{}'", machine.arn),
        ));
    }
    if let Some(definition) = request.definition {
        machine.definition = definition;
    }
    if let Some(role_arn) = request.role_arn {
        machine.role_arn = role_arn;
    }
    if request.logging_configuration.is_some() {
        machine.logging_configuration = to_value(&request.logging_configuration);
    }
    if request.tracing_configuration.is_some() {
        machine.tracing_configuration = to_value(&request.tracing_configuration);
    }
    let now = now_ms();
    machine.updated_ms = now;
    machine.revision_id = random_uuid();
    let arn = machine.arn.clone();
    let revision_id = machine.revision_id.clone();
    let ticket = backend
        .store()
        .update_state_machine(machine)
        .map_err(|e| match e {
            StoreError::NotFound(_) => no_state_machine(&arn),
            e => store_error(e),
        })?;
    durable(ticket).await?;
    let state_machine_version_arn = match request.publish {
        Some(true) => Some(publish(backend, &arn, request.version_description).await?),
        _ => None,
    };
    Ok(UpdateStateMachineOutput {
        update_date: timestamp(now),
        revision_id: Some(revision_id),
        state_machine_version_arn,
    })
}

/// DeleteStateMachine: succeeds for a machine that does not exist, as on AWS.
/// The machine goes at once; its running executions run to their end (each
/// keeps its definition).
pub async fn delete(
    backend: &ServeBackend,
    request: DeleteStateMachineInput,
) -> ApiResult<DeleteStateMachineOutput> {
    let arn = &request.state_machine_arn;
    unqualified(arn, "DeleteStateMachine")?;
    if !backend.arns.owns(arn) {
        return Ok(DeleteStateMachineOutput {});
    }
    let key = backend.arns.state_machine(arn.name());
    match backend.store().delete_state_machine(&key) {
        Ok(ticket) => durable(ticket).await?,
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(store_error(e)),
    }
    Ok(DeleteStateMachineOutput {})
}

/// ListStateMachines, by ARN.
pub fn list(
    backend: &ServeBackend,
    request: ListStateMachinesInput,
) -> ApiResult<ListStateMachinesOutput> {
    let found = backend
        .store()
        .list_state_machines(&page(request.max_results, request.next_token))
        .map_err(list_error)?;
    Ok(ListStateMachinesOutput {
        state_machines: found
            .items
            .into_iter()
            .map(|m| StateMachineListItem {
                state_machine_arn: m.arn,
                name: m.name,
                state_machine_type: api_type(m.kind),
                creation_date: timestamp(m.created_ms),
            })
            .collect(),
        next_token: found.next_token,
    })
}

/// ValidateStateMachineDefinition: OK or FAIL with the diagnostics at or
/// above the requested severity. What Stepwise cannot run (a Map's
/// ItemReader or ResultWriter) and, for `type: EXPRESS`, a Task an Express
/// machine cannot run are ERRORs too, as CreateStateMachine refuses them.
pub fn validate(
    request: ValidateStateMachineDefinitionInput,
) -> ValidateStateMachineDefinitionOutput {
    let mut diagnostics = validate_json(&request.definition);
    let kind = store_type(request.state_machine_type);
    diagnostics.extend(
        cannot_run(&request.definition, kind).map(|found| Diagnostic {
            severity: Severity::Error,
            code: CANNOT_RUN_CODE.into(),
            message: found.message,
            location: found.location,
        }),
    );
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let with_warnings = request.severity == Some(ValidateStateMachineDefinitionSeverity::Warning);
    let limit = match request.max_results {
        None | Some(0) => DEFAULT_MAX_DIAGNOSTICS,
        Some(n) => n as usize,
    };
    let wanted: Vec<_> = diagnostics
        .into_iter()
        .filter(|d| with_warnings || d.is_error())
        .collect();
    let truncated = wanted.len() > limit;
    ValidateStateMachineDefinitionOutput {
        result: if failed {
            ValidateStateMachineDefinitionResultCode::Fail
        } else {
            ValidateStateMachineDefinitionResultCode::Ok
        },
        diagnostics: wanted
            .into_iter()
            .take(limit)
            .map(|d| ValidateStateMachineDefinitionDiagnostic {
                severity: match d.severity {
                    Severity::Error => ValidateStateMachineDefinitionSeverity::Error,
                    Severity::Warning => ValidateStateMachineDefinitionSeverity::Warning,
                },
                code: d.code,
                message: d.message,
                location: (!d.location.is_empty()).then_some(d.location),
            })
            .collect(),
        truncated: Some(truncated),
    }
}

/// DescribeStateMachineForExecution: the definition the execution runs, which
/// may be older than the machine's current one.
pub fn describe_for_execution(
    backend: &ServeBackend,
    request: DescribeStateMachineForExecutionInput,
) -> ApiResult<DescribeStateMachineForExecutionOutput> {
    let execution = stored_execution(backend, &request.execution_arn)?;
    let machine_arn = backend
        .arns
        .state_machine(request.execution_arn.state_machine_name());
    let machine = backend
        .store()
        .get_state_machine(&machine_arn)
        .map_err(store_error)?;
    let definition = backend.driver.definition_of(&execution.arn).ok();
    let (definition, update_date, revision_id) = match (&machine, definition) {
        (Some(m), d) if d.as_ref().is_none_or(|d| *d == m.definition) => (
            m.definition.clone(),
            m.updated_ms,
            Some(m.revision_id.clone()),
        ),
        (_, Some(definition)) => (definition, execution.start_ms, None),
        (_, None) => {
            return Err(ApiError::new(
                ErrorCode::InternalFailure,
                format!(
                    "The definition of execution '{}' cannot be read",
                    execution.arn
                ),
            ))
        }
    };
    Ok(DescribeStateMachineForExecutionOutput {
        state_machine_arn: started_with(&execution.state_machine_arn).state_machine_arn,
        name: request.execution_arn.state_machine_name().to_owned(),
        definition,
        role_arn: machine
            .as_ref()
            .map(|m| m.role_arn.clone())
            .unwrap_or_default(),
        update_date: timestamp(update_date),
        logging_configuration: machine.as_ref().map(logging),
        tracing_configuration: machine.as_ref().map(tracing),
        map_run_arn: None,
        label: None,
        revision_id,
        encryption_configuration: None,
        variable_references: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate_as(
        definition: &str,
        kind: Option<StateMachineType>,
    ) -> ValidateStateMachineDefinitionOutput {
        validate(ValidateStateMachineDefinitionInput {
            definition: definition.to_string(),
            state_machine_type: kind,
            severity: None,
            max_results: None,
        })
    }

    #[test]
    fn express_validation_reports_what_create_refuses() {
        let token = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}"#;
        for kind in [None, Some(StateMachineType::Standard)] {
            let output = validate_as(token, kind);
            assert_eq!(output.result, ValidateStateMachineDefinitionResultCode::Ok);
            assert!(output.diagnostics.is_empty());
        }
        let output = validate_as(token, Some(StateMachineType::Express));
        assert_eq!(
            output.result,
            ValidateStateMachineDefinitionResultCode::Fail
        );
        let [diagnostic] = output.diagnostics.as_slice() else {
            panic!("one diagnostic: {:?}", output.diagnostics);
        };
        assert_eq!(
            diagnostic.severity,
            ValidateStateMachineDefinitionSeverity::Error
        );
        assert_eq!(diagnostic.code, "SCHEMA_VALIDATION_FAILED");
        assert!(
            diagnostic.message.contains(".waitForTaskToken"),
            "{diagnostic:?}"
        );
        assert_eq!(diagnostic.location.as_deref(), Some("/States/A/Resource"));
        let err = check_definition(token, MachineType::Express).unwrap_err();
        assert!(err.message.contains(&diagnostic.message), "{}", err.message);
        assert!(
            err.message.contains("'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken'"),
            "{}",
            err.message
        );
        assert!(
            err.message.ends_with("at /States/A/Resource'"),
            "{}",
            err.message
        );
        let activity = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:w","End":true}}}"#;
        let output = validate_as(activity, Some(StateMachineType::Express));
        assert_eq!(
            output.result,
            ValidateStateMachineDefinitionResultCode::Fail
        );
        let fine = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#;
        let output = validate_as(fine, Some(StateMachineType::Express));
        assert_eq!(output.result, ValidateStateMachineDefinitionResultCode::Ok);
    }

    #[test]
    fn a_map_reading_items_elsewhere_is_refused_and_reported() {
        let reader = r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}},
            "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}"#;
        let output = validate_as(reader, None);
        assert_eq!(
            output.result,
            ValidateStateMachineDefinitionResultCode::Fail
        );
        let [diagnostic] = output.diagnostics.as_slice() else {
            panic!("one diagnostic: {:?}", output.diagnostics);
        };
        assert_eq!(diagnostic.location.as_deref(), Some("/States/M/ItemReader"));
        for kind in [MachineType::Standard, MachineType::Express] {
            let err = check_definition(reader, kind).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidDefinition);
            assert!(
                err.message.contains("/States/M/ItemReader"),
                "{}",
                err.message
            );
        }
    }
}
