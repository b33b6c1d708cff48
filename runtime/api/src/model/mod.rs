//! The typed requests and responses, mirroring botocore's model of the Step
//! Functions API (`stepfunctions/2016-11-23/service-2.json`): member names in
//! camelCase, `Option` for the members the model does not require, timestamps
//! as epoch seconds. Requests are `Serialize` (for Rust clients) and read by
//! `decode.rs`; responses are `Serialize` and `Deserialize`.
//!
//! One file per group of operations; `common.rs` holds the shared types and
//! `shapes.rs` the model's constraints. `modules.rs` and `invoke.rs` are
//! Stepwise's own routes.

/// An enum shape of the model: a Rust enum whose values serialize as written on
/// the wire, with `as_str` and [`crate::decode::WireEnum`].
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// The value as written on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }
        }

        impl crate::decode::WireEnum for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }
    };
}

mod activities;
mod common;
mod executions;
mod invoke;
mod modules;
pub(crate) mod shapes;
mod state_machines;
mod tags;
mod tasks;

pub use activities::*;
pub use common::*;
pub use executions::*;
pub use invoke::*;
pub use modules::*;
pub use shapes::MAX_PAYLOAD_BYTES;
pub use state_machines::*;
pub use tags::*;
pub use tasks::*;

/// Arbitrary bodies, and arbitrary JSON objects with the model's member names,
/// never make decoding panic, for any request type.
#[cfg(test)]
mod never_panic {
    use super::*;
    use crate::decode::{decode_request, Decode};
    use proptest::prelude::*;
    use serde_json::Value;

    const KEYS: &[&str] = &[
        "name",
        "definition",
        "roleArn",
        "type",
        "loggingConfiguration",
        "level",
        "includeExecutionData",
        "destinations",
        "cloudWatchLogsLogGroup",
        "logGroupArn",
        "tags",
        "key",
        "value",
        "tracingConfiguration",
        "enabled",
        "publish",
        "versionDescription",
        "encryptionConfiguration",
        "kmsKeyId",
        "kmsDataKeyReusePeriodSeconds",
        "stateMachineArn",
        "includedData",
        "maxResults",
        "nextToken",
        "severity",
        "input",
        "traceHeader",
        "executionArn",
        "statusFilter",
        "mapRunArn",
        "redriveFilter",
        "error",
        "cause",
        "reverseOrder",
        "taskToken",
        "output",
        "activityArn",
        "workerName",
        "resourceArn",
        "tagKeys",
    ];

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "arn:aws:states:us-east-1:123456789012:(stateMachine|execution|express|activity)(:[a-z]{0,3}){0,4}"
                .prop_map(Value::from),
            ".{0,12}".prop_map(Value::from),
            "(STANDARD|EXPRESS|ALL|[{}\\[\\]0-9\"]{0,6})".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(prop::sample::select(KEYS), inner, 0..6).prop_map(
                    |map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
                ),
            ]
        })
    }

    fn all(body: &[u8]) {
        fn one<T: Decode>(body: &[u8]) {
            let _ = decode_request::<T>(body);
        }
        one::<CreateStateMachineInput>(body);
        one::<DescribeStateMachineInput>(body);
        one::<UpdateStateMachineInput>(body);
        one::<DeleteStateMachineInput>(body);
        one::<ListStateMachinesInput>(body);
        one::<ValidateStateMachineDefinitionInput>(body);
        one::<StartExecutionInput>(body);
        one::<StartSyncExecutionInput>(body);
        one::<DescribeExecutionInput>(body);
        one::<ListExecutionsInput>(body);
        one::<StopExecutionInput>(body);
        one::<GetExecutionHistoryInput>(body);
        one::<DescribeStateMachineForExecutionInput>(body);
        one::<SendTaskSuccessInput>(body);
        one::<SendTaskFailureInput>(body);
        one::<SendTaskHeartbeatInput>(body);
        one::<CreateActivityInput>(body);
        one::<DescribeActivityInput>(body);
        one::<ListActivitiesInput>(body);
        one::<DeleteActivityInput>(body);
        one::<GetActivityTaskInput>(body);
        one::<TagResourceInput>(body);
        one::<UntagResourceInput>(body);
        one::<ListTagsForResourceInput>(body);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..64)) {
            all(&body);
        }

        #[test]
        fn arbitrary_members(members in prop::collection::btree_map(prop::sample::select(KEYS), json(), 0..10)) {
            let object: serde_json::Map<String, Value> =
                members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            all(Value::Object(object).to_string().as_bytes());
        }
    }
}
