//! The recurring-plan contracts against SQLite: the port rules, the materialization use cases
//! (missed day, rerun, crashed runner), two runners at once (two services on clones of one
//! store, on two worker threads), and plans kept with their loan.
#![allow(clippy::unwrap_used)]

use loansyncro_core::app::ports::{LoanRepository, RecurringPlanRepository};
use loansyncro_core::app::testing::{at, day, sample_loan, uid};
use loansyncro_core::app::testing_recurring::{
    contract_recurring_concurrent_runners, contract_recurring_materialize,
    contract_recurring_plans, pid, sample_plan,
};
use loansyncro_core::Frequency;
use loansyncro_sqlite::SqliteStore;

fn file(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sqlite-recurring");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}-{name}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

#[tokio::test]
async fn recurring_plans_port() {
    contract_recurring_plans(&SqliteStore::open(file("port")).unwrap()).await;
}

#[tokio::test]
async fn recurring_plans_materialize() {
    contract_recurring_materialize(SqliteStore::open(file("materialize")).unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recurring_plans_two_runners_at_once() {
    contract_recurring_concurrent_runners(
        SqliteStore::open_in_memory().unwrap(),
        |a, b| async move {
            let (a, b) = tokio::join!(tokio::spawn(a), tokio::spawn(b));
            (a.unwrap(), b.unwrap())
        },
    )
    .await;
}

/// Plans go with their loan (foreign key, ON DELETE CASCADE), survive a reopen, and a plan on
/// an absent loan is the loan's NotFound.
#[tokio::test]
async fn plans_are_kept_with_their_loan() {
    let path = file("cascade");
    let store = SqliteStore::open(&path).unwrap();
    let ada = uid("ada");
    store
        .insert(sample_loan("ada", "l1", "Car", at(0)))
        .await
        .unwrap();
    let plan = sample_plan(
        "ada",
        "p1",
        "l1",
        rust_decimal::Decimal::new(1250, 2),
        Frequency::SemiMonthly {
            first_day: 1,
            second_day: 15,
        },
        day(3, 15),
        5,
    );
    store.insert_plan(plan.clone()).await.unwrap();
    drop(store);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.get_plan(&ada, &pid("p1")).await.unwrap(), plan);
    let err = store
        .insert_plan(sample_plan(
            "ada",
            "p2",
            "nope",
            rust_decimal::Decimal::ONE,
            Frequency::Monthly,
            day(3, 1),
            0,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    store
        .delete_with_repayments(&ada, &"l1".parse().unwrap(), None)
        .await
        .unwrap();
    assert_eq!(
        store.get_plan(&ada, &pid("p1")).await.unwrap_err().code(),
        "not_found"
    );
    store.check_integrity().unwrap();
}
