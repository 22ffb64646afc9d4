//! Spreadsheet time-value-of-money functions on `Decimal`: [`pmt`], [`ipmt`], [`ppmt`], [`nper`],
//! [`rate`], [`pv`], [`fv`], [`cumipmt`] and [`cumprinc`].
//!
//! Semantics are those of numpy-financial and LibreOffice/Excel: the spreadsheet sign convention
//! (money received is positive, money paid out is negative), the `when` argument ([`When::End`]
//! for payments at the end of each period, [`When::Begin`] for the beginning), and the same
//! argument order. They agree with both within 1e-9 relative on the public vectors. Differences,
//! on purpose:
//!
//! - every function returns a `Result`: invalid input is [`Error::InvalidArgument`] naming the
//!   argument, an equation without a root is [`Error::NoSolution`] (never NaN), a result beyond
//!   `Decimal`'s range is [`Error::Overflow`];
//! - [`rate`] brackets the root before refining it, so it never wanders off like Newton's method;
//! - a zero rate is an ordinary case everywhere (including [`cumipmt`] and [`cumprinc`], which
//!   spreadsheets refuse), and [`nper`] at 0% has the right sign;
//! - tiny rates are numerically stable: `((1 + r)^n - 1) / r` is summed as a binomial series when
//!   `|r|·n` is small instead of cancelling `1 - 1`.
//!
//! Periods (`nper`, `per`, `start`, `end`) are whole numbers (`u32`), the case of every loan.
//!
//! ```
//! use loansyncro_core::finance::{pmt, pv, When};
//! use rust_decimal_macros::dec;
//!
//! let rate = dec!(0.08) / dec!(12);
//! let payment = pmt(rate, 60, dec!(15000), dec!(0), When::End)?;
//! assert_eq!(payment.round_dp(2), dec!(-304.15));
//! // pv inverts pmt.
//! assert_eq!(pv(rate, 60, payment, dec!(0), When::End)?.round_dp(20), dec!(15000));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use rust_decimal::{Decimal, MathematicalOps};

use crate::finance::newton;
use crate::math::error::{MathError as Error, Result};
use crate::math::vocab::vocabulary;

/// When payments fall due within each period (numpy-financial's `when`, the spreadsheets' `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum When {
    /// At the end of each period (`type` 0), the default.
    #[default]
    End,
    /// At the beginning of each period (`type` 1, an annuity due).
    Begin,
}

vocabulary! {
    unit When, field: "when", noun: "payment timing";
    End => "end" | "0" | "e" | "finish",
    Begin => "begin" | "1" | "b" | "beginning" | "start",
}

/// Checked arithmetic that turns `Decimal` overflow into [`Error::Overflow`].
pub(crate) mod checked {
    use super::*;

    fn overflow() -> Error {
        Error::overflow("finance function (result beyond Decimal's range)")
    }
    pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal> {
        a.checked_add(b).ok_or_else(overflow)
    }
    pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<Decimal> {
        a.checked_sub(b).ok_or_else(overflow)
    }
    pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal> {
        a.checked_mul(b).ok_or_else(overflow)
    }
    /// Division; the callers guarantee a non-zero divisor, so `None` means overflow.
    pub(crate) fn div(a: Decimal, b: Decimal) -> Result<Decimal> {
        if b.is_zero() {
            return Err(Error::no_solution("division by zero"));
        }
        a.checked_div(b).ok_or_else(overflow)
    }
    pub(crate) fn powi(base: Decimal, n: u64) -> Result<Decimal> {
        let n = i64::try_from(n).map_err(|_| overflow())?;
        base.checked_powi(n).ok_or_else(overflow)
    }
}

use checked::{add, div, mul, powi, sub};

fn check_rate(rate: Decimal) -> Result<()> {
    // Only a negative rate can be at most -1: the sign bit spares the comparison.
    if rate.is_sign_negative() && rate <= Decimal::NEGATIVE_ONE {
        return Err(Error::validation("rate", "must be greater than -1"));
    }
    Ok(())
}

fn check_nper(nper: u32) -> Result<()> {
    if nper == 0 {
        return Err(Error::validation("nper", "must be at least 1"));
    }
    Ok(())
}

/// `1 + r·w`: 1 for payments at the end, `1 + r` at the beginning.
fn timing(rate: Decimal, when: When) -> Result<Decimal> {
    match when {
        When::End => Ok(Decimal::ONE),
        When::Begin => add(Decimal::ONE, rate),
    }
}

/// `(1 + r)^n`.
fn growth(rate: Decimal, n: u32) -> Result<Decimal> {
    powi(add(Decimal::ONE, rate)?, u64::from(n))
}

/// `(1 + r)^-n`, exact to the last place for positive rates (it underflows to 0 when the
/// growth factor leaves `Decimal`'s range, which is below its resolution anyway).
pub(crate) fn discount(rate: Decimal, n: u32) -> Result<Decimal> {
    if is_positive(rate) {
        // 128-bit fixed point: truncated to 28 places, a few hundred instructions.
        if let Some(v) = crate::math::fixed::discount_factor_of(rate, n) {
            return Ok(v);
        }
    }
    let base = add(Decimal::ONE, rate)?;
    if rate >= Decimal::ZERO {
        match base.checked_powi(i64::from(n)) {
            Some(g) => div(Decimal::ONE, g),
            None => Ok(Decimal::ZERO),
        }
    } else {
        powi(div(Decimal::ONE, base)?, u64::from(n))
    }
}

/// `((1 + r)^n - 1) / r` by its binomial series `Σ C(n,k)·r^(k-1)`, for small `|r|·n`.
fn accumulation_series(rate: Decimal, n: u32) -> Result<Decimal> {
    let mut term = Decimal::from(n);
    let mut sum = term;
    for k in 1..n {
        term = div(
            mul(mul(term, rate)?, Decimal::from(n - k))?,
            Decimal::from(k + 1),
        )?;
        if term.is_zero() {
            break;
        }
        sum = add(sum, term)?;
    }
    Ok(sum)
}

/// Whether `|rate|·n < 0.01`: below it, annuity factors are summed as a series (no
/// cancellation).
///
/// On the mantissa `m` and scale `s` of the rate: `|m|·n < 10^(s−2)`, in integers. The
/// `Decimal` product is exact whenever `|m|·n < 2^96`; above that it is at least
/// 2^96 / 10^28 > 7, which neither comparison takes for small.
fn is_small(rate: Decimal, n: u32) -> bool {
    let product = rate.mantissa().unsigned_abs() * u128::from(n);
    match rate.scale().checked_sub(2) {
        Some(places) => 10u128.checked_pow(places).is_some_and(|p| product < p),
        None => product == 0,
    }
}

/// `rate > 0` from the sign bit and the mantissa (no `Decimal` comparison).
fn is_positive(rate: Decimal) -> bool {
    !rate.is_sign_negative() && !rate.is_zero()
}

/// `1 − v` for a discount factor: for `0 < v < 1` at 28 places, the mantissa `10^28 − m` at
/// 28 places, which is what `Decimal` subtraction gives (tested bit for bit); else by
/// subtraction.
fn one_minus(v: Decimal) -> Result<Decimal> {
    const TEN_28: i128 = 10_000_000_000_000_000_000_000_000_000;
    let m = v.mantissa();
    if v.scale() == 28 && (1..TEN_28).contains(&m) {
        return Ok(Decimal::from_i128_with_scale(TEN_28 - m, 28));
    }
    sub(Decimal::ONE, v)
}

/// Accumulation factor `s = ((1 + r)^n - 1) / r` (`n` at 0%), given `g = (1 + r)^n`.
fn accumulation(rate: Decimal, n: u32, g: Decimal) -> Result<Decimal> {
    if rate.is_zero() {
        Ok(Decimal::from(n))
    } else if is_small(rate, n) {
        accumulation_series(rate, n)
    } else {
        div(sub(g, Decimal::ONE)?, rate)
    }
}

/// Present-value annuity factor `a = (1 - (1 + r)^-n) / r` (`n` at 0%), given `v = (1 + r)^-n`.
pub(crate) fn annuity(rate: Decimal, n: u32, v: Decimal) -> Result<Decimal> {
    if rate.is_zero() {
        Ok(Decimal::from(n))
    } else if is_small(rate, n) {
        mul(accumulation_series(rate, n)?, v)
    } else {
        div(sub(Decimal::ONE, v)?, rate)
    }
}

/// The payment per period that turns `pv` into `fv` over `nper` periods at `rate` per period.
///
/// `-(fv·v + pv) / ((1 + rate·w)·a)` with `v = (1+rate)^-nper`, `a = (1 - v)/rate`;
/// `-(fv + pv) / nper` at 0%.
///
/// ```
/// use loansyncro_core::finance::{pmt, When};
/// use rust_decimal_macros::dec;
/// // 200,000 over 15 years at 7.5% a year, monthly.
/// let p = pmt(dec!(0.00625), 180, dec!(200000), dec!(0), When::End)?;
/// assert_eq!(p.round_dp(6), dec!(-1854.024720));
/// assert_eq!(pmt(dec!(0), 60, dec!(15000), dec!(0), When::End)?, dec!(-250));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn pmt(rate: Decimal, nper: u32, pv: Decimal, fv: Decimal, when: When) -> Result<Decimal> {
    check_rate(rate)?;
    check_nper(nper)?;
    if rate.is_zero() {
        return div(-add(fv, pv)?, Decimal::from(nper));
    }
    if is_positive(rate) && !is_small(rate, nper) {
        // `v` in 128-bit fixed point (see `discount`), then one division:
        // `-(fv·v + pv)·rate / ((1 + rate·w)·(1 - v))`. A zero `fv` and payments at the end
        // skip operations that give back their operand: `Decimal` multiplication by zero
        // returns zero and zero plus `pv` returns `pv`; 1 × x returns x (tested bit for bit).
        let v = discount(rate, nper)?;
        let value = if fv.is_zero() {
            pv
        } else {
            add(mul(fv, v)?, pv)?
        };
        let owed = mul(value, rate)?;
        let annuity = one_minus(v)?;
        let denominator = match when {
            When::End => annuity,
            When::Begin => mul(timing(rate, when)?, annuity)?,
        };
        return div(-owed, denominator);
    }
    let v = discount(rate, nper)?;
    let a = annuity(rate, nper, v)?;
    div(-add(mul(fv, v)?, pv)?, mul(timing(rate, when)?, a)?)
}

/// The future value after `nper` periods of payments `pmt` on a present value `pv`.
///
/// ```
/// use loansyncro_core::finance::{fv, When};
/// use rust_decimal_macros::dec;
/// // Save 100 a month for 10 years at 5% a year, starting with 100.
/// let f = fv(dec!(0.05) / dec!(12), 120, dec!(-100), dec!(-100), When::End)?;
/// assert_eq!(f.round_dp(6), dec!(15692.928894));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn fv(rate: Decimal, nper: u32, pmt: Decimal, pv: Decimal, when: When) -> Result<Decimal> {
    check_rate(rate)?;
    check_nper(nper)?;
    if rate.is_zero() {
        return Ok(-add(pv, mul(pmt, Decimal::from(nper))?)?);
    }
    let g = growth(rate, nper)?;
    let s = accumulation(rate, nper, g)?;
    Ok(-add(mul(pv, g)?, mul(mul(pmt, timing(rate, when)?)?, s)?)?)
}

/// The present value of `nper` payments `pmt` and a final value `fv`.
///
/// ```
/// use loansyncro_core::finance::{pv, When};
/// use rust_decimal_macros::dec;
/// let p = pv(dec!(0.05) / dec!(12), 120, dec!(-100), dec!(15692.93), When::End)?;
/// assert_eq!(p.round_dp(8), dec!(-100.00067132));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn pv(rate: Decimal, nper: u32, pmt: Decimal, fv: Decimal, when: When) -> Result<Decimal> {
    check_rate(rate)?;
    check_nper(nper)?;
    if rate.is_zero() {
        return Ok(-add(fv, mul(pmt, Decimal::from(nper))?)?);
    }
    let v = discount(rate, nper)?;
    let a = annuity(rate, nper, v)?;
    Ok(-add(mul(fv, v)?, mul(mul(pmt, timing(rate, when)?)?, a)?)?)
}

/// The balance owed after `k` of `nper` periods (interest of period `k` included), for the
/// level payment that takes `pv` to `fv`: `(pv·a(n-k) - fv·v(n-k)·a(k)) / a(n)`.
///
/// This closed form never subtracts two grown amounts, so it stays exact where the textbook
/// `pv·(1+r)^k + pmt·s(k)` cancels catastrophically (high rates, long terms).
fn balance_after(rate: Decimal, k: u32, nper: u32, pv: Decimal, fv: Decimal) -> Result<Decimal> {
    if k == 0 {
        return Ok(pv);
    }
    let rest = nper - k;
    let v_rest = discount(rate, rest)?;
    let a_rest = annuity(rate, rest, v_rest)?;
    let a_k = annuity(rate, k, discount(rate, k)?)?;
    let a_n = annuity(rate, nper, discount(rate, nper)?)?;
    div(sub(mul(pv, a_rest)?, mul(mul(fv, v_rest)?, a_k)?)?, a_n)
}

fn check_period(field: &str, per: u32, nper: u32) -> Result<()> {
    if per == 0 || per > nper {
        return Err(Error::validation(
            field,
            format!("must be between 1 and nper ({nper})"),
        ));
    }
    Ok(())
}

/// The interest part of payment number `per` (1-based).
///
/// With [`When::Begin`] the first payment carries no interest, as in numpy-financial and the
/// spreadsheets.
///
/// ```
/// use loansyncro_core::finance::{ipmt, When};
/// use rust_decimal_macros::dec;
/// let i = ipmt(dec!(0.1), 3, 3, dec!(8000), dec!(0), When::End)?;
/// assert_eq!(i.round_dp(2), dec!(-292.45));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn ipmt(
    rate: Decimal,
    per: u32,
    nper: u32,
    pv: Decimal,
    fv: Decimal,
    when: When,
) -> Result<Decimal> {
    check_rate(rate)?;
    check_nper(nper)?;
    check_period("per", per, nper)?;
    interest_of_period(rate, per, nper, pv, fv, when)
}

fn interest_of_period(
    rate: Decimal,
    per: u32,
    nper: u32,
    pv: Decimal,
    fv: Decimal,
    when: When,
) -> Result<Decimal> {
    if rate.is_zero() || (when == When::Begin && per == 1) {
        return Ok(Decimal::ZERO);
    }
    let owed = balance_after(rate, per - 1, nper, pv, fv)?;
    let interest = -mul(owed, rate)?;
    match when {
        When::End => Ok(interest),
        When::Begin => div(interest, add(Decimal::ONE, rate)?),
    }
}

/// The principal part of payment number `per`: `pmt - ipmt`.
///
/// ```
/// use loansyncro_core::finance::{ppmt, When};
/// use rust_decimal_macros::dec;
/// let p = ppmt(dec!(0.1) / dec!(12), 1, 60, dec!(55000), dec!(0), When::End)?;
/// assert_eq!(p.round_dp(6), dec!(-710.254126));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn ppmt(
    rate: Decimal,
    per: u32,
    nper: u32,
    pv: Decimal,
    fv: Decimal,
    when: When,
) -> Result<Decimal> {
    let payment = pmt(rate, nper, pv, fv, when)?;
    check_period("per", per, nper)?;
    sub(payment, interest_of_period(rate, per, nper, pv, fv, when)?)
}

/// `ln(1 + x)` for `x > -1`, accurate for tiny `x` (series on `atanh(x / (2 + x))`).
pub(crate) fn ln_1p(x: Decimal) -> Result<Decimal> {
    if x <= Decimal::NEGATIVE_ONE {
        return Err(Error::no_solution("logarithm of a non-positive number"));
    }
    if x.abs() > Decimal::new(5, 1) {
        return add(Decimal::ONE, x)?
            .checked_ln()
            .ok_or_else(|| Error::overflow("logarithm"));
    }
    let y = div(x, add(Decimal::TWO, x)?)?;
    let y2 = mul(y, y)?;
    let mut power = y;
    let mut sum = y;
    let mut k = 1u32;
    loop {
        power = mul(power, y2)?;
        k += 2;
        let term = div(power, Decimal::from(k))?;
        if term.is_zero() {
            break;
        }
        sum = add(sum, term)?;
    }
    mul(sum, Decimal::TWO)
}

/// The number of periods (possibly fractional) for payments `pmt` to take `pv` to `fv`.
///
/// `ln((pmt·(1+rw) - fv·r) / (pmt·(1+rw) + pv·r)) / ln(1 + r)`, evaluated as
/// `ln1p(-r·(fv+pv) / (pmt·(1+rw) + pv·r)) / ln1p(r)` so small rates stay exact;
/// `-(fv + pv) / pmt` at 0% (numpy-financial 1.0.0 gets that sign wrong). When the logarithm
/// has no argument (payments never reach `fv`), the result is [`Error::NoSolution`].
///
/// ```
/// use loansyncro_core::finance::{nper, When};
/// use rust_decimal_macros::dec;
/// let n = nper(dec!(0.07) / dec!(12), dec!(-150), dec!(8000), dec!(0), When::End)?;
/// assert_eq!(n.round_dp(5), dec!(64.07335));
/// assert_eq!(nper(dec!(0), dec!(-100), dec!(1000), dec!(0), When::End)?, dec!(10));
/// // 10 a month never repays 8000 at 7%: the interest alone is 46.67.
/// assert!(nper(dec!(0.07) / dec!(12), dec!(-10), dec!(8000), dec!(0), When::End).is_err());
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn nper(rate: Decimal, pmt: Decimal, pv: Decimal, fv: Decimal, when: When) -> Result<Decimal> {
    check_rate(rate)?;
    let total = add(fv, pv)?;
    if rate.is_zero() {
        if pmt.is_zero() {
            return Err(Error::no_solution(
                "with no interest and no payments the value never changes",
            ));
        }
        return div(-total, pmt);
    }
    let flow = mul(pmt, timing(rate, when)?)?;
    let denominator = add(flow, mul(pv, rate)?)?;
    if denominator.is_zero() {
        return Err(Error::no_solution(
            "the payment exactly equals the interest: the balance never changes",
        ));
    }
    let x = div(-mul(rate, total)?, denominator)?;
    if x <= Decimal::NEGATIVE_ONE {
        return Err(Error::no_solution(
            "the payments never reach the future value (the payment does not cover the interest)",
        ));
    }
    div(ln_1p(x)?, ln_1p(rate)?)
}

/// The present-value equation divided by `(1+r)^n`: `pv + pmt·(1+rw)·a(r) + fv·v(r)`.
fn tvm_residual(
    rate: Decimal,
    nper: u32,
    pmt: Decimal,
    pv: Decimal,
    fv: Decimal,
    when: When,
) -> Result<Decimal> {
    let v = discount(rate, nper)?;
    let a = annuity(rate, nper, v)?;
    add(
        add(pv, mul(mul(pmt, timing(rate, when)?)?, a)?)?,
        mul(fv, v)?,
    )
}

/// Trial rates scanned for a sign change of the equation, in increasing order.
const RATE_GRID: [(i64, u32); 27] = [
    (-9999, 4),
    (-999, 3),
    (-99, 2),
    (-9, 1),
    (-7, 1),
    (-5, 1),
    (-3, 1),
    (-2, 1),
    (-1, 1),
    (-5, 2),
    (-1, 2),
    (-1, 3),
    (-1, 4),
    (0, 0),
    (1, 4),
    (1, 3),
    (1, 2),
    (5, 2),
    (1, 1),
    (2, 1),
    (5, 1),
    (1, 0),
    (2, 0),
    (5, 0),
    (10, 0),
    (100, 0),
    (1000, 0),
];

/// The trial rates of [`RATE_GRID`].
fn coarse_rate_grid() -> impl Iterator<Item = Decimal> {
    RATE_GRID.iter().map(|&(m, scale)| Decimal::new(m, scale))
}

/// The rate per period that takes `pv` to `fv` with `nper` payments `pmt`.
///
/// The equation is scanned over rates from -99.99% to 100,000% per period for a sign change;
/// the bracket nearest to 10% (the spreadsheets' default guess) is then refined by the
/// Illinois method with bisection safeguards to 1e-24. No sign change means no solution:
/// [`Error::NoSolution`], never NaN.
///
/// ```
/// use loansyncro_core::finance::{rate, When};
/// use rust_decimal_macros::dec;
/// let r = rate(10, dec!(0), dec!(-3500), dec!(10000), When::End)?;
/// assert_eq!(r.round_dp(12), dec!(0.110690853711));
/// // Paying back less than was borrowed with nothing left: a negative rate.
/// assert!(rate(2, dec!(0), dec!(-593.06), dec!(214.07), When::End)? < dec!(0));
/// // Both amounts outgoing: no rate can balance them.
/// assert!(rate(2, dec!(0), dec!(-13.65), dec!(-329.67), When::End).is_err());
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn rate(nper: u32, pmt: Decimal, pv: Decimal, fv: Decimal, when: When) -> Result<Decimal> {
    rate_with_guess(nper, pmt, pv, fv, when, Decimal::new(1, 1))
}

/// [`rate`] with the spreadsheets' `guess` argument: when several rates solve the equation
/// (cash flows that change sign more than once), the root in the bracket nearest to `guess` is
/// returned.
///
/// The scan first tries 27 trial rates; if the equation changes sign between none of them
/// (two roots close together can hide between trial rates), it scans again on a dense geometric
/// grid (ratio 1.1, from 1e-7 to 10,000 per period on both sides of zero) before concluding that
/// there is no solution.
///
/// ```
/// use loansyncro_core::finance::{rate_with_guess, When};
/// use rust_decimal_macros::dec;
/// // Two rates solve this one; the guess picks the root.
/// let (pmt, pv, fv) = (dec!(-2.2904651622538523), dec!(283.67), dec!(818.51));
/// let low = rate_with_guess(395, pmt, pv, fv, When::Begin, dec!(0))?;
/// assert_eq!(low.round_dp(7), dec!(0.0032576));
/// let high = rate_with_guess(395, pmt, pv, fv, When::Begin, dec!(0.1))?;
/// assert!(high > dec!(0.004));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn rate_with_guess(
    nper: u32,
    pmt: Decimal,
    pv: Decimal,
    fv: Decimal,
    when: When,
    guess: Decimal,
) -> Result<Decimal> {
    check_nper(nper)?;
    check_rate(guess).map_err(|_| Error::validation("guess", "must be greater than -1"))?;
    match only_rate(nper, pmt, pv, fv, when) {
        Some(root) => Ok(root),
        None => scan_rate(nper, pmt, pv, fv, when, guess),
    }
}

/// The general path of [`rate_with_guess`]: scans the trial rates for sign changes and refines
/// the bracket nearest to `guess`.
fn scan_rate(
    nper: u32,
    pmt: Decimal,
    pv: Decimal,
    fv: Decimal,
    when: When,
    guess: Decimal,
) -> Result<Decimal> {
    let f = |r: Decimal| tvm_residual(r, nper, pmt, pv, fv, when);
    let bracket = match nearest_bracket(&f, coarse_rate_grid(), guess) {
        Bracket::None => nearest_bracket(&f, dense_rate_grid(), guess),
        found => found,
    };
    match bracket {
        Bracket::Root(r) => Ok(r),
        Bracket::Between(lo, hi) => solve_bracketed(f, lo, hi, Decimal::new(1, 24)),
        Bracket::None => Err(Error::no_solution(
            "no interest rate balances these cash flows (they never change sign)",
        )),
    }
}

/// The fast path of [`rate_with_guess`], taken only where it returns what the scan returns.
///
/// Multiplied out, the equation is a polynomial in `x = 1/(1+r)` with the coefficients
/// `pv, pmt, ..., pmt, pmt + fv` (`pv + pmt, pmt, ..., pmt, fv` for [`When::Begin`]). When they
/// change sign exactly once, Descartes' rule of signs leaves exactly one (simple) root above
/// -100%, so every scan finds that same root whatever the guess. It is solved in `f64` from the
/// linear estimate at 0% and polished by Newton steps evaluated exactly in `Decimal` to 1e-24.
///
/// `None` (the caller scans) for everything else: several or no sign changes, amounts above
/// 1e15 (where the scan could overflow), roots outside (-99%, 99,900%), negative roots where the
/// scan's neighbouring trial rates overflow, and roots the polish cannot pin to 1e-24.
fn only_rate(nper: u32, pmt: Decimal, pv: Decimal, fv: Decimal, when: When) -> Option<Decimal> {
    let negative = single_sign_change(nper, pmt, pv, fv, when)?;
    let limit = Decimal::from(1_000_000_000_000_000_i64);
    if pmt.abs() > limit || pv.abs() > limit || fv.abs() > limit {
        return None;
    }
    let equation = TvmFloat::new(nper, pmt, pv, fv, when)?;
    let start = equation.linear_estimate();
    let root = newton::root_f64(|r| equation.at(r), start, (-0.99, 999.0), negative)?;
    let residual = |r: Decimal| tvm_residual(r, nper, pmt, pv, fv, when);
    let exact = newton::polish(
        |r| residual(r).ok(),
        root,
        equation.at(root).1,
        Decimal::new(1, 24),
    )?;
    let grid: Vec<Decimal> = coarse_rate_grid().collect();
    let above = grid.iter().position(|g| *g > exact)?;
    let (lo, hi) = (grid[above.checked_sub(1)?], grid[above]);
    // Below 0% the scan's trial rates can overflow (`(1+r)^-n`); it then finds no bracket.
    if lo < Decimal::ZERO && (residual(lo).is_err() || residual(hi).is_err()) {
        return None;
    }
    // The scan returns a trial rate that solves the equation exactly as it is.
    if (exact - lo).abs() <= Decimal::new(1, 20) && residual(lo).is_ok_and(|v| v.is_zero()) {
        return Some(lo);
    }
    if (hi - exact).abs() <= Decimal::new(1, 20) && residual(hi).is_ok_and(|v| v.is_zero()) {
        return Some(hi);
    }
    Some(exact)
}

/// Which side of its only root the equation is negative on, when its polynomial coefficients
/// (see [`only_rate`]) change sign exactly once; `None` otherwise.
fn single_sign_change(
    nper: u32,
    pmt: Decimal,
    pv: Decimal,
    fv: Decimal,
    when: When,
) -> Option<newton::Side> {
    let (first, last) = match when {
        When::End => (pv, pmt.checked_add(fv)?),
        When::Begin => (pv.checked_add(pmt)?, fv),
    };
    let middle = if nper >= 2 { pmt } else { Decimal::ZERO };
    let signs: Vec<bool> = [first, middle, last]
        .iter()
        .filter(|c| !c.is_zero())
        .map(|c| c.is_sign_negative())
        .collect();
    let changes = signs.windows(2).filter(|w| w[0] != w[1]).count();
    // Near -100% (x large) the highest power dominates: its sign is the one below the root.
    match (changes, signs.last()) {
        (1, Some(true)) => Some(newton::Side::Below),
        (1, Some(false)) => Some(newton::Side::Above),
        _ => None,
    }
}

/// The rate equation in `f64`, for the start of [`only_rate`].
struct TvmFloat {
    n: f64,
    pmt: f64,
    pv: f64,
    fv: f64,
    /// 1 for payments at the beginning, else 0.
    w: f64,
}

#[allow(clippy::float_arithmetic)] // a start value only: the root is polished and checked in Decimal
impl TvmFloat {
    fn new(nper: u32, pmt: Decimal, pv: Decimal, fv: Decimal, when: When) -> Option<TvmFloat> {
        use rust_decimal::prelude::ToPrimitive;
        Some(TvmFloat {
            n: f64::from(nper),
            pmt: pmt.to_f64()?,
            pv: pv.to_f64()?,
            fv: fv.to_f64()?,
            w: if when == When::Begin { 1.0 } else { 0.0 },
        })
    }

    /// `pv + pmt·(1+r·w)·a(r) + fv·v(r)` and its derivative in `r`.
    fn at(&self, r: f64) -> (f64, f64) {
        let n = self.n;
        let (v, a, dv, da) = if r == 0.0 {
            (1.0, n, -n, -n * (n + 1.0) / 2.0)
        } else {
            let l = n * r.ln_1p();
            let v = (-l).exp();
            let a = -(-l).exp_m1() / r;
            let dv = -n * v / (1.0 + r);
            // da/dr = (n·v/(1+r) - a)/r cancels near 0: the series' first two terms there.
            let da = if l.abs() < 1e-3 {
                -n * (n + 1.0) / 2.0 + n * (n + 1.0) * (n + 2.0) / 3.0 * r
            } else {
                (n * v / (1.0 + r) - a) / r
            };
            (v, a, dv, da)
        };
        let t = 1.0 + r * self.w;
        (
            self.pv + self.pmt * t * a + self.fv * v,
            self.pmt * (self.w * a + t * da) + self.fv * dv,
        )
    }

    /// The root of the equation's tangent at 0%.
    fn linear_estimate(&self) -> f64 {
        let (value, slope) = self.at(0.0);
        -value / slope
    }
}

/// Where a scan found the root: exactly, between two trial rates (with the values there), or
/// nowhere.
enum Bracket {
    Root(Decimal),
    Between((Decimal, Decimal), (Decimal, Decimal)),
    None,
}

/// Distance from `guess` to the interval `[lo, hi]`.
fn distance_to(guess: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
    if guess < lo {
        lo - guess
    } else if guess > hi {
        guess - hi
    } else {
        Decimal::ZERO
    }
}

/// Scans increasing trial rates for sign changes of `f` and keeps the one nearest to `guess`.
/// Rates where `f` cannot be evaluated (overflow) break the chain of neighbours.
fn nearest_bracket(
    f: &impl Fn(Decimal) -> Result<Decimal>,
    rates: impl Iterator<Item = Decimal>,
    guess: Decimal,
) -> Bracket {
    let mut previous: Option<(Decimal, Decimal)> = None;
    let mut best: Option<((Decimal, Decimal), (Decimal, Decimal))> = None;
    for r in rates {
        let Ok(value) = f(r) else {
            previous = None;
            continue;
        };
        if value.is_zero() {
            return Bracket::Root(r);
        }
        if let Some((r0, v0)) = previous {
            if v0.is_sign_negative() != value.is_sign_negative() {
                let closer = best.is_none_or(|((b0, _), (b1, _))| {
                    distance_to(guess, r0, r) < distance_to(guess, b0, b1)
                });
                if closer {
                    best = Some(((r0, v0), (r, value)));
                }
            }
        }
        previous = Some((r, value));
    }
    match best {
        Some((lo, hi)) => Bracket::Between(lo, hi),
        None => Bracket::None,
    }
}

/// Trial rates in increasing order: -0.9999 up to -1e-7 and 0, then 1e-7 up to 10,000, each
/// 1.1 times the previous in magnitude.
fn dense_rate_grid() -> impl Iterator<Item = Decimal> {
    let ratio = Decimal::new(11, 1);
    let smallest = Decimal::new(1, 7);
    let limit = Decimal::new(9999, 4);
    let mut negatives = Vec::new();
    let mut r = smallest;
    while r < limit {
        negatives.push(-r);
        r = (r * ratio).round_dp(12);
    }
    negatives.push(-limit);
    negatives.reverse();
    let positives = std::iter::successors(Some(smallest), move |r| {
        Some((*r * ratio).round_dp(12)).filter(|next| *next <= Decimal::from(10_000))
    });
    negatives
        .into_iter()
        .chain(std::iter::once(Decimal::ZERO))
        .chain(positives)
}

/// Refines a root of `f` inside `[a, b]` where `f(a)` and `f(b)` have opposite signs, by the
/// Illinois variant of regula falsi, falling back to bisection whenever the bracket does not at
/// least halve every three steps. Stops when the bracket is narrower than `tolerance`.
pub(crate) fn solve_bracketed(
    f: impl Fn(Decimal) -> Result<Decimal>,
    (mut a, mut fa): (Decimal, Decimal),
    (mut b, mut fb): (Decimal, Decimal),
    tolerance: Decimal,
) -> Result<Decimal> {
    if fa.is_zero() {
        return Ok(a);
    }
    if fb.is_zero() {
        return Ok(b);
    }
    let mut width_checkpoint = (b - a).abs();
    for iteration in 1..=400u32 {
        let width = (b - a).abs();
        if width <= tolerance {
            break;
        }
        let secant = fb
            .checked_sub(fa)
            .filter(|d| !d.is_zero())
            .and_then(|d| fb.checked_mul(b - a)?.checked_div(d))
            .map(|step| b - step);
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let bisect = iteration % 3 == 0 && width > width_checkpoint / Decimal::TWO;
        if iteration % 3 == 0 {
            width_checkpoint = width;
        }
        let c = match secant {
            Some(c) if !bisect && c > lo && c < hi => c,
            _ => (a + b) / Decimal::TWO,
        };
        if c == a || c == b {
            break;
        }
        let fc = f(c)?;
        if fc.is_zero() {
            return Ok(c);
        }
        if fc.is_sign_negative() != fb.is_sign_negative() {
            a = b;
            fa = fb;
        } else {
            fa /= Decimal::TWO;
        }
        b = c;
        fb = fc;
    }
    Ok(if fa.abs() < fb.abs() { a } else { b })
}

/// Newton's method kept inside a bracket: `f` returns the value and the derivative; a step
/// that leaves the bracket (or a flat derivative) bisects instead. The bracket shrinks around
/// the sign change every step, so it converges even where Newton alone would not.
pub(crate) fn solve_newton_bracketed(
    f: impl Fn(Decimal) -> Result<(Decimal, Decimal)>,
    (mut a, fa): (Decimal, Decimal),
    (mut b, fb): (Decimal, Decimal),
    tolerance: Decimal,
) -> Result<Decimal> {
    if fa.is_zero() {
        return Ok(a);
    }
    if fb.is_zero() {
        return Ok(b);
    }
    // Orient so that f(a) < 0 < f(b).
    if fa > Decimal::ZERO {
        std::mem::swap(&mut a, &mut b);
    }
    let mut x = (a + b) / Decimal::TWO;
    for _ in 0..200 {
        let (value, slope) = f(x)?;
        if value.is_zero() {
            return Ok(x);
        }
        if value < Decimal::ZERO {
            a = x;
        } else {
            b = x;
        }
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let newton = value
            .checked_div(slope)
            .filter(|_| !slope.is_zero())
            .and_then(|step| x.checked_sub(step))
            .filter(|next| *next > lo && *next < hi);
        let next = newton.unwrap_or((lo + hi) / Decimal::TWO);
        if (next - x).abs() <= tolerance || hi - lo <= tolerance {
            return Ok(next);
        }
        x = next;
    }
    Ok(x)
}

fn check_range(start: u32, end: u32, nper: u32) -> Result<()> {
    check_period("start", start, nper)?;
    check_period("end", end, nper)?;
    if start > end {
        return Err(Error::validation("start", "must not be after end"));
    }
    Ok(())
}

/// Principal still owed right after payment `k` (`pv` before the first).
fn principal_after_payment(
    rate: Decimal,
    k: u32,
    nper: u32,
    pv: Decimal,
    when: When,
) -> Result<Decimal> {
    let owed = balance_after(rate, k, nper, pv, Decimal::ZERO)?;
    match when {
        When::Begin if k > 0 => div(owed, add(Decimal::ONE, rate)?),
        _ => Ok(owed),
    }
}

/// Cumulative principal paid in payments `start..=end` (1-based), as a negative amount for a
/// positive `pv`. Closed form (principal owed before `start` minus after `end`); works at 0%.
///
/// ```
/// use loansyncro_core::finance::{cumprinc, When};
/// use rust_decimal_macros::dec;
/// let p = cumprinc(dec!(0.0075), 360, dec!(125000), 13, 24, When::End)?;
/// assert_eq!(p.round_dp(4), dec!(-934.1071));
/// assert_eq!(cumprinc(dec!(0), 10, dec!(1000), 1, 4, When::End)?, dec!(-400));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn cumprinc(
    rate: Decimal,
    nper: u32,
    pv: Decimal,
    start: u32,
    end: u32,
    when: When,
) -> Result<Decimal> {
    check_rate(rate)?;
    check_nper(nper)?;
    check_range(start, end, nper)?;
    let before = principal_after_payment(rate, start - 1, nper, pv, when)?;
    let after = principal_after_payment(rate, end, nper, pv, when)?;
    sub(after, before)
}

/// Cumulative interest paid in payments `start..=end` (1-based): the payments of the range
/// minus their principal. Works at 0% (where it is zero).
///
/// ```
/// use loansyncro_core::finance::{cumipmt, When};
/// use rust_decimal_macros::dec;
/// let i = cumipmt(dec!(0.0075), 360, dec!(125000), 13, 24, When::End)?;
/// assert_eq!(i.round_dp(2), dec!(-11135.23));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn cumipmt(
    rate: Decimal,
    nper: u32,
    pv: Decimal,
    start: u32,
    end: u32,
    when: When,
) -> Result<Decimal> {
    let principal = cumprinc(rate, nper, pv, start, end, when)?;
    let payment = pmt(rate, nper, pv, Decimal::ZERO, when)?;
    sub(mul(payment, Decimal::from(end - start + 1))?, principal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use std::str::FromStr;

    /// The threshold of [`is_small`] as a `Decimal` (its former comparison).
    const SERIES_THRESHOLD: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

    #[test]
    fn the_shortcuts_are_the_decimal_operations_bit_for_bit() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let bits = |d: Decimal| d.serialize();
        for k in 0..5000u32 {
            // Discount factors at 28 places, from tiny to almost 1, and other scales.
            let m = (((i128::from(next()) << 30) | i128::from(next() >> 34))
                % 10_000_000_000_000_000_000_000_000_000)
                >> (k % 90);
            let v = Decimal::from_i128_with_scale(m, 28);
            let w = one_minus(v).unwrap();
            assert_eq!(bits(w), bits(Decimal::ONE - v), "{v}");
            assert_eq!(bits(Decimal::ONE * w), bits(w), "{w}");
            let scaled = Decimal::from_i128_with_scale(m >> (k % 60), k % 29);
            assert_eq!(
                one_minus(scaled).unwrap(),
                Decimal::ONE.checked_sub(scaled).unwrap()
            );
            let pv = Decimal::from_i128_with_scale(i128::from(next() >> (k % 64)), k % 7);
            let zero = Decimal::from_i128_with_scale(0, k % 29);
            assert_eq!(bits(zero * v + pv), bits(pv));
            // is_small against the Decimal product, at every scale and around the threshold.
            let rate = Decimal::from_i128_with_scale(i128::from(next() >> (k % 64)), k % 29);
            let n = u32::try_from(next() >> (32 + k % 32)).unwrap();
            let want = rate
                .abs()
                .checked_mul(Decimal::from(n))
                .is_some_and(|x| x < SERIES_THRESHOLD);
            assert_eq!(is_small(rate, n), want, "{rate} × {n}");
            assert_eq!(is_small(-rate, n), want);
        }
        for (rate, n) in [
            (dec!(0.0001), 100),
            (dec!(0.0001), 99),
            (dec!(0.00010000000000000000000001), 100),
            (dec!(0.01), 1),
            (dec!(0.0099), 1),
            (dec!(0), 5),
            (dec!(7), 0),
            (dec!(0.5), 0),
        ] {
            let want = (rate * Decimal::from(n)) < SERIES_THRESHOLD;
            assert_eq!(is_small(rate, n), want, "{rate} × {n}");
        }
        assert!(is_positive(dec!(0.1)) && !is_positive(dec!(0)) && !is_positive(dec!(-0.1)));
        assert!(!is_positive(-Decimal::ZERO));
    }

    #[test]
    fn validation_names_the_argument() {
        let e = pmt(dec!(-1), 10, dec!(1), dec!(0), When::End).unwrap_err();
        assert_eq!(e.field(), Some("rate"));
        let e = pmt(dec!(0.1), 0, dec!(1), dec!(0), When::End).unwrap_err();
        assert_eq!(e.field(), Some("nper"));
        let e = ipmt(dec!(0.1), 11, 10, dec!(1), dec!(0), When::End).unwrap_err();
        assert_eq!(e.field(), Some("per"));
        let e = cumipmt(dec!(0.1), 10, dec!(1), 5, 4, When::End).unwrap_err();
        assert_eq!(e.field(), Some("start"));
        let e = cumprinc(dec!(0.1), 10, dec!(1), 1, 11, When::End).unwrap_err();
        assert_eq!(e.field(), Some("end"));
        assert_eq!("begin".parse::<When>().unwrap(), When::Begin);
        assert_eq!("x".parse::<When>().unwrap_err().field(), Some("when"));
    }

    #[test]
    fn tiny_rates_do_not_cancel() {
        // 1e-20 per period: the payment is principal / n to 18 places, not noise.
        let p = pmt(
            dec!(0.00000000000000000001),
            3,
            dec!(1000),
            dec!(0),
            When::End,
        )
        .unwrap();
        assert_eq!(p.round_dp(12), dec!(-333.333333333333));
        let n = nper(
            dec!(0.00000000000000000001),
            dec!(-100),
            dec!(1000),
            dec!(0),
            When::End,
        )
        .unwrap();
        assert_eq!(n.round_dp(12), dec!(10));
    }

    #[test]
    fn ln_1p_matches_known_values() {
        assert_eq!(
            ln_1p(dec!(1)).unwrap().round_dp(20),
            dec!(0.69314718055994530942)
        );
        assert_eq!(
            ln_1p(dec!(0.1)).unwrap().round_dp(20),
            dec!(0.09531017980432486004)
        );
        assert_eq!(ln_1p(dec!(0)).unwrap(), dec!(0));
        assert!(ln_1p(dec!(-1)).is_err());
    }

    /// `only_rate` where it answers, and what the scan answers there.
    fn fast_and_scanned(
        nper: u32,
        pmt: Decimal,
        pv: Decimal,
        fv: Decimal,
        when: When,
    ) -> Option<(Decimal, Result<Decimal>)> {
        let fast = only_rate(nper, pmt, pv, fv, when)?;
        Some((fast, scan_rate(nper, pmt, pv, fv, when, dec!(0.1))))
    }

    fn agree(fast: Decimal, scanned: &Result<Decimal>) -> bool {
        scanned
            .as_ref()
            .is_ok_and(|s| (fast - *s).abs() <= dec!(1e-20) * fast.abs().max(Decimal::ONE))
    }

    #[test]
    fn the_fast_rate_is_the_scanned_rate_on_every_vector() {
        let mut fast = 0;
        for (file, binary) in [("finance.json", false), ("finance-generated.json", true)] {
            let path = format!("{}/tests/data/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
            let data: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            for case in data["cases"].as_array().unwrap() {
                if case["fn"] != "rate" {
                    continue;
                }
                let args = &case["args"];
                let number = |key: &str| match args[key].as_str() {
                    None => Decimal::ZERO,
                    Some(text) if binary => {
                        Decimal::from_f64_retain(text.parse::<f64>().unwrap()).unwrap()
                    }
                    Some(text) => Decimal::from_str(text)
                        .or_else(|_| Decimal::from_scientific(text))
                        .unwrap(),
                };
                let nper = u32::try_from(args["nper"].as_u64().unwrap()).unwrap();
                let when = args["when"]
                    .as_str()
                    .map_or(When::End, |w| w.parse().unwrap());
                let (pmt, pv, fv) = (number("pmt"), number("pv"), number("fv"));
                if let Some((quick, scanned)) = fast_and_scanned(nper, pmt, pv, fv, when) {
                    assert!(
                        agree(quick, &scanned),
                        "{}: {quick} vs {scanned:?}",
                        case["id"]
                    );
                    fast += 1;
                }
            }
        }
        // 78 generated loans and the documented examples: nearly all have one root.
        assert!(fast >= 80, "only {fast} cases took the fast path");
    }

    #[test]
    fn the_fast_rate_keeps_exact_trial_rates_and_refuses_what_it_cannot_prove() {
        // 0% and 10% solve these exactly: the scan returns the trial rate itself, and so does
        // the fast path.
        let zero = only_rate(12, dec!(-100), dec!(1200), dec!(0), When::End);
        assert_eq!(zero, Some(dec!(0)));
        let fv = dec!(1000) * dec!(1.1).powi(10);
        let ten = only_rate(10, dec!(0), dec!(-1000), fv, When::End);
        assert_eq!(ten, Some(dec!(0.1)));
        // Two roots (the coefficients change sign twice): the scan decides.
        let two = (dec!(-2.2904651622538523), dec!(283.67), dec!(818.51));
        assert_eq!(only_rate(395, two.0, two.1, two.2, When::Begin), None);
        // No root at all, and amounts beyond 1e15.
        assert_eq!(
            only_rate(2, dec!(0), dec!(-13.65), dec!(-329.67), When::End),
            None
        );
        assert_eq!(
            only_rate(12, dec!(-1e14), dec!(1e16), dec!(0), When::End),
            None
        );
        // A negative root whose neighbouring trial rate (-30%) overflows at 200 periods: the
        // fast path leaves it to the scan (which finds it on its dense grid).
        let p = pmt(dec!(-0.25), 200, dec!(1000), dec!(0), When::End).unwrap();
        assert_eq!(only_rate(200, p, dec!(1000), dec!(0), When::End), None);
        let scanned = scan_rate(200, p, dec!(1000), dec!(0), When::End, dec!(0.1)).unwrap();
        assert_eq!(scanned.round_dp(6), dec!(-0.25));
        // A negative root the scan does find: the same answer.
        let p = pmt(dec!(-0.02), 24, dec!(1000), dec!(0), When::End).unwrap();
        let (quick, scanned) = fast_and_scanned(24, p, dec!(1000), dec!(0), When::End).unwrap();
        assert!(agree(quick, &scanned), "{quick} vs {scanned:?}");
        assert_eq!(quick.round_dp(20), dec!(-0.02));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn the_fast_rate_is_the_scanned_rate(
            nper in 1u32..=480,
            pmt in -1_000_000i64..=1_000_000,
            pv in -100_000_000i64..=100_000_000,
            fv in -100_000_000i64..=100_000_000,
            begin: bool,
        ) {
            let when = if begin { When::Begin } else { When::End };
            let (pmt, pv, fv) = (Decimal::new(pmt, 2), Decimal::new(pv, 2), Decimal::new(fv, 2));
            if let Some((quick, scanned)) = fast_and_scanned(nper, pmt, pv, fv, when) {
                proptest::prop_assert!(agree(quick, &scanned), "{} vs {:?}", quick, scanned);
            }
        }
    }

    #[test]
    fn the_fixed_point_payment_is_exact_to_the_last_places() {
        // 60-digit references (Python's decimal at prec 60) for these 28-place rates: the
        // result is right to its last (28th) digit, within half a unit of it.
        for (rate, nper, fv, when, want) in [
            (
                dec!(0.08) / dec!(12),
                60,
                dec!(0),
                When::End,
                dec!(-304.14591432620523703387016233),
            ),
            (
                dec!(0.065) / dec!(12),
                360,
                dec!(0),
                When::End,
                dec!(-1580.1700587324093301145791972),
            ),
            (
                dec!(0.065) / dec!(12),
                360,
                dec!(-50000),
                When::Begin,
                dec!(-1526.6997566374744773394082314),
            ),
        ] {
            let pv = if nper == 60 {
                dec!(15000)
            } else {
                dec!(250000)
            };
            let got = pmt(rate, nper, pv, fv, when).unwrap();
            assert!((got - want).abs() <= dec!(1e-24), "{got} vs {want}");
        }
    }

    #[test]
    fn payments_add_up_at_every_rate() {
        for r in [dec!(0), dec!(0.001), dec!(0.05), dec!(0.5)] {
            for when in [When::End, When::Begin] {
                let p = pmt(r, 12, dec!(1000), dec!(0), when).unwrap();
                let total_interest = cumipmt(r, 12, dec!(1000), 1, 12, when).unwrap();
                let total_principal = cumprinc(r, 12, dec!(1000), 1, 12, when).unwrap();
                assert_eq!(total_principal.round_dp(18), dec!(-1000));
                assert_eq!(
                    (total_interest + total_principal - p * dec!(12)).round_dp(18),
                    dec!(0)
                );
                let summed: Decimal = (1..=12)
                    .map(|k| ipmt(r, k, 12, dec!(1000), dec!(0), when).unwrap())
                    .sum();
                assert_eq!((summed - total_interest).round_dp(18), dec!(0));
            }
        }
    }
}
