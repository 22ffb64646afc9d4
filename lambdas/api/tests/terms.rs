//! The loan-terms fields of the core's builder on the wire: each one reaches the core (the
//! answer's figures are the core's for the same builder calls) and is echoed under `terms`.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use common::*;
use http::{Method, StatusCode};
use loansyncro_core::math::calendar::DayCount;
use loansyncro_core::schedule::terms::{BalancePrecision, LoanTermsBuilder};
use loansyncro_core::LoanTerms;
use rust_decimal_macros::dec;
use serde_json::{json, Value};

/// `loan_body` (1000.00 at 12 % over 12 months from 2025-01-01) with `terms`.
async fn create(terms: Value) -> Reply {
    let h = harness();
    let mut body = loan_body("terms");
    body["terms"] = terms;
    call(
        &h.router,
        Method::POST,
        "/loans",
        Some(&token("alice")),
        Some(body),
    )
    .await
}

/// The core's builder for `loan_body`'s fields.
fn base() -> LoanTermsBuilder {
    LoanTerms::builder()
        .principal(dec!(1000.00))
        .annual_rate_percent(dec!(12))
        .installments(12)
        .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
}

/// The core's regular payment of `b`, as the API answers it.
fn payment(b: LoanTermsBuilder) -> Value {
    json!(b
        .build()
        .unwrap()
        .schedule()
        .unwrap()
        .regular_payment()
        .to_string())
}

#[tokio::test]
async fn payment_day_count_reaches_the_core() {
    let r = create(json!({ "day_count": "actual/360", "payment_day_count": "30/360" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["terms"]["payment_day_count"], "30/360");
    let core = base()
        .day_count(DayCount::Actual360)
        .payment_day_count(DayCount::Thirty360Us);
    assert_eq!(r.body["monthly_payment"], payment(core));
    // Unset, it is absent from the answer.
    let r = create(json!({})).await;
    assert!(r.body["terms"].get("payment_day_count").is_none());
}

#[tokio::test]
async fn adjustment_payment_numbers_reach_the_core() {
    let terms = json!({
        "rate_changes": [{ "effective": "2025-07-01", "annual_rate": "0.18" }],
        "adjustment_payment_numbers": [7]
    });
    let r = create(terms).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["terms"]["adjustment_payment_numbers"], json!([7]));
    let r = create(json!({ "adjustment_payment_numbers": [13] })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_field(), "terms.adjustment_payment_numbers[0]");
}

#[tokio::test]
async fn adjust_every_expands_to_installment_numbers() {
    let r = create(json!({ "adjust_every": { "first": 4, "every": 3 } })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.body["terms"]["adjustment_payment_numbers"],
        json!([4, 7, 10])
    );
    let both =
        json!({ "adjust_every": { "first": 4, "every": 3 }, "adjustment_payment_numbers": [4] });
    let r = create(both).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_field(), "terms.adjust_every");
    let r = create(json!({ "adjust_every": { "first": 4, "every": 0 } })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_field(), "terms.adjust_every.every");
}

#[tokio::test]
async fn payment_cap_percent_is_the_cap_factor() {
    let r = create(json!({ "payment_cap_percent": "7.5" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["terms"]["payment_cap"], "1.075");
    let r = create(json!({ "payment_cap_percent": 7.5, "payment_cap": "1.075" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_field(), "terms.payment_cap_percent");
}

#[tokio::test]
async fn default_after_days_past_due_is_stored() {
    let r = create(json!({ "default_after_days_past_due": 90 })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["terms"]["default_after_days_past_due"], 90);
    let r = create(json!({})).await;
    assert!(r.body["terms"].get("default_after_days_past_due").is_none());
}

#[tokio::test]
async fn spreadsheet_balance_precision_reaches_the_core() {
    let r = create(json!({ "balance_precision": "spreadsheet" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["terms"]["balance_precision"], "spreadsheet");
    let core = base().balance_precision(BalancePrecision::Spreadsheet);
    assert_eq!(r.body["monthly_payment"], payment(core));
}

#[tokio::test]
async fn installment_multiple_and_amortization_installments_reach_the_core() {
    let r = create(json!({ "installment_multiple": "1" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["terms"]["installment_multiple"], "1");
    assert_eq!(
        r.body["monthly_payment"],
        payment(base().installment_multiple(dec!(1)))
    );
    let r = create(json!({ "amortization_installments": 24 })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["terms"]["amortization_installments"], 24);
    assert_eq!(
        r.body["monthly_payment"],
        payment(base().amortization_installments(24))
    );
}
