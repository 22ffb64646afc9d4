//! `POST|GET|DELETE /loans/{loan_id}/recurring` and `DELETE /loans/{loan_id}/recurring/{plan_id}`:
//! exact answers, bad input naming the field, another user's loan or plan is 404, and the
//! plans then materialized by the job (a missed day, a rerun) seen through the API.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::sync::Arc;

use chrono::NaiveDate;
use common::{call, create_loan, harness, token, Harness};
use http::{Method, StatusCode};
use loansyncro_core::app::ports::{NoopNotifier, SequentialIds};
use loansyncro_core::app::service::LoanService;
use serde_json::{json, Value};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The scheduled job on the harness's store and clock, as of `as_of`.
async fn run_job(h: &Harness, as_of: &str) -> (u32, u32) {
    let job = LoanService::new(
        Arc::clone(&h.store),
        NoopNotifier,
        Arc::clone(&h.clock),
        Arc::new(SequentialIds::starting_at(9000)),
    );
    let report = job.materialize_due(d(as_of)).await.unwrap();
    assert!(report.failures.is_empty(), "{report:?}");
    (report.recorded, report.already_recorded)
}

#[tokio::test]
async fn create_list_materialize_and_delete() {
    let h = harness();
    let t = token("ada");
    let loan = create_loan(&h.router, &t, "Car").await;
    let uri = format!("/loans/{loan}/recurring");
    let r = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"amount": "25.50", "frequency": {"every_n_days": 1}, "first_date": "2025-06-13"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.header("location"),
        format!("/loans/{loan}/recurring/{id}")
    );
    assert_eq!(
        r.body,
        json!({
            "id": id, "loan_id": loan, "amount": "25.50", "frequency": {"every_n_days": 1},
            "first_date": "2025-06-13", "end": null, "next_due": "2025-06-13",
            "created_at": "2025-06-15T00:00:00Z"
        })
    );
    let monthly = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&t),
        Some(json!({"amount": 100, "frequency": "monthly", "first_date": "2025-07-01", "end": "2025-12-31"})),
    )
    .await;
    assert_eq!(monthly.status, StatusCode::CREATED, "{}", monthly.body);
    assert_eq!(monthly.body["amount"], "100");

    let list = call(&h.router, Method::GET, &uri, Some(&t), None).await;
    assert_eq!(list.status, StatusCode::OK);
    let ids: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id.as_str(), monthly.body["id"].as_str().unwrap()]);

    // The 14th was missed: the run on the 15th records the 13th, 14th and 15th; a rerun nothing.
    assert_eq!(run_job(&h, "2025-06-15").await, (3, 0));
    assert_eq!(run_job(&h, "2025-06-15").await, (0, 0));
    let reps = call(
        &h.router,
        Method::GET,
        &format!("/repayments/loan/{loan}"),
        Some(&t),
        None,
    )
    .await;
    let got: Vec<(String, String, String)> = reps.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["amount"].as_str().unwrap().to_owned(),
                r["notes"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let note = format!("recurring plan {id}");
    assert_eq!(
        got,
        vec![
            ("2025-06-13".into(), "25.50".into(), note.clone()),
            ("2025-06-14".into(), "25.50".into(), note.clone()),
            ("2025-06-15".into(), "25.50".into(), note),
        ]
    );
    let list = call(&h.router, Method::GET, &uri, Some(&t), None).await;
    assert_eq!(list.body["items"][0]["next_due"], "2025-06-16");
    assert_eq!(list.body["items"][1]["next_due"], "2025-07-01");

    let one = format!("{uri}/{id}");
    let r = call(&h.router, Method::DELETE, &one, Some(&t), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = call(&h.router, Method::DELETE, &one, Some(&t), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = call(&h.router, Method::DELETE, &uri, Some(&t), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let list = call(&h.router, Method::GET, &uri, Some(&t), None).await;
    assert_eq!(list.body, json!({"items": []}));
    // The recorded repayments stay.
    let reps = call(
        &h.router,
        Method::GET,
        &format!("/repayments/loan/{loan}"),
        Some(&t),
        None,
    )
    .await;
    assert_eq!(reps.body["items"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn another_users_loan_or_plan_is_not_found() {
    let h = harness();
    let (ada, bob) = (token("ada"), token("bob"));
    let loan = create_loan(&h.router, &ada, "Car").await;
    let bobs = create_loan(&h.router, &bob, "Van").await;
    let uri = format!("/loans/{loan}/recurring");
    let body = json!({"amount": "10.00", "frequency": "weekly", "first_date": "2025-06-01"});
    let plan = call(
        &h.router,
        Method::POST,
        &uri,
        Some(&ada),
        Some(body.clone()),
    )
    .await;
    let plan_id = plan.body["id"].as_str().unwrap().to_owned();
    let attempts = [
        (Method::POST, uri.clone(), Some(body)),
        (Method::GET, uri.clone(), None),
        (Method::DELETE, uri.clone(), None),
        (Method::DELETE, format!("{uri}/{plan_id}"), None),
        // Bob's own loan, Ada's plan.
        (
            Method::DELETE,
            format!("/loans/{bobs}/recurring/{plan_id}"),
            None,
        ),
    ];
    for (method, path, body) in attempts {
        let r = call(&h.router, method.clone(), &path, Some(&bob), body).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            r.body
        );
        assert_eq!(r.error_code(), "not_found");
    }
    let list = call(&h.router, Method::GET, &uri, Some(&ada), None).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1, "untouched");
    let r = call(&h.router, Method::GET, &uri, None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_input_is_400_naming_the_field() {
    let h = harness();
    let t = token("ada");
    let loan = create_loan(&h.router, &t, "Car").await;
    let uri = format!("/loans/{loan}/recurring");
    let ok = json!({"amount": "10.00", "frequency": "monthly", "first_date": "2025-02-01"});
    let with = |key: &str, value: Value| {
        let mut body = ok.clone();
        body[key] = value;
        body
    };
    let cases = [
        (with("amount", json!("0")), "amount"),
        (with("amount", json!("-5")), "amount"),
        (with("amount", json!("1.005")), "amount"),
        (with("amount", json!("ten")), "amount"),
        (with("frequency", json!("fortnightly")), "frequency"),
        (with("frequency", json!({"every_n_days": 0})), "frequency"),
        (with("first_date", json!("12/01/2025")), "first_date"),
        (with("first_date", json!("2024-12-31")), "first_date"),
        (with("end", json!("2025-01-31")), "end"),
        (with("extra", json!(1)), "extra"),
    ];
    for (body, field) in cases {
        let r = call(&h.router, Method::POST, &uri, Some(&t), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.body);
        assert_eq!(r.error_field(), field, "{body}: {}", r.body);
    }
    let mut missing = ok.clone();
    missing.as_object_mut().unwrap().remove("first_date");
    let r = call(&h.router, Method::POST, &uri, Some(&t), Some(missing)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_field(), "first_date", "{}", r.body);
    let r = call(
        &h.router,
        Method::GET,
        "/loans/%20x/recurring",
        Some(&t),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.error_field(), "loan_id");
    let list = call(&h.router, Method::GET, &uri, Some(&t), None).await;
    assert_eq!(list.body, json!({"items": []}), "nothing stored");
}
