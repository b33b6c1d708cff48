//! CreateActivity, DescribeActivity, ListActivities, DeleteActivity and
//! GetActivityTask.

use super::common::{EncryptionConfiguration, Tag, Timestamp};
use super::shapes::{NAME, PAGE_SIZE, PAGE_TOKEN};
use crate::arn::ActivityArn;
use crate::decode::{Decode, Members, Optional, Required};
use serde::{Deserialize, Serialize};

/// `CreateActivityInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateActivityInput {
    /// The name (naming rules checked).
    pub name: String,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// Encryption settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_configuration: Option<EncryptionConfiguration>,
}

impl Decode for CreateActivityInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let name = m.name("name", Required);
        Some(CreateActivityInput {
            tags: m.objects("tags", Optional),
            encryption_configuration: m.object("encryptionConfiguration", Optional),
            name: name?,
        })
    }
}

/// `CreateActivityOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateActivityOutput {
    /// The activity.
    pub activity_arn: String,
    /// When it was created.
    pub creation_date: Timestamp,
}

/// `DescribeActivityInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeActivityInput {
    /// The activity.
    pub activity_arn: ActivityArn,
}

impl Decode for DescribeActivityInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(DescribeActivityInput {
            activity_arn: m.arn("activityArn", Required)?,
        })
    }
}

/// `DescribeActivityOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeActivityOutput {
    /// The activity.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: Timestamp,
    /// Encryption settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_configuration: Option<EncryptionConfiguration>,
}

/// `ListActivitiesInput`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListActivitiesInput {
    /// Page size, 0 to 1000 (0: the default, 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// Where the previous page ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Decode for ListActivitiesInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(ListActivitiesInput {
            max_results: m.int("maxResults", &PAGE_SIZE, Optional),
            next_token: m.string("nextToken", &PAGE_TOKEN, Optional),
        })
    }
}

/// `ListActivitiesOutput`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListActivitiesOutput {
    /// One page of activities.
    pub activities: Vec<ActivityListItem>,
    /// Where this page ends, when there are more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ActivityListItem`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityListItem {
    /// The activity.
    pub activity_arn: String,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub creation_date: Timestamp,
}

/// `DeleteActivityInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteActivityInput {
    /// The activity.
    pub activity_arn: ActivityArn,
}

impl Decode for DeleteActivityInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(DeleteActivityInput {
            activity_arn: m.arn("activityArn", Required)?,
        })
    }
}

/// `DeleteActivityOutput` (empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeleteActivityOutput {}

/// `GetActivityTaskInput`: a worker's long poll (AWS holds it up to 60 seconds).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetActivityTaskInput {
    /// The activity to take a task of.
    pub activity_arn: ActivityArn,
    /// The worker, for the history (ActivityStarted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_name: Option<String>,
}

impl Decode for GetActivityTaskInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let activity_arn = m.arn("activityArn", Required);
        Some(GetActivityTaskInput {
            worker_name: m.string("workerName", &NAME, Optional),
            activity_arn: activity_arn?,
        })
    }
}

/// `GetActivityTaskOutput`: both members absent when no task came in time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetActivityTaskOutput {
    /// The token to complete the task with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_token: Option<String>,
    /// The task's input (JSON text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_request;
    use crate::error::ErrorCode;

    const ACTIVITY: &str = "arn:aws:states:us-east-1:123456789012:activity:work";

    #[test]
    fn activities() {
        let create: CreateActivityInput =
            decode_request(br#"{"name":"work","tags":[{"key":"k","value":"v"}]}"#).unwrap();
        assert_eq!(create.tags.unwrap()[0].key, "k");
        let err = decode_request::<CreateActivityInput>(br#"{"name":"a{b"}"#).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidName);
        let poll: GetActivityTaskInput = decode_request(
            format!(r#"{{"activityArn":"{ACTIVITY}","workerName":"w 1"}}"#).as_bytes(),
        )
        .unwrap();
        assert_eq!(
            (poll.activity_arn.name(), poll.worker_name.as_deref()),
            ("work", Some("w 1"))
        );
        let err = decode_request::<DescribeActivityInput>(
            br#"{"activityArn":"arn:aws:states:us-east-1:123456789012:stateMachine:work"}"#,
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArn);
        let delete: DeleteActivityInput =
            decode_request(format!(r#"{{"activityArn":"{ACTIVITY}"}}"#).as_bytes()).unwrap();
        assert_eq!(delete.activity_arn.as_str(), ACTIVITY);
        let list: ListActivitiesInput =
            decode_request(br#"{"maxResults":3,"nextToken":"n"}"#).unwrap();
        assert_eq!(list.max_results, Some(3));
        let empty = serde_json::to_string(&GetActivityTaskOutput::default()).unwrap();
        assert_eq!(empty, "{}");
    }
}
