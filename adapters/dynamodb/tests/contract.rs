//! The core's storage contract suite, run against DynamoDB Local: one test per rule group, each
//! on its own fresh tables. Skipped (loudly) when `LOANSYNCRO_DYNAMODB_ENDPOINT` is unset.

mod common;

macro_rules! contract {
    ($($name:ident)*) => {
        $(
            #[tokio::test]
            async fn $name() {
                let Some(store) = common::fresh_store(stringify!($name)).await else {
                    return;
                };
                loansyncro_core::app::testing::$name(&store).await;
                assert_eq!(
                    store.requests().get("Scan"),
                    0,
                    "the adapter never scans"
                );
            }
        )*
    };
}

contract!(
    contract_users
    contract_loan_insert_get
    contract_owner_scoping
    contract_list_search_and_pagination
    contract_update_versioning
    contract_record_repayment
    contract_idempotency
    contract_replace_and_remove
    contract_repayment_listing
    contract_cascade_delete
    contract_conditional_delete
);
