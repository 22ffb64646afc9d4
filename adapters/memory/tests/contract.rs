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

/// The index of idempotency keys follows every change: a key is free again once its
/// repayment took another key, was removed or its loan was deleted.
#[tokio::test]
async fn idempotency_keys_follow_replacements_and_removals() {
    use loansyncro_core::app::ports::{LedgerStore, LoanRepository, RepaymentRepository};
    use loansyncro_core::app::testing::{at, day, sample_loan, sample_repayment, uid, with_added};
    use rust_decimal::Decimal;

    let store = MemoryStore::new();
    let ada = uid("ada");
    let loan = sample_loan("ada", "l1", "Car", at(0));
    store.insert(loan.clone()).await.unwrap();
    let find = |key: &'static str| {
        let (store, ada, id) = (store.clone(), ada.clone(), loan.id().clone());
        async move {
            store
                .find_by_idempotency_key(&ada, &id, key)
                .await
                .unwrap()
                .map(|r| r.id.to_string())
        }
    };
    let r1 = sample_repayment(&loan, "r1", Decimal::new(10, 0), day(2, 1), Some("k-1"));
    let stored = store
        .record_repayment(r1.clone(), with_added(&loan, &r1), 1)
        .await
        .unwrap();
    assert_eq!(find("k-1").await.as_deref(), Some("r1"));
    let mut rekeyed = r1.clone();
    rekeyed.idempotency_key = Some("k-2".into());
    let stored = store
        .replace_repayment(rekeyed, stored.clone(), stored.version())
        .await
        .unwrap();
    assert_eq!(find("k-1").await, None);
    assert_eq!(find("k-2").await.as_deref(), Some("r1"));
    let stored = store
        .remove_repayment(&ada, &r1.id, stored.clone(), stored.version())
        .await
        .unwrap();
    assert_eq!(find("k-2").await, None);
    let r2 = sample_repayment(&loan, "r2", Decimal::new(10, 0), day(2, 2), Some("k-2"));
    store
        .record_repayment(r2.clone(), stored.clone(), stored.version())
        .await
        .unwrap();
    assert_eq!(find("k-2").await.as_deref(), Some("r2"));
    store
        .delete_with_repayments(&ada, loan.id(), None)
        .await
        .unwrap();
    store.insert(loan.clone()).await.unwrap();
    assert_eq!(find("k-2").await, None);
}
