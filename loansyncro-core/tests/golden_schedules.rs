//! Golden tests: every schedule in `tests/data/vectors/schedules*.json` must match to the cent.
//! The vectors were computed by independent tools (see the files' `provenance`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::{DayCount, Frequency, LoanTerms, RoundingMode};
use rust_decimal::Decimal;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/data/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("decimal string")).expect("decimal")
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().expect("date"), "%Y-%m-%d").expect("date")
}

/// Builds terms from a vector's `terms` object.
pub fn terms_from(t: &Value) -> LoanTerms {
    let rounding = match t["rounding"].as_str().unwrap_or("half_up") {
        "half_even_to_cents" | "half_even" => RoundingMode::HalfEven,
        _ => RoundingMode::HalfUp,
    };
    let mut b = LoanTerms::builder()
        .currency(t["currency"].as_str().unwrap_or("USD").parse().unwrap())
        .principal(dec(&t["principal"]))
        .annual_rate_percent(dec(&t["annual_rate_percent"]))
        .installments(t["installments"].as_u64().unwrap() as u32)
        .frequency(Frequency::from_str(t["frequency"].as_str().unwrap()).unwrap())
        .day_count(DayCount::from_str(t["day_count"].as_str().unwrap()).unwrap())
        .payment_rounding(rounding)
        .interest_rounding(rounding)
        .start(if t["start"].is_null() {
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
        } else {
            date(&t["start"])
        });
    if !t["first_due"].is_null() {
        b = b.first_due(date(&t["first_due"]));
    }
    b.build().unwrap()
}

fn check_file(name: &str) -> usize {
    let v = load(name);
    let cases = v["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let schedule = terms_from(&case["terms"]).schedule().unwrap();
        let e = &case["expected"];
        if schedule.regular_payment() != dec(&e["payment"]) {
            failures.push(format!(
                "{id}: payment {} != {}",
                schedule.regular_payment(),
                e["payment"]
            ));
        }
        let rows = e["rows"].as_array().unwrap();
        if rows.len() != schedule.len() {
            failures.push(format!("{id}: {} rows != {}", schedule.len(), rows.len()));
        }
        for (row, got) in rows.iter().zip(schedule.installments()) {
            let n = row["n"].as_u64().unwrap() as u32;
            let checks = [
                ("payment", got.payment()),
                ("interest", got.interest()),
                ("principal", got.principal()),
                ("balance", got.balance()),
            ];
            if got.number() != n {
                failures.push(format!("{id} row {n}: number {}", got.number()));
            }
            for (field, value) in checks {
                if value != dec(&row[field]) {
                    failures.push(format!("{id} row {n}: {field} {value} != {}", row[field]));
                }
            }
        }
        for (field, value) in [
            ("total_interest", schedule.totals().interest),
            ("total_paid", schedule.totals().paid),
            ("final_payment", schedule.last().unwrap().payment()),
        ] {
            if !e[field].is_null() && value != dec(&e[field]) {
                failures.push(format!("{id}: {field} {value} != {}", e[field]));
            }
        }
        assert_eq!(schedule.last().unwrap().balance(), Decimal::ZERO, "{id}");
        assert_eq!(
            schedule.totals().principal,
            dec(&case["terms"]["principal"]),
            "{id}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    cases.len()
}

#[test]
fn fineract_schedules_match_to_the_cent() {
    assert_eq!(check_file("schedules.json"), 5);
}

#[test]
fn generated_schedules_match_every_row() {
    assert_eq!(check_file("schedules-generated.json"), 14);
}

#[test]
fn quickstart_figure() {
    let t = LoanTerms::builder()
        .principal(Decimal::from(250_000))
        .annual_rate_percent(Decimal::from_str("6.5").unwrap())
        .installments(360)
        .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
        .build()
        .unwrap();
    assert_eq!(
        t.schedule().unwrap().regular_payment(),
        Decimal::from_str("1580.17").unwrap()
    );
}
