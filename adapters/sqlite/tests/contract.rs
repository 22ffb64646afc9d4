//! The core's storage contract, run against SQLite: one test per rule group, each on a new
//! database file, and the whole suite on in-memory databases through `Arc` handles.
// Test code: a failed unwrap or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use loansyncro_sqlite::SqliteStore;

/// A store on a new file under cargo's per-target temp dir (`target/tmp`, git-ignored); the
/// files of earlier runs are removed when the first store of a run is made.
fn file_store() -> SqliteStore {
    static N: AtomicU32 = AtomicU32::new(0);
    static CLEAN: std::sync::Once = std::sync::Once::new();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sqlite-contract");
    CLEAN.call_once(|| {
        let _ = std::fs::remove_dir_all(&dir);
    });
    let n = N.fetch_add(1, Ordering::Relaxed);
    let path = dir.join(format!("{}-{n}.db", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    SqliteStore::open(path).unwrap()
}

loansyncro_core::contract_tests!(#[tokio::test]; file_store());

#[tokio::test]
async fn whole_suite_in_memory_through_arc_handles() {
    loansyncro_core::app::testing::run_contract_suite(|| {
        Arc::new(SqliteStore::open_in_memory().unwrap())
    })
    .await;
}
