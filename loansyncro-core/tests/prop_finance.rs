//! Property tests of the finance functions: they invert each other and add up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use loansyncro_core::finance::{cumipmt, cumprinc, fv, ipmt, nper, pmt, ppmt, pv, rate, When};
use proptest::prelude::*;
use rust_decimal::{Decimal, MathematicalOps};

/// Rates per period from 0 to 5% in steps of 1e-6 (and exactly zero).
fn periodic_rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::ZERO),
        (1i64..=50_000).prop_map(|r| Decimal::new(r, 6))
    ]
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![Just(When::End), Just(When::Begin)]
}

fn principal() -> impl Strategy<Value = Decimal> {
    (100i64..=100_000_000).prop_map(|p| Decimal::new(p, 2))
}

/// Equal to `scale`-relative precision (1e-18 of the magnitude, at least 1e-18).
fn close(a: Decimal, b: Decimal, scale: Decimal) -> bool {
    (a - b).abs() <= Decimal::new(1, 18) * scale.abs().max(Decimal::ONE)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn pv_inverts_pmt(r in periodic_rate(), n in 1u32..=480, p in principal(), w in when()) {
        // Spreadsheet signs: the payment on a loan received (+p) is negative, and the present
        // value of those payments is +p; of the payments received back (-payment) it is -p.
        let payment = pmt(r, n, p, Decimal::ZERO, w).unwrap();
        prop_assert!(payment < Decimal::ZERO);
        let back = pv(r, n, payment, Decimal::ZERO, w).unwrap();
        prop_assert!(close(back, p, p), "pv {back} for principal {p}");
        let mirrored = pv(r, n, -payment, Decimal::ZERO, w).unwrap();
        prop_assert!(close(mirrored, -p, p), "pv {mirrored} for principal {p}");
    }

    #[test]
    fn fv_of_the_payment_is_zero(r in periodic_rate(), n in 1u32..=360, p in principal(), w in when()) {
        let payment = pmt(r, n, p, Decimal::ZERO, w).unwrap();
        let residual = fv(r, n, payment, p, w).unwrap();
        // fv is a difference of grown amounts: allow for the growth factor.
        let growth = (Decimal::ONE + r).powi(i64::from(n));
        prop_assert!(close(residual, Decimal::ZERO, p * growth * Decimal::TEN), "fv {residual}");
    }

    #[test]
    fn principal_parts_sum_to_the_principal(r in periodic_rate(), n in 1u32..=240, p in principal(), w in when()) {
        let total = cumprinc(r, n, p, 1, n, w).unwrap();
        prop_assert!(close(total, -p, p));
        let payment = pmt(r, n, p, Decimal::ZERO, w).unwrap();
        let interest = cumipmt(r, n, p, 1, n, w).unwrap();
        prop_assert!(close(interest + total, payment * Decimal::from(n), p));
        let k = n / 2 + 1;
        let parts = ipmt(r, k, n, p, Decimal::ZERO, w).unwrap() + ppmt(r, k, n, p, Decimal::ZERO, w).unwrap();
        prop_assert!(close(parts, payment, p));
    }

    #[test]
    fn nper_inverts_pmt(r in periodic_rate(), n in 1u32..=480, p in principal(), w in when()) {
        let payment = pmt(r, n, p, Decimal::ZERO, w).unwrap();
        let periods = nper(r, payment, p, Decimal::ZERO, w).unwrap();
        prop_assert!((periods - Decimal::from(n)).abs() < Decimal::new(1, 12), "nper {periods} vs {n}");
    }

    #[test]
    fn rate_inverts_pmt(r in (1i64..=30_000).prop_map(|r| Decimal::new(r, 6)), n in 2u32..=360, p in principal(), w in when()) {
        let payment = pmt(r, n, p, Decimal::ZERO, w).unwrap();
        let found = rate(n, payment, p, Decimal::ZERO, w).unwrap();
        prop_assert!((found - r).abs() < Decimal::new(1, 15), "rate {found} vs {r}");
    }

    #[test]
    fn rate_finds_a_root_whenever_one_exists(
        r in (1i64..=30_000).prop_map(|r| Decimal::new(r, 6)),
        n in 2u32..=480,
        p in principal(),
        f in principal(),
        w in when(),
    ) {
        // pv and fv of the same sign: the equation may have two roots; one must be found, and
        // it must solve the equation (the future value of the flows at that rate is ~0).
        let payment = pmt(r, n, p, f, w).unwrap();
        // A root where the equation only touches zero (a double root) has no sign change to
        // bracket; the property is about roots where the equation crosses zero.
        let excess = |x: Decimal| fv(x, n, payment, p, w).unwrap() - f;
        let below = excess(r * Decimal::new(9, 1));
        let above = excess(r * Decimal::new(11, 1));
        prop_assume!(below.is_sign_negative() != above.is_sign_negative());
        let found = rate(n, payment, p, f, w).unwrap();
        // The equation p·g + pmt·(1 + r·w)·(g − 1)/r + f = 0 (g = (1 + r)^n) divided by g, so
        // that a far root (the one nearest the guess, e.g. 11.9% for flows built at 0.2% over
        // 457 periods, where g is beyond Decimal's range) is checked too, never overflowing.
        let v_n = (Decimal::ONE / (Decimal::ONE + found)).powi(i64::from(n));
        let due = if w == When::Begin { Decimal::ONE + found } else { Decimal::ONE };
        let residual = if found.is_zero() {
            p + payment * Decimal::from(n) + f
        } else {
            p + payment * due * (Decimal::ONE - v_n) / found + f * v_n
        };
        let scale = p.abs() + f.abs() + payment.abs() * Decimal::from(n);
        prop_assert!(residual.abs() <= scale * Decimal::new(1, 12),
            "rate {found} (built from {r}) leaves {residual}");
    }

    #[test]
    fn a_higher_rate_never_lowers_the_payment(r in periodic_rate(), bump in 1i64..=1000, n in 1u32..=360, p in principal()) {
        let low = pmt(r, n, p, Decimal::ZERO, When::End).unwrap();
        let high = pmt(r + Decimal::new(bump, 6), n, p, Decimal::ZERO, When::End).unwrap();
        prop_assert!(high < low, "payments are negative: {high} must be more negative than {low}");
    }
}
