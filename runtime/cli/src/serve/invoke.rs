//! `POST /invoke/<name>`: runs a state machine as a synchronous Express
//! execution, whatever its type, and replies with its output or error.

use super::backend::ServeBackend;
use super::errors::driver_error;
use super::executions::{machine_by_name, start_request};
use super::util::random_uuid;
use api::model::{Invocation, InvokeOutcome, JsonText};
use api::ApiResult;

/// Runs state machine `name` on `input` to its end.
pub async fn invoke(backend: &ServeBackend, name: &str, input: JsonText) -> ApiResult<Invocation> {
    let resolved = machine_by_name(backend, name)?;
    let execution_name = random_uuid();
    let execution_arn =
        backend
            .driver
            .express_arn(&resolved.machine.name, &execution_name, &random_uuid());
    let start = start_request(
        &resolved,
        &resolved.machine.arn,
        execution_name,
        input,
        None,
    );
    let outcome = backend
        .driver
        .run_express(start, execution_arn.clone())
        .await
        .map_err(driver_error)?;
    let outcome = match (outcome.status, outcome.output) {
        (engine::Status::Succeeded, Some(output)) => InvokeOutcome::Succeeded(output),
        (engine::Status::Succeeded, None) => InvokeOutcome::Succeeded("null".to_owned()),
        (status, _) => InvokeOutcome::Failed {
            error: outcome.error.unwrap_or_else(|| match status {
                engine::Status::TimedOut => "States.Timeout".to_owned(),
                _ => "States.Runtime".to_owned(),
            }),
            cause: outcome.cause.unwrap_or_default(),
        },
    };
    Ok(Invocation {
        execution_arn,
        outcome,
    })
}
