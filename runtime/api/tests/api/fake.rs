//! A fake [`Backend`]: state machines, executions, activities, tags and modules
//! in memory, with just enough behaviour for the clients to see every kind of
//! reply. An execution ends at once with its input as output, unless its input
//! asks to wait: `{"waitForToken": true}` waits for SendTaskSuccess with token
//! `token-<execution name>`, `{"activity": "<name>"}` also queues that task for
//! GetActivityTask. Sync invoke of `panic`, `timeout`, `task-error` and
//! `task-failed` panics or fails as named.

use api::model::*;
use api::{ApiError, ApiResult, Arns, Backend, Bytes, ErrorCode, Metrics, Outcome};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

#[derive(Default)]
pub struct Fake {
    arns: Arns,
    state: Mutex<State>,
    metrics: Metrics,
}

#[derive(Default)]
struct State {
    machines: BTreeMap<String, Machine>,
    executions: Vec<Execution>,
    activities: BTreeMap<String, (String, Timestamp)>,
    tags: BTreeMap<String, Vec<Tag>>,
    modules: BTreeMap<String, Vec<ModuleVersion>>,
    activity_tasks: VecDeque<(String, String, String)>,
    counter: u64,
}

struct Machine {
    arn: String,
    definition: String,
    role_arn: String,
    kind: StateMachineType,
    created: Timestamp,
}

struct Execution {
    arn: String,
    machine: String,
    name: String,
    input: String,
    output: Option<String>,
    status: ExecutionStatus,
    start: Timestamp,
    stop: Option<Timestamp>,
}

fn error(code: ErrorCode, message: impl Into<String>) -> ApiError {
    ApiError::new(code, message)
}

/// The fake's whole ASL check: an object with a string StartAt.
fn definition_problem(definition: &str) -> Option<&'static str> {
    match serde_json::from_str::<Value>(definition) {
        Ok(value) if value["StartAt"].is_string() => None,
        Ok(_) => Some("StartAt is missing"),
        Err(_) => Some("the definition is not JSON"),
    }
}

/// One page of `items` after `token` (an index).
fn page<T>(
    items: Vec<T>,
    max: Option<u32>,
    token: Option<&str>,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let size = match max {
        None | Some(0) => 100,
        Some(n) => n as usize,
    };
    let start = match token {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|&i| i <= items.len())
            .ok_or_else(|| error(ErrorCode::InvalidToken, format!("Invalid Token: '{t}'")))?,
    };
    let end = (start + size).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    Ok((
        items.into_iter().skip(start).take(end - start).collect(),
        next,
    ))
}

impl Fake {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn machine<'s>(
        &self,
        state: &'s State,
        arn: &api::arn::StatesArn,
        name: &str,
    ) -> ApiResult<&'s Machine> {
        state
            .machines
            .get(name)
            .filter(|_| self.arns.owns(arn))
            .ok_or_else(|| {
                error(
                    ErrorCode::StateMachineDoesNotExist,
                    format!("State Machine Does Not Exist: '{arn}'"),
                )
            })
    }

    fn execution_index(state: &State, arn: &str) -> ApiResult<usize> {
        state
            .executions
            .iter()
            .position(|e| e.arn == arn)
            .ok_or_else(|| {
                error(
                    ErrorCode::ExecutionDoesNotExist,
                    format!("Execution Does Not Exist: '{arn}'"),
                )
            })
    }

    fn finish(&self, execution: &mut Execution, status: ExecutionStatus, output: Option<String>) {
        execution.status = status;
        execution.output = output;
        execution.stop = Some(Timestamp::now());
        self.metrics.execution_finished(match status {
            ExecutionStatus::Aborted => Outcome::Aborted,
            ExecutionStatus::Failed => Outcome::Failed,
            _ => Outcome::Succeeded,
        });
    }

    fn taggable_exists(&self, state: &State, arn: &api::arn::TaggableArn) -> ApiResult<()> {
        let exists = match arn.kind() {
            api::arn::ResourceKind::Activity => state.activities.contains_key(arn.name()),
            _ => state.machines.contains_key(arn.name()),
        };
        if exists {
            Ok(())
        } else {
            Err(error(
                ErrorCode::ResourceNotFound,
                format!("Resource not found: '{arn}'"),
            ))
        }
    }
}

impl Backend for Fake {
    async fn create_state_machine(
        &self,
        r: CreateStateMachineInput,
    ) -> ApiResult<CreateStateMachineOutput> {
        if let Some(problem) = definition_problem(&r.definition) {
            return Err(error(
                ErrorCode::InvalidDefinition,
                format!("Invalid State Machine Definition: '{problem}'"),
            ));
        }
        let mut state = self.state();
        if let Some(existing) = state.machines.get(&r.name) {
            return Err(error(
                ErrorCode::StateMachineAlreadyExists,
                format!("State Machine Already Exists: '{}'", existing.arn),
            ));
        }
        let arn = self.arns.state_machine(&r.name);
        let created = Timestamp::now();
        if let Some(tags) = r.tags {
            state.tags.insert(arn.clone(), tags);
        }
        state.machines.insert(
            r.name,
            Machine {
                arn: arn.clone(),
                definition: r.definition,
                role_arn: r.role_arn,
                kind: r.state_machine_type.unwrap_or(StateMachineType::Standard),
                created,
            },
        );
        Ok(CreateStateMachineOutput {
            state_machine_arn: arn,
            creation_date: created,
            state_machine_version_arn: None,
        })
    }

    async fn describe_state_machine(
        &self,
        r: DescribeStateMachineInput,
    ) -> ApiResult<DescribeStateMachineOutput> {
        let state = self.state();
        let m = self.machine(&state, &r.state_machine_arn, r.state_machine_arn.name())?;
        Ok(DescribeStateMachineOutput {
            state_machine_arn: m.arn.clone(),
            name: r.state_machine_arn.name().to_owned(),
            status: Some(StateMachineStatus::Active),
            definition: m.definition.clone(),
            role_arn: m.role_arn.clone(),
            state_machine_type: m.kind,
            creation_date: m.created,
            logging_configuration: Some(LoggingConfiguration {
                level: Some(LogLevel::Off),
                ..Default::default()
            }),
            tracing_configuration: Some(TracingConfiguration {
                enabled: Some(false),
            }),
            label: None,
            revision_id: None,
            description: None,
            encryption_configuration: None,
            variable_references: None,
        })
    }

    async fn update_state_machine(
        &self,
        r: UpdateStateMachineInput,
    ) -> ApiResult<UpdateStateMachineOutput> {
        if let Some(problem) = r.definition.as_deref().and_then(definition_problem) {
            return Err(error(
                ErrorCode::InvalidDefinition,
                format!("Invalid State Machine Definition: '{problem}'"),
            ));
        }
        let mut state = self.state();
        self.machine(&state, &r.state_machine_arn, r.state_machine_arn.name())?;
        let machine = state
            .machines
            .get_mut(r.state_machine_arn.name())
            .ok_or_else(|| error(ErrorCode::InternalFailure, "gone"))?;
        if let Some(definition) = r.definition {
            machine.definition = definition;
        }
        if let Some(role) = r.role_arn {
            machine.role_arn = role;
        }
        Ok(UpdateStateMachineOutput {
            update_date: Timestamp::now(),
            revision_id: Some("2".into()),
            state_machine_version_arn: None,
        })
    }

    async fn delete_state_machine(
        &self,
        r: DeleteStateMachineInput,
    ) -> ApiResult<DeleteStateMachineOutput> {
        let mut state = self.state();
        state.machines.remove(r.state_machine_arn.name());
        state.tags.remove(r.state_machine_arn.as_str());
        Ok(DeleteStateMachineOutput {})
    }

    async fn list_state_machines(
        &self,
        r: ListStateMachinesInput,
    ) -> ApiResult<ListStateMachinesOutput> {
        let state = self.state();
        let items = state
            .machines
            .iter()
            .map(|(name, m)| StateMachineListItem {
                state_machine_arn: m.arn.clone(),
                name: name.clone(),
                state_machine_type: m.kind,
                creation_date: m.created,
            })
            .collect();
        let (state_machines, next_token) = page(items, r.max_results, r.next_token.as_deref())?;
        Ok(ListStateMachinesOutput {
            state_machines,
            next_token,
        })
    }

    async fn validate_state_machine_definition(
        &self,
        r: ValidateStateMachineDefinitionInput,
    ) -> ApiResult<ValidateStateMachineDefinitionOutput> {
        let diagnostics: Vec<_> = definition_problem(&r.definition)
            .map(|problem| ValidateStateMachineDefinitionDiagnostic {
                severity: ValidateStateMachineDefinitionSeverity::Error,
                code: "SCHEMA_VALIDATION_FAILED".into(),
                message: problem.into(),
                location: Some("/StartAt".into()),
            })
            .into_iter()
            .collect();
        let result = if diagnostics.is_empty() {
            ValidateStateMachineDefinitionResultCode::Ok
        } else {
            ValidateStateMachineDefinitionResultCode::Fail
        };
        Ok(ValidateStateMachineDefinitionOutput {
            result,
            diagnostics,
            truncated: Some(false),
        })
    }

    async fn start_execution(&self, r: StartExecutionInput) -> ApiResult<StartExecutionOutput> {
        let mut state = self.state();
        let machine = r.state_machine_arn.name().to_owned();
        self.machine(&state, &r.state_machine_arn, &machine)?;
        state.counter += 1;
        let name = r.name.unwrap_or_else(|| format!("exec-{}", state.counter));
        let arn = self.arns.execution(&machine, &name);
        if state.executions.iter().any(|e| e.arn == arn) {
            return Err(error(
                ErrorCode::ExecutionAlreadyExists,
                format!("Execution Already Exists: '{arn}'"),
            ));
        }
        let (input, value) = r.input.unwrap_or_default().into_parts();
        let start = Timestamp::now();
        let mut execution = Execution {
            arn: arn.clone(),
            machine,
            name: name.clone(),
            input: input.clone(),
            output: None,
            status: ExecutionStatus::Running,
            start,
            stop: None,
        };
        self.metrics.execution_started();
        self.metrics.add_transitions(1);
        if let Some(activity) = value["activity"].as_str() {
            state
                .activity_tasks
                .push_back((activity.to_owned(), format!("token-{name}"), input));
        } else if value["waitForToken"] != json!(true) {
            self.finish(&mut execution, ExecutionStatus::Succeeded, Some(input));
        }
        state.executions.push(execution);
        Ok(StartExecutionOutput {
            execution_arn: arn,
            start_date: start,
        })
    }

    async fn start_sync_execution(
        &self,
        r: StartSyncExecutionInput,
    ) -> ApiResult<StartSyncExecutionOutput> {
        let mut state = self.state();
        let machine = self.machine(&state, &r.state_machine_arn, r.state_machine_arn.name())?;
        if machine.kind != StateMachineType::Express {
            return Err(error(
                ErrorCode::StateMachineTypeNotSupported,
                "This operation is only supported by EXPRESS state machines",
            ));
        }
        let machine_arn = machine.arn.clone();
        state.counter += 1;
        let name = r.name.unwrap_or_else(|| format!("sync-{}", state.counter));
        let (input, value) = r.input.unwrap_or_default().into_parts();
        let failed = value.get("fail").is_some();
        let now = Timestamp::now();
        Ok(StartSyncExecutionOutput {
            execution_arn: self
                .arns
                .express_execution(r.state_machine_arn.name(), &name, "0000"),
            state_machine_arn: Some(machine_arn),
            name: Some(name),
            start_date: now,
            stop_date: now,
            status: if failed {
                SyncExecutionStatus::Failed
            } else {
                SyncExecutionStatus::Succeeded
            },
            error: failed.then(|| "Boom".to_owned()),
            cause: failed.then(|| "asked to fail".to_owned()),
            output: (!failed).then(|| input.clone()),
            input: Some(input),
            input_details: Some(ExecutionDataDetails {
                included: Some(true),
            }),
            output_details: None,
            trace_header: r.trace_header,
            billing_details: Some(BillingDetails {
                billed_memory_used_in_mb: Some(64),
                billed_duration_in_milliseconds: Some(100),
            }),
        })
    }

    async fn describe_execution(
        &self,
        r: DescribeExecutionInput,
    ) -> ApiResult<DescribeExecutionOutput> {
        let state = self.state();
        let e = &state.executions[Self::execution_index(&state, r.execution_arn.as_str())?];
        Ok(DescribeExecutionOutput {
            execution_arn: e.arn.clone(),
            state_machine_arn: self.arns.state_machine(&e.machine),
            name: Some(e.name.clone()),
            status: e.status,
            start_date: e.start,
            stop_date: e.stop,
            input: Some(e.input.clone()),
            input_details: Some(ExecutionDataDetails {
                included: Some(true),
            }),
            output: e.output.clone(),
            output_details: e.output.as_ref().map(|_| ExecutionDataDetails {
                included: Some(true),
            }),
            trace_header: None,
            map_run_arn: None,
            error: None,
            cause: None,
            state_machine_version_arn: None,
            state_machine_alias_arn: None,
            redrive_count: Some(0),
            redrive_date: None,
            redrive_status: Some(ExecutionRedriveStatus::NotRedrivable),
            redrive_status_reason: None,
        })
    }

    async fn list_executions(&self, r: ListExecutionsInput) -> ApiResult<ListExecutionsOutput> {
        let state = self.state();
        let Some(arn) = &r.state_machine_arn else {
            return Err(error(ErrorCode::ResourceNotFound, "No such Map Run"));
        };
        self.machine(&state, arn, arn.name())?;
        let items = state
            .executions
            .iter()
            .rev()
            .filter(|e| e.machine == arn.name() && r.status_filter.is_none_or(|s| s == e.status))
            .map(|e| ExecutionListItem {
                execution_arn: e.arn.clone(),
                state_machine_arn: arn.to_string(),
                name: e.name.clone(),
                status: e.status,
                start_date: e.start,
                stop_date: e.stop,
                map_run_arn: None,
                item_count: None,
                state_machine_version_arn: None,
                state_machine_alias_arn: None,
                redrive_count: None,
                redrive_date: None,
            })
            .collect();
        let (executions, next_token) = page(items, r.max_results, r.next_token.as_deref())?;
        Ok(ListExecutionsOutput {
            executions,
            next_token,
        })
    }

    async fn stop_execution(&self, r: StopExecutionInput) -> ApiResult<StopExecutionOutput> {
        let mut state = self.state();
        let index = Self::execution_index(&state, r.execution_arn.as_str())?;
        let execution = &mut state.executions[index];
        if execution.status == ExecutionStatus::Running {
            self.finish(execution, ExecutionStatus::Aborted, None);
        }
        Ok(StopExecutionOutput {
            stop_date: execution.stop.unwrap_or_else(Timestamp::now),
        })
    }

    async fn get_execution_history(
        &self,
        r: GetExecutionHistoryInput,
    ) -> ApiResult<GetExecutionHistoryOutput> {
        let state = self.state();
        let e = &state.executions[Self::execution_index(&state, r.execution_arn.as_str())?];
        let event = |id: u64, event_type: &'static str, timestamp, field: &str, details: Value| {
            let mut map = Map::new();
            map.insert(field.to_owned(), details);
            HistoryEvent {
                timestamp,
                event_type: Cow::Borrowed(event_type),
                id,
                previous_event_id: Some(id - 1),
                details: map,
            }
        };
        let mut events = vec![event(
            1,
            "ExecutionStarted",
            e.start,
            "executionStartedEventDetails",
            json!({"input": e.input, "inputDetails": {"truncated": false}, "roleArn": "arn:aws:iam::123456789012:role/r"}),
        )];
        if let (Some(stop), Some(output)) = (e.stop, &e.output) {
            events.push(event(
                2,
                "ExecutionSucceeded",
                stop,
                "executionSucceededEventDetails",
                json!({"output": output, "outputDetails": {"truncated": false}}),
            ));
        }
        if r.reverse_order == Some(true) {
            events.reverse();
        }
        Ok(GetExecutionHistoryOutput {
            events,
            next_token: None,
        })
    }

    async fn describe_state_machine_for_execution(
        &self,
        r: DescribeStateMachineForExecutionInput,
    ) -> ApiResult<DescribeStateMachineForExecutionOutput> {
        let state = self.state();
        let e = &state.executions[Self::execution_index(&state, r.execution_arn.as_str())?];
        let m = state
            .machines
            .get(&e.machine)
            .ok_or_else(|| error(ErrorCode::ExecutionDoesNotExist, "machine deleted"))?;
        Ok(DescribeStateMachineForExecutionOutput {
            state_machine_arn: m.arn.clone(),
            name: e.machine.clone(),
            definition: m.definition.clone(),
            role_arn: m.role_arn.clone(),
            update_date: m.created,
            logging_configuration: None,
            tracing_configuration: None,
            map_run_arn: None,
            label: None,
            revision_id: None,
            encryption_configuration: None,
            variable_references: None,
        })
    }

    async fn send_task_success(&self, r: SendTaskSuccessInput) -> ApiResult<SendTaskSuccessOutput> {
        let mut state = self.state();
        let Some(name) = r.task_token.strip_prefix("token-") else {
            return Err(error(ErrorCode::InvalidToken, "Invalid Token"));
        };
        let waiting = state
            .executions
            .iter_mut()
            .find(|e| e.name == name && e.status == ExecutionStatus::Running);
        let execution =
            waiting.ok_or_else(|| error(ErrorCode::TaskDoesNotExist, "Task Does Not Exist"))?;
        self.finish(
            execution,
            ExecutionStatus::Succeeded,
            Some(r.output.text().to_owned()),
        );
        Ok(SendTaskSuccessOutput {})
    }

    async fn send_task_failure(&self, r: SendTaskFailureInput) -> ApiResult<SendTaskFailureOutput> {
        let mut state = self.state();
        let name = r.task_token.strip_prefix("token-").unwrap_or_default();
        let waiting = state
            .executions
            .iter_mut()
            .find(|e| e.name == name && e.status == ExecutionStatus::Running);
        let execution =
            waiting.ok_or_else(|| error(ErrorCode::TaskDoesNotExist, "Task Does Not Exist"))?;
        self.finish(execution, ExecutionStatus::Failed, None);
        Ok(SendTaskFailureOutput {})
    }

    async fn send_task_heartbeat(
        &self,
        r: SendTaskHeartbeatInput,
    ) -> ApiResult<SendTaskHeartbeatOutput> {
        let state = self.state();
        let name = r.task_token.strip_prefix("token-").unwrap_or_default();
        if state
            .executions
            .iter()
            .any(|e| e.name == name && e.status == ExecutionStatus::Running)
        {
            Ok(SendTaskHeartbeatOutput {})
        } else {
            Err(error(ErrorCode::TaskTimedOut, "Task Timed Out"))
        }
    }

    async fn create_activity(&self, r: CreateActivityInput) -> ApiResult<CreateActivityOutput> {
        let mut state = self.state();
        let arn = self.arns.activity(&r.name);
        let created = state
            .activities
            .entry(r.name)
            .or_insert_with(|| (arn.clone(), Timestamp::now()))
            .1;
        Ok(CreateActivityOutput {
            activity_arn: arn,
            creation_date: created,
        })
    }

    async fn describe_activity(
        &self,
        r: DescribeActivityInput,
    ) -> ApiResult<DescribeActivityOutput> {
        let state = self.state();
        let (arn, created) = state.activities.get(r.activity_arn.name()).ok_or_else(|| {
            error(
                ErrorCode::ActivityDoesNotExist,
                format!("Activity Does Not Exist: '{}'", r.activity_arn),
            )
        })?;
        Ok(DescribeActivityOutput {
            activity_arn: arn.clone(),
            name: r.activity_arn.name().to_owned(),
            creation_date: *created,
            encryption_configuration: None,
        })
    }

    async fn list_activities(&self, r: ListActivitiesInput) -> ApiResult<ListActivitiesOutput> {
        let state = self.state();
        let items = state
            .activities
            .iter()
            .map(|(name, (arn, created))| ActivityListItem {
                activity_arn: arn.clone(),
                name: name.clone(),
                creation_date: *created,
            })
            .collect();
        let (activities, next_token) = page(items, r.max_results, r.next_token.as_deref())?;
        Ok(ListActivitiesOutput {
            activities,
            next_token,
        })
    }

    async fn delete_activity(&self, r: DeleteActivityInput) -> ApiResult<DeleteActivityOutput> {
        self.state().activities.remove(r.activity_arn.name());
        Ok(DeleteActivityOutput {})
    }

    async fn get_activity_task(&self, r: GetActivityTaskInput) -> ApiResult<GetActivityTaskOutput> {
        let mut state = self.state();
        if !state.activities.contains_key(r.activity_arn.name()) {
            return Err(error(
                ErrorCode::ActivityDoesNotExist,
                format!("Activity Does Not Exist: '{}'", r.activity_arn),
            ));
        }
        let position = state
            .activity_tasks
            .iter()
            .position(|(activity, ..)| activity == r.activity_arn.name());
        Ok(
            match position.and_then(|i| state.activity_tasks.remove(i)) {
                Some((_, token, input)) => GetActivityTaskOutput {
                    task_token: Some(token),
                    input: Some(input),
                },
                None => GetActivityTaskOutput::default(),
            },
        )
    }

    async fn tag_resource(&self, r: TagResourceInput) -> ApiResult<TagResourceOutput> {
        let mut state = self.state();
        self.taggable_exists(&state, &r.resource_arn)?;
        let tags = state.tags.entry(r.resource_arn.to_string()).or_default();
        for tag in r.tags {
            tags.retain(|t| t.key != tag.key);
            tags.push(tag);
        }
        Ok(TagResourceOutput {})
    }

    async fn untag_resource(&self, r: UntagResourceInput) -> ApiResult<UntagResourceOutput> {
        let mut state = self.state();
        self.taggable_exists(&state, &r.resource_arn)?;
        if let Some(tags) = state.tags.get_mut(r.resource_arn.as_str()) {
            tags.retain(|t| !r.tag_keys.contains(&t.key));
        }
        Ok(UntagResourceOutput {})
    }

    async fn list_tags_for_resource(
        &self,
        r: ListTagsForResourceInput,
    ) -> ApiResult<ListTagsForResourceOutput> {
        let state = self.state();
        self.taggable_exists(&state, &r.resource_arn)?;
        Ok(ListTagsForResourceOutput {
            tags: state
                .tags
                .get(r.resource_arn.as_str())
                .cloned()
                .unwrap_or_default(),
        })
    }

    async fn put_module(&self, name: &str, component: Bytes) -> ApiResult<ModuleVersion> {
        if component.is_empty() {
            return Err(error(ErrorCode::InvalidModule, "The component is empty"));
        }
        let mut state = self.state();
        let versions = state.modules.entry(name.to_owned()).or_default();
        let checksum = component
            .iter()
            .fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        let version = ModuleVersion {
            name: name.to_owned(),
            version: versions.len() as u64 + 1,
            sha256: format!("{checksum:064x}"),
            size: component.len() as u64,
            created_date: Timestamp::now(),
        };
        versions.push(version.clone());
        Ok(version)
    }

    async fn list_modules(&self) -> ApiResult<ListModulesOutput> {
        let modules = self
            .state()
            .modules
            .values()
            .filter_map(|v| v.last().cloned())
            .collect();
        Ok(ListModulesOutput { modules })
    }

    async fn describe_module(&self, name: &str) -> ApiResult<DescribeModuleOutput> {
        let state = self.state();
        let versions = state.modules.get(name).ok_or_else(|| {
            error(
                ErrorCode::ModuleDoesNotExist,
                format!("Module Does Not Exist: '{name}'"),
            )
        })?;
        Ok(DescribeModuleOutput {
            name: name.to_owned(),
            versions: versions.clone(),
        })
    }

    async fn delete_module(&self, name: &str) -> ApiResult<()> {
        match self.state().modules.remove(name) {
            Some(_) => Ok(()),
            None => Err(error(
                ErrorCode::ModuleDoesNotExist,
                format!("Module Does Not Exist: '{name}'"),
            )),
        }
    }

    async fn invoke(&self, name: &str, input: JsonText) -> ApiResult<Invocation> {
        let execution_arn = self.arns.express_execution(name, "invoke", "0000");
        let failed = |error: &str, cause: &str| Invocation {
            execution_arn: execution_arn.clone(),
            outcome: InvokeOutcome::Failed {
                error: error.into(),
                cause: cause.into(),
            },
        };
        match name {
            "panic" => panic!("the fake backend panics on purpose"),
            "timeout" => Ok(failed("States.Timeout", "took too long")),
            "task-error" => Ok(failed("Lambda.Unknown", "the task said no")),
            "task-failed" => Ok(failed("States.TaskFailed", "the task trapped")),
            _ if self.state().machines.contains_key(name) => Ok(Invocation {
                execution_arn: execution_arn.clone(),
                outcome: InvokeOutcome::Succeeded(input.text().to_owned()),
            }),
            _ => Err(error(
                ErrorCode::StateMachineDoesNotExist,
                format!(
                    "State Machine Does Not Exist: '{}'",
                    self.arns.state_machine(name)
                ),
            )),
        }
    }

    fn metrics(&self) -> String {
        self.metrics.render()
    }
}
