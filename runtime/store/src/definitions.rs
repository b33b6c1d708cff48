//! The definitions that Standard executions run, stored once each.

use crate::durability::Ticket;
use crate::error::Result;

/// The definitions table: definition texts keyed by their sha256 (lower-case
/// hex). An execution's engine state refers to the definition it runs by
/// that key instead of holding the text, so a transition does not rewrite
/// it. Definitions are never deleted: they are few (one per definition text
/// ever run), and a finished execution's definition stays readable.
pub trait Definitions {
    /// Stores `definition` unless it is stored already; returns its key.
    fn put_definition(&self, definition: &str) -> Result<(String, Ticket)>;

    /// The definition with this key.
    fn get_definition(&self, key: &str) -> Result<Option<String>>;
}
