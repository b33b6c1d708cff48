//! Running a Task state's work: what its `Resource` names, and running it.
//!
//! - `wasm:<module>[:<version>]`, Lambda function ARNs and
//!   `arn:aws:states:::lambda:invoke` run the uploaded module of that name on
//!   the WASM host ([`engine::resource`] resolves them), failing the way Lambda
//!   does for Lambda-shaped resources.
//! - `arn:aws:states:<region>:<account>:activity:<name>`: queued for a worker's
//!   GetActivityTask.
//! - Any other resource with `.waitForTaskToken` (an SQS or SNS integration in an
//!   AWS definition, say): Stepwise cannot call that service, so the task only
//!   waits for SendTaskSuccess/Failure with its token, which is how such a
//!   workflow is driven from outside anyway.

use asl::errors::{Failure, TASK_FAILED};
use engine::resource::{self, Shape, TaskTarget, WAIT_FOR_TASK_TOKEN};
use engine::TaskRequest;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use store::Store;
use wasm_host::{CancelToken, Host, Module, ModuleOptions, TaskInvocation};

/// What a task's resource asks the driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work<'a> {
    /// Run a module.
    Module {
        /// Its name.
        name: &'a str,
        /// A version number or qualifier, if the resource names one.
        version: Option<&'a str>,
        /// How input and result are shaped.
        shape: Shape,
    },
    /// Queue the task for an activity's workers.
    Activity {
        /// The activity ARN.
        arn: &'a str,
    },
    /// Wait for the task token, calling nothing.
    TokenOnly,
    /// Fail: Stepwise cannot run this resource.
    Unsupported(String),
}

/// What `request` asks for.
pub fn classify(request: &TaskRequest) -> Work<'_> {
    if resource::is_activity(&request.resource) {
        return Work::Activity {
            arn: &request.resource,
        };
    }
    match resource::resolve(&request.resource, &request.input) {
        TaskTarget::Module {
            name,
            version,
            shape,
        } => Work::Module {
            name,
            version,
            shape,
        },
        TaskTarget::Unsupported(_) if request.resource.ends_with(WAIT_FOR_TASK_TOKEN) => {
            Work::TokenOnly
        }
        TaskTarget::Unsupported(what) => Work::Unsupported(format!(
            "Stepwise cannot run the resource '{what}' of state '{}'",
            request.state_name
        )),
    }
}

/// Runs `module` on `request` on this thread (blocking), with the input and
/// result shaped for `shape` and failures shaped as Lambda's for Lambda
/// resources. Task log lines go to standard error when `print_logs`.
pub fn invoke(
    host: &Host,
    module: &Module,
    shape: Shape,
    request: &TaskRequest,
    execution_name: &str,
    cancel: Option<CancelToken>,
    print_logs: bool,
) -> Result<Value, Failure> {
    let input = resource::module_input(shape, &request.input);
    // A Value always serializes (its keys are strings).
    let mut invocation = TaskInvocation::new(serde_json::to_string(&*input).unwrap_or_default());
    invocation.timeout = request.timeout_seconds.map(Duration::from_secs);
    invocation.heartbeat = request.heartbeat_seconds.map(Duration::from_secs);
    invocation.execution_name = execution_name.to_string();
    invocation.state_name = request.state_name.clone();
    invocation.task_token = request.token.clone();
    invocation.cancel = cancel;
    match host.invoke(module, invocation) {
        Ok(out) => {
            if print_logs {
                for line in &out.logs {
                    eprintln!(
                        "[{execution_name}/{}] {:?}: {}",
                        request.state_name, line.level, line.message
                    );
                }
            }
            // The host parsed the output to check it is JSON: no second parse.
            Ok(resource::task_result(shape, out.value))
        }
        Err(failure) => Err(lambda_error(
            shape,
            &request.resource,
            Failure::new(failure.error, failure.cause),
        )),
    }
}

/// Lambda-shaped resources fail the way Lambda does: a function's own error keeps
/// its name with Lambda's JSON cause; a crash is `Lambda.Unknown`.
pub fn lambda_error(shape: Shape, resource: &str, failure: Failure) -> Failure {
    let lambda = shape == Shape::LambdaInvoke || resource.starts_with("arn:aws:lambda:");
    if !lambda || failure.error.starts_with("States.") && failure.error != TASK_FAILED {
        return failure;
    }
    if failure.error == TASK_FAILED {
        return Failure::new(
            "Lambda.Unknown",
            format!(
                "The cause could not be determined because Lambda did not return an error type. {}",
                failure.cause
            ),
        );
    }
    let cause = json!({"errorMessage": failure.cause, "errorType": failure.error, "trace": []});
    Failure::new(failure.error, cause.to_string())
}

/// Modules from the store, loaded on the WASM host on first use and kept.
pub struct TaskService {
    host: Host,
    store: Arc<dyn Store>,
    options: ModuleOptions,
    print_logs: bool,
    /// Loaded modules by (name, version).
    loaded: Mutex<HashMap<(String, u64), Module>>,
    /// The latest version of each module used so far.
    latest: Mutex<HashMap<String, u64>>,
}

impl TaskService {
    /// A service loading modules from `store` onto `host`.
    pub fn new(
        host: Host,
        store: Arc<dyn Store>,
        options: ModuleOptions,
        print_logs: bool,
    ) -> Self {
        TaskService {
            host,
            store,
            options,
            print_logs,
            loaded: Mutex::new(HashMap::new()),
            latest: Mutex::new(HashMap::new()),
        }
    }

    /// The host modules run on.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// Forgets what is known of module `name` (after an upload or a delete).
    pub fn forget(&self, name: &str) {
        lock(&self.latest).remove(name);
        lock(&self.loaded).retain(|(n, _), _| n != name);
    }

    /// Module `name` at `version` (a number; anything else, such as
    /// `$LATEST` or an alias, is the latest version).
    pub fn module(&self, name: &str, version: Option<&str>) -> Result<Module, Failure> {
        let missing = || {
            Failure::new(
                TASK_FAILED,
                format!("No module named '{name}' is uploaded (PUT /modules/{name})"),
            )
        };
        let store_error =
            |e: store::StoreError| Failure::new(TASK_FAILED, format!("module '{name}': {e}"));
        let number = match version.and_then(|v| v.parse::<u64>().ok()) {
            Some(n) => n,
            None => {
                let known = lock(&self.latest).get(name).copied();
                match known {
                    Some(n) => n,
                    None => {
                        let record = self
                            .store
                            .latest_module_version(name)
                            .map_err(store_error)?
                            .ok_or_else(missing)?;
                        lock(&self.latest).insert(name.to_string(), record.version);
                        record.version
                    }
                }
            }
        };
        let key = (name.to_string(), number);
        if let Some(module) = lock(&self.loaded).get(&key) {
            return Ok(module.clone());
        }
        let record = self
            .store
            .get_module_version(name, number)
            .map_err(store_error)?
            .ok_or_else(|| {
                Failure::new(
                    TASK_FAILED,
                    format!("Module '{name}' has no version {number}"),
                )
            })?;
        let bytes = self
            .store
            .module_blob(&record.sha256)
            .map_err(store_error)?
            .ok_or_else(missing)?;
        let module = self.host.load(&bytes, self.options).map_err(|e| {
            Failure::new(
                TASK_FAILED,
                format!("module '{name}' version {number} cannot be loaded: {e}"),
            )
        })?;
        lock(&self.loaded).insert(key, module.clone());
        Ok(module)
    }

    /// Runs the module `request` names (blocking).
    pub fn run(
        &self,
        request: &TaskRequest,
        execution_name: &str,
        cancel: Option<CancelToken>,
    ) -> Result<Value, Failure> {
        match classify(request) {
            Work::Module {
                name,
                version,
                shape,
            } => {
                let module = self.module(name, version)?;
                invoke(
                    &self.host,
                    &module,
                    shape,
                    request,
                    execution_name,
                    cancel,
                    self.print_logs,
                )
            }
            Work::Unsupported(why) => Err(Failure::new(TASK_FAILED, why)),
            Work::Activity { .. } | Work::TokenOnly => Err(Failure::new(
                TASK_FAILED,
                format!(
                    "The resource of state '{}' is not a module",
                    request.state_name
                ),
            )),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(resource: &str, input: Value) -> TaskRequest {
        TaskRequest {
            id: 1,
            state_name: "S".into(),
            resource: resource.into(),
            input,
            timeout_seconds: None,
            heartbeat_seconds: None,
            token: None,
            attempt: 0,
        }
    }

    #[test]
    fn resources_are_classified() {
        assert!(matches!(
            classify(&request("wasm:charge:2", json!({}))),
            Work::Module {
                name: "charge",
                version: Some("2"),
                ..
            }
        ));
        assert_eq!(
            classify(&request(
                "arn:aws:states:us-east-1:123456789012:activity:approve",
                json!({})
            )),
            Work::Activity {
                arn: "arn:aws:states:us-east-1:123456789012:activity:approve"
            }
        );
        assert_eq!(
            classify(&request(
                "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                json!({})
            )),
            Work::TokenOnly
        );
        assert!(matches!(
            classify(&request("arn:aws:states:::sqs:sendMessage", json!({}))),
            Work::Unsupported(_)
        ));
    }

    #[test]
    fn lambda_failures_take_lambdas_shape() {
        let crash = lambda_error(
            Shape::Plain,
            "arn:aws:lambda:us-east-1:1:function:f",
            Failure::new(TASK_FAILED, "trap"),
        );
        assert_eq!(crash.error, "Lambda.Unknown");
        let own = lambda_error(
            Shape::LambdaInvoke,
            "arn:aws:states:::lambda:invoke",
            Failure::new("Payment.Declined", "no"),
        );
        assert_eq!(own.error, "Payment.Declined");
        assert!(own.cause.contains("\"errorType\":\"Payment.Declined\""));
        let wasm = lambda_error(Shape::Plain, "wasm:f", Failure::new(TASK_FAILED, "trap"));
        assert_eq!(wasm.error, TASK_FAILED);
    }
}
