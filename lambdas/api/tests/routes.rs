//! In-process tests of every route: happy paths, every error class, CORS, pagination,
//! cross-user isolation.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use axum::body::Body;
use common::*;
use http::{Method, Request, StatusCode};
use loansyncro_api::{ApiConfig, Authenticator, CorsOrigins};
use loansyncro_core::app::ports::Notification;
use serde_json::{json, Value};

#[tokio::test]
async fn loan_crud_with_etags() {
    let h = harness();
    let t = token("alice");
    let r = call(
        &h.router,
        Method::POST,
        "/loans",
        Some(&t),
        Some(loan_body("Car")),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(r.header("location"), format!("/loans/{id}"));
    assert_eq!(r.header("etag"), "\"1\"");
    assert_eq!(r.body["monthly_payment"], "88.85");
    assert!(r.body["total_amount"]
        .as_str()
        .unwrap()
        .starts_with("1066."));
    assert_eq!(r.body["amount"], "1000.00");
    assert_eq!(r.body["interest_rate"], "12");
    assert_eq!(r.body["term_months"], 12);
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["currency"], "USD");
    assert_eq!(r.body["terms"]["method"], "equal_installments");
    assert!(!r.header("x-request-id").is_empty());

    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["title"], "Car");
    assert_eq!(r.header("etag"), "\"1\"");

    // PUT with the right If-Match.
    let mut body = loan_body("Car (refinanced)");
    body["interest_rate"] = json!(6);
    let mut req = request(Method::PUT, &format!("/loans/{id}"), Some(&t), Some(&body));
    req.headers_mut()
        .insert("if-match", "\"1\"".parse().unwrap());
    let r = send(&h.router, req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("etag"), "\"2\"");
    assert_eq!(r.body["title"], "Car (refinanced)");
    assert_eq!(r.body["interest_rate"], "6");

    // A stale If-Match is 412; a malformed one is 400; none means last writer wins.
    let mut req = request(Method::PUT, &format!("/loans/{id}"), Some(&t), Some(&body));
    req.headers_mut()
        .insert("if-match", "\"1\"".parse().unwrap());
    let r = send(&h.router, req).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    assert_eq!(r.error_code(), "precondition_failed");
    let mut req = request(Method::PUT, &format!("/loans/{id}"), Some(&t), Some(&body));
    req.headers_mut()
        .insert("if-match", "version-one".parse().unwrap());
    let r = send(&h.router, req).await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "If-Match")
    );
    let r = call(
        &h.router,
        Method::PUT,
        &format!("/loans/{id}"),
        Some(&t),
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("etag"), "\"3\"");

    // DELETE with a stale If-Match is 412 naming the current version, and deletes nothing
    // (one conditional delete in the store); with the current version it deletes.
    let delete_if = |version: &str| {
        let mut req = request(Method::DELETE, &format!("/loans/{id}"), Some(&t), None);
        req.headers_mut()
            .insert("if-match", format!("\"{version}\"").parse().unwrap());
        req
    };
    let r = send(&h.router, delete_if("2")).await;
    assert_eq!(
        (r.status, r.error_code(), r.error_field()),
        (
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            "If-Match"
        ),
        "{}",
        r.body
    );
    assert_eq!(
        r.body["error"]["message"],
        "If-Match does not match the current version \"3\""
    );
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!((r.status, r.header("etag")), (StatusCode::OK, "\"3\""));
    let r = send(&h.router, delete_if("3")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = send(&h.router, delete_if("3")).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let r = call(
        &h.router,
        Method::DELETE,
        &format!("/loans/{id}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let created = h.notifier.notifications();
    assert!(matches!(created[0], Notification::LoanCreated { .. }));
}

#[tokio::test]
async fn amounts_are_exact_strings_or_numbers() {
    let h = harness();
    let t = token("alice");
    let mut body = loan_body("Exact");
    body["amount"] = serde_json::from_str("1234567.89").unwrap();
    body["interest_rate"] = serde_json::from_str("6.125").unwrap();
    let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["amount"], "1234567.89");
    assert_eq!(r.body["interest_rate"], "6.125");
    // A literal that f64 cannot hold exactly arrives exact (the JSON text is read, not a float).
    let raw = r#"{"title":"T","amount":1000.10,"interest_rate":0,"term_months":3,"start_date":"2025-01-01"}"#;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/loans")
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", "application/json; charset=utf-8")
        .body(Body::from(raw))
        .unwrap();
    let r = send(&h.router, req).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["amount"], "1000.10");
    assert_eq!(r.body["monthly_payment"], "333.37");
}

#[tokio::test]
async fn bad_input_is_400_naming_the_field() {
    let h = harness();
    let t = token("alice");
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"amount": "1", "interest_rate": "1", "term_months": 1, "start_date": "2025-01-01"}),
            "title",
        ),
        (
            json!({"title": "x", "amount": "1", "interest_rate": "1", "term_months": 1, "start_date": "2025-01-01", "colour": "red"}),
            "colour",
        ),
        (
            json!({"title": "x", "amount": "-5", "interest_rate": "1", "term_months": 1, "start_date": "2025-01-01"}),
            "amount",
        ),
        (
            json!({"title": "x", "amount": "1e40", "interest_rate": "1", "term_months": 1, "start_date": "2025-01-01"}),
            "amount",
        ),
        (
            json!({"title": "x", "amount": "NaN", "interest_rate": "1", "term_months": 1, "start_date": "2025-01-01"}),
            "amount",
        ),
        (
            json!({"title": "x", "amount": "Infinity", "interest_rate": "1", "term_months": 1, "start_date": "2025-01-01"}),
            "amount",
        ),
        (
            json!({"title": "x", "amount": true, "interest_rate": "1", "term_months": 1, "start_date": "2025-01-01"}),
            "amount",
        ),
        (
            json!({"title": "x", "amount": "100", "interest_rate": "1", "term_months": "twelve", "start_date": "2025-01-01"}),
            "term_months",
        ),
        (
            json!({"title": "x", "amount": "100", "interest_rate": "1", "term_months": 0, "start_date": "2025-01-01"}),
            "term_months",
        ),
        (
            json!({"title": "x", "amount": "100", "interest_rate": "1", "term_months": 12, "start_date": "2025-02-30"}),
            "start_date",
        ),
        (
            json!({"title": "x", "amount": "100", "interest_rate": "250", "term_months": 12, "start_date": "2025-01-01"}),
            "interest_rate",
        ),
        (
            json!({"title": "   ", "amount": "100", "interest_rate": "1", "term_months": 12, "start_date": "2025-01-01"}),
            "title",
        ),
        (
            json!({"title": "x", "amount": "100.001", "interest_rate": "1", "term_months": 12, "start_date": "2025-01-01"}),
            "amount",
        ),
        (
            json!({"title": "x", "amount": "100", "interest_rate": "1", "term_months": 12, "start_date": "2025-01-01", "terms": {"currency": "XXX1"}}),
            "terms.currency",
        ),
        (
            json!({"title": "x", "amount": "100", "interest_rate": "1", "term_months": 12, "start_date": "2025-01-01", "terms": {"flavour": 1}}),
            "terms.flavour",
        ),
        (json!([1, 2]), "body"),
    ];
    for (body, field) in cases {
        let r = call(
            &h.router,
            Method::POST,
            "/loans",
            Some(&t),
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body} -> {}", r.body);
        assert_eq!(r.error_field(), field, "{body} -> {}", r.body);
        assert!(r.body["error"]["message"].is_string());
    }
    // Malformed JSON.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/loans")
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", "application/json")
        .body(Body::from("{\"title\": "))
        .unwrap();
    let r = send(&h.router, req).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
    // 415 without a JSON content type.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/loans")
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    let r = send(&h.router, req).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error_code(), "unsupported_media_type");
    // 413 over 64 KiB (declared or streamed).
    let big = format!("{{\"title\": \"{}\"}}", "x".repeat(70 * 1024));
    let req = Request::builder()
        .method(Method::POST)
        .uri("/loans")
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", "application/json")
        .body(Body::from(big))
        .unwrap();
    let r = send(&h.router, req).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    // Bad path ids and query parameters.
    let long = "x".repeat(300);
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{long}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "loan_id")
    );
    let r = call(&h.router, Method::GET, "/loans?limit=0", Some(&t), None).await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "limit")
    );
    let r = call(&h.router, Method::GET, "/loans?limit=abc", Some(&t), None).await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "limit")
    );
    let r = call(&h.router, Method::GET, "/loans?cursor=zz", Some(&t), None).await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "cursor")
    );
    let id = create_loan(&h.router, &t, "Car").await;
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/position?as_of=yesterday"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "as_of")
    );
    let r = call(
        &h.router,
        Method::GET,
        "/repayments/summary?as_of=2025-13-01",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "as_of")
    );
}

#[tokio::test]
async fn richer_terms_round_trip() {
    let h = harness();
    let t = token("alice");
    let mut body = loan_body("Euro loan");
    body["terms"] = json!({
        "currency": "EUR",
        "method": "equal_principal",
        "day_count": "actual/365F",
        "frequency": "quarterly",
        "grace": {"principal_periods": 1},
        "balloon": null,
        "prepayment_policy": "reduce_payment"
    });
    let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["currency"], "EUR");
    assert_eq!(r.body["terms"]["method"], "equal_principal");
    assert_eq!(r.body["terms"]["day_count"], "actual/365F");
    assert_eq!(r.body["terms"]["frequency"], "quarterly");
    let id = r.body["id"].as_str().unwrap();
    let s = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/schedule"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(s.status, StatusCode::OK);
    assert_eq!(s.body["installments"].as_array().unwrap().len(), 12);
    assert_eq!(s.body["totals"]["principal"], "1000.00");
    assert_eq!(s.body["installments"][11]["balance"], "0.00");
}

/// Enum names parse through the core's vocabulary: a bad one is a 400 on its field listing the
/// valid names; aliases and other spellings are read and answered in the canonical name.
#[tokio::test]
async fn enum_names_are_the_core_vocabulary() {
    let h = harness();
    let t = token("alice");
    for (field, bad, listed) in [
        ("day_count", "30/365", "`actual/365F`"),
        ("payment_rounding", "nearest", "`half_even`"),
        ("compounding", "continuous", "`semi_annual`"),
        ("balance_precision", "exact", "`carry_precision`"),
        ("accrual", "hourly", "`daily`"),
        ("prepayment_policy", "shorter", "`reduce_payment`"),
    ] {
        let mut body = loan_body("Car");
        body["terms"] = json!({ field: bad });
        let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert_eq!(r.error_field(), format!("terms.{field}"), "{}", r.body);
        let message = r.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(&format!("`{bad}`")), "{message}");
        assert!(message.contains(listed), "{message}");
    }
    let mut body = loan_body("Car");
    body["terms"] = json!({
        "day_count": "act/365",
        "payment_rounding": "Half-Even",
        "interest_rounding": "bankers",
        "compounding": "j2",
        "prepayment_policy": "reduce-payment"
    });
    let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["terms"]["day_count"], "actual/365F");
    assert_eq!(r.body["terms"]["payment_rounding"], "half_even");
    assert_eq!(r.body["terms"]["interest_rounding"], "half_even");
    assert_eq!(r.body["terms"]["compounding"], "semi_annual");
    assert_eq!(r.body["terms"]["prepayment_policy"], "reduce_payment");
    let id = r.body["id"].as_str().unwrap();
    let r = call(
        &h.router,
        Method::POST,
        &format!("/loans/{id}/status"),
        Some(&t),
        Some(json!({"status": "bankrupt"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "status")
    );
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("`defaulted`"));
}

#[tokio::test]
async fn pagination_and_search() {
    let h = harness();
    let t = token("alice");
    for i in 0..5 {
        create_loan(&h.router, &t, &format!("Loan {i}")).await;
        h.clock.advance(chrono::Duration::seconds(1));
    }
    create_loan(&h.router, &t, "Boat").await;
    let mut seen = Vec::new();
    let mut uri = "/loans?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let r = call(&h.router, Method::GET, &uri, Some(&t), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        pages += 1;
        for item in r.body["items"].as_array().unwrap() {
            seen.push(item["title"].as_str().unwrap().to_owned());
        }
        match r.body["next_cursor"].as_str() {
            Some(c) => uri = format!("/loans?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 6);
    let r = call(
        &h.router,
        Method::GET,
        "/loans?search=LOAN%20",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 5);
    assert!(r.body["next_cursor"].is_null());
    let r = call(&h.router, Method::GET, "/loans?search=boat", Some(&t), None).await;
    assert_eq!(r.body["items"][0]["title"], "Boat");
}

async fn record(h: &Harness, t: &str, loan: &str, amount: &str, date: &str) -> Reply {
    call(
        &h.router,
        Method::POST,
        "/repayments",
        Some(t),
        Some(json!({"loan_id": loan, "amount": amount, "date": date, "notes": "n"})),
    )
    .await
}

#[tokio::test]
async fn repayments_until_paid_then_reopened() {
    let h = harness();
    let t = token("alice");
    // Repayments dated after today (+1 day) are refused: the clock stands on the last one.
    h.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 4, 1, 0, 0, 0).unwrap());
    let loan = create_loan(&h.router, &t, "Car").await;
    for date in ["2025-02-01", "2025-03-01"] {
        let r = record(&h, &t, &loan, "88.85", date).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["repayment"]["amount"], "88.85");
        assert_eq!(r.body["loan"]["status"], "active");
    }
    // Overpayment: 422 stating the payoff.
    let r = record(&h, &t, &loan, "5000.00", "2025-04-01").await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "overpayment")
    );
    let payoff = r.body["error"]["payoff"].as_str().unwrap().to_owned();
    assert_eq!(r.error_field(), "amount");
    // Pay it off.
    let r = record(&h, &t, &loan, &payoff, "2025-04-01").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["loan"]["status"], "paid");
    assert_eq!(r.body["transition"]["to"], "paid");
    assert_eq!(r.body["position"]["closed"], true);
    let last = r.body["repayment"]["id"].as_str().unwrap().to_owned();
    assert!(h
        .notifier
        .notifications()
        .iter()
        .any(|n| matches!(n, Notification::LoanPaid { .. })));
    // Per-loan list, grouped list with search, dashboard.
    let r = call(
        &h.router,
        Method::GET,
        &format!("/repayments/loan/{loan}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 3);
    let r = call(
        &h.router,
        Method::GET,
        "/repayments?search=car",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["items"][0]["repayment_count"], 3);
    assert_eq!(r.body["items"][0]["progress"], "1");
    let r = call(
        &h.router,
        Method::GET,
        "/repayments?search=boat",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    let r = call(
        &h.router,
        Method::GET,
        "/repayments/summary",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["currencies"][0]["counts"]["paid"], 1);
    // Edit a repayment; then delete the last one: the loan is active again.
    let first = call(
        &h.router,
        Method::GET,
        &format!("/repayments/loan/{loan}"),
        Some(&t),
        None,
    )
    .await
    .body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = call(
        &h.router,
        Method::PUT,
        &format!("/repayments/{first}"),
        Some(&t),
        Some(json!({"amount": 88.85, "date": "2025-02-02", "notes": "moved"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["repayment"]["notes"], "moved");
    let r = call(
        &h.router,
        Method::DELETE,
        &format!("/repayments/{last}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["loan"]["status"], "active");
    assert_eq!(r.body["transition"]["reason"]["kind"], "balance_reappeared");
    let r = call(
        &h.router,
        Method::DELETE,
        &format!("/repayments/{last}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Position on a date.
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/position?as_of=2025-03-01"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["as_of"], "2025-03-01");
    assert_eq!(r.body["installments_paid"], 2);
}

#[tokio::test]
async fn idempotency_key_replays_the_first_result() {
    let h = harness();
    let t = token("alice");
    let loan = create_loan(&h.router, &t, "Car").await;
    let body = json!({"loan_id": loan, "amount": "88.85", "date": "2025-02-01"});
    let keyed = |b: &Value, key: &str| {
        let mut req = request(Method::POST, "/repayments", Some(&t), Some(b));
        req.headers_mut()
            .insert("idempotency-key", key.parse().unwrap());
        req
    };
    let first = send(&h.router, keyed(&body, "k-1")).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = send(&h.router, keyed(&body, "k-1")).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(again.body["repayment"]["id"], first.body["repayment"]["id"]);
    let mut other = body.clone();
    other["amount"] = json!("10.00");
    let r = send(&h.router, keyed(&other, "k-1")).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::CONFLICT, "conflict")
    );
    let r = send(&h.router, keyed(&body, "   ")).await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "Idempotency-Key")
    );
    let list = call(
        &h.router,
        Method::GET,
        &format!("/repayments/loan/{loan}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn status_actions() {
    let h = harness();
    let t = token("alice");
    let loan = create_loan(&h.router, &t, "Car").await;
    let uri = format!("/loans/{loan}/status");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"status": "defaulted"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["loan"]["status"], "defaulted");
    assert_eq!(r.body["change"]["reason"]["kind"], "defaulted_by_owner");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"status": "defaulted"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::CONFLICT, "invalid_transition")
    );
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"status": "active"})),
    )
    .await;
    assert_eq!(r.body["loan"]["status"], "active");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"status": "paid"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "status")
    );
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"status": "closed"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "status")
    );
}

#[tokio::test]
async fn another_users_ids_are_not_found_everywhere() {
    let h = harness();
    let a = token("alice");
    let b = token("bob");
    let loan = create_loan(&h.router, &a, "Car").await;
    let rep = record(&h, &a, &loan, "88.85", "2025-02-01").await.body["repayment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rep_body = json!({"amount": "1.00", "date": "2025-02-01"});
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/loans/{loan}"), None),
        (
            Method::PUT,
            format!("/loans/{loan}"),
            Some(loan_body("Mine now")),
        ),
        (Method::DELETE, format!("/loans/{loan}"), None),
        (Method::GET, format!("/loans/{loan}/schedule"), None),
        (Method::GET, format!("/loans/{loan}/position"), None),
        (
            Method::POST,
            format!("/loans/{loan}/status"),
            Some(json!({"status": "defaulted"})),
        ),
        (Method::GET, format!("/repayments/loan/{loan}"), None),
        (
            Method::POST,
            "/repayments".to_owned(),
            Some(json!({"loan_id": loan, "amount": "1.00", "date": "2025-02-01"})),
        ),
        (Method::PUT, format!("/repayments/{rep}"), Some(rep_body)),
        (Method::DELETE, format!("/repayments/{rep}"), None),
    ];
    for (method, uri, body) in cases {
        let r = call(&h.router, method.clone(), &uri, Some(&b), body).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{method} {uri}: {}",
            r.body
        );
        assert_eq!(r.error_code(), "not_found");
    }
    // Bob's listings are empty; Alice's data is untouched.
    let r = call(&h.router, Method::GET, "/loans", Some(&b), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    let r = call(&h.router, Method::GET, "/repayments", Some(&b), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}"),
        Some(&a),
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.body["repayment_count"].as_u64()),
        (StatusCode::OK, Some(1))
    );
}

#[tokio::test]
async fn me_is_synced_from_the_id_token() {
    let h = harness();
    let t = token("carol");
    let r = call(&h.router, Method::GET, "/me", Some(&t), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], "carol");
    assert_eq!(r.body["email"], "carol@example.com");
    assert_eq!(r.body["full_name"], "Test User");
    // An access token carries no e-mail: the stored profile is answered.
    let access = issuer()
        .sign(&issuer().access_claims("carol", 600))
        .unwrap();
    let r = call(&h.router, Method::GET, "/me", Some(&access), None).await;
    assert_eq!(r.body["email"], "carol@example.com");
    let access = issuer().sign(&issuer().access_claims("dave", 600)).unwrap();
    let r = call(&h.router, Method::GET, "/me", Some(&access), None).await;
    assert_eq!(
        (r.body["id"].as_str(), r.body["email"].is_null()),
        (Some("dave"), true)
    );
}

#[tokio::test]
async fn cors_options_request_ids_and_unknown_routes() {
    let h = harness();
    // Preflight on any path, without a token.
    let req = Request::builder()
        .method(Method::OPTIONS)
        .uri("/loans/abc")
        .header("origin", "https://app.example")
        .header("access-control-request-method", "PUT")
        .header(
            "access-control-request-headers",
            "authorization, if-match, content-type",
        )
        .body(Body::empty())
        .unwrap();
    let r = send(&h.router, req).await;
    assert!(r.status.is_success(), "{}", r.status);
    assert_eq!(r.header("access-control-allow-origin"), "*");
    assert!(r.header("access-control-allow-methods").contains("PUT"));
    assert!(r
        .header("access-control-allow-headers")
        .contains("if-match"));
    assert!(!r.header("x-request-id").is_empty());
    // A bare OPTIONS.
    let r = call(
        &h.router,
        Method::OPTIONS,
        "/repayments/summary",
        None,
        None,
    )
    .await;
    assert!(r.status.is_success(), "{}", r.status);
    // Simple requests get the CORS headers too, also on errors.
    let req = Request::builder()
        .uri("/loans")
        .header("origin", "https://app.example")
        .header("x-request-id", "req-123")
        .body(Body::empty())
        .unwrap();
    let r = send(&h.router, req).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.header("access-control-allow-origin"), "*");
    assert_eq!(r.header("x-request-id"), "req-123");
    assert!(r.header("access-control-expose-headers").contains("etag"));
    // Restricted origins.
    let jwks = serde_json::to_vec(&issuer().jwks()).unwrap();
    let restricted = harness_with(
        ApiConfig {
            cors: CorsOrigins::List(vec!["https://app.example".parse().unwrap()]),
            ..ApiConfig::default()
        },
        Authenticator::with_jwks(auth_config(), &jwks).unwrap(),
    );
    for (origin, allowed) in [
        ("https://app.example", true),
        ("https://evil.example", false),
    ] {
        let req = Request::builder()
            .method(Method::OPTIONS)
            .uri("/loans")
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .body(Body::empty())
            .unwrap();
        let r = send(&restricted.router, req).await;
        assert_eq!(
            r.headers.contains_key("access-control-allow-origin"),
            allowed,
            "{origin}"
        );
    }
    // Unknown route and method: the error shape.
    let t = token("alice");
    let r = call(&h.router, Method::GET, "/nope", Some(&t), None).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let r = call(&h.router, Method::PATCH, "/loans", Some(&t), None).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
    assert!(r.body["error"].as_object().unwrap().contains_key("field"));
}

/// Issue 15 §1: one supported date range (1900-01-01 to 2199-12-31), checked by the core, so
/// every store rejects the same inputs: 400 naming the wire field, nothing stored.
#[tokio::test]
async fn dates_outside_the_supported_range_are_400_naming_the_field() {
    let h = harness();
    let t = token("alice");
    for date in ["+10000-01-01", "-0001-01-01", "1899-12-31", "2200-01-01"] {
        let mut body = loan_body("Far");
        body["start_date"] = json!(date);
        let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{date}: {}", r.body);
        assert_eq!(r.body["error"]["field"], "start_date", "{date}");
    }
    let mut edge = loan_body("Edge");
    edge["start_date"] = json!("2199-12-31");
    let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(edge)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let loan = create_loan(&h.router, &t, "Car").await;
    for date in ["+10000-01-01", "-0001-01-01", "2200-01-01"] {
        let body = json!({"loan_id": loan, "amount": "10.00", "date": date});
        let r = call(&h.router, Method::POST, "/repayments", Some(&t), Some(body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{date}: {}", r.body);
        assert_eq!(r.body["error"]["field"], "date", "{date}");
    }
    let r = call(&h.router, Method::GET, "/loans", Some(&t), None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
}

/// Issue 15 §2: a handler that does not answer within the deadline gets 503 with
/// `Retry-After` and the JSON error shape, at the deadline (not when the work ends).
#[tokio::test]
async fn the_request_deadline_answers_503_with_retry_after() {
    use axum::routing::get;
    let router = axum::Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                "late"
            }),
        )
        .layer(axum::middleware::from_fn_with_state(
            std::time::Duration::from_millis(50),
            loansyncro_api::middleware::deadline,
        ));
    let started = std::time::Instant::now();
    let r = send(&router, request(Method::GET, "/slow", None, None)).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.header("retry-after"), "1");
    assert_eq!(r.body["error"]["code"], "timeout");
    assert_eq!(ApiConfig::default().request_timeout.as_millis(), 2_500);
}

/// Issue 15 §6: `PUT /loans/{id}` without `If-Match` names no version, so a concurrent write in
/// between (an internal optimistic-version race) is retried by the API, never a 409. Repayments
/// recorded at the same time make the loan's version move under the PUTs.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn put_without_if_match_under_concurrent_writes_never_conflicts() {
    let h = harness();
    let t = token("alice");
    let loan = create_loan(&h.router, &t, "Busy").await;
    let mut tasks = Vec::new();
    for client in 0..8 {
        let (router, t, loan) = (h.router.clone(), t.clone(), loan.clone());
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..25 {
                let r = if client % 2 == 0 {
                    let mut body = loan_body(&format!("Busy {client}-{i}"));
                    body["description"] = json!("edited");
                    call(
                        &router,
                        Method::PUT,
                        &format!("/loans/{loan}"),
                        Some(&t),
                        Some(body),
                    )
                    .await
                } else {
                    let mut req = request(
                        Method::POST,
                        "/repayments",
                        Some(&t),
                        Some(&json!({"loan_id": loan, "amount": "0.01", "date": "2025-02-01"})),
                    );
                    req.headers_mut().insert(
                        "idempotency-key",
                        format!("k-{client}-{i}").parse().unwrap(),
                    );
                    send(&router, req).await
                };
                statuses.push(r.status);
            }
            statuses
        }));
    }
    for task in tasks {
        for status in task.await.unwrap() {
            assert!(status.is_success(), "{status}");
        }
    }
}

/// Issue 15 §6: when the service's optimistic-version retry budget runs out under contention
/// (here a budget of 1 attempt, 8 concurrent clients on one loan), the client gets a retryable
/// 503, never a 409: the conflict is internal, not the client's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_exhausted_retry_budget_is_503_not_409() {
    use loansyncro_api::{App, DynClock, DynIds, Routes};
    use loansyncro_core::app::ports::{FixedClock, NoopNotifier, SequentialIds};
    use loansyncro_core::app::service::{LoanService, ServiceConfig};
    let clock = FixedClock::at_date(chrono::NaiveDate::from_ymd_opt(2025, 6, 15).unwrap());
    let service = LoanService::new(
        loansyncro_memory::MemoryStore::new(),
        NoopNotifier,
        DynClock(std::sync::Arc::new(clock)),
        DynIds(std::sync::Arc::new(SequentialIds::new())),
    )
    .with_config(ServiceConfig {
        max_attempts: 1,
        ..ServiceConfig::default()
    });
    let jwks = serde_json::to_vec(&issuer().jwks()).unwrap();
    let auth = Authenticator::with_jwks(auth_config(), &jwks).unwrap();
    let router = App::new(service, auth, ApiConfig::default()).router(Routes::All);
    let t = token("alice");
    let loan = create_loan(&router, &t, "Contended").await;
    let mut tasks = Vec::new();
    for client in 0..8 {
        let (router, t, loan) = (router.clone(), t.clone(), loan.clone());
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..20 {
                let mut req = request(
                    Method::POST,
                    "/repayments",
                    Some(&t),
                    Some(&json!({"loan_id": loan, "amount": "0.01", "date": "2025-02-01"})),
                );
                req.headers_mut().insert(
                    "idempotency-key",
                    format!("k-{client}-{i}").parse().unwrap(),
                );
                statuses.push(send(&router, req).await.status);
            }
            statuses
        }));
    }
    let mut busy = 0;
    for task in tasks {
        for status in task.await.unwrap() {
            assert!(
                status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE,
                "{status}"
            );
            busy += usize::from(status == StatusCode::SERVICE_UNAVAILABLE);
        }
    }
    eprintln!("{busy} of 160 requests got 503 (budget of 1 attempt)");
}
