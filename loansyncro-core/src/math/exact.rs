//! Exact decisions of rounding ties on rational values.
//!
//! The level payment `B·r·(1+r)^n / ((1+r)^n − 1)` with `r = num/den` is a rational number;
//! evaluated through a 28-digit discount factor it can land just beside an exact half minor
//! unit and round the wrong way. When the approximation is that close to a half, the side is
//! decided here exactly, with small unsigned big integers (only near ties: the common case
//! never gets here).

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::math::calendar::Fraction;
use crate::math::money::RoundingMode;

/// An unsigned big integer, little-endian 32-bit limbs, no leading zero limbs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u128(mut x: u128) -> Big {
        let mut limbs = Vec::with_capacity(4);
        while x > 0 {
            limbs.push((x & 0xFFFF_FFFF) as u32);
            x >>= 32;
        }
        Big(limbs)
    }

    fn trim(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let slot = &mut out[i + j];
                let t = u64::from(a) * u64::from(b) + u64::from(*slot) + carry;
                *slot = t as u32;
                carry = t >> 32;
            }
            let mut k = i + other.0.len();
            while carry > 0 {
                let t = u64::from(out[k]) + carry;
                out[k] = t as u32;
                carry = t >> 32;
                k += 1;
            }
        }
        Big(out).trim()
    }

    fn pow(&self, mut e: u32) -> Big {
        let (mut result, mut base) = (Big::from_u128(1), self.clone());
        while e > 0 {
            if e & 1 == 1 {
                result = result.mul(&base);
            }
            e >>= 1;
            if e > 0 {
                base = base.mul(&base);
            }
        }
        result
    }

    /// `self − other`, `None` when negative.
    fn sub(&self, other: &Big) -> Option<Big> {
        if self.cmp(other) == Ordering::Less {
            return None;
        }
        let mut out = self.0.clone();
        let mut borrow = 0i64;
        for (i, slot) in out.iter_mut().enumerate() {
            let b = i64::from(other.0.get(i).copied().unwrap_or(0));
            let mut t = i64::from(*slot) - b - borrow;
            borrow = 0;
            if t < 0 {
                t += 1 << 32;
                borrow = 1;
            }
            *slot = t as u32;
        }
        Some(Big(out).trim())
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

/// How close (in minor units) to a half the approximation must be to be checked exactly.
const NEAR_TIE: Decimal = Decimal::from_parts(1, 0, 0, false, 9);

/// The level payment of `balance` (an integer count of `10^-balance_scale`) over `periods`
/// periods at the periodic rate `rate`, rounded with `mode` to `10^-out_scale` **exactly**, when
/// its approximation `approx` lies within 1e-9 of a half unit; `None` otherwise (the
/// approximation rounds correctly), or when an operand is negative or zero.
pub(crate) fn annuity_tie(
    balance: i128,
    balance_scale: u32,
    rate: Fraction,
    periods: u32,
    out_scale: u32,
    mode: RoundingMode,
    approx: Decimal,
) -> Option<Decimal> {
    if !matches!(mode, RoundingMode::HalfUp | RoundingMode::HalfEven) || periods == 0 {
        return None;
    }
    let units = approx.checked_mul(Decimal::from(10u64.checked_pow(out_scale)?))?;
    let floor = units.floor();
    let frac = units - floor;
    if (frac - Decimal::new(5, 1)).abs() > NEAR_TIE {
        return None;
    }
    let m = floor
        .mantissa()
        .checked_div(10i128.checked_pow(floor.scale())?)?;
    let (b, num, den) = (
        u128::try_from(balance).ok()?,
        u128::try_from(rate.num).ok()?,
        u128::try_from(rate.den).ok()?,
    );
    if b == 0 || num == 0 || den == 0 || m < 0 {
        return None;
    }
    // payment × 10^out = b·num·A^n·10^out / (10^bs·den·(A^n − den^n)), A = den + num.
    let a_n = Big::from_u128(den.checked_add(num)?).pow(periods);
    let d_n = Big::from_u128(den).pow(periods);
    let ten = Big::from_u128(10);
    let x = Big::from_u128(b)
        .mul(&Big::from_u128(num))
        .mul(&a_n)
        .mul(&ten.pow(out_scale))
        .mul(&Big::from_u128(2));
    let y = ten
        .pow(balance_scale)
        .mul(&Big::from_u128(den))
        .mul(&a_n.sub(&d_n)?)
        .mul(&Big::from_u128(u128::try_from(2 * m + 1).ok()?));
    let up = match x.cmp(&y) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => mode == RoundingMode::HalfUp || m % 2 == 1,
    };
    let rounded = if up { m + 1 } else { m };
    Some(Decimal::from_i128_with_scale(rounded, out_scale))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn big_arithmetic() {
        let a = Big::from_u128(u128::MAX);
        let sq = a.mul(&a);
        assert_eq!(sq.sub(&sq), Some(Big(vec![])));
        assert!(sq > a);
        assert_eq!(Big::from_u128(3).pow(5), Big::from_u128(243));
        assert_eq!(Big::from_u128(5).sub(&Big::from_u128(7)), None);
    }

    #[test]
    fn decides_exact_ties_both_ways() {
        // 12345.00 at 6%/12 over 1 month: exactly 12406.725.
        let r = Fraction::new(1, 200);
        let just_below = dec!(12406.72499999999999999);
        assert_eq!(
            annuity_tie(1234500, 2, r, 1, 2, RoundingMode::HalfUp, just_below),
            Some(dec!(12406.73))
        );
        assert_eq!(
            annuity_tie(1234500, 2, r, 1, 2, RoundingMode::HalfEven, just_below),
            Some(dec!(12406.72))
        );
        // One cent more principal: not a tie, decided by the side of the exact value.
        assert_eq!(
            annuity_tie(1234501, 2, r, 1, 2, RoundingMode::HalfEven, dec!(12406.735)),
            Some(dec!(12406.74))
        );
        // Far from a tie: left to the approximation.
        assert_eq!(
            annuity_tie(1234500, 2, r, 1, 2, RoundingMode::HalfUp, dec!(12406.70)),
            None
        );
    }
}
