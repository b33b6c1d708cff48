//! Stepwise's module routes (`/modules`): uploaded task components, each
//! upload a new version, addressed in definitions as `wasm:<name>[:<version>]`.

use super::common::Timestamp;
use serde::{Deserialize, Serialize};

/// One uploaded version of a module (the reply to `PUT /modules/<name>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleVersion {
    /// The module's name (naming rules checked).
    pub name: String,
    /// 1 for the first upload, then one more per upload of different bytes.
    pub version: u64,
    /// The component's SHA-256, lower-case hex.
    pub sha256: String,
    /// The component's size in bytes.
    pub size: u64,
    /// When this version was uploaded.
    pub created_date: Timestamp,
}

/// The reply to `GET /modules`: the latest version of every module.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListModulesOutput {
    /// One entry per module, by name.
    pub modules: Vec<ModuleVersion>,
}

/// The reply to `GET /modules/<name>`: every version of one module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeModuleOutput {
    /// The module's name.
    pub name: String,
    /// Its versions, oldest first.
    pub versions: Vec<ModuleVersion>,
}
