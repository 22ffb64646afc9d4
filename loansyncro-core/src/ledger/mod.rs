//! Money actually paid, above [`crate::schedule`]: replay of repayments against the schedule
//! into a [`Position`], payoff quotes, chart series and the multi-debt payoff planner.
pub mod batch;
pub mod checkpoint;
pub mod planner;
pub mod postings;
mod replay;
pub mod series;

pub use checkpoint::LedgerCheckpoint;
pub use replay::*;
