//! The routes of issue 18 §1: CSV exports, the payoff quote, what-if, the planner, PATCH, and
//! date errors that name the field and the format. Exact values; another user's loan is 404.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use axum::body::Body;
use common::*;
use http::{Method, Request, StatusCode};
use serde_json::{json, Value};

fn mortgage() -> Value {
    json!({"title": "House", "amount": "250000", "interest_rate": "6.5", "term_months": 360,
           "start_date": "2025-01-01"})
}

async fn create(h: &Harness, t: &str, body: Value) -> String {
    let r = call(&h.router, Method::POST, "/loans", Some(t), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

fn text(r: &Reply) -> &str {
    r.body.as_str().unwrap_or("")
}

fn assert_400(r: &Reply, field: &str, message: &str) {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_code(), "validation", "{}", r.body);
    assert_eq!(r.error_field(), field, "{}", r.body);
    assert_eq!(r.body["error"]["message"], message, "{}", r.body);
}

#[tokio::test]
async fn schedule_csv_has_a_header_and_exact_rows() {
    let h = harness();
    let t = token("alice");
    let id = create_loan(&h.router, &t, "Car").await;
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/schedule?format=csv"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(
        r.header("content-disposition"),
        format!("attachment; filename=\"schedule-{id}.csv\"")
    );
    assert_eq!(r.header("etag"), "\"1\"");
    let lines: Vec<&str> = text(&r).split("\r\n").collect();
    assert_eq!(
        lines.len(),
        14,
        "header, 12 rows, and the empty tail after the last CRLF"
    );
    assert_eq!(
        lines[0],
        "number,due_date,payment,interest,principal,balance,deferred_interest,extra_principal"
    );
    assert_eq!(lines[1], "1,2025-02-01,88.85,10.00,78.85,921.15,0.00,0.00");
    assert!(lines[12].starts_with("12,2026-01-01,"), "{}", lines[12]);
    assert!(lines[12].contains(",0.00,0.00,0.00"), "{}", lines[12]);
    assert_eq!(lines[13], "");

    // JSON stays the default, and format=json says so explicitly.
    for uri in [
        format!("/loans/{id}/schedule"),
        format!("/loans/{id}/schedule?format=json"),
    ] {
        let r = call(&h.router, Method::GET, &uri, Some(&t), None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("content-type").starts_with("application/json"));
        assert_eq!(r.body["installments"][0]["interest"], "10.00");
    }
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/schedule?format=xlsx"),
        Some(&t),
        None,
    )
    .await;
    assert_400(&r, "format", "must be json or csv, got \"xlsx\"");

    // Another user's loan is 404, in CSV too.
    let bob = token("bob");
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/schedule?format=csv"),
        Some(&bob),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn repayments_csv_quotes_text_fields_once() {
    let h = harness();
    let t = token("alice");
    let id = create(
        &h,
        &t,
        json!({"title": "Car, \"blue\"", "amount": "1000", "interest_rate": "12",
                                   "term_months": 12, "start_date": "2025-01-01"}),
    )
    .await;
    let r = call(&h.router, Method::POST, "/repayments", Some(&t),
        Some(json!({"loan_id": id, "amount": "88.85", "date": "2025-02-01", "notes": "first, on time"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let rid = r.body["repayment"]["id"].as_str().unwrap().to_owned();

    let r = call(
        &h.router,
        Method::GET,
        "/repayments?format=csv",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(
        r.header("content-disposition"),
        "attachment; filename=\"repayments.csv\""
    );
    assert_eq!(
        text(&r),
        format!(
            "id,loan_id,loan_title,currency,date,amount,notes,idempotency_key\r\n\
                 {rid},{id},\"Car, \"\"blue\"\"\",USD,2025-02-01,88.85,\"first, on time\",\r\n"
        )
    );
    let r = call(
        &h.router,
        Method::GET,
        "/repayments?format=pdf",
        Some(&t),
        None,
    )
    .await;
    assert_400(&r, "format", "must be json or csv, got \"pdf\"");
    // Bob sees only the header.
    let r = call(
        &h.router,
        Method::GET,
        "/repayments?format=csv",
        Some(&token("bob")),
        None,
    )
    .await;
    assert_eq!(
        text(&r),
        "id,loan_id,loan_title,currency,date,amount,notes,idempotency_key\r\n"
    );
}

#[tokio::test]
async fn payoff_quote_on_a_date() {
    let h = harness();
    let t = token("alice");
    let id = create_loan(&h.router, &t, "Car").await;
    // Half of January (15 of 31 days): 10.00 x 15 / 31 = 4.84 accrued.
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/payoff?as_of=2025-01-16"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body,
        json!({"loan_id": id, "currency": "USD", "as_of": "2025-01-16", "rule": "till_pre_close",
               "principal": "1000.00", "accrued_interest": "4.84", "fees": "0.00", "total": "1004.84",
               "good_through": "2025-01-16"})
    );
    // The whole period's interest: the same total closes the loan up to the due date.
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/payoff?as_of=2025-01-16&rule=till_period_end"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (&r.body["accrued_interest"], &r.body["total"]),
        (&json!("10.00"), &json!("1010.00"))
    );
    // On the due date a new period's interest starts: good through the day before.
    assert_eq!(r.body["good_through"], "2025-01-31");

    // After a repayment: the principal is what is left.
    let r = call(
        &h.router,
        Method::POST,
        "/repayments",
        Some(&t),
        Some(json!({"loan_id": id, "amount": "88.85", "date": "2025-02-01"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/payoff?as_of=2025-02-01"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        (
            &r.body["principal"],
            &r.body["accrued_interest"],
            &r.body["total"]
        ),
        (&json!("921.15"), &json!("0.00"), &json!("921.15"))
    );

    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/payoff?as_of=2024-12-31"),
        Some(&t),
        None,
    )
    .await;
    assert_400(
        &r,
        "as_of",
        "2024-12-31 is before the loan start 2025-01-01",
    );
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/payoff?rule=whenever"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "rule")
    );
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/payoff?as_of=2025-01-16"),
        Some(&token("bob")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn what_if_extra_payments_and_rate_changes() {
    let h = harness();
    let t = token("alice");
    let id = create(&h, &t, mortgage()).await;
    let uri = format!("/loans/{id}/what-if");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"recurring": "200"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["installments_saved"], 95);
    assert_eq!(r.body["months_saved"], 95);
    assert_eq!(r.body["interest_saved"], "97618.44");
    assert_eq!(r.body["base"]["installments"], 360);
    assert_eq!(r.body["base"]["regular_payment"], "1580.17");
    assert_eq!(r.body["base"]["payoff_date"], "2055-01-01");
    assert_eq!(r.body["base"]["extra_principal"], "0.00");
    assert_eq!(r.body["scenario"]["installments"], 265);
    assert_eq!(r.body["scenario"]["payoff_date"], "2047-02-01");
    assert!(r.body.get("installments").is_none());
    // The base is the loan's schedule.
    let s = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}/schedule"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        r.body["base"]["total_interest"],
        s.body["totals"]["interest"]
    );
    // Saved interest is the difference of the two totals.
    let dec = |v: &Value| {
        v.as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap()
    };
    assert_eq!(
        dec(&r.body["base"]["total_interest"]) - dec(&r.body["scenario"]["total_interest"]),
        dec(&r.body["interest_saved"])
    );

    // A rate rise from 2030 costs interest (negative savings) and keeps the term.
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"rate_changes": [{"effective": "2030-01-01", "annual_rate": "0.08"}]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["installments_saved"], 0);
    assert!(
        dec(&r.body["interest_saved"]) < rust_decimal::Decimal::ZERO,
        "{}",
        r.body
    );

    // A lump sum that reduces the payment keeps the term; with the schedule.
    let r = call(&h.router, Method::POST, &uri, Some(&t),
        Some(json!({"lump_sums": [{"date": "2026-01-01", "amount": "50000"}], "policy": "reduce_payment",
                    "include_schedule": true}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["installments_saved"], 0);
    assert_eq!(r.body["scenario"]["extra_principal"], "50000.00");
    assert_eq!(r.body["installments"].as_array().unwrap().len(), 360);
    assert_eq!(r.body["installments"][11]["extra_principal"], "50000.00");

    // Errors name the field; nothing is stored; another user's loan is 404.
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"recurring": "-1"})),
    )
    .await;
    assert_400(&r, "recurring", "must not be negative");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"lump_sums": [{"date": "2026-01-01", "amount": "0"}]})),
    )
    .await;
    assert_400(&r, "lump_sums[0].amount", "must be greater than zero");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"extra": "1"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "extra")
    );
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.header("etag"), "\"1\"");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&token("bob")),
        Some(json!({"recurring": "200"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn plan_over_the_users_loans() {
    let h = harness();
    let t = token("alice");
    let card = create(
        &h,
        &t,
        json!({"title": "Card", "amount": "1000", "interest_rate": "24",
        "term_months": 24, "start_date": "2025-01-01"}),
    )
    .await;
    let car = create(
        &h,
        &t,
        json!({"title": "Car", "amount": "500", "interest_rate": "6",
        "term_months": 12, "start_date": "2025-01-01"}),
    )
    .await;
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&t),
        Some(json!({"monthly_budget": "300", "strategy": "avalanche", "start": "2025-07-01"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["strategy"], "avalanche");
    assert_eq!(r.body["currency"], "USD");
    let loans = r.body["loans"].as_array().unwrap();
    assert_eq!(loans.len(), 2);
    let months = r.body["months"].as_array().unwrap();
    assert_eq!(
        months.len() as u64,
        r.body["months_to_debt_free"].as_u64().unwrap()
    );
    assert_eq!(months[0]["date"], "2025-07-01");
    // Month 1: the card (24 %) accrues 20.00, the car (6 %) 2.50; each gets its installment
    // (52.87 and 43.03), the card the other 204.10.
    let card_i = loans
        .iter()
        .position(|l| l["loan_id"] == card.as_str())
        .unwrap();
    let car_i = 1 - card_i;
    assert_eq!(loans[car_i]["loan_id"], car.as_str());
    assert_eq!(months[0]["interest"], "22.50");
    assert_eq!(months[0]["paid"], "300.00");
    assert_eq!(months[0]["balance"], "1222.50");
    assert_eq!(
        r.body["total_paid"]
            .as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap(),
        rust_decimal::Decimal::from(1500)
            + r.body["total_interest"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
    );
    assert_eq!(r.body["baseline"]["paid_off"], true);

    // A custom order naming both; without `order` it is a 400 on `order`.
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&t),
        Some(json!({"monthly_budget": "300", "strategy": "custom", "order": [car, card]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["order"], json!([car, card]));
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&t),
        Some(json!({"monthly_budget": "300", "strategy": "custom"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "order")
    );
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&t),
        Some(json!({"monthly_budget": "300", "strategy": "fastest"})),
    )
    .await;
    assert_400(
        &r,
        "strategy",
        "must be one of avalanche, snowball, custom, got \"fastest\"",
    );
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&t),
        Some(json!({"monthly_budget": "10"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "monthly_budget")
    );

    // Bob: alice's loans are not his (404 in an order; none to plan otherwise).
    let bob = token("bob");
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&bob),
        Some(json!({"monthly_budget": "300", "strategy": "custom", "order": [card]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&bob),
        Some(json!({"monthly_budget": "300"})),
    )
    .await;
    assert_eq!(
        (r.status, r.error_field()),
        (StatusCode::BAD_REQUEST, "debts"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn plan_that_never_pays_off_names_the_loan() {
    let h = harness();
    let t = token("alice");
    // 1 % over 30 years (installment 3.22), at 12 % since March: today's interest (10.00)
    // outgrows a budget of just the installment.
    let id = create(
        &h,
        &t,
        json!({"title": "Teaser", "amount": "1000", "interest_rate": "1",
        "term_months": 360, "start_date": "2025-01-01",
        "terms": {"rate_changes": [{"effective": "2025-03-01", "annual_rate": "0.12"}]}}),
    )
    .await;
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&t),
        Some(json!({"monthly_budget": "3.22"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_field(), "monthly_budget");
    let message = r.body["error"]["message"].as_str().unwrap();
    assert!(message.contains(&format!("\"{id}\"")), "{message}");
    assert_eq!(
        message,
        format!("the budget 3.22 never pays the debts off: debt \"{id}\" accrues 10.00 interest in month 1 but receives only 3.22")
    );
}

async fn patch(
    h: &Harness,
    t: &str,
    id: &str,
    body: &str,
    content_type: &str,
    if_match: Option<&str>,
) -> Reply {
    let mut b = Request::builder()
        .method(Method::PATCH)
        .uri(format!("/loans/{id}"))
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", content_type);
    if let Some(v) = if_match {
        b = b.header("if-match", v);
    }
    send(&h.router, b.body(Body::from(body.to_owned())).unwrap()).await
}

#[tokio::test]
async fn patch_changes_title_and_description_only() {
    let h = harness();
    let t = token("alice");
    let id = create_loan(&h.router, &t, "Car").await;
    let r = patch(
        &h,
        &t,
        &id,
        r#"{"title": "Family car"}"#,
        "application/merge-patch+json",
        Some("\"1\""),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("etag"), "\"2\"");
    assert_eq!(
        (&r.body["title"], &r.body["description"]),
        (&json!("Family car"), &json!("test loan"))
    );
    assert_eq!(
        (&r.body["monthly_payment"], &r.body["version"]),
        (&json!("88.85"), &json!(2))
    );
    // Stale If-Match: 412 naming the current version; nothing written.
    let r = patch(
        &h,
        &t,
        &id,
        r#"{"title": "Nope"}"#,
        "application/merge-patch+json",
        Some("\"1\""),
    )
    .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::PRECONDITION_FAILED, "precondition_failed")
    );
    // application/json works too; null clears the description (merge patch).
    let r = patch(
        &h,
        &t,
        &id,
        r#"{"description": null}"#,
        "application/json",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (&r.body["description"], &r.body["title"]),
        (&json!(""), &json!("Family car"))
    );
    assert_eq!(r.header("etag"), "\"3\"");
    // An empty patch writes nothing.
    let r = patch(&h, &t, &id, "{}", "application/merge-patch+json", None).await;
    assert_eq!((r.status, r.header("etag")), (StatusCode::OK, "\"3\""));

    // Financial fields, read-only fields, null title, unknown fields: 400 naming the field.
    let financial = "is a financial term: PATCH changes title and description only; replace the terms with PUT /loans/{loan_id}";
    for field in [
        "amount",
        "interest_rate",
        "term_months",
        "start_date",
        "terms",
    ] {
        let r = patch(
            &h,
            &t,
            &id,
            &format!(r#"{{"title": "X", "{field}": "1"}}"#),
            "application/merge-patch+json",
            None,
        )
        .await;
        assert_400(&r, field, financial);
    }
    let r = patch(&h, &t, &id, r#"{"version": 9}"#, "application/json", None).await;
    assert_400(&r, "version", "is read-only");
    let r = patch(&h, &t, &id, r#"{"title": null}"#, "application/json", None).await;
    assert_400(&r, "title", "cannot be removed: a loan always has a title");
    let r = patch(&h, &t, &id, r#"{"title": 5}"#, "application/json", None).await;
    assert_400(&r, "title", "must be a string");
    let r = patch(
        &h,
        &t,
        &id,
        r#"{"colour": "red"}"#,
        "application/json",
        None,
    )
    .await;
    assert_400(&r, "colour", "unknown field");
    let r = patch(&h, &t, &id, r#"{"title": "  "}"#, "application/json", None).await;
    assert_400(&r, "title", "must not be empty");
    let r = patch(&h, &t, &id, r#"{"title": "X"}"#, "text/plain", None).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{id}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(
        (r.header("etag"), &r.body["title"]),
        ("\"3\"", &json!("Family car"))
    );

    // Another user's loan is 404.
    let r = patch(
        &h,
        &token("bob"),
        &id,
        r#"{"title": "Mine"}"#,
        "application/merge-patch+json",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

const NOT_ISO: &str = "12/01/2025";

fn date_error(field: &str) -> String {
    let _ = field;
    format!("expected YYYY-MM-DD, got \"{NOT_ISO}\"")
}

#[tokio::test]
async fn date_errors_name_the_field_and_the_format() {
    let h = harness();
    let t = token("alice");
    let id = create_loan(&h.router, &t, "Car").await;
    let mut loan = loan_body("Bad");
    loan["start_date"] = json!(NOT_ISO);
    let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(loan)).await;
    assert_400(&r, "start_date", &date_error("start_date"));
    let mut loan = loan_body("Bad");
    loan["terms"] = json!({"first_due": NOT_ISO});
    let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(loan)).await;
    assert_400(&r, "terms.first_due", &date_error("first_due"));
    let mut loan = loan_body("Bad");
    loan["terms"] = json!({"rate_changes": [{"effective": NOT_ISO, "annual_rate": "0.05"}]});
    let r = call(
        &h.router,
        Method::PUT,
        &format!("/loans/{id}"),
        Some(&t),
        Some(loan),
    )
    .await;
    assert_400(
        &r,
        "terms.rate_changes[0].effective",
        &date_error("effective"),
    );
    let r = call(
        &h.router,
        Method::POST,
        "/repayments",
        Some(&t),
        Some(json!({"loan_id": id, "amount": "10", "date": NOT_ISO})),
    )
    .await;
    assert_400(&r, "date", &date_error("date"));
    let r = call(
        &h.router,
        Method::POST,
        "/repayments",
        Some(&t),
        Some(json!({"loan_id": id, "amount": "10", "date": "2025-02-01"})),
    )
    .await;
    let rid = r.body["repayment"]["id"].as_str().unwrap().to_owned();
    let r = call(
        &h.router,
        Method::PUT,
        &format!("/repayments/{rid}"),
        Some(&t),
        Some(json!({"amount": "10", "payment_date": NOT_ISO})),
    )
    .await;
    assert_400(&r, "payment_date", &date_error("payment_date"));
    let r = call(
        &h.router,
        Method::POST,
        "/loans/x/what-if",
        Some(&t),
        Some(json!({"lump_sums": [{"date": NOT_ISO, "amount": "10"}]})),
    )
    .await;
    assert_400(&r, "lump_sums[0].date", &date_error("date"));
    let r = call(
        &h.router,
        Method::POST,
        "/plan",
        Some(&t),
        Some(json!({"monthly_budget": "100", "start": NOT_ISO})),
    )
    .await;
    assert_400(&r, "start", &date_error("start"));
    // A date that does not exist, and a date that is not a string.
    let mut loan = loan_body("Bad");
    loan["start_date"] = json!("2025-02-30");
    let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(loan)).await;
    assert_400(&r, "start_date", "expected YYYY-MM-DD, got \"2025-02-30\"");
    let mut loan = loan_body("Bad");
    loan["start_date"] = json!(20250101);
    let r = call(&h.router, Method::POST, "/loans", Some(&t), Some(loan)).await;
    assert_400(
        &r,
        "start_date",
        "invalid type: integer `20250101`, expected a date YYYY-MM-DD",
    );

    // The query string: every date parameter.
    let q = "12%2F01%2F2025";
    for uri in [
        format!("/loans/{id}/position?as_of={q}"),
        format!("/loans/{id}/payoff?as_of={q}"),
        format!("/repayments/summary?as_of={q}"),
    ] {
        let r = call(&h.router, Method::GET, &uri, Some(&t), None).await;
        assert_400(&r, "as_of", &date_error("as_of"));
    }
}
