//! Behaviour against DynamoDB Local beyond the contract: concurrency through the service,
//! idempotency under concurrent retries, items written by the original Python Lambdas,
//! request accounting (no Scan), exact numbers, chunked and resumable cascade deletes, and
//! clear start-up and storage errors. Skipped (loudly) when `LOANSYNCRO_DYNAMODB_ENDPOINT`
//! is unset, except the start-up error test, which needs no server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::NaiveDate;
use loansyncro_core::app::ports::{
    FixedClock, LedgerStore, LoanQuery, LoanRepository, NoopNotifier, RepaymentRepository,
    SequentialIds, UserRepository,
};
use loansyncro_core::app::service::{LoanService, ServiceConfig};
use loansyncro_core::app::testing::{
    at, day, lid, rid, sample_loan, sample_repayment, uid, with_added,
};
use loansyncro_core::domain::loan::{Loan, NewLoan};
use loansyncro_core::domain::repayment::NewRepayment;
use loansyncro_core::domain::status::LoanStatus;
use loansyncro_core::error::{ConflictKind, Error};
use loansyncro_core::{LoanTerms, Rate};
use loansyncro_dynamodb::{DynamoConfig, DynamoError, DynamoStore, TableNames};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

type Service = LoanService<DynamoStore, NoopNotifier, FixedClock, SequentialIds>;

fn service(store: &DynamoStore, max_attempts: u32) -> Arc<Service> {
    let clock = FixedClock::at_date(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
    Arc::new(
        LoanService::new(store.clone(), NoopNotifier, clock, SequentialIds::new()).with_config(
            ServiceConfig {
                max_attempts,
                ..ServiceConfig::default()
            },
        ),
    )
}

fn terms(principal: Decimal) -> LoanTerms {
    LoanTerms::builder()
        .principal(principal)
        .annual_rate(Rate::from_percent(dec!(6)).unwrap())
        .installments(24)
        .start(day(1, 1))
        .build()
        .unwrap()
}

/// The raw repayment items of a loan (a Query on `loan-id-index`).
async fn raw_repayment_items(
    store: &DynamoStore,
    loan_id: &str,
) -> Vec<HashMap<String, AttributeValue>> {
    store
        .client()
        .query()
        .table_name(&store.tables().repayments)
        .index_name("loan-id-index")
        .key_condition_expression("loan_id = :l")
        .expression_attribute_values(":l", AttributeValue::S(loan_id.into()))
        .send()
        .await
        .unwrap()
        .items
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_repayments_through_the_service() {
    let Some(store) = common::fresh_store("fifty").await else {
        return;
    };
    let svc = service(&store, 500);
    let ada = uid("ada");
    let view = svc
        .create_loan(&ada, NewLoan::new("Car", terms(dec!(10000))))
        .await
        .unwrap();
    let loan_id = view.loan.id().clone();
    let mut handles = Vec::new();
    let mut expected_total = Decimal::ZERO;
    for i in 0..50i64 {
        let amount = Decimal::new(1_000 + i * 7, 2); // 10.00, 10.07, ...
        expected_total += amount;
        let svc = Arc::clone(&svc);
        let (ada, loan_id) = (ada.clone(), loan_id.clone());
        handles.push(tokio::spawn(async move {
            svc.record_repayment(&ada, &loan_id, NewRepayment::new(amount, day(2, 1)))
                .await
        }));
    }
    for h in handles {
        h.await.unwrap().expect("every task records its repayment");
    }
    let loan = LoanRepository::get(&store, &ada, &loan_id).await.unwrap();
    assert_eq!(loan.aggregates().total_repaid, expected_total);
    assert_eq!(loan.aggregates().repayment_count, 50);
    assert_eq!(loan.version(), 51, "one version per repayment");
    let listed = store.list_for_loan(&ada, &loan_id).await.unwrap();
    assert_eq!(listed.len(), 50);
    assert_eq!(
        listed.iter().map(|r| r.amount).sum::<Decimal>(),
        expected_total
    );
    assert_eq!(
        raw_repayment_items(&store, loan_id.as_str()).await.len(),
        50
    );
    assert_eq!(store.requests().get("Scan"), 0);
    eprintln!(
        "50 concurrent repayments: requests {:?}",
        store.requests().snapshot()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_concurrent_retries_with_one_key_record_once() {
    let Some(store) = common::fresh_store("idem5").await else {
        return;
    };
    let svc = service(&store, 50);
    let ada = uid("ada");
    let loan_id = svc
        .create_loan(&ada, NewLoan::new("Car", terms(dec!(5000))))
        .await
        .unwrap()
        .loan
        .id()
        .clone();
    let command = NewRepayment::new(dec!(250.50), day(3, 1)).with_idempotency_key("req-42");
    let mut handles = Vec::new();
    for _ in 0..5 {
        let svc = Arc::clone(&svc);
        let (ada, loan_id, command) = (ada.clone(), loan_id.clone(), command.clone());
        handles.push(tokio::spawn(async move {
            svc.record_repayment(&ada, &loan_id, command).await
        }));
    }
    let mut outcomes = Vec::new();
    for h in handles {
        outcomes.push(h.await.unwrap().expect("every retry gets the result"));
    }
    assert_eq!(
        outcomes.iter().filter(|o| !o.replayed).count(),
        1,
        "recorded once"
    );
    let first = &outcomes[0].repayment;
    assert!(
        outcomes.iter().all(|o| o.repayment == *first),
        "same result for all"
    );
    assert_eq!(first.amount.to_string(), "250.50");
    let loan = LoanRepository::get(&store, &ada, &loan_id).await.unwrap();
    assert_eq!(loan.aggregates().repayment_count, 1);
    assert_eq!(loan.aggregates().total_repaid, dec!(250.50));
    assert_eq!(loan.version(), 2);
    let items = raw_repayment_items(&store, loan_id.as_str()).await;
    assert_eq!(items.len(), 1, "one repayment item");
}

/// Items exactly as the original Python Lambdas wrote them (boto3: numbers as N, times from
/// `datetime.utcnow().isoformat()`, no version, no aggregates, no currency).
#[tokio::test]
async fn items_of_the_original_lambdas_load_list_and_accept_writes() {
    let Some(store) = common::fresh_store("seed").await else {
        return;
    };
    let put = |table: String, attrs: Vec<(&str, AttributeValue)>| {
        let client = store.client().clone();
        let item: HashMap<String, AttributeValue> =
            attrs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        async move {
            client
                .put_item()
                .table_name(table)
                .set_item(Some(item))
                .send()
                .await
                .unwrap();
        }
    };
    let sv = |v: &str| AttributeValue::S(v.to_owned());
    let nv = |v: &str| AttributeValue::N(v.to_owned());
    let t = store.tables().clone();
    put(
        t.users.clone(),
        vec![
            ("id", sv("cognito-sub-1")),
            ("email", sv("old@example.com")),
            ("full_name", sv("Old Timer")),
            ("created_at", sv("2023-12-01T08:00:00.000001")),
        ],
    )
    .await;
    put(
        t.loans.clone(),
        vec![
            ("id", sv("7d0c6f1e-legacy-1")),
            ("user_id", sv("cognito-sub-1")),
            ("title", sv("Home Renovation")),
            ("amount", nv("15000.00")),
            ("interest_rate", nv("5.5")),
            ("term_months", nv("36")),
            ("start_date", sv("2024-01-15")),
            ("description", sv("Kitchen and bathroom")),
            ("monthly_payment", nv("452.93")),
            ("total_amount", nv("16305.48")),
            ("status", sv("active")),
            ("created_at", sv("2024-01-15T10:30:00.123456")),
            ("updated_at", sv("2024-01-15T10:30:00.123456")),
        ],
    )
    .await;
    put(
        t.loans.clone(),
        vec![
            ("id", sv("7d0c6f1e-legacy-2")),
            ("user_id", sv("cognito-sub-1")),
            ("title", sv("Car")),
            ("amount", nv("8000")),
            ("interest_rate", nv("3.9")),
            ("term_months", nv("48")),
            ("start_date", sv("2023-06-01")),
            ("monthly_payment", nv("180.27")),
            ("total_amount", nv("8652.96")),
            ("status", sv("completed")),
            ("created_at", sv("2023-06-01T09:00:00")),
            ("updated_at", sv("2023-06-02T09:00:00")),
        ],
    )
    .await;
    for (id, amount, date) in [
        ("rp-1", "452.93", "2024-02-15"),
        ("rp-2", "452.9", "2024-03-15"),
    ] {
        put(
            t.repayments.clone(),
            vec![
                ("id", sv(id)),
                ("loan_id", sv("7d0c6f1e-legacy-1")),
                ("user_id", sv("cognito-sub-1")),
                ("amount", nv(amount)),
                ("payment_date", sv(date)),
                ("notes", sv("bank transfer")),
                ("created_at", sv(&format!("{date}T12:00:00.5"))),
            ],
        )
        .await;
    }

    let owner = uid("cognito-sub-1");
    let user = UserRepository::get(&store, &owner).await.unwrap().unwrap();
    assert_eq!(user.full_name, "Old Timer");
    assert_eq!(
        store
            .find_by_email("old@example.com")
            .await
            .unwrap()
            .map(|u| u.id),
        Some(owner.clone())
    );

    let page = store.list(&owner, &LoanQuery::default()).await.unwrap();
    let titles: Vec<&str> = page.items.iter().map(|l| l.title()).collect();
    assert_eq!(titles, vec!["Car", "Home Renovation"], "created_at order");
    let car = &page.items[0];
    assert_eq!(car.status(), LoanStatus::Paid, "'completed' reads as paid");
    assert_eq!(
        car.description(),
        "",
        "missing description defaults to empty"
    );
    assert_eq!(car.terms().principal().to_string(), "8000.00");
    let home = LoanRepository::get(&store, &owner, &lid("7d0c6f1e-legacy-1"))
        .await
        .unwrap();
    assert_eq!(home.version(), 1, "no version attribute reads as version 1");
    assert_eq!(home.terms().principal().to_string(), "15000.00");
    assert_eq!(
        home.terms().annual_rate(),
        Rate::from_percent(dec!(5.5)).unwrap()
    );
    assert_eq!(home.terms().installments(), 36);
    assert_eq!(
        home.terms().start(),
        NaiveDate::from_ymd_opt(2024, 1, 15).unwrap()
    );
    assert_eq!(
        home.created_at().to_rfc3339(),
        "2024-01-15T10:30:00.123456+00:00"
    );
    assert_eq!(
        home.aggregates().repayment_count,
        2,
        "aggregates recomputed from repayments"
    );
    assert_eq!(home.aggregates().total_repaid.to_string(), "905.83");
    let reps = store.list_for_loan(&owner, home.id()).await.unwrap();
    assert_eq!(
        reps.iter()
            .map(|r| r.amount.to_string())
            .collect::<Vec<_>>(),
        vec!["452.93", "452.90"]
    );
    assert_eq!(
        RepaymentRepository::get(&store, &owner, &rid("rp-2"))
            .await
            .unwrap()
            .notes,
        "bank transfer"
    );

    // The service writes on a legacy loan: the version guard accepts "no version" as 1.
    let svc = service(&store, 10);
    let outcome = svc
        .record_repayment(
            &owner,
            home.id(),
            NewRepayment::new(dec!(452.93), NaiveDate::from_ymd_opt(2024, 4, 15).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(outcome.loan.version(), 2);
    assert_eq!(outcome.loan.aggregates().repayment_count, 3);
    let raw = store
        .client()
        .get_item()
        .table_name(&t.loans)
        .key("id", sv("7d0c6f1e-legacy-1"))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    // The original attributes are still there for the old readers.
    for attr in [
        "title",
        "amount",
        "interest_rate",
        "term_months",
        "start_date",
        "description",
        "monthly_payment",
        "total_amount",
        "status",
        "user_id",
        "created_at",
        "updated_at",
    ] {
        assert!(raw.contains_key(attr), "{attr} kept");
    }
    assert_eq!(
        raw["amount"],
        nv("15000"),
        "N values (DynamoDB normalises 15000.00)"
    );
    assert_eq!(raw["version"], nv("2"));
}

#[tokio::test]
async fn request_accounting_and_no_scan() {
    let Some(store) = common::fresh_store("accounting").await else {
        return;
    };
    let svc = service(&store, 10);
    let ada = uid("ada");
    let n = 250usize;
    for i in 0..n {
        let loan = sample_loan(
            "ada",
            &format!("l-{i:04}"),
            "Loan",
            at(i64::try_from(i).unwrap()),
        );
        store.insert(loan).await.unwrap();
    }
    store.requests().reset();
    let summary = svc.dashboard(&ada).await.unwrap();
    let counts = store.requests().snapshot();
    eprintln!("dashboard of {n} loans: {counts:?}; {summary:?}");
    assert_eq!(
        store.requests().get("Query"),
        n.div_ceil(100) as u64,
        "ceil(N/page) Queries"
    );
    assert_eq!(
        store.requests().total(),
        n.div_ceil(100) as u64,
        "nothing else"
    );

    // Recording a repayment without and with an idempotency key.
    store.requests().reset();
    svc.record_repayment(&ada, &lid("l-0000"), NewRepayment::new(dec!(10), day(2, 1)))
        .await
        .unwrap();
    let plain = store.requests().snapshot();
    eprintln!("record_repayment without key: {plain:?}");
    // These loans were stored without a ledger checkpoint: the first write replays, reading
    // the loan, then its repayments (list_for_loan checks the owner with one more read).
    assert_eq!(store.requests().get("Query"), 1);
    assert_eq!(store.requests().get("TransactWriteItems"), 1);
    assert_eq!(
        store.requests().get("GetItem"),
        2,
        "the loan, then the owner check of list_for_loan"
    );
    // It stored a checkpoint: the next repayment (dated on or after the latest one) is an
    // append, one read of the loan and one write, no Query of the repayments.
    store.requests().reset();
    svc.record_repayment(&ada, &lid("l-0000"), NewRepayment::new(dec!(10), day(2, 2)))
        .await
        .unwrap();
    eprintln!("appended repayment: {:?}", store.requests().snapshot());
    assert_eq!(
        store.requests().get("Query"),
        0,
        "an append reads no repayments"
    );
    assert_eq!(store.requests().get("GetItem"), 1, "one read of the loan");
    assert_eq!(store.requests().get("TransactWriteItems"), 1);
    store.requests().reset();
    svc.record_repayment(
        &ada,
        &lid("l-0001"),
        NewRepayment::new(dec!(10), day(2, 1)).with_idempotency_key("k"),
    )
    .await
    .unwrap();
    let keyed = store.requests().snapshot();
    eprintln!("record_repayment with key: {keyed:?}");
    assert_eq!(
        store.requests().get("GetItem"),
        3,
        "+ the idempotency guard lookup"
    );
    assert_eq!(store.requests().get("TransactWriteItems"), 1);
    store.requests().reset();
    let again = svc
        .record_repayment(
            &ada,
            &lid("l-0001"),
            NewRepayment::new(dec!(10), day(2, 1)).with_idempotency_key("k"),
        )
        .await
        .unwrap();
    assert!(again.replayed);
    eprintln!("replayed retry: {:?}", store.requests().snapshot());
    assert_eq!(
        store.requests().get("TransactWriteItems"),
        0,
        "a replay writes nothing"
    );

    // Every other read path: still no Scan.
    store.list_for_owner(&ada).await.unwrap();
    store
        .list(
            &ada,
            &LoanQuery::default().with_search("loan").with_limit(7),
        )
        .await
        .unwrap();
    store.find_by_email("nobody@example.com").await.unwrap();
    assert_eq!(store.requests().get("Scan"), 0);
}

#[tokio::test]
async fn numbers_round_trip_exactly() {
    let Some(store) = common::fresh_store("numbers").await else {
        return;
    };
    let terms = LoanTerms::builder()
        .principal(dec!(1000.50))
        .annual_rate(Rate::from_percent(dec!(6.125)).unwrap())
        .installments(12)
        .start(day(1, 31))
        .balloon(dec!(100.10))
        .build()
        .unwrap();
    let mut loan = sample_loan("ada", "exact", "Exact", at(0)).into_record();
    loan.terms = terms;
    let loan = Loan::restore(loan);
    store.insert(loan.clone()).await.unwrap();
    let rep = sample_repayment(&loan, "r", dec!(0.10), day(2, 1), None);
    let stored = store
        .record_repayment(rep.clone(), with_added(&loan, &rep), 1)
        .await
        .unwrap();
    let back = LoanRepository::get(&store, &uid("ada"), &lid("exact"))
        .await
        .unwrap();
    assert_eq!(back, stored);
    assert_eq!(back.terms().principal().to_string(), "1000.50");
    assert_eq!(back.terms().balloon().unwrap().to_string(), "100.10");
    assert_eq!(back.aggregates().total_repaid.to_string(), "0.10");
    assert_eq!(
        serde_json::to_string(&back).unwrap(),
        serde_json::to_string(&stored).unwrap()
    );
    let got = RepaymentRepository::get(&store, &uid("ada"), &rid("r"))
        .await
        .unwrap();
    assert_eq!(got.amount.to_string(), "0.10");
    let raw = store
        .client()
        .get_item()
        .table_name(&store.tables().loans)
        .key("id", AttributeValue::S("exact".into()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert!(matches!(&raw["amount"], AttributeValue::N(_)));
    assert!(matches!(&raw["interest_rate"], AttributeValue::N(v) if v == "6.125"));
    assert!(matches!(&raw["total_repaid"], AttributeValue::N(_)));
}

#[tokio::test]
async fn cascade_delete_in_chunks_and_resume() {
    let Some(store) = common::fresh_store("cascade").await else {
        return;
    };
    let ada = uid("ada");
    let mut loan = sample_loan("ada", "big", "Big", at(0));
    store.insert(loan.clone()).await.unwrap();
    // 60 repayments with keys: 120 items to delete (repayments + guards) = 2 transactions.
    for i in 0..60u32 {
        let key = format!("k{i}");
        let rep = sample_repayment(
            &loan,
            &format!("r{i:03}"),
            dec!(1.00),
            day(2, 1 + i % 28),
            Some(&key),
        );
        loan = store
            .record_repayment(rep.clone(), with_added(&loan, &rep), loan.version())
            .await
            .unwrap();
    }
    store.requests().reset();
    store
        .delete_with_repayments(&ada, loan.id(), None)
        .await
        .unwrap();
    eprintln!(
        "delete of 60 keyed repayments: {:?}",
        store.requests().snapshot()
    );
    assert_eq!(
        store.requests().get("TransactWriteItems"),
        2,
        "chunks of at most 100"
    );
    assert!(raw_repayment_items(&store, "big").await.is_empty());
    assert!(store
        .find_by_idempotency_key(&ada, loan.id(), "k1")
        .await
        .unwrap()
        .is_none());

    // Interrupted delete: only the mark is written; readers see nothing, resume finishes.
    let mut other = sample_loan("ada", "other", "Other", at(1));
    store.insert(other.clone()).await.unwrap();
    let rep = sample_repayment(&other, "o1", dec!(5), day(2, 1), Some("ok"));
    other = store
        .record_repayment(rep.clone(), with_added(&other, &rep), 1)
        .await
        .unwrap();
    store.mark_deleting(&ada, other.id()).await.unwrap();
    assert!(matches!(
        LoanRepository::get(&store, &ada, other.id()).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        RepaymentRepository::get(&store, &ada, &rep.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(store.list_for_owner(&ada).await.unwrap().is_empty());
    assert!(store
        .list(&ada, &LoanQuery::default())
        .await
        .unwrap()
        .items
        .is_empty());
    let late = sample_repayment(&other, "o2", dec!(1), day(2, 2), None);
    assert!(matches!(
        store
            .record_repayment(late.clone(), with_added(&other, &late), other.version())
            .await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(store.resume_deletes(&ada).await.unwrap(), 1);
    assert!(raw_repayment_items(&store, "other").await.is_empty());
    assert_eq!(store.resume_deletes(&ada).await.unwrap(), 0);
}

#[tokio::test]
async fn storage_errors_name_operation_and_table() {
    let Some(store) = common::fresh_store("errors").await else {
        return;
    };
    let missing = store.with_tables(TableNames::with_prefix("no-such-prefix-"));
    match LoanRepository::get(&missing, &uid("ada"), &lid("x")).await {
        Err(Error::Storage { operation, message }) => {
            assert_eq!(operation, "GetItem on no-such-prefix-loans");
            assert!(message.contains("ResourceNotFoundException"), "{message}");
        }
        other => panic!("expected a storage error, got {other:?}"),
    }
    let err = missing.check().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("no-such-prefix-users does not exist"),
        "{err}"
    );
}

/// Needs no server: a dead endpoint gives one clear start-up message.
#[tokio::test]
async fn unreachable_endpoint_gives_one_clear_message() {
    let mut config = DynamoConfig::local("http://127.0.0.1:9", TableNames::default());
    config.max_attempts = 1;
    let store = DynamoStore::connect(config).await;
    let err = store.check().await.unwrap_err();
    assert!(matches!(err, DynamoError::Startup { .. }), "{err:?}");
    assert!(
        err.to_string().contains("cannot reach http://127.0.0.1:9"),
        "{err}"
    );
}

/// Issue 15 §1: items that cannot be decoded (a date outside the supported range written by an
/// older version, a hand-edited amount) are skipped and counted by listings and summaries, the
/// rest is served, and the undecodable loan can still be deleted by its owner (only).
#[tokio::test]
async fn undecodable_items_are_skipped_reported_and_deletable() {
    let Some(store) = common::fresh_store("poison").await else {
        return;
    };
    let svc = service(&store, 20);
    let ada = uid("ada");
    let good = svc
        .create_loan(&ada, NewLoan::new("Good", terms(dec!(1000))))
        .await
        .unwrap()
        .loan
        .id()
        .clone();
    svc.record_repayment(&ada, &good, NewRepayment::new(dec!(10), day(2, 1)))
        .await
        .unwrap();
    let s = |v: &str| AttributeValue::S(v.to_owned());
    let n = |v: &str| AttributeValue::N(v.to_owned());
    let bad_loan: HashMap<String, AttributeValue> = [
        ("id", s("loan_poisoned")),
        ("user_id", s("ada")),
        ("title", s("Poisoned")),
        ("amount", n("500")),
        ("interest_rate", n("3")),
        ("term_months", n("6")),
        ("start_date", s("+10000-01-01")),
        ("created_at", s("2025-01-01T00:00:00Z")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let bad_rep: HashMap<String, AttributeValue> = [
        ("id", s("rep_poisoned")),
        ("loan_id", s(good.as_str())),
        ("user_id", s("ada")),
        ("amount", s("ten")),
        ("payment_date", s("-0001-01-01")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for (table, item) in [
        (&store.tables().loans, bad_loan),
        (&store.tables().repayments, bad_rep),
    ] {
        store
            .client()
            .put_item()
            .table_name(table)
            .set_item(Some(item))
            .send()
            .await
            .unwrap();
    }

    let page = svc.list_loans(&ada, &LoanQuery::default()).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].loan.id().clone(), good);
    let summary = svc.dashboard(&ada).await.unwrap();
    assert_eq!(summary.currencies.len(), 1);
    assert_eq!(summary.currencies[0].total_borrowed, dec!(1000.00));
    let groups = svc.grouped_repayments(&ada, None).await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].repayments.len(), 1);
    assert_eq!(store.list_for_loan(&ada, &good).await.unwrap().len(), 1);
    // The ledger of the good loan still takes writes (the unreadable repayment is left out).
    svc.record_repayment(&ada, &good, NewRepayment::new(dec!(5), day(3, 1)))
        .await
        .unwrap();
    assert!(
        store.undecodable_items() >= 4,
        "{}",
        store.undecodable_items()
    );

    // The unreadable repayment is deleted by its id (by its owner only); the ledger of its
    // loan is replayed without it.
    let bob = uid("bob");
    assert!(matches!(
        svc.delete_repayment(&bob, &rid("rep_poisoned")).await,
        Err(Error::NotFound { .. })
    ));
    let out = svc
        .delete_repayment(&ada, &rid("rep_poisoned"))
        .await
        .unwrap();
    assert_eq!(out.loan.aggregates().total_repaid, dec!(15));
    let raw = store
        .client()
        .get_item()
        .table_name(&store.tables().repayments)
        .key("id", s("rep_poisoned"))
        .send()
        .await
        .unwrap();
    assert!(raw.item.is_none());

    // Another user cannot delete the unreadable loan (no existence oracle); its owner can.
    assert!(matches!(
        svc.delete_loan(&bob, &lid("loan_poisoned"), None).await,
        Err(Error::NotFound { .. })
    ));
    svc.delete_loan(&ada, &lid("loan_poisoned"), None)
        .await
        .unwrap();
    let gone = store
        .client()
        .get_item()
        .table_name(&store.tables().loans)
        .key("id", s("loan_poisoned"))
        .send()
        .await
        .unwrap();
    assert!(gone.item.is_none());
}

/// Issue 15 §6: eight concurrent clients with distinct idempotency keys on one loan, with the
/// service's default retry budget, all get their repayment recorded (a lost optimistic-version
/// race is retried inside the service, never a 409 to the client).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_concurrent_clients_default_budget_no_conflict() {
    let Some(store) = common::fresh_store("eight").await else {
        return;
    };
    let clock = FixedClock::at_date(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
    let svc = Arc::new(LoanService::new(
        store.clone(),
        NoopNotifier,
        clock,
        SequentialIds::new(),
    ));
    let ada = uid("ada");
    let loan_id = svc
        .create_loan(&ada, NewLoan::new("Busy", terms(dec!(100000))))
        .await
        .unwrap()
        .loan
        .id()
        .clone();
    let mut handles = Vec::new();
    for client in 0..8 {
        let svc = Arc::clone(&svc);
        let (ada, loan_id) = (ada.clone(), loan_id.clone());
        handles.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for i in 0..10 {
                let cmd = NewRepayment::new(dec!(1), day(2, 1))
                    .with_idempotency_key(format!("c{client}-{i}"));
                if let Err(e) = svc.record_repayment(&ada, &loan_id, cmd).await {
                    failures.push(e.to_string());
                }
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for h in handles {
        failures.extend(h.await.unwrap());
    }
    assert!(
        failures.is_empty(),
        "{} failures: {failures:?}",
        failures.len()
    );
    let loan = LoanRepository::get(&store, &ada, &loan_id).await.unwrap();
    assert_eq!(loan.aggregates().repayment_count, 80);
}

/// Issue 15 §6: the SDK retries a `TransactWriteItems` whose first attempt committed but whose
/// answer was lost (attempt timeout, dropped connection). The retry then fails its conditions
/// on our own write; that must read as done, not as a 409 "repayment already exists". A
/// different repayment under the same id stays a conflict (the port's contract).
#[tokio::test]
async fn a_retried_committed_repayment_write_is_not_a_conflict() {
    let Some(store) = common::fresh_store("retried").await else {
        return;
    };
    let loan = sample_loan("ada", "l1", "Car", at(0));
    LoanRepository::insert(&store, loan.clone()).await.unwrap();
    let rep = sample_repayment(&loan, "r1", dec!(25.00), day(2, 1), Some("k1"));
    let first = store
        .record_repayment(rep.clone(), with_added(&loan, &rep), 1)
        .await
        .unwrap();
    // The same request again, as the SDK's retry sends it.
    let again = store
        .record_repayment(rep.clone(), with_added(&loan, &rep), 1)
        .await
        .expect("a retried committed write is done, not a conflict");
    assert_eq!(again, first);
    assert_eq!(
        store.list_for_loan(&uid("ada"), loan.id()).await.unwrap(),
        vec![rep.clone()]
    );
    let mut other = rep.clone();
    other.amount = dec!(30.00);
    let err = store
        .record_repayment(other.clone(), with_added(&first, &other), first.version())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        Error::conflict(ConflictKind::AlreadyExists {
            entity: "repayment".into(),
            id: "r1".into()
        })
    );
}
