//! The one error shape of the API: `{"error": {"code", "message", "field"}}`, and the mapping
//! from the core's [`Error`] to HTTP statuses.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use loansyncro_core::Error;
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
