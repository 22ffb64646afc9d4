//! The balance-correction contracts against DynamoDB Local (each on fresh tables; skipped
//! loudly when `LOANSYNCRO_DYNAMODB_ENDPOINT` is unset): the port rules, the service's use
//! cases and two writers at once, never a Scan.

mod common;

use loansyncro_core::app::testing_corrections::{
    contract_corrections_concurrent, contract_corrections_port, contract_corrections_service,
};

#[tokio::test]
async fn corrections_port() {
    let Some(store) = common::fresh_store("corrections_port").await else {
        return;
    };
    contract_corrections_port(&store).await;
    assert_eq!(store.requests().get("Scan"), 0, "the adapter never scans");
}

#[tokio::test]
async fn corrections_service() {
    let Some(store) = common::fresh_store("corrections_service").await else {
        return;
    };
    contract_corrections_service(store.clone()).await;
    assert_eq!(store.requests().get("Scan"), 0, "the adapter never scans");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrections_two_writers_at_once() {
    let Some(store) = common::fresh_store("corrections_writers").await else {
        return;
    };
    contract_corrections_concurrent(store.clone(), |a, b| async move {
        let (a, b) = tokio::join!(tokio::spawn(a), tokio::spawn(b));
        (a.unwrap(), b.unwrap())
    })
    .await;
    assert_eq!(store.requests().get("Scan"), 0, "the adapter never scans");
}

#[tokio::test]
async fn corrections_stay_out_of_repayment_listings() {
    use loansyncro_core::app::ports::{CorrectionStore, LoanRepository, RepaymentRepository};
    use loansyncro_core::app::testing::{at, day, lid, sample_loan, uid};
    use loansyncro_core::app::testing_corrections::sample_correction;
    let Some(store) = common::fresh_store("corrections_listings").await else {
        return;
    };
    let loan = sample_loan("ada", "l1", "Car", at(0));
    store.insert(loan.clone()).await.unwrap();
    let version = LoanRepository::get(&store, &uid("ada"), &lid("l1"))
        .await
        .unwrap()
        .version();
    let c = sample_correction(&loan, "c1", day(2, 1), rust_decimal::Decimal::ONE, None, 1);
    store.record_correction(c, loan, version).await.unwrap();
    assert!(store
        .list_for_loan(&uid("ada"), &lid("l1"))
        .await
        .unwrap()
        .is_empty());
    assert!(store.list_for_owner(&uid("ada")).await.unwrap().is_empty());
    assert_eq!(
        store.undecodable_items(),
        0,
        "the document is never read as a repayment"
    );
}
