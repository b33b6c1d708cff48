//! `PUT /modules/<name>`, `GET /modules`, `GET /modules/<name>` and
//! `DELETE /modules/<name>`: uploaded task components, versioned by the store.

use super::backend::ServeBackend;
use super::errors::{internal, store_error};
use super::util::{durable, now_ms, timestamp};
use api::model::*;
use api::{ApiError, ApiResult, Bytes, ErrorCode};
use store::{ModuleVersionRecord, StoreError};

fn no_module(name: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ModuleDoesNotExist,
        format!("Module Does Not Exist: '{name}'"),
    )
}

fn version(record: ModuleVersionRecord) -> ModuleVersion {
    ModuleVersion {
        name: record.name,
        version: record.version,
        sha256: record.sha256,
        size: record.size,
        created_date: timestamp(record.created_ms),
    }
}

/// Uploads a component: loaded on the host first (which checks it implements
/// the task world and compiles it into the cache), then stored as the next
/// version (the same bytes as the latest version give that version back).
pub async fn put(backend: &ServeBackend, name: &str, component: Bytes) -> ApiResult<ModuleVersion> {
    let host = backend.driver.tasks().host().clone();
    let options = backend.driver.config().module_options;
    let bytes = component.clone();
    let loaded = tokio::task::spawn_blocking(move || host.load(&bytes, options))
        .await
        .map_err(|e| internal(format!("loading the module failed: {e}")))?;
    if let Err(why) = loaded {
        return Err(ApiError::new(
            ErrorCode::InvalidModule,
            format!("Invalid module '{name}': {why}"),
        ));
    }
    let (record, ticket) = backend
        .store()
        .put_module(name, &component, now_ms())
        .map_err(store_error)?;
    durable(ticket).await?;
    backend.driver.tasks().forget(name);
    Ok(version(record))
}

/// The latest version of every module, by name.
pub fn list(backend: &ServeBackend) -> ApiResult<ListModulesOutput> {
    let store = backend.store();
    let mut modules = Vec::new();
    for name in store.list_modules().map_err(store_error)? {
        // A module deleted between the two reads is simply left out.
        if let Some(latest) = store.latest_module_version(&name).map_err(store_error)? {
            modules.push(version(latest));
        }
    }
    Ok(ListModulesOutput { modules })
}

/// Every version of one module, oldest first.
pub fn describe(backend: &ServeBackend, name: &str) -> ApiResult<DescribeModuleOutput> {
    let versions = backend
        .store()
        .list_module_versions(name)
        .map_err(store_error)?;
    if versions.is_empty() {
        return Err(no_module(name));
    }
    Ok(DescribeModuleOutput {
        name: name.to_owned(),
        versions: versions.into_iter().map(version).collect(),
    })
}

/// Deletes every version of a module. Executions that still use it fail
/// their next task of it with `States.TaskFailed` (finding them would take a
/// scan of every running execution, so the delete does not check).
pub async fn delete(backend: &ServeBackend, name: &str) -> ApiResult<()> {
    match backend.store().delete_module(name) {
        Ok(ticket) => durable(ticket).await?,
        Err(StoreError::NotFound(_)) => return Err(no_module(name)),
        Err(e) => return Err(store_error(e)),
    }
    backend.driver.tasks().forget(name);
    Ok(())
}
