//! [`CorrectionStore`] for [`SqliteStore`] on the `balance_corrections` table (schema
//! version 7): corrections are deleted with their loan (foreign key, `ON DELETE CASCADE`); an
//! idempotency key is unique per loan (a partial unique index); every write checks the loan's
//! version and stores the loan in the same `BEGIN IMMEDIATE` transaction.

use chrono::{DateTime, NaiveDate, Utc};
use loansyncro_core::app::ports::{
    check_correction_matches_loan, idempotency_conflict, CorrectionStore,
};
use loansyncro_core::domain::correction::{BalanceCorrection, CorrectionId};
use loansyncro_core::domain::loan::{Loan, LoanId};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};
use rust_decimal::Decimal;

use super::{check_version, loan, put_loan, raise_watermark, SqliteStore};
use crate::codec::{collect, date, instant, money};
use crate::error::{corrupt, storage};

const COLUMNS: &str = "id, owner, loan_id, correction_date, stated_balance, amount, reason, \
                       idempotency_key, created_at";

/// The correction in a row selected with [`COLUMNS`].
fn from_row(row: &Row<'_>) -> Result<BalanceCorrection> {
    let id: String = row
        .get("id")
        .map_err(|e| corrupt("balance_corrections", "?", "id", e))?;
    let fail = |column: &str, reason: String| corrupt("balance_corrections", &id, column, reason);
    let text = |column: &str| -> Result<Option<String>> {
        row.get::<_, Option<String>>(column)
            .map_err(|e| fail(column, e.to_string()))
    };
    let required = |column: &str| -> Result<String> {
        text(column)?.ok_or_else(|| fail(column, "is NULL".into()))
    };
    let decimal = |column: &str| -> Result<Decimal> {
        let t = required(column)?;
        t.parse().map_err(|e| fail(column, format!("{t:?}: {e}")))
    };
    let day_text = required("correction_date")?;
    let day: NaiveDate = day_text
        .parse()
        .map_err(|e| fail("correction_date", format!("{day_text:?}: {e}")))?;
    let created_text = required("created_at")?;
    Ok(BalanceCorrection {
        id: CorrectionId::new(id.clone()).map_err(|e| fail("id", e.to_string()))?,
        loan_id: LoanId::new(required("loan_id")?).map_err(|e| fail("loan_id", e.to_string()))?,
        owner: UserId::new(required("owner")?).map_err(|e| fail("owner", e.to_string()))?,
        date: day,
        stated_balance: decimal("stated_balance")?,
        amount: decimal("amount")?,
        reason: required("reason")?,
        idempotency_key: text("idempotency_key")?,
        created_at: DateTime::parse_from_rfc3339(&created_text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| fail("created_at", format!("{created_text:?}: {e}")))?,
    })
}

fn of_loan(tx: &Connection, owner: &UserId, loan_id: &LoanId) -> Result<Vec<BalanceCorrection>> {
    let op = "read balance corrections";
    let mut stmt = tx
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM balance_corrections WHERE loan_id = ?1 AND owner = ?2 \
             ORDER BY correction_date, created_at, id"
        ))
        .map_err(|e| storage(op, e))?;
    collect(
        &mut stmt,
        params![loan_id.as_str(), owner.as_str()],
        op,
        from_row,
    )
}

/// The `(owner, loan_id)` of correction `id`, if it exists.
fn owner_and_loan(tx: &Connection, id: &CorrectionId) -> Result<Option<(String, String)>> {
    tx.query_row(
        "SELECT owner, loan_id FROM balance_corrections WHERE id = ?1",
        [id.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
    .map_err(|e| storage("read balance correction", e))
}

impl CorrectionStore for SqliteStore {
    async fn corrections_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> Result<Vec<BalanceCorrection>> {
        self.read("list balance corrections", |tx| {
            loan(tx, owner, loan_id)?;
            of_loan(tx, owner, loan_id)
        })
    }

    async fn record_correction(
        &self,
        correction: BalanceCorrection,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_correction_matches_loan(&correction, &loan)?;
        let op = "record balance correction";
        self.write(op, |tx| {
            self::loan(tx, loan.owner(), loan.id())?;
            if owner_and_loan(tx, &correction.id)?.is_some() {
                return Err(Error::already_exists("correction", correction.id.as_str()));
            }
            if let Some(key) = correction.idempotency_key.as_deref() {
                let used: Option<i64> = tx
                    .query_row(
                        "SELECT 1 FROM balance_corrections WHERE loan_id = ?1 AND idempotency_key = ?2",
                        params![loan.id().as_str(), key],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(|e| storage(op, e))?;
                if used.is_some() {
                    return Err(idempotency_conflict(loan.id(), key));
                }
            }
            check_version(tx, &loan, expected_version)?;
            tx.execute(
                &format!("INSERT INTO balance_corrections ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                params![
                    correction.id.as_str(),
                    correction.owner.as_str(),
                    correction.loan_id.as_str(),
                    date(correction.date),
                    money(correction.stated_balance),
                    money(correction.amount),
                    correction.reason,
                    correction.idempotency_key,
                    instant(correction.created_at),
                ],
            )
            .map_err(|e| storage(op, e))?;
            raise_watermark(tx, correction.id.as_str())?;
            put_loan(tx, loan, expected_version)
        })
    }

    async fn remove_correction(
        &self,
        owner: &UserId,
        id: &CorrectionId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        loansyncro_core::app::ports::ensure_loan_owner(&loan, owner, "correction")?;
        let op = "remove balance correction";
        self.write(op, |tx| {
            self::loan(tx, owner, loan.id())?;
            match owner_and_loan(tx, id)? {
                Some((o, l)) if o == owner.as_str() && l == loan.id().as_str() => {}
                _ => return Err(Error::not_found("correction", id.as_str())),
            }
            check_version(tx, &loan, expected_version)?;
            tx.execute(
                "DELETE FROM balance_corrections WHERE id = ?1",
                [id.as_str()],
            )
            .map_err(|e| storage(op, e))?;
            put_loan(tx, loan, expected_version)
        })
    }
}
