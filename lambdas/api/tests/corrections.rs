//! `POST|GET /loans/{loan_id}/corrections`, `DELETE /loans/{loan_id}/corrections/{id}`,
//! `POST /compare/biweekly` and `GET /loans/{loan_id}/biweekly`: exact answers (the values of
//! `scripts/vectors/adjust.py`'s conventions for the test loan), bad input naming the field,
//! idempotent retries, the undo, and another user's loan is 404.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::{call, create_loan, harness, request, send, token};
use http::{Method, StatusCode};
use serde_json::{json, Value};

/// The test loan (1,000.00 at 12%, 12 monthly installments of 88.85 from 2025-01-01) with the
/// installments of February to May paid on their due dates.
async fn pay(h: &common::Harness, t: &str, loan: &str, dates: &[&str]) {
    for date in dates {
        let r = call(
            &h.router,
            Method::POST,
            "/repayments",
            Some(t),
            Some(json!({"loan_id": loan, "amount": "88.85", "date": date})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
}

fn book(key: Option<&str>, body: &Value, t: &str, loan: &str) -> http::Request<axum::body::Body> {
    let mut req = request(
        Method::POST,
        &format!("/loans/{loan}/corrections"),
        Some(t),
        Some(body),
    );
    if let Some(key) = key {
        req.headers_mut()
            .insert("idempotency-key", key.parse().unwrap());
    }
    req
}

#[tokio::test]
async fn book_list_retry_and_undo_a_correction() {
    let h = harness();
    let t = token("ada");
    let loan = create_loan(&h.router, &t, "Car").await;
    pay(&h, &t, &loan, &["2025-02-01", "2025-03-01"]).await;

    // The engine says 841.51 on March 20th; the lender says 850.00: +8.49 booked.
    let body = json!({"date": "2025-03-20", "stated_balance": "850.00", "reason": "lender statement 2025-03"});
    let r = send(&h.router, book(Some("stmt-03"), &body, &t, &loan)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = &r.body["correction"];
    let id = c["id"].as_str().unwrap().to_owned();
    assert_eq!(
        c,
        &json!({"id": id, "loan_id": loan, "date": "2025-03-20", "stated_balance": "850.00",
                "adjustment": "8.49", "reason": "lender statement 2025-03",
                "idempotency_key": "stmt-03", "created_at": "2025-06-15T00:00:00Z"})
    );
    assert_eq!(r.body["replayed"], false);
    let p = &r.body["position"];
    assert_eq!(p["adjustments"], "8.49");
    assert_eq!(p["position"]["principal_outstanding"], "850.00");
    assert_eq!(
        p["position"]["paid_total"], "177.70",
        "the correction is not a repayment"
    );

    // A retry with the key: 200, the first correction.
    let again = send(&h.router, book(Some("stmt-03"), &body, &t, &loan)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(again.body["correction"]["id"], id.as_str());
    assert_eq!(again.body["replayed"], true);

    // Two more installments on time: the vectors' "position later" for this loan.
    pay(&h, &t, &loan, &["2025-04-01", "2025-05-01"]).await;
    let l = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/corrections?as_of=2025-05-01"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.body);
    assert_eq!(l.body["loan_id"], loan.as_str());
    assert_eq!(l.body["corrections"].as_array().unwrap().len(), 1);
    let p = &l.body["position"];
    assert_eq!(p["adjustments"], "8.49");
    assert_eq!(p["position"]["principal_outstanding"], "688.42");
    assert_eq!(p["position"]["paid_interest"], "35.33");
    assert_eq!(p["position"]["paid_principal"], "320.07");
    assert_eq!(p["position"]["paid_total"], "355.40");
    // The loan's position is the corrected one (the repayments alone leave 679.84).
    let plain = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/position?as_of=2025-05-01"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(plain.body["principal_outstanding"], "688.42");
    assert_eq!(plain.body["paid_total"], "355.40");
    // The postings book the correction as its own transaction; the liability ends corrected.
    let journal = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/postings?as_of=2025-05-01"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(journal.status, StatusCode::OK);
    let text = journal.body.as_str().unwrap();
    assert!(
        text.contains("2025-03-20 * \"Car\" \"Balance adjustment\""),
        "{text}"
    );
    assert!(text.contains("Equity:Adjustments:Car"), "{text}");
    assert!(text.contains("8.49 USD"), "{text}");
    assert!(
        text.contains("balance Liabilities:Loans:Car -688.42 "),
        "{text}"
    );
    let bad = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/postings?adjustments=nowhere"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(bad.error_field(), "adjustments");

    // Another user: 404 everywhere.
    let bob = token("bob");
    let r = send(&h.router, book(None, &body, &bob, &loan)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    for (method, uri) in [
        (Method::GET, format!("/loans/{loan}/corrections")),
        (Method::DELETE, format!("/loans/{loan}/corrections/{id}")),
        (Method::GET, format!("/loans/{loan}/biweekly")),
    ] {
        let r = call(&h.router, method.clone(), &uri, Some(&bob), None).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{method} {uri}: {}",
            r.body
        );
    }

    // The undo: back to the repayments-only figures.
    let r = call(
        &h.router,
        Method::DELETE,
        &format!("/loans/{loan}/corrections/{id}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["corrections"], json!([]));
    assert_eq!(r.body["position"]["adjustments"], "0.00");
    let gone = call(
        &h.router,
        Method::DELETE,
        &format!("/loans/{loan}/corrections/{id}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let l = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/corrections?as_of=2025-05-01"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        l.body["position"]["position"]["principal_outstanding"],
        "679.84"
    );
    // Undone, the loan's position is the repayments' again.
    let plain = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/position?as_of=2025-05-01"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(plain.body["principal_outstanding"], "679.84");
}

#[tokio::test]
async fn bad_corrections_name_the_field() {
    let h = harness();
    let t = token("ada");
    let loan = create_loan(&h.router, &t, "Car").await;
    let cases = [
        (
            json!({"date": "2024-12-31", "stated_balance": "1", "reason": "s"}),
            "date",
        ),
        (
            json!({"date": "2025-06-17", "stated_balance": "1", "reason": "s"}),
            "date",
        ),
        (
            json!({"date": "2025-03-01", "stated_balance": "-1", "reason": "s"}),
            "stated_balance",
        ),
        (
            json!({"date": "2025-03-01", "stated_balance": "1.001", "reason": "s"}),
            "stated_balance",
        ),
        (
            json!({"date": "2025-03-01", "stated_balance": "1", "reason": "  "}),
            "reason",
        ),
        (
            json!({"date": "2025-03-01", "stated_balance": "1"}),
            "reason",
        ),
    ];
    for (body, field) in cases {
        let r = send(&h.router, book(None, &body, &t, &loan)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.body);
        assert_eq!(r.error_field(), field, "{body}: {}", r.body);
    }
    let l = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/corrections?as_of=2024-12-31"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(l.status, StatusCode::BAD_REQUEST);
    assert_eq!(l.error_field(), "as_of");
    let l = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/corrections"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(l.body["corrections"], json!([]), "nothing was booked");
}

#[tokio::test]
async fn biweekly_comparisons_exact() {
    let h = harness();
    let t = token("ada");
    let r = call(
        &h.router,
        Method::POST,
        "/compare/biweekly",
        Some(&t),
        Some(json!({"principal": "200000", "annual_rate_percent": "6", "installments": 360, "start": "2025-01-01"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body,
        json!({
            "currency": "USD", "day_count": "actual/365F",
            "monthly": {"frequency": "monthly", "payment": "1199.10", "installments": 360,
                        "total_paid": "431677.04", "total_interest": "231677.04", "payoff_date": "2055-01-01"},
            "biweekly": {"plan": {"frequency": "biweekly", "payment": "553.43", "installments": 776,
                                  "total_paid": "428991.87", "total_interest": "228991.87", "payoff_date": "2054-09-30"},
                         "interest_saved": "2685.17", "days_saved": 93},
            "accelerated": {"plan": {"frequency": "biweekly", "payment": "599.55", "installments": 636,
                                     "total_paid": "380722.55", "total_interest": "180722.55", "payoff_date": "2049-05-19"},
                            "interest_saved": "50954.49", "days_saved": 2053}
        })
    );
    let bad = call(
        &h.router,
        Method::POST,
        "/compare/biweekly",
        Some(&t),
        Some(json!({"principal": "0", "annual_rate_percent": "6", "installments": 360, "start": "2025-01-01"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_field(), "principal");
    let unauth = call(
        &h.router,
        Method::POST,
        "/compare/biweekly",
        None,
        Some(json!({})),
    )
    .await;
    assert_eq!(unauth.status, StatusCode::UNAUTHORIZED);

    // A stored loan (1,000.00 at 12% over 12 months).
    let loan = create_loan(&h.router, &t, "Car").await;
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/biweekly"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["monthly"]["total_interest"], "66.19");
    assert_eq!(
        r.body["biweekly"],
        json!({"plan": {"frequency": "biweekly", "payment": "41.01", "installments": 26,
                        "total_paid": "1063.18", "total_interest": "63.18", "payoff_date": "2025-12-31"},
               "interest_saved": "3.01", "days_saved": 1})
    );
    assert_eq!(r.body["accelerated"]["interest_saved"], "8.07");
    assert_eq!(r.body["accelerated"]["days_saved"], 29);
    let bad = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/biweekly?day_count=lunar"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_field(), "day_count");
}
