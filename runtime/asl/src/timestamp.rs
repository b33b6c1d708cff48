//! timestamp (being written).
