//! The operations of the Step Functions API (every one in botocore's model)
//! and how `X-Amz-Target` names them.

/// What `X-Amz-Target` starts with: `AWSStepFunctions.<Operation>`.
pub const TARGET_PREFIX: &str = "AWSStepFunctions.";

macro_rules! operations {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// An operation of the Step Functions API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            $($(#[$doc])* $name,)*
        }

        impl Operation {
            /// Every operation of the model, in alphabetical order.
            pub const ALL: &'static [Operation] = &[$(Operation::$name,)*];

            /// The operation's name, as in `X-Amz-Target`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Operation::$name => stringify!($name),)*
                }
            }

            /// The operation of this name, if the model has one.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $(stringify!($name) => Some(Operation::$name),)*
                    _ => None,
                }
            }
        }
    };
}

operations! {
    /// Served.
    CreateActivity,
    /// Served.
    CreateStateMachine,
    /// Not served (aliases).
    CreateStateMachineAlias,
    /// Served.
    DeleteActivity,
    /// Served.
    DeleteStateMachine,
    /// Not served (aliases).
    DeleteStateMachineAlias,
    /// Not served (versions).
    DeleteStateMachineVersion,
    /// Served.
    DescribeActivity,
    /// Served.
    DescribeExecution,
    /// Not served (Distributed Map runs).
    DescribeMapRun,
    /// Served.
    DescribeStateMachine,
    /// Not served (aliases).
    DescribeStateMachineAlias,
    /// Served.
    DescribeStateMachineForExecution,
    /// Served.
    GetActivityTask,
    /// Served.
    GetExecutionHistory,
    /// Served.
    ListActivities,
    /// Served.
    ListExecutions,
    /// Not served (Distributed Map runs).
    ListMapRuns,
    /// Not served (aliases).
    ListStateMachineAliases,
    /// Served.
    ListStateMachines,
    /// Not served (versions).
    ListStateMachineVersions,
    /// Served.
    ListTagsForResource,
    /// Not served (versions).
    PublishStateMachineVersion,
    /// Not served (redrive).
    RedriveExecution,
    /// Served.
    SendTaskFailure,
    /// Served.
    SendTaskHeartbeat,
    /// Served.
    SendTaskSuccess,
    /// Served.
    StartExecution,
    /// Served.
    StartSyncExecution,
    /// Served.
    StopExecution,
    /// Served.
    TagResource,
    /// Not served (TestState).
    TestState,
    /// Served.
    UntagResource,
    /// Not served (Distributed Map runs).
    UpdateMapRun,
    /// Served.
    UpdateStateMachine,
    /// Not served (aliases).
    UpdateStateMachineAlias,
    /// Served.
    ValidateStateMachineDefinition,
}

impl Operation {
    /// The operation an `X-Amz-Target` value names.
    pub fn from_target(target: &str) -> Option<Self> {
        target
            .strip_prefix(TARGET_PREFIX)
            .and_then(Operation::from_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(Operation::ALL.len(), 37);
        for &op in Operation::ALL {
            assert_eq!(Operation::from_name(op.as_str()), Some(op));
            assert_eq!(
                Operation::from_target(&format!("{TARGET_PREFIX}{}", op.as_str())),
                Some(op)
            );
        }
        assert_eq!(Operation::from_target("AWSStepFunctions.Nope"), None);
        assert_eq!(Operation::from_target("StartExecution"), None);
        assert_eq!(
            Operation::from_target("DynamoDB_20120810.StartExecution"),
            None
        );
    }
}
