//! Biweekly and accelerated biweekly payments against the monthly schedule of the same loan.
//!
//! Given monthly terms with monthly payment `M` (the schedule's regular payment):
//! * **biweekly**: `M × 12 / 26` every 14 days (the same money a year, paid earlier);
//! * **accelerated biweekly**: `M / 2` every 14 days: 26 half-payments, i.e. 13 monthly
//!   payments a year.
//!
//! Both payments are rounded to the currency's minor unit with the terms' payment rounding and
//! run through the schedule engine as a fixed installment (the number of installments follows
//! from it; the last one absorbs the remainder). A biweekly period bears the annual rate ×
//! its year fraction under the comparison's day count: by default Actual/365 Fixed, i.e.
//! `annual × 14 / 365` per period, the daily-interest basis of lenders who offer biweekly
//! plans (a 30/360 day count would charge `14 / 360`, 364/360 of the annual rate a year).
//! Interest is rounded per period, as in every schedule. The first biweekly payment is due 14
//! days after the start. Savings are monthly minus biweekly: interest and days to payoff
//! (negative when the biweekly plan costs more).
//!
//! ```
//! use loansyncro_core::schedule::biweekly::compare_biweekly;
//! use loansyncro_core::{LoanTerms, Rate};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//! let terms = LoanTerms::builder()
//!     .principal(dec!(200000))
//!     .annual_rate(Rate::from_percent(dec!(6))?)
//!     .installments(360)
//!     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
//!     .build()?;
//! let c = compare_biweekly(&terms, None)?;
//! assert_eq!(c.monthly.payment, dec!(1199.10));
//! assert_eq!(c.biweekly.plan.payment, dec!(553.43));
//! assert_eq!(c.accelerated.plan.payment, dec!(599.55));
//! assert!(c.accelerated.interest_saved > c.biweekly.interest_saved);
//! assert!(c.accelerated.plan.payoff_date < c.monthly.payoff_date);
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::math::calendar::{DayCount, Frequency};
use crate::schedule::terms::{AmortizationMethod, LoanTerms};
use crate::schedule::Schedule;

/// Biweekly payments a year.
pub const BIWEEKLY_PER_YEAR: u32 = 26;

/// One way of paying the loan off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    /// How often it pays.
    pub frequency: Frequency,
    /// The regular payment.
    pub payment: Decimal,
    /// How many payments (the last one may be smaller).
    pub installments: u32,
    /// Sum of the payments.
    pub total_paid: Decimal,
    /// Sum of the interest.
    pub total_interest: Decimal,
    /// The date of the last payment.
    pub payoff_date: NaiveDate,
}

impl PlanSummary {
    /// The summary of `schedule`, paying every `frequency`.
    pub fn of(schedule: &Schedule, frequency: Frequency) -> Result<PlanSummary> {
        let last = schedule
            .last()
            .ok_or_else(|| Error::validation("installments", "the schedule is empty"))?;
        let totals = schedule.totals();
        Ok(PlanSummary {
            frequency,
            payment: schedule.regular_payment(),
            installments: u32::try_from(schedule.len())
                .map_err(|_| Error::overflow("installments"))?,
            total_paid: totals.paid,
            total_interest: totals.interest,
            payoff_date: last.due_date(),
        })
    }
}

/// A biweekly plan and what it saves against the monthly schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BiweeklyOption {
    /// The plan.
    pub plan: PlanSummary,
    /// Monthly total interest minus this plan's (negative: it costs more).
    pub interest_saved: Decimal,
    /// Days from this plan's payoff to the monthly payoff (negative: it ends later).
    pub days_saved: i64,
}

/// Monthly, biweekly and accelerated biweekly side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BiweeklyComparison {
    /// The day count of the biweekly periods.
    pub day_count: DayCount,
    /// The monthly schedule of the terms.
    pub monthly: PlanSummary,
    /// `monthly × 12 / 26` every 14 days.
    pub biweekly: BiweeklyOption,
    /// `monthly / 2` every 14 days (13 monthly payments a year).
    pub accelerated: BiweeklyOption,
}

/// Compares the monthly schedule of `monthly` with its biweekly and accelerated biweekly
/// versions (see the [module docs](self)); `day_count` of the biweekly periods defaults to
/// Actual/365 Fixed.
///
/// The terms must be monthly level installments without rate changes, grace, balloon or
/// fixed installment: other terms are a validation error naming `frequency`, `method`,
/// `rate_changes`, `grace` or `balloon`. A biweekly plan that would need more than 1200
/// payments (about 46 years) is a validation error on `installments`.
pub fn compare_biweekly(
    monthly: &LoanTerms,
    day_count: Option<DayCount>,
) -> Result<BiweeklyComparison> {
    check_terms(monthly)?;
    let day_count = day_count.unwrap_or(DayCount::Actual365Fixed);
    let schedule = monthly.schedule()?;
    let summary = PlanSummary::of(&schedule, Frequency::Monthly)?;
    let currency = monthly.currency();
    let rounding = monthly.payment_rounding();
    let twelve = Decimal::from(12u32);
    let per_year = Decimal::from(BIWEEKLY_PER_YEAR);
    let m = summary.payment;
    let biweekly = currency.round(
        m.checked_mul(twelve)
            .ok_or_else(|| Error::overflow("payment"))?
            / per_year,
        rounding,
    );
    let accelerated = currency.round(m / Decimal::TWO, rounding);
    let option = |payment: Decimal| -> Result<BiweeklyOption> {
        let (_, s) = LoanTerms::builder()
            .currency(currency)
            .principal(monthly.principal())
            .annual_rate(monthly.annual_rate())
            .compounding(monthly.compounding())
            .frequency(Frequency::Biweekly)
            .method(AmortizationMethod::FixedInstallment { amount: payment })
            .day_count(day_count)
            .payment_rounding(rounding)
            .interest_rounding(monthly.interest_rounding())
            .start(monthly.start())
            .build_with_schedule()
            .map_err(|e| {
                if e.field() == Some("method.amount") {
                    Error::validation(
                        "installments",
                        "the biweekly plan would need more than 1200 payments",
                    )
                } else {
                    e
                }
            })?;
        let plan = PlanSummary::of(&s, Frequency::Biweekly)?;
        Ok(BiweeklyOption {
            interest_saved: summary.total_interest - plan.total_interest,
            days_saved: (summary.payoff_date - plan.payoff_date).num_days(),
            plan,
        })
    };
    Ok(BiweeklyComparison {
        day_count,
        biweekly: option(biweekly)?,
        accelerated: option(accelerated)?,
        monthly: summary,
    })
}

fn check_terms(t: &LoanTerms) -> Result<()> {
    let unsupported = |field: &str, what: &str| {
        Err(Error::validation(
            field,
            format!("the biweekly comparison needs {what}"),
        ))
    };
    if t.frequency() != Frequency::Monthly {
        return unsupported("frequency", "monthly terms");
    }
    if t.method() != AmortizationMethod::EqualInstallments {
        return unsupported("method", "level (equal) installments");
    }
    if !t.rate_changes().is_empty() {
        return unsupported("rate_changes", "a fixed rate");
    }
    if t.grace() != Default::default() {
        return unsupported("grace", "no grace periods");
    }
    if t.balloon().is_some() || t.amortization_installments().is_some() {
        return unsupported("balloon", "a fully amortizing loan");
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::math::rate::Rate;
    use rust_decimal_macros::dec;

    fn terms(principal: Decimal, percent: Decimal, n: u32) -> LoanTerms {
        LoanTerms::builder()
            .principal(principal)
            .annual_rate(Rate::from_percent(percent).unwrap())
            .installments(n)
            .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
            .build()
            .unwrap()
    }

    #[test]
    fn other_terms_are_refused_naming_the_field() {
        let weekly = terms(dec!(1000), dec!(5), 12)
            .to_builder()
            .frequency(Frequency::Weekly)
            .build()
            .unwrap();
        assert_eq!(
            compare_biweekly(&weekly, None).unwrap_err().field(),
            Some("frequency")
        );
        let flat = terms(dec!(1000), dec!(5), 12)
            .to_builder()
            .method(AmortizationMethod::EqualPrincipal)
            .build()
            .unwrap();
        assert_eq!(
            compare_biweekly(&flat, None).unwrap_err().field(),
            Some("method")
        );
    }

    #[test]
    fn a_plan_beyond_1200_payments_names_installments() {
        let long = terms(dec!(100000), dec!(5), 1000);
        assert_eq!(
            compare_biweekly(&long, None).unwrap_err().field(),
            Some("installments")
        );
    }

    #[test]
    fn zero_rate_saves_no_interest_and_the_payments_cover_the_principal() {
        let c = compare_biweekly(&terms(dec!(1200), dec!(0), 12), None).unwrap();
        assert_eq!(c.monthly.payment, dec!(100.00));
        assert_eq!(c.biweekly.plan.payment, dec!(46.15));
        assert_eq!(c.accelerated.plan.payment, dec!(50.00));
        for o in [&c.biweekly, &c.accelerated] {
            assert_eq!(o.interest_saved, dec!(0));
            assert_eq!(o.plan.total_paid, dec!(1200.00));
        }
        assert_eq!(c.accelerated.plan.installments, 24);
        // 24 payments every 14 days from 2025-01-01: the last on 2025-12-03 (336 days).
        assert_eq!(
            c.accelerated.plan.payoff_date,
            NaiveDate::from_ymd_opt(2025, 12, 3).unwrap()
        );
        assert_eq!(c.accelerated.days_saved, 29);
    }
}
