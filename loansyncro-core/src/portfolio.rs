//! portfolio (in progress)
