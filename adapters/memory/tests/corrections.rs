//! The balance-correction contracts against the in-memory adapter: the port rules, the
//! service's use cases, and two writers at once on a multi-threaded runtime.

use loansyncro_core::app::testing_corrections::{
    contract_corrections_concurrent, contract_corrections_port, contract_corrections_service,
};
use loansyncro_memory::MemoryStore;

#[tokio::test]
async fn corrections_port() {
    contract_corrections_port(&MemoryStore::new()).await;
}

#[tokio::test]
async fn corrections_service() {
    contract_corrections_service(MemoryStore::new()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrections_two_writers_at_once() {
    contract_corrections_concurrent(MemoryStore::new(), |a, b| async move {
        let (a, b) = tokio::join!(tokio::spawn(a), tokio::spawn(b));
        (a.unwrap(), b.unwrap())
    })
    .await;
}
