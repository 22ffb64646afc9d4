//! series (in progress)
