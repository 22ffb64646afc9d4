//! `POST /loans/{loan_id}/reconcile`: JSON lines, CSV, OFX and Plaid statements; 400 naming the
//! field for a bad statement; another user's loan is 404.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use http::{Method, StatusCode};
use serde_json::json;

/// The first three rows of the test loan (1,000.00 at 12%, 12 months, 30/360).
fn lines() -> serde_json::Value {
    json!([
        {"date": "2025-02-01", "amount": "88.85", "interest": "10.00", "principal": "78.85", "balance": "921.15"},
        {"date": "2025-03-01", "amount": "88.85", "interest": "9.21", "principal": "79.64", "balance": "841.51"},
        {"date": "2025-04-01", "amount": 88.85, "interest": "8.42", "principal": "80.43", "balance": "761.08"}
    ])
}

#[tokio::test]
async fn json_lines_are_reconciled_line_by_line() {
    let h = harness();
    let t = token("alice");
    let loan = create_loan(&h.router, &t, "Car").await;
    let uri = format!("/loans/{loan}/reconcile");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"lines": lines()})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["loan_id"], loan.as_str());
    assert_eq!(r.body["explained"], true);
    assert_eq!(r.body["lines_matched"], 3);
    assert_eq!(r.body["lines_total"], 3);
    assert_eq!(r.body["first_unexplained_line"], serde_json::Value::Null);
    assert_eq!(r.body["conventions_tried"], 224);
    assert_eq!(r.body["convention"]["day_count"], "30/360");
    assert_eq!(r.body["convention"]["rounding"], "half_up");
    assert_eq!(r.body["convention"]["accrual"], "scheduled");
    assert_eq!(r.body["lines"][1]["interest"]["expected"], "9.21");
    assert_eq!(r.body["lines"][1]["interest"]["difference"], "0.00");
    assert_eq!(
        r.body["summary"],
        "Your lender accrues 30/360 interest per scheduled period, rounded half-up to the cent: \
         this reproduces all 3 lines exactly."
    );

    // One cent off on line 2's balance: flagged there, with the difference.
    let mut off = lines();
    off[1]["balance"] = json!("841.52");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"lines": off})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["explained"], false);
    assert_eq!(r.body["first_unexplained_line"], 2);
    assert_eq!(r.body["lines"][1]["balance"]["stated"], "841.52");
    assert_eq!(r.body["lines"][1]["balance"]["expected"], "841.51");
    assert_eq!(r.body["lines"][1]["balance"]["difference"], "0.01");
}

#[tokio::test]
async fn csv_ofx_and_plaid_statements() {
    let h = harness();
    let t = token("alice");
    let loan = create_loan(&h.router, &t, "Car").await;
    let uri = format!("/loans/{loan}/reconcile");
    let csv = "When;Paid;Int;Bal\n01.02.2025;88,85;10,00;921,15\n";
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"format": "csv", "text": "When,Paid,Int,Bal\n02/01/2025,88.85,10.00,921.15\n",
                    "mapping": {"date": "When", "amount": "Paid", "interest": "Int", "balance": "Bal",
                                "date_format": "%m/%d/%Y"}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["lines_matched"], 1);
    // A semicolon file with decimal commas: the comma reads as a thousands separator (no
    // decimal-comma option yet), so the 8,885.00 payment exceeds the payoff and nothing matches.
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"format": "csv", "text": csv,
                    "mapping": {"date": "When", "amount": "Paid", "delimiter": ";", "date_format": "%d.%m.%Y"}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["lines_matched"], 0);

    let ofx = "<OFX><LOANMSGSRSV1><LOANSTMTTRNRS><LOANSTMTRS><LOANTRANLIST><LOANSTMTTRN>\
               <DTPOSTED>20250201<TRNAMT>-88.85<LOANTRNAMT><PRINAMT>78.85<INTAMT>10.00</LOANTRNAMT>\
               </LOANSTMTTRN></LOANTRANLIST></LOANSTMTRS></LOANSTMTTRNRS></LOANMSGSRSV1></OFX>";
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"format": "ofx", "text": ofx})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["explained"], true);
    assert_eq!(r.body["lines"][0]["principal"]["expected"], "78.85");

    let plaid = json!({"transactions": [
        {"account_id": "L", "amount": -88.85, "date": "2025-02-01", "pending": false, "transaction_id": "1"}
    ], "accounts": [], "total_transactions": 1});
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"format": "plaid", "transactions": plaid})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["lines"][0]["balance"]["expected"], "921.15");
    assert_eq!(
        r.body["lines"][0]["balance"]["stated"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn bad_statements_are_400_naming_the_field() {
    let h = harness();
    let t = token("alice");
    let loan = create_loan(&h.router, &t, "Car").await;
    let uri = format!("/loans/{loan}/reconcile");
    let cases = [
        (
            json!({"lines": [{"date": "2025-02-01", "amount": "abc"}]}),
            "lines[0].amount",
        ),
        (
            json!({"lines": [{"date": "2024-12-01", "amount": "1.00"}]}),
            "lines[0].date",
        ),
        (
            json!({"lines": [{"date": "2025-02-01", "amount": "-1.00"}]}),
            "lines[0].amount",
        ),
        (json!({"lines": []}), "lines"),
        (
            json!({"format": "csv", "text": "d,a\n2025-02-01,1\n"}),
            "mapping",
        ),
        (
            json!({"format": "csv", "text": "d,a,i\n2025-02-01,1,x\n", "mapping": {"date": "d", "amount": "a", "interest": "i"}}),
            "csv line 2: i",
        ),
        (json!({"format": "ofx", "text": "<OFX></OFX>"}), "ofx"),
        (json!({"format": "ofx"}), "text"),
        (
            json!({"format": "plaid", "transactions": {"x": 1}}),
            "plaid transactions",
        ),
        (json!({"format": "pdf"}), "format"),
        (json!({"lines": [], "extra": 1}), "extra"),
    ];
    for (body, field) in cases {
        let r = call(&h.router, Method::POST, &uri, Some(&t), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.body);
        assert_eq!(r.error_field(), field, "{body}: {}", r.body);
    }
}

#[tokio::test]
async fn another_users_loan_is_not_found() {
    let h = harness();
    let loan = create_loan(&h.router, &token("alice"), "Car").await;
    let r = call(
        &h.router,
        Method::POST,
        &format!("/loans/{loan}/reconcile"),
        Some(&token("bob")),
        Some(json!({"lines": lines()})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(r.error_code(), "not_found");
    let r = call(
        &h.router,
        Method::POST,
        "/loans/nope/reconcile",
        Some(&token("alice")),
        Some(json!({"lines": lines()})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}
