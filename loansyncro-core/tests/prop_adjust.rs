//! Property tests of balance adjustments in the replay and of the biweekly comparison:
//! * booking a stated balance makes the principal on that date exactly the stated balance,
//!   leaves the paid totals (the repayments) unchanged, and is reported as the adjustments'
//!   net; booking the engine's own balance (a zero adjustment) changes nothing at any date;
//! * the biweekly plans repay exactly the principal (total paid − total interest), and the
//!   accelerated plan never pays more interest or ends later than the plain biweekly one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Days, NaiveDate};
use loansyncro_core::ledger::{
    adjusted_position, booked_adjustment, position, LedgerAdjustment, LedgerPayment,
};
use loansyncro_core::schedule::biweekly::compare_biweekly;
use loansyncro_core::{Accrual, LoanTerms, PrepaymentPolicy, Rate};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 31).unwrap()
}

fn terms(cents: i64, bp: u32, n: u32, daily: bool, reduce_payment: bool) -> LoanTerms {
    LoanTerms::builder()
        .principal(Decimal::new(cents, 2))
        .annual_rate(Rate::from_percent(Decimal::new(i64::from(bp), 2)).unwrap())
        .installments(n)
        .start(start())
        .accrual(if daily {
            Accrual::Daily
        } else {
            Accrual::Scheduled
        })
        .prepayment_policy(if reduce_payment {
            PrepaymentPolicy::ReducePayment
        } else {
            PrepaymentPolicy::ReduceTerm
        })
        .build()
        .unwrap()
}

/// Each installment paid in full on its due date, up to `paid` of them.
fn on_time(t: &LoanTerms, paid: usize) -> Vec<LedgerPayment> {
    t.schedule()
        .unwrap()
        .installments()
        .iter()
        .take(paid)
        .map(|i| LedgerPayment {
            date: i.due_date(),
            amount: i.payment(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_booked_statement_sets_the_balance_and_nothing_else(
        cents in 10_000i64..5_000_000,
        bp in 0u32..2_000,
        n in 2u32..60,
        daily in any::<bool>(),
        reduce_payment in any::<bool>(),
        paid_count in 0usize..60,
        day_offset in 0u64..400,
        stated_permille in 0i64..1_500,
        later in 0u64..200,
    ) {
        let t = terms(cents, bp, n, daily, reduce_payment);
        let on = start().checked_add_days(Days::new(day_offset)).unwrap();
        // Payments up to the statement's date (a later payment may overpay a corrected
        // balance: the replay refuses it, as any overpayment).
        let paid: Vec<LedgerPayment> = on_time(&t, paid_count.min(n as usize - 1))
            .into_iter()
            .filter(|p| p.date <= on)
            .collect();
        let before = position(&t, &paid, on).unwrap();
        let stated = (before.principal_outstanding * Decimal::new(stated_permille, 3)).round_dp(2);
        let a = booked_adjustment(&t, &paid, &[], on, stated).unwrap();
        prop_assert_eq!(a.amount, stated - before.principal_outstanding);
        let after = adjusted_position(&t, &paid, &[a], on).unwrap();
        prop_assert_eq!(after.position.principal_outstanding, stated);
        prop_assert_eq!(after.adjustments, a.amount);
        prop_assert_eq!(after.position.paid_total, before.paid_total);
        prop_assert_eq!(after.position.paid_interest, before.paid_interest);
        prop_assert_eq!(after.position.closed, stated.is_zero() && after.position.interest_accrued.is_zero());
        // The engine's own balance: a zero adjustment, the same ledger at every date.
        let same = booked_adjustment(&t, &paid, &[], on, before.principal_outstanding).unwrap();
        prop_assert_eq!(same.amount, Decimal::ZERO);
        let then = on.checked_add_days(Days::new(later)).unwrap();
        prop_assert_eq!(
            adjusted_position(&t, &paid, &[same], then).unwrap().position,
            position(&t, &paid, then).unwrap()
        );
        // Never negative afterwards.
        let p = adjusted_position(&t, &paid, &[a], then).unwrap().position;
        prop_assert!(p.principal_outstanding >= Decimal::ZERO && p.amount_due >= Decimal::ZERO);
    }

    #[test]
    fn biweekly_plans_repay_the_principal_and_accelerated_is_faster(
        cents in 100_000i64..50_000_000,
        bp in 0u32..1_800,
        n in 12u32..360,
    ) {
        let t = terms(cents, bp, n, false, false);
        let c = compare_biweekly(&t, None).unwrap();
        for o in [&c.biweekly, &c.accelerated] {
            prop_assert_eq!(o.plan.total_paid - o.plan.total_interest, t.principal());
            prop_assert_eq!(o.interest_saved, c.monthly.total_interest - o.plan.total_interest);
        }
        prop_assert!(c.accelerated.plan.total_interest <= c.biweekly.plan.total_interest);
        prop_assert!(c.accelerated.plan.payoff_date <= c.biweekly.plan.payoff_date);
        prop_assert!(c.accelerated.plan.payment >= c.biweekly.plan.payment);
    }
}

#[test]
fn an_adjustment_later_than_the_position_is_not_applied() {
    let t = terms(100_000, 1_200, 12, false, false);
    let a = LedgerAdjustment {
        date: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
        amount: Decimal::new(5_000, 2),
    };
    let on = NaiveDate::from_ymd_opt(2024, 5, 31).unwrap();
    assert_eq!(
        adjusted_position(&t, &[], &[a], on).unwrap().position,
        position(&t, &[], on).unwrap()
    );
}
