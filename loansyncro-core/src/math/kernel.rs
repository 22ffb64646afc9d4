//! The arithmetic kernel: the one place where an annual rate becomes the rate of a period, a
//! balance bears the interest of a period (rounded once), and a level payment is derived.
//! Schedule generation ([`crate::schedule`]), the ledger replay and the payoff planner
//! ([`crate::ledger`]) all call it, so the three agree to the minor unit.
//!
//! Everything here is exact where it can be: rates are fractions of integers, interest is
//! `balance × num / den` rounded once on the exact quotient (in 64-bit integers when they fit,
//! else 128-bit, else split so that no product overflows). Only the annuity (a power of
//! `1 / (1 + r)`) is computed in `Decimal`'s 28 digits.
//!
//! ```
//! use loansyncro_core::math::kernel::{self, RateBasis};
//! use loansyncro_core::{Compounding, DayCount, Frequency, Rate, RoundingMode};
//! use rust_decimal_macros::dec;
//!
//! // 6.5% a year, monthly, 30/360: the period rate is 0.065 / 12 = 13/2400.
//! let basis = RateBasis::new(Compounding::Nominal, Frequency::Monthly, DayCount::Thirty360Us);
//! let rate = basis.nominal_rate(Rate::from_percent(dec!(6.5))?)?;
//! assert_eq!((rate.num, rate.den), (13, 2400));
//! // The first month's interest on 250,000.00 (in cents), rounded once.
//! assert_eq!(kernel::interest(25_000_000, rate, RoundingMode::HalfUp)?, 135_417);
//! // The level payment over 360 months, before it is rounded to the currency.
//! let level = kernel::level_payment(dec!(250000), rate, 360, dec!(0))?;
//! assert_eq!(level.payment.round_dp(2), dec!(1580.17));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::math::calendar::{DayCount, Fraction, Frequency};
use crate::math::error::{MathError as Error, Result};
use crate::math::money::{Currency, RoundingMode};
use crate::math::rate::{Compounding, Rate};

/// How an annual rate becomes the rate of one period: the compounding convention, the
/// frequency of the periods and the day count that measures them.
///
/// ```
/// use loansyncro_core::math::kernel::RateBasis;
/// use loansyncro_core::{Compounding, DayCount, Frequency, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let basis = RateBasis::new(Compounding::Nominal, Frequency::Monthly, DayCount::Actual360);
/// let annual = Rate::from_percent(dec!(7.2))?;
/// let jan = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
/// let feb = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap();
/// // 31 actual days / 360 at 7.2%: 0.072 × 31 / 360 = 31/5000.
/// let r = basis.rate_between(annual, jan, feb, true)?;
/// assert_eq!((r.num, r.den), (31, 5000));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateBasis {
    compounding: Compounding,
    frequency: Frequency,
    day_count: DayCount,
    nominal: Fraction,
}

impl RateBasis {
    /// The basis of periods of `frequency` measured by `day_count`, the annual rate converted
    /// by `compounding`.
    pub fn new(compounding: Compounding, frequency: Frequency, day_count: DayCount) -> RateBasis {
        RateBasis {
            compounding,
            frequency,
            day_count,
            nominal: frequency.nominal_fraction(day_count),
        }
    }

    /// The year fraction of a regular period (1/12 for a month).
    pub fn nominal_fraction(&self) -> Fraction {
        self.nominal
    }

    /// The year fraction of the period `from..to` (the nominal fraction for a regular period
    /// under 30/360, otherwise the day count's; see [`DayCount::period_fraction`]).
    pub fn period_fraction(&self, from: NaiveDate, to: NaiveDate, regular: bool) -> Fraction {
        self.day_count
            .period_fraction(self.frequency, from, to, regular)
    }

    /// The rate of a period of `year_fraction` at `annual`, exact and in lowest terms.
    ///
    /// Nominal compounding: `annual × year_fraction`. Otherwise the compounded periodic rate
    /// of the frequency, scaled by `year_fraction / nominal fraction` (so a regular period
    /// bears exactly the periodic rate).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] on `compounding` when the frequency has no whole number of
    /// periods a year; [`Error::Overflow`] when the fraction leaves `i128`.
    pub fn period_rate(&self, annual: Rate, year_fraction: Fraction) -> Result<Fraction> {
        let f = match self.compounding {
            Compounding::Nominal => return nominal_rate(annual, year_fraction),
            other => {
                let ppy = self.frequency.periods_per_year().ok_or_else(|| {
                    Error::validation(
                        "compounding",
                        "needs a frequency with a whole number of periods a year",
                    )
                })?;
                let rp = other.periodic_rate(annual, ppy)?;
                // rp × year_fraction / nominal
                Fraction::new(
                    checked(mul_i128(
                        checked(mul_i128(rp.mantissa(), year_fraction.num))?,
                        self.nominal.den,
                    ))?,
                    checked(mul_i128(
                        checked(mul_i128(pow10(rp.scale())?, year_fraction.den))?,
                        self.nominal.num,
                    ))?,
                )
            }
        };
        Ok(lowest(f))
    }

    /// The rate of a regular period (`period_rate` of the nominal fraction).
    pub fn nominal_rate(&self, annual: Rate) -> Result<Fraction> {
        self.period_rate(annual, self.nominal)
    }

    /// The rate of the period `from..to`: [`RateBasis::period_rate`] of its
    /// [`RateBasis::period_fraction`].
    pub fn rate_between(
        &self,
        annual: Rate,
        from: NaiveDate,
        to: NaiveDate,
        regular: bool,
    ) -> Result<Fraction> {
        self.period_rate(annual, self.period_fraction(from, to, regular))
    }
}

/// `annual × year_fraction` with no compounding, exact and in lowest terms (the planner's
/// monthly rate is `nominal_rate(annual, 1/12)`).
///
/// ```
/// use loansyncro_core::math::{calendar::Fraction, kernel};
/// use loansyncro_core::Rate;
/// use rust_decimal_macros::dec;
/// let r = kernel::nominal_rate(Rate::from_percent(dec!(24))?, Fraction::new(1, 12))?;
/// assert_eq!((r.num, r.den), (1, 50));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn nominal_rate(annual: Rate, year_fraction: Fraction) -> Result<Fraction> {
    let a = annual.fraction();
    Ok(lowest(Fraction::new(
        checked(mul_i128(a.mantissa(), year_fraction.num))?,
        checked(mul_i128(pow10(a.scale())?, year_fraction.den))?,
    )))
}

/// `a × b` checked, as one plain multiplication when both fit 64 bits (their product cannot
/// overflow `i128`): `i128::checked_mul` is a library call.
#[inline]
fn mul_i128(a: i128, b: i128) -> Option<i128> {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(a), Ok(b)) => Some(i128::from(a) * i128::from(b)),
        _ => a.checked_mul(b),
    }
}

/// The interest of a period: `balance × rate` (integer units) rounded once with `mode` on the
/// exact quotient.
///
/// # Errors
/// [`Error::Overflow`] on `interest` when the result leaves `i128` or the rate's denominator
/// is not positive.
///
/// ```
/// use loansyncro_core::math::{calendar::Fraction, kernel};
/// use loansyncro_core::RoundingMode;
/// // 12345.00 at 0.5% a month: 6172.5 cents of interest.
/// let r = Fraction::new(1, 200);
/// assert_eq!(kernel::interest(1_234_500, r, RoundingMode::HalfUp)?, 6173);
/// assert_eq!(kernel::interest(1_234_500, r, RoundingMode::HalfEven)?, 6172);
/// assert_eq!(kernel::interest(1_234_500, r, RoundingMode::Down)?, 6172);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[inline]
pub fn interest(balance: i128, rate: Fraction, mode: RoundingMode) -> Result<i128> {
    if let (Ok(v), Ok(n), Ok(d)) = (
        i64::try_from(balance),
        i64::try_from(rate.num),
        i64::try_from(rate.den),
    ) {
        if let Some(q) = v.checked_mul(n).and_then(|p| mode.div_round_i64(p, d)) {
            return Ok(i128::from(q));
        }
    }
    interest_wide(balance, rate, mode).ok_or_else(|| Error::overflow("interest"))
}

/// [`interest`] beyond 64 bits: in `i128`, else with the balance split as `q × den + r` so
/// that no product exceeds `i128` (`r × num < den × num`).
#[inline(never)]
fn interest_wide(balance: i128, rate: Fraction, mode: RoundingMode) -> Option<i128> {
    let (num, den) = (rate.num, rate.den);
    if den <= 0 {
        return None;
    }
    if let Some(p) = balance.checked_mul(num) {
        return mode.div_round_i128(p, den);
    }
    // balance × num / den = q × num + (r × num) / den, where q × num is whole: round the
    // fractional part in the context of the whole part's sign and parity (for half-even).
    let (q, r) = (balance / den, balance % den);
    let part = r.checked_mul(num)?;
    let whole = q.checked_mul(num)?.checked_add(part / den)?;
    let parity = whole % 2;
    let step = mode.div_round_i128(parity.checked_mul(den)? + part % den, den)? - parity;
    whole.checked_add(step)
}

/// Flat (add-on) interest: the interest of `periods` periods at `period_rate` on the original
/// `principal`, rounded once.
///
/// ```
/// use loansyncro_core::math::{calendar::Fraction, kernel};
/// use loansyncro_core::RoundingMode;
/// // 1,000.00 at 1% a month for 12 months: 120.00.
/// assert_eq!(kernel::flat_interest(100_000, Fraction::new(1, 100), 12, RoundingMode::HalfUp)?, 12_000);
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn flat_interest(
    principal: i128,
    period_rate: Fraction,
    periods: u32,
    mode: RoundingMode,
) -> Result<i128> {
    let whole = Fraction::new(
        period_rate
            .num
            .checked_mul(i128::from(periods))
            .ok_or_else(|| Error::overflow("flat interest"))?,
        period_rate.den,
    );
    interest(principal, whole, mode)
}

/// A level payment and the discount factor it was derived with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annuity {
    /// The exact (unrounded) level payment.
    pub payment: Decimal,
    /// The discount factor of the whole span, `v = Π 1/(1 + r_i)` (`(1 + r)^-n` at one rate).
    pub discount: Decimal,
}

/// `(1 + rate)^-periods`, to `Decimal`'s precision (in 128-bit fixed point when the rate's
/// terms fit 64 bits, else by repeated squaring in `Decimal`).
///
/// ```
/// use loansyncro_core::math::{calendar::Fraction, kernel};
/// use rust_decimal_macros::dec;
/// assert_eq!(kernel::discount_factor(Fraction::new(1, 1), 2)?, dec!(0.25));
/// assert_eq!(kernel::discount_factor(Fraction::new(0, 1), 360)?, dec!(1));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn discount_factor(rate: Fraction, periods: u32) -> Result<Decimal> {
    if let Some(v) = crate::math::fixed::discount_factor(rate.num, rate.den, periods) {
        return Ok(v);
    }
    let ovf = || Error::overflow("annuity payment");
    let discount = Decimal::ONE
        .checked_div(Decimal::ONE + rate.to_decimal())
        .ok_or_else(ovf)?;
    pow_u32(discount, periods).ok_or_else(ovf)
}

/// `base^exp` by repeated squaring (a value below 1 underflows gracefully to 0).
fn pow_u32(base: Decimal, mut exp: u32) -> Option<Decimal> {
    let mut result = Decimal::ONE;
    let mut b = base;
    while exp > 0 {
        if exp & 1 == 1 {
            result = result.checked_mul(b)?;
        }
        exp >>= 1;
        if exp > 0 {
            b = b.checked_mul(b)?;
        }
    }
    Some(result)
}

/// The exact level payment that takes `balance` to `residual` over `periods` periods at the
/// period rate `rate`: `(balance − residual × v) × r / (1 − v)` with `v = (1 + r)^-periods`
/// (`(balance − residual) / periods` at a zero rate; the balance itself over zero periods).
///
/// # Errors
/// [`Error::Overflow`] on `annuity payment` when `Decimal` overflows or `v` rounds to 1.
///
/// ```
/// use loansyncro_core::math::{calendar::Fraction, kernel};
/// use rust_decimal_macros::dec;
/// let a = kernel::level_payment(dec!(1200), Fraction::new(0, 1), 12, dec!(0))?;
/// assert_eq!(a.payment, dec!(100));
/// // 1,000 at 10% a period over 2 periods: 576.19...
/// let b = kernel::level_payment(dec!(1000), Fraction::new(1, 10), 2, dec!(0))?;
/// assert_eq!(b.payment.round_dp(2), dec!(576.19));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn level_payment(
    balance: Decimal,
    rate: Fraction,
    periods: u32,
    residual: Decimal,
) -> Result<Annuity> {
    let ovf = || Error::overflow("annuity payment");
    if periods == 0 {
        return Ok(Annuity {
            payment: balance,
            discount: Decimal::ONE,
        });
    }
    let r = rate.to_decimal();
    if r.is_zero() {
        return Ok(Annuity {
            payment: (balance - residual)
                .checked_div(Decimal::from(periods))
                .ok_or_else(ovf)?,
            discount: Decimal::ONE,
        });
    }
    let v = discount_factor(rate, periods)?;
    let annuity_factor = Decimal::ONE - v;
    if annuity_factor.is_zero() {
        return Err(ovf());
    }
    let owed = if residual.is_zero() {
        balance
    } else {
        balance - residual * v
    };
    let payment = owed
        .checked_mul(r)
        .and_then(|x| x.checked_div(annuity_factor))
        .ok_or_else(ovf)?;
    Ok(Annuity {
        payment,
        discount: v,
    })
}

/// Level payments over periods whose rates differ (actual day counts, an odd first period):
/// the present values of 1 a period and of 1 at the end, from every period on.
///
/// ```
/// use loansyncro_core::math::{calendar::Fraction, kernel::{self, AnnuityTable}};
/// use rust_decimal_macros::dec;
/// // Equal rates give the closed-form annuity.
/// let r = Fraction::new(1, 100);
/// let table = AnnuityTable::new(&[r; 12])?;
/// let from_table = table.level_payment(1, dec!(1000), dec!(0))?.payment;
/// let closed = kernel::level_payment(dec!(1000), r, 12, dec!(0))?.payment;
/// assert_eq!(from_table.round_dp(10), closed.round_dp(10));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnuityTable {
    /// `sums[k-1]` = Σ_{j≥k} Π_{i=k..=j} 1/(1+r_i): the value of 1 per period from period k on.
    sums: Vec<Decimal>,
    /// `products[k-1]` = Π_{i≥k} 1/(1+r_i): the value of 1 paid at the end.
    products: Vec<Decimal>,
}

impl AnnuityTable {
    /// The table of the periods whose rates are `rates` (period 1 first).
    ///
    /// # Errors
    /// [`Error::Overflow`] on `annuity table` when `Decimal` overflows.
    pub fn new(rates: &[Fraction]) -> Result<AnnuityTable> {
        let ovf = || Error::overflow("annuity table");
        let mut sums = vec![Decimal::ZERO; rates.len()];
        let mut products = vec![Decimal::ONE; rates.len()];
        let (mut sum, mut product) = (Decimal::ZERO, Decimal::ONE);
        for (i, rate) in rates.iter().enumerate().rev() {
            let d = Decimal::ONE
                .checked_div(Decimal::ONE + rate.to_decimal())
                .ok_or_else(ovf)?;
            sum = d.checked_mul(Decimal::ONE + sum).ok_or_else(ovf)?;
            product = d.checked_mul(product).ok_or_else(ovf)?;
            if let (Some(s), Some(p)) = (sums.get_mut(i), products.get_mut(i)) {
                *s = sum;
                *p = product;
            }
        }
        Ok(AnnuityTable { sums, products })
    }

    /// The exact level payment that takes `balance` to `residual` over periods `k..` (1-based)
    /// to the end of the table (the balance itself when no period is left).
    pub fn level_payment(&self, k: u32, balance: Decimal, residual: Decimal) -> Result<Annuity> {
        let i = (k as usize).saturating_sub(1);
        match (self.sums.get(i), self.products.get(i)) {
            (Some(sum), Some(product)) if !sum.is_zero() => Ok(Annuity {
                payment: (balance - residual * *product)
                    .checked_div(*sum)
                    .ok_or_else(|| Error::overflow("annuity payment"))?,
                discount: *product,
            }),
            _ => Ok(Annuity {
                payment: balance,
                discount: Decimal::ONE,
            }),
        }
    }
}

/// An installment rounded to what is paid: to a multiple of `multiple` when given (e.g. whole
/// units), else to the currency's minor unit, with `mode`.
///
/// ```
/// use loansyncro_core::math::kernel;
/// use loansyncro_core::{Currency, RoundingMode};
/// use rust_decimal_macros::dec;
/// let exact = dec!(1580.1702);
/// assert_eq!(kernel::round_installment(exact, Currency::USD, RoundingMode::HalfUp, None), dec!(1580.17));
/// assert_eq!(kernel::round_installment(exact, Currency::USD, RoundingMode::Up, Some(dec!(5))), dec!(1585));
/// ```
pub fn round_installment(
    exact: Decimal,
    currency: Currency,
    mode: RoundingMode,
    multiple: Option<Decimal>,
) -> Decimal {
    match multiple {
        Some(step) => mode.round_to_multiple(exact, step),
        None => currency.round(exact, mode),
    }
}

/// A rounding mode as a type, so that a hot loop (the schedule's fast path, through
/// [`FixedRate`]) is compiled once per mode with no per-row branch on the mode. Rounds like
/// [`RoundingMode::div_round_i64`] on non-negative operands.
pub(crate) trait RoundedDiv {
    /// What [`FixedRate`] adds to `balance × num / den` (in units of 2^-128) before it takes
    /// the integer part: the mode's offset (0, 1/2 or 1 − 1/den) plus the margin
    /// [`FixedRate::MARGIN`] that covers the truncation of the reciprocal.
    fn bias(den: u64) -> u128;

    /// The rounded quotient from the integer part `q` and the fraction `frac` (2^-128 units)
    /// of the biased product: `q` except at an exact tie under half-even.
    #[inline(always)]
    fn settle(q: u64, _frac: u128) -> u64 {
        q
    }
}

/// `balance × num / den` rounded by `R` for one fixed rate `num / den < 1`, as a multiplication
/// by the rate in 128-bit fixed point instead of a division: the schedule's fast path computes
/// every row's interest this way (a division is the slowest step of a row and the next row
/// waits for it). Exact, like the division: the rate is truncated to `c = ⌊num·2^128/den⌋`,
/// which lowers the product by less than `balance·2^-128 < 2^-64`; the bias adds back
/// [`FixedRate::MARGIN`] = 2^-64, more than that loss and less than the distance `1/(2·den)`
/// between two values the exact product (plus the mode's offset) can take, so the integer part
/// is the exact one's (`den < 2^62` keeps that distance above 2^-63).
pub(crate) struct FixedRate<R> {
    c: u128,
    bias: u128,
    mode: std::marker::PhantomData<R>,
}

impl<R: RoundedDiv> FixedRate<R> {
    /// 2^-64 in units of 2^-128.
    pub(crate) const MARGIN: u128 = 1 << 64;

    /// The multiplier of `num / den`; `None` unless `num < den < 2^62`.
    pub(crate) fn new(num: u64, den: u64) -> Option<FixedRate<R>> {
        if num >= den || den >= 1 << 62 {
            return None;
        }
        let d = u128::from(den);
        let x = u128::from(num) << 64;
        let (high, rest) = (x / d, x % d);
        let c = (high << 64) | ((rest << 64) / d);
        Some(FixedRate {
            c,
            bias: R::bias(den),
            mode: std::marker::PhantomData,
        })
    }

    /// `balance × num / den` rounded.
    #[inline(always)]
    pub(crate) fn apply(&self, balance: u64) -> u64 {
        let b = u128::from(balance);
        let lo = b * (self.c & u128::from(u64::MAX));
        let hi = b * (self.c >> 64);
        let (low, c1) = lo.overflowing_add(hi << 64);
        let (frac, c2) = low.overflowing_add(self.bias);
        let q = (hi >> 64) as u64 + u64::from(c1) + u64::from(c2);
        R::settle(q, frac)
    }
}

/// [`RoundingMode::HalfUp`].
pub(crate) struct HalfUpDiv;
/// [`RoundingMode::HalfEven`].
pub(crate) struct HalfEvenDiv;
/// [`RoundingMode::Up`].
pub(crate) struct UpDiv;
/// [`RoundingMode::Down`].
pub(crate) struct DownDiv;

/// 1/2 in units of 2^-128.
const HALF: u128 = 1 << 127;

impl RoundedDiv for HalfUpDiv {
    fn bias(_den: u64) -> u128 {
        HALF + FixedRate::<Self>::MARGIN
    }
}

impl RoundedDiv for HalfEvenDiv {
    fn bias(_den: u64) -> u128 {
        HALF + FixedRate::<Self>::MARGIN
    }

    /// At a tie (`balance × num / den` = k + 1/2) the biased product is the integer k + 1 plus
    /// at most the margin, 2^-64 (any other value leaves a fraction of at least `1/(2·den)`,
    /// above 2^-63): an odd k + 1 goes down to k.
    #[inline(always)]
    fn settle(q: u64, frac: u128) -> u64 {
        q - u64::from(frac >> 65 == 0 && q % 2 == 1)
    }
}

impl RoundedDiv for UpDiv {
    /// 1 − 1/den rounded up to 2^-128 (the ceiling of a multiple of 1/den is the floor of it
    /// plus that), and the margin.
    fn bias(den: u64) -> u128 {
        let d = u128::from(den);
        if d <= 1 {
            return FixedRate::<Self>::MARGIN;
        }
        // ⌊2^128 / d⌋ from ⌊(2^128 − 1) / d⌋ (one more when d divides 2^128).
        let share = u128::MAX / d + u128::from(u128::MAX % d == d - 1);
        0u128.wrapping_sub(share) + FixedRate::<Self>::MARGIN
    }
}

impl RoundedDiv for DownDiv {
    fn bias(_den: u64) -> u128 {
        FixedRate::<Self>::MARGIN
    }
}

fn lowest(f: Fraction) -> Fraction {
    if f.den <= 0 {
        return Fraction::new(0, 1);
    }
    // Rates are small fractions: their gcd in 64 bits (hardware division) when they fit, the
    // same result as `reduced` without 128-bit divisions.
    if let (Ok(num), Ok(den)) = (u64::try_from(f.num), u64::try_from(f.den)) {
        let (mut a, mut b) = (num, den);
        while b != 0 {
            (a, b) = (b, a % b);
        }
        return match a {
            0 | 1 => f,
            g => Fraction::new(i128::from(num / g), i128::from(den / g)),
        };
    }
    f.reduced()
}

fn checked(x: Option<i128>) -> Result<i128> {
    x.ok_or_else(|| Error::overflow("period rate"))
}

fn pow10(exp: u32) -> Result<i128> {
    checked(10i128.checked_pow(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODES: [RoundingMode; 4] = [
        RoundingMode::HalfUp,
        RoundingMode::HalfEven,
        RoundingMode::Up,
        RoundingMode::Down,
    ];

    #[test]
    fn wide_interest_is_exact_in_every_mode() {
        // 10/3 written as 1e19 / 3e18: balance × num overflows i128, the split must round like
        // the exact quotient balance × 10 / 3.
        let f = Fraction::new(10i128.pow(19), 3 * 10i128.pow(18));
        for balance in [
            10i128.pow(20) + 1,
            10i128.pow(20) + 2,
            -(10i128.pow(20) + 1),
        ] {
            for mode in MODES {
                let want = mode.div_round_i128(balance * 10, 3).unwrap();
                assert_eq!(
                    interest(balance, f, mode).unwrap(),
                    want,
                    "{balance} {mode:?}"
                );
            }
        }
    }

    #[test]
    fn wide_half_even_looks_at_the_whole_parity() {
        // (2^100 + 1) × 1/2 with a large numerator: x.5 rounds to the even neighbour.
        let b = (1i128 << 100) + 1;
        let f = Fraction::new(1i128 << 40, 1i128 << 41);
        let want = RoundingMode::HalfEven.div_round_i128(b, 2).unwrap();
        assert_eq!(interest(b, f, RoundingMode::HalfEven).unwrap(), want);
        let up = RoundingMode::HalfUp.div_round_i128(b, 2).unwrap();
        assert_eq!(interest(b, f, RoundingMode::HalfUp).unwrap(), up);
    }

    #[test]
    fn lowest_terms_in_64_bits_agree_with_the_wide_reduction() {
        for (num, den) in [
            (0, 5),
            (6, 4),
            (13, 2400),
            (65, 12_000),
            (7, 7),
            (1 << 62, 6),
        ] {
            let f = Fraction::new(num, den);
            assert_eq!(lowest(f), f.reduced(), "{num}/{den}");
        }
        let wide = Fraction::new(3 << 100, 9 << 90);
        assert_eq!(lowest(wide), wide.reduced());
        assert_eq!(lowest(Fraction::new(-6, 4)), Fraction::new(-3, 2));
    }

    #[test]
    fn a_non_positive_denominator_is_an_overflow_not_a_panic() {
        assert!(interest(100, Fraction::new(1, 0), RoundingMode::HalfUp).is_err());
    }

    /// `FixedRate::<R>::apply(b)` for `R` against the exact rounding of `b × num / den` in
    /// `i128`, on edge and pseudo-random operands.
    fn fixed_rate_agrees<R: RoundedDiv>(mode: RoundingMode) {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut dens = vec![
            1u64,
            2,
            3,
            7,
            12,
            100,
            2400,
            1 << 20,
            (1 << 62) - 1,
            1 << 61,
        ];
        dens.extend((0..300).map(|i| next() >> (2 + i % 60)).filter(|d| *d > 0));
        for den in dens {
            let mut nums = vec![0, den - 1, den / 2, den / 3];
            nums.extend((0..8).map(|_| next() % den));
            for num in nums {
                let rate = FixedRate::<R>::new(num, den).unwrap();
                let mut balances = vec![0u64, 1, 2, u64::MAX, u64::MAX - 1, den, den / 2 + 1];
                balances.extend((0..40).map(|i| next() >> (i % 64)));
                for b in balances {
                    let want =
                        mode.div_round_i128(i128::from(b) * i128::from(num), i128::from(den));
                    assert_eq!(
                        Some(i128::from(rate.apply(b))),
                        want,
                        "{mode:?}: {b} × {num} / {den}"
                    );
                }
            }
        }
        assert!(FixedRate::<R>::new(5, 5).is_none());
        assert!(FixedRate::<R>::new(1, 1 << 62).is_none());
    }

    #[test]
    fn fixed_rate_interest_is_the_exact_rounding() {
        fixed_rate_agrees::<HalfUpDiv>(RoundingMode::HalfUp);
        fixed_rate_agrees::<HalfEvenDiv>(RoundingMode::HalfEven);
        fixed_rate_agrees::<UpDiv>(RoundingMode::Up);
        fixed_rate_agrees::<DownDiv>(RoundingMode::Down);
    }

    #[test]
    fn fixed_rate_rounds_exact_ties_by_the_mode() {
        // 3 × 1/2 = 1.5 and 5 × 1/2 = 2.5: ties both ways, and an exact integer (4 × 1/2).
        let half_even = FixedRate::<HalfEvenDiv>::new(1, 2).unwrap();
        let half_up = FixedRate::<HalfUpDiv>::new(1, 2).unwrap();
        let up = FixedRate::<UpDiv>::new(1, 2).unwrap();
        let down = FixedRate::<DownDiv>::new(1, 2).unwrap();
        assert_eq!([3, 5, 4].map(|b| half_even.apply(b)), [2, 2, 2]);
        assert_eq!([3, 5, 4].map(|b| half_up.apply(b)), [2, 3, 2]);
        assert_eq!([3, 5, 4].map(|b| up.apply(b)), [2, 3, 2]);
        assert_eq!([3, 5, 4].map(|b| down.apply(b)), [1, 2, 2]);
    }

    #[test]
    fn compounded_period_rate_scales_by_the_nominal_fraction() {
        use rust_decimal_macros::dec;
        let basis = RateBasis::new(
            Compounding::Annual,
            Frequency::Monthly,
            DayCount::Thirty360Us,
        );
        let annual = Rate::from_percent(dec!(12)).unwrap();
        let regular = basis.nominal_rate(annual).unwrap();
        let twice = basis.period_rate(annual, Fraction::new(2, 12)).unwrap();
        assert_eq!(twice.to_decimal(), regular.to_decimal() * dec!(2));
    }
}
