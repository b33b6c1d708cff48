//! The one error type of the crate.

use thiserror::Error;

/// What can go wrong in a store call. Callers match on the variant; the text is
/// for logs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StoreError {
    /// The record to create exists already (the text names it).
    #[error("already exists: {0}")]
    AlreadyExists(String),
    /// The record to read, change or delete does not exist (the text names it).
    #[error("not found: {0}")]
    NotFound(String),
    /// A transition was computed from a stale execution: the stored record has
    /// another sequence number. Nothing was written.
    #[error("sequence conflict: expected {expected_seq}, found {actual_seq}")]
    Conflict {
        /// The sequence number the caller based its transition on.
        expected_seq: u64,
        /// The sequence number of the stored record.
        actual_seq: u64,
    },
    /// The request breaks a rule of the store (a caller bug, or a bad page
    /// token); the text says which.
    #[error("invalid request: {0}")]
    Invalid(String),
    /// Stored bytes could not be decoded.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// The directory holds a store in a format this version cannot read
    /// (written by another version of Stepwise). Nothing was changed.
    #[error(
        "the store is in format {found}, and this version of stepwise reads format {expected} \
         only (there is no migration: open it with the version that wrote it, or start with \
         an empty directory)"
    )]
    UnsupportedFormat {
        /// The format found (1: from before formats were recorded).
        found: u32,
        /// The format this version reads and writes.
        expected: u32,
    },
    /// The storage engine or the file system failed.
    #[error("storage error: {0}")]
    Io(String),
}

/// `Result` with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sled::Error> for StoreError {
    fn from(error: sled::Error) -> Self {
        match error {
            sled::Error::Corruption { .. } => StoreError::Corrupt(error.to_string()),
            other => StoreError::Io(other.to_string()),
        }
    }
}
