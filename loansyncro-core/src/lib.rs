//! # LoanSyncro core
//!
//! Exact loan arithmetic with `Decimal` money: loan terms, amortization schedules that close at
//! exactly zero, spreadsheet-compatible finance functions, Regulation Z APR, what-if extra
//! payments and CSV export. Pure and synchronous: no I/O, no async runtime.
//!
//! ```
//! use loansyncro_core::{ExtraPayments, LoanTerms, Rate};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//!
//! let terms = LoanTerms::builder()
//!     .principal(dec!(250000))
//!     .annual_rate(Rate::from_percent(dec!(6.5))?)
//!     .installments(360)
//!     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
//!     .build()?;
//! let schedule = terms.schedule()?;
//! assert_eq!(schedule.regular_payment(), dec!(1580.17));
//! assert_eq!(schedule.last().unwrap().balance(), dec!(0.00));
//! assert_eq!(schedule.totals().principal, dec!(250000.00));
//!
//! let faster = terms.what_if(&ExtraPayments::recurring(dec!(200)))?;
//! assert!(faster.installments_saved > 0);
//! # Ok::<(), loansyncro_core::Error>(())
//! ```
//!
//! Rounding conventions: the installment is rounded to the currency's minor unit (half-up by
//! default), each period's interest is rounded once, principal = payment − interest, and the last
//! installment absorbs the remainder. See [`schedule`] for details.
//!
//! # Status as of a date
//!
//! A loan's status is a function of its terms, its repayments and an as-of date
//! ([`domain::status::replay_status`]), never of a clock hidden in the core: the clock is the
//! [`Clock`](app::ports::Clock) port injected into the [`LoanService`](app::service::LoanService). A write evaluates the status as of the
//! ledger's own latest date, so a historical loan entered today keeps the statuses its dates
//! imply; positions show `days_past_due` and the overdue `amount_due`; a loan is `defaulted`
//! only when its owner says so or its terms opt in to a days-past-due threshold
//! ([`LoanTermsBuilder::default_after_days_past_due`]). See [`domain::status`] and [`app::service`].
//!
//! # Lender conventions
//!
//! **Exact payment ties.** The regular payment is the exact annuity rounded once by the loan's
//! rounding mode, and a value of exactly half a minor unit is decided on the exact rational
//! value (half-up rounds it up, half-even to the even cent), never on a finite-precision
//! approximation that lands beside it. Each row's interest is rounded exactly too.
//!
//! ```
//! use loansyncro_core::{LoanTerms, Rate, RoundingMode};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! // 12345.00 at 6% for one month: exactly 12406.725.
//! let terms = |mode| LoanTerms::builder()
//!     .principal(dec!(12345.00))
//!     .annual_rate(Rate::from_percent(dec!(6)).unwrap())
//!     .installments(1)
//!     .payment_rounding(mode)
//!     .interest_rounding(mode)
//!     .start(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap())
//!     .build();
//! assert_eq!(terms(RoundingMode::HalfUp)?.schedule()?.regular_payment(), dec!(12406.73));
//! assert_eq!(terms(RoundingMode::HalfEven)?.schedule()?.regular_payment(), dec!(12406.72));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```
//!
//! **Precision limits are errors.** A rate or an amount with more decimals than the engine
//! represents exactly is a validation error naming the field, never silently rounded: an amount
//! with more decimals than its currency, a percent with more than 16 decimals, or a wire value
//! with more than 28 significant digits.
//!
//! ```
//! use loansyncro_core::LoanTerms;
//! use chrono::NaiveDate;
//! use rust_decimal::Decimal;
//! use std::str::FromStr;
//! let err = LoanTerms::builder()
//!     .principal(Decimal::from(1000))
//!     .annual_rate_percent(Decimal::from_str("5.0000000000000000000000000001").unwrap())
//!     .installments(12)
//!     .start(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap())
//!     .build()
//!     .unwrap_err();
//! assert_eq!(err.field(), Some("annual_rate"));
//! ```
//!
//! **Installment multiple (Fineract semantics).** Rounding the installment to a multiple (e.g.
//! whole units) applies to equal-installment schedules only; with equal principal (or flat,
//! interest-only or a given fixed installment) there is no level installment to round, so the
//! builder rejects it on `installment_multiple` (see
//! [`LoanTermsBuilder::installment_multiple`]).
//!
//! **Spreadsheet carry precision.** [`BalancePrecision::Spreadsheet`] is the table of every
//! spreadsheet amortization template and many textbooks: the exact payment and balance are
//! carried and each column is rounded on its own (see [`schedule::spreadsheet`], with an example); with
//! [`AmortizationMethod::FixedInstallment`] it is the fixed-payment variant (a given payment,
//! the term as long as it takes). The default stays [`BalancePrecision::RoundEachBalance`].
//!
//! **Actual/360 accrual with 30/360 amortization.** The payment basis and the accrual basis are
//! separate terms: [`LoanTermsBuilder::payment_day_count`] computes the level payment at the
//! nominal rate / 12 over the amortization period
//! ([`LoanTermsBuilder::amortization_installments`], e.g. 360) while each month's interest
//! accrues on the `day_count` (actual days / 360), and the loan matures with a balloon at its
//! term (`installments`, e.g. 120). See the example there.
//!
//! **APR unit-period fractions.** [`finance::apr`] follows Regulation Z Appendix J (b)(5) for every unit
//! period: months and multiples (odd days / 30), semi-months (30 days a month, then `d div 15`),
//! weeks and multiples (actual days), and years (whole months / 12 when the rest is whole
//! months, else actual days / 365). See the module docs for an example.
//!
//! **Adjustable-rate recasts.** Regulation Z Appendix H style ARMs recompute the payment over
//! the remaining term at every scheduled adjustment ([`LoanTermsBuilder::adjust_every`] or
//! [`LoanTermsBuilder::adjustment_payment_numbers`]), even when the rate is unchanged, with an
//! optional cap on each rise ([`LoanTermsBuilder::payment_cap_percent`]); interest above a
//! capped payment is added to the balance and the row is flagged. [`Schedule::adjustments`]
//! lists every recast with the balance it started from and the uncapped payment.
#![warn(missing_docs)]

// The layers, bottom to top: math, finance, schedule, ledger, domain, reconcile, app. A module
// imports only from its own layer, the layers below it and `error` (tests/layers.rs checks it).
pub mod app;
pub mod domain;
pub mod error;
pub mod finance;
pub mod ledger;
pub mod math;
pub mod prelude;
pub mod reconcile;
pub mod schedule;

pub use prelude::*;
