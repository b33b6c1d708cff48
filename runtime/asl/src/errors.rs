//! errors (being written).
