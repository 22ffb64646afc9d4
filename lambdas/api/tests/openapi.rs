//! The OpenAPI document against the router, route by route, and its checked-in copy.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use http::{Method, StatusCode};
use loansyncro_api::openapi::{document, OPERATIONS};

fn concrete(path: &str) -> String {
    path.replace("{loan_id}", "loan_x")
        .replace("{repayment_id}", "rep_x")
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_nothing_else() {
    let h = harness();
    let doc = document();
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(
        paths
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum::<usize>(),
        OPERATIONS.len()
    );
    for (path, item) in paths {
        for method in ["get", "post", "put", "delete", "patch"] {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = call(&h.router, m, &concrete(path), None, None).await;
            if item.get(method).is_some() {
                // Routed: protected routes answer 401 without a token; the document 200.
                let expected = if path == "/openapi.json" {
                    StatusCode::OK
                } else {
                    StatusCode::UNAUTHORIZED
                };
                assert_eq!(r.status, expected, "{method} {path}");
                let op = &item[method];
                assert!(op["responses"]["default"].is_object(), "{method} {path}");
            } else {
                assert_eq!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is routed but not documented"
                );
            }
        }
    }
    for undocumented in [
        "/",
        "/loans/a/b",
        "/repayments/loan/a/b",
        "/users",
        "/loans/x/schedule/y",
    ] {
        let r = call(&h.router, Method::GET, undocumented, None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{undocumented}");
    }
}

#[tokio::test]
async fn served_without_auth_and_checked_in_copy_is_current() {
    let h = harness();
    let r = call(&h.router, Method::GET, "/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["openapi"], "3.1.0");
    assert_eq!(r.body, document());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let generated = serde_json::to_string_pretty(&document()).unwrap() + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "lambdas/api/openapi.json is stale: run UPDATE_OPENAPI=1 cargo test -p loansyncro-api --test openapi"
    );
}
