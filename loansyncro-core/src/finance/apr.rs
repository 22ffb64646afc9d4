//! Annual percentage rate by the actuarial method of US Regulation Z (12 CFR 1026) Appendix J,
//! and the effective annual rate.
//!
//! The APR is the nominal annual rate `i × (unit periods per year)` for which the advances and
//! the payments, each discounted to the date of the earliest advance, balance (the general
//! equation of Appendix J (b)(8)):
//!
//! `Σ A_k / ((1 + f_k·i)(1 + i)^t_k) = Σ P_j / ((1 + f_j·i)(1 + i)^t_j)`
//!
//! where `t` is the number of whole unit periods and `f` the fraction of a unit period between
//! the earliest advance and the cash flow. As the appendix prescribes, `t` and `f` are found by
//! counting back whole unit periods from the cash flow's date, with the fraction rules of
//! Appendix J (b)(5) for every unit period:
//!
//! * month and multiples of months: whole months count back; the odd days count as `days / 30`
//!   of a month;
//! * semi-month (iii): `d` = 30 days per full month counted back plus the remaining actual days;
//!   `t = d div 15`, `f = (d mod 15) / 15`;
//! * week, `n` weeks and days (iv): actual days `div 7n`, `f` = the remainder / `7n`;
//! * year (v): whole years (12 months) count back; the rest is `months / 12` when it is a whole
//!   number of months, else its actual days / 365.
//!
//! ```
//! use loansyncro_core::finance::apr::UnitPeriod;
//! use chrono::NaiveDate;
//! use rust_decimal::Decimal;
//! let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! // A year unit period with a long first period: 1 year back, then 84 odd days / 365.
//! let (t, f) = UnitPeriod::Year.time(day(2022, 5, 9), day(2023, 8, 1))?;
//! assert_eq!((t, f), (1, Decimal::from(84) / Decimal::from(365)));
//! // 1 year and 4 whole months: f = 4/12, not 120/365.
//! let (t, f) = UnitPeriod::Year.time(day(2025, 2, 14), day(2026, 6, 14))?;
//! assert_eq!((t, f), (1, Decimal::from(4) / Decimal::from(12)));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```
//!
//! A prepaid finance charge (fees paid at closing) lowers the amount financed, so the APR
//! rises above the note rate.
//!
//! ```
//! use loansyncro_core::finance::apr::{apr, CashFlow, UnitPeriod};
//! use loansyncro_core::math::calendar::add_months;
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//!
//! // Appendix J (c)(1)(i): 5,000 advanced on 1978-01-10, 24 monthly payments of 230.
//! let advanced = NaiveDate::from_ymd_opt(1978, 1, 10).unwrap();
//! let advances = [CashFlow { date: advanced, amount: dec!(5000) }];
//! let payments: Vec<CashFlow> = (1..=24)
//!     .map(|k| CashFlow { date: add_months(advanced, k).unwrap(), amount: dec!(230) })
//!     .collect();
//! let rate = apr(&advances, &payments, UnitPeriod::Months(1))?;
//! assert_eq!((rate * dec!(100)).round_dp(2), dec!(9.69));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::finance::checked::{add, div, mul, powi, sub};
use crate::finance::functions::{annuity, discount};
use crate::finance::newton;
use crate::finance::solve_newton_bracketed;
use crate::math::calendar::days_in_month;
use crate::math::error::{MathError as Error, Result};

/// One advance (money lent) or payment (money repaid) on a date. Amounts are positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CashFlow {
    /// The date of the cash flow.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// The amount, greater than zero.
    pub amount: Decimal,
}

/// The Appendix J unit period: the common interval between payments, in which time is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitPeriod {
    /// `n` days (365/n unit periods a year). For a single advance repaid by a single payment,
    /// Appendix J (b)(5)(iv) makes the whole term the unit period: see [`UnitPeriod::term`].
    Days(u32),
    /// `n` weeks (52/n a year).
    Weeks(u32),
    /// Half a month (24 a year); odd days count as `days / 15`.
    SemiMonth,
    /// `n` months (12/n a year): 1 monthly, 3 quarterly, 6 semi-annual; odd days count as
    /// `days / 30` of a month.
    Months(u32),
    /// A year (12 equal months).
    Year,
}

impl UnitPeriod {
    /// The unit period of a single advance repaid by a single payment: the term itself, in days
    /// (Appendix J (b)(5)(iv)).
    pub fn term(advance: NaiveDate, payment: NaiveDate) -> Result<UnitPeriod> {
        let days = (payment - advance).num_days();
        match u32::try_from(days) {
            Ok(days) if days > 0 => Ok(UnitPeriod::Days(days)),
            _ => Err(Error::validation(
                "payments[0].date",
                "must be after the advance",
            )),
        }
    }

    /// Unit periods per year (exact: `365/n` for days).
    pub fn per_year(self) -> Result<Decimal> {
        let (numerator, denominator) = match self {
            UnitPeriod::Days(n) => (365, n),
            UnitPeriod::Weeks(n) => (52, n),
            UnitPeriod::SemiMonth => (24, 1),
            UnitPeriod::Months(n) => (12, n),
            UnitPeriod::Year => (1, 1),
        };
        if denominator == 0 {
            return Err(Error::validation(
                "unit_period",
                "must be at least one day, week or month",
            ));
        }
        div(Decimal::from(numerator), Decimal::from(denominator))
    }

    /// Whole unit periods and the fraction of one from `start` to `date` (`date >= start`),
    /// counted back from `date` as Appendix J prescribes.
    ///
    /// ```
    /// use loansyncro_core::finance::apr::UnitPeriod;
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // Advance on Feb 10, first payment Apr 1: one month (Mar 1 - Apr 1) and 19 odd days.
    /// let (t, f) = UnitPeriod::Months(1).time(day(1978, 2, 10), day(1978, 4, 1))?;
    /// assert_eq!((t, f), (1, dec!(19) / dec!(30)));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn time(self, start: NaiveDate, date: NaiveDate) -> Result<(u32, Decimal)> {
        if date < start {
            return Err(Error::validation(
                "date",
                "cash flows cannot precede the earliest advance",
            ));
        }
        match self {
            UnitPeriod::Days(n) => by_days(start, date, n),
            UnitPeriod::Weeks(n) => by_days(start, date, n.saturating_mul(7)),
            UnitPeriod::Months(n) => by_months(start, date, n),
            UnitPeriod::Year => by_years(start, date),
            UnitPeriod::SemiMonth => by_semi_months(start, date),
        }
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> Result<u32> {
    u32::try_from(to.num_days_from_ce() - from.num_days_from_ce())
        .map_err(|_| Error::validation("date", "out of range"))
}

fn by_days(start: NaiveDate, date: NaiveDate, length: u32) -> Result<(u32, Decimal)> {
    if length == 0 {
        return Err(Error::validation("unit_period", "must be at least one day"));
    }
    let days = days_between(start, date)?;
    let fraction = div(Decimal::from(days % length), Decimal::from(length))?;
    Ok((days / length, fraction))
}

/// The largest number of whole months `m` with `date - m months >= start`, and that date.
fn whole_months_back(start: NaiveDate, date: NaiveDate) -> (u32, NaiveDate) {
    // `date` minus `m` months, the day clamped to the month's end (chrono's
    // `checked_sub_months`, in plain month arithmetic).
    let back = |m: u32| {
        let total = i64::from(date.year()) * 12 + i64::from(date.month0()) - i64::from(m);
        let year = i32::try_from(total.div_euclid(12)).ok()?;
        let month = u32::try_from(total.rem_euclid(12)).ok()? + 1;
        NaiveDate::from_ymd_opt(year, month, date.day().min(days_in_month(year, month)))
    };
    let mut months = 0u32;
    let mut at = date;
    // Whole months between the two year-months is an upper bound within one.
    let estimate = (i64::from(date.year()) * 12 + i64::from(date.month0()))
        - (i64::from(start.year()) * 12 + i64::from(start.month0()));
    if let Ok(estimate) = u32::try_from(estimate) {
        for m in [estimate, estimate.saturating_sub(1)] {
            if let Some(d) = back(m).filter(|d| *d >= start) {
                months = m;
                at = d;
                break;
            }
        }
    }
    (months, at)
}

fn by_months(start: NaiveDate, date: NaiveDate, length: u32) -> Result<(u32, Decimal)> {
    if length == 0 {
        return Err(Error::validation(
            "unit_period",
            "must be at least one month",
        ));
    }
    let (months, at) = whole_months_back(start, date);
    let odd_days = days_between(start, at)?;
    if odd_days == 0 && months % length == 0 {
        // Whole unit periods (every payment of a regular schedule): no fraction to divide.
        return Ok((months / length, Decimal::ZERO));
    }
    let odd_days = Decimal::from(odd_days);
    let odd_months = add(
        Decimal::from(months % length),
        div(odd_days, Decimal::from(30))?,
    )?;
    Ok((months / length, div(odd_months, Decimal::from(length))?))
}

/// Appendix J (b)(5)(iii): `d` = 30 days for each full month counted back from `date`, plus
/// the remaining actual days; `t = d div 15`, `f = (d mod 15) / 15`.
fn by_semi_months(start: NaiveDate, date: NaiveDate) -> Result<(u32, Decimal)> {
    let (months, at) = whole_months_back(start, date);
    let days = months
        .checked_mul(30)
        .and_then(|d| d.checked_add(days_between(start, at).ok()?))
        .ok_or_else(|| Error::validation("date", "out of range"))?;
    Ok((days / 15, div(Decimal::from(days % 15), Decimal::from(15))?))
}

/// Appendix J (b)(5)(v): `t` = full years (12 months each) counted back from `date`; the rest
/// gives `f` = months / 12 when it is a whole number of months, else its actual days / 365
/// (365 even across a 29 February).
fn by_years(start: NaiveDate, date: NaiveDate) -> Result<(u32, Decimal)> {
    let (months, _) = whole_months_back(start, date);
    let years = months / 12;
    let rest_end = date
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .ok_or_else(|| Error::validation("date", "out of range"))?;
    let (rest_months, at) = whole_months_back(start, rest_end);
    let fraction = if at == start {
        div(Decimal::from(rest_months), Decimal::from(12))?
    } else {
        div(
            Decimal::from(days_between(start, rest_end)?),
            Decimal::from(365),
        )?
    };
    Ok((years, fraction))
}

impl fmt::Display for UnitPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitPeriod::Days(1) => f.write_str("day"),
            UnitPeriod::Days(n) => write!(f, "{n} days"),
            UnitPeriod::Weeks(1) => f.write_str("week"),
            UnitPeriod::Weeks(n) => write!(f, "{n} weeks"),
            UnitPeriod::SemiMonth => f.write_str("semi-month"),
            UnitPeriod::Months(1) => f.write_str("month"),
            UnitPeriod::Months(3) => f.write_str("quarter"),
            UnitPeriod::Months(n) => write!(f, "{n} months"),
            UnitPeriod::Year => f.write_str("year"),
        }
    }
}

impl FromStr for UnitPeriod {
    type Err = Error;
    /// Parses `day`, `week`, `semi-month`, `month`, `quarter`, `year` and `N days|weeks|months`.
    fn from_str(s: &str) -> Result<UnitPeriod> {
        let text = s.trim().to_ascii_lowercase();
        let (count, unit) = match text.split_once(' ') {
            Some((n, unit)) => match n.parse::<u32>() {
                Ok(n) if n > 0 => (n, unit.trim()),
                _ => return Err(unknown_unit(s)),
            },
            None => (1, text.as_str()),
        };
        Ok(match unit.trim_end_matches('s') {
            "day" => UnitPeriod::Days(count),
            "week" => UnitPeriod::Weeks(count),
            "month" => UnitPeriod::Months(count),
            "quarter" => UnitPeriod::Months(count.saturating_mul(3)),
            "year" if count == 1 => UnitPeriod::Year,
            "year" => UnitPeriod::Months(count.saturating_mul(12)),
            "semi-month" | "semimonth" | "half-month" if count == 1 => UnitPeriod::SemiMonth,
            _ => return Err(unknown_unit(s)),
        })
    }
}

fn unknown_unit(s: &str) -> Error {
    Error::validation("unit_period", format!("unknown unit period {s:?}"))
}

/// A cash flow placed in time: whole unit periods, fraction, signed amount.
struct Timed {
    periods: u32,
    fraction: Decimal,
    amount: Decimal,
}

/// Dates a whole number of unit periods of `length` months after `start`, placed by month
/// index: a date on the start's day of the month (or on a later day when the start is the last
/// day of its month) is exactly `m` months after it, `m` the difference of the year-months, so
/// [`UnitPeriod::time`] counts `m` whole months and no odd days. What [`by_months`] would count
/// back, without building dates.
struct MonthGrid {
    length: u32,
    start: NaiveDate,
    month_index: i64,
    day: u32,
    month_end: bool,
}

impl MonthGrid {
    fn new(unit: UnitPeriod, start: NaiveDate) -> Option<MonthGrid> {
        let UnitPeriod::Months(length) = unit else {
            return None;
        };
        (length > 0).then(|| MonthGrid {
            length,
            start,
            month_index: i64::from(start.year()) * 12 + i64::from(start.month0()),
            day: start.day(),
            month_end: start.day() == days_in_month(start.year(), start.month()),
        })
    }

    /// The whole unit periods from the start to `date`, when `date` is on the grid.
    #[inline]
    fn periods(&self, date: NaiveDate) -> Option<u32> {
        let day = date.day();
        if date < self.start || !(day == self.day || (self.month_end && day > self.day)) {
            return None;
        }
        let months = i64::from(date.year()) * 12 + i64::from(date.month0()) - self.month_index;
        let months = u32::try_from(months).ok()?;
        (months % self.length == 0).then(|| months / self.length)
    }
}

fn place(
    flows: &[CashFlow],
    field: &str,
    start: NaiveDate,
    unit: UnitPeriod,
    sign: Decimal,
    out: &mut Vec<Timed>,
) -> Result<()> {
    let grid = MonthGrid::new(unit, start);
    for (k, flow) in flows.iter().enumerate() {
        // `amount <= 0` from its sign and mantissa (no `Decimal` comparison).
        if flow.amount.is_sign_negative() || flow.amount.is_zero() {
            return Err(Error::validation(
                format!("{field}[{k}].amount"),
                "must be greater than zero",
            ));
        }
        let on_grid = grid.as_ref().and_then(|g| g.periods(flow.date));
        let (periods, fraction) = match on_grid {
            Some(periods) => (periods, Decimal::ZERO),
            None => unit.time(start, flow.date).map_err(|_| {
                Error::validation(
                    format!("{field}[{k}].date"),
                    "cannot precede the earliest advance",
                )
            })?,
        };
        out.push(Timed {
            periods,
            fraction,
            // `sign` is ±1: a negation, not a multiplication.
            amount: if sign.is_sign_negative() {
                -flow.amount
            } else {
                flow.amount
            },
        });
    }
    Ok(())
}

/// Σ amount / ((1 + f·i)(1 + i)^t) over flows sorted by `t`, and its derivative in `i`: powers
/// of `1 / (1 + i)` are built incrementally and the simple-interest factor is applied only to
/// odd fractions.
fn net_present_value(flows: &[Timed], i: Decimal) -> Result<(Decimal, Decimal)> {
    let discount = div(Decimal::ONE, add(Decimal::ONE, i)?)?;
    let mut power = Decimal::ONE;
    let mut exponent = 0u32;
    let mut total = Decimal::ZERO;
    let mut slope = Decimal::ZERO;
    for flow in flows {
        if flow.periods > exponent {
            let step = flow.periods - exponent;
            let factor = if step == 1 {
                discount
            } else {
                powi(discount, u64::from(step))?
            };
            power = mul(power, factor)?;
            exponent = flow.periods;
        }
        let mut value = mul(flow.amount, power)?;
        // d/di of v^t is -t·v^(t+1); of 1/(1 + f·i) it is -f/(1 + f·i)^2.
        let mut rate_of_change = mul(Decimal::from(flow.periods), discount)?;
        if !flow.fraction.is_zero() {
            let simple = add(Decimal::ONE, mul(flow.fraction, i)?)?;
            value = div(value, simple)?;
            rate_of_change = add(rate_of_change, div(flow.fraction, simple)?)?;
        }
        total = add(total, value)?;
        slope = sub(slope, mul(value, rate_of_change)?)?;
    }
    Ok((total, slope))
}

/// The APR (as a fraction: `0.0969` is 9.69%) of advances and payments, by Appendix J.
///
/// Fails with [`Error::InvalidArgument`] when there is no advance or payment, an amount is not
/// positive, or a cash flow precedes the earliest advance; with [`Error::NoSolution`] when no
/// rate balances the flows.
pub fn apr(advances: &[CashFlow], payments: &[CashFlow], unit: UnitPeriod) -> Result<Decimal> {
    apr_with_prepaid_finance_charge(advances, payments, unit, Decimal::ZERO)
}

/// The APR when a prepaid finance charge (fees paid at or before closing) is withheld from the
/// earliest advance: the amount financed is that advance minus the charge.
///
/// ```
/// use loansyncro_core::finance::apr::{apr, apr_with_prepaid_finance_charge, CashFlow, UnitPeriod};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let day = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
/// let advances = [CashFlow { date: day(1), amount: dec!(1000) }];
/// let payments: Vec<CashFlow> =
///     (2..=12).map(|m| CashFlow { date: day(m), amount: dec!(95) }).collect();
/// let plain = apr(&advances, &payments, UnitPeriod::Months(1))?;
/// let with_fee = apr_with_prepaid_finance_charge(&advances, &payments, UnitPeriod::Months(1), dec!(25))?;
/// assert!(with_fee > plain);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn apr_with_prepaid_finance_charge(
    advances: &[CashFlow],
    payments: &[CashFlow],
    unit: UnitPeriod,
    prepaid_finance_charge: Decimal,
) -> Result<Decimal> {
    let Some(first) = advances.iter().min_by_key(|a| a.date) else {
        return Err(Error::validation(
            "advances",
            "at least one advance is required",
        ));
    };
    if payments.is_empty() {
        return Err(Error::validation(
            "payments",
            "at least one payment is required",
        ));
    }
    if prepaid_finance_charge < Decimal::ZERO || prepaid_finance_charge >= first.amount {
        return Err(Error::validation(
            "prepaid_finance_charge",
            "must be at least zero and less than the first advance",
        ));
    }
    let start = first.date;
    let mut flows = Vec::with_capacity(advances.len() + payments.len() + 1);
    place(
        advances,
        "advances",
        start,
        unit,
        Decimal::NEGATIVE_ONE,
        &mut flows,
    )?;
    if !prepaid_finance_charge.is_zero() {
        flows.push(Timed {
            periods: 0,
            fraction: Decimal::ZERO,
            amount: prepaid_finance_charge,
        });
    }
    place(payments, "payments", start, unit, Decimal::ONE, &mut flows)?;
    flows.sort_by_key(|f| f.periods);
    // At 0% every discount factor is 1: the value is the sum of the amounts (its sign from the
    // exact integer sum when there is one: the `Decimal` sum is then exact too).
    let exact = Exact::of(&flows);
    let at_zero = || {
        flows
            .iter()
            .try_fold(Decimal::ZERO, |sum, flow| add(sum, flow.amount))
    };
    let sign = match &exact {
        Some(e) => e.total.cmp(&0),
        None => at_zero()?.cmp(&Decimal::ZERO),
    };
    if sign == Ordering::Equal {
        return Ok(Decimal::ZERO);
    }
    let per_period = match only_rate(&flows, sign, exact.as_ref()) {
        Some(rate) => rate,
        None => bracketed_rate(&flows, at_zero()?)?,
    };
    mul(per_period, unit.per_year()?)
}

/// The amounts as integers at their largest scale, summed: exact where `Decimal` sums are
/// exact, so the APR's sums and comparisons of amounts need no `Decimal` arithmetic.
struct Exact {
    /// Σ amount, in units of 10^-scale.
    total: i128,
    /// Σ |amount|, in units of 10^-scale.
    size: i128,
    scale: u32,
}

impl Exact {
    /// `None` when a scale exceeds 18 or the sizes reach 2^96 (every partial sum of the
    /// amounts and of their sizes is then below 2^96: exact in `Decimal` at that scale).
    fn of(flows: &[Timed]) -> Option<Exact> {
        let scale = flows.iter().map(|f| f.amount.scale()).max()?;
        let (mut total, mut size) = (0i128, 0i128);
        for flow in flows {
            let mantissa = flow.amount.mantissa();
            let units = match scale.checked_sub(flow.amount.scale())? {
                0 => mantissa,
                places => mantissa.checked_mul(10i128.checked_pow(places)?)?,
            };
            if units.abs() >= 1 << 96 {
                return None;
            }
            total += units;
            size += units.abs();
            if size >= 1 << 96 {
                return None;
            }
        }
        (scale <= 18).then_some(Exact { total, size, scale })
    }

    /// Whether Σ |amount| is at most `10^exp`.
    fn size_at_most_pow10(&self, exp: u32) -> bool {
        10i128
            .checked_pow(exp + self.scale)
            .is_none_or(|limit| self.size <= limit)
    }
}

/// `a == b` for amounts: their mantissas when the scales agree (no `Decimal` comparison).
fn same_amount(a: Decimal, b: Decimal) -> bool {
    if a.scale() == b.scale() {
        a.mantissa() == b.mantissa()
    } else {
        a == b
    }
}

/// The fast path of the APR, taken only where it returns what [`bracketed_rate`] returns.
///
/// When every advance is at the earliest date (no time, no fraction) and the payments exceed
/// them, the value `Σ P_j / ((1 + f_j·i)(1 + i)^t_j) - advances` falls strictly as `i` rises: it
/// has exactly one root, positive, which the bracketing finds whatever its steps. Level
/// payments at consecutive whole unit periods are valued as one geometric sum ([`Run`]), in
/// `f64` for the Newton start (from the tangent at 0%) and in `Decimal` for the polish to 1e-24.
///
/// `None` (the caller brackets) for advances later than the first, payments at most the
/// advances, amounts summing above 1e20, a rate per unit period above 100,000%, or a root the
/// polish cannot pin to 1e-24.
fn only_rate(flows: &[Timed], at_zero: Ordering, exact: Option<&Exact>) -> Option<Decimal> {
    // `amount > 0` from its sign and mantissa.
    let advances_first = flows.iter().all(|f| {
        !(f.amount.is_sign_negative() || f.amount.is_zero())
            || (f.periods == 0 && f.fraction.is_zero())
    });
    if !advances_first || at_zero == Ordering::Less {
        return None;
    }
    let runs = Run::group(flows, exact)?;
    let start = Run::tangent_root(&runs);
    let root = newton::root_f64(
        |i| Run::value_f64(&runs, i),
        start,
        (0.0, 1000.0),
        newton::Side::Above,
    )?;
    newton::polish(
        |i| Run::value(&runs, i).ok(),
        root,
        Run::value_f64(&runs, root).1,
        Decimal::new(1, 24),
    )
}

/// Cash flows of one amount at consecutive whole unit periods `first..first + count` (a single
/// flow when it has an odd fraction), valued together.
struct Run {
    first: u32,
    count: u32,
    fraction: Decimal,
    amount: Decimal,
    fraction_f64: f64,
    amount_f64: f64,
}

impl Run {
    /// The runs of flows sorted by period; `None` when the amounts sum above 1e20 in size
    /// (measured on `exact` when given, else in `Decimal`).
    fn group(flows: &[Timed], exact: Option<&Exact>) -> Option<Vec<Run>> {
        use rust_decimal::prelude::ToPrimitive;
        let mut runs: Vec<Run> = Vec::new();
        let mut size = Decimal::ZERO;
        for flow in flows {
            if exact.is_none() {
                size = size.checked_add(flow.amount.abs())?;
            }
            if let Some(run) = runs.last_mut() {
                let level = run.fraction.is_zero()
                    && flow.fraction.is_zero()
                    && same_amount(run.amount, flow.amount)
                    && run.first.checked_add(run.count) == Some(flow.periods);
                if level {
                    run.count += 1;
                    continue;
                }
            }
            runs.push(Run {
                first: flow.periods,
                count: 1,
                fraction: flow.fraction,
                amount: flow.amount,
                fraction_f64: flow.fraction.to_f64()?,
                amount_f64: flow.amount.to_f64()?,
            });
        }
        let small = match exact {
            Some(e) => e.size_at_most_pow10(20),
            None => size <= Decimal::from(100_000_000_000_000_000_000_i128),
        };
        small.then_some(runs)
    }

    /// `Σ amount · (1+i)^-t / (1 + f·i)` in `Decimal`: a run's `(1+i)^-first · Σ_{s<count}
    /// (1+i)^-s` is `(1+i)^-first · (1 + a(count - 1))` with the annuity factor `a`.
    fn value(runs: &[Run], i: Decimal) -> Result<Decimal> {
        let x = div(Decimal::ONE, add(Decimal::ONE, i)?)?;
        let mut power = Decimal::ONE;
        let mut exponent = 0u32;
        let mut total = Decimal::ZERO;
        for run in runs {
            if run.first > exponent {
                power = mul(power, powi(x, u64::from(run.first - exponent))?)?;
                exponent = run.first;
            }
            let mut value = mul(run.amount, power)?;
            if run.count > 1 {
                let rest = run.count - 1;
                let v = discount(i, rest)?;
                value = mul(value, add(Decimal::ONE, annuity(i, rest, v)?)?)?;
                power = mul(power, v)?;
                exponent += rest;
            }
            if !run.fraction.is_zero() {
                value = div(value, add(Decimal::ONE, mul(run.fraction, i)?)?)?;
            }
            total = add(total, value)?;
        }
        Ok(total)
    }
}

#[allow(clippy::float_arithmetic)] // a start value only: the root is polished and checked in Decimal
impl Run {
    /// [`Run::value`] in `f64`, and its derivative in `i`.
    fn value_f64(runs: &[Run], i: f64) -> (f64, f64) {
        let l = i.ln_1p();
        let (mut total, mut slope) = (0.0, 0.0);
        for run in runs {
            let (first, count) = (f64::from(run.first), f64::from(run.count));
            // Σ_{s<count} e^{-sL} and the mean time of the run's discounted flows.
            let (level, mean) = if run.count == 1 {
                (1.0, first)
            } else if l.abs() < 1e-9 {
                let sum = count * (1.0 - (count - 1.0) * l / 2.0);
                (
                    sum,
                    first + (count - 1.0) / 2.0 - (count * count - 1.0) * l / 12.0,
                )
            } else {
                let sum = (-count * l).exp_m1() / (-l).exp_m1();
                (sum, first + 1.0 / l.exp_m1() - count / (count * l).exp_m1())
            };
            let simple = 1.0 + run.fraction_f64 * i;
            let value = run.amount_f64 * (-first * l).exp() * level / simple;
            total += value;
            slope -= value * (mean / (1.0 + i) + run.fraction_f64 / simple);
        }
        (total, slope)
    }

    /// The root of the value's tangent at 0%.
    fn tangent_root(runs: &[Run]) -> f64 {
        let (value, slope) = Run::value_f64(runs, 0.0);
        -value / slope
    }
}

/// The general path of the APR: brackets the root from 0% outwards (up for payments above the
/// advances, down otherwise) and refines it by bracketed Newton steps on the flows one by one.
fn bracketed_rate(flows: &[Timed], at_zero: Decimal) -> Result<Decimal> {
    let npv = |i: Decimal| net_present_value(flows, i).map(|(value, _)| value);
    // Payments exceed the amount financed: the rate is positive and the value falls as it rises.
    let (bracket_lo, bracket_hi) = if at_zero > Decimal::ZERO {
        let mut hi = Decimal::new(1, 2);
        loop {
            let value = npv(hi)?;
            if value <= Decimal::ZERO {
                break ((Decimal::ZERO, at_zero), (hi, value));
            }
            if hi > Decimal::ONE_THOUSAND {
                return Err(no_rate());
            }
            hi *= Decimal::TEN;
        }
    } else {
        let mut lo = Decimal::new(-1, 2);
        loop {
            let value = npv(lo).map_err(|_| no_rate())?;
            if value >= Decimal::ZERO {
                break ((lo, value), (Decimal::ZERO, at_zero));
            }
            if lo <= Decimal::new(-999_999, 6) {
                return Err(no_rate());
            }
            lo = (lo + Decimal::NEGATIVE_ONE) / Decimal::TWO;
        }
    };
    solve_newton_bracketed(
        |i| net_present_value(flows, i),
        bracket_lo,
        bracket_hi,
        Decimal::new(1, 20),
    )
}

fn no_rate() -> Error {
    Error::no_solution("no rate balances the advances and the payments")
}

/// The effective annual rate of a nominal annual rate compounded `m` times a year:
/// `(1 + nominal/m)^m - 1` (fractions: `0.12` is 12%).
///
/// ```
/// use loansyncro_core::finance::apr::effective_annual_rate;
/// use rust_decimal_macros::dec;
/// assert_eq!(effective_annual_rate(dec!(0.12), 12)?.round_dp(10), dec!(0.1268250301));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn effective_annual_rate(nominal: Decimal, m: u32) -> Result<Decimal> {
    if m == 0 {
        return Err(Error::validation(
            "compounding_periods",
            "must be at least 1",
        ));
    }
    if nominal <= -Decimal::from(m) {
        return Err(Error::validation("nominal", "must be greater than -m"));
    }
    let periodic = add(Decimal::ONE, div(nominal, Decimal::from(m))?)?;
    sub(powi(periodic, u64::from(m))?, Decimal::ONE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_back_clamp_like_chrono() {
        // The month arithmetic of `whole_months_back` against chrono's checked_sub_months.
        let reference = |start: NaiveDate, date: NaiveDate| {
            (0..=date.years_since(start).unwrap_or(0) * 12 + 12)
                .rev()
                .find_map(|m| {
                    date.checked_sub_months(Months::new(m))
                        .filter(|d| *d >= start)
                        .map(|d| (m, d))
                })
                .unwrap_or((0, date))
        };
        for (sy, sm, sd) in [
            (2024, 1, 31),
            (2023, 2, 28),
            (2024, 2, 29),
            (2025, 1, 1),
            (2024, 3, 30),
        ] {
            let start = day(sy, sm, sd);
            for offset in (0..800).step_by(7) {
                let date = start + chrono::Duration::days(offset);
                assert_eq!(
                    whole_months_back(start, date),
                    reference(start, date),
                    "{start} {date}"
                );
            }
        }
    }

    #[test]
    fn the_month_grid_places_like_time() {
        // Every day over 30 years from starts on month ends, a leap day and mid-month days, in
        // unit periods of 1, 2, 3 and 12 months: where the grid answers it is `time`'s count
        // with no fraction, and it answers on every monthly due date of a regular schedule.
        let mut answered = 0;
        for (sy, sm, sd) in [
            (2024, 1, 31),
            (2023, 2, 28),
            (2024, 2, 29),
            (2025, 1, 1),
            (2024, 3, 30),
            (2024, 4, 30),
            (1999, 12, 15),
        ] {
            let start = day(sy, sm, sd);
            for length in [1, 2, 3, 12] {
                let unit = UnitPeriod::Months(length);
                let grid = MonthGrid::new(unit, start).unwrap();
                for offset in -40..=11_000 {
                    let date = start + chrono::Duration::days(offset);
                    if let Some(periods) = grid.periods(date) {
                        assert_eq!(
                            unit.time(start, date).unwrap(),
                            (periods, Decimal::ZERO),
                            "{start} {date} {length}"
                        );
                        answered += 1;
                    }
                }
                for k in 0..360 {
                    let due = start.checked_add_months(Months::new(k * length)).unwrap();
                    if due.day() == sd {
                        assert_eq!(grid.periods(due), Some(k), "{start} + {k} × {length}");
                    }
                }
            }
        }
        assert!(answered > 2_000);
        assert!(MonthGrid::new(UnitPeriod::Months(0), day(2024, 1, 1)).is_none());
        assert!(MonthGrid::new(UnitPeriod::Days(30), day(2024, 1, 1)).is_none());
    }

    #[test]
    fn time_counts_back_whole_unit_periods() {
        let start = day(1978, 1, 10);
        assert_eq!(
            UnitPeriod::Months(1).time(start, day(1978, 2, 10)).unwrap(),
            (1, dec!(0))
        );
        // (c)(4)(ii): two-month unit period, first payment 1 month + 22 days after the advance.
        let (t, f) = UnitPeriod::Months(2).time(start, day(1978, 3, 1)).unwrap();
        assert_eq!(t, 0);
        assert_eq!(f, (dec!(1) + dec!(22) / dec!(30)) / dec!(2));
        // Semi-month: 1978-02-23 to 1978-03-16 is one semi-month and 6 odd days.
        let (t, f) = UnitPeriod::SemiMonth
            .time(day(1978, 2, 23), day(1978, 3, 16))
            .unwrap();
        assert_eq!((t, f), (1, dec!(6) / dec!(15)));
        // Weekly: 32 days are 4 weeks and 4 days.
        let (t, f) = UnitPeriod::Weeks(1)
            .time(day(1978, 3, 20), day(1978, 4, 21))
            .unwrap();
        assert_eq!((t, f), (4, dec!(4) / dec!(7)));
        assert!(UnitPeriod::Months(1).time(day(1978, 2, 1), start).is_err());
    }

    #[test]
    fn unit_periods_parse_and_print() {
        for (text, unit) in [
            ("month", UnitPeriod::Months(1)),
            ("2 months", UnitPeriod::Months(2)),
            ("quarter", UnitPeriod::Months(3)),
            ("semi-month", UnitPeriod::SemiMonth),
            ("week", UnitPeriod::Weeks(1)),
            ("4 weeks", UnitPeriod::Weeks(4)),
            ("year", UnitPeriod::Year),
            ("7 days", UnitPeriod::Days(7)),
        ] {
            assert_eq!(text.parse::<UnitPeriod>().unwrap(), unit);
            assert_eq!(unit.to_string().parse::<UnitPeriod>().unwrap(), unit);
        }
        assert_eq!(
            "fortnightish".parse::<UnitPeriod>().unwrap_err().field(),
            Some("unit_period")
        );
    }

    #[test]
    fn invalid_flows_name_the_field() {
        let a = [CashFlow {
            date: day(2025, 1, 1),
            amount: dec!(100),
        }];
        let p = [CashFlow {
            date: day(2024, 12, 1),
            amount: dec!(101),
        }];
        let e = apr(&a, &p, UnitPeriod::Months(1)).unwrap_err();
        assert_eq!(e.field(), Some("payments[0].date"));
        let p = [CashFlow {
            date: day(2025, 2, 1),
            amount: dec!(0),
        }];
        let e = apr(&a, &p, UnitPeriod::Months(1)).unwrap_err();
        assert_eq!(e.field(), Some("payments[0].amount"));
        let e = apr(&[], &p, UnitPeriod::Months(1)).unwrap_err();
        assert_eq!(e.field(), Some("advances"));
        let p = [CashFlow {
            date: day(2025, 2, 1),
            amount: dec!(101),
        }];
        let e =
            apr_with_prepaid_finance_charge(&a, &p, UnitPeriod::Months(1), dec!(100)).unwrap_err();
        assert_eq!(e.field(), Some("prepaid_finance_charge"));
    }

    /// The fast path's rate per unit period where it answers, and the bracketing's.
    fn both_paths(
        advances: &[CashFlow],
        payments: &[CashFlow],
        unit: UnitPeriod,
        fee: Decimal,
    ) -> Option<(Decimal, Result<Decimal>)> {
        let start = advances.iter().map(|a| a.date).min().unwrap();
        let mut flows = Vec::new();
        place(
            advances,
            "a",
            start,
            unit,
            Decimal::NEGATIVE_ONE,
            &mut flows,
        )
        .unwrap();
        flows.push(Timed {
            periods: 0,
            fraction: Decimal::ZERO,
            amount: fee,
        });
        place(payments, "p", start, unit, Decimal::ONE, &mut flows).unwrap();
        flows.sort_by_key(|f| f.periods);
        let at_zero: Decimal = flows.iter().map(|f| f.amount).sum();
        let exact = Exact::of(&flows);
        if let Some(e) = &exact {
            assert_eq!(Decimal::from_i128_with_scale(e.total, e.scale), at_zero);
        }
        let fast = only_rate(&flows, at_zero.cmp(&Decimal::ZERO), exact.as_ref())?;
        // The same answer with the amounts summed in `Decimal`.
        assert_eq!(
            only_rate(&flows, at_zero.cmp(&Decimal::ZERO), None),
            Some(fast)
        );
        Some((fast, bracketed_rate(&flows, at_zero)))
    }

    fn agree((fast, bracketed): &(Decimal, Result<Decimal>)) -> bool {
        bracketed
            .as_ref()
            .is_ok_and(|b| (*fast - *b).abs() <= dec!(1e-20))
    }

    fn vector_flows(v: &serde_json::Value) -> Vec<CashFlow> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| CashFlow {
                date: NaiveDate::parse_from_str(f["date"].as_str().unwrap(), "%Y-%m-%d").unwrap(),
                amount: f["amount"].as_str().unwrap().parse().unwrap(),
            })
            .collect()
    }

    #[test]
    fn the_fast_apr_is_the_bracketed_apr_on_every_vector() {
        let load = |name: &str| -> serde_json::Value {
            let path = format!("{}/tests/data/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        let mut fast = 0;
        let mut cases = Vec::new();
        for case in load("apr.json")["cases"].as_array().unwrap() {
            cases.push((
                case["advances"].clone(),
                case["payments"].clone(),
                case["unit_period"].clone(),
            ));
        }
        for case in load("conventions.json")["cases"].as_array().unwrap() {
            let terms = &case["terms"];
            if case["convention"].as_str().unwrap().starts_with("apr") {
                cases.push((
                    terms["advances"].clone(),
                    terms["payments"].clone(),
                    terms["unit_period"].clone(),
                ));
            }
        }
        for (advances, payments, unit) in &cases {
            let (advances, payments) = (vector_flows(advances), vector_flows(payments));
            let unit = match unit.as_str().unwrap() {
                u if u.starts_with("day (single") => {
                    UnitPeriod::term(advances[0].date, payments[0].date).unwrap()
                }
                u => u.parse().unwrap(),
            };
            for fee in [dec!(0), dec!(25.5)] {
                if let Some(both) = both_paths(&advances, &payments, unit, fee) {
                    assert!(agree(&both), "{unit}: {both:?}");
                    fast += 1;
                }
            }
        }
        // Appendix J (c)(3) and (c)(4) have irregular first periods but one advance: all 20
        // cases with one advance on the first date take the fast path.
        assert_eq!(cases.len(), 20);
        assert!(fast >= 36, "only {fast} of 40 took the fast path");
    }

    #[test]
    fn the_fast_apr_of_a_mortgage_and_what_it_leaves_to_the_bracketing() {
        let start = day(2025, 1, 1);
        let advances = [CashFlow {
            date: start,
            amount: dec!(250000),
        }];
        let mut payments: Vec<CashFlow> = (1..=360)
            .map(|k| CashFlow {
                date: start.checked_add_months(Months::new(k)).unwrap(),
                amount: dec!(1580.17),
            })
            .collect();
        payments[359].amount = dec!(1581.52);
        let both = both_paths(&advances, &payments, UnitPeriod::Months(1), dec!(3000)).unwrap();
        assert!(agree(&both), "{both:?}");
        // 6.61644536001503120447558486 by a 50-digit bisection.
        assert_eq!(
            (both.0 * dec!(1200)).round_dp(20),
            dec!(6.61644536001503120448)
        );
        // Less repaid than lent (a negative rate) and a second advance later: bracketed.
        assert!(both_paths(&advances, &payments[..100], UnitPeriod::Months(1), dec!(0)).is_none());
        let later = [
            advances[0],
            CashFlow {
                date: day(2025, 6, 1),
                amount: dec!(1000),
            },
        ];
        assert!(both_paths(&later, &payments, UnitPeriod::Months(1), dec!(0)).is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn the_fast_apr_is_the_bracketed_apr(
            count in 1u32..=120,
            payment in 1i64..=500_000,
            principal in 100i64..=20_000_000,
            fee in 0i64..=50_000,
            odd_days in 0u64..=40,
            weekly: bool,
        ) {
            let start = day(2024, 1, 31);
            let first = start + chrono::Days::new(odd_days);
            let (unit, step) = if weekly { (UnitPeriod::Weeks(1), 7) } else { (UnitPeriod::Months(1), 0) };
            let payments: Vec<CashFlow> = (1..=count)
                .map(|k| CashFlow {
                    date: if weekly {
                        first + chrono::Days::new(u64::from(k) * step)
                    } else {
                        first.checked_add_months(Months::new(k)).unwrap()
                    },
                    amount: Decimal::new(payment, 2),
                })
                .collect();
            let advances = [CashFlow { date: start, amount: Decimal::new(principal, 2) }];
            let fee = Decimal::new(fee, 2).min(Decimal::new(principal - 1, 2));
            if let Some(both) = both_paths(&advances, &payments, unit, fee) {
                proptest::prop_assert!(agree(&both), "{:?}", both);
            }
        }
    }

    #[test]
    fn exact_one_period_rates() {
        let a = [CashFlow {
            date: day(2025, 1, 1),
            amount: dec!(100),
        }];
        let p = [CashFlow {
            date: day(2025, 2, 1),
            amount: dec!(101),
        }];
        assert_eq!(
            apr(&a, &p, UnitPeriod::Months(1)).unwrap().round_dp(18),
            dec!(0.12)
        );
        // Less repaid than lent: a negative APR, not an error.
        let p = [CashFlow {
            date: day(2025, 2, 1),
            amount: dec!(99),
        }];
        assert_eq!(
            apr(&a, &p, UnitPeriod::Months(1)).unwrap().round_dp(18),
            dec!(-0.12)
        );
        let p = [CashFlow {
            date: day(2025, 2, 1),
            amount: dec!(100),
        }];
        assert_eq!(apr(&a, &p, UnitPeriod::Months(1)).unwrap(), dec!(0));
    }
}
