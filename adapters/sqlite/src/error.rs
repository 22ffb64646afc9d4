//! SQLite failures as the core's [`Error`]: constraint violations that are domain outcomes
//! are recognised by the store; everything else is [`Error::Storage`] naming the operation.

use loansyncro_core::error::Error;
use rusqlite::ErrorCode;

/// A failed SQLite call during `operation`, as [`Error::Storage`].
pub fn storage(operation: &str, error: rusqlite::Error) -> Error {
    Error::Storage {
        operation: format!("sqlite: {operation}"),
        message: error.to_string(),
    }
}

/// A value read from the file that is not what the schema promises (a hand-edited file, a
/// bug), naming the table, row and column.
pub fn corrupt(table: &str, id: &str, column: &str, reason: impl std::fmt::Display) -> Error {
    Error::Storage {
        operation: format!("sqlite: read {table} row {id:?}"),
        message: format!("column {column}: {reason}"),
    }
}

/// Whether `error` is a UNIQUE or PRIMARY KEY constraint violation.
pub fn is_unique_violation(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
        && matches!(
            error.sqlite_extended_error_code(),
            Some(
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            )
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_are_recognised() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id TEXT PRIMARY KEY, k TEXT UNIQUE, n INTEGER NOT NULL)",
        )
        .unwrap();
        conn.execute("INSERT INTO t VALUES ('a', 'x', 1)", [])
            .unwrap();
        let pk = conn
            .execute("INSERT INTO t VALUES ('a', 'y', 1)", [])
            .unwrap_err();
        let unique = conn
            .execute("INSERT INTO t VALUES ('b', 'x', 1)", [])
            .unwrap_err();
        let not_null = conn
            .execute("INSERT INTO t VALUES ('c', 'z', NULL)", [])
            .unwrap_err();
        assert!(is_unique_violation(&pk));
        assert!(is_unique_violation(&unique));
        assert!(!is_unique_violation(&not_null));
        let e = storage("insert t", not_null);
        assert_eq!(e.code(), "storage");
        assert!(e.to_string().contains("sqlite: insert t"), "{e}");
    }
}
