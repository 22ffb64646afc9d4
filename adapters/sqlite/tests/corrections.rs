//! The balance-correction contracts against the SQLite adapter (in memory and on a file shared
//! by two handles for the two-writers case).

use loansyncro_core::app::testing_corrections::{
    contract_corrections_concurrent, contract_corrections_port, contract_corrections_service,
};
use loansyncro_sqlite::SqliteStore;

#[tokio::test]
async fn corrections_port() {
    contract_corrections_port(&SqliteStore::open_in_memory().unwrap()).await;
}

#[tokio::test]
async fn corrections_service() {
    contract_corrections_service(SqliteStore::open_in_memory().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrections_two_writers_at_once() {
    contract_corrections_concurrent(SqliteStore::open_in_memory().unwrap(), |a, b| async move {
        let (a, b) = tokio::join!(tokio::spawn(a), tokio::spawn(b));
        (a.unwrap(), b.unwrap())
    })
    .await;
}

#[tokio::test]
async fn corrections_go_with_their_loan() {
    use loansyncro_core::app::ports::{CorrectionStore, LoanRepository};
    use loansyncro_core::app::testing::{at, day, lid, sample_loan, uid};
    use loansyncro_core::app::testing_corrections::sample_correction;
    let store = SqliteStore::open_in_memory().unwrap();
    let loan = sample_loan("ada", "l1", "Car", at(0));
    store.insert(loan.clone()).await.unwrap();
    let c = sample_correction(
        &loan,
        "corr_000001",
        day(2, 1),
        rust_decimal::Decimal::ONE,
        None,
        1,
    );
    let version = LoanRepository::get(&store, &uid("ada"), &lid("l1"))
        .await
        .unwrap()
        .version();
    store
        .record_correction(c, loan.clone(), version)
        .await
        .unwrap();
    assert_eq!(store.stats().unwrap().loans, 1);
    store
        .delete_with_repayments(&uid("ada"), &lid("l1"), None)
        .await
        .unwrap();
    assert!(store
        .corrections_for_loan(&uid("ada"), &lid("l1"))
        .await
        .is_err());
    assert!(
        store.max_id_number().unwrap() >= 1,
        "the correction's id raised the watermark"
    );
}
