//! The one error shape of the API: `{"error": {"code", "message", "field"}}`, and the mapping
//! from the core's [`Error`] to HTTP statuses. Every `code` the API answers is built here, and
//! nowhere else; the codes are stable (clients match on them, never on `message`).
//!
//! # Error codes
//!
//! | HTTP | `code`                   | `field`    | when |
//! |------|--------------------------|------------|------|
//! | 400  | `validation`             | the input  | an input is invalid: core [`Error::Validation`], or the API's own parsing (path ids, query, body shape, `If-Match` syntax) |
//! | 400  | `malformed_json`         | `null`     | the body is not JSON |
//! | 401  | `unauthorized`           | `null`     | missing, malformed, expired or foreign bearer token |
//! | 404  | `not_found`              | `null`     | the loan or repayment does not exist or is somebody else's (core [`Error::NotFound`]), or no route serves the path |
//! | 405  | `method_not_allowed`     | `null`     | the route exists, not with this method |
//! | 408  | `request_timeout`        | `null`     | the body was not received in time |
//! | 409  | `conflict`               | `null`     | core [`Error::Conflict`], any [`ConflictKind`]: an idempotency key used for another amount or date, an id that exists, a stale version of a write without `If-Match` |
//! | 409  | `invalid_transition`     | `null`     | core [`Error::InvalidTransition`] (e.g. curing an active loan) |
//! | 412  | `precondition_failed`    | `If-Match` | `If-Match` names another version than the stored one (the [`ConflictKind::StaleVersion`] of a conditional write); the message names the current version |
//! | 413  | `payload_too_large`      | `null`     | the body is larger than the limit |
//! | 415  | `unsupported_media_type` | `null`     | the body is not `application/json` |
//! | 422  | `no_solution`            | `null`     | core [`Error::NoSolution`] (a computation without a solution; `POST /plan` answers a budget that never clears a loan as a 400 on `monthly_budget` naming the loan) |
//! | 422  | `overflow`               | `null`     | core [`Error::Overflow`] |
//! | 422  | `overpayment`            | `amount`   | core [`Error::Overpayment`]; the body also has `payoff` (decimal string) |
//! | 500  | `internal`               | `null`     | a bug (a panic), answered in this shape |
//! | 503  | `storage`                | `null`     | core [`Error::Storage`] (the adapter's message is logged, not answered); `Retry-After: 1` |
//! | 503  | `busy`                   | `null`     | a `PUT` without `If-Match` kept losing to concurrent writes; `Retry-After: 1` |
//! | 503  | `auth_unavailable`       | `null`     | the identity provider's keys cannot be fetched; `Retry-After: 1` |
//! | 503  | `timeout`                | `null`     | the request did not complete within the deadline; `Retry-After: 1` |
//!
//! ```
//! use http::StatusCode;
//! use loansyncro_api::error::ApiError;
//! use loansyncro_core::Error;
//! let e = ApiError::from(Error::validation("principal", "must be greater than zero"));
//! assert_eq!(
//!     (e.status, e.code, e.field.as_deref()),
//!     (StatusCode::BAD_REQUEST, "validation", Some("principal"))
//! );
//! ```

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use loansyncro_core::{ConflictKind, Error, MathError};
use serde::Serialize;

/// An error answered to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code (`validation`, `not_found`, `unauthorized`, ...).
    pub code: &'static str,
    /// Human-readable message (never contains a token, an e-mail or an amount of the request).
    pub message: String,
    /// The offending input field, when there is one.
    pub field: Option<String>,
    /// For an overpayment: the payoff amount on the repayment date (decimal string).
    pub payoff: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub(crate) struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ErrorDetail)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::schema::DecimalString>)]
    payoff: Option<&'a str>,
}

impl ApiError {
    /// An error with no field.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            payoff: None,
        }
    }

    /// A 400 naming `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.into()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "validation", message)
        }
    }

    /// A 400 for a body that is not JSON at all.
    pub fn malformed(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", message)
    }

    /// 401 with a reason.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 404 for a path no route serves.
    pub fn no_route() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
    }

    /// 405.
    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "method not allowed on this route",
        )
    }

    /// 412: `If-Match` names another version than the stored one.
    pub fn precondition_failed(current: u64) -> ApiError {
        ApiError {
            field: Some("If-Match".into()),
            ..ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                format!("If-Match does not match the current version \"{current}\""),
            )
        }
    }

    /// 413.
    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("request body larger than {limit} bytes"),
        )
    }

    /// 503: the request did not complete within the API's deadline.
    pub fn deadline(limit: std::time::Duration) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request did not complete within {} ms, retry later (writes with the same Idempotency-Key)",
                limit.as_millis()
            ),
        )
    }

    /// 503: a `PUT` without `If-Match` kept losing to concurrent writes.
    pub fn busy() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the loan kept changing, retry later",
        )
    }

    /// 503: the identity provider's signing keys are unavailable.
    pub fn auth_unavailable() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "auth_unavailable",
            "the identity provider's keys are unavailable, retry later",
        )
    }

    /// 408: the request body was not received in time.
    pub fn request_timeout() -> ApiError {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "the request body was not received in time",
        )
    }

    /// 500: a bug (a panic), in the API's error shape.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }

    /// A core error of a conditional write (`If-Match`): a stale version is 412 naming the
    /// stored version; anything else maps as `From<Error>`.
    pub fn from_if_match(error: Error) -> ApiError {
        match error {
            Error::Conflict {
                kind: ConflictKind::StaleVersion { stored, .. },
            } => ApiError::precondition_failed(stored),
            other => other.into(),
        }
    }

    /// 415.
    pub fn unsupported_media_type() -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the request body must be application/json",
        )
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        let body = Body {
            error: Inner {
                code: self.code,
                message: &self.message,
                field: self.field.as_deref(),
                payoff: self.payoff.as_deref(),
            },
        };
        serde_json::to_string(&body).unwrap_or_else(|_| {
            r#"{"error":{"code":"internal","message":"error","field":null}}"#.to_owned()
        })
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        let message = error.to_string();
        let code = error.code();
        match error {
            Error::Validation { field, reason } => ApiError::validation(field, reason),
            Error::NoSolution { .. } | Error::Overflow { .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            Error::NotFound { entity, id } => ApiError::new(
                StatusCode::NOT_FOUND,
                code,
                format!("{entity} {id} not found"),
            ),
            Error::Conflict { .. } => ApiError::new(StatusCode::CONFLICT, code, message),
            Error::InvalidTransition { .. } => ApiError::new(StatusCode::CONFLICT, code, message),
            Error::Overpayment { payoff, date, .. } => ApiError {
                field: Some("amount".into()),
                payoff: Some(payoff.to_string()),
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    code,
                    format!("the amount exceeds the payoff amount {payoff} on {date}"),
                )
            },
            Error::Storage { operation, .. } => {
                // The adapter's message may echo stored values: log it, answer without it.
                tracing::error!(operation = %operation, "storage error");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    code,
                    "storage is unavailable, retry later",
                )
            }
        }
    }
}

impl From<MathError> for ApiError {
    fn from(error: MathError) -> ApiError {
        Error::from(error).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Result of a handler.
pub type ApiResult<T> = std::result::Result<T, ApiError>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::NaiveDate;
    use loansyncro_core::domain::loan::LoanId;
    use loansyncro_core::domain::status::{LoanStatus, TransitionRefusal};
    use rust_decimal::Decimal;

    /// Status, code, field and payoff.
    type Shape<'a> = (StatusCode, &'a str, Option<&'a str>, Option<&'a str>);

    fn shape(e: &ApiError) -> Shape<'_> {
        (e.status, e.code, e.field.as_deref(), e.payoff.as_deref())
    }

    fn stale() -> Error {
        Error::conflict(ConflictKind::StaleVersion {
            loan_id: LoanId::new("l1").unwrap(),
            expected: 1,
            stored: 4,
        })
    }

    #[test]
    fn every_core_variant_maps_to_its_status_code_and_field() {
        let date = NaiveDate::from_ymd_opt(2025, 2, 5).unwrap();
        let cases: Vec<(Error, Shape<'_>, &str)> = vec![
            (
                Error::validation("principal", "must be greater than zero"),
                (StatusCode::BAD_REQUEST, "validation", Some("principal"), None),
                "must be greater than zero",
            ),
            (
                Error::no_solution("no root"),
                (StatusCode::UNPROCESSABLE_ENTITY, "no_solution", None, None),
                "no solution: no root",
            ),
            (
                Error::overflow("pmt"),
                (StatusCode::UNPROCESSABLE_ENTITY, "overflow", None, None),
                "arithmetic overflow in pmt",
            ),
            (
                Error::not_found("loan", "l9"),
                (StatusCode::NOT_FOUND, "not_found", None, None),
                "loan l9 not found",
            ),
            (
                stale(),
                (StatusCode::CONFLICT, "conflict", None, None),
                "conflict: stale version of loan l1: expected 1, stored 4",
            ),
            (
                Error::conflict(ConflictKind::ConcurrentWrite {
                    loan_id: LoanId::new("l1").unwrap(),
                }),
                (StatusCode::CONFLICT, "conflict", None, None),
                "conflict: stale version of loan l1: a concurrent write changed it; reload and retry",
            ),
            (
                Error::conflict(ConflictKind::IdempotencyKeyReused {
                    loan_id: LoanId::new("l1").unwrap(),
                    key: "k".into(),
                }),
                (StatusCode::CONFLICT, "conflict", None, None),
                r#"conflict: idempotency key "k" already used on loan l1"#,
            ),
            (
                Error::conflict(ConflictKind::IdempotencyKeyMismatch {
                    key: "k".into(),
                    amount: Decimal::new(10662, 2),
                    date,
                }),
                (StatusCode::CONFLICT, "conflict", None, None),
                r#"conflict: idempotency key "k" was used for a repayment of 106.62 on 2025-02-05"#,
            ),
            (
                Error::already_exists("loan", "l1"),
                (StatusCode::CONFLICT, "conflict", None, None),
                "conflict: loan l1 already exists",
            ),
            (
                Error::InvalidTransition {
                    from: LoanStatus::Active,
                    to: LoanStatus::Active,
                    reason: TransitionRefusal::AlreadyInStatus,
                },
                (StatusCode::CONFLICT, "invalid_transition", None, None),
                "invalid status transition from active to active: the loan is already active",
            ),
            (
                Error::Overpayment {
                    payoff: Decimal::new(110000, 2),
                    attempted: Decimal::new(110001, 2),
                    date,
                },
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "overpayment",
                    Some("amount"),
                    Some("1100.00"),
                ),
                "the amount exceeds the payoff amount 1100.00 on 2025-02-05",
            ),
            (
                Error::Storage {
                    operation: "PutItem on loans".into(),
                    message: "secret detail".into(),
                },
                (StatusCode::SERVICE_UNAVAILABLE, "storage", None, None),
                "storage is unavailable, retry later",
            ),
        ];
        for (error, expected, message) in cases {
            let api = ApiError::from(error.clone());
            assert_eq!(shape(&api), expected, "{error:?}");
            assert_eq!(api.message, message, "{error:?}");
            // The core's code is the API's code for every core error.
            assert_eq!(api.code, error.code());
        }
    }

    #[test]
    fn math_errors_map_like_the_core_errors_they_become() {
        let cases = [
            MathError::validation("rate", "must be finite"),
            MathError::no_solution("no root"),
            MathError::overflow("fv"),
        ];
        for e in cases {
            assert_eq!(ApiError::from(e.clone()), ApiError::from(Error::from(e)));
        }
    }

    #[test]
    fn a_stale_conditional_write_is_412_naming_the_stored_version() {
        let api = ApiError::from_if_match(stale());
        assert_eq!(
            shape(&api),
            (
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                Some("If-Match"),
                None
            )
        );
        assert_eq!(
            api.message,
            "If-Match does not match the current version \"4\""
        );
        // Anything else maps as usual.
        let other = Error::not_found("loan", "l1");
        assert_eq!(
            ApiError::from_if_match(other.clone()),
            ApiError::from(other)
        );
        let key = Error::already_exists("loan", "l1");
        assert_eq!(ApiError::from_if_match(key.clone()), ApiError::from(key));
    }

    #[test]
    fn the_api_own_errors_have_their_documented_status_code_and_field() {
        let cases = [
            (
                ApiError::validation("limit", "bad"),
                (StatusCode::BAD_REQUEST, "validation", Some("limit"), None),
            ),
            (
                ApiError::malformed("x"),
                (StatusCode::BAD_REQUEST, "malformed_json", None, None),
            ),
            (
                ApiError::unauthorized("x"),
                (StatusCode::UNAUTHORIZED, "unauthorized", None, None),
            ),
            (
                ApiError::no_route(),
                (StatusCode::NOT_FOUND, "not_found", None, None),
            ),
            (
                ApiError::method_not_allowed(),
                (
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method_not_allowed",
                    None,
                    None,
                ),
            ),
            (
                ApiError::request_timeout(),
                (StatusCode::REQUEST_TIMEOUT, "request_timeout", None, None),
            ),
            (
                ApiError::precondition_failed(3),
                (
                    StatusCode::PRECONDITION_FAILED,
                    "precondition_failed",
                    Some("If-Match"),
                    None,
                ),
            ),
            (
                ApiError::too_large(10),
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    None,
                    None,
                ),
            ),
            (
                ApiError::unsupported_media_type(),
                (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    None,
                    None,
                ),
            ),
            (
                ApiError::internal(),
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", None, None),
            ),
            (
                ApiError::busy(),
                (StatusCode::SERVICE_UNAVAILABLE, "busy", None, None),
            ),
            (
                ApiError::auth_unavailable(),
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "auth_unavailable",
                    None,
                    None,
                ),
            ),
            (
                ApiError::deadline(std::time::Duration::from_millis(50)),
                (StatusCode::SERVICE_UNAVAILABLE, "timeout", None, None),
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(shape(&error), expected, "{error:?}");
        }
    }

    #[test]
    fn the_body_is_the_one_error_shape() {
        let body = ApiError::from(Error::Overpayment {
            payoff: Decimal::new(5, 0),
            attempted: Decimal::new(6, 0),
            date: NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
        })
        .body();
        assert_eq!(
            body,
            r#"{"error":{"code":"overpayment","message":"the amount exceeds the payoff amount 5 on 2025-01-02","field":"amount","payoff":"5"}}"#
        );
        assert_eq!(
            ApiError::from(stale()).body(),
            r#"{"error":{"code":"conflict","message":"conflict: stale version of loan l1: expected 1, stored 4","field":null}}"#
        );
    }
}
