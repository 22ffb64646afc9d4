//! `POST /batch/positions` and `POST /batch/schedules` (issue 20 §4 over HTTP): every loan's
//! result equals the one-loan routes for the same loan stored via `POST /loans`, a bad loan in
//! the middle fails alone, naming its index; the 1000-loan and 1 MiB limits; 401 without a
//! token.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use http::{Method, StatusCode};
use serde_json::{json, Value};

/// The terms of `common::loan_body` (1000 at 12 % over 12 months from 2025-01-01), biweekly
/// off: the batch form (the `POST /loans` fields without title and description).
fn terms() -> Value {
    json!({"amount": "1000.00", "interest_rate": "12", "term_months": 12,
           "start_date": "2025-01-01"})
}

fn repayments() -> Value {
    json!([{"date": "2025-02-01", "amount": "88.85"}, {"date": "2025-03-01", "amount": "50"}])
}

/// Loan 1000 at 12 %, stored with the two repayments of [`repayments`]; its id.
async fn stored_loan(h: &Harness, t: &str) -> String {
    let id = create_loan(&h.router, t, "Car").await;
    for (date, amount) in [("2025-02-01", "88.85"), ("2025-03-01", "50")] {
        let r = call(
            &h.router,
            Method::POST,
            "/repayments",
            Some(t),
            Some(json!({"loan_id": id, "amount": amount, "date": date})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    id
}

#[tokio::test]
async fn positions_equal_the_stored_loans_position_and_a_bad_loan_fails_alone() {
    let h = harness();
    let t = token("alice");
    let id = stored_loan(&h, &t).await;
    let single = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/position?as_of=2025-04-15"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(single.status, StatusCode::OK, "{}", single.body);

    let body = json!({"as_of": "2025-04-15", "loans": [
        {"key": "car", "terms": terms(), "repayments": repayments()},
        {"key": "negative", "terms": terms(),
         "repayments": [{"date": "2025-02-01", "amount": "88.85"}, {"date": "2025-03-01", "amount": "-5"}]},
        {"key": "zero", "terms": {"amount": "0", "interest_rate": "12", "term_months": 12,
                                  "start_date": "2025-01-01"}},
        {"key": "overpaid", "terms": terms(), "repayments": [{"date": "2025-02-01", "amount": "5000"}]},
        {"key": "unpaid", "terms": terms()},
        {"key": "car again", "terms": terms(), "repayments": repayments()},
    ]});
    let r = call(
        &h.router,
        Method::POST,
        "/batch/positions",
        Some(&t),
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let results = r.body["results"].as_array().unwrap();
    let keys: Vec<&str> = results.iter().map(|x| x["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        ["car", "negative", "zero", "overpaid", "unpaid", "car again"]
    );

    // Exactly GET /loans/{id}/position of the stored loan.
    assert_eq!(results[0]["position"], single.body);
    assert_eq!(results[5]["position"], single.body);
    assert!(results[0].get("error").is_none());
    // 1000 at 1 % a month: Feb 88.85 = 10.00 + 78.85; Mar 50 = 9.21 interest + 40.79.
    assert_eq!(results[0]["position"]["principal_outstanding"], "880.36");
    assert_eq!(results[0]["position"]["paid_total"], "138.85");

    assert_eq!(
        results[1]["error"],
        json!({"code": "validation",
        "field": "loans[1].repayments[1].amount", "message": "must be greater than zero"})
    );
    assert!(results[1].get("position").is_none());
    assert_eq!(results[2]["error"]["code"], "validation");
    assert_eq!(results[2]["error"]["field"], "loans[2].terms.amount");
    assert_eq!(results[3]["error"]["code"], "overpayment");
    assert_eq!(results[3]["error"]["field"], "loans[3].repayments");
    // The payoff on 2025-02-01: 1000 + January's 10.00 interest.
    assert_eq!(results[3]["error"]["payoff"], "1010.00");
    // Unpaid: February's, March's and April's 88.85 are due, 73 days since February 1.
    assert_eq!(results[4]["position"]["amount_due"], "266.55");
    assert_eq!(results[4]["position"]["days_past_due"], 73);
}

#[tokio::test]
async fn schedules_equal_the_stored_loans_schedule() {
    let h = harness();
    let t = token("alice");
    let id = create_loan(&h.router, &t, "Car").await;
    let single = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/schedule"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(single.status, StatusCode::OK, "{}", single.body);

    let body = json!({"loans": [
        {"key": "car", "terms": terms()},
        {"key": "bad", "terms": {"amount": "1000", "interest_rate": "12", "term_months": 0,
                                 "start_date": "2025-01-01"}},
        {"key": "biweekly", "terms": {"amount": "1000", "interest_rate": "0", "term_months": 26,
                                      "start_date": "2025-01-01", "terms": {"frequency": "biweekly"}}},
    ]});
    let r = call(
        &h.router,
        Method::POST,
        "/batch/schedules",
        Some(&t),
        Some(body),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let results = r.body["results"].as_array().unwrap();
    let car = &results[0]["schedule"];
    assert_eq!(car["payment"], single.body["installment"]);
    assert_eq!(car["total_interest"], single.body["totals"]["interest"]);
    assert_eq!(car["total_paid"], single.body["totals"]["paid"]);
    assert_eq!(
        *car,
        json!({"frequency": "monthly", "payment": "88.85", "installments": 12,
               "total_paid": "1066.19", "total_interest": "66.19", "payoff_date": "2026-01-01"})
    );
    assert_eq!(results[1]["key"], "bad");
    assert_eq!(results[1]["error"]["field"], "loans[1].terms.term_months");
    assert_eq!(results[2]["schedule"]["payment"], "38.46");
    assert_eq!(results[2]["schedule"]["installments"], 26);
    assert_eq!(results[2]["schedule"]["payoff_date"], "2025-12-31");
}

#[tokio::test]
async fn more_than_1000_loans_is_a_400_on_loans_and_a_body_over_1_mib_is_413() {
    let h = harness();
    let t = token("alice");
    let loan = json!({"key": "k", "terms": terms()});
    let at_limit = json!({"as_of": "2025-04-15", "loans": vec![loan.clone(); 1000]});
    let r = call(
        &h.router,
        Method::POST,
        "/batch/positions",
        Some(&t),
        Some(at_limit),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["results"].as_array().unwrap().len(), 1000);
    assert_eq!(r.body["results"][999]["position"]["amount_due"], "266.55");

    let over = json!({"loans": vec![loan; 1001]});
    let r = call(
        &h.router,
        Method::POST,
        "/batch/schedules",
        Some(&t),
        Some(over),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_field(), "loans");
    assert_eq!(
        r.body["error"]["message"],
        "at most 1000 loans per request, got 1001"
    );

    let huge = json!({"loans": [{"key": "x".repeat(1024 * 1024), "terms": terms()}]});
    let r = call(
        &h.router,
        Method::POST,
        "/batch/schedules",
        Some(&t),
        Some(huge),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.error_code(), "payload_too_large");

    let long_key = json!({"loans": [{"key": "x".repeat(201), "terms": terms()}]});
    let r = call(
        &h.router,
        Method::POST,
        "/batch/schedules",
        Some(&t),
        Some(long_key),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_field(), "loans[0].key");
}

#[tokio::test]
async fn without_a_token_is_401() {
    let h = harness();
    for path in ["/batch/positions", "/batch/schedules"] {
        let r = call(
            &h.router,
            Method::POST,
            path,
            None,
            Some(json!({"as_of": "2025-04-15", "loans": []})),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.body);
        assert_eq!(r.error_code(), "unauthorized");
    }
}
