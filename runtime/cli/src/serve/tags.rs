//! TagResource, UntagResource and ListTagsForResource, on state machines and
//! activities: the tags are stored in the resource's record.

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
            Ok(record.tags)
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
    let store = backend.store();
    let written = if arn.kind() == ResourceKind::Activity {
        let mut record = store
            .get_activity(arn.as_str())
            .map_err(store_error)?
            .ok_or_else(|| not_found(arn))?;
        record.tags = tags;
        store.update_activity(record)
    } else {
        let mut record = store
            .get_state_machine(arn.as_str())
            .map_err(store_error)?
            .ok_or_else(|| not_found(arn))?;
        record.tags = tags;
        store.update_state_machine(record)
    };
    let ticket = written.map_err(|e| match e {
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
