//! [`Executions`] on any backend: creating executions, applying transitions,
//! leases, listings. Purging is in `purge.rs`.

use std::ops::Bound;

use super::{collect, scan_page};
use crate::codec::{self, Bookkeeping, EncodedExecution, Header, Identity, StoredExecution};
use crate::durability::Ticket;
use crate::error::{Result, StoreError};
use crate::executions::{ExecutionQuery, ExecutionRecord, Executions, Lease, Transition};
use crate::keys;
use crate::kv::{Kv, TreeId, Txn};
use crate::page::Page;

/// The index entries of an execution in the given state.
pub(super) fn index_entries(
    id: &str,
    identity: &Identity,
    header: &Header,
) -> Vec<(TreeId, Vec<u8>)> {
    let suffix = keys::by_machine_suffix(identity.start_ms, id);
    let by_machine = |arn: &str, tag| {
        (
            TreeId::ByMachine,
            [keys::by_machine_prefix(arn, tag), suffix.clone()].concat(),
        )
    };
    let started_with = identity.state_machine_arn.as_str();
    let mut entries = Vec::with_capacity(5);
    // Listed under the ARN it was started with and, when that names a
    // version or alias, under the machine's own ARN too.
    for arn in [Some(started_with), keys::unqualified_machine(started_with)]
        .into_iter()
        .flatten()
    {
        entries.push(by_machine(arn, 0));
        entries.push(by_machine(arn, header.status.code()));
    }
    match header.stop_ms {
        Some(stop_ms) if header.status.is_finished() => {
            entries.push((TreeId::Finished, keys::finished(stop_ms, id)));
        }
        _ => entries.push((TreeId::Running, id.as_bytes().to_vec())),
    }
    entries
}

/// Removes the timers, tokens and queued activity tasks `bookkeeping` lists.
pub(super) fn clear_pending(
    txn: &mut dyn Txn,
    id: &str,
    bookkeeping: &mut Bookkeeping,
) -> Result<()> {
    for (timer, due_ms) in std::mem::take(&mut bookkeeping.timers) {
        txn.remove(TreeId::Timers, &keys::timer(due_ms, id, timer))?;
    }
    for (token, queued) in std::mem::take(&mut bookkeeping.tokens) {
        forget_token(txn, &token, queued)?;
    }
    Ok(())
}

fn forget_token(txn: &mut dyn Txn, token: &str, queued: Option<(String, u64)>) -> Result<()> {
    txn.remove(TreeId::Tokens, token.as_bytes())?;
    if let Some((activity_arn, order)) = queued {
        txn.remove(
            TreeId::ActivityTasks,
            &keys::text_and_u64(&activity_arn, order),
        )?;
    }
    Ok(())
}

fn check_record(record: &ExecutionRecord) -> Result<()> {
    if record.status.is_finished() && record.stop_ms.is_none() {
        return Err(StoreError::Invalid(format!(
            "execution {} is {} without a stop time",
            record.id,
            record.status.as_str()
        )));
    }
    Ok(())
}

fn check_transition(t: &Transition) -> Result<()> {
    let id = &t.execution.id;
    check_record(&t.execution)?;
    if Some(t.execution.seq) != t.expected_seq.checked_add(t.events.len() as u64) {
        return Err(StoreError::Invalid(format!(
            "execution {id}: seq {} after {} events on seq {}",
            t.execution.seq,
            t.events.len(),
            t.expected_seq
        )));
    }
    let foreign_timer = t.add_timers.iter().any(|timer| &timer.execution_id != id);
    let foreign_token = t.add_tokens.iter().any(|token| &token.execution_id != id);
    if foreign_timer || foreign_token {
        return Err(StoreError::Invalid(format!(
            "execution {id}: a transition may only add its own timers and tokens"
        )));
    }
    Ok(())
}

/// The stored execution `id`, split, with `NotFound` if absent.
fn stored<'a>(bytes: &'a Option<Vec<u8>>, id: &str) -> Result<StoredExecution<'a>> {
    match bytes {
        Some(bytes) => StoredExecution::parse(bytes),
        None => Err(StoreError::NotFound(format!("execution {id}"))),
    }
}

/// Transactions are scoped by execution id: an execution's record, history,
/// index entries, timers and tokens are written under it. (Whether a new
/// token is free is read across executions: tokens are random, so that check
/// only guards against caller bugs.)
impl<K: Kv> Executions for K {
    fn create_execution(&self, record: ExecutionRecord, events: Vec<String>) -> Result<Ticket> {
        check_record(&record)?;
        if record.seq != events.len() as u64 {
            return Err(StoreError::Invalid(format!(
                "execution {}: seq {} with {} events",
                record.id,
                record.seq,
                events.len()
            )));
        }
        let id = record.id.clone();
        let identity = Identity::of(&record);
        let encoded = EncodedExecution::new(record)?;
        let value = encoded.with(&Bookkeeping::default())?;
        let chunk = codec::history_chunk(&events)?;
        let entries = index_entries(&id, &identity, &encoded.header);
        self.transact(&id, &|txn| {
            if txn.get(TreeId::Executions, id.as_bytes())?.is_some() {
                return Err(StoreError::AlreadyExists(format!("execution {id}")));
            }
            txn.insert(TreeId::Executions, id.as_bytes(), &value)?;
            if !events.is_empty() {
                txn.insert(TreeId::History, &keys::text_and_u64(&id, 1), &chunk)?;
            }
            for (tree, key) in &entries {
                txn.insert(*tree, key, &[])?;
            }
            Ok(())
        })?;
        Ok(self.ticket())
    }

    fn apply(&self, t: Transition) -> Result<Ticket> {
        check_transition(&t)?;
        let Transition {
            execution,
            expected_seq,
            events,
            add_timers,
            remove_timers,
            add_tokens,
            remove_tokens,
            add_activity_tasks,
        } = t;
        let id = execution.id.clone();
        let identity = Identity::of(&execution);
        let encoded = EncodedExecution::new(execution)?;
        let chunk = codec::history_chunk(&events)?;
        let tokens = add_tokens
            .iter()
            .map(|token| Ok((token.token.as_str(), codec::to_json(token)?)))
            .collect::<Result<Vec<_>>>()?;
        let tasks = add_activity_tasks
            .iter()
            .map(|task| Ok((task, self.next_id()?, codec::to_json(task)?)))
            .collect::<Result<Vec<_>>>()?;

        self.transact(&id, &|txn| {
            let old_bytes = txn.get(TreeId::Executions, id.as_bytes())?;
            // A transition from seq 0 onto no record creates the execution
            // with its first step (timers and tokens included) in one write.
            let old = match (&old_bytes, expected_seq) {
                (None, 0) => None,
                _ => Some(stored(&old_bytes, &id)?),
            };
            let old_seq = old.as_ref().map_or(0, |old| old.header.seq);
            if old_seq != expected_seq {
                return Err(StoreError::Conflict {
                    expected_seq,
                    actual_seq: old_seq,
                });
            }
            if let Some(old) = &old {
                if old.identity()? != identity {
                    return Err(StoreError::Invalid(format!(
                        "execution {id}: its state machine ARN and start time cannot change"
                    )));
                }
            }
            let mut book = match &old {
                Some(old) => old.bookkeeping()?,
                None => Bookkeeping::default(),
            };

            for timer in &remove_timers {
                if let Some(due_ms) = book.timers.remove(timer) {
                    txn.remove(TreeId::Timers, &keys::timer(due_ms, &id, *timer))?;
                }
            }
            for timer in &add_timers {
                if let Some(due_ms) = book.timers.insert(timer.timer, timer.due_ms) {
                    txn.remove(TreeId::Timers, &keys::timer(due_ms, &id, timer.timer))?;
                }
                txn.insert(
                    TreeId::Timers,
                    &keys::timer(timer.due_ms, &id, timer.timer),
                    &[],
                )?;
            }
            for token in &remove_tokens {
                if let Some(queued) = book.tokens.remove(token) {
                    forget_token(txn, token, queued)?;
                }
            }
            for (token, value) in &tokens {
                if !book.tokens.contains_key(*token) {
                    if txn.get(TreeId::Tokens, token.as_bytes())?.is_some() {
                        return Err(StoreError::AlreadyExists(format!("task token {token}")));
                    }
                    book.tokens.insert((*token).to_owned(), None);
                }
                txn.insert(TreeId::Tokens, token.as_bytes(), value)?;
            }
            for (task, order, value) in &tasks {
                let Some(queued) = book.tokens.get_mut(&task.token) else {
                    return Err(StoreError::Invalid(format!(
                        "execution {id}: activity task for token {} it did not register",
                        task.token
                    )));
                };
                if let Some((arn, order)) = queued.replace((task.activity_arn.clone(), *order)) {
                    txn.remove(TreeId::ActivityTasks, &keys::text_and_u64(&arn, order))?;
                }
                txn.insert(
                    TreeId::ActivityTasks,
                    &keys::text_and_u64(&task.activity_arn, *order),
                    value,
                )?;
            }
            if !events.is_empty() {
                let key = keys::text_and_u64(&id, expected_seq + 1);
                txn.insert(TreeId::History, &key, &chunk)?;
            }
            if encoded.header.status.is_finished() {
                clear_pending(txn, &id, &mut book)?;
            }

            let before = match &old {
                Some(old) => index_entries(&id, &identity, &old.header),
                None => Vec::new(),
            };
            let after = index_entries(&id, &identity, &encoded.header);
            for entry in before.iter().filter(|entry| !after.contains(entry)) {
                txn.remove(entry.0, &entry.1)?;
            }
            for entry in after.iter().filter(|entry| !before.contains(entry)) {
                txn.insert(entry.0, &entry.1, &[])?;
            }
            txn.insert(TreeId::Executions, id.as_bytes(), &encoded.with(&book)?)
        })?;
        Ok(self.ticket())
    }

    fn get_execution(&self, id: &str) -> Result<Option<ExecutionRecord>> {
        match self.get(TreeId::Executions, id.as_bytes())? {
            Some(bytes) => StoredExecution::parse(&bytes)?.record().map(Some),
            None => Ok(None),
        }
    }

    fn list_executions(&self, query: &ExecutionQuery) -> Result<Page<ExecutionRecord>> {
        let tag = query.status.map_or(0, |status| status.code());
        let prefix = keys::by_machine_prefix(&query.state_machine_arn, tag);
        let entries = scan_page(self, TreeId::ByMachine, &prefix, &query.page, true)?;
        let mut items = Vec::with_capacity(entries.items.len());
        for (suffix, _) in &entries.items {
            let id = suffix
                .get(8..)
                .and_then(|id| std::str::from_utf8(id).ok())
                .ok_or_else(|| StoreError::Corrupt("execution index key".into()))?;
            // Gone if purged since the scan.
            if let Some(record) = self.get_execution(id)? {
                items.push(record);
            }
        }
        Ok(Page {
            items,
            next_token: entries.next_token,
        })
    }

    fn running_executions(&self, after: Option<&str>, limit: usize) -> Result<Vec<String>> {
        let start = after.map_or(Bound::Unbounded, |after| {
            Bound::Excluded(after.as_bytes().to_vec())
        });
        collect(
            self,
            TreeId::Running,
            (start, Bound::Unbounded),
            false,
            limit,
        )?
        .into_iter()
        .map(|(key, _)| codec::to_text(key, "running index key"))
        .collect()
    }

    fn try_lease(&self, id: &str, owner: &str, now_ms: i64, ttl_ms: i64) -> Result<bool> {
        self.transact(id, &|txn| {
            let bytes = txn.get(TreeId::Executions, id.as_bytes())?;
            let stored = stored(&bytes, id)?;
            let mut book = stored.bookkeeping()?;
            let free = book
                .lease
                .as_ref()
                .is_none_or(|lease| lease.owner == owner || lease.expires_ms <= now_ms);
            if free {
                book.lease = Some(Lease {
                    owner: owner.to_owned(),
                    expires_ms: now_ms.saturating_add(ttl_ms),
                });
                txn.insert(TreeId::Executions, id.as_bytes(), &stored.with(&book)?)?;
            }
            Ok(free)
        })
    }

    fn release_lease(&self, id: &str, owner: &str) -> Result<Ticket> {
        self.transact(id, &|txn| {
            let bytes = txn.get(TreeId::Executions, id.as_bytes())?;
            let stored = stored(&bytes, id)?;
            let mut book = stored.bookkeeping()?;
            if book
                .lease
                .as_ref()
                .is_some_and(|lease| lease.owner == owner)
            {
                book.lease = None;
                txn.insert(TreeId::Executions, id.as_bytes(), &stored.with(&book)?)?;
            }
            Ok(())
        })?;
        Ok(self.ticket())
    }

    fn purge_finished(&self, older_than_ms: i64, limit: usize) -> Result<usize> {
        super::purge::purge_finished(self, older_than_ms, limit)
    }
}
