//! Task tokens (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) and
//! activities (Create/Describe/List/Delete, GetActivityTask).

use super::backend::ServeBackend;
use super::errors::{driver_error, no_activity, store_error};
use super::machines::tag_map;
use super::util::{durable, list_error, now_ms, page, timestamp};
use api::arn::ActivityArn;
use api::model::*;
use api::ApiResult;
use store::{ActivityRecord, StoreError};

/// SendTaskSuccess: durable before the reply.
pub async fn success(
    backend: &ServeBackend,
    request: SendTaskSuccessInput,
) -> ApiResult<SendTaskSuccessOutput> {
    let (_, output) = request.output.into_parts();
    backend
        .driver
        .send_task_success(&request.task_token, output)
        .await
        .map_err(driver_error)?;
    Ok(SendTaskSuccessOutput {})
}

/// SendTaskFailure: the error and cause default to empty, as on AWS.
pub async fn failure(
    backend: &ServeBackend,
    request: SendTaskFailureInput,
) -> ApiResult<SendTaskFailureOutput> {
    backend
        .driver
        .send_task_failure(
            &request.task_token,
            request.error.unwrap_or_default(),
            request.cause.unwrap_or_default(),
        )
        .await
        .map_err(driver_error)?;
    Ok(SendTaskFailureOutput {})
}

/// SendTaskHeartbeat.
pub async fn heartbeat(
    backend: &ServeBackend,
    request: SendTaskHeartbeatInput,
) -> ApiResult<SendTaskHeartbeatOutput> {
    backend
        .driver
        .send_task_heartbeat(&request.task_token)
        .await
        .map_err(driver_error)?;
    Ok(SendTaskHeartbeatOutput {})
}

/// The stored activity `arn` names.
pub fn activity(backend: &ServeBackend, arn: &ActivityArn) -> ApiResult<ActivityRecord> {
    if !backend.arns.owns(arn) {
        return Err(no_activity(arn.as_str()));
    }
    backend
        .store()
        .get_activity(arn.as_str())
        .map_err(store_error)?
        .ok_or_else(|| no_activity(arn.as_str()))
}

/// CreateActivity: idempotent by name (tags of a repeated call are ignored,
/// as on AWS).
pub async fn create_activity(
    backend: &ServeBackend,
    request: CreateActivityInput,
) -> ApiResult<CreateActivityOutput> {
    let arn = backend.arns.activity(&request.name);
    let tags = tag_map(&arn, request.tags.as_deref().unwrap_or_default())?;
    let store = backend.store();
    if let Some(existing) = store.get_activity(&arn).map_err(store_error)? {
        return Ok(CreateActivityOutput {
            activity_arn: existing.arn,
            creation_date: timestamp(existing.created_ms),
        });
    }
    let record = ActivityRecord {
        arn: arn.clone(),
        name: request.name,
        created_ms: now_ms(),
        tags,
    };
    let created_ms = record.created_ms;
    match store.create_activity(record) {
        Ok(ticket) => durable(ticket).await?,
        Err(StoreError::AlreadyExists(_)) => {
            let existing = store
                .get_activity(&arn)
                .map_err(store_error)?
                .ok_or_else(|| no_activity(&arn))?;
            return Ok(CreateActivityOutput {
                activity_arn: existing.arn,
                creation_date: timestamp(existing.created_ms),
            });
        }
        Err(e) => return Err(store_error(e)),
    }
    Ok(CreateActivityOutput {
        activity_arn: arn,
        creation_date: timestamp(created_ms),
    })
}

/// DescribeActivity.
pub fn describe_activity(
    backend: &ServeBackend,
    request: DescribeActivityInput,
) -> ApiResult<DescribeActivityOutput> {
    let record = activity(backend, &request.activity_arn)?;
    Ok(DescribeActivityOutput {
        activity_arn: record.arn,
        name: record.name,
        creation_date: timestamp(record.created_ms),
        encryption_configuration: None,
    })
}

/// ListActivities, by ARN.
pub fn list_activities(
    backend: &ServeBackend,
    request: ListActivitiesInput,
) -> ApiResult<ListActivitiesOutput> {
    let found = backend
        .store()
        .list_activities(&page(request.max_results, request.next_token))
        .map_err(list_error)?;
    Ok(ListActivitiesOutput {
        activities: found
            .items
            .into_iter()
            .map(|a| ActivityListItem {
                activity_arn: a.arn,
                name: a.name,
                creation_date: timestamp(a.created_ms),
            })
            .collect(),
        next_token: found.next_token,
    })
}

/// DeleteActivity: succeeds for an activity that does not exist, as on AWS.
pub async fn delete_activity(
    backend: &ServeBackend,
    request: DeleteActivityInput,
) -> ApiResult<DeleteActivityOutput> {
    let arn = request.activity_arn.as_str();
    match backend.store().delete_activity(arn) {
        Ok(ticket) => durable(ticket).await?,
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(store_error(e)),
    }
    Ok(DeleteActivityOutput {})
}

/// GetActivityTask: waits up to the driver's poll time (60 s) for a task;
/// `{}` when none came.
pub async fn get_activity_task(
    backend: &ServeBackend,
    request: GetActivityTaskInput,
) -> ApiResult<GetActivityTaskOutput> {
    let record = activity(backend, &request.activity_arn)?;
    let task = backend
        .driver
        .get_activity_task(&record.arn, request.worker_name.as_deref())
        .await
        .map_err(driver_error)?;
    Ok(match task {
        Some(task) => GetActivityTaskOutput {
            task_token: Some(task.token),
            input: Some(task.input),
        },
        None => GetActivityTaskOutput::default(),
    })
}
