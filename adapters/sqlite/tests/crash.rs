//! Crash consistency: a writer process is SIGKILLed in the middle of its transactions and the
//! file reopens consistent, with every acknowledged write in it.
//!
//! The writer is this test binary itself, started again with the ignored test `crash_child`
//! and an environment variable saying what to do (so no extra binary is built or installed).
// Test code: a failed unwrap or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Lines};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

use common::{block_on, TempDir};
use loansyncro_core::app::ports::{LoanRepository, RepaymentRepository};
use loansyncro_core::app::testing::{
    at, day, lid, record_with_retry, sample_loan, sample_repayment, uid,
};
use loansyncro_core::domain::loan::Loan;
use loansyncro_sqlite::codec::{repayment_values, REPAYMENT_COLUMNS};
use loansyncro_sqlite::SqliteStore;
use rusqlite::{params_from_iter, Connection};
use rust_decimal::Decimal;

/// `writer:<path>` or `torn:<path>`.
const CHILD_ENV: &str = "LOANSYNCRO_SQLITE_CRASH_CHILD";

fn amount(i: u64) -> Decimal {
    Decimal::new(i64::try_from(i).unwrap() * 101, 2)
}

/// The child process: `writer` records repayments one transaction at a time forever, printing
/// `committed N` after each commit; `torn` opens one big transaction that spills to the WAL,
/// prints `in-transaction <wal bytes>` and waits to be killed.
#[test]
#[ignore = "the writer process of the crash tests: only runs when they spawn it"]
fn crash_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (mode, path) = spec.split_once(':').unwrap();
    let loan = sample_loan("ada", "l1", "Car", at(0));
    match mode {
        "writer" => {
            let store = SqliteStore::open(path).unwrap();
            let start = store.stats().unwrap().repayments as u64 + 1;
            for i in start.. {
                let rep = sample_repayment(&loan, &format!("r{i:06}"), amount(i), day(2, 1), None);
                block_on(record_with_retry(&store, rep)).unwrap();
                println!("committed {i}");
            }
        }
        "torn" => {
            let conn = Connection::open(path).unwrap();
            conn.pragma_update(None, "cache_size", 8).unwrap();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            let marks: Vec<String> = (1..=REPAYMENT_COLUMNS.len())
                .map(|i| format!("?{i}"))
                .collect();
            let sql = format!(
                "INSERT INTO repayments ({}) VALUES ({})",
                REPAYMENT_COLUMNS.join(", "),
                marks.join(", ")
            );
            for i in 0..5_000u64 {
                let mut rep = sample_repayment(
                    &loan,
                    &format!("torn{i:06}"),
                    amount(i + 1),
                    day(3, 1),
                    None,
                );
                rep.notes = "x".repeat(200);
                conn.execute(&sql, params_from_iter(repayment_values(&rep)))
                    .unwrap();
            }
            conn.execute("UPDATE loans SET version = 999, total_repaid = '1.00'", [])
                .unwrap();
            let wal = std::fs::metadata(format!("{path}-wal"))
                .map(|m| m.len())
                .unwrap_or(0);
            println!("in-transaction {wal}");
            std::thread::sleep(std::time::Duration::from_secs(120));
        }
        other => panic!("unknown mode {other}"),
    }
}

fn spawn(mode: &str, path: &Path) -> (Child, Lines<BufReader<ChildStdout>>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, format!("{mode}:{}", path.display()))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    (child, lines)
}

/// Reads the child's lines until one contains `prefix` (libtest may print `test crash_child
/// ... ` before it on the same line); returns the rest of that line.
fn wait_for(lines: &mut Lines<BufReader<ChildStdout>>, prefix: &str) -> String {
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some((_, rest)) = line.split_once(prefix) {
            return rest.trim().to_owned();
        }
    }
    panic!("the child ended before printing {prefix:?}");
}

/// The invariants of the ledger on a reopened file; returns the loan.
fn check_consistent(path: &Path) -> (Loan, usize) {
    let store = SqliteStore::open(path).unwrap();
    store.check_integrity().unwrap();
    let loan = block_on(LoanRepository::get(&store, &uid("ada"), &lid("l1"))).unwrap();
    let reps = block_on(RepaymentRepository::list_for_loan(
        &store,
        &uid("ada"),
        &lid("l1"),
    ))
    .unwrap();
    let n = reps.len();
    assert_eq!(
        loan.version(),
        1 + n as u64,
        "one version per recorded repayment"
    );
    assert_eq!(loan.aggregates().repayment_count as usize, n);
    assert_eq!(
        loan.aggregates().total_repaid,
        reps.iter().map(|r| r.amount).sum::<Decimal>(),
        "the loan's total is the sum of its repayments"
    );
    assert_eq!(
        loan.aggregates().total_repaid,
        (1..=n as u64).map(amount).sum::<Decimal>()
    );
    (loan, n)
}

#[test]
fn a_writer_killed_between_and_inside_transactions_leaves_a_consistent_file() {
    let dir = TempDir::new("crash-writer");
    let path = dir.file("loans.db");
    block_on(
        SqliteStore::open(&path)
            .unwrap()
            .insert(sample_loan("ada", "l1", "Car", at(0))),
    )
    .unwrap();

    let mut acknowledged = 0usize;
    // Three writers in a row, each killed at a different point; each restarts on the file
    // the previous one left.
    for extra in [25usize, 40, 60] {
        let (mut child, mut lines) = spawn("writer", &path);
        let target = acknowledged + extra;
        loop {
            let n: usize = wait_for(&mut lines, "committed ").parse().unwrap();
            if n >= target {
                acknowledged = n;
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no rollback by the process
        child.wait().unwrap();
        let (_, n) = check_consistent(&path);
        assert!(
            n >= acknowledged,
            "an acknowledged commit was lost: {n} < {acknowledged}"
        );
        assert!(
            n <= acknowledged + 1,
            "at most the commit in flight when killed: {n}"
        );
        acknowledged = n;
    }
    assert!(acknowledged >= 125);
}

#[test]
fn a_transaction_killed_after_spilling_to_the_wal_is_rolled_back_on_reopen() {
    let dir = TempDir::new("crash-torn");
    let path = dir.file("loans.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        let loan = sample_loan("ada", "l1", "Car", at(0));
        block_on(store.insert(loan.clone())).unwrap();
        let rep = sample_repayment(&loan, "r000001", amount(1), day(2, 1), None);
        block_on(record_with_retry(&store, rep)).unwrap();
    }
    let before = std::fs::metadata(format!("{}-wal", path.display()))
        .map(|m| m.len())
        .unwrap_or(0);
    let (mut child, mut lines) = spawn("torn", &path);
    let wal: u64 = wait_for(&mut lines, "in-transaction ").parse().unwrap();
    eprintln!("WAL before the transaction: {before} bytes, with it open: {wal} bytes");
    assert!(
        wal > before + 500_000,
        "the open transaction reached the disk (WAL {before} -> {wal} bytes)"
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let (loan, n) = check_consistent(&path);
    assert_eq!(
        (loan.version(), n),
        (2, 1),
        "none of the killed transaction is visible"
    );
    // And the file takes writes again: the dead writer's lock is gone.
    let store = SqliteStore::open(&path).unwrap();
    let rep = sample_repayment(&loan, "r000002", amount(2), day(2, 2), None);
    let (stored, _) = block_on(record_with_retry(&store, rep)).unwrap();
    assert_eq!(stored.version(), 3);
    assert_eq!(store.stats().unwrap().repayments, 2);
}
