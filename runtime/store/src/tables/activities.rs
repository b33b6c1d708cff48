//! [`Activities`] on any backend.

use super::{collect, get_json, json_page};
use crate::activities::{Activities, ActivityRecord, ActivityTaskRecord};
use crate::codec::{self, to_json};
use crate::durability::Ticket;
use crate::error::{Result, StoreError};
use crate::keys;
use crate::kv::{Kv, TreeId};
use crate::page::{Page, PageRequest};

const ACTIVITY: &str = "activity";

/// Queued tasks removed per transaction when an activity is deleted.
const QUEUE_CHUNK: usize = 1000;

/// What claiming the head of a queue found.
enum Claim {
    /// A task whose token is awaited: hand it out.
    Live,
    /// A task whose token is gone: dropped.
    Stale,
    /// Another worker took it first.
    Taken,
}

/// Transactions are scoped by activity ARN (queued tasks are written by
/// executions, under theirs, and only ever removed under the activity's).
impl<K: Kv> Activities for K {
    fn create_activity(&self, record: ActivityRecord) -> Result<Ticket> {
        let value = to_json(&record)?;
        self.transact(&record.arn, &|txn| {
            if txn
                .get(TreeId::Activities, record.arn.as_bytes())?
                .is_some()
            {
                return Err(StoreError::AlreadyExists(format!(
                    "{ACTIVITY} {}",
                    record.arn
                )));
            }
            txn.insert(TreeId::Activities, record.arn.as_bytes(), &value)
        })?;
        Ok(self.ticket())
    }

    fn update_activity(&self, record: ActivityRecord) -> Result<Ticket> {
        let value = to_json(&record)?;
        self.transact(&record.arn, &|txn| {
            if txn
                .get(TreeId::Activities, record.arn.as_bytes())?
                .is_none()
            {
                return Err(StoreError::NotFound(format!("{ACTIVITY} {}", record.arn)));
            }
            txn.insert(TreeId::Activities, record.arn.as_bytes(), &value)
        })?;
        Ok(self.ticket())
    }

    fn get_activity(&self, arn: &str) -> Result<Option<ActivityRecord>> {
        get_json(self, TreeId::Activities, arn.as_bytes(), ACTIVITY)
    }

    fn list_activities(&self, page: &PageRequest) -> Result<Page<ActivityRecord>> {
        json_page(self, TreeId::Activities, &[], page, false, ACTIVITY)
    }

    fn delete_activity(&self, arn: &str) -> Result<Ticket> {
        self.transact(arn, &|txn| {
            if txn.get(TreeId::Activities, arn.as_bytes())?.is_none() {
                return Err(StoreError::NotFound(format!("{ACTIVITY} {arn}")));
            }
            txn.remove(TreeId::Activities, arn.as_bytes())
        })?;
        let queue = keys::prefix_range(&keys::text_prefix(arn));
        loop {
            let chunk = collect(
                self,
                TreeId::ActivityTasks,
                queue.clone(),
                false,
                QUEUE_CHUNK,
            )?;
            if chunk.is_empty() {
                break;
            }
            self.transact(arn, &|txn| {
                for (key, _) in &chunk {
                    txn.remove(TreeId::ActivityTasks, key)?;
                }
                Ok(())
            })?;
        }
        Ok(self.ticket())
    }

    fn claim_activity_task(&self, activity_arn: &str) -> Result<Option<ActivityTaskRecord>> {
        let queue = keys::prefix_range(&keys::text_prefix(activity_arn));
        loop {
            let Some((key, value)) =
                collect(self, TreeId::ActivityTasks, queue.clone(), false, 1)?.pop()
            else {
                return Ok(None);
            };
            let task: ActivityTaskRecord = codec::from_json(&value, "activity task")?;
            let claim = self.transact(activity_arn, &|txn| {
                if txn.get(TreeId::ActivityTasks, &key)?.is_none() {
                    return Ok(Claim::Taken);
                }
                txn.remove(TreeId::ActivityTasks, &key)?;
                Ok(match txn.get(TreeId::Tokens, task.token.as_bytes())? {
                    Some(_) => Claim::Live,
                    None => Claim::Stale,
                })
            })?;
            match claim {
                Claim::Live => return Ok(Some(task)),
                Claim::Stale | Claim::Taken => continue,
            }
        }
    }
}
