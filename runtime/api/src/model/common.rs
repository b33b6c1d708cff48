//! Types shared by several operations: timestamps, JSON payloads, tags and the
//! state machine configurations.

use super::shapes::{KMS_DATA_KEY_REUSE_PERIOD_SECONDS, KMS_KEY_ID, LONG_ARN, TAG_KEY, TAG_VALUE};
use crate::decode::{Decode, Members, Optional, Required};
use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::time::{SystemTime, UNIX_EPOCH};

/// A point in time, to the millisecond; on the wire, epoch seconds as a number
/// (`1700000000.123`), as AWS's JSON protocol writes timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    millis: i64,
}

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Timestamp { millis }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn as_millis(self) -> i64 {
        self.millis
    }

    /// The current time of the system clock.
    pub fn now() -> Self {
        let millis = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_millis()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
        };
        Timestamp { millis }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.millis as f64 / 1000.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let seconds = f64::deserialize(deserializer)?;
        Ok(Timestamp::from_millis((seconds * 1000.0).round() as i64))
    }
}

/// A JSON document carried as a string member (an execution input, a task
/// output): the text as sent and its parsed value, so it is parsed once.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonText {
    text: String,
    value: Value,
}

impl JsonText {
    /// Parses `text`.
    pub fn parse(text: String) -> Result<Self, serde_json::Error> {
        let value = serde_json::from_str(&text)?;
        Ok(JsonText { text, value })
    }

    /// The document `value`, written as compact text.
    pub fn from_value(value: Value) -> Self {
        JsonText {
            text: value.to_string(),
            value,
        }
    }

    /// The text as sent.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed document.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The text and the parsed document.
    pub fn into_parts(self) -> (String, Value) {
        (self.text, self.value)
    }
}

impl Default for JsonText {
    /// `{}`: what AWS uses when an execution is started without input.
    fn default() -> Self {
        JsonText {
            text: "{}".to_owned(),
            value: Value::Object(serde_json::Map::new()),
        }
    }
}

impl Serialize for JsonText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

wire_enum! {
    /// `StateMachineType`
    StateMachineType {
        /// Durable, with history (the default).
        Standard = "STANDARD",
        /// In memory, for high-volume short workflows and sync invoke.
        Express = "EXPRESS",
    }
}

wire_enum! {
    /// `IncludedData`: whether Describe* returns payloads.
    IncludedData {
        /// Everything (the default).
        AllData = "ALL_DATA",
        /// No definition, input or output.
        MetadataOnly = "METADATA_ONLY",
    }
}

wire_enum! {
    /// `ExecutionStatus`
    ExecutionStatus {
        /// Still running.
        Running = "RUNNING",
        /// Ended with output.
        Succeeded = "SUCCEEDED",
        /// Ended with an error.
        Failed = "FAILED",
        /// Ran past TimeoutSeconds.
        TimedOut = "TIMED_OUT",
        /// Stopped by StopExecution.
        Aborted = "ABORTED",
        /// Being redriven.
        PendingRedrive = "PENDING_REDRIVE",
    }
}

wire_enum! {
    /// `LogLevel`
    LogLevel {
        /// Every event.
        All = "ALL",
        /// Errors.
        Error = "ERROR",
        /// Fatal errors.
        Fatal = "FATAL",
        /// Nothing.
        Off = "OFF",
    }
}

wire_enum! {
    /// `EncryptionType`
    EncryptionType {
        /// An AWS-owned key.
        AwsOwnedKey = "AWS_OWNED_KEY",
        /// A customer-managed KMS key.
        CustomerManagedKmsKey = "CUSTOMER_MANAGED_KMS_KEY",
    }
}

/// `Tag`: a key-value pair on a state machine or activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    /// 1 to 128 characters.
    pub key: String,
    /// 0 to 256 characters (empty when absent).
    #[serde(default)]
    pub value: String,
}

impl Decode for Tag {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let key = m.string("key", &TAG_KEY, Required);
        let value = m.string("value", &TAG_VALUE, Optional).unwrap_or_default();
        Some(Tag { key: key?, value })
    }
}

/// `LoggingConfiguration` (recorded; Stepwise does not send logs to CloudWatch).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggingConfiguration {
    /// What to log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<LogLevel>,
    /// Whether to log inputs and outputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_execution_data: Option<bool>,
    /// Where to log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destinations: Option<Vec<LogDestination>>,
}

impl Decode for LoggingConfiguration {
    /// `InvalidLoggingConfiguration` for a level other than OFF without a
    /// destination (the model: destinations are "Required, if your log level
    /// is not set to OFF").
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let config = LoggingConfiguration {
            level: m.enumeration("level", Optional),
            include_execution_data: m.boolean("includeExecutionData", Optional),
            destinations: m.objects("destinations", Optional),
        };
        let logs = config.level.is_some_and(|level| level != LogLevel::Off);
        if logs && config.destinations.as_ref().is_none_or(Vec::is_empty) {
            m.invalid(ApiError::new(
                ErrorCode::InvalidLoggingConfiguration,
                "Invalid Logging Configuration: Must specify exactly one Log Destination \
                 ('loggingConfiguration.destinations') when the log level is not OFF",
            ));
        }
        Some(config)
    }
}

/// `LogDestination`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogDestination {
    /// The log group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_watch_logs_log_group: Option<CloudWatchLogsLogGroup>,
}

impl Decode for LogDestination {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(LogDestination {
            cloud_watch_logs_log_group: m.object("cloudWatchLogsLogGroup", Optional),
        })
    }
}

/// `CloudWatchLogsLogGroup`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudWatchLogsLogGroup {
    /// The log group's ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_arn: Option<String>,
}

impl Decode for CloudWatchLogsLogGroup {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(CloudWatchLogsLogGroup {
            log_group_arn: m.any_arn("logGroupArn", &super::shapes::ARN, Optional),
        })
    }
}

/// `TracingConfiguration` (recorded; Stepwise has no X-Ray).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TracingConfiguration {
    /// Whether tracing is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl Decode for TracingConfiguration {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        Some(TracingConfiguration {
            enabled: m.boolean("enabled", Optional),
        })
    }
}

/// `EncryptionConfiguration` (recorded; Stepwise does not use KMS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EncryptionConfiguration {
    /// The KMS key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// 60 to 900 seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_data_key_reuse_period_seconds: Option<u32>,
    /// The kind of key.
    #[serde(rename = "type")]
    pub encryption_type: EncryptionType,
}

impl Decode for EncryptionConfiguration {
    fn decode(m: &mut Members<'_>) -> Option<Self> {
        let kms_key_id = m.string("kmsKeyId", &KMS_KEY_ID, Optional);
        let kms_data_key_reuse_period_seconds = m.int(
            "kmsDataKeyReusePeriodSeconds",
            &KMS_DATA_KEY_REUSE_PERIOD_SECONDS,
            Optional,
        );
        let encryption_type = m.enumeration("type", Required);
        Some(EncryptionConfiguration {
            kms_key_id,
            kms_data_key_reuse_period_seconds,
            encryption_type: encryption_type?,
        })
    }
}

/// `CloudWatchEventsExecutionDataDetails` / `HistoryEventExecutionDataDetails`:
/// whether a payload was left out or cut.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionDataDetails {
    /// In executions: whether the payload is included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub included: Option<bool>,
}

/// A map run ARN is not a Step Functions ARN Stepwise parses; it is checked for
/// general ARN syntax only.
pub(crate) fn map_run_arn(m: &mut Members<'_>) -> Option<String> {
    m.any_arn("mapRunArn", &LONG_ARN, Optional)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_are_epoch_seconds() {
        let t = Timestamp::from_millis(1_700_000_000_123);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000.123");
        assert_eq!(
            serde_json::to_string(&Timestamp::from_millis(5000)).unwrap(),
            "5.0"
        );
        assert_eq!(
            serde_json::from_str::<Timestamp>("1700000000.123").unwrap(),
            t
        );
        assert_eq!(
            serde_json::from_str::<Timestamp>("5").unwrap().as_millis(),
            5000
        );
        assert!(Timestamp::now().as_millis() > 1_700_000_000_000);
    }

    #[test]
    fn json_text_keeps_text_and_value() {
        let json = JsonText::parse(" {\"a\": 1} ".to_owned()).unwrap();
        assert_eq!(json.text(), " {\"a\": 1} ");
        assert_eq!(json.value(), &json!({"a": 1}));
        assert_eq!(serde_json::to_string(&json).unwrap(), r#"" {\"a\": 1} ""#);
        assert!(JsonText::parse("{".to_owned()).is_err());
        assert_eq!(JsonText::from_value(json!([1, 2])).text(), "[1,2]");
        let (text, value) = JsonText::default().into_parts();
        assert_eq!((text.as_str(), value), ("{}", json!({})));
    }

    #[test]
    fn enums_use_wire_names() {
        assert_eq!(StateMachineType::Express.as_str(), "EXPRESS");
        assert_eq!(
            serde_json::to_value(ExecutionStatus::TimedOut).unwrap(),
            json!("TIMED_OUT")
        );
        let config: EncryptionConfiguration =
            serde_json::from_value(json!({"type": "AWS_OWNED_KEY"})).unwrap();
        assert_eq!(config.encryption_type, EncryptionType::AwsOwnedKey);
    }
}
