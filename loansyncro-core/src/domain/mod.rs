//! The tracked entities, above [`crate::ledger`]: users, loans and their repayments, the loan
//! status state machine evaluated as of a date, and portfolio views over many loans.
pub mod correction;
pub mod ids;
pub mod loan;
pub mod portfolio;
pub mod repayment;
pub mod status;
pub mod user;
