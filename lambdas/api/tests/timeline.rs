//! Timeline events over HTTP (issue 20 §3): loans entered mid-term, renewals, the timeline.
//! Exact values (the same cases as the core's golden vectors from `scripts/vectors/events.py`);
//! another user's loan is 404.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use http::{Method, StatusCode};
use serde_json::{json, Value};

fn assert_400(r: &Reply, field: &str) {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_code(), "validation", "{}", r.body);
    assert_eq!(r.error_field(), field, "{}", r.body);
}

async fn post(h: &Harness, t: &str, uri: &str, body: Value) -> Reply {
    call(&h.router, Method::POST, uri, Some(t), Some(body)).await
}

#[tokio::test]
async fn a_loan_entered_from_its_current_state_keeps_the_payment() {
    let h = harness();
    let t = token("alice");
    let r = post(
        &h,
        &t,
        "/loans/mid-term",
        json!({"title": "Mortgage", "current": {"balance": "182450.17", "interest_rate": "5.25",
               "payment": "1325.00", "next_due_date": "2026-03-01"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["loan"]["id"].as_str().unwrap().to_owned();
    assert_eq!(r.header("location"), format!("/loans/{id}"));
    assert_eq!(r.body["loan"]["amount"], "182450.17");
    assert_eq!(r.body["loan"]["start_date"], "2026-02-01");
    assert_eq!(r.body["loan"]["monthly_payment"], "1325.00");
    assert_eq!(r.body["loan"]["terms"]["opening"]["date"], "2026-02-01");
    let tl = &r.body["timeline"];
    assert_eq!(tl["history"], "unknown");
    assert_eq!(tl["installments"], 212);
    assert_eq!(tl["payoff_date"], "2043-10-01");

    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/schedule"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let rows = r.body["installments"].as_array().unwrap();
    assert_eq!(rows[0]["interest"], "798.22");
    assert_eq!(rows[0]["balance"], "181923.39");
    assert_eq!(rows[211]["payment"], "386.67");

    // A payment too small to amortize names the field.
    let r = post(
        &h,
        &t,
        "/loans/mid-term",
        json!({"title": "M", "current": {"balance": "182450.17", "interest_rate": "5.25",
               "payment": "798.22", "next_due_date": "2026-03-01"}}),
    )
    .await;
    assert_400(&r, "current.payment");
    let r = post(&h, &t, "/loans/mid-term", json!({"title": "M"})).await;
    assert_400(&r, "current");
}

#[tokio::test]
async fn a_loan_entered_from_its_original_terms_summarizes_the_history() {
    let h = harness();
    let t = token("alice");
    let body = json!({"title": "House",
        "original": {"amount": "250000", "interest_rate": "6.5", "term_months": 360,
                     "start_date": "2021-01-01"},
        "opening": {"date": "2025-01-15", "balance": "238000.00"}});
    let r = post(&h, &t, "/loans/mid-term", body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["loan"]["id"].as_str().unwrap().to_owned();
    let tl = &r.body["timeline"];
    assert_eq!(tl["history"], "summarized");
    let hist = &tl["opening"]["history"];
    assert_eq!(hist["installments"], 48);
    assert_eq!(hist["interest_paid"], "63497.11");
    assert_eq!(hist["principal_paid"], "12351.05");
    assert_eq!(hist["scheduled_balance"], "237648.95");
    assert_eq!(hist["difference"], "351.05");
    assert_eq!(hist["payment"], "1580.17");
    assert_eq!(tl["installments"], 314);
    assert_eq!(r.body["loan"]["start_date"], "2025-01-01");

    // A repayment before the entry date is refused, naming the field.
    let r = post(
        &h,
        &t,
        "/repayments",
        json!({"loan_id": id, "amount": "100.00", "date": "2025-01-10"}),
    )
    .await;
    assert_400(&r, "date");
    let r = post(
        &h,
        &t,
        "/repayments",
        json!({"loan_id": id, "amount": "1580.17", "date": "2025-02-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // The entry date after the original's last installment names the opening's field.
    let mut late = body.clone();
    late["opening"]["date"] = json!("2051-06-01");
    assert_400(&post(&h, &t, "/loans/mid-term", late).await, "opening.date");
    let mut bad = body;
    bad["original"]["term_months"] = json!(0);
    assert_400(
        &post(&h, &t, "/loans/mid-term", bad).await,
        "original.term_months",
    );

    // Another user's timeline is 404.
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/timeline"),
        Some(&token("bob")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}

#[tokio::test]
async fn a_canadian_renewal_recasts_the_payment_in_the_same_timeline() {
    let h = harness();
    let t = token("alice");
    let r = post(
        &h,
        &t,
        "/loans",
        json!({"title": "Mortgage", "amount": "400000", "interest_rate": "4.5",
               "term_months": 300, "start_date": "2020-01-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let uri = format!("/loans/{id}/renewals");
    let renewal = json!({"effective_date": "2025-01-01", "interest_rate": "6", "term_months": 60});

    // Another user's loan is 404; a stale If-Match is 412.
    let r = post(&h, &token("bob"), &uri, renewal.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let mut req = request(Method::POST, &uri, Some(&t), Some(&renewal));
    req.headers_mut()
        .insert("if-match", "\"7\"".parse().unwrap());
    let r = send(&h.router, req).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);

    let mut req = request(Method::POST, &uri, Some(&t), Some(&renewal));
    req.headers_mut()
        .insert("if-match", "\"1\"".parse().unwrap());
    let r = send(&h.router, req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("etag"), "\"2\"");
    assert_eq!(
        r.body["loan"]["terms"]["renewals"],
        json!([{"effective": "2025-01-01", "annual_rate": "0.06", "term_installments": 60}])
    );
    let tl = &r.body["timeline"];
    assert_eq!(tl["installments"], 120);
    assert_eq!(
        tl["recasts"],
        json!([{"payment_number": 61, "interest_rate": "6", "balance_before": "351431.61",
                "remaining_installments": 60, "payment": "2517.77"}])
    );
    let segments = tl["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 2);
    assert_eq!(segments[0]["interest"], "84831.41");
    assert_eq!(segments[0]["balance_after"], "351431.61");
    assert_eq!(segments[1]["first_installment"], 61);
    assert_eq!(segments[1]["interest_rate"], "6");
    assert_eq!(segments[1]["payment"], "2517.77");
    assert_eq!(segments[1]["interest"], "97998.26");

    // The position uses the renewed terms: installment 61 is the recast payment.
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/position?as_of=2025-02-01"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["next_due_date"], "2025-03-01");
    assert_eq!(r.body["next_due_amount"], "2517.77");

    // A second renewal on or before the first names the field; one past the end too.
    let early = json!({"effective_date": "2024-01-01", "interest_rate": "5"});
    assert_400(&post(&h, &t, &uri, early).await, "effective_date");
    let long = json!({"effective_date": "2030-01-01", "term_months": 400});
    assert_400(&post(&h, &t, &uri, long).await, "term_months");
    let rate = json!({"effective_date": "2030-01-01", "interest_rate": "101"});
    assert_400(&post(&h, &t, &uri, rate).await, "interest_rate");
}

#[tokio::test]
async fn a_us_refinance_to_a_new_30_year_term() {
    let h = harness();
    let t = token("alice");
    let r = post(
        &h,
        &t,
        "/loans",
        json!({"title": "Home", "amount": "320000", "interest_rate": "7.125",
               "term_months": 360, "start_date": "2023-05-01"}),
    )
    .await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = post(
        &h,
        &t,
        &format!("/loans/{id}/renewals"),
        json!({"effective_date": "2026-05-01", "interest_rate": "5.5", "amortization_months": 360}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tl = &r.body["timeline"];
    assert_eq!(tl["installments"], 396);
    assert_eq!(tl["payoff_date"], "2056-05-01");
    assert_eq!(tl["recasts"][0]["balance_before"], "309762.69");
    assert_eq!(tl["recasts"][0]["payment"], "1758.80");
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/timeline"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["history"], "complete");
    assert_eq!(r.body["segments"][1]["first_due_date"], "2026-06-01");
}

/// A `PUT` of a renewed loan's terms (the loan input has no timeline events) keeps the renewal:
/// it used to rebuild the terms without it, silently dropping the loan's timeline.
#[tokio::test]
async fn replacing_a_renewed_loans_terms_keeps_its_renewal() {
    let h = harness();
    let t = token("alice");
    let loan = json!({"title": "Mortgage", "amount": "400000", "interest_rate": "4.5",
                      "term_months": 300, "start_date": "2020-01-01"});
    let r = post(&h, &t, "/loans", loan.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let renewal = json!({"effective_date": "2025-01-01", "interest_rate": "6", "term_months": 60});
    let r = post(&h, &t, &format!("/loans/{id}/renewals"), renewal).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let mut renamed = loan.clone();
    renamed["title"] = json!("Condo");
    let r = call(
        &h.router,
        Method::PUT,
        &format!("/loans/{id}"),
        Some(&t),
        Some(renamed),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["terms"]["renewals"],
        json!([{"effective": "2025-01-01", "annual_rate": "0.06", "term_installments": 60}])
    );

    // New original figures: the renewal stays and the recast follows the new balance.
    let mut lower = loan;
    lower["amount"] = json!("390000");
    let r = call(
        &h.router,
        Method::PUT,
        &format!("/loans/{id}"),
        Some(&t),
        Some(lower),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/timeline"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["recasts"].as_array().unwrap().len(), 1, "{}", r.body);
    assert_eq!(r.body["recasts"][0]["payment_number"], 61);
    assert_ne!(r.body["recasts"][0]["balance_before"], "351431.61");
}
