//! Shared test support.
pub mod matcher;
