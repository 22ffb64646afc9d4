//! The core's storage contract, run against the in-memory adapter: one test per rule group,
//! plus the whole suite on one shared handle type (`Arc<MemoryStore>`).

use std::sync::Arc;

use loansyncro_memory::MemoryStore;

loansyncro_core::contract_tests!(#[tokio::test]; MemoryStore::new());

#[tokio::test]
async fn whole_suite_through_arc_handles() {
    loansyncro_core::app::testing::run_contract_suite(|| Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn clones_share_the_data() {
    use loansyncro_core::app::ports::LoanRepository;
    use loansyncro_core::app::testing::{at, sample_loan};

    let a = MemoryStore::new();
    let b = a.clone();
    a.insert(sample_loan("ada", "l1", "Car", at(0)))
        .await
        .unwrap();
    assert_eq!(b.stats().loans, 1);
    let loan = LoanRepository::get(&b, &"ada".parse().unwrap(), &"l1".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(loan.title(), "Car");
}
