//! [`Backend`]: what the server calls once a request is read and checked.
//!
//! The api crate knows nothing of the engine or the store: the `stepwise serve`
//! command implements this trait with the real driver. Every method gets a
//! request that already passed the model's checks (required members, lengths,
//! enums, names, ARN syntax, JSON payloads); what is left is what needs state:
//! existence, conflicts, ASL validity, tokens.

use crate::error::ApiResult;
use crate::model::*;
use hyper::body::Bytes;
use std::future::Future;

/// The operations behind the HTTP routes. The server holds it in an `Arc` and
/// calls it from one task per connection, so it is `Send + Sync` and every
/// future it returns is `Send`. Implementations may write `async fn`.
pub trait Backend: Send + Sync + 'static {
    /// CreateStateMachine.
    fn create_state_machine(
        &self,
        request: CreateStateMachineInput,
    ) -> impl Future<Output = ApiResult<CreateStateMachineOutput>> + Send;

    /// DescribeStateMachine.
    fn describe_state_machine(
        &self,
        request: DescribeStateMachineInput,
    ) -> impl Future<Output = ApiResult<DescribeStateMachineOutput>> + Send;

    /// UpdateStateMachine.
    fn update_state_machine(
        &self,
        request: UpdateStateMachineInput,
    ) -> impl Future<Output = ApiResult<UpdateStateMachineOutput>> + Send;

    /// DeleteStateMachine.
    fn delete_state_machine(
        &self,
        request: DeleteStateMachineInput,
    ) -> impl Future<Output = ApiResult<DeleteStateMachineOutput>> + Send;

    /// ListStateMachines.
    fn list_state_machines(
        &self,
        request: ListStateMachinesInput,
    ) -> impl Future<Output = ApiResult<ListStateMachinesOutput>> + Send;

    /// ValidateStateMachineDefinition.
    fn validate_state_machine_definition(
        &self,
        request: ValidateStateMachineDefinitionInput,
    ) -> impl Future<Output = ApiResult<ValidateStateMachineDefinitionOutput>> + Send;

    /// StartExecution.
    fn start_execution(
        &self,
        request: StartExecutionInput,
    ) -> impl Future<Output = ApiResult<StartExecutionOutput>> + Send;

    /// StartSyncExecution: resolves when the execution ends.
    fn start_sync_execution(
        &self,
        request: StartSyncExecutionInput,
    ) -> impl Future<Output = ApiResult<StartSyncExecutionOutput>> + Send;

    /// DescribeExecution.
    fn describe_execution(
        &self,
        request: DescribeExecutionInput,
    ) -> impl Future<Output = ApiResult<DescribeExecutionOutput>> + Send;

    /// ListExecutions.
    fn list_executions(
        &self,
        request: ListExecutionsInput,
    ) -> impl Future<Output = ApiResult<ListExecutionsOutput>> + Send;

    /// StopExecution.
    fn stop_execution(
        &self,
        request: StopExecutionInput,
    ) -> impl Future<Output = ApiResult<StopExecutionOutput>> + Send;

    /// GetExecutionHistory.
    fn get_execution_history(
        &self,
        request: GetExecutionHistoryInput,
    ) -> impl Future<Output = ApiResult<GetExecutionHistoryOutput>> + Send;

    /// DescribeStateMachineForExecution.
    fn describe_state_machine_for_execution(
        &self,
        request: DescribeStateMachineForExecutionInput,
    ) -> impl Future<Output = ApiResult<DescribeStateMachineForExecutionOutput>> + Send;

    /// SendTaskSuccess.
    fn send_task_success(
        &self,
        request: SendTaskSuccessInput,
    ) -> impl Future<Output = ApiResult<SendTaskSuccessOutput>> + Send;

    /// SendTaskFailure.
    fn send_task_failure(
        &self,
        request: SendTaskFailureInput,
    ) -> impl Future<Output = ApiResult<SendTaskFailureOutput>> + Send;

    /// SendTaskHeartbeat.
    fn send_task_heartbeat(
        &self,
        request: SendTaskHeartbeatInput,
    ) -> impl Future<Output = ApiResult<SendTaskHeartbeatOutput>> + Send;

    /// CreateActivity.
    fn create_activity(
        &self,
        request: CreateActivityInput,
    ) -> impl Future<Output = ApiResult<CreateActivityOutput>> + Send;

    /// DescribeActivity.
    fn describe_activity(
        &self,
        request: DescribeActivityInput,
    ) -> impl Future<Output = ApiResult<DescribeActivityOutput>> + Send;

    /// ListActivities.
    fn list_activities(
        &self,
        request: ListActivitiesInput,
    ) -> impl Future<Output = ApiResult<ListActivitiesOutput>> + Send;

    /// DeleteActivity.
    fn delete_activity(
        &self,
        request: DeleteActivityInput,
    ) -> impl Future<Output = ApiResult<DeleteActivityOutput>> + Send;

    /// GetActivityTask: a long poll; resolves with a task or, after a while
    /// (AWS: 60 seconds), with an empty output.
    fn get_activity_task(
        &self,
        request: GetActivityTaskInput,
    ) -> impl Future<Output = ApiResult<GetActivityTaskOutput>> + Send;

    /// TagResource.
    fn tag_resource(
        &self,
        request: TagResourceInput,
    ) -> impl Future<Output = ApiResult<TagResourceOutput>> + Send;

    /// UntagResource.
    fn untag_resource(
        &self,
        request: UntagResourceInput,
    ) -> impl Future<Output = ApiResult<UntagResourceOutput>> + Send;

    /// ListTagsForResource.
    fn list_tags_for_resource(
        &self,
        request: ListTagsForResourceInput,
    ) -> impl Future<Output = ApiResult<ListTagsForResourceOutput>> + Send;

    /// `PUT /modules/<name>`: store `component` (raw bytes, at most the
    /// configured module limit) as the next version of module `name` (a valid
    /// name). An invalid component is [`crate::ErrorCode::InvalidModule`].
    fn put_module(
        &self,
        name: &str,
        component: Bytes,
    ) -> impl Future<Output = ApiResult<ModuleVersion>> + Send;

    /// `GET /modules`.
    fn list_modules(&self) -> impl Future<Output = ApiResult<ListModulesOutput>> + Send;

    /// `GET /modules/<name>`; [`crate::ErrorCode::ModuleDoesNotExist`] when absent.
    fn describe_module(
        &self,
        name: &str,
    ) -> impl Future<Output = ApiResult<DescribeModuleOutput>> + Send;

    /// `DELETE /modules/<name>`: every version; [`crate::ErrorCode::ModuleDoesNotExist`]
    /// when absent.
    fn delete_module(&self, name: &str) -> impl Future<Output = ApiResult<()>> + Send;

    /// `POST /invoke/<name>`: run the state machine `name` (a valid name) to its
    /// end with `input` (valid JSON of at most 256 KiB; `{}` for an empty body).
    /// `Err` is for when no execution ran (e.g. `StateMachineDoesNotExist`).
    fn invoke(
        &self,
        state_machine_name: &str,
        input: JsonText,
    ) -> impl Future<Output = ApiResult<Invocation>> + Send;

    /// `GET /metrics`: the Prometheus text exposition (see [`crate::Metrics`]).
    fn metrics(&self) -> String;
}
