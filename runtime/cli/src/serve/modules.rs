//! `PUT /modules/<name>`, `GET /modules`, `GET /modules/<name>` and
//! `DELETE /modules/<name>`: uploaded task components, versioned by the store.

use super::backend::ServeBackend;
use super::errors::{driver_error, internal, store_error};
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

/// Deletes every version of a module, unless a running Standard execution
/// may still call it (ConflictException naming a few of them: stop them or
/// let them finish first).
pub async fn delete(backend: &ServeBackend, name: &str) -> ApiResult<()> {
    if backend
        .store()
        .latest_module_version(name)
        .map_err(store_error)?
        .is_none()
    {
        return Err(no_module(name));
    }
    let driver = backend.driver.clone();
    let module = name.to_owned();
    let users = tokio::task::spawn_blocking(move || driver.executions_using_module(&module, 3))
        .await
        .map_err(|e| internal(format!("checking the module's users failed: {e}")))?
        .map_err(driver_error)?;
    if !users.is_empty() {
        return Err(ApiError::new(
            ErrorCode::ConflictException,
            format!(
                "Module '{name}' is in use: running executions may still call it ({}{}); \
                 stop them or wait until they finish",
                users.join(", "),
                if users.len() == 3 { ", ..." } else { "" }
            ),
        ));
    }
    match backend.store().delete_module(name) {
        Ok(ticket) => durable(ticket).await?,
        Err(StoreError::NotFound(_)) => return Err(no_module(name)),
        Err(e) => return Err(store_error(e)),
    }
    backend.driver.tasks().forget(name);
    Ok(())
}
