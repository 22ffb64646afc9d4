//! Request ids, access logs, CORS and the OPTIONS responder.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderName, HeaderValue, Method, StatusCode};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::config::CorsOrigins;

/// The request id header (echoed from a sane incoming value, else generated).
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, in the request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

fn sane_request_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = (1..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then(|| text.to_owned())
}

/// Answers 503 with `Retry-After` and the JSON error shape when the handler has not answered
/// within `limit` (whatever the database or the identity provider does). The handler's work is
/// dropped at that point: a write may or may not have been stored, which is why clients retry
/// writes with the same `Idempotency-Key`.
pub async fn deadline(
    axum::extract::State(limit): axum::extract::State<Duration>,
    req: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(
                limit_ms = limit.as_millis() as u64,
                "request deadline exceeded"
            );
            crate::error::ApiError::deadline(limit).into_response()
        }
    }
}

/// Assigns the request id, and logs one structured line per request: request id, method,
/// route template (never the concrete path with ids), status and latency. Never a token, an
/// e-mail or an amount.
pub async fn request_id_and_log(mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(sane_request_id)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let mut response = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    if status >= 500 {
        tracing::error!(target: "loansyncro_api::access", request_id = %id, method = %method, route = %route, status, latency_us, "request");
    } else {
        tracing::info!(target: "loansyncro_api::access", request_id = %id, method = %method, route = %route, status, latency_us, "request");
    }
    response
}

/// Answers `OPTIONS` on any path that is not a CORS preflight (those are answered by the CORS
/// layer) with 204 and the methods of the API.
pub async fn options(req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        response.headers_mut().insert(
            header::ALLOW,
            HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"),
        );
        return response;
    }
    next.run(req).await
}

/// The CORS layer: preflights answered for every path, bearer tokens (no credentials mode).
pub fn cors(origins: &CorsOrigins) -> CorsLayer {
    let allow_origin = match origins {
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::List(list) => AllowOrigin::list(list.clone()),
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            HeaderName::from_static("idempotency-key"),
            REQUEST_ID,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            REQUEST_ID,
            HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// A panic (a bug) answers 500 in the API's error shape instead of dropping the connection.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    crate::error::ApiError::internal().into_response()
}
