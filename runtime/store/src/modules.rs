//! Task modules (WebAssembly components): versions by name, bytes by digest.

use serde::{Deserialize, Serialize};

use crate::durability::Ticket;
use crate::error::Result;

/// One uploaded version of a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleVersionRecord {
    /// The module's name (as in `wasm:<name>`).
    pub name: String,
    /// 1, 2, ...
    pub version: u64,
    /// Lower-case hex sha256 of the bytes: the blob's key.
    pub sha256: String,
    /// Size of the bytes.
    pub size: u64,
    /// Upload time, milliseconds since the Unix epoch.
    pub created_ms: i64,
}

/// The modules tables: versions keyed by (name, version), the latest version
/// per name, and blobs keyed by sha256 (content-addressed: the same bytes are
/// stored once however many versions refer to them).
pub trait Modules {
    /// Stores `bytes` as the next version of `name` and returns it; if the
    /// latest version has the same bytes, returns it instead (uploads are
    /// idempotent).
    fn put_module(
        &self,
        name: &str,
        bytes: &[u8],
        created_ms: i64,
    ) -> Result<(ModuleVersionRecord, Ticket)>;

    /// One version of a module.
    fn get_module_version(&self, name: &str, version: u64) -> Result<Option<ModuleVersionRecord>>;

    /// The latest version of a module.
    fn latest_module_version(&self, name: &str) -> Result<Option<ModuleVersionRecord>>;

    /// Names of the stored modules, sorted.
    fn list_modules(&self) -> Result<Vec<String>>;

    /// A module's versions, oldest first.
    fn list_module_versions(&self, name: &str) -> Result<Vec<ModuleVersionRecord>>;

    /// The bytes with this sha256 (lower-case hex).
    fn module_blob(&self, sha256: &str) -> Result<Option<Vec<u8>>>;

    /// Removes a module and its versions, and each blob that no remaining
    /// version refers to; `NotFound` if there is none.
    fn delete_module(&self, name: &str) -> Result<Ticket>;
}
