//! The fast path: a plain level annuity over uniform monthly periods in 64-bit integers, with
//! the row loop compiled once per interest rounding mode. It gives exactly the rows of
//! [`super::general_loop`] (tests/fast_path.rs compares the two on random terms).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::math::calendar::days_in_month;
use crate::math::kernel::{self, DownDiv, FixedRate, HalfEvenDiv, HalfUpDiv, RoundedDiv, UpDiv};
use crate::math::money::RoundingMode;
use crate::schedule::amortization::{Installment, PackedDate, Schedule, Totals};
use crate::schedule::engine::Engine;
use crate::schedule::terms::{AmortizationMethod, BalancePrecision, Grace, LoanTerms};

/// The schedule of `terms` by the fast path, or `None` when it does not apply: it needs equal
/// installments over uniform periods of whole months, with no grace, rate change, scheduled
/// adjustment or carried precision, and amounts that fit 64 bits. When it applies it gives
/// exactly what [`super::general_loop`] gives.
///
/// ```
/// use loansyncro_core::schedule::{fast_path, general_loop};
/// use loansyncro_core::{LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let terms = LoanTerms::builder()
///     .principal(dec!(1200))
///     .annual_rate(Rate::from_percent(dec!(5))?)
///     .installments(12)
///     .start(NaiveDate::from_ymd_opt(2025, 1, 31).unwrap())
///     .build()?;
/// let fast = fast_path(&terms)?.expect("a plain annuity");
/// assert_eq!(fast, general_loop(&terms, None)?);
/// assert_eq!(fast.regular_payment(), dec!(102.73));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn fast_path(terms: &LoanTerms) -> Result<Option<Schedule>> {
    let mut e = Engine::new(terms, None)?;
    if !eligible(&e) {
        return Ok(None);
    }
    let Some(plan) = plan(&mut e)? else {
        return Ok(None);
    };
    let rows = match terms.interest_rounding() {
        RoundingMode::HalfUp => fast_rows::<HalfUpDiv>(&plan),
        RoundingMode::HalfEven => fast_rows::<HalfEvenDiv>(&plan),
        RoundingMode::Up => fast_rows::<UpDiv>(&plan),
        RoundingMode::Down => fast_rows::<DownDiv>(&plan),
    };
    match rows {
        Some(rows) => closed_schedule(&e, rows, &plan),
        None => Ok(None),
    }
}

/// The inputs of the fast loop, or `None` when an amount or the rate does not fit 64 bits.
fn plan(e: &mut Engine<'_>) -> Result<Option<FastPlan>> {
    let terms = e.terms;
    let principal = e.to_units(terms.principal(), RoundingMode::HalfUp)?;
    let Ok(balance) = i64::try_from(principal) else {
        return Ok(None);
    };
    let rate = e.basis.nominal_rate(terms.annual_rate())?;
    let (Ok(num), Ok(den)) = (i64::try_from(rate.num), i64::try_from(rate.den)) else {
        return Ok(None);
    };
    if balance.checked_mul(num).is_none() || den <= 0 {
        return Ok(None);
    }
    let first_interest = kernel::interest(principal, rate, terms.interest_rounding())?;
    let mut level = e.level_payment(principal, terms.annual_rate(), 1)?;
    if level <= first_interest {
        level = e.installment_above(first_interest)?;
    }
    let Ok(level) = i64::try_from(level) else {
        return Ok(None);
    };
    let (Ok(balance), Ok(level), Ok(num), Ok(den)) = (
        u64::try_from(balance),
        u64::try_from(level),
        u64::try_from(num),
        u64::try_from(den),
    ) else {
        return Ok(None);
    };
    Ok(Some(FastPlan {
        balance,
        level,
        num,
        den,
        n: terms.installments(),
        step: terms.frequency().months().unwrap_or(1),
        year: e.first_due.year(),
        month: e.first_due.month(),
        day: e.first_due.day(),
        scale: u8::try_from(e.scale).map_err(|_| Error::overflow("scale"))?,
    }))
}

/// Whether the fast path applies to the engine's terms (amounts aside).
fn eligible(e: &Engine<'_>) -> bool {
    let t = e.terms;
    t.method() == AmortizationMethod::EqualInstallments
        && e.extra.is_none()
        && t.balance_precision() == BalancePrecision::RoundEachBalance
        && e.unit == 1
        && t.rate_changes().is_empty()
        && t.adjustment_payment_numbers().is_empty()
        && !t.has_events()
        && t.grace() == Grace::default()
        && e.uniform_from(1)
        && t.frequency().months().is_some()
}

/// The schedule of the rows up to the one that closes the loan; `None` when none does.
fn closed_schedule(
    e: &Engine<'_>,
    mut rows: Vec<Installment>,
    plan: &FastPlan,
) -> Result<Option<Schedule>> {
    let principal = i128::from(plan.balance);
    // Balances never increase, so the rows after the one that closed the loan (an installment
    // rounded up can finish early) start where the balance first reaches zero.
    let closed = rows.partition_point(|r| r.balance > 0) + 1;
    rows.truncate(closed);
    if rows.last().is_none_or(|r| r.balance != 0) {
        return Ok(None);
    }
    let sum_interest: i64 = rows.iter().map(|r| r.interest).sum();
    let sum_paid = i64::try_from(principal).map_err(|_| Error::overflow("amount"))? + sum_interest;
    // Dates are valid unless the last one left chrono's range.
    if let Some(last) = rows.last() {
        if NaiveDate::from_ymd_opt(last.due.year(), last.due.month(), 1).is_none() {
            return Err(Error::validation(
                "installments",
                "due dates run out of range",
            ));
        }
    }
    Ok(Some(Schedule {
        currency: e.terms.currency(),
        regular_payment: Decimal::from_i128_with_scale(i128::from(plan.level), e.scale),
        totals: Totals {
            interest: Decimal::new(sum_interest, e.scale),
            principal: Decimal::from_i128_with_scale(principal, e.scale),
            paid: Decimal::new(sum_paid, e.scale),
            extra_principal: Decimal::ZERO,
        },
        installments: rows,
        negative_amortization: false,
        adjustments: Vec::new(),
    }))
}

/// Inputs of the fast loop, all validated non-negative and overflow-free by the caller.
struct FastPlan {
    balance: u64,
    level: u64,
    num: u64,
    den: u64,
    n: u32,
    step: u32,
    year: i32,
    month: u32,
    day: u32,
    scale: u8,
}

/// The rows of a level annuity over uniform periods (every row; the caller cuts the rows after
/// the balance closes), or `None` when the period rate is not below 1 (or its denominator is
/// 2^62 or more; the general loop takes those). The interest of a row is `balance × num / den`
/// rounded by `R`, by [`FixedRate`] (a multiplication, no division per row). The loop state
/// lives in the closure (moved in), so it stays in registers from one row to the next.
fn fast_rows<R: RoundedDiv>(p: &FastPlan) -> Option<Vec<Installment>> {
    let rate = FixedRate::<R>::new(p.num, p.den)?;
    let (n, level, step, anchor_day, scale) = (p.n, p.level, p.step, p.day, p.scale);
    let (mut balance, mut year, mut month) = (p.balance, p.year, p.month);
    let rows = (1..n + 1)
        .map(move |k| {
            // The interest only shrinks with the balance and the level exceeds the first
            // period's interest, so the principal part is never negative here.
            let interest = rate.apply(balance);
            let mut principal = level.saturating_sub(interest);
            if k == n || principal > balance {
                principal = balance;
            }
            balance -= principal;
            let day = if anchor_day > 28 {
                anchor_day.min(days_in_month(year, month))
            } else {
                anchor_day
            };
            let due = PackedDate::new(year, month, day);
            month += step;
            if month > 12 {
                month -= 12;
                year += 1;
            }
            Installment {
                number: k,
                due,
                interest: interest as i64,
                principal: principal as i64,
                balance: balance as i64,
                deferred_interest: 0,
                extra_principal: 0,
                scale,
                negative_amortization: false,
            }
        })
        .collect();
    Some(rows)
}
