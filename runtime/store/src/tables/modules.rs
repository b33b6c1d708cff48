//! [`Modules`] on any backend.

use sha2::{Digest, Sha256};

use super::{collect, get_json, txn_json};
use crate::codec::{self, to_json};
use crate::durability::Ticket;
use crate::error::{Result, StoreError};
use crate::keys;
use crate::kv::{Kv, TreeId, Txn};
use crate::modules::{ModuleVersionRecord, Modules};

const MODULE: &str = "module version";

/// The transaction scope of every module write: blobs are shared between
/// module names.
const MODULES_SCOPE: &str = "modules";

/// A big-endian counter value, 0 if absent.
fn counter(bytes: Option<Vec<u8>>) -> Result<u64> {
    bytes.map_or(Ok(0), |bytes| keys::read_u64(&bytes))
}

/// Counts one more version referring to a blob, storing it for the first.
fn retain_blob(txn: &mut dyn Txn, sha256: &str, bytes: &[u8]) -> Result<()> {
    let key = sha256.as_bytes();
    let count = counter(txn.get(TreeId::BlobRefs, key)?)?;
    if count == 0 {
        txn.insert(TreeId::Blobs, key, bytes)?;
    }
    txn.insert(TreeId::BlobRefs, key, &(count + 1).to_be_bytes())
}

/// Counts one version fewer referring to a blob, removing it after the last.
fn release_blob(txn: &mut dyn Txn, sha256: &str) -> Result<()> {
    let key = sha256.as_bytes();
    match counter(txn.get(TreeId::BlobRefs, key)?)? {
        0 | 1 => {
            txn.remove(TreeId::BlobRefs, key)?;
            txn.remove(TreeId::Blobs, key)
        }
        count => txn.insert(TreeId::BlobRefs, key, &(count - 1).to_be_bytes()),
    }
}

impl<K: Kv> Modules for K {
    fn put_module(
        &self,
        name: &str,
        bytes: &[u8],
        created_ms: i64,
    ) -> Result<(ModuleVersionRecord, Ticket)> {
        let sha256 = keys::hex(&Sha256::digest(bytes));
        let record = self.transact(MODULES_SCOPE, &|txn| {
            let latest = counter(txn.get(TreeId::ModuleHeads, name.as_bytes())?)?;
            if latest > 0 {
                let key = keys::text_and_u64(name, latest);
                let stored: Option<ModuleVersionRecord> =
                    txn_json(txn, TreeId::ModuleVersions, &key, MODULE)?;
                if let Some(stored) = stored.filter(|stored| stored.sha256 == sha256) {
                    return Ok(stored);
                }
            }
            let record = ModuleVersionRecord {
                name: name.to_owned(),
                version: latest + 1,
                sha256: sha256.clone(),
                size: bytes.len() as u64,
                created_ms,
            };
            let key = keys::text_and_u64(name, record.version);
            txn.insert(TreeId::ModuleVersions, &key, &to_json(&record)?)?;
            txn.insert(
                TreeId::ModuleHeads,
                name.as_bytes(),
                &record.version.to_be_bytes(),
            )?;
            retain_blob(txn, &sha256, bytes)?;
            Ok(record)
        })?;
        Ok((record, self.ticket()))
    }

    fn get_module_version(&self, name: &str, version: u64) -> Result<Option<ModuleVersionRecord>> {
        get_json(
            self,
            TreeId::ModuleVersions,
            &keys::text_and_u64(name, version),
            MODULE,
        )
    }

    fn latest_module_version(&self, name: &str) -> Result<Option<ModuleVersionRecord>> {
        match counter(self.get(TreeId::ModuleHeads, name.as_bytes())?)? {
            0 => Ok(None),
            latest => self.get_module_version(name, latest),
        }
    }

    fn list_modules(&self) -> Result<Vec<String>> {
        let all = (std::ops::Bound::Unbounded, std::ops::Bound::Unbounded);
        collect(self, TreeId::ModuleHeads, all, false, usize::MAX)?
            .into_iter()
            .map(|(key, _)| codec::to_text(key, "module name"))
            .collect()
    }

    fn list_module_versions(&self, name: &str) -> Result<Vec<ModuleVersionRecord>> {
        let range = keys::prefix_range(&keys::text_prefix(name));
        collect(self, TreeId::ModuleVersions, range, false, usize::MAX)?
            .iter()
            .map(|(_, value)| codec::from_json(value, MODULE))
            .collect()
    }

    fn module_blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.get(TreeId::Blobs, sha256.as_bytes())
    }

    fn delete_module(&self, name: &str) -> Result<Ticket> {
        self.transact(MODULES_SCOPE, &|txn| {
            let latest = counter(txn.get(TreeId::ModuleHeads, name.as_bytes())?)?;
            if latest == 0 {
                return Err(StoreError::NotFound(format!("module {name}")));
            }
            for version in 1..=latest {
                let key = keys::text_and_u64(name, version);
                let stored: Option<ModuleVersionRecord> =
                    txn_json(txn, TreeId::ModuleVersions, &key, MODULE)?;
                if let Some(stored) = stored {
                    txn.remove(TreeId::ModuleVersions, &key)?;
                    release_blob(txn, &stored.sha256)?;
                }
            }
            txn.remove(TreeId::ModuleHeads, name.as_bytes())
        })?;
        Ok(self.ticket())
    }
}
