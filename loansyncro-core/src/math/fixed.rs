//! 128-bit fixed-point helpers for the annuity discount factor `(1 + r)^-n` with `r = num/den`
//! exact: Q123 numbers (123 fraction bits) multiplied with a 256-bit intermediate. The error is
//! about 1e-37 per step, far below `Decimal`'s 28 digits, and the whole power costs a few
//! hundred instructions instead of a dozen `Decimal` multiplications.

use rust_decimal::Decimal;

use crate::math::money::RoundingMode;

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
    Some(to_decimal(power(ratio(num, den)?, n)))
}

/// `base^n` in Q123 by repeated squaring (`base <= 1`). Each product truncates by less than
/// 2^-123 and every factor is at most 1, so the result is below the exact power by less than
/// `(n + 2·log2 n)·2^-123` when `base` is the truncated `den / (den + num)`.
fn power(base: u128, n: u32) -> u128 {
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
    result
}

/// The level installment of `balance` (whole units) over `periods` periods at the period rate
/// `num / den`, rounded with `mode` to whole units: **the same integer** the `Decimal` path
/// (`kernel::level_payment` on the balance, rounded as `Engine::level_payment` rounds it, with
/// no residual and no installment multiple) gives, or `None` when that cannot be guaranteed.
///
/// The exact payment is `P = balance·r / (1 − v)` with `v = (1 + r)^-periods`. Here `v` is the
/// Q123 power (below the exact one by less than 2^-106 for at most 2^16 periods, a relative
/// 2^-73 of `1 − v`) and the division is carried on 64-bit leading parts (three truncations of
/// 2^-63), so `P` comes out as a Q64 number within a relative 2^-60 of the exact one. The `Decimal` path's own error (its rate and `v` rounded
/// to 28 places, 28-digit products) is within a relative 10^-17 when `r >= 2^-32`, because
/// `1 − v >= r / (1 + r) > 2^-33`. So when the Q64 value lies farther than a relative 2^-48
/// from the nearest rounding boundary of `mode` (integers for up/down, half-integers for the
/// half modes), the exact payment, the `Decimal` approximation and this value all round to the
/// same integer (where the `Decimal` path settles a near-half by its exact tie check, that
/// check rounds the exact payment, the same side); otherwise `None`, as for
/// a rate below 2^-32 or not below 1, a payment below one unit, or an installment whose
/// present value at the last period could be under half a unit (the near-perpetuity guard of
/// `Engine::level_payment`, which the `Decimal` path then applies).
pub(crate) fn level_payment(
    balance: u64,
    num: u64,
    den: u64,
    periods: u32,
    mode: RoundingMode,
) -> Option<u64> {
    if num == 0
        || num >= den
        || u128::from(num) << 32 < u128::from(den)
        || balance >= 1 << 63
        || num >= 1 << 63
        || periods == 0
        || periods > 1 << 16
    {
        return None;
    }
    let v = power(ratio(num, den)?, periods);
    let w = ONE.checked_sub(v).filter(|w| *w > 0)?;
    // w = w_top·2^(−59 − lz_w) with w_top in [2^63, 2^64) (truncated).
    let lz_w = w.leading_zeros();
    let w_top = (w << lz_w) >> 64;
    // den·w = d_top·2^(5 − lz_d − lz_w).
    let d = u128::from(den) * w_top;
    let lz_d = d.leading_zeros();
    let d_top = (d << lz_d) >> 64;
    // balance·num = n_top·2^(1 − lz_n), n_top < 2^127, so the quotient is below 2^64.
    let n = u128::from(balance) * u128::from(num);
    let lz_n = n.leading_zeros();
    let q = (n << (lz_n - 1)) / d_top;
    // P·2^64 = q·2^(60 + lz_d + lz_w − lz_n).
    let e = (60 + lz_d + lz_w).checked_sub(lz_n).filter(|e| *e < 64)?;
    let p = q << e;
    let (whole, frac) = (p >> 64, p & LOW64);
    let margin = (p >> 48) + 1;
    let half = 1u128 << 63;
    let rounded = match mode {
        RoundingMode::Down | RoundingMode::Up => {
            if frac <= margin || frac + margin >= 1 << 64 {
                return None;
            }
            whole + u128::from(mode == RoundingMode::Up)
        }
        RoundingMode::HalfUp | RoundingMode::HalfEven => {
            if frac.abs_diff(half) <= margin {
                return None;
            }
            whole + u128::from(frac > half)
        }
    };
    // The guard: rounded·v at least one unit (v >> 59 is v in Q64, truncated).
    if (v >> 59).checked_mul(rounded)? < 1 << 64 {
        return None;
    }
    u64::try_from(rounded).ok()
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
    let q = match fraction_q123(den, s) {
        Some(q) => q,
        None => long_division_q123(den, s)?,
    };
    Some(to_decimal(power(q, n)))
}

/// `⌊den·2^123 / s⌋` for `0 < den < s < 2^126`, in two quotient digits of 61 and 62 bits.
/// Normalized, `S = s·2^k` lies in [2^125, 2^126); each digit `⌊R·2^b / S⌋` of the running
/// remainder `R < S` is estimated from below by `R / (4t)` with `t = ⌊S / 2^64⌋ + 1` (a
/// division by at most 2^64, one machine division) and is at most 3 short, so at most three
/// subtractions settle it. The new remainder `R·2^b − d·S` is below `4S < 2^128`, so it is
/// exact in wrapping 128-bit arithmetic. `None` outside that range.
fn fraction_q123(den: u128, s: u128) -> Option<u128> {
    if den == 0 || den >= s || s >= 1 << 126 {
        return None;
    }
    let shift = s.leading_zeros() - 2;
    let (divisor, mut r) = (s << shift, den << shift);
    let t4 = ((divisor >> 64) + 1) << 2;
    let mut digit = |bits: u32| {
        let mut d = (r / t4) >> (62 - bits);
        r = (r << bits).wrapping_sub(d.wrapping_mul(divisor));
        while r >= divisor {
            r -= divisor;
            d += 1;
        }
        d
    };
    let high = digit(61);
    Some((high << 62) | digit(62))
}

/// `⌊den·2^123 / s⌋` by long division, as many quotient bits per step as the divisor leaves
/// room for (the general case of [`fraction_q123`]); `None` when `s` has no room (`s >= 2^127`).
fn long_division_q123(den: u128, s: u128) -> Option<u128> {
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
    Some(q)
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
    fn the_two_digit_division_is_the_long_division() {
        let mut x = 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C834u128;
        let mut next = move || {
            x = x
                .wrapping_mul(0x5851_F42D_4C95_7F2D_1405_7B7E_F767_814F)
                .wrapping_add(1);
            x
        };
        let mut cases = vec![
            (
                10u128.pow(28),
                10u128.pow(28) + 54_166_666_666_666_666_666_666_667,
            ),
            (1, 2),
            (1, 3),
            ((1 << 126) - 2, (1 << 126) - 1),
            (1, (1 << 126) - 1),
            (12, 13),
            (10u128.pow(5), 10u128.pow(5) + 625),
        ];
        for _ in 0..20_000 {
            let bits = u32::try_from(next() % 126).unwrap() + 1;
            let s = (next() >> (128 - bits)).max(2);
            let den = (next() % (s - 1)).max(1);
            cases.push((den, s));
        }
        for (den, s) in cases {
            assert_eq!(
                fraction_q123(den, s),
                long_division_q123(den, s),
                "{den} / {s}"
            );
        }
        assert_eq!(fraction_q123(5, 5), None);
        assert_eq!(fraction_q123(1, 1 << 126), None);
        assert_eq!(fraction_q123(0, 7), None);
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
