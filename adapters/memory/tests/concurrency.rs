//! Issue item 8 at the port level: 100 tasks record repayments on one loan at once, each
//! retrying on a stale version; afterwards the stored aggregates account for every amount once.

use std::sync::Arc;

use loansyncro_core::app::ports::{
    is_stale_version, LedgerStore, LoanRepository, RepaymentRepository,
};
use loansyncro_core::app::testing::{
    day, record_with_retry, sample_loan, sample_repayment, with_added,
};
use loansyncro_memory::MemoryStore;
use rust_decimal::Decimal;
use tokio::sync::Barrier;

const TASKS: u32 = 100;

/// Amount of task `i`: 1.01, 2.02, ... so a lost or doubled write changes the total.
fn amount(i: u32) -> Decimal {
    Decimal::new(i64::from(i) * 101, 2)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn hundred_concurrent_writers_lose_nothing() {
    let store = MemoryStore::new();
    let loan = sample_loan("ada", "l1", "Car", loansyncro_core::app::testing::at(0));
    store.insert(loan.clone()).await.unwrap();
    // Every task reads version 1 before anybody writes: exactly one first attempt can win.
    let barrier = Arc::new(Barrier::new(TASKS as usize));

    let mut handles = Vec::new();
    for i in 1..=TASKS {
        let store = store.clone();
        let barrier = Arc::clone(&barrier);
        let loan = loan.clone();
        handles.push(tokio::spawn(async move {
            let rep = sample_repayment(
                &loan,
                &format!("r{i:03}"),
                amount(i),
                day(2, 1 + i % 28),
                None,
            );
            // First attempt: all tasks hold the same stale-prone version.
            let read = LoanRepository::get(&store, loan.owner(), loan.id())
                .await
                .unwrap();
            barrier.wait().await;
            match store
                .record_repayment(rep.clone(), with_added(&read, &rep), read.version())
                .await
            {
                Ok(_) => 0,
                Err(e) if is_stale_version(&e) => {
                    let (_, conflicts) = record_with_retry(&store, rep).await.unwrap();
                    1 + conflicts
                }
                Err(e) => panic!("unexpected error: {e:?}"),
            }
        }));
    }
    let mut conflicts = 0u32;
    for h in handles {
        conflicts += h.await.unwrap();
    }

    let stored = LoanRepository::get(&store, loan.owner(), loan.id())
        .await
        .unwrap();
    let expected_total: Decimal = (1..=TASKS).map(amount).sum();
    assert_eq!(expected_total, Decimal::new(510_050, 2));
    assert_eq!(stored.aggregates().total_repaid, expected_total);
    assert_eq!(stored.aggregates().repayment_count, TASKS);
    assert_eq!(stored.aggregates().last_payment_date, Some(day(2, 28)));
    assert_eq!(
        stored.version(),
        1 + u64::from(TASKS),
        "one version per write"
    );
    assert!(
        conflicts >= TASKS - 1,
        "only one first attempt can win, got {conflicts} conflicts"
    );

    let reps = RepaymentRepository::list_for_loan(&store, loan.owner(), loan.id())
        .await
        .unwrap();
    assert_eq!(reps.len(), TASKS as usize);
    assert_eq!(
        reps.iter().map(|r| r.amount).sum::<Decimal>(),
        expected_total
    );
    assert_eq!(store.stats().repayments, TASKS as usize);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_retries_with_one_idempotency_key_record_once() {
    let store = MemoryStore::new();
    let loan = sample_loan("ada", "l1", "Car", loansyncro_core::app::testing::at(0));
    store.insert(loan.clone()).await.unwrap();
    let mut handles = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        let loan = loan.clone();
        handles.push(tokio::spawn(async move {
            let rep = sample_repayment(
                &loan,
                &format!("try{i}"),
                Decimal::new(50, 0),
                day(3, 1),
                Some("same-key"),
            );
            record_with_retry(&store, rep).await.is_ok()
        }));
    }
    let mut wins = 0;
    for h in handles {
        if h.await.unwrap() {
            wins += 1;
        }
    }
    assert_eq!(wins, 1, "exactly one retry records");
    let stored = LoanRepository::get(&store, loan.owner(), loan.id())
        .await
        .unwrap();
    assert_eq!(stored.aggregates().total_repaid, Decimal::new(50, 0));
    assert_eq!(stored.aggregates().repayment_count, 1);
    assert_eq!(stored.version(), 2);
    let found =
        RepaymentRepository::find_by_idempotency_key(&store, loan.owner(), loan.id(), "same-key")
            .await
            .unwrap();
    assert!(found.is_some());
}
