//! Statement reconciliation: does the lender's statement match the contract, and which
//! convention does the lender use?
//!
//! Above [`crate::ledger`] and [`crate::schedule`], below [`crate::app`]. Input: the loan's terms
//! as the borrower knows them and the lender's [`StatementLine`]s (date, amount paid, and
//! whichever of interest charged, principal and balance the statement shows), imported from
//! CSV ([`csv`]), OFX/QFX ([`ofx`]) or Plaid's liabilities and transactions JSON ([`plaid`]).
//!
//! [`reconcile`] replays the stated payments through the ledger under every convention of a
//! small grid ([`Convention::grid`]: day count, payment basis, accrual, compounding, rounding
//! mode, rounding place) and keeps the one that reproduces the most lines exactly. Each line
//! comes back with the expected and the stated interest, principal and balance and their
//! differences to the cent ([`LineCheck`]), with a sentence a borrower can read, and a flag
//! naming the first line no convention explains (a lender error, a fee, a missing payment).
//!
//! ```
//! use loansyncro_core::reconcile::{reconcile, StatementLine};
//! use loansyncro_core::{DayCount, LoanTerms, Rate};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! // What the borrower knows: 10,000 at 6% over 12 months from 2025-01-01.
//! let terms = LoanTerms::builder()
//!     .principal(dec!(10000))
//!     .annual_rate(Rate::from_percent(dec!(6))?)
//!     .installments(12)
//!     .start(d(1, 1))
//!     .build()?;
//! // The lender's first three lines (it accrues Actual/365 on the actual days of each month).
//! let line = |date, interest, principal, balance| StatementLine {
//!     date,
//!     amount: dec!(860.55),
//!     interest: Some(interest),
//!     principal: Some(principal),
//!     balance: Some(balance),
//! };
//! let lines = [
//!     line(d(2, 1), dec!(50.96), dec!(809.59), dec!(9190.41)),
//!     line(d(3, 1), dec!(42.30), dec!(818.25), dec!(8372.16)),
//!     line(d(4, 1), dec!(42.66), dec!(817.89), dec!(7554.27)),
//! ];
//! let report = reconcile(&terms, &lines)?;
//! assert!(report.explained);
//! assert_eq!(report.convention.day_count, DayCount::Actual365Fixed);
//! assert_eq!(report.lines_matched, 3);
//! assert_eq!(report.lines[1].interest.expected, dec!(42.30));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

mod compare;
mod convention;
pub mod csv;
mod fields;
pub mod ofx;
pub mod plaid;
mod search;
mod text;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use compare::{check_lines, Amounts, LineCheck};
pub use convention::Convention;
pub use search::{reconcile, Reconciliation};

/// One line of a lender's statement. Only the date and the amount paid are required; the
/// interest, principal and balance are compared when the statement shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// The date the payment was applied.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// The amount paid towards principal and interest (zero for a line without a payment,
    /// e.g. a fee or a balance statement).
    pub amount: Decimal,
    /// The interest the lender charged (the part of the payment that went to interest).
    #[serde(default)]
    pub interest: Option<Decimal>,
    /// The part of the payment that went to principal.
    #[serde(default)]
    pub principal: Option<Decimal>,
    /// The principal balance after the line.
    #[serde(default)]
    pub balance: Option<Decimal>,
}
