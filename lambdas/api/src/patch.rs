//! `PATCH /loans/{loan_id}`: a JSON merge patch (RFC 7396; `application/merge-patch+json` or
//! `application/json`) of a loan's descriptive fields, `title` and `description`. The
//! financial terms are changed with `PUT` only: naming one here is a 400 naming the field.
//! `If-Match` is honoured like `PUT` (412 on another version); the answer carries the new ETag.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use http::HeaderMap;
use loansyncro_core::app::edits::LoanPatch;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::dto::LoanDto;
use crate::error::{ApiError, ApiResult};
use crate::extract::{if_match, JsonBody};
use crate::openapi::{ErrorBody, IfMatchParam, LoanIdParam, ERROR_RESPONSE};
use crate::routes::{loan_id, with_etag, AuthUser};
use crate::{App, Notify, Store};

/// The fields of a loan that only `PUT` changes (its financial terms).
const FINANCIAL: [&str; 5] = [
    "amount",
    "interest_rate",
    "term_months",
    "start_date",
    "terms",
];

/// The fields of a loan that are derived or kept by the server.
const READ_ONLY: [&str; 14] = [
    "id",
    "status",
    "currency",
    "version",
    "monthly_payment",
    "total_amount",
    "total_interest",
    "total_repaid",
    "repayment_count",
    "last_payment_date",
    "created_at",
    "updated_at",
    "owner",
    "user_id",
];

/// Body of `PATCH /loans/{loan_id}` (a merge patch: an absent field is kept).
// The schema of the document only: the handler reads a JSON object with `loan_patch`, which
// tells `null` from an absent key.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
#[schema(as = LoanPatch)]
pub struct LoanPatchInput {
    /// The new title (1..=200 characters once trimmed; null is not allowed).
    #[schema(min_length = 1, max_length = 200, nullable = false)]
    pub title: Option<String>,
    /// The new description (null or "" clears it).
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

/// The patch a merge-patch document asks for; every other key is a 400 naming it.
pub fn loan_patch(document: Map<String, Value>) -> ApiResult<LoanPatch> {
    let mut patch = LoanPatch::default();
    for (key, value) in document {
        match (key.as_str(), value) {
            ("title", Value::String(text)) => patch.title = Some(text),
            ("title", Value::Null) => {
                return Err(ApiError::validation(
                    "title",
                    "cannot be removed: a loan always has a title",
                ))
            }
            ("description", Value::String(text)) => patch.description = Some(text),
            ("description", Value::Null) => patch.description = Some(String::new()),
            ("title" | "description", _) => {
                return Err(ApiError::validation(key, "must be a string"))
            }
            (k, _) if FINANCIAL.contains(&k) => {
                return Err(ApiError::validation(
                    key,
                    "is a financial term: PATCH changes title and description only; \
                     replace the terms with PUT /loans/{loan_id}",
                ))
            }
            ("status", _) => {
                return Err(ApiError::validation(
                    key,
                    "is read-only here: change it with POST /loans/{loan_id}/status",
                ))
            }
            (k, _) if READ_ONLY.contains(&k) => {
                return Err(ApiError::validation(key, "is read-only"))
            }
            _ => return Err(ApiError::validation(key, "unknown field")),
        }
    }
    Ok(patch)
}

#[utoipa::path(patch, path = "/loans/{loan_id}", tag = "loans", operation_id = "patchLoan",
    summary = "Change a loan's title or description (JSON merge patch; If-Match = ETag, mismatch 412)",
    params(LoanIdParam, IfMatchParam),
    request_body(content((LoanPatchInput = "application/merge-patch+json"), (LoanPatchInput = "application/json"))),
    responses((status = 200, description = "updated (new ETag)", body = LoanDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn patch_loan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    JsonBody(document): JsonBody<Map<String, Value>>,
) -> ApiResult<Response> {
    let id = loan_id(path)?;
    let expected = if_match(&headers)?;
    let patch = loan_patch(document)?;
    if patch == LoanPatch::default() {
        // An empty merge patch changes nothing (and writes nothing).
        let dto = LoanDto::from(app.service.get_loan(&user, &id).await?);
        if expected.is_some_and(|v| v != dto.version) {
            return Err(ApiError::precondition_failed(dto.version));
        }
        return Ok(with_etag(dto.version, Json(&dto)));
    }
    let outcome = app
        .service
        .patch_loan(&user, &id, &patch, expected)
        .await
        .map_err(ApiError::from_if_match)?;
    let dto = LoanDto::from_loan(outcome.loan)?;
    Ok(with_etag(dto.version, Json(&dto)))
}
