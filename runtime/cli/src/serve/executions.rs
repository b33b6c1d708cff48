//! StartExecution, StartSyncExecution, DescribeExecution, ListExecutions and
//! StopExecution.

use super::backend::ServeBackend;
use super::errors::{driver_error, no_execution, no_state_machine, store_error};
use super::machines::{resolve, Resolved};
use super::util::{list_error, now_ms, page, random_uuid, timestamp};
use api::arn::{ExecutionArn, StateMachineArn};
use api::model::*;
use api::{ApiError, ApiResult, ErrorCode};
use driver::{ExpressOutcome, StartRequest};
use store::{ExecutionQuery, ExecutionRecord, MachineStatus, MachineType};

/// What AWS bills an Express execution's memory at, in MB (the minimum).
const BILLED_MEMORY_MB: u64 = 64;

/// The stored (Standard) execution `arn` names; `ExecutionDoesNotExist` for
/// an unknown one and for an Express execution (nothing of those is kept).
pub fn stored_execution(backend: &ServeBackend, arn: &ExecutionArn) -> ApiResult<ExecutionRecord> {
    if arn.express_id().is_some() || !backend.arns.owns(arn) {
        return Err(no_execution(arn.as_str()));
    }
    backend
        .store()
        .get_execution(arn.as_str())
        .map_err(store_error)?
        .ok_or_else(|| no_execution(arn.as_str()))
}

/// The machine to start, refusing one being deleted.
fn startable(backend: &ServeBackend, arn: &StateMachineArn) -> ApiResult<Resolved> {
    let resolved = resolve(backend, arn)?;
    if resolved.machine.status == MachineStatus::Deleting {
        return Err(ApiError::new(
            ErrorCode::StateMachineDeleting,
            format!("State machine is being deleted: '{arn}'"),
        ));
    }
    Ok(resolved)
}

/// The driver's request for an execution `name` of `resolved` with `input`.
pub fn start_request(
    resolved: &Resolved,
    started_with: &str,
    name: String,
    input: JsonText,
    trace_header: Option<String>,
) -> StartRequest {
    let (input_text, input) = input.into_parts();
    StartRequest {
        state_machine_arn: started_with.to_owned(),
        state_machine_name: resolved.machine.name.clone(),
        definition: resolved.definition().to_owned(),
        role_arn: resolved.role_arn().to_owned(),
        name,
        input_text,
        input,
        trace_header,
    }
}

/// StartExecution: a Standard execution through the driver (durable before
/// the reply), or an asynchronous Express one.
pub async fn start(
    backend: &ServeBackend,
    request: StartExecutionInput,
) -> ApiResult<StartExecutionOutput> {
    let resolved = startable(backend, &request.state_machine_arn)?;
    let name = request.name.unwrap_or_else(random_uuid);
    let started_with = request.state_machine_arn.as_str().to_owned();
    let start = start_request(
        &resolved,
        &started_with,
        name.clone(),
        request.input.unwrap_or_default(),
        request.trace_header,
    );
    match resolved.machine.kind {
        MachineType::Standard => {
            let record = backend.driver.start(start).await.map_err(driver_error)?;
            Ok(StartExecutionOutput {
                execution_arn: record.arn,
                start_date: timestamp(record.start_ms),
            })
        }
        MachineType::Express => {
            let arn = backend
                .driver
                .express_arn(&resolved.machine.name, &name, &random_uuid());
            let start_date = timestamp(now_ms());
            backend
                .driver
                .start_express(start, arn.clone())
                .await
                .map_err(driver_error)?;
            Ok(StartExecutionOutput {
                execution_arn: arn,
                start_date,
            })
        }
    }
}

/// StartSyncExecution: an Express machine's execution, run to its end.
pub async fn start_sync(
    backend: &ServeBackend,
    request: StartSyncExecutionInput,
) -> ApiResult<StartSyncExecutionOutput> {
    let resolved = startable(backend, &request.state_machine_arn)?;
    if resolved.machine.kind != MachineType::Express {
        return Err(ApiError::new(
            ErrorCode::StateMachineTypeNotSupported,
            "This operation is not supported by this type of state machine: \
             StartSyncExecution runs EXPRESS state machines only",
        ));
    }
    let name = request.name.unwrap_or_else(random_uuid);
    let arn = backend
        .driver
        .express_arn(&resolved.machine.name, &name, &random_uuid());
    let input = request.input.unwrap_or_default();
    let input_text = input.text().to_owned();
    let start = start_request(
        &resolved,
        request.state_machine_arn.as_str(),
        name.clone(),
        input,
        request.trace_header.clone(),
    );
    let outcome = backend
        .driver
        .run_express(start, arn.clone())
        .await
        .map_err(driver_error)?;
    let with_data = request.included_data != Some(IncludedData::MetadataOnly);
    Ok(sync_output(
        arn,
        request.state_machine_arn.as_str().to_owned(),
        name,
        outcome,
        with_data.then_some(input_text),
        request.trace_header,
    ))
}

/// StartSyncExecution's reply for an ended Express execution.
fn sync_output(
    execution_arn: String,
    state_machine_arn: String,
    name: String,
    outcome: ExpressOutcome,
    input: Option<String>,
    trace_header: Option<String>,
) -> StartSyncExecutionOutput {
    let status = match outcome.status {
        engine::Status::Succeeded => SyncExecutionStatus::Succeeded,
        engine::Status::TimedOut => SyncExecutionStatus::TimedOut,
        _ => SyncExecutionStatus::Failed,
    };
    let start = outcome.start.timestamp_millis();
    let stop = outcome.stop.timestamp_millis().max(start);
    let billed = u64::try_from(stop - start)
        .unwrap_or(0)
        .div_ceil(100)
        .max(1)
        * 100;
    let included = Some(ExecutionDataDetails {
        included: Some(true),
    });
    let output = match status {
        SyncExecutionStatus::Succeeded => input.as_ref().and(outcome.output),
        _ => None,
    };
    StartSyncExecutionOutput {
        execution_arn,
        state_machine_arn: Some(state_machine_arn),
        name: Some(name),
        start_date: timestamp(start),
        stop_date: timestamp(stop),
        status,
        error: outcome.error,
        cause: outcome.cause,
        input_details: input.as_ref().and(included.clone()),
        output_details: output.as_ref().and(included),
        input,
        output,
        trace_header,
        billing_details: Some(BillingDetails {
            billed_memory_used_in_mb: Some(BILLED_MEMORY_MB),
            billed_duration_in_milliseconds: Some(billed),
        }),
    }
}

/// The API's name for a store status.
pub fn api_status(status: store::ExecutionStatus) -> ExecutionStatus {
    match status {
        store::ExecutionStatus::Running => ExecutionStatus::Running,
        store::ExecutionStatus::Succeeded => ExecutionStatus::Succeeded,
        store::ExecutionStatus::Failed => ExecutionStatus::Failed,
        store::ExecutionStatus::TimedOut => ExecutionStatus::TimedOut,
        store::ExecutionStatus::Aborted => ExecutionStatus::Aborted,
        store::ExecutionStatus::PendingRedrive => ExecutionStatus::PendingRedrive,
    }
}

/// The ARN an execution was started with, as AWS reports it: the machine's
/// ARN, and the version's or alias's ARN when it was started through one.
pub struct StartedWith {
    /// The state machine (unqualified).
    pub state_machine_arn: String,
    /// The version, if started through one.
    pub version_arn: Option<String>,
    /// The alias, if started through one.
    pub alias_arn: Option<String>,
}

/// Splits the ARN an execution was started with (see [`StartedWith`]).
pub fn started_with(arn: &str) -> StartedWith {
    let plain = |arn: &str| StartedWith {
        state_machine_arn: arn.to_owned(),
        version_arn: None,
        alias_arn: None,
    };
    let Ok(parsed) = arn.parse::<StateMachineArn>() else {
        return plain(arn);
    };
    let Some(qualifier) = parsed.qualifier() else {
        return plain(arn);
    };
    let machine = arn
        .strip_suffix(qualifier)
        .and_then(|a| a.strip_suffix(':'))
        .unwrap_or(arn);
    let numbered = qualifier.parse::<u64>().is_ok();
    StartedWith {
        state_machine_arn: machine.to_owned(),
        version_arn: numbered.then(|| arn.to_owned()),
        alias_arn: (!numbered).then(|| arn.to_owned()),
    }
}

/// DescribeExecution, from the stored record.
pub fn describe(
    backend: &ServeBackend,
    request: DescribeExecutionInput,
) -> ApiResult<DescribeExecutionOutput> {
    let record = stored_execution(backend, &request.execution_arn)?;
    let with_data = request.included_data != Some(IncludedData::MetadataOnly);
    let status = api_status(record.status);
    let included = || {
        Some(ExecutionDataDetails {
            included: Some(true),
        })
    };
    let output = match status {
        ExecutionStatus::Succeeded if with_data => record.output,
        _ => None,
    };
    let with = started_with(&record.state_machine_arn);
    let redrive_reason = format!("Execution is {} and cannot be redriven", status.as_str());
    Ok(DescribeExecutionOutput {
        execution_arn: record.arn,
        state_machine_arn: with.state_machine_arn,
        name: Some(record.name),
        status,
        start_date: timestamp(record.start_ms),
        stop_date: record.stop_ms.map(timestamp),
        input_details: with_data.then(included).flatten(),
        input: with_data.then_some(record.input),
        output_details: output.as_ref().and_then(|_| included()),
        output,
        trace_header: record.trace_header,
        map_run_arn: None,
        error: record.error,
        cause: record.cause,
        state_machine_version_arn: with.version_arn,
        state_machine_alias_arn: with.alias_arn,
        redrive_count: Some(record.redrive_count),
        redrive_date: None,
        redrive_status: Some(ExecutionRedriveStatus::NotRedrivable),
        redrive_status_reason: Some(redrive_reason),
    })
}

/// ListExecutions of a state machine, newest first.
pub fn list(
    backend: &ServeBackend,
    request: ListExecutionsInput,
) -> ApiResult<ListExecutionsOutput> {
    let Some(machine_arn) = &request.state_machine_arn else {
        return Err(ApiError::new(
            ErrorCode::ResourceNotFound,
            "Resource not found: Stepwise has no Map Runs (Distributed Map runs inline)",
        ));
    };
    let resolved = resolve(backend, machine_arn)?;
    if resolved.machine.kind == MachineType::Express {
        return Err(ApiError::new(
            ErrorCode::StateMachineTypeNotSupported,
            "This operation is not supported by this type of state machine: EXPRESS \
             executions are not kept",
        ));
    }
    if request.redrive_filter == Some(ExecutionRedriveFilter::Redriven) {
        // Stepwise does not redrive executions: none has been redriven.
        return Ok(ListExecutionsOutput {
            executions: Vec::new(),
            next_token: None,
        });
    }
    // A machine's own ARN lists the executions of all its versions and
    // aliases too; a version's or alias's ARN only those started with it.
    let query = ExecutionQuery {
        state_machine_arn: machine_arn.as_str().to_owned(),
        status: request
            .status_filter
            .and_then(|s| store::ExecutionStatus::parse(s.as_str())),
        page: page(request.max_results, request.next_token),
    };
    let found = backend
        .store()
        .list_executions(&query)
        .map_err(list_error)?;
    Ok(ListExecutionsOutput {
        executions: found
            .items
            .into_iter()
            .map(|r| {
                let with = started_with(&r.state_machine_arn);
                ExecutionListItem {
                    execution_arn: r.arn,
                    state_machine_arn: with.state_machine_arn,
                    name: r.name,
                    status: api_status(r.status),
                    start_date: timestamp(r.start_ms),
                    stop_date: r.stop_ms.map(timestamp),
                    map_run_arn: None,
                    item_count: None,
                    state_machine_version_arn: with.version_arn,
                    state_machine_alias_arn: with.alias_arn,
                    redrive_count: None,
                    redrive_date: None,
                }
            })
            .collect(),
        next_token: found.next_token,
    })
}

/// StopExecution: aborts a running Standard execution (durable before the
/// reply); a finished one is left as it is.
pub async fn stop(
    backend: &ServeBackend,
    request: StopExecutionInput,
) -> ApiResult<StopExecutionOutput> {
    let arn = &request.execution_arn;
    if arn.express_id().is_some() {
        return Err(ApiError::new(
            ErrorCode::ValidationException,
            "StopExecution is not supported by EXPRESS executions",
        ));
    }
    // Fails with ExecutionDoesNotExist for an unknown one.
    stored_execution(backend, arn)?;
    let record = backend
        .driver
        .stop(arn.as_str(), request.error, request.cause)
        .await
        .map_err(driver_error)?;
    Ok(StopExecutionOutput {
        stop_date: timestamp(record.stop_ms.unwrap_or_else(now_ms)),
    })
}

/// `StateMachineDoesNotExist` for a machine given by name (sync invoke).
pub fn machine_by_name(backend: &ServeBackend, name: &str) -> ApiResult<Resolved> {
    let arn = backend.arns.state_machine(name);
    let parsed: StateMachineArn = arn.parse().map_err(|_| no_state_machine(&arn))?;
    startable(backend, &parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn started_with_splits_versions_and_aliases() {
        let machine = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
        let plain = started_with(machine);
        assert_eq!(plain.state_machine_arn, machine);
        assert_eq!((plain.version_arn, plain.alias_arn), (None, None));
        let version = started_with(&format!("{machine}:3"));
        assert_eq!(version.state_machine_arn, machine);
        assert_eq!(version.version_arn, Some(format!("{machine}:3")));
        let alias = started_with(&format!("{machine}:PROD"));
        assert_eq!(alias.state_machine_arn, machine);
        assert_eq!(alias.alias_arn, Some(format!("{machine}:PROD")));
        assert_eq!(started_with("junk").state_machine_arn, "junk");
    }
}
