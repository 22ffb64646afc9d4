//! loan (in progress)
