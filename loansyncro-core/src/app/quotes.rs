//! Read-only calculations on one of the user's loans: the payoff quote on a date and the
//! what-if of extra payments and rate changes. Nothing is stored; another user's loan is
//! [`Error::NotFound`] like an absent one (the ports scope every read).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::app::ports::{
    Clock, IdGenerator, LedgerStore, LoanRepository, Notifier, UserRepository,
};
use crate::app::service::LoanService;
use crate::domain::loan::LoanId;
use crate::domain::repayment::Repayment;
use crate::domain::user::UserId;
use crate::error::{Error, Result};
use crate::ledger::{self, LedgerPayment, PayoffRule};
use crate::math::money::Currency;
use crate::schedule::terms::{LoanTerms, RateChange};
use crate::schedule::{ExtraPayments, Schedule};

/// What closes a loan on a date ([`LoanService::payoff`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payoff {
    /// ISO 4217 currency of every amount.
    pub currency: Currency,
    /// The date the quote is for.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub as_of: NaiveDate,
    /// The interest rule of the quote.
    pub rule: PayoffRule,
    /// Principal outstanding (arrears principal included).
    pub principal: Decimal,
    /// Interest owed under `rule` (accrued to `as_of`, or the whole current period).
    pub interest: Decimal,
    /// Fees owed: loans carry no fee terms, so always zero in the currency's precision.
    pub fees: Decimal,
    /// `principal + interest + fees`.
    pub total: Decimal,
    /// The last day on which `total` still closes the loan (from the next day on the interest
    /// part is larger; at most the next due date).
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub good_through: NaiveDate,
}

/// A what-if scenario on a loan's contractual schedule ([`LoanService::what_if`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    /// Extra payments (recurring with every installment, one-off lump sums, and whether they
    /// reduce the term or the payment).
    pub extra: ExtraPayments,
    /// Rate changes added to the loan's own (one on the same date as the loan's replaces it).
    pub rate_changes: Vec<RateChange>,
}

/// The figures of one schedule in a [`WhatIfResult`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSummary {
    /// Number of installments.
    pub installments: u32,
    /// The regular installment (before any recast).
    pub regular_payment: Decimal,
    /// Σ interest.
    pub total_interest: Decimal,
    /// Σ payments (extra principal included).
    pub total_paid: Decimal,
    /// Σ extra principal.
    pub extra_principal: Decimal,
    /// Due date of the last installment.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub payoff_date: NaiveDate,
}

impl ScheduleSummary {
    /// The summary of `schedule`.
    pub fn of(schedule: &Schedule) -> Result<ScheduleSummary> {
        let last = schedule
            .last()
            .ok_or_else(|| Error::validation("installments", "the schedule has no installment"))?;
        let totals = schedule.totals();
        // Every amount at the currency's scale (a schedule without extras sums to a bare 0).
        let zero = schedule.currency().from_minor(0);
        Ok(ScheduleSummary {
            installments: u32::try_from(schedule.len()).unwrap_or(u32::MAX),
            regular_payment: schedule.regular_payment(),
            total_interest: totals.interest,
            total_paid: totals.paid,
            extra_principal: totals.extra_principal + zero,
            payoff_date: last.due_date(),
        })
    }
}

/// The outcome of [`LoanService::what_if`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatIfResult {
    /// ISO 4217 currency of every amount.
    pub currency: Currency,
    /// The loan's contractual schedule.
    pub base: ScheduleSummary,
    /// The schedule of the scenario.
    pub scenario: ScheduleSummary,
    /// Base interest − scenario interest (negative when a rate rise costs more).
    pub interest_saved: Decimal,
    /// Base installments − scenario installments (negative when the scenario is longer).
    pub installments_saved: i64,
    /// Calendar months between the scenario's and the base's payoff dates (base − scenario).
    pub months_saved: i64,
    /// The scenario's schedule.
    pub schedule: Schedule,
}

impl<S, N, C, I> LoanService<S, N, C, I>
where
    S: LedgerStore + UserRepository,
    N: Notifier,
    C: Clock,
    I: IdGenerator,
{
    /// The payoff quote of the user's loan on `as_of` (default: today on the service's
    /// clock) under `rule`, from its terms and repayments (see [`ledger::payoff_quote`]).
    /// `as_of` before the loan's start is a validation error on `as_of`.
    pub async fn payoff(
        &self,
        user: &UserId,
        id: &LoanId,
        as_of: Option<NaiveDate>,
        rule: PayoffRule,
    ) -> Result<Payoff> {
        let (loan, repayments) = self.store().loan_with_repayments(user, id).await?;
        let as_of = as_of.unwrap_or_else(|| self.clock().today());
        let terms = loan.terms();
        if as_of < terms.start() {
            return Err(Error::validation(
                "as_of",
                format!("{as_of} is before the loan start {}", terms.start()),
            ));
        }
        let paid = ledger_payments(&repayments);
        let quote = ledger::payoff_quote(terms, &paid, as_of, rule)?;
        let last_day = ledger::position(terms, &paid, as_of)?
            .next_due_date
            .unwrap_or(as_of);
        let mut good_through = as_of;
        while good_through < last_day {
            let Some(next) = good_through.succ_opt() else {
                break;
            };
            if ledger::payoff_quote(terms, &paid, next, rule)?.total != quote.total {
                break;
            }
            good_through = next;
        }
        let currency = terms.currency();
        let fees = currency.from_minor(0);
        Ok(Payoff {
            currency,
            as_of,
            rule,
            principal: quote.principal,
            interest: quote.interest,
            fees,
            total: quote.total + fees,
            good_through,
        })
    }

    /// The user's loan's contractual schedule under `scenario` compared with the schedule
    /// itself: the summaries of both and what the scenario saves. Nothing is stored.
    /// Errors name the scenario's field (`recurring`, `lump_sums[i].amount`, `rate_changes`).
    pub async fn what_if(
        &self,
        user: &UserId,
        id: &LoanId,
        scenario: &Scenario,
    ) -> Result<WhatIfResult> {
        let loan = LoanRepository::get(self.store(), user, id).await?;
        what_if(loan.terms(), scenario)
    }
}

/// `terms` under `scenario` compared with `terms` alone (see [`LoanService::what_if`]).
///
/// ```
/// use loansyncro_core::app::quotes::{what_if, Scenario};
/// use loansyncro_core::{ExtraPayments, LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let terms = LoanTerms::builder()
///     .principal(dec!(250000))
///     .annual_rate(Rate::from_percent(dec!(6.5))?)
///     .installments(360)
///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
///     .build()?;
/// let scenario = Scenario { extra: ExtraPayments::recurring(dec!(200)), ..Scenario::default() };
/// let w = what_if(&terms, &scenario)?;
/// assert_eq!((w.installments_saved, w.months_saved), (95, 95));
/// assert_eq!(w.interest_saved, dec!(97618.44));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn what_if(terms: &LoanTerms, scenario: &Scenario) -> Result<WhatIfResult> {
    let base = ScheduleSummary::of(&terms.schedule()?)?;
    let schedule = if scenario.rate_changes.is_empty() {
        terms.what_if(&scenario.extra)?.schedule
    } else {
        with_rate_changes(terms, &scenario.rate_changes)?
            .what_if(&scenario.extra)?
            .schedule
    };
    let new = ScheduleSummary::of(&schedule)?;
    let month = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month());
    Ok(WhatIfResult {
        currency: terms.currency(),
        interest_saved: base.total_interest - new.total_interest,
        installments_saved: i64::from(base.installments) - i64::from(new.installments),
        months_saved: month(base.payoff_date) - month(new.payoff_date),
        base,
        scenario: new,
        schedule,
    })
}

/// `terms` with `changes` merged into their rate changes (by date; `changes` win a tie).
fn with_rate_changes(terms: &LoanTerms, changes: &[RateChange]) -> Result<LoanTerms> {
    let mut merged: Vec<RateChange> = terms
        .rate_changes()
        .iter()
        .filter(|own| changes.iter().all(|c| c.effective != own.effective))
        .copied()
        .collect();
    merged.extend_from_slice(changes);
    merged.sort_by_key(|c| c.effective);
    terms
        .to_builder()
        .rate_changes(merged)
        .build()
        .map_err(|e| match e {
            Error::Validation { field, reason } if field.starts_with("rate_changes") => {
                Error::Validation { field, reason }
            }
            Error::Validation { reason, .. } => Error::validation("rate_changes", reason),
            other => other,
        })
}

/// The ledger payments of `repayments`.
fn ledger_payments(repayments: &[Repayment]) -> Vec<LedgerPayment> {
    repayments
        .iter()
        .map(|r| LedgerPayment {
            date: r.date,
            amount: r.amount,
        })
        .collect()
}
