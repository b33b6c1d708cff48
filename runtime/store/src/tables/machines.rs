//! [`StateMachines`] on any backend.

use super::{get_json, json_page, txn_json};
use crate::codec::to_json;
use crate::durability::Ticket;
use crate::error::{Result, StoreError};
use crate::keys;
use crate::kv::{Kv, TreeId};
use crate::machines::{StateMachineRecord, StateMachineVersionRecord, StateMachines};
use crate::page::{Page, PageRequest};

const MACHINE: &str = "state machine";
const VERSION: &str = "state machine version";

/// The machine ARN and key of a version ARN (`<machine ARN>:<n>`), if it is
/// one.
fn version_key(version_arn: &str) -> Option<(&str, Vec<u8>)> {
    let (machine, number) = version_arn.rsplit_once(':')?;
    let number = number.parse().ok()?;
    Some((machine, keys::text_and_u64(machine, number)))
}

/// Transactions are scoped by machine ARN: a machine's record and versions
/// are written under it.
impl<K: Kv> StateMachines for K {
    fn create_state_machine(&self, mut record: StateMachineRecord) -> Result<Ticket> {
        record.version = 0;
        let value = to_json(&record)?;
        self.transact(&record.arn, &|txn| {
            if txn.get(TreeId::Machines, record.arn.as_bytes())?.is_some() {
                return Err(StoreError::AlreadyExists(format!(
                    "{MACHINE} {}",
                    record.arn
                )));
            }
            txn.insert(TreeId::Machines, record.arn.as_bytes(), &value)
        })?;
        Ok(self.ticket())
    }

    fn get_state_machine(&self, arn: &str) -> Result<Option<StateMachineRecord>> {
        get_json(self, TreeId::Machines, arn.as_bytes(), MACHINE)
    }

    fn update_state_machine(&self, record: StateMachineRecord) -> Result<Ticket> {
        let key = record.arn.as_bytes();
        self.transact(&record.arn, &|txn| {
            let stored: StateMachineRecord = txn_json(txn, TreeId::Machines, key, MACHINE)?
                .ok_or_else(|| StoreError::NotFound(format!("{MACHINE} {}", record.arn)))?;
            let record = StateMachineRecord {
                version: stored.version,
                ..record.clone()
            };
            txn.insert(TreeId::Machines, key, &to_json(&record)?)
        })?;
        Ok(self.ticket())
    }

    fn delete_state_machine(&self, arn: &str) -> Result<Ticket> {
        self.transact(arn, &|txn| {
            let stored: StateMachineRecord =
                txn_json(txn, TreeId::Machines, arn.as_bytes(), MACHINE)?
                    .ok_or_else(|| StoreError::NotFound(format!("{MACHINE} {arn}")))?;
            txn.remove(TreeId::Machines, arn.as_bytes())?;
            for version in 1..=stored.version {
                txn.remove(TreeId::Versions, &keys::text_and_u64(arn, version))?;
            }
            Ok(())
        })?;
        Ok(self.ticket())
    }

    fn list_state_machines(&self, page: &PageRequest) -> Result<Page<StateMachineRecord>> {
        json_page(self, TreeId::Machines, &[], page, false, MACHINE)
    }

    fn publish_state_machine_version(
        &self,
        arn: &str,
        description: Option<String>,
        created_ms: i64,
    ) -> Result<(StateMachineVersionRecord, Ticket)> {
        let version = self.transact(arn, &|txn| {
            let mut machine: StateMachineRecord =
                txn_json(txn, TreeId::Machines, arn.as_bytes(), MACHINE)?
                    .ok_or_else(|| StoreError::NotFound(format!("{MACHINE} {arn}")))?;
            if machine.version > 0 {
                let key = keys::text_and_u64(arn, machine.version);
                let latest: Option<StateMachineVersionRecord> =
                    txn_json(txn, TreeId::Versions, &key, VERSION)?;
                if let Some(latest) = latest.filter(|v| v.revision_id == machine.revision_id) {
                    return Ok(latest);
                }
            }
            machine.version += 1;
            let version = StateMachineVersionRecord {
                arn: format!("{arn}:{}", machine.version),
                state_machine_arn: arn.to_owned(),
                version: machine.version,
                definition: machine.definition.clone(),
                role_arn: machine.role_arn.clone(),
                revision_id: machine.revision_id.clone(),
                description: description.clone(),
                created_ms,
            };
            let key = keys::text_and_u64(arn, machine.version);
            txn.insert(TreeId::Versions, &key, &to_json(&version)?)?;
            txn.insert(TreeId::Machines, arn.as_bytes(), &to_json(&machine)?)?;
            Ok(version)
        })?;
        Ok((version, self.ticket()))
    }

    fn get_state_machine_version(
        &self,
        version_arn: &str,
    ) -> Result<Option<StateMachineVersionRecord>> {
        match version_key(version_arn) {
            Some((_, key)) => get_json(self, TreeId::Versions, &key, VERSION),
            None => Ok(None),
        }
    }

    fn list_state_machine_versions(
        &self,
        arn: &str,
        page: &PageRequest,
    ) -> Result<Page<StateMachineVersionRecord>> {
        let prefix = keys::text_prefix(arn);
        json_page(self, TreeId::Versions, &prefix, page, true, VERSION)
    }

    fn delete_state_machine_version(&self, version_arn: &str) -> Result<Ticket> {
        let not_found = || StoreError::NotFound(format!("{VERSION} {version_arn}"));
        let (machine, key) = version_key(version_arn).ok_or_else(not_found)?;
        self.transact(machine, &|txn| {
            if txn.get(TreeId::Versions, &key)?.is_none() {
                return Err(not_found());
            }
            txn.remove(TreeId::Versions, &key)
        })?;
        Ok(self.ticket())
    }
}
