//! Balance corrections of a loan: `POST|GET /loans/{loan_id}/corrections` and
//! `DELETE /loans/{loan_id}/corrections/{correction_id}`. The lender's stated balance is booked
//! as an adjustment with its reason (never a repayment); the corrected position shows it
//! apart from the repayments. Another user's loan is 404.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use http::{HeaderMap, HeaderValue, StatusCode};
use loansyncro_core::app::corrections::{CorrectedLedger, CorrectionOutcome};
use loansyncro_core::domain::correction::{BalanceCorrection, CorrectionId, NewCorrection};
use loansyncro_core::domain::loan::LoanId;
use loansyncro_core::ledger::AdjustedPosition;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::dto::PositionDto;
use crate::error::{ApiError, ApiResult};
use crate::extract::{idempotency_key, query_pairs, Amount, JsonBody};
use crate::openapi::{ErrorBody, LoanIdParam, ERROR_RESPONSE};
use crate::routes::{date_param, loan_id, AuthUser};
use crate::schema::DecimalString;
use crate::{App, Notify, Store};

/// Body of `POST /loans/{loan_id}/corrections`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    /// The date of the lender's balance (not before the loan's start, not in the future).
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// The principal balance the lender states on `date` (>= 0).
    pub stated_balance: Amount,
    /// Why (required), e.g. "lender statement 2026-03".
    pub reason: String,
}

/// A booked correction.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = BalanceCorrection)]
pub struct CorrectionDto {
    /// Its id.
    pub id: String,
    /// The loan.
    pub loan_id: String,
    /// The date of the stated balance.
    pub date: NaiveDate,
    /// The lender's principal balance.
    #[schema(value_type = DecimalString)]
    pub stated_balance: Decimal,
    /// The adjustment booked: stated minus the engine's balance on `date` (signed).
    #[schema(value_type = DecimalString)]
    pub adjustment: Decimal,
    /// Why.
    pub reason: String,
    /// The idempotency key it was booked with, or null.
    #[schema(required = true)]
    pub idempotency_key: Option<String>,
    /// When it was booked.
    pub created_at: DateTime<Utc>,
}

impl From<BalanceCorrection> for CorrectionDto {
    fn from(c: BalanceCorrection) -> Self {
        CorrectionDto {
            id: c.id.into_string(),
            loan_id: c.loan_id.into_string(),
            date: c.date,
            stated_balance: c.stated_balance,
            adjustment: c.amount,
            reason: c.reason,
            idempotency_key: c.idempotency_key,
            created_at: c.created_at,
        }
    }
}

/// A position with the corrections: `principal_outstanding` includes them, the paid totals
/// are the repayments only, `adjustments` is their net.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectedPositionDto {
    /// The position.
    pub position: PositionDto,
    /// The net of the corrections applied up to the position's date (signed).
    #[schema(value_type = DecimalString)]
    pub adjustments: Decimal,
}

impl From<AdjustedPosition> for CorrectedPositionDto {
    fn from(p: AdjustedPosition) -> Self {
        CorrectedPositionDto {
            position: PositionDto::from(p.position),
            adjustments: p.adjustments,
        }
    }
}

/// What booking a correction answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionOutcomeDto {
    /// The correction (the first one on an idempotent retry).
    pub correction: CorrectionDto,
    /// The corrected position on the correction's date.
    pub position: CorrectedPositionDto,
    /// True when the idempotency key was used already (nothing new booked).
    pub replayed: bool,
}

impl From<CorrectionOutcome> for CorrectionOutcomeDto {
    fn from(o: CorrectionOutcome) -> Self {
        CorrectionOutcomeDto {
            correction: o.correction.into(),
            position: o.position.into(),
            replayed: o.replayed,
        }
    }
}

/// A loan's corrections and its corrected position.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectedLedgerDto {
    /// The loan.
    pub loan_id: String,
    /// Every correction, by date (also those after the position's date).
    pub corrections: Vec<CorrectionDto>,
    /// The corrected position.
    pub position: CorrectedPositionDto,
}

impl CorrectedLedgerDto {
    fn new(loan_id: LoanId, l: CorrectedLedger) -> Self {
        CorrectedLedgerDto {
            loan_id: loan_id.into_string(),
            corrections: l.corrections.into_iter().map(CorrectionDto::from).collect(),
            position: l.position.into(),
        }
    }
}

/// The `{correction_id}` path parameter.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(crate) struct CorrectionIdParam {
    /// The correction's id.
    #[param(min_length = 1, max_length = 128)]
    correction_id: String,
}

#[utoipa::path(post, path = "/loans/{loan_id}/corrections", tag = "corrections", operation_id = "recordCorrection",
    summary = "Book the lender's stated balance on a date as an adjustment with a reason",
    params(LoanIdParam, ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 200, pattern = "^[!-~]+$",
        description = "retries with the same key answer the first correction")),
    request_body = CorrectionInput,
    responses(
        (status = 201, description = "booked", body = CorrectionOutcomeDto),
        (status = 200, description = "an idempotent retry: the first correction (Idempotent-Replayed: true)", body = CorrectionOutcomeDto),
        (status = "default", description = ERROR_RESPONSE, body = ErrorBody),
    ))]
pub(crate) async fn record_correction<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    JsonBody(input): JsonBody<CorrectionInput>,
) -> ApiResult<Response> {
    let loan = loan_id(path)?;
    let mut command = NewCorrection::new(input.date, input.stated_balance.0, input.reason);
    command.idempotency_key = idempotency_key(&headers)?;
    let outcome = app.service.record_correction(&user, &loan, command).await?;
    let replayed = outcome.replayed;
    let status = if replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let mut response = (status, Json(CorrectionOutcomeDto::from(outcome))).into_response();
    if replayed {
        response.headers_mut().insert(
            http::HeaderName::from_static("idempotent-replayed"),
            HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

#[utoipa::path(get, path = "/loans/{loan_id}/corrections", tag = "corrections", operation_id = "listCorrections",
    summary = "The loan's balance corrections and its corrected position on a date",
    params(LoanIdParam, ("as_of" = Option<NaiveDate>, Query, description = "date of the position (default today, or the start if later)")),
    responses((status = 200, description = "the corrected ledger", body = CorrectedLedgerDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn list_corrections<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<CorrectedLedgerDto>> {
    let loan = loan_id(path)?;
    let pairs = query_pairs(query.as_deref())?;
    let as_of = date_param(&pairs, "as_of")?;
    let ledger = app.service.corrected_ledger(&user, &loan, as_of).await?;
    Ok(Json(CorrectedLedgerDto::new(loan, ledger)))
}

#[utoipa::path(delete, path = "/loans/{loan_id}/corrections/{correction_id}", tag = "corrections", operation_id = "deleteCorrection",
    summary = "Undo a balance correction; answers the corrected ledger without it",
    params(LoanIdParam, CorrectionIdParam),
    responses((status = 200, description = "deleted: the corrected ledger now", body = CorrectedLedgerDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn delete_correction<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult<Json<CorrectedLedgerDto>> {
    let Path((loan, correction)) =
        path.map_err(|_| ApiError::validation("correction_id", "is not a valid id"))?;
    let (loan, correction) = (LoanId::new(loan)?, CorrectionId::new(correction)?);
    let ledger = app
        .service
        .delete_correction(&user, &loan, &correction)
        .await?;
    Ok(Json(CorrectedLedgerDto::new(loan, ledger)))
}
