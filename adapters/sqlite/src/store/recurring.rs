//! [`RecurringPlanRepository`] for [`SqliteStore`] on the `recurring_plans` table (schema
//! version 6): plans are deleted with their loan (foreign key, `ON DELETE CASCADE`); the due
//! listing reads the partial index on `(next_due, id)`; `advance_plan` is one conditional
//! `UPDATE ... WHERE next_due < ?` (never backwards, whatever another runner does).

use chrono::{DateTime, NaiveDate, Utc};
use loansyncro_core::app::ports::{
    check_due_limit, DueCursor, RecurringPlanRepository, StoredPlan,
};
use loansyncro_core::domain::loan::LoanId;
use loansyncro_core::domain::repayment::{PlanId, RecurringPlan};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::error::{Error, Result};
use rusqlite::{params, Connection, ErrorCode, Row};

use super::SqliteStore;
use crate::codec::{collect, date, instant, money};
use crate::error::{corrupt, is_unique_violation, storage};

const PLAN_COLUMNS: &str =
    "id, owner, loan_id, amount, frequency, first_date, end_date, created_at, next_due";

/// The plan in a row selected with [`PLAN_COLUMNS`].
fn plan_from_row(row: &Row<'_>) -> Result<StoredPlan> {
    let id: String = row
        .get("id")
        .map_err(|e| corrupt("recurring_plans", "?", "id", e))?;
    let fail = |column: &str, reason: String| corrupt("recurring_plans", &id, column, reason);
    let text = |column: &str| -> Result<Option<String>> {
        row.get::<_, Option<String>>(column)
            .map_err(|e| fail(column, e.to_string()))
    };
    let required = |column: &str| -> Result<String> {
        text(column)?.ok_or_else(|| fail(column, "is NULL".into()))
    };
    let day = |column: &str| -> Result<Option<NaiveDate>> {
        text(column)?
            .map(|t| t.parse().map_err(|e| fail(column, format!("{t:?}: {e}"))))
            .transpose()
    };
    let frequency_json = required("frequency")?;
    let frequency = serde_json::from_str(&frequency_json)
        .map_err(|e| fail("frequency", format!("{frequency_json:?}: {e}")))?;
    let amount_text = required("amount")?;
    let created_text = required("created_at")?;
    let plan = RecurringPlan {
        id: PlanId::new(id.clone()).map_err(|e| fail("id", e.to_string()))?,
        loan_id: LoanId::new(required("loan_id")?).map_err(|e| fail("loan_id", e.to_string()))?,
        amount: amount_text
            .parse()
            .map_err(|e| fail("amount", format!("{amount_text:?}: {e}")))?,
        frequency,
        first_date: day("first_date")?.ok_or_else(|| fail("first_date", "is NULL".into()))?,
        end: day("end_date")?,
    };
    Ok(StoredPlan {
        plan,
        owner: UserId::new(required("owner")?).map_err(|e| fail("owner", e.to_string()))?,
        created_at: DateTime::parse_from_rfc3339(&created_text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| fail("created_at", format!("{created_text:?}: {e}")))?,
        next_due: day("next_due")?,
    })
}

fn select(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<StoredPlan>> {
    let op = "read recurring plans";
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {PLAN_COLUMNS} FROM recurring_plans {filter}"
        ))
        .map_err(|e| storage(op, e))?;
    collect(&mut stmt, params, op, plan_from_row)
}

fn owned(conn: &Connection, owner: &UserId, id: &PlanId) -> Result<StoredPlan> {
    select(
        conn,
        "WHERE id = ?1 AND owner = ?2",
        params![id.as_str(), owner.as_str()],
    )?
    .pop()
    .ok_or_else(|| Error::not_found("plan", id.as_str()))
}

/// Whether `error` is a FOREIGN KEY constraint violation (the plan's loan is absent).
fn is_foreign_key_violation(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
        && error.sqlite_extended_error_code() == Some(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

impl RecurringPlanRepository for SqliteStore {
    async fn insert_plan(&self, plan: StoredPlan) -> Result<()> {
        let op = "insert recurring plan";
        let frequency =
            serde_json::to_string(&plan.plan.frequency).map_err(|e| Error::Storage {
                operation: format!("sqlite: {op}"),
                message: e.to_string(),
            })?;
        self.write(op, |tx| {
            let inserted = tx.execute(
                "INSERT INTO recurring_plans (id, owner, loan_id, amount, frequency, first_date, \
                 end_date, created_at, next_due) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    plan.plan.id.as_str(),
                    plan.owner.as_str(),
                    plan.plan.loan_id.as_str(),
                    money(plan.plan.amount),
                    frequency,
                    date(plan.plan.first_date),
                    plan.plan.end.map(date),
                    instant(plan.created_at),
                    plan.next_due.map(date),
                ],
            );
            match inserted {
                Ok(_) => Ok(()),
                Err(e) if is_unique_violation(&e) => {
                    Err(Error::already_exists("plan", plan.plan.id.as_str()))
                }
                Err(e) if is_foreign_key_violation(&e) => {
                    Err(Error::not_found("loan", plan.plan.loan_id.as_str()))
                }
                Err(e) => Err(storage(op, e)),
            }
        })
    }

    async fn get_plan(&self, owner: &UserId, id: &PlanId) -> Result<StoredPlan> {
        self.read("read recurring plan", |tx| owned(tx, owner, id))
    }

    async fn plans_for_loan(&self, owner: &UserId, loan_id: &LoanId) -> Result<Vec<StoredPlan>> {
        self.read("list recurring plans of a loan", |tx| {
            select(
                tx,
                "WHERE loan_id = ?1 AND owner = ?2 ORDER BY created_at, id",
                params![loan_id.as_str(), owner.as_str()],
            )
        })
    }

    async fn delete_plan(&self, owner: &UserId, id: &PlanId) -> Result<()> {
        let op = "delete recurring plan";
        self.write(op, |tx| {
            let deleted = tx
                .execute(
                    "DELETE FROM recurring_plans WHERE id = ?1 AND owner = ?2",
                    params![id.as_str(), owner.as_str()],
                )
                .map_err(|e| storage(op, e))?;
            if deleted == 0 {
                return Err(Error::not_found("plan", id.as_str()));
            }
            Ok(())
        })
    }

    async fn due_plans(
        &self,
        as_of: NaiveDate,
        after: Option<&DueCursor>,
        limit: u32,
    ) -> Result<Vec<StoredPlan>> {
        check_due_limit(limit)?;
        let (after_due, after_id) = match after {
            Some(c) => (Some(date(c.next_due)), Some(c.id.as_str())),
            None => (None, None),
        };
        self.read("list due recurring plans", |tx| {
            select(
                tx,
                "WHERE next_due IS NOT NULL AND next_due <= ?1 \
                 AND (?2 IS NULL OR (next_due, id) > (?2, ?3)) \
                 ORDER BY next_due, id LIMIT ?4",
                params![date(as_of), after_due, after_id, i64::from(limit)],
            )
        })
    }

    async fn advance_plan(
        &self,
        owner: &UserId,
        id: &PlanId,
        next_due: Option<NaiveDate>,
    ) -> Result<bool> {
        let op = "advance recurring plan";
        self.write(op, |tx| {
            // NULL (ended) is after every date; an ended plan never moves.
            let changed = tx
                .execute(
                    "UPDATE recurring_plans SET next_due = ?3 WHERE id = ?1 AND owner = ?2 \
                     AND next_due IS NOT NULL AND (?3 IS NULL OR next_due < ?3)",
                    params![id.as_str(), owner.as_str(), next_due.map(date)],
                )
                .map_err(|e| storage(op, e))?;
            if changed == 0 {
                owned(tx, owner, id)?;
            }
            Ok(changed == 1)
        })
    }
}
