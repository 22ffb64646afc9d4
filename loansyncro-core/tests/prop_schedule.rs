//! Property tests: the invariants every schedule must keep.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use loansyncro_core::{
    AmortizationMethod, BalancePrecision, DayCount, ExtraPayments, Frequency, LoanTerms,
    RoundingMode, Schedule,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 31).unwrap()
}

fn frequency() -> impl Strategy<Value = Frequency> {
    prop_oneof![
        Just(Frequency::Monthly),
        Just(Frequency::Weekly),
        Just(Frequency::Biweekly),
        Just(Frequency::Quarterly),
        Just(Frequency::SemiMonthly {
            first_day: 15,
            second_day: 31
        }),
        (1u32..60).prop_map(Frequency::EveryNDays),
    ]
}

fn day_count() -> impl Strategy<Value = DayCount> {
    prop_oneof![
        Just(DayCount::Thirty360Us),
        Just(DayCount::Thirty360European),
        Just(DayCount::Actual360),
        Just(DayCount::Actual365Fixed),
        Just(DayCount::ActualActualIsda),
    ]
}

fn method() -> impl Strategy<Value = AmortizationMethod> {
    prop_oneof![
        4 => Just(AmortizationMethod::EqualInstallments),
        1 => Just(AmortizationMethod::EqualPrincipal),
        1 => Just(AmortizationMethod::FlatInterest),
        1 => Just(AmortizationMethod::InterestOnly),
    ]
}

prop_compose! {
    fn terms()(t in maybe_terms()) -> LoanTerms { t.unwrap() }
}

prop_compose! {
    fn maybe_terms()(
        cents in 1i64..=100_000_000_000,
        rate_bp in 0i64..=10_000,
        n in 1u32..=480,
        frequency in frequency(),
        day_count in day_count(),
        method in method(),
        half_even in any::<bool>(),
        carry in any::<bool>(),
    ) -> Option<LoanTerms> {
        let built = {
        let mode = if half_even { RoundingMode::HalfEven } else { RoundingMode::HalfUp };
        LoanTerms::builder()
            .principal(Decimal::new(cents, 2))
            .annual_rate_percent(Decimal::new(rate_bp, 2))
            .installments(n)
            .frequency(frequency)
            .day_count(day_count)
            .method(method)
            .payment_rounding(mode)
            .interest_rounding(mode)
            .balance_precision(if carry { BalancePrecision::CarryPrecision } else { BalancePrecision::RoundEachBalance })
            .start(start())
            .build()
        };
        match built {
            Ok(t) => Some(t),
            Err(e) => {
                panic!("{e}: {cents} {rate_bp} {n} {frequency:?} {day_count:?} {method:?}")
            }
        }
    }
}

fn check_invariants(terms: &LoanTerms, s: &Schedule) -> Result<(), TestCaseError> {
    let rows = s.installments();
    prop_assert!(!rows.is_empty());
    let principal_sum: Decimal = rows.iter().map(|r| r.principal()).sum();
    prop_assert_eq!(
        principal_sum,
        terms.principal(),
        "principal parts must add up"
    );
    prop_assert_eq!(s.totals().principal, terms.principal());
    prop_assert_eq!(
        rows.last().unwrap().balance(),
        Decimal::ZERO,
        "closes at zero"
    );
    let interest_sum: Decimal = rows.iter().map(|r| r.interest()).sum();
    let paid_sum: Decimal = rows.iter().map(|r| r.payment()).sum();
    prop_assert_eq!(s.totals().interest, interest_sum);
    prop_assert_eq!(s.totals().paid, paid_sum);
    for (i, r) in rows.iter().enumerate() {
        prop_assert!(
            r.balance() >= Decimal::ZERO,
            "row {} balance {}",
            r.number(),
            r.balance()
        );
        prop_assert!(r.interest() >= Decimal::ZERO);
        prop_assert_eq!(
            r.principal() + r.interest(),
            r.payment(),
            "row {}",
            r.number()
        );
        prop_assert_eq!(r.number() as usize, i + 1);
        if i > 0 {
            prop_assert!(r.due_date() > rows[i - 1].due_date());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn schedules_keep_their_invariants(t in terms()) {
        let s = t.schedule().unwrap();
        check_invariants(&t, &s)?;
    }

    #[test]
    fn annuity_rows_but_the_last_pay_the_installment(
        cents in 100i64..=10_000_000_000, rate_bp in 0i64..=3_000, n in 2u32..=600,
    ) {
        let t = LoanTerms::builder()
            .principal(Decimal::new(cents, 2))
            .annual_rate_percent(Decimal::new(rate_bp, 2))
            .installments(n)
            .start(start())
            .build()
            .unwrap();
        let s = t.schedule().unwrap();
        let rows = s.installments();
        // A payment rounded up can retire the balance a row early; all full rows pay it.
        for r in &rows[..rows.len() - 1] {
            prop_assert_eq!(r.payment(), s.regular_payment());
        }
        prop_assert!(rows.len() as u32 <= n);
    }

    #[test]
    fn a_higher_rate_never_lowers_the_payment(
        cents in 100i64..=10_000_000_000, bp in 0i64..=9_999, step in 1i64..=500, n in 1u32..=600,
    ) {
        let make = |bp: i64| LoanTerms::builder()
            .principal(Decimal::new(cents, 2))
            .annual_rate_percent(Decimal::new(bp.min(10_000), 2))
            .installments(n)
            .start(start())
            .build()
            .unwrap()
            .schedule()
            .unwrap()
            .regular_payment();
        prop_assert!(make(bp + step) >= make(bp));
    }

    #[test]
    fn extra_payments_never_increase_interest(
        t in terms(), extra_cents in 0i64..=1_000_000, reduce_payment in any::<bool>(),
    ) {
        let mut extra = ExtraPayments::recurring(Decimal::new(extra_cents, 2));
        if reduce_payment {
            extra.policy = loansyncro_core::PrepaymentPolicy::ReducePayment;
        }
        let w = t.what_if(&extra).unwrap();
        prop_assert!(w.interest_saved >= Decimal::ZERO, "saved {}", w.interest_saved);
        prop_assert!(w.schedule.len() as u32 <= w.base_installments);
        check_invariants(&t, &w.schedule)?;
    }
}
