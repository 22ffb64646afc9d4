//! The file itself: data survives closing and reopening exactly (decimal scales, dates,
//! instants), an old schema version is migrated in place, another application's file is
//! refused untouched.
// Test code: a failed unwrap or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{block_on, TempDir};
use loansyncro_core::app::ports::{
    LedgerStore, LoanQuery, LoanRepository, RepaymentRepository, UserRepository,
};
use loansyncro_core::app::testing::{at, day, sample_loan, sample_repayment, uid, with_added};
use loansyncro_core::domain::user::User;
use loansyncro_sqlite::codec::{loan_values, repayment_values, LOAN_COLUMNS, REPAYMENT_COLUMNS};
use loansyncro_sqlite::schema::{self, LATEST_VERSION};
use loansyncro_sqlite::SqliteStore;
use rusqlite::{params_from_iter, Connection};
use rust_decimal_macros::dec;

/// The loan columns of schema versions 1 to 3 (version 4 appended `days_past_due` and
/// `owner_status`).
const LOAN_COLUMNS_BEFORE_V4: usize = 20;

#[test]
fn everything_survives_close_and_reopen_exactly() {
    let dir = TempDir::new("reopen");
    let path = dir.file("loans.db");
    let (loan, rep, user) = {
        let store = SqliteStore::open(&path).unwrap();
        let user = User::new(uid("ada"), "ada@example.com", "Ada Lovelace", at(0)).unwrap();
        block_on(store.upsert(user.clone())).unwrap();
        let loan = sample_loan(
            "ada",
            "loan_000007",
            "Café ÉTÉ",
            at(3) + chrono::Duration::nanoseconds(123_456_789),
        );
        block_on(store.insert(loan.clone())).unwrap();
        let mut rep = sample_repayment(&loan, "rep_000008", dec!(100.10), day(2, 28), Some("k-1"));
        rep.notes = "first – with a dash".into();
        // The owner's declared status and the days past due are stored too (schema version 4).
        let mut next = with_added(&loan, &rep).into_record();
        next.status = loansyncro_core::domain::status::LoanStatus::Defaulted;
        next.aggregates.owner_status = Some(loansyncro_core::domain::status::LoanStatus::Defaulted);
        next.aggregates.days_past_due = 45;
        let next = loansyncro_core::domain::loan::Loan::restore(next);
        let stored = block_on(store.record_repayment(rep.clone(), next, 1)).unwrap();
        (stored, rep, user)
    };
    let store = SqliteStore::open(&path).unwrap();
    let ada = uid("ada");
    assert_eq!(
        block_on(UserRepository::get(&store, &ada)).unwrap(),
        Some(user)
    );
    let back = block_on(LoanRepository::get(&store, &ada, loan.id())).unwrap();
    assert_eq!(back, loan);
    assert_eq!(
        back.aggregates().total_repaid.to_string(),
        "100.10",
        "scale kept"
    );
    assert_eq!(back.terms().principal().to_string(), "1000.00");
    let reps = block_on(RepaymentRepository::list_for_loan(&store, &ada, loan.id())).unwrap();
    assert_eq!(reps, vec![rep]);
    // Unicode-aware search on the reopened file.
    let page = block_on(store.list(&ada, &LoanQuery::default().with_search("été"))).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(store.max_id_number().unwrap(), 8);
    // What is on disk is text a person can read.
    drop(store);
    let raw = Connection::open(&path).unwrap();
    let (amount, date): (String, String) = raw
        .query_row("SELECT amount, date FROM repayments", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((amount.as_str(), date.as_str()), ("100.10", "2025-02-28"));
}

/// Writes a file at schema version 1 with a loan and a repayment in it, as a LoanSyncro of
/// that version would have.
fn write_version_1_file(
    path: &std::path::Path,
) -> (
    loansyncro_core::domain::loan::Loan,
    loansyncro_core::domain::repayment::Repayment,
) {
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(
        None,
        "application_id",
        loansyncro_sqlite::store::APPLICATION_ID,
    )
    .unwrap();
    assert_eq!(schema::migrate_to(&mut conn, 1).unwrap(), (0, 1));
    let loan = sample_loan("ada", "old-loan", "Old car", at(0));
    let rep = sample_repayment(&loan, "old-rep", dec!(12.50), day(2, 1), Some("old-key"));
    let stored = with_added(&loan, &rep).stored_after(1);
    let insert = |table: &str, columns: &[&str], values: Vec<rusqlite::types::Value>| {
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        conn.execute(
            &format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns.join(", "),
                marks.join(", ")
            ),
            params_from_iter(values),
        )
        .unwrap();
    };
    let v1 = LOAN_COLUMNS_BEFORE_V4;
    insert(
        "loans",
        &LOAN_COLUMNS[..v1],
        loan_values(&stored).unwrap()[..v1].to_vec(),
    );
    insert("repayments", &REPAYMENT_COLUMNS, repayment_values(&rep));
    (stored, rep)
}

#[test]
fn a_version_1_file_is_migrated_on_open_and_keeps_its_data() {
    let dir = TempDir::new("migrate");
    let path = dir.file("old.db");
    let (loan, rep) = write_version_1_file(&path);
    let index_count = |conn: &Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'loans_by_owner'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(index_count(&Connection::open(&path).unwrap()), 0);

    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let ada = uid("ada");
    assert_eq!(
        block_on(LoanRepository::get(&store, &ada, loan.id())).unwrap(),
        loan
    );
    assert_eq!(
        block_on(RepaymentRepository::get(&store, &ada, &rep.id)).unwrap(),
        rep
    );
    // The migrated file works for writes too: the old key still guards its loan.
    let again = sample_repayment(&loan, "new-rep", dec!(1), day(3, 1), Some("old-key"));
    let err =
        block_on(store.record_repayment(again.clone(), with_added(&loan, &again), loan.version()))
            .unwrap_err();
    assert!(
        loansyncro_core::app::ports::is_idempotency_conflict(&err),
        "{err:?}"
    );
    drop(store);
    let conn = Connection::open(&path).unwrap();
    assert_eq!(index_count(&conn), 1);
    assert_eq!(schema::schema_version(&conn).unwrap(), LATEST_VERSION);
}

#[test]
fn a_file_of_a_newer_version_is_refused() {
    let dir = TempDir::new("newer");
    let path = dir.file("future.db");
    drop(SqliteStore::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", LATEST_VERSION + 1)
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert_eq!(err.code(), "storage");
    assert!(err.to_string().contains("newer LoanSyncro"), "{err}");
}

#[test]
fn another_applications_file_is_refused_and_untouched() {
    let dir = TempDir::new("foreign");
    let path = dir.file("other.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT)")
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("not a LoanSyncro file"), "{err}");
    let conn = Connection::open(&path).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1);
    assert_eq!(schema::schema_version(&conn).unwrap(), 0);
}

#[test]
fn a_path_that_cannot_be_opened_is_a_storage_error() {
    let dir = TempDir::new("badpath");
    let err = SqliteStore::open(dir.file("no/such/dir/loans.db")).unwrap_err();
    assert_eq!(err.code(), "storage");
    assert!(err.to_string().contains("no/such/dir"), "{err}");
}

#[test]
fn ids_drawn_from_a_migrated_file_continue_after_its_ids() {
    let dir = TempDir::new("watermark");
    let path = dir.file("v2.db");
    let mut conn = Connection::open(&path).unwrap();
    conn.pragma_update(
        None,
        "application_id",
        loansyncro_sqlite::store::APPLICATION_ID,
    )
    .unwrap();
    assert_eq!(schema::migrate_to(&mut conn, 2).unwrap(), (0, 2));
    let loan = sample_loan("ada", "loan_000041", "Old car", at(0));
    let v2 = LOAN_COLUMNS_BEFORE_V4;
    let marks: Vec<String> = (1..=v2).map(|i| format!("?{i}")).collect();
    conn.execute(
        &format!(
            "INSERT INTO loans ({}) VALUES ({})",
            LOAN_COLUMNS[..v2].join(", "),
            marks.join(", ")
        ),
        params_from_iter(loan_values(&loan).unwrap()[..v2].to_vec()),
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(store.draw_id_number().unwrap(), 42);
    drop(store);
    assert_eq!(
        SqliteStore::open(&path).unwrap().draw_id_number().unwrap(),
        43
    );
}

/// Terms are validated when a row is written, not on every read: a row of the current layout
/// (`schema_version` 2) whose terms a rule refuses today (a principal above the 1e12 limit, as
/// if the limit had been lowered after it was written) still reads back, while the same row
/// marked as written by an earlier file layout (1) is validated on read. The ledger checkpoint
/// survives close and reopen.
#[test]
fn reads_of_the_current_layout_do_not_validate_the_terms_again() {
    use loansyncro_core::ledger::LedgerState;
    let dir = TempDir::new("trusted-terms");
    let path = dir.file("loans.db");
    let mut loan = sample_loan("ada", "loan_000009", "Car", at(0)).into_record();
    let schedule = loan.terms.schedule().unwrap();
    let checkpoint = LedgerState::new(&loan.terms, &schedule)
        .unwrap()
        .checkpoint();
    loan.aggregates.ledger_checkpoint = Some(checkpoint.clone());
    let loan = loansyncro_core::domain::loan::Loan::restore(loan);
    {
        let store = SqliteStore::open(&path).unwrap();
        block_on(store.insert(loan.clone())).unwrap();
    }
    let conn = Connection::open(&path).unwrap();
    let terms: String = conn
        .query_row("SELECT terms FROM loans", [], |r| r.get(0))
        .unwrap();
    let principal = loan.terms().principal().to_string();
    let too_large = terms.replacen(&format!("\"{principal}\""), "\"2000000000000\"", 1);
    assert_ne!(too_large, terms);
    conn.execute("UPDATE loans SET terms = ?1", [&too_large])
        .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    let back = block_on(LoanRepository::get(&store, &uid("ada"), loan.id())).unwrap();
    assert_eq!(back.terms().principal(), dec!(2000000000000));
    assert_eq!(back.aggregates().ledger_checkpoint, Some(checkpoint));
    conn.execute("UPDATE loans SET schema_version = 1", [])
        .unwrap();
    let err = block_on(LoanRepository::get(&store, &uid("ada"), loan.id())).unwrap_err();
    assert!(err.to_string().contains("principal"), "{err}");
}
