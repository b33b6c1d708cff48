//! payload (being written).
