//! The common types, also re-exported at the crate root: loan terms and their options, rates,
//! currencies and rounding, the calendar, the schedule, and the error. Everything else is
//! reached through its layer (`math`, `finance`, `schedule`, `ledger`, `domain`, `app`).
//!
//! ```
//! use loansyncro_core::prelude::*;
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//!
//! let schedule: Schedule = LoanTerms::builder()
//!     .principal(dec!(12000))
//!     .annual_rate(Rate::from_percent(dec!(5))?)
//!     .installments(12)
//!     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
//!     .build()?
//!     .schedule()?;
//! assert_eq!(schedule.regular_payment(), dec!(1027.29));
//! # Ok::<(), Error>(())
//! ```

pub use crate::error::{ConflictKind, Error, Result};
pub use crate::math::calendar::{DayCount, Frequency};
pub use crate::math::error::MathError;
pub use crate::math::money::{Currency, RoundingMode};
pub use crate::math::rate::{Compounding, Rate};
pub use crate::schedule::entry::CurrentState;
pub use crate::schedule::events::{History, Opening, Renewal, Segment};
pub use crate::schedule::terms::{
    Accrual, AmortizationMethod, BalancePrecision, Grace, LoanTerms, LoanTermsBuilder,
    PrepaymentPolicy, RateChange,
};
pub use crate::schedule::{
    ExtraPayments, Installment, InstallmentRecord, LumpSum, Schedule, Totals, WhatIf,
};
