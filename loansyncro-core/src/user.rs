//! user (in progress)
