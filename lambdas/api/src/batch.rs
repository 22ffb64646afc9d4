//! Portfolio scale over HTTP: `POST /batch/positions` and `POST /batch/schedules` compute many
//! loans at once with the core's [`loansyncro_core::ledger::batch`] (nothing stored). Each
//! loan's terms are the `POST /loans` fields (without `title` / `description`), parsed by the
//! same [`LoanInput::into_command`]; every loan gets its own result, in input order, so one bad
//! loan never fails the others. At most [`MAX_BATCH_LOANS`] loans and [`MAX_BATCH_BODY_BYTES`]
//! of body per request.

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use loansyncro_core::ledger::batch::{positions, schedules, BatchLoan, BatchResult};
use loansyncro_core::ledger::LedgerPayment;
use loansyncro_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::biweekly::PlanDto;
use crate::dto::{LoanInput, PositionDto, TermsInput};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Amount, JsonBody};
use crate::openapi::{ErrorBody, ERROR_RESPONSE};
use crate::routes::AuthUser;
use crate::schema::DecimalString;
use crate::{App, Notify, Store};

/// Most loans in one batch request; more is a 400 naming `loans`.
pub const MAX_BATCH_LOANS: usize = 1000;

/// Largest body of a batch request (1 MiB); larger bodies get 413.
pub const MAX_BATCH_BODY_BYTES: usize = 1024 * 1024;

/// Body of `POST /batch/positions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchPositionsInput {
    /// The date of every position.
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub as_of: NaiveDate,
    /// The loans (at most 1000).
    #[schema(max_items = 1000)]
    pub loans: Vec<BatchLoanInput>,
}

/// Body of `POST /batch/schedules`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchSchedulesInput {
    /// The loans (at most 1000; their `repayments` are not used).
    #[schema(max_items = 1000)]
    pub loans: Vec<BatchLoanInput>,
}

/// One loan of a batch.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchLoanInput {
    /// The caller's name for the loan, answered with its result (1..=200 characters).
    #[schema(min_length = 1, max_length = 200)]
    pub key: String,
    /// The terms, as `POST /loans` takes them (without `title` and `description`).
    pub terms: BatchTermsInput,
    /// The repayments made (any order).
    #[serde(default)]
    pub repayments: Vec<BatchRepaymentInput>,
}

/// A loan's terms: the fields of `POST /loans` except `title` and `description`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchTermsInput {
    /// The principal.
    pub amount: Amount,
    /// Annual nominal rate in percent (6.5 = 6.5 %).
    pub interest_rate: Amount,
    /// Number of installments (monthly unless `terms.frequency` says otherwise).
    #[schema(minimum = 1, maximum = 1200)]
    pub term_months: u32,
    /// Disbursement date.
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub start_date: NaiveDate,
    /// The richer terms of the core.
    #[serde(default)]
    pub terms: Option<TermsInput>,
}

/// A repayment of a batch loan.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRepaymentInput {
    /// Payment date.
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Amount paid (> 0).
    pub amount: Amount,
}

/// Why one loan of a batch has no result (the fields of the API's error body).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = BatchError)]
pub struct BatchErrorDto {
    /// The error code (`validation`, `overpayment`, `no_solution`, `overflow`).
    pub code: &'static str,
    /// The offending input, under `loans[i].` (e.g. `loans[7].repayments[2].amount`), or null.
    #[schema(required = true)]
    pub field: Option<String>,
    /// Human-readable reason.
    pub message: String,
    /// For an overpayment: the payoff amount on the repayment date.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<DecimalString>)]
    pub payoff: Option<String>,
}

/// One loan's position, or why it has none.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchPositionDto {
    /// The loan's key.
    pub key: String,
    /// The position (absent with `error`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<PositionDto>,
    /// Why this loan has no position (absent with `position`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<BatchErrorDto>,
}

/// One loan's schedule summary, or why it has none.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchScheduleDto {
    /// The loan's key.
    pub key: String,
    /// Payment, installments, totals and payoff date (absent with `error`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<PlanDto>,
    /// Why this loan has no schedule (absent with `schedule`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<BatchErrorDto>,
}

/// Answer of `POST /batch/positions`: one result per loan, in input order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchPositionsDto {
    /// The results.
    pub results: Vec<BatchPositionDto>,
}

/// Answer of `POST /batch/schedules`: one result per loan, in input order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchSchedulesDto {
    /// The results.
    pub results: Vec<BatchScheduleDto>,
}

#[utoipa::path(post, path = "/batch/positions", tag = "loans", operation_id = "batchPositions",
    summary = "Positions of up to 1000 loans given in the body on one date (nothing stored)",
    request_body = BatchPositionsInput,
    responses((status = 200, description = "one result per loan, in input order", body = BatchPositionsDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn batch_positions<S: Store, N: Notify>(
    AuthUser(_user): AuthUser,
    State(_app): State<App<S, N>>,
    JsonBody(input): JsonBody<BatchPositionsInput, MAX_BATCH_BODY_BYTES>,
) -> ApiResult<Json<BatchPositionsDto>> {
    let as_of = input.as_of;
    let results = off_the_runtime(input.loans, move |loans| positions(loans, as_of))
        .await?
        .into_iter()
        .map(|(key, result)| match result {
            Ok(p) => BatchPositionDto {
                key,
                position: Some(p.into()),
                error: None,
            },
            Err(e) => BatchPositionDto {
                key,
                position: None,
                error: Some(e),
            },
        })
        .collect();
    Ok(Json(BatchPositionsDto { results }))
}

#[utoipa::path(post, path = "/batch/schedules", tag = "loans", operation_id = "batchSchedules",
    summary = "Schedule summaries of up to 1000 loans given in the body (nothing stored)",
    request_body = BatchSchedulesInput,
    responses((status = 200, description = "one result per loan, in input order", body = BatchSchedulesDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn batch_schedules<S: Store, N: Notify>(
    AuthUser(_user): AuthUser,
    State(_app): State<App<S, N>>,
    JsonBody(input): JsonBody<BatchSchedulesInput, MAX_BATCH_BODY_BYTES>,
) -> ApiResult<Json<BatchSchedulesDto>> {
    let results = off_the_runtime(input.loans, schedules)
        .await?
        .into_iter()
        .map(|(key, result)| match result {
            Ok(p) => BatchScheduleDto {
                key,
                schedule: Some(p.into()),
                error: None,
            },
            Err(e) => BatchScheduleDto {
                key,
                schedule: None,
                error: Some(e),
            },
        })
        .collect();
    Ok(Json(BatchSchedulesDto { results }))
}

/// One loan's key and its result or error, in input order.
type Outcome<T> = (String, Result<T, BatchErrorDto>);

/// [`run`] on a blocking thread: a batch is CPU work (up to 1000 loans, on every core), which
/// must not hold up the runtime's other requests.
async fn off_the_runtime<T, F>(
    input: Vec<BatchLoanInput>,
    compute: F,
) -> Result<Vec<Outcome<T>>, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&[BatchLoan]) -> Vec<BatchResult<T>> + Send + 'static,
{
    tokio::task::spawn_blocking(move || run(input, compute))
        .await
        .map_err(|_| ApiError::internal())?
}

/// Checks the request's limits, parses every loan's terms (a loan whose terms are invalid gets
/// its error), runs `compute` over the valid loans and answers every loan in input order.
fn run<T>(
    input: Vec<BatchLoanInput>,
    compute: impl FnOnce(&[BatchLoan]) -> Vec<BatchResult<T>>,
) -> Result<Vec<Outcome<T>>, ApiError> {
    if input.len() > MAX_BATCH_LOANS {
        return Err(ApiError::validation(
            "loans",
            format!(
                "at most {MAX_BATCH_LOANS} loans per request, got {}",
                input.len()
            ),
        ));
    }
    for (i, loan) in input.iter().enumerate() {
        let chars = loan.key.chars().count();
        if !(1..=200).contains(&chars) {
            return Err(ApiError::validation(
                format!("loans[{i}].key"),
                "must be 1 to 200 characters",
            ));
        }
    }
    let mut out: Vec<Outcome<T>> = Vec::with_capacity(input.len());
    // The valid loans, and where each one's result goes in `out`.
    let mut valid = Vec::with_capacity(input.len());
    let mut slots = Vec::with_capacity(input.len());
    for (i, loan) in input.into_iter().enumerate() {
        match loan_terms(loan.terms) {
            Ok(terms) => {
                let payments = loan
                    .repayments
                    .iter()
                    .map(|r| LedgerPayment {
                        date: r.date,
                        amount: r.amount.0,
                    })
                    .collect();
                slots.push(i);
                valid.push(BatchLoan::new(loan.key.clone(), terms, payments));
                // Replaced by the loan's computed result below (the core answers every loan).
                out.push((loan.key, Err(error_dto(i, Error::overflow("batch")))));
            }
            Err(e) => out.push((loan.key, Err(error_dto(i, prefixed("terms", e))))),
        }
    }
    for (j, result) in compute(&valid).into_iter().enumerate() {
        let Some(&i) = slots.get(j) else { continue };
        if let Some(slot) = out.get_mut(i) {
            slot.1 = result.result.map_err(|e| error_dto(i, within_loan(j, e)));
        }
    }
    Ok(out)
}

/// The core terms of a batch loan, by the rule of `POST /loans` (errors name its wire fields).
fn loan_terms(t: BatchTermsInput) -> Result<loansyncro_core::LoanTerms, Error> {
    let input = LoanInput {
        title: "batch".into(),
        amount: t.amount,
        interest_rate: t.interest_rate,
        term_months: t.term_months,
        start_date: t.start_date,
        description: None,
        terms: t.terms,
    };
    Ok(input.into_command()?.terms)
}

/// A validation error's field under `prefix.`.
fn prefixed(prefix: &str, error: Error) -> Error {
    match error {
        Error::Validation { field, reason } => Error::Validation {
            field: format!("{prefix}.{field}"),
            reason,
        },
        other => other,
    }
}

/// The core names a loan by its index `j` among the valid loans (`loans[j].payments[k]`): the
/// field within the loan as the wire names it (`repayments[k]`; [`error_dto`] puts it under the
/// loan's index in the request).
fn within_loan(j: usize, error: Error) -> Error {
    match error {
        Error::Validation { field, reason } => {
            let rest = field
                .strip_prefix(&format!("loans[{j}]."))
                .unwrap_or(&field);
            let rest = match rest.strip_prefix("payments[") {
                Some(tail) => format!("repayments[{tail}"),
                None => rest.to_owned(),
            };
            Error::Validation {
                field: rest,
                reason,
            }
        }
        other => other,
    }
}

/// The error of loan `i` as answered: its field under `loans[i].` (an overpayment names the
/// loan's `repayments`).
fn error_dto(i: usize, error: Error) -> BatchErrorDto {
    let is_validation = matches!(error, Error::Validation { .. });
    let e = ApiError::from(error);
    let field = if is_validation {
        e.field.map(|f| format!("loans[{i}].{f}"))
    } else {
        e.field.map(|_| format!("loans[{i}].repayments"))
    };
    BatchErrorDto {
        code: e.code,
        field,
        message: e.message,
        payoff: e.payoff,
    }
}
