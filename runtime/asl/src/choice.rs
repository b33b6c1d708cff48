//! choice (being written).
