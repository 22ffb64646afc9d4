//! planner (in progress)
