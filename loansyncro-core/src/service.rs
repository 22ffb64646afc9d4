//! service (in progress)
