//! `POST /loans/{loan_id}/reconcile`: the lender's statement checked against the loan's terms,
//! and the lender's convention inferred (see [`loansyncro_core::reconcile`]).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDate;
use loansyncro_core::reconcile::{self, csv::CsvMapping, Amounts, LineCheck, StatementLine};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Amount, JsonBody};
use crate::openapi::{ErrorBody, LoanIdParam, ERROR_RESPONSE};
use crate::routes::AuthUser;
use crate::schema::DecimalString;
use crate::{App, Notify, Store};

/// The statement's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementFormat {
    /// `lines`: statement lines as JSON.
    #[default]
    Lines,
    /// `text` is CSV, read with `mapping`.
    Csv,
    /// `text` is an OFX or QFX loan statement (SGML or XML).
    Ofx,
    /// `transactions` (and optionally `liabilities`) are Plaid responses.
    Plaid,
}

/// One statement line as JSON.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementLineInput {
    /// The date the payment was applied.
    pub date: NaiveDate,
    /// The amount paid (0 for a line without a payment).
    pub amount: Amount,
    /// Interest charged.
    #[serde(default)]
    pub interest: Option<Amount>,
    /// Principal repaid.
    #[serde(default)]
    pub principal: Option<Amount>,
    /// Principal balance after the line.
    #[serde(default)]
    pub balance: Option<Amount>,
}

/// Which CSV column holds what (header names, case-insensitive).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsvMappingInput {
    /// The date column.
    pub date: String,
    /// The amount paid (default: interest + principal).
    #[serde(default)]
    pub amount: Option<String>,
    /// The interest column.
    #[serde(default)]
    pub interest: Option<String>,
    /// The principal column.
    #[serde(default)]
    pub principal: Option<String>,
    /// The balance column.
    #[serde(default)]
    pub balance: Option<String>,
    /// chrono date format (default `%Y-%m-%d`).
    #[serde(default)]
    pub date_format: Option<String>,
    /// Field separator (default `,`).
    #[serde(default)]
    pub delimiter: Option<char>,
}

/// Body of `POST /loans/{loan_id}/reconcile`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconcileInput {
    /// How the statement is given (default `lines`).
    #[serde(default)]
    pub format: StatementFormat,
    /// The lines (format `lines`).
    #[serde(default)]
    pub lines: Option<Vec<StatementLineInput>>,
    /// The CSV or OFX text (formats `csv`, `ofx`).
    #[serde(default)]
    #[schema(max_length = 1000000)]
    pub text: Option<String>,
    /// The column mapping (format `csv`).
    #[serde(default)]
    pub mapping: Option<CsvMappingInput>,
    /// A Plaid `/transactions/get` response (format `plaid`).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub transactions: Option<Box<RawValue>>,
    /// A Plaid `/liabilities/get` response (format `plaid`, optional).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub liabilities: Option<Box<RawValue>>,
    /// The Plaid account of the loan (format `plaid`; default: the only one).
    #[serde(default)]
    pub account_id: Option<String>,
}

/// Expected vs stated for one column of a line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmountsDto {
    /// What the loan's terms give under the convention.
    #[schema(value_type = DecimalString)]
    pub expected: Decimal,
    /// What the statement says (null when it does not show the column).
    #[schema(value_type = Option<DecimalString>, required = true)]
    pub stated: Option<Decimal>,
    /// stated − expected (null when not shown).
    #[schema(value_type = Option<DecimalString>, required = true)]
    pub difference: Option<Decimal>,
}

/// One statement line, checked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineCheckDto {
    /// Line number, from 1.
    pub line: usize,
    /// Its date.
    pub date: NaiveDate,
    /// Amount paid.
    #[schema(value_type = DecimalString)]
    pub amount: Decimal,
    /// Interest charged.
    pub interest: AmountsDto,
    /// Principal repaid.
    pub principal: AmountsDto,
    /// Balance after the line.
    pub balance: AmountsDto,
    /// Every shown column agrees to the cent.
    pub matches: bool,
}

/// The convention that explains the statement best.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConventionDto {
    /// Day count of the accrual (`30/360`, `actual/365F`, ...).
    pub day_count: String,
    /// Day count of the level payment when it differs (null: the same).
    #[schema(required = true)]
    pub payment_day_count: Option<String>,
    /// `scheduled` (per period) or `daily` (between payment dates).
    pub accrual: String,
    /// `nominal`, `semi_annual` or `annual`.
    pub compounding: String,
    /// `half_up`, `half_even`, `up` or `down`.
    pub rounding: String,
    /// `round_each_balance` or `carry_precision`.
    pub balance_precision: String,
}

/// The reconciliation of a statement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReconciliationDto {
    /// The loan.
    pub loan_id: String,
    /// The best convention.
    pub convention: ConventionDto,
    /// A sentence for the borrower.
    pub summary: String,
    /// Whether the convention reproduces every line.
    pub explained: bool,
    /// Lines reproduced exactly.
    pub lines_matched: usize,
    /// Lines in the statement.
    pub lines_total: usize,
    /// The first line not reproduced (null when explained).
    #[schema(required = true)]
    pub first_unexplained_line: Option<usize>,
    /// Other conventions that reproduce as many lines.
    pub equally_good: usize,
    /// Conventions tried (the grid's size).
    pub conventions_tried: usize,
    /// Every line, checked.
    pub lines: Vec<LineCheckDto>,
}

impl From<Amounts> for AmountsDto {
    fn from(a: Amounts) -> Self {
        AmountsDto {
            expected: a.expected,
            stated: a.stated,
            difference: a.difference,
        }
    }
}

impl From<LineCheck> for LineCheckDto {
    fn from(l: LineCheck) -> Self {
        LineCheckDto {
            line: l.line,
            date: l.date,
            amount: l.amount,
            interest: l.interest.into(),
            principal: l.principal.into(),
            balance: l.balance.into(),
            matches: l.matches,
        }
    }
}

/// The statement lines of the body, in the given format; a bad statement is a 400 naming the
/// field (`lines[2].amount`, `text` with `csv line 4: interest`, ...).
fn statement_lines(body: ReconcileInput) -> ApiResult<Vec<StatementLine>> {
    let required =
        |name: &str| ApiError::validation(name.to_owned(), "is required with this format");
    Ok(match body.format {
        StatementFormat::Lines => body
            .lines
            .ok_or_else(|| required("lines"))?
            .into_iter()
            .map(|l| StatementLine {
                date: l.date,
                amount: l.amount.0,
                interest: l.interest.map(|a| a.0),
                principal: l.principal.map(|a| a.0),
                balance: l.balance.map(|a| a.0),
            })
            .collect(),
        StatementFormat::Csv => {
            let text = body.text.ok_or_else(|| required("text"))?;
            let m = body.mapping.ok_or_else(|| required("mapping"))?;
            let mut mapping = CsvMapping::columns(
                &m.date,
                m.amount.as_deref(),
                m.interest.as_deref(),
                m.principal.as_deref(),
                m.balance.as_deref(),
            );
            if let Some(format) = m.date_format {
                mapping.date_format = format;
            }
            if let Some(delimiter) = m.delimiter {
                mapping.delimiter = delimiter;
            }
            reconcile::csv::parse(&text, &mapping)?
        }
        StatementFormat::Ofx => reconcile::ofx::parse(&body.text.ok_or_else(|| required("text"))?)?,
        StatementFormat::Plaid => {
            let transactions = body.transactions.ok_or_else(|| required("transactions"))?;
            reconcile::plaid::parse(
                transactions.get(),
                body.liabilities.as_deref().map(RawValue::get),
                body.account_id.as_deref(),
            )?
            .lines
        }
    })
}

#[utoipa::path(post, path = "/loans/{loan_id}/reconcile", tag = "loans", operation_id = "reconcileStatement",
    summary = "Check a lender's statement against the loan and infer the lender's convention",
    description = "The statement as JSON lines, CSV text with a column mapping, OFX/QFX text, or Plaid \
/transactions/get (+ /liabilities/get) responses. Every convention of a 224-point grid (day count, payment \
basis, accrual, compounding, rounding mode, rounding place) replays the stated payments; the one that \
reproduces the most lines exactly is reported with each line's expected vs stated amounts.",
    params(LoanIdParam), request_body = ReconcileInput,
    responses((status = 200, description = "the reconciliation", body = ReconciliationDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn reconcile_statement<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<ReconcileInput>,
) -> ApiResult<Json<ReconciliationDto>> {
    let id = crate::routes::loan_id(path)?;
    let view = app.service.get_loan(&user, &id).await?;
    let lines = statement_lines(body)?;
    let report = reconcile::reconcile(view.loan.terms(), &lines)?;
    let c = report.convention;
    Ok(Json(ReconciliationDto {
        loan_id: id.into_string(),
        convention: ConventionDto {
            day_count: c.day_count.to_string(),
            payment_day_count: c.payment_day_count.map(|d| d.to_string()),
            accrual: c.accrual.to_string(),
            compounding: c.compounding.to_string(),
            rounding: c.rounding.to_string(),
            balance_precision: c.balance_precision.to_string(),
        },
        summary: report.summary,
        explained: report.explained,
        lines_matched: report.lines_matched,
        lines_total: lines.len(),
        first_unexplained_line: report.first_unexplained_line,
        equally_good: report.equally_good,
        conventions_tried: report.conventions_tried,
        lines: report.lines.into_iter().map(LineCheckDto::from).collect(),
    }))
}
