//! Versioned schema migrations.
//!
//! The file's schema version is SQLite's `PRAGMA user_version` (0 for a new file). Each
//! [`Migration`] moves the file from `version - 1` to `version` in one transaction that also
//! sets `user_version`, so a file is always exactly at one version: a crash during a migration
//! leaves it at the previous one. A file written by a newer library (a version above
//! [`LATEST_VERSION`]) is refused rather than guessed at.
//!
//! The steps are the SQL files under `migrations/` in the crate, compiled in.
//!
//! ```
//! use loansyncro_sqlite::schema::{migrate, schema_version, LATEST_VERSION};
//! let mut conn = rusqlite::Connection::open_in_memory().unwrap();
//! assert_eq!(schema_version(&conn).unwrap(), 0);
//! assert_eq!(migrate(&mut conn).unwrap(), (0, LATEST_VERSION));
//! assert_eq!(schema_version(&conn).unwrap(), LATEST_VERSION);
//! assert_eq!(migrate(&mut conn).unwrap(), (LATEST_VERSION, LATEST_VERSION), "idempotent");
//! ```

use rusqlite::{Connection, TransactionBehavior};

use loansyncro_core::error::{Error, Result};

use crate::error::storage;

/// One step of the schema: the SQL that takes a file from `version - 1` to `version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The version the file has after this step.
    pub version: u32,
    /// What the step does, in a few words.
    pub name: &'static str,
    /// The SQL script.
    pub sql: &'static str,
}

/// Every migration, in order; `MIGRATIONS[i].version == i + 1`.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "listing indexes",
        sql: include_str!("../migrations/0002_listing_indexes.sql"),
    },
    Migration {
        version: 3,
        name: "id watermark",
        sql: include_str!("../migrations/0003_id_watermark.sql"),
    },
    Migration {
        version: 4,
        name: "status as of a date",
        sql: include_str!("../migrations/0004_status_as_of.sql"),
    },
    Migration {
        version: 5,
        name: "ledger checkpoint",
        sql: include_str!("../migrations/0005_ledger_checkpoint.sql"),
    },
    Migration {
        version: 6,
        name: "recurring plans",
        sql: include_str!("../migrations/0006_recurring_plans.sql"),
    },
    Migration {
        version: 7,
        name: "balance corrections",
        sql: include_str!("../migrations/0007_balance_corrections.sql"),
    },
];

/// The schema version this library writes.
pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

/// The file's schema version (`PRAGMA user_version`).
pub fn schema_version(conn: &Connection) -> Result<u32> {
    let v: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| storage("read schema version", e))?;
    u32::try_from(v).map_err(|_| Error::Storage {
        operation: "read schema version".into(),
        message: format!("user_version {v} is not a schema version of this library"),
    })
}

/// Brings the file to [`LATEST_VERSION`]; returns `(version before, version after)`.
pub fn migrate(conn: &mut Connection) -> Result<(u32, u32)> {
    migrate_to(conn, LATEST_VERSION)
}

/// Brings the file to schema version `target` (at most [`LATEST_VERSION`]), applying each
/// missing step in its own immediate transaction. Refuses a file newer than `target`, and a
/// `target` this library does not know. Returns `(version before, version after)`.
///
/// Tests use it to write files of older versions.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<(u32, u32)> {
    if target > LATEST_VERSION {
        return Err(Error::validation(
            "schema_version",
            format!("this library knows versions up to {LATEST_VERSION}, not {target}"),
        ));
    }
    let before = schema_version(conn)?;
    if before > target {
        return Err(Error::Storage {
            operation: "migrate".into(),
            message: format!(
                "the file has schema version {before}, newer than {target} (this library \
                 knows up to {LATEST_VERSION}): open it with a newer LoanSyncro"
            ),
        });
    }
    for step in MIGRATIONS
        .iter()
        .filter(|m| m.version > before && m.version <= target)
    {
        let op = format!("migrate to schema version {} ({})", step.version, step.name);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| storage(&op, e))?;
        // Another process may have migrated between our read and our lock.
        let now = schema_version(&tx)?;
        if now >= step.version {
            continue;
        }
        tx.execute_batch(step.sql).map_err(|e| storage(&op, e))?;
        tx.pragma_update(None, "user_version", i64::from(step.version))
            .map_err(|e| storage(&op, e))?;
        tx.commit().map_err(|e| storage(&op, e))?;
    }
    Ok((before, schema_version(conn)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.name);
            assert!(!m.sql.trim().is_empty());
        }
        assert_eq!(LATEST_VERSION, 7);
    }

    #[test]
    fn steps_one_at_a_time_reach_the_same_schema_as_all_at_once() {
        let dump = |conn: &Connection| -> Vec<(String, String)> {
            let mut stmt = conn
                .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let mut stepwise = Connection::open_in_memory().unwrap();
        assert_eq!(migrate_to(&mut stepwise, 1).unwrap(), (0, 1));
        let v1 = dump(&stepwise);
        assert!(v1.iter().any(|(n, _)| n == "repayments_idempotency"));
        assert!(!v1.iter().any(|(n, _)| n == "loans_by_owner"));
        assert_eq!(migrate_to(&mut stepwise, 2).unwrap(), (1, 2));
        assert_eq!(migrate_to(&mut stepwise, 3).unwrap(), (2, 3));
        assert_eq!(migrate_to(&mut stepwise, 4).unwrap(), (3, 4));
        assert_eq!(migrate_to(&mut stepwise, 5).unwrap(), (4, 5));
        assert_eq!(migrate_to(&mut stepwise, 6).unwrap(), (5, 6));
        assert_eq!(migrate_to(&mut stepwise, 7).unwrap(), (6, 7));
        let mut direct = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut direct).unwrap(), (0, 7));
        assert_eq!(dump(&stepwise), dump(&direct));
    }

    #[test]
    fn a_newer_file_or_an_unknown_target_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert_eq!(err.code(), "storage");
        assert!(err.to_string().contains("schema version 99"), "{err}");
        let mut fresh = Connection::open_in_memory().unwrap();
        let err = migrate_to(&mut fresh, LATEST_VERSION + 1).unwrap_err();
        assert_eq!(err.field(), Some("schema_version"));
        assert_eq!(schema_version(&fresh).unwrap(), 0, "nothing applied");
    }

    #[test]
    fn a_failing_step_leaves_the_previous_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 1).unwrap();
        // Make step 2 fail half-way: its second index's name is taken.
        conn.execute_batch("CREATE TABLE repayments_by_loan_blocker (x); CREATE INDEX repayments_by_loan ON repayments_by_loan_blocker (x);")
            .unwrap();
        assert!(migrate(&mut conn).is_err());
        assert_eq!(schema_version(&conn).unwrap(), 1);
        let loans_index: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'loans_by_owner'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(loans_index, 0, "the step's first statement was rolled back");
    }
}
