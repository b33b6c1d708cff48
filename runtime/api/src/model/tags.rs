//! TagResource, UntagResource and ListTagsForResource (on state machines and
//! activities).

use super::common::Tag;
use super::shapes::TAG_KEY;
use crate::arn::TaggableArn;
use crate::decode::{Decode, Members, Required};
use serde::{Deserialize, Serialize};

/// `TagResourceInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagResourceInput {
    /// The state machine or activity.
    pub resource_arn: TaggableArn,
    /// Tags to add or overwrite.
    pub tags: Vec<Tag>,
}

impl Decode for TagResourceInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let resource_arn = m.arn("resourceArn", Required);
        let tags = m.objects("tags", Required);
        Some(TagResourceInput {
            resource_arn: resource_arn?,
            tags: tags?,
        })
    }
}

/// `TagResourceOutput` (empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TagResourceOutput {}

/// `UntagResourceInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UntagResourceInput {
    /// The state machine or activity.
    pub resource_arn: TaggableArn,
    /// Keys of the tags to remove.
    pub tag_keys: Vec<String>,
}

impl Decode for UntagResourceInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let resource_arn = m.arn("resourceArn", Required);
        let tag_keys = m.strings("tagKeys", &TAG_KEY, Required);
        Some(UntagResourceInput {
            resource_arn: resource_arn?,
            tag_keys: tag_keys?,
        })
    }
}

/// `UntagResourceOutput` (empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UntagResourceOutput {}

/// `ListTagsForResourceInput`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTagsForResourceInput {
    /// The state machine or activity.
    pub resource_arn: TaggableArn,
}

impl Decode for ListTagsForResourceInput {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(ListTagsForResourceInput {
            resource_arn: m.arn("resourceArn", Required)?,
        })
    }
}

/// `ListTagsForResourceOutput`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTagsForResourceOutput {
    /// The resource's tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arn::ResourceKind;
    use crate::decode::decode_request;
    use crate::error::ErrorCode;

    const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

    #[test]
    fn tags() {
        let tag: TagResourceInput = decode_request(
            format!(r#"{{"resourceArn":"{SM}","tags":[{{"key":"a","value":"b"}}]}}"#).as_bytes(),
        )
        .unwrap();
        assert_eq!(tag.resource_arn.kind(), ResourceKind::StateMachine);
        assert_eq!(
            tag.tags,
            vec![Tag {
                key: "a".into(),
                value: "b".into()
            }]
        );
        let untag: UntagResourceInput =
            decode_request(format!(r#"{{"resourceArn":"{SM}","tagKeys":["a"]}}"#).as_bytes())
                .unwrap();
        assert_eq!(untag.tag_keys, vec!["a"]);
        let err = decode_request::<UntagResourceInput>(
            format!(
                r#"{{"resourceArn":"{SM}","tagKeys":["{}"]}}"#,
                "k".repeat(129)
            )
            .as_bytes(),
        )
        .unwrap_err();
        assert!(err.message.contains("at 'tagKeys.1.member' failed to satisfy constraint: Member must have length less than or equal to 128"), "{}", err.message);
        let err = decode_request::<ListTagsForResourceInput>(
            br#"{"resourceArn":"arn:aws:states:us-east-1:123456789012:execution:m:e"}"#,
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArn);
        let err =
            decode_request::<TagResourceInput>(format!(r#"{{"resourceArn":"{SM}"}}"#).as_bytes())
                .unwrap_err();
        assert_eq!(err.message, "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
    }
}
