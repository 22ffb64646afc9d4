//! `npv`, `irr` and `mirr` of periodic cash flows in exact decimals (the `Decimal` path of
//! `loansyncro.finance`; the float path is in `float.rs`).
//!
//! - `npv` discounts from the last flow backwards (`acc = acc / (1+r) + v`), one rounding per
//!   flow at `Decimal`'s 28 digits;
//! - `irr` takes the float root (bracketed nearest to 0) and polishes it by Newton steps in
//!   `Decimal` until a step is below 1e-26;
//! - `mirr` takes the `(n-1)`-th root by Newton steps on `y^(n-1) = q` in `Decimal`.

use loansyncro_core::{Error, Result};
use rust_decimal::{Decimal, MathematicalOps};

fn overflow() -> Error {
    Error::overflow("cash flow function (result beyond Decimal's range)")
}

fn check_rate(rate: Decimal, field: &str) -> Result<()> {
    if rate <= Decimal::NEGATIVE_ONE {
        return Err(Error::validation(field, "must be greater than -1"));
    }
    Ok(())
}

/// `Σ values[t] / (1+rate)^t`.
pub(crate) fn npv(rate: Decimal, values: &[Decimal]) -> Result<Decimal> {
    check_rate(rate, "rate")?;
    let base = Decimal::ONE + rate;
    let mut acc = Decimal::ZERO;
    for v in values.iter().rev() {
        acc = acc
            .checked_div(base)
            .and_then(|a| a.checked_add(*v))
            .ok_or_else(overflow)?;
    }
    Ok(acc)
}

/// `npv` and its derivative with respect to the rate, by Horner in `x = 1/(1+r)`.
fn npv_and_slope(rate: Decimal, values: &[Decimal]) -> Option<(Decimal, Decimal)> {
    let x = Decimal::ONE.checked_div(Decimal::ONE + rate)?;
    let mut value = Decimal::ZERO;
    let mut d = Decimal::ZERO;
    for v in values.iter().rev() {
        d = d.checked_mul(x)?.checked_add(value)?;
        value = value.checked_mul(x)?.checked_add(*v)?;
    }
    Some((value, -(d.checked_mul(x)?.checked_mul(x)?)))
}

/// The IRR nearest to 0, exact to `Decimal`'s precision; `NoSolution` when the flows never
/// change the sign of their present value.
pub(crate) fn irr(values: &[Decimal]) -> Result<Decimal> {
    let floats: Vec<f64> = values.iter().map(|v| crate::convert::to_f64(*v)).collect();
    let start = crate::float::irr(&floats);
    if !start.is_finite() {
        return Err(Error::no_solution(
            "no rate makes the net present value zero (the flows never change sign)",
        ));
    }
    let mut r = Decimal::try_from(start).map_err(|_| overflow())?;
    let tolerance = Decimal::new(1, 26);
    for _ in 0..12 {
        let Some((value, slope)) = npv_and_slope(r, values) else {
            break;
        };
        if value.is_zero() || slope.is_zero() {
            break;
        }
        let Some(step) = value.checked_div(slope) else {
            break;
        };
        let next = r - step;
        if next <= Decimal::NEGATIVE_ONE {
            break;
        }
        r = next;
        if step.abs() <= tolerance {
            break;
        }
    }
    Ok(r)
}

/// `q^(1/k)` for `q > 0` by Newton's method on `y^k = q`, from the float estimate.
#[allow(clippy::float_arithmetic)] // only the starting estimate; the steps are exact decimals
fn root(q: Decimal, k: u32) -> Result<Decimal> {
    let estimate = crate::convert::to_f64(q).powf(1.0 / f64::from(k));
    let mut y = Decimal::try_from(estimate).map_err(|_| overflow())?;
    let kd = Decimal::from(k);
    for _ in 0..8 {
        let power = y.checked_powi(i64::from(k) - 1).ok_or_else(overflow)?;
        let value = power.checked_mul(y).ok_or_else(overflow)? - q;
        let slope = kd.checked_mul(power).ok_or_else(overflow)?;
        if slope.is_zero() {
            break;
        }
        let step = value.checked_div(slope).ok_or_else(overflow)?;
        y -= step;
        if step.abs() <= Decimal::new(1, 27) {
            break;
        }
    }
    Ok(y)
}

/// Modified IRR: negative flows financed at `finance_rate`, positive ones reinvested at
/// `reinvest_rate`; `NoSolution` unless the flows have both signs.
pub(crate) fn mirr(
    values: &[Decimal],
    finance_rate: Decimal,
    reinvest_rate: Decimal,
) -> Result<Decimal> {
    check_rate(finance_rate, "finance_rate")?;
    check_rate(reinvest_rate, "reinvest_rate")?;
    let positives: Vec<Decimal> = values.iter().map(|v| (*v).max(Decimal::ZERO)).collect();
    let negatives: Vec<Decimal> = values.iter().map(|v| (*v).min(Decimal::ZERO)).collect();
    if values.len() < 2
        || positives.iter().all(|v| v.is_zero())
        || negatives.iter().all(|v| v.is_zero())
    {
        return Err(Error::no_solution(
            "the modified IRR needs both positive and negative cash flows",
        ));
    }
    let numer = npv(reinvest_rate, &positives)?.abs();
    let denom = npv(finance_rate, &negatives)?.abs();
    let periods = u32::try_from(values.len() - 1).map_err(|_| overflow())?;
    let q = numer.checked_div(denom).ok_or_else(overflow)?;
    let grown = root(q, periods)?
        .checked_mul(Decimal::ONE + reinvest_rate)
        .ok_or_else(overflow)?;
    Ok(grown - Decimal::ONE)
}
