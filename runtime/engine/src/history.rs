//! History events with AWS's event types and detail fields
//! (GetExecutionHistory's `HistoryEvent`).

use chrono::{DateTime, Utc};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

macro_rules! event_types {
    ($($name:ident => $details:literal),* $(,)?) => {
        /// A history event's `type`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum EventType {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                $name,
            )*
        }

        impl EventType {
            /// The type's name as AWS writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$name => stringify!($name),)*
                }
            }

            /// The name of the details field this type carries (empty for none).
            pub fn details_field(self) -> &'static str {
                match self {
                    $(EventType::$name => $details,)*
                }
            }
        }
    };
}

event_types! {
    ExecutionStarted => "executionStartedEventDetails",
    ExecutionSucceeded => "executionSucceededEventDetails",
    ExecutionFailed => "executionFailedEventDetails",
    ExecutionTimedOut => "executionTimedOutEventDetails",
    ExecutionAborted => "executionAbortedEventDetails",
    PassStateEntered => "stateEnteredEventDetails",
    PassStateExited => "stateExitedEventDetails",
    ChoiceStateEntered => "stateEnteredEventDetails",
    ChoiceStateExited => "stateExitedEventDetails",
    WaitStateEntered => "stateEnteredEventDetails",
    WaitStateExited => "stateExitedEventDetails",
    WaitStateAborted => "",
    SucceedStateEntered => "stateEnteredEventDetails",
    SucceedStateExited => "stateExitedEventDetails",
    FailStateEntered => "stateEnteredEventDetails",
    TaskStateEntered => "stateEnteredEventDetails",
    TaskStateExited => "stateExitedEventDetails",
    TaskStateAborted => "",
    TaskScheduled => "taskScheduledEventDetails",
    TaskStarted => "taskStartedEventDetails",
    TaskSucceeded => "taskSucceededEventDetails",
    TaskFailed => "taskFailedEventDetails",
    TaskTimedOut => "taskTimedOutEventDetails",
    ActivityScheduled => "activityScheduledEventDetails",
    ActivityScheduleFailed => "activityScheduleFailedEventDetails",
    ActivityStarted => "activityStartedEventDetails",
    ActivitySucceeded => "activitySucceededEventDetails",
    ActivityFailed => "activityFailedEventDetails",
    ActivityTimedOut => "activityTimedOutEventDetails",
    LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
    LambdaFunctionScheduleFailed => "lambdaFunctionScheduleFailedEventDetails",
    LambdaFunctionStarted => "",
    LambdaFunctionStartFailed => "lambdaFunctionStartFailedEventDetails",
    LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
    LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
    LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
    ParallelStateEntered => "stateEnteredEventDetails",
    ParallelStateStarted => "",
    ParallelStateSucceeded => "",
    ParallelStateFailed => "",
    ParallelStateAborted => "",
    ParallelStateExited => "stateExitedEventDetails",
    MapStateEntered => "stateEnteredEventDetails",
    MapStateStarted => "mapStateStartedEventDetails",
    MapStateSucceeded => "",
    MapStateFailed => "",
    MapStateAborted => "",
    MapStateExited => "stateExitedEventDetails",
    MapIterationStarted => "mapIterationStartedEventDetails",
    MapIterationSucceeded => "mapIterationSucceededEventDetails",
    MapIterationFailed => "mapIterationFailedEventDetails",
    MapIterationAborted => "mapIterationAbortedEventDetails",
    MapRunStarted => "mapRunStartedEventDetails",
    MapRunSucceeded => "",
    MapRunFailed => "mapRunFailedEventDetails",
    EvaluationFailed => "evaluationFailedEventDetails",
}

/// One history event.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    /// When it happened.
    pub timestamp: DateTime<Utc>,
    /// Its type.
    pub event_type: EventType,
    /// Its id: 1 for ExecutionStarted, then one more per event.
    pub id: u64,
    /// The event before it in the same thread (branch or iteration); 0 for the first.
    pub previous_event_id: u64,
    /// The detail object, stored under [`EventType::details_field`].
    pub details: Option<Value>,
}

impl Serialize for HistoryEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(
            "timestamp",
            &self
                .timestamp
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        )?;
        map.serialize_entry("type", self.event_type.as_str())?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("previousEventId", &self.previous_event_id)?;
        if let Some(details) = &self.details {
            let field = self.event_type.details_field();
            if !field.is_empty() {
                map.serialize_entry(field, details)?;
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serializes_in_aws_shape() {
        let event = HistoryEvent {
            timestamp: DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            event_type: EventType::PassStateEntered,
            id: 2,
            previous_event_id: 1,
            details: Some(
                json!({"name": "P", "input": "{}", "inputDetails": {"truncated": false}}),
            ),
        };
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            json!({"timestamp": "2024-01-01T00:00:00.000Z", "type": "PassStateEntered", "id": 2, "previousEventId": 1,
                   "stateEnteredEventDetails": {"name": "P", "input": "{}", "inputDetails": {"truncated": false}}})
        );
    }
}
