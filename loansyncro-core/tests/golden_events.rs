//! Golden vectors for timeline events (mid-term entries and renewals), computed by the
//! independent script `scripts/vectors/events.py` (exact fractions, half-up cents; it does not
//! use the engine). Every row, the history summary, the recasts and the segments must agree to
//! the cent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::{CurrentState, LoanTerms, LoanTermsBuilder, Rate, Schedule};
use rust_decimal::Decimal;
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/events/events.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap()).unwrap()
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

fn assert_rows(name: &str, schedule: &Schedule, expected: &Value) {
    let rows = expected.as_array().unwrap();
    assert_eq!(schedule.len(), rows.len(), "{name}: row count");
    for (row, want) in schedule.installments().iter().zip(rows) {
        let got = (
            row.number(),
            row.due_date(),
            row.payment(),
            row.interest(),
            row.principal(),
            row.balance(),
        );
        let want = (
            u32::try_from(want[0].as_u64().unwrap()).unwrap(),
            date(&want[1]),
            dec(&want[2]),
            dec(&want[3]),
            dec(&want[4]),
            dec(&want[5]),
        );
        assert_eq!(got, want, "{name}: row {}", want.0);
    }
}

fn current(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let input = &case["input"];
    let state = CurrentState {
        balance: dec(&input["balance"]),
        annual_rate: Rate::from_percent(dec(&input["annual_rate_percent"])).unwrap(),
        payment: dec(&input["payment"]),
        next_due: date(&input["next_due"]),
    };
    let terms = LoanTerms::from_current(LoanTerms::builder(), &state).unwrap();
    let expected = &case["expected"];
    assert_eq!(terms.start(), date(&expected["start"]), "{name}");
    let opening = terms.opening().unwrap();
    assert_eq!(opening.history, None, "{name}: history unknown");
    assert_eq!(opening.balance, state.balance, "{name}");
    assert_rows(name, &terms.schedule().unwrap(), &expected["rows"]);
}

fn mid_term(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let original: LoanTermsBuilder = serde_json::from_value(case["terms"].clone()).unwrap();
    let original = original.build().unwrap();
    let input = &case["input"];
    let entered = original
        .enter_mid_term(date(&input["date"]), dec(&input["balance"]))
        .unwrap();
    let expected = &case["expected"];
    assert_eq!(entered.start(), date(&expected["start"]), "{name}");
    let opening = entered.opening().unwrap();
    assert_eq!(opening.date, date(&input["date"]), "{name}");
    let h = opening.history.unwrap();
    let want = &expected["history"];
    assert_eq!(
        (
            u64::from(h.installments),
            h.interest_paid,
            h.principal_paid,
            h.scheduled_balance,
            h.difference,
            h.payment
        ),
        (
            want["installments"].as_u64().unwrap(),
            dec(&want["interest_paid"]),
            dec(&want["principal_paid"]),
            dec(&want["scheduled_balance"]),
            dec(&want["difference"]),
            dec(&want["payment"]),
        ),
        "{name}: history"
    );
    assert_eq!(h.original_principal, original.principal(), "{name}");
    assert_rows(name, &entered.schedule().unwrap(), &expected["rows"]);
}

fn renewal(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let builder: LoanTermsBuilder = serde_json::from_value(case["terms"].clone()).unwrap();
    let terms = builder.build().unwrap();
    let schedule = terms.schedule().unwrap();
    let expected = &case["expected"];
    assert_rows(name, &schedule, &expected["rows"]);
    let adjustments = expected["adjustments"].as_array().unwrap();
    assert_eq!(schedule.adjustments().len(), adjustments.len(), "{name}");
    for (a, want) in schedule.adjustments().iter().zip(adjustments) {
        assert_eq!(
            (
                u64::from(a.payment_number),
                a.balance_before,
                u64::from(a.remaining_installments),
                a.payment
            ),
            (
                want["payment_number"].as_u64().unwrap(),
                dec(&want["balance_before"]),
                want["remaining_installments"].as_u64().unwrap(),
                dec(&want["payment"]),
            ),
            "{name}: recast"
        );
    }
    let segments = terms.segments(&schedule);
    let wanted = expected["segments"].as_array().unwrap();
    assert_eq!(segments.len(), wanted.len(), "{name}: segments");
    for (s, want) in segments.iter().zip(wanted) {
        assert_eq!(
            (
                u64::from(s.index),
                u64::from(s.first_installment),
                u64::from(s.last_installment),
                s.annual_rate,
                s.payment,
                s.balance_before,
                s.interest,
                s.principal,
                s.balance_after,
            ),
            (
                want["index"].as_u64().unwrap(),
                want["first_installment"].as_u64().unwrap(),
                want["last_installment"].as_u64().unwrap(),
                Rate::from_percent(dec(&want["rate_percent"])).unwrap(),
                dec(&want["payment"]),
                dec(&want["balance_before"]),
                dec(&want["interest"]),
                dec(&want["principal"]),
                dec(&want["balance_after"]),
            ),
            "{name}: segment"
        );
    }
}

#[test]
fn every_event_vector_matches_to_the_cent() {
    let cases = vectors();
    assert!(cases.len() >= 10);
    for case in &cases {
        match case["kind"].as_str().unwrap() {
            "current" => current(case),
            "mid_term" => mid_term(case),
            "renewal" => renewal(case),
            other => panic!("unknown kind {other}"),
        }
    }
}

/// The committed vectors are what the script produces (when a Python 3 is on the PATH; the
/// script needs only its standard library).
#[test]
fn committed_vectors_are_the_scripts_output() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let Ok(out) = std::process::Command::new("python3")
        .arg("scripts/vectors/events.py")
        .arg("--check")
        .current_dir(root)
        .output()
    else {
        eprintln!("python3 not found: the drift check of events.json is skipped");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
