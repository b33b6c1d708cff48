//! Activities and their queues of tasks waiting for a worker.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::durability::Ticket;
use crate::error::Result;
use crate::page::{Page, PageRequest};

/// An activity (`CreateActivity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityRecord {
    /// `arn:aws:states:<region>:<account>:activity:<name>`; the key.
    pub arn: String,
    /// The name.
    pub name: String,
    /// Creation time, milliseconds since the Unix epoch.
    pub created_ms: i64,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A task waiting for a worker's `GetActivityTask`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityTaskRecord {
    /// The activity whose workers may take it.
    pub activity_arn: String,
    /// The task token the worker reports back with (registered with the
    /// execution's [`TaskTokenRecord`](crate::TaskTokenRecord)).
    pub token: String,
    /// The task's input JSON text.
    pub input: String,
}

/// The activities table, keyed and listed by ARN, and one queue of tasks per
/// activity, keyed by (activity ARN, enqueue order). Tasks are queued by
/// [`Transition`](crate::Transition)s.
pub trait Activities {
    /// Stores a new activity; `AlreadyExists` if the ARN is taken.
    fn create_activity(&self, record: ActivityRecord) -> Result<Ticket>;

    /// Replaces a stored activity's record (TagResource and UntagResource
    /// change its tags); `NotFound` if there is none.
    fn update_activity(&self, record: ActivityRecord) -> Result<Ticket>;

    /// The activity with this ARN.
    fn get_activity(&self, arn: &str) -> Result<Option<ActivityRecord>>;

    /// Activities in ARN order.
    fn list_activities(&self, page: &PageRequest) -> Result<Page<ActivityRecord>>;

    /// Removes an activity and its queued tasks; `NotFound` if there is none.
    fn delete_activity(&self, arn: &str) -> Result<Ticket>;

    /// Takes the oldest queued task of an activity whose token is still
    /// awaited (tasks of forgotten tokens are dropped on the way). A task is
    /// handed out once; the caller does not need to wait for durability (after
    /// a crash an unflushed claim is simply handed out again).
    fn claim_activity_task(&self, activity_arn: &str) -> Result<Option<ActivityTaskRecord>>;
}
