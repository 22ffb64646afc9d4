//! 128-bit fixed-point helpers for the annuity discount factor `(1 + r)^-n` with `r = num/den`
//! exact: Q123 numbers (123 fraction bits) multiplied with a 256-bit intermediate. The error is
//! about 1e-37 per step, far below `Decimal`'s 28 digits, and the whole power costs a few
//! hundred instructions instead of a dozen `Decimal` multiplications.

use rust_decimal::Decimal;

const FRAC_BITS: u32 = 123;
const ONE: u128 = 1 << FRAC_BITS;
const LOW64: u128 = (1 << 64) - 1;

/// `(a × b) >> 123` for `a, b <= 1.0` in Q123.
fn mul(a: u128, b: u128) -> u128 {
    let (a1, a0) = (a >> 64, a & LOW64);
    let (b1, b0) = (b >> 64, b & LOW64);
    let lo = a0 * b0;
    let mid = a1 * b0 + a0 * b1; // < 2^124: a1, b1 < 2^60
    let hi = a1 * b1;
    let t = (lo >> 64) + (mid & LOW64);
    let high = hi + (mid >> 64) + (t >> 64);
    (high << (128 - FRAC_BITS)) | ((t & LOW64) >> (FRAC_BITS - 64))
}

/// `den / (den + num)` in Q123 (requires `den + num < 2^64`).
fn ratio(num: u64, den: u64) -> Option<u128> {
    let s = u128::from(den.checked_add(num)?);
    if s == 0 {
        return None;
    }
    let x = u128::from(den) << 64;
    let (q1, r1) = (x / s, x % s);
    let q2 = (r1 << (FRAC_BITS - 64)) / s;
    Some((q1 << (FRAC_BITS - 64)) | q2)
}

/// `(den / (den + num))^n` as a `Decimal` truncated to 28 decimal places, for `num, den >= 0`.
/// `None` when the operands do not fit (the caller falls back to `Decimal` arithmetic).
pub(crate) fn discount_factor(num: i128, den: i128, n: u32) -> Option<Decimal> {
    let (num, den) = (u64::try_from(num).ok()?, u64::try_from(den).ok()?);
    let base = ratio(num, den)?;
    let (mut result, mut b, mut e) = (ONE, base, n);
    while e > 0 {
        if e & 1 == 1 {
            result = mul(result, b);
        }
        e >>= 1;
        if e > 0 {
            b = mul(b, b);
        }
    }
    Some(to_decimal(result))
}

/// `(1 + rate)^-n` for a rate `0 <= rate`, as a `Decimal` truncated to 28 decimal places: the
/// rate's mantissa and scale (`m / 10^s`, 96-bit) give the base `10^s / (10^s + m)` in Q123 by
/// long division. `None` for a negative rate (the caller falls back to `Decimal` arithmetic).
pub(crate) fn discount_factor_of(rate: Decimal, n: u32) -> Option<Decimal> {
    if rate.is_sign_negative() {
        return None;
    }
    let den = 10u128.checked_pow(rate.scale())?;
    let s = den.checked_add(u128::try_from(rate.mantissa()).ok()?)?;
    // den / s in Q123, as many quotient bits per step as the divisor leaves room for.
    let room = s.leading_zeros();
    if room == 0 {
        return None;
    }
    let (mut q, mut r, mut bits) = (den / s, den % s, FRAC_BITS);
    while bits > 0 {
        let k = room.min(bits);
        r <<= k;
        let digit = r / s;
        q = (q << k) | digit;
        r -= digit * s;
        bits -= k;
    }
    let (mut result, mut b, mut e) = (ONE, q, n);
    while e > 0 {
        if e & 1 == 1 {
            result = mul(result, b);
        }
        e >>= 1;
        if e > 0 {
            b = mul(b, b);
        }
    }
    Some(to_decimal(result))
}

/// A Q123 value in [0, 1] as a decimal with 28 places (truncated): `⌊q × 10^28 / 2^123⌋` in
/// one 128 × 128-bit product (the digits one at a time would give the same truncation).
fn to_decimal(q: u128) -> Decimal {
    const TEN_28: u128 = 10_000_000_000_000_000_000_000_000_000;
    let (q1, q0) = (q >> 64, q & LOW64);
    let (t1, t0) = (TEN_28 >> 64, TEN_28 & LOW64);
    // q × 10^28 = hi·2^128 + lo; q <= 2^123 and 10^28 < 2^94, so the product is below 2^217.
    let lo = q0 * t0;
    let (mid, carry) = (q1 * t0).overflowing_add(q0 * t1);
    let (lo, low_carry) = lo.overflowing_add(mid << 64);
    let hi = q1 * t1 + (mid >> 64) + (u128::from(carry) << 64) + u128::from(low_carry);
    let mantissa = (hi << (128 - FRAC_BITS)) | (lo >> FRAC_BITS);
    Decimal::from_i128_with_scale(mantissa as i128, 28)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::MathematicalOps;
    use std::str::FromStr;

    /// The digit-by-digit truncation `to_decimal` replaced.
    fn to_decimal_by_digits(q: u128) -> Decimal {
        let mut mantissa: i128 = (q >> FRAC_BITS) as i128;
        let mut frac = q & (ONE - 1);
        for _ in 0..28 {
            frac *= 10;
            mantissa = mantissa * 10 + (frac >> FRAC_BITS) as i128;
            frac &= ONE - 1;
        }
        Decimal::from_i128_with_scale(mantissa, 28)
    }

    #[test]
    fn to_decimal_truncates_like_the_digits() {
        let mut x = 0x2545_F491_4F6C_DD1Du128;
        let mut values = vec![
            0,
            1,
            ONE,
            ONE - 1,
            ONE / 2,
            ONE / 3,
            ratio(13, 2400).unwrap(),
        ];
        for _ in 0..2000 {
            x = x
                .wrapping_mul(0x5851_F42D_4C95_7F2D_1405_7B7E_F767_814F)
                .wrapping_add(1);
            values.push(x % (ONE + 1));
        }
        for q in values {
            assert_eq!(to_decimal(q), to_decimal_by_digits(q), "{q}");
        }
    }

    #[test]
    fn matches_decimal_power() {
        // (1/(1 + 0.065/12))^360 = 0.14357... ; compare with Decimal's own powi to 1e-24.
        let v = discount_factor(13, 2400, 360).unwrap();
        let r =
            Decimal::ONE / (Decimal::ONE + Decimal::from_str("0.065").unwrap() / Decimal::from(12));
        let want = r.powi(360);
        assert!(
            (v - want).abs() < Decimal::from_str("1e-24").unwrap(),
            "{v} vs {want}"
        );
        let wide = discount_factor_of(Decimal::from_str("0.065").unwrap() / Decimal::from(12), 360)
            .unwrap();
        assert!(
            (wide - want).abs() < Decimal::from_str("1e-24").unwrap(),
            "{wide} vs {want}"
        );
        assert_eq!(discount_factor_of(Decimal::ZERO, 7), Some(Decimal::ONE));
        assert_eq!(discount_factor_of(Decimal::NEGATIVE_ONE, 7), None);
        assert_eq!(discount_factor(0, 12, 1000), Some(Decimal::ONE));
        assert_eq!(
            discount_factor(1, 1, 1),
            Some(Decimal::from_str("0.5").unwrap())
        );
    }
}
