//! Shared test harness: one generated RSA key per test binary, an in-memory store, a fixed
//! clock, and a helper that calls the router in-process (`tower::ServiceExt::oneshot`).
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use chrono::NaiveDate;
use http::{HeaderMap, Method, Request, StatusCode};
use loansyncro_api::{ApiConfig, App, AuthConfig, Authenticator, DynClock, DynIds, Routes};
use loansyncro_core::app::ports::{FixedClock, RecordingNotifier, SequentialIds};
use loansyncro_core::app::service::LoanService;
use loansyncro_devkeys::DevIssuer;
use loansyncro_memory::MemoryStore;
use serde_json::Value;
use tower::ServiceExt;

pub const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST";
pub const CLIENT: &str = "test-client";

/// The test key (generated once per test binary; no private key is checked in).
pub fn issuer() -> &'static DevIssuer {
    static KEY: OnceLock<DevIssuer> = OnceLock::new();
    KEY.get_or_init(|| DevIssuer::generate("test-kid", ISSUER, CLIENT).unwrap())
}

pub fn token(sub: &str) -> String {
    issuer()
        .id_token(sub, &format!("{sub}@example.com"), "Test User", 3600)
        .unwrap()
}

pub fn auth_config() -> AuthConfig {
    // The JWKS URL points at a closed loopback port: only preloaded keys are known.
    AuthConfig::for_issuer(ISSUER, vec![CLIENT.to_owned()])
        .with_jwks_url("http://127.0.0.1:9/.well-known/jwks.json")
}

pub struct Harness {
    pub router: Router,
    pub store: Arc<MemoryStore>,
    pub notifier: Arc<RecordingNotifier>,
    pub clock: Arc<FixedClock>,
}

pub fn harness_with(config: ApiConfig, auth: Authenticator) -> Harness {
    let store = Arc::new(MemoryStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    let clock = Arc::new(FixedClock::at_date(
        NaiveDate::from_ymd_opt(2025, 6, 15).unwrap(),
    ));
    let service = LoanService::new(
        Arc::clone(&store),
        Arc::clone(&notifier),
        DynClock(clock.clone()),
        DynIds(Arc::new(SequentialIds::new())),
    );
    let router = App::new(service, auth, config).router(Routes::All);
    Harness {
        router,
        store,
        notifier,
        clock,
    }
}

pub fn harness() -> Harness {
    let jwks = serde_json::to_vec(&issuer().jwks()).unwrap();
    harness_with(
        ApiConfig::default(),
        Authenticator::with_jwks(auth_config(), &jwks).unwrap(),
    )
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    pub fn error_field(&self) -> &str {
        self.body["error"]["field"].as_str().unwrap_or("")
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Reply {
        status,
        headers,
        body,
    }
}

pub fn request(
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        builder = builder.header("authorization", format!("Bearer {t}"));
    }
    match body {
        Some(b) => builder
            .header("content-type", "application/json")
            .body(Body::from(serde_json::to_vec(b).unwrap()))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    }
}

pub async fn call(
    router: &Router,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    send(router, request(method, uri, token, body.as_ref())).await
}

pub fn loan_body(title: &str) -> Value {
    serde_json::json!({
        "title": title,
        "amount": "1000.00",
        "interest_rate": "12",
        "term_months": 12,
        "start_date": "2025-01-01",
        "description": "test loan"
    })
}

pub async fn create_loan(router: &Router, token: &str, title: &str) -> String {
    let r = call(
        router,
        Method::POST,
        "/loans",
        Some(token),
        Some(loan_body(title)),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

pub const SHORT: Duration = Duration::from_millis(50);
