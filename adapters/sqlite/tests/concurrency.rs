//! Writers on separate connections to one file (as separate processes would be): SQLite's
//! locking plus the version column lose no write, and one idempotency key records once.
// Test code: a failed unwrap or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Barrier};

use common::{block_on, TempDir};
use loansyncro_core::app::ports::{
    is_stale_version, LedgerStore, LoanRepository, RepaymentRepository,
};
use loansyncro_core::app::testing::{
    at, day, record_with_retry, sample_loan, sample_repayment, with_added,
};
use loansyncro_sqlite::SqliteStore;
use rust_decimal::Decimal;

const CONNECTIONS: usize = 4;
const PER_CONNECTION: u32 = 10;

fn amount(i: u32) -> Decimal {
    Decimal::new(i64::from(i) * 101, 2)
}

#[test]
fn writers_on_four_connections_lose_nothing() {
    let dir = TempDir::new("concurrency");
    let path = dir.file("loans.db");
    let stores: Vec<SqliteStore> = (0..CONNECTIONS)
        .map(|_| SqliteStore::open(&path).unwrap())
        .collect();
    let loan = sample_loan("ada", "l1", "Car", at(0));
    block_on(stores[0].insert(loan.clone())).unwrap();
    let total_tasks = CONNECTIONS * PER_CONNECTION as usize;
    let barrier = Arc::new(Barrier::new(total_tasks));

    let mut handles = Vec::new();
    for (c, store) in stores.iter().enumerate() {
        for k in 0..PER_CONNECTION {
            let i = c as u32 * PER_CONNECTION + k + 1;
            let (store, loan, barrier) = (store.clone(), loan.clone(), Arc::clone(&barrier));
            handles.push(std::thread::spawn(move || {
                let rep = sample_repayment(
                    &loan,
                    &format!("r{i:03}"),
                    amount(i),
                    day(2, 1 + i % 28),
                    None,
                );
                // Everybody reads version 1 before anybody writes: one first attempt wins.
                let read = block_on(LoanRepository::get(&store, loan.owner(), loan.id())).unwrap();
                barrier.wait();
                match block_on(store.record_repayment(
                    rep.clone(),
                    with_added(&read, &rep),
                    read.version(),
                )) {
                    Ok(_) => 0,
                    Err(e) if is_stale_version(&e) => {
                        1 + block_on(record_with_retry(&store, rep)).unwrap().1
                    }
                    Err(e) => panic!("unexpected error: {e:?}"),
                }
            }));
        }
    }
    let conflicts: u32 = handles.into_iter().map(|h| h.join().unwrap()).sum();

    let fresh = SqliteStore::open(&path).unwrap();
    let stored = block_on(LoanRepository::get(&fresh, loan.owner(), loan.id())).unwrap();
    let n = total_tasks as u32;
    let expected_total: Decimal = (1..=n).map(amount).sum();
    assert_eq!(expected_total, Decimal::new(82_820, 2));
    assert_eq!(stored.aggregates().total_repaid, expected_total);
    assert_eq!(stored.aggregates().repayment_count, n);
    assert_eq!(stored.version(), 1 + u64::from(n), "one version per write");
    assert!(
        conflicts >= n - 1,
        "only one first attempt can win, got {conflicts}"
    );
    let reps = block_on(RepaymentRepository::list_for_loan(
        &fresh,
        loan.owner(),
        loan.id(),
    ))
    .unwrap();
    assert_eq!(reps.len(), total_tasks);
    assert_eq!(
        reps.iter().map(|r| r.amount).sum::<Decimal>(),
        expected_total
    );
    fresh.check_integrity().unwrap();
}

#[test]
fn one_idempotency_key_from_many_connections_records_once() {
    let dir = TempDir::new("idempotency");
    let path = dir.file("loans.db");
    let first = SqliteStore::open(&path).unwrap();
    let loan = sample_loan("ada", "l1", "Car", at(0));
    block_on(first.insert(loan.clone())).unwrap();
    let handles: Vec<_> = (0..12)
        .map(|i| {
            let store = SqliteStore::open(&path).unwrap();
            let loan = loan.clone();
            std::thread::spawn(move || {
                let rep = sample_repayment(
                    &loan,
                    &format!("try{i}"),
                    Decimal::new(5000, 2),
                    day(3, 1),
                    Some("same-key"),
                );
                block_on(record_with_retry(&store, rep)).is_ok()
            })
        })
        .collect();
    let wins = handles
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(|won| *won)
        .count();
    assert_eq!(wins, 1, "exactly one retry records");
    let stored = block_on(LoanRepository::get(&first, loan.owner(), loan.id())).unwrap();
    assert_eq!(stored.aggregates().total_repaid.to_string(), "50.00");
    assert_eq!(stored.version(), 2);
    let found = block_on(RepaymentRepository::find_by_idempotency_key(
        &first,
        loan.owner(),
        loan.id(),
        "same-key",
    ))
    .unwrap()
    .unwrap();
    assert_eq!(found.amount.to_string(), "50.00");
}
