//! The recurring-plan contracts against the in-memory adapter: the port rules, the
//! materialization use cases (missed day, rerun, crashed runner), and two runners at once on a
//! multi-threaded runtime.

use loansyncro_core::app::testing_recurring::{
    contract_recurring_concurrent_runners, contract_recurring_materialize, contract_recurring_plans,
};
use loansyncro_memory::MemoryStore;

#[tokio::test]
async fn recurring_plans_port() {
    contract_recurring_plans(&MemoryStore::new()).await;
}

#[tokio::test]
async fn recurring_plans_materialize() {
    contract_recurring_materialize(MemoryStore::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recurring_plans_two_runners_at_once() {
    contract_recurring_concurrent_runners(MemoryStore::new(), |a, b| async move {
        let (a, b) = tokio::join!(tokio::spawn(a), tokio::spawn(b));
        (a.unwrap(), b.unwrap())
    })
    .await;
}
