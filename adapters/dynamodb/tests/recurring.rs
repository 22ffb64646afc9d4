//! The recurring-plan contracts against DynamoDB Local (each on fresh tables; skipped loudly
//! when `LOANSYNCRO_DYNAMODB_ENDPOINT` is unset): the port rules, the materialization use cases
//! (missed day, rerun, crashed runner) and two runners at once, never a Scan.

mod common;

use loansyncro_core::app::testing_recurring::{
    contract_recurring_concurrent_runners, contract_recurring_materialize, contract_recurring_plans,
};

#[tokio::test]
async fn recurring_plans_port() {
    let Some(store) = common::fresh_store("recurring_plans_port").await else {
        return;
    };
    contract_recurring_plans(&store).await;
    assert_eq!(store.requests().get("Scan"), 0, "the adapter never scans");
}

#[tokio::test]
async fn recurring_plans_materialize() {
    let Some(store) = common::fresh_store("recurring_plans_materialize").await else {
        return;
    };
    contract_recurring_materialize(store.clone()).await;
    assert_eq!(store.requests().get("Scan"), 0, "the adapter never scans");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recurring_plans_two_runners_at_once() {
    let Some(store) = common::fresh_store("recurring_plans_runners").await else {
        return;
    };
    contract_recurring_concurrent_runners(store.clone(), |a, b| async move {
        let (a, b) = tokio::join!(tokio::spawn(a), tokio::spawn(b));
        (a.unwrap(), b.unwrap())
    })
    .await;
    assert_eq!(store.requests().get("Scan"), 0, "the adapter never scans");
}
