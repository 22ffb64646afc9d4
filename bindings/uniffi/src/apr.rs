//! APR by the actuarial method of Regulation Z Appendix J. Mirrors `loansyncro_core::finance::apr`
//! (the APR of loan terms is `LoanTerms.apr`, see `terms.rs`).

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::finance::apr as core;
use rust_decimal::Decimal;

use crate::types::Frequency;
use crate::FfiResult;

/// One advance or payment on a date (amount > 0).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CashFlow {
    /// The date.
    pub date: NaiveDate,
    /// The amount.
    pub amount: Decimal,
}

impl From<CashFlow> for core::CashFlow {
    fn from(c: CashFlow) -> Self {
        core::CashFlow {
            date: c.date,
            amount: c.amount,
        }
    }
}

/// The Appendix J unit period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum UnitPeriod {
    /// `count` days.
    Days {
        /// Days per unit period.
        count: u32,
    },
    /// `count` weeks.
    Weeks {
        /// Weeks per unit period.
        count: u32,
    },
    /// Half a month.
    SemiMonth,
    /// `count` months (1 monthly, 3 quarterly, 6 semi-annual).
    Months {
        /// Months per unit period.
        count: u32,
    },
    /// A year.
    Year,
}

impl From<UnitPeriod> for core::UnitPeriod {
    fn from(u: UnitPeriod) -> Self {
        match u {
            UnitPeriod::Days { count } => Self::Days(count),
            UnitPeriod::Weeks { count } => Self::Weeks(count),
            UnitPeriod::SemiMonth => Self::SemiMonth,
            UnitPeriod::Months { count } => Self::Months(count),
            UnitPeriod::Year => Self::Year,
        }
    }
}

impl From<core::UnitPeriod> for UnitPeriod {
    fn from(u: core::UnitPeriod) -> Self {
        match u {
            core::UnitPeriod::Days(count) => Self::Days { count },
            core::UnitPeriod::Weeks(count) => Self::Weeks { count },
            core::UnitPeriod::SemiMonth => Self::SemiMonth,
            core::UnitPeriod::Months(count) => Self::Months { count },
            core::UnitPeriod::Year => Self::Year,
        }
    }
}

fn flows(v: Vec<CashFlow>) -> Vec<core::CashFlow> {
    v.into_iter().map(Into::into).collect()
}

/// The APR as a fraction (`0.0969` is 9.69%) of advances and payments.
#[uniffi::export]
pub fn apr(
    advances: Vec<CashFlow>,
    payments: Vec<CashFlow>,
    unit: UnitPeriod,
) -> FfiResult<Decimal> {
    Ok(core::apr(&flows(advances), &flows(payments), unit.into())?)
}

/// The APR (fraction) when a prepaid finance charge is withheld from the earliest advance.
#[uniffi::export]
pub fn apr_with_prepaid_finance_charge(
    advances: Vec<CashFlow>,
    payments: Vec<CashFlow>,
    unit: UnitPeriod,
    prepaid_finance_charge: Decimal,
) -> FfiResult<Decimal> {
    Ok(core::apr_with_prepaid_finance_charge(
        &flows(advances),
        &flows(payments),
        unit.into(),
        prepaid_finance_charge,
    )?)
}

/// `(1 + nominal/m)^m - 1` (fractions: `0.12` is 12%).
#[uniffi::export]
pub fn effective_annual_rate(nominal: Decimal, m: u32) -> FfiResult<Decimal> {
    Ok(core::effective_annual_rate(nominal, m)?)
}

/// The unit period of a single advance repaid by a single payment: the whole term
/// (Appendix J (b)(5)(iv)).
#[uniffi::export]
pub fn unit_period_of_term(advance: NaiveDate, payment: NaiveDate) -> FfiResult<UnitPeriod> {
    Ok(core::UnitPeriod::term(advance, payment)?.into())
}

/// Parses `day`, `week`, `semi-month`, `month`, `quarter`, `year`, `N days|weeks|months`.
#[uniffi::export]
pub fn parse_unit_period(text: String) -> FfiResult<UnitPeriod> {
    Ok(core::UnitPeriod::from_str(&text)?.into())
}

/// The unit period matching a payment frequency.
#[uniffi::export]
pub fn unit_period_of_frequency(frequency: Frequency) -> UnitPeriod {
    loansyncro_core::schedule::disclosure::unit_period(frequency.into()).into()
}
