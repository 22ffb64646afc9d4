//! finance (in progress)
