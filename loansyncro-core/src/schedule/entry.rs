//! Loans entered mid-term. Two ways in, one result: terms that **continue** from a stated
//! balance with the payment the borrower makes, whose [`Opening`] says where the loan was
//! entered and what is known about the history before.
//!
//! - [`LoanTerms::from_current`]: from what the borrower knows today (balance, rate, payment,
//!   next due date); the original terms are unknown, so is the history.
//! - [`LoanTerms::enter_mid_term`]: from the original terms plus the lender's balance on a
//!   date. The original schedule's installments due on or before the date are the history,
//!   summarized in a [`History`] (what they paid, and the difference between the stated
//!   balance and the schedule's, stated rather than absorbed).
//!
//! **Same payment, the term moves.** From the entry on the loan keeps its payment (a fixed
//! installment): the remaining installments follow from the payment, the last one adjusted.
//! This is what a lender does when the balance differs from the original schedule (a late or
//! extra payment, a fee): the contractual payment stays and the payoff date moves; the loan is
//! not re-amortized. (A re-amortization is a [`crate::Renewal`] with an amortization.)
//!
//! The continued loan starts on the due date before the entry date (the start of the current
//! period), so its first installment carries a full period's interest on the stated balance.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::math::rate::Rate;
use crate::schedule::events::{History, Opening};
use crate::schedule::terms::{AmortizationMethod, Grace, LoanTerms, LoanTermsBuilder};

/// What a borrower knows about a loan today when its original terms are unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentState {
    /// The balance now (after the last installment paid).
    pub balance: Decimal,
    /// The annual nominal rate.
    pub annual_rate: Rate,
    /// The installment the borrower pays.
    pub payment: Decimal,
    /// The next installment's due date.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub next_due: NaiveDate,
}

/// Renames a validation error's field (the builder's name to the entry's input name).
fn renamed(error: Error, rename: impl Fn(&str) -> Option<&'static str>) -> Error {
    match error {
        Error::Validation { field, reason } => match rename(&field) {
            Some(to) => Error::Validation {
                field: to.to_owned(),
                reason,
            },
            None => Error::Validation { field, reason },
        },
        other => other,
    }
}

impl LoanTerms {
    /// A loan entered from its current state: `base` gives the conventions (currency,
    /// frequency, day count, rounding, ...; its principal, rate, term and start are replaced),
    /// `state` what the borrower knows. The loan starts one period before the next due date
    /// and keeps the payment; its opening has no history (unknown). Errors name `balance`,
    /// `payment`, `next_due` or a `base` field.
    ///
    /// ```
    /// use loansyncro_core::{CurrentState, LoanTerms, Rate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let state = CurrentState {
    ///     balance: dec!(182450.17),
    ///     annual_rate: Rate::from_percent(dec!(5.25))?,
    ///     payment: dec!(1325.00),
    ///     next_due: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
    /// };
    /// let terms = LoanTerms::from_current(LoanTerms::builder(), &state)?;
    /// assert_eq!(terms.start(), NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
    /// assert!(terms.opening().unwrap().history.is_none()); // the history is unknown
    /// let s = terms.schedule()?;
    /// assert_eq!(s.installments()[0].interest(), dec!(798.22)); // 182450.17 × 5.25% / 12
    /// assert_eq!(s.installments()[0].payment(), dec!(1325.00));
    /// assert_eq!(s.len(), 212);
    /// assert_eq!(s.last().unwrap().payment(), dec!(386.67)); // the last one adjusted
    /// let too_low = CurrentState { payment: dec!(798.22), ..state };
    /// let err = LoanTerms::from_current(LoanTerms::builder(), &too_low).unwrap_err();
    /// assert_eq!(err.field(), Some("payment"));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn from_current(base: LoanTermsBuilder, state: &CurrentState) -> Result<LoanTerms> {
        crate::math::calendar::check_supported_date("next_due", state.next_due)?;
        if state.balance <= Decimal::ZERO {
            return Err(Error::validation("balance", "must be greater than zero"));
        }
        if state.payment <= Decimal::ZERO {
            return Err(Error::validation("payment", "must be greater than zero"));
        }
        let frequency = base.frequency;
        let start = match (frequency.months(), frequency.days()) {
            (Some(m), _) => state.next_due.checked_sub_months(Months::new(m)),
            (None, Some(d)) => state
                .next_due
                .checked_sub_signed(chrono::Duration::days(i64::from(d))),
            (None, None) => {
                return Err(Error::validation(
                    "frequency",
                    "an entry from the current balance needs a month- or day-based frequency",
                ))
            }
        }
        .ok_or_else(|| Error::validation("next_due", "is out of range"))?;
        let mut b = base
            .principal(state.balance)
            .annual_rate(state.annual_rate)
            .method(AmortizationMethod::FixedInstallment {
                amount: state.payment,
            })
            .start(start)
            .grace(Grace::default())
            .opening(Opening {
                date: start,
                balance: state.balance,
                history: None,
            });
        b.first_due =
            (frequency.first_due_after(start) != Some(state.next_due)).then_some(state.next_due);
        b.installment_multiple = None;
        b.balloon = None;
        b.amortization_installments = None;
        b.build().map_err(|e| {
            renamed(e, |field| match field {
                "principal" | "opening.balance" => Some("balance"),
                "method.amount" | "installments" => Some("payment"),
                "start" | "first_due" | "opening.date" => Some("next_due"),
                "annual_rate" | "annual_rate_percent" => Some("annual_rate"),
                _ => None,
            })
        })
    }

    /// These (original) terms entered mid-term: `balance` is the lender's balance on `date`.
    /// The original schedule's installments due on or before `date` are the history,
    /// summarized in the opening's [`History`]; the loan continues from `balance` with the
    /// payment the original schedule asks next (same payment, the term moves: see the
    /// [module](self)). Equal or fixed installments without a balloon, a longer amortization or
    /// scheduled adjustments. Errors name `date`, `balance` or the original field.
    ///
    /// ```
    /// use loansyncro_core::{LoanTerms, Rate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let original = LoanTerms::builder()
    ///     .principal(dec!(250000))
    ///     .annual_rate(Rate::from_percent(dec!(6.5))?)
    ///     .installments(360)
    ///     .start(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap())
    ///     .build()?;
    /// // The lender says 238,000.00 on 2025-01-15 (48 installments in).
    /// let on = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
    /// let entered = original.enter_mid_term(on, dec!(238000))?;
    /// let h = entered.opening().unwrap().history.unwrap();
    /// assert_eq!(h.installments, 48);
    /// assert_eq!(h.scheduled_balance, dec!(237648.95));
    /// assert_eq!(h.difference, dec!(351.05)); // stated, never absorbed
    /// assert_eq!(h.payment, dec!(1580.17)); // kept
    /// assert_eq!(entered.start(), NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// assert_eq!(entered.schedule()?.len(), 314); // not 360 − 48: the term moves
    /// let late = NaiveDate::from_ymd_opt(2051, 1, 1).unwrap();
    /// let err = original.enter_mid_term(late, dec!(1)).unwrap_err();
    /// assert_eq!(err.field(), Some("date"));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn enter_mid_term(&self, date: NaiveDate, balance: Decimal) -> Result<LoanTerms> {
        crate::math::calendar::check_supported_date("date", date)?;
        if balance <= Decimal::ZERO {
            return Err(Error::validation("balance", "must be greater than zero"));
        }
        self.currency.check_precision("balance", balance)?;
        if self.opening.is_some() {
            return Err(Error::validation(
                "opening",
                "the loan was already entered mid-term",
            ));
        }
        if !matches!(
            self.method,
            AmortizationMethod::EqualInstallments | AmortizationMethod::FixedInstallment { .. }
        ) || self.balloon.is_some()
            || self.amortization_installments.is_some()
            || !self.adjustment_payment_numbers.is_empty()
        {
            return Err(Error::validation(
                "method",
                "an entry mid-term keeps the payment: equal or fixed installments, without a \
                 balloon, a longer amortization or scheduled adjustments",
            ));
        }
        if date < self.start {
            return Err(Error::validation("date", "is before the loan's start"));
        }
        let original = self.schedule()?;
        let rows = original.installments();
        let paid = rows.partition_point(|r| r.due_date() <= date);
        let (Some(next), Some(last)) = (rows.get(paid), rows.last()) else {
            return Err(Error::validation(
                "date",
                "is on or after the original schedule's last installment",
            ));
        };
        if paid < self.grace.principal_periods as usize {
            return Err(Error::validation("date", "falls inside the grace period"));
        }
        let before = &rows[..paid];
        let zero = self.currency.from_minor(0);
        let scheduled_balance = before.last().map_or(self.principal, |r| r.balance());
        // The payment in force: the next row's, unless that is the adjusted last one.
        let payment = match before.last() {
            Some(previous) if next.number() == last.number() => previous.payment(),
            _ => next.payment(),
        };
        let start = before.last().map_or(self.start, |r| r.due_date());
        let first_due = match before.last() {
            None => self.first_due,
            Some(_) => (self.frequency.first_due_after(start) != Some(next.due_date()))
                .then(|| next.due_date()),
        };
        let history = History {
            original_start: self.start,
            original_principal: self.principal,
            original_installments: self.installments,
            installments: u32::try_from(paid).map_err(|_| Error::overflow("installments"))?,
            interest_paid: before.iter().fold(zero, |a, r| a + r.interest()),
            principal_paid: before.iter().fold(zero, |a, r| a + r.principal()),
            scheduled_balance,
            difference: balance - scheduled_balance,
            payment,
        };
        let mut b = self
            .to_builder()
            .principal(balance)
            .annual_rate(self.rate_on(start))
            .method(AmortizationMethod::FixedInstallment { amount: payment })
            .start(start)
            .grace(Grace::default())
            .opening(Opening {
                date,
                balance,
                history: Some(history),
            });
        b.first_due = first_due;
        b.installment_multiple = None;
        b.rate_changes.retain(|c| c.effective > start);
        b.renewals.retain(|r| r.effective > start);
        b.build().map_err(|e| {
            renamed(e, |field| match field {
                "principal" | "method.amount" | "installments" | "opening.balance" => {
                    Some("balance")
                }
                "opening.date" => Some("date"),
                _ => None,
            })
        })
    }
}
