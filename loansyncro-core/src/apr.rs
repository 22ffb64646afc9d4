//! apr (in progress)
