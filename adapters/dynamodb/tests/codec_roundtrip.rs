//! Property: every valid loan and repayment reads back exactly as written through the
//! DynamoDB item format, dates of the whole supported range included (1900-01-01 to
//! 2199-12-31), with numbers normalised the way DynamoDB hands them back (trailing zeros
//! dropped). Runs without a server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use loansyncro_core::domain::loan::{Loan, LoanAggregates, LoanId, NewLoan};
use loansyncro_core::domain::repayment::{NewRepayment, Repayment, RepaymentId};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::ledger::{LedgerPayment, LedgerState};
use loansyncro_core::math::calendar::{MAX_SUPPORTED_YEAR, MIN_SUPPORTED_YEAR};
use loansyncro_core::schedule::terms::LoanTerms;
use loansyncro_core::{Currency, Frequency};
use loansyncro_dynamodb::codec::{
    decode_loan, decode_repayment, encode_loan, encode_repayment, parse_decimal, Item,
    LOAN_SCHEMA_VERSION,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(MIN_SUPPORTED_YEAR, 1, 1).unwrap()
}

fn span_days() -> i64 {
    let last = NaiveDate::from_ymd_opt(MAX_SUPPORTED_YEAR, 12, 31).unwrap();
    (last - first_day()).num_days()
}

/// Any date of the supported range.
fn date() -> impl Strategy<Value = NaiveDate> {
    (0..=span_days()).prop_map(|d| first_day() + Duration::days(d))
}

/// Any instant of the supported range, to the nanosecond.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (date(), 0i64..86_400, 0u32..1_000_000_000).prop_map(|(d, secs, nanos)| {
        Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap())
            + Duration::seconds(secs)
            + Duration::nanoseconds(i64::from(nanos))
    })
}

fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        Just(Currency::USD),
        Just(Currency::EUR),
        Just(Currency::JPY),
        Just(Currency::BHD)
    ]
}

fn frequency() -> impl Strategy<Value = Frequency> {
    prop_oneof![
        Just(Frequency::Monthly),
        Just(Frequency::Weekly),
        (1u32..=90).prop_map(Frequency::EveryNDays)
    ]
}

/// An amount in minor units of `scale` (any scale the value happens to have up to it).
fn money(scale: u32, max_units: i64) -> impl Strategy<Value = Decimal> {
    (1..=max_units).prop_map(move |units| Decimal::new(units, scale))
}

fn terms() -> impl Strategy<Value = LoanTerms> {
    (
        currency(),
        frequency(),
        date(),
        1u32..=600,
        0u32..=3000,
        2u32..=4,
    )
        .prop_flat_map(|(currency, frequency, start, n, rate_units, rate_scale)| {
            money(currency.minor_units(), 100_000_000_000).prop_filter_map(
                "valid terms",
                move |principal| {
                    LoanTerms::builder()
                        .currency(currency)
                        .frequency(frequency)
                        .principal(principal)
                        .annual_rate_percent(Decimal::new(i64::from(rate_units), rate_scale))
                        .installments(n)
                        .start(start)
                        .build()
                        .ok()
                },
            )
        })
}

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..max).prop_map(|c| c.into_iter().collect())
}

/// What DynamoDB hands back for every `N`: the number without trailing zeros.
fn as_returned(mut item: Item) -> Item {
    for value in item.values_mut() {
        if let AttributeValue::N(text) = value {
            *text = parse_decimal(text).unwrap().normalize().to_string();
        }
    }
    item
}

fn loan_and_repayments() -> impl Strategy<Value = (Loan, Vec<Repayment>)> {
    (
        terms(),
        "[A-Za-z0-9][A-Za-z0-9 €é-]{0,30}[A-Za-z0-9]",
        text(60),
        instant(),
        instant(),
        1u64..1_000_000,
    )
        .prop_flat_map(|(terms, title, description, created, updated, version)| {
            let scale = terms.currency().minor_units();
            let reps = proptest::collection::vec(
                (
                    money(scale, 1_000_000_000),
                    date(),
                    text(40),
                    proptest::option::of("[a-z0-9-]{1,40}"),
                    instant(),
                ),
                0..4,
            );
            (
                Just((terms, title, description, created, updated, version)),
                reps,
            )
        })
        .prop_map(
            |((terms, title, description, created, updated, version), reps)| {
                let owner = UserId::new("owner-1").unwrap();
                let command = NewLoan::new(title, terms).with_description(description);
                let loan = Loan::new(
                    LoanId::new("loan_1").unwrap(),
                    owner.clone(),
                    command,
                    created,
                )
                .unwrap();
                let mut record = loan.into_record();
                record.updated_at = updated;
                record.version = version;
                let loan = Loan::restore(record);
                let repayments: Vec<Repayment> = reps
                    .into_iter()
                    .enumerate()
                    .map(|(i, (amount, date, notes, key, at))| {
                        let mut cmd = NewRepayment::new(amount, date).with_notes(notes);
                        cmd.idempotency_key = key;
                        Repayment::new(
                            RepaymentId::new(format!("rep_{i}")).unwrap(),
                            loan.id().clone(),
                            owner.clone(),
                            cmd,
                            at,
                        )
                        .unwrap()
                    })
                    .collect();
                let mut record = loan.into_record();
                record.aggregates = LoanAggregates::from_repayments(&repayments);
                if let Some(last) = repayments.last() {
                    let principal = record.terms.principal();
                    let a = &mut record.aggregates;
                    a.position_as_of = Some(last.date);
                    a.principal_paid = last.amount;
                    a.interest_paid = Decimal::ZERO;
                    a.principal_outstanding = principal;
                    a.amount_due = last.amount;
                    a.payoff_amount = principal;
                    a.remaining_scheduled = principal;
                }
                // The ledger checkpoint, when the random repayments make a valid ledger.
                let paid: Vec<LedgerPayment> = repayments
                    .iter()
                    .map(|r| LedgerPayment {
                        date: r.date,
                        amount: r.amount,
                    })
                    .collect();
                if let Ok(schedule) = record.terms.schedule() {
                    record.aggregates.ledger_checkpoint =
                        LedgerState::replay(&record.terms, &schedule, &paid)
                            .ok()
                            .map(|state| state.checkpoint());
                }
                (Loan::restore(record), repayments)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn loans_and_repayments_read_back_exactly((loan, repayments) in loan_and_repayments()) {
        let item = as_returned(encode_loan(&loan, loan.version()));
        let stored = decode_loan("loans", &item).unwrap();
        prop_assert_eq!(&stored.loan, &loan);
        prop_assert!(!stored.deleting && !stored.legacy_aggregates);
        for rep in &repayments {
            let item = as_returned(encode_repayment(rep));
            let back = decode_repayment("repayments", &item, loan.terms().currency()).unwrap();
            prop_assert_eq!(&back, rep);
        }
    }
}

/// Terms are validated when an item is written, not on every read: an item of the current
/// layout (`schema_version` 2) whose terms a rule refuses today (a principal above the 1e12
/// limit, as if the limit had been lowered after it was written) still reads back as written,
/// while the same item without a schema version (the original layout) is validated on read.
#[test]
fn reads_of_the_current_layout_do_not_validate_the_terms_again() {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let terms = LoanTerms::builder()
        .principal(Decimal::from(1000))
        .installments(12)
        .start(start)
        .build()
        .unwrap();
    let at = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let loan = Loan::new(
        LoanId::new("l1").unwrap(),
        UserId::new("u1").unwrap(),
        NewLoan::new("Car", terms),
        at,
    )
    .unwrap();
    let mut item = encode_loan(&loan, 1);
    assert_eq!(
        item.get("schema_version"),
        Some(&AttributeValue::N(LOAN_SCHEMA_VERSION.to_string()))
    );
    let too_large = "2000000000000";
    item.insert("amount".into(), AttributeValue::N(too_large.into()));
    let read = decode_loan("loans", &item).unwrap().loan;
    assert_eq!(
        read.terms().principal(),
        Decimal::from(2_000_000_000_000i64)
    );
    item.remove("schema_version");
    let err = decode_loan("loans", &item).unwrap_err();
    assert!(err.to_string().contains("principal"), "{err}");
}
