//! TagResource, UntagResource and ListTagsForResource, on state machines and
//! activities.
//!
//! A state machine's tags are stored with it. The store cannot update an
//! activity record (it has no `update_activity`), so tags changed after
//! CreateActivity are kept in memory, in [`ServeBackend`], and are lost on
//! restart; tags given to CreateActivity are stored.

use super::backend::ServeBackend;
use super::errors::{store_error, too_many_tags, MAX_TAGS};
use super::util::durable;
use api::arn::{ResourceKind, TaggableArn};
use api::model::*;
use api::{ApiError, ApiResult, ErrorCode};
use std::collections::BTreeMap;
use store::StoreError;

fn not_found(arn: &TaggableArn) -> ApiError {
    ApiError::new(
        ErrorCode::ResourceNotFound,
        format!("Resource not found: '{arn}'"),
    )
}

/// The resource's current tags.
fn current(backend: &ServeBackend, arn: &TaggableArn) -> ApiResult<BTreeMap<String, String>> {
    if !backend.arns.owns(arn) {
        return Err(not_found(arn));
    }
    let store = backend.store();
    match arn.kind() {
        ResourceKind::Activity => {
            let record = store
                .get_activity(arn.as_str())
                .map_err(store_error)?
                .ok_or_else(|| not_found(arn))?;
            Ok(backend
                .activity_tags()
                .get(arn.as_str())
                .cloned()
                .unwrap_or(record.tags))
        }
        _ => {
            let record = store
                .get_state_machine(arn.as_str())
                .map_err(store_error)?
                .ok_or_else(|| not_found(arn))?;
            Ok(record.tags)
        }
    }
}

/// Replaces the resource's tags with `tags`.
async fn replace(
    backend: &ServeBackend,
    arn: &TaggableArn,
    tags: BTreeMap<String, String>,
) -> ApiResult<()> {
    if tags.len() > MAX_TAGS {
        return Err(too_many_tags(arn.as_str(), tags.len()));
    }
    if arn.kind() == ResourceKind::Activity {
        backend
            .activity_tags()
            .insert(arn.as_str().to_owned(), tags);
        return Ok(());
    }
    let store = backend.store();
    let mut record = store
        .get_state_machine(arn.as_str())
        .map_err(store_error)?
        .ok_or_else(|| not_found(arn))?;
    record.tags = tags;
    let ticket = store.update_state_machine(record).map_err(|e| match e {
        StoreError::NotFound(_) => not_found(arn),
        e => store_error(e),
    })?;
    durable(ticket).await
}

/// TagResource: adds or overwrites tags.
pub async fn tag(
    backend: &ServeBackend,
    request: TagResourceInput,
) -> ApiResult<TagResourceOutput> {
    let mut tags = current(backend, &request.resource_arn)?;
    for tag in request.tags {
        tags.insert(tag.key, tag.value);
    }
    replace(backend, &request.resource_arn, tags).await?;
    Ok(TagResourceOutput {})
}

/// UntagResource: removes tags by key (absent keys are ignored).
pub async fn untag(
    backend: &ServeBackend,
    request: UntagResourceInput,
) -> ApiResult<UntagResourceOutput> {
    let mut tags = current(backend, &request.resource_arn)?;
    for key in &request.tag_keys {
        tags.remove(key);
    }
    replace(backend, &request.resource_arn, tags).await?;
    Ok(UntagResourceOutput {})
}

/// ListTagsForResource.
pub fn list(
    backend: &ServeBackend,
    request: ListTagsForResourceInput,
) -> ApiResult<ListTagsForResourceOutput> {
    let tags = current(backend, &request.resource_arn)?;
    Ok(ListTagsForResourceOutput {
        tags: tags
            .into_iter()
            .map(|(key, value)| Tag { key, value })
            .collect(),
    })
}
