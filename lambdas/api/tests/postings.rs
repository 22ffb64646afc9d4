//! `GET /loans/{loan_id}/postings`: exact journals in each format, account options, errors,
//! another user's loan is 404.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use http::{Method, StatusCode};
use serde_json::json;

async fn car_with_two_repayments(h: &Harness, t: &str) -> String {
    let loan = create_loan(&h.router, t, "Car").await;
    for (amount, date, notes) in [("88.85", "2025-02-01", "Feb"), ("88.85", "2025-03-01", "")] {
        let r = call(
            &h.router,
            Method::POST,
            "/repayments",
            Some(t),
            Some(json!({"loan_id": loan, "amount": amount, "date": date, "notes": notes})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    loan
}

fn text(r: &Reply) -> &str {
    r.body
        .as_str()
        .unwrap_or_else(|| panic!("not text: {}", r.body))
}

#[tokio::test]
async fn beancount_by_default_as_of_today() {
    let h = harness();
    let t = token("alice");
    let loan = car_with_two_repayments(&h, &t).await;
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/postings"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "text/plain; charset=utf-8");
    let expected = "\
option \"operating_currency\" \"USD\"

2025-01-01 open Liabilities:Loans:Car USD
2025-01-01 open Assets:Checking USD
2025-01-01 open Expenses:Interest:Car USD

2025-01-01 * \"Car\" \"Loan disbursement\"
  Assets:Checking           1000.00 USD
  Liabilities:Loans:Car    -1000.00 USD

2025-02-01 * \"Car\" \"Repayment: Feb\"
  Liabilities:Loans:Car       78.85 USD
  Expenses:Interest:Car       10.00 USD
  Assets:Checking            -88.85 USD

2025-03-01 * \"Car\" \"Repayment\"
  Liabilities:Loans:Car       79.64 USD
  Expenses:Interest:Car        9.21 USD
  Assets:Checking            -88.85 USD

2025-06-16 balance Liabilities:Loans:Car -841.51 ~ 0.00 USD
";
    assert_eq!(text(&r), expected);
}

#[tokio::test]
async fn ledger_and_csv_with_account_options() {
    let h = harness();
    let t = token("alice");
    let loan = car_with_two_repayments(&h, &t).await;
    let uri = format!(
        "/loans/{loan}/postings?format=hledger&as_of=2025-02-15&name=Auto&cash=Assets:Bank:Main"
    );
    let r = call(&h.router, Method::GET, &uri, Some(&t), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let expected = "\
commodity 1000.00 USD
account Liabilities:Loans:Auto
account Assets:Checking
account Expenses:Interest:Auto
account Assets:Bank:Main

2025-01-01 * Car | Loan disbursement
    Assets:Checking            1000.00 USD
    Liabilities:Loans:Auto    -1000.00 USD

2025-02-01 * Car | Repayment: Feb
    Liabilities:Loans:Auto       78.85 USD
    Expenses:Interest:Auto       10.00 USD
    Assets:Bank:Main            -88.85 USD

2025-02-16 * Car | Closing balance
    Liabilities:Loans:Auto        0.00 USD = -921.15 USD
";
    assert_eq!(text(&r), expected);
    let uri = format!("/loans/{loan}/postings?format=csv&scope=planned&liability=Liabilities:Car");
    let r = call(&h.router, Method::GET, &uri, Some(&t), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    let csv = text(&r);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 2 + 12 * 3);
    assert_eq!(
        lines[0],
        "date,transaction,status,account,amount,currency,payee,narration"
    );
    assert_eq!(
        lines[3],
        "2025-02-01,2,pending,Liabilities:Car,78.85,USD,Car,Installment 1"
    );
    assert_eq!(
        lines[38],
        "2026-01-01,13,pending,Assets:Checking,-88.84,USD,Car,Installment 12"
    );
}

#[tokio::test]
async fn bad_options_name_their_parameter() {
    let h = harness();
    let t = token("alice");
    let loan = car_with_two_repayments(&h, &t).await;
    for (query, field) in [
        ("format=qif", "format"),
        ("scope=later", "scope"),
        ("as_of=2025-13-01", "as_of"),
        ("as_of=2024-12-31", "as_of"),
        ("interest=Interest:Car", "interest"),
        ("cash=Assets:bank", "cash"),
        ("escrow=Assets", "escrow"),
    ] {
        let uri = format!("/loans/{loan}/postings?{query}");
        let r = call(&h.router, Method::GET, &uri, Some(&t), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
        assert_eq!(
            (r.error_code(), r.error_field()),
            ("validation", field),
            "{query}"
        );
    }
}

#[tokio::test]
async fn another_users_loan_is_not_found() {
    let h = harness();
    let a = token("alice");
    let loan = car_with_two_repayments(&h, &a).await;
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/postings"),
        Some(&token("bob")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(r.error_code(), "not_found");
    let r = call(
        &h.router,
        Method::GET,
        &format!("/loans/{loan}/postings"),
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn odd_but_valid_queries_never_fail_the_server() {
    let h = harness();
    let t = token("alice");
    let loan = car_with_two_repayments(&h, &t).await;
    for query in [
        "as_of=2099-12-31&scope=projected",
        "as_of=2099-12-31&format=csv",
        "name=%F0%9F%9A%97%20%22quoted%22&format=ledger",
        "scope=planned&as_of=2025-01-01",
        "format=beancount&format=csv",
    ] {
        let uri = format!("/loans/{loan}/postings?{query}");
        let r = call(&h.router, Method::GET, &uri, Some(&t), None).await;
        assert!(r.status.is_success(), "{query}: {} {}", r.status, r.body);
    }
}
