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
//! | 422  | `no_solution`            | `null`     | core [`Error::NoSolution`] (e.g. a plan whose budget never clears a debt) |
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

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
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
