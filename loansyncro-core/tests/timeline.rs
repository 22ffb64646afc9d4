//! Timeline events beyond the golden vectors: stored documents, validation, the ledger.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use loansyncro_core::ledger::{check_payment, position, LedgerPayment};
use loansyncro_core::schedule::{fast_path, general_loop};
use loansyncro_core::{
    AmortizationMethod, CurrentState, LoanTerms, LoanTermsBuilder, Rate, Renewal,
};
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn mortgage() -> LoanTermsBuilder {
    LoanTerms::builder()
        .principal(dec!(400000))
        .annual_rate(Rate::from_percent(dec!(4.5)).unwrap())
        .installments(300)
        .start(d(2020, 1, 1))
}

/// A terms document as stores wrote it before renewals and openings existed.
const OLD_DOCUMENT: &str = r#"{"currency":"USD","principal":"250000","annual_rate_percent":"6.5",
"installments":360,"frequency":"monthly","start":"2025-01-01","first_due":null,
"method":"equal_installments","day_count":"30/360","compounding":"nominal",
"payment_rounding":"half_up","interest_rounding":"half_up","installment_multiple":null,
"balance_precision":"round_each_balance","balloon":null,"amortization_installments":null,
"grace":{"principal_periods":0,"interest_periods":0},"rate_changes":[],"payment_cap":null,
"prepayment_policy":"reduce_term","accrual":"scheduled"}"#;

#[test]
fn an_old_stored_terms_document_reads_unchanged_and_writes_no_new_keys() {
    let terms: LoanTerms = serde_json::from_str(OLD_DOCUMENT).unwrap();
    assert!(terms.renewals().is_empty());
    assert_eq!(terms.opening(), None);
    assert_eq!(terms.schedule().unwrap().regular_payment(), dec!(1580.17));
    let written = serde_json::to_value(&terms).unwrap();
    assert!(written.get("renewals").is_none());
    assert!(written.get("opening").is_none());
    let stored = terms.to_builder().build_stored().unwrap();
    assert_eq!(stored, terms);
    // The stores' read path (SQLite and DynamoDB codecs): the builder's JSON, restored.
    let read: LoanTermsBuilder = serde_json::from_str(OLD_DOCUMENT).unwrap();
    assert_eq!(read.build_stored().unwrap(), terms);
}

#[test]
fn terms_with_events_round_trip_through_their_stored_form() {
    let renewed = mortgage()
        .renewals(vec![Renewal::new(d(2025, 1, 1))
            .rate(Rate::from_percent(dec!(6)).unwrap())
            .term(60)])
        .build()
        .unwrap();
    let json = serde_json::to_string(&renewed).unwrap();
    assert!(
        json.contains(
            r#""renewals":[{"effective":"2025-01-01","annual_rate":"0.06","term_installments":60}]"#
        ),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<LoanTerms>(&json).unwrap(), renewed);
    let entered = mortgage()
        .build()
        .unwrap()
        .enter_mid_term(d(2022, 6, 10), dec!(380000))
        .unwrap();
    let json = serde_json::to_string(&entered).unwrap();
    let back: LoanTerms = serde_json::from_str(&json).unwrap();
    assert_eq!(back, entered);
    let read: LoanTermsBuilder = serde_json::from_str(&json).unwrap();
    assert_eq!(read.build_stored().unwrap(), entered);
    assert_eq!(back.to_builder().build_stored().unwrap(), entered);
}

#[test]
fn the_fast_path_does_not_take_a_renewed_loan() {
    let plain = mortgage().build().unwrap();
    assert!(fast_path(&plain).unwrap().is_some());
    let renewed = mortgage()
        .renewals(vec![Renewal::new(d(2025, 1, 1)).rate(Rate::ZERO)])
        .build()
        .unwrap();
    assert_eq!(fast_path(&renewed).unwrap(), None);
    let s = general_loop(&renewed, None).unwrap();
    assert_eq!(s, renewed.schedule().unwrap());
    // At 0% the remaining 240 installments repay the balance in equal parts.
    assert_eq!(s.adjustments()[0].payment, dec!(1464.30));
}

#[test]
fn renewals_are_checked_with_the_field_named() {
    let field = |b: LoanTermsBuilder| b.build().unwrap_err().field().map(str::to_owned);
    let at = |y| Renewal::new(d(y, 1, 1));
    assert_eq!(
        field(mortgage().renewals(vec![at(2046)])).as_deref(),
        Some("renewals[0].effective")
    );
    assert_eq!(
        field(mortgage().renewals(vec![at(2025).term(250)])).as_deref(),
        Some("renewals[0].term_installments")
    );
    assert_eq!(
        field(mortgage().renewals(vec![at(2025).amortization(1200)])).as_deref(),
        Some("renewals[0].amortization_installments")
    );
    assert_eq!(
        field(mortgage().renewals(vec![at(2025).amortization(10).term(11)])).as_deref(),
        Some("renewals[0].term_installments")
    );
    assert_eq!(
        field(mortgage().renewals(vec![at(2019)])).as_deref(),
        Some("renewals[0].effective")
    );
    assert_eq!(
        field(
            mortgage()
                .method(AmortizationMethod::EqualPrincipal)
                .renewals(vec![at(2025)])
        )
        .as_deref(),
        Some("renewals")
    );
    assert_eq!(
        field(mortgage().renewals(vec![at(2025), at(2025)])).as_deref(),
        Some("renewals[1].effective")
    );
}

#[test]
fn a_fixed_installment_loan_keeps_its_payment_at_a_rate_only_renewal() {
    let state = CurrentState {
        balance: dec!(10000),
        annual_rate: Rate::from_percent(dec!(6)).unwrap(),
        payment: dec!(500),
        next_due: d(2025, 2, 1),
    };
    let base = LoanTerms::from_current(LoanTerms::builder(), &state).unwrap();
    let before = base.schedule().unwrap();
    let renewed = base
        .to_builder()
        .renewals(vec![
            Renewal::new(d(2025, 6, 1)).rate(Rate::from_percent(dec!(12)).unwrap())
        ])
        .build()
        .unwrap();
    let after = renewed.schedule().unwrap();
    assert!(after.adjustments().is_empty());
    assert!(after.installments()[..20]
        .iter()
        .all(|r| r.payment() == dec!(500.00)));
    // A higher rate: more interest, the same payment, so the last one grows.
    assert_eq!(
        (
            before.last().unwrap().payment(),
            after.last().unwrap().payment()
        ),
        (dec!(62.52), dec!(436.37))
    );
    assert_eq!(after.installments()[5].interest(), dec!(77.27)); // 7726.61 × 1%
}

#[test]
fn repayments_before_the_entry_date_are_refused_by_the_ledger() {
    let entered = mortgage()
        .build()
        .unwrap()
        .enter_mid_term(d(2022, 6, 10), dec!(380000))
        .unwrap();
    assert_eq!(entered.start(), d(2022, 6, 1));
    let early = LedgerPayment {
        date: d(2022, 6, 5),
        amount: dec!(100),
    };
    let err = check_payment(&entered, &[], &early).unwrap_err();
    assert_eq!(err.field(), Some("date"));
    let on_entry = LedgerPayment {
        date: d(2022, 6, 10),
        ..early
    };
    check_payment(&entered, &[], &on_entry).unwrap();
    let paid = [LedgerPayment {
        date: d(2022, 7, 1),
        amount: entered.schedule().unwrap().installments()[0].payment(),
    }];
    let pos = position(&entered, &paid, d(2022, 7, 1)).unwrap();
    assert_eq!(pos.amount_due, dec!(0));
    assert_eq!(
        pos.principal_outstanding,
        entered.schedule().unwrap().installments()[0].balance()
    );
}

#[test]
fn the_position_follows_the_renewed_payment() {
    let renewed = mortgage()
        .renewals(vec![Renewal::new(d(2025, 1, 1))
            .rate(Rate::from_percent(dec!(6)).unwrap())
            .term(60)])
        .build()
        .unwrap();
    let s = renewed.schedule().unwrap();
    let paid: Vec<LedgerPayment> = s.installments()[..60]
        .iter()
        .map(|r| LedgerPayment {
            date: r.due_date(),
            amount: r.payment(),
        })
        .collect();
    // Installment 61 (due 2025-02-01) is the renewed payment, unpaid ten days later.
    let pos = position(&renewed, &paid, d(2025, 2, 11)).unwrap();
    assert_eq!(pos.amount_due, dec!(2517.77));
    assert_eq!(pos.days_past_due, 10);
    assert_eq!(pos.principal_outstanding, dec!(351431.61));
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A renewal leaves the rows before it as they were, closes the loan at exactly zero
        /// with principal parts adding up to the principal, and its segments add up to the
        /// schedule's totals.
        #[test]
        fn a_renewal_keeps_the_history_and_closes_at_zero(
            cents in 100_000i64..50_000_000,
            rate_bp in 0u32..1500,
            n in 12u32..360,
            at in 1u32..11,
            new_bp in proptest::option::of(0u32..1500),
            amortization in proptest::option::of(1u32..400),
            term in proptest::option::of(1u32..120),
        ) {
            let base = LoanTerms::builder()
                .principal(Decimal::new(cents, 2))
                .annual_rate(Rate::from_percent(Decimal::new(i64::from(rate_bp), 2)).unwrap())
                .installments(n)
                .start(d(2024, 1, 1));
            let effective = d(2024 + i32::try_from(at).unwrap() / 12, at % 12 + 1, 1);
            let mut renewal = Renewal::new(effective);
            if let Some(bp) = new_bp {
                renewal = renewal.rate(Rate::from_percent(Decimal::new(i64::from(bp), 2)).unwrap());
            }
            renewal.amortization_installments = amortization;
            renewal.term_installments = term.filter(|t| amortization.is_none_or(|a| *t <= a));
            let plain = base.clone().build().unwrap().schedule().unwrap();
            let Ok(renewed) = base.renewals(vec![renewal]).build() else {
                // Only a term longer than what remains of the amortization is refused here.
                prop_assert!(renewal.term_installments.is_some());
                return Ok(());
            };
            let s = renewed.schedule().unwrap();
            let k = usize::try_from(at).unwrap(); // installments before the renewal
            prop_assert_eq!(&s.installments()[..k], &plain.installments()[..k]);
            prop_assert_eq!(s.last().unwrap().balance(), Decimal::ZERO);
            prop_assert_eq!(s.totals().principal, Decimal::new(cents, 2));
            let principal: Decimal = s.installments().iter().map(|r| r.principal()).sum();
            prop_assert_eq!(principal, Decimal::new(cents, 2));
            let segments = renewed.segments(&s);
            prop_assert_eq!(segments.len(), 2);
            prop_assert_eq!(segments[1].first_installment, at + 1);
            let interest: Decimal = segments.iter().map(|g| g.interest).sum();
            prop_assert_eq!(interest, s.totals().interest);
        }
    }
}
