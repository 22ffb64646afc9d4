//! Truth-in-lending figures of loan terms: the APR of the contractual schedule (Regulation Z
//! Appendix J, actuarial method) with prepaid finance charges, and the effective annual rate.

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::finance::apr::{
    apr_with_prepaid_finance_charge, effective_annual_rate, CashFlow, UnitPeriod,
};
use crate::math::calendar::Frequency;
use crate::schedule::terms::LoanTerms;

/// The Appendix J unit period matching a payment frequency.
pub fn unit_period(frequency: Frequency) -> UnitPeriod {
    match frequency {
        Frequency::Weekly => UnitPeriod::Weeks(1),
        Frequency::Biweekly => UnitPeriod::Weeks(2),
        Frequency::SemiMonthly { .. } => UnitPeriod::SemiMonth,
        Frequency::Monthly => UnitPeriod::Months(1),
        Frequency::Quarterly => UnitPeriod::Months(3),
        Frequency::SemiAnnual => UnitPeriod::Months(6),
        Frequency::Annual => UnitPeriod::Year,
        Frequency::EveryNDays(n) => UnitPeriod::Days(n),
    }
}

impl LoanTerms {
    /// The annual percentage rate in percent (e.g. `6.5` for 6.5%), full precision, of the
    /// contractual schedule: one advance of the principal on the start date less the prepaid
    /// finance charge (fees paid at closing), against the scheduled installments. With no fee
    /// it equals the note rate (to the precision of the rounded installments); fees raise it.
    ///
    /// ```
    /// use loansyncro_core::{LoanTerms, Rate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let terms = LoanTerms::builder()
    ///     .principal(dec!(250000))
    ///     .annual_rate(Rate::from_percent(dec!(6.5)).unwrap())
    ///     .installments(360)
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .build().unwrap();
    /// assert_eq!(terms.apr(dec!(0)).unwrap().round_dp(2), dec!(6.50));
    /// assert!(terms.apr(dec!(3000)).unwrap() > dec!(6.6));
    /// ```
    pub fn apr(&self, prepaid_finance_charge: Decimal) -> Result<Decimal> {
        if prepaid_finance_charge < Decimal::ZERO || prepaid_finance_charge >= self.principal() {
            return Err(Error::validation(
                "prepaid_finance_charge",
                "must be at least zero and less than the principal",
            ));
        }
        self.currency()
            .check_precision("prepaid_finance_charge", prepaid_finance_charge)?;
        let schedule = self.schedule()?;
        let advances = [CashFlow {
            date: self.start(),
            amount: self.principal(),
        }];
        let payments: Vec<CashFlow> = schedule
            .installments()
            .iter()
            .filter(|i| i.payment() > Decimal::ZERO)
            .map(|i| CashFlow {
                date: i.due_date(),
                amount: i.payment(),
            })
            .collect();
        let fraction = apr_with_prepaid_finance_charge(
            &advances,
            &payments,
            unit_period(self.frequency()),
            prepaid_finance_charge,
        )?;
        Ok(fraction * Decimal::ONE_HUNDRED)
    }

    /// The effective annual rate of the note rate, in percent: `(1 + i/m)^m - 1` for `m`
    /// payments a year (12 for monthly; every-N-days uses 365/N rounded down).
    pub fn effective_annual_rate(&self) -> Result<Decimal> {
        let m = self
            .frequency()
            .periods_per_year()
            .or_else(|| self.frequency().days().map(|d| (365 / d.max(1)).max(1)))
            .unwrap_or(12);
        Ok(effective_annual_rate(self.annual_rate().fraction(), m)? * Decimal::ONE_HUNDRED)
    }
}
