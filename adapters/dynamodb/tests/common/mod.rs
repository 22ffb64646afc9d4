//! Shared test helpers: a fresh set of tables on DynamoDB Local per test.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU64, Ordering};

use std::time::Duration;

use loansyncro_dynamodb::config::Timeouts;
use loansyncro_dynamodb::{DynamoConfig, DynamoStore, TableNames, ENDPOINT_ENV};

/// Set by `scripts/suites/10-dynamodb.sh`: then a missing endpoint fails instead of skipping.
pub const REQUIRED_ENV: &str = "LOANSYNCRO_DYNAMODB_REQUIRED";

static NEXT: AtomicU64 = AtomicU64::new(0);

/// The DynamoDB Local endpoint, or `None` (with a loud message) when the variable is unset.
pub fn endpoint(test: &str) -> Option<String> {
    match loansyncro_dynamodb::config::local_endpoint() {
        Some(url) => Some(url),
        None => {
            if std::env::var(REQUIRED_ENV).is_ok_and(|v| v == "1") {
                panic!("{test}: {REQUIRED_ENV}=1 but {ENDPOINT_ENV} is not set");
            }
            // Straight to stderr (not `eprintln!`, which the test harness captures), so the
            // skip is visible in a plain `cargo test`.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "!!! SKIPPED {test}: {ENDPOINT_ENV} is not set, no DynamoDB Local to test \
                 against (bash scripts/suites/10-dynamodb.sh starts one and runs these tests)"
            );
            None
        }
    }
}

/// A unique table prefix for one test.
pub fn unique_prefix(test: &str) -> String {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("t{}-{nanos:x}-{n}-{test}-", std::process::id())
}

/// A store on freshly created, empty tables, or `None` when no server is configured.
pub async fn fresh_store(test: &str) -> Option<DynamoStore> {
    let url = endpoint(test)?;
    let mut config = DynamoConfig::local(url, TableNames::with_prefix(&unique_prefix(test)));
    // These tests are about results under contention (50 transactions on one item), which
    // DynamoDB Local serialises slowly on a busy machine: generous timeouts here. The
    // production bounds (Timeouts::default) are exercised by scripts/suites/55-faults.sh.
    config.timeouts = Timeouts {
        connect: Duration::from_secs(5),
        attempt: Duration::from_secs(20),
        operation: Duration::from_secs(30),
        ..Timeouts::default()
    };
    let store = DynamoStore::connect(config).await;
    store.create_tables().await.expect("create tables");
    store.check().await.expect("tables usable");
    store.requests().reset();
    Some(store)
}
