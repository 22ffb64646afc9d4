//! [`SqliteStore`]: every storage port over one SQLite connection.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use loansyncro_core::app::ports::{
    check_repayment_matches_loan, idempotency_conflict, stale_version, LedgerStore, LoanCursor,
    LoanQuery, LoanRepository, Page, RepaymentRepository, UserRepository,
};
use loansyncro_core::domain::loan::{Loan, LoanId};
use loansyncro_core::domain::repayment::{Repayment, RepaymentId};
use loansyncro_core::domain::user::{User, UserId};
use loansyncro_core::error::{Error, Result};
use rusqlite::types::Value;
use rusqlite::{named_params, params, params_from_iter, Connection, OptionalExtension};
use rusqlite::{Transaction, TransactionBehavior};

use crate::codec::{
    self, collect, loan_from_row, loan_values, repayment_from_row, repayment_values, user_from_row,
    LOAN_COLUMNS, REPAYMENT_COLUMNS, USER_COLUMNS,
};
use crate::error::{is_unique_violation, storage};
use crate::schema;

mod corrections;
mod recurring;

/// How long a write waits for another process's write to finish before giving up with a
/// storage error (`database is locked`).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// `PRAGMA application_id` of LoanSyncro files ("LSNC").
pub const APPLICATION_ID: i32 = 0x4C53_4E43;

/// Counts of what a store holds (for tests and diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SqliteStats {
    /// Users stored.
    pub users: usize,
    /// Loans stored (all owners).
    pub loans: usize,
    /// Repayments stored (all loans).
    pub repayments: usize,
}

/// Every storage port of LoanSyncro on one SQLite database (a file, or memory for tests).
///
/// Clones share the connection. Each port call runs synchronously on the calling thread
/// under the connection's mutex (a local file: microseconds to milliseconds) and is ready on
/// its first poll, so the store also works under a plain `block_on`. Every write is one
/// `BEGIN IMMEDIATE` transaction: its checks (existence, owner, idempotency key, version) and
/// its writes see the same state even when another process writes the same file, and the
/// loan is written with `UPDATE ... WHERE version = expected`.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if absent) the SQLite file at `path`, in WAL mode with full sync, and
    /// migrates it to the latest schema version. A SQLite file of another application (tables
    /// but no LoanSyncro schema, or another `application_id`) is refused, as is a file of a
    /// newer schema version.
    ///
    /// ```
    /// use loansyncro_sqlite::{schema::LATEST_VERSION, SqliteStore};
    /// let dir = std::env::temp_dir().join(format!("ls-doc-open-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let store = SqliteStore::open(dir.join("loans.db"))?;
    /// assert_eq!(store.schema_version()?, LATEST_VERSION);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        let path = path.as_ref();
        let conn =
            Connection::open(path).map_err(|e| storage(&format!("open {}", path.display()), e))?;
        SqliteStore::from_connection(conn, true)
    }

    /// A fresh private database in memory (for tests; gone when the last clone drops).
    pub fn open_in_memory() -> Result<SqliteStore> {
        let conn = Connection::open_in_memory().map_err(|e| storage("open in memory", e))?;
        SqliteStore::from_connection(conn, false)
    }

    fn from_connection(mut conn: Connection, file: bool) -> Result<SqliteStore> {
        let op = "configure connection";
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| storage(op, e))?;
        if file {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(|e| storage(op, e))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Storage {
                    operation: format!("sqlite: {op}"),
                    message: format!("journal mode is {mode}, WAL could not be set"),
                });
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| storage(op, e))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(|e| storage(op, e))?;
        claim_file(&conn)?;
        schema::migrate(&mut conn)?;
        let store = SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
        };
        // Files from before the watermark (schema version 3) have ids above it.
        let highest = store.max_id_number()?;
        store.write("raise id watermark", |tx| raise_watermark_to(tx, highest))?;
        Ok(store)
    }

    /// The database's schema version (see [`schema`]).
    pub fn schema_version(&self) -> Result<u32> {
        schema::schema_version(&self.lock())
    }

    /// How many users, loans and repayments the database holds.
    ///
    /// ```
    /// use loansyncro_sqlite::{SqliteStats, SqliteStore};
    /// assert_eq!(SqliteStore::open_in_memory()?.stats()?, SqliteStats::default());
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn stats(&self) -> Result<SqliteStats> {
        let conn = self.lock();
        let count = |table: &str| -> Result<usize> {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(|e| storage(&format!("count {table}"), e))?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        };
        Ok(SqliteStats {
            users: count("users")?,
            loans: count("loans")?,
            repayments: count("repayments")?,
        })
    }

    /// The largest `N` among the ids of the form `prefix_N` (the ids of
    /// [`loansyncro_core::app::ports::SequentialIds`]) of every loan and repayment ever stored in
    /// the file, deleted ones included; 0 when there is none. A generator reopened on the file
    /// starts after it, so no id is ever issued twice.
    ///
    /// ```
    /// use loansyncro_core::app::ports::LoanRepository;
    /// use loansyncro_core::app::testing::{at, sample_loan, uid, lid};
    /// use loansyncro_sqlite::SqliteStore;
    /// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     match std::pin::pin!(f).poll(&mut cx) { std::task::Poll::Ready(v) => v, _ => unreachable!() }
    /// # }
    /// let store = SqliteStore::open_in_memory()?;
    /// assert_eq!(store.max_id_number()?, 0);
    /// block_on(store.insert(sample_loan("ada", "loan_000041", "Car", at(0))))?;
    /// block_on(store.insert(sample_loan("ada", "imported-7x", "Van", at(1))))?;
    /// assert_eq!(store.max_id_number()?, 41);
    /// block_on(store.delete_with_repayments(&uid("ada"), &lid("loan_000041"), None))?;
    /// assert_eq!(store.max_id_number()?, 41, "deleted ids are not reissued");
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn max_id_number(&self) -> Result<u64> {
        let conn = self.lock();
        let op = "read ids";
        let watermark: i64 = conn
            .query_row("SELECT highest FROM id_watermark", [], |r| r.get(0))
            .map_err(|e| storage(op, e))?;
        let mut stmt = conn
            .prepare("SELECT id FROM loans UNION ALL SELECT id FROM repayments")
            .map_err(|e| storage(op, e))?;
        let ids = collect(&mut stmt, [], op, |row| {
            row.get::<_, String>(0).map_err(|e| storage(op, e))
        })?;
        let present = ids.iter().filter_map(|id| sequence_number(id)).max();
        Ok(present
            .unwrap_or(0)
            .max(u64::try_from(watermark).unwrap_or(0)))
    }

    /// Draws the next id number of the file: one above every id number ever stored or drawn
    /// (by any handle or process on the file), in its own write transaction. See
    /// [`crate::SqliteIds`].
    ///
    /// ```
    /// use loansyncro_sqlite::SqliteStore;
    /// let store = SqliteStore::open_in_memory()?;
    /// assert_eq!((store.draw_id_number()?, store.draw_id_number()?), (1, 2));
    /// assert_eq!(store.max_id_number()?, 2);
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn draw_id_number(&self) -> Result<u64> {
        self.write("draw id number", |tx| {
            let op = "draw id number";
            tx.execute("UPDATE id_watermark SET highest = highest + 1", [])
                .map_err(|e| storage(op, e))?;
            let n: i64 = tx
                .query_row("SELECT highest FROM id_watermark", [], |r| r.get(0))
                .map_err(|e| storage(op, e))?;
            u64::try_from(n).map_err(|_| Error::Storage {
                operation: format!("sqlite: {op}"),
                message: format!("id watermark {n} is negative"),
            })
        })
    }

    /// Checks the file: SQLite's `integrity_check` and `foreign_key_check` (no repayment
    /// without its loan). A storage error says what is wrong.
    pub fn check_integrity(&self) -> Result<()> {
        let conn = self.lock();
        let op = "integrity check";
        let verdict: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| storage(op, e))?;
        if verdict != "ok" {
            return Err(Error::Storage {
                operation: format!("sqlite: {op}"),
                message: verdict,
            });
        }
        let orphans: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .map_err(|e| storage(op, e))?;
        if orphans != 0 {
            return Err(Error::Storage {
                operation: format!("sqlite: {op}"),
                message: format!("{orphans} rows reference a missing loan"),
            });
        }
        Ok(())
    }

    // A panic while holding the lock cannot leave a half-written state: every write is a
    // transaction that rolls back when dropped uncommitted.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    fn read<T>(&self, op: &str, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.transaction(op, TransactionBehavior::Deferred, f)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction, committed when `f` succeeds and rolled
    /// back (nothing written) when it fails.
    fn write<T>(&self, op: &str, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.transaction(op, TransactionBehavior::Immediate, f)
    }

    fn transaction<T>(
        &self,
        op: &str,
        behavior: TransactionBehavior,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(behavior)
            .map_err(|e| storage(op, e))?;
        let out = f(&tx)?;
        tx.commit().map_err(|e| storage(op, e))?;
        Ok(out)
    }
}

/// Marks a new file as LoanSyncro's, refuses a file of another application.
fn claim_file(conn: &Connection) -> Result<()> {
    let op = "check application id";
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| storage(op, e))?;
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| storage(op, e))?;
    let foreign = || Error::Storage {
        operation: format!("sqlite: {op}"),
        message: "not a LoanSyncro file (it belongs to another application)".into(),
    };
    match app {
        APPLICATION_ID => Ok(()),
        0 if tables == 0 => conn
            .pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| storage(op, e)),
        _ => Err(foreign()),
    }
}

// ---------------------------------------------------------------------------------------------
// Statements shared by the ports
// ---------------------------------------------------------------------------------------------

fn select_loans(filter: &str) -> String {
    format!("SELECT {} FROM loans {filter}", LOAN_COLUMNS.join(", "))
}

fn select_repayments(filter: &str) -> String {
    format!(
        "SELECT {} FROM repayments {filter}",
        REPAYMENT_COLUMNS.join(", ")
    )
}

/// The owner's loan, or `NotFound` (also when somebody else owns it).
fn loan(tx: &Connection, owner: &UserId, id: &LoanId) -> Result<Loan> {
    let op = "read loan";
    let mut stmt = tx
        .prepare_cached(&select_loans("WHERE id = ?1 AND owner = ?2"))
        .map_err(|e| storage(op, e))?;
    collect(
        &mut stmt,
        params![id.as_str(), owner.as_str()],
        op,
        loan_from_row,
    )?
    .pop()
    .ok_or_else(|| Error::not_found("loan", id.as_str()))
}

/// The owner's repayment, or `NotFound` (also when somebody else owns it).
fn repayment(tx: &Connection, owner: &UserId, id: &RepaymentId) -> Result<Repayment> {
    let op = "read repayment";
    let mut stmt = tx
        .prepare_cached(&select_repayments("WHERE id = ?1 AND owner = ?2"))
        .map_err(|e| storage(op, e))?;
    collect(
        &mut stmt,
        params![id.as_str(), owner.as_str()],
        op,
        repayment_from_row,
    )?
    .pop()
    .ok_or_else(|| Error::not_found("repayment", id.as_str()))
}

/// The loan's repayments in ledger order.
fn repayments_of(tx: &Connection, owner: &UserId, loan_id: &LoanId) -> Result<Vec<Repayment>> {
    let op = "list repayments of a loan";
    let mut stmt = tx
        .prepare_cached(&select_repayments("WHERE loan_id = ?1 AND owner = ?2"))
        .map_err(|e| storage(op, e))?;
    let mut reps = collect(
        &mut stmt,
        params![loan_id.as_str(), owner.as_str()],
        op,
        repayment_from_row,
    )?;
    reps.sort_by(Repayment::ledger_order);
    Ok(reps)
}

/// The id of the loan's repayment with idempotency key `key`, other than `except`.
fn repayment_with_key(
    tx: &Connection,
    loan_id: &LoanId,
    key: &str,
    except: Option<&RepaymentId>,
) -> Result<Option<String>> {
    tx.query_row(
        "SELECT id FROM repayments WHERE loan_id = ?1 AND idempotency_key = ?2 AND id IS NOT ?3",
        params![loan_id.as_str(), key, except.map(RepaymentId::as_str)],
        |r| r.get(0),
    )
    .optional()
    .map_err(|e| storage("find idempotency key", e))
}

/// Rule 2 and 4 of the ledger writes: the loan exists for its owner with `expected_version`.
fn check_version(tx: &Connection, loan: &Loan, expected_version: u64) -> Result<()> {
    let stored = self::loan(tx, loan.owner(), loan.id())?;
    if stored.version() != expected_version {
        return Err(stale_version(loan.id(), expected_version, stored.version()));
    }
    Ok(())
}

/// Stores `loan` with version `expected_version + 1` by a conditional update (the row must
/// still have `expected_version`), and returns it.
fn put_loan(tx: &Connection, loan: Loan, expected_version: u64) -> Result<Loan> {
    let op = "update loan";
    let loan = loan.stored_after(expected_version);
    let mut values = loan_values(&loan)?;
    let expected = i64::try_from(expected_version)
        .map_err(|_| Error::validation("expected_version", "is too large"))?;
    values.push(Value::Integer(expected));
    let sets: Vec<String> = LOAN_COLUMNS
        .iter()
        .enumerate()
        .skip(2)
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE loans SET {} WHERE id = ?1 AND owner = ?2 AND version = ?{}",
        sets.join(", "),
        LOAN_COLUMNS.len() + 1
    );
    let changed = tx
        .prepare_cached(&sql)
        .and_then(|mut s| s.execute(params_from_iter(values)))
        .map_err(|e| storage(op, e))?;
    if changed != 1 {
        let stored = self::loan(tx, loan.owner(), loan.id())?;
        return Err(stale_version(loan.id(), expected_version, stored.version()));
    }
    Ok(loan)
}

/// The `N` of an id `prefix_N` (or a bare `N`), as [`loansyncro_core::app::ports::SequentialIds`]
/// makes them.
fn sequence_number(id: &str) -> Option<u64> {
    let digits = id.rsplit('_').next()?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Raises the file's id watermark to the number of `id`, if it has one.
fn raise_watermark(tx: &Connection, id: &str) -> Result<()> {
    match sequence_number(id) {
        Some(n) => raise_watermark_to(tx, n),
        None => Ok(()),
    }
}

/// Raises the file's id watermark to `n` (numbers beyond `i64` are left out).
fn raise_watermark_to(tx: &Connection, n: u64) -> Result<()> {
    let Ok(n) = i64::try_from(n) else {
        return Ok(());
    };
    tx.execute("UPDATE id_watermark SET highest = max(highest, ?1)", [n])
        .map_err(|e| storage("raise id watermark", e))?;
    Ok(())
}

fn insert_sql(table: &str, columns: &[&str]) -> String {
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        marks.join(", ")
    )
}

/// Inserts a repayment row, or updates the row with its id; a key already used on the loan is the
/// idempotency conflict (the unique index is the last line of defence behind the checks).
fn put_repayment(tx: &Connection, r: &Repayment, replace: bool) -> Result<()> {
    let op = if replace {
        "replace repayment"
    } else {
        "insert repayment"
    };
    let sql = if replace {
        let sets: Vec<String> = REPAYMENT_COLUMNS
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        format!("UPDATE repayments SET {} WHERE id = ?1", sets.join(", "))
    } else {
        insert_sql("repayments", &REPAYMENT_COLUMNS)
    };
    match tx
        .prepare_cached(&sql)
        .and_then(|mut s| s.execute(params_from_iter(repayment_values(r))))
    {
        Ok(_) => Ok(()),
        // Which uniqueness rule broke is read from the data, never from the message.
        Err(e) if is_unique_violation(&e) => match r.idempotency_key.as_deref() {
            Some(key) if repayment_with_key(tx, &r.loan_id, key, Some(&r.id))?.is_some() => {
                Err(idempotency_conflict(&r.loan_id, key))
            }
            _ => Err(Error::already_exists("repayment", r.id.as_str())),
        },
        Err(e) => Err(storage(op, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

impl UserRepository for SqliteStore {
    async fn get(&self, id: &UserId) -> Result<Option<User>> {
        let conn = self.lock();
        let op = "read user";
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))
            .map_err(|e| storage(op, e))?;
        Ok(collect(&mut stmt, [id.as_str()], op, user_from_row)?.pop())
    }

    async fn upsert(&self, user: User) -> Result<User> {
        self.write("upsert user", |tx| {
            let op = "upsert user";
            tx.execute(
                "INSERT INTO users (id, email, full_name, created_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (id) DO UPDATE SET email = excluded.email, \
                 full_name = excluded.full_name",
                params![
                    user.id.as_str(),
                    user.email,
                    user.full_name,
                    codec::instant(user.created_at)
                ],
            )
            .map_err(|e| storage(op, e))?;
            let mut stmt = tx
                .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))
                .map_err(|e| storage(op, e))?;
            collect(&mut stmt, [user.id.as_str()], op, user_from_row)?
                .pop()
                .ok_or_else(|| Error::not_found("user", user.id.as_str()))
        })
    }

    async fn find_by_email(&self, email: &str) -> Result<Option<User>> {
        let conn = self.lock();
        let op = "find user by e-mail";
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE email = ?1 \
                 ORDER BY created_at, id LIMIT 1"
            ))
            .map_err(|e| storage(op, e))?;
        Ok(collect(&mut stmt, [email], op, user_from_row)?.pop())
    }
}

impl LoanRepository for SqliteStore {
    async fn get(&self, owner: &UserId, id: &LoanId) -> Result<Loan> {
        loan(&self.lock(), owner, id)
    }

    async fn list(&self, owner: &UserId, query: &LoanQuery) -> Result<Page<Loan>> {
        query.validate()?;
        let after = query
            .cursor
            .as_deref()
            .map(LoanCursor::decode)
            .transpose()?;
        let limit = query.limit as usize;
        let conn = self.lock();
        let op = "list loans";
        let mut stmt = conn
            .prepare_cached(&select_loans(
                "WHERE owner = :owner \
                 AND (:after_at IS NULL OR (created_at, id) > (:after_at, :after_id)) \
                 AND (:needle IS NULL OR instr(title_folded, :needle) > 0) \
                 ORDER BY created_at, id LIMIT :n",
            ))
            .map_err(|e| storage(op, e))?;
        let mut items = collect(
            &mut stmt,
            named_params! {
                ":owner": owner.as_str(),
                ":after_at": after.as_ref().map(|c| codec::instant(c.created_at)),
                ":after_id": after.as_ref().map(|c| c.id.to_string()),
                ":needle": query.search_needle(),
                ":n": i64::from(query.limit) + 1,
            },
            op,
            loan_from_row,
        )?;
        let next_cursor = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|last| LoanCursor::after(last).encode())
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    async fn insert(&self, loan: Loan) -> Result<()> {
        let values = loan_values(&loan)?;
        self.write("insert loan", |tx| {
            let exists = || Error::already_exists("loan", loan.id().as_str());
            match tx
                .prepare_cached(&insert_sql("loans", &LOAN_COLUMNS))
                .and_then(|mut s| s.execute(params_from_iter(values)))
            {
                Ok(_) => raise_watermark(tx, loan.id().as_str()),
                Err(e) if is_unique_violation(&e) => Err(exists()),
                Err(e) => Err(storage("insert loan", e)),
            }
        })
    }

    async fn update(&self, loan: Loan, expected_version: u64) -> Result<Loan> {
        self.write("update loan", |tx| {
            check_version(tx, &loan, expected_version)?;
            put_loan(tx, loan, expected_version)
        })
    }

    async fn delete_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> Result<()> {
        // One write transaction: the version check and the deletes commit together or not at all.
        self.write("delete loan", |tx| {
            let op = "delete loan";
            let stored = self::loan(tx, owner, id)?;
            match expected_version {
                Some(expected) if expected != stored.version() => {
                    return Err(stale_version(id, expected, stored.version()));
                }
                _ => {}
            }
            tx.execute("DELETE FROM repayments WHERE loan_id = ?1", [id.as_str()])
                .map_err(|e| storage(op, e))?;
            tx.execute(
                "DELETE FROM loans WHERE id = ?1 AND owner = ?2",
                [id.as_str(), owner.as_str()],
            )
            .map_err(|e| storage(op, e))?;
            Ok(())
        })
    }
}

impl RepaymentRepository for SqliteStore {
    async fn get(&self, owner: &UserId, id: &RepaymentId) -> Result<Repayment> {
        repayment(&self.lock(), owner, id)
    }

    async fn list_for_loan(&self, owner: &UserId, loan_id: &LoanId) -> Result<Vec<Repayment>> {
        self.read("list repayments of a loan", |tx| {
            loan(tx, owner, loan_id)?;
            repayments_of(tx, owner, loan_id)
        })
    }

    async fn list_for_owner(&self, owner: &UserId) -> Result<Vec<Repayment>> {
        let conn = self.lock();
        let op = "list repayments of an owner";
        let columns: Vec<String> = REPAYMENT_COLUMNS.iter().map(|c| format!("r.{c}")).collect();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {} FROM repayments r JOIN loans l ON l.id = r.loan_id \
                 WHERE l.owner = ?1 AND r.owner = ?1",
                columns.join(", ")
            ))
            .map_err(|e| storage(op, e))?;
        let mut reps = collect(&mut stmt, [owner.as_str()], op, repayment_from_row)?;
        reps.sort_by(Repayment::ledger_order);
        Ok(reps)
    }

    async fn find_by_idempotency_key(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
        key: &str,
    ) -> Result<Option<Repayment>> {
        self.read("find repayment by idempotency key", |tx| {
            if loan(tx, owner, loan_id).is_err() {
                return Ok(None);
            }
            let op = "find repayment by idempotency key";
            let mut stmt = tx
                .prepare_cached(&select_repayments(
                    "WHERE loan_id = ?1 AND idempotency_key = ?2 AND owner = ?3",
                ))
                .map_err(|e| storage(op, e))?;
            Ok(collect(
                &mut stmt,
                params![loan_id.as_str(), key, owner.as_str()],
                op,
                repayment_from_row,
            )?
            .pop())
        })
    }
}

impl LedgerStore for SqliteStore {
    async fn loan_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
    ) -> Result<(Loan, Vec<Repayment>)> {
        self.read("read loan with repayments", |tx| {
            let loan = loan(tx, owner, id)?;
            let reps = repayments_of(tx, owner, id)?;
            Ok((loan, reps))
        })
    }

    async fn record_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_repayment_matches_loan(&repayment, &loan)?;
        self.write("record repayment", |tx| {
            self::loan(tx, loan.owner(), loan.id())?;
            let taken: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM repayments WHERE id = ?1",
                    [repayment.id.as_str()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| storage("record repayment", e))?;
            if taken.is_some() {
                return Err(Error::already_exists("repayment", repayment.id.as_str()));
            }
            if let Some(key) = repayment.idempotency_key.as_deref() {
                if repayment_with_key(tx, loan.id(), key, None)?.is_some() {
                    return Err(idempotency_conflict(loan.id(), key));
                }
            }
            check_version(tx, &loan, expected_version)?;
            put_repayment(tx, &repayment, false)?;
            raise_watermark(tx, repayment.id.as_str())?;
            put_loan(tx, loan, expected_version)
        })
    }

    async fn replace_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_repayment_matches_loan(&repayment, &loan)?;
        self.write("replace repayment", |tx| {
            self::loan(tx, loan.owner(), loan.id())?;
            let existing = self::repayment(tx, &repayment.owner, &repayment.id)?;
            if existing.loan_id != repayment.loan_id {
                return Err(Error::not_found("repayment", repayment.id.as_str()));
            }
            if let Some(key) = repayment.idempotency_key.as_deref() {
                if repayment_with_key(tx, loan.id(), key, Some(&repayment.id))?.is_some() {
                    return Err(idempotency_conflict(loan.id(), key));
                }
            }
            check_version(tx, &loan, expected_version)?;
            put_repayment(tx, &repayment, true)?;
            put_loan(tx, loan, expected_version)
        })
    }

    async fn remove_repayment(
        &self,
        owner: &UserId,
        id: &RepaymentId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        loansyncro_core::app::ports::ensure_loan_owner(&loan, owner, "repayment")?;
        self.write("remove repayment", |tx| {
            self::loan(tx, owner, loan.id())?;
            if self::repayment(tx, owner, id)?.loan_id != *loan.id() {
                return Err(Error::not_found("repayment", id.as_str()));
            }
            check_version(tx, &loan, expected_version)?;
            tx.execute("DELETE FROM repayments WHERE id = ?1", [id.as_str()])
                .map_err(|e| storage("remove repayment", e))?;
            put_loan(tx, loan, expected_version)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::sequence_number;

    #[test]
    fn sequence_numbers_of_ids() {
        assert_eq!(sequence_number("loan_000041"), Some(41));
        assert_eq!(sequence_number("000007"), Some(7));
        assert_eq!(sequence_number("a_b_12"), Some(12));
        for none in [
            "loan_",
            "loan-7",
            "loan_7x",
            "",
            "x_99999999999999999999999",
        ] {
            assert_eq!(sequence_number(none), None, "{none:?}");
        }
    }
}
