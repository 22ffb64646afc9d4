//! Solve in `f64`, polish in `Decimal`: the fast path of the rate solvers ([`super::rate`] and
//! [`super::apr`]).
//!
//! The callers first prove that their equation has exactly one root and on which side of it the
//! function is positive; [`root_f64`] then finds that root in binary floating point (safeguarded
//! Newton, a few hundred nanoseconds), and [`polish`] takes it to `Decimal`'s precision with
//! Newton steps whose values are evaluated exactly in `Decimal`, accepting the root only when the
//! last step is below the tolerance. Anything unexpected returns `None` and the caller falls
//! back to its general (slower) solver, so the fast path never changes an answer.

use rust_decimal::Decimal;

/// Where the function is negative, relative to its only root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Negative below the root, positive above it.
    Below,
    /// Positive below the root, negative above it.
    Above,
}

/// The only root of `f` (returning the value and the slope) inside `(lo, hi)`, by Newton steps
/// from `start` kept inside a shrinking bracket (bisection when a step leaves it). `f` is
/// negative on the `negative` side of the root; NaN counts as below it (`(1+r)^-n` overflows
/// there). `None` when `f` has the same side at both ends, or when it does not converge to
/// `f64` precision within 200 steps.
#[allow(clippy::float_arithmetic)] // a start value only: the answer is polished in Decimal
pub(crate) fn root_f64(
    f: impl Fn(f64) -> (f64, f64),
    start: f64,
    (mut lo, mut hi): (f64, f64),
    negative: Side,
) -> Option<f64> {
    let is_below = |value: f64| value.is_nan() || ((value < 0.0) == (negative == Side::Below));
    if !is_below(f(lo).0) || is_below(f(hi).0) {
        return None;
    }
    let mut x = if start > lo && start < hi {
        start
    } else {
        lo + (hi - lo) / 2.0
    };
    for _ in 0..200 {
        let (value, slope) = f(x);
        if value == 0.0 {
            return Some(x);
        }
        if is_below(value) {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - value / slope;
        let next = if newton.is_finite() && newton > lo && newton < hi {
            newton
        } else {
            lo + (hi - lo) / 2.0
        };
        if (next - x).abs() <= 1e-15 * next.abs() + 1e-30 {
            return Some(next);
        }
        x = next;
    }
    None
}

/// Newton steps `x -= f(x) / slope` from `start` with `f` evaluated in `Decimal` and the slope
/// of the `f64` solution (quasi-Newton: from an `f64` root, each step gains about 15 digits).
/// The root is accepted when a step is at most `tolerance`; `None` after four steps without
/// that, or when `f` fails.
pub(crate) fn polish(
    f: impl Fn(Decimal) -> Option<Decimal>,
    start: f64,
    slope: f64,
    tolerance: Decimal,
) -> Option<Decimal> {
    let mut x = Decimal::from_f64_retain(start)?;
    let slope = Decimal::from_f64_retain(slope).filter(|s| !s.is_zero())?;
    for _ in 0..4 {
        let value = f(x)?;
        if value.is_zero() {
            return Some(x);
        }
        let step = value.checked_div(slope)?;
        let next = x.checked_sub(step)?;
        if step.abs() <= tolerance {
            return Some(next);
        }
        x = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    #[allow(clippy::float_arithmetic)]
    fn finds_and_polishes_a_square_root() {
        // x² - 2 on (0, 10): negative below the root.
        let f = |x: f64| (x * x - 2.0, 2.0 * x);
        let root = root_f64(f, 5.0, (0.0, 10.0), Side::Below).unwrap();
        assert!((root - std::f64::consts::SQRT_2).abs() < 1e-15);
        // 2 - x² has its negative values above the root.
        let g = |x: f64| (2.0 - x * x, -2.0 * x);
        assert_eq!(root_f64(g, 5.0, (0.0, 10.0), Side::Above), Some(root));
        let exact = |x: Decimal| x.checked_mul(x).map(|s| s - dec!(2));
        let polished = polish(exact, root, 2.0 * root, dec!(1e-24)).unwrap();
        assert_eq!(polished.round_dp(26), dec!(1.41421356237309504880168872));
        // A step that never gets small enough is refused.
        assert_eq!(polish(exact, root, 1e6, dec!(1e-24)), None);
    }
}
