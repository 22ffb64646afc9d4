//! The lender conventions the search tries: one point of the grid, applied to the terms.

use serde::Serialize;

use crate::error::Result;
use crate::math::calendar::DayCount;
use crate::math::money::RoundingMode;
use crate::math::rate::Compounding;
use crate::schedule::terms::{Accrual, AmortizationMethod, BalancePrecision, LoanTerms};

/// How a lender computes a loan's interest: the options of [`LoanTerms`] a statement can
/// reveal. Every other term (principal, rate, dates, method) stays as the borrower gave it.
///
/// The engine applies a payment one way (what is due first, oldest installment first, interest
/// before principal, then any extra to principal), so the application order is not a dimension
/// of the grid.
///
/// ```
/// use loansyncro_core::reconcile::Convention;
/// use loansyncro_core::Frequency;
/// // Day count x payment basis x compounding: 2 x 30/360 with 3 compoundings, and 4 actual
/// // day counts (nominal), each also with a 30/360 payment: 14; then 2 accruals, 4 rounding
/// // modes and 2 rounding places.
/// assert_eq!(Convention::grid(Frequency::Monthly).len(), 224);
/// // No 30/360 payment basis without monthly periods: (6 + 4) x 16.
/// assert_eq!(Convention::grid(Frequency::Weekly).len(), 160);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Convention {
    /// The day count interest accrues on.
    pub day_count: DayCount,
    /// The day count of the level payment when it differs (30/360 payment, actual accrual).
    pub payment_day_count: Option<DayCount>,
    /// Interest per scheduled period, or daily between the actual payment dates.
    pub accrual: Accrual,
    /// How the quoted rate compounds.
    pub compounding: Compounding,
    /// Rounding of the installment and of each period's interest.
    pub rounding: RoundingMode,
    /// Where rounding happens: every balance to the cent, or precision carried.
    pub balance_precision: BalancePrecision,
}

const DAY_COUNTS: [DayCount; 6] = [
    DayCount::Thirty360Us,
    DayCount::Thirty360European,
    DayCount::Actual360,
    DayCount::Actual365Fixed,
    DayCount::ActualActualIsda,
    DayCount::Actual364,
];
const ACCRUALS: [Accrual; 2] = [Accrual::Scheduled, Accrual::Daily];
const COMPOUNDINGS: [Compounding; 3] = [
    Compounding::Nominal,
    Compounding::SemiAnnual,
    Compounding::Annual,
];
const ROUNDINGS: [RoundingMode; 4] = [
    RoundingMode::HalfUp,
    RoundingMode::HalfEven,
    RoundingMode::Down,
    RoundingMode::Up,
];
const PRECISIONS: [BalancePrecision; 2] = [
    BalancePrecision::RoundEachBalance,
    BalancePrecision::CarryPrecision,
];

impl Convention {
    /// The convention the terms already state.
    pub fn of(terms: &LoanTerms) -> Convention {
        Convention {
            day_count: terms.day_count(),
            payment_day_count: terms.payment_day_count(),
            accrual: terms.accrual(),
            compounding: terms.compounding(),
            rounding: terms.interest_rounding(),
            balance_precision: terms.balance_precision(),
        }
    }

    /// Every convention the search tries for a loan paid at `frequency`, the engine's defaults
    /// first. A 30/360 payment basis under an actual accrual needs monthly-based periods.
    pub fn grid(frequency: crate::math::calendar::Frequency) -> Vec<Convention> {
        let monthly = frequency.months().is_some();
        let mut grid = Vec::with_capacity(224);
        for rounding in ROUNDINGS {
            for accrual in ACCRUALS {
                for day_count in DAY_COUNTS {
                    let bases: &[Option<DayCount>] = if monthly && !day_count.is_thirty_360() {
                        &[None, Some(DayCount::Thirty360Us)]
                    } else {
                        &[None]
                    };
                    // Semi-annual and annual compounding are how Canadian and effective-rate
                    // loans quote a rate over regular (30/360) periods; over actual-day periods
                    // only nominal rates are tried (the fractional powers cost ~1 ms a schedule).
                    let compoundings: &[Compounding] = if day_count.is_thirty_360() {
                        &COMPOUNDINGS
                    } else {
                        &COMPOUNDINGS[..1]
                    };
                    for &payment_day_count in bases {
                        for &compounding in compoundings {
                            for balance_precision in PRECISIONS {
                                grid.push(Convention {
                                    day_count,
                                    payment_day_count,
                                    accrual,
                                    compounding,
                                    rounding,
                                    balance_precision,
                                });
                            }
                        }
                    }
                }
            }
        }
        grid
    }

    /// The terms with this convention (payment and interest rounded alike), validated; the
    /// schedule is not generated here, so a convention the schedule cannot take (e.g. carried
    /// precision with a grace period) errors when it is.
    pub fn apply(&self, terms: &LoanTerms) -> Result<LoanTerms> {
        let mut b = terms.to_builder();
        b.day_count = self.day_count;
        b.payment_day_count = self.payment_day_count;
        b.accrual = self.accrual;
        b.compounding = self.compounding;
        b.payment_rounding = self.rounding;
        b.interest_rounding = self.rounding;
        b.balance_precision = self.balance_precision;
        match b.method {
            // The installment count follows from the convention: the full build finds it.
            AmortizationMethod::FixedInstallment { .. } => b.build(),
            // The rules of every field, without generating the schedule (the caller does).
            _ => b.validated(),
        }
    }

    /// How many of the six dimensions differ from `other` (the search prefers the
    /// convention closest to the terms the borrower gave when several explain as much).
    pub fn distance(&self, other: &Convention) -> u32 {
        u32::from(self.day_count != other.day_count)
            + u32::from(self.payment_day_count != other.payment_day_count)
            + u32::from(self.accrual != other.accrual)
            + u32::from(self.compounding != other.compounding)
            + u32::from(self.rounding != other.rounding)
            + u32::from(self.balance_precision != other.balance_precision)
    }

    /// A phrase for a person: "accrues Actual/365F interest daily between payment dates,
    /// rounded half-up to the cent".
    ///
    /// ```
    /// use loansyncro_core::reconcile::Convention;
    /// use loansyncro_core::{Accrual, BalancePrecision, Compounding, DayCount, RoundingMode};
    /// let c = Convention {
    ///     day_count: DayCount::Actual365Fixed,
    ///     payment_day_count: None,
    ///     accrual: Accrual::Daily,
    ///     compounding: Compounding::Nominal,
    ///     rounding: RoundingMode::HalfUp,
    ///     balance_precision: BalancePrecision::RoundEachBalance,
    /// };
    /// assert_eq!(
    ///     c.describe(),
    ///     "accrues Actual/365F interest daily between payment dates, rounded half-up to the cent"
    /// );
    /// ```
    pub fn describe(&self) -> String {
        let basis = day_count_label(self.day_count);
        let how = match self.accrual {
            Accrual::Scheduled => "per scheduled period",
            Accrual::Daily => "daily between payment dates",
        };
        let mut text = format!(
            "accrues {basis} interest {how}, rounded {} to the cent",
            rounding_label(self.rounding)
        );
        if let Some(p) = self.payment_day_count {
            text.push_str(&format!(
                ", with the level payment computed on {}",
                day_count_label(p)
            ));
        }
        match self.compounding {
            Compounding::Nominal => {}
            Compounding::SemiAnnual => text.push_str(", the rate compounded semi-annually"),
            Compounding::Annual => text.push_str(", the rate compounded annually (effective)"),
        }
        if self.balance_precision == BalancePrecision::CarryPrecision {
            text.push_str(", carrying balances with extra precision");
        }
        text
    }
}

impl Convention {
    /// What `other` does differently, e.g. "the interest is rounded half-even" (the
    /// dimensions where it differs from `self`, joined).
    pub(super) fn change_phrase(&self, other: &Convention) -> String {
        let mut parts = Vec::new();
        if self.rounding != other.rounding {
            parts.push(format!(
                "the interest is rounded {}",
                rounding_label(other.rounding)
            ));
        }
        if self.day_count != other.day_count {
            parts.push(format!(
                "interest accrues on {}",
                day_count_label(other.day_count)
            ));
        }
        if self.payment_day_count != other.payment_day_count {
            parts.push(match other.payment_day_count {
                Some(p) => format!("the payment is computed on {}", day_count_label(p)),
                None => "the payment follows the accrual day count".to_string(),
            });
        }
        if self.accrual != other.accrual {
            parts.push(
                match other.accrual {
                    Accrual::Scheduled => "interest is charged per scheduled period",
                    Accrual::Daily => "interest accrues daily between payment dates",
                }
                .to_string(),
            );
        }
        if self.compounding != other.compounding {
            parts.push(format!(
                "the rate compounds {}",
                compounding_label(other.compounding)
            ));
        }
        if self.balance_precision != other.balance_precision {
            parts.push(
                match other.balance_precision {
                    BalancePrecision::CarryPrecision => "balances carry extra precision",
                    _ => "every balance is rounded to the cent",
                }
                .to_string(),
            );
        }
        parts.join(" and ")
    }
}

fn compounding_label(c: Compounding) -> &'static str {
    match c {
        Compounding::Nominal => "nominally (with the payments)",
        Compounding::SemiAnnual => "semi-annually",
        Compounding::Annual => "annually",
    }
}

fn day_count_label(d: DayCount) -> &'static str {
    match d {
        DayCount::Thirty360Us => "30/360",
        DayCount::Thirty360European => "30E/360",
        DayCount::Actual360 => "Actual/360",
        DayCount::Actual364 => "Actual/364",
        DayCount::Actual365Fixed => "Actual/365F",
        DayCount::ActualActualIsda => "Actual/Actual",
    }
}

fn rounding_label(r: RoundingMode) -> &'static str {
    match r {
        RoundingMode::HalfUp => "half-up",
        RoundingMode::HalfEven => "half-even",
        RoundingMode::Up => "up",
        RoundingMode::Down => "down (truncated)",
    }
}
