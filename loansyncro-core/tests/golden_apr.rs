//! Golden tests: the 12 worked examples of Regulation Z Appendix J (c) in
//! `tests/data/vectors/apr.json` must come out at the APR the regulation states, to two decimals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::finance::apr::{apr, CashFlow, UnitPeriod};
use rust_decimal::Decimal;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/data/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn flows(v: &Value) -> Vec<CashFlow> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| CashFlow {
            date: NaiveDate::parse_from_str(f["date"].as_str().unwrap(), "%Y-%m-%d").unwrap(),
            amount: Decimal::from_str(f["amount"].as_str().unwrap()).unwrap(),
        })
        .collect()
}

#[test]
fn appendix_j_examples() {
    let data = load("apr.json");
    let cases = data["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 12);
    let mut failures = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let advances = flows(&case["advances"]);
        let payments = flows(&case["payments"]);
        let unit_text = case["unit_period"].as_str().unwrap();
        // (b)(5)(iv): a single advance repaid by a single payment has the term as unit period.
        let unit = if unit_text.starts_with("day (single advance, single payment)") {
            UnitPeriod::term(advances[0].date, payments[0].date).unwrap()
        } else {
            unit_text.parse().unwrap()
        };
        let expected = Decimal::from_str(case["expected_apr_percent"].as_str().unwrap()).unwrap();
        let got = apr(&advances, &payments, unit).map(|r| (r * Decimal::ONE_HUNDRED).round_dp(2));
        if got != Ok(expected) {
            failures.push(format!("{id}: expected {expected}%, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
