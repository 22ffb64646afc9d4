//! Property tests of the ledger replay: determinism, conservation, payoff closes, deleting the
//! closing payment reopens, no negative balances, a resumed state equals a full replay (and
//! its standing its position's).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Days, NaiveDate};
use loansyncro_core::ledger::{
    check_payment, payoff_quote, position, LedgerCheckpoint, LedgerPayment, LedgerState,
    PayoffRule, Position,
};
use loansyncro_core::schedule::terms::Grace;
use loansyncro_core::{
    Accrual, AmortizationMethod, DayCount, LoanTerms, PrepaymentPolicy, Rate, RoundingMode,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 31).unwrap()
}

#[derive(Debug, Clone)]
struct Case {
    terms: LoanTerms,
    /// Candidate payments: (days after start, cents).
    candidates: Vec<(u64, i64)>,
    as_of_days: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        100i64..5_000_000,
        0u32..2_000,
        1u32..48,
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(DayCount::Thirty360Us),
            Just(DayCount::Actual365Fixed),
            Just(DayCount::ActualActualIsda)
        ],
        any::<bool>(),
        prop_oneof![
            Just(AmortizationMethod::EqualInstallments),
            Just(AmortizationMethod::EqualPrincipal),
            Just(AmortizationMethod::InterestOnly),
            Just(AmortizationMethod::FlatInterest)
        ],
        0u32..3,
    )
        .prop_flat_map(
            |(cents, bp, n, daily, reduce_payment, day_count, half_even, method, grace)| {
                let mode = if half_even {
                    RoundingMode::HalfEven
                } else {
                    RoundingMode::HalfUp
                };
                let terms = LoanTerms::builder()
                    .principal(Decimal::new(cents, 2))
                    .annual_rate(Rate::from_percent(Decimal::new(i64::from(bp), 2)).unwrap())
                    .installments(n)
                    .start(start())
                    .day_count(day_count)
                    .method(method)
                    .grace(Grace {
                        principal_periods: grace.min(n - 1),
                        interest_periods: (grace / 2).min(n - 1),
                    })
                    .interest_rounding(mode)
                    .payment_rounding(mode)
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
                    .unwrap();
                let horizon = u64::from(n) * 31 + 90;
                let max_amount = (cents / i64::from(n).max(1) * 2).max(2);
                (
                    Just(terms),
                    prop::collection::vec((0..horizon, 1..max_amount), 0..40),
                    0..horizon,
                )
            },
        )
        .prop_map(|(terms, candidates, as_of_days)| Case {
            terms,
            candidates,
            as_of_days,
        })
}

fn day(n: u64) -> NaiveDate {
    start().checked_add_days(Days::new(n)).unwrap()
}

/// A valid ledger from the candidates: in date order, each amount capped at the payoff on its
/// date (payments once the loan is closed are dropped).
fn ledger(c: &Case) -> Vec<LedgerPayment> {
    let mut cands = c.candidates.clone();
    cands.sort_unstable();
    let mut out: Vec<LedgerPayment> = Vec::new();
    for (days, cents) in cands {
        let date = day(days);
        let payoff = payoff_quote(&c.terms, &out, date, PayoffRule::TillPreClose)
            .unwrap()
            .total;
        let amount = Decimal::new(cents, 2).min(payoff);
        if amount > Decimal::ZERO {
            let p = LedgerPayment { date, amount };
            check_payment(&c.terms, &out, &p).unwrap();
            out.push(p);
        }
    }
    out
}

fn check_invariants(terms: &LoanTerms, pos: &Position) {
    let zero = Decimal::ZERO;
    for (name, v) in [
        ("principal_outstanding", pos.principal_outstanding),
        ("interest_accrued", pos.interest_accrued),
        ("paid_interest", pos.paid_interest),
        ("paid_principal", pos.paid_principal),
        ("amount_due", pos.amount_due),
        ("next_due_amount", pos.next_due_amount),
        ("remaining_scheduled", pos.remaining_scheduled),
        ("payoff_amount", pos.payoff_amount),
    ] {
        assert!(v >= zero, "{name} negative: {v}");
        assert!(
            v.scale() <= terms.currency().minor_units(),
            "{name} not rounded: {v}"
        );
    }
    assert_eq!(pos.paid_total, pos.paid_principal + pos.paid_interest);
    assert_eq!(
        pos.paid_principal + pos.principal_outstanding,
        terms.principal()
    );
    assert_eq!(
        pos.payoff_amount,
        pos.principal_outstanding + pos.interest_accrued
    );
    assert!(pos.amount_due <= pos.payoff_amount);
    assert!(pos.progress >= zero && pos.progress <= Decimal::ONE);
    assert_eq!(pos.closed, pos.payoff_amount == zero);
    assert!(pos.days_past_due == 0 || pos.amount_due > zero);
    let sum: Decimal = pos.projected.iter().map(|r| r.payment).sum();
    assert_eq!(sum, pos.remaining_scheduled);
    let principal: Decimal = pos.projected.iter().map(|r| r.principal).sum();
    assert_eq!(principal, pos.principal_outstanding);
    for r in &pos.projected {
        assert!(
            r.balance >= zero && r.interest >= zero && r.principal >= zero,
            "{r:?}"
        );
        assert_eq!(r.payment, r.interest + r.principal);
    }
    if let Some(last) = pos.projected.last() {
        assert_eq!(last.balance, zero);
    }
    if pos.closed {
        assert!(pos.projected.is_empty());
        assert_eq!(pos.next_due_date, None);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn insertion_order_does_not_matter(c in case(), seed in any::<u64>()) {
        let paid = ledger(&c);
        let as_of = day(c.as_of_days);
        let want = position(&c.terms, &paid, as_of).unwrap();
        // A deterministic shuffle driven by the seed, and the reverse order.
        let mut shuffled = paid.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(&position(&c.terms, &shuffled, as_of).unwrap(), &want);
        let reversed: Vec<_> = paid.iter().rev().copied().collect();
        prop_assert_eq!(&position(&c.terms, &reversed, as_of).unwrap(), &want);
    }

    #[test]
    fn conservation_and_no_negative_balances(c in case()) {
        let paid = ledger(&c);
        let as_of = day(c.as_of_days);
        let pos = position(&c.terms, &paid, as_of).unwrap();
        check_invariants(&c.terms, &pos);
        // Paid totals only count payments made on or before as_of.
        let sum: Decimal = paid.iter().filter(|p| p.date <= as_of).map(|p| p.amount).sum();
        prop_assert_eq!(pos.paid_total, sum);
    }

    #[test]
    fn paying_the_payoff_closes_and_deleting_it_reopens(c in case()) {
        let as_of = day(c.as_of_days);
        let mut paid: Vec<_> = ledger(&c).into_iter().filter(|p| p.date <= as_of).collect();
        let before = position(&c.terms, &paid, as_of).unwrap();
        prop_assume!(before.payoff_amount > Decimal::ZERO);
        let last = LedgerPayment { date: as_of, amount: before.payoff_amount };
        check_payment(&c.terms, &paid, &last).unwrap();
        paid.push(last);
        let closed = position(&c.terms, &paid, as_of).unwrap();
        prop_assert!(closed.closed);
        let schedule = c.terms.schedule().unwrap();
        let state = LedgerState::replay(&c.terms, &schedule, &paid).unwrap();
        prop_assert_eq!(state.standing(as_of).unwrap(), closed.standing());
        prop_assert_eq!(closed.principal_outstanding, Decimal::ZERO);
        prop_assert_eq!(closed.interest_accrued, Decimal::ZERO);
        prop_assert_eq!(closed.amount_due, Decimal::ZERO);
        prop_assert_eq!(closed.progress, Decimal::ONE);
        check_invariants(&c.terms, &closed);
        // Stays closed later on, and one more cent is an overpayment.
        let later = position(&c.terms, &paid, day(c.as_of_days + 400)).unwrap();
        prop_assert!(later.closed);
        let extra = LedgerPayment { date: as_of, amount: Decimal::new(1, 2) };
        let is_overpayment = matches!(
            check_payment(&c.terms, &paid, &extra),
            Err(loansyncro_core::Error::Overpayment { .. })
        );
        prop_assert!(is_overpayment);
        // Removing the last payment reopens the loan exactly as it was.
        paid.pop();
        let reopened = position(&c.terms, &paid, as_of).unwrap();
        prop_assert!(!reopened.closed);
        prop_assert_eq!(reopened, before);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The resumable state's invariant: a checkpoint taken after the first `split` payments,
    /// stored as text and parsed back, then resumed with the remaining payments applied one by
    /// one (in date order, payments of one date in either order) gives exactly the state and
    /// the positions of a full replay of all of them; an overpayment applied at the end is
    /// the same error as [`check_payment`] reports.
    #[test]
    fn resumed_replay_equals_full_replay(
        c in case(),
        split in any::<prop::sample::Index>(),
        descending in any::<bool>(),
        later in 0u64..400,
    ) {
        let mut paid = ledger(&c);
        if descending {
            paid.sort_by(|a, b| a.date.cmp(&b.date).then(b.amount.cmp(&a.amount)));
        }
        let schedule = c.terms.schedule().unwrap();
        let k = split.index(paid.len() + 1);
        let stored = LedgerState::replay(&c.terms, &schedule, &paid[..k]).unwrap().checkpoint();
        let parsed: LedgerCheckpoint = stored.to_string().parse().unwrap();
        prop_assert_eq!(&parsed, &stored);
        let mut state = LedgerState::resume(&c.terms, &schedule, &parsed).unwrap();
        for p in &paid[k..] {
            state.apply(p).unwrap();
        }
        let full = LedgerState::replay(&c.terms, &schedule, &paid).unwrap();
        prop_assert_eq!(state.checkpoint(), full.checkpoint());
        prop_assert_eq!(state.payments() as usize, paid.len());
        let last = paid.last().map_or(start(), |p| p.date);
        for as_of in [last, last.checked_add_days(Days::new(later)).unwrap(), day(c.as_of_days).max(last)] {
            let pos = state.position(as_of).unwrap();
            prop_assert_eq!(&pos, &position(&c.terms, &paid, as_of).unwrap());
            // The standing (what the status rules read) without projecting is the position's.
            prop_assert_eq!(state.standing(as_of).unwrap(), pos.standing());
        }
        let payoff = state.position(last).unwrap().payoff_amount;
        let over = LedgerPayment { date: last, amount: payoff + Decimal::new(1, 2) };
        prop_assert_eq!(state.clone().apply(&over), check_payment(&c.terms, &paid, &over));
        prop_assert!(state.apply(&over).is_err());
        prop_assert_eq!(state.checkpoint(), full.checkpoint(), "a failed apply changes nothing");
    }
}
