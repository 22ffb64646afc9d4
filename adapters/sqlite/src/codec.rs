//! Rows <-> entities. Money is the decimal's own string (`1000.50`: exact, scale kept, never
//! through `f64`), dates are `YYYY-MM-DD`, instants RFC 3339 UTC with 9 fraction digits (fixed
//! width, so the text order of `created_at` is the time order the listing needs), terms are
//! JSON (decimals as strings).

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use loansyncro_core::domain::loan::{Loan, LoanAggregates, LoanId, LoanRecord};
use loansyncro_core::domain::repayment::{Repayment, RepaymentId};
use loansyncro_core::domain::status::LoanStatus;
use loansyncro_core::domain::user::{User, UserId};
use loansyncro_core::error::{Error, Result};
use loansyncro_core::ledger::LedgerCheckpoint;
use loansyncro_core::schedule::terms::LoanTermsBuilder;
use rusqlite::types::Value;
use rusqlite::Row;
use rust_decimal::Decimal;

use crate::error::{corrupt, storage};

/// The loan columns, in the order [`loan_values`] gives them.
pub const LOAN_COLUMNS: [&str; 24] = [
    "id",
    "owner",
    "title",
    "title_folded",
    "description",
    "terms",
    "status",
    "version",
    "created_at",
    "updated_at",
    "total_repaid",
    "repayment_count",
    "last_payment_date",
    "position_as_of",
    "principal_paid",
    "interest_paid",
    "principal_outstanding",
    "amount_due",
    "payoff_amount",
    "remaining_scheduled",
    "days_past_due",
    "owner_status",
    "ledger_checkpoint",
    "schema_version",
];

/// The layout version of the loan rows this library writes (column `schema_version`): from 2
/// on, the terms were validated when the row was written, so reading it does not check them
/// again ([`LoanTermsBuilder::build_stored`]); rows of earlier files (1) are validated on read.
pub const LOAN_SCHEMA_VERSION: i64 = 2;

/// The repayment columns, in the order [`repayment_values`] gives them.
pub const REPAYMENT_COLUMNS: [&str; 8] = [
    "id",
    "loan_id",
    "owner",
    "amount",
    "date",
    "notes",
    "idempotency_key",
    "created_at",
];

/// The user columns.
pub const USER_COLUMNS: &str = "id, email, full_name, created_at";

/// An instant as stored: RFC 3339 UTC with exactly 9 fraction digits.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
/// assert_eq!(loansyncro_sqlite::codec::instant(t), "2025-01-02T03:04:05.000000000Z");
/// ```
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// A date as stored (`YYYY-MM-DD`).
pub fn date(d: NaiveDate) -> String {
    d.to_string()
}

/// A decimal as stored: its exact string, scale kept (`1000.50`).
///
/// ```
/// use rust_decimal_macros::dec;
/// assert_eq!(loansyncro_sqlite::codec::money(dec!(1000.50)), "1000.50");
/// ```
pub fn money(value: Decimal) -> String {
    value.to_string()
}

/// Checks that `at` can be a listing key: the fixed-width text order is the time order for
/// years 1..=9999 only.
pub fn check_sortable_instant(field: &str, at: DateTime<Utc>) -> Result<()> {
    use chrono::Datelike;
    if (1..=9999).contains(&at.year()) {
        Ok(())
    } else {
        Err(Error::validation(field, "must be in the years 1 to 9999"))
    }
}

fn int(value: u64, what: &str) -> Result<i64> {
    i64::try_from(value).map_err(|_| Error::validation(what, "is too large to store"))
}

/// A loan as the values of [`LOAN_COLUMNS`].
pub fn loan_values(loan: &Loan) -> Result<Vec<Value>> {
    check_sortable_instant("created_at", loan.created_at())?;
    let terms = serde_json::to_string(&loan.terms()).map_err(|e| Error::Storage {
        operation: "sqlite: encode loan terms".into(),
        message: e.to_string(),
    })?;
    let a = &loan.aggregates();
    let opt_date = |d: Option<NaiveDate>| d.map_or(Value::Null, |d| Value::Text(date(d)));
    Ok(vec![
        Value::Text(loan.id().to_string()),
        Value::Text(loan.owner().to_string()),
        Value::Text(loan.title().to_owned()),
        Value::Text(loan.title().to_lowercase()),
        Value::Text(loan.description().to_owned()),
        Value::Text(terms),
        Value::Text(loan.status().as_str().to_owned()),
        Value::Integer(int(loan.version(), "version")?),
        Value::Text(instant(loan.created_at())),
        Value::Text(instant(loan.updated_at())),
        Value::Text(money(a.total_repaid)),
        Value::Integer(i64::from(a.repayment_count)),
        opt_date(a.last_payment_date),
        opt_date(a.position_as_of),
        Value::Text(money(a.principal_paid)),
        Value::Text(money(a.interest_paid)),
        Value::Text(money(a.principal_outstanding)),
        Value::Text(money(a.amount_due)),
        Value::Text(money(a.payoff_amount)),
        Value::Text(money(a.remaining_scheduled)),
        Value::Integer(i64::from(a.days_past_due)),
        a.owner_status
            .map_or(Value::Null, |s| Value::Text(s.as_str().to_owned())),
        a.ledger_checkpoint
            .as_ref()
            .map_or(Value::Null, |c| Value::Text(c.to_string())),
        Value::Integer(LOAN_SCHEMA_VERSION),
    ])
}

/// A repayment as the values of [`REPAYMENT_COLUMNS`].
pub fn repayment_values(r: &Repayment) -> Vec<Value> {
    vec![
        Value::Text(r.id.to_string()),
        Value::Text(r.loan_id.to_string()),
        Value::Text(r.owner.to_string()),
        Value::Text(money(r.amount)),
        Value::Text(date(r.date)),
        Value::Text(r.notes.clone()),
        r.idempotency_key.clone().map_or(Value::Null, Value::Text),
        Value::Text(instant(r.created_at)),
    ]
}

/// Reads the columns of one row, naming the table, row and column in every error.
struct Reader<'a, 'r> {
    table: &'static str,
    id: String,
    row: &'a Row<'r>,
}

impl<'a, 'r> Reader<'a, 'r> {
    fn new(table: &'static str, row: &'a Row<'r>) -> Reader<'a, 'r> {
        let id = row.get::<_, String>("id").unwrap_or_default();
        Reader { table, id, row }
    }

    fn fail(&self, column: &str, reason: impl std::fmt::Display) -> Error {
        corrupt(self.table, &self.id, column, reason)
    }

    fn opt_text(&self, column: &str) -> Result<Option<String>> {
        self.row
            .get::<_, Option<String>>(column)
            .map_err(|e| self.fail(column, e))
    }

    fn text(&self, column: &str) -> Result<String> {
        self.opt_text(column)?
            .ok_or_else(|| self.fail(column, "is NULL"))
    }

    fn parse<T: FromStr>(&self, column: &str) -> Result<T>
    where
        T::Err: std::fmt::Display,
    {
        let text = self.text(column)?;
        text.parse::<T>()
            .map_err(|e| self.fail(column, format!("{text:?}: {e}")))
    }

    fn opt_date(&self, column: &str) -> Result<Option<NaiveDate>> {
        self.opt_text(column)?
            .map(|t| NaiveDate::from_str(&t).map_err(|e| self.fail(column, format!("{t:?}: {e}"))))
            .transpose()
    }

    fn instant(&self, column: &str) -> Result<DateTime<Utc>> {
        let text = self.text(column)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| self.fail(column, format!("{text:?}: {e}")))
    }

    fn unsigned(&self, column: &str) -> Result<u64> {
        let v: i64 = self.row.get(column).map_err(|e| self.fail(column, e))?;
        u64::try_from(v).map_err(|_| self.fail(column, format!("{v} is negative")))
    }

    fn id<T>(&self, column: &str, make: impl FnOnce(String) -> Result<T>) -> Result<T> {
        let text = self.text(column)?;
        make(text).map_err(|e| self.fail(column, e))
    }
}

/// The loan in a row selected with [`LOAN_COLUMNS`].
pub fn loan_from_row(row: &Row<'_>) -> Result<Loan> {
    let r = Reader::new("loans", row);
    let terms_json = r.text("terms")?;
    let builder: LoanTermsBuilder =
        serde_json::from_str(&terms_json).map_err(|e| r.fail("terms", format!("{e}")))?;
    let schema: i64 = r
        .row
        .get("schema_version")
        .map_err(|e| r.fail("schema_version", e))?;
    let terms = if schema >= LOAN_SCHEMA_VERSION {
        builder.build_stored()
    } else {
        builder.build()
    }
    .map_err(|e| r.fail("terms", e))?;
    let count = r.unsigned("repayment_count")?;
    Ok(Loan::restore(LoanRecord {
        id: r.id("id", LoanId::new)?,
        owner: r.id("owner", UserId::new)?,
        title: r.text("title")?,
        description: r.text("description")?,
        terms,
        status: r.parse::<LoanStatus>("status")?,
        version: r.unsigned("version")?,
        created_at: r.instant("created_at")?,
        updated_at: r.instant("updated_at")?,
        aggregates: LoanAggregates {
            total_repaid: r.parse("total_repaid")?,
            repayment_count: u32::try_from(count)
                .map_err(|_| r.fail("repayment_count", "too large"))?,
            last_payment_date: r.opt_date("last_payment_date")?,
            position_as_of: r.opt_date("position_as_of")?,
            principal_paid: r.parse("principal_paid")?,
            interest_paid: r.parse("interest_paid")?,
            principal_outstanding: r.parse("principal_outstanding")?,
            amount_due: r.parse("amount_due")?,
            payoff_amount: r.parse("payoff_amount")?,
            remaining_scheduled: r.parse("remaining_scheduled")?,
            days_past_due: u32::try_from(r.unsigned("days_past_due")?)
                .map_err(|_| r.fail("days_past_due", "too large"))?,
            owner_status: r
                .opt_text("owner_status")?
                .map(|t| {
                    t.parse::<LoanStatus>()
                        .map_err(|e| r.fail("owner_status", format!("{t:?}: {e}")))
                })
                .transpose()?,
            // A checkpoint of another version or a malformed one is dropped: the next write
            // replays the ledger and stores a new one.
            ledger_checkpoint: r
                .opt_text("ledger_checkpoint")?
                .and_then(|t| t.parse::<LedgerCheckpoint>().ok()),
        },
    }))
}

/// The repayment in a row selected with [`REPAYMENT_COLUMNS`].
pub fn repayment_from_row(row: &Row<'_>) -> Result<Repayment> {
    let r = Reader::new("repayments", row);
    Ok(Repayment {
        id: r.id("id", RepaymentId::new)?,
        loan_id: r.id("loan_id", LoanId::new)?,
        owner: r.id("owner", UserId::new)?,
        amount: r.parse("amount")?,
        date: r.parse("date")?,
        notes: r.text("notes")?,
        idempotency_key: r.opt_text("idempotency_key")?,
        created_at: r.instant("created_at")?,
    })
}

/// The user in a row selected with [`USER_COLUMNS`].
pub fn user_from_row(row: &Row<'_>) -> Result<User> {
    let r = Reader::new("users", row);
    Ok(User {
        id: r.id("id", UserId::new)?,
        email: r.text("email")?,
        full_name: r.text("full_name")?,
        created_at: r.instant("created_at")?,
    })
}

/// Runs `read` on every row of `stmt` with `params` (a storage error names `operation`).
pub fn collect<T, P: rusqlite::Params>(
    stmt: &mut rusqlite::Statement<'_>,
    params: P,
    operation: &str,
    read: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut rows = stmt.query(params).map_err(|e| storage(operation, e))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| storage(operation, e))? {
        out.push(read(row)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    #[test]
    fn instants_are_fixed_width_and_sort_as_time() {
        let a = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let b = a + chrono::Duration::nanoseconds(1);
        let c = a + chrono::Duration::seconds(10);
        let (ta, tb, tc) = (instant(a), instant(b), instant(c));
        assert_eq!(ta.len(), tb.len());
        assert_eq!(tb, "2025-01-01T00:00:00.000000001Z");
        assert!(ta < tb && tb < tc);
        assert_eq!(
            DateTime::parse_from_rfc3339(&tb)
                .unwrap()
                .with_timezone(&Utc),
            b
        );
    }

    #[test]
    fn money_keeps_its_scale() {
        for v in [
            dec!(1000.50),
            dec!(0.000001),
            dec!(-12.3400),
            dec!(79228162514264337593543950335),
        ] {
            let back: Decimal = money(v).parse().unwrap();
            assert_eq!(back, v);
            assert_eq!(back.scale(), v.scale(), "{v}");
        }
    }

    #[test]
    fn listing_keys_outside_four_digit_years_are_refused() {
        let far = Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            check_sortable_instant("created_at", far)
                .unwrap_err()
                .field(),
            Some("created_at")
        );
        let ok = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap();
        assert!(check_sortable_instant("created_at", ok).is_ok());
    }
}
