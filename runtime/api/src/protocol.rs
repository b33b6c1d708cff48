//! The AWS JSON 1.0 protocol on `POST /`: `X-Amz-Target` names the operation,
//! the body is its input; the reply is its output or an error in AWS's shape.

use crate::backend::Backend;
use crate::decode::{decode_request, Decode};
use crate::error::{excerpt, ApiError, ApiResult, ErrorCode};
use crate::operation::{Operation, TARGET_PREFIX};
use crate::reply::{self, Reply, AWS_JSON};
use hyper::header::HeaderValue;
use hyper::StatusCode;
use serde::Serialize;
use std::future::Future;

/// Reads the input, calls the backend, writes the output.
async fn call<I, O, F>(body: &[u8], method: impl FnOnce(I) -> F) -> Reply
where
    I: Decode,
    O: Serialize,
    F: Future<Output = ApiResult<O>>,
{
    let result = match decode_request(body) {
        Ok(input) => method(input).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(output) => reply::json(StatusCode::OK, AWS_JSON, &output),
        Err(err) => reply::aws_error(&err),
    }
}

/// The operation `X-Amz-Target` names.
fn operation(target: Option<&HeaderValue>) -> Result<Operation, ApiError> {
    let Some(target) = target else {
        return Err(ApiError::new(
            ErrorCode::UnknownOperationException,
            format!("Missing X-Amz-Target header: expected {TARGET_PREFIX}<Operation>"),
        ));
    };
    let target = String::from_utf8_lossy(target.as_bytes());
    Operation::from_target(&target).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownOperationException,
            format!("Unknown operation: '{}'", excerpt(&target)),
        )
    })
}

/// Handles one request of the AWS protocol.
pub(crate) async fn handle<B: Backend>(
    backend: &B,
    target: Option<&HeaderValue>,
    body: &[u8],
) -> Reply {
    let op = match operation(target) {
        Ok(op) => op,
        Err(err) => return reply::aws_error(&err),
    };
    match op {
        Operation::CreateStateMachine => call(body, |r| backend.create_state_machine(r)).await,
        Operation::DescribeStateMachine => call(body, |r| backend.describe_state_machine(r)).await,
        Operation::UpdateStateMachine => call(body, |r| backend.update_state_machine(r)).await,
        Operation::DeleteStateMachine => call(body, |r| backend.delete_state_machine(r)).await,
        Operation::ListStateMachines => call(body, |r| backend.list_state_machines(r)).await,
        Operation::ValidateStateMachineDefinition => {
            call(body, |r| backend.validate_state_machine_definition(r)).await
        }
        Operation::StartExecution => call(body, |r| backend.start_execution(r)).await,
        Operation::StartSyncExecution => call(body, |r| backend.start_sync_execution(r)).await,
        Operation::DescribeExecution => call(body, |r| backend.describe_execution(r)).await,
        Operation::ListExecutions => call(body, |r| backend.list_executions(r)).await,
        Operation::StopExecution => call(body, |r| backend.stop_execution(r)).await,
        Operation::GetExecutionHistory => call(body, |r| backend.get_execution_history(r)).await,
        Operation::DescribeStateMachineForExecution => {
            call(body, |r| backend.describe_state_machine_for_execution(r)).await
        }
        Operation::SendTaskSuccess => call(body, |r| backend.send_task_success(r)).await,
        Operation::SendTaskFailure => call(body, |r| backend.send_task_failure(r)).await,
        Operation::SendTaskHeartbeat => call(body, |r| backend.send_task_heartbeat(r)).await,
        Operation::CreateActivity => call(body, |r| backend.create_activity(r)).await,
        Operation::DescribeActivity => call(body, |r| backend.describe_activity(r)).await,
        Operation::ListActivities => call(body, |r| backend.list_activities(r)).await,
        Operation::DeleteActivity => call(body, |r| backend.delete_activity(r)).await,
        Operation::GetActivityTask => call(body, |r| backend.get_activity_task(r)).await,
        Operation::TagResource => call(body, |r| backend.tag_resource(r)).await,
        Operation::UntagResource => call(body, |r| backend.untag_resource(r)).await,
        Operation::ListTagsForResource => call(body, |r| backend.list_tags_for_resource(r)).await,
        Operation::CreateStateMachineAlias
        | Operation::DeleteStateMachineAlias
        | Operation::DeleteStateMachineVersion
        | Operation::DescribeMapRun
        | Operation::DescribeStateMachineAlias
        | Operation::ListMapRuns
        | Operation::ListStateMachineAliases
        | Operation::ListStateMachineVersions
        | Operation::PublishStateMachineVersion
        | Operation::RedriveExecution
        | Operation::TestState
        | Operation::UpdateMapRun
        | Operation::UpdateStateMachineAlias => reply::aws_error(&ApiError::new(
            ErrorCode::UnsupportedOperation,
            format!("Stepwise does not support {} yet", op.as_str()),
        )),
    }
}
