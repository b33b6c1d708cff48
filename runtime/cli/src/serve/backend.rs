//! [`ServeBackend`]: the [`api::Backend`] of `stepwise serve`. Each method hands
//! over to the module of its operation group.

use super::{executions, history, invoke, machines, metrics, modules, tags, tasks};
use api::model::*;
use api::{ApiResult, Arns, Bytes};
use driver::Driver;

/// The API backed by a driver (and through it the store and the WASM host).
pub struct ServeBackend {
    /// Runs executions; owns the store and the host.
    pub(super) driver: Driver,
    /// Builds this server's ARNs.
    pub(super) arns: Arns,
    /// The counters `/metrics` reports.
    pub(super) metrics: metrics::MetricsState,
}

impl ServeBackend {
    /// A backend on `driver`, naming resources with `arns`.
    pub fn new(driver: Driver, arns: Arns) -> Self {
        ServeBackend {
            driver,
            arns,
            metrics: metrics::MetricsState::default(),
        }
    }

    /// The store.
    pub(super) fn store(&self) -> &dyn store::Store {
        &**self.driver.store()
    }
}

impl api::Backend for ServeBackend {
    async fn create_state_machine(
        &self,
        request: CreateStateMachineInput,
    ) -> ApiResult<CreateStateMachineOutput> {
        machines::create(self, request).await
    }

    async fn describe_state_machine(
        &self,
        request: DescribeStateMachineInput,
    ) -> ApiResult<DescribeStateMachineOutput> {
        machines::describe(self, request)
    }

    async fn update_state_machine(
        &self,
        request: UpdateStateMachineInput,
    ) -> ApiResult<UpdateStateMachineOutput> {
        machines::update(self, request).await
    }

    async fn delete_state_machine(
        &self,
        request: DeleteStateMachineInput,
    ) -> ApiResult<DeleteStateMachineOutput> {
        machines::delete(self, request).await
    }

    async fn list_state_machines(
        &self,
        request: ListStateMachinesInput,
    ) -> ApiResult<ListStateMachinesOutput> {
        machines::list(self, request)
    }

    async fn validate_state_machine_definition(
        &self,
        request: ValidateStateMachineDefinitionInput,
    ) -> ApiResult<ValidateStateMachineDefinitionOutput> {
        Ok(machines::validate(request))
    }

    async fn start_execution(
        &self,
        request: StartExecutionInput,
    ) -> ApiResult<StartExecutionOutput> {
        executions::start(self, request).await
    }

    async fn start_sync_execution(
        &self,
        request: StartSyncExecutionInput,
    ) -> ApiResult<StartSyncExecutionOutput> {
        executions::start_sync(self, request).await
    }

    async fn describe_execution(
        &self,
        request: DescribeExecutionInput,
    ) -> ApiResult<DescribeExecutionOutput> {
        executions::describe(self, request)
    }

    async fn list_executions(
        &self,
        request: ListExecutionsInput,
    ) -> ApiResult<ListExecutionsOutput> {
        executions::list(self, request)
    }

    async fn stop_execution(&self, request: StopExecutionInput) -> ApiResult<StopExecutionOutput> {
        executions::stop(self, request).await
    }

    async fn get_execution_history(
        &self,
        request: GetExecutionHistoryInput,
    ) -> ApiResult<GetExecutionHistoryOutput> {
        history::get(self, request)
    }

    async fn describe_state_machine_for_execution(
        &self,
        request: DescribeStateMachineForExecutionInput,
    ) -> ApiResult<DescribeStateMachineForExecutionOutput> {
        machines::describe_for_execution(self, request)
    }

    async fn send_task_success(
        &self,
        request: SendTaskSuccessInput,
    ) -> ApiResult<SendTaskSuccessOutput> {
        tasks::success(self, request).await
    }

    async fn send_task_failure(
        &self,
        request: SendTaskFailureInput,
    ) -> ApiResult<SendTaskFailureOutput> {
        tasks::failure(self, request).await
    }

    async fn send_task_heartbeat(
        &self,
        request: SendTaskHeartbeatInput,
    ) -> ApiResult<SendTaskHeartbeatOutput> {
        tasks::heartbeat(self, request).await
    }

    async fn create_activity(
        &self,
        request: CreateActivityInput,
    ) -> ApiResult<CreateActivityOutput> {
        tasks::create_activity(self, request).await
    }

    async fn describe_activity(
        &self,
        request: DescribeActivityInput,
    ) -> ApiResult<DescribeActivityOutput> {
        tasks::describe_activity(self, request)
    }

    async fn list_activities(
        &self,
        request: ListActivitiesInput,
    ) -> ApiResult<ListActivitiesOutput> {
        tasks::list_activities(self, request)
    }

    async fn delete_activity(
        &self,
        request: DeleteActivityInput,
    ) -> ApiResult<DeleteActivityOutput> {
        tasks::delete_activity(self, request).await
    }

    async fn get_activity_task(
        &self,
        request: GetActivityTaskInput,
    ) -> ApiResult<GetActivityTaskOutput> {
        tasks::get_activity_task(self, request).await
    }

    async fn tag_resource(&self, request: TagResourceInput) -> ApiResult<TagResourceOutput> {
        tags::tag(self, request).await
    }

    async fn untag_resource(&self, request: UntagResourceInput) -> ApiResult<UntagResourceOutput> {
        tags::untag(self, request).await
    }

    async fn list_tags_for_resource(
        &self,
        request: ListTagsForResourceInput,
    ) -> ApiResult<ListTagsForResourceOutput> {
        tags::list(self, request)
    }

    async fn put_module(&self, name: &str, component: Bytes) -> ApiResult<ModuleVersion> {
        modules::put(self, name, component).await
    }

    async fn list_modules(&self) -> ApiResult<ListModulesOutput> {
        modules::list(self)
    }

    async fn describe_module(&self, name: &str) -> ApiResult<DescribeModuleOutput> {
        modules::describe(self, name)
    }

    async fn delete_module(&self, name: &str) -> ApiResult<()> {
        modules::delete(self, name).await
    }

    async fn invoke(&self, state_machine_name: &str, input: JsonText) -> ApiResult<Invocation> {
        invoke::invoke(self, state_machine_name, input).await
    }

    fn metrics(&self) -> String {
        metrics::render(self)
    }
}
