//! State machines and their published versions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::durability::Ticket;
use crate::error::Result;
use crate::page::{Page, PageRequest};

/// Standard (durable, long-running) or Express (in memory, short).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MachineType {
    /// Every transition is persisted; history is kept.
    Standard,
    /// Runs in memory; only the result is kept.
    Express,
}

impl MachineType {
    /// The AWS name: `STANDARD` or `EXPRESS`.
    pub fn as_str(self) -> &'static str {
        match self {
            MachineType::Standard => "STANDARD",
            MachineType::Express => "EXPRESS",
        }
    }
}

/// Whether a state machine can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MachineStatus {
    /// In use.
    #[default]
    Active,
    /// Deleted, waiting for its executions to finish.
    Deleting,
}

/// A state machine (`CreateStateMachine`, `UpdateStateMachine`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateMachineRecord {
    /// `arn:aws:states:<region>:<account>:stateMachine:<name>`; the key.
    pub arn: String,
    /// The name.
    pub name: String,
    /// The ASL definition, as the user sent it.
    pub definition: String,
    /// The IAM role ARN (kept and returned; not enforced).
    pub role_arn: String,
    /// Standard or Express.
    pub kind: MachineType,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_ms: i64,
    /// Last update time, milliseconds since the Unix epoch.
    pub updated_ms: i64,
    /// Changes with every update of the definition or role.
    pub revision_id: String,
    /// Active or deleting.
    #[serde(default)]
    pub status: MachineStatus,
    /// The user's description.
    #[serde(default)]
    pub description: Option<String>,
    /// The `loggingConfiguration` object, as sent.
    #[serde(default)]
    pub logging_configuration: Option<Value>,
    /// The `tracingConfiguration` object, as sent.
    #[serde(default)]
    pub tracing_configuration: Option<Value>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// The latest published version, 0 when none was. Maintained by the store
    /// ([`StateMachines::publish_state_machine_version`]): writes of the record
    /// keep the stored value.
    #[serde(default)]
    pub version: u64,
}

/// A published version of a state machine: an immutable copy of its
/// definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateMachineVersionRecord {
    /// The machine ARN + `:` + the version number.
    pub arn: String,
    /// The machine's ARN.
    pub state_machine_arn: String,
    /// 1, 2, ... never reused.
    pub version: u64,
    /// The definition at publication.
    pub definition: String,
    /// The role at publication.
    pub role_arn: String,
    /// The machine's revision id at publication.
    pub revision_id: String,
    /// The version's description.
    #[serde(default)]
    pub description: Option<String>,
    /// Publication time, milliseconds since the Unix epoch.
    pub created_ms: i64,
}

/// The state machines table, keyed and listed by ARN, and their versions,
/// keyed by (machine ARN, version number) and listed newest first.
pub trait StateMachines {
    /// Stores a new machine; `AlreadyExists` if the ARN is taken. The record's
    /// `version` is set to 0.
    fn create_state_machine(&self, record: StateMachineRecord) -> Result<Ticket>;

    /// The machine with this ARN.
    fn get_state_machine(&self, arn: &str) -> Result<Option<StateMachineRecord>>;

    /// Replaces a machine (matched by ARN), keeping its stored `version`;
    /// `NotFound` if there is none.
    fn update_state_machine(&self, record: StateMachineRecord) -> Result<Ticket>;

    /// Removes a machine and its versions; `NotFound` if there is none.
    /// Executions are untouched.
    fn delete_state_machine(&self, arn: &str) -> Result<Ticket>;

    /// Machines in ARN order.
    fn list_state_machines(&self, page: &PageRequest) -> Result<Page<StateMachineRecord>>;

    /// Publishes the machine's current definition as its next version, or
    /// returns the latest version unchanged if it has the machine's current
    /// revision id (as AWS does). `NotFound` if there is no such machine.
    fn publish_state_machine_version(
        &self,
        arn: &str,
        description: Option<String>,
        created_ms: i64,
    ) -> Result<(StateMachineVersionRecord, Ticket)>;

    /// The version with this ARN (`<machine ARN>:<n>`); `None` also for an ARN
    /// without a version number.
    fn get_state_machine_version(
        &self,
        version_arn: &str,
    ) -> Result<Option<StateMachineVersionRecord>>;

    /// A machine's versions, newest first.
    fn list_state_machine_versions(
        &self,
        arn: &str,
        page: &PageRequest,
    ) -> Result<Page<StateMachineVersionRecord>>;

    /// Removes one version; `NotFound` if there is none. Its number is not
    /// reused.
    fn delete_state_machine_version(&self, version_arn: &str) -> Result<Ticket>;
}
