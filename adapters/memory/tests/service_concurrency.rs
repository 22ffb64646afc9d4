//! Issue item 8 through the service: 100 tasks record repayments on one loan at once (the
//! service retries stale versions itself); afterwards the stored total is the sum of the 100
//! amounts. And five concurrent sends of one idempotency key record once.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use chrono::NaiveDate;
use loansyncro_core::app::ports::{FixedClock, NoopNotifier, SequentialIds};
use loansyncro_core::app::service::{LoanService, RepaymentFilter, ServiceConfig};
use loansyncro_core::domain::loan::NewLoan;
use loansyncro_core::domain::repayment::NewRepayment;
use loansyncro_core::domain::user::UserId;
use loansyncro_core::LoanTerms;
use loansyncro_memory::MemoryStore;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tokio::sync::Barrier;

type Service = LoanService<MemoryStore, NoopNotifier, FixedClock, SequentialIds>;

const TASKS: u32 = 100;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

/// 10,000.00 at 0% over 12 months from 2025-01-01, on a service whose today is 2025-02-01.
async fn setup(
    config: ServiceConfig,
) -> (Arc<Service>, UserId, loansyncro_core::domain::loan::LoanId) {
    let service = Arc::new(
        LoanService::new(
            MemoryStore::new(),
            NoopNotifier,
            FixedClock::at_date(d(2, 1)),
            SequentialIds::new(),
        )
        .with_config(config),
    );
    let user = UserId::new("ada").unwrap();
    let terms = LoanTerms::builder()
        .principal(dec!(10000))
        .installments(12)
        .start(d(1, 1))
        .build()
        .unwrap();
    let view = service
        .create_loan(&user, NewLoan::new("Car", terms))
        .await
        .unwrap();
    (service, user, view.loan.id().clone())
}

/// Amount of task `i`: 1.01, 2.02, ... so a lost or doubled write changes the total.
fn amount(i: u32) -> Decimal {
    Decimal::new(i64::from(i) * 101, 2)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn hundred_concurrent_repayments_through_the_service() {
    // Every stale-version conflict a writer meets is another writer's successful write, so with
    // 100 writers of one repayment each, 100 attempts always suffice (the default bound, 20,
    // is sized for ordinary contention and can run out with 100 writers on 8 threads).
    let config = ServiceConfig {
        max_attempts: TASKS,
        ..ServiceConfig::default()
    };
    let (service, user, loan_id) = setup(config).await;
    let barrier = Arc::new(Barrier::new(TASKS as usize));
    let mut handles = Vec::new();
    for i in 1..=TASKS {
        let (service, user, loan_id, barrier) = (
            Arc::clone(&service),
            user.clone(),
            loan_id.clone(),
            Arc::clone(&barrier),
        );
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            service
                .record_repayment(
                    &user,
                    &loan_id,
                    NewRepayment::new(amount(i), d(1, 1 + i % 28)),
                )
                .await
        }));
    }
    for h in handles {
        let outcome = h.await.unwrap().unwrap();
        assert!(!outcome.replayed);
    }
    let expected: Decimal = (1..=TASKS).map(amount).sum();
    assert_eq!(expected, dec!(5100.50));
    let loan = service.get_loan(&user, &loan_id).await.unwrap().loan;
    assert_eq!(loan.aggregates().total_repaid, dec!(5100.50));
    assert_eq!(loan.aggregates().repayment_count, TASKS);
    assert_eq!(loan.aggregates().principal_paid, dec!(5100.50));
    assert_eq!(loan.aggregates().principal_outstanding, dec!(4899.50));
    assert_eq!(loan.version(), 1 + u64::from(TASKS));
    let reps = service
        .list_repayments(&user, &RepaymentFilter::Loan(loan_id.clone()))
        .await
        .unwrap();
    assert_eq!(reps.len(), TASKS as usize);
    assert_eq!(reps.iter().map(|r| r.amount).sum::<Decimal>(), expected);
    // The stored aggregates agree with a fresh replay.
    let pos = service
        .position(&user, &loan_id, Some(d(2, 1)))
        .await
        .unwrap();
    assert_eq!(pos.paid_total, dec!(5100.50));
    assert_eq!(pos.principal_outstanding, dec!(4899.50));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_key_sent_five_times_at_once_records_once() {
    let (service, user, loan_id) = setup(ServiceConfig::default()).await;
    let barrier = Arc::new(Barrier::new(5));
    let mut handles = Vec::new();
    for _ in 0..5 {
        let (service, user, loan_id, barrier) = (
            Arc::clone(&service),
            user.clone(),
            loan_id.clone(),
            Arc::clone(&barrier),
        );
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            service
                .record_repayment(
                    &user,
                    &loan_id,
                    NewRepayment::new(dec!(250), d(2, 1)).with_idempotency_key("pay-feb"),
                )
                .await
                .unwrap()
        }));
    }
    let mut outcomes = Vec::new();
    for h in handles {
        outcomes.push(h.await.unwrap());
    }
    assert_eq!(outcomes.iter().filter(|o| !o.replayed).count(), 1);
    let first = outcomes.iter().find(|o| !o.replayed).unwrap();
    assert!(outcomes
        .iter()
        .all(|o| o.repayment.id == first.repayment.id && o.repayment.amount == dec!(250)));
    let loan = service.get_loan(&user, &loan_id).await.unwrap().loan;
    assert_eq!(loan.aggregates().total_repaid, dec!(250));
    assert_eq!(loan.aggregates().repayment_count, 1);
    assert_eq!(loan.version(), 2);
}
