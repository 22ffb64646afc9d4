//! The repayment answers written by `loansyncro_api::wire` (not by axum's `Json`), end to end:
//! the JSON content type, well-formed JSON with free text escaped, the rows of the projection
//! in their order and key order, and an idempotent retry answering the very same bytes.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use http::{Method, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;

/// Free text serde_json must escape.
const NOTES: &str = "a \"quoted\" \\ note\n\t\u{1} é 日本 😀";

/// Sends a request; gives the status, the content type and the raw body.
async fn raw(
    h: &Harness,
    method: Method,
    uri: &str,
    body: Option<Value>,
    key: Option<&str>,
) -> (StatusCode, String, Vec<u8>, bool) {
    let mut request = request(method, uri, Some(&token("alice")), body.as_ref());
    if let Some(key) = key {
        request
            .headers_mut()
            .insert("idempotency-key", key.parse().unwrap());
    }
    let response = h.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let replayed = response.headers().contains_key("idempotent-replayed");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, content_type, bytes.to_vec(), replayed)
}

#[tokio::test]
async fn repayment_answers_are_json_written_straight_into_bytes() {
    let h = harness();
    h.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 4, 1, 0, 0, 0).unwrap());
    let loan = create_loan(&h.router, &token("alice"), "Car \"\\ 🚗").await;
    let body = json!({"loan_id": loan, "amount": "88.85", "date": "2025-02-01", "notes": NOTES});

    let (status, content_type, first, replayed) = raw(
        &h,
        Method::POST,
        "/repayments",
        Some(body.clone()),
        Some("k-1"),
    )
    .await;
    assert_eq!(
        (status, content_type.as_str(), replayed),
        (StatusCode::CREATED, "application/json", false)
    );
    let answer: Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(answer["repayment"]["notes"], NOTES);
    assert_eq!(answer["loan"]["title"], "Car \"\\ 🚗");
    let text = String::from_utf8(first.clone()).unwrap();
    // Top-level and row keys in the derived serializer's order.
    assert!(text.starts_with("{\"repayment\":{\"id\":"), "{text}");
    assert!(text.ends_with(",\"transition\":null}"), "{text}");
    let rows = answer["position"]["projected"].as_array().unwrap();
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[0].as_object().unwrap().len(), 9);
    assert!(
        text.contains(
            ",\"projected\":[{\"number\":2,\"due_date\":\"2025-03-01\",\"payment\":\"88.85\","
        ),
        "{text}"
    );
    // On the clock's date (2025-04-01) the March and April installments are due and unpaid.
    assert_eq!(answer["position"]["next_due_date"], "2025-05-01");
    assert_eq!(answer["position"]["amount_due"], "177.70");

    // The retry answers the first result, byte for byte.
    let (status, content_type, again, replayed) =
        raw(&h, Method::POST, "/repayments", Some(body), Some("k-1")).await;
    assert_eq!(
        (status, content_type.as_str(), replayed),
        (StatusCode::OK, "application/json", true)
    );
    assert_eq!(again, first);

    let id = answer["repayment"]["id"].as_str().unwrap().to_owned();
    let edit = json!({"amount": "90.00", "date": "2025-02-01", "notes": NOTES});
    let (status, content_type, bytes, _) = raw(
        &h,
        Method::PUT,
        &format!("/repayments/{id}"),
        Some(edit),
        None,
    )
    .await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "application/json")
    );
    let edited: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(edited["repayment"]["amount"], "90.00");
    assert_eq!(edited["repayment"]["notes"], NOTES);

    let (status, content_type, bytes, _) = raw(
        &h,
        Method::GET,
        &format!("/loans/{loan}/position?as_of=2025-02-15"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "application/json")
    );
    let position: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(position["as_of"], "2025-02-15");
    assert_eq!(position["projected"].as_array().unwrap().len(), 11);

    let (status, content_type, bytes, _) =
        raw(&h, Method::DELETE, &format!("/repayments/{id}"), None, None).await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "application/json")
    );
    let deleted: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(deleted["loan"]["repayment_count"], 0);
    assert_eq!(
        deleted["position"]["projected"].as_array().unwrap().len(),
        12
    );
    assert!(deleted["transition"].is_null());
}
