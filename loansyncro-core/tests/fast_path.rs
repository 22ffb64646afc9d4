//! The 64-bit fast path for plain annuities must produce exactly what the general loop does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use loansyncro_core::schedule::{fast_path, general_loop};
use loansyncro_core::{
    AmortizationMethod, BalancePrecision, DayCount, ExtraPayments, LoanTerms, LoanTermsBuilder,
    RoundingMode,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn fast_path_equals_general_loop(
        cents in 1i64..=100_000_000_000_000,
        rate_bp in 0i64..=10_000,
        n in 1u32..=1200,
        day in 1u32..=31,
        half_even in any::<bool>(),
        interest_mode in 0usize..4,
        european in any::<bool>(),
    ) {
        let mode = if half_even { RoundingMode::HalfEven } else { RoundingMode::HalfUp };
        // The interest of a row in every rounding mode (the fast path has one loop per mode).
        let interest_rounding = [
            RoundingMode::HalfUp,
            RoundingMode::HalfEven,
            RoundingMode::Up,
            RoundingMode::Down,
        ][interest_mode];
        let start = NaiveDate::from_ymd_opt(2024, 1, day.min(31)).unwrap();
        let terms = LoanTerms::builder()
            .principal(Decimal::new(cents, 2))
            .annual_rate_percent(Decimal::new(rate_bp, 2))
            .installments(n)
            .payment_rounding(mode)
            .interest_rounding(interest_rounding)
            .day_count(if european { DayCount::Thirty360European } else { DayCount::Thirty360Us })
            .start(start)
            .build()
            .unwrap();
        let fast = fast_path(&terms).unwrap().expect("a plain annuity takes the fast path");
        let general = general_loop(&terms, None).unwrap();
        prop_assert_eq!(&terms.schedule().unwrap(), &fast);
        let first_difference = fast
            .installments()
            .iter()
            .zip(general.installments())
            .find(|(a, b)| a != b);
        prop_assert!(first_difference.is_none(), "first differing row: {:?}", first_difference);
        prop_assert_eq!(fast.len(), general.len());
        prop_assert_eq!(fast.totals(), general.totals());
        prop_assert_eq!(fast.regular_payment(), general.regular_payment());
    }
}

fn plain_terms() -> LoanTermsBuilder {
    LoanTerms::builder()
        .principal(Decimal::new(1_000_000, 2))
        .annual_rate_percent(Decimal::new(6, 0))
        .installments(24)
        .start(NaiveDate::from_ymd_opt(2024, 1, 15).unwrap())
}

#[test]
fn the_fast_path_declines_what_it_does_not_cover() {
    let equal_principal = plain_terms()
        .method(AmortizationMethod::EqualPrincipal)
        .build()
        .unwrap();
    assert_eq!(fast_path(&equal_principal).unwrap(), None);
    let carried = plain_terms()
        .balance_precision(BalancePrecision::CarryPrecision)
        .build()
        .unwrap();
    assert_eq!(fast_path(&carried).unwrap(), None);
    assert!(fast_path(&plain_terms().build().unwrap())
        .unwrap()
        .is_some());
}

#[test]
fn the_general_loop_validates_extra_payments() {
    let terms = plain_terms().build().unwrap();
    let bad = ExtraPayments::recurring(Decimal::new(-1, 0));
    let err = general_loop(&terms, Some(&bad)).unwrap_err();
    assert_eq!(err.field(), Some("recurring"));
    let good = ExtraPayments::recurring(Decimal::new(100, 0));
    let with_extra = general_loop(&terms, Some(&good)).unwrap();
    assert_eq!(with_extra, terms.what_if(&good).unwrap().schedule);
}
